/*
 * stats_axis.c - reductions along the middle axis of an (outer, len, inner)
 * C-contiguous array. Outputs are independent, so the work is split over
 * outputs: rows (inner == 1) are each reduced exactly as the 1-D call
 * reduces them (same chunks, same merge tree, run serially inside a task),
 * and column blocks (inner > 1) by the column kernels. A few long rows are
 * instead reduced one after the other, each in parallel. Which path runs
 * never changes a result.
 */
#include <math.h>
#include <string.h>

#include "stats_state.h"

/* Outputs per task at least, when inner > 1: tiles this wide read a page of
 * each row, which keeps strided column reads near streaming speed. */
enum { PC_COLS_TASK_MIN = 512 };

typedef struct axis_job {
    pc_call *call;
    const unsigned char *data;
    size_t len, inner, itemsize;
    parchunk_dtype dtype;
    parchunk_op op;
    uint32_t flags;
    int64_t ddof;
    unsigned char *out;
    size_t out_size; /* bytes per output */
} axis_job;

/* Reduces one row exactly as parchunk_reduce() would on a ctx of the same
 * chunk size: a row of at most one chunk is init + accumulate (what
 * pc_reduce does for one chunk), a longer one goes through pc_reduce on a
 * serial stand-in call. */
static parchunk_status reduce_row(const axis_job *job, const unsigned char *row, pc_stat_state *s)
{
    pc_stat_job sj = {row, job->itemsize, job->dtype, job->op, job->flags};
    if (job->len <= job->call->chunk) {
        pc_stat_init(s, &sj);
        pc_stat_accumulate(s, row, job->len);
        return PARCHUNK_OK;
    }
    pc_call serial;
    pc_ctx_init(&serial.local);
    serial.ctx = &serial.local;
    serial.nthreads = 1;
    serial.chunk = job->call->chunk;
    serial.cutoff = SIZE_MAX;
    return pc_reduce(&serial, job->len, &pc_stat_ops, &sj, s);
}

static parchunk_status rows_chunk(void *arg, size_t chunk_index, size_t begin, size_t end)
{
    PC_UNUSED(chunk_index);
    const axis_job *job = arg;
    for (size_t r = begin; r < end; r++) {
        pc_stat_state s;
        parchunk_status st = reduce_row(job, job->data + r * job->len * job->itemsize, &s);
        if (st != PARCHUNK_OK)
            return st;
        st = pc_stat_finalize(NULL, &s, job->ddof, job->out + r * job->out_size);
        if (st != PARCHUNK_OK)
            return st;
    }
    return PARCHUNK_OK;
}

static void write_double(unsigned char *dst, double v)
{
    memcpy(dst, &v, sizeof v);
}

/* Outputs [begin, end) of the flattened (outer, inner) result, in column
 * blocks of at most PC_COLS_MAX that stay within one outer index. */
static parchunk_status cols_chunk(void *arg, size_t chunk_index, size_t begin, size_t end)
{
    PC_UNUSED(chunk_index);
    const axis_job *job = arg;
    bool skip = (job->flags & PARCHUNK_SKIPNA) && pc_dtype_is_float(job->dtype);
    double sum[PC_COLS_MAX];
    uint64_t count[PC_COLS_MAX];
    pc_moments mom[PC_COLS_MAX];
    double *scratch = NULL;
    if (job->op == PARCHUNK_OP_SUM || job->op == PARCHUNK_OP_MEAN) {
        scratch = pc_alloc_array(pc_cols_sum_scratch(job->len), sizeof(double));
        if (scratch == NULL)
            return PARCHUNK_ERR_NOMEM;
    }
    for (size_t i = begin; i < end;) {
        size_t o = i / job->inner, j = i % job->inner;
        size_t w = end - i;
        if (w > job->inner - j)
            w = job->inner - j;
        if (w > PC_COLS_MAX)
            w = PC_COLS_MAX;
        const unsigned char *base = job->data + (o * job->len * job->inner + j) * job->itemsize;
        unsigned char *dst = job->out + i * job->out_size;
        switch (job->op) {
        case PARCHUNK_OP_SUM:
        case PARCHUNK_OP_MEAN:
            pc_cols_sum(base, job->len, job->inner, w, job->dtype, skip, sum, count, scratch);
            for (size_t k = 0; k < w; k++) {
                double v = sum[k];
                if (job->op == PARCHUNK_OP_MEAN)
                    v = count[k] ? v / (double)count[k] : NAN;
                write_double(dst + k * sizeof(double), v);
            }
            break;
        case PARCHUNK_OP_VAR:
        case PARCHUNK_OP_STD:
            pc_cols_moments(base, job->len, job->inner, w, job->dtype, skip, mom);
            for (size_t k = 0; k < w; k++) {
                double v = mom[k].count > (uint64_t)job->ddof
                               ? mom[k].m2 / ((double)mom[k].count - (double)job->ddof)
                               : NAN;
                if (job->op == PARCHUNK_OP_STD)
                    v = sqrt(v);
                write_double(dst + k * sizeof(double), v);
            }
            break;
        case PARCHUNK_OP_MIN:
        case PARCHUNK_OP_MAX:
            pc_cols_extreme(base, job->len, job->inner, w, job->dtype, job->op == PARCHUNK_OP_MAX,
                            skip, dst);
            break;
        default: break;
        }
        i += w;
    }
    pc_free(scratch);
    return PARCHUNK_OK;
}

static parchunk_status run_axis(pc_call *call, axis_job *job, size_t outer, size_t total);

static parchunk_status check_axis_args(parchunk_ctx *ctx, parchunk_op op, const void *data,
                                       size_t outer, size_t len, size_t inner, parchunk_dtype dtype,
                                       int64_t ddof, uint32_t flags, const void *out, size_t *total)
{
    parchunk_status st = pc_stat_check_args(ctx, op, flags, ddof);
    if (st != PARCHUNK_OK)
        return st;
    if (!pc_op_axis(op))
        return pc_arg_fail(ctx, PARCHUNK_ERR_ARG,
                           "op %d has no axis form (SUM, MEAN, MIN, MAX, "
                           "VAR, STD do)",
                           (int)op);
    if (!pc_dtype_valid(dtype))
        return pc_arg_fail(ctx, PARCHUNK_ERR_DTYPE, "data: unknown dtype %d", (int)dtype);
    size_t outputs = 0;
    if (__builtin_mul_overflow(outer, inner, &outputs) ||
        __builtin_mul_overflow(outputs, len, total) ||
        *total > SIZE_MAX / parchunk_dtype_size(dtype))
        return pc_arg_fail(ctx, PARCHUNK_ERR_ARG,
                           "outer * len * inner (%zu * %zu * %zu) "
                           "overflows",
                           outer, len, inner);
    if (data == NULL && *total > 0)
        return pc_arg_fail(ctx, PARCHUNK_ERR_NULL, "data is NULL but holds %zu elements", *total);
    if (out == NULL && outputs > 0)
        return pc_arg_fail(ctx, PARCHUNK_ERR_NULL, "out is NULL but %zu outputs are due", outputs);
    if (*total > 0 && pc_check_aligned(ctx, "data", data, parchunk_dtype_size(dtype)) != PARCHUNK_OK)
        return PARCHUNK_ERR_ARG;
    if (len == 0 && op != PARCHUNK_OP_SUM)
        return pc_arg_fail(ctx, PARCHUNK_ERR_EMPTY, "the reduced axis is empty (len is 0)");
    bool skip = (flags & PARCHUNK_SKIPNA) && pc_dtype_is_float(dtype);
    if ((op == PARCHUNK_OP_VAR || op == PARCHUNK_OP_STD) && !skip && (uint64_t)ddof >= len)
        return pc_arg_fail(ctx, PARCHUNK_ERR_ARG,
                           "ddof (%lld) must be smaller than the axis length (%zu)",
                           (long long)ddof, len);
    return PARCHUNK_OK;
}

PARCHUNK_API parchunk_status parchunk_reduce_axis(parchunk_ctx *ctx, parchunk_op op,
                                                  const void *data, size_t outer, size_t len,
                                                  size_t inner, parchunk_dtype dtype, int64_t ddof,
                                                  uint32_t flags, void *out)
{
    size_t total = 0;
    parchunk_status st =
        check_axis_args(ctx, op, data, outer, len, inner, dtype, ddof, flags, out, &total);
    if (st != PARCHUNK_OK)
        return st;
    size_t outputs = outer * inner;
    if (outputs == 0)
        return PARCHUNK_OK;
    if (len == 0) { /* SUM of nothing */
        for (size_t i = 0; i < outputs; i++)
            write_double((unsigned char *)out + i * sizeof(double), 0.0);
        return PARCHUNK_OK;
    }

    pc_call call;
    st = pc_call_begin(&call, ctx, total, PARCHUNK_DEFAULT_CHUNK_SIZE);
    if (st != PARCHUNK_OK)
        return st;
    /* results go to a scratch buffer first: out stays untouched on error */
    size_t out_size = pc_stat_result_size(op, dtype);
    unsigned char *scratch = pc_alloc_array(outputs, out_size);
    if (scratch == NULL)
        return pc_call_end(
            &call, pc_call_fail(&call, PARCHUNK_ERR_NOMEM, "cannot allocate %zu results", outputs));
    axis_job job = {&call, data, len,     inner,   parchunk_dtype_size(dtype), dtype, op,
                    flags, ddof, scratch, out_size};
    st = run_axis(&call, &job, outer, total);
    if (st == PARCHUNK_OK)
        memcpy(out, scratch, outputs * out_size);
    pc_free(scratch);
    return pc_call_end(&call, st);
}

static parchunk_status run_axis(pc_call *call, axis_job *job, size_t outer, size_t total)
{
    parchunk_status st = PARCHUNK_OK;
    size_t len = job->len, inner = job->inner, outputs = outer * inner;

    if (inner == 1 && len > call->chunk && outer < 2 * (size_t)call->nthreads) {
        /* few long rows: each row in parallel, one after the other; progress
         * counts elements */
        for (size_t r = 0; r < outer && st == PARCHUNK_OK; r++) {
            pc_stat_state s;
            st = pc_stat_run(call, job->op, job->data + r * len * job->itemsize, len, job->dtype,
                             job->flags, &s);
            if (st == PARCHUNK_OK)
                st = pc_stat_finalize(NULL, &s, job->ddof, job->out + r * job->out_size);
        }
        return st;
    }

    /* outputs in parallel; progress counts outputs. A task holds about one
     * chunk of elements (at least a full column block when inner > 1). */
    size_t per_task = call->chunk / len;
    if (inner > 1 && per_task < PC_COLS_TASK_MIN)
        per_task = PC_COLS_TASK_MIN; /* wide tiles: long strided columns read page-wise */
    if (per_task == 0)
        per_task = 1;
    call->cutoff = total >= call->cutoff ? 0 : SIZE_MAX;
    atomic_store(&call->ctx->total, outputs);
    pc_plan plan = pc_plan_make(outputs, per_task);
    return pc_run_chunks(call, &plan, 0, plan.nchunks, inner == 1 ? rows_chunk : cols_chunk, job);
}
