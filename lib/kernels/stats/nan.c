/*
 * nan.c - NaN-skipping sums, counts and extremes, and small helpers on raw
 * element bytes.
 */
#include <math.h>
#include <string.h>

#include "../reduce/pairwise.h"
#include "stats.h"

#define TERM_NAN_AS_ZERO(v, c) ((v) == (v) ? (v) : 0.0)
PC_DEFINE_PAIRWISE(nansum_f32, float, TERM_NAN_AS_ZERO)
PC_DEFINE_PAIRWISE(nansum_f64, double, TERM_NAN_AS_ZERO)

double pc_nansum_float(const void *x, size_t n, parchunk_dtype dtype)
{
    switch (dtype) {
    case PARCHUNK_FLOAT32: return nansum_f32(x, n, 0.0);
    case PARCHUNK_FLOAT64: return nansum_f64(x, n, 0.0);
    default: return 0.0;
    }
}

#define DEFINE_COUNT_NOT_NAN(NAME, T)                                                              \
    static uint64_t NAME(const T *x, size_t n)                                                     \
    {                                                                                              \
        uint64_t k = 0;                                                                            \
        for (size_t i = 0; i < n; i++)                                                             \
            k += x[i] == x[i];                                                                     \
        return k;                                                                                  \
    }
DEFINE_COUNT_NOT_NAN(count_f32, float)
DEFINE_COUNT_NOT_NAN(count_f64, double)

uint64_t pc_count_not_nan(const void *x, size_t n, parchunk_dtype dtype)
{
    switch (dtype) {
    case PARCHUNK_FLOAT32: return count_f32(x, n);
    case PARCHUNK_FLOAT64: return count_f64(x, n);
    default: return n;
    }
}

/* NaN compares false, so it never replaces the running value: the loops
 * skip NaN for free. Four running values avoid a latency chain. */
#define DEFINE_NAN_EXTREME(NAME, T, BETTER, START)                                                 \
    static void NAME(const T *x, size_t n, void *out)                                              \
    {                                                                                              \
        T m[4] = {START, START, START, START};                                                     \
        size_t i = 0;                                                                              \
        for (; i + 4 <= n; i += 4)                                                                 \
            for (int j = 0; j < 4; j++)                                                            \
                m[j] = x[i + j] BETTER m[j] ? x[i + j] : m[j];                                     \
        for (; i < n; i++)                                                                         \
            m[0] = x[i] BETTER m[0] ? x[i] : m[0];                                                 \
        T r = m[0];                                                                                \
        for (int j = 1; j < 4; j++)                                                                \
            r = m[j] BETTER r ? m[j] : r;                                                          \
        memcpy(out, &r, sizeof r);                                                                 \
    }
DEFINE_NAN_EXTREME(nanmin_f32, float, <, INFINITY)
DEFINE_NAN_EXTREME(nanmax_f32, float, >, -INFINITY)
DEFINE_NAN_EXTREME(nanmin_f64, double, <, INFINITY)
DEFINE_NAN_EXTREME(nanmax_f64, double, >, -INFINITY)

void pc_nanmin(const void *x, size_t n, parchunk_dtype dtype, void *out)
{
    switch (dtype) {
    case PARCHUNK_FLOAT32: nanmin_f32(x, n, out); break;
    case PARCHUNK_FLOAT64: nanmin_f64(x, n, out); break;
    default: pc_min(x, n, dtype, out); break;
    }
}

void pc_nanmax(const void *x, size_t n, parchunk_dtype dtype, void *out)
{
    switch (dtype) {
    case PARCHUNK_FLOAT32: nanmax_f32(x, n, out); break;
    case PARCHUNK_FLOAT64: nanmax_f64(x, n, out); break;
    default: pc_max(x, n, dtype, out); break;
    }
}

#define ELEM_CASES(X)                                                                              \
    X(PARCHUNK_INT8, int8_t)                                                                       \
    X(PARCHUNK_UINT8, uint8_t)                                                                     \
    X(PARCHUNK_INT16, int16_t)                                                                     \
    X(PARCHUNK_UINT16, uint16_t)                                                                   \
    X(PARCHUNK_INT32, int32_t)                                                                     \
    X(PARCHUNK_UINT32, uint32_t)                                                                   \
    X(PARCHUNK_INT64, int64_t)                                                                     \
    X(PARCHUNK_UINT64, uint64_t)                                                                   \
    X(PARCHUNK_FLOAT32, float)                                                                     \
    X(PARCHUNK_FLOAT64, double)

bool pc_elem_isnan(const void *a, parchunk_dtype dtype)
{
    if (dtype == PARCHUNK_FLOAT32) {
        float v;
        memcpy(&v, a, sizeof v);
        return v != v;
    }
    if (dtype == PARCHUNK_FLOAT64) {
        double v;
        memcpy(&v, a, sizeof v);
        return v != v;
    }
    return false;
}

bool pc_elem_less(const void *a, const void *b, parchunk_dtype dtype)
{
    switch (dtype) {
#define LESS_CASE(D, T)                                                                            \
    case D: {                                                                                      \
        T va, vb;                                                                                  \
        memcpy(&va, a, sizeof va);                                                                 \
        memcpy(&vb, b, sizeof vb);                                                                 \
        return va < vb;                                                                            \
    }
        ELEM_CASES(LESS_CASE)
#undef LESS_CASE
    default: return false;
    }
}

double pc_elem_to_double(const void *a, parchunk_dtype dtype)
{
    switch (dtype) {
#define TO_DOUBLE_CASE(D, T)                                                                       \
    case D: {                                                                                      \
        T v;                                                                                       \
        memcpy(&v, a, sizeof v);                                                                   \
        return (double)v;                                                                          \
    }
        ELEM_CASES(TO_DOUBLE_CASE)
#undef TO_DOUBLE_CASE
    default: return 0.0;
    }
}
