/*
 * fuzz_read_numbers.c - libFuzzer harness for read_numbers' parser.
 *
 * Input: byte 0 picks the delimiter, comment and dtype, byte 1 the chunk
 * size (1..64); the rest is the text. Checks:
 *  - no crash, leak or undefined behaviour (ASan + UBSan);
 *  - the chunked parse equals the one-chunk parse (status, error text,
 *    shape and every bit of the values);
 *  - for float64 without comments, every accepted field equals strtod of
 *    the field (the whole field consumed) - an independent oracle.
 */
#define _GNU_SOURCE
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parchunk.h"

static void check(int cond)
{
    if (!cond)
        abort();
}

static int is_blank(unsigned char c, int delim)
{
    return (c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f') && c != delim;
}

/* Splits the text like read_numbers (no comments) and compares each field
 * with strtod. */
static void oracle_float64(const unsigned char *text, size_t n, int delim, const double *vals,
                           size_t rows, size_t cols)
{
    size_t row = 0;
    locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    char field[4096];
    for (size_t s = 0; s < n;) {
        const unsigned char *nl = memchr(text + s, '\n', n - s);
        size_t e = nl ? (size_t)(nl - text) : n, ce = e;
        if (ce > s && text[ce - 1] == '\r')
            ce--;
        int blank = 1;
        for (size_t i = s; i < ce; i++)
            if (!is_blank(text[i], -1))
                blank = 0;
        if (!blank) {
            check(row < rows);
            size_t col = 0, f = s;
            for (;;) {
                size_t fe = f;
                while (fe < ce && text[fe] != delim)
                    fe++;
                size_t a = f, b = fe;
                while (a < b && is_blank(text[a], delim))
                    a++;
                while (b > a && is_blank(text[b - 1], delim))
                    b--;
                double got = vals[row * cols + col];
                if (a == b) {
                    check(got != got); /* NaN */
                } else if (b - a < sizeof field) {
                    memcpy(field, text + a, b - a);
                    field[b - a] = '\0';
                    char *end;
                    double want = strtod_l(field, &end, c);
                    check(end == field + (b - a));
                    check(memcmp(&got, &want, 8) == 0 || (got != got && want != want));
                }
                col++;
                if (fe >= ce)
                    break;
                f = fe + 1;
            }
            check(col == cols);
            row++;
        }
        s = e + 1;
    }
    check(row == rows);
    freelocale(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    static const int delims[] = {',', ';', ' ', '\t'};
    int delim = delims[data[0] & 3];
    int comment = (data[0] >> 2) & 1 ? '#' : -1;
    static const parchunk_dtype dtypes[] = {PARCHUNK_FLOAT64, PARCHUNK_FLOAT32, PARCHUNK_INT64,
                                            PARCHUNK_FLOAT64};
    parchunk_dtype dtype = dtypes[(data[0] >> 3) & 3];
    size_t skip = (data[0] >> 5) & 1;
    size_t chunk = (size_t)(data[1] & 63) + 1;
    const uint8_t *text = data + 2;
    size_t n = size - 2;

    parchunk_ctx *small = NULL, *whole = NULL;
    parchunk_ctx_new(&small);
    parchunk_ctx_new(&whole);
    parchunk_ctx_set_chunk_size(small, chunk);
    parchunk_ctx_set_serial_cutoff(small, 0);
    parchunk_table *a = NULL, *b = NULL;
    parchunk_status sa =
        parchunk_bytes_read_numbers(small, text, n, delim, skip, NULL, 0, comment, dtype, &a);
    parchunk_status sb =
        parchunk_bytes_read_numbers(whole, text, n, delim, skip, NULL, 0, comment, dtype, &b);
    check(sa == sb);
    if (sa == PARCHUNK_OK) {
        size_t rows = parchunk_table_rows(a), cols = parchunk_table_cols(a);
        check(rows == parchunk_table_rows(b) && cols == parchunk_table_cols(b));
        size_t bytes = rows * cols * parchunk_dtype_size(dtype);
        if (bytes > 0)
            check(memcmp(parchunk_table_data(a), parchunk_table_data(b), bytes) == 0);
        if (dtype == PARCHUNK_FLOAT64 && comment < 0 && skip == 0)
            oracle_float64(text, n, delim, parchunk_table_data(a), rows, cols);
    } else {
        check(a == NULL && b == NULL);
        check(strcmp(parchunk_ctx_last_error(small), parchunk_ctx_last_error(whole)) == 0);
    }
    parchunk_table_free(a);
    parchunk_table_free(b);
    parchunk_ctx_free(small);
    parchunk_ctx_free(whole);
    return 0;
}
