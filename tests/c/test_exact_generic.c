/*
 * test_exact_generic.c - the portable superaccumulator loop, which the
 * library never runs on a machine with AVX2 or BMI2: compiled here alone
 * (PC_XSUM_GENERIC_ONLY) and compared with the library's dispatched path.
 * States are canonical, so both must give byte-identical states, and the
 * rounding must match the library's result.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <math.h>
#include <string.h>

#define PC_XSUM_GENERIC_ONLY 1
#include "kernels/exact/xround.c"
#include "kernels/exact/xsum.c"

static uint64_t rng_state = 0x1234567887654321u;
static uint64_t next_u64(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static void test_generic_equals_library(void **unused)
{
    (void)unused;
    enum { N = 20000 };
    static double x[N];
    static float xf[N];
    static int64_t xi[N];
    for (int trial = 0; trial < 40; trial++) {
        size_t n = (size_t)(next_u64() % N);
        int span = trial % 4 == 0 ? 2046 : trial % 4 == 1 ? 40 : trial % 4 == 2 ? 4 : 300;
        int base = (int)(next_u64() % (uint64_t)(2047 - span)) + 1;
        for (size_t i = 0; i < n; i++) {
            uint64_t e = (uint64_t)(base + (int)(next_u64() % (uint64_t)span));
            uint64_t bits = (next_u64() & 0x800FFFFFFFFFFFFFu) | (e << 52);
            if (next_u64() % 50 == 0)
                bits &= 0x800FFFFFFFFFFFFFu; /* subnormals and zeros */
            memcpy(&x[i], &bits, sizeof bits);
            xf[i] =
                (float)ldexp((double)(next_u64() % 1000) - 500.0, (int)(next_u64() % 200) - 150);
            xi[i] = (int64_t)next_u64();
        }
        if (trial % 10 == 7 && n > 100)
            x[n / 2] = trial % 20 == 7 ? INFINITY : NAN;
        const void *arrays[] = {x, xf, xi};
        parchunk_dtype dts[] = {PARCHUNK_FLOAT64, PARCHUNK_FLOAT32, PARCHUNK_INT64};
        for (int k = 0; k < 3; k++) {
            pc_xsum mine;
            pc_xsum_init(&mine);
            /* uneven pieces: accumulation across calls is exact too */
            size_t cut = n ? (size_t)(next_u64() % n) : 0;
            size_t size = parchunk_dtype_size(dts[k]);
            pc_xsum_add(&mine, arrays[k], cut, dts[k]);
            pc_xsum_add(&mine, (const unsigned char *)arrays[k] + cut * size, n - cut, dts[k]);
            unsigned char lib[PARCHUNK_EXACT_STATE_SIZE];
            assert_int_equal(parchunk_sum_exact_partial(NULL, arrays[k], n, dts[k], lib),
                             PARCHUNK_OK);
            assert_memory_equal(&mine, lib, sizeof mine);
            double a = 1.0, b = 2.0;
            parchunk_status sa = pc_xsum_round_sum(&mine, &a);
            parchunk_status sb = parchunk_sum_exact_finalize(NULL, lib, &b);
            assert_int_equal(sa, sb);
            if (sa == PARCHUNK_OK)
                assert_true(memcmp(&a, &b, sizeof a) == 0 || (isnan(a) && isnan(b)));
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generic_equals_library),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
