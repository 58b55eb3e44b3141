/*
 * cols.c - reductions along the rows of a (len, inner) block, for axis calls
 * where the reduced axis is not the last one. Rows are walked in order and
 * each output column keeps its own running state; the inner loop runs across
 * columns (contiguous in memory), which the compiler vectorises. Column j's
 * arithmetic never depends on the other columns, so results do not depend on
 * how outputs are grouped into tasks.
 */
#include <math.h>
#include <string.h>

#include "../reduce/pairwise.h"
#include "stats.h"

/* Sums: blocks of PC_PAIRWISE_BLOCK rows summed straight, block sums combined
 * through a binary counter (a pairwise tree over blocks, as pc_sum_float). */
#define DEFINE_COLS_SUM(NAME, T, IS_FLOAT)                                                         \
    static void NAME(const T *x, size_t len, size_t stride, size_t width, bool skipna,             \
                     double *sum, uint64_t *count)                                                 \
    {                                                                                              \
        double stack[PC_PAIRWISE_LEVELS][PC_COLS_MAX];                                             \
        double acc[PC_COLS_MAX];                                                                   \
        uint64_t cnt[PC_COLS_MAX];                                                                 \
        size_t depth = 0, blocks = 0;                                                              \
        for (size_t j = 0; j < width; j++)                                                         \
            cnt[j] = 0;                                                                            \
        for (size_t b = 0; b < len; b += PC_PAIRWISE_BLOCK) {                                      \
            size_t rows = len - b < PC_PAIRWISE_BLOCK ? len - b : PC_PAIRWISE_BLOCK;               \
            for (size_t j = 0; j < width; j++)                                                     \
                acc[j] = 0.0;                                                                      \
            for (size_t k = b; k < b + rows; k++) {                                                \
                const T *row = x + k * stride;                                                     \
                if (IS_FLOAT && skipna) {                                                          \
                    for (size_t j = 0; j < width; j++) {                                           \
                        double v = (double)row[j];                                                 \
                        bool ok = v == v;                                                          \
                        acc[j] += ok ? v : 0.0;                                                    \
                        cnt[j] += ok;                                                              \
                    }                                                                              \
                } else {                                                                           \
                    for (size_t j = 0; j < width; j++)                                             \
                        acc[j] += (double)row[j];                                                  \
                }                                                                                  \
            }                                                                                      \
            for (size_t c = ++blocks; (c & 1) == 0; c >>= 1) {                                     \
                depth--;                                                                           \
                for (size_t j = 0; j < width; j++)                                                 \
                    acc[j] = stack[depth][j] + acc[j];                                             \
            }                                                                                      \
            memcpy(stack[depth++], acc, width * sizeof(double));                                   \
        }                                                                                          \
        for (size_t j = 0; j < width; j++)                                                         \
            acc[j] = 0.0;                                                                          \
        if (depth) {                                                                               \
            depth--;                                                                               \
            memcpy(acc, stack[depth], width * sizeof(double));                                     \
        }                                                                                          \
        while (depth) {                                                                            \
            depth--;                                                                               \
            for (size_t j = 0; j < width; j++)                                                     \
                acc[j] = stack[depth][j] + acc[j];                                                 \
        }                                                                                          \
        memcpy(sum, acc, width * sizeof(double));                                                  \
        if (count != NULL)                                                                         \
            for (size_t j = 0; j < width; j++)                                                     \
                count[j] = (IS_FLOAT && skipna) ? cnt[j] : len;                                    \
    }

/* Moments: per block of rows, the block mean per column, then deviations
 * (two-pass on cache-resident rows), merged into the running moments. */
#define DEFINE_COLS_MOMENTS(NAME, T, IS_FLOAT)                                                     \
    static void NAME(const T *x, size_t len, size_t stride, size_t width, bool skipna,             \
                     pc_moments *mom)                                                              \
    {                                                                                              \
        bool skip = IS_FLOAT && skipna;                                                            \
        double s[PC_COLS_MAX], c[PC_COLS_MAX], q[PC_COLS_MAX], m[PC_COLS_MAX];                     \
        uint64_t k[PC_COLS_MAX];                                                                   \
        for (size_t j = 0; j < width; j++)                                                         \
            mom[j] = (pc_moments){0, 0.0, 0.0, 0.0};                                               \
        for (size_t b = 0; b < len; b += PC_PAIRWISE_BLOCK) {                                      \
            size_t rows = len - b < PC_PAIRWISE_BLOCK ? len - b : PC_PAIRWISE_BLOCK;               \
            for (size_t j = 0; j < width; j++) {                                                   \
                s[j] = c[j] = q[j] = 0.0;                                                          \
                k[j] = skip ? 0 : rows;                                                            \
            }                                                                                      \
            for (size_t r = b; r < b + rows; r++) {                                                \
                const T *row = x + r * stride;                                                     \
                if (skip) {                                                                        \
                    for (size_t j = 0; j < width; j++) {                                           \
                        double v = (double)row[j];                                                 \
                        bool ok = v == v;                                                          \
                        s[j] += ok ? v : 0.0;                                                      \
                        k[j] += ok;                                                                \
                    }                                                                              \
                } else {                                                                           \
                    for (size_t j = 0; j < width; j++)                                             \
                        s[j] += (double)row[j];                                                    \
                }                                                                                  \
            }                                                                                      \
            for (size_t j = 0; j < width; j++)                                                     \
                m[j] = k[j] ? s[j] / (double)k[j] : 0.0;                                           \
            for (size_t r = b; r < b + rows; r++) {                                                \
                const T *row = x + r * stride;                                                     \
                for (size_t j = 0; j < width; j++) {                                               \
                    double v = (double)row[j];                                                     \
                    double d = v - m[j];                                                           \
                    if (skip)                                                                      \
                        d = v == v ? d : 0.0;                                                      \
                    c[j] += d;                                                                     \
                    q[j] += d * d;                                                                 \
                }                                                                                  \
            }                                                                                      \
            for (size_t j = 0; j < width; j++) {                                                   \
                if (k[j] == 0)                                                                     \
                    continue;                                                                      \
                double kk = (double)k[j];                                                          \
                double m2 = q[j] - c[j] * (c[j] / kk);                                             \
                pc_moments blk = {k[j], m[j], c[j] / kk, m2 < 0.0 ? 0.0 : m2};                     \
                if (!isfinite(m[j]))                                                               \
                    blk.mean_lo = 0.0;                                                             \
                pc_moments_merge(&mom[j], &blk);                                                   \
            }                                                                                      \
        }                                                                                          \
    }

/* Extremes: NaN propagates (a flag per column), or is skipped (NaN never
 * wins a comparison; a column that saw no number gives NaN). */
#define DEFINE_COLS_EXTREME(NAME, T, IS_FLOAT)                                                     \
    static void NAME(const T *x, size_t len, size_t stride, size_t width, bool is_max,             \
                     bool skipna, T *out)                                                          \
    {                                                                                              \
        T m[PC_COLS_MAX];                                                                          \
        bool nan[PC_COLS_MAX], seen[PC_COLS_MAX];                                                  \
        for (size_t j = 0; j < width; j++) {                                                       \
            m[j] = x[j];                                                                           \
            nan[j] = false;                                                                        \
            seen[j] = false;                                                                       \
        }                                                                                          \
        for (size_t r = 0; r < len; r++) {                                                         \
            const T *row = x + r * stride;                                                         \
            if (is_max) {                                                                          \
                for (size_t j = 0; j < width; j++) {                                               \
                    T v = row[j];                                                                  \
                    bool isnum = !IS_FLOAT || v == v;                                              \
                    nan[j] |= !isnum;                                                              \
                    m[j] = (v > m[j] || (isnum && !seen[j])) ? v : m[j];                           \
                    seen[j] |= isnum;                                                              \
                }                                                                                  \
            } else {                                                                               \
                for (size_t j = 0; j < width; j++) {                                               \
                    T v = row[j];                                                                  \
                    bool isnum = !IS_FLOAT || v == v;                                              \
                    nan[j] |= !isnum;                                                              \
                    m[j] = (v < m[j] || (isnum && !seen[j])) ? v : m[j];                           \
                    seen[j] |= isnum;                                                              \
                }                                                                                  \
            }                                                                                      \
        }                                                                                          \
        for (size_t j = 0; j < width; j++) {                                                       \
            if (IS_FLOAT && ((nan[j] && !skipna) || !seen[j]))                                     \
                m[j] = (T)NAN;                                                                     \
        }                                                                                          \
        memcpy(out, m, width * sizeof(T));                                                         \
    }

/* Integer sums are exact (as the 1-D sums), then rounded once: up to 32-bit
 * elements are summed per column in int64 over blocks of rows short enough
 * never to overflow (2^16 rows * 2^32), 64-bit elements straight into
 * 128 bits. */
enum { COLS_INT_BLOCK = 1 << 16 };

#define DEFINE_COLS_ISUM(NAME, T, WIDE)                                                            \
    static void NAME(const T *x, size_t len, size_t stride, size_t width, bool skipna,             \
                     double *sum, uint64_t *count)                                                 \
    {                                                                                              \
        (void)skipna;                                                                              \
        pc_i128 total[PC_COLS_MAX];                                                                \
        int64_t acc[PC_COLS_MAX];                                                                  \
        for (size_t j = 0; j < width; j++)                                                         \
            total[j] = 0;                                                                          \
        for (size_t b = 0; b < len; b += COLS_INT_BLOCK) {                                         \
            size_t rows = len - b < COLS_INT_BLOCK ? len - b : COLS_INT_BLOCK;                     \
            if (WIDE) {                                                                            \
                for (size_t r = b; r < b + rows; r++)                                              \
                    for (size_t j = 0; j < width; j++)                                             \
                        total[j] += (pc_i128)x[r * stride + j];                                    \
                continue;                                                                          \
            }                                                                                      \
            for (size_t j = 0; j < width; j++)                                                     \
                acc[j] = 0;                                                                        \
            for (size_t r = b; r < b + rows; r++)                                                  \
                for (size_t j = 0; j < width; j++)                                                 \
                    acc[j] += (int64_t)x[r * stride + j];                                          \
            for (size_t j = 0; j < width; j++)                                                     \
                total[j] += acc[j];                                                                \
        }                                                                                          \
        for (size_t j = 0; j < width; j++) {                                                       \
            sum[j] = (double)total[j];                                                             \
            if (count != NULL)                                                                     \
                count[j] = len;                                                                    \
        }                                                                                          \
    }

#define DEFINE_COLS_INT(SUFFIX, T, WIDE)                                                           \
    DEFINE_COLS_ISUM(cols_sum_##SUFFIX, T, WIDE)                                                   \
    DEFINE_COLS_MOMENTS(cols_mom_##SUFFIX, T, 0)                                                   \
    DEFINE_COLS_EXTREME(cols_ext_##SUFFIX, T, 0)

#define DEFINE_COLS(SUFFIX, T, IS_FLOAT)                                                           \
    DEFINE_COLS_SUM(cols_sum_##SUFFIX, T, IS_FLOAT)                                                \
    DEFINE_COLS_MOMENTS(cols_mom_##SUFFIX, T, IS_FLOAT)                                            \
    DEFINE_COLS_EXTREME(cols_ext_##SUFFIX, T, IS_FLOAT)

DEFINE_COLS_INT(i8, int8_t, 0)
DEFINE_COLS_INT(u8, uint8_t, 0)
DEFINE_COLS_INT(i16, int16_t, 0)
DEFINE_COLS_INT(u16, uint16_t, 0)
DEFINE_COLS_INT(i32, int32_t, 0)
DEFINE_COLS_INT(u32, uint32_t, 0)
DEFINE_COLS_INT(i64, int64_t, 1)
DEFINE_COLS_INT(u64, uint64_t, 1)
DEFINE_COLS(f32, float, 1)
DEFINE_COLS(f64, double, 1)

#define DISPATCH_COLS(PREFIX, ...)                                                                 \
    switch (dtype) {                                                                               \
    case PARCHUNK_INT8: PREFIX##i8(__VA_ARGS__); break;                                            \
    case PARCHUNK_UINT8: PREFIX##u8(__VA_ARGS__); break;                                           \
    case PARCHUNK_INT16: PREFIX##i16(__VA_ARGS__); break;                                          \
    case PARCHUNK_UINT16: PREFIX##u16(__VA_ARGS__); break;                                         \
    case PARCHUNK_INT32: PREFIX##i32(__VA_ARGS__); break;                                          \
    case PARCHUNK_UINT32: PREFIX##u32(__VA_ARGS__); break;                                         \
    case PARCHUNK_INT64: PREFIX##i64(__VA_ARGS__); break;                                          \
    case PARCHUNK_UINT64: PREFIX##u64(__VA_ARGS__); break;                                         \
    case PARCHUNK_FLOAT32: PREFIX##f32(__VA_ARGS__); break;                                        \
    case PARCHUNK_FLOAT64: PREFIX##f64(__VA_ARGS__); break;                                        \
    default: break;                                                                                \
    }

void pc_cols_sum(const void *x, size_t len, size_t stride, size_t width, parchunk_dtype dtype,
                 bool skipna, double *sum, uint64_t *count)
{
    DISPATCH_COLS(cols_sum_, x, len, stride, width, skipna, sum, count)
}

void pc_cols_moments(const void *x, size_t len, size_t stride, size_t width, parchunk_dtype dtype,
                     bool skipna, pc_moments *mom)
{
    DISPATCH_COLS(cols_mom_, x, len, stride, width, skipna, mom)
}

void pc_cols_extreme(const void *x, size_t len, size_t stride, size_t width, parchunk_dtype dtype,
                     bool is_max, bool skipna, void *out)
{
    DISPATCH_COLS(cols_ext_, x, len, stride, width, is_max, skipna, out)
}
