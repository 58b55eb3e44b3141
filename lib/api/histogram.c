/*
 * histogram.c - the exported uniform-bin histograms (numpy.histogram's exact
 * arithmetic, see kernels/hist/hist.h).
 *
 * Counting: chunks run in windows of W chunks; chunk i of a window counts into
 * private slot i - first, and slots carry over from window to window (a
 * window ends before the next starts, so no slot is ever shared by two
 * running chunks). The slots are summed at the end. Counts are integers, so
 * the result does not depend on W, the chunk size or the thread count; W is
 * chosen from the bin count so the slots stay within a memory budget.
 * Range from the data: one min/max pass first (progress total is 2n then).
 */
#include <math.h>
#include <string.h>

#include "../kernels/hist/hist.h"
#include "../kernels/reduce/reduce.h" /* pc_i128 */
#include "api.h"

enum {
    HIST_DEFAULT_CHUNK = 65536,
    HIST_MAX_SLOTS = 256,
    HIST_SLOT_BUDGET = 16 << 20 /* bytes of private counts we spend freely */
};

/* Largest bin count: bins + 1 must be exact in a double, counts addressable. */
#define HIST_MAX_BINS ((size_t)1 << 40)

typedef struct hist_job {
    const pc_hist_spec *spec;
    const unsigned char *data;
    size_t itemsize;
    int64_t *slots; /* W * bins */
    size_t first;   /* chunk index of slot 0 in the current window */
} hist_job;

static parchunk_status hist_chunk(void *arg, size_t chunk_index, size_t begin, size_t end)
{
    hist_job *job = arg;
    int64_t *slot = job->slots + (chunk_index - job->first) * job->spec->bins;
    return pc_hist_count(job->spec, job->data + begin * job->itemsize, end - begin, slot);
}

/* Counts all n elements into counts (untouched on error). */
static parchunk_status count_all(pc_call *call, const pc_hist_spec *spec, const void *data,
                                 size_t n, int64_t *counts)
{
    size_t bins = spec->bins;
    pc_plan plan = pc_plan_make(n, call->chunk);
    size_t w = HIST_SLOT_BUDGET / (bins * sizeof(int64_t));
    if (w > HIST_MAX_SLOTS)
        w = HIST_MAX_SLOTS;
    if (w < (size_t)call->nthreads)
        w = (size_t)call->nthreads; /* huge bin counts: one slot per thread */
    if (w > plan.nchunks)
        w = plan.nchunks;
    if (w == 0)
        w = 1;
    int64_t *slots = pc_alloc_array(w, bins * sizeof(int64_t));
    if (slots == NULL)
        return pc_call_fail(call, PARCHUNK_ERR_NOMEM, "cannot allocate %zu x %zu bin counts", w,
                            bins);
    memset(slots, 0, w * bins * sizeof(int64_t));
    hist_job job = {spec, data, parchunk_dtype_size(spec->dtype), slots, 0};
    parchunk_status st = PARCHUNK_OK;
    for (size_t first = 0; first < plan.nchunks && st == PARCHUNK_OK; first += w) {
        size_t last = first + w < plan.nchunks ? first + w : plan.nchunks;
        job.first = first;
        st = pc_run_chunks(call, &plan, first, last, hist_chunk, &job);
    }
    if (st == PARCHUNK_ERR_DOMAIN)
        st = pc_call_fail(call, st,
                          "a bin index falls outside the bins (the range is too wide for the "
                          "bin arithmetic; numpy.histogram raises here too)");
    if (st == PARCHUNK_OK) {
        for (size_t s = 1; s < w; s++)
            for (size_t b = 0; b < bins; b++)
                slots[b] += slots[s * bins + b];
        memcpy(counts, slots, bins * sizeof(int64_t));
    }
    pc_free(slots);
    return st;
}

/* ---- the bin specification (edges and NumPy's types) -------------------- */

typedef struct hist_setup {
    pc_hist_spec spec;
    double *edges; /* bins + 1, owned */
    pc_call *call; /* the claimed call, or NULL before claiming: where errors go */
} hist_setup;

/* Records an error detail on the claimed call, or on the idle ctx. */
static parchunk_status setup_fail(parchunk_ctx *ctx, const hist_setup *h, parchunk_status st,
                                  const char *msg, size_t value)
{
    if (h->call != NULL)
        return pc_call_fail(h->call, st, msg, value);
    return pc_arg_fail(ctx, st, msg, value);
}

/* Fills the edges and checks them as numpy does ("Too many bins"). */
static parchunk_status make_edges(parchunk_ctx *ctx, hist_setup *h, bool f32_arith)
{
    size_t bins = h->spec.bins;
    h->edges = pc_alloc_array(bins + 1, sizeof(double));
    if (h->edges == NULL)
        return setup_fail(ctx, h, PARCHUNK_ERR_NOMEM, "cannot allocate %zu bin edges", bins + 1);
    if (f32_arith) {
        pc_linspace_f32((float)h->spec.lo, (float)h->spec.hi, bins + 1, h->edges);
    } else {
        pc_linspace_f64(h->spec.lo, h->spec.hi, bins + 1, h->edges);
        if (h->spec.dtype == PARCHUNK_FLOAT32) /* linspace(dtype=float32): computed, then cast */
            for (size_t i = 0; i <= bins; i++)
                h->edges[i] = pc_double_to_float(h->edges[i]);
    }
    for (size_t i = 0; i < bins; i++)
        if (h->edges[i] >= h->edges[i + 1]) {
            pc_free(h->edges);
            h->edges = NULL;
            return setup_fail(ctx, h, PARCHUNK_ERR_ARG,
                              "too many bins for data range: cannot create %zu finite-sized "
                              "bins",
                              bins);
        }
    h->spec.edges = h->edges;
    pc_hist_prepare_fast(&h->spec);
    return PARCHUNK_OK;
}

/* Explicit range (Python floats in numpy terms), already validated. */
static parchunk_status setup_range(parchunk_ctx *ctx, hist_setup *h, parchunk_dtype dtype,
                                   size_t bins, double lo, double hi)
{
    if (lo == hi) {
        lo -= 0.5;
        hi += 0.5;
    }
    h->spec = (pc_hist_spec){bins, dtype, false, lo, hi, hi - lo, NULL, false, 0.0, 1.0, false};
    h->edges = NULL;
    parchunk_status st = make_edges(ctx, h, false);
    if (st == PARCHUNK_OK && dtype == PARCHUNK_FLOAT32) {
        /* comparisons and x - first_edge see the range as float32 */
        h->spec.lo = pc_double_to_float(lo);
        h->spec.hi = pc_double_to_float(hi);
    }
    return st;
}

static parchunk_status check_bins(parchunk_ctx *ctx, size_t bins)
{
    if (bins == 0)
        return pc_arg_fail(ctx, PARCHUNK_ERR_ARG, "bins must be positive, got 0");
    if (bins > HIST_MAX_BINS)
        return pc_arg_fail(ctx, PARCHUNK_ERR_ARG, "bins is %zu, more than the limit 2^40", bins);
    return PARCHUNK_OK;
}

static parchunk_status check_range(parchunk_ctx *ctx, double lo, double hi)
{
    if (!isfinite(lo) || !isfinite(hi))
        return pc_arg_fail(ctx, PARCHUNK_ERR_DOMAIN, "supplied range of [%g, %g] is not finite", lo,
                           hi);
    if (lo > hi)
        return pc_arg_fail(ctx, PARCHUNK_ERR_ARG,
                           "max must be larger than min in range (got [%g, %g])", lo, hi);
    return PARCHUNK_OK;
}

PARCHUNK_API parchunk_status parchunk_histogram_edges(parchunk_ctx *ctx, parchunk_dtype dtype,
                                                      size_t bins, double lo, double hi,
                                                      double *edges)
{
    if (!pc_dtype_valid(dtype))
        return pc_arg_fail(ctx, PARCHUNK_ERR_DTYPE, "unknown dtype %d", (int)dtype);
    parchunk_status st = pc_check_out(ctx, "edges", edges);
    if (st == PARCHUNK_OK)
        st = check_bins(ctx, bins);
    if (st == PARCHUNK_OK)
        st = check_range(ctx, lo, hi);
    if (st != PARCHUNK_OK)
        return st;
    hist_setup h = {.call = NULL};
    st = setup_range(ctx, &h, dtype, bins, lo, hi);
    if (st == PARCHUNK_OK) {
        memcpy(edges, h.edges, (bins + 1) * sizeof(double));
        pc_free(h.edges);
    }
    return st;
}

PARCHUNK_API parchunk_status parchunk_histogram(parchunk_ctx *ctx, const void *data, size_t n,
                                                parchunk_dtype dtype, size_t bins, double lo,
                                                double hi, int64_t *counts)
{
    parchunk_status st = pc_check_array(ctx, "data", data, n, dtype);
    if (st == PARCHUNK_OK)
        st = pc_check_out(ctx, "counts", counts);
    if (st == PARCHUNK_OK)
        st = check_bins(ctx, bins);
    if (st == PARCHUNK_OK)
        st = check_range(ctx, lo, hi);
    if (st != PARCHUNK_OK)
        return st;
    hist_setup h = {.call = NULL};
    st = setup_range(ctx, &h, dtype, bins, lo, hi);
    if (st != PARCHUNK_OK)
        return st;
    pc_call call;
    st = pc_call_begin(&call, ctx, n, HIST_DEFAULT_CHUNK);
    if (st == PARCHUNK_OK)
        st = pc_call_end(&call, count_all(&call, &h.spec, data, n, counts));
    pc_free(h.edges);
    return st;
}

/* ---- range from the data -------------------------------------------------- */

typedef struct minmax_job {
    const unsigned char *data;
    parchunk_dtype dtype;
    size_t itemsize;
} minmax_job;

typedef struct minmax_state {
    union {
        unsigned char bytes[8];
        uint64_t align;
    } min, max;
} minmax_state;

static void minmax_init(void *state, const void *job)
{
    PC_UNUSED(job);
    memset(state, 0, sizeof(minmax_state));
}

static parchunk_status minmax_accumulate(void *state_, const void *job_, size_t begin, size_t end)
{
    const minmax_job *job = job_;
    minmax_state *state = state_;
    pc_hist_minmax(job->data + begin * job->itemsize, end - begin, job->dtype, state->min.bytes,
                   state->max.bytes);
    return PARCHUNK_OK;
}

static void minmax_merge(void *left_, const void *right_, const void *job_)
{
    const minmax_job *job = job_;
    minmax_state *left = left_;
    const minmax_state *right = right_;
    unsigned char pair[16], unused[8];
    size_t size = job->itemsize;
    memcpy(pair, left->min.bytes, size);
    memcpy(pair + size, right->min.bytes, size);
    pc_hist_minmax(pair, 2, job->dtype, left->min.bytes, unused);
    memcpy(pair, left->max.bytes, size);
    memcpy(pair + size, right->max.bytes, size);
    pc_hist_minmax(pair, 2, job->dtype, unused, left->max.bytes);
}

static const pc_reduce_ops minmax_ops = {sizeof(minmax_state), minmax_init, minmax_accumulate,
                                         minmax_merge};

/* The integer value of one element of an integer dtype (as int128). */
static pc_i128 int_value(const unsigned char *p, parchunk_dtype dtype)
{
    switch (dtype) {
#define INT_CASE(DT, T)                                                                            \
    case DT: {                                                                                     \
        T v;                                                                                       \
        memcpy(&v, p, sizeof v);                                                                   \
        return (pc_i128)v;                                                                         \
    }
        INT_CASE(PARCHUNK_INT8, int8_t)
        INT_CASE(PARCHUNK_UINT8, uint8_t)
        INT_CASE(PARCHUNK_INT16, int16_t)
        INT_CASE(PARCHUNK_UINT16, uint16_t)
        INT_CASE(PARCHUNK_INT32, int32_t)
        INT_CASE(PARCHUNK_UINT32, uint32_t)
        INT_CASE(PARCHUNK_INT64, int64_t)
        INT_CASE(PARCHUNK_UINT64, uint64_t)
#undef INT_CASE
    default: return 0;
    }
}

/* Sets up the bins from the data's min and max, with numpy's types. */
static parchunk_status setup_auto(pc_call *call, hist_setup *h, const minmax_state *mm,
                                  parchunk_dtype dtype, size_t bins)
{
    parchunk_ctx *ctx = call->ctx;
    if (dtype == PARCHUNK_FLOAT32 || dtype == PARCHUNK_FLOAT64) {
        double lo, hi;
        if (dtype == PARCHUNK_FLOAT32) {
            float a, b;
            memcpy(&a, mm->min.bytes, sizeof a);
            memcpy(&b, mm->max.bytes, sizeof b);
            lo = a, hi = b;
        } else {
            memcpy(&lo, mm->min.bytes, sizeof lo);
            memcpy(&hi, mm->max.bytes, sizeof hi);
        }
        if (!isfinite(lo) || !isfinite(hi))
            return pc_call_fail(call, PARCHUNK_ERR_DOMAIN,
                                "autodetected range of [%g, %g] is not finite", lo, hi);
        if (dtype == PARCHUNK_FLOAT64) {
            parchunk_status st = setup_range(ctx, h, dtype, bins, lo, hi);
            h->spec.all_in = true; /* lo, hi: the data's min and max (widened if equal) */
            return st;
        }
        /* float32: numpy keeps np.float32 min/max, so everything is float32 */
        float flo = (float)lo, fhi = (float)hi;
        if (flo == fhi) {
            flo = flo - 0.5f;
            fhi = fhi + 0.5f;
        }
        float denom = fhi - flo;
        h->spec = (pc_hist_spec){bins, dtype, true, flo, fhi, denom, NULL, false, 0.0, 1.0, true};
        return make_edges(ctx, h, true);
    }
    pc_i128 mn = int_value(mm->min.bytes, dtype), mx = int_value(mm->max.bytes, dtype);
    double lo = (double)mn, hi = (double)mx, denom;
    if (mn == mx) {
        lo -= 0.5;
        hi += 0.5;
        denom = hi - lo;
    } else {
        denom = (double)(uint64_t)(mx - mn); /* numpy: exact unsigned difference */
    }
    /* every value converts into [lo, hi] (the conversion is monotonic) */
    h->spec = (pc_hist_spec){bins, dtype, false, lo, hi, denom, NULL, false, 0.0, 1.0, true};
    return make_edges(ctx, h, false);
}

PARCHUNK_API parchunk_status parchunk_histogram_auto(parchunk_ctx *ctx, const void *data, size_t n,
                                                     parchunk_dtype dtype, size_t bins,
                                                     int64_t *counts, double *edges)
{
    parchunk_status st = pc_check_array(ctx, "data", data, n, dtype);
    if (st == PARCHUNK_OK)
        st = pc_check_out(ctx, "counts", counts);
    if (st == PARCHUNK_OK)
        st = check_bins(ctx, bins);
    if (st != PARCHUNK_OK)
        return st;
    if (n == 0) { /* numpy: range [0, 1], nothing to count */
        hist_setup h = {.call = NULL};
        st = setup_range(ctx, &h, dtype, bins, 0.0, 1.0);
        if (st != PARCHUNK_OK)
            return st;
        memset(counts, 0, bins * sizeof(int64_t));
        if (edges != NULL)
            memcpy(edges, h.edges, (bins + 1) * sizeof(double));
        pc_free(h.edges);
        return PARCHUNK_OK;
    }
    pc_call call;
    st = pc_call_begin(&call, ctx, 2 * (uint64_t)n, HIST_DEFAULT_CHUNK);
    if (st != PARCHUNK_OK)
        return st;
    minmax_state mm;
    minmax_job mj = {data, dtype, parchunk_dtype_size(dtype)};
    st = pc_reduce(&call, n, &minmax_ops, &mj, &mm);
    hist_setup h = {.call = &call};
    if (st == PARCHUNK_OK)
        st = setup_auto(&call, &h, &mm, dtype, bins);
    if (st == PARCHUNK_OK)
        st = count_all(&call, &h.spec, data, n, counts);
    if (st == PARCHUNK_OK && edges != NULL)
        memcpy(edges, h.edges, (bins + 1) * sizeof(double));
    pc_free(h.edges);
    return pc_call_end(&call, st);
}

PARCHUNK_API parchunk_status parchunk_histogram_merge(parchunk_ctx *ctx, size_t bins,
                                                      const int64_t *a, const int64_t *b,
                                                      int64_t *out)
{
    if (a == NULL || b == NULL || out == NULL)
        return pc_arg_fail(ctx, PARCHUNK_ERR_NULL, "a, b and out must not be NULL");
    for (size_t i = 0; i < bins; i++)
        if (a[i] < 0 || b[i] < 0 || a[i] > INT64_MAX - b[i])
            return pc_arg_fail(ctx, a[i] < 0 || b[i] < 0 ? PARCHUNK_ERR_ARG : PARCHUNK_ERR_OVERFLOW,
                               "bin %zu: counts %lld + %lld are negative or overflow int64", i,
                               (long long)a[i], (long long)b[i]);
    for (size_t i = 0; i < bins; i++)
        out[i] = a[i] + b[i];
    return PARCHUNK_OK;
}
