/*
 * argext.c - index of the first smallest / largest element of one chunk.
 * Per cache-resident block: the vectorised extreme kernel finds the block's
 * extreme value; only when it beats the best so far is the block scanned for
 * its first occurrence. First occurrence wins ties; a NaN wins everything
 * (the first NaN's index, as numpy.argmin), unless NaNs are skipped.
 */
#include <math.h>
#include <string.h>

#include "stats.h"

/* Extreme of a float block, NaN if it holds one. GCC vector extensions (32
 * bytes: AVX2 in the clone picked at load time, two SSE2 halves otherwise)
 * with four independent vectors to hide the compare latency. A NaN replaces
 * the running value and then sticks, since nothing compares better than it. */
#define DEFINE_BLOCK_EXTREME(NAME, T, I, BETTER)                                                   \
    PC_CLONES static void NAME(const T *x, size_t n, parchunk_dtype dtype, void *out)              \
    {                                                                                              \
        (void)dtype;                                                                               \
        typedef T vec __attribute__((vector_size(32)));                                            \
        typedef I ivec __attribute__((vector_size(32)));                                           \
        enum { W = 32 / sizeof(T) };                                                               \
        vec m[4];                                                                                  \
        for (int k = 0; k < 4; k++)                                                                \
            for (int j = 0; j < W; j++)                                                            \
                m[k][j] = x[0];                                                                    \
        size_t i = 0;                                                                              \
        for (; i + 4 * W <= n; i += 4 * W)                                                         \
            for (int k = 0; k < 4; k++) {                                                          \
                vec v;                                                                             \
                memcpy(&v, x + i + k * W, sizeof v);                                               \
                ivec take = (v BETTER m[k]) | (v != v);                                            \
                m[k] = (vec)(((ivec)v & take) | ((ivec)m[k] & ~take));                             \
            }                                                                                      \
        T r = x[0];                                                                                \
        for (int k = 0; k < 4; k++)                                                                \
            for (int j = 0; j < W; j++)                                                            \
                r = (m[k][j] BETTER r || m[k][j] != m[k][j]) ? m[k][j] : r;                        \
        for (; i < n; i++)                                                                         \
            r = (x[i] BETTER r || x[i] != x[i]) ? x[i] : r;                                        \
        if (r == r) { /* a NaN seen in one lane may have lost the final fold */                    \
            for (int k = 0; k < 4; k++)                                                            \
                for (int j = 0; j < W; j++)                                                        \
                    if (m[k][j] != m[k][j])                                                        \
                        r = m[k][j];                                                               \
        }                                                                                          \
        memcpy(out, &r, sizeof r);                                                                 \
    }
DEFINE_BLOCK_EXTREME(block_min_f32, float, int32_t, <)
DEFINE_BLOCK_EXTREME(block_max_f32, float, int32_t, >)
DEFINE_BLOCK_EXTREME(block_min_f64, double, int64_t, <)
DEFINE_BLOCK_EXTREME(block_max_f64, double, int64_t, >)

#define DEFINE_ARGEXT(NAME, T, BETTER, EXTREME, NANEXTREME)                                        \
    static size_t NAME(const T *x, size_t n, parchunk_dtype dtype, bool skipna)                    \
    {                                                                                              \
        size_t best_i = n;                                                                         \
        T best = 0;                                                                                \
        for (size_t b = 0; b < n; b += PC_STATS_BLOCK) {                                           \
            size_t len = n - b < PC_STATS_BLOCK ? n - b : PC_STATS_BLOCK;                          \
            const T *p = x + b;                                                                    \
            T v;                                                                                   \
            if (skipna) {                                                                          \
                NANEXTREME(p, len, dtype, &v);                                                     \
            } else {                                                                               \
                EXTREME(p, len, dtype, &v);                                                        \
                if (v != v) { /* the first NaN is in this block */                                 \
                    for (size_t i = 0; i < len; i++)                                               \
                        if (p[i] != p[i])                                                          \
                            return b + i;                                                          \
                }                                                                                  \
            }                                                                                      \
            if (best_i != n && !(v BETTER best))                                                   \
                continue;                                                                          \
            for (size_t i = 0; i < len; i++)                                                       \
                if (p[i] == v) {                                                                   \
                    best_i = b + i;                                                                \
                    best = v;                                                                      \
                    break;                                                                         \
                }                                                                                  \
        }                                                                                          \
        return best_i;                                                                             \
    }

#define DEFINE_ARGEXTS(SUFFIX, T)                                                                  \
    DEFINE_ARGEXT(argmin_##SUFFIX, T, <, pc_min, pc_nanmin)                                        \
    DEFINE_ARGEXT(argmax_##SUFFIX, T, >, pc_max, pc_nanmax)
#define DEFINE_FLOAT_ARGEXTS(SUFFIX, T)                                                            \
    DEFINE_ARGEXT(argmin_##SUFFIX, T, <, block_min_##SUFFIX, pc_nanmin)                            \
    DEFINE_ARGEXT(argmax_##SUFFIX, T, >, block_max_##SUFFIX, pc_nanmax)

DEFINE_ARGEXTS(i8, int8_t)
DEFINE_ARGEXTS(u8, uint8_t)
DEFINE_ARGEXTS(i16, int16_t)
DEFINE_ARGEXTS(u16, uint16_t)
DEFINE_ARGEXTS(i32, int32_t)
DEFINE_ARGEXTS(u32, uint32_t)
DEFINE_ARGEXTS(i64, int64_t)
DEFINE_ARGEXTS(u64, uint64_t)
DEFINE_FLOAT_ARGEXTS(f32, float)
DEFINE_FLOAT_ARGEXTS(f64, double)

#define DISPATCH_ARG(PREFIX)                                                                       \
    switch (dtype) {                                                                               \
    case PARCHUNK_INT8: return PREFIX##i8(x, n, dtype, skipna);                                    \
    case PARCHUNK_UINT8: return PREFIX##u8(x, n, dtype, skipna);                                   \
    case PARCHUNK_INT16: return PREFIX##i16(x, n, dtype, skipna);                                  \
    case PARCHUNK_UINT16: return PREFIX##u16(x, n, dtype, skipna);                                 \
    case PARCHUNK_INT32: return PREFIX##i32(x, n, dtype, skipna);                                  \
    case PARCHUNK_UINT32: return PREFIX##u32(x, n, dtype, skipna);                                 \
    case PARCHUNK_INT64: return PREFIX##i64(x, n, dtype, skipna);                                  \
    case PARCHUNK_UINT64: return PREFIX##u64(x, n, dtype, skipna);                                 \
    case PARCHUNK_FLOAT32: return PREFIX##f32(x, n, dtype, skipna);                                \
    case PARCHUNK_FLOAT64: return PREFIX##f64(x, n, dtype, skipna);                                \
    default: return n;                                                                             \
    }

size_t pc_argmin(const void *x, size_t n, parchunk_dtype dtype, bool skipna){DISPATCH_ARG(argmin_)}

size_t pc_argmax(const void *x, size_t n, parchunk_dtype dtype, bool skipna)
{
    DISPATCH_ARG(argmax_)
}

void pc_block_extreme(const void *x, size_t n, parchunk_dtype dtype, bool is_max, void *out)
{
    switch (dtype) {
    case PARCHUNK_FLOAT32: (is_max ? block_max_f32 : block_min_f32)(x, n, dtype, out); break;
    case PARCHUNK_FLOAT64: (is_max ? block_max_f64 : block_min_f64)(x, n, dtype, out); break;
    default: (is_max ? pc_max : pc_min)(x, n, dtype, out); break;
    }
}
