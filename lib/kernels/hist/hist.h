/*
 * hist.h - uniform-bin histogram kernels that reproduce numpy.histogram's
 * arithmetic exactly (numpy 2.x, lib/_histograms_impl.py, uniform bins):
 *
 *   keep     = (x >= first_edge) & (x <= last_edge)
 *   f        = ((x - first_edge) / norm_denom) * n_bins     (types below)
 *   i        = int(f); i[i == n_bins] -= 1
 *   i[x < edges[i]] -= 1
 *   i[(x >= edges[i + 1]) & (i != n_bins - 1)] += 1
 *
 * and np.linspace for the edges. The types follow NumPy's promotion rules
 * (NEP 50) for the cases parchunk exposes:
 *   - float64 data, and integer data (converted to float64 first): float64
 *     throughout;
 *   - float32 data, explicit range (Python floats): the edges, the
 *     comparisons and x - first_edge are float32; the division by the float64
 *     norm_denom and the scaling by n_bins are float64;
 *   - float32 data, range from the data (np.float32 min/max): everything
 *     float32, including np.linspace.
 */
#ifndef PARCHUNK_KERNELS_HIST_H
#define PARCHUNK_KERNELS_HIST_H

#include "../../common/internal.h"

typedef struct pc_hist_spec {
    size_t bins;          /* >= 1, <= 2^53 */
    parchunk_dtype dtype; /* of the data */
    bool div_f32;         /* float32 data, range from the data: f in float32 */
    double lo, hi;        /* first/last edge (float32 data: float32 values) */
    double denom;         /* norm_denom (div_f32: a float32 value) */
    const double *edges;  /* bins + 1 edges (float32 data: float32 values) */
    /* fast path, set by pc_hist_prepare_fast() */
    bool fast;    /* use it */
    double inv;   /* bins / (hi - lo) */
    double delta; /* bound on |position error| in bins (< 1/4) */
    bool all_in;  /* every value lies in [lo, hi] (range from the data): a hint */
} pc_hist_spec;

/* Decides whether the fast path is safe for spec (all other fields set) and
 * fills fast, inv, delta. See hist.c for the error analysis. */
void pc_hist_prepare_fast(pc_hist_spec *spec);

/* Adds the histogram of n elements to counts[0..bins). Returns PARCHUNK_OK,
 * or PARCHUNK_ERR_DOMAIN where numpy.histogram would fail with an IndexError
 * or ValueError (a bin index out of range: only when the bin arithmetic
 * overflows, e.g. a range wider than the largest double); counts are then
 * partly updated. */
parchunk_status pc_hist_count(const pc_hist_spec *spec, const void *x, size_t n, int64_t *counts);

/* The smallest and largest of n >= 1 elements, each written as one element
 * of dtype; floats: both NaN when any element is NaN. */
void pc_hist_minmax(const void *x, size_t n, parchunk_dtype dtype, void *min_out, void *max_out);

/* np.linspace(start, stop, num) with endpoint, in float64 / float32
 * arithmetic (the float32 results are written widened to double). num >= 2. */
void pc_linspace_f64(double start, double stop, size_t num, double *y);
void pc_linspace_f32(float start, float stop, size_t num, double *y);

/* Correctly rounded double -> float (inf beyond the float range) without
 * relying on the undefined out-of-range conversion of C. */
float pc_double_to_float(double v);

#endif
