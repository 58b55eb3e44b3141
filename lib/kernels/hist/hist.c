/*
 * hist.c - counting one chunk into uniform bins exactly as numpy.histogram
 * does (see hist.h for the arithmetic and its types).
 *
 * Two phases per block of SUB elements: phase 1 is branch-free and
 * vectorisable (the division dominates: SIMD divides several lanes at once)
 * and writes the scaled position f (or -1 for values outside the range) and
 * the value widened to double; phase 2 is scalar: index, NumPy's one-step
 * correction against the edges, increment.
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include "hist.h"

enum { SUB = 256 };

float pc_double_to_float(double v)
{
    const double overflow = 340282356779733661637539395458142568448.0; /* 2^128 - 2^103 */
    if (v >= overflow)
        return INFINITY;
    if (v <= -overflow)
        return -INFINITY;
    if (v > FLT_MAX)
        return FLT_MAX;
    if (v < -FLT_MAX)
        return -FLT_MAX;
    return (float)v; /* in range (or NaN): rounds to nearest */
}

/* Phase 2: f[i] < 0 means "outside the range"; otherwise f is NumPy's
 * f_indices and v[i] the value (exactly widened). Writes the bin of every
 * element to idx (bins itself for the ignored ones: a trash counter) and
 * returns false on a NumPy failure (f NaN or past the edges: NumPy's
 * IndexError; a negative bin: NumPy's bincount ValueError). Branchy on
 * purpose: the corrections are rare and predicted, and a branch-free version
 * measured 1.7x slower (it always pays both edge loads). */
static inline __attribute__((always_inline)) bool resolve(const pc_hist_spec *s, const double *f, const double *v, size_t len,
                    size_t *idx_out)
{
    const size_t bins = s->bins;
    const double limit = (double)bins + 1.0; /* int(f) <= bins: edges[] has bins + 1 */
    const double *edges = s->edges;
    for (size_t i = 0; i < len; i++) {
        double q = f[i];
        if (q < 0) {
            idx_out[i] = bins;
            continue;
        }
        if (PC_UNLIKELY(!(q < limit)))
            return false;
        size_t idx = (size_t)q;
        if (idx == bins)
            idx--;
        if (v[i] < edges[idx]) {
            if (PC_UNLIKELY(idx == 0))
                return false;
            idx--;
        } else if (idx != bins - 1 && v[i] >= edges[idx + 1]) {
            idx++;
        }
        idx_out[i] = idx;
    }
    return true;
}

/* Phase 1 over float64 values (float64 data, or integers converted). */
static inline __attribute__((always_inline)) void scale_f64(const pc_hist_spec *s, const double *restrict x, size_t len,
                      double *restrict f, double *restrict v)
{
    const double lo = s->lo, hi = s->hi, denom = s->denom, nb = (double)s->bins;
    for (size_t i = 0; i < len; i++) {
        double a = x[i];
        f[i] = ((a - lo) / denom) * nb;
        v[i] = a;
    }
    for (size_t i = 0; i < len; i++) {
        double a = v[i];
        f[i] = ((a >= lo) & (a <= hi)) ? f[i] : -1.0;
    }
}

/* float32 data, explicit range: x - first_edge in float32, then float64. */
static inline __attribute__((always_inline)) void scale_f32_range(const pc_hist_spec *s, const float *restrict x, size_t len,
                            double *restrict f, double *restrict v)
{
    const float lo = (float)s->lo, hi = (float)s->hi; /* exact: float32 values */
    const double denom = s->denom, nb = (double)s->bins;
    for (size_t i = 0; i < len; i++) {
        float a = x[i];
        float d = a - lo;
        f[i] = ((double)d / denom) * nb;
        v[i] = a;
    }
    for (size_t i = 0; i < len; i++) {
        float a = (float)v[i]; /* exact */
        f[i] = ((a >= lo) & (a <= hi)) ? f[i] : -1.0;
    }
}

/* float32 data, range from the data: all float32. */
static inline __attribute__((always_inline)) void scale_f32_auto(const pc_hist_spec *s, const float *restrict x, size_t len,
                           double *restrict f, double *restrict v)
{
    const float lo = (float)s->lo, hi = (float)s->hi, denom = (float)s->denom;
    const float nb = pc_double_to_float((double)s->bins);
    for (size_t i = 0; i < len; i++) {
        float a = x[i];
        f[i] = (double)(((a - lo) / denom) * nb);
        v[i] = a;
    }
    for (size_t i = 0; i < len; i++) {
        float a = (float)v[i]; /* exact */
        f[i] = ((a >= lo) & (a <= hi)) ? f[i] : -1.0;
    }
}

#define CONVERT_CASE(DT, T)                                                                  \
    case DT:                                                                                 \
        for (size_t i = 0; i < len; i++)                                                     \
            buf[i] = (double)((const T *)x)[b + i];                                          \
        break;

/* Bins of one block of len <= SUB elements starting at element b, written
 * to idx (bins = not counted); false on a NumPy failure. */
__attribute__((target_clones("avx2", "default"))) static bool block_bins(const pc_hist_spec *s, const void *x, size_t b, size_t len,
                         size_t *idx)
{
    double f[SUB], v[SUB], buf[SUB];
    switch (s->dtype) {
    case PARCHUNK_FLOAT64: scale_f64(s, (const double *)x + b, len, f, v); break;
    case PARCHUNK_FLOAT32:
        if (s->div_f32)
            scale_f32_auto(s, (const float *)x + b, len, f, v);
        else
            scale_f32_range(s, (const float *)x + b, len, f, v);
        break;
    default:
        switch (s->dtype) {
            CONVERT_CASE(PARCHUNK_INT8, int8_t)
            CONVERT_CASE(PARCHUNK_UINT8, uint8_t)
            CONVERT_CASE(PARCHUNK_INT16, int16_t)
            CONVERT_CASE(PARCHUNK_UINT16, uint16_t)
            CONVERT_CASE(PARCHUNK_INT32, int32_t)
            CONVERT_CASE(PARCHUNK_UINT32, uint32_t)
            CONVERT_CASE(PARCHUNK_INT64, int64_t)
            CONVERT_CASE(PARCHUNK_UINT64, uint64_t)
        default: return false;
        }
        scale_f64(s, buf, len, f, v);
    }
    return resolve(s, f, v, len, idx);
}

/*
 * Up to SMALL_BINS bins are counted in WAYS interleaved uint32 arrays on the
 * stack (counted element j of a block goes to array j % WAYS): an increment
 * waits for the previous one to the same counter, and neighbouring elements
 * often share a bin. They are added to counts every FLUSH elements, long
 * before a uint32 could overflow. More bins: straight into counts (with
 * many bins, neighbours rarely collide).
 */
enum { SMALL_BINS = 512, WAYS = 4, FLUSH = 1 << 30 };

parchunk_status pc_hist_count(const pc_hist_spec *s, const void *x, size_t n, int64_t *counts)
{
    const size_t bins = s->bins;
    size_t idx[SUB];
    if (bins > SMALL_BINS) {
        for (size_t b = 0; b < n; b += SUB) {
            size_t len = n - b < SUB ? n - b : SUB;
            if (!block_bins(s, x, b, len, idx))
                return PARCHUNK_ERR_DOMAIN;
            for (size_t j = 0; j < len; j++)
                if (idx[j] < bins)
                    counts[idx[j]]++;
        }
        return PARCHUNK_OK;
    }
    uint32_t local[WAYS][SMALL_BINS + 1]; /* + the trash counter */
    for (size_t start = 0; start < n; start += FLUSH) {
        size_t end = n - start < FLUSH ? n : start + FLUSH;
        for (size_t w = 0; w < WAYS; w++)
            memset(local[w], 0, (bins + 1) * sizeof(uint32_t));
        for (size_t b = start; b < end; b += SUB) {
            size_t len = end - b < SUB ? end - b : SUB;
            if (!block_bins(s, x, b, len, idx))
                return PARCHUNK_ERR_DOMAIN;
            size_t j = 0;
            for (; j + WAYS <= len; j += WAYS)
                for (size_t w = 0; w < WAYS; w++)
                    local[w][idx[j + w]]++;
            for (; j < len; j++)
                local[0][idx[j]]++;
        }
        for (size_t w = 0; w < WAYS; w++)
            for (size_t k = 0; k < bins; k++)
                counts[k] += local[w][k];
    }
    return PARCHUNK_OK;
}

void pc_linspace_f64(double start, double stop, size_t num, double *y)
{
    size_t div = num - 1;
    double delta = stop - start;
    double step = delta / (double)div;
    for (size_t i = 0; i < num; i++) {
        double t = (double)i;
        if (step == 0)
            t = (t / (double)div) * delta; /* numpy's path for denormal steps */
        else
            t = t * step;
        y[i] = t + start;
    }
    y[num - 1] = stop;
}

void pc_linspace_f32(float start, float stop, size_t num, double *y)
{
    size_t div = num - 1;
    float delta = stop - start;
    float fdiv = pc_double_to_float((double)div);
    float step = delta / fdiv;
    for (size_t i = 0; i < num; i++) {
        float t = pc_double_to_float((double)i); /* np.arange(float32): i rounded */
        if (step == 0)
            t = (t / fdiv) * delta;
        else
            t = t * step;
        y[i] = (double)(float)(t + start);
    }
    y[num - 1] = stop;
}
