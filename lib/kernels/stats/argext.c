/*
 * argext.c - index of the first smallest / largest element of one chunk.
 * Per cache-resident block: the vectorised extreme kernel finds the block's
 * extreme value; only when it beats the best so far is the block scanned for
 * its first occurrence. First occurrence wins ties; a NaN wins everything
 * (the first NaN's index, as numpy.argmin), unless NaNs are skipped.
 */
#include <string.h>

#include "stats.h"

#define DEFINE_ARGEXT(NAME, T, BETTER, EXTREME, NANEXTREME)                                  \
    static size_t NAME(const T *x, size_t n, parchunk_dtype dtype, bool skipna)              \
    {                                                                                        \
        size_t best_i = n;                                                                   \
        T best = 0;                                                                          \
        for (size_t b = 0; b < n; b += PC_STATS_BLOCK) {                                     \
            size_t len = n - b < PC_STATS_BLOCK ? n - b : PC_STATS_BLOCK;                    \
            const T *p = x + b;                                                              \
            T v;                                                                             \
            if (skipna) {                                                                    \
                NANEXTREME(p, len, dtype, &v);                                               \
            } else {                                                                         \
                EXTREME(p, len, dtype, &v);                                                  \
                if (v != v) { /* the first NaN is in this block */                           \
                    for (size_t i = 0; i < len; i++)                                         \
                        if (p[i] != p[i])                                                    \
                            return b + i;                                                    \
                }                                                                            \
            }                                                                                \
            if (best_i != n && !(v BETTER best))                                             \
                continue;                                                                    \
            for (size_t i = 0; i < len; i++)                                                 \
                if (p[i] == v) {                                                             \
                    best_i = b + i;                                                          \
                    best = v;                                                                \
                    break;                                                                   \
                }                                                                            \
        }                                                                                    \
        return best_i;                                                                       \
    }

#define DEFINE_ARGEXTS(SUFFIX, T)                                                            \
    DEFINE_ARGEXT(argmin_##SUFFIX, T, <, pc_min, pc_nanmin)                                  \
    DEFINE_ARGEXT(argmax_##SUFFIX, T, >, pc_max, pc_nanmax)

DEFINE_ARGEXTS(i8, int8_t)
DEFINE_ARGEXTS(u8, uint8_t)
DEFINE_ARGEXTS(i16, int16_t)
DEFINE_ARGEXTS(u16, uint16_t)
DEFINE_ARGEXTS(i32, int32_t)
DEFINE_ARGEXTS(u32, uint32_t)
DEFINE_ARGEXTS(i64, int64_t)
DEFINE_ARGEXTS(u64, uint64_t)
DEFINE_ARGEXTS(f32, float)
DEFINE_ARGEXTS(f64, double)

#define DISPATCH_ARG(PREFIX)                                                                 \
    switch (dtype) {                                                                         \
    case PARCHUNK_INT8: return PREFIX##i8(x, n, dtype, skipna);                              \
    case PARCHUNK_UINT8: return PREFIX##u8(x, n, dtype, skipna);                             \
    case PARCHUNK_INT16: return PREFIX##i16(x, n, dtype, skipna);                            \
    case PARCHUNK_UINT16: return PREFIX##u16(x, n, dtype, skipna);                           \
    case PARCHUNK_INT32: return PREFIX##i32(x, n, dtype, skipna);                            \
    case PARCHUNK_UINT32: return PREFIX##u32(x, n, dtype, skipna);                           \
    case PARCHUNK_INT64: return PREFIX##i64(x, n, dtype, skipna);                            \
    case PARCHUNK_UINT64: return PREFIX##u64(x, n, dtype, skipna);                           \
    case PARCHUNK_FLOAT32: return PREFIX##f32(x, n, dtype, skipna);                          \
    case PARCHUNK_FLOAT64: return PREFIX##f64(x, n, dtype, skipna);                          \
    default: return n;                                                                       \
    }

size_t pc_argmin(const void *x, size_t n, parchunk_dtype dtype, bool skipna)
{
    DISPATCH_ARG(argmin_)
}

size_t pc_argmax(const void *x, size_t n, parchunk_dtype dtype, bool skipna)
{
    DISPATCH_ARG(argmax_)
}
