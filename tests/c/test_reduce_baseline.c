/*
 * test_reduce_baseline.c - the pairwise sums (sum, mean_abs_dev) and the
 * exact integer sums compiled here for the x86-64 baseline only
 * (PC_BASELINE_ONLY: no AVX2 clones), compared bit for bit with the
 * library, which runs its AVX2 clones on a machine that has AVX2. The clones
 * perform the same additions in the same order, so the bits must agree.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "test_helpers.h"

#define PC_BASELINE_ONLY 1
#include "kernels/reduce/absdev.c"
#include "kernels/reduce/sum.c"

enum { MAXN = 5000 };

static const parchunk_dtype all_dtypes[] = {
    PARCHUNK_INT8,   PARCHUNK_UINT8, PARCHUNK_INT16,  PARCHUNK_UINT16,  PARCHUNK_INT32,
    PARCHUNK_UINT32, PARCHUNK_INT64, PARCHUNK_UINT64, PARCHUNK_FLOAT32, PARCHUNK_FLOAT64};

static void fill(void *buf, size_t n, parchunk_dtype d, uint64_t *rng)
{
    size_t size = parchunk_dtype_size(d);
    for (size_t i = 0; i < n; i++) {
        unsigned char *p = (unsigned char *)buf + i * size;
        if (d == PARCHUNK_FLOAT64) {
            double v = test_rand_unit(rng) * 1e3;
            memcpy(p, &v, sizeof v);
        } else if (d == PARCHUNK_FLOAT32) {
            float v = (float)(test_rand_unit(rng) * 1e3);
            memcpy(p, &v, sizeof v);
        } else {
            uint64_t r = test_rand(rng);
            memcpy(p, &r, size);
        }
    }
}

static void assert_same_bits(double a, double b, const char *what, size_t n, parchunk_dtype d)
{
    if (memcmp(&a, &b, sizeof a) != 0)
        fail_msg("%s n=%zu dtype=%d: baseline %.17g, library %.17g", what, n, (int)d, a, b);
}

static void test_baseline_equals_library(void **state)
{
    (void)state;
    /* one chunk, one thread: the library's result is the kernel's */
    parchunk_ctx *ctx = test_ctx(1, 1u << 20, 0);
    static unsigned char buf[MAXN * 8];
    uint64_t rng = 21;
    static const size_t lengths[] = {1,   2,   7,   8,   9,    15,   16,   17,   127,  128,
                                     129, 255, 256, 257, 1000, 1023, 1024, 1025, 4095, MAXN};
    static const double centers[] = {0.0, 50.0, -3.25, 1e9, -2147483648.0, 4294967295.0};
    for (size_t k = 0; k < sizeof all_dtypes / sizeof all_dtypes[0]; k++) {
        parchunk_dtype d = all_dtypes[k];
        for (size_t li = 0; li < sizeof lengths / sizeof lengths[0]; li++) {
            size_t n = lengths[li];
            fill(buf, n, d, &rng);
            for (size_t ci = 0; ci < sizeof centers / sizeof centers[0]; ci++) {
                double lib = 0.0;
                assert_ok(ctx, parchunk_mean_abs_dev(ctx, buf, n, d, centers[ci], &lib));
                assert_same_bits(pc_sum_absdev(buf, n, d, centers[ci]) / (double)n, lib,
                                 "mean_abs_dev", n, d);
            }
            if (pc_dtype_is_float(d)) {
                double lib = 0.0;
                assert_ok(ctx, parchunk_sum(ctx, buf, n, d, &lib));
                assert_same_bits(pc_sum_float(buf, n, d), lib, "sum", n, d);
            } else {
                int64_t hi = 0;
                uint64_t lo = 0;
                assert_ok(ctx, parchunk_sum_int(ctx, buf, n, d, &hi, &lo));
                pc_i128 want = pc_sum_int(buf, n, d);
                assert_true(hi == (int64_t)(want >> 64));
                assert_true(lo == (uint64_t)want);
            }
        }
    }
    parchunk_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_baseline_equals_library),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
