/*
 * minmax.c - smallest and largest element of one chunk in a single pass
 * (the range of a histogram taken from the data). Floats: a NaN or an
 * infinity anywhere makes both results NaN (the range is not finite then
 * anyway, and the caller reports it as numpy does). Four running values each, so the compiler keeps
 * them in SIMD registers without a loop-carried latency chain.
 */
#include <math.h>
#include <string.h>

#include "hist.h"

#define DEFINE_MINMAX(NAME, T, IS_FLOAT)                                                           \
    static void NAME(const T *x, size_t n, void *min_out, void *max_out)                           \
    {                                                                                              \
        T lo[4] = {x[0], x[0], x[0], x[0]}, hi[4] = {x[0], x[0], x[0], x[0]};                      \
        T chk[4] = {0, 0, 0, 0}; /* v - v: 0, or NaN for NaN and inf */                            \
        size_t i = 0;                                                                              \
        for (; i + 4 <= n; i += 4)                                                                 \
            for (int j = 0; j < 4; j++) {                                                          \
                T v = x[i + (size_t)j];                                                            \
                if (IS_FLOAT)                                                                      \
                    chk[j] += v - v;                                                               \
                lo[j] = v < lo[j] ? v : lo[j];                                                     \
                hi[j] = v > hi[j] ? v : hi[j];                                                     \
            }                                                                                      \
        for (; i < n; i++) {                                                                       \
            T v = x[i];                                                                            \
            if (IS_FLOAT)                                                                          \
                chk[0] += v - v;                                                                   \
            lo[0] = v < lo[0] ? v : lo[0];                                                         \
            hi[0] = v > hi[0] ? v : hi[0];                                                         \
        }                                                                                          \
        for (int j = 1; j < 4; j++) {                                                              \
            lo[0] = lo[j] < lo[0] ? lo[j] : lo[0];                                                 \
            hi[0] = hi[j] > hi[0] ? hi[j] : hi[0];                                                 \
        }                                                                                          \
        T total = (chk[0] + chk[1]) + (chk[2] + chk[3]) + (x[0] - x[0]);                           \
        if (IS_FLOAT && total != total) /* some NaN or inf: a non-finite range anyway */           \
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
 * baseline): minpd/maxpd, four registers each, NaN/inf found through v - v. */
static void minmax_f64(const double *x, size_t n, void *min_out, void *max_out)
{
    size_t i = 0;
    double lo = x[0], hi = x[0], chk = x[0] - x[0];
    if (n >= 8) {
        __m128d l[4], h[4], c[4];
        for (int j = 0; j < 4; j++) {
            l[j] = h[j] = _mm_set1_pd(x[0]);
            c[j] = _mm_setzero_pd();
        }
        for (; i + 8 <= n; i += 8)
            for (int j = 0; j < 4; j++) {
                __m128d v = _mm_loadu_pd(x + i + 2 * (size_t)j);
                l[j] = _mm_min_pd(v, l[j]);
                h[j] = _mm_max_pd(v, h[j]);
                c[j] = _mm_add_pd(c[j], _mm_sub_pd(v, v));
            }
        double t[2];
        for (int j = 0; j < 4; j++) {
            _mm_storeu_pd(t, l[j]);
            lo = t[0] < lo ? t[0] : lo;
            lo = t[1] < lo ? t[1] : lo;
            _mm_storeu_pd(t, h[j]);
            hi = t[0] > hi ? t[0] : hi;
            hi = t[1] > hi ? t[1] : hi;
            _mm_storeu_pd(t, c[j]);
            chk += t[0] + t[1];
        }
    }
    for (; i < n; i++) {
        double v = x[i];
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
        chk += v - v;
    }
    if (chk != chk)
        lo = hi = NAN;
    memcpy(min_out, &lo, sizeof lo);
    memcpy(max_out, &hi, sizeof hi);
}

static void minmax_f32(const float *x, size_t n, void *min_out, void *max_out)
{
    size_t i = 0;
    float lo = x[0], hi = x[0], chk = x[0] - x[0];
    if (n >= 16) {
        __m128 l[4], h[4], c[4];
        for (int j = 0; j < 4; j++) {
            l[j] = h[j] = _mm_set1_ps(x[0]);
            c[j] = _mm_setzero_ps();
        }
        for (; i + 16 <= n; i += 16)
            for (int j = 0; j < 4; j++) {
                __m128 v = _mm_loadu_ps(x + i + 4 * (size_t)j);
                l[j] = _mm_min_ps(v, l[j]);
                h[j] = _mm_max_ps(v, h[j]);
                c[j] = _mm_add_ps(c[j], _mm_sub_ps(v, v));
            }
        float t[4];
        for (int j = 0; j < 4; j++) {
            _mm_storeu_ps(t, l[j]);
            for (int k = 0; k < 4; k++)
                lo = t[k] < lo ? t[k] : lo;
            _mm_storeu_ps(t, h[j]);
            for (int k = 0; k < 4; k++)
                hi = t[k] > hi ? t[k] : hi;
            _mm_storeu_ps(t, c[j]);
            chk += (t[0] + t[1]) + (t[2] + t[3]);
        }
    }
    for (; i < n; i++) {
        float v = x[i];
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
        chk += v - v;
    }
    if (chk != chk)
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
