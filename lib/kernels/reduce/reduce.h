/*
 * reduce.h - per-chunk reduction kernels. Pure functions over one chunk:
 * no OpenMP, no allocation, no I/O, no globals.
 */
#ifndef PARCHUNK_KERNELS_REDUCE_H
#define PARCHUNK_KERNELS_REDUCE_H

#include "../../common/internal.h"

/* 128-bit integers are internal: the ABI carries them as (hi, lo) pairs. */
__extension__ typedef __int128 pc_i128;
__extension__ typedef unsigned __int128 pc_u128;

/* Pairwise sum of n float32/float64 elements in double (blocks of 128 with
 * eight accumulators, block sums combined as a balanced binary tree). n may
 * be 0. */
double pc_sum_float(const void *x, size_t n, parchunk_dtype dtype);

/* Pairwise sum of |x[i] - center| in double; any dtype. n may be 0. */
double pc_sum_absdev(const void *x, size_t n, parchunk_dtype dtype, double center);

/* Exact sum of n elements of an integer dtype. n may be 0. */
pc_i128 pc_sum_int(const void *x, size_t n, parchunk_dtype dtype);

/* Smallest / largest of n >= 1 elements, written as one element of dtype to
 * out. Floats: NaN if any element is NaN. */
void pc_min(const void *x, size_t n, parchunk_dtype dtype, void *out);
void pc_max(const void *x, size_t n, parchunk_dtype dtype, void *out);

#endif
