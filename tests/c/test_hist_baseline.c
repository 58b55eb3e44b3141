/*
 * test_hist_baseline.c - the histogram kernels' AVX2 paths (the float64
 * bin estimates, with and without the range test, and the min/max pass)
 * against the x86-64 baseline code, which the library never runs on an AVX2
 * machine: the kernels are compiled here alone (PC_BASELINE_ONLY), and
 * counts and edges from the library must equal theirs bit for bit, for
 * random data, values on and next to the edges, NaN, infinities and values
 * outside an explicit range, at every length around the vector widths, on
 * 1, 2 and 3 threads. (Agreement with numpy.histogram itself is checked by
 * the Python tests.) test_hist_avx2.c includes this file to do the same with
 * the kernels compiled here up to AVX2 (no AVX-512), so that on an AVX-512
 * machine both vector tiers are checked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#if defined(PC_HIST_TEST_AVX2)
#define PC_HIST_NO_AVX512 1
#else
#define PC_BASELINE_ONLY 1
#endif
#include "kernels/hist/hist.c"
#include "kernels/hist/minmax.c"

enum { MAXN = 3100, MAXBINS = 1000 };

static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint64_t next_u64(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}
static double uniform01(void)
{
    return (double)(next_u64() >> 11) * 0x1p-53;
}
static double normal(void)
{
    double u = uniform01() + 0x1p-60, v = uniform01();
    return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

/* The range from the data as parchunk_histogram_auto sets it up for an
 * integer dtype (int64 or uint8 here): lo, hi and numpy's norm_denom. */
static void int_range(const void *x, size_t n, parchunk_dtype dt, double *lo, double *hi,
                      double *denom)
{
    if (dt == PARCHUNK_INT64) {
        int64_t mn, mx;
        pc_hist_minmax(x, n, dt, &mn, &mx);
        *lo = (double)mn, *hi = (double)mx;
        *denom = (double)((uint64_t)mx - (uint64_t)mn); /* exact unsigned difference */
        if (mn == mx)
            *lo -= 0.5, *hi += 0.5, *denom = *hi - *lo;
    } else {
        uint8_t mn, mx;
        pc_hist_minmax(x, n, dt, &mn, &mx);
        *lo = mn, *hi = mx, *denom = (double)(mx - mn);
        if (mn == mx)
            *lo -= 0.5, *hi += 0.5, *denom = *hi - *lo;
    }
}

/* baseline() for float32, with numpy's float32 rules as histogram.c sets
 * them up: range from the data all in float32; an explicit range: float64
 * edges cast to float32, the range itself as float32. */
static parchunk_status baseline_f32(const void *x, size_t n, size_t bins, int auto_range, double lo,
                                    double hi, int64_t *counts, double *edges)
{
    pc_hist_spec s;
    if (auto_range) {
        float flo, fhi;
        pc_hist_minmax(x, n, PARCHUNK_FLOAT32, &flo, &fhi);
        if (!isfinite(flo) || !isfinite(fhi))
            return PARCHUNK_ERR_DOMAIN;
        if (flo == fhi) {
            flo = flo - 0.5f;
            fhi = fhi + 0.5f;
        }
        pc_linspace_f32(flo, fhi, bins + 1, edges);
        s = (pc_hist_spec){
            bins, PARCHUNK_FLOAT32, true, flo, fhi, fhi - flo, edges, false, 0.0, 1.0, true};
    } else {
        if (lo == hi) {
            lo -= 0.5;
            hi += 0.5;
        }
        pc_linspace_f64(lo, hi, bins + 1, edges);
        for (size_t i = 0; i <= bins; i++)
            edges[i] = pc_double_to_float(edges[i]);
        s = (pc_hist_spec){bins, PARCHUNK_FLOAT32, false, lo, hi, hi - lo, edges, false, 0.0, 1.0,
                           false};
    }
    for (size_t i = 0; i < bins; i++)
        if (!(edges[i] < edges[i + 1]))
            return PARCHUNK_ERR_ARG;
    pc_hist_prepare_fast(&s);
    if (!auto_range) {
        s.lo = pc_double_to_float(lo);
        s.hi = pc_double_to_float(hi);
    }
    memset(counts, 0, bins * sizeof(int64_t));
    return pc_hist_count(&s, x, n, counts);
}

/* The baseline: counts (and edges) of x (float64, float32, int64 or uint8) by the
 * kernels compiled here. auto_range: range from the data, as
 * parchunk_histogram_auto sets it up. Returns the status
 * (PARCHUNK_ERR_DOMAIN for a non-finite range). */
static parchunk_status baseline(const void *x, size_t n, parchunk_dtype dt, size_t bins,
                                int auto_range, double lo, double hi, int64_t *counts,
                                double *edges)
{
    if (dt == PARCHUNK_FLOAT32)
        return baseline_f32(x, n, bins, auto_range, lo, hi, counts, edges);
    double denom = hi - lo;
    if (auto_range && dt == PARCHUNK_FLOAT64) {
        pc_hist_minmax(x, n, dt, &lo, &hi);
        if (!isfinite(lo) || !isfinite(hi))
            return PARCHUNK_ERR_DOMAIN;
        denom = hi - lo;
    } else if (auto_range) {
        int_range(x, n, dt, &lo, &hi, &denom);
    }
    if (lo == hi) {
        lo -= 0.5;
        hi += 0.5;
        denom = hi - lo;
    }
    pc_linspace_f64(lo, hi, bins + 1, edges);
    for (size_t i = 0; i < bins; i++)
        if (!(edges[i] < edges[i + 1])) /* numpy: "too many bins for data range" */
            return PARCHUNK_ERR_ARG;
    pc_hist_spec s = {bins, dt, false, lo, hi, denom, edges, false, 0.0, 1.0, auto_range != 0};
    pc_hist_prepare_fast(&s);
    memset(counts, 0, bins * sizeof(int64_t));
    return pc_hist_count(&s, x, n, counts);
}

static void check_dt(const void *x, size_t n, parchunk_dtype dt, size_t bins, int auto_range,
                     double lo, double hi)
{
    static int64_t want[MAXBINS], got[MAXBINS];
    static double ewant[MAXBINS + 1], egot[MAXBINS + 1];
    parchunk_status st = baseline(x, n, dt, bins, auto_range, lo, hi, want, ewant);
    for (int threads = 1; threads <= 3; threads++) {
        parchunk_ctx *ctx = NULL;
        assert_int_equal(parchunk_ctx_new(&ctx), PARCHUNK_OK);
        assert_int_equal(parchunk_ctx_set_threads(ctx, threads), PARCHUNK_OK);
        assert_int_equal(parchunk_ctx_set_chunk_size(ctx, threads == 1 ? 1 << 20 : 37),
                         PARCHUNK_OK);
        assert_int_equal(parchunk_ctx_set_serial_cutoff(ctx, 0), PARCHUNK_OK);
        memset(got, 0x55, sizeof got);
        if (auto_range) {
            assert_int_equal(parchunk_histogram_auto(ctx, x, n, dt, bins, got, egot), st);
            if (st == PARCHUNK_OK)
                assert_memory_equal(egot, ewant, (bins + 1) * sizeof(double));
        } else {
            assert_int_equal(parchunk_histogram(ctx, x, n, dt, bins, lo, hi, got), st);
        }
        if (st == PARCHUNK_OK)
            assert_memory_equal(got, want, bins * sizeof(int64_t));
        parchunk_ctx_free(ctx);
    }
}

static void check(const double *x, size_t n, size_t bins, int auto_range, double lo, double hi)
{
    check_dt(x, n, PARCHUNK_FLOAT64, bins, auto_range, lo, hi);
}

static const size_t bin_choices[] = {1, 3, 10, 100, 513, 1000};

/* Normal data, every length up to 40 and random ones to MAXN. */
static void test_random(void **unused)
{
    (void)unused;
    static double x[MAXN];
    for (int trial = 0; trial < 160; trial++) {
        size_t n = trial < 40 ? (size_t)trial + 1 : 1 + next_u64() % 1100;
        double scale = ldexp(1.0, (int)(next_u64() % 80) - 40), shift = normal() * scale * 3;
        for (size_t i = 0; i < n; i++)
            x[i] = shift + normal() * scale;
        size_t bins = bin_choices[next_u64() % 6];
        check(x, n, bins, 1, 0, 0);
        check(x, n, bins, 0, shift - scale, shift + 2 * scale); /* some values outside */
    }
}

/* Values on the edges and one ulp either side, shuffled (the estimates are
 * undecided there and the exact path decides), with the range from the data
 * and an explicit range. */
static void test_on_edges(void **unused)
{
    (void)unused;
    static double x[MAXN], edges[MAXBINS + 1];
    for (int trial = 0; trial < 60; trial++) {
        size_t bins = bin_choices[trial % 5]; /* 3 * (bins + 1) <= MAXN */
        double lo = normal() * ldexp(1.0, (int)(next_u64() % 40) - 20);
        double hi = lo + fabs(normal()) * ldexp(1.0, (int)(next_u64() % 40) - 20) + 1e-300;
        pc_linspace_f64(lo, hi, bins + 1, edges);
        size_t n = 0;
        for (size_t i = 0; i <= bins; i++) {
            x[n++] = edges[i];
            x[n++] = nextafter(edges[i], INFINITY);
            x[n++] = nextafter(edges[i], -INFINITY);
        }
        for (size_t i = n - 1; i > 0; i--) {
            size_t j = next_u64() % (i + 1);
            double t = x[i];
            x[i] = x[j];
            x[j] = t;
        }
        check(x, n, bins, 1, 0, 0);
        check(x, n, bins, 0, lo, hi);
        check(x, n - 1 - trial % 5, bins, 0, lo, hi); /* other tails (n >= 6) */
    }
}

/* NaN, infinities, signed zeros and huge values at every position of short
 * arrays: explicit range (ignored values) and range from the data
 * (non-finite, or too wide for the edges: the same error). */
static void test_specials(void **unused)
{
    (void)unused;
    static double x[40];
    const double specials[] = {NAN, INFINITY, -INFINITY, -0.0, 1e308, -1e308, 0x1p-1074};
    for (size_t n = 1; n <= 40; n++)
        for (size_t pos = 0; pos < n; pos++)
            for (size_t k = 0; k < sizeof specials / sizeof specials[0]; k++) {
                for (size_t i = 0; i < n; i++)
                    x[i] = normal();
                x[pos] = specials[k];
                check(x, n, 7, 0, -1.0, 1.0);
                check(x, n, 7, 1, 0, 0);
            }
}

/* Integers (converted to float64 before the estimates): random int64 over
 * spans from a few units to the whole type, and uint8, with the range from
 * the data (all values inside) and an explicit one. */
static void test_integers(void **unused)
{
    (void)unused;
    static int64_t v64[MAXN];
    static uint8_t v8[MAXN];
    for (int trial = 0; trial < 120; trial++) {
        size_t n = 1 + next_u64() % 1100, bins = bin_choices[next_u64() % 6];
        int shift = (int)(next_u64() % 64);
        int64_t base = (int64_t)(next_u64() >> (next_u64() % 64)) - (int64_t)(1ull << 40);
        for (size_t i = 0; i < n; i++) {
            uint64_t r = next_u64();
            v64[i] = (int64_t)(shift == 63 ? r : (uint64_t)base + (r >> (shift + 1)));
            v8[i] = (uint8_t)(r >> (56 + trial % 8));
        }
        check_dt(v64, n, PARCHUNK_INT64, bins, 1, 0, 0);
        check_dt(v8, n, PARCHUNK_UINT8, bins, 1, 0, 0);
        check_dt(v8, n, PARCHUNK_UINT8, bins, 0, 10.0, 200.0);
        check_dt(v64, n, PARCHUNK_INT64, bins, 0, (double)v64[0], (double)v64[0] + 1e6);
    }
}

/* float32: random data, values on and next to the float32 edges, both
 * range kinds. */
static void test_float32(void **unused)
{
    (void)unused;
    static float v[MAXN];
    static double edges[MAXBINS + 1];
    static int64_t scratch[MAXBINS];
    for (int trial = 0; trial < 120; trial++) {
        size_t bins = bin_choices[next_u64() % 4], n = 0;
        float scale = (float)ldexp(1.0, (int)(next_u64() % 40) - 20), shift = (float)normal();
        if (trial % 2) {
            n = 1 + next_u64() % 1100;
            for (size_t i = 0; i < n; i++)
                v[i] = shift + (float)normal() * scale;
        } else {
            v[0] = shift, v[1] = shift + scale;
            baseline_f32(v, 2, bins, 1, 0, 0, scratch, edges);
            for (size_t i = 0; i <= bins; i++) {
                float e = (float)edges[i];
                v[n++] = e;
                v[n++] = nextafterf(e, INFINITY);
                v[n++] = nextafterf(e, -INFINITY);
            }
        }
        check_dt(v, n, PARCHUNK_FLOAT32, bins, 1, 0, 0);
        check_dt(v, n, PARCHUNK_FLOAT32, bins, 0, shift, (double)shift + scale);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random),   cmocka_unit_test(test_on_edges),
        cmocka_unit_test(test_specials), cmocka_unit_test(test_integers),
        cmocka_unit_test(test_float32),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
