/*
 * minmax.c - smallest and largest element of one chunk.
 *
 * Integers: a plain running extreme, which GCC vectorises (8..32-bit types
 * at the x86-64 baseline; 64-bit compares need SSE4.2), with an AVX2 clone
 * chosen at load time (twice the lanes, vpmins*, vpcmpgtq).
 *
 * Floats: GCC does not vectorise a floating min/max reduction without
 * fast-math (NaN, signed zeros), so they are written with SSE2 (the x86-64
 * baseline): minpd/maxpd over four registers, which computes exactly
 * "v < m ? v : m" per lane, so a NaN element is skipped there; NaN must win
 * as in NumPy, so an unordered compare of each vector with itself is OR-ed
 * into a flag and makes the result NaN. CPUs with AVX2 run the same scheme
 * on 256-bit registers. Other targets get the lanes in portable C. The
 * extreme is exact, so every variant gives the same value (for a tie of
 * -0.0 and +0.0 either zero may come back, as in NumPy).
 */
#include <math.h>
#include <string.h>

#include "reduce.h"

#define LESS(a, b) ((a) < (b))
#define GREATER(a, b) ((a) > (b))

#define DEFINE_INT_EXTREME(NAME, T, BETTER, ATTR)                                                  \
    ATTR static void NAME(const T *x, size_t n, void *out)                                         \
    {                                                                                              \
        T m = x[0];                                                                                \
        for (size_t i = 1; i < n; i++)                                                             \
            m = BETTER(x[i], m) ? x[i] : m;                                                        \
        memcpy(out, &m, sizeof m);                                                                 \
    }

#define DEFINE_INT_EXTREMES(SUFFIX, T, ATTR)                                                       \
    DEFINE_INT_EXTREME(min_##SUFFIX, T, LESS, ATTR)                                                \
    DEFINE_INT_EXTREME(max_##SUFFIX, T, GREATER, ATTR)

DEFINE_INT_EXTREMES(i8, int8_t, PC_CLONE_AVX2)
DEFINE_INT_EXTREMES(u8, uint8_t, PC_CLONE_AVX2)
DEFINE_INT_EXTREMES(i16, int16_t, PC_CLONE_AVX2)
DEFINE_INT_EXTREMES(u16, uint16_t, PC_CLONE_AVX2)
DEFINE_INT_EXTREMES(i32, int32_t, PC_CLONE_AVX2)
DEFINE_INT_EXTREMES(u32, uint32_t, PC_CLONE_AVX2)
DEFINE_INT_EXTREMES(i64, int64_t, PC_CLONE_AVX2)
DEFINE_INT_EXTREMES(u64, uint64_t, PC_CLONE_AVX2)

/* The tail after the vector lanes, and the result when a NaN was seen. */
#define FINISH_FLOAT(T, BETTER, r, nan, x, i, n, out)                                              \
    do {                                                                                           \
        for (; (i) < (n); (i)++) {                                                                 \
            T v_ = (x)[i];                                                                         \
            (nan) |= v_ != v_;                                                                     \
            (r) = BETTER(v_, r) ? v_ : (r);                                                        \
        }                                                                                          \
        if (nan)                                                                                   \
            (r) = (T)NAN;                                                                          \
        memcpy(out, &(r), sizeof(r));                                                              \
    } while (0)

#if defined(__SSE2__)
#include <emmintrin.h>

/* OPS: _mm_min_pd / _mm_max_pd (v first: "v < m ? v : m" per lane). */
#define DEFINE_F64_EXTREME(NAME, OP, BETTER)                                                       \
    static void NAME(const double *x, size_t n, void *out)                                         \
    {                                                                                              \
        double r = x[0];                                                                           \
        int nan = 0;                                                                               \
        size_t i = 0;                                                                              \
        if (n >= 8) {                                                                              \
            __m128d m[4], u = _mm_setzero_pd();                                                    \
            for (int j = 0; j < 4; j++)                                                            \
                m[j] = _mm_set1_pd(x[0]);                                                          \
            for (; i + 8 <= n; i += 8) {                                                           \
                __m128d v[4];                                                                      \
                for (int j = 0; j < 4; j++) {                                                      \
                    v[j] = _mm_loadu_pd(x + i + 2 * (size_t)j);                                    \
                    m[j] = OP(v[j], m[j]);                                                         \
                }                                                                                  \
                u = _mm_or_pd(                                                                     \
                    u, _mm_or_pd(_mm_cmpunord_pd(v[0], v[1]), _mm_cmpunord_pd(v[2], v[3])));       \
            }                                                                                      \
            nan = _mm_movemask_pd(u) != 0;                                                         \
            double t[2];                                                                           \
            for (int j = 0; j < 4; j++) {                                                          \
                _mm_storeu_pd(t, m[j]);                                                            \
                r = BETTER(t[0], r) ? t[0] : r;                                                    \
                r = BETTER(t[1], r) ? t[1] : r;                                                    \
            }                                                                                      \
        }                                                                                          \
        FINISH_FLOAT(double, BETTER, r, nan, x, i, n, out);                                        \
    }

#define DEFINE_F32_EXTREME(NAME, OP, BETTER)                                                       \
    static void NAME(const float *x, size_t n, void *out)                                          \
    {                                                                                              \
        float r = x[0];                                                                            \
        int nan = 0;                                                                               \
        size_t i = 0;                                                                              \
        if (n >= 16) {                                                                             \
            __m128 m[4], u = _mm_setzero_ps();                                                     \
            for (int j = 0; j < 4; j++)                                                            \
                m[j] = _mm_set1_ps(x[0]);                                                          \
            for (; i + 16 <= n; i += 16) {                                                         \
                __m128 v[4];                                                                       \
                for (int j = 0; j < 4; j++) {                                                      \
                    v[j] = _mm_loadu_ps(x + i + 4 * (size_t)j);                                    \
                    m[j] = OP(v[j], m[j]);                                                         \
                }                                                                                  \
                u = _mm_or_ps(                                                                     \
                    u, _mm_or_ps(_mm_cmpunord_ps(v[0], v[1]), _mm_cmpunord_ps(v[2], v[3])));       \
            }                                                                                      \
            nan = _mm_movemask_ps(u) != 0;                                                         \
            float t[4];                                                                            \
            for (int j = 0; j < 4; j++) {                                                          \
                _mm_storeu_ps(t, m[j]);                                                            \
                for (int k = 0; k < 4; k++)                                                        \
                    r = BETTER(t[k], r) ? t[k] : r;                                                \
            }                                                                                      \
        }                                                                                          \
        FINISH_FLOAT(float, BETTER, r, nan, x, i, n, out);                                         \
    }

DEFINE_F64_EXTREME(min_f64, _mm_min_pd, LESS)
DEFINE_F64_EXTREME(max_f64, _mm_max_pd, GREATER)
DEFINE_F32_EXTREME(min_f32, _mm_min_ps, LESS)
DEFINE_F32_EXTREME(max_f32, _mm_max_ps, GREATER)

#else /* portable: the same lanes in C */

#define DEFINE_FLOAT_EXTREME(NAME, T, BETTER)                                                      \
    static void NAME(const T *x, size_t n, void *out)                                              \
    {                                                                                              \
        T m[8];                                                                                    \
        int nan = 0;                                                                               \
        size_t i = 0;                                                                              \
        for (int j = 0; j < 8; j++)                                                                \
            m[j] = x[0];                                                                           \
        for (; i + 8 <= n; i += 8)                                                                 \
            for (int j = 0; j < 8; j++) {                                                          \
                T v = x[i + (size_t)j];                                                            \
                nan |= v != v;                                                                     \
                m[j] = BETTER(v, m[j]) ? v : m[j];                                                 \
            }                                                                                      \
        T r = x[0];                                                                                \
        for (int j = 0; j < 8; j++)                                                                \
            r = BETTER(m[j], r) ? m[j] : r;                                                        \
        FINISH_FLOAT(T, BETTER, r, nan, x, i, n, out);                                             \
    }

DEFINE_FLOAT_EXTREME(min_f64, double, LESS)
DEFINE_FLOAT_EXTREME(max_f64, double, GREATER)
DEFINE_FLOAT_EXTREME(min_f32, float, LESS)
DEFINE_FLOAT_EXTREME(max_f32, float, GREATER)
#endif

#if defined(__x86_64__) && defined(__GNUC__) && !defined(PC_BASELINE_ONLY)
#include <immintrin.h>
#define PC_MINMAX_AVX2 1

#define DEFINE_F64_EXTREME_AVX2(NAME, OP, BETTER)                                                  \
    __attribute__((target("avx2"))) static void NAME(const double *x, size_t n, void *out)         \
    {                                                                                              \
        double r = x[0];                                                                           \
        int nan = 0;                                                                               \
        size_t i = 0;                                                                              \
        if (n >= 16) {                                                                             \
            __m256d m[4], u = _mm256_setzero_pd();                                                 \
            for (int j = 0; j < 4; j++)                                                            \
                m[j] = _mm256_set1_pd(x[0]);                                                       \
            for (; i + 16 <= n; i += 16) {                                                         \
                __m256d v[4];                                                                      \
                for (int j = 0; j < 4; j++) {                                                      \
                    v[j] = _mm256_loadu_pd(x + i + 4 * (size_t)j);                                 \
                    m[j] = OP(v[j], m[j]);                                                         \
                }                                                                                  \
                u = _mm256_or_pd(u, _mm256_or_pd(_mm256_cmp_pd(v[0], v[1], _CMP_UNORD_Q),          \
                                                 _mm256_cmp_pd(v[2], v[3], _CMP_UNORD_Q)));        \
            }                                                                                      \
            nan = _mm256_movemask_pd(u) != 0;                                                      \
            double t[4];                                                                           \
            for (int j = 0; j < 4; j++) {                                                          \
                _mm256_storeu_pd(t, m[j]);                                                         \
                for (int k = 0; k < 4; k++)                                                        \
                    r = BETTER(t[k], r) ? t[k] : r;                                                \
            }                                                                                      \
        }                                                                                          \
        FINISH_FLOAT(double, BETTER, r, nan, x, i, n, out);                                        \
    }

#define DEFINE_F32_EXTREME_AVX2(NAME, OP, BETTER)                                                  \
    __attribute__((target("avx2"))) static void NAME(const float *x, size_t n, void *out)          \
    {                                                                                              \
        float r = x[0];                                                                            \
        int nan = 0;                                                                               \
        size_t i = 0;                                                                              \
        if (n >= 32) {                                                                             \
            __m256 m[4], u = _mm256_setzero_ps();                                                  \
            for (int j = 0; j < 4; j++)                                                            \
                m[j] = _mm256_set1_ps(x[0]);                                                       \
            for (; i + 32 <= n; i += 32) {                                                         \
                __m256 v[4];                                                                       \
                for (int j = 0; j < 4; j++) {                                                      \
                    v[j] = _mm256_loadu_ps(x + i + 8 * (size_t)j);                                 \
                    m[j] = OP(v[j], m[j]);                                                         \
                }                                                                                  \
                u = _mm256_or_ps(u, _mm256_or_ps(_mm256_cmp_ps(v[0], v[1], _CMP_UNORD_Q),          \
                                                 _mm256_cmp_ps(v[2], v[3], _CMP_UNORD_Q)));        \
            }                                                                                      \
            nan = _mm256_movemask_ps(u) != 0;                                                      \
            float t[8];                                                                            \
            for (int j = 0; j < 4; j++) {                                                          \
                _mm256_storeu_ps(t, m[j]);                                                         \
                for (int k = 0; k < 8; k++)                                                        \
                    r = BETTER(t[k], r) ? t[k] : r;                                                \
            }                                                                                      \
        }                                                                                          \
        FINISH_FLOAT(float, BETTER, r, nan, x, i, n, out);                                         \
    }

DEFINE_F64_EXTREME_AVX2(min_f64_avx2, _mm256_min_pd, LESS)
DEFINE_F64_EXTREME_AVX2(max_f64_avx2, _mm256_max_pd, GREATER)
DEFINE_F32_EXTREME_AVX2(min_f32_avx2, _mm256_min_ps, LESS)
DEFINE_F32_EXTREME_AVX2(max_f32_avx2, _mm256_max_ps, GREATER)
#endif

/* PREFIX##f64 or its AVX2 twin (the CPU check is a load of a global). */
#if defined(PC_MINMAX_AVX2)
#define FLOAT_CALL(FN) (__builtin_cpu_supports("avx2") ? FN##_avx2 : FN)(x, n, out)
#else
#define FLOAT_CALL(FN) FN(x, n, out)
#endif

#define DISPATCH(PREFIX)                                                                           \
    switch (dtype) {                                                                               \
    case PARCHUNK_INT8: PREFIX##i8(x, n, out); break;                                              \
    case PARCHUNK_UINT8: PREFIX##u8(x, n, out); break;                                             \
    case PARCHUNK_INT16: PREFIX##i16(x, n, out); break;                                            \
    case PARCHUNK_UINT16: PREFIX##u16(x, n, out); break;                                           \
    case PARCHUNK_INT32: PREFIX##i32(x, n, out); break;                                            \
    case PARCHUNK_UINT32: PREFIX##u32(x, n, out); break;                                           \
    case PARCHUNK_INT64: PREFIX##i64(x, n, out); break;                                            \
    case PARCHUNK_UINT64: PREFIX##u64(x, n, out); break;                                           \
    case PARCHUNK_FLOAT32: FLOAT_CALL(PREFIX##f32); break;                                         \
    case PARCHUNK_FLOAT64: FLOAT_CALL(PREFIX##f64); break;                                         \
    default: break;                                                                                \
    }

void pc_min(const void *x, size_t n, parchunk_dtype dtype, void *out)
{
    DISPATCH(min_)
}
void pc_max(const void *x, size_t n, parchunk_dtype dtype, void *out)
{
    DISPATCH(max_)
}
