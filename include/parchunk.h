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
 *  - Typed arrays, inputs and outputs, must be aligned to their element size
 *    (as malloc, C arrays and NumPy's own arrays are): the kernels access
 *    them through typed pointers. A misaligned one returns PARCHUNK_ERR_ARG
 *    naming it; nothing is read or written. Byte data (uint8 arrays, file
 *    bytes) and partial-state buffers may have any alignment.
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
 * Integer dtypes of up to 32 bits with an integral center in the 32-bit range
 * of the data (int32 for the signed and the 8/16-bit types, uint32 for
 * uint32) sum the terms exactly in integers, rounded once per chunk: the
 * result is then the correctly rounded mean whenever the sum is below 2^53.
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

/*
 * Common to this section: arrays, statuses and threading as for the
 * reductions above (data/n/dtype, any of the ten dtypes unless a function
 * says otherwise; each function also returns PARCHUNK_ERR_NULL,
 * PARCHUNK_ERR_DTYPE, PARCHUNK_ERR_CANCELLED, PARCHUNK_ERR_BUSY and
 * PARCHUNK_ERR_NOMEM as described there). Items for progress are elements.
 * Results are bit-identical for any thread count; float results depend on
 * the chunk size (the order of the additions follows the chunks).
 *
 * Variance: each chunk is cut into cache-resident blocks; a block is read
 * twice (its mean, then the squared deviations from it: the stable two-pass
 * method, at the memory cost of one pass), and block and chunk states
 * (count, mean, M2) are merged with Chan et al.'s formulas, in the engine's
 * fixed order. Means are carried in double-double precision, so data with a
 * large common offset (1e9 + noise) keeps ~1e-15 relative accuracy where a
 * one-pass sum-of-squares formula loses every digit. Integers are converted
 * to double (exact below 2^53); their sums are exact (128-bit).
 *
 * NaN: the plain functions propagate NaN (a NaN element makes the result
 * NaN; argmin/argmax return the index of the first NaN, as NumPy). The nan*
 * functions and PARCHUNK_SKIPNA ignore NaN elements, with NumPy's nan*
 * semantics: nansum of no numbers is 0; nanmean, nanvar, nanstd, nanmin,
 * nanmax of an input whose elements are all NaN give NaN (NumPy also
 * returns NaN there, with a RuntimeWarning; the Python wrappers warn the
 * same way). An input with n == 0 is PARCHUNK_ERR_EMPTY, as for
 * parchunk_mean. For integer dtypes skipping NaN changes nothing.
 *
 * ddof ("delta degrees of freedom"): var = M2 / (count - ddof), as NumPy.
 * ddof < 0 is PARCHUNK_ERR_ARG. Where NumPy returns NaN or inf with a
 * warning because count - ddof <= 0, the plain functions return
 * PARCHUNK_ERR_ARG (n <= ddof is a caller error: it depends on n only),
 * while the NaN-skipping ones return NaN (there it depends on the data).
 *
 * ---- Mergeable partial states (the pattern for every reduction) --------
 *
 * A reduction is a monoid over states: parchunk_partial() reduces one piece
 * of the data to a state of PARCHUNK_PARTIAL_STATE_SIZE bytes with the
 * documented layout below; parchunk_partial_merge() combines the states of
 * two adjacent pieces (left's elements come first); parchunk_partial_finalize()
 * turns a state into the value. The states are what the engine merges
 * between chunks, so the partials of a split, merged in order, give the
 * one-call result: bit-identical for integer sums, counts, min, max, argmin
 * and argmax; for float sums and moments within rounding (the additions are
 * grouped differently; variance agrees to ~1e-15 relative). A state is plain
 * bytes (no pointers, little-endian whatever the host), so it can be stored,
 * pickled, or sent to another process or machine and merged there.
 * Other families (exact sums, histograms) follow the same pattern: a
 * `<family>_partial` producing a self-describing state that starts with the
 * same 8-byte header (magic "PCPS", layout version, op, dtype, flags), a
 * `_merge` that refuses states of another op, dtype or flags, and a
 * `_finalize`; op numbers 1..63 belong to this section, 64..127 are reserved
 * for exact sums and histograms.
 *
 * State layout, version 1 (offsets in bytes; integers little-endian; f64 =
 * IEEE-754 binary64 little-endian; fields an op does not use are zero):
 *    0  4  magic: the bytes 'P' 'C' 'P' 'S'
 *    4  1  layout version: PARCHUNK_PARTIAL_VERSION
 *    5  1  op: a parchunk_op
 *    6  1  dtype: a parchunk_dtype
 *    7  1  flags: 0 or PARCHUNK_SKIPNA
 *    8  8  n (u64): elements covered by the state, NaNs included
 *   16  8  count (u64): elements counted: the non-NaN ones with SKIPNA, the
 *          nonzero ones for COUNT_NONZERO, else n
 *   24  8  sum (f64): float dtypes, SUM/MEAN/VAR/STD/STATS: the sum of the
 *          counted elements
 *   32 16  isum: integer dtypes, SUM/MEAN/VAR/STD/STATS: the exact sum as a
 *          128-bit two's complement integer (low u64 at 32, high i64 at 40)
 *   48  8  mean_hi (f64) \ VAR/STD/STATS: the mean of the counted elements
 *   56  8  mean_lo (f64) /   is mean_hi + mean_lo
 *   64  8  m2 (f64): VAR/STD/STATS: sum of squared deviations from the mean
 *   72  8  min: MIN, STATS (smallest), ARGMIN (value at index): one element
 *          of dtype, little-endian, zero-padded to 8 bytes; meaningless
 *          while count == 0
 *   80  8  max: MAX, STATS, ARGMAX: as min
 *   88  8  index (i64): ARGMIN/ARGMAX: position of the extreme counted from
 *          the first element the state covers; -1 when there is none
 *   96 32  reserved, zero
 */

/* The operations of the generic entry points (values are fixed). */
typedef enum parchunk_op {
    PARCHUNK_OP_SUM = 1,   /* double: as parchunk_sum (parchunk_nansum with SKIPNA) */
    PARCHUNK_OP_MEAN = 2,  /* double: as parchunk_mean / parchunk_nanmean */
    PARCHUNK_OP_MIN = 3,   /* one element of dtype: as parchunk_min / parchunk_nanmin */
    PARCHUNK_OP_MAX = 4,   /* one element of dtype: as parchunk_max / parchunk_nanmax */
    PARCHUNK_OP_VAR = 5,   /* double: as parchunk_var / parchunk_nanvar */
    PARCHUNK_OP_STD = 6,   /* double: as parchunk_std / parchunk_nanstd */
    PARCHUNK_OP_STATS = 7, /* parchunk_stats_result: as parchunk_stats */
    PARCHUNK_OP_COUNT_NONZERO = 8, /* int64_t: as parchunk_count_nonzero */
    PARCHUNK_OP_ARGMIN = 9,        /* int64_t: as parchunk_argmin (SKIPNA: nanargmin) */
    PARCHUNK_OP_ARGMAX = 10        /* int64_t: as parchunk_argmax (SKIPNA: nanargmax) */
} parchunk_op;

enum {
    PARCHUNK_SKIPNA = 1,                /* flag: ignore NaN elements */
    PARCHUNK_PARTIAL_STATE_SIZE = 128,  /* bytes of a partial state */
    PARCHUNK_PARTIAL_VERSION = 1        /* layout version written at offset 4 */
};

/* The result of parchunk_stats(), written through a pointer. */
typedef struct parchunk_stats_result {
    int64_t count; /* elements (non-NaN ones when NaNs are skipped) */
    double sum;    /* as parchunk_sum (integers: exact, rounded once) */
    double mean;   /* sum / count, as parchunk_mean */
    double var;    /* population variance (ddof 0), as parchunk_var */
    double min;    /* smallest element, converted to double */
    double max;    /* largest element, converted to double */
} parchunk_stats_result;

/*
 * parchunk_var(), parchunk_std() - the variance M2 / (n - ddof) and its
 * square root, as numpy.var / numpy.std (see the section notes for the
 * method and accuracy). A NaN element, or an inf, gives NaN.
 * Also returns PARCHUNK_ERR_EMPTY (n == 0), PARCHUNK_ERR_ARG (ddof < 0, or
 * n <= ddof).
 */
PARCHUNK_API parchunk_status parchunk_var(parchunk_ctx *ctx, const void *data, size_t n,
                                          parchunk_dtype dtype, int64_t ddof, double *out);
PARCHUNK_API parchunk_status parchunk_std(parchunk_ctx *ctx, const void *data, size_t n,
                                          parchunk_dtype dtype, int64_t ddof, double *out);

/*
 * parchunk_stats() - count, sum, mean, variance (ddof 0), min and max in one
 * read of the data. sum and mean are bit-identical to parchunk_sum and
 * parchunk_mean, var to parchunk_var(ddof 0) (same chunk size). min/max are
 * converted to double (int64/uint64 beyond 2^53 round). NaN anywhere makes
 * sum, mean, var, min and max NaN.
 * out: one parchunk_stats_result, written only on success.
 * Also returns PARCHUNK_ERR_EMPTY when n == 0.
 */
PARCHUNK_API parchunk_status parchunk_stats(parchunk_ctx *ctx, const void *data, size_t n,
                                            parchunk_dtype dtype, parchunk_stats_result *out);

/*
 * parchunk_argmin(), parchunk_argmax() - the index (0-based) of the first
 * smallest / largest element, as numpy.argmin / argmax: ties go to the
 * first occurrence (-0.0 and +0.0 tie); a NaN counts as the extreme, so the
 * index of the first NaN is returned when there is one.
 * Also returns PARCHUNK_ERR_EMPTY when n == 0.
 */
PARCHUNK_API parchunk_status parchunk_argmin(parchunk_ctx *ctx, const void *data, size_t n,
                                             parchunk_dtype dtype, int64_t *out);
PARCHUNK_API parchunk_status parchunk_argmax(parchunk_ctx *ctx, const void *data, size_t n,
                                             parchunk_dtype dtype, int64_t *out);

/*
 * parchunk_count_nonzero() - the number of elements that are not zero, as
 * numpy.count_nonzero: NaN counts, -0.0 does not. n == 0 gives 0.
 */
PARCHUNK_API parchunk_status parchunk_count_nonzero(parchunk_ctx *ctx, const void *data, size_t n,
                                                    parchunk_dtype dtype, int64_t *out);

/*
 * parchunk_dot() - sum of x[i] * y[i] over i < n, as a double. x and y are
 * n elements each of the same dtype (either may be NULL only when n == 0).
 * float32/float64: each product in double, pairwise sum as parchunk_sum
 * (NaN/inf as IEEE arithmetic gives). int8..int32 and uint8..uint32: the
 * exact sum of the exact products, rounded once to double (NumPy instead
 * returns an integer that wraps on overflow). int64/uint64: products and
 * sum in double (not exact beyond 2^53). n == 0 gives 0.0.
 */
PARCHUNK_API parchunk_status parchunk_dot(parchunk_ctx *ctx, const void *x, const void *y,
                                          size_t n, parchunk_dtype dtype, double *out);

/*
 * parchunk_nansum(), parchunk_nanmean(), parchunk_nanmin(), parchunk_nanmax(),
 * parchunk_nanvar(), parchunk_nanstd() - as parchunk_sum, parchunk_mean,
 * parchunk_min, parchunk_max, parchunk_var, parchunk_std, ignoring NaN
 * elements (numpy.nansum ... numpy.nanstd). When every element is NaN:
 * nansum gives 0.0; the others give NaN (nanmin/nanmax write a NaN of
 * dtype). nanvar/nanstd give NaN when the non-NaN count is <= ddof.
 * For NaN-free input each equals its plain counterpart bit for bit.
 * Also returns PARCHUNK_ERR_EMPTY when n == 0 (except nansum: 0.0), and
 * PARCHUNK_ERR_ARG when ddof < 0.
 */
PARCHUNK_API parchunk_status parchunk_nansum(parchunk_ctx *ctx, const void *data, size_t n,
                                             parchunk_dtype dtype, double *out);
PARCHUNK_API parchunk_status parchunk_nanmean(parchunk_ctx *ctx, const void *data, size_t n,
                                              parchunk_dtype dtype, double *out);
PARCHUNK_API parchunk_status parchunk_nanmin(parchunk_ctx *ctx, const void *data, size_t n,
                                             parchunk_dtype dtype, void *out);
PARCHUNK_API parchunk_status parchunk_nanmax(parchunk_ctx *ctx, const void *data, size_t n,
                                             parchunk_dtype dtype, void *out);
PARCHUNK_API parchunk_status parchunk_nanvar(parchunk_ctx *ctx, const void *data, size_t n,
                                             parchunk_dtype dtype, int64_t ddof, double *out);
PARCHUNK_API parchunk_status parchunk_nanstd(parchunk_ctx *ctx, const void *data, size_t n,
                                             parchunk_dtype dtype, int64_t ddof, double *out);

/*
 * parchunk_reduce() - the generic one-call reduction: op over the n elements
 * with flags (0 or PARCHUNK_SKIPNA) and ddof (used by VAR and STD, ignored
 * otherwise). out receives the op's result type (see parchunk_op): a double,
 * one element of dtype, an int64_t or a parchunk_stats_result. Equivalent
 * to parchunk_partial() then parchunk_partial_finalize(), and to the named
 * function of the op. ARGMIN/ARGMAX with SKIPNA (nanargmin/nanargmax) return
 * PARCHUNK_ERR_EMPTY when every element is NaN, as NumPy raises.
 * Also returns PARCHUNK_ERR_ARG (unknown op, unknown flag bits, ddof < 0,
 * n <= ddof for VAR/STD without SKIPNA), PARCHUNK_ERR_EMPTY (n == 0 for
 * every op except SUM and COUNT_NONZERO).
 */
PARCHUNK_API parchunk_status parchunk_reduce(parchunk_ctx *ctx, parchunk_op op, const void *data,
                                             size_t n, parchunk_dtype dtype, int64_t ddof,
                                             uint32_t flags, void *out);

/*
 * parchunk_reduce_axis() - reduce a C-contiguous array viewed as
 * (outer, len, inner) along its middle axis: for o < outer, j < inner,
 * out[o * inner + j] = op over data[(o * len + k) * inner + j], k < len.
 * (numpy's axis=a of a shape s: outer = prod(s[:a]), len = s[a],
 * inner = prod(s[a+1:]).) op is SUM, MEAN, MIN, MAX, VAR or STD; flags 0
 * or PARCHUNK_SKIPNA; ddof for VAR/STD. out holds outer * inner results:
 * doubles, or elements of dtype for MIN/MAX; it must not overlap data.
 * Work runs in parallel over independent outputs. When inner == 1 each
 * output is bit-identical to the 1-D call (parchunk_reduce) on its row with
 * the same chunk size. When inner > 1 columns are reduced row by row: float
 * sums pairwise over blocks of rows, integer sums exact then rounded once
 * (as parchunk_sum), moments by blocks of rows merged with Chan's formulas;
 * these results do not depend on the chunk size either. Either way results
 * are identical for any thread count.
 * All-NaN slices with SKIPNA give NaN (0 for SUM), as the 1-D functions.
 * Items for progress are output values when outputs run in parallel, or
 * elements when few long rows are each reduced in parallel.
 * data may be NULL and out may be NULL only when outer * len * inner == 0
 * and outer * inner == 0 respectively.
 * Returns PARCHUNK_OK, PARCHUNK_ERR_NULL, PARCHUNK_ERR_DTYPE, PARCHUNK_ERR_ARG
 * (op not listed, unknown flags, ddof < 0, len <= ddof for VAR/STD without
 * SKIPNA, outer * len * inner overflows size_t), PARCHUNK_ERR_EMPTY (len == 0
 * for every op except SUM, which gives zeros), PARCHUNK_ERR_CANCELLED,
 * PARCHUNK_ERR_BUSY, PARCHUNK_ERR_NOMEM; out is untouched on error.
 */
PARCHUNK_API parchunk_status parchunk_reduce_axis(parchunk_ctx *ctx, parchunk_op op,
                                                  const void *data, size_t outer, size_t len,
                                                  size_t inner, parchunk_dtype dtype,
                                                  int64_t ddof, uint32_t flags, void *out);

/*
 * parchunk_partial() - reduce the n elements to a partial state of op (flags
 * 0 or PARCHUNK_SKIPNA), written to state (PARCHUNK_PARTIAL_STATE_SIZE
 * bytes, any alignment; layout in the section notes). n == 0 is valid (the
 * identity state). The state is the one-call reduction's own state: finalizing
 * it gives exactly what parchunk_reduce() gives.
 * Returns PARCHUNK_OK, PARCHUNK_ERR_NULL, PARCHUNK_ERR_DTYPE, PARCHUNK_ERR_ARG
 * (unknown op or flags), PARCHUNK_ERR_CANCELLED, PARCHUNK_ERR_BUSY,
 * PARCHUNK_ERR_NOMEM.
 */
PARCHUNK_API parchunk_status parchunk_partial(parchunk_ctx *ctx, parchunk_op op, const void *data,
                                              size_t n, parchunk_dtype dtype, uint32_t flags,
                                              void *state);

/*
 * parchunk_partial_merge() - out = the state of left's elements followed by
 * right's. out may be the same buffer as left or right. The states must
 * have the same op, dtype and flags. Merging is associative: any grouping
 * of the pieces, kept in order, gives the same exact results (sums of
 * floats and moments: within rounding). ctx only receives the error detail
 * (may be NULL). Thread-safe on distinct buffers.
 * Returns PARCHUNK_OK, PARCHUNK_ERR_NULL, PARCHUNK_ERR_ARG (a state is
 * malformed: wrong magic, version, op, dtype, flags, inconsistent fields
 * (count > n, an index outside the piece, a negative m2), a nonzero byte in
 * a field the op does not use or in the padding of min/max;
 * or the two states disagree on op, dtype or flags), PARCHUNK_ERR_OVERFLOW
 * (the element counts would exceed 2^63).
 */
PARCHUNK_API parchunk_status parchunk_partial_merge(parchunk_ctx *ctx, const void *left,
                                                    const void *right, void *out);

/*
 * parchunk_partial_finalize() - the value of a state: out receives the
 * state's op result type (see parchunk_op), ddof as in parchunk_reduce().
 * Same results and statuses as parchunk_reduce() on the covered elements
 * (n == 0 states: PARCHUNK_ERR_EMPTY except SUM and COUNT_NONZERO), plus
 * PARCHUNK_ERR_ARG for a malformed state. ctx as in parchunk_partial_merge.
 */
PARCHUNK_API parchunk_status parchunk_partial_finalize(parchunk_ctx *ctx, const void *state,
                                                       int64_t ddof, void *out);

/*
 * parchunk_partial_info() - validate a state and read its header: op, dtype,
 * flags and the number of elements n it covers. Any out pointer may be NULL.
 * Returns PARCHUNK_OK, PARCHUNK_ERR_NULL (state NULL) or PARCHUNK_ERR_ARG
 * (malformed). ctx as in parchunk_partial_merge.
 */
PARCHUNK_API parchunk_status parchunk_partial_info(parchunk_ctx *ctx, const void *state,
                                                   int32_t *op, int32_t *dtype, uint32_t *flags,
                                                   uint64_t *n);

/*
 * parchunk_partial_sum_int() - the exact sum held by a SUM or MEAN state of
 * an integer dtype, as parchunk_sum_int (hi * 2^64 + lo).
 * Returns PARCHUNK_OK, PARCHUNK_ERR_NULL, PARCHUNK_ERR_ARG (malformed, or
 * not a SUM/MEAN state), PARCHUNK_ERR_DTYPE (a float dtype).
 */
PARCHUNK_API parchunk_status parchunk_partial_sum_int(parchunk_ctx *ctx, const void *state,
                                                      int64_t *hi, uint64_t *lo);

/* (end of statistics) */


/* ------------------------------------------------------------------------ */
/* Exact sums and histograms                                                 */
/* ------------------------------------------------------------------------ */

/*
 * Exact sums. parchunk_sum_exact() and parchunk_mean_exact() return the
 * correctly rounded (to nearest, ties to even, subnormals included) value of
 * the exact real sum, or of the exact real quotient sum / n, of the n
 * elements: no rounding error at all before the single final rounding, for
 * any magnitudes, cancellation or order. For finite input the sum equals
 * Python's math.fsum() whenever math.fsum returns a finite value, and goes
 * further: an intermediate overflow never matters ([1e308, 1e308, -1e308]
 * gives 1e308; math.fsum raises OverflowError on some orders of it).
 *
 * Any of the ten dtypes (integers and float32 are converted exactly; the
 * integer results equal parchunk_sum()). Items for progress are elements.
 * The result depends on nothing but the multiset of elements: not on the
 * thread count, the chunk size, or how the data were split into partial
 * states (see below).
 *
 * inf and NaN follow math.fsum: +inf together with -inf anywhere gives
 * PARCHUNK_ERR_DOMAIN (even if a NaN is present too); otherwise a NaN gives
 * NaN; otherwise an infinity gives that infinity. An exact sum of zero is
 * +0.0 (also for [-0.0], as math.fsum).
 *
 * Each returns PARCHUNK_OK, PARCHUNK_ERR_NULL (data NULL with n > 0, out
 * NULL), PARCHUNK_ERR_DTYPE (unknown dtype), PARCHUNK_ERR_DOMAIN (+inf and
 * -inf), PARCHUNK_ERR_CANCELLED, PARCHUNK_ERR_BUSY, PARCHUNK_ERR_NOMEM, and:
 *
 * parchunk_sum_exact(): PARCHUNK_ERR_OVERFLOW when the correctly rounded
 * exact sum is beyond the double range (|sum| >= 2^1024 - 2^970). n == 0
 * gives 0.0.
 *
 * parchunk_mean_exact(): PARCHUNK_ERR_EMPTY when n == 0. The mean is never
 * rounded twice (sum, then quotient): the exact sum is divided by n with a
 * long division carrying 128 extra bits and a sticky remainder, which is
 * exact for rounding purposes (see lib/kernels/exact/xround.c). It cannot
 * overflow.
 *
 * Method: a superaccumulator per chunk (Neal's small superaccumulator: the
 * exact sum as 67 limbs of 32 bits, lazy carries), merged exactly; cost is a
 * small constant per element (see bench/results/exact_hist.md).
 */
PARCHUNK_API parchunk_status parchunk_sum_exact(parchunk_ctx *ctx, const void *data, size_t n,
                                                parchunk_dtype dtype, double *out);
PARCHUNK_API parchunk_status parchunk_mean_exact(parchunk_ctx *ctx, const void *data, size_t n,
                                                 parchunk_dtype dtype, double *out);

/*
 * Partial states of the exact sum: summarise parts of the data anywhere
 * (other threads, processes, machines), merge the states in any order and
 * grouping, finalize: the result is bit-identical to one
 * parchunk_sum_exact() / parchunk_mean_exact() call over all the data.
 *
 * A state is PARCHUNK_EXACT_STATE_SIZE bytes, any alignment, owned by the
 * caller, in native byte order (little-endian on every platform parchunk
 * builds for today):
 *   offset  0  uint32  magic 0x53584350 (the bytes "PCXS" little-endian)
 *   offset  4  uint32  flags: 1 = a NaN was seen, 2 = +inf, 4 = -inf
 *   offset  8  uint64  count of elements
 *   offset 16  int64   limb[67]; the exact sum of the finite elements is
 *                      sum over k of limb[k] * 2^(32k - 1075), with limbs
 *                      0..65 in [0, 2^32) and limb 66 signed (canonical:
 *                      equal sums have equal limbs).
 * The states of two equal multisets of elements are byte-identical.
 */
enum { PARCHUNK_EXACT_STATE_SIZE = 552 };

/*
 * parchunk_sum_exact_partial() - write the state of the n elements to state
 * (PARCHUNK_EXACT_STATE_SIZE bytes). n == 0 gives the empty state (count 0).
 * Returns as parchunk_sum_exact() minus OVERFLOW and DOMAIN (those are
 * decided at finalize); PARCHUNK_ERR_NULL when state is NULL.
 */
PARCHUNK_API parchunk_status parchunk_sum_exact_partial(parchunk_ctx *ctx, const void *data,
                                                        size_t n, parchunk_dtype dtype,
                                                        void *state);

/*
 * parchunk_sum_exact_merge() - out = the state of the union of the elements
 * of states a and b. out may be the same buffer as a or b. ctx (may be NULL)
 * only receives the error detail.
 * Returns PARCHUNK_OK, PARCHUNK_ERR_NULL (a, b or out NULL), PARCHUNK_ERR_ARG
 * (a or b is not a valid state: magic, flags or limbs out of range),
 * PARCHUNK_ERR_OVERFLOW (the element count would exceed 2^64 - 1).
 * Thread-safe for distinct out buffers.
 */
PARCHUNK_API parchunk_status parchunk_sum_exact_merge(parchunk_ctx *ctx, const void *a,
                                                      const void *b, void *out);

/*
 * parchunk_sum_exact_finalize(), parchunk_mean_exact_finalize() - the
 * correctly rounded sum / mean of a state, as parchunk_sum_exact() /
 * parchunk_mean_exact() would have returned for its elements.
 * parchunk_sum_exact_count() - the element count of a state.
 * Return PARCHUNK_OK, PARCHUNK_ERR_NULL (state or out NULL),
 * PARCHUNK_ERR_ARG (invalid state), and for the finalizers
 * PARCHUNK_ERR_DOMAIN (+inf and -inf), PARCHUNK_ERR_OVERFLOW (sum only),
 * PARCHUNK_ERR_EMPTY (mean of count 0). ctx (may be NULL) only receives the
 * error detail. Thread-safe.
 */
PARCHUNK_API parchunk_status parchunk_sum_exact_finalize(parchunk_ctx *ctx, const void *state,
                                                         double *out);
PARCHUNK_API parchunk_status parchunk_mean_exact_finalize(parchunk_ctx *ctx, const void *state,
                                                          double *out);
PARCHUNK_API parchunk_status parchunk_sum_exact_count(parchunk_ctx *ctx, const void *state,
                                                      uint64_t *count);

/*
 * Histograms with uniform bins, identical to numpy.histogram (NumPy 2.x):
 * the same bin edges (np.linspace), the same arithmetic for the bin of each
 * value (((x - lo) / (hi - lo)) * bins, truncated, then NumPy's one-step
 * correction against the edges), so the counts are the same int64 values
 * np.histogram(x, bins, range) returns. Rules as NumPy's: bin i holds
 * edges[i] <= x < edges[i + 1], the last bin also holds x == hi; values
 * outside [lo, hi] (and NaN) are ignored when the range is given; lo == hi
 * is widened to [lo - 0.5, hi + 0.5]. The arithmetic follows NumPy's types:
 * float64 for float64 and integer data (integers converted to float64 first,
 * as NumPy does), float32 for float32 data (the edges are float32 values,
 * returned exactly as doubles); lo and hi act as Python floats would.
 *
 * Any of the ten dtypes. Items for progress are elements (2n for
 * parchunk_histogram_auto: a min/max pass, then the counting pass). Chunk
 * size: parchunk_ctx_set_chunk_size, default 65536 items. Counts are exact
 * integers, so they depend on nothing but the data (no thread count, chunk
 * size or split). Memory: up to 16 MiB of private per-chunk counts (at least
 * one bins-sized array per thread), plus bins + 1 edges.
 *
 * Partial states: counts arrays of parts of the data, made with the SAME
 * dtype, bins, lo and hi (explicit range), add up elementwise to the counts
 * of all the data (parchunk_histogram_merge does it with an overflow check).
 * Histograms with a range from the data only merge when the ranges agree.
 *
 * Each returns PARCHUNK_OK, PARCHUNK_ERR_NULL (data NULL with n > 0, counts
 * or edges NULL where required), PARCHUNK_ERR_DTYPE (unknown dtype),
 * PARCHUNK_ERR_ARG (bins == 0 or bins > 2^40; lo > hi; "too many bins for
 * data range": the edges are not strictly increasing, as NumPy's ValueError),
 * PARCHUNK_ERR_DOMAIN (lo or hi not finite; range from the data: NaN or inf
 * in the data, NumPy's "autodetected range ... is not finite"; and the rare
 * case where NumPy's bin arithmetic overflows and NumPy fails with an
 * IndexError, e.g. a range wider than the largest double),
 * PARCHUNK_ERR_CANCELLED, PARCHUNK_ERR_BUSY, PARCHUNK_ERR_NOMEM. Outputs are
 * untouched on error.
 */

/*
 * parchunk_histogram() - counts[0..bins) = np.histogram(x, bins, range=(lo, hi))[0].
 */
PARCHUNK_API parchunk_status parchunk_histogram(parchunk_ctx *ctx, const void *data, size_t n,
                                                parchunk_dtype dtype, size_t bins, double lo,
                                                double hi, int64_t *counts);

/*
 * parchunk_histogram_auto() - the histogram with the range taken from the
 * data (np.histogram(x, bins)): [min, max], widened by 0.5 each side when
 * min == max, [0, 1] when n == 0. counts receives bins values; edges (bins
 * + 1 doubles) receives the edges used, or may be NULL.
 */
PARCHUNK_API parchunk_status parchunk_histogram_auto(parchunk_ctx *ctx, const void *data,
                                                     size_t n, parchunk_dtype dtype, size_t bins,
                                                     int64_t *counts, double *edges);

/*
 * parchunk_histogram_edges() - edges[0..bins] = np.histogram(x, bins,
 * range=(lo, hi))[1] for data x of dtype (float32 data: float32 values).
 * Statuses as parchunk_histogram(). ctx (may be NULL) only receives the error
 * detail. Thread-safe.
 */
PARCHUNK_API parchunk_status parchunk_histogram_edges(parchunk_ctx *ctx, parchunk_dtype dtype,
                                                      size_t bins, double lo, double hi,
                                                      double *edges);

/*
 * parchunk_histogram_merge() - out[i] = a[i] + b[i] for i < bins (out may be
 * a or b). Returns PARCHUNK_OK, PARCHUNK_ERR_NULL, PARCHUNK_ERR_ARG (a
 * negative count), PARCHUNK_ERR_OVERFLOW (a sum beyond int64; out untouched).
 */
PARCHUNK_API parchunk_status parchunk_histogram_merge(parchunk_ctx *ctx, size_t bins,
                                                      const int64_t *a, const int64_t *b,
                                                      int64_t *out);

/* (end of exact sums and histograms) */


/* ------------------------------------------------------------------------ */
/* Scans                                                                     */
/* ------------------------------------------------------------------------ */

/*
 * parchunk_cumsum() - the inclusive prefix sums of n elements:
 * out[i] = data[0] + ... + data[i], like numpy.cumsum.
 *
 * data/n/dtype: the input, any of the ten dtypes. out: n elements of
 * out_dtype, caller-owned, any contents on entry. out may be NULL only when
 * n == 0. Accepted (dtype -> out_dtype) pairs:
 *   float64 -> float64;  float32 -> float32 (what numpy.cumsum returns) or
 *   float64;  signed integers -> int64;  unsigned integers -> int64 or uint64
 *   (numpy.cumsum returns int64 for signed and uint64 for unsigned input).
 * Any other pair returns PARCHUNK_ERR_DTYPE.
 *
 * Aliasing: out == data (an in-place scan) is allowed when the two element
 * sizes are equal (float64 -> float64, float32 -> float32, int64/uint64 ->
 * int64/uint64). Any other overlap of out and data returns PARCHUNK_ERR_ARG.
 *
 * Integers are exact. If any prefix sum lies outside the range of out_dtype,
 * the call returns PARCHUNK_ERR_OVERFLOW (never a silent wrap as in NumPy)
 * and out is untouched: the range of every prefix is checked in a read-only
 * first pass, before anything is written.
 *
 * Floats are accumulated in double. The work is cut into chunks of the ctx
 * chunk size (items = elements, default PARCHUNK_DEFAULT_CHUNK_SIZE); each
 * chunk's total is summed, the totals are added up in chunk order to give
 * each chunk its starting offset, and each chunk is then scanned left to
 * right from its offset. Results are therefore bit-identical for any thread
 * count, depend on the chunk size, and differ from the strictly sequential
 * numpy.cumsum only by the rounding of the chunk offsets (a few ulps of the
 * running sum; equal to it when n fits in one chunk, for float64). A float32
 * output holds each double prefix rounded once to float32, which is closer to
 * the exact prefix than numpy's float32 accumulation. NaN and inf propagate
 * as in IEEE arithmetic.
 *
 * Progress counts 2 * n items (two passes over the elements). Cancellation
 * is honoured during the first, read-only pass; once writing has begun the
 * call runs to completion, so PARCHUNK_ERR_CANCELLED also means out is
 * untouched. Scratch memory: one 8-byte (float) or 48-byte (integer) summary
 * per chunk.
 *
 * Returns PARCHUNK_OK, PARCHUNK_ERR_NULL (data or out NULL with n > 0),
 * PARCHUNK_ERR_DTYPE (unknown dtype or pair not accepted), PARCHUNK_ERR_ARG
 * (forbidden overlap), PARCHUNK_ERR_OVERFLOW (integer prefix out of range),
 * PARCHUNK_ERR_CANCELLED, PARCHUNK_ERR_BUSY, PARCHUNK_ERR_NOMEM. On any error
 * out is untouched. Thread-safety: as the general rules.
 */
PARCHUNK_API parchunk_status parchunk_cumsum(parchunk_ctx *ctx, const void *data, size_t n,
                                             parchunk_dtype dtype, void *out,
                                             parchunk_dtype out_dtype);

/* (end of scans) */


/* ------------------------------------------------------------------------ */
/* Sorting                                                                   */
/* ------------------------------------------------------------------------ */

/*
 * Common to the sorts: data/n/dtype as in the general rules, any of the ten
 * dtypes. The sort order is NumPy's: integers by value; floats ascending with
 * -inf first and every NaN (whatever its sign or payload) last, after +inf.
 *
 * Both are parallel radix sorts over order-preserving integer keys. The
 * result is unique (see each function), so it never depends on the thread
 * count or the chunk size. Items for progress: 3 * n (three passes).
 *
 * Scratch memory, all allocated before anything is written
 * (PARCHUNK_ERR_NOMEM when it cannot be): about 1 MB of tables (up to 7 MB for
 * n >= 2^20 with clustered keys), up to ~700 KB of stack per thread, and a key
 * buffer of n keys (4 bytes for dtypes of up to 4 bytes, else 8) unless
 * parchunk_sort writes into a separate out whose elements are as wide as the
 * keys (int32, uint32, float32, 8-byte dtypes): then out itself serves. Keys
 * crowded into few buckets (e.g. many equal values) need up to n more keys.
 * parchunk_argsort also needs n * 8 bytes for indices.
 *
 * Cancellation is honoured during the first, read-only pass; once the output
 * is being written the call runs to completion, so every error status leaves
 * the output untouched.
 *
 * Each returns PARCHUNK_OK, PARCHUNK_ERR_NULL (data or the output NULL with
 * n > 0), PARCHUNK_ERR_DTYPE (unknown dtype), PARCHUNK_ERR_ARG (forbidden
 * overlap of the output with data; n too large to address),
 * PARCHUNK_ERR_NOMEM, PARCHUNK_ERR_CANCELLED or PARCHUNK_ERR_BUSY.
 * Thread-safety: as the general rules.
 */

/*
 * parchunk_sort() - the n elements in ascending order, written to out (n
 * elements of dtype, caller-owned). out == data sorts in place; any other
 * overlap of out and data returns PARCHUNK_ERR_ARG. out may be NULL only
 * when n == 0.
 *
 * The output is a permutation of the input bits (NaN payloads and signs
 * kept) equal to numpy.sort by value. Where NumPy's order is not unique we
 * fix one: -0.0 comes before +0.0, and the NaNs at the end are ordered
 * positive NaNs first (by ascending payload), then negative NaNs (by
 * descending payload).
 */
PARCHUNK_API parchunk_status parchunk_sort(parchunk_ctx *ctx, const void *data, size_t n,
                                           parchunk_dtype dtype, void *out);

/*
 * parchunk_argsort() - the stable sorting permutation: indices[k] is the
 * position in data of the k-th smallest element, and equal elements keep
 * their index order. Equal means equal for NumPy: -0.0 equals +0.0, and all
 * NaNs are equal (and last). The result is exactly
 * numpy.argsort(data, kind='stable'). indices: n int64 values, caller-owned,
 * must not overlap data (PARCHUNK_ERR_ARG); NULL only when n == 0.
 */
PARCHUNK_API parchunk_status parchunk_argsort(parchunk_ctx *ctx, const void *data, size_t n,
                                              parchunk_dtype dtype, int64_t *indices);

/* (end of sorting) */


/* ------------------------------------------------------------------------ */
/* Random numbers                                                            */
/* ------------------------------------------------------------------------ */

/*
 * Counter-based generators: value i of a stream is a pure function of
 * (seed, i) and the distribution's parameters. Hence the output is
 * bit-identical for any thread count AND any chunk size, and any slice
 * [a, b) of a stream can be generated alone as b - a values at offset a.
 * Default chunk size (items): n / (8 * threads), at least
 * PARCHUNK_DEFAULT_CHUNK_SIZE and at most 4 MiB of output, so that each
 * thread writes (and first-touches) whole pages of a new array.
 *
 * The mapping (so that another implementation can reproduce it):
 *
 *  - The bijection is Philox4x32-10 (parchunk_philox4x32_10 below).
 *  - key = (seed mod 2^32, seed >> 32).
 *  - A block is the output (w0, w1, w2, w3) of counter
 *    (c0, c1, c2, c3) = (j mod 2^32, j >> 32, attempt, domain) for block
 *    index j; attempt is 0 except for retries of integers (below). The
 *    domain separates distributions: 1 uniform float64, 2 uniform float32,
 *    3 normal (float64 and float32), 4 integers.
 *  - Two words (wa, wb) make the 64-bit x = wa + wb * 2^32.
 *  - No fused multiply-add is used anywhere; float arithmetic is IEEE-754
 *    round-to-nearest in the stated precision.
 *
 *  uniform float64: value i from block i / 2, words (w0, w1) when i is even,
 *    (w2, w3) when i is odd: u = (x >> 11) * 2^-53, r = low + (high - low) * u
 *    (double arithmetic; (high - low) rounded once). If rounding made
 *    r >= high, r = the largest double below high. So r is in [low, high).
 *  uniform float32: value i = word (i mod 4) of block i / 4 (domain 2),
 *    u = (w >> 8) * 2^-24; low, high are rounded to float first, then
 *    r = lowf + (highf - lowf) * u in float arithmetic, clamped below highf
 *    as above.
 *  normal: block j gives values 2j and 2j + 1 (Box-Muller):
 *    u1 = ((x(w0, w1) >> 11) + 1) * 2^-53 in (0, 1], m = x(w2, w3) >> 11,
 *    rad = sqrt(-2 * log(u1)), (s, c) = sin and cos of the angle
 *    2 pi m / 2^53; value[2j] = loc + scale * (rad * c), value[2j+1] =
 *    loc + scale * (rad * s), in double; float32 output is that double
 *    rounded once to float. log, sin and cos are not the C library's (those
 *    differ between libraries in the last bit) but fixed sequences of IEEE
 *    double operations (fdlibm's polynomials; sin/cos reduced by octant
 *    exactly from the bits of m), spelled out in
 *    lib/kernels/random/mathfn.h: any implementation that performs the same
 *    operations gets the same bits. Accuracy: log within 1 ulp, sin/cos
 *    within 2 ulp. |rad| <= 8.58, so a value overflows to +-inf only when
 *    |loc| + 8.58 * scale exceeds the output type's range.
 *  integers (int64, unbiased, Lemire's multiply-and-reject): range =
 *    high - low (1 .. 2^64 - 1), threshold = 2^64 mod range. For value i and
 *    attempt a = 0, 1, 2, ...: x = words (w0, w1) (i even) or (w2, w3) (i odd)
 *    of the block with j = i / 2 and c2 = a; m = x * range (128-bit). The
 *    first attempt with (m mod 2^64) >= threshold gives value = low +
 *    floor(m / 2^64). Retries use their own counters, so a value never
 *    depends on its neighbours (retries happen with probability < range /
 *    2^64 per attempt).
 *
 * Common to the three generators: out receives n values of the stated type,
 * values offset .. offset + n - 1 of the stream (offset + n - 1 must not
 * exceed 2^64 - 1). n == 0 is valid (out may then be NULL; arguments are
 * still checked). Items for progress are values. Returns PARCHUNK_OK,
 * PARCHUNK_ERR_NULL (out NULL with n > 0), PARCHUNK_ERR_ARG (a parameter
 * outside its range, listed per function, or offset + n - 1 > 2^64 - 1),
 * PARCHUNK_ERR_DTYPE (dtype not float32/float64 where one is asked),
 * PARCHUNK_ERR_CANCELLED, PARCHUNK_ERR_BUSY. Exception to the general rule:
 * after PARCHUNK_ERR_CANCELLED, out may be partly written (the values
 * already written are the correct ones); on every other error out is
 * untouched. The result does not depend on ctx's settings. Thread-safe as
 * every kernel (one call per ctx).
 */

/*
 * parchunk_philox4x32_10() - the Philox4x32-10 bijection of Random123
 * (Salmon et al., SC'11): multipliers 0xD2511F53 and 0xCD9E8D57, Weyl key
 * increments 0x9E3779B9 and 0xBB67AE85, 10 rounds. out = philox(ctr, key),
 * ctr and out point to 4 words, key to 2. Matches Random123's published
 * known-answer vectors. out may alias ctr. Returns PARCHUNK_OK or
 * PARCHUNK_ERR_NULL (a pointer is NULL). Thread-safe, no ctx (pure function).
 */
PARCHUNK_API parchunk_status parchunk_philox4x32_10(const uint32_t *ctr, const uint32_t *key,
                                                    uint32_t *out);

/*
 * parchunk_random_uniform() - n uniform values in [low, high) as float64 or
 * float32 (dtype), values offset .. offset + n - 1 of the stream of seed.
 * out holds n elements of dtype. PARCHUNK_ERR_ARG when low or high is not
 * finite, low >= high, or high - low overflows (each checked in float32
 * after rounding low and high to float32 for dtype float32).
 */
PARCHUNK_API parchunk_status parchunk_random_uniform(parchunk_ctx *ctx, uint64_t seed,
                                                     uint64_t offset, size_t n, double low,
                                                     double high, parchunk_dtype dtype,
                                                     void *out);

/*
 * parchunk_random_normal() - n normal values with mean loc and standard
 * deviation scale as float64 or float32 (dtype), values offset .. offset +
 * n - 1 of the stream of seed. out holds n elements of dtype. scale == 0
 * gives loc everywhere. PARCHUNK_ERR_ARG when loc or scale is not finite or
 * scale < 0.
 */
PARCHUNK_API parchunk_status parchunk_random_normal(parchunk_ctx *ctx, uint64_t seed,
                                                    uint64_t offset, size_t n, double loc,
                                                    double scale, parchunk_dtype dtype,
                                                    void *out);

/*
 * parchunk_random_integers() - n independent, exactly uniform integers in
 * [low, high) (high exclusive; the range may span all of int64 but
 * INT64_MAX itself), values offset .. offset + n - 1 of the stream of seed.
 * out holds n int64 values. PARCHUNK_ERR_ARG when low >= high.
 */
PARCHUNK_API parchunk_status parchunk_random_integers(parchunk_ctx *ctx, uint64_t seed,
                                                      uint64_t offset, size_t n, int64_t low,
                                                      int64_t high, int64_t *out);

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

/*
 * Common to the image functions: an image is height rows of width pixels of
 * `channels` interleaved uint8 bytes (3: R, G, B; 4: R, G, B and a fourth
 * byte that is ignored: alpha or padding), rows contiguous, no row padding:
 * height * width * channels bytes. Items for the chunk size and progress are
 * rows (of all images of a batch together; the default chunk is about 2^18
 * pixels' worth of rows); the serial cutoff is compared with the number of
 * pixels. An image with height * width == 0 is valid and its pointers may be
 * NULL. Output buffers must not overlap any input or other output
 * (PARCHUNK_ERR_ARG): no in-place conversion.
 */

/*
 * parchunk_to_grayscale() - 8-bit luma of an RGB/RGBA image, bit-identical to
 * Pillow's Image.convert('L') for every pixel value: ITU-R 601-2 weights in
 * 16.16 fixed point, L = (R*19595 + G*38470 + B*7471 + 0x8000) >> 16.
 *
 * img: height * width * channels bytes; out: height * width bytes, written
 * completely on success, untouched on error. channels: 3 or 4.
 * Returns PARCHUNK_OK, PARCHUNK_ERR_NULL (img or out NULL for a non-empty
 * image), PARCHUNK_ERR_ARG (channels not 3 or 4; out overlaps img),
 * PARCHUNK_ERR_OVERFLOW (height * width * channels does not fit in a
 * buffer: more than PTRDIFF_MAX bytes), PARCHUNK_ERR_CANCELLED,
 * PARCHUNK_ERR_BUSY, PARCHUNK_ERR_NOMEM. Thread-safe as in the general rules.
 * Uses an AVX2 loop when the CPU has it (chosen once at load time); every
 * variant gives the same bytes. On PARCHUNK_ERR_CANCELLED, out may be partly
 * written (rows are converted in place as chunks finish); on every other
 * error it is untouched.
 */
PARCHUNK_API parchunk_status parchunk_to_grayscale(parchunk_ctx *ctx, const uint8_t *img,
                                                   size_t height, size_t width, size_t channels,
                                                   uint8_t *out);

/*
 * parchunk_to_grayscale_batch() - parchunk_to_grayscale() on count images of
 * any sizes in one call, parallel across images and rows (the rows of all
 * images form one chunk plan).
 *
 * imgs, heights, widths, channels, outs: arrays of count entries each (may
 * be NULL when count == 0); image k is imgs[k] (heights[k] * widths[k] *
 * channels[k] bytes), converted into outs[k] (heights[k] * widths[k] bytes).
 * Every image is checked before any is written: on error no output is
 * touched, and the detail names the first bad image ("image 3: ...").
 * Returns the statuses of parchunk_to_grayscale(), plus PARCHUNK_ERR_NULL
 * when one of the five arrays is NULL with count > 0, PARCHUNK_ERR_OVERFLOW
 * when the total pixel count overflows size_t, and PARCHUNK_ERR_NOMEM
 * (the call allocates O(count) bookkeeping).
 */
PARCHUNK_API parchunk_status parchunk_to_grayscale_batch(parchunk_ctx *ctx, size_t count,
                                                         const uint8_t *const *imgs,
                                                         const size_t *heights,
                                                         const size_t *widths,
                                                         const size_t *channels,
                                                         uint8_t *const *outs);

/* (end of images) */


/* ------------------------------------------------------------------------ */
/* Models                                                                    */
/* ------------------------------------------------------------------------ */

/*
 * Common to the models: X is a C-contiguous n x d matrix (row i is X[i*d ..
 * i*d + d)) of dtype PARCHUNK_FLOAT32 or PARCHUNK_FLOAT64; all arithmetic is
 * in double (float32 elements are converted exactly). w holds d doubles.
 * The dot product of a row is summed as four interleaved partial sums over
 * the columns, combined pairwise, then the leftover d % 4 columns in order;
 * exp is the library's own vectorised exp (within 1 ulp of glibc's over its
 * whole range, tested), so results agree with NumPy's to about 1e-15
 * relative per step, not bit for bit. Every instruction-set variant gives the
 * same bits.
 * Items for the chunk size and progress are rows (the default chunk is about
 * 2^16 elements' worth of rows, and at most ~256 chunks); the serial cutoff
 * is compared with n * d. Results depend on the chunk size (the order in
 * which row contributions are summed), never on the thread count.
 * Besides what each lists, both return PARCHUNK_ERR_DTYPE (dtype not float32
 * or float64), PARCHUNK_ERR_SHAPE (d == 0), PARCHUNK_ERR_OVERFLOW (n * d
 * elements larger than any buffer can be), PARCHUNK_ERR_NULL (X NULL with
 * n > 0; w NULL), PARCHUNK_ERR_DOMAIN (an element of w is NaN or inf; the
 * detail names it), PARCHUNK_ERR_CANCELLED, PARCHUNK_ERR_BUSY,
 * PARCHUNK_ERR_NOMEM. Thread-safe as in the general rules.
 */

/*
 * parchunk_logreg_fit() - logistic regression by `iterations` steps of full
 * gradient descent, exactly the rule of the classic Numba parallel example:
 *
 *     w -= learning_rate * ((1 / (1 + exp(-y * (X @ w))) - 1) * y) @ X
 *
 * X: n x d; y: n labels of the same dtype as X, each exactly -1 or +1;
 * w: in, the d initial weights; out, the fitted weights (written only on
 * success). Each iteration is one parallel pass over X; the chunk gradients
 * (d doubles each) are merged in a fixed order; no n-sized temporaries
 * (the call allocates O(d * chunks) bytes). iterations == 0 returns
 * PARCHUNK_OK with w unchanged, without reading X or y.
 *
 * Also returns PARCHUNK_ERR_EMPTY (n == 0), PARCHUNK_ERR_NULL (y NULL),
 * PARCHUNK_ERR_ARG (learning_rate NaN or inf), PARCHUNK_ERR_DOMAIN (a NaN or
 * inf in X, or a label other than -1/+1; the detail names the first such row,
 * e.g. "row 17: X[17][3] is nan"), PARCHUNK_ERR_OVERFLOW (the gradient or the
 * weights became non-finite from valid input: the learning rate is too large;
 * the detail names the iteration). Progress: n rows per iteration, total
 * n * iterations (saturating at UINT64_MAX).
 */
PARCHUNK_API parchunk_status parchunk_logreg_fit(parchunk_ctx *ctx, const void *X, const void *y,
                                                 size_t n, size_t d, parchunk_dtype dtype,
                                                 double *w, size_t iterations,
                                                 double learning_rate);

/*
 * parchunk_logreg_predict_proba() - out[i] = 1 / (1 + exp(-(X[i] . w))) for
 * the n rows of X (the row's dot product in the order fit() uses: four
 * partial sums over the columns j = k mod 4, then (s0 + s1) + (s2 + s3)).
 * X is not checked for NaN/inf: IEEE rules apply to those rows (as in NumPy,
 * a NaN gives NaN). out: n doubles; it must not overlap X or w
 * (PARCHUNK_ERR_ARG). n == 0 is valid (X and out may then be NULL).
 * Also returns PARCHUNK_ERR_NULL (out NULL with n > 0). On
 * PARCHUNK_ERR_CANCELLED, out may be partly written (rows are written in
 * place as chunks finish); on every other error it is untouched.
 */
PARCHUNK_API parchunk_status parchunk_logreg_predict_proba(parchunk_ctx *ctx, const void *X,
                                                           size_t n, size_t d,
                                                           parchunk_dtype dtype, const double *w,
                                                           double *out);

/* (end of models) */

#ifdef __cplusplus
}
#endif

#endif /* PARCHUNK_H */
