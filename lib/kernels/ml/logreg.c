/*
 * logreg.c - the row loops of logistic regression, one body per dtype and
 * instruction set.
 *
 * Rows go in blocks of LOGREG_BLOCK. Per block: each row's dot product (four
 * partial sums, see row_dot), then exp and the coefficients over the block
 * (a fixed-length loop the compiler vectorises, with pc_vexp), then the
 * gradient four columns at a time with the sums kept in registers. Each
 * grad[j] is summed over the rows in order, so the block size never changes
 * a result; and every variant performs the same operations in the same
 * order (no reassociation, no FMA: ISO C mode does not contract), so SSE2
 * and AVX2 give identical bits.
 */
#include "logreg.h"

#include "vexp.h"

enum { LOGREG_BLOCK = 8 };

/* The dot product of one row: four interleaved partial sums over the
 * columns (lane k takes columns j = k mod 4 in order, up to the last full
 * group of four), combined as (s0 + s1) + (s2 + s3), then the remaining
 * columns added in order. Four lanes are one AVX2 vector or two SSE2 ones,
 * so every variant computes exactly this. */
#define DEFINE_LOGREG(SUFFIX, T, ATTR)                                                             \
    ATTR static inline double row_dot_##SUFFIX(const T *xr, size_t d, const double *w)             \
    {                                                                                              \
        double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;                                             \
        size_t j = 0;                                                                              \
        for (; j + 4 <= d; j += 4) {                                                               \
            s0 += (double)xr[j] * w[j];                                                            \
            s1 += (double)xr[j + 1] * w[j + 1];                                                    \
            s2 += (double)xr[j + 2] * w[j + 2];                                                    \
            s3 += (double)xr[j + 3] * w[j + 3];                                                    \
        }                                                                                          \
        double z = (s0 + s1) + (s2 + s3);                                                          \
        for (; j < d; j++)                                                                         \
            z += (double)xr[j] * w[j];                                                             \
        return z;                                                                                  \
    }                                                                                              \
                                                                                                   \
    /* grad[j] += sum over the block's rows, in row order, of coef[r] * X[r][j];                   \
     * four columns at a time, each column's sum kept in a register. */                            \
    ATTR static inline void block_axpy_##SUFFIX(const T *xb, size_t nb, size_t d,                  \
                                                const double *coef, double *restrict grad)         \
    {                                                                                              \
        size_t j = 0;                                                                              \
        for (; j + 4 <= d; j += 4) {                                                               \
            double g0 = grad[j], g1 = grad[j + 1], g2 = grad[j + 2], g3 = grad[j + 3];             \
            for (size_t r = 0; r < nb; r++) {                                                      \
                const T *xr = xb + r * d + j;                                                      \
                double c = coef[r];                                                                \
                g0 += c * (double)xr[0];                                                           \
                g1 += c * (double)xr[1];                                                           \
                g2 += c * (double)xr[2];                                                           \
                g3 += c * (double)xr[3];                                                           \
            }                                                                                      \
            grad[j] = g0;                                                                          \
            grad[j + 1] = g1;                                                                      \
            grad[j + 2] = g2;                                                                      \
            grad[j + 3] = g3;                                                                      \
        }                                                                                          \
        for (; j < d; j++) {                                                                       \
            double g = grad[j];                                                                    \
            for (size_t r = 0; r < nb; r++)                                                        \
                g += coef[r] * (double)xb[r * d + j];                                              \
            grad[j] = g;                                                                           \
        }                                                                                          \
    }                                                                                              \
                                                                                                   \
    ATTR static void gradient_##SUFFIX(const T *x, const T *y, size_t rows, size_t d,              \
                                       const double *w, double *restrict grad)                     \
    {                                                                                              \
        pc_vexp_bounds bounds = pc_vexp_bounds_get();                                              \
        double z[LOGREG_BLOCK], label[LOGREG_BLOCK], coef[LOGREG_BLOCK];                           \
        for (size_t i = 0; i < rows; i += LOGREG_BLOCK) {                                          \
            size_t nb = rows - i < LOGREG_BLOCK ? rows - i : LOGREG_BLOCK;                         \
            const T *xb = x + i * d;                                                               \
            int bad = 0;                                                                           \
            for (size_t r = 0; r < LOGREG_BLOCK; r++) {                                            \
                z[r] = r < nb ? row_dot_##SUFFIX(xb + r * d, d, w) : 0.0;                          \
                label[r] = r < nb ? (double)y[i + r] : 1.0;                                        \
                bad |= label[r] != 1.0 && label[r] != -1.0;                                        \
            }                                                                                      \
            for (size_t r = 0; r < LOGREG_BLOCK; r++) {                                            \
                double s = 1.0 / (1.0 + pc_vexp(-label[r] * z[r], bounds));                        \
                coef[r] = (s - 1.0) * label[r];                                                    \
            }                                                                                      \
            if (PC_UNLIKELY(bad)) /* poison: the caller finds the row */                           \
                for (size_t r = 0; r < nb; r++)                                                    \
                    if (label[r] != 1.0 && label[r] != -1.0)                                       \
                        coef[r] = NAN;                                                             \
            block_axpy_##SUFFIX(xb, nb, d, coef, grad);                                            \
        }                                                                                          \
    }                                                                                              \
                                                                                                   \
    ATTR static void proba_##SUFFIX(const T *x, size_t rows, size_t d, const double *w,            \
                                    double *out)                                                   \
    {                                                                                              \
        pc_vexp_bounds bounds = pc_vexp_bounds_get();                                              \
        double z[LOGREG_BLOCK], p[LOGREG_BLOCK];                                                   \
        for (size_t i = 0; i < rows; i += LOGREG_BLOCK) {                                          \
            size_t nb = rows - i < LOGREG_BLOCK ? rows - i : LOGREG_BLOCK;                         \
            for (size_t r = 0; r < LOGREG_BLOCK; r++)                                              \
                z[r] = r < nb ? row_dot_##SUFFIX(x + (i + r) * d, d, w) : 0.0;                     \
            for (size_t r = 0; r < LOGREG_BLOCK; r++)                                              \
                p[r] = 1.0 / (1.0 + pc_vexp(-z[r], bounds));                                       \
            for (size_t r = 0; r < nb; r++)                                                        \
                out[i + r] = p[r];                                                                 \
        }                                                                                          \
    }

DEFINE_LOGREG(f32, float, )
DEFINE_LOGREG(f64, double, )

void pc_logreg_gradient(const void *x, const void *y, size_t rows, size_t d, parchunk_dtype dtype,
                        const double *w, double *grad)
{
    if (dtype == PARCHUNK_FLOAT32)
        gradient_f32(x, y, rows, d, w, grad);
    else
        gradient_f64(x, y, rows, d, w, grad);
}

void pc_logreg_proba(const void *x, size_t rows, size_t d, parchunk_dtype dtype, const double *w,
                     double *out)
{
    if (dtype == PARCHUNK_FLOAT32)
        proba_f32(x, rows, d, w, out);
    else
        proba_f64(x, rows, d, w, out);
}

#if PC_LOGREG_HAVE_AVX2
#define AVX2_ATTR __attribute__((target("avx2")))
DEFINE_LOGREG(f32_avx2, float, AVX2_ATTR)
DEFINE_LOGREG(f64_avx2, double, AVX2_ATTR)

AVX2_ATTR void pc_logreg_gradient_avx2(const void *x, const void *y, size_t rows, size_t d,
                                       parchunk_dtype dtype, const double *w, double *grad)
{
    if (dtype == PARCHUNK_FLOAT32)
        gradient_f32_avx2(x, y, rows, d, w, grad);
    else
        gradient_f64_avx2(x, y, rows, d, w, grad);
}

AVX2_ATTR void pc_logreg_proba_avx2(const void *x, size_t rows, size_t d, parchunk_dtype dtype,
                                    const double *w, double *out)
{
    if (dtype == PARCHUNK_FLOAT32)
        proba_f32_avx2(x, rows, d, w, out);
    else
        proba_f64_avx2(x, rows, d, w, out);
}
#endif

#define DEFINE_FIND_BAD(SUFFIX, T)                                                                 \
    static size_t find_bad_##SUFFIX(const T *x, const T *y, size_t rows, size_t d, size_t *column) \
    {                                                                                              \
        for (size_t i = 0; i < rows; i++) {                                                        \
            for (size_t j = 0; j < d; j++)                                                         \
                if (!isfinite(x[i * d + j])) {                                                     \
                    *column = j;                                                                   \
                    return i;                                                                      \
                }                                                                                  \
            if (y != NULL && y[i] != 1 && y[i] != -1) {                                            \
                *column = d;                                                                       \
                return i;                                                                          \
            }                                                                                      \
        }                                                                                          \
        return rows;                                                                               \
    }
DEFINE_FIND_BAD(f32, float)
DEFINE_FIND_BAD(f64, double)

size_t pc_logreg_find_bad(const void *x, const void *y, size_t rows, size_t d, parchunk_dtype dtype,
                          size_t *column)
{
    if (dtype == PARCHUNK_FLOAT32)
        return find_bad_f32(x, y, rows, d, column);
    return find_bad_f64(x, y, rows, d, column);
}
