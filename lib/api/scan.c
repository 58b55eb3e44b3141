/*
 * scan.c - parchunk_cumsum: a parallel inclusive prefix sum in two passes
 * over a fixed chunk plan. Pass 1 reads each chunk and summarises it (float:
 * its total; integer: its exact total and the range of its prefixes). The
 * summaries are folded in chunk order into one offset per chunk, and for
 * integers every prefix is checked against the output range, so an overflow
 * is reported before a single output element is written. Pass 2 scans each
 * chunk from its offset and writes the output; it runs to completion
 * (cancellation is honoured during pass 1 only) so the output is never left
 * half written. Memory traffic: read, then read + write, against read +
 * write for a sequential scan, but both passes run on every core.
 */
#include <string.h>

#include "../engine/committed.h"
#include "../kernels/scan/scan.h"
#include "api.h"

typedef struct scan_job {
    const unsigned char *data;
    unsigned char *out;
    parchunk_dtype dtype, out_dtype;
    size_t itemsize, out_itemsize;
    double *float_offsets;              /* pass 1: chunk totals; pass 2: offsets */
    pc_scan_int_summary *int_summaries; /* pass 2: .total holds the offset */
} scan_job;

static parchunk_status float_pass1(void *arg, size_t c, size_t begin, size_t end)
{
    scan_job *job = arg;
    job->float_offsets[c] =
        pc_scan_float_total(job->data + begin * job->itemsize, end - begin, job->dtype);
    return PARCHUNK_OK;
}

static parchunk_status float_pass2(void *arg, size_t c, size_t begin, size_t end)
{
    scan_job *job = arg;
    pc_scan_float(job->data + begin * job->itemsize, end - begin, job->dtype, job->float_offsets[c],
                  job->out + begin * job->out_itemsize, job->out_dtype);
    return PARCHUNK_OK;
}

static parchunk_status int_pass1(void *arg, size_t c, size_t begin, size_t end)
{
    scan_job *job = arg;
    pc_scan_int_summarise(job->data + begin * job->itemsize, end - begin, job->dtype,
                          &job->int_summaries[c]);
    return PARCHUNK_OK;
}

static parchunk_status int_pass2(void *arg, size_t c, size_t begin, size_t end)
{
    scan_job *job = arg;
    pc_scan_int(job->data + begin * job->itemsize, end - begin, job->dtype,
                (uint64_t)job->int_summaries[c].total,
                (uint64_t *)(void *)(job->out + begin * job->out_itemsize));
    return PARCHUNK_OK;
}

/* Exclusive prefix of the chunk totals, in chunk order (the only sequential
 * step: one add per chunk). */
static void float_offsets(double *totals, size_t nchunks)
{
    double offset = 0.0;
    for (size_t c = 0; c < nchunks; c++) {
        double t = totals[c];
        totals[c] = offset;
        offset += t;
    }
}

/* Turns the summaries into offsets (in .total) and checks every prefix
 * against [lo, hi]. A chunk whose loose bounds do not settle the check is
 * summarised exactly (on this thread: it takes data near the limits of the
 * output type). Returns the index of the first chunk holding a prefix out of
 * range, or nchunks when all fit. */
static size_t int_offsets(const scan_job *job, const pc_plan *plan, pc_i128 lo, pc_i128 hi)
{
    pc_scan_int_summary *s = job->int_summaries;
    size_t nchunks = plan->nchunks;
    pc_i128 offset = 0; /* |offset| < 2^64 * 2^61: no 128-bit overflow */
    for (size_t c = 0; c < nchunks; c++) {
        if (!s[c].exact && (offset + s[c].low < lo || offset + s[c].high > hi)) {
            size_t begin = pc_plan_begin(plan, c);
            pc_scan_int_summarise_exact(job->data + begin * job->itemsize,
                                        pc_plan_end(plan, c) - begin, job->dtype, &s[c]);
        }
        if (offset + s[c].low < lo || offset + s[c].high > hi)
            return c;
        pc_i128 t = s[c].total;
        s[c].total = offset;
        offset += t;
    }
    return nchunks;
}

/* The output types cumsum accepts for each input type. */
static bool out_dtype_allowed(parchunk_dtype in, parchunk_dtype out)
{
    switch (in) {
    case PARCHUNK_FLOAT64: return out == PARCHUNK_FLOAT64;
    case PARCHUNK_FLOAT32: return out == PARCHUNK_FLOAT32 || out == PARCHUNK_FLOAT64;
    case PARCHUNK_INT8:
    case PARCHUNK_INT16:
    case PARCHUNK_INT32:
    case PARCHUNK_INT64: return out == PARCHUNK_INT64;
    default: /* unsigned */ return out == PARCHUNK_INT64 || out == PARCHUNK_UINT64;
    }
}

static bool ranges_overlap(const void *a, size_t abytes, const void *b, size_t bbytes)
{
    uintptr_t a0 = (uintptr_t)a, b0 = (uintptr_t)b;
    return abytes > 0 && bbytes > 0 && a0 < b0 + bbytes && b0 < a0 + abytes;
}

static parchunk_status check_args(parchunk_ctx *ctx, const void *data, size_t n,
                                  parchunk_dtype dtype, const void *out, parchunk_dtype out_dtype)
{
    parchunk_status st = pc_check_array(ctx, "data", data, n, dtype);
    if (st != PARCHUNK_OK)
        return st;
    if (out == NULL && n > 0)
        return pc_arg_fail(ctx, PARCHUNK_ERR_NULL, "out is NULL but n is %zu", n);
    if (!pc_dtype_valid(out_dtype))
        return pc_arg_fail(ctx, PARCHUNK_ERR_DTYPE, "out_dtype: unknown dtype %d", (int)out_dtype);
    if (n > 0 && pc_check_aligned(ctx, "out", out, parchunk_dtype_size(out_dtype)) != PARCHUNK_OK)
        return PARCHUNK_ERR_ARG;
    if (!out_dtype_allowed(dtype, out_dtype))
        return pc_arg_fail(ctx, PARCHUNK_ERR_DTYPE, "cumsum of %s cannot produce %s",
                           pc_dtype_name(dtype), pc_dtype_name(out_dtype));
    size_t isz = parchunk_dtype_size(dtype), osz = parchunk_dtype_size(out_dtype);
    if (n > SIZE_MAX / osz)
        return pc_arg_fail(ctx, PARCHUNK_ERR_ARG, "n = %zu elements do not fit in memory", n);
    bool in_place = (const void *)out == data && isz == osz;
    if (!in_place && ranges_overlap(data, n * isz, out, n * osz))
        return pc_arg_fail(ctx, PARCHUNK_ERR_ARG,
                           "out overlaps data without being the same array of the same "
                           "element size");
    return PARCHUNK_OK;
}

PARCHUNK_API parchunk_status parchunk_cumsum(parchunk_ctx *ctx, const void *data, size_t n,
                                             parchunk_dtype dtype, void *out,
                                             parchunk_dtype out_dtype)
{
    parchunk_status st = check_args(ctx, data, n, dtype, out, out_dtype);
    if (st != PARCHUNK_OK)
        return st;
    pc_call call;
    st = pc_call_begin(&call, ctx, (uint64_t)n * 2, PARCHUNK_DEFAULT_CHUNK_SIZE);
    if (st != PARCHUNK_OK)
        return st;
    pc_plan plan = pc_plan_make(n, call.chunk);
    if (plan.nchunks == 0)
        return pc_call_end(&call, PARCHUNK_OK);

    scan_job job = {.data = data,
                    .out = out,
                    .dtype = dtype,
                    .out_dtype = out_dtype,
                    .itemsize = parchunk_dtype_size(dtype),
                    .out_itemsize = parchunk_dtype_size(out_dtype)};
    bool is_float = pc_dtype_is_float(dtype);
    void *scratch = is_float ? pc_alloc_array(plan.nchunks, sizeof(double))
                             : pc_alloc_array(plan.nchunks, sizeof(pc_scan_int_summary));
    if (scratch == NULL)
        return pc_call_end(&call,
                           pc_call_fail(&call, PARCHUNK_ERR_NOMEM,
                                        "cannot allocate %zu chunk summaries", plan.nchunks));
    if (is_float) {
        job.float_offsets = scratch;
        st = pc_run_chunks(&call, &plan, 0, plan.nchunks, float_pass1, &job);
        if (st == PARCHUNK_OK) {
            float_offsets(job.float_offsets, plan.nchunks);
            st = pc_run_committed(&call, &plan, n, float_pass2, &job);
        }
    } else {
        job.int_summaries = scratch;
        st = pc_run_chunks(&call, &plan, 0, plan.nchunks, int_pass1, &job);
        if (st == PARCHUNK_OK) {
            bool to_u64 = out_dtype == PARCHUNK_UINT64;
            pc_i128 lo = to_u64 ? 0 : INT64_MIN;
            pc_i128 hi = to_u64 ? (pc_i128)UINT64_MAX : INT64_MAX;
            size_t bad = int_offsets(&job, &plan, lo, hi);
            if (bad < plan.nchunks)
                st = pc_call_fail(&call, PARCHUNK_ERR_OVERFLOW,
                                  "a prefix sum within elements [%zu, %zu) leaves the %s range",
                                  pc_plan_begin(&plan, bad), pc_plan_end(&plan, bad),
                                  pc_dtype_name(out_dtype));
            else
                st = pc_run_committed(&call, &plan, n, int_pass2, &job);
        }
    }
    pc_free(scratch);
    return pc_call_end(&call, st);
}
