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
 * malformed: wrong magic, version, op, dtype, flags, inconsistent fields;
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
