/*
 * test_histogram.c - uniform-bin histograms: hand-made known answers at the
 * bin edges, a serial reference (edges[i] <= x < edges[i+1], last bin
 * closed) for random data of every dtype, thread/chunk identity, the range
 * taken from the data, merges, and every bad input. (Bit-for-bit agreement
 * with numpy.histogram itself is checked by the Python tests.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parchunk.h"

static uint64_t rng_state = 0x243F6A8885A308D3u;
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

static parchunk_ctx *make_ctx(int threads, size_t chunk)
{
    parchunk_ctx *ctx = NULL;
    assert_int_equal(parchunk_ctx_new(&ctx), PARCHUNK_OK);
    assert_int_equal(parchunk_ctx_set_threads(ctx, threads), PARCHUNK_OK);
    assert_int_equal(parchunk_ctx_set_chunk_size(ctx, chunk), PARCHUNK_OK);
    assert_int_equal(parchunk_ctx_set_serial_cutoff(ctx, 0), PARCHUNK_OK);
    return ctx;
}

/* Reference: the bin of v by the edges (binary search), -1 outside. */
static long ref_bin(const double *edges, size_t bins, double v)
{
    if (!(v >= edges[0] && v <= edges[bins]))
        return -1;
    if (v == edges[bins])
        return (long)bins - 1;
    size_t lo = 0, hi = bins; /* edges[lo] <= v < edges[hi] */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (v >= edges[mid])
            lo = mid;
        else
            hi = mid;
    }
    return (long)lo;
}

/* ---- known answers ------------------------------------------------------------ */

static void test_known_edges(void **unused)
{
    (void)unused;
    double x[] = {
        0.0, 0.5, 1.0, 1.5, 2.0, -0.1, 2.1, NAN, INFINITY, -INFINITY, 0.49999999999999994};
    int64_t c[4] = {-1, -1, -1, -1};
    assert_int_equal(parchunk_histogram(NULL, x, 11, PARCHUNK_FLOAT64, 4, 0.0, 2.0, c),
                     PARCHUNK_OK);
    int64_t want[4] = {2, 1, 1, 2}; /* 2.0 is in the last (closed) bin */
    assert_memory_equal(c, want, sizeof want);
    double e[5];
    assert_int_equal(parchunk_histogram_edges(NULL, PARCHUNK_FLOAT64, 4, 0.0, 2.0, e), PARCHUNK_OK);
    double ewant[5] = {0.0, 0.5, 1.0, 1.5, 2.0};
    assert_memory_equal(e, ewant, sizeof ewant);

    /* 0.1-steps: edges are i * 0.1 (+ 0), not exact tenths; values on them */
    double y[11];
    double ey[11];
    assert_int_equal(parchunk_histogram_edges(NULL, PARCHUNK_FLOAT64, 10, 0.0, 1.0, ey),
                     PARCHUNK_OK);
    for (int i = 0; i <= 10; i++) {
        assert_true(ey[i] == (double)i * 0.1 || i == 10);
        y[i] = ey[i];
    }
    int64_t cy[10];
    assert_int_equal(parchunk_histogram(NULL, y, 11, PARCHUNK_FLOAT64, 10, 0.0, 1.0, cy),
                     PARCHUNK_OK);
    for (int i = 0; i < 10; i++)
        assert_int_equal(cy[i], i == 9 ? 2 : 1);

    /* lo == hi widens to [lo - 0.5, hi + 0.5] */
    double z[] = {3.0, 3.0, 2.5, 3.5, 2.4};
    int64_t cz[2];
    assert_int_equal(parchunk_histogram(NULL, z, 5, PARCHUNK_FLOAT64, 2, 3.0, 3.0, cz),
                     PARCHUNK_OK);
    assert_int_equal(cz[0], 1);
    assert_int_equal(cz[1], 3);

    /* integers: converted to double */
    int16_t w[] = {-5, 0, 1, 2, 9, 10, 11};
    int64_t cw[5];
    assert_int_equal(parchunk_histogram(NULL, w, 7, PARCHUNK_INT16, 5, 0.0, 10.0, cw), PARCHUNK_OK);
    int64_t wwant[5] = {2, 1, 0, 0, 2};
    assert_memory_equal(cw, wwant, sizeof wwant);

    /* float32: the range acts as float32 values (0.1f > 0.1) */
    float f[] = {0.1f, 0.2f};
    int64_t cf[1];
    assert_int_equal(parchunk_histogram(NULL, f, 2, PARCHUNK_FLOAT32, 1, 0.1, 0.2, cf),
                     PARCHUNK_OK);
    assert_int_equal(cf[0], 2);
    double ef[2];
    assert_int_equal(parchunk_histogram_edges(NULL, PARCHUNK_FLOAT32, 1, 0.1, 0.2, ef),
                     PARCHUNK_OK);
    assert_true(ef[0] == (double)0.1f && ef[1] == (double)0.2f);
}

/* ---- random data of every dtype against the edge reference ------------- */

static void fill_random(void *x, size_t n, parchunk_dtype dt, double *as_double)
{
    for (size_t i = 0; i < n; i++) {
        double u = uniform01() * 240.0 - 120.0;
        if (i % 7 == 0)
            u = floor(u / 4) * 4; /* many values on the likely edges */
        switch (dt) {
#define CASE(DT, T, CAST)                                                                          \
    case DT:                                                                                       \
        ((T *)x)[i] = (T)(CAST);                                                                   \
        as_double[i] = (double)((T *)x)[i];                                                        \
        break;
            CASE(PARCHUNK_INT8, int8_t, u)
            CASE(PARCHUNK_UINT8, uint8_t, fabs(u) * 2)
            CASE(PARCHUNK_INT16, int16_t, u * 100)
            CASE(PARCHUNK_UINT16, uint16_t, fabs(u) * 500)
            CASE(PARCHUNK_INT32, int32_t, u * 1e6)
            CASE(PARCHUNK_UINT32, uint32_t, fabs(u) * 1e7)
            CASE(PARCHUNK_INT64, int64_t, u * 1e12)
            CASE(PARCHUNK_UINT64, uint64_t, fabs(u) * 1e15)
            CASE(PARCHUNK_FLOAT32, float, u)
            CASE(PARCHUNK_FLOAT64, double, u)
#undef CASE
        default: break;
        }
    }
}

static void test_random_all_dtypes_and_threads(void **unused)
{
    (void)unused;
    enum { N = 5000, BINS_MAX = 700 };
    static unsigned char data[N * 8];
    static double as_double[N];
    static int64_t counts[5][BINS_MAX], want[BINS_MAX];
    static double edges[BINS_MAX + 1];
    parchunk_ctx *ctxs[5] = {make_ctx(1, 0), make_ctx(2, 7), make_ctx(3, 7), make_ctx(8, 100),
                             make_ctx(2, 0)};
    const size_t bins_choice[] = {1, 3, 10, 100, 513, 700};
    for (int trial = 0; trial < 120; trial++) {
        parchunk_dtype dt = (parchunk_dtype)(trial % PARCHUNK_DTYPE_COUNT);
        size_t n = (size_t)(next_u64() % N);
        size_t bins = bins_choice[trial % 6];
        fill_random(data, n, dt, as_double);
        double scale = as_double[0] != 0 ? fabs(as_double[0]) : 1.0;
        double lo = -scale * uniform01(), hi = scale * uniform01() * 1.5;
        if (dt == PARCHUNK_UINT8 || dt == PARCHUNK_UINT16 || dt == PARCHUNK_UINT32 ||
            dt == PARCHUNK_UINT64)
            lo = 0.0;
        assert_int_equal(parchunk_histogram_edges(NULL, dt, bins, lo, hi, edges), PARCHUNK_OK);
        memset(want, 0, sizeof want);
        for (size_t i = 0; i < n; i++) {
            double v = as_double[i];
            if (dt == PARCHUNK_FLOAT32) /* compared in float32, as numpy */
                v = (double)(float)v;
            long b = ref_bin(edges, bins, v);
            if (b >= 0)
                want[b]++;
        }
        for (int c = 0; c < 5; c++) {
            assert_int_equal(parchunk_histogram(ctxs[c], data, n, dt, bins, lo, hi, counts[c]),
                             PARCHUNK_OK);
            assert_memory_equal(counts[c], want, bins * sizeof(int64_t));
        }
        /* range from the data: identical across contexts, all counted */
        int64_t total = 0;
        for (int c = 0; c < 5; c++) {
            assert_int_equal(parchunk_histogram_auto(ctxs[c], data, n, dt, bins, counts[c],
                                                     c == 0 ? edges : NULL),
                             PARCHUNK_OK);
            if (c > 0)
                assert_memory_equal(counts[c], counts[0], bins * sizeof(int64_t));
        }
        for (size_t b = 0; b < bins; b++)
            total += counts[0][b];
        assert_int_equal(total, (int64_t)n);
        if (n > 0) { /* the edges span [min, max] (or widened) */
            double mn = as_double[0], mx = as_double[0];
            for (size_t i = 1; i < n; i++) {
                mn = fmin(mn, as_double[i]);
                mx = fmax(mx, as_double[i]);
            }
            if (mn != mx && dt != PARCHUNK_INT64 && dt != PARCHUNK_UINT64) {
                assert_true(edges[0] == mn);
                assert_true(edges[bins] == mx);
            }
        }
    }
    for (int c = 0; c < 5; c++)
        parchunk_ctx_free(ctxs[c]);
}

/* Far from zero relative to the bin width, the fast estimate cannot be
 * trusted and every value takes NumPy's exact arithmetic: same answers. */
static void test_exact_path_far_from_zero(void **unused)
{
    (void)unused;
    enum { N = 3000, BINS = 700 };
    static double x[N], edges[BINS + 1];
    static int64_t got[BINS], want[BINS];
    const double lo = 1e13, hi = 1e13 + 1000.0;
    assert_int_equal(parchunk_histogram_edges(NULL, PARCHUNK_FLOAT64, BINS, lo, hi, edges),
                     PARCHUNK_OK);
    for (size_t i = 0; i < N; i++)
        x[i] = i % 3 ? lo + uniform01() * 1100.0 - 50.0 : edges[next_u64() % (BINS + 1)];
    memset(want, 0, sizeof want);
    for (size_t i = 0; i < N; i++) {
        long b = ref_bin(edges, BINS, x[i]);
        if (b >= 0)
            want[b]++;
    }
    parchunk_ctx *ctx = make_ctx(3, 100);
    assert_int_equal(parchunk_histogram(ctx, x, N, PARCHUNK_FLOAT64, BINS, lo, hi, got),
                     PARCHUNK_OK);
    assert_memory_equal(got, want, sizeof want);
    parchunk_ctx_free(ctx);
}

static void test_auto_range(void **unused)
{
    (void)unused;
    double x[] = {2.0, 2.0, 2.0};
    int64_t c[3];
    double e[4];
    assert_int_equal(parchunk_histogram_auto(NULL, x, 3, PARCHUNK_FLOAT64, 3, c, e), PARCHUNK_OK);
    assert_true(e[0] == 1.5 && e[3] == 2.5);
    assert_int_equal(c[1], 3);
    /* empty: range [0, 1] */
    assert_int_equal(parchunk_histogram_auto(NULL, NULL, 0, PARCHUNK_FLOAT32, 2, c, e),
                     PARCHUNK_OK);
    assert_true(e[0] == 0.0 && e[1] == 0.5 && e[2] == 1.0);
    assert_true(c[0] == 0 && c[1] == 0);
    /* NaN or inf in the data: numpy's "autodetected range ... is not finite" */
    double bad[] = {1.0, NAN, 3.0};
    c[0] = 77;
    assert_int_equal(parchunk_histogram_auto(NULL, bad, 3, PARCHUNK_FLOAT64, 3, c, e),
                     PARCHUNK_ERR_DOMAIN);
    assert_int_equal(c[0], 77);
    float badf[] = {1.0f, -INFINITY};
    assert_int_equal(parchunk_histogram_auto(NULL, badf, 2, PARCHUNK_FLOAT32, 3, c, NULL),
                     PARCHUNK_ERR_DOMAIN);
    /* the same deep inside long arrays (the vectorised min/max pass) */
    static double longd[1000];
    static float longf[1000];
    for (int k = 0; k < 4; k++) {
        for (int i = 0; i < 1000; i++) {
            longd[i] = i * 0.5;
            longf[i] = (float)i;
        }
        double special = k == 0 ? NAN : k == 1 ? INFINITY : k == 2 ? -INFINITY : 1.0;
        longd[517 + k] = special;
        longf[998] = (float)special;
        parchunk_status want = k == 3 ? PARCHUNK_OK : PARCHUNK_ERR_DOMAIN;
        assert_int_equal(parchunk_histogram_auto(NULL, longd, 1000, PARCHUNK_FLOAT64, 3, c, NULL),
                         want);
        assert_int_equal(parchunk_histogram_auto(NULL, longf, 1000, PARCHUNK_FLOAT32, 3, c, NULL),
                         want);
    }
    assert_int_equal(parchunk_histogram_auto(NULL, longd, 1000, PARCHUNK_FLOAT64, 3, c, e),
                     PARCHUNK_OK);
    assert_true(e[0] == 0.0 && e[3] == 499.5);
    /* integers */
    uint8_t u[] = {0, 255, 128, 127};
    int64_t cu[2];
    assert_int_equal(parchunk_histogram_auto(NULL, u, 4, PARCHUNK_UINT8, 2, cu, NULL), PARCHUNK_OK);
    assert_int_equal(cu[0], 2);
    assert_int_equal(cu[1], 2);
}

static void test_merge(void **unused)
{
    (void)unused;
    enum { N = 1000, BINS = 17 };
    static double x[N];
    for (size_t i = 0; i < N; i++)
        x[i] = uniform01() * 3.0 - 1.0;
    int64_t whole[BINS], a[BINS], b[BINS];
    assert_int_equal(parchunk_histogram(NULL, x, N, PARCHUNK_FLOAT64, BINS, -0.5, 1.5, whole),
                     PARCHUNK_OK);
    for (size_t cut = 0; cut <= N; cut += 97) {
        assert_int_equal(parchunk_histogram(NULL, x, cut, PARCHUNK_FLOAT64, BINS, -0.5, 1.5, a),
                         PARCHUNK_OK);
        assert_int_equal(
            parchunk_histogram(NULL, x + cut, N - cut, PARCHUNK_FLOAT64, BINS, -0.5, 1.5, b),
            PARCHUNK_OK);
        assert_int_equal(parchunk_histogram_merge(NULL, BINS, a, b, a), PARCHUNK_OK);
        assert_memory_equal(a, whole, sizeof whole);
    }
    a[3] = INT64_MAX;
    memcpy(b, whole, sizeof b);
    b[3] = 1;
    int64_t out[BINS] = {0};
    assert_int_equal(parchunk_histogram_merge(NULL, BINS, a, b, out), PARCHUNK_ERR_OVERFLOW);
    assert_int_equal(out[0], 0);
    a[3] = -1;
    assert_int_equal(parchunk_histogram_merge(NULL, BINS, a, b, out), PARCHUNK_ERR_ARG);
    assert_int_equal(parchunk_histogram_merge(NULL, BINS, NULL, b, out), PARCHUNK_ERR_NULL);
}

static void test_bad_input(void **unused)
{
    (void)unused;
    double x[] = {1.0, 2.0};
    int64_t c[4] = {5, 5, 5, 5};
    double e[5];
    parchunk_ctx *ctx = make_ctx(2, 0);
    assert_int_equal(parchunk_histogram(ctx, x, 2, PARCHUNK_FLOAT64, 0, 0.0, 1.0, c),
                     PARCHUNK_ERR_ARG);
    assert_true(strlen(parchunk_ctx_last_error(ctx)) > 0);
    assert_int_equal(parchunk_histogram(ctx, x, 2, PARCHUNK_FLOAT64, 4, 1.0, 0.0, c),
                     PARCHUNK_ERR_ARG);
    assert_int_equal(parchunk_histogram(ctx, x, 2, PARCHUNK_FLOAT64, 4, NAN, 1.0, c),
                     PARCHUNK_ERR_DOMAIN);
    assert_int_equal(parchunk_histogram(ctx, x, 2, PARCHUNK_FLOAT64, 4, 0.0, INFINITY, c),
                     PARCHUNK_ERR_DOMAIN);
    assert_int_equal(parchunk_histogram(ctx, x, 2, PARCHUNK_FLOAT64, 4, 0.0, 1.0, NULL),
                     PARCHUNK_ERR_NULL);
    assert_int_equal(parchunk_histogram(ctx, NULL, 2, PARCHUNK_FLOAT64, 4, 0.0, 1.0, c),
                     PARCHUNK_ERR_NULL);
    assert_int_equal(parchunk_histogram(ctx, x, 2, (parchunk_dtype)99, 4, 0.0, 1.0, c),
                     PARCHUNK_ERR_DTYPE);
    /* numpy's "Too many bins for data range" */
    assert_int_equal(parchunk_histogram(ctx, x, 2, PARCHUNK_FLOAT64, 4, 1.0, 1.0 + 0x1p-52, c),
                     PARCHUNK_ERR_ARG);
    assert_int_equal(parchunk_histogram_edges(ctx, PARCHUNK_FLOAT32, 4, 1.0, 1.0 + 0x1p-30, e),
                     PARCHUNK_ERR_ARG);
    assert_int_equal(parchunk_histogram_edges(ctx, PARCHUNK_FLOAT64, 4, 0.0, 1.0, NULL),
                     PARCHUNK_ERR_NULL);
    /* a range wider than the doubles: numpy fails (IndexError) when a value
     * lands where the bin arithmetic overflows; so do we */
    double wide[] = {1.0, 1.7e308};
    int64_t cw[1] = {5};
    assert_int_equal(parchunk_histogram(ctx, wide, 2, PARCHUNK_FLOAT64, 1, -1e308, 1.7e308, cw),
                     PARCHUNK_ERR_DOMAIN);
    assert_int_equal(cw[0], 5);
    for (int i = 0; i < 4; i++)
        assert_int_equal(c[i], 5); /* untouched through every failure */
    parchunk_ctx_cancel(ctx);
    assert_int_equal(parchunk_histogram(ctx, x, 2, PARCHUNK_FLOAT64, 4, 0.0, 2.0, c),
                     PARCHUNK_ERR_CANCELLED);
    assert_int_equal(parchunk_histogram_auto(ctx, x, 2, PARCHUNK_FLOAT64, 4, c, NULL),
                     PARCHUNK_ERR_CANCELLED);
    assert_int_equal(c[0], 5);
    parchunk_ctx_clear_cancel(ctx);
    assert_int_equal(parchunk_histogram(ctx, x, 2, PARCHUNK_FLOAT64, 4, 0.0, 2.0, c), PARCHUNK_OK);
    uint64_t done = 0, total = 0;
    assert_int_equal(parchunk_ctx_progress(ctx, &done, &total), PARCHUNK_OK);
    assert_true(done == 2 && total == 2);
    assert_int_equal(parchunk_histogram_auto(ctx, x, 2, PARCHUNK_FLOAT64, 4, c, NULL), PARCHUNK_OK);
    assert_int_equal(parchunk_ctx_progress(ctx, &done, &total), PARCHUNK_OK);
    assert_true(done == 4 && total == 4);
    parchunk_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_edges),
        cmocka_unit_test(test_random_all_dtypes_and_threads),
        cmocka_unit_test(test_exact_path_far_from_zero),
        cmocka_unit_test(test_auto_range),
        cmocka_unit_test(test_merge),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
