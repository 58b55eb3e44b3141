/*
 * minmax.c - smallest and largest element of one chunk in a single pass
 * (the range of a histogram taken from the data). Floats: a NaN anywhere
 * makes both results NaN; an infinity is an ordinary min or max (the range
 * is not finite then, and the caller reports it with the values, as numpy
 * does). Every variant (scalar, SSE2, AVX2) follows the same rule. Four
 * running values each, so the compiler keeps them in SIMD registers without
 * a loop-carried latency chain.
 */
#include <math.h>
#include <string.h>

#include "hist.h"

#define DEFINE_MINMAX(NAME, T, IS_FLOAT)                                                           \
    static void NAME(const T *x, size_t n, void *min_out, void *max_out)                           \
    {                                                                                              \
        T lo[4] = {x[0], x[0], x[0], x[0]}, hi[4] = {x[0], x[0], x[0], x[0]};                      \
        int nan = 0;                                                                               \
        size_t i = 0;                                                                              \
        for (; i + 4 <= n; i += 4)                                                                 \
            for (int j = 0; j < 4; j++) {                                                          \
                T v = x[i + (size_t)j];                                                            \
                nan |= IS_FLOAT && v != v;                                                         \
                lo[j] = v < lo[j] ? v : lo[j];                                                     \
                hi[j] = v > hi[j] ? v : hi[j];                                                     \
            }                                                                                      \
        for (; i < n; i++) {                                                                       \
            T v = x[i];                                                                            \
            nan |= IS_FLOAT && v != v;                                                             \
            lo[0] = v < lo[0] ? v : lo[0];                                                         \
            hi[0] = v > hi[0] ? v : hi[0];                                                         \
        }                                                                                          \
        for (int j = 1; j < 4; j++) {                                                              \
            lo[0] = lo[j] < lo[0] ? lo[j] : lo[0];                                                 \
            hi[0] = hi[j] > hi[0] ? hi[j] : hi[0];                                                 \
        }                                                                                          \
        if (nan)                                                                                   \
            lo[0] = hi[0] = (T)NAN;                                                                \
        memcpy(min_out, &lo[0], sizeof(T));                                                        \
        memcpy(max_out, &hi[0], sizeof(T));                                                        \
    }

DEFINE_MINMAX(minmax_i8, int8_t, 0)
DEFINE_MINMAX(minmax_u8, uint8_t, 0)
DEFINE_MINMAX(minmax_i16, int16_t, 0)
DEFINE_MINMAX(minmax_u16, uint16_t, 0)
DEFINE_MINMAX(minmax_i32, int32_t, 0)
DEFINE_MINMAX(minmax_u32, uint32_t, 0)
DEFINE_MINMAX(minmax_i64, int64_t, 0)
DEFINE_MINMAX(minmax_u64, uint64_t, 0)
#if defined(__SSE2__)
#include <emmintrin.h>

/* GCC does not vectorise floating min/max reductions without fast-math
 * (signed zeros, NaN), so the float kinds are written with SSE2 (the x86-64
 * baseline): minpd/maxpd, four registers each (they skip a NaN in their
 * first operand), NaN found by unordered compares. */
static void minmax_f64(const double *x, size_t n, void *min_out, void *max_out)
{
    size_t i = 0;
    double lo = x[0], hi = x[0];
    int nan = x[0] != x[0];
    if (n >= 8) {
        __m128d l[4], h[4], u = _mm_setzero_pd();
        for (int j = 0; j < 4; j++)
            l[j] = h[j] = _mm_set1_pd(x[0]);
        for (; i + 8 <= n; i += 8) {
            __m128d v[4];
            for (int j = 0; j < 4; j++) {
                v[j] = _mm_loadu_pd(x + i + 2 * (size_t)j);
                l[j] = _mm_min_pd(v[j], l[j]);
                h[j] = _mm_max_pd(v[j], h[j]);
            }
            u = _mm_or_pd(u, _mm_or_pd(_mm_cmpunord_pd(v[0], v[1]), _mm_cmpunord_pd(v[2], v[3])));
        }
        nan |= _mm_movemask_pd(u) != 0;
        double t[2];
        for (int j = 0; j < 4; j++) {
            _mm_storeu_pd(t, l[j]);
            lo = t[0] < lo ? t[0] : lo;
            lo = t[1] < lo ? t[1] : lo;
            _mm_storeu_pd(t, h[j]);
            hi = t[0] > hi ? t[0] : hi;
            hi = t[1] > hi ? t[1] : hi;
        }
    }
    for (; i < n; i++) {
        double v = x[i];
        nan |= v != v;
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
    }
    if (nan)
        lo = hi = NAN;
    memcpy(min_out, &lo, sizeof lo);
    memcpy(max_out, &hi, sizeof hi);
}

static void minmax_f32(const float *x, size_t n, void *min_out, void *max_out)
{
    size_t i = 0;
    float lo = x[0], hi = x[0];
    int nan = x[0] != x[0];
    if (n >= 16) {
        __m128 l[4], h[4], u = _mm_setzero_ps();
        for (int j = 0; j < 4; j++)
            l[j] = h[j] = _mm_set1_ps(x[0]);
        for (; i + 16 <= n; i += 16) {
            __m128 v[4];
            for (int j = 0; j < 4; j++) {
                v[j] = _mm_loadu_ps(x + i + 4 * (size_t)j);
                l[j] = _mm_min_ps(v[j], l[j]);
                h[j] = _mm_max_ps(v[j], h[j]);
            }
            u = _mm_or_ps(u, _mm_or_ps(_mm_cmpunord_ps(v[0], v[1]), _mm_cmpunord_ps(v[2], v[3])));
        }
        nan |= _mm_movemask_ps(u) != 0;
        float t[4];
        for (int j = 0; j < 4; j++) {
            _mm_storeu_ps(t, l[j]);
            for (int k = 0; k < 4; k++)
                lo = t[k] < lo ? t[k] : lo;
            _mm_storeu_ps(t, h[j]);
            for (int k = 0; k < 4; k++)
                hi = t[k] > hi ? t[k] : hi;
        }
    }
    for (; i < n; i++) {
        float v = x[i];
        nan |= v != v;
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
    }
    if (nan)
        lo = hi = NAN;
    memcpy(min_out, &lo, sizeof lo);
    memcpy(max_out, &hi, sizeof hi);
}
#else
DEFINE_MINMAX(minmax_f32, float, 1)
DEFINE_MINMAX(minmax_f64, double, 1)
#endif

#if defined(__x86_64__) && defined(__GNUC__) && !defined(PC_BASELINE_ONLY)
#include <immintrin.h>
#define PC_HIST_MINMAX_AVX2 1

/* minmax_f64 with AVX2: four 4-lane minima and maxima, NaN found by
 * unordered compares (min/max_pd skip a NaN in their first operand). An
 * infinity needs no flag: it becomes the min or the max, and the caller
 * rejects a non-finite range. The results are the same values as
 * minmax_f64's (min and max do not depend on the order; NaN -> both NaN). */
__attribute__((target("avx2"))) static void minmax_f64_avx2(const double *x, size_t n,
                                                            void *min_out, void *max_out)
{
    size_t i = 0;
    double lo = x[0], hi = x[0];
    int nan = x[0] != x[0];
    if (n >= 16) {
        __m256d l[4], h[4], u = _mm256_setzero_pd();
        for (int j = 0; j < 4; j++)
            l[j] = h[j] = _mm256_set1_pd(x[0]);
        for (; i + 16 <= n; i += 16) {
            __m256d v[4];
            for (int j = 0; j < 4; j++) {
                v[j] = _mm256_loadu_pd(x + i + 4 * (size_t)j);
                l[j] = _mm256_min_pd(v[j], l[j]);
                h[j] = _mm256_max_pd(v[j], h[j]);
            }
            u = _mm256_or_pd(u, _mm256_or_pd(_mm256_cmp_pd(v[0], v[1], _CMP_UNORD_Q),
                                             _mm256_cmp_pd(v[2], v[3], _CMP_UNORD_Q)));
        }
        nan |= _mm256_movemask_pd(u) != 0;
        double t[4];
        for (int j = 0; j < 4; j++) {
            _mm256_storeu_pd(t, l[j]);
            for (int k = 0; k < 4; k++)
                lo = t[k] < lo ? t[k] : lo;
            _mm256_storeu_pd(t, h[j]);
            for (int k = 0; k < 4; k++)
                hi = t[k] > hi ? t[k] : hi;
        }
    }
    for (; i < n; i++) {
        double v = x[i];
        nan |= v != v;
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
    }
    if (nan)
        lo = hi = NAN;
    memcpy(min_out, &lo, sizeof lo);
    memcpy(max_out, &hi, sizeof hi);
}
#endif

void pc_hist_minmax(const void *x, size_t n, parchunk_dtype dtype, void *min_out, void *max_out)
{
    switch (dtype) {
    case PARCHUNK_INT8: minmax_i8(x, n, min_out, max_out); break;
    case PARCHUNK_UINT8: minmax_u8(x, n, min_out, max_out); break;
    case PARCHUNK_INT16: minmax_i16(x, n, min_out, max_out); break;
    case PARCHUNK_UINT16: minmax_u16(x, n, min_out, max_out); break;
    case PARCHUNK_INT32: minmax_i32(x, n, min_out, max_out); break;
    case PARCHUNK_UINT32: minmax_u32(x, n, min_out, max_out); break;
    case PARCHUNK_INT64: minmax_i64(x, n, min_out, max_out); break;
    case PARCHUNK_UINT64: minmax_u64(x, n, min_out, max_out); break;
    case PARCHUNK_FLOAT32: minmax_f32(x, n, min_out, max_out); break;
    case PARCHUNK_FLOAT64:
#if defined(PC_HIST_MINMAX_AVX2)
        if (__builtin_cpu_supports("avx2")) {
            minmax_f64_avx2(x, n, min_out, max_out);
            break;
        }
#endif
        minmax_f64(x, n, min_out, max_out);
        break;
    default: break;
    }
}
