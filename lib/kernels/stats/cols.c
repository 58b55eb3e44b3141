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
 * through a binary counter (a pairwise tree over blocks, as pc_sum_float)
 * whose levels live in the caller's scratch. */
#define DEFINE_COLS_SUM(NAME, T, IS_FLOAT)                                                         \
    PC_CLONES static void NAME(const T *x, size_t len, size_t stride, size_t width, bool skipna,   \
                               double *sum, uint64_t *count, double *stack)                        \
    {                                                                                              \
        double acc[PC_COLS_MAX], cnt[PC_COLS_MAX];                                                 \
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
                        double ok = v == v ? 1.0 : 0.0;                                            \
                        acc[j] += v == v ? v : 0.0;                                                \
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
                    acc[j] = stack[depth * PC_COLS_MAX + j] + acc[j];                              \
            }                                                                                      \
            memcpy(stack + depth * PC_COLS_MAX, acc, width * sizeof(double));                      \
            depth++;                                                                               \
        }                                                                                          \
        for (size_t j = 0; j < width; j++)                                                         \
            acc[j] = 0.0;                                                                          \
        if (depth) {                                                                               \
            depth--;                                                                               \
            memcpy(acc, stack + depth * PC_COLS_MAX, width * sizeof(double));                      \
        }                                                                                          \
        while (depth) {                                                                            \
            depth--;                                                                               \
            for (size_t j = 0; j < width; j++)                                                     \
                acc[j] = stack[depth * PC_COLS_MAX + j] + acc[j];                                  \
        }                                                                                          \
        memcpy(sum, acc, width * sizeof(double));                                                  \
        if (count != NULL)                                                                         \
            for (size_t j = 0; j < width; j++)                                                     \
                count[j] = (IS_FLOAT && skipna) ? (uint64_t)cnt[j] : len;                          \
    }

/* Moments: per block of PC_COLS_MOMENT_ROWS rows (cache-resident for the
 * widest tile), the block mean per column, then deviations (two-pass), merged
 * into the running moments by Chan's formulas. */
#define DEFINE_COLS_MOMENTS(NAME, T, IS_FLOAT)                                                     \
    PC_CLONES static void NAME(const T *x, size_t len, size_t stride, size_t width, bool skipna,   \
                               pc_moments *mom)                                                    \
    {                                                                                              \
        bool skip = IS_FLOAT && skipna;                                                            \
        double s[PC_COLS_MAX], c[PC_COLS_MAX], q[PC_COLS_MAX], m[PC_COLS_MAX], k[PC_COLS_MAX];     \
        for (size_t j = 0; j < width; j++)                                                         \
            mom[j] = (pc_moments){0, 0.0, 0.0, 0.0};                                               \
        for (size_t b = 0; b < len; b += PC_COLS_MOMENT_ROWS) {                                    \
            size_t rows = len - b < PC_COLS_MOMENT_ROWS ? len - b : PC_COLS_MOMENT_ROWS;           \
            for (size_t j = 0; j < width; j++) {                                                   \
                s[j] = c[j] = q[j] = 0.0;                                                          \
                k[j] = skip ? 0.0 : (double)rows;                                                  \
            }                                                                                      \
            for (size_t r = b; r < b + rows; r++) {                                                \
                const T *row = x + r * stride;                                                     \
                if (skip) {                                                                        \
                    for (size_t j = 0; j < width; j++) {                                           \
                        double v = (double)row[j];                                                 \
                        s[j] += v == v ? v : 0.0;                                                  \
                        k[j] += v == v ? 1.0 : 0.0;                                                \
                    }                                                                              \
                } else {                                                                           \
                    for (size_t j = 0; j < width; j++)                                             \
                        s[j] += (double)row[j];                                                    \
                }                                                                                  \
            }                                                                                      \
            for (size_t j = 0; j < width; j++)                                                     \
                m[j] = k[j] > 0.0 ? s[j] / k[j] : 0.0;                                             \
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
                if (k[j] == 0.0)                                                                   \
                    continue;                                                                      \
                double m2 = q[j] - c[j] * (c[j] / k[j]);                                           \
                pc_moments blk = {(uint64_t)k[j], m[j], c[j] / k[j], m2 < 0.0 ? 0.0 : m2};         \
                if (!isfinite(m[j]))                                                               \
                    blk.mean_lo = 0.0;                                                             \
                pc_moments_merge(&mom[j], &blk);                                                   \
            }                                                                                      \
        }                                                                                          \
    }

/* Extremes, written so that the column loop vectorises (no branches, no
 * flags): without skipna a NaN replaces the running value and then sticks
 * (nothing compares better than NaN); with skipna the running value starts
 * as NaN ("nothing seen"), the first number replaces it, NaNs never do, so
 * an all-NaN column ends as NaN. */
#define DEFINE_COLS_EXTREME(NAME, T, IS_FLOAT)                                                     \
    PC_CLONES static void NAME(const T *x, size_t len, size_t stride, size_t width, bool is_max,   \
                               bool skipna, T *out)                                                \
    {                                                                                              \
        T m[PC_COLS_MAX];                                                                          \
        bool skip = IS_FLOAT && skipna;                                                            \
        for (size_t j = 0; j < width; j++)                                                         \
            m[j] = skip ? (T)NAN : x[j];                                                           \
        for (size_t r = 0; r < len; r++) {                                                         \
            const T *row = x + r * stride;                                                         \
            if (!IS_FLOAT) {                                                                       \
                if (is_max)                                                                        \
                    for (size_t j = 0; j < width; j++)                                             \
                        m[j] = row[j] > m[j] ? row[j] : m[j];                                      \
                else                                                                               \
                    for (size_t j = 0; j < width; j++)                                             \
                        m[j] = row[j] < m[j] ? row[j] : m[j];                                      \
            } else if (skip) {                                                                     \
                if (is_max)                                                                        \
                    for (size_t j = 0; j < width; j++) {                                           \
                        T v = row[j];                                                              \
                        int take = (v > m[j]) | ((m[j] != m[j]) & (v == v));                       \
                        m[j] = take ? v : m[j];                                                    \
                    }                                                                              \
                else                                                                               \
                    for (size_t j = 0; j < width; j++) {                                           \
                        T v = row[j];                                                              \
                        int take = (v < m[j]) | ((m[j] != m[j]) & (v == v));                       \
                        m[j] = take ? v : m[j];                                                    \
                    }                                                                              \
            } else {                                                                               \
                if (is_max)                                                                        \
                    for (size_t j = 0; j < width; j++) {                                           \
                        T v = row[j];                                                              \
                        int take = (v > m[j]) | (v != v);                                          \
                        m[j] = take ? v : m[j];                                                    \
                    }                                                                              \
                else                                                                               \
                    for (size_t j = 0; j < width; j++) {                                           \
                        T v = row[j];                                                              \
                        int take = (v < m[j]) | (v != v);                                          \
                        m[j] = take ? v : m[j];                                                    \
                    }                                                                              \
            }                                                                                      \
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
                     double *sum, uint64_t *count, double *stack)                                  \
    {                                                                                              \
        (void)skipna;                                                                              \
        (void)stack;                                                                               \
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

size_t pc_cols_sum_scratch(size_t len)
{
    size_t blocks = len / PC_PAIRWISE_BLOCK + 1, levels = 1;
    while (blocks >>= 1)
        levels++;
    return levels * PC_COLS_MAX;
}

void pc_cols_sum(const void *x, size_t len, size_t stride, size_t width, parchunk_dtype dtype,
                 bool skipna, double *sum, uint64_t *count, double *scratch)
{
    DISPATCH_COLS(cols_sum_, x, len, stride, width, skipna, sum, count, scratch)
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
