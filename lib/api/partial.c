/*
 * partial.c - mergeable partial states: the statistics state of a piece of
 * data, serialised with the documented layout, merged and finalized. The
 * state is exactly the one the one-call functions finalize (stats_state.c).
 */
#include <string.h>

#include "stats_state.h"

PARCHUNK_API parchunk_status parchunk_partial(parchunk_ctx *ctx, parchunk_op op, const void *data,
                                              size_t n, parchunk_dtype dtype, uint32_t flags,
                                              void *state)
{
    parchunk_status st = pc_check_array(ctx, "data", data, n, dtype);
    if (st == PARCHUNK_OK)
        st = pc_check_out(ctx, "state", state);
    if (st == PARCHUNK_OK)
        st = pc_stat_check_args(ctx, op, flags, 0);
    if (st != PARCHUNK_OK)
        return st;
    pc_call call;
    st = pc_call_begin(&call, ctx, n, PARCHUNK_DEFAULT_CHUNK_SIZE);
    if (st != PARCHUNK_OK)
        return st;
    pc_stat_state s;
    st = pc_stat_run(&call, op, data, n, dtype, flags, &s);
    if (st == PARCHUNK_OK)
        pc_stat_encode(&s, state);
    return pc_call_end(&call, st);
}

static parchunk_status decode(parchunk_ctx *ctx, const char *name, const void *in, pc_stat_state *s)
{
    if (in == NULL)
        return pc_arg_fail(ctx, PARCHUNK_ERR_NULL, "%s is NULL", name);
    if (!pc_stat_decode(in, s))
        return pc_arg_fail(ctx, PARCHUNK_ERR_ARG, "%s is not a valid partial state", name);
    return PARCHUNK_OK;
}

PARCHUNK_API parchunk_status parchunk_partial_merge(parchunk_ctx *ctx, const void *left,
                                                    const void *right, void *out)
{
    pc_stat_state a, b;
    parchunk_status st = decode(ctx, "left", left, &a);
    if (st == PARCHUNK_OK)
        st = decode(ctx, "right", right, &b);
    if (st == PARCHUNK_OK)
        st = pc_check_out(ctx, "out", out);
    if (st != PARCHUNK_OK)
        return st;
    if (a.op != b.op || a.dtype != b.dtype || a.flags != b.flags)
        return pc_arg_fail(ctx, PARCHUNK_ERR_ARG,
                           "the states disagree: op %d/%d, dtype %s/%s, flags %d/%d", a.op, b.op,
                           pc_dtype_name((parchunk_dtype)a.dtype),
                           pc_dtype_name((parchunk_dtype)b.dtype), a.flags, b.flags);
    if (a.n + b.n > (UINT64_C(1) << 63))
        return pc_arg_fail(ctx, PARCHUNK_ERR_OVERFLOW,
                           "the merged state would cover > 2^63 "
                           "elements");
    pc_stat_merge(&a, &b);
    unsigned char buf[PARCHUNK_PARTIAL_STATE_SIZE];
    pc_stat_encode(&a, buf);
    memcpy(out, buf, sizeof buf); /* out may alias left or right */
    return PARCHUNK_OK;
}

PARCHUNK_API parchunk_status parchunk_partial_finalize(parchunk_ctx *ctx, const void *state,
                                                       int64_t ddof, void *out)
{
    pc_stat_state s;
    parchunk_status st = decode(ctx, "state", state, &s);
    if (st == PARCHUNK_OK)
        st = pc_check_out(ctx, "out", out);
    if (st != PARCHUNK_OK)
        return st;
    union {
        parchunk_stats_result stats;
        double d;
        int64_t i;
        unsigned char bytes[8];
    } result;
    st = pc_stat_finalize(ctx, &s, ddof, &result);
    if (st == PARCHUNK_OK)
        memcpy(out, &result, pc_stat_result_size(s.op, (parchunk_dtype)s.dtype));
    return st;
}

PARCHUNK_API parchunk_status parchunk_partial_info(parchunk_ctx *ctx, const void *state,
                                                   int32_t *op, int32_t *dtype, uint32_t *flags,
                                                   uint64_t *n)
{
    pc_stat_state s;
    parchunk_status st = decode(ctx, "state", state, &s);
    if (st != PARCHUNK_OK)
        return st;
    if (op)
        *op = s.op;
    if (dtype)
        *dtype = s.dtype;
    if (flags)
        *flags = s.flags;
    if (n)
        *n = s.n;
    return PARCHUNK_OK;
}

PARCHUNK_API parchunk_status parchunk_partial_sum_int(parchunk_ctx *ctx, const void *state,
                                                      int64_t *hi, uint64_t *lo)
{
    pc_stat_state s;
    parchunk_status st = decode(ctx, "state", state, &s);
    if (st == PARCHUNK_OK)
        st = pc_check_out(ctx, "hi", hi);
    if (st == PARCHUNK_OK)
        st = pc_check_out(ctx, "lo", lo);
    if (st != PARCHUNK_OK)
        return st;
    if (s.op != PARCHUNK_OP_SUM && s.op != PARCHUNK_OP_MEAN)
        return pc_arg_fail(ctx, PARCHUNK_ERR_ARG, "not a SUM or MEAN state (op %d)", s.op);
    if (pc_dtype_is_float((parchunk_dtype)s.dtype))
        return pc_arg_fail(ctx, PARCHUNK_ERR_DTYPE, "the state's dtype %s is not an integer",
                           pc_dtype_name((parchunk_dtype)s.dtype));
    *hi = (int64_t)(s.isum >> 64);
    *lo = (uint64_t)s.isum;
    return PARCHUNK_OK;
}
