/*
 * file_scan.c - the one-pass byte scans: count_lines, byte_histogram,
 * crc32. Each is a reduction over chunks of the source (pc_reduce); a chunk
 * sees its bytes through a view (the caller's memory, or a pool buffer
 * filled with pread).
 */
#include <string.h>

#include "../kernels/text/text.h"
#include "file_common.h"

typedef struct scan_job {
    pc_call *call;
    pc_source *src;
} scan_job;

/* Runs kernel over the bytes of one chunk. */
typedef void (*bytes_fn)(void *state, const unsigned char *p, size_t n);

static parchunk_status with_view(const scan_job *job, size_t begin, size_t end, void *state,
                                 bytes_fn fn)
{
    pc_view view;
    parchunk_status st = pc_source_view(job->call, job->src, begin, end - begin, false, &view);
    if (st != PARCHUNK_OK)
        return st;
    fn(state, view.bytes, view.len);
    pc_view_release(&view);
    return PARCHUNK_OK;
}

/* ---- count_lines --------------------------------------------------------- */

static void u64_init(void *state, const void *job)
{
    PC_UNUSED(job);
    *(uint64_t *)state = 0;
}

static void u64_merge(void *left, const void *right, const void *job)
{
    PC_UNUSED(job);
    *(uint64_t *)left += *(const uint64_t *)right;
}

static void newlines(void *state, const unsigned char *p, size_t n)
{
    *(uint64_t *)state += pc_count_byte(p, n, '\n');
}

static parchunk_status lines_accumulate(void *state, const void *job, size_t begin, size_t end)
{
    return with_view(job, begin, end, state, newlines);
}

static const pc_reduce_ops lines_ops = {sizeof(uint64_t), u64_init, lines_accumulate, u64_merge};

/* ---- byte_histogram ------------------------------------------------------ */

static void hist_init(void *state, const void *job)
{
    PC_UNUSED(job);
    memset(state, 0, 256 * sizeof(int64_t));
}

static void hist_merge(void *left, const void *right, const void *job)
{
    PC_UNUSED(job);
    int64_t *l = left;
    const int64_t *r = right;
    for (int v = 0; v < 256; v++)
        l[v] += r[v];
}

static void hist_kernel(void *state, const unsigned char *p, size_t n)
{
    pc_byte_histogram(p, n, state);
}

static parchunk_status hist_accumulate(void *state, const void *job, size_t begin, size_t end)
{
    return with_view(job, begin, end, state, hist_kernel);
}

static const pc_reduce_ops hist_ops = {256 * sizeof(int64_t), hist_init, hist_accumulate,
                                       hist_merge};

/* ---- crc32 ---------------------------------------------------------------- */

/* The implementation, chosen once when the library is loaded. */
static uint32_t (*crc32_impl)(uint32_t, const unsigned char *, size_t) = pc_crc32_portable;

__attribute__((constructor)) static void choose_crc32(void)
{
    if (pc_crc32_clmul_available())
        crc32_impl = pc_crc32_clmul;
}

typedef struct crc_state {
    uint32_t crc; /* crc32 of the chunk's bytes from 0 */
    uint64_t len;
} crc_state;

static void crc_init(void *state, const void *job)
{
    PC_UNUSED(job);
    crc_state zero = {0, 0};
    memcpy(state, &zero, sizeof zero);
}

static void crc_merge(void *left, const void *right, const void *job)
{
    PC_UNUSED(job);
    crc_state *l = left;
    const crc_state *r = right;
    l->crc = pc_crc32_combine(l->crc, r->crc, r->len);
    l->len += r->len;
}

static void crc_kernel(void *state, const unsigned char *p, size_t n)
{
    crc_state *s = state;
    s->crc = crc32_impl(s->crc, p, n);
    s->len += n;
}

static parchunk_status crc_accumulate(void *state, const void *job, size_t begin, size_t end)
{
    return with_view(job, begin, end, state, crc_kernel);
}

static const pc_reduce_ops crc_ops = {sizeof(crc_state), crc_init, crc_accumulate, crc_merge};

/* ---- the exported functions ----------------------------------------------- */

static parchunk_status run_scan(parchunk_ctx *ctx, const char *path, const void *data, size_t size,
                                bool is_file, const pc_reduce_ops *ops, void *result,
                                const void *out)
{
    parchunk_status st = pc_check_source(ctx, path, data, size, is_file);
    if (st == PARCHUNK_OK)
        st = pc_check_out(ctx, "out", out);
    if (st != PARCHUNK_OK)
        return st;
    pc_call call;
    pc_source src;
    st = pc_file_call_begin(&call, &src, ctx, is_file ? path : NULL, data, size, 1);
    if (st != PARCHUNK_OK)
        return st;
    pc_plan plan = pc_plan_make((size_t)src.size, call.chunk);
    st = pc_source_prepare_pool(&call, &src, plan.nchunks);
    if (st == PARCHUNK_OK) {
        scan_job job = {&call, &src};
        st = pc_reduce(&call, (size_t)src.size, ops, &job, result);
    }
    return pc_file_call_end(&call, &src, st);
}

PARCHUNK_API parchunk_status parchunk_file_count_lines(parchunk_ctx *ctx, const char *path,
                                                       uint64_t *out)
{
    uint64_t n;
    parchunk_status st = run_scan(ctx, path, NULL, 0, true, &lines_ops, &n, out);
    if (st == PARCHUNK_OK)
        *out = n;
    return st;
}

PARCHUNK_API parchunk_status parchunk_bytes_count_lines(parchunk_ctx *ctx, const void *data,
                                                        size_t size, uint64_t *out)
{
    uint64_t n;
    parchunk_status st = run_scan(ctx, NULL, data, size, false, &lines_ops, &n, out);
    if (st == PARCHUNK_OK)
        *out = n;
    return st;
}

PARCHUNK_API parchunk_status parchunk_file_byte_histogram(parchunk_ctx *ctx, const char *path,
                                                          int64_t *out)
{
    int64_t hist[256];
    parchunk_status st = run_scan(ctx, path, NULL, 0, true, &hist_ops, hist, out);
    if (st == PARCHUNK_OK)
        memcpy(out, hist, sizeof hist);
    return st;
}

PARCHUNK_API parchunk_status parchunk_bytes_byte_histogram(parchunk_ctx *ctx, const void *data,
                                                           size_t size, int64_t *out)
{
    int64_t hist[256];
    parchunk_status st = run_scan(ctx, NULL, data, size, false, &hist_ops, hist, out);
    if (st == PARCHUNK_OK)
        memcpy(out, hist, sizeof hist);
    return st;
}

PARCHUNK_API parchunk_status parchunk_file_crc32(parchunk_ctx *ctx, const char *path,
                                                 uint32_t value, uint32_t *out)
{
    crc_state s;
    parchunk_status st = run_scan(ctx, path, NULL, 0, true, &crc_ops, &s, out);
    if (st == PARCHUNK_OK)
        *out = pc_crc32_combine(value, s.crc, s.len);
    return st;
}

PARCHUNK_API parchunk_status parchunk_bytes_crc32(parchunk_ctx *ctx, const void *data, size_t size,
                                                  uint32_t value, uint32_t *out)
{
    crc_state s;
    parchunk_status st = run_scan(ctx, NULL, data, size, false, &crc_ops, &s, out);
    if (st == PARCHUNK_OK)
        *out = pc_crc32_combine(value, s.crc, s.len);
    return st;
}
