/*
 * file_count.c - non-overlapping needle counts (bytes.count) over chunks.
 *
 * Greedy left-to-right matching makes a chunk's count depend on where the
 * previous chunk's last match ended (it may reach up to m - 1 bytes into
 * this chunk). Pass 1 (parallel) scans every chunk as if nothing reached
 * into it, and records its count, where its scan resumes after the chunk,
 * and the starts of its first matches. Pass 2 (serial, in chunk order)
 * walks the chunks with the true resume position: when it equals the
 * chunk's start, the pass-1 result is the truth; otherwise the chunk is
 * rescanned from the true position until the rescan reaches a match pass 1
 * also found (from there both greedy scans coincide), or to its end.
 * Borderless needles (no proper prefix equal to a suffix: no self-overlap)
 * sync at the first match, so pass 2 costs nothing for them.
 */
#include <string.h>

#include "../kernels/text/text.h"
#include "file_common.h"

enum { COUNT_WINDOW = 4096 };

typedef struct chunk_result {
    uint64_t count;
    uint64_t resume; /* absolute */
    size_t nfirst;
    uint64_t first[PC_NEEDLE_TRACK]; /* absolute */
} chunk_result;

typedef struct count_job {
    pc_call *call;
    pc_source *src;
    const unsigned char *needle;
    size_t m;
    chunk_result *results; /* one per chunk of the window */
    size_t first_chunk;
} count_job;

/* Scans [from, end) of the source, reading up to m - 1 bytes past end. */
static parchunk_status scan(count_job *job, uint64_t from, uint64_t end, const size_t *sync,
                            size_t nsync, pc_needle_scan *out)
{
    uint64_t stop = end + job->m - 1;
    if (stop > job->src->size)
        stop = job->src->size;
    pc_view view;
    parchunk_status st =
        pc_source_view(job->call, job->src, from, (size_t)(stop - from), false, &view);
    if (st != PARCHUNK_OK)
        return st;
    pc_needle_scan_run(view.bytes, view.len, 0, (size_t)(end - from), job->needle, job->m, sync,
                       nsync, out);
    pc_view_release(&view);
    return PARCHUNK_OK;
}

static parchunk_status pass1_chunk(void *arg, size_t chunk_index, size_t begin, size_t end)
{
    count_job *job = arg;
    chunk_result *r = &job->results[chunk_index - job->first_chunk];
    if (job->m == 1) { /* one byte: matches never overlap, nothing carries */
        pc_view view;
        parchunk_status st = pc_source_view(job->call, job->src, begin, end - begin, false, &view);
        if (st != PARCHUNK_OK)
            return st;
        r->count = pc_count_byte(view.bytes, view.len, job->needle[0]);
        r->resume = end;
        r->nfirst = 0;
        pc_view_release(&view);
        return PARCHUNK_OK;
    }
    pc_needle_scan s;
    parchunk_status st = scan(job, begin, end, NULL, 0, &s);
    if (st != PARCHUNK_OK)
        return st;
    r->count = s.count;
    r->resume = begin + s.resume;
    r->nfirst = s.nfirst;
    for (size_t i = 0; i < s.nfirst; i++)
        r->first[i] = begin + s.first[i];
    return PARCHUNK_OK;
}

/* Pass 2 for one chunk [begin, end) entered at *resume >= begin. */
static parchunk_status settle_chunk(count_job *job, const chunk_result *r, uint64_t begin,
                                    uint64_t end, uint64_t *resume, uint64_t *total)
{
    uint64_t from = *resume;
    if (from == begin) {
        *total += r->count;
        *resume = r->resume;
        return PARCHUNK_OK;
    }
    if (from >= end)
        return PARCHUNK_OK; /* a match from before covers the whole chunk */
    /* Pass-1 match starts at or after `from`, relative to it, as sync points. */
    size_t sync[PC_NEEDLE_TRACK], origin[PC_NEEDLE_TRACK], nsync = 0;
    for (size_t i = 0; i < r->nfirst; i++)
        if (r->first[i] >= from) {
            sync[nsync] = (size_t)(r->first[i] - from);
            origin[nsync++] = i;
        }
    pc_needle_scan s;
    parchunk_status st = scan(job, from, end, sync, nsync, &s);
    if (st != PARCHUNK_OK)
        return st;
    if (s.synced >= 0) {
        *total += s.count + (r->count - origin[s.synced]);
        *resume = r->resume;
    } else {
        *total += s.count;
        *resume = from + s.resume;
    }
    return PARCHUNK_OK;
}

static parchunk_status count_needle(pc_call *call, pc_source *src, const unsigned char *needle,
                                    size_t m, uint64_t *out)
{
    pc_plan plan = pc_plan_make((size_t)src->size, call->chunk);
    parchunk_status st = pc_source_prepare_pool(call, src, plan.nchunks);
    if (st != PARCHUNK_OK)
        return st;
    size_t window = plan.nchunks < COUNT_WINDOW ? plan.nchunks : COUNT_WINDOW;
    chunk_result *results = pc_alloc_array(window, sizeof *results);
    if (results == NULL)
        return pc_call_fail(call, PARCHUNK_ERR_NOMEM, "cannot allocate %zu chunk results", window);
    count_job job = {call, src, needle, m, results, 0};
    uint64_t total = 0, resume = 0;
    for (size_t first = 0; first < plan.nchunks && st == PARCHUNK_OK; first += window) {
        size_t last = first + window < plan.nchunks ? first + window : plan.nchunks;
        job.first_chunk = first;
        st = pc_run_chunks(call, &plan, first, last, pass1_chunk, &job);
        for (size_t k = first; k < last && st == PARCHUNK_OK; k++)
            st = settle_chunk(&job, &results[k - first], pc_plan_begin(&plan, k),
                              pc_plan_end(&plan, k), &resume, &total);
    }
    pc_free(results);
    if (st == PARCHUNK_OK)
        *out = total;
    return st;
}

static parchunk_status run_count(parchunk_ctx *ctx, const char *path, const void *data, size_t size,
                                 bool is_file, const void *needle, size_t needle_len, uint64_t *out)
{
    parchunk_status st = pc_check_source(ctx, path, data, size, is_file);
    if (st == PARCHUNK_OK)
        st = pc_check_out(ctx, "out", out);
    if (st == PARCHUNK_OK && needle == NULL)
        st = pc_arg_fail(ctx, PARCHUNK_ERR_NULL, "needle is NULL");
    if (st == PARCHUNK_OK && needle_len == 0)
        st = pc_arg_fail(ctx, PARCHUNK_ERR_ARG, "the needle is empty (needle_len is 0)");
    if (st != PARCHUNK_OK)
        return st;
    pc_call call;
    pc_source src;
    st = pc_file_call_begin(&call, &src, ctx, is_file ? path : NULL, data, size, 1);
    if (st != PARCHUNK_OK)
        return st;
    st = count_needle(&call, &src, needle, needle_len, out);
    return pc_file_call_end(&call, &src, st);
}

PARCHUNK_API parchunk_status parchunk_file_count(parchunk_ctx *ctx, const char *path,
                                                 const void *needle, size_t needle_len,
                                                 uint64_t *out)
{
    return run_count(ctx, path, NULL, 0, true, needle, needle_len, out);
}

PARCHUNK_API parchunk_status parchunk_bytes_count(parchunk_ctx *ctx, const void *data, size_t size,
                                                  const void *needle, size_t needle_len,
                                                  uint64_t *out)
{
    return run_count(ctx, NULL, data, size, false, needle, needle_len, out);
}
