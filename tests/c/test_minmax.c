/*
 * test_minmax.c - the min/max kernels' vector paths against a serial
 * reference: lengths around every lane and unroll boundary, the extreme
 * and a NaN at every position, infinities, all ten dtypes. The x86-64
 * baseline variant, which the library never runs on an AVX2 machine, is
 * compiled here alone (PC_BASELINE_ONLY) and must give the same
 * values as the library's dispatched path (parchunk_min / parchunk_max).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "test_helpers.h"

#define PC_BASELINE_ONLY 1
#include "kernels/reduce/minmax.c"

enum { MAXN = 300 };

static const parchunk_dtype all_dtypes[] = {
    PARCHUNK_INT8,   PARCHUNK_UINT8, PARCHUNK_INT16,  PARCHUNK_UINT16,  PARCHUNK_INT32,
    PARCHUNK_UINT32, PARCHUNK_INT64, PARCHUNK_UINT64, PARCHUNK_FLOAT32, PARCHUNK_FLOAT64};

/* Element i of buf as a long double (exact for every dtype's values here). */
static long double get(const void *buf, size_t i, parchunk_dtype d)
{
    const unsigned char *p = (const unsigned char *)buf + i * parchunk_dtype_size(d);
    switch (d) {
#define GET(D, T)                                                                                  \
    case D: {                                                                                      \
        T v;                                                                                       \
        memcpy(&v, p, sizeof v);                                                                   \
        return (long double)v;                                                                     \
    }
        GET(PARCHUNK_INT8, int8_t)
        GET(PARCHUNK_UINT8, uint8_t)
        GET(PARCHUNK_INT16, int16_t)
        GET(PARCHUNK_UINT16, uint16_t)
        GET(PARCHUNK_INT32, int32_t)
        GET(PARCHUNK_UINT32, uint32_t)
        GET(PARCHUNK_INT64, int64_t)
        GET(PARCHUNK_UINT64, uint64_t)
        GET(PARCHUNK_FLOAT32, float)
        GET(PARCHUNK_FLOAT64, double)
#undef GET
    default: return 0;
    }
}

/* Random bits for integers; for floats values in [-1e6, 1e6). */
static void fill(void *buf, size_t n, parchunk_dtype d, uint64_t *rng)
{
    size_t size = parchunk_dtype_size(d);
    for (size_t i = 0; i < n; i++) {
        uint64_t r = test_rand(rng);
        unsigned char *p = (unsigned char *)buf + i * size;
        if (d == PARCHUNK_FLOAT64) {
            double v = test_rand_unit(rng) * 1e6;
            memcpy(p, &v, sizeof v);
        } else if (d == PARCHUNK_FLOAT32) {
            float v = (float)(test_rand_unit(rng) * 1e6);
            memcpy(p, &v, sizeof v);
        } else {
            memcpy(p, &r, size);
        }
    }
}

static void put_float(void *buf, size_t i, parchunk_dtype d, double v)
{
    if (d == PARCHUNK_FLOAT64)
        memcpy((double *)buf + i, &v, sizeof v);
    else {
        float f = (float)v;
        memcpy((float *)buf + i, &f, sizeof f);
    }
}

/* The three answers for one buffer: reference, baseline kernel, library. */
static void check(parchunk_ctx *ctx, const void *buf, size_t n, parchunk_dtype d)
{
    int is_float = d == PARCHUNK_FLOAT32 || d == PARCHUNK_FLOAT64;
    long double lo = get(buf, 0, d), hi = lo;
    int nan = 0;
    for (size_t i = 0; i < n; i++) {
        long double v = get(buf, i, d);
        nan |= isnan(v);
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
    }
    unsigned char base_min[8], base_max[8], lib_min[8], lib_max[8];
    pc_min(buf, n, d, base_min);
    pc_max(buf, n, d, base_max);
    assert_ok(ctx, parchunk_min(ctx, buf, n, d, lib_min));
    assert_ok(ctx, parchunk_max(ctx, buf, n, d, lib_max));
    long double got[4] = {get(base_min, 0, d), get(base_max, 0, d), get(lib_min, 0, d),
                          get(lib_max, 0, d)};
    for (int k = 0; k < 4; k++) {
        if (is_float && nan) {
            if (!isnan(got[k]))
                fail_msg("n=%zu dtype=%d: result %d is %Lg, expected NaN", n, (int)d, k, got[k]);
        } else if (got[k] != (k % 2 == 0 ? lo : hi)) {
            fail_msg("n=%zu dtype=%d: result %d is %Lg, expected %Lg", n, (int)d, k, got[k],
                     k % 2 == 0 ? lo : hi);
        }
    }
}

static void test_random_lengths(void **state)
{
    (void)state;
    parchunk_ctx *ctx = test_ctx(1, 0, 0);
    static unsigned char buf[MAXN * 8];
    uint64_t rng = 11;
    for (size_t k = 0; k < sizeof all_dtypes / sizeof all_dtypes[0]; k++)
        for (size_t n = 1; n <= 140; n++)
            for (int rep = 0; rep < 3; rep++) {
                fill(buf, n, all_dtypes[k], &rng);
                check(ctx, buf, n, all_dtypes[k]);
            }
    parchunk_ctx_free(ctx);
}

/* A unique extreme, then a NaN, then +-inf at every position. */
static void test_every_position(void **state)
{
    (void)state;
    parchunk_ctx *ctx = test_ctx(1, 0, 0);
    static unsigned char buf[MAXN * 8];
    uint64_t rng = 12;
    static const size_t lengths[] = {1, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, MAXN};
    for (size_t k = 0; k < sizeof all_dtypes / sizeof all_dtypes[0]; k++) {
        parchunk_dtype d = all_dtypes[k];
        int is_float = d == PARCHUNK_FLOAT32 || d == PARCHUNK_FLOAT64;
        for (size_t li = 0; li < sizeof lengths / sizeof lengths[0]; li++) {
            size_t n = lengths[li];
            for (size_t pos = 0; pos < n; pos++) {
                fill(buf, n, d, &rng);
                if (is_float) {
                    put_float(buf, pos, d, 1e30);
                    check(ctx, buf, n, d);
                    put_float(buf, pos, d, -1e30);
                    check(ctx, buf, n, d);
                    put_float(buf, pos, d, NAN);
                    check(ctx, buf, n, d);
                    put_float(buf, pos, d, INFINITY);
                    check(ctx, buf, n, d);
                    put_float(buf, pos, d, -INFINITY);
                    check(ctx, buf, n, d);
                } else {
                    size_t size = parchunk_dtype_size(d);
                    memset(buf + pos * size, 0x7f, size); /* near the top */
                    check(ctx, buf, n, d);
                    memset(buf + pos * size, 0x80, size); /* the bottom (signed) */
                    check(ctx, buf, n, d);
                }
            }
        }
    }
    parchunk_ctx_free(ctx);
}

/* Every element NaN, and all-equal inputs. */
static void test_uniform_inputs(void **state)
{
    (void)state;
    parchunk_ctx *ctx = test_ctx(2, 0, 0);
    static double d64[MAXN];
    static float d32[MAXN];
    for (size_t i = 0; i < MAXN; i++) {
        d64[i] = NAN;
        d32[i] = NAN;
    }
    check(ctx, d64, MAXN, PARCHUNK_FLOAT64);
    check(ctx, d32, MAXN, PARCHUNK_FLOAT32);
    for (size_t i = 0; i < MAXN; i++) {
        d64[i] = -3.5;
        d32[i] = 2.25f;
    }
    check(ctx, d64, MAXN, PARCHUNK_FLOAT64);
    check(ctx, d32, MAXN, PARCHUNK_FLOAT32);
    parchunk_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_lengths),
        cmocka_unit_test(test_every_position),
        cmocka_unit_test(test_uniform_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
