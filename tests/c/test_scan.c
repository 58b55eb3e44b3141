/* test_scan.c - parchunk_cumsum against serial references (a left-to-right
 * double scan for floats, a 128-bit scan for integers). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <math.h>

#include "parchunk.h"

__extension__ typedef __int128 i128;

static const int thread_counts[] = {1, 2, 3, 8};
static const size_t sizes[] = {0, 1, 2, 6, 7, 8, 13, 14, 15, 1000, 16383, 16384, 16385, 100003};

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t next_u64(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static parchunk_ctx *make_ctx(int threads, size_t chunk, size_t cutoff)
{
    parchunk_ctx *ctx = NULL;
    assert_int_equal(parchunk_ctx_new(&ctx), PARCHUNK_OK);
    assert_int_equal(parchunk_ctx_set_threads(ctx, threads), PARCHUNK_OK);
    assert_int_equal(parchunk_ctx_set_chunk_size(ctx, chunk), PARCHUNK_OK);
    assert_int_equal(parchunk_ctx_set_serial_cutoff(ctx, cutoff), PARCHUNK_OK);
    return ctx;
}

static double *random_doubles(size_t n)
{
    double *x = malloc((n ? n : 1) * sizeof *x);
    for (size_t i = 0; i < n; i++)
        x[i] = (double)(next_u64() >> 11) * 0x1p-53 + 0.5; /* well conditioned: all > 0 */
    return x;
}

/* ---- floats -------------------------------------------------------------- */

static void test_float64_matches_sequential(void **state)
{
    (void)state;
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        size_t n = sizes[s];
        double *x = random_doubles(n);
        double *ref = malloc((n ? n : 1) * sizeof *ref);
        double *out = malloc((n ? n : 1) * sizeof *out);
        double acc = 0.0;
        for (size_t i = 0; i < n; i++)
            ref[i] = acc += x[i];
        assert_int_equal(parchunk_cumsum(NULL, x, n, PARCHUNK_FLOAT64, out, PARCHUNK_FLOAT64),
                         PARCHUNK_OK);
        for (size_t i = 0; i < n; i++) {
            if (n <= PARCHUNK_DEFAULT_CHUNK_SIZE) /* one chunk: exactly the sequential scan */
                assert_true(out[i] == ref[i]);
            else
                assert_true(fabs(out[i] - ref[i]) <= 1e-12 * fabs(ref[i]));
        }
        free(x);
        free(ref);
        free(out);
    }
}

static void test_float_deterministic_across_threads(void **state)
{
    (void)state;
    const size_t chunks[] = {7, 1000};
    size_t n = 20011;
    double *x = random_doubles(n);
    float *xf = malloc(n * sizeof *xf);
    for (size_t i = 0; i < n; i++) {
        x[i] -= 1.0; /* mixed signs */
        xf[i] = (float)x[i];
    }
    double *first = malloc(n * sizeof *first), *out = malloc(n * sizeof *out);
    float *firstf = malloc(n * sizeof *firstf), *outf = malloc(n * sizeof *outf);
    for (size_t c = 0; c < 2; c++) {
        for (size_t t = 0; t < 4; t++) {
            parchunk_ctx *ctx = make_ctx(thread_counts[t], chunks[c], 0);
            double *dst = t == 0 ? first : out;
            float *dstf = t == 0 ? firstf : outf;
            assert_int_equal(parchunk_cumsum(ctx, x, n, PARCHUNK_FLOAT64, dst, PARCHUNK_FLOAT64),
                             PARCHUNK_OK);
            assert_int_equal(parchunk_cumsum(ctx, xf, n, PARCHUNK_FLOAT32, dstf, PARCHUNK_FLOAT32),
                             PARCHUNK_OK);
            uint64_t done = 0, total = 0;
            assert_int_equal(parchunk_ctx_progress(ctx, &done, &total), PARCHUNK_OK);
            assert_true(done == 2 * n && total == 2 * n);
            if (t > 0) {
                assert_memory_equal(first, out, n * sizeof *out);
                assert_memory_equal(firstf, outf, n * sizeof *outf);
            }
            parchunk_ctx_free(ctx);
        }
        /* close to the sequential scan whatever the chunking */
        double acc = 0.0;
        for (size_t i = 0; i < n; i++) {
            acc += x[i];
            assert_true(fabs(first[i] - acc) <= 1e-9);
        }
    }
    free(x);
    free(xf);
    free(first);
    free(out);
    free(firstf);
    free(outf);
}

static void test_float32_outputs(void **state)
{
    (void)state;
    size_t n = 5000;
    float *x = malloc(n * sizeof *x);
    for (size_t i = 0; i < n; i++)
        x[i] = (float)((double)(next_u64() >> 40) * 0x1p-24);
    float *of = malloc(n * sizeof *of);
    double *od = malloc(n * sizeof *od);
    parchunk_ctx *ctx = make_ctx(1, 100000, 0); /* one chunk: exact references */
    assert_int_equal(parchunk_cumsum(ctx, x, n, PARCHUNK_FLOAT32, of, PARCHUNK_FLOAT32),
                     PARCHUNK_OK);
    assert_int_equal(parchunk_cumsum(ctx, x, n, PARCHUNK_FLOAT32, od, PARCHUNK_FLOAT64),
                     PARCHUNK_OK);
    double acc = 0.0;
    for (size_t i = 0; i < n; i++) {
        acc += (double)x[i];
        assert_true(od[i] == acc);
        assert_true(of[i] == (float)acc);
    }
    parchunk_ctx_free(ctx);
    free(x);
    free(of);
    free(od);
}

static void test_float_nan_inf_propagate(void **state)
{
    (void)state;
    size_t n = 100;
    double x[100], out[100];
    for (size_t i = 0; i < n; i++)
        x[i] = 1.0;
    x[40] = NAN;
    parchunk_ctx *ctx = make_ctx(3, 7, 0);
    assert_int_equal(parchunk_cumsum(ctx, x, n, PARCHUNK_FLOAT64, out, PARCHUNK_FLOAT64),
                     PARCHUNK_OK);
    for (size_t i = 0; i < n; i++)
        assert_true(i < 40 ? out[i] == (double)(i + 1) : isnan(out[i]));
    x[40] = INFINITY;
    assert_int_equal(parchunk_cumsum(ctx, x, n, PARCHUNK_FLOAT64, out, PARCHUNK_FLOAT64),
                     PARCHUNK_OK);
    for (size_t i = 0; i < n; i++)
        assert_true(i < 40 ? out[i] == (double)(i + 1) : out[i] == INFINITY);
    x[70] = -INFINITY;
    assert_int_equal(parchunk_cumsum(ctx, x, n, PARCHUNK_FLOAT64, out, PARCHUNK_FLOAT64),
                     PARCHUNK_OK);
    assert_true(isnan(out[70]) && isnan(out[99]) && out[69] == INFINITY);
    parchunk_ctx_free(ctx);
}

static void test_float_in_place(void **state)
{
    (void)state;
    size_t n = 3001;
    double *x = random_doubles(n), *ref = malloc(n * sizeof *ref);
    parchunk_ctx *ctx = make_ctx(2, 7, 0);
    assert_int_equal(parchunk_cumsum(ctx, x, n, PARCHUNK_FLOAT64, ref, PARCHUNK_FLOAT64),
                     PARCHUNK_OK);
    assert_int_equal(parchunk_cumsum(ctx, x, n, PARCHUNK_FLOAT64, x, PARCHUNK_FLOAT64),
                     PARCHUNK_OK);
    assert_memory_equal(x, ref, n * sizeof *x);
    parchunk_ctx_free(ctx);
    free(x);
    free(ref);
}

/* ---- integers ------------------------------------------------------------ */

static const parchunk_dtype int_dtypes[] = {PARCHUNK_INT8,   PARCHUNK_UINT8, PARCHUNK_INT16,
                                            PARCHUNK_UINT16, PARCHUNK_INT32, PARCHUNK_UINT32,
                                            PARCHUNK_INT64,  PARCHUNK_UINT64};

static bool is_signed(parchunk_dtype d)
{
    return d == PARCHUNK_INT8 || d == PARCHUNK_INT16 || d == PARCHUNK_INT32 || d == PARCHUNK_INT64;
}

static i128 element(const void *x, size_t i, parchunk_dtype d)
{
    switch (d) {
    case PARCHUNK_INT8: return ((const int8_t *)x)[i];
    case PARCHUNK_UINT8: return ((const uint8_t *)x)[i];
    case PARCHUNK_INT16: return ((const int16_t *)x)[i];
    case PARCHUNK_UINT16: return ((const uint16_t *)x)[i];
    case PARCHUNK_INT32: return ((const int32_t *)x)[i];
    case PARCHUNK_UINT32: return ((const uint32_t *)x)[i];
    case PARCHUNK_INT64: return ((const int64_t *)x)[i];
    default: return ((const uint64_t *)x)[i];
    }
}

/* Random bytes, with 64-bit values kept small enough (2^40) that 1e5 of
 * them never overflow. */
static void *random_ints(size_t n, parchunk_dtype d)
{
    size_t sz = parchunk_dtype_size(d);
    unsigned char *x = malloc(n * sz + 8);
    for (size_t i = 0; i < n * sz; i += 8) {
        uint64_t r = next_u64();
        memcpy(x + i, &r, 8);
    }
    if (sz == 8)
        for (size_t i = 0; i < n; i++) {
            uint64_t v;
            memcpy(&v, x + 8 * i, 8);
            v = d == PARCHUNK_INT64 ? (uint64_t)((int64_t)v >> 24) : v >> 24;
            memcpy(x + 8 * i, &v, 8);
        }
    return x;
}

static void test_int_exact_all_dtypes(void **state)
{
    (void)state;
    for (size_t k = 0; k < 8; k++) {
        parchunk_dtype d = int_dtypes[k];
        for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
            size_t n = sizes[s];
            void *x = random_ints(n, d);
            int64_t *out = malloc((n ? n : 1) * 8), *first = malloc((n ? n : 1) * 8);
            for (int outk = 0; outk < (is_signed(d) ? 1 : 2); outk++) {
                parchunk_dtype od = outk ? PARCHUNK_UINT64 : PARCHUNK_INT64;
                for (size_t t = 0; t < 4; t++) {
                    parchunk_ctx *ctx = make_ctx(thread_counts[t], t == 0 ? 0 : 7, 0);
                    int64_t *dst = t == 0 ? first : out;
                    assert_int_equal(parchunk_cumsum(ctx, x, n, d, dst, od), PARCHUNK_OK);
                    if (t > 0)
                        assert_memory_equal(first, out, n * 8);
                    parchunk_ctx_free(ctx);
                }
                i128 acc = 0;
                for (size_t i = 0; i < n; i++) {
                    acc += element(x, i, d);
                    assert_true((i128)first[i] == acc);
                }
            }
            free(x);
            free(out);
            free(first);
        }
    }
}

static void check_overflow(const void *x, size_t n, parchunk_dtype d, parchunk_dtype od)
{
    for (size_t t = 0; t < 4; t++) {
        for (int chunk = 0; chunk < 2; chunk++) {
            parchunk_ctx *ctx = make_ctx(thread_counts[t], chunk ? 2 : 0, 0);
            int64_t out[64];
            memset(out, 0xA5, sizeof out);
            assert_int_equal(parchunk_cumsum(ctx, x, n, d, out, od), PARCHUNK_ERR_OVERFLOW);
            for (size_t i = 0; i < 64; i++)
                assert_true((uint64_t)out[i] == 0xA5A5A5A5A5A5A5A5ull);
            assert_true(strlen(parchunk_ctx_last_error(ctx)) > 0);
            parchunk_ctx_free(ctx);
        }
    }
}

static void test_int_overflow_leaves_out_untouched(void **state)
{
    (void)state;
    int64_t up[] = {1, 2, INT64_MAX - 3, 1, 5, 6};
    check_overflow(up, 6, PARCHUNK_INT64, PARCHUNK_INT64);
    int64_t down[] = {0, 0, 0, INT64_MIN, -1, 0};
    check_overflow(down, 6, PARCHUNK_INT64, PARCHUNK_INT64);
    /* a prefix leaves the range and the total comes back inside it */
    int64_t back[] = {3, 0, INT64_MAX, -10, -10, 0};
    check_overflow(back, 6, PARCHUNK_INT64, PARCHUNK_INT64);
    uint64_t big[] = {1, 1ull << 63, 0};
    check_overflow(big, 3, PARCHUNK_UINT64, PARCHUNK_INT64);
    uint64_t wrap[] = {UINT64_MAX, 0, 0, 1};
    check_overflow(wrap, 4, PARCHUNK_UINT64, PARCHUNK_UINT64);
    /* ... and the same data in range fit */
    uint64_t fits[] = {UINT64_MAX - 1, 0, 0, 1};
    uint64_t out[4];
    assert_int_equal(parchunk_cumsum(NULL, fits, 4, PARCHUNK_UINT64, out, PARCHUNK_UINT64),
                     PARCHUNK_OK);
    assert_true(out[3] == UINT64_MAX);
    /* with chunks of 2, the second chunk's own prefixes leave int64 (its
     * 128-bit path) while every prefix of the array fits */
    int64_t local[] = {-(1ll << 62), -(1ll << 62), 1ll << 62, (1ll << 62) + (1ll << 61)};
    int64_t ol[4];
    for (size_t t = 0; t < 4; t++) {
        parchunk_ctx *ctx = make_ctx(thread_counts[t], 2, 0);
        assert_int_equal(parchunk_cumsum(ctx, local, 4, PARCHUNK_INT64, ol, PARCHUNK_INT64),
                         PARCHUNK_OK);
        assert_true(ol[0] == -(1ll << 62) && ol[1] == INT64_MIN && ol[2] == -(1ll << 62) &&
                    ol[3] == 1ll << 61);
        parchunk_ctx_free(ctx);
    }
    uint64_t carry[] = {UINT64_MAX, 2, UINT64_MAX};
    uint64_t oc[3];
    assert_int_equal(parchunk_cumsum(NULL, carry, 3, PARCHUNK_UINT64, oc, PARCHUNK_UINT64),
                     PARCHUNK_ERR_OVERFLOW);
    int64_t edge[] = {INT64_MAX, INT64_MIN, -1};
    int64_t oe[3];
    assert_int_equal(parchunk_cumsum(NULL, edge, 3, PARCHUNK_INT64, oe, PARCHUNK_INT64),
                     PARCHUNK_OK);
    assert_true(oe[0] == INT64_MAX && oe[1] == -1 && oe[2] == -2);
}

/* Prefixes that come within one element of the int64 limits: each chunk's
 * loose bounds (chunk length * largest magnitude) reach past INT64_MAX from
 * the offset, so the exact range of the chunk decides; one element more and
 * the array overflows. */
static void test_int64_near_limit_exact_fallback(void **state)
{
    (void)state;
    const int64_t step = 1ll << 58;
    enum { N = 80 };
    int64_t x[N], out[N], ref[N];
    for (int sign = 0; sign < 2; sign++) {
        for (size_t i = 0; i < N; i++) /* up to 31 * 2^58 (or down to -32 * 2^58), back */
            x[i] = (i < (sign ? 32u : 31u) ? step : -step) * (sign ? -1 : 1);
        int64_t acc = 0;
        for (size_t i = 0; i < N; i++)
            ref[i] = acc += x[i];
        for (size_t t = 0; t < 4; t++) {
            for (size_t c = 0; c < 3; c++) {
                const size_t chunks[] = {7, 2, 0};
                parchunk_ctx *ctx = make_ctx(thread_counts[t], chunks[c], 0);
                memset(out, 0, sizeof out);
                assert_int_equal(parchunk_cumsum(ctx, x, N, PARCHUNK_INT64, out, PARCHUNK_INT64),
                                 PARCHUNK_OK);
                assert_memory_equal(out, ref, sizeof out);
                parchunk_ctx_free(ctx);
            }
        }
    }
    int64_t over[40];
    for (size_t i = 0; i < 40; i++)
        over[i] = i < 32 ? step : -step; /* the 32nd prefix is 2^63 */
    check_overflow(over, 40, PARCHUNK_INT64, PARCHUNK_INT64);
    for (size_t i = 0; i < 40; i++)
        over[i] = i < 33 ? -step : step; /* the 33rd prefix is -2^63 - 2^58 */
    check_overflow(over, 40, PARCHUNK_INT64, PARCHUNK_INT64);
}

/* int64 data of small magnitude against a plain int64 scan, every thread
 * count with tiny chunks; int32 prefixes beyond the int32 range. */
static void test_int64_small_values_and_edge(void **state)
{
    (void)state;
    size_t n = 50000;
    int64_t *x = malloc(n * 8), *out = malloc(n * 8);
    for (size_t i = 0; i < n; i++)
        x[i] = (int64_t)(next_u64() % 2001) - 1000;
    for (size_t t = 0; t < 4; t++) {
        parchunk_ctx *ctx = make_ctx(thread_counts[t], 7, 0);
        assert_int_equal(parchunk_cumsum(ctx, x, n, PARCHUNK_INT64, out, PARCHUNK_INT64),
                         PARCHUNK_OK);
        int64_t acc = 0;
        for (size_t i = 0; i < n; i++)
            assert_true(out[i] == (acc += x[i]));
        parchunk_ctx_free(ctx);
    }
    int32_t y[] = {INT32_MAX, INT32_MAX, -INT32_MAX, -INT32_MAX, INT32_MAX};
    int64_t oy[5];
    assert_int_equal(parchunk_cumsum(NULL, y, 5, PARCHUNK_INT32, oy, PARCHUNK_INT64), PARCHUNK_OK);
    assert_true(oy[1] == 2 * (int64_t)INT32_MAX && oy[3] == 0 && oy[4] == INT32_MAX);
    free(x);
    free(out);
}

static void test_int_in_place(void **state)
{
    (void)state;
    size_t n = 999;
    int64_t *x = random_ints(n, PARCHUNK_INT64), *ref = malloc(n * 8);
    parchunk_ctx *ctx = make_ctx(3, 7, 0);
    assert_int_equal(parchunk_cumsum(ctx, x, n, PARCHUNK_INT64, ref, PARCHUNK_INT64), PARCHUNK_OK);
    assert_int_equal(parchunk_cumsum(ctx, x, n, PARCHUNK_INT64, x, PARCHUNK_INT64), PARCHUNK_OK);
    assert_memory_equal(x, ref, n * 8);
    parchunk_ctx_free(ctx);
    free(x);
    free(ref);
}

/* ---- bad input ----------------------------------------------------------- */

static void test_bad_input(void **state)
{
    (void)state;
    parchunk_ctx *ctx = make_ctx(2, 0, 0);
    double x[8] = {1, 2, 3, 4, 5, 6, 7, 8}, out[8];
    int32_t xi[8] = {0};
    assert_int_equal(parchunk_cumsum(ctx, NULL, 3, PARCHUNK_FLOAT64, out, PARCHUNK_FLOAT64),
                     PARCHUNK_ERR_NULL);
    assert_int_equal(parchunk_cumsum(ctx, x, 3, PARCHUNK_FLOAT64, NULL, PARCHUNK_FLOAT64),
                     PARCHUNK_ERR_NULL);
    assert_int_equal(parchunk_cumsum(ctx, NULL, 0, PARCHUNK_FLOAT64, NULL, PARCHUNK_FLOAT64),
                     PARCHUNK_OK);
    assert_int_equal(parchunk_cumsum(ctx, x, 3, (parchunk_dtype)10, out, PARCHUNK_FLOAT64),
                     PARCHUNK_ERR_DTYPE);
    assert_int_equal(parchunk_cumsum(ctx, x, 3, PARCHUNK_FLOAT64, out, (parchunk_dtype)-1),
                     PARCHUNK_ERR_DTYPE);
    assert_int_equal(parchunk_cumsum(ctx, x, 3, PARCHUNK_FLOAT64, out, PARCHUNK_FLOAT32),
                     PARCHUNK_ERR_DTYPE);
    assert_int_equal(parchunk_cumsum(ctx, xi, 3, PARCHUNK_INT32, out, PARCHUNK_UINT64),
                     PARCHUNK_ERR_DTYPE);
    assert_int_equal(parchunk_cumsum(ctx, xi, 3, PARCHUNK_INT32, out, PARCHUNK_INT32),
                     PARCHUNK_ERR_DTYPE);
    assert_true(strstr(parchunk_ctx_last_error(ctx), "int32") != NULL);
    /* overlap that is not an exact in-place scan */
    assert_int_equal(parchunk_cumsum(ctx, x, 4, PARCHUNK_FLOAT64, x + 1, PARCHUNK_FLOAT64),
                     PARCHUNK_ERR_ARG);
    assert_int_equal(parchunk_cumsum(ctx, xi, 4, PARCHUNK_INT32, xi, PARCHUNK_INT64),
                     PARCHUNK_ERR_ARG);
    assert_true(x[1] == 2.0 && x[4] == 5.0);
    assert_int_equal(parchunk_cumsum(ctx, xi, SIZE_MAX / 4, PARCHUNK_INT32, out, PARCHUNK_INT64),
                     PARCHUNK_ERR_ARG);
    /* cancellation: out untouched */
    memset(out, 0, sizeof out);
    parchunk_ctx_cancel(ctx);
    assert_int_equal(parchunk_cumsum(ctx, x, 8, PARCHUNK_FLOAT64, out, PARCHUNK_FLOAT64),
                     PARCHUNK_ERR_CANCELLED);
    for (int i = 0; i < 8; i++)
        assert_true(out[i] == 0.0);
    parchunk_ctx_clear_cancel(ctx);
    assert_int_equal(parchunk_cumsum(ctx, x, 8, PARCHUNK_FLOAT64, out, PARCHUNK_FLOAT64),
                     PARCHUNK_OK);
    assert_true(out[7] == 36.0);
    parchunk_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_float64_matches_sequential),
        cmocka_unit_test(test_float_deterministic_across_threads),
        cmocka_unit_test(test_float32_outputs),
        cmocka_unit_test(test_float_nan_inf_propagate),
        cmocka_unit_test(test_float_in_place),
        cmocka_unit_test(test_int_exact_all_dtypes),
        cmocka_unit_test(test_int_overflow_leaves_out_untouched),
        cmocka_unit_test(test_int64_near_limit_exact_fallback),
        cmocka_unit_test(test_int64_small_values_and_edge),
        cmocka_unit_test(test_int_in_place),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
