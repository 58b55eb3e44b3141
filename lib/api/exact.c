/*
 * exact.c - the exported exact sums and means: a superaccumulator per chunk
 * (kernels/exact), chunk states merged by the engine (the merge is exact, so
 * the result depends on nothing but the multiset of elements), one correct
 * rounding at the end. Also the partial-state API built on the same state.
 */
#include <string.h>

#include "../kernels/exact/xsum.h"
#include "api.h"

typedef struct exact_job {
    const unsigned char *data;
    parchunk_dtype dtype;
    size_t itemsize;
} exact_job;

static void xsum_init(void *state, const void *job)
{
    PC_UNUSED(job);
    pc_xsum_init(state);
}

static parchunk_status xsum_accumulate(void *state, const void *job_, size_t begin, size_t end)
{
    const exact_job *job = job_;
    pc_xsum_add(state, job->data + begin * job->itemsize, end - begin, job->dtype);
    return PARCHUNK_OK;
}

static void xsum_merge(void *left, const void *right, const void *job)
{
    PC_UNUSED(job);
    pc_xsum_merge(left, right); /* counts of one call never overflow */
}

static const pc_reduce_ops xsum_ops = {sizeof(pc_xsum), xsum_init, xsum_accumulate, xsum_merge};

_Static_assert(sizeof(pc_xsum) == PARCHUNK_EXACT_STATE_SIZE, "documented state size");
_Static_assert(offsetof(pc_xsum, limb) == 16, "documented state layout");

/* Validates, claims ctx, accumulates the whole array into *state. */
static parchunk_status accumulate(parchunk_ctx *ctx, const void *data, size_t n,
                                  parchunk_dtype dtype, const void *out, pc_xsum *state)
{
    parchunk_status st = pc_check_array(ctx, "data", data, n, dtype);
    if (st == PARCHUNK_OK)
        st = pc_check_out(ctx, "out", out);
    if (st != PARCHUNK_OK)
        return st;
    pc_call call;
    st = pc_call_begin(&call, ctx, n, PARCHUNK_DEFAULT_CHUNK_SIZE);
    if (st != PARCHUNK_OK)
        return st;
    exact_job job = {data, dtype, parchunk_dtype_size(dtype)};
    return pc_call_end(&call, pc_reduce(&call, n, &xsum_ops, &job, state));
}

/* Rounds a state; records why on ctx when it fails. */
static parchunk_status finish(parchunk_ctx *ctx, const pc_xsum *state, bool mean, double *out)
{
    double v = 0.0;
    parchunk_status st = mean ? pc_xsum_round_mean(state, &v) : pc_xsum_round_sum(state, &v);
    switch (st) {
    case PARCHUNK_OK: *out = v; return st;
    case PARCHUNK_ERR_OVERFLOW:
        return pc_arg_fail(ctx, st, "the exact sum rounds to a value beyond the double range");
    case PARCHUNK_ERR_DOMAIN:
        return pc_arg_fail(ctx, st, "the input holds both +inf and -inf (their sum is undefined)");
    case PARCHUNK_ERR_EMPTY: return pc_arg_fail(ctx, st, "the mean of zero elements is undefined");
    default: return st;
    }
}

PARCHUNK_API parchunk_status parchunk_sum_exact(parchunk_ctx *ctx, const void *data, size_t n,
                                                parchunk_dtype dtype, double *out)
{
    pc_xsum state;
    parchunk_status st = accumulate(ctx, data, n, dtype, out, &state);
    return st != PARCHUNK_OK ? st : finish(ctx, &state, false, out);
}

PARCHUNK_API parchunk_status parchunk_mean_exact(parchunk_ctx *ctx, const void *data, size_t n,
                                                 parchunk_dtype dtype, double *out)
{
    if (n == 0 && out != NULL && pc_dtype_valid(dtype))
        return pc_arg_fail(ctx, PARCHUNK_ERR_EMPTY, "the input is empty (n is 0)");
    pc_xsum state;
    parchunk_status st = accumulate(ctx, data, n, dtype, out, &state);
    return st != PARCHUNK_OK ? st : finish(ctx, &state, true, out);
}

PARCHUNK_API parchunk_status parchunk_sum_exact_partial(parchunk_ctx *ctx, const void *data,
                                                        size_t n, parchunk_dtype dtype, void *state)
{
    pc_xsum s;
    parchunk_status st = accumulate(ctx, data, n, dtype, state, &s);
    if (st == PARCHUNK_OK)
        memcpy(state, &s, sizeof s);
    return st;
}

/* Copies a caller's state (any alignment) and checks it. */
static parchunk_status load_state(parchunk_ctx *ctx, const char *name, const void *bytes,
                                  pc_xsum *s)
{
    if (bytes == NULL)
        return pc_arg_fail(ctx, PARCHUNK_ERR_NULL, "state %s is NULL", name);
    memcpy(s, bytes, sizeof *s);
    if (!pc_xsum_valid(s))
        return pc_arg_fail(ctx, PARCHUNK_ERR_ARG,
                           "state %s is not an exact-sum state (bad magic, flags or limbs)", name);
    return PARCHUNK_OK;
}

PARCHUNK_API parchunk_status parchunk_sum_exact_merge(parchunk_ctx *ctx, const void *a,
                                                      const void *b, void *out)
{
    pc_xsum left, right;
    parchunk_status st = load_state(ctx, "a", a, &left);
    if (st == PARCHUNK_OK)
        st = load_state(ctx, "b", b, &right);
    if (st == PARCHUNK_OK)
        st = pc_check_out(ctx, "out", out);
    if (st != PARCHUNK_OK)
        return st;
    if (!pc_xsum_merge(&left, &right))
        return pc_arg_fail(ctx, PARCHUNK_ERR_OVERFLOW, "the merged element count exceeds 2^64");
    memcpy(out, &left, sizeof left);
    return PARCHUNK_OK;
}

PARCHUNK_API parchunk_status parchunk_sum_exact_finalize(parchunk_ctx *ctx, const void *state,
                                                         double *out)
{
    pc_xsum s;
    parchunk_status st = load_state(ctx, "state", state, &s);
    if (st == PARCHUNK_OK)
        st = pc_check_out(ctx, "out", out);
    return st != PARCHUNK_OK ? st : finish(ctx, &s, false, out);
}

PARCHUNK_API parchunk_status parchunk_mean_exact_finalize(parchunk_ctx *ctx, const void *state,
                                                          double *out)
{
    pc_xsum s;
    parchunk_status st = load_state(ctx, "state", state, &s);
    if (st == PARCHUNK_OK)
        st = pc_check_out(ctx, "out", out);
    return st != PARCHUNK_OK ? st : finish(ctx, &s, true, out);
}

PARCHUNK_API parchunk_status parchunk_sum_exact_count(parchunk_ctx *ctx, const void *state,
                                                      uint64_t *count)
{
    pc_xsum s;
    parchunk_status st = load_state(ctx, "state", state, &s);
    if (st == PARCHUNK_OK)
        st = pc_check_out(ctx, "count", count);
    if (st == PARCHUNK_OK)
        *count = s.count;
    return st;
}
