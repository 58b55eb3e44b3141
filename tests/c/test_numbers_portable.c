/*
 * test_numbers_portable.c - read_numbers' parser compiled here without its
 * SSE2 paths (PC_NUMBERS_PORTABLE: what CPUs other than x86-64 run),
 * compared with the library (which runs the SSE2 whole-line fast path on
 * x86-64) on random texts: the same rows, the same status and error place,
 * the same bits.
 */
#define _GNU_SOURCE
/* Before cmocka.h, which defines a macro named fail. */
#define PC_NUMBERS_PORTABLE 1
#include "kernels/text/numbers.c"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "test_helpers.h"

static uint64_t next_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* A field near the fast path's limits (or a near-miss). */
static int field(char *buf, size_t cap, uint64_t *s, bool bad)
{
    static const char *const odd[] = {"9007199254740993",
                                      "-9007199254740992.0",
                                      "1234567890123456",
                                      "12345678901234567",
                                      ".5",
                                      "5.",
                                      "-.5",
                                      "-0",
                                      "+5",
                                      "",
                                      " 7 ",
                                      "inf",
                                      "-nan",
                                      "1e400",
                                      "4.9e-324",
                                      "1E-5",
                                      "0.000000000000001",
                                      "1111111111111111.5",
                                      "\t3",
                                      "1e0005",
                                      "-2E+22",
                                      "3e-23"};
    static const char *const wrong[] = {"1e", "1e+", "1.2.3", "1#2", "--1", "1-2", "0x1"};
    if (bad && next_rand(s) % 1500 == 0)
        return snprintf(buf, cap, "%s", wrong[next_rand(s) % (sizeof wrong / sizeof *wrong)]);
    uint64_t r = next_rand(s);
    switch (r % 8) {
    case 0:
    case 1:
    case 2: {
        double x = (double)(int64_t)(next_rand(s) % 2000001 - 1000000) /
                   pow(10.0, (double)(next_rand(s) % 9));
        return snprintf(buf, cap, "%.10g", x);
    }
    case 3:
        return snprintf(buf, cap, "%.*e", (int)(next_rand(s) % 16),
                        (double)(int64_t)(next_rand(s) % 2000001 - 1000000) *
                            pow(10.0, (double)(int)(next_rand(s) % 61) - 30));
    case 4:
        return snprintf(buf, cap, "%lld.%0*llu", (long long)(next_rand(s) % 2001) - 1000,
                        (int)(next_rand(s) % 14) + 1, (unsigned long long)(next_rand(s) % 1000000));
    case 5: return snprintf(buf, cap, "%s", odd[next_rand(s) % (sizeof odd / sizeof *odd)]);
    default: return snprintf(buf, cap, "%lld", (long long)(next_rand(s) % 20000001) - 10000000);
    }
}

static void compare_once(uint64_t *s, size_t ncols, bool crlf, int comment, bool bad)
{
    enum { ROWS = 400 };
    size_t cap = ROWS * (ncols + 1) * 48 + 64, len = 0;
    char *text = test_malloc(cap + 1);
    for (size_t r = 0; r < ROWS; r++) {
        if (next_rand(s) % 40 == 0)
            len += (size_t)snprintf(text + len, cap - len, "%s", crlf ? " \r\n" : "\n");
        for (size_t c = 0; c < ncols; c++) {
            if (c > 0)
                text[len++] = ',';
            len += (size_t)field(text + len, cap - len, s, bad);
        }
        len += (size_t)snprintf(text + len, cap - len, "%s", crlf ? "\r\n" : "\n");
    }
    if (next_rand(s) % 2)
        len--; /* no newline at the end */
    text[len] = '\n';

    parchunk_ctx *ctx = NULL;
    assert_int_equal(parchunk_ctx_new(&ctx), PARCHUNK_OK);
    parchunk_table *t = NULL;
    parchunk_status want =
        parchunk_bytes_read_numbers(ctx, text, len, ',', 0, NULL, 0, comment, PARCHUNK_FLOAT64, &t);

    int32_t colmap[16];
    for (size_t c = 0; c < ncols; c++)
        colmap[c] = (int32_t)c;
    pc_numbers_spec spec = {.delimiter = ',',
                            .comment = comment,
                            .ncols = ncols,
                            .colmap = colmap,
                            .ncols_out = ncols,
                            .dtype = PARCHUNK_FLOAT64,
                            .c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0)};
    uint64_t lines = 0, row_line = 0;
    size_t first = pc_numbers_first_row_fields((const unsigned char *)text, len, &spec, &row_line);
    if (first > 0) /* the library takes the first row's fields (a comment may cut it) */
        spec.ncols = spec.ncols_out = first;
    uint64_t rows = pc_numbers_count_rows((const unsigned char *)text, len, &spec, &lines);
    double *out = test_malloc((size_t)(rows + 1) * ncols * sizeof(double));
    uint64_t got = 0;
    pc_numbers_error err;
    memset(&err, 0, sizeof err);
    parchunk_status st =
        pc_numbers_parse((const unsigned char *)text, len, &spec, out, rows, &got, &err);
    assert_int_equal(st, want);
    if (st == PARCHUNK_OK) {
        assert_int_equal(got, rows);
        assert_int_equal(parchunk_table_rows(t), rows);
        assert_int_equal(parchunk_table_cols(t), spec.ncols);
        assert_memory_equal(parchunk_table_data(t), out,
                            (size_t)rows * spec.ncols * sizeof(double));
    } else if (st == PARCHUNK_ERR_PARSE || st == PARCHUNK_ERR_SHAPE) {
        char where[64];
        snprintf(where, sizeof where, "line %llu, column %zu:", (unsigned long long)err.line + 1,
                 err.column);
        assert_non_null(strstr(parchunk_ctx_last_error(ctx), where));
    }
    parchunk_table_free(t);
    freelocale(spec.c_locale);
    parchunk_ctx_free(ctx);
    test_free(out);
    test_free(text);
}

static void test_portable_equals_library(void **state)
{
    (void)state;
    uint64_t s = 0x9E3779B97F4A7C15ull;
    static const size_t ncols[] = {1, 2, 4, 9};
    for (int round = 0; round < 60; round++)
        compare_once(&s, ncols[round % 4], round % 3 == 0, round % 5 == 0 ? '#' : -1, round % 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_portable_equals_library),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
