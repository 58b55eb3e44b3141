/*
 * test_stats.c - var/std/stats, argmin/argmax, count_nonzero, dot and the
 * NaN-skipping variants against serial long-double references; results
 * bit-identical across thread counts; bad input gets a status and leaves
 * outputs untouched.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "stats_testutil.h"

static const size_t sizes[] = {1, 2, 7, 1000, 2049, 40000};
static const size_t chunks[] = {7, 1000, 0};
static const int threads[] = {1, 2, 3, 8};

static void test_var_all_dtypes(void **unused)
{
    (void)unused;
    for (int d = 0; d < PARCHUNK_DTYPE_COUNT; d++)
        for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++) {
            parchunk_dtype dt = tu_dtypes[d];
            size_t n = sizes[si];
            void *x = tu_random(n, dt, 0);
            size_t k;
            long double m2 = tu_ref_var(x, n, dt, 0, &k);
            for (size_t ci = 0; ci < 3; ci++) {
                parchunk_ctx *ctx = tu_ctx(2, chunks[ci]);
                double v = -1, s = -1;
                assert_int_equal(parchunk_var(ctx, x, n, dt, 0, &v), PARCHUNK_OK);
                assert_true(tu_close(v, m2 / n, 1e-12));
                if (n > 1) {
                    assert_int_equal(parchunk_std(ctx, x, n, dt, 1, &s), PARCHUNK_OK);
                    assert_true(tu_close(s, sqrtl(m2 / (n - 1)), 1e-12));
                }
                parchunk_ctx_free(ctx);
            }
            free(x);
        }
}

static void test_var_large_offset(void **unused)
{
    (void)unused;
    size_t n = 100000;
    double *x = malloc(n * sizeof *x);
    for (size_t i = 0; i < n; i++)
        x[i] = 1e9 + (tu_unit() - 0.5);
    long double m2 = tu_ref_var(x, n, PARCHUNK_FLOAT64, 0, NULL);
    /* the naive one-pass formula is hopeless here: the data is hard */
    long double s = 0, q = 0;
    for (size_t i = 0; i < n; i++) {
        s += x[i];
        q += (long double)x[i] * x[i];
    }
    double naive = (double)q / n - ((double)s / n) * ((double)s / n);
    assert_false(tu_close(naive, m2 / n, 1e-6));
    for (size_t ci = 0; ci < 3; ci++) {
        parchunk_ctx *ctx = tu_ctx(3, chunks[ci]);
        double v;
        parchunk_stats_result r;
        assert_int_equal(parchunk_var(ctx, x, n, PARCHUNK_FLOAT64, 0, &v), PARCHUNK_OK);
        assert_true(tu_close(v, m2 / n, 1e-12));
        assert_int_equal(parchunk_stats(ctx, x, n, PARCHUNK_FLOAT64, &r), PARCHUNK_OK);
        assert_true(tu_close(r.var, m2 / n, 1e-12));
        parchunk_ctx_free(ctx);
    }
    /* float32 offset data, and int64 offset data */
    float *f = malloc(n * sizeof *f);
    int64_t *l = malloc(n * sizeof *l);
    for (size_t i = 0; i < n; i++) {
        f[i] = (float)(1e4 + (tu_unit() - 0.5));
        l[i] = (int64_t)4e15 + (int64_t)(tu_next() % 1000);
    }
    double v;
    assert_int_equal(parchunk_var(NULL, f, n, PARCHUNK_FLOAT32, 0, &v), PARCHUNK_OK);
    assert_true(tu_close(v, tu_ref_var(f, n, PARCHUNK_FLOAT32, 0, NULL) / n, 1e-12));
    assert_int_equal(parchunk_var(NULL, l, n, PARCHUNK_INT64, 0, &v), PARCHUNK_OK);
    assert_true(tu_close(v, tu_ref_var(l, n, PARCHUNK_INT64, 0, NULL) / n, 1e-12));
    free(f);
    free(l);
    free(x);
}

/* Every op through parchunk_reduce, bit-identical across thread counts. */
static void test_thread_invariance(void **unused)
{
    (void)unused;
    size_t n = 5003;
    for (int d = 0; d < PARCHUNK_DTYPE_COUNT; d++) {
        parchunk_dtype dt = tu_dtypes[d];
        void *x = tu_random(n, dt, 0);
        if (tu_is_float(dt))
            tu_set(x, 777, dt, NAN); /* NaN paths too */
        for (int op = PARCHUNK_OP_SUM; op <= PARCHUNK_OP_ARGMAX; op++)
            for (uint32_t flags = 0; flags <= PARCHUNK_SKIPNA; flags++)
                for (size_t ci = 0; ci < 3; ci++) {
                    unsigned char first[64], got[64];
                    for (size_t ti = 0; ti < 4; ti++) {
                        parchunk_ctx *ctx = tu_ctx(threads[ti], chunks[ci]);
                        memset(got, 0xAB, sizeof got);
                        assert_int_equal(parchunk_reduce(ctx, op, x, n, dt, 1, flags, got),
                                         PARCHUNK_OK);
                        if (ti == 0)
                            memcpy(first, got, sizeof got);
                        else
                            assert_memory_equal(first, got, sizeof got);
                        parchunk_ctx_free(ctx);
                    }
                }
        free(x);
    }
}

/* stats agrees bit for bit with the single-purpose functions. */
static void test_stats_consistent(void **unused)
{
    (void)unused;
    size_t n = 20000;
    for (int d = 0; d < PARCHUNK_DTYPE_COUNT; d++) {
        parchunk_dtype dt = tu_dtypes[d];
        void *x = tu_random(n, dt, 0);
        for (size_t ci = 0; ci < 3; ci++) {
            parchunk_ctx *ctx = tu_ctx(2, chunks[ci]);
            parchunk_stats_result r;
            double sum, mean, var;
            uint64_t mn = 0, mx = 0;
            assert_int_equal(parchunk_stats(ctx, x, n, dt, &r), PARCHUNK_OK);
            assert_int_equal(parchunk_sum(ctx, x, n, dt, &sum), PARCHUNK_OK);
            assert_int_equal(parchunk_mean(ctx, x, n, dt, &mean), PARCHUNK_OK);
            assert_int_equal(parchunk_var(ctx, x, n, dt, 0, &var), PARCHUNK_OK);
            assert_int_equal(parchunk_min(ctx, x, n, dt, &mn), PARCHUNK_OK);
            assert_int_equal(parchunk_max(ctx, x, n, dt, &mx), PARCHUNK_OK);
            assert_int_equal(r.count, (int64_t)n);
            assert_memory_equal(&r.sum, &sum, sizeof sum);
            assert_memory_equal(&r.mean, &mean, sizeof mean);
            assert_memory_equal(&r.var, &var, sizeof var);
            assert_true(r.min == (double)tu_get(&mn, 0, dt));
            assert_true(r.max == (double)tu_get(&mx, 0, dt));
            parchunk_ctx_free(ctx);
        }
        free(x);
    }
}

static size_t ref_arg(const void *x, size_t n, parchunk_dtype dt, int is_max, int skipna)
{
    size_t best = n;
    for (size_t i = 0; i < n; i++) {
        long double v = tu_get(x, i, dt);
        if (v != v) {
            if (skipna)
                continue;
            return i;
        }
        if (best == n || (is_max ? v > tu_get(x, best, dt) : v < tu_get(x, best, dt)))
            best = i;
    }
    return best;
}

static void test_argminmax(void **unused)
{
    (void)unused;
    for (int d = 0; d < PARCHUNK_DTYPE_COUNT; d++)
        for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++)
            for (int ties = 0; ties < 2; ties++) {
                parchunk_dtype dt = tu_dtypes[d];
                size_t n = sizes[si];
                void *x = tu_random(n, dt, ties ? 3 : 0);
                for (size_t ci = 0; ci < 3; ci++) {
                    parchunk_ctx *ctx = tu_ctx(3, chunks[ci]);
                    int64_t a, b;
                    assert_int_equal(parchunk_argmin(ctx, x, n, dt, &a), PARCHUNK_OK);
                    assert_int_equal(parchunk_argmax(ctx, x, n, dt, &b), PARCHUNK_OK);
                    assert_int_equal(a, (int64_t)ref_arg(x, n, dt, 0, 0));
                    assert_int_equal(b, (int64_t)ref_arg(x, n, dt, 1, 0));
                    parchunk_ctx_free(ctx);
                }
                free(x);
            }
}

static void test_nan_handling(void **unused)
{
    (void)unused;
    size_t n = 9000;
    for (int d = PARCHUNK_FLOAT32; d <= PARCHUNK_FLOAT64; d++) {
        parchunk_dtype dt = (parchunk_dtype)d;
        void *x = tu_random(n, dt, 0);
        tu_set(x, 4321, dt, NAN);
        tu_set(x, 8000, dt, NAN);
        tu_set(x, 17, dt, -INFINITY); /* would be argmin without the NaN */
        parchunk_ctx *ctx = tu_ctx(2, 1000);
        double v;
        int64_t i;
        parchunk_stats_result r;
        assert_int_equal(parchunk_var(ctx, x, n, dt, 0, &v), PARCHUNK_OK);
        assert_true(isnan(v));
        assert_int_equal(parchunk_stats(ctx, x, n, dt, &r), PARCHUNK_OK);
        assert_true(isnan(r.sum) && isnan(r.mean) && isnan(r.var) && isnan(r.min) && isnan(r.max));
        assert_int_equal(parchunk_argmin(ctx, x, n, dt, &i), PARCHUNK_OK);
        assert_int_equal(i, 4321);
        assert_int_equal(parchunk_argmax(ctx, x, n, dt, &i), PARCHUNK_OK);
        assert_int_equal(i, 4321);
        /* skipping NaN: against the reference over the numbers */
        size_t k;
        long double m2 = tu_ref_var(x, n, dt, 1, &k);
        assert_int_equal(k, n - 2);
        tu_set(x, 17, dt, 0.5); /* keep the variance finite */
        m2 = tu_ref_var(x, n, dt, 1, &k);
        long double s = 0;
        for (size_t j = 0; j < n; j++)
            if (tu_get(x, j, dt) == tu_get(x, j, dt))
                s += tu_get(x, j, dt);
        assert_int_equal(parchunk_nansum(ctx, x, n, dt, &v), PARCHUNK_OK);
        assert_true(tu_close(v, s, 1e-12));
        assert_int_equal(parchunk_nanmean(ctx, x, n, dt, &v), PARCHUNK_OK);
        assert_true(tu_close(v, s / k, 1e-12));
        assert_int_equal(parchunk_nanvar(ctx, x, n, dt, 1, &v), PARCHUNK_OK);
        assert_true(tu_close(v, m2 / (k - 1), 1e-12));
        assert_int_equal(parchunk_nanstd(ctx, x, n, dt, 0, &v), PARCHUNK_OK);
        assert_true(tu_close(v, sqrtl(m2 / k), 1e-12));
        uint64_t mn = 0, mx = 0;
        assert_int_equal(parchunk_nanmin(ctx, x, n, dt, &mn), PARCHUNK_OK);
        assert_int_equal(parchunk_nanmax(ctx, x, n, dt, &mx), PARCHUNK_OK);
        int64_t amin, amax;
        assert_int_equal(
            parchunk_reduce(ctx, PARCHUNK_OP_ARGMIN, x, n, dt, 0, PARCHUNK_SKIPNA, &amin),
            PARCHUNK_OK);
        assert_int_equal(
            parchunk_reduce(ctx, PARCHUNK_OP_ARGMAX, x, n, dt, 0, PARCHUNK_SKIPNA, &amax),
            PARCHUNK_OK);
        assert_int_equal(amin, (int64_t)ref_arg(x, n, dt, 0, 1));
        assert_int_equal(amax, (int64_t)ref_arg(x, n, dt, 1, 1));
        assert_true(tu_get(&mn, 0, dt) == tu_get(x, (size_t)amin, dt));
        assert_true(tu_get(&mx, 0, dt) == tu_get(x, (size_t)amax, dt));

        /* all NaN: nansum 0, the others NaN, nanargmin EMPTY */
        for (size_t j = 0; j < n; j++)
            tu_set(x, j, dt, NAN);
        assert_int_equal(parchunk_nansum(ctx, x, n, dt, &v), PARCHUNK_OK);
        assert_true(v == 0.0);
        assert_int_equal(parchunk_nanmean(ctx, x, n, dt, &v), PARCHUNK_OK);
        assert_true(isnan(v));
        assert_int_equal(parchunk_nanvar(ctx, x, n, dt, 0, &v), PARCHUNK_OK);
        assert_true(isnan(v));
        mn = 0;
        assert_int_equal(parchunk_nanmin(ctx, x, n, dt, &mn), PARCHUNK_OK);
        assert_true(isnan((double)tu_get(&mn, 0, dt)));
        amin = 12345;
        assert_int_equal(
            parchunk_reduce(ctx, PARCHUNK_OP_ARGMIN, x, n, dt, 0, PARCHUNK_SKIPNA, &amin),
            PARCHUNK_ERR_EMPTY);
        assert_int_equal(amin, 12345);
        /* one number among NaNs: nanvar with ddof 1 is NaN, not an error */
        tu_set(x, 5, dt, 2.0);
        assert_int_equal(parchunk_nanvar(ctx, x, n, dt, 1, &v), PARCHUNK_OK);
        assert_true(isnan(v));
        assert_int_equal(parchunk_nanvar(ctx, x, n, dt, 0, &v), PARCHUNK_OK);
        assert_true(v == 0.0);
        parchunk_ctx_free(ctx);
        free(x);
    }
}

/* Without NaNs the nan* functions equal their plain counterparts bit for bit. */
static void test_nan_free_identical(void **unused)
{
    (void)unused;
    size_t n = 10000;
    for (int d = 0; d < PARCHUNK_DTYPE_COUNT; d++) {
        parchunk_dtype dt = tu_dtypes[d];
        void *x = tu_random(n, dt, 0);
        for (size_t ci = 0; ci < 3; ci++) {
            parchunk_ctx *ctx = tu_ctx(2, chunks[ci]);
            for (int op = PARCHUNK_OP_SUM; op <= PARCHUNK_OP_ARGMAX; op++) {
                unsigned char a[64] = {0}, b[64] = {0};
                assert_int_equal(parchunk_reduce(ctx, op, x, n, dt, 0, 0, a), PARCHUNK_OK);
                assert_int_equal(parchunk_reduce(ctx, op, x, n, dt, 0, PARCHUNK_SKIPNA, b),
                                 PARCHUNK_OK);
                assert_memory_equal(a, b, sizeof a);
            }
            double s1, s2;
            assert_int_equal(parchunk_sum(ctx, x, n, dt, &s1), PARCHUNK_OK);
            assert_int_equal(parchunk_nansum(ctx, x, n, dt, &s2), PARCHUNK_OK);
            assert_memory_equal(&s1, &s2, sizeof s1);
            parchunk_ctx_free(ctx);
        }
        free(x);
    }
}

static void test_count_nonzero(void **unused)
{
    (void)unused;
    for (int d = 0; d < PARCHUNK_DTYPE_COUNT; d++) {
        parchunk_dtype dt = tu_dtypes[d];
        size_t n = 30000;
        void *x = tu_random(n, dt, 3); /* many zeros */
        if (tu_is_float(dt)) {
            for (size_t i = 0; i < n; i++)
                tu_set(x, i, dt, floor((double)tu_get(x, i, dt)) - 1000);
            tu_set(x, 3, dt, NAN);
            tu_set(x, 4, dt, -0.0);
        }
        int64_t want = 0;
        for (size_t i = 0; i < n; i++)
            want += tu_get(x, i, dt) != 0;
        for (size_t ci = 0; ci < 3; ci++) {
            parchunk_ctx *ctx = tu_ctx(3, chunks[ci]);
            int64_t got = -1;
            assert_int_equal(parchunk_count_nonzero(ctx, x, n, dt, &got), PARCHUNK_OK);
            assert_int_equal(got, want);
            parchunk_ctx_free(ctx);
        }
        free(x);
    }
    int64_t got = -1;
    assert_int_equal(parchunk_count_nonzero(NULL, NULL, 0, PARCHUNK_INT8, &got), PARCHUNK_OK);
    assert_int_equal(got, 0);
}

static void test_dot(void **unused)
{
    (void)unused;
    for (int d = 0; d < PARCHUNK_DTYPE_COUNT; d++)
        for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++) {
            parchunk_dtype dt = tu_dtypes[d];
            size_t n = sizes[si];
            void *x = tu_random(n, dt, 0), *y = tu_random(n, dt, 0);
            i128 exact = 0;
            long double ref = 0;
            for (size_t i = 0; i < n; i++) {
                ref += tu_get(x, i, dt) * tu_get(y, i, dt);
                if (!tu_is_float(dt) && dt != PARCHUNK_INT64 && dt != PARCHUNK_UINT64)
                    exact += (i128)tu_get(x, i, dt) * (i128)tu_get(y, i, dt);
            }
            for (size_t ci = 0; ci < 3; ci++) {
                parchunk_ctx *ctx = tu_ctx(2, chunks[ci]);
                double v;
                assert_int_equal(parchunk_dot(ctx, x, y, n, dt, &v), PARCHUNK_OK);
                if (tu_is_float(dt) || dt == PARCHUNK_INT64 || dt == PARCHUNK_UINT64) {
                    /* random signs: compare against the sum of |products| */
                    long double mag = 0;
                    for (size_t i = 0; i < n; i++)
                        mag += fabsl(tu_get(x, i, dt) * tu_get(y, i, dt));
                    assert_true(fabsl((long double)v - ref) <= 1e-13 * mag);
                } else {
                    assert_true(v == (double)exact); /* exact, rounded once */
                }
                parchunk_ctx_free(ctx);
            }
            free(x);
            free(y);
        }
}

static void test_bad_input(void **unused)
{
    (void)unused;
    double x[4] = {1, 2, 3, 4};
    double out = 42.0;
    int64_t iout = 42;
    parchunk_ctx *ctx = tu_ctx(2, 0);
    assert_int_equal(parchunk_var(ctx, NULL, 4, PARCHUNK_FLOAT64, 0, &out), PARCHUNK_ERR_NULL);
    assert_true(strlen(parchunk_ctx_last_error(ctx)) > 0);
    assert_int_equal(parchunk_var(ctx, x, 4, PARCHUNK_FLOAT64, 0, NULL), PARCHUNK_ERR_NULL);
    assert_int_equal(parchunk_var(ctx, x, 4, (parchunk_dtype)99, 0, &out), PARCHUNK_ERR_DTYPE);
    assert_int_equal(parchunk_var(ctx, x, 4, PARCHUNK_FLOAT64, -1, &out), PARCHUNK_ERR_ARG);
    assert_int_equal(parchunk_var(ctx, x, 4, PARCHUNK_FLOAT64, 4, &out), PARCHUNK_ERR_ARG);
    assert_int_equal(parchunk_std(ctx, x, 0, PARCHUNK_FLOAT64, 0, &out), PARCHUNK_ERR_EMPTY);
    assert_int_equal(parchunk_nanvar(ctx, x, 4, PARCHUNK_FLOAT64, -2, &out), PARCHUNK_ERR_ARG);
    assert_int_equal(parchunk_nanmean(ctx, NULL, 0, PARCHUNK_FLOAT64, &out), PARCHUNK_ERR_EMPTY);
    assert_true(out == 42.0);
    parchunk_stats_result r = {0};
    assert_int_equal(parchunk_stats(ctx, x, 0, PARCHUNK_FLOAT64, &r), PARCHUNK_ERR_EMPTY);
    assert_int_equal(r.count, 0);
    assert_int_equal(parchunk_argmin(ctx, x, 0, PARCHUNK_FLOAT64, &iout), PARCHUNK_ERR_EMPTY);
    assert_int_equal(parchunk_argmax(ctx, NULL, 3, PARCHUNK_FLOAT64, &iout), PARCHUNK_ERR_NULL);
    assert_int_equal(iout, 42);
    assert_int_equal(parchunk_dot(ctx, x, NULL, 4, PARCHUNK_FLOAT64, &out), PARCHUNK_ERR_NULL);
    assert_int_equal(parchunk_dot(ctx, x, x, 4, (parchunk_dtype)-1, &out), PARCHUNK_ERR_DTYPE);
    assert_int_equal(parchunk_reduce(ctx, (parchunk_op)0, x, 4, PARCHUNK_FLOAT64, 0, 0, &out),
                     PARCHUNK_ERR_ARG);
    assert_int_equal(parchunk_reduce(ctx, (parchunk_op)11, x, 4, PARCHUNK_FLOAT64, 0, 0, &out),
                     PARCHUNK_ERR_ARG);
    assert_int_equal(parchunk_reduce(ctx, PARCHUNK_OP_SUM, x, 4, PARCHUNK_FLOAT64, 0, 2, &out),
                     PARCHUNK_ERR_ARG);
    assert_true(out == 42.0);
    /* empty sum is fine */
    assert_int_equal(parchunk_nansum(ctx, NULL, 0, PARCHUNK_FLOAT64, &out), PARCHUNK_OK);
    assert_true(out == 0.0);
    /* cancellation: status, output untouched */
    out = 42.0;
    parchunk_ctx_cancel(ctx);
    assert_int_equal(parchunk_var(ctx, x, 4, PARCHUNK_FLOAT64, 0, &out), PARCHUNK_ERR_CANCELLED);
    assert_true(out == 42.0);
    parchunk_ctx_clear_cancel(ctx);
    assert_int_equal(parchunk_var(ctx, x, 4, PARCHUNK_FLOAT64, 0, &out), PARCHUNK_OK);
    assert_true(out == 1.25);
    parchunk_ctx_free(ctx);
}

/* Known answers (computed by hand / NumPy). */
static void test_known_answers(void **unused)
{
    (void)unused;
    double x[] = {2, 4, 4, 4, 5, 5, 7, 9};
    double v;
    assert_int_equal(parchunk_var(NULL, x, 8, PARCHUNK_FLOAT64, 0, &v), PARCHUNK_OK);
    assert_true(v == 4.0);
    assert_int_equal(parchunk_std(NULL, x, 8, PARCHUNK_FLOAT64, 0, &v), PARCHUNK_OK);
    assert_true(v == 2.0);
    assert_int_equal(parchunk_var(NULL, x, 8, PARCHUNK_FLOAT64, 1, &v), PARCHUNK_OK);
    assert_true(fabs(v - 32.0 / 7) < 1e-15);
    int8_t b[] = {-128, 127, -128, 127};
    int64_t i;
    assert_int_equal(parchunk_argmin(NULL, b, 4, PARCHUNK_INT8, &i), PARCHUNK_OK);
    assert_int_equal(i, 0);
    assert_int_equal(parchunk_argmax(NULL, b, 4, PARCHUNK_INT8, &i), PARCHUNK_OK);
    assert_int_equal(i, 1);
    double z[] = {0.0, -0.0, 1.0, -0.0};
    assert_int_equal(parchunk_argmin(NULL, z, 4, PARCHUNK_FLOAT64, &i), PARCHUNK_OK);
    assert_int_equal(i, 0); /* -0.0 ties with 0.0: the first wins */
    assert_int_equal(parchunk_count_nonzero(NULL, z, 4, PARCHUNK_FLOAT64, &i), PARCHUNK_OK);
    assert_int_equal(i, 1);
    double w[] = {1.0, INFINITY};
    assert_int_equal(parchunk_var(NULL, w, 2, PARCHUNK_FLOAT64, 0, &v), PARCHUNK_OK);
    assert_true(isnan(v)); /* numpy.var([1, inf]) is nan */
    uint64_t big[] = {UINT64_MAX, UINT64_MAX - 1};
    assert_int_equal(parchunk_argmin(NULL, big, 2, PARCHUNK_UINT64, &i), PARCHUNK_OK);
    assert_int_equal(i, 1);
    float f[] = {1.0f, 2.0f, 3.0f};
    assert_int_equal(parchunk_dot(NULL, f, f, 3, PARCHUNK_FLOAT32, &v), PARCHUNK_OK);
    assert_true(v == 14.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_var_all_dtypes),
        cmocka_unit_test(test_var_large_offset),
        cmocka_unit_test(test_thread_invariance),
        cmocka_unit_test(test_stats_consistent),
        cmocka_unit_test(test_argminmax),
        cmocka_unit_test(test_nan_handling),
        cmocka_unit_test(test_nan_free_identical),
        cmocka_unit_test(test_count_nonzero),
        cmocka_unit_test(test_dot),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_known_answers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
