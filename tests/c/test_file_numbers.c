/*
 * test_file_numbers.c - read_numbers: known answers from Python's float()
 * (bit patterns), malformed fields, a random grid against a serial strtod
 * oracle with tiny chunk sizes (numbers straddle every boundary), every
 * thread count, CRLF, comments, blank lines, skip_rows, usecols, int64,
 * float32, ragged rows and error line numbers.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>

#include "test_file_util.h"

/* float(s) in Python, as IEEE bits. */
static const struct {
    const char *text;
    uint64_t bits;
} float_vectors[] = {
    {"0", 0x0000000000000000ull},
    {"-0", 0x8000000000000000ull},
    {"1", 0x3ff0000000000000ull},
    {"-1", 0xbff0000000000000ull},
    {"+1.5", 0x3ff8000000000000ull},
    {"  3.25  ", 0x400a000000000000ull},
    {"\t7\t", 0x401c000000000000ull},
    {"1e10", 0x4202a05f20000000ull},
    {"1E-5", 0x3ee4f8b588e368f1ull},
    {"1.e3", 0x408f400000000000ull},
    {".5", 0x3fe0000000000000ull},
    {"-.5e-1", 0xbfa999999999999aull},
    {"123456789012345678901234567890", 0x45f8ee90ff6c373eull},
    {"0.1", 0x3fb999999999999aull},
    {"0.2", 0x3fc999999999999aull},
    {"0.3", 0x3fd3333333333333ull},
    {"2.2250738585072014e-308", 0x0010000000000000ull},
    {"2.2250738585072011e-308", 0x000fffffffffffffull},
    {"4.9e-324", 0x0000000000000001ull},
    {"5e-324", 0x0000000000000001ull},
    {"2.4703282292062327e-324", 0x0000000000000000ull},
    {"2.4703282292062328e-324", 0x0000000000000001ull},
    {"1.7976931348623157e308", 0x7fefffffffffffffull},
    {"1.7976931348623158e308", 0x7fefffffffffffffull},
    {"1.7976931348623159e308", 0x7ff0000000000000ull},
    {"1e400", 0x7ff0000000000000ull},
    {"-1e400", 0xfff0000000000000ull},
    {"1e-400", 0x0000000000000000ull},
    {"9007199254740993", 0x4340000000000000ull},
    {"9007199254740992.5", 0x4340000000000000ull},
    {"0.000000000000000000000000000000000000000000001234", 0x369c2df8da5b6ca8ull},
    {"3."
     "141592653589793238462643383279502884197169399375105820974944592307816406286208998628034825342"
     "117067982148086513282306647093844609550582231725359408128481117450284102701938521105559644622"
     "94895493038196",
     0x400921fb54442d18ull},
    {"inf", 0x7ff0000000000000ull},
    {"-inf", 0xfff0000000000000ull},
    {"+inf", 0x7ff0000000000000ull},
    {"Infinity", 0x7ff0000000000000ull},
    {"-INFINITY", 0xfff0000000000000ull},
    {"iNf", 0x7ff0000000000000ull},
    {"nan", 0x7ff8000000000000ull},
    {"-nan", 0xfff8000000000000ull},
    {"NaN", 0x7ff8000000000000ull},
    {"1e22", 0x4480f0cf064dd592ull},
    {"1e23", 0x44b52d02c7e14af6ull},
    {"8.98846567431158e307", 0x7fe0000000000000ull},
    {"123.456e-2", 0x3ff3c0c1fc8f3238ull},
    {"00000000000000000000012.5000000000000000000000000", 0x4029000000000000ull},
    {"1000000000000000000000000000000000000000000000000000000000000000000000000e-73",
     0x3fb999999999999aull},
    {"2.225073858507201136057409796709131975934819546351645648e-308", 0x000fffffffffffffull},
    {"100000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "00000000000000000000000000000e-400",
     0x3ff0000000000000ull},
    {"0e99999999999", 0x0000000000000000ull},
    {"1e-99999999999", 0x0000000000000000ull},
    {"7.2057594037927933e16", 0x4370000000000000ull},
    {"9007199254740991", 0x433fffffffffffffull},
    {"0.30000000000000004", 0x3fd3333333333334ull},
    {"1.00000000000000011102230246251565404236316680908203125", 0x3ff0000000000000ull},
    {"1.00000000000000011102230246251565404236316680908203124", 0x3ff0000000000000ull},
    {"1.00000000000000011102230246251565404236316680908203126", 0x3ff0000000000001ull},
};
enum { NFLOAT = sizeof float_vectors / sizeof float_vectors[0] };

static uint64_t bits_of(double d)
{
    uint64_t b;
    memcpy(&b, &d, 8);
    return b;
}

/* Reads text with the given settings; returns status and the table. */
static parchunk_status read_text(parchunk_ctx *ctx, const char *text, int delim, size_t skip,
                                 const int64_t *usecols, size_t nuse, int comment,
                                 parchunk_dtype dtype, parchunk_table **out)
{
    return parchunk_bytes_read_numbers(ctx, text, strlen(text), delim, skip, usecols, nuse, comment,
                                       dtype, out);
}

static void test_float_known_answers(void **state)
{
    (void)state;
    /* All vectors as one column: one call, every value checked. */
    size_t cap = 1 << 16, len = 0;
    char *text = malloc(cap);
    for (size_t i = 0; i < NFLOAT; i++)
        len += (size_t)snprintf(text + len, cap - len, "%s\n", float_vectors[i].text);
    for (int t = 0; t < NTHREAD_COUNTS; t++)
        for (size_t chunk = 1; chunk <= 1024; chunk *= 4) {
            parchunk_ctx *ctx = make_ctx(thread_counts[t], chunk);
            parchunk_table *tab = NULL;
            assert_int_equal(read_text(ctx, text, ',', 0, NULL, 0, -1, PARCHUNK_FLOAT64, &tab),
                             PARCHUNK_OK);
            assert_int_equal(parchunk_table_rows(tab), NFLOAT);
            assert_int_equal(parchunk_table_cols(tab), 1);
            assert_int_equal(parchunk_table_dtype(tab), PARCHUNK_FLOAT64);
            const double *d = parchunk_table_data(tab);
            for (size_t i = 0; i < NFLOAT; i++)
                if (bits_of(d[i]) != float_vectors[i].bits)
                    fail_msg("'%s': got %016llx, Python gives %016llx", float_vectors[i].text,
                             (unsigned long long)bits_of(d[i]),
                             (unsigned long long)float_vectors[i].bits);
            parchunk_table_free(tab);
            parchunk_ctx_free(ctx);
        }
    free(text);
}

/* Strings Python's float() rejects. */
static void test_malformed_fields(void **state)
{
    (void)state;
    const char *bad[] = {"abc",    "1.2.3",   "1e",        "e5",  "--1",  "1 2",  "0x10", "1_000",
                         "nan(1)", "infinit", "infinityy", "+",   "-",    ".",    "1e+",  "1d5",
                         "in",     "0x1p3",   "1.5f",      "+-1", "\x01", "1e5.5"};
    parchunk_ctx *ctx = make_ctx(2, 0);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[64];
        snprintf(text, sizeof text, "1,2\n3,%s\n", bad[i]);
        parchunk_table *tab = (parchunk_table *)0x1;
        assert_int_equal(read_text(ctx, text, ',', 0, NULL, 0, -1, PARCHUNK_FLOAT64, &tab),
                         PARCHUNK_ERR_PARSE);
        assert_ptr_equal(tab, (parchunk_table *)0x1); /* untouched */
        if (strncmp(parchunk_ctx_last_error(ctx), "line 2, column 2: ", 18) != 0)
            fail_msg("'%s': %s", bad[i], parchunk_ctx_last_error(ctx));
    }
    parchunk_ctx_free(ctx);
}

/* A random grid in varied formats; oracle: strtod on each field. */
static char *random_grid(size_t rows, size_t cols, double *expect, bool crlf, bool extras)
{
    size_t cap = rows * cols * 40 + rows * 30 + 64, len = 0;
    char *text = malloc(cap);
    for (size_t r = 0; r < rows; r++) {
        if (extras && r % 7 == 3)
            len += (size_t)snprintf(text + len, cap - len, "# a comment line\n   \n");
        for (size_t c = 0; c < cols; c++) {
            char field[40];
            uint64_t x = rng_next();
            double v = (double)(int64_t)x / 9.2233720368547758e18 *
                       pow(10.0, (double)((int)(x % 41) - 20));
            switch (x >> 60) {
            case 0: snprintf(field, sizeof field, "%.17g", v); break;
            case 1: snprintf(field, sizeof field, "%g", v); break;
            case 2: snprintf(field, sizeof field, "%.3e", v); break;
            case 3: snprintf(field, sizeof field, "%lld", (long long)(x % 100000) - 50000); break;
            case 4: snprintf(field, sizeof field, " %.6f ", v); break;
            case 5: snprintf(field, sizeof field, "%.25f", v); break;
            case 6: snprintf(field, sizeof field, "%s", (x & 1) ? "inf" : "-nan"); break;
            default: snprintf(field, sizeof field, "%.15g", v); break;
            }
            expect[r * cols + c] = strtod(field, NULL);
            len += (size_t)snprintf(text + len, cap - len, "%s%s", c ? "," : "", field);
        }
        if (extras && r % 5 == 1)
            len += (size_t)snprintf(text + len, cap - len, " # trailing comment");
        if (r + 1 < rows || r % 2 == 0)
            len += (size_t)snprintf(text + len, cap - len, crlf ? "\r\n" : "\n");
    }
    return text;
}

static void check_table(const parchunk_table *tab, const double *expect, size_t rows, size_t cols)
{
    assert_int_equal(parchunk_table_rows(tab), rows);
    assert_int_equal(parchunk_table_cols(tab), cols);
    const double *d = parchunk_table_data(tab);
    for (size_t i = 0; i < rows * cols; i++)
        if (bits_of(d[i]) != bits_of(expect[i]) && !(isnan(d[i]) && isnan(expect[i])))
            fail_msg("value %zu: got %.17g expected %.17g", i, d[i], expect[i]);
}

static void test_random_grid(void **state)
{
    (void)state;
    uselocale(LC_GLOBAL_LOCALE);
    const size_t rows = 203, cols = 4;
    for (int variant = 0; variant < 3; variant++) {
        double *expect = malloc(rows * cols * sizeof *expect);
        bool crlf = variant == 1, extras = variant == 2;
        char *text = random_grid(rows, cols, expect, crlf, extras);
        const char *path = write_temp(0, text, strlen(text));
        const size_t chunks[] = {1, 2, 3, 5, 7, 11, 13, 16, 17, 100, 4096, 0};
        for (int t = 0; t < NTHREAD_COUNTS; t++)
            for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
                parchunk_ctx *ctx = make_ctx(thread_counts[t], chunks[c]);
                parchunk_table *tab = NULL;
                assert_int_equal(read_text(ctx, text, ',', 0, NULL, 0, extras ? '#' : -1,
                                           PARCHUNK_FLOAT64, &tab),
                                 PARCHUNK_OK);
                check_table(tab, expect, rows, cols);
                parchunk_table_free(tab);
                tab = NULL;
                assert_int_equal(parchunk_file_read_numbers(ctx, path, ',', 0, NULL, 0,
                                                            extras ? '#' : -1, PARCHUNK_FLOAT64,
                                                            &tab),
                                 PARCHUNK_OK);
                check_table(tab, expect, rows, cols);
                uint64_t done = 0, total = 0;
                parchunk_ctx_progress(ctx, &done, &total);
                assert_int_equal(done, total);
                parchunk_table_free(tab);
                parchunk_ctx_free(ctx);
            }
        unlink(path);
        free(text);
        free(expect);
    }
}

static void test_shapes_and_options(void **state)
{
    (void)state;
    parchunk_ctx *ctx = make_ctx(3, 5);
    parchunk_table *tab = NULL;
    /* skip_rows skips a header; usecols picks and reorders, negatives count from the end. */
    const int64_t use[] = {-1, 0};
    assert_int_equal(
        read_text(ctx, "a;b;c\n1;2;3\n4;5;6", ';', 1, use, 2, -1, PARCHUNK_FLOAT64, &tab),
        PARCHUNK_OK);
    assert_int_equal(parchunk_table_rows(tab), 2);
    assert_int_equal(parchunk_table_cols(tab), 2);
    const double *d = parchunk_table_data(tab);
    assert_true(d[0] == 3 && d[1] == 1 && d[2] == 6 && d[3] == 4);
    parchunk_table_free(tab);
    /* empty fields give NaN */
    assert_int_equal(read_text(ctx, "1,,3\n,5,\n", ',', 0, NULL, 0, -1, PARCHUNK_FLOAT64, &tab),
                     PARCHUNK_OK);
    d = parchunk_table_data(tab);
    assert_true(d[0] == 1 && isnan(d[1]) && d[2] == 3 && isnan(d[3]) && d[4] == 5 && isnan(d[5]));
    parchunk_table_free(tab);
    /* empty input, only blanks: 0 rows */
    assert_int_equal(read_text(ctx, "", ',', 0, NULL, 0, -1, PARCHUNK_FLOAT64, &tab), PARCHUNK_OK);
    assert_int_equal(parchunk_table_rows(tab), 0);
    assert_int_equal(parchunk_table_cols(tab), 0);
    parchunk_table_free(tab);
    assert_int_equal(read_text(ctx, "\n  \n#x\n", ',', 5, NULL, 0, '#', PARCHUNK_FLOAT64, &tab),
                     PARCHUNK_OK);
    assert_int_equal(parchunk_table_rows(tab), 0);
    parchunk_table_free(tab);
    /* one byte, no newline */
    assert_int_equal(read_text(ctx, "7", ',', 0, NULL, 0, -1, PARCHUNK_FLOAT64, &tab), PARCHUNK_OK);
    assert_int_equal(parchunk_table_rows(tab), 1);
    assert_true(((const double *)parchunk_table_data(tab))[0] == 7.0);
    parchunk_table_free(tab);
    /* tab and space delimiters */
    assert_int_equal(read_text(ctx, "1\t2\n3\t4\n", '\t', 0, NULL, 0, -1, PARCHUNK_FLOAT64, &tab),
                     PARCHUNK_OK);
    assert_int_equal(parchunk_table_cols(tab), 2);
    parchunk_table_free(tab);
    assert_int_equal(read_text(ctx, "1 2\r\n3 4\r\n", ' ', 0, NULL, 0, -1, PARCHUNK_FLOAT64, &tab),
                     PARCHUNK_OK);
    d = parchunk_table_data(tab);
    assert_true(d[0] == 1 && d[1] == 2 && d[2] == 3 && d[3] == 4);
    parchunk_table_free(tab);
    parchunk_ctx_free(ctx);
}

static void test_int64_and_float32(void **state)
{
    (void)state;
    parchunk_ctx *ctx = make_ctx(2, 3);
    parchunk_table *tab = NULL;
    assert_int_equal(read_text(ctx, "9223372036854775807,-9223372036854775808\n +5 ,-0\n", ',', 0,
                               NULL, 0, -1, PARCHUNK_INT64, &tab),
                     PARCHUNK_OK);
    const int64_t *v = parchunk_table_data(tab);
    assert_true(v[0] == INT64_MAX && v[1] == INT64_MIN && v[2] == 5 && v[3] == 0);
    parchunk_table_free(tab);
    tab = (parchunk_table *)0x1;
    assert_int_equal(
        read_text(ctx, "1,2\n3,9223372036854775808\n", ',', 0, NULL, 0, -1, PARCHUNK_INT64, &tab),
        PARCHUNK_ERR_OVERFLOW);
    assert_string_equal(parchunk_ctx_last_error(ctx),
                        "line 2, column 2: integer outside int64: '9223372036854775808'");
    assert_int_equal(read_text(ctx, "1,\n", ',', 0, NULL, 0, -1, PARCHUNK_INT64, &tab),
                     PARCHUNK_ERR_PARSE);
    assert_int_equal(read_text(ctx, "1.5\n", ',', 0, NULL, 0, -1, PARCHUNK_INT64, &tab),
                     PARCHUNK_ERR_PARSE);
    assert_ptr_equal(tab, (parchunk_table *)0x1);
    assert_int_equal(
        read_text(ctx, "0.1,3.4028235e38,1e-46\n", ',', 0, NULL, 0, -1, PARCHUNK_FLOAT32, &tab),
        PARCHUNK_OK);
    const float *f = parchunk_table_data(tab);
    assert_true(f[0] == 0.1f && f[1] == 3.4028235e38f && f[2] == 0.0f);
    parchunk_table_free(tab);
    parchunk_ctx_free(ctx);
}

/* The first bad line is reported, whatever the threads and chunks. */
static void test_error_lines(void **state)
{
    (void)state;
    size_t cap = 200000, len = 0;
    char *text = malloc(cap);
    len += (size_t)snprintf(text + len, cap - len, "header\n");
    for (int r = 0; r < 3000; r++)
        len += (size_t)snprintf(text + len, cap - len, "%d.5,%d\n", r, r * 3);
    /* line 1 header, lines 2..3001 rows: spoil lines 2500 and 1700 (1-based) */
    char *p = text;
    for (int line = 1; line < 1700; line++)
        p = strchr(p, '\n') + 1;
    p[0] = 'x';
    char *q = text;
    for (int line = 1; line < 2500; line++)
        q = strchr(q, '\n') + 1;
    q[0] = 'y';
    for (int t = 0; t < NTHREAD_COUNTS; t++)
        for (size_t chunk = 7; chunk < 100000; chunk *= 9) {
            parchunk_ctx *ctx = make_ctx(thread_counts[t], chunk);
            parchunk_table *tab = NULL;
            assert_int_equal(read_text(ctx, text, ',', 1, NULL, 0, -1, PARCHUNK_FLOAT64, &tab),
                             PARCHUNK_ERR_PARSE);
            assert_string_equal(parchunk_ctx_last_error(ctx),
                                "line 1700, column 1: not a number: 'x698.5'");
            parchunk_ctx_free(ctx);
        }
    /* ragged: line 3 */
    parchunk_ctx *ctx = make_ctx(2, 4);
    parchunk_table *tab = NULL;
    assert_int_equal(
        read_text(ctx, "1,2\n3,4\n5\n6,7,8\n", ',', 0, NULL, 0, -1, PARCHUNK_FLOAT64, &tab),
        PARCHUNK_ERR_SHAPE);
    assert_non_null(strstr(parchunk_ctx_last_error(ctx), "line 3,"));
    assert_int_equal(read_text(ctx, "1,2\n3,4,5\n", ',', 0, NULL, 0, -1, PARCHUNK_FLOAT64, &tab),
                     PARCHUNK_ERR_SHAPE);
    assert_non_null(strstr(parchunk_ctx_last_error(ctx), "line 2,"));
    /* argument errors */
    assert_int_equal(read_text(ctx, "1\n", '5', 0, NULL, 0, -1, PARCHUNK_FLOAT64, &tab),
                     PARCHUNK_ERR_ARG);
    assert_int_equal(read_text(ctx, "1\n", ',', 0, NULL, 0, ',', PARCHUNK_FLOAT64, &tab),
                     PARCHUNK_ERR_ARG);
    assert_int_equal(read_text(ctx, "1\n", ',', 0, NULL, 0, -1, PARCHUNK_INT8, &tab),
                     PARCHUNK_ERR_DTYPE);
    const int64_t bad_use[] = {2};
    assert_int_equal(read_text(ctx, "1,2\n", ',', 0, bad_use, 1, -1, PARCHUNK_FLOAT64, &tab),
                     PARCHUNK_ERR_ARG);
    const int64_t dup_use[] = {0, -2};
    assert_int_equal(read_text(ctx, "1,2\n", ',', 0, dup_use, 2, -1, PARCHUNK_FLOAT64, &tab),
                     PARCHUNK_ERR_ARG);
    assert_int_equal(parchunk_file_read_numbers(ctx, "/nonexistent/x.csv", ',', 0, NULL, 0, -1,
                                                PARCHUNK_FLOAT64, &tab),
                     PARCHUNK_ERR_IO);
    assert_null(tab);
    parchunk_ctx_free(ctx);
    free(text);
}

typedef struct flipper {
    const char *path;
    size_t size;
    atomic_int stop;
} flipper;

/* Rewrites the file in place, same size, alternating 3 rows and 1 row per
 * 6 bytes. */
static void *flip_rows(void *arg)
{
    flipper *f = arg;
    int fd = open(f->path, O_WRONLY);
    assert_true(fd >= 0);
    char *a = malloc(f->size), *b = malloc(f->size);
    for (size_t i = 0; i < f->size; i += 6) {
        memcpy(a + i, "1\n2\n3\n", 6);
        memcpy(b + i, "1\n\n\n\n\n", 6);
    }
    for (int i = 0; !atomic_load(&f->stop); i++)
        assert_int_equal(pwrite(fd, i & 1 ? a : b, f->size, 0), (ssize_t)f->size);
    close(fd);
    free(a);
    free(b);
    return NULL;
}

/* The file changes between the two passes: an error or a table, never a
 * write past the table (ASan checks this lane). */
static void test_changed_between_passes(void **state)
{
    (void)state;
    const size_t size = 6 << 16;
    char *text = malloc(size);
    for (size_t i = 0; i < size; i += 6)
        memcpy(text + i, "1\n2\n3\n", 6);
    const char *path = write_temp(1, text, size);
    flipper f = {path, size, 0};
    pthread_t th;
    pthread_create(&th, NULL, flip_rows, &f);
    parchunk_ctx *ctx = make_ctx(2, 4096);
    int changed = 0;
    for (int i = 0; i < 30; i++) {
        parchunk_table *tab = NULL;
        parchunk_status st =
            parchunk_file_read_numbers(ctx, path, ',', 0, NULL, 0, -1, PARCHUNK_FLOAT64, &tab);
        assert_true(st == PARCHUNK_OK || st == PARCHUNK_ERR_CHANGED);
        if (st == PARCHUNK_ERR_CHANGED) {
            assert_non_null(strstr(parchunk_ctx_last_error(ctx), "changed"));
            changed++;
        }
        parchunk_table_free(tab);
    }
    atomic_store(&f.stop, 1);
    pthread_join(th, NULL);
    print_message("%d of 30 reads saw the change\n", changed);
    parchunk_ctx_free(ctx);
    unlink(path);
    free(text);
}

/* Buffers allocated to their exact size, ending with and without '\n': no
 * read past the caller's memory (the ASan lane turns one into a failure). */
static void test_exact_size_buffers(void **state)
{
    (void)state;
    const char *texts[] = {"40\n\n40\n", "12345678901234567,2\n3,4.123456789012\n",
                           "1\n", "1", "123456789.123456789", "-0.5e-3,7\r\n",
                           "1,2\n3,4\n5,123456789012345678901\n"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        for (size_t chunk = 1; chunk <= 9; chunk += 4) {
            size_t n = strlen(texts[i]);
            char *exact = malloc(n);
            memcpy(exact, texts[i], n);
            parchunk_ctx *ctx = make_ctx(2, chunk);
            parchunk_table *tab = NULL;
            assert_int_equal(parchunk_bytes_read_numbers(ctx, exact, n, ',', 0, NULL, 0, -1,
                                                         PARCHUNK_FLOAT64, &tab),
                             PARCHUNK_OK);
            const double *d = parchunk_table_data(tab);
            assert_true(d[0] == strtod(texts[i], NULL));
            parchunk_table_free(tab);
            parchunk_ctx_free(ctx);
            free(exact);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_float_known_answers),
        cmocka_unit_test(test_malformed_fields),
        cmocka_unit_test(test_random_grid),
        cmocka_unit_test(test_shapes_and_options),
        cmocka_unit_test(test_int64_and_float32),
        cmocka_unit_test(test_error_lines),
        cmocka_unit_test(test_changed_between_passes),
        cmocka_unit_test(test_exact_size_buffers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
