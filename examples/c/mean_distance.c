/*
 * mean_distance.c - a small real use of parchunk: draw n random integers in
 * [0, 100], then ask how far they lie from 50 on average (mean absolute
 * deviation) and what they add up to, exactly (the 128-bit sum API).
 *
 *   mean_distance [n] [threads]      defaults: n = 10,000,000, threads = all
 *
 * For a uniform draw over 0..100 the mean distance from 50 is 2550/101 =
 * 25.247..., and the mean is 50; the program checks both loosely and the
 * exact sum strictly (against a plain loop).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <parchunk.h>

/* xorshift64*: small, fast, and deterministic. */
static uint64_t next_random(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * UINT64_C(2685821657736338717);
}

static int report(parchunk_ctx *ctx, const char *what, parchunk_status st)
{
    fprintf(stderr, "%s failed: %s (%s)\n", what, parchunk_status_string(st),
            parchunk_ctx_last_error(ctx));
    return 1;
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 10000000;
    int threads = argc > 2 ? atoi(argv[2]) : 0;
    if (n == 0) {
        fprintf(stderr, "usage: %s [n > 0] [threads]\n", argv[0]);
        return 2;
    }

    int32_t *values = malloc(n * sizeof *values);
    if (values == NULL) {
        fprintf(stderr, "cannot allocate %zu values\n", n);
        return 1;
    }
    uint64_t seed = 88172645463325252u;
    int64_t loop_sum = 0;
    for (size_t i = 0; i < n; i++) {
        values[i] = (int32_t)(next_random(&seed) % 101);
        loop_sum += values[i];
    }

    parchunk_ctx *ctx = NULL;
    parchunk_status st = parchunk_ctx_new(&ctx);
    if (st != PARCHUNK_OK)
        return report(NULL, "parchunk_ctx_new", st);
    st = parchunk_ctx_set_threads(ctx, threads);
    if (st != PARCHUNK_OK)
        return report(ctx, "parchunk_ctx_set_threads", st);

    double mad = 0.0, mean = 0.0;
    int64_t hi = 0;
    uint64_t lo = 0;
    if ((st = parchunk_mean_abs_dev(ctx, values, n, PARCHUNK_INT32, 50.0, &mad)) != PARCHUNK_OK)
        return report(ctx, "parchunk_mean_abs_dev", st);
    if ((st = parchunk_mean(ctx, values, n, PARCHUNK_INT32, &mean)) != PARCHUNK_OK)
        return report(ctx, "parchunk_mean", st);
    if ((st = parchunk_sum_int(ctx, values, n, PARCHUNK_INT32, &hi, &lo)) != PARCHUNK_OK)
        return report(ctx, "parchunk_sum_int", st);

    printf("parchunk %s, %d threads\n", parchunk_version_string(), parchunk_ctx_get_threads(ctx));
    printf("n                    %zu\n", n);
    printf("mean                 %.6f   (expected about 50)\n", mean);
    printf("mean distance to 50  %.6f   (expected about %.6f)\n", mad, 2550.0 / 101.0);
    printf("exact sum            hi=%lld lo=%llu\n", (long long)hi, (unsigned long long)lo);

    int ok = hi == 0 && lo == (uint64_t)loop_sum;
    /* loose statistical checks: only meaningful for large n */
    if (n >= 100000)
        ok = ok && fabs(mean - 50.0) < 1.0 && fabs(mad - 2550.0 / 101.0) < 1.0;
    printf("%s\n", ok ? "ok" : "MISMATCH");
    parchunk_ctx_free(ctx);
    free(values);
    return ok ? 0 : 1;
}
