/*
 * parchunk.h - the public interface of parchunk: parallel, chunked kernels
 * behind a flat C ABI.
 *
 * This header is the manual. Every promise in it is tested.
 *
 * General rules (they apply to every function below unless its comment says
 * otherwise):
 *
 *  - Every fallible function returns a parchunk_status. PARCHUNK_OK (0) is
 *    success. On any other status the output parameters are left untouched.
 *  - The first parameter of every kernel is a parchunk_ctx *. NULL means
 *    "process defaults" (threads from the environment, default chunk size and
 *    serial cutoff); such a call cannot be cancelled or observed.
 *  - Arrays are passed as (const void *data, size_t n, parchunk_dtype dtype);
 *    n counts elements, data points to n contiguous elements of dtype in
 *    native byte order. data may be NULL only when n == 0.
 *  - The caller owns every buffer. The library never keeps a pointer past the
 *    return of a call, never prints, aborts or exits.
 *  - Results do not depend on the number of threads: the work is cut into
 *    chunks whose boundaries depend only on n and the chunk size, and chunk
 *    results are merged in a fixed order. Two calls with the same input and
 *    the same chunk size give bit-identical results for any thread count.
 *  - Thread safety: distinct contexts may be used concurrently from distinct
 *    threads; one context runs one call at a time (a second concurrent call
 *    on the same ctx returns PARCHUNK_ERR_BUSY). Calls with ctx == NULL may
 *    run concurrently from any number of threads.
 *  - Fork safety: a process that forks after parchunk used its thread pool
 *    gets a child in which every parchunk call runs serially on the calling
 *    thread (GNU libgomp cannot start a thread pool in such a child: it would
 *    hang). Results are still identical, only slower. A child forked before
 *    any parallel call, or a child that execs, is unaffected.
 */
#ifndef PARCHUNK_H
#define PARCHUNK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(PARCHUNK_STATIC_DEFINE)
#define PARCHUNK_API
#elif defined(_WIN32)
#ifdef PARCHUNK_BUILDING
#define PARCHUNK_API __declspec(dllexport)
#else
#define PARCHUNK_API __declspec(dllimport)
#endif
#else
#define PARCHUNK_API __attribute__((visibility("default")))
#endif

/* ------------------------------------------------------------------------ */
/* Version                                                                   */
/* ------------------------------------------------------------------------ */

#define PARCHUNK_VERSION_MAJOR 0
#define PARCHUNK_VERSION_MINOR 1
#define PARCHUNK_VERSION_PATCH 0
/* The ABI version of this header. Bindings compare it with
 * parchunk_abi_version() after loading the library and refuse a mismatch. */
#define PARCHUNK_ABI_VERSION 1

/*
 * parchunk_version_string() - the library version as "MAJOR.MINOR.PATCH".
 * Returns a static string; never NULL. Thread-safe.
 */
PARCHUNK_API const char *parchunk_version_string(void);

/*
 * parchunk_abi_version() - the ABI version the library was built with
 * (PARCHUNK_ABI_VERSION of its header). Thread-safe.
 */
PARCHUNK_API uint32_t parchunk_abi_version(void);

/* ------------------------------------------------------------------------ */
/* Status codes                                                              */
/* ------------------------------------------------------------------------ */

/* Explicitly numbered and append-only: a value never changes meaning. */
typedef enum parchunk_status {
    PARCHUNK_OK = 0,
    PARCHUNK_ERR_NULL = 1,      /* a required pointer is NULL */
    PARCHUNK_ERR_DTYPE = 2,     /* unknown dtype, or one this operation does not take */
    PARCHUNK_ERR_ARG = 3,       /* an argument is out of its documented range */
    PARCHUNK_ERR_EMPTY = 4,     /* the operation is undefined on zero elements */
    PARCHUNK_ERR_OVERFLOW = 5,  /* the exact result does not fit the output type */
    PARCHUNK_ERR_CANCELLED = 6, /* parchunk_ctx_cancel() stopped the call */
    PARCHUNK_ERR_NOMEM = 7,     /* memory allocation failed */
    PARCHUNK_ERR_IO = 8,        /* an operating-system I/O error (see errno in last_error) */
    PARCHUNK_ERR_PARSE = 9,     /* malformed text input */
    PARCHUNK_ERR_SHAPE = 10,    /* array shapes or lengths do not agree */
    PARCHUNK_ERR_DOMAIN = 11,   /* a value is outside the operation's domain (NaN, inf, label) */
    PARCHUNK_ERR_BUSY = 12,     /* the ctx is already running a call */
    PARCHUNK_ERR_UNSUPPORTED = 13, /* valid request this build or machine cannot serve */
    PARCHUNK_ERR_CHANGED = 14   /* a file changed size while it was read */
} parchunk_status;

/*
 * parchunk_status_string() - a short English description of a status, e.g.
 * "invalid argument". Returns a static string, never NULL ("unknown status"
 * for a value this library does not know). Thread-safe.
 */
PARCHUNK_API const char *parchunk_status_string(parchunk_status status);

/* ------------------------------------------------------------------------ */
/* Element types                                                             */
/* ------------------------------------------------------------------------ */

typedef enum parchunk_dtype {
    PARCHUNK_INT8 = 0,
    PARCHUNK_UINT8 = 1,
    PARCHUNK_INT16 = 2,
    PARCHUNK_UINT16 = 3,
    PARCHUNK_INT32 = 4,
    PARCHUNK_UINT32 = 5,
    PARCHUNK_INT64 = 6,
    PARCHUNK_UINT64 = 7,
    PARCHUNK_FLOAT32 = 8,
    PARCHUNK_FLOAT64 = 9,
    PARCHUNK_DTYPE_COUNT = 10 /* number of dtypes; not a dtype */
} parchunk_dtype;

/*
 * parchunk_dtype_size() - the size in bytes of one element of dtype, or 0 when
 * dtype is not a known dtype. Thread-safe.
 */
PARCHUNK_API size_t parchunk_dtype_size(parchunk_dtype dtype);

/* ------------------------------------------------------------------------ */
/* Context: settings, cancellation, progress, last error                     */
/* ------------------------------------------------------------------------ */

typedef struct parchunk_ctx parchunk_ctx;

/* Bounds of the settings (enumerators so that ABI-mode bindings see them). */
enum {
    PARCHUNK_THREADS_MAX = 1024,       /* largest explicit thread count */
    PARCHUNK_CHUNK_SIZE_MAX = 1 << 30, /* largest explicit chunk size, in items */
    PARCHUNK_DEFAULT_CHUNK_SIZE = 16384, /* items per chunk when the setting is 0 */
    PARCHUNK_DEFAULT_SERIAL_CUTOFF = 32768 /* items; see parchunk_ctx_set_serial_cutoff */
};

/*
 * parchunk_ctx_new() - allocate a context with default settings (threads 0 =
 * default, chunk size 0 = default, serial cutoff default), not cancelled, no
 * progress, empty last error.
 *
 * out: receives the new context; the caller frees it with parchunk_ctx_free().
 * Returns PARCHUNK_OK, PARCHUNK_ERR_NULL (out is NULL; nothing allocated) or
 * PARCHUNK_ERR_NOMEM (*out untouched).
 */
PARCHUNK_API parchunk_status parchunk_ctx_new(parchunk_ctx **out);

/*
 * parchunk_ctx_free() - free a context. NULL is a no-op. The context must not
 * be running a call.
 */
PARCHUNK_API void parchunk_ctx_free(parchunk_ctx *ctx);

/*
 * parchunk_ctx_set_threads() - the number of threads calls on ctx may use.
 * 0 means the process default: $PARCHUNK_NUM_THREADS if it is a positive
 * integer, else $OMP_NUM_THREADS (its first entry) if it is a positive
 * integer, else the number of CPUs in the process's affinity mask. The
 * environment is read once, at the first call that needs it. An explicit
 * setting on a ctx always wins over the environment.
 *
 * Returns PARCHUNK_OK, PARCHUNK_ERR_NULL (ctx is NULL) or PARCHUNK_ERR_ARG
 * (nthreads < 0 or > PARCHUNK_THREADS_MAX); on error the setting is unchanged.
 */
PARCHUNK_API parchunk_status parchunk_ctx_set_threads(parchunk_ctx *ctx, int nthreads);

/*
 * parchunk_ctx_get_threads() - the number of threads a call on ctx would use
 * now (the process default resolved when the setting is 0). With ctx NULL,
 * the process default. Always >= 1.
 */
PARCHUNK_API int parchunk_ctx_get_threads(const parchunk_ctx *ctx);

/*
 * parchunk_ctx_set_chunk_size() - the number of items (array elements, bytes
 * of a file, rows of an image: each function says) per chunk. 0 restores the
 * default (PARCHUNK_DEFAULT_CHUNK_SIZE for array kernels; functions with other
 * defaults say so). Results depend on the chunk size only where a function
 * says so (floating-point sums: the summation order follows the chunks).
 *
 * Returns PARCHUNK_OK, PARCHUNK_ERR_NULL or PARCHUNK_ERR_ARG (chunk_size >
 * PARCHUNK_CHUNK_SIZE_MAX); on error the setting is unchanged.
 */
PARCHUNK_API parchunk_status parchunk_ctx_set_chunk_size(parchunk_ctx *ctx, size_t chunk_size);

/*
 * parchunk_ctx_get_chunk_size() - the chunk-size setting of ctx (0 = default).
 * With ctx NULL, 0.
 */
PARCHUNK_API size_t parchunk_ctx_get_chunk_size(const parchunk_ctx *ctx);

/*
 * parchunk_ctx_set_serial_cutoff() - calls on fewer than cutoff items run on
 * the calling thread and enter no parallel region (threads do not pay for
 * small inputs). Any value is valid: 0 lets every multi-chunk call go
 * parallel; SIZE_MAX makes every call serial. The cutoff never changes a
 * result, only who computes it.
 *
 * Returns PARCHUNK_OK or PARCHUNK_ERR_NULL.
 */
PARCHUNK_API parchunk_status parchunk_ctx_set_serial_cutoff(parchunk_ctx *ctx, size_t cutoff);

/*
 * parchunk_ctx_get_serial_cutoff() - the serial cutoff of ctx; with ctx NULL,
 * PARCHUNK_DEFAULT_SERIAL_CUTOFF.
 */
PARCHUNK_API size_t parchunk_ctx_get_serial_cutoff(const parchunk_ctx *ctx);

/*
 * parchunk_ctx_cancel() - ask the call running on ctx to stop. Safe to call
 * from any thread at any time, including while a call runs on ctx. The
 * running call stops before its next chunk and returns PARCHUNK_ERR_CANCELLED
 * with its outputs untouched. The flag is sticky: every later call on ctx
 * returns PARCHUNK_ERR_CANCELLED at once until parchunk_ctx_clear_cancel().
 * NULL is a no-op.
 */
PARCHUNK_API void parchunk_ctx_cancel(parchunk_ctx *ctx);

/*
 * parchunk_ctx_clear_cancel() - clear the cancel flag of ctx. NULL is a no-op.
 * Must not race with a call running on ctx.
 */
PARCHUNK_API void parchunk_ctx_clear_cancel(parchunk_ctx *ctx);

/*
 * parchunk_ctx_progress() - progress of the call running on ctx (or of the
 * last call, once it has returned): *done of *total items are finished.
 * Items are the units of the call (elements, bytes, rows; each function
 * says). Safe to call from any thread while a call runs; done only grows
 * during a call and equals total when a call succeeded. Either out pointer
 * may be NULL.
 *
 * Returns PARCHUNK_OK or PARCHUNK_ERR_NULL (ctx is NULL).
 */
PARCHUNK_API parchunk_status parchunk_ctx_progress(const parchunk_ctx *ctx, uint64_t *done,
                                                   uint64_t *total);

/*
 * parchunk_ctx_last_error() - a NUL-terminated English detail of the last
 * failed call on ctx (e.g. "data is NULL but n is 5"), "" when the last call
 * succeeded or none was made. The text stays valid until the next call on
 * ctx. With ctx NULL, returns "". Never NULL.
 */
PARCHUNK_API const char *parchunk_ctx_last_error(const parchunk_ctx *ctx);

/* ------------------------------------------------------------------------ */
/* Reductions                                                                */
/* ------------------------------------------------------------------------ */
/*
 * Common to the reductions: data/n/dtype as in the general rules, any of the
 * ten dtypes. Items for progress are elements. Each returns, besides what it
 * lists: PARCHUNK_ERR_NULL (data NULL with n > 0, or an out pointer NULL),
 * PARCHUNK_ERR_DTYPE (unknown dtype), PARCHUNK_ERR_CANCELLED, PARCHUNK_ERR_BUSY,
 * PARCHUNK_ERR_NOMEM.
 *
 * Floating-point semantics: float32 input is accumulated in double. Inside a
 * chunk, sums are pairwise over blocks (error O(log n) ulps, like NumPy's);
 * chunk results are merged along a fixed binary tree over chunk indices. A
 * NaN anywhere makes the result NaN, as in NumPy; inf + -inf is NaN.
 */

/*
 * parchunk_sum() - the sum of the n elements, as a double. For integer dtypes
 * the sum is exact (128-bit accumulation) and then rounded once to the
 * nearest double. n == 0 gives 0.0.
 */
PARCHUNK_API parchunk_status parchunk_sum(parchunk_ctx *ctx, const void *data, size_t n,
                                          parchunk_dtype dtype, double *out);

/*
 * parchunk_sum_int() - the exact sum of n integer elements as a 128-bit two's
 * complement value: sum = hi * 2^64 + lo (hi signed, lo unsigned). The sum of
 * any array that fits in memory fits in 128 bits, so this never overflows.
 * n == 0 gives hi = lo = 0.
 *
 * Also returns PARCHUNK_ERR_DTYPE for float32/float64.
 */
PARCHUNK_API parchunk_status parchunk_sum_int(parchunk_ctx *ctx, const void *data, size_t n,
                                              parchunk_dtype dtype, int64_t *hi, uint64_t *lo);

/*
 * parchunk_sum_i64() - the exact sum of n integer elements as an int64_t.
 * Also returns PARCHUNK_ERR_OVERFLOW when the exact sum is outside the int64
 * range (never a silent wrap), PARCHUNK_ERR_DTYPE for float dtypes.
 */
PARCHUNK_API parchunk_status parchunk_sum_i64(parchunk_ctx *ctx, const void *data, size_t n,
                                              parchunk_dtype dtype, int64_t *out);

/*
 * parchunk_mean() - the arithmetic mean as a double: sum / n with the sum as
 * in parchunk_sum() (for integers: the exact sum, converted to double, then
 * divided; correctly rounded whenever |sum| < 2^53).
 * Also returns PARCHUNK_ERR_EMPTY when n == 0.
 */
PARCHUNK_API parchunk_status parchunk_mean(parchunk_ctx *ctx, const void *data, size_t n,
                                           parchunk_dtype dtype, double *out);

/*
 * parchunk_min(), parchunk_max() - the smallest / largest element, written to
 * out as ONE element of dtype (out must hold parchunk_dtype_size(dtype)
 * bytes, any alignment). Floats: a NaN anywhere gives NaN (as numpy.min);
 * when -0.0 and +0.0 tie for the result, which one is returned is not
 * specified (but, like every result, independent of the thread count).
 * Also returns PARCHUNK_ERR_EMPTY when n == 0.
 */
PARCHUNK_API parchunk_status parchunk_min(parchunk_ctx *ctx, const void *data, size_t n,
                                          parchunk_dtype dtype, void *out);
PARCHUNK_API parchunk_status parchunk_max(parchunk_ctx *ctx, const void *data, size_t n,
                                          parchunk_dtype dtype, void *out);

/*
 * parchunk_mean_abs_dev() - the mean absolute deviation from a given center:
 * (1/n) * sum |x[i] - center|, each term computed in double (integers are
 * converted to double first, exactly up to 2^53), summed as in parchunk_sum().
 * A NaN center or element gives NaN.
 * Also returns PARCHUNK_ERR_EMPTY when n == 0.
 */
PARCHUNK_API parchunk_status parchunk_mean_abs_dev(parchunk_ctx *ctx, const void *data, size_t n,
                                                   parchunk_dtype dtype, double center,
                                                   double *out);

/* ------------------------------------------------------------------------ */
/* Statistics: var/std/stats, argmin/argmax, dot, count_nonzero, histogram,  */
/* exact sums, mergeable partial states                                       */
/* ------------------------------------------------------------------------ */

/* (end of statistics) */


/* ------------------------------------------------------------------------ */
/* Exact sums and histograms                                                 */
/* ------------------------------------------------------------------------ */

/* (end of exact sums and histograms) */


/* ------------------------------------------------------------------------ */
/* Scans                                                                     */
/* ------------------------------------------------------------------------ */

/* (end of scans) */


/* ------------------------------------------------------------------------ */
/* Sorting                                                                   */
/* ------------------------------------------------------------------------ */

/* (end of sorting) */


/* ------------------------------------------------------------------------ */
/* Random numbers                                                            */
/* ------------------------------------------------------------------------ */

/* (end of random numbers) */


/* ------------------------------------------------------------------------ */
/* Files and byte streams                                                    */
/* ------------------------------------------------------------------------ */

/*
 * Common to the functions of this section. Each comes in two forms:
 * parchunk_file_X(ctx, path, ...) reads the file at path with pread() in
 * chunks (never mmap: a file truncated during the call gives an error, not
 * a crash), parchunk_bytes_X(ctx, data, size, ...) works on size bytes at
 * data (data may be NULL when size is 0). Results are identical for the two
 * forms, for any thread count and any chunk size.
 *
 * Items for progress and for the chunk size are bytes. The default chunk
 * size of this section is 1 MiB (a ctx setting overrides it). Memory used
 * besides the result is bounded by threads x (chunk size + a line or a
 * needle) whatever the file size.
 *
 * Each returns, besides what it lists: PARCHUNK_ERR_NULL (path, data with
 * size > 0, or an out pointer NULL), PARCHUNK_ERR_CANCELLED, PARCHUNK_ERR_BUSY,
 * PARCHUNK_ERR_NOMEM; the file forms also PARCHUNK_ERR_IO (cannot open or
 * read path: missing, a directory, no permission, not a regular file) and
 * PARCHUNK_ERR_CHANGED (the file became shorter while it was read).
 * For PARCHUNK_ERR_IO, parchunk_ctx_last_error() starts with "errno=N: "
 * where N is the C errno value (decimal), followed by strerror's text and
 * the path in single quotes, e.g. "errno=2: No such file or directory:
 * cannot open: 'data.csv'". Bindings parse N to raise the matching OSError.
 */

/*
 * parchunk_file_count_lines(), parchunk_bytes_count_lines() - the number of
 * '\n' bytes (what `wc -l` prints; a last line without '\n' is not counted).
 */
PARCHUNK_API parchunk_status parchunk_file_count_lines(parchunk_ctx *ctx, const char *path,
                                                       uint64_t *out);
PARCHUNK_API parchunk_status parchunk_bytes_count_lines(parchunk_ctx *ctx, const void *data,
                                                        size_t size, uint64_t *out);

/*
 * parchunk_file_count(), parchunk_bytes_count() - the number of
 * non-overlapping occurrences of needle[0, needle_len) found greedily from
 * the left, i.e. Python's data.count(needle), whatever the chunk boundaries
 * (needles straddling chunks and needles longer than a chunk included).
 * Also returns PARCHUNK_ERR_ARG when needle_len is 0 (Python would return
 * size + 1, which is not a count of occurrences), PARCHUNK_ERR_NULL when
 * needle is NULL. Self-overlapping needles on periodic data (e.g. "aaa" in
 * a run of 'a') may cost a serial rescan of the affected chunks.
 */
PARCHUNK_API parchunk_status parchunk_file_count(parchunk_ctx *ctx, const char *path,
                                                 const void *needle, size_t needle_len,
                                                 uint64_t *out);
PARCHUNK_API parchunk_status parchunk_bytes_count(parchunk_ctx *ctx, const void *data, size_t size,
                                                  const void *needle, size_t needle_len,
                                                  uint64_t *out);

/*
 * parchunk_file_byte_histogram(), parchunk_bytes_byte_histogram() - out[v]
 * = the number of bytes equal to v, for v in 0..255. out holds 256 int64.
 */
PARCHUNK_API parchunk_status parchunk_file_byte_histogram(parchunk_ctx *ctx, const char *path,
                                                          int64_t *out);
PARCHUNK_API parchunk_status parchunk_bytes_byte_histogram(parchunk_ctx *ctx, const void *data,
                                                           size_t size, int64_t *out);

/*
 * parchunk_file_crc32(), parchunk_bytes_crc32() - zlib's CRC-32 of the bytes
 * continuing from value: *out = zlib.crc32(data, value) (value 0 starts a
 * new CRC; crc32("123456789", 0) = 0xCBF43926). Chunks are computed in
 * parallel and joined with zlib's crc32_combine. Uses carry-less
 * multiplication (PCLMULQDQ) when the CPU has it, else a portable table
 * loop; both give the same result.
 */
PARCHUNK_API parchunk_status parchunk_file_crc32(parchunk_ctx *ctx, const char *path,
                                                 uint32_t value, uint32_t *out);
PARCHUNK_API parchunk_status parchunk_bytes_crc32(parchunk_ctx *ctx, const void *data, size_t size,
                                                  uint32_t value, uint32_t *out);

/*
 * parchunk_table - a rows x cols array of numbers returned by
 * parchunk_*_read_numbers(), row-major, C-contiguous, of dtype
 * parchunk_table_dtype(). The caller frees it with parchunk_table_free()
 * (NULL is a no-op). A table is immutable; its accessors are thread-safe.
 * parchunk_table_data() is valid until parchunk_table_free() and may be
 * NULL when rows * cols == 0.
 */
typedef struct parchunk_table parchunk_table;
PARCHUNK_API size_t parchunk_table_rows(const parchunk_table *table);
PARCHUNK_API size_t parchunk_table_cols(const parchunk_table *table);
PARCHUNK_API parchunk_dtype parchunk_table_dtype(const parchunk_table *table);
PARCHUNK_API const void *parchunk_table_data(const parchunk_table *table);
PARCHUNK_API void parchunk_table_free(parchunk_table *table);

/*
 * parchunk_file_read_numbers(), parchunk_bytes_read_numbers() - parse
 * delimited numbers into a new table, in parallel (chunks are cut at line
 * boundaries: a chunk owns the lines that start in it).
 *
 * Lines end with '\n' (an optional '\r' before it is dropped); the last
 * line needs no '\n'. The first skip_rows lines are skipped unread. On every
 * other line, everything from the comment byte on is ignored (comment -1:
 * no comments); a line that is then empty or only blanks (space, \t, \v,
 * \f, \r) is skipped; every other line is a row. Fields are separated by
 * every single delimiter byte (two delimiters in a row enclose an empty
 * field). The first row fixes the number of fields; a row with another
 * number gives PARCHUNK_ERR_SHAPE.
 *
 * delimiter: a byte 1..255 that is not a letter, digit, '+', '-', '.',
 * '\n' or '\r'. comment: -1 or such a byte, different from delimiter.
 * usecols: NULL (n_usecols 0) for every field, else n_usecols distinct
 * field indices (negative ones count from the end, as in Python); the
 * table's columns are those fields in usecols' order.
 * dtype: PARCHUNK_FLOAT64, PARCHUNK_FLOAT32 or PARCHUNK_INT64.
 *
 * Floats: each field, stripped of blanks, must match Python's float()
 * grammar (sign, digits, '.', exponent, "inf", "infinity", "nan" in any
 * case; no underscores, no hex) and gets the correctly rounded value, equal
 * to float(field) (FLOAT32: the float nearest the decimal value, like
 * numpy.float32(str) on glibc). An empty or blank field gives NaN.
 * INT64: [sign] digits, exact; an empty field is a parse error.
 *
 * out: receives the new table (*out untouched on error). With no row, a
 * 0 x ncols table (ncols = n_usecols, else 0).
 *
 * Also returns PARCHUNK_ERR_DTYPE (another dtype), PARCHUNK_ERR_ARG (bad
 * delimiter/comment, usecols out of range or repeated), PARCHUNK_ERR_PARSE
 * (a malformed field, an empty INT64 field), PARCHUNK_ERR_OVERFLOW (an
 * integer outside int64), PARCHUNK_ERR_SHAPE (ragged rows),
 * PARCHUNK_ERR_CHANGED (also when the input's lines changed between the two
 * passes: a file rewritten in place, a buffer written by another thread). Errors about the
 * data name the place in last_error as "line L, column C: ..." (L counts
 * from 1 at the first line of the input, skipped lines included; C from 1).
 * When several rows are bad, the first one is reported, for any thread
 * count. Items for progress: bytes, counted twice (two passes).
 */
PARCHUNK_API parchunk_status parchunk_file_read_numbers(parchunk_ctx *ctx, const char *path,
                                                        int delimiter, size_t skip_rows,
                                                        const int64_t *usecols, size_t n_usecols,
                                                        int comment, parchunk_dtype dtype,
                                                        parchunk_table **out);
PARCHUNK_API parchunk_status parchunk_bytes_read_numbers(parchunk_ctx *ctx, const void *data,
                                                         size_t size, int delimiter,
                                                         size_t skip_rows, const int64_t *usecols,
                                                         size_t n_usecols, int comment,
                                                         parchunk_dtype dtype,
                                                         parchunk_table **out);

/* (end of files and byte streams) */


/* ------------------------------------------------------------------------ */
/* Images                                                                    */
/* ------------------------------------------------------------------------ */

/* (end of images) */


/* ------------------------------------------------------------------------ */
/* Models                                                                    */
/* ------------------------------------------------------------------------ */

/* (end of models) */

#ifdef __cplusplus
}
#endif

#endif /* PARCHUNK_H */
