/*
 * consumer.c - a program outside the parchunk source tree, built against an
 * INSTALLED parchunk (see CMakeLists.txt and Makefile next to it). It checks
 * a few answers it can compute itself and exits 0 when all agree.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <parchunk.h>

int main(void)
{
    enum { N = 1000000 };
    int64_t *x = malloc(N * sizeof *x);
    if (x == NULL)
        return 1;
    for (int64_t i = 0; i < N; i++)
        x[i] = i + 1; /* 1..N: sum N(N+1)/2, mean (N+1)/2 */

    parchunk_ctx *ctx = NULL;
    if (parchunk_ctx_new(&ctx) != PARCHUNK_OK)
        return 1;
    parchunk_ctx_set_threads(ctx, 2);
    int64_t sum = 0, max = 0;
    double mean = 0.0;
    parchunk_status st = parchunk_sum_i64(ctx, x, N, PARCHUNK_INT64, &sum);
    if (st == PARCHUNK_OK)
        st = parchunk_mean(ctx, x, N, PARCHUNK_INT64, &mean);
    if (st == PARCHUNK_OK)
        st = parchunk_max(ctx, x, N, PARCHUNK_INT64, &max);
    if (st != PARCHUNK_OK) {
        fprintf(stderr, "parchunk: %s (%s)\n", parchunk_status_string(st),
                parchunk_ctx_last_error(ctx));
        return 1;
    }
    int ok = sum == (int64_t)N * (N + 1) / 2 && mean == (N + 1) / 2.0 && max == N &&
             parchunk_abi_version() == PARCHUNK_ABI_VERSION;
    printf("parchunk %s: sum %lld mean %.1f max %lld -> %s\n", parchunk_version_string(),
           (long long)sum, mean, (long long)max, ok ? "ok" : "WRONG");
    parchunk_ctx_free(ctx);
    free(x);
    return ok ? 0 : 1;
}
