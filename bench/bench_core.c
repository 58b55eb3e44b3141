/*
 * bench_core.c - throughput of the core reductions against the machine's
 * memory read bandwidth, measured side by side in one run.
 *
 *   bench_core [n] [runs]          defaults: n = 100,000,000 float64, runs = 5
 *
 * For 1 thread and for all threads it prints, as medians of `runs` timings:
 *   probe   an OpenMP read loop over the same array, eight SIMD accumulators
 *           per thread (what a summing kernel could reach at best)
 *   sum     parchunk_sum
 *   mad     parchunk_mean_abs_dev
 * in GB/s of input read, then sum/probe (target >= 0.85 at all threads) and
 * mad/sum (target >= 0.90).
 */
#define _GNU_SOURCE
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <parchunk.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *t, int runs)
{
    qsort(t, (size_t)runs, sizeof *t, cmp_double);
    return runs % 2 ? t[runs / 2] : 0.5 * (t[runs / 2 - 1] + t[runs / 2]);
}

static void cpu_model(char *buf, size_t size)
{
    snprintf(buf, size, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (f == NULL)
        return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "model name", 10) == 0) {
            char *colon = strchr(line, ':');
            if (colon) {
                snprintf(buf, size, "%s", colon + 2);
                buf[strcspn(buf, "\n")] = '\0';
            }
            break;
        }
    }
    fclose(f);
}

/* The bandwidth probe: each thread reads a contiguous block into eight
 * independent SIMD accumulators (GCC vector extensions, so it is SIMD at the
 * x86-64 baseline whatever the auto-vectoriser decides; no latency chain).
 * The result is kept so the loop cannot be dropped. */
typedef double v2d __attribute__((vector_size(16)));

static double probe_read(const double *x, size_t n, int threads)
{
    double total = 0.0;
#pragma omp parallel num_threads(threads) reduction(+ : total)
    {
        int t = omp_get_thread_num(), nt = omp_get_num_threads();
        size_t begin = n * (size_t)t / (size_t)nt, end = n * (size_t)(t + 1) / (size_t)nt;
        v2d a[8];
        memset(a, 0, sizeof a);
        size_t i = begin;
        for (; i + 16 <= end; i += 16)
            for (int j = 0; j < 8; j++) {
                v2d v;
                memcpy(&v, x + i + 2 * j, sizeof v);
                a[j] += v;
            }
        double rest = 0.0;
        for (; i < end; i++)
            rest += x[i];
        v2d s = ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));
        total += s[0] + s[1] + rest;
    }
    return total;
}

enum { PROBE, SUM, MAD, NKINDS };
static const char *kind_names[NKINDS] = {"probe", "sum", "mad"};

static volatile double sink;

/* Median seconds of one kind at `threads`. */
static double time_kind(int kind, parchunk_ctx *ctx, const double *x, size_t n, int threads,
                        int runs)
{
    double t[64];
    for (int r = 0; r < runs; r++) {
        double out = 0.0, t0 = now();
        parchunk_status st = PARCHUNK_OK;
        if (kind == PROBE)
            out = probe_read(x, n, threads);
        else if (kind == SUM)
            st = parchunk_sum(ctx, x, n, PARCHUNK_FLOAT64, &out);
        else
            st = parchunk_mean_abs_dev(ctx, x, n, PARCHUNK_FLOAT64, 0.5, &out);
        t[r] = now() - t0;
        if (st != PARCHUNK_OK) {
            fprintf(stderr, "%s failed: %s (%s)\n", kind_names[kind], parchunk_status_string(st),
                    parchunk_ctx_last_error(ctx));
            exit(1);
        }
        sink = out;
    }
    return median(t, runs);
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? (size_t)strtod(argv[1], NULL) : 100000000;
    int runs = argc > 2 ? atoi(argv[2]) : 5;
    if (n == 0 || runs < 1 || runs > 64) {
        fprintf(stderr, "usage: %s [n] [runs 1..64]\n", argv[0]);
        return 2;
    }
    int all = parchunk_ctx_get_threads(NULL);
    char model[256];
    cpu_model(model, sizeof model);
    printf("machine: %s; %ld online CPUs; parchunk default threads %d; parchunk %s\n", model,
           sysconf(_SC_NPROCESSORS_ONLN), all, parchunk_version_string());
    printf("input: %zu float64 (%.0f MB), median of %d runs\n", n, (double)n * 8 / 1e6, runs);

    double *x = malloc(n * sizeof *x);
    if (x == NULL) {
        fprintf(stderr, "cannot allocate %zu doubles\n", n);
        return 1;
    }
    /* first touch in parallel, with the same static split as the probe */
#pragma omp parallel for schedule(static) num_threads(all)
    for (size_t i = 0; i < n; i++)
        x[i] = (double)(i % 1000) * 0.001;

    int thread_counts[2] = {1, all};
    int nconf = all > 1 ? 2 : 1;
    double gbs[2][NKINDS];
    printf("\n%8s %10s %10s %10s %10s %10s\n", "threads", "probe GB/s", "sum GB/s", "mad GB/s",
           "sum/probe", "mad/sum");
    for (int c = 0; c < nconf; c++) {
        int threads = thread_counts[c];
        parchunk_ctx *ctx = NULL;
        if (parchunk_ctx_new(&ctx) != PARCHUNK_OK || parchunk_ctx_set_threads(ctx, threads))
            return 1;
        /* warm-up: pages mapped, thread pool started */
        time_kind(PROBE, ctx, x, n, threads, 1);
        time_kind(SUM, ctx, x, n, threads, 1);
        for (int k = 0; k < NKINDS; k++)
            gbs[c][k] = (double)n * sizeof(double) / time_kind(k, ctx, x, n, threads, runs) / 1e9;
        printf("%8d %10.2f %10.2f %10.2f %10.3f %10.3f\n", threads, gbs[c][PROBE], gbs[c][SUM],
               gbs[c][MAD], gbs[c][SUM] / gbs[c][PROBE], gbs[c][MAD] / gbs[c][SUM]);
        parchunk_ctx_free(ctx);
    }
    int last = nconf - 1;
    printf("\ntargets at %d threads: sum/probe %.3f (>= 0.85: %s), mad/sum %.3f (>= 0.90: %s)\n",
           thread_counts[last], gbs[last][SUM] / gbs[last][PROBE],
           gbs[last][SUM] / gbs[last][PROBE] >= 0.85 ? "met" : "NOT met",
           gbs[last][MAD] / gbs[last][SUM],
           gbs[last][MAD] / gbs[last][SUM] >= 0.90 ? "met" : "NOT met");
    free(x);
    return 0;
}
