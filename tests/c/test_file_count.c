/*
 * test_file_count.c - parchunk_*_count against a naive serial oracle of
 * bytes.count (greedy, non-overlapping), on random data over small
 * alphabets (many self-overlapping matches), with tiny chunk sizes so that
 * needles straddle chunk boundaries at every offset, needles longer than a
 * chunk, every thread count, files and buffers.
 */
#define _GNU_SOURCE
#include "test_file_util.h"

static uint64_t naive_count(const unsigned char *h, size_t n, const unsigned char *needle, size_t m)
{
    uint64_t c = 0;
    for (size_t i = 0; i + m <= n;) {
        if (memcmp(h + i, needle, m) == 0) {
            c++;
            i += m;
        } else {
            i++;
        }
    }
    return c;
}

static void check_all(const unsigned char *h, size_t n, const unsigned char *needle, size_t m,
                      const size_t *chunks, size_t nchunks, const char *path)
{
    uint64_t expect = naive_count(h, n, needle, m);
    for (int t = 0; t < NTHREAD_COUNTS; t++)
        for (size_t c = 0; c < nchunks; c++) {
            parchunk_ctx *ctx = make_ctx(thread_counts[t], chunks[c]);
            uint64_t got = 0;
            assert_int_equal(parchunk_bytes_count(ctx, h, n, needle, m, &got), PARCHUNK_OK);
            if (got != expect)
                fail_msg("n=%zu m=%zu chunk=%zu threads=%d: got %llu expected %llu", n, m,
                         chunks[c], thread_counts[t], (unsigned long long)got,
                         (unsigned long long)expect);
            if (path != NULL) {
                assert_int_equal(parchunk_file_count(ctx, path, needle, m, &got), PARCHUNK_OK);
                assert_int_equal(got, expect);
            }
            parchunk_ctx_free(ctx);
        }
}

/* Periodic data and self-overlapping needles: the carry across boundaries. */
static void test_periodic(void **state)
{
    (void)state;
    unsigned char a[300];
    memset(a, 'a', sizeof a);
    const size_t chunks[] = {1, 2, 3, 4, 5, 7, 8, 13, 17};
    const size_t sizes[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 17, 26, 40};
    for (size_t m = 1; m <= 9; m++)
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
            check_all(a, sizes[s], a, m, chunks, sizeof chunks / sizeof chunks[0], NULL);
    const char *text = "abababababababababaabababababab";
    check_all((const unsigned char *)text, strlen(text), (const unsigned char *)"aba", 3, chunks,
              sizeof chunks / sizeof chunks[0], NULL);
    check_all((const unsigned char *)text, strlen(text), (const unsigned char *)"abab", 4, chunks,
              sizeof chunks / sizeof chunks[0], NULL);
    check_all(a, 300, a, 7, chunks, sizeof chunks / sizeof chunks[0], NULL);
}

/* Random text over {a, b}: needles with and without borders, every needle
 * of length 1..6 over the alphabet at some sizes. */
static void test_random_small_alphabet(void **state)
{
    (void)state;
    enum { N = 301 };
    unsigned char h[N];
    for (size_t i = 0; i < N; i++)
        h[i] = (rng_next() & 3) ? 'a' : 'b';
    const char *path = write_temp(0, h, N);
    const size_t chunks[] = {1, 2, 3, 5, 7, 17, 64, 1000};
    for (size_t m = 1; m <= 6; m++)
        for (unsigned bits = 0; bits<(1u << m); bits += m> 4 ? 3 : 1) {
            unsigned char needle[8];
            for (size_t j = 0; j < m; j++)
                needle[j] = (bits >> j) & 1 ? 'b' : 'a';
            check_all(h, N, needle, m, chunks, sizeof chunks / sizeof chunks[0],
                      m <= 3 ? path : NULL);
        }
    unlink(path);
}

/* Needles longer than the chunk, and longer than the data. */
static void test_long_needles(void **state)
{
    (void)state;
    unsigned char h[500], needle[120];
    for (size_t i = 0; i < sizeof h; i++)
        h[i] = (unsigned char)"xyz"[rng_next() % 3];
    memcpy(needle, h + 37, 40);
    memcpy(h + 300, needle, 40);
    const size_t chunks[] = {1, 3, 7, 17, 39, 40, 41};
    check_all(h, sizeof h, needle, 40, chunks, 7, NULL);
    memset(h, 'q', sizeof h);
    memset(needle, 'q', sizeof needle);
    check_all(h, sizeof h, needle, 120, chunks, 7, NULL);
    check_all(h, 100, needle, 120, chunks, 7, NULL); /* longer than the data: 0 */
}

static void test_count_errors(void **state)
{
    (void)state;
    parchunk_ctx *ctx = make_ctx(2, 0);
    uint64_t got = 77;
    assert_int_equal(parchunk_bytes_count(ctx, "abc", 3, "a", 0, &got), PARCHUNK_ERR_ARG);
    assert_non_null(strstr(parchunk_ctx_last_error(ctx), "empty"));
    assert_int_equal(parchunk_bytes_count(ctx, "abc", 3, NULL, 1, &got), PARCHUNK_ERR_NULL);
    assert_int_equal(parchunk_bytes_count(ctx, "abc", 3, "a", 1, NULL), PARCHUNK_ERR_NULL);
    assert_int_equal(parchunk_file_count(ctx, "/nonexistent/x", "a", 1, &got), PARCHUNK_ERR_IO);
    assert_int_equal(got, 77);
    assert_int_equal(parchunk_bytes_count(ctx, NULL, 0, "a", 1, &got), PARCHUNK_OK);
    assert_int_equal(got, 0);
    parchunk_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_periodic),
        cmocka_unit_test(test_random_small_alphabet),
        cmocka_unit_test(test_long_needles),
        cmocka_unit_test(test_count_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
