/*
 * test_stats_baseline.c - the statistics kernels (block sums, moments, the
 * fused moments + extremes of parchunk_stats) compiled here for the x86-64
 * baseline only (PC_BASELINE_ONLY: no AVX2 or AVX-512 clones), compared bit
 * for bit with the library, which runs its widest clone on this machine.
 * The clones perform the same additions in the same order, so the bits
 * must agree. test_stats_avx2.c includes this file to do the same with the
 * AVX2 clones (no AVX-512 one).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "test_helpers.h"

#ifdef PC_STATS_TEST_AVX2
#define PC_STATS_NO_AVX512 1
#else
#define PC_BASELINE_ONLY 1
#endif
#include "kernels/reduce/minmax.c"
#include "kernels/reduce/sum.c"
#include "kernels/stats/argext.c"
#include "kernels/stats/fastsum.c"
#include "kernels/stats/moments.c"
#include "kernels/stats/nan.c"

enum { MAXN = 9000 };

static void assert_same_bits(double a, double b, const char *what, size_t n, parchunk_dtype d,
                             int kind)
{
    if (memcmp(&a, &b, sizeof a) != 0)
        fail_msg("%s n=%zu dtype=%d data=%d: kernel %.17g, library %.17g", what, n, (int)d, kind, a,
                 b);
}

/* kind 0: 1e9 + noise; 1: noise around 0 with negative zeros; 2: as 0 with
 * a NaN; 3: as 0 with an inf; 4: as 0 with NaNs for the skipna path. */
static void fill(void *buf, size_t n, parchunk_dtype d, int kind, uint64_t *rng)
{
    for (size_t i = 0; i < n; i++) {
        double v = kind == 0 ? 1e9 + test_rand_unit(rng) : (test_rand_unit(rng) - 0.5) * 1e3;
        if (kind == 1 && i % 7 == 3)
            v = -0.0;
        if (d == PARCHUNK_FLOAT64)
            memcpy((double *)buf + i, &v, sizeof v);
        else {
            float f = (float)v;
            memcpy((float *)buf + i, &f, sizeof f);
        }
    }
    size_t at = n / 2 + 1 < n ? n / 2 + 1 : n - 1;
    double special = kind == 3 ? -INFINITY : NAN;
    if (kind >= 2) {
        for (size_t i = at; i < n; i += (kind == 4 ? 3 : n)) {
            if (d == PARCHUNK_FLOAT64)
                memcpy((double *)buf + i, &special, sizeof special);
            else {
                float f = (float)special;
                memcpy((float *)buf + i, &f, sizeof f);
            }
        }
    }
}

static void test_kernels_equal_library(void **state)
{
    (void)state;
    /* one chunk, one thread: the library's result is one kernel call's */
    parchunk_ctx *ctx = test_ctx(1, 1u << 20, 0);
    static double buf[MAXN];
    uint64_t rng = 33;
    static const size_t lengths[] = {1,    2,    7,    15,   16,   17,   127,  128,  129,
                                     511,  512,  513,  1000, 2047, 2048, 2049, 2063, 4096,
                                     4111, 6143, 6144, 6145, 8191, 8192, MAXN};
    static const parchunk_dtype dtypes[] = {PARCHUNK_FLOAT64, PARCHUNK_FLOAT32};
    for (size_t di = 0; di < 2; di++) {
        parchunk_dtype d = dtypes[di];
        for (size_t li = 0; li < sizeof lengths / sizeof lengths[0]; li++) {
            size_t n = lengths[li];
            for (int kind = 0; kind < 5; kind++) {
                fill(buf, n, d, kind, &rng);
                pc_chunk_stats k;
                double lib = 0.0;
                if (kind == 4) {
                    pc_stats_chunk(buf, n, d, PC_STATS_SKIPNA | PC_STATS_MOMENTS, &k);
                    assert_ok(ctx, parchunk_nanvar(ctx, buf, n, d, 0, &lib));
                    double want = k.count ? k.mom.m2 / (double)k.count : NAN;
                    assert_same_bits(want, lib, "nanvar", n, d, kind);
                    assert_ok(ctx, parchunk_nansum(ctx, buf, n, d, &lib));
                    assert_same_bits(pc_fast_sum_float(buf, n, d, true), lib, "nansum", n, d, kind);
                    continue;
                }
                pc_stats_chunk(buf, n, d, PC_STATS_MOMENTS, &k);
                assert_ok(ctx, parchunk_var(ctx, buf, n, d, 0, &lib));
                assert_same_bits(k.mom.m2 / (double)k.count, lib, "var", n, d, kind);
                assert_ok(ctx, parchunk_sum(ctx, buf, n, d, &lib));
                assert_same_bits(pc_fast_sum_float(buf, n, d, false), lib, "sum", n, d, kind);

                pc_stats_chunk(buf, n, d, PC_STATS_MOMENTS | PC_STATS_MINMAX, &k);
                parchunk_stats_result r;
                assert_ok(ctx, parchunk_stats(ctx, buf, n, d, &r));
                assert_same_bits(k.mom.m2 / (double)k.count, r.var, "stats.var", n, d, kind);
                assert_same_bits(k.sum, r.sum, "stats.sum", n, d, kind);
                double lo = pc_elem_to_double(&k.min, d), hi = pc_elem_to_double(&k.max, d);
                assert_same_bits(lo, r.min, "stats.min", n, d, kind);
                assert_same_bits(hi, r.max, "stats.max", n, d, kind);
                /* the separate extreme kernels (the path of x86-64 without
                 * AVX2) give the same values */
                pc_chunk_stats e;
                pc_stats_chunk(buf, n, d, PC_STATS_MINMAX, &e);
                double elo = pc_elem_to_double(&e.min, d), ehi = pc_elem_to_double(&e.max, d);
                assert_true((elo == lo || (isnan(elo) && isnan(lo))) &&
                            (ehi == hi || (isnan(ehi) && isnan(hi))));
                /* the extremes themselves, against a plain scan */
                double want_lo = INFINITY, want_hi = -INFINITY;
                bool nan = false;
                for (size_t i = 0; i < n; i++) {
                    double v = d == PARCHUNK_FLOAT64 ? buf[i] : (double)((float *)buf)[i];
                    nan |= v != v;
                    want_lo = v < want_lo ? v : want_lo;
                    want_hi = v > want_hi ? v : want_hi;
                }
                if (nan) {
                    assert_true(isnan(r.min) && isnan(r.max) && isnan(r.var));
                } else {
                    assert_true(r.min == want_lo && r.max == want_hi);
                }
            }
        }
    }
    parchunk_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kernels_equal_library),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
