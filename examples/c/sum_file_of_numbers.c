/*
 * sum_file_of_numbers.c - read decimal numbers (any whitespace between
 * them) from a file or standard input, and print their count, sum, mean,
 * min, max and mean distance from the mean.
 *
 *   sum_file_of_numbers [FILE]        (no FILE or "-": standard input)
 *
 * Shows the usual shape of a parchunk program: one ctx, every status
 * checked, the ctx's last_error printed on failure.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parchunk.h>

/* Reads every number of f into a growing array; returns the count, or
 * (size_t)-1 on a malformed token or an allocation failure. */
static size_t read_numbers(FILE *f, double **out)
{
    size_t n = 0, cap = 1024;
    double *x = malloc(cap * sizeof *x);
    char token[128];
    if (x == NULL)
        return (size_t)-1;
    while (fscanf(f, "%127s", token) == 1) {
        char *end = NULL;
        errno = 0;
        double v = strtod(token, &end);
        if (end == token || *end != '\0' || errno == ERANGE) {
            fprintf(stderr, "not a number: \"%s\"\n", token);
            free(x);
            return (size_t)-1;
        }
        if (n == cap) {
            double *bigger = realloc(x, 2 * cap * sizeof *x);
            if (bigger == NULL) {
                free(x);
                return (size_t)-1;
            }
            x = bigger;
            cap *= 2;
        }
        x[n++] = v;
    }
    *out = x;
    return n;
}

int main(int argc, char **argv)
{
    FILE *f = stdin;
    if (argc > 1 && strcmp(argv[1], "-") != 0) {
        f = fopen(argv[1], "r");
        if (f == NULL) {
            fprintf(stderr, "%s: %s\n", argv[1], strerror(errno));
            return 1;
        }
    }
    double *x = NULL;
    size_t n = read_numbers(f, &x);
    if (f != stdin)
        fclose(f);
    if (n == (size_t)-1)
        return 1;

    parchunk_ctx *ctx = NULL;
    if (parchunk_ctx_new(&ctx) != PARCHUNK_OK) {
        free(x);
        return 1;
    }
    double sum = 0, mean = 0, min = 0, max = 0, mad = 0;
    parchunk_status st = parchunk_sum(ctx, x, n, PARCHUNK_FLOAT64, &sum);
    if (st == PARCHUNK_OK)
        st = parchunk_mean(ctx, x, n, PARCHUNK_FLOAT64, &mean);
    if (st == PARCHUNK_OK)
        st = parchunk_min(ctx, x, n, PARCHUNK_FLOAT64, &min);
    if (st == PARCHUNK_OK)
        st = parchunk_max(ctx, x, n, PARCHUNK_FLOAT64, &max);
    if (st == PARCHUNK_OK)
        st = parchunk_mean_abs_dev(ctx, x, n, PARCHUNK_FLOAT64, mean, &mad);
    if (st == PARCHUNK_ERR_EMPTY) {
        printf("count 0\nsum   0\n"); /* the mean and extremes of nothing are undefined */
        st = PARCHUNK_OK;
    } else if (st == PARCHUNK_OK) {
        printf("count %zu\nsum   %.17g\nmean  %.17g\nmin   %.17g\nmax   %.17g\nmad   %.17g\n", n,
               sum, mean, min, max, mad);
    } else {
        fprintf(stderr, "parchunk: %s (%s)\n", parchunk_status_string(st),
                parchunk_ctx_last_error(ctx));
    }
    parchunk_ctx_free(ctx);
    free(x);
    return st == PARCHUNK_OK ? 0 : 1;
}
