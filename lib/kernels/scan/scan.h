/*
 * scan.h - per-chunk kernels of the inclusive prefix sum (cumsum). A scan is
 * two passes over chunks: pass 1 summarises each chunk (read only), the api
 * turns the summaries into one offset per chunk in chunk order, pass 2 scans
 * each chunk again starting from its offset and writes the output. Pure
 * functions: no OpenMP, no allocation, no I/O, no globals.
 */
#ifndef PARCHUNK_KERNELS_SCAN_H
#define PARCHUNK_KERNELS_SCAN_H

#include "../../common/internal.h"
#include "../reduce/reduce.h" /* pc_i128 */

/* Pass 1, floats: the sum of the n float32/float64 elements in double (eight
 * interleaved accumulators, then a fixed tree). n may be 0. */
double pc_scan_float_total(const void *x, size_t n, parchunk_dtype dtype);

/* Pass 1, integers: the exact total of a chunk and bounds on its inclusive
 * prefix sums taken from 0: low <= 0 <= high and every prefix in
 * [low, high]. pc_scan_int_summarise reads the chunk as a reduction (no
 * dependent chain but the sum): for signed data the bounds are
 * -+ n * (largest magnitude), loose (exact == false); when those bounds could
 * leave int64 it falls back to the exact summary. pc_scan_int_summarise_exact
 * gives the smallest and largest prefix themselves (exact == true). Either is
 * enough to know, before anything is written, whether any prefix of the whole
 * array may leave the output range; the api asks for the exact summary of a
 * chunk only when its loose bounds do not settle it. */
typedef struct pc_scan_int_summary {
    pc_i128 total;
    pc_i128 low;
    pc_i128 high;
    bool exact;
} pc_scan_int_summary;

void pc_scan_int_summarise(const void *x, size_t n, parchunk_dtype dtype,
                           pc_scan_int_summary *summary);
void pc_scan_int_summarise_exact(const void *x, size_t n, parchunk_dtype dtype,
                                 pc_scan_int_summary *summary);

/* Pass 2, floats: out[i] = offset + x[0] + ... + x[i], accumulated left to
 * right in double, stored as out_dtype (float32 or float64; a float32 output
 * is each double prefix rounded once). out may equal x when the element sizes
 * match (each element is read before it is written); no other overlap. */
void pc_scan_float(const void *x, size_t n, parchunk_dtype dtype, double offset, void *out,
                   parchunk_dtype out_dtype);

/* Pass 2, integers: out[i] = offset + x[0] + ... + x[i] in 64-bit wrapping
 * arithmetic, which is exact when pass 1 showed that every prefix fits the
 * output type (int64 or uint64: the bits are the same). out may equal x when
 * x is 64-bit; no other overlap. */
void pc_scan_int(const void *x, size_t n, parchunk_dtype dtype, uint64_t offset, uint64_t *out);

#endif
