/*
 * test_reduce.c - the reductions (sum, sum_int, sum_i64, mean, min, max,
 * mean_abs_dev) against serial references written here: exact 128-bit sums
 * for integers, compensated long-double sums for floats, plain loops for
 * extremes. Every result must also be bit-identical for 1, 2, 3 and 8
 * threads, with the default chunk size and with chunks of 7 items and a
 * serial cutoff of 0 (so the parallel path and the merge tree really run).
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "test_helpers.h"

/* ---- running every kernel once ------------------------------------------ */

enum kernel { K_SUM, K_SUM_INT, K_SUM_I64, K_MEAN, K_MIN, K_MAX, K_MAD, K_COUNT };
static const char *kernel_names[K_COUNT] = {"sum", "sum_int", "sum_i64",     "mean",
                                            "min", "max",     "mean_abs_dev"};

/* Every output slot is pre-filled with this byte, so "untouched" is checkable. */
enum { SENTINEL = 0xA5 };

typedef struct results {
    parchunk_status st[K_COUNT];
    double sum;
    int64_t hi;
    uint64_t lo;
    int64_t i64;
    double mean;
    unsigned char min[8];
    unsigned char max[8];
    double mad;
} results;

static void fill_sentinel(results *r)
{
    memset(r, SENTINEL, sizeof *r);
}

static int untouched(const void *p, size_t size)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < size; i++)
        if (b[i] != SENTINEL)
            return 0;
    return 1;
}

static void run_all(parchunk_ctx *ctx, const void *data, size_t n, parchunk_dtype d, double center,
                    results *r)
{
    fill_sentinel(r);
    r->st[K_SUM] = parchunk_sum(ctx, data, n, d, &r->sum);
    r->st[K_SUM_INT] = parchunk_sum_int(ctx, data, n, d, &r->hi, &r->lo);
    r->st[K_SUM_I64] = parchunk_sum_i64(ctx, data, n, d, &r->i64);
    r->st[K_MEAN] = parchunk_mean(ctx, data, n, d, &r->mean);
    r->st[K_MIN] = parchunk_min(ctx, data, n, d, r->min);
    r->st[K_MAX] = parchunk_max(ctx, data, n, d, r->max);
    r->st[K_MAD] = parchunk_mean_abs_dev(ctx, data, n, d, center, &r->mad);
}

/* Bit-identity of two runs: same statuses, same bytes in every output. */
static void assert_identical(const results *a, const results *b, const char *what)
{
    for (int k = 0; k < K_COUNT; k++)
        if (a->st[k] != b->st[k])
            fail_msg("%s: %s status %d vs %d", what, kernel_names[k], a->st[k], b->st[k]);
#define SAME(field, k)                                                                             \
    if (memcmp(&a->field, &b->field, sizeof a->field) != 0)                                        \
        fail_msg("%s: %s differs (not bit-identical)", what, kernel_names[k]);
    SAME(sum, K_SUM)
    SAME(hi, K_SUM_INT)
    SAME(lo, K_SUM_INT)
    SAME(i64, K_SUM_I64)
    SAME(mean, K_MEAN)
    SAME(min, K_MIN)
    SAME(max, K_MAX)
    SAME(mad, K_MAD)
#undef SAME
}

/* ---- serial references --------------------------------------------------- */

/* Neumaier-compensated long-double sum: far more exact than any double
 * summation order, so it is the yardstick for the library's pairwise sums. */
typedef struct ksum {
    long double s, c;
} ksum;

static void ksum_add(ksum *k, long double v)
{
    long double t = k->s + v;
    if (fabsl(k->s) >= fabsl(v))
        k->c += (k->s - t) + v;
    else
        k->c += (v - t) + k->s;
    k->s = t;
}

static long double ksum_value(const ksum *k)
{
    return k->s + k->c;
}

/* |got - want| within the pairwise bound: a few ulps per tree level of the
 * sum of magnitudes (log2 of 1e6 is 20; 64 leaves room). */
static void assert_close(double got, long double want, long double magnitude, const char *what)
{
    long double tol = 64.0L * DBL_EPSILON * magnitude + 1e-300L;
    if (!(fabsl((long double)got - want) <= tol))
        fail_msg("%s: got %.17g, reference %.17Lg (tolerance %.3Lg)", what, got, want, tol);
}

static void check_against_reference(const void *data, size_t n, parchunk_dtype d, double center,
                                    const results *r, const char *what)
{
    char label[160];
    /* min and max: a plain loop over the exact values */
    if (n == 0) {
        assert_int_equal(r->st[K_MIN], PARCHUNK_ERR_EMPTY);
        assert_int_equal(r->st[K_MAX], PARCHUNK_ERR_EMPTY);
        assert_int_equal(r->st[K_MEAN], PARCHUNK_ERR_EMPTY);
        assert_int_equal(r->st[K_MAD], PARCHUNK_ERR_EMPTY);
        assert_true(untouched(r->min, sizeof r->min) && untouched(r->max, sizeof r->max));
        assert_true(untouched(&r->mean, sizeof r->mean) && untouched(&r->mad, sizeof r->mad));
    } else {
        size_t size = parchunk_dtype_size(d), imin = 0, imax = 0;
        for (size_t i = 1; i < n; i++) {
            if (test_is_float(d)) {
                double v = test_get_double(data, i, d);
                if (v < test_get_double(data, imin, d))
                    imin = i;
                if (v > test_get_double(data, imax, d))
                    imax = i;
            } else {
                test_i128 v = test_get_int(data, i, d);
                if (v < test_get_int(data, imin, d))
                    imin = i;
                if (v > test_get_int(data, imax, d))
                    imax = i;
            }
        }
        assert_int_equal(r->st[K_MIN], PARCHUNK_OK);
        assert_int_equal(r->st[K_MAX], PARCHUNK_OK);
        snprintf(label, sizeof label, "%s: min", what);
        if (memcmp(r->min, (const char *)data + imin * size, size) != 0)
            fail_msg("%s differs from element %zu", label, imin);
        if (memcmp(r->max, (const char *)data + imax * size, size) != 0)
            fail_msg("%s: max differs from element %zu", what, imax);
        /* nothing written past the element */
        assert_true(untouched(r->min + size, sizeof r->min - size));
        assert_true(untouched(r->max + size, sizeof r->max - size));
    }

    /* mean absolute deviation: compensated sum of the same double terms */
    if (n > 0) {
        ksum k = {0, 0};
        for (size_t i = 0; i < n; i++)
            ksum_add(&k, (long double)fabs(test_get_double(data, i, d) - center));
        assert_int_equal(r->st[K_MAD], PARCHUNK_OK);
        snprintf(label, sizeof label, "%s: mean_abs_dev", what);
        assert_close(r->mad, ksum_value(&k) / n, ksum_value(&k) / n, label);
    }

    if (test_is_float(d)) {
        assert_int_equal(r->st[K_SUM_INT], PARCHUNK_ERR_DTYPE);
        assert_int_equal(r->st[K_SUM_I64], PARCHUNK_ERR_DTYPE);
        assert_true(untouched(&r->hi, sizeof r->hi) && untouched(&r->lo, sizeof r->lo));
        assert_true(untouched(&r->i64, sizeof r->i64));
        ksum k = {0, 0};
        long double mag = 0;
        for (size_t i = 0; i < n; i++) {
            double v = test_get_double(data, i, d);
            ksum_add(&k, v);
            mag += fabs(v);
        }
        assert_int_equal(r->st[K_SUM], PARCHUNK_OK);
        snprintf(label, sizeof label, "%s: sum", what);
        assert_close(r->sum, ksum_value(&k), mag, label);
        if (n > 0) {
            assert_int_equal(r->st[K_MEAN], PARCHUNK_OK);
            snprintf(label, sizeof label, "%s: mean", what);
            assert_close(r->mean, ksum_value(&k) / n, mag / n, label);
        }
        return;
    }

    /* integers: everything is exact */
    test_i128 exact = 0;
    for (size_t i = 0; i < n; i++)
        exact += test_get_int(data, i, d);
    assert_int_equal(r->st[K_SUM], PARCHUNK_OK);
    if (r->sum != (double)exact)
        fail_msg("%s: sum %.17g, exact sum rounds to %.17g", what, r->sum, (double)exact);
    assert_int_equal(r->st[K_SUM_INT], PARCHUNK_OK);
    assert_true(r->hi == (int64_t)(exact >> 64));
    assert_true(r->lo == (uint64_t)exact);
    if (exact >= INT64_MIN && exact <= INT64_MAX) {
        assert_int_equal(r->st[K_SUM_I64], PARCHUNK_OK);
        assert_true(r->i64 == (int64_t)exact);
    } else {
        assert_int_equal(r->st[K_SUM_I64], PARCHUNK_ERR_OVERFLOW);
        assert_true(untouched(&r->i64, sizeof r->i64));
    }
    if (n > 0) {
        assert_int_equal(r->st[K_MEAN], PARCHUNK_OK);
        if (r->mean != (double)exact / (double)n)
            fail_msg("%s: mean %.17g, expected %.17g", what, r->mean, (double)exact / (double)n);
    }
}

/* ---- every kernel x every dtype x sizes around the chunk x thread counts - */

static void check_dtype(parchunk_dtype d, size_t chunk, const size_t *sizes, size_t nsizes)
{
    static const int thread_counts[] = {1, 2, 3, 8};
    size_t max_n = 0;
    for (size_t i = 0; i < nsizes; i++)
        max_n = sizes[i] > max_n ? sizes[i] : max_n;
    void *data = malloc(max_n * parchunk_dtype_size(d));
    assert_non_null(data);
    double center = test_is_float(d) ? 0.375 : 17.5;

    for (size_t si = 0; si < nsizes; si++) {
        size_t n = sizes[si];
        test_fill_random(data, n, d, 1000 + n);
        /* n == 0 with data == NULL is allowed; pass NULL to prove it */
        const void *in = n == 0 ? NULL : data;
        char what[128];
        results base, other;

        parchunk_ctx *ctx = test_ctx(1, chunk, 0);
        run_all(ctx, in, n, d, center, &base);
        snprintf(what, sizeof what, "%s n=%zu chunk=%zu threads=1", test_dtype_name(d), n, chunk);
        check_against_reference(in, n, d, center, &base, what);
        parchunk_ctx_free(ctx);

        for (size_t t = 1; t < sizeof thread_counts / sizeof *thread_counts; t++) {
            ctx = test_ctx(thread_counts[t], chunk, 0);
            run_all(ctx, in, n, d, center, &other);
            snprintf(what, sizeof what, "%s n=%zu chunk=%zu threads=%d vs 1", test_dtype_name(d), n,
                     chunk, thread_counts[t]);
            assert_identical(&base, &other, what);
            parchunk_ctx_free(ctx);
        }
        if (chunk == 0) {
            /* NULL ctx = process defaults: same chunk plan, so the same bits */
            run_all(NULL, in, n, d, center, &other);
            snprintf(what, sizeof what, "%s n=%zu NULL ctx vs threads=1", test_dtype_name(d), n);
            assert_identical(&base, &other, what);
        }
    }
    free(data);
}

static void test_dtype_default_chunk(void **state)
{
    parchunk_dtype d = *(const parchunk_dtype *)*state;
    const size_t c = PARCHUNK_DEFAULT_CHUNK_SIZE;
    const size_t sizes[] = {0, 1, c - 1, c, c + 1, 1000003};
    check_dtype(d, 0, sizes, sizeof sizes / sizeof *sizes);
}

static void test_dtype_chunk7(void **state)
{
    parchunk_dtype d = *(const parchunk_dtype *)*state;
    /* 100,003 items = 14,287 chunks: more than three merge windows of 4096 */
    const size_t sizes[] = {0, 1, 6, 7, 8, 1000, 100003};
    check_dtype(d, 7, sizes, sizeof sizes / sizeof *sizes);
}

/* ---- merge windows and random plans --------------------------------------- */

/* Runs every kernel for threads 1 (checked against the reference) and for
 * `threads` (checked bit-identical to threads 1) on one chunk plan. */
static void check_plan(const void *data, size_t n, parchunk_dtype d, size_t chunk, int threads)
{
    char what[128];
    results base, other;
    double center = test_is_float(d) ? -0.125 : 3.5;
    parchunk_ctx *ctx = test_ctx(1, chunk, 0);
    run_all(ctx, data, n, d, center, &base);
    parchunk_ctx_free(ctx);
    snprintf(what, sizeof what, "%s n=%zu chunk=%zu", test_dtype_name(d), n, chunk);
    check_against_reference(data, n, d, center, &base, what);
    ctx = test_ctx(threads, chunk, 0);
    run_all(ctx, data, n, d, center, &other);
    parchunk_ctx_free(ctx);
    snprintf(what, sizeof what, "%s n=%zu chunk=%zu threads=%d vs 1", test_dtype_name(d), n, chunk,
             threads);
    assert_identical(&base, &other, what);
}

/* The engine merges chunk states in windows of 4096 chunks: sizes on either
 * side of one and two windows, with chunk size 1 and 3. */
static void test_merge_window_boundaries(void **state)
{
    (void)state;
    const size_t window = 4096;
    const size_t counts[] = {window - 1, window, window + 1, 2 * window, 2 * window + 1};
    const parchunk_dtype dtypes[] = {PARCHUNK_FLOAT64, PARCHUNK_FLOAT32, PARCHUNK_INT64,
                                     PARCHUNK_UINT8};
    double *buf = malloc(3 * (2 * window + 1) * sizeof(double));
    assert_non_null(buf);
    for (size_t di = 0; di < sizeof dtypes / sizeof *dtypes; di++)
        for (size_t chunk = 1; chunk <= 3; chunk += 2)
            for (size_t ci = 0; ci < sizeof counts / sizeof *counts; ci++) {
                size_t n = counts[ci] * chunk;
                test_fill_random(buf, n, dtypes[di], 500 + n);
                check_plan(buf, n, dtypes[di], chunk, 3);
            }
    /* a NaN in the first chunk of the second window still wins */
    test_fill_random(buf, 2 * window + 1, PARCHUNK_FLOAT64, 9);
    buf[window] = NAN;
    parchunk_ctx *ctx = test_ctx(2, 1, 0);
    double out = 0;
    assert_ok(ctx, parchunk_min(ctx, buf, 2 * window + 1, PARCHUNK_FLOAT64, &out));
    assert_true(isnan(out));
    assert_ok(ctx, parchunk_sum(ctx, buf, 2 * window + 1, PARCHUNK_FLOAT64, &out));
    assert_true(isnan(out));
    parchunk_ctx_free(ctx);
    free(buf);
}

/* Random plans: n, chunk size, thread count and dtype drawn from a seeded
 * generator (the failure message names them, so every case reproduces). */
static void test_random_plans(void **state)
{
    (void)state;
    enum { CASES = 150, MAX_N = 20000 };
    double *buf = malloc(MAX_N * sizeof(double));
    assert_non_null(buf);
    uint64_t s = 2026;
    for (int c = 0; c < CASES; c++) {
        size_t n = (size_t)(test_rand(&s) % MAX_N);
        size_t chunk = 1 + (size_t)(test_rand(&s) % 300);
        int threads = 2 + (int)(test_rand(&s) % 7);
        parchunk_dtype d = test_all_dtypes[test_rand(&s) % PARCHUNK_DTYPE_COUNT];
        test_fill_random(buf, n, d, test_rand(&s));
        check_plan(n == 0 ? NULL : buf, n, d, chunk, threads);
    }
    free(buf);
}

/* ---- known answers ----------------------------------------------------- */

/* Small integers stored as floats sum exactly in any order: the float sum
 * must then equal the exact answer to the bit. */
static void test_float_sum_exact_when_representable(void **state)
{
    (void)state;
    enum { N = 100003 };
    double *x = malloc(N * sizeof *x);
    float *f = malloc(N * sizeof *f);
    assert_non_null(x);
    assert_non_null(f);
    int64_t exact = 0;
    uint64_t s = 7;
    for (size_t i = 0; i < N; i++) {
        int v = (int)(test_rand(&s) % 2001) - 1000;
        x[i] = v;
        f[i] = (float)v;
        exact += v;
    }
    parchunk_ctx *ctx = test_ctx(3, 7, 0);
    double out;
    assert_ok(ctx, parchunk_sum(ctx, x, N, PARCHUNK_FLOAT64, &out));
    assert_true(out == (double)exact);
    assert_ok(ctx, parchunk_sum(ctx, f, N, PARCHUNK_FLOAT32, &out));
    assert_true(out == (double)exact);
    assert_ok(ctx, parchunk_mean(ctx, x, N, PARCHUNK_FLOAT64, &out));
    assert_true(out == (double)exact / N);
    parchunk_ctx_free(ctx);
    free(x);
    free(f);
}

/* The integer sum is exact before its single rounding: 2^53 + 1 + 1 is
 * 2^53 + 2 exactly, while naive double accumulation gives 2^53. */
static void test_int_sum_rounds_once(void **state)
{
    (void)state;
    const int64_t x[] = {INT64_C(1) << 53, 1, 1};
    double out;
    assert_ok(NULL, parchunk_sum(NULL, x, 3, PARCHUNK_INT64, &out));
    assert_true(out == 9007199254740994.0);
    assert_ok(NULL, parchunk_mean(NULL, x, 3, PARCHUNK_INT64, &out));
    assert_true(out == 9007199254740994.0 / 3);
    /* catastrophic cancellation in double, exact here */
    const int64_t y[] = {INT64_MAX, 3, INT64_MIN, -2};
    assert_ok(NULL, parchunk_sum(NULL, y, 4, PARCHUNK_INT64, &out));
    assert_true(out == 0.0);
}

static void test_small_known_answers(void **state)
{
    (void)state;
    const int32_t a[] = {5, -3, 9, 0, -7};
    double out;
    int32_t m;
    assert_ok(NULL, parchunk_sum(NULL, a, 5, PARCHUNK_INT32, &out));
    assert_true(out == 4.0);
    assert_ok(NULL, parchunk_mean(NULL, a, 5, PARCHUNK_INT32, &out));
    assert_true(out == 0.8);
    assert_ok(NULL, parchunk_min(NULL, a, 5, PARCHUNK_INT32, &m));
    assert_int_equal(m, -7);
    assert_ok(NULL, parchunk_max(NULL, a, 5, PARCHUNK_INT32, &m));
    assert_int_equal(m, 9);
    /* |5-1| + |-3-1| + |9-1| + |0-1| + |-7-1| = 25 */
    assert_ok(NULL, parchunk_mean_abs_dev(NULL, a, 5, PARCHUNK_INT32, 1.0, &out));
    assert_true(out == 5.0);
    /* min/max write one element at any alignment */
    unsigned char buf[16];
    memset(buf, SENTINEL, sizeof buf);
    assert_ok(NULL, parchunk_max(NULL, a, 5, PARCHUNK_INT32, buf + 1));
    memcpy(&m, buf + 1, sizeof m);
    assert_int_equal(m, 9);
    assert_int_equal(buf[0], SENTINEL);
    assert_true(untouched(buf + 5, sizeof buf - 5));
    const uint8_t u[] = {200, 255, 0, 17};
    uint8_t um;
    assert_ok(NULL, parchunk_max(NULL, u, 4, PARCHUNK_UINT8, &um));
    assert_int_equal(um, 255);
    assert_ok(NULL, parchunk_min(NULL, u, 4, PARCHUNK_UINT8, &um));
    assert_int_equal(um, 0);
    const int8_t s8[] = {-128, 127, -1};
    int8_t sm;
    assert_ok(NULL, parchunk_min(NULL, s8, 3, PARCHUNK_INT8, &sm));
    assert_int_equal(sm, -128);
    assert_ok(NULL, parchunk_sum(NULL, s8, 3, PARCHUNK_INT8, &out));
    assert_true(out == -2.0);
}

/* ---- NaN and infinities -------------------------------------------------- */

static void test_nan_propagates(void **state)
{
    (void)state;
    enum { N = 1000 };
    const parchunk_dtype dtypes[] = {PARCHUNK_FLOAT32, PARCHUNK_FLOAT64};
    const size_t positions[] = {0, N / 2, N - 1, 7, 8};
    double buf[N];
    for (size_t di = 0; di < 2; di++) {
        parchunk_dtype d = dtypes[di];
        for (size_t pi = 0; pi < sizeof positions / sizeof *positions; pi++) {
            for (int variant = 0; variant < 2; variant++) {
                parchunk_ctx *ctx = variant == 0 ? NULL : test_ctx(3, 7, 0);
                test_fill_random(buf, N, d, 42);
                test_set_double(buf, positions[pi], d, NAN);
                results r;
                run_all(ctx, buf, N, d, 0.5, &r);
                const char *name = test_dtype_name(d);
                if (r.st[K_SUM] != PARCHUNK_OK || !isnan(r.sum))
                    fail_msg("%s NaN at %zu: sum %g", name, positions[pi], r.sum);
                if (r.st[K_MEAN] != PARCHUNK_OK || !isnan(r.mean))
                    fail_msg("%s NaN at %zu: mean %g", name, positions[pi], r.mean);
                if (r.st[K_MAD] != PARCHUNK_OK || !isnan(r.mad))
                    fail_msg("%s NaN at %zu: mad %g", name, positions[pi], r.mad);
                assert_int_equal(r.st[K_MIN], PARCHUNK_OK);
                assert_int_equal(r.st[K_MAX], PARCHUNK_OK);
                double mn = test_get_double(r.min, 0, d), mx = test_get_double(r.max, 0, d);
                if (!isnan(mn) || !isnan(mx))
                    fail_msg("%s NaN at %zu: min %g max %g", name, positions[pi], mn, mx);
                parchunk_ctx_free(ctx);
            }
        }
        /* a NaN center gives NaN */
        test_fill_random(buf, N, d, 43);
        double out = 0;
        assert_ok(NULL, parchunk_mean_abs_dev(NULL, buf, N, d, NAN, &out));
        assert_true(isnan(out));
    }
    /* integer data with a NaN center too */
    const int32_t ints[] = {1, 2, 3};
    double out = 0;
    assert_ok(NULL, parchunk_mean_abs_dev(NULL, ints, 3, PARCHUNK_INT32, NAN, &out));
    assert_true(isnan(out));
}

static void test_infinities(void **state)
{
    (void)state;
    enum { N = 100 };
    for (int variant = 0; variant < 2; variant++) {
        parchunk_ctx *ctx = variant == 0 ? NULL : test_ctx(2, 7, 0);
        double x[N];
        float f[N];
        for (size_t i = 0; i < N; i++) {
            x[i] = (double)i;
            f[i] = (float)i;
        }
        double out;
        /* +inf alone: sum is +inf, max is +inf */
        x[3] = INFINITY;
        assert_ok(ctx, parchunk_sum(ctx, x, N, PARCHUNK_FLOAT64, &out));
        assert_true(isinf(out) && out > 0);
        assert_ok(ctx, parchunk_max(ctx, x, N, PARCHUNK_FLOAT64, &out));
        assert_true(isinf(out) && out > 0);
        /* +inf and -inf in different chunks: NaN */
        x[90] = -INFINITY;
        assert_ok(ctx, parchunk_sum(ctx, x, N, PARCHUNK_FLOAT64, &out));
        assert_true(isnan(out));
        assert_ok(ctx, parchunk_mean(ctx, x, N, PARCHUNK_FLOAT64, &out));
        assert_true(isnan(out));
        assert_ok(ctx, parchunk_min(ctx, x, N, PARCHUNK_FLOAT64, &out));
        assert_true(isinf(out) && out < 0);
        /* |inf - c| is inf, not NaN */
        assert_ok(ctx, parchunk_mean_abs_dev(ctx, x, N, PARCHUNK_FLOAT64, 1.0, &out));
        assert_true(isinf(out) && out > 0);
        /* float32: inf and -inf side by side in one chunk */
        f[10] = INFINITY;
        f[11] = -INFINITY;
        assert_ok(ctx, parchunk_sum(ctx, f, N, PARCHUNK_FLOAT32, &out));
        assert_true(isnan(out));
        /* float32 values whose sum overflows float but not double */
        float big[4] = {FLT_MAX, FLT_MAX, FLT_MAX, FLT_MAX};
        assert_ok(ctx, parchunk_sum(ctx, big, 4, PARCHUNK_FLOAT32, &out));
        assert_true(out == 4.0 * (double)FLT_MAX);
        parchunk_ctx_free(ctx);
    }
}

/* ---- empty inputs --------------------------------------------------------- */

static void test_empty(void **state)
{
    (void)state;
    const double one = 1.0;
    for (size_t di = 0; di < PARCHUNK_DTYPE_COUNT; di++) {
        parchunk_dtype d = test_all_dtypes[di];
        for (int with_ptr = 0; with_ptr < 2; with_ptr++) {
            parchunk_ctx *ctx = test_ctx(2, 0, 0);
            results r;
            run_all(ctx, with_ptr ? (const void *)&one : NULL, 0, d, 0.0, &r);
            assert_int_equal(r.st[K_SUM], PARCHUNK_OK);
            assert_true(r.sum == 0.0 && !signbit(r.sum));
            if (test_is_float(d)) {
                assert_int_equal(r.st[K_SUM_INT], PARCHUNK_ERR_DTYPE);
                assert_int_equal(r.st[K_SUM_I64], PARCHUNK_ERR_DTYPE);
            } else {
                assert_int_equal(r.st[K_SUM_INT], PARCHUNK_OK);
                assert_true(r.hi == 0 && r.lo == 0);
                assert_int_equal(r.st[K_SUM_I64], PARCHUNK_OK);
                assert_true(r.i64 == 0);
            }
            assert_int_equal(r.st[K_MEAN], PARCHUNK_ERR_EMPTY);
            assert_int_equal(r.st[K_MIN], PARCHUNK_ERR_EMPTY);
            assert_int_equal(r.st[K_MAX], PARCHUNK_ERR_EMPTY);
            assert_int_equal(r.st[K_MAD], PARCHUNK_ERR_EMPTY);
            assert_true(untouched(&r.mean, sizeof r.mean) && untouched(&r.mad, sizeof r.mad));
            assert_true(untouched(r.min, sizeof r.min) && untouched(r.max, sizeof r.max));
            /* the last call (mean_abs_dev) failed: its detail is there */
            assert_true(strstr(parchunk_ctx_last_error(ctx), "empty") != NULL);
            /* progress of an empty call: 0 of 0 */
            uint64_t done = 1, total = 1;
            assert_ok(ctx, parchunk_ctx_progress(ctx, &done, &total));
            assert_true(done == 0 && total == 0);
            parchunk_ctx_free(ctx);
        }
    }
}

/* ---- 64-bit sums near and past the int64 range ---------------------------- */

static void expect_exact(const void *x, size_t n, parchunk_dtype d, test_i128 want)
{
    const int threads[] = {1, 3};
    for (int t = 0; t < 2; t++) {
        parchunk_ctx *ctx = test_ctx(threads[t], 3, 0);
        int64_t hi = 0, i64 = 0;
        uint64_t lo = 0;
        assert_ok(ctx, parchunk_sum_int(ctx, x, n, d, &hi, &lo));
        assert_true(hi == (int64_t)(want >> 64));
        assert_true(lo == (uint64_t)want);
        parchunk_status st = parchunk_sum_i64(ctx, x, n, d, &i64);
        if (want >= INT64_MIN && want <= INT64_MAX) {
            assert_ok(ctx, st);
            assert_true(i64 == (int64_t)want);
        } else {
            i64 = 12345;
            assert_status(ctx, parchunk_sum_i64(ctx, x, n, d, &i64), PARCHUNK_ERR_OVERFLOW);
            assert_true(i64 == 12345); /* untouched */
            assert_true(strstr(parchunk_ctx_last_error(ctx), "int64") != NULL);
        }
        double out;
        assert_ok(ctx, parchunk_sum(ctx, x, n, d, &out));
        assert_true(out == (double)want);
        parchunk_ctx_free(ctx);
    }
}

static void test_int64_range(void **state)
{
    (void)state;
    const test_i128 two63 = (test_i128)1 << 63;
    {
        const int64_t x[] = {INT64_MAX - 1, 1};
        expect_exact(x, 2, PARCHUNK_INT64, INT64_MAX); /* exactly the maximum */
    }
    {
        const int64_t x[] = {INT64_MAX, 1};
        expect_exact(x, 2, PARCHUNK_INT64, two63); /* one past */
    }
    {
        const int64_t x[] = {INT64_MIN};
        expect_exact(x, 1, PARCHUNK_INT64, INT64_MIN);
    }
    {
        const int64_t x[] = {INT64_MIN, -1};
        expect_exact(x, 2, PARCHUNK_INT64, -two63 - 1);
    }
    {
        /* partial sums leave the int64 range, the total comes back into it */
        const int64_t x[] = {INT64_MAX, INT64_MAX, INT64_MAX, INT64_MIN, INT64_MIN, INT64_MIN, 5};
        expect_exact(x, 7, PARCHUNK_INT64, 2);
    }
    {
        /* many extremes across many chunks: far outside 64 bits */
        enum { N = 100001 };
        int64_t *x = malloc(N * sizeof *x);
        uint64_t *u = malloc(N * sizeof *u);
        assert_non_null(x);
        assert_non_null(u);
        for (size_t i = 0; i < N; i++) {
            x[i] = INT64_MAX;
            u[i] = UINT64_MAX;
        }
        expect_exact(x, N, PARCHUNK_INT64, (test_i128)N * INT64_MAX);
        expect_exact(u, N, PARCHUNK_UINT64, (test_i128)N * UINT64_MAX);
        for (size_t i = 0; i < N; i++)
            x[i] = INT64_MIN;
        expect_exact(x, N, PARCHUNK_INT64, (test_i128)N * INT64_MIN);
        free(x);
        free(u);
    }
    {
        /* uint64: UINT64_MAX alone does not fit int64; 2^63 - 1 does */
        const uint64_t u[] = {UINT64_MAX};
        expect_exact(u, 1, PARCHUNK_UINT64, (test_i128)UINT64_MAX);
        const uint64_t v[] = {UINT64_C(1) << 62, (UINT64_C(1) << 62) - 1};
        expect_exact(v, 2, PARCHUNK_UINT64, INT64_MAX);
        const uint64_t w[] = {UINT64_MAX, UINT64_MAX};
        expect_exact(w, 2, PARCHUNK_UINT64, (test_i128)2 * UINT64_MAX);
    }
    {
        /* narrow types at their extremes over more than one 4096-item block */
        enum { N = 10007 };
        static uint32_t u32[N];
        static int32_t i32[N];
        for (size_t i = 0; i < N; i++) {
            u32[i] = UINT32_MAX;
            i32[i] = INT32_MIN;
        }
        expect_exact(u32, N, PARCHUNK_UINT32, (test_i128)N * UINT32_MAX);
        expect_exact(i32, N, PARCHUNK_INT32, (test_i128)N * INT32_MIN);
    }
}

/* ---- bad arguments: the documented status, outputs untouched, a detail ---- */

/* Calls kernel k with out pointers a (and b for sum_int's lo). */
static parchunk_status call_kernel(int k, parchunk_ctx *ctx, const void *data, size_t n,
                                   parchunk_dtype d, void *a, void *b)
{
    switch (k) {
    case K_SUM: return parchunk_sum(ctx, data, n, d, a);
    case K_SUM_INT: return parchunk_sum_int(ctx, data, n, d, a, b);
    case K_SUM_I64: return parchunk_sum_i64(ctx, data, n, d, a);
    case K_MEAN: return parchunk_mean(ctx, data, n, d, a);
    case K_MIN: return parchunk_min(ctx, data, n, d, a);
    case K_MAX: return parchunk_max(ctx, data, n, d, a);
    case K_MAD: return parchunk_mean_abs_dev(ctx, data, n, d, 0.0, a);
    default: return PARCHUNK_ERR_ARG;
    }
}

static void expect_failure(int k, const void *data, size_t n, parchunk_dtype d, int null_out,
                           parchunk_status want, const char *mention)
{
    parchunk_ctx *ctx = test_ctx(2, 0, 0);
    unsigned char a[16], b[16];
    memset(a, SENTINEL, sizeof a);
    memset(b, SENTINEL, sizeof b);
    void *pa = null_out == 1 ? NULL : a, *pb = null_out == 2 ? NULL : b;
    parchunk_status st = call_kernel(k, ctx, data, n, d, pa, pb);
    if (st != want)
        fail_msg("%s dtype %d n %zu null_out %d: status %d (%s), expected %d", kernel_names[k],
                 (int)d, n, null_out, st, parchunk_status_string(st), want);
    if (!untouched(a, sizeof a) || !untouched(b, sizeof b))
        fail_msg("%s: output written on error %d", kernel_names[k], want);
    const char *msg = parchunk_ctx_last_error(ctx);
    assert_non_null(msg);
    if (strstr(msg, mention) == NULL)
        fail_msg("%s: last_error \"%s\" does not mention \"%s\"", kernel_names[k], msg, mention);
    /* a following successful call clears the detail */
    double x = 1.0;
    unsigned char ok_a[16], ok_b[16];
    parchunk_dtype good = k == K_SUM_INT || k == K_SUM_I64 ? PARCHUNK_INT8 : PARCHUNK_FLOAT64;
    assert_ok(ctx, call_kernel(k, ctx, &x, 1, good, ok_a, ok_b));
    assert_string_equal(parchunk_ctx_last_error(ctx), "");
    parchunk_ctx_free(ctx);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    const int64_t data[4] = {1, 2, 3, 4};
    for (int k = 0; k < K_COUNT; k++) {
        expect_failure(k, NULL, 5, PARCHUNK_INT64, 0, PARCHUNK_ERR_NULL, "data");
        expect_failure(k, NULL, 1, PARCHUNK_FLOAT64, 0, PARCHUNK_ERR_NULL, "data");
        expect_failure(k, data, 4, (parchunk_dtype)10, 0, PARCHUNK_ERR_DTYPE, "dtype");
        expect_failure(k, data, 4, (parchunk_dtype)-1, 0, PARCHUNK_ERR_DTYPE, "dtype");
        expect_failure(k, data, 0, (parchunk_dtype)PARCHUNK_DTYPE_COUNT, 0, PARCHUNK_ERR_DTYPE,
                       "dtype");
        expect_failure(k, data, 4, PARCHUNK_INT64, 1, PARCHUNK_ERR_NULL,
                       k == K_SUM_INT ? "hi" : "out");
        /* a NULL out pointer fails even when there is nothing to do */
        expect_failure(k, NULL, 0, PARCHUNK_INT64, 1, PARCHUNK_ERR_NULL,
                       k == K_SUM_INT ? "hi" : "out");
    }
    expect_failure(K_SUM_INT, data, 4, PARCHUNK_INT64, 2, PARCHUNK_ERR_NULL, "lo");
    expect_failure(K_SUM_INT, data, 1, PARCHUNK_FLOAT64, 0, PARCHUNK_ERR_DTYPE, "float64");
    expect_failure(K_SUM_INT, data, 2, PARCHUNK_FLOAT32, 0, PARCHUNK_ERR_DTYPE, "float32");
    expect_failure(K_SUM_I64, data, 1, PARCHUNK_FLOAT64, 0, PARCHUNK_ERR_DTYPE, "float64");
    expect_failure(K_SUM_I64, data, 0, PARCHUNK_FLOAT32, 0, PARCHUNK_ERR_DTYPE, "float32");
    /* with ctx NULL the status is the same (no detail to read) */
    double out = 7.0;
    assert_int_equal(parchunk_sum(NULL, NULL, 3, PARCHUNK_FLOAT64, &out), PARCHUNK_ERR_NULL);
    assert_true(out == 7.0);
    assert_int_equal(parchunk_min(NULL, data, 3, (parchunk_dtype)99, &out), PARCHUNK_ERR_DTYPE);
    assert_true(out == 7.0);
}

/* ---- allocation failure ------------------------------------------------------ */

/* The library allocates in exactly one place (pc_alloc_array ->
 * aligned_alloc). This definition in the test executable interposes the
 * C library's for the whole process (default visibility: the build hides
 * everything else), so a failure can be injected. */
static atomic_int fail_aligned_alloc;

__attribute__((visibility("default"))) void *aligned_alloc(size_t alignment, size_t size)
{
    if (atomic_load(&fail_aligned_alloc))
        return NULL;
    void *p = NULL;
    return posix_memalign(&p, alignment, size) == 0 ? p : NULL;
}

static void test_out_of_memory(void **state)
{
    (void)state;
    /* Under valgrind (which replaces the allocator everywhere) the
     * interposition has no effect: say so instead of failing. */
    void *(*volatile alloc)(size_t, size_t) = aligned_alloc;
    atomic_store(&fail_aligned_alloc, 1);
    void *probe = alloc(64, 64);
    atomic_store(&fail_aligned_alloc, 0);
    if (probe != NULL) {
        free(probe);
        skip();
    }
    const int64_t x[5] = {1, 2, 3, 4, 5};
    for (int k = 0; k < K_COUNT; k++) {
        parchunk_ctx *ctx = test_ctx(2, 2, 0);
        unsigned char a[16], b[16];
        memset(a, SENTINEL, sizeof a);
        memset(b, SENTINEL, sizeof b);
        atomic_store(&fail_aligned_alloc, 1);
        parchunk_status st = call_kernel(k, ctx, x, 5, PARCHUNK_INT64, a, b);
        atomic_store(&fail_aligned_alloc, 0);
        if (st != PARCHUNK_ERR_NOMEM)
            fail_msg("%s: status %d (%s) when memory runs out", kernel_names[k], st,
                     parchunk_status_string(st));
        assert_true(untouched(a, sizeof a) && untouched(b, sizeof b));
        assert_non_null(strstr(parchunk_ctx_last_error(ctx), "allocate"));
        /* the ctx is usable again, and the answer right */
        assert_ok(ctx, call_kernel(k, ctx, x, 5, PARCHUNK_INT64, a, b));
        parchunk_ctx_free(ctx);
    }
    /* nothing to allocate for an empty input */
    double out = 1.0;
    atomic_store(&fail_aligned_alloc, 1);
    parchunk_status st = parchunk_sum(NULL, NULL, 0, PARCHUNK_FLOAT64, &out);
    atomic_store(&fail_aligned_alloc, 0);
    assert_int_equal(st, PARCHUNK_OK);
    assert_true(out == 0.0);
}

int main(void)
{
    static parchunk_dtype dt[PARCHUNK_DTYPE_COUNT];
    for (int i = 0; i < PARCHUNK_DTYPE_COUNT; i++)
        dt[i] = test_all_dtypes[i];
#define PER_DTYPE(fn)                                                                              \
    cmocka_unit_test_prestate(fn, &dt[0]), cmocka_unit_test_prestate(fn, &dt[1]),                  \
        cmocka_unit_test_prestate(fn, &dt[2]), cmocka_unit_test_prestate(fn, &dt[3]),              \
        cmocka_unit_test_prestate(fn, &dt[4]), cmocka_unit_test_prestate(fn, &dt[5]),              \
        cmocka_unit_test_prestate(fn, &dt[6]), cmocka_unit_test_prestate(fn, &dt[7]),              \
        cmocka_unit_test_prestate(fn, &dt[8]), cmocka_unit_test_prestate(fn, &dt[9])
    const struct CMUnitTest tests[] = {
        PER_DTYPE(test_dtype_default_chunk),
        PER_DTYPE(test_dtype_chunk7),
        cmocka_unit_test(test_merge_window_boundaries),
        cmocka_unit_test(test_random_plans),
        cmocka_unit_test(test_float_sum_exact_when_representable),
        cmocka_unit_test(test_int_sum_rounds_once),
        cmocka_unit_test(test_small_known_answers),
        cmocka_unit_test(test_nan_propagates),
        cmocka_unit_test(test_infinities),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_int64_range),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests_name("reduce", tests, NULL, NULL);
}
