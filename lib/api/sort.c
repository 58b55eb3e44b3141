/*
 * sort.c - parchunk_sort and parchunk_argsort: a parallel radix sort.
 *
 * Elements become order-preserving unsigned keys (see kernels/sort/sort.h).
 *   (sample)   the calling thread reads every (n / 2^15)-th key: their range
 *              and a histogram of their 12-bit (or 16-, 20-bit) prefixes give a monotone map
 *              prefix -> bucket with buckets of about equal size, so
 *              clustered data (floats) still spreads out;
 *   B. (read)  per-chunk bucket histograms, over a plan of <= 64 chunks;
 *   C. (write) a stable scatter of every chunk into the buckets of a scratch
 *              key buffer, at offsets ordered by (bucket, chunk);
 *   D. (write) every bucket sorted on its own, from the scatter buffer into
 *              a buffer on the stack (in cache: ~8K keys) and, for a values
 *              sort, converted back to elements into out; buckets are spread
 *              over the threads.
 * The scatter buffer of a values sort into a separate out is out itself, so
 * such a sort needs no input-sized scratch unless a bucket outgrows the
 * stack buffer (clustered data).
 * A stable sort of a total order has one result, so the output never depends
 * on the chunk plan, the sample or the thread count. Passes C and D run to
 * completion once started (cancellation is honoured in B), so an error never
 * leaves a half-written output.
 */
#include <string.h>

#include "../engine/committed.h"
#include "../engine/scratch.h"
#include "../kernels/sort/sort.h"
#include "api.h"

/* Top level: at most MAX_TOP_CHUNKS chunks (each holds a histogram row); about
 * KEYS_PER_BUCKET keys per bucket so a bucket sorts in L1/L2, at most
 * MAX_BUCKETS buckets (the scatter writes to that many places at once);
 * inputs under SMALL_SORT keys are one bucket; the prefix sample takes about
 * SAMPLE_TARGET keys. */
enum {
    MAX_TOP_CHUNKS = 64,
    KEYS_PER_BUCKET = 8192,
    MIN_BUCKETS = 16,
    MAX_BUCKETS = PC_SORT_MAX_BUCKETS,
    SMALL_SORT = 2048,
    SAMPLE_TARGET = 1 << 15,
    WIDE_PREFIX_FROM = 1 << 20,
    BUCKET_TMP_BYTES = 128 * 1024
};

typedef struct sort_job {
    const unsigned char *data;
    parchunk_dtype dtype;
    pc_sort_mode mode;
    size_t itemsize, keysize;
    pc_sort_digit digit;
    size_t nrow;          /* histogram entries per chunk: nbuckets + 1 */
    size_t *hist;         /* nchunks * nrow: counts, then scatter offsets */
    size_t *bucket_start; /* nrow + 1 entries */
    size_t *big_offset;   /* nrow entries: where a big bucket sorts into `big` */
    unsigned char *keys1; /* the scattered keys: out itself, or scratch */
    unsigned char *big;   /* sorted keys of buckets too big for the stack */
    int64_t *index1, *index2;
    unsigned char *out;
} sort_job;

/* ---- the passes ------------------------------------------------------------ */

static parchunk_status hist_chunk(void *arg, size_t c, size_t begin, size_t end)
{
    sort_job *job = arg;
    size_t *row = job->hist + c * job->nrow;
    memset(row, 0, job->nrow * sizeof *row);
    pc_sort_histogram(job->data + begin * job->itemsize, end - begin, job->dtype, job->mode,
                      &job->digit, row);
    return PARCHUNK_OK;
}

static parchunk_status scatter_chunk(void *arg, size_t c, size_t begin, size_t end)
{
    sort_job *job = arg;
    pc_sort_scatter(job->data + begin * job->itemsize, end - begin, job->dtype, job->mode,
                    &job->digit, job->hist + c * job->nrow, job->keys1, job->index1, begin);
    return PARCHUNK_OK;
}

/* Sorts one bucket from keys1 into a key buffer on the stack (hot in cache,
 * and no input-sized scratch for the common case; BUCKET_TMP_BYTES is well
 * within any thread's stack) or, for a big bucket, into its place in `big`;
 * then converts the sorted keys back to elements into out (values sorts).
 * The indices of an argsort go straight to the caller's array. */
static parchunk_status bucket_task(void *arg, size_t b, size_t begin, size_t end)
{
    PC_UNUSED(begin);
    PC_UNUSED(end);
    sort_job *job = arg;
    _Alignas(64) uint64_t tmp[BUCKET_TMP_BYTES / sizeof(uint64_t)];
    size_t first = job->bucket_start[b], len = job->bucket_start[b + 1] - first;
    void *sorted = len <= sizeof tmp / job->keysize
                       ? (void *)tmp
                       : (void *)(job->big + job->big_offset[b] * job->keysize);
    sorted = pc_sort_bucket(job->keys1 + first * job->keysize, sorted,
                            job->index1 ? job->index1 + first : NULL,
                            job->index2 ? job->index2 + first : NULL, len, job->dtype);
    if (job->mode == PC_SORT_VALUES)
        pc_sort_store(sorted, len, job->dtype, job->out + first * job->itemsize);
    return PARCHUNK_OK;
}

/* How the keys map to top-level buckets, from a sample of the input (a few
 * reads per page, on the calling thread). Returns NOMEM (recorded on call)
 * when the sample tables cannot be had. */
static parchunk_status top_digit(pc_call *call, sort_job *job, size_t n, uint16_t **table)
{
    pc_sort_digit d = {pc_sort_negnan_limit(job->dtype, job->mode), 0, 0, 1, 0, NULL};
    job->digit = d;
    job->nrow = 2;
    if (n < SMALL_SORT)
        return PARCHUNK_OK; /* one bucket */
    size_t stride = n / SAMPLE_TARGET > 1 ? n / SAMPLE_TARGET : 1;
    pc_sort_range r = {UINT64_MAX, 0, 0};
    pc_sort_sample_range(job->data, n, job->dtype, job->mode, d.limit, stride, &r);
    if (r.count == 0)
        return PARCHUNK_OK;
    uint64_t span = r.max - r.min;
    unsigned bits = span ? (unsigned)(64 - __builtin_clzll(span)) : 0;
    size_t want = n / KEYS_PER_BUCKET;
    /* 4-byte keys: half the fan-out (twice the keys per bucket, the same
     * bytes), so the scatter's 512 destination lines stay in L1 */
    size_t most = job->keysize == 4 ? MAX_BUCKETS / 2 : MAX_BUCKETS;
    d.nbuckets = MIN_BUCKETS;
    while (d.nbuckets < want && d.nbuckets < most)
        d.nbuckets *= 2;
    /* 12 prefix bits first (an 8 KB table that stays in L1 during the
     * histogram and scatter passes), taken when no prefix is heavier than two
     * buckets (evenly spread integers); else 16; if a 16-bit prefix is still
     * that heavy (floats crowd into a few exponents, leaving 4 mantissa bits
     * per binade) and the input is large enough to pay for a 2 MB table, 20
     * bits */
    unsigned tries[3] = {PC_SORT_NARROW_PREFIX_BITS, PC_SORT_PREFIX_BITS,
                         PC_SORT_WIDE_PREFIX_BITS};
    for (int t = 0; t < 3; t++) {
        unsigned pbits = tries[t];
        d.shift = bits > pbits ? bits - pbits : 0;
        d.base = r.min >> d.shift;
        d.nprefixes = (size_t)1 << pbits;
        pc_free(*table);
        uint32_t *counts = pc_alloc_array(d.nprefixes, sizeof *counts);
        *table = pc_alloc_array(d.nprefixes, sizeof **table);
        if (counts == NULL || *table == NULL) {
            pc_free(counts);
            return pc_call_fail(call, PARCHUNK_ERR_NOMEM, "cannot allocate the sort's tables");
        }
        memset(counts, 0, d.nprefixes * sizeof *counts);
        pc_sort_sample_prefixes(job->data, n, job->dtype, job->mode, &d, stride, counts);
        uint32_t heaviest = pc_sort_build_table(counts, d.nprefixes, d.nbuckets, *table);
        pc_free(counts);
        if (bits <= pbits || (uint64_t)heaviest * d.nbuckets <= 2 * (uint64_t)r.count)
            break;
        if (pbits == PC_SORT_PREFIX_BITS && n < WIDE_PREFIX_FROM)
            break;
    }
    d.table = *table;
    job->digit = d;
    job->nrow = d.nbuckets + 1;
    return PARCHUNK_OK;
}

/* Bucket-major, chunk-minor exclusive prefix: the scatter offsets that make
 * the partition stable. */
static void scatter_offsets(sort_job *job, size_t nchunks, size_t n)
{
    size_t run = 0;
    for (size_t b = 0; b < job->nrow; b++) {
        job->bucket_start[b] = run;
        for (size_t c = 0; c < nchunks; c++) {
            size_t *h = job->hist + c * job->nrow + b;
            size_t count = *h;
            *h = run;
            run += count;
        }
    }
    job->bucket_start[job->nrow] = n;
}

static parchunk_status run_sort(pc_call *call, sort_job *job, size_t n)
{
    size_t per = n / MAX_TOP_CHUNKS + (n % MAX_TOP_CHUNKS != 0);
    if (call->chunk < per)
        call->chunk = per;
    pc_plan plan = pc_plan_make(n, call->chunk);

    uint16_t *table = NULL;
    parchunk_status st = top_digit(call, job, n, &table);
    if (st != PARCHUNK_OK) {
        pc_free(table);
        return st;
    }

    bool values = job->mode == PC_SORT_VALUES;
    /* a values sort into a separate out of the key's width scatters its keys
     * into out itself: no input-sized scratch */
    bool keys1_is_out = values && job->out != job->data && job->itemsize == job->keysize;
    job->hist = pc_alloc_array(plan.nchunks, job->nrow * sizeof(size_t));
    job->bucket_start = pc_alloc_array(job->nrow + 1, sizeof(size_t));
    job->big_offset = pc_alloc_array(job->nrow, sizeof(size_t));
    job->keys1 = keys1_is_out ? job->out : pc_scratch_alloc(n, job->keysize);
    job->index1 = values ? NULL : pc_scratch_alloc(n, sizeof(int64_t));
    if (job->hist == NULL || job->bucket_start == NULL || job->big_offset == NULL ||
        job->keys1 == NULL || (!values && job->index1 == NULL))
        st = pc_call_fail(call, PARCHUNK_ERR_NOMEM,
                          "cannot allocate the %zu-element scratch "
                          "buffers of the sort",
                          n);
    if (st == PARCHUNK_OK)
        st = pc_run_chunks(call, &plan, 0, plan.nchunks, hist_chunk, job);
    if (st == PARCHUNK_OK) {
        scatter_offsets(job, plan.nchunks, n);
        size_t cap = BUCKET_TMP_BYTES / job->keysize, big = 0;
        for (size_t b = 0; b < job->nrow; b++) {
            size_t len = job->bucket_start[b + 1] - job->bucket_start[b];
            job->big_offset[b] = big;
            big += len > cap ? len : 0;
        }
        if (big > 0) {
            job->big = pc_scratch_alloc(big, job->keysize);
            if (job->big == NULL)
                st = pc_call_fail(call, PARCHUNK_ERR_NOMEM,
                                  "cannot allocate %zu keys of sort scratch", big);
        }
    }
    if (st == PARCHUNK_OK) {
        /* from here on the call writes its output and runs to completion */
        pc_run_committed(call, &plan, n, scatter_chunk, job);
        pc_plan buckets = pc_plan_make(job->nrow, 1);
        pc_run_committed(call, &buckets, n, bucket_task, job);
    }
    pc_free(job->hist);
    pc_free(job->bucket_start);
    pc_free(job->big_offset);
    if (!keys1_is_out)
        pc_free(job->keys1);
    pc_free(job->big);
    pc_free(job->index1);
    pc_free(table);
    return st;
}

static bool ranges_overlap(const void *a, size_t abytes, const void *b, size_t bbytes)
{
    uintptr_t a0 = (uintptr_t)a, b0 = (uintptr_t)b;
    return abytes > 0 && bbytes > 0 && a0 < b0 + bbytes && b0 < a0 + abytes;
}

static parchunk_status sort_common(parchunk_ctx *ctx, const void *data, size_t n,
                                   parchunk_dtype dtype, void *out, pc_sort_mode mode)
{
    parchunk_status st = pc_check_array(ctx, "data", data, n, dtype);
    if (st != PARCHUNK_OK)
        return st;
    const char *out_name = mode == PC_SORT_VALUES ? "out" : "indices";
    if (out == NULL && n > 0)
        return pc_arg_fail(ctx, PARCHUNK_ERR_NULL, "%s is NULL but n is %zu", out_name, n);
    size_t isz = parchunk_dtype_size(dtype);
    size_t osz = mode == PC_SORT_VALUES ? isz : sizeof(int64_t);
    if (n > 0 && pc_check_aligned(ctx, out_name, out, osz) != PARCHUNK_OK)
        return PARCHUNK_ERR_ARG;
    if (n > SIZE_MAX / 8 / 4)
        return pc_arg_fail(ctx, PARCHUNK_ERR_ARG, "n = %zu elements do not fit in memory", n);
    bool in_place = mode == PC_SORT_VALUES && (const void *)out == data;
    if (!in_place && ranges_overlap(data, n * isz, out, n * osz))
        return pc_arg_fail(ctx, PARCHUNK_ERR_ARG, "%s overlaps data without being data itself",
                           out_name);

    pc_call call;
    st = pc_call_begin(&call, ctx, (uint64_t)n * 3, PARCHUNK_DEFAULT_CHUNK_SIZE);
    if (st != PARCHUNK_OK)
        return st;
    if (n == 0)
        return pc_call_end(&call, PARCHUNK_OK);
    sort_job job = {.data = data,
                    .dtype = dtype,
                    .mode = mode,
                    .itemsize = isz,
                    .keysize = pc_sort_key_size(dtype),
                    .out = mode == PC_SORT_VALUES ? out : NULL,
                    .index2 = mode == PC_SORT_VALUES ? NULL : out};
    return pc_call_end(&call, run_sort(&call, &job, n));
}

PARCHUNK_API parchunk_status parchunk_sort(parchunk_ctx *ctx, const void *data, size_t n,
                                           parchunk_dtype dtype, void *out)
{
    return sort_common(ctx, data, n, dtype, out, PC_SORT_VALUES);
}

PARCHUNK_API parchunk_status parchunk_argsort(parchunk_ctx *ctx, const void *data, size_t n,
                                              parchunk_dtype dtype, int64_t *indices)
{
    return sort_common(ctx, data, n, dtype, indices, PC_SORT_ARGS);
}
