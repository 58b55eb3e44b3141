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
 * f_indices and v[i] the value (exactly widened). */
static parchunk_status place(const pc_hist_spec *s, const double *f, const double *v, size_t len,
                             int64_t *counts)
{
    const size_t bins = s->bins;
    const double limit = (double)bins + 1.0; /* int(f) <= bins: edges[] has bins + 1 */
    const double *edges = s->edges;
    for (size_t i = 0; i < len; i++) {
        double q = f[i];
        if (q < 0)
            continue;
        if (PC_UNLIKELY(!(q < limit))) /* NaN or past the edges: numpy IndexError */
            return PARCHUNK_ERR_DOMAIN;
        size_t idx = (size_t)q;
        if (idx == bins)
            idx--;
        if (v[i] < edges[idx]) {
            if (PC_UNLIKELY(idx == 0)) /* numpy: negative index into bincount */
                return PARCHUNK_ERR_DOMAIN;
            idx--;
        } else if (idx != bins - 1 && v[i] >= edges[idx + 1]) {
            idx++;
        }
        counts[idx]++;
    }
    return PARCHUNK_OK;
}

/* Phase 1 over float64 values (float64 data, or integers converted). */
static void scale_f64(const pc_hist_spec *s, const double *x, size_t len, double *f, double *v)
{
    const double lo = s->lo, hi = s->hi, denom = s->denom, nb = (double)s->bins;
    for (size_t i = 0; i < len; i++) {
        double a = x[i];
        double q = ((a - lo) / denom) * nb;
        f[i] = (a >= lo && a <= hi) ? q : -1.0;
        v[i] = a;
    }
}

/* float32 data, explicit range: x - first_edge in float32, then float64. */
static void scale_f32_range(const pc_hist_spec *s, const float *x, size_t len, double *f,
                            double *v)
{
    const float lo = (float)s->lo, hi = (float)s->hi; /* exact: float32 values */
    const double denom = s->denom, nb = (double)s->bins;
    for (size_t i = 0; i < len; i++) {
        float a = x[i];
        float d = a - lo;
        double q = ((double)d / denom) * nb;
        f[i] = (a >= lo && a <= hi) ? q : -1.0;
        v[i] = a;
    }
}

/* float32 data, range from the data: all float32. */
static void scale_f32_auto(const pc_hist_spec *s, const float *x, size_t len, double *f,
                           double *v)
{
    const float lo = (float)s->lo, hi = (float)s->hi, denom = (float)s->denom;
    const float nb = pc_double_to_float((double)s->bins);
    for (size_t i = 0; i < len; i++) {
        float a = x[i];
        float q = ((a - lo) / denom) * nb;
        f[i] = (a >= lo && a <= hi) ? (double)q : -1.0;
        v[i] = a;
    }
}

#define CONVERT_CASE(DT, T)                                                                  \
    case DT:                                                                                 \
        for (size_t i = 0; i < len; i++)                                                     \
            buf[i] = (double)((const T *)x)[b + i];                                          \
        break;

parchunk_status pc_hist_count(const pc_hist_spec *s, const void *x, size_t n, int64_t *counts)
{
    double f[SUB], v[SUB], buf[SUB];
    for (size_t b = 0; b < n; b += SUB) {
        size_t len = n - b < SUB ? n - b : SUB;
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
            default: return PARCHUNK_ERR_DTYPE;
            }
            scale_f64(s, buf, len, f, v);
        }
        parchunk_status st = place(s, f, v, len, counts);
        if (st != PARCHUNK_OK)
            return st;
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
