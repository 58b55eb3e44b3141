/*
 * logreg.c - the row loops of logistic regression, one body per dtype.
 *
 * Rows go in blocks of LOGREG_BLOCK: the dot products of a block are
 * computed column by column, so that the block's rows form independent
 * chains (a single row's dot product is one long dependency chain of adds).
 * Each row's sum is still taken over its columns in order 0..d-1, so the
 * result is the same as the plain loop, and independent of how chunks cut
 * the rows.
 */
#include <math.h>

#include "logreg.h"

enum { LOGREG_BLOCK = 8 };

static inline double label_coef(double s, double label)
{
    double coef = (s - 1.0) * label;
    return (label == 1.0 || label == -1.0) ? coef : NAN;
}

#define DEFINE_LOGREG(SUFFIX, T)                                                             \
    /* z[r] = X[r] . w for the nb rows at x */                                               \
    static inline void block_dot_##SUFFIX(const T *x, size_t nb, size_t d, const double *w, \
                                          double *z)                                         \
    {                                                                                        \
        for (size_t r = 0; r < nb; r++)                                                      \
            z[r] = 0.0;                                                                      \
        for (size_t j = 0; j < d; j++)                                                       \
            for (size_t r = 0; r < nb; r++)                                                  \
                z[r] += (double)x[r * d + j] * w[j];                                         \
    }                                                                                        \
                                                                                             \
    static void gradient_##SUFFIX(const T *x, const T *y, size_t rows, size_t d,             \
                                  const double *w, double *restrict grad)                    \
    {                                                                                        \
        double z[LOGREG_BLOCK], coef[LOGREG_BLOCK];                                          \
        for (size_t i = 0; i < rows; i += LOGREG_BLOCK) {                                    \
            size_t nb = rows - i < LOGREG_BLOCK ? rows - i : LOGREG_BLOCK;                   \
            const T *xb = x + i * d;                                                         \
            block_dot_##SUFFIX(xb, nb, d, w, z);                                             \
            for (size_t r = 0; r < nb; r++) {                                                \
                double label = (double)y[i + r];                                             \
                double s = 1.0 / (1.0 + exp(-label * z[r]));                                 \
                coef[r] = label_coef(s, label);                                              \
            }                                                                                \
            for (size_t r = 0; r < nb; r++)                                                  \
                for (size_t j = 0; j < d; j++)                                               \
                    grad[j] += coef[r] * (double)xb[r * d + j];                              \
        }                                                                                    \
    }                                                                                        \
                                                                                             \
    static void proba_##SUFFIX(const T *x, size_t rows, size_t d, const double *w,           \
                               double *out)                                                  \
    {                                                                                        \
        double z[LOGREG_BLOCK];                                                              \
        for (size_t i = 0; i < rows; i += LOGREG_BLOCK) {                                    \
            size_t nb = rows - i < LOGREG_BLOCK ? rows - i : LOGREG_BLOCK;                   \
            block_dot_##SUFFIX(x + i * d, nb, d, w, z);                                      \
            for (size_t r = 0; r < nb; r++)                                                  \
                out[i + r] = 1.0 / (1.0 + exp(-z[r]));                                       \
        }                                                                                    \
    }                                                                                        \
                                                                                             \
    static size_t find_bad_##SUFFIX(const T *x, const T *y, size_t rows, size_t d,           \
                                    size_t *column)                                          \
    {                                                                                        \
        for (size_t i = 0; i < rows; i++) {                                                  \
            for (size_t j = 0; j < d; j++)                                                   \
                if (!isfinite(x[i * d + j])) {                                               \
                    *column = j;                                                             \
                    return i;                                                                \
                }                                                                            \
            if (y != NULL && y[i] != 1 && y[i] != -1) {                                      \
                *column = d;                                                                 \
                return i;                                                                    \
            }                                                                                \
        }                                                                                    \
        return rows;                                                                         \
    }

DEFINE_LOGREG(f32, float)
DEFINE_LOGREG(f64, double)

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

size_t pc_logreg_find_bad(const void *x, const void *y, size_t rows, size_t d,
                          parchunk_dtype dtype, size_t *column)
{
    if (dtype == PARCHUNK_FLOAT32)
        return find_bad_f32(x, y, rows, d, column);
    return find_bad_f64(x, y, rows, d, column);
}
