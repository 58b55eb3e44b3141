/*
 * test_logreg.c - logistic regression against a plain serial reference
 * written here (double, rows in order), bit-identity for any thread count,
 * and every bad input.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "parchunk.h"

/* White-box: the kernels themselves (pure functions, no globals), for the
 * exp accuracy and the portable-vs-AVX2 identity. */
#include "kernels/ml/logreg.c"

/* ---- the reference: the Numba example's rule, one row at a time ---------- */

static double x_at(const void *x, parchunk_dtype dtype, size_t i)
{
    return dtype == PARCHUNK_FLOAT32 ? (double)((const float *)x)[i] : ((const double *)x)[i];
}

/* The library's documented order of a row's dot product: four lanes, lane
 * k summing the products of columns j = k mod 4 in increasing j, a column
 * past d in the last group of four adding +0.0, then (s0 + s1) + (s2 + s3). */
static double ordered_dot(const void *x, parchunk_dtype dtype, size_t row, size_t d,
                          const double *w)
{
    double s[4] = {0.0, 0.0, 0.0, 0.0}; /* every lane is set at g == 0 */
    size_t groups = (d + 3) / 4;
    for (size_t g = 0; g < groups; g++)
        for (size_t k = 0; k < 4; k++) {
            size_t j = 4 * g + k;
            double term = j < d ? x_at(x, dtype, row * d + j) * w[j] : 0.0;
            s[k] = g == 0 ? term : s[k] + term;
        }
    return (s[0] + s[1]) + (s[2] + s[3]);
}

static double plain_dot(const void *x, parchunk_dtype dtype, size_t row, size_t d, const double *w)
{
    double z = 0.0;
    for (size_t j = 0; j < d; j++)
        z += x_at(x, dtype, row * d + j) * w[j];
    return z;
}

static double libm_exp(double v)
{
    return exp(v);
}

static double library_exp(double v)
{
    return pc_vexp(v, pc_vexp_bounds_get());
}

typedef struct reference_kind {
    double (*dot)(const void *, parchunk_dtype, size_t, size_t, const double *);
    double (*exp)(double);
} reference_kind;

/* exactly the library's operations, written plainly */
static const reference_kind exact_order = {ordered_dot, library_exp};
/* the textbook formula: what NumPy computes, up to rounding */
static const reference_kind textbook = {plain_dot, libm_exp};

static void reference_fit_with(reference_kind kind, const void *x, const void *y, size_t n,
                               size_t d, parchunk_dtype dtype, double *w, size_t iterations,
                               double lr)
{
    double *grad = calloc(d, sizeof *grad);
    assert_non_null(grad);
    for (size_t it = 0; it < iterations; it++) {
        memset(grad, 0, d * sizeof *grad);
        for (size_t i = 0; i < n; i++) {
            double z = kind.dot(x, dtype, i, d, w);
            double label = x_at(y, dtype, i);
            double coef = (1.0 / (1.0 + kind.exp(-label * z)) - 1.0) * label;
            for (size_t j = 0; j < d; j++)
                grad[j] += coef * x_at(x, dtype, i * d + j);
        }
        for (size_t j = 0; j < d; j++)
            w[j] -= lr * grad[j];
    }
    free(grad);
}

static void reference_fit(const void *x, const void *y, size_t n, size_t d, parchunk_dtype dtype,
                          double *w, size_t iterations, double lr)
{
    reference_fit_with(exact_order, x, y, n, d, dtype, w, iterations, lr);
}

static double reference_proba(const void *x, size_t i, size_t d, parchunk_dtype dtype,
                              const double *w)
{
    return 1.0 / (1.0 + library_exp(-ordered_dot(x, dtype, i, d, w)));
}

/* ---- data: labels from a noisy linear rule, so the fit is not trivial ---- */

typedef struct dataset {
    void *x, *y;
    size_t n, d;
    parchunk_dtype dtype;
} dataset;

static double uniform(uint64_t *s)
{
    *s = *s * 6364136223846793005u + 1442695040888963407u;
    return (double)(*s >> 11) * 0x1p-53 * 2.0 - 1.0;
}

static dataset make_data(size_t n, size_t d, parchunk_dtype dtype, uint64_t seed)
{
    dataset ds = {NULL, NULL, n, d, dtype};
    size_t item = dtype == PARCHUNK_FLOAT32 ? 4 : 8;
    ds.x = malloc(n * d * item + 1);
    ds.y = malloc(n * item + 1);
    assert_non_null(ds.x);
    assert_non_null(ds.y);
    for (size_t i = 0; i < n; i++) {
        double z = 0.0;
        for (size_t j = 0; j < d; j++) {
            double v = uniform(&seed) * (1.0 + (double)j);
            z += v * (j % 2 ? 0.5 : -1.0);
            if (dtype == PARCHUNK_FLOAT32)
                ((float *)ds.x)[i * d + j] = (float)v;
            else
                ((double *)ds.x)[i * d + j] = v;
        }
        double label = z + 0.5 * uniform(&seed) > 0 ? 1.0 : -1.0;
        if (dtype == PARCHUNK_FLOAT32)
            ((float *)ds.y)[i] = (float)label;
        else
            ((double *)ds.y)[i] = label;
    }
    return ds;
}

static void free_data(dataset *ds)
{
    free(ds->x);
    free(ds->y);
}

static void set_x(dataset *ds, size_t i, double v)
{
    if (ds->dtype == PARCHUNK_FLOAT32)
        ((float *)ds->x)[i] = (float)v;
    else
        ((double *)ds->x)[i] = v;
}

static void set_y(dataset *ds, size_t i, double v) /* same layout as x */
{
    if (ds->dtype == PARCHUNK_FLOAT32)
        ((float *)ds->y)[i] = (float)v;
    else
        ((double *)ds->y)[i] = v;
}

static parchunk_ctx *new_ctx(int threads, size_t chunk, size_t cutoff)
{
    parchunk_ctx *ctx = NULL;
    assert_int_equal(parchunk_ctx_new(&ctx), PARCHUNK_OK);
    assert_int_equal(parchunk_ctx_set_threads(ctx, threads), PARCHUNK_OK);
    assert_int_equal(parchunk_ctx_set_chunk_size(ctx, chunk), PARCHUNK_OK);
    assert_int_equal(parchunk_ctx_set_serial_cutoff(ctx, cutoff), PARCHUNK_OK);
    return ctx;
}

static void initial_w(double *w, size_t d)
{
    for (size_t j = 0; j < d; j++)
        w[j] = 0.01 * (double)j - 0.02;
}

/* ---- fit --------------------------------------------------------------- */

/* One chunk holding every row sums in exactly the reference's order, so the
 * result must be bit-identical: this pins the formula, not just its size. */
static void test_fit_single_chunk_equals_reference_bitwise(void **state)
{
    (void)state;
    static const parchunk_dtype dtypes[] = {PARCHUNK_FLOAT64, PARCHUNK_FLOAT32};
    static const size_t ds_d[] = {1, 3, 10, 17};
    for (size_t t = 0; t < 2; t++)
        for (size_t k = 0; k < 4; k++) {
            size_t n = 999, d = ds_d[k];
            dataset ds = make_data(n, d, dtypes[t], 7 + k);
            double w[17], ref[17];
            initial_w(w, d);
            initial_w(ref, d);
            parchunk_ctx *ctx = new_ctx(2, n, 0);
            assert_int_equal(parchunk_logreg_fit(ctx, ds.x, ds.y, n, d, dtypes[t], w, 12, 0.01),
                             PARCHUNK_OK);
            reference_fit(ds.x, ds.y, n, d, dtypes[t], ref, 12, 0.01);
            assert_memory_equal(w, ref, d * sizeof *w);
            /* and the fit moved w (the test would be empty otherwise) */
            double w0[17];
            initial_w(w0, d);
            assert_true(memcmp(w, w0, d * sizeof *w) != 0);
            parchunk_ctx_free(ctx);
            free_data(&ds);
        }
}

static void test_fit_any_threads_bit_identical(void **state)
{
    (void)state;
    static const int threads[] = {1, 2, 3, 8};
    static const size_t chunks[] = {7, 100, 0};
    static const parchunk_dtype dtypes[] = {PARCHUNK_FLOAT64, PARCHUNK_FLOAT32};
    size_t n = 5003, d = 6;
    for (size_t t = 0; t < 2; t++) {
        dataset ds = make_data(n, d, dtypes[t], 99);
        double ref[6];
        initial_w(ref, d);
        reference_fit(ds.x, ds.y, n, d, dtypes[t], ref, 8, 0.002);
        for (size_t c = 0; c < 3; c++) {
            double first[6];
            for (size_t k = 0; k < 4; k++) {
                parchunk_ctx *ctx = new_ctx(threads[k], chunks[c], 0);
                double w[6];
                initial_w(w, d);
                assert_int_equal(parchunk_logreg_fit(ctx, ds.x, ds.y, n, d, dtypes[t], w, 8, 0.002),
                                 PARCHUNK_OK);
                uint64_t done = 0, total = 0;
                assert_int_equal(parchunk_ctx_progress(ctx, &done, &total), PARCHUNK_OK);
                assert_int_equal(total, 8 * n);
                assert_int_equal(done, 8 * n);
                if (k == 0)
                    memcpy(first, w, sizeof w);
                else
                    assert_memory_equal(w, first, sizeof w);
                for (size_t j = 0; j < d; j++)
                    assert_true(fabs(w[j] - ref[j]) <= 1e-12 * fabs(ref[j]));
                parchunk_ctx_free(ctx);
            }
        }
        free_data(&ds);
    }
}

static void test_fit_null_ctx_and_zero_iterations(void **state)
{
    (void)state;
    size_t n = 300, d = 4;
    dataset ds = make_data(n, d, PARCHUNK_FLOAT64, 5);
    double w[4], ref[4];
    initial_w(w, d);
    initial_w(ref, d);
    assert_int_equal(parchunk_logreg_fit(NULL, ds.x, ds.y, n, d, PARCHUNK_FLOAT64, w, 3, 0.1),
                     PARCHUNK_OK);
    reference_fit(ds.x, ds.y, n, d, PARCHUNK_FLOAT64, ref, 3, 0.1);
    assert_memory_equal(w, ref, sizeof w); /* n below one default chunk */

    /* zero iterations: w unchanged, X not even read (a NaN goes unnoticed) */
    set_x(&ds, 5, NAN);
    memcpy(ref, w, sizeof w);
    assert_int_equal(parchunk_logreg_fit(NULL, ds.x, ds.y, n, d, PARCHUNK_FLOAT64, w, 0, 0.1),
                     PARCHUNK_OK);
    assert_memory_equal(w, ref, sizeof w);
    free_data(&ds);
}

/* Against the textbook formula (sequential dot, libm exp): close, not equal. */
static void test_fit_close_to_textbook_formula(void **state)
{
    (void)state;
    static const size_t ds_d[] = {1, 4, 10, 23};
    for (size_t k = 0; k < 4; k++) {
        size_t n = 4000, d = ds_d[k];
        dataset ds = make_data(n, d, PARCHUNK_FLOAT64, 21 + k);
        double w[23], ref[23];
        initial_w(w, d);
        initial_w(ref, d);
        assert_int_equal(parchunk_logreg_fit(NULL, ds.x, ds.y, n, d, PARCHUNK_FLOAT64, w, 30, 1e-3),
                         PARCHUNK_OK);
        reference_fit_with(textbook, ds.x, ds.y, n, d, PARCHUNK_FLOAT64, ref, 30, 1e-3);
        for (size_t j = 0; j < d; j++)
            if (!(fabs(w[j] - ref[j]) <= 1e-12 * fabs(ref[j])))
                fail_msg("d=%zu w[%zu]: %.17g vs textbook %.17g", d, j, w[j], ref[j]);
        free_data(&ds);
    }
}

/* pc_vexp against libm over the whole range and at the edges. */
static double ulp_distance(double got, double want)
{
    if (got == want || (isnan(got) && isnan(want)))
        return 0.0;
    if (isinf(got) || isinf(want) || isnan(got) || isnan(want))
        return INFINITY;
    double ulp = want == 0.0 ? 0x1p-1074 : nextafter(fabs(want), INFINITY) - fabs(want);
    return fabs(got - want) / ulp;
}

static void test_vexp_within_2_ulp_of_libm(void **state)
{
    (void)state;
    pc_vexp_bounds b = pc_vexp_bounds_get();
    double worst = 0.0, at = 0.0;
    enum { STEPS = 3000000 };
    for (size_t i = 0; i <= STEPS; i++) {
        double v = -750.0 + 1465.0 * (double)i / STEPS;
        double u = ulp_distance(pc_vexp(v, b), exp(v));
        if (u > worst) {
            worst = u;
            at = v;
        }
    }
    /* small arguments, where exp(v) ~ 1 + v */
    for (double v = 1e-300; v < 1.0; v *= 1.7) {
        double u = fmax(ulp_distance(pc_vexp(v, b), exp(v)), ulp_distance(pc_vexp(-v, b), exp(-v)));
        if (u > worst) {
            worst = u;
            at = v;
        }
    }
    if (worst > 2.0)
        fail_msg("pc_vexp is %.2f ulp off at %.17g", worst, at);
    static const double edges[] = {0.0,
                                   -0.0,
                                   709.782712893384,
                                   709.7827128933841,
                                   -745.1332191019411,
                                   -745.1332191019412,
                                   -708.3964185322641,
                                   -708.4,
                                   1e308,
                                   -1e308,
                                   INFINITY,
                                   -INFINITY};
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++) {
        double got = pc_vexp(edges[i], b), want = exp(edges[i]);
        if (ulp_distance(got, want) > 2.0)
            fail_msg("exp(%.17g): %.17g, libm %.17g", edges[i], got, want);
    }
    assert_true(isnan(pc_vexp(NAN, b)));
    assert_true(pc_vexp(INFINITY, b) == INFINITY);
    assert_true(pc_vexp(-INFINITY, b) == 0.0);
}

/* The AVX2 variants (what the library runs on this machine, when it has
 * AVX2) give the same bits as the portable ones. */
static void test_avx2_kernels_identical_to_portable(void **state)
{
    (void)state;
#if PC_LOGREG_HAVE_AVX2
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("avx2"))
        skip();
    static const parchunk_dtype dtypes[] = {PARCHUNK_FLOAT64, PARCHUNK_FLOAT32};
    /* d <= 16: the gradient in registers; above: in passes of 16 columns.
     * Row counts: whole blocks of 32 rows, a short last block, 1..3 rows
     * left for the scalar code. */
    static const size_t ds_d[] = {1, 2, 3, 4, 5, 8, 10, 13, 16, 17, 23, 32, 70};
    static const size_t ds_rows[] = {517, 1, 3, 4, 14, 16, 35, 36, 64, 67};
    for (size_t t = 0; t < 2; t++)
        for (size_t k = 0; k < sizeof ds_d / sizeof ds_d[0]; k++) {
            size_t d = ds_d[k];
            dataset ds = make_data(517, d, dtypes[t], 40 + k);
            double w_small[70], w_large[70]; /* large: |z| to ~1e3, exp over/underflows */
            initial_w(w_small, d);
            w_small[0] = 2.5;
            for (size_t j = 0; j < d; j++)
                w_large[j] = 300.0 * w_small[j];
            for (size_t c = 0; c < 2 * sizeof ds_rows / sizeof ds_rows[0]; c++) {
                size_t n = ds_rows[c / 2];
                const double *w = c % 2 ? w_large : w_small;
                double g1[70] = {0}, g2[70] = {0}, p1[517], p2[517];
                pc_logreg_gradient(ds.x, ds.y, n, d, dtypes[t], w, g1);
                pc_logreg_gradient_avx2(ds.x, ds.y, n, d, dtypes[t], w, g2);
                assert_memory_equal(g1, g2, d * sizeof *g1);
                pc_logreg_proba(ds.x, n, d, dtypes[t], w, p1);
                pc_logreg_proba_avx2(ds.x, n, d, dtypes[t], w, p2);
                assert_memory_equal(p1, p2, n * sizeof *p1);
            }
            free_data(&ds);
        }
#else
    skip();
#endif
}

/* ---- predict_proba ----------------------------------------------------- */

static void test_predict_proba_matches_reference(void **state)
{
    (void)state;
    static const int threads[] = {1, 2, 3, 8};
    static const parchunk_dtype dtypes[] = {PARCHUNK_FLOAT64, PARCHUNK_FLOAT32};
    size_t n = 2001, d = 9;
    double w[9];
    initial_w(w, d);
    w[3] = 3.0;
    double *out = malloc(n * sizeof *out);
    assert_non_null(out);
    for (size_t t = 0; t < 2; t++) {
        dataset ds = make_data(n, d, dtypes[t], 3);
        set_x(&ds, 10 * d + 2, NAN); /* NaN propagates, as in NumPy */
        for (size_t k = 0; k < 4; k++) {
            parchunk_ctx *ctx = new_ctx(threads[k], 7, 0);
            assert_int_equal(parchunk_logreg_predict_proba(ctx, ds.x, n, d, dtypes[t], w, out),
                             PARCHUNK_OK);
            for (size_t i = 0; i < n; i++) {
                double want = reference_proba(ds.x, i, d, dtypes[t], w);
                if (i == 10)
                    assert_true(isnan(out[i]));
                else if (out[i] != want)
                    fail_msg("row %zu: %.17g != %.17g", i, out[i], want);
            }
            parchunk_ctx_free(ctx);
        }
        free_data(&ds);
    }
    assert_int_equal(parchunk_logreg_predict_proba(NULL, NULL, 0, 3, PARCHUNK_FLOAT64, w, NULL),
                     PARCHUNK_OK);
    free(out);
}

/* ---- bad inputs -------------------------------------------------------- */

static void expect_error(parchunk_ctx *ctx, parchunk_status got, parchunk_status want,
                         const char *detail_part)
{
    assert_int_equal(got, want);
    const char *detail = parchunk_ctx_last_error(ctx);
    if (strstr(detail, detail_part) == NULL)
        fail_msg("detail \"%s\" lacks \"%s\"", detail, detail_part);
}

static void test_fit_bad_arguments(void **state)
{
    (void)state;
    size_t n = 100, d = 3;
    dataset ds = make_data(n, d, PARCHUNK_FLOAT64, 1);
    parchunk_ctx *ctx = new_ctx(2, 16, 0);
    double w[3] = {0.5, 0.25, -1}, keep[3];
    memcpy(keep, w, sizeof w);
    const parchunk_dtype f64 = PARCHUNK_FLOAT64;

    expect_error(ctx, parchunk_logreg_fit(ctx, ds.x, ds.y, n, d, PARCHUNK_INT32, w, 5, 0.1),
                 PARCHUNK_ERR_DTYPE, "int32");
    expect_error(ctx, parchunk_logreg_fit(ctx, ds.x, ds.y, n, d, (parchunk_dtype)77, w, 5, 0.1),
                 PARCHUNK_ERR_DTYPE, "float32 or float64");
    expect_error(ctx, parchunk_logreg_fit(ctx, ds.x, ds.y, n, 0, f64, w, 5, 0.1),
                 PARCHUNK_ERR_SHAPE, "d is 0");
    expect_error(ctx, parchunk_logreg_fit(ctx, ds.x, ds.y, 0, d, f64, w, 5, 0.1),
                 PARCHUNK_ERR_EMPTY, "n is 0");
    expect_error(ctx, parchunk_logreg_fit(ctx, NULL, ds.y, n, d, f64, w, 5, 0.1), PARCHUNK_ERR_NULL,
                 "X is NULL");
    expect_error(ctx, parchunk_logreg_fit(ctx, ds.x, NULL, n, d, f64, w, 5, 0.1), PARCHUNK_ERR_NULL,
                 "y is NULL");
    expect_error(ctx, parchunk_logreg_fit(ctx, ds.x, ds.y, n, d, f64, NULL, 5, 0.1),
                 PARCHUNK_ERR_NULL, "w is NULL");
    expect_error(ctx, parchunk_logreg_fit(ctx, ds.x, ds.y, SIZE_MAX / 4, 2, f64, w, 5, 0.1),
                 PARCHUNK_ERR_OVERFLOW, "larger than any buffer");
    expect_error(ctx, parchunk_logreg_fit(ctx, ds.x, ds.y, n, d, f64, w, 5, NAN), PARCHUNK_ERR_ARG,
                 "learning_rate");
    expect_error(ctx, parchunk_logreg_fit(ctx, ds.x, ds.y, n, d, f64, w, 5, INFINITY),
                 PARCHUNK_ERR_ARG, "learning_rate");
    w[1] = NAN;
    expect_error(ctx, parchunk_logreg_fit(ctx, ds.x, ds.y, n, d, f64, w, 5, 0.1),
                 PARCHUNK_ERR_DOMAIN, "w[1]");
    assert_true(isnan(w[1]));
    w[1] = keep[1];
    assert_memory_equal(w, keep, sizeof w);
    /* still usable afterwards */
    assert_int_equal(parchunk_logreg_fit(ctx, ds.x, ds.y, n, d, f64, w, 5, 0.1), PARCHUNK_OK);
    assert_string_equal(parchunk_ctx_last_error(ctx), "");
    parchunk_ctx_free(ctx);
    free_data(&ds);
}

/* NaN / inf in X and bad labels: DOMAIN naming the FIRST bad row, w
 * untouched, for both dtypes and any thread count. */
static void test_fit_bad_values_name_first_row(void **state)
{
    (void)state;
    static const parchunk_dtype dtypes[] = {PARCHUNK_FLOAT64, PARCHUNK_FLOAT32};
    static const int threads[] = {1, 3};
    size_t n = 1000, d = 4;
    for (size_t t = 0; t < 2; t++)
        for (size_t k = 0; k < 2; k++) {
            parchunk_ctx *ctx = new_ctx(threads[k], 13, 0);
            double w[4] = {0}, zero[4] = {0};
            struct {
                size_t index;
                double value;
                int is_label;
                const char *detail;
            } cases[] = {
                {517 * 4 + 2, NAN, 0, "row 517: X[517][2] is nan"},
                {3 * 4 + 0, INFINITY, 0, "row 3: X[3][0] is inf"},
                {999 * 4 + 3, -INFINITY, 0, "row 999: X[999][3] is -inf"},
                {640, 0.0, 1, "row 640: label y[640] is 0 (must be -1 or +1)"},
                {0, 2.0, 1, "row 0: label y[0] is 2"},
                {998, NAN, 1, "row 998: label y[998] is nan"},
            };
            for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
                dataset ds = make_data(n, d, dtypes[t], 11);
                if (cases[c].is_label)
                    set_y(&ds, cases[c].index, cases[c].value);
                else
                    set_x(&ds, cases[c].index, cases[c].value);
                expect_error(ctx, parchunk_logreg_fit(ctx, ds.x, ds.y, n, d, dtypes[t], w, 3, 0.5),
                             PARCHUNK_ERR_DOMAIN, cases[c].detail);
                assert_memory_equal(w, zero, sizeof w);
                /* two bad rows: the first one is named */
                set_x(&ds, 900 * 4 + 1, NAN);
                if (cases[c].index / (cases[c].is_label ? 1 : 4) < 900)
                    expect_error(ctx,
                                 parchunk_logreg_fit(ctx, ds.x, ds.y, n, d, dtypes[t], w, 3, 0.5),
                                 PARCHUNK_ERR_DOMAIN, cases[c].detail);
                free_data(&ds);
            }
            parchunk_ctx_free(ctx);
        }
}

/* Valid, finite input whose gradient overflows: OVERFLOW, not DOMAIN. */
static void test_fit_overflow(void **state)
{
    (void)state;
    size_t n = 64, d = 2;
    dataset ds = make_data(n, d, PARCHUNK_FLOAT64, 2);
    for (size_t i = 0; i < n * d; i++)
        set_x(&ds, i, 1e307); /* 64 rows * 0.5 * 1e307 > DBL_MAX */
    for (size_t i = 0; i < n; i++)
        set_y(&ds, i, 1.0);
    double w[2] = {0, 0};
    parchunk_ctx *ctx = new_ctx(2, 8, 0);
    expect_error(ctx, parchunk_logreg_fit(ctx, ds.x, ds.y, n, d, PARCHUNK_FLOAT64, w, 2, 1.0),
                 PARCHUNK_ERR_OVERFLOW, "iteration 0");
    assert_true(w[0] == 0 && w[1] == 0);
    /* finite gradient, weights overflow in the update */
    dataset small = make_data(n, d, PARCHUNK_FLOAT64, 2);
    expect_error(ctx,
                 parchunk_logreg_fit(ctx, small.x, small.y, n, d, PARCHUNK_FLOAT64, w, 2, 1e308),
                 PARCHUNK_ERR_OVERFLOW, "overflowed");
    assert_true(w[0] == 0 && w[1] == 0);
    parchunk_ctx_free(ctx);
    free_data(&ds);
    free_data(&small);
}

static void test_cancel_and_busy_rules(void **state)
{
    (void)state;
    size_t n = 100, d = 2;
    dataset ds = make_data(n, d, PARCHUNK_FLOAT64, 4);
    double w[2] = {1, 2}, out[100];
    parchunk_ctx *ctx = new_ctx(2, 8, 0);
    parchunk_ctx_cancel(ctx);
    assert_int_equal(parchunk_logreg_fit(ctx, ds.x, ds.y, n, d, PARCHUNK_FLOAT64, w, 2, 1.0),
                     PARCHUNK_ERR_CANCELLED);
    assert_true(w[0] == 1 && w[1] == 2);
    assert_int_equal(parchunk_logreg_predict_proba(ctx, ds.x, n, d, PARCHUNK_FLOAT64, w, out),
                     PARCHUNK_ERR_CANCELLED);
    parchunk_ctx_free(ctx);
    free_data(&ds);
}

static void test_predict_bad_arguments(void **state)
{
    (void)state;
    size_t n = 10, d = 3;
    dataset ds = make_data(n, d, PARCHUNK_FLOAT64, 8);
    parchunk_ctx *ctx = new_ctx(2, 0, 0);
    double w[3] = {1, 2, 3}, out[10];
    for (size_t i = 0; i < n; i++)
        out[i] = -7.0;
    const parchunk_dtype f64 = PARCHUNK_FLOAT64;
    expect_error(ctx, parchunk_logreg_predict_proba(ctx, ds.x, n, d, PARCHUNK_UINT8, w, out),
                 PARCHUNK_ERR_DTYPE, "uint8");
    expect_error(ctx, parchunk_logreg_predict_proba(ctx, ds.x, n, 0, f64, w, out),
                 PARCHUNK_ERR_SHAPE, "d is 0");
    expect_error(ctx, parchunk_logreg_predict_proba(ctx, NULL, n, d, f64, w, out),
                 PARCHUNK_ERR_NULL, "X is NULL");
    expect_error(ctx, parchunk_logreg_predict_proba(ctx, ds.x, n, d, f64, NULL, out),
                 PARCHUNK_ERR_NULL, "w is NULL");
    expect_error(ctx, parchunk_logreg_predict_proba(ctx, ds.x, n, d, f64, w, NULL),
                 PARCHUNK_ERR_NULL, "out is NULL");
    w[2] = INFINITY;
    expect_error(ctx, parchunk_logreg_predict_proba(ctx, ds.x, n, d, f64, w, out),
                 PARCHUNK_ERR_DOMAIN, "w[2] is inf");
    w[2] = 3;
    expect_error(ctx, parchunk_logreg_predict_proba(ctx, ds.x, n, d, f64, w, (double *)ds.x + 5),
                 PARCHUNK_ERR_ARG, "overlaps");
    for (size_t i = 0; i < n; i++)
        assert_true(out[i] == -7.0);
    parchunk_ctx_free(ctx);
    free_data(&ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fit_single_chunk_equals_reference_bitwise),
        cmocka_unit_test(test_fit_any_threads_bit_identical),
        cmocka_unit_test(test_fit_null_ctx_and_zero_iterations),
        cmocka_unit_test(test_fit_close_to_textbook_formula),
        cmocka_unit_test(test_vexp_within_2_ulp_of_libm),
        cmocka_unit_test(test_avx2_kernels_identical_to_portable),
        cmocka_unit_test(test_predict_proba_matches_reference),
        cmocka_unit_test(test_fit_bad_arguments),
        cmocka_unit_test(test_fit_bad_values_name_first_row),
        cmocka_unit_test(test_fit_overflow),
        cmocka_unit_test(test_cancel_and_busy_rules),
        cmocka_unit_test(test_predict_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
