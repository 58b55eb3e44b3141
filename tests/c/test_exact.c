/*
 * test_exact.c - exact sums and means: known answers (cancellation, huge
 * range, ties, subnormals, overflow, inf/NaN), random data against an
 * independent oracle (Shewchuk's partials as in CPython's math.fsum, written
 * here from scratch), correct rounding of the mean checked through the exact
 * residual, thread/chunk identity, partial states over random splits.
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

/* ---- oracle: math.fsum (Shewchuk partials, half-even fix-up) ----------- */

/* Returns 0 and the correctly rounded sum, or -1 on intermediate overflow
 * (like math.fsum's OverflowError). Finite input only. */
static int fsum_oracle(const double *x, size_t n, double *out)
{
    enum { MAXP = 1200 };
    static double p[MAXP];
    size_t m = 0;
    for (size_t k = 0; k < n; k++) {
        double v = x[k];
        size_t i = 0;
        for (size_t j = 0; j < m; j++) {
            double y = p[j];
            if (fabs(v) < fabs(y)) {
                double t = v;
                v = y;
                y = t;
            }
            double hi = v + y;
            double lo = y - (hi - v);
            if (lo != 0.0)
                p[i++] = lo;
            v = hi;
        }
        if (!isfinite(v))
            return -1;
        m = i;
        assert_true(m < MAXP);
        p[m++] = v;
    }
    double hi = 0.0;
    if (m > 0) {
        size_t j = m;
        hi = p[--j];
        double lo = 0.0;
        while (j > 0) {
            double v = hi;
            double y = p[--j];
            hi = v + y;
            double yr = hi - v;
            lo = y - yr;
            if (lo != 0.0)
                break;
        }
        if (j > 0 && ((lo < 0.0 && p[j - 1] < 0.0) || (lo > 0.0 && p[j - 1] > 0.0))) {
            double y = lo * 2.0;
            double v = hi + y;
            double yr = v - hi;
            if (y == yr)
                hi = v;
        }
    }
    *out = hi;
    return 0;
}

/* ---- helpers --------------------------------------------------------------- */

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

/* Random doubles over a wide range of exponents, with cancelling pairs. */
static void fill_wild(double *x, size_t n, int emin, int emax)
{
    for (size_t i = 0; i < n; i++) {
        int e = emin + (int)(next_u64() % (uint64_t)(emax - emin + 1));
        double v = ldexp(uniform01() + 0.5, e);
        x[i] = (next_u64() & 1) ? -v : v;
    }
    for (size_t i = 1; i < n; i += 3) /* exact cancellations among the rest */
        x[i] = -x[i - 1];
    for (size_t i = n; i > 1; i--) {
        size_t j = next_u64() % i;
        double t = x[i - 1];
        x[i - 1] = x[j];
        x[j] = t;
    }
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

static int same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

static double sum_exact(const double *x, size_t n, parchunk_status *st)
{
    double out = -12345.0;
    *st = parchunk_sum_exact(NULL, x, n, PARCHUNK_FLOAT64, &out);
    return out;
}

static void expect_sum(const double *x, size_t n, double expected)
{
    parchunk_status st;
    double got = sum_exact(x, n, &st);
    assert_int_equal(st, PARCHUNK_OK);
    assert_true(same_bits(got, expected));
}

/* ---- known answers ------------------------------------------------------------ */

static void test_cancellation(void **unused)
{
    (void)unused;
    double a[] = {1e100, 1.0, -1e100};
    expect_sum(a, 3, 1.0);
    double b[] = {1e308, 1e308, -1e308};
    expect_sum(b, 3, 1e308);
    double c[] = {1e308, -1e308, 1e308};
    expect_sum(c, 3, 1e308);
    double d[] = {-1e308, 1e308, 1e308};
    expect_sum(d, 3, 1e308);
    double e[] = {0x1p1023, 0x1p1023, -0x1p1023, -0x1p1023, 0x1p-1074};
    expect_sum(e, 5, 0x1p-1074);
    double f[] = {1.0, 0x1p-1074, -1.0};
    expect_sum(f, 3, 0x1p-1074);
    double empty_out = 7.0;
    assert_int_equal(parchunk_sum_exact(NULL, NULL, 0, PARCHUNK_FLOAT64, &empty_out), PARCHUNK_OK);
    assert_true(same_bits(empty_out, 0.0));
}

static void test_ties_to_even(void **unused)
{
    (void)unused;
    double a[] = {1.0, 0x1p-53}; /* exactly half an ulp: stays at even 1.0 */
    expect_sum(a, 2, 1.0);
    double b[] = {1.0 + 0x1p-52, 0x1p-53}; /* half an ulp above odd: up to even */
    expect_sum(b, 2, 1.0 + 0x1p-51);
    double c[] = {1.0, 0x1p-53, 0x1p-200}; /* just above half: up */
    expect_sum(c, 3, 1.0 + 0x1p-52);
    double d[] = {1.0, 0x1p-53, -0x1p-200}; /* just below half: down */
    expect_sum(d, 3, 1.0);
    double e[] = {-1.0, -0x1p-53, -0x1p-200};
    expect_sum(e, 3, -1.0 - 0x1p-52);
}

static void test_subnormals(void **unused)
{
    (void)unused;
    double a[64];
    for (int i = 0; i < 64; i++)
        a[i] = 0x1p-1074;
    expect_sum(a, 64, 0x1p-1068);
    double b[] = {DBL_MIN, -0x1p-1074};
    expect_sum(b, 2, DBL_MIN - 0x1p-1074);
    double c[] = {0x1p-1060, 0x1p-1074, 0x1p-1074, -0x1p-1060};
    expect_sum(c, 4, 0x1p-1073);
    double d[] = {0x1.8p-1070, 0x1.8p-1070}; /* subnormal + subnormal, exact */
    expect_sum(d, 2, 0x1.8p-1069);
}

static void test_overflow(void **unused)
{
    (void)unused;
    parchunk_status st;
    double a[] = {1e308, 1e308};
    double out = 3.0;
    st = parchunk_sum_exact(NULL, a, 2, PARCHUNK_FLOAT64, &out);
    assert_int_equal(st, PARCHUNK_ERR_OVERFLOW);
    assert_true(out == 3.0); /* untouched */
    double b[] = {-1e308, -1e308};
    sum_exact(b, 2, &st);
    assert_int_equal(st, PARCHUNK_ERR_OVERFLOW);
    double c[] = {DBL_MAX, 0x1p970}; /* DBL_MAX + half ulp: tie, rounds to 2^1024 */
    sum_exact(c, 2, &st);
    assert_int_equal(st, PARCHUNK_ERR_OVERFLOW);
    double d[] = {DBL_MAX, 0x1p970, -0x1p-1074}; /* just below the tie: DBL_MAX */
    expect_sum(d, 3, DBL_MAX);
    double e[] = {DBL_MAX, DBL_MAX, -DBL_MAX};
    expect_sum(e, 3, DBL_MAX);
    /* the mean of overflowing values is fine */
    assert_int_equal(parchunk_mean_exact(NULL, a, 2, PARCHUNK_FLOAT64, &out), PARCHUNK_OK);
    assert_true(out == 1e308);
}

static void test_inf_nan(void **unused)
{
    (void)unused;
    parchunk_status st;
    double a[] = {INFINITY, 1.0, 1e308, 1e308};
    expect_sum(a, 4, INFINITY);
    double b[] = {-INFINITY, -1.0};
    expect_sum(b, 2, -INFINITY);
    double c[] = {INFINITY, -INFINITY};
    double out = 5.0;
    assert_int_equal(parchunk_sum_exact(NULL, c, 2, PARCHUNK_FLOAT64, &out), PARCHUNK_ERR_DOMAIN);
    assert_true(out == 5.0);
    double d[] = {NAN, INFINITY, -INFINITY}; /* as math.fsum: ValueError wins */
    sum_exact(d, 3, &st);
    assert_int_equal(st, PARCHUNK_ERR_DOMAIN);
    double e[] = {1.0, NAN};
    assert_true(isnan(sum_exact(e, 2, &st)));
    assert_int_equal(st, PARCHUNK_OK);
    double f[] = {NAN, INFINITY};
    assert_true(isnan(sum_exact(f, 2, &st)));
    /* a special in the middle of a long run: the finite rest must not matter */
    static double g[10000];
    for (int i = 0; i < 10000; i++)
        g[i] = 1e300;
    g[5000] = INFINITY;
    expect_sum(g, 10000, INFINITY);
    assert_int_equal(parchunk_mean_exact(NULL, c, 2, PARCHUNK_FLOAT64, &out), PARCHUNK_ERR_DOMAIN);
    float h[] = {1.0f, INFINITY, 2.0f};
    assert_int_equal(parchunk_sum_exact(NULL, h, 3, PARCHUNK_FLOAT32, &out), PARCHUNK_OK);
    assert_true(out == INFINITY);
}

/* ---- random data against the oracle, thread and chunk identity ----------- */

static void test_random_vs_oracle(void **unused)
{
    (void)unused;
    enum { N = 3000 };
    static double x[N];
    const int ranges[][2] = {{-30, 30}, {-1074, -1000}, {-1100, 1000}, {900, 1020}, {-5, 5}};
    parchunk_ctx *ctxs[5] = {make_ctx(1, 0), make_ctx(2, 7), make_ctx(3, 7), make_ctx(8, 64),
                             make_ctx(2, 1000)};
    int checked = 0;
    for (int trial = 0; trial < 200; trial++) {
        size_t n = (size_t)(next_u64() % N);
        const int *r = ranges[trial % 5];
        fill_wild(x, n, r[0], r[1]);
        double ref = 0.0;
        int ok = fsum_oracle(x, n, &ref) == 0 && isfinite(ref);
        double first = 0.0;
        for (int c = 0; c < 5; c++) {
            double got = 0.0;
            parchunk_status st = parchunk_sum_exact(ctxs[c], x, n, PARCHUNK_FLOAT64, &got);
            if (ok) {
                assert_int_equal(st, PARCHUNK_OK);
                assert_true(same_bits(got, ref));
                checked++;
            }
            if (c == 0)
                first = got;
            else
                assert_true(same_bits(got, first));
        }
    }
    assert_true(checked > 500);
    for (int c = 0; c < 5; c++)
        parchunk_ctx_free(ctxs[c]);
}

static void test_float32(void **unused)
{
    (void)unused;
    enum { N = 2000 };
    static float xf[N];
    static double xd[N];
    for (int trial = 0; trial < 50; trial++) {
        size_t n = (size_t)(next_u64() % N);
        for (size_t i = 0; i < n; i++) {
            float v = ldexpf((float)uniform01() + 0.5f, (int)(next_u64() % 270) - 149);
            xf[i] = (next_u64() & 1) ? -v : v;
            xd[i] = xf[i];
        }
        double ref = 0.0, got = 0.0;
        assert_int_equal(fsum_oracle(xd, n, &ref), 0);
        assert_int_equal(parchunk_sum_exact(NULL, xf, n, PARCHUNK_FLOAT32, &got), PARCHUNK_OK);
        assert_true(same_bits(got, ref));
    }
}

static void test_integers(void **unused)
{
    (void)unused;
    enum { N = 5000 };
    static int64_t xi[N];
    static uint64_t xu[N];
    static int8_t x8[N];
    for (size_t i = 0; i < N; i++) {
        xi[i] = (int64_t)next_u64();
        xu[i] = next_u64() | (UINT64_C(1) << 63);
        x8[i] = (int8_t)next_u64();
    }
    xi[0] = INT64_MIN;
    xi[1] = INT64_MAX;
    const void *arrays[] = {xi, xu, x8};
    parchunk_dtype dtypes[] = {PARCHUNK_INT64, PARCHUNK_UINT64, PARCHUNK_INT8};
    for (int k = 0; k < 3; k++) {
        double exact = 0.0, plain = 1.0; /* parchunk_sum is exact for integers */
        assert_int_equal(parchunk_sum_exact(NULL, arrays[k], N, dtypes[k], &exact), PARCHUNK_OK);
        assert_int_equal(parchunk_sum(NULL, arrays[k], N, dtypes[k], &plain), PARCHUNK_OK);
        assert_true(same_bits(exact, plain));
    }
}

/* ---- the mean: correct rounding checked through the exact residual ------- */

/* True when m is the correctly rounded x-sum / n: the exact residual
 * S - n*m (computed exactly with the oracle, n*m split by fma) lies within
 * half the gaps around m, ties only at an even m. */
static int mean_is_correct(const double *x, size_t n, double m)
{
    static double buf[5000];
    memcpy(buf, x, n * sizeof *x);
    double p = (double)n * m;
    double e = fma((double)n, m, -p);
    buf[n] = -p;
    buf[n + 1] = -e;
    double r = 0.0;
    if (fsum_oracle(buf, n + 2, &r) != 0)
        return 0;
    double up = (nextafter(m, INFINITY) - m) / 2 * (double)n;
    double down = (m - nextafter(m, -INFINITY)) / 2 * (double)n;
    if (r > up || -r > down)
        return 0;
    if (r == up || -r == down) { /* a tie: m must be even */
        uint64_t bits;
        memcpy(&bits, &m, sizeof bits);
        return (bits & 1) == 0;
    }
    return 1;
}

static void test_mean(void **unused)
{
    (void)unused;
    enum { N = 4000 };
    static double x[N];
    parchunk_ctx *ctx = make_ctx(3, 13);
    const int ranges[][2] = {{-30, 30}, {-1074, -1040}, {-200, 200}, {-3, 3}};
    for (int trial = 0; trial < 120; trial++) {
        size_t n = 1 + (size_t)(next_u64() % (N - 1));
        const int *r = ranges[trial % 4];
        fill_wild(x, n, r[0], r[1]);
        double m = 0.0, m1 = 1.0;
        assert_int_equal(parchunk_mean_exact(ctx, x, n, PARCHUNK_FLOAT64, &m), PARCHUNK_OK);
        assert_int_equal(parchunk_mean_exact(NULL, x, n, PARCHUNK_FLOAT64, &m1), PARCHUNK_OK);
        assert_true(same_bits(m, m1));
        if (fabs(m) > 0x1p-1000 || m == 0.0) /* the residual check needs no underflow */
            assert_true(mean_is_correct(x, n, m));
    }
    /* a case where sum-then-divide rounds twice: (1 + 2^-52 + 2^-53 + tiny)/3-ish */
    double y[] = {1.0, 0x1p-52, 0x1p-53, 0x1p-100, 1.0, 1.0};
    double m = 0.0;
    assert_int_equal(parchunk_mean_exact(NULL, y, 6, PARCHUNK_FLOAT64, &m), PARCHUNK_OK);
    assert_true(mean_is_correct(y, 6, m));
    /* subnormal quotient: 3 * 2^-1074 / 2 = 1.5 ulp -> ties to even 2 ulp */
    double z[] = {0x1p-1074, 0x1p-1074, 0x1p-1074, 0.0};
    assert_int_equal(parchunk_mean_exact(NULL, z, 2, PARCHUNK_FLOAT64, &m), PARCHUNK_OK);
    assert_true(same_bits(m, 0x1p-1074)); /* 2 ulp / 2 = 1 ulp exactly */
    assert_int_equal(parchunk_mean_exact(NULL, z, 4, PARCHUNK_FLOAT64, &m), PARCHUNK_OK);
    assert_true(same_bits(m, 0x1p-1074)); /* 3/4 ulp -> 1 ulp */
    double w[] = {0x1p-1074, 0.0, 0.0};
    assert_int_equal(parchunk_mean_exact(NULL, w, 3, PARCHUNK_FLOAT64, &m), PARCHUNK_OK);
    assert_true(same_bits(m, 0.0)); /* 1/3 ulp -> 0 */
    double v[] = {-0x1p-1074, 0.0, 0.0};
    assert_int_equal(parchunk_mean_exact(NULL, v, 3, PARCHUNK_FLOAT64, &m), PARCHUNK_OK);
    assert_true(same_bits(m, -0.0)); /* a negative quotient rounds to -0 */
    double out = 9.0;
    assert_int_equal(parchunk_mean_exact(NULL, NULL, 0, PARCHUNK_FLOAT64, &out),
                     PARCHUNK_ERR_EMPTY);
    assert_true(out == 9.0);
    parchunk_ctx_free(ctx);
}

/* ---- partial states -------------------------------------------------------- */

static void test_partial_states(void **unused)
{
    (void)unused;
    enum { N = 3000, PARTS = 7 };
    static double x[N];
    unsigned char states[PARTS][PARCHUNK_EXACT_STATE_SIZE];
    unsigned char acc[PARCHUNK_EXACT_STATE_SIZE], whole[PARCHUNK_EXACT_STATE_SIZE];
    parchunk_ctx *ctx = make_ctx(2, 5);
    for (int trial = 0; trial < 60; trial++) {
        size_t n = (size_t)(next_u64() % N);
        fill_wild(x, n, trial % 2 ? -1074 : -40, trial % 2 ? 1023 : 40);
        if (trial % 10 == 3 && n > 2)
            x[n / 2] = (trial % 20 == 3) ? NAN : INFINITY;
        /* random split into PARTS pieces (some empty) */
        size_t cut[PARTS + 1];
        cut[0] = 0;
        cut[PARTS] = n;
        for (int p = 1; p < PARTS; p++)
            cut[p] = n ? (size_t)(next_u64() % (n + 1)) : 0;
        for (int p = 1; p < PARTS; p++) /* sort the cuts */
            for (int q = p + 1; q < PARTS; q++)
                if (cut[q] < cut[p]) {
                    size_t t = cut[p];
                    cut[p] = cut[q];
                    cut[q] = t;
                }
        for (int p = 0; p < PARTS; p++)
            assert_int_equal(parchunk_sum_exact_partial(ctx, x + cut[p], cut[p + 1] - cut[p],
                                                        PARCHUNK_FLOAT64, states[p]),
                             PARCHUNK_OK);
        /* merge in a scrambled order, sometimes into an aliasing output */
        memcpy(acc, states[PARTS - 1], sizeof acc);
        for (int p = PARTS - 2; p >= 0; p--)
            assert_int_equal(parchunk_sum_exact_merge(NULL, states[p], acc, acc), PARCHUNK_OK);
        assert_int_equal(parchunk_sum_exact_partial(NULL, x, n, PARCHUNK_FLOAT64, whole),
                         PARCHUNK_OK);
        assert_memory_equal(acc, whole, sizeof acc); /* canonical: byte-identical */
        double a = 1.0, b = 2.0, c = 3.0;
        parchunk_status sa = parchunk_sum_exact_finalize(NULL, acc, &a);
        parchunk_status sb = parchunk_sum_exact(NULL, x, n, PARCHUNK_FLOAT64, &b);
        assert_int_equal(sa, sb);
        if (sa == PARCHUNK_OK)
            assert_true(same_bits(a, b) || (isnan(a) && isnan(b)));
        parchunk_status ma = parchunk_mean_exact_finalize(NULL, acc, &a);
        parchunk_status mb = parchunk_mean_exact(NULL, x, n, PARCHUNK_FLOAT64, &c);
        assert_int_equal(ma, mb);
        if (ma == PARCHUNK_OK)
            assert_true(same_bits(a, c) || (isnan(a) && isnan(c)));
        uint64_t count = 0;
        assert_int_equal(parchunk_sum_exact_count(NULL, acc, &count), PARCHUNK_OK);
        assert_int_equal(count, n);
    }
    parchunk_ctx_free(ctx);
}

static void test_partial_layout_and_validation(void **unused)
{
    (void)unused;
    unsigned char s[PARCHUNK_EXACT_STATE_SIZE], t[PARCHUNK_EXACT_STATE_SIZE];
    double x[] = {1.0, -0.5, 0x1p-1074};
    assert_int_equal(parchunk_sum_exact_partial(NULL, x, 3, PARCHUNK_FLOAT64, s), PARCHUNK_OK);
    uint32_t magic, flags;
    uint64_t count;
    int64_t limb[67];
    memcpy(&magic, s, 4);
    memcpy(&flags, s + 4, 4);
    memcpy(&count, s + 8, 8);
    memcpy(limb, s + 16, sizeof limb);
    assert_int_equal(magic, 0x53584350u);
    assert_int_equal(flags, 0);
    assert_int_equal(count, 3);
    /* the documented meaning: 0.5 + 2^-1074 = 2^1074 units of 2^-1075 + 2 units */
    assert_int_equal(limb[0], 2);
    for (int k = 1; k < 67; k++)
        assert_int_equal(limb[k], k == 1074 / 32 ? (int64_t)1 << (1074 % 32) : 0);
    /* invalid states */
    double out = 4.0;
    memcpy(t, s, sizeof t);
    t[0] ^= 1;
    assert_int_equal(parchunk_sum_exact_finalize(NULL, t, &out), PARCHUNK_ERR_ARG);
    memcpy(t, s, sizeof t);
    int64_t bad = INT64_C(1) << 40;
    memcpy(t + 16 + 8 * 5, &bad, 8);
    assert_int_equal(parchunk_sum_exact_merge(NULL, s, t, s), PARCHUNK_ERR_ARG);
    memcpy(t, s, sizeof t);
    t[4] = 0x10; /* unknown flag */
    assert_int_equal(parchunk_mean_exact_finalize(NULL, t, &out), PARCHUNK_ERR_ARG);
    assert_true(out == 4.0);
    assert_int_equal(parchunk_sum_exact_finalize(NULL, NULL, &out), PARCHUNK_ERR_NULL);
    assert_int_equal(parchunk_sum_exact_finalize(NULL, s, NULL), PARCHUNK_ERR_NULL);
    assert_int_equal(parchunk_sum_exact_merge(NULL, s, NULL, t), PARCHUNK_ERR_NULL);
    assert_int_equal(parchunk_sum_exact_merge(NULL, s, s, NULL), PARCHUNK_ERR_NULL);
    /* count overflow on merge */
    memcpy(t, s, sizeof t);
    uint64_t huge = UINT64_MAX;
    memcpy(t + 8, &huge, 8);
    assert_int_equal(parchunk_sum_exact_merge(NULL, s, t, t), PARCHUNK_ERR_OVERFLOW);
    /* empty state */
    assert_int_equal(parchunk_sum_exact_partial(NULL, NULL, 0, PARCHUNK_FLOAT32, t), PARCHUNK_OK);
    assert_int_equal(parchunk_sum_exact_finalize(NULL, t, &out), PARCHUNK_OK);
    assert_true(same_bits(out, 0.0));
    assert_int_equal(parchunk_mean_exact_finalize(NULL, t, &out), PARCHUNK_ERR_EMPTY);
}

static void test_bad_input(void **unused)
{
    (void)unused;
    double out = 1.5, x[] = {1.0};
    parchunk_ctx *ctx = make_ctx(2, 0);
    assert_int_equal(parchunk_sum_exact(ctx, NULL, 3, PARCHUNK_FLOAT64, &out), PARCHUNK_ERR_NULL);
    assert_true(strlen(parchunk_ctx_last_error(ctx)) > 0);
    assert_int_equal(parchunk_sum_exact(ctx, x, 1, PARCHUNK_FLOAT64, NULL), PARCHUNK_ERR_NULL);
    assert_int_equal(parchunk_sum_exact(ctx, x, 1, (parchunk_dtype)42, &out), PARCHUNK_ERR_DTYPE);
    assert_int_equal(parchunk_mean_exact(ctx, x, 1, (parchunk_dtype)-1, &out), PARCHUNK_ERR_DTYPE);
    assert_int_equal(parchunk_sum_exact_partial(ctx, x, 1, PARCHUNK_FLOAT64, NULL),
                     PARCHUNK_ERR_NULL);
    assert_true(out == 1.5);
    parchunk_ctx_cancel(ctx);
    assert_int_equal(parchunk_sum_exact(ctx, x, 1, PARCHUNK_FLOAT64, &out), PARCHUNK_ERR_CANCELLED);
    assert_true(out == 1.5);
    parchunk_ctx_clear_cancel(ctx);
    assert_int_equal(parchunk_sum_exact(ctx, x, 1, PARCHUNK_FLOAT64, &out), PARCHUNK_OK);
    assert_true(out == 1.0);
    parchunk_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cancellation),
        cmocka_unit_test(test_ties_to_even),
        cmocka_unit_test(test_subnormals),
        cmocka_unit_test(test_overflow),
        cmocka_unit_test(test_inf_nan),
        cmocka_unit_test(test_random_vs_oracle),
        cmocka_unit_test(test_float32),
        cmocka_unit_test(test_integers),
        cmocka_unit_test(test_mean),
        cmocka_unit_test(test_partial_states),
        cmocka_unit_test(test_partial_layout_and_validation),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
