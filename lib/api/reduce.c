/*
 * reduce.c - the exported reductions: validate arguments, describe the job,
 * run it through the engine's reduction, finalize.
 */
#include <math.h>
#include <string.h>

#include "../kernels/reduce/reduce.h"
#include "api.h"

typedef struct reduce_job {
    const unsigned char *data;
    parchunk_dtype dtype;
    size_t itemsize;
    double center;
} reduce_job;

static const void *chunk_ptr(const reduce_job *job, size_t begin)
{
    return job->data + begin * job->itemsize;
}

/* ---- float sum / absolute deviation: state is one double ---------------- */

static void double_init(void *state, const void *job)
{
    PC_UNUSED(job);
    *(double *)state = 0.0;
}

static void double_merge(void *left, const void *right, const void *job)
{
    PC_UNUSED(job);
    *(double *)left += *(const double *)right;
}

static parchunk_status float_sum_accumulate(void *state, const void *job_, size_t begin, size_t end)
{
    const reduce_job *job = job_;
    *(double *)state += pc_sum_float(chunk_ptr(job, begin), end - begin, job->dtype);
    return PARCHUNK_OK;
}

static parchunk_status absdev_accumulate(void *state, const void *job_, size_t begin, size_t end)
{
    const reduce_job *job = job_;
    *(double *)state += pc_sum_absdev(chunk_ptr(job, begin), end - begin, job->dtype, job->center);
    return PARCHUNK_OK;
}

static const pc_reduce_ops float_sum_ops = {sizeof(double), double_init, float_sum_accumulate,
                                            double_merge};
static const pc_reduce_ops absdev_ops = {sizeof(double), double_init, absdev_accumulate,
                                         double_merge};

/* ---- exact integer sum: state is a 128-bit integer ---------------------- */

static void i128_init(void *state, const void *job)
{
    PC_UNUSED(job);
    pc_i128 zero = 0;
    memcpy(state, &zero, sizeof zero);
}

static void i128_merge(void *left, const void *right, const void *job)
{
    PC_UNUSED(job);
    pc_i128 a, b;
    memcpy(&a, left, sizeof a);
    memcpy(&b, right, sizeof b);
    a += b;
    memcpy(left, &a, sizeof a);
}

static parchunk_status int_sum_accumulate(void *state, const void *job_, size_t begin, size_t end)
{
    const reduce_job *job = job_;
    pc_i128 a;
    memcpy(&a, state, sizeof a);
    a += pc_sum_int(chunk_ptr(job, begin), end - begin, job->dtype);
    memcpy(state, &a, sizeof a);
    return PARCHUNK_OK;
}

static const pc_reduce_ops int_sum_ops = {sizeof(pc_i128), i128_init, int_sum_accumulate,
                                          i128_merge};

/* ---- min / max: state is one element (chunks are never empty) ----------- */

typedef union extreme_state {
    unsigned char bytes[8];
    uint64_t align;
} extreme_state;

static void extreme_init(void *state, const void *job)
{
    PC_UNUSED(job);
    memset(state, 0, sizeof(extreme_state));
}

static parchunk_status min_accumulate(void *state, const void *job_, size_t begin, size_t end)
{
    const reduce_job *job = job_;
    pc_min(chunk_ptr(job, begin), end - begin, job->dtype, state);
    return PARCHUNK_OK;
}

static parchunk_status max_accumulate(void *state, const void *job_, size_t begin, size_t end)
{
    const reduce_job *job = job_;
    pc_max(chunk_ptr(job, begin), end - begin, job->dtype, state);
    return PARCHUNK_OK;
}

/* Merging two extremes is the kernel over the pair (NaN rules included). */
static void extreme_merge(void *left, const void *right, const void *job_,
                          void (*kernel)(const void *, size_t, parchunk_dtype, void *))
{
    const reduce_job *job = job_;
    union {
        unsigned char bytes[16];
        uint64_t align[2];
    } pair;
    memcpy(pair.bytes, left, job->itemsize);
    memcpy(pair.bytes + job->itemsize, right, job->itemsize);
    kernel(pair.bytes, 2, job->dtype, left);
}

static void min_merge(void *left, const void *right, const void *job)
{
    extreme_merge(left, right, job, pc_min);
}

static void max_merge(void *left, const void *right, const void *job)
{
    extreme_merge(left, right, job, pc_max);
}

static const pc_reduce_ops min_ops = {sizeof(extreme_state), extreme_init, min_accumulate,
                                      min_merge};
static const pc_reduce_ops max_ops = {sizeof(extreme_state), extreme_init, max_accumulate,
                                      max_merge};

/* ---- the exported functions --------------------------------------------- */

/* Validates, claims the ctx, runs one reduction. */
static parchunk_status run_reduce(parchunk_ctx *ctx, const void *data, size_t n,
                                  parchunk_dtype dtype, const pc_reduce_ops *ops,
                                  reduce_job *job, void *state, bool empty_is_error)
{
    pc_call call;
    parchunk_status st = pc_call_begin(&call, ctx, n, PARCHUNK_DEFAULT_CHUNK_SIZE);
    if (st != PARCHUNK_OK)
        return st;
    if (n == 0 && empty_is_error)
        return pc_call_end(&call, pc_call_fail(&call, PARCHUNK_ERR_EMPTY,
                                               "the input is empty (n is 0)"));
    job->data = data;
    job->dtype = dtype;
    job->itemsize = parchunk_dtype_size(dtype);
    return pc_call_end(&call, pc_reduce(&call, n, ops, job, state));
}

static parchunk_status check_input_named(parchunk_ctx *ctx, const void *data, size_t n,
                                         parchunk_dtype dtype, const char *out_name,
                                         const void *out)
{
    parchunk_status st = pc_check_array(ctx, "data", data, n, dtype);
    return st != PARCHUNK_OK ? st : pc_check_out(ctx, out_name, out);
}

static parchunk_status check_input(parchunk_ctx *ctx, const void *data, size_t n,
                                   parchunk_dtype dtype, const void *out)
{
    return check_input_named(ctx, data, n, dtype, "out", out);
}

static parchunk_status exact_int_sum(parchunk_ctx *ctx, const void *data, size_t n,
                                     parchunk_dtype dtype, pc_i128 *sum)
{
    reduce_job job = {0};
    return run_reduce(ctx, data, n, dtype, &int_sum_ops, &job, sum, false);
}

static parchunk_status float_sum(parchunk_ctx *ctx, const void *data, size_t n,
                                 parchunk_dtype dtype, bool empty_is_error, double *sum)
{
    reduce_job job = {0};
    return run_reduce(ctx, data, n, dtype, &float_sum_ops, &job, sum, empty_is_error);
}

PARCHUNK_API parchunk_status parchunk_sum(parchunk_ctx *ctx, const void *data, size_t n,
                                          parchunk_dtype dtype, double *out)
{
    parchunk_status st = check_input(ctx, data, n, dtype, out);
    if (st != PARCHUNK_OK)
        return st;
    double sum = 0.0;
    if (pc_dtype_is_float(dtype)) {
        st = float_sum(ctx, data, n, dtype, false, &sum);
    } else {
        pc_i128 exact;
        st = exact_int_sum(ctx, data, n, dtype, &exact);
        sum = (double)exact; /* one correct rounding */
    }
    if (st == PARCHUNK_OK)
        *out = sum;
    return st;
}

static parchunk_status check_int_dtype(parchunk_ctx *ctx, parchunk_dtype dtype)
{
    if (pc_dtype_is_float(dtype))
        return pc_arg_fail(ctx, PARCHUNK_ERR_DTYPE, "an exact integer sum needs an integer "
                                                    "dtype, got %s", pc_dtype_name(dtype));
    return PARCHUNK_OK;
}

PARCHUNK_API parchunk_status parchunk_sum_int(parchunk_ctx *ctx, const void *data, size_t n,
                                              parchunk_dtype dtype, int64_t *hi, uint64_t *lo)
{
    parchunk_status st = check_input_named(ctx, data, n, dtype, "hi", hi);
    if (st == PARCHUNK_OK)
        st = pc_check_out(ctx, "lo", lo);
    if (st == PARCHUNK_OK)
        st = check_int_dtype(ctx, dtype);
    if (st != PARCHUNK_OK)
        return st;
    pc_i128 exact;
    st = exact_int_sum(ctx, data, n, dtype, &exact);
    if (st == PARCHUNK_OK) {
        *hi = (int64_t)(exact >> 64);
        *lo = (uint64_t)exact;
    }
    return st;
}

PARCHUNK_API parchunk_status parchunk_sum_i64(parchunk_ctx *ctx, const void *data, size_t n,
                                              parchunk_dtype dtype, int64_t *out)
{
    parchunk_status st = check_input(ctx, data, n, dtype, out);
    if (st == PARCHUNK_OK)
        st = check_int_dtype(ctx, dtype);
    if (st != PARCHUNK_OK)
        return st;
    pc_i128 exact;
    st = exact_int_sum(ctx, data, n, dtype, &exact);
    if (st != PARCHUNK_OK)
        return st;
    if (exact < INT64_MIN || exact > INT64_MAX)
        return pc_arg_fail(ctx, PARCHUNK_ERR_OVERFLOW,
                           "the exact sum does not fit in int64 (use parchunk_sum_int)");
    *out = (int64_t)exact;
    return PARCHUNK_OK;
}

PARCHUNK_API parchunk_status parchunk_mean(parchunk_ctx *ctx, const void *data, size_t n,
                                           parchunk_dtype dtype, double *out)
{
    parchunk_status st = check_input(ctx, data, n, dtype, out);
    if (st != PARCHUNK_OK)
        return st;
    double sum = 0.0;
    if (pc_dtype_is_float(dtype)) {
        st = float_sum(ctx, data, n, dtype, true, &sum);
    } else {
        pc_i128 exact = 0;
        reduce_job job = {0};
        st = run_reduce(ctx, data, n, dtype, &int_sum_ops, &job, &exact, true);
        sum = (double)exact;
    }
    if (st == PARCHUNK_OK)
        *out = sum / (double)n;
    return st;
}

static parchunk_status extreme(parchunk_ctx *ctx, const void *data, size_t n,
                               parchunk_dtype dtype, void *out, const pc_reduce_ops *ops)
{
    parchunk_status st = check_input(ctx, data, n, dtype, out);
    if (st != PARCHUNK_OK)
        return st;
    extreme_state result;
    reduce_job job = {0};
    st = run_reduce(ctx, data, n, dtype, ops, &job, &result, true);
    if (st == PARCHUNK_OK)
        memcpy(out, result.bytes, parchunk_dtype_size(dtype));
    return st;
}

PARCHUNK_API parchunk_status parchunk_min(parchunk_ctx *ctx, const void *data, size_t n,
                                          parchunk_dtype dtype, void *out)
{
    return extreme(ctx, data, n, dtype, out, &min_ops);
}

PARCHUNK_API parchunk_status parchunk_max(parchunk_ctx *ctx, const void *data, size_t n,
                                          parchunk_dtype dtype, void *out)
{
    return extreme(ctx, data, n, dtype, out, &max_ops);
}

PARCHUNK_API parchunk_status parchunk_mean_abs_dev(parchunk_ctx *ctx, const void *data, size_t n,
                                                   parchunk_dtype dtype, double center,
                                                   double *out)
{
    parchunk_status st = check_input(ctx, data, n, dtype, out);
    if (st != PARCHUNK_OK)
        return st;
    double sum = 0.0;
    reduce_job job = {.center = center};
    st = run_reduce(ctx, data, n, dtype, &absdev_ops, &job, &sum, true);
    if (st == PARCHUNK_OK)
        *out = sum / (double)n;
    return st;
}
