/*
 * stats.c - the exported one-call statistics: validate, run the statistics
 * state through the engine's reduction, finalize. Every function here is
 * parchunk_reduce() with a fixed op and flags.
 */
#include <string.h>

#include "stats_state.h"

/* Claims the ctx and runs op; the result goes to out only on success. */
static parchunk_status run_op(parchunk_ctx *ctx, parchunk_op op, const void *data, size_t n,
                              parchunk_dtype dtype, int64_t ddof, uint32_t flags, void *out)
{
    parchunk_status st = pc_check_array(ctx, "data", data, n, dtype);
    if (st == PARCHUNK_OK)
        st = pc_check_out(ctx, "out", out);
    if (st == PARCHUNK_OK)
        st = pc_stat_check_args(ctx, op, flags, ddof);
    if (st != PARCHUNK_OK)
        return st;
    bool skip = (flags & PARCHUNK_SKIPNA) && pc_dtype_is_float(dtype);
    if (n == 0 && op != PARCHUNK_OP_SUM && op != PARCHUNK_OP_COUNT_NONZERO)
        return pc_arg_fail(ctx, PARCHUNK_ERR_EMPTY, "the input is empty (n is 0)");
    if ((op == PARCHUNK_OP_VAR || op == PARCHUNK_OP_STD) && !skip && (uint64_t)ddof >= n)
        return pc_arg_fail(ctx, PARCHUNK_ERR_ARG,
                           "ddof (%lld) must be smaller than the number of elements (%zu)",
                           (long long)ddof, n);

    pc_call call;
    st = pc_call_begin(&call, ctx, n, PARCHUNK_DEFAULT_CHUNK_SIZE);
    if (st != PARCHUNK_OK)
        return st;
    pc_stat_state state;
    st = pc_stat_run(&call, op, data, n, dtype, flags, &state);
    if (st == PARCHUNK_OK) {
        /* finalize into a local first: out stays untouched on error */
        union {
            parchunk_stats_result stats;
            double d;
            int64_t i;
            unsigned char bytes[8];
        } result;
        st = pc_stat_finalize(NULL, &state, ddof, &result);
        if (st == PARCHUNK_OK)
            memcpy(out, &result, pc_stat_result_size(op, dtype));
        else
            pc_call_fail(&call, st, "%s",
                         st == PARCHUNK_ERR_EMPTY ? "every element is NaN" : "invalid ddof");
    }
    return pc_call_end(&call, st);
}

PARCHUNK_API parchunk_status parchunk_reduce(parchunk_ctx *ctx, parchunk_op op, const void *data,
                                             size_t n, parchunk_dtype dtype, int64_t ddof,
                                             uint32_t flags, void *out)
{
    return run_op(ctx, op, data, n, dtype, ddof, flags, out);
}

PARCHUNK_API parchunk_status parchunk_var(parchunk_ctx *ctx, const void *data, size_t n,
                                          parchunk_dtype dtype, int64_t ddof, double *out)
{
    return run_op(ctx, PARCHUNK_OP_VAR, data, n, dtype, ddof, 0, out);
}

PARCHUNK_API parchunk_status parchunk_std(parchunk_ctx *ctx, const void *data, size_t n,
                                          parchunk_dtype dtype, int64_t ddof, double *out)
{
    return run_op(ctx, PARCHUNK_OP_STD, data, n, dtype, ddof, 0, out);
}

PARCHUNK_API parchunk_status parchunk_stats(parchunk_ctx *ctx, const void *data, size_t n,
                                            parchunk_dtype dtype, parchunk_stats_result *out)
{
    return run_op(ctx, PARCHUNK_OP_STATS, data, n, dtype, 0, 0, out);
}

PARCHUNK_API parchunk_status parchunk_argmin(parchunk_ctx *ctx, const void *data, size_t n,
                                             parchunk_dtype dtype, int64_t *out)
{
    return run_op(ctx, PARCHUNK_OP_ARGMIN, data, n, dtype, 0, 0, out);
}

PARCHUNK_API parchunk_status parchunk_argmax(parchunk_ctx *ctx, const void *data, size_t n,
                                             parchunk_dtype dtype, int64_t *out)
{
    return run_op(ctx, PARCHUNK_OP_ARGMAX, data, n, dtype, 0, 0, out);
}

PARCHUNK_API parchunk_status parchunk_count_nonzero(parchunk_ctx *ctx, const void *data, size_t n,
                                                    parchunk_dtype dtype, int64_t *out)
{
    return run_op(ctx, PARCHUNK_OP_COUNT_NONZERO, data, n, dtype, 0, 0, out);
}

PARCHUNK_API parchunk_status parchunk_nansum(parchunk_ctx *ctx, const void *data, size_t n,
                                             parchunk_dtype dtype, double *out)
{
    return run_op(ctx, PARCHUNK_OP_SUM, data, n, dtype, 0, PARCHUNK_SKIPNA, out);
}

PARCHUNK_API parchunk_status parchunk_nanmean(parchunk_ctx *ctx, const void *data, size_t n,
                                              parchunk_dtype dtype, double *out)
{
    return run_op(ctx, PARCHUNK_OP_MEAN, data, n, dtype, 0, PARCHUNK_SKIPNA, out);
}

PARCHUNK_API parchunk_status parchunk_nanmin(parchunk_ctx *ctx, const void *data, size_t n,
                                             parchunk_dtype dtype, void *out)
{
    return run_op(ctx, PARCHUNK_OP_MIN, data, n, dtype, 0, PARCHUNK_SKIPNA, out);
}

PARCHUNK_API parchunk_status parchunk_nanmax(parchunk_ctx *ctx, const void *data, size_t n,
                                             parchunk_dtype dtype, void *out)
{
    return run_op(ctx, PARCHUNK_OP_MAX, data, n, dtype, 0, PARCHUNK_SKIPNA, out);
}

PARCHUNK_API parchunk_status parchunk_nanvar(parchunk_ctx *ctx, const void *data, size_t n,
                                             parchunk_dtype dtype, int64_t ddof, double *out)
{
    return run_op(ctx, PARCHUNK_OP_VAR, data, n, dtype, ddof, PARCHUNK_SKIPNA, out);
}

PARCHUNK_API parchunk_status parchunk_nanstd(parchunk_ctx *ctx, const void *data, size_t n,
                                             parchunk_dtype dtype, int64_t ddof, double *out)
{
    return run_op(ctx, PARCHUNK_OP_STD, data, n, dtype, ddof, PARCHUNK_SKIPNA, out);
}

/* ---- dot: its own small state (two inputs) -------------------------------- */

typedef struct dot_job {
    const unsigned char *x, *y;
    size_t itemsize;
    parchunk_dtype dtype;
} dot_job;

typedef struct dot_state {
    pc_i128 exact; /* int8..uint32 */
    double sum;    /* floats, int64/uint64 */
} dot_state;

static void dot_init(void *state, const void *job)
{
    PC_UNUSED(job);
    dot_state *s = state;
    s->exact = 0;
    s->sum = 0.0;
}

static bool dot_exact(parchunk_dtype dtype)
{
    return !pc_dtype_is_float(dtype) && dtype != PARCHUNK_INT64 && dtype != PARCHUNK_UINT64;
}

static parchunk_status dot_accumulate(void *state, const void *job_, size_t begin, size_t end)
{
    const dot_job *job = job_;
    dot_state *s = state;
    const void *x = job->x + begin * job->itemsize, *y = job->y + begin * job->itemsize;
    size_t n = end - begin;
    if (pc_dtype_is_float(job->dtype))
        s->sum += pc_dot_float(x, y, n, job->dtype);
    else if (dot_exact(job->dtype))
        s->exact += pc_dot_int(x, y, n, job->dtype);
    else
        s->sum += pc_dot_wide(x, y, n, job->dtype);
    return PARCHUNK_OK;
}

static void dot_merge(void *left, const void *right, const void *job)
{
    PC_UNUSED(job);
    dot_state *a = left;
    const dot_state *b = right;
    a->exact += b->exact;
    a->sum += b->sum;
}

static const pc_reduce_ops dot_ops = {sizeof(dot_state), dot_init, dot_accumulate, dot_merge};

PARCHUNK_API parchunk_status parchunk_dot(parchunk_ctx *ctx, const void *x, const void *y, size_t n,
                                          parchunk_dtype dtype, double *out)
{
    parchunk_status st = pc_check_array(ctx, "x", x, n, dtype);
    if (st == PARCHUNK_OK)
        st = pc_check_array(ctx, "y", y, n, dtype);
    if (st == PARCHUNK_OK)
        st = pc_check_out(ctx, "out", out);
    if (st != PARCHUNK_OK)
        return st;
    pc_call call;
    st = pc_call_begin(&call, ctx, n, PARCHUNK_DEFAULT_CHUNK_SIZE);
    if (st != PARCHUNK_OK)
        return st;
    dot_job job = {x, y, parchunk_dtype_size(dtype), dtype};
    dot_state state;
    st = pc_reduce(&call, n, &dot_ops, &job, &state);
    if (st == PARCHUNK_OK)
        *out = dot_exact(dtype) ? (double)state.exact : state.sum;
    return pc_call_end(&call, st);
}
