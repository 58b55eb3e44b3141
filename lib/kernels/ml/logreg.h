/*
 * logreg.h - per-chunk kernels of logistic regression by gradient descent,
 * the update rule of the classic Numba parallel example:
 *
 *     w -= learning_rate * ((1 / (1 + exp(-y * (X @ w))) - 1) * y) @ X
 *
 * Pure functions over a run of rows of a C-contiguous n x d matrix X
 * (float32 or float64; all arithmetic in double): no OpenMP, no allocation,
 * no I/O, no globals.
 */
#ifndef PARCHUNK_KERNELS_ML_LOGREG_H
#define PARCHUNK_KERNELS_ML_LOGREG_H

#include "../../common/internal.h"

/*
 * pc_logreg_gradient() - adds sum over the `rows` rows of coef_i * X[i] to
 * grad (d doubles), where z_i = X[i] . w (in four lanes of columns
 * j = k mod 4, then (s0 + s1) + (s2 + s3): the order logreg.c documents),
 * coef_i = (1 / (1 + exp(-y_i * z_i)) - 1) * y_i; each grad[j] sums the rows
 * in order.
 * x points at the first row, y at its label (same dtype as x). A label that
 * is not exactly -1 or +1 makes coef_i NaN, so the whole gradient turns NaN:
 * the caller sees it in the result and looks for the culprit. A non-finite
 * X[i][j] likewise makes grad[j] non-finite.
 */
void pc_logreg_gradient(const void *x, const void *y, size_t rows, size_t d, parchunk_dtype dtype,
                        const double *w, double *grad);

/* pc_logreg_proba() - out[i] = 1 / (1 + exp(-(X[i] . w))) for `rows` rows. */
void pc_logreg_proba(const void *x, size_t rows, size_t d, parchunk_dtype dtype, const double *w,
                     double *out);

/* exp is pc_vexp() (vexp.h, within 2 ulp of libm). The AVX2 variants
 * (intrinsics) give bit-identical results (same operations in the same
 * order, wider lanes); only call them when the CPU has AVX2. */
typedef void (*pc_logreg_gradient_fn)(const void *x, const void *y, size_t rows, size_t d,
                                      parchunk_dtype dtype, const double *w, double *grad);
typedef void (*pc_logreg_proba_fn)(const void *x, size_t rows, size_t d, parchunk_dtype dtype,
                                   const double *w, double *out);
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define PC_LOGREG_HAVE_AVX2 1
void pc_logreg_gradient_avx2(const void *x, const void *y, size_t rows, size_t d,
                             parchunk_dtype dtype, const double *w, double *grad);
void pc_logreg_proba_avx2(const void *x, size_t rows, size_t d, parchunk_dtype dtype,
                          const double *w, double *out);
#else
#define PC_LOGREG_HAVE_AVX2 0
#endif

/*
 * pc_logreg_find_bad() - the first of `rows` rows holding a non-finite X
 * value or (when y is not NULL) a label other than -1 / +1; `rows` when
 * there is none. *column receives the first non-finite column of that row,
 * or d when only its label is bad.
 */
size_t pc_logreg_find_bad(const void *x, const void *y, size_t rows, size_t d, parchunk_dtype dtype,
                          size_t *column);

#endif
