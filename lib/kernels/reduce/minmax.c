/*
 * minmax.c - smallest and largest element of one chunk.
 * Floats keep four independent running values (no loop-carried latency
 * chain) plus a NaN flag, since NaN must win as in NumPy.
 */
#include <math.h>
#include <string.h>

#include "reduce.h"

#define LESS(a, b) ((a) < (b))
#define GREATER(a, b) ((a) > (b))

#define DEFINE_INT_EXTREME(NAME, T, BETTER)                                                  \
    static void NAME(const T *x, size_t n, void *out)                                        \
    {                                                                                        \
        T m = x[0];                                                                          \
        for (size_t i = 1; i < n; i++)                                                       \
            m = BETTER(x[i], m) ? x[i] : m;                                                  \
        memcpy(out, &m, sizeof m);                                                           \
    }

#define DEFINE_FLOAT_EXTREME(NAME, T, BETTER)                                                \
    static void NAME(const T *x, size_t n, void *out)                                        \
    {                                                                                        \
        T m[4] = {x[0], x[0], x[0], x[0]};                                                   \
        int nan = 0;                                                                         \
        size_t i = 0;                                                                        \
        for (; i + 4 <= n; i += 4)                                                           \
            for (int j = 0; j < 4; j++) {                                                    \
                T v = x[i + j];                                                              \
                nan |= v != v;                                                               \
                m[j] = BETTER(v, m[j]) ? v : m[j];                                           \
            }                                                                                \
        for (; i < n; i++) {                                                                 \
            T v = x[i];                                                                      \
            nan |= v != v;                                                                   \
            m[0] = BETTER(v, m[0]) ? v : m[0];                                               \
        }                                                                                    \
        T r = m[0];                                                                          \
        for (int j = 1; j < 4; j++)                                                          \
            r = BETTER(m[j], r) ? m[j] : r;                                                  \
        if (nan)                                                                             \
            r = (T)NAN;                                                                      \
        memcpy(out, &r, sizeof r);                                                           \
    }

#define DEFINE_EXTREMES(SUFFIX, T, KIND)                                                     \
    DEFINE_##KIND##_EXTREME(min_##SUFFIX, T, LESS)                                           \
    DEFINE_##KIND##_EXTREME(max_##SUFFIX, T, GREATER)

DEFINE_EXTREMES(i8, int8_t, INT)
DEFINE_EXTREMES(u8, uint8_t, INT)
DEFINE_EXTREMES(i16, int16_t, INT)
DEFINE_EXTREMES(u16, uint16_t, INT)
DEFINE_EXTREMES(i32, int32_t, INT)
DEFINE_EXTREMES(u32, uint32_t, INT)
DEFINE_EXTREMES(i64, int64_t, INT)
DEFINE_EXTREMES(u64, uint64_t, INT)
DEFINE_EXTREMES(f32, float, FLOAT)
DEFINE_EXTREMES(f64, double, FLOAT)

#define DISPATCH(PREFIX)                                                                     \
    switch (dtype) {                                                                         \
    case PARCHUNK_INT8: PREFIX##i8(x, n, out); break;                                        \
    case PARCHUNK_UINT8: PREFIX##u8(x, n, out); break;                                       \
    case PARCHUNK_INT16: PREFIX##i16(x, n, out); break;                                      \
    case PARCHUNK_UINT16: PREFIX##u16(x, n, out); break;                                     \
    case PARCHUNK_INT32: PREFIX##i32(x, n, out); break;                                      \
    case PARCHUNK_UINT32: PREFIX##u32(x, n, out); break;                                     \
    case PARCHUNK_INT64: PREFIX##i64(x, n, out); break;                                      \
    case PARCHUNK_UINT64: PREFIX##u64(x, n, out); break;                                     \
    case PARCHUNK_FLOAT32: PREFIX##f32(x, n, out); break;                                    \
    case PARCHUNK_FLOAT64: PREFIX##f64(x, n, out); break;                                    \
    default: break;                                                                          \
    }

void pc_min(const void *x, size_t n, parchunk_dtype dtype, void *out) { DISPATCH(min_) }
void pc_max(const void *x, size_t n, parchunk_dtype dtype, void *out) { DISPATCH(max_) }
