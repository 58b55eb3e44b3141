/*
 * test_file_scan.c - count_lines, byte_histogram and crc32 on buffers and
 * files: known answers (zlib.crc32 values computed by Python), both CRC
 * code paths, serial oracles on random data with tiny chunks, every thread
 * count, a sparse file over 4 GiB, OS errors, and a file truncated while
 * it is read.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>

#include "test_file_util.h"

#define SPARSE_CRC 0xd8b4d368u

/* White box: the two CRC kernels themselves, compiled into this test. */
#include "kernels/text/crc32.c"
#include "kernels/text/crc32_clmul.c"

static void pattern(unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(((i * 7 + 3) ^ (i >> 8)) & 0xff);
}

/* zlib.crc32(pattern(n)) and zlib.crc32(pattern(n), 0xdeadbeef), by Python. */
static const struct {
    size_t n;
    uint32_t crc0, crc_dead;
} crc_vectors[] = {
    {0, 0x00000000u, 0xdeadbeefu},    {1, 0x4b0bbe37u, 0x7b60ec60u},
    {2, 0x8a21a822u, 0x7f1e0727u},    {7, 0x54491cdbu, 0xcf5d2dadu},
    {8, 0xe2e35978u, 0x5b1e9940u},    {15, 0x7c619edcu, 0x26dbfea1u},
    {16, 0x191f3d9fu, 0x37f18a7eu},   {17, 0x7ba75ee3u, 0xac8462bau},
    {63, 0xb7350c2au, 0x86c3b9d9u},   {64, 0xcbd9ecf0u, 0xef5cb9e3u},
    {65, 0x6d195777u, 0xe98393fcu},   {127, 0xefb66daau, 0x5a201da7u},
    {128, 0xbd5d2e01u, 0xc359c4ccu},  {129, 0xd10950afu, 0x34a2ea48u},
    {255, 0x8af1eb92u, 0x3e13d557u},  {1000, 0xfb2e6543u, 0x8c91ecdeu},
    {4113, 0xfbde2f0cu, 0xc837e6c7u}, {65613, 0x40be2404u, 0xbe4b802eu},
};
enum { NVEC = sizeof crc_vectors / sizeof crc_vectors[0] };

static void test_crc_check_value(void **state)
{
    (void)state;
    const char *s = "123456789";
    uint32_t out = 0;
    assert_int_equal(parchunk_bytes_crc32(NULL, s, 9, 0, &out), PARCHUNK_OK);
    assert_int_equal(out, 0xCBF43926u);
    assert_int_equal(pc_crc32_portable(0, (const unsigned char *)s, 9), 0xCBF43926u);
    assert_int_equal(pc_crc32_clmul(0, (const unsigned char *)s, 9), 0xCBF43926u);
}

/* Both kernels on every machine (the clmul one where the CPU has it). */
static void test_crc_kernels_known_answers(void **state)
{
    (void)state;
    unsigned char *buf = malloc(70000);
    pattern(buf, 70000);
    bool have_clmul = pc_crc32_clmul_available();
    if (!have_clmul)
        fprintf(stderr, "note: no PCLMULQDQ on this CPU, clmul path not tested\n");
    for (size_t v = 0; v < NVEC; v++) {
        size_t n = crc_vectors[v].n;
        assert_int_equal(pc_crc32_portable(0, buf, n), crc_vectors[v].crc0);
        assert_int_equal(pc_crc32_portable(0xdeadbeefu, buf, n), crc_vectors[v].crc_dead);
        if (have_clmul) {
            assert_int_equal(pc_crc32_clmul(0, buf, n), crc_vectors[v].crc0);
            assert_int_equal(pc_crc32_clmul(0xdeadbeefu, buf, n), crc_vectors[v].crc_dead);
        }
    }
    /* Every length 0..300 and misaligned starts: the two paths agree. */
    if (have_clmul)
        for (size_t off = 0; off < 16; off++)
            for (size_t n = 0; n <= 300; n++)
                assert_int_equal(pc_crc32_clmul(0x1234u, buf + off, n),
                                 pc_crc32_portable(0x1234u, buf + off, n));
    free(buf);
}

static void test_crc_combine(void **state)
{
    (void)state;
    unsigned char buf[4113];
    pattern(buf, sizeof buf);
    for (size_t cut = 0; cut <= sizeof buf; cut += 97) {
        uint32_t a = pc_crc32_portable(0, buf, cut);
        uint32_t b = pc_crc32_portable(0, buf + cut, sizeof buf - cut);
        assert_int_equal(pc_crc32_combine(a, b, sizeof buf - cut), 0xfbde2f0cu);
    }
}

/* The public functions, buffer and file, every thread count, tiny chunks. */
static void test_crc_public_chunked(void **state)
{
    (void)state;
    unsigned char *buf = malloc(70000);
    pattern(buf, 70000);
    const char *path = write_temp(0, buf, 4113);
    for (int t = 0; t < NTHREAD_COUNTS; t++)
        for (size_t chunk = 1; chunk <= 17; chunk += 4) {
            parchunk_ctx *ctx = make_ctx(thread_counts[t], chunk);
            for (size_t v = 0; v < NVEC; v++) {
                if (crc_vectors[v].n > 5000 && chunk < 16)
                    continue; /* keep the suite fast */
                uint32_t out = 0;
                assert_int_equal(parchunk_bytes_crc32(ctx, buf, crc_vectors[v].n, 0, &out),
                                 PARCHUNK_OK);
                assert_int_equal(out, crc_vectors[v].crc0);
                assert_int_equal(
                    parchunk_bytes_crc32(ctx, buf, crc_vectors[v].n, 0xdeadbeefu, &out),
                    PARCHUNK_OK);
                assert_int_equal(out, crc_vectors[v].crc_dead);
            }
            uint32_t out = 0;
            assert_int_equal(parchunk_file_crc32(ctx, path, 0, &out), PARCHUNK_OK);
            assert_int_equal(out, 0xfbde2f0cu);
            assert_int_equal(parchunk_file_crc32(ctx, path, 0xdeadbeefu, &out), PARCHUNK_OK);
            assert_int_equal(out, 0xc837e6c7u);
            uint64_t done = 0, total = 0;
            assert_int_equal(parchunk_ctx_progress(ctx, &done, &total), PARCHUNK_OK);
            assert_int_equal(total, 4113);
            assert_int_equal(done, 4113);
            parchunk_ctx_free(ctx);
        }
    unlink(path);
    free(buf);
}

static void test_lines_and_histogram_random(void **state)
{
    (void)state;
    enum { N = 20011 };
    unsigned char *buf = malloc(N);
    for (size_t i = 0; i < N; i++) {
        uint64_t r = rng_next();
        buf[i] = (r & 7) == 0 ? '\n' : (unsigned char)(r >> 8);
    }
    const char *path = write_temp(0, buf, N);
    size_t sizes[] = {0, 1, 2, 63, 64, 65, 1000, N};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        size_t n = sizes[s];
        uint64_t lines = 0;
        int64_t hist[256] = {0};
        for (size_t i = 0; i < n; i++) {
            lines += buf[i] == '\n';
            hist[buf[i]]++;
        }
        for (int t = 0; t < NTHREAD_COUNTS; t++)
            for (size_t chunk = 1; chunk <= 17; chunk += 8) {
                parchunk_ctx *ctx = make_ctx(thread_counts[t], chunk * (n > 2000 ? 97 : 1));
                uint64_t got = 99;
                int64_t h[256];
                assert_int_equal(parchunk_bytes_count_lines(ctx, buf, n, &got), PARCHUNK_OK);
                assert_int_equal(got, lines);
                assert_int_equal(parchunk_bytes_byte_histogram(ctx, buf, n, h), PARCHUNK_OK);
                assert_memory_equal(h, hist, sizeof hist);
                if (n == N) {
                    assert_int_equal(parchunk_file_count_lines(ctx, path, &got), PARCHUNK_OK);
                    assert_int_equal(got, lines);
                    assert_int_equal(parchunk_file_byte_histogram(ctx, path, h), PARCHUNK_OK);
                    assert_memory_equal(h, hist, sizeof hist);
                }
                parchunk_ctx_free(ctx);
            }
    }
    unlink(path);
    free(buf);
}

static void test_empty_and_one_byte(void **state)
{
    (void)state;
    const char *empty = write_temp(0, "", 0);
    const char *one = write_temp(1, "\n", 1);
    uint64_t n = 7;
    uint32_t crc = 7;
    int64_t h[256];
    assert_int_equal(parchunk_bytes_count_lines(NULL, NULL, 0, &n), PARCHUNK_OK);
    assert_int_equal(n, 0);
    assert_int_equal(parchunk_file_count_lines(NULL, empty, &n), PARCHUNK_OK);
    assert_int_equal(n, 0);
    assert_int_equal(parchunk_file_crc32(NULL, empty, 5, &crc), PARCHUNK_OK);
    assert_int_equal(crc, 5);
    assert_int_equal(parchunk_file_byte_histogram(NULL, empty, h), PARCHUNK_OK);
    for (int v = 0; v < 256; v++)
        assert_int_equal(h[v], 0);
    assert_int_equal(parchunk_file_count_lines(NULL, one, &n), PARCHUNK_OK);
    assert_int_equal(n, 1);
    assert_int_equal(parchunk_file_crc32(NULL, one, 0, &crc), PARCHUNK_OK);
    assert_int_equal(crc, 0x32d70693u); /* zlib.crc32(b"\n") */
    assert_int_equal(parchunk_bytes_count_lines(NULL, "x", 1, &n), PARCHUNK_OK);
    assert_int_equal(n, 0);
    unlink(empty);
    unlink(one);
}

static void test_argument_errors(void **state)
{
    (void)state;
    parchunk_ctx *ctx = make_ctx(2, 0);
    uint64_t n = 42;
    assert_int_equal(parchunk_bytes_count_lines(ctx, NULL, 3, &n), PARCHUNK_ERR_NULL);
    assert_int_equal(parchunk_bytes_count_lines(ctx, "abc", 3, NULL), PARCHUNK_ERR_NULL);
    assert_int_equal(parchunk_file_count_lines(ctx, NULL, &n), PARCHUNK_ERR_NULL);
    assert_int_equal(n, 42);
    parchunk_ctx_free(ctx);
}

static void test_os_errors(void **state)
{
    (void)state;
    parchunk_ctx *ctx = make_ctx(2, 0);
    uint64_t n = 42;
    assert_int_equal(parchunk_file_count_lines(ctx, "/nonexistent/parchunk/x.txt", &n),
                     PARCHUNK_ERR_IO);
    assert_int_equal(n, 42);
    assert_true(strncmp(parchunk_ctx_last_error(ctx), "errno=2: ", 9) == 0);
    assert_non_null(strstr(parchunk_ctx_last_error(ctx), "/nonexistent/parchunk/x.txt"));
    assert_int_equal(parchunk_file_count_lines(ctx, "/tmp", &n), PARCHUNK_ERR_IO);
    char expect[32];
    snprintf(expect, sizeof expect, "errno=%d: ", EISDIR);
    assert_true(strncmp(parchunk_ctx_last_error(ctx), expect, strlen(expect)) == 0);
    /* A FIFO without a writer: refused at once, never a hang. */
    char fifo[64];
    snprintf(fifo, sizeof fifo, "/tmp/pc_fifo_%d", (int)getpid());
    if (mkfifo(fifo, 0600) == 0) {
        assert_int_equal(parchunk_file_count_lines(ctx, fifo, &n), PARCHUNK_ERR_IO);
        assert_non_null(strstr(parchunk_ctx_last_error(ctx), "not a regular file"));
        unlink(fifo);
    }
    if (geteuid() != 0) { /* root reads anything */
        const char *path = write_temp(0, "abc\n", 4);
        chmod(path, 0);
        assert_int_equal(parchunk_file_count_lines(ctx, path, &n), PARCHUNK_ERR_IO);
        snprintf(expect, sizeof expect, "errno=%d: ", EACCES);
        assert_true(strncmp(parchunk_ctx_last_error(ctx), expect, strlen(expect)) == 0);
        unlink(path);
    }
    assert_int_equal(n, 42);
    parchunk_ctx_free(ctx);
}

/* A sparse file of 4 GiB + 4097 bytes with '\n' at 0, 2^32 - 1, 2^32 and at
 * the end: offsets past 32 bits, no disk space used. */
static const char *make_sparse(void)
{
    static char path[64];
    const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(path, sizeof path, "%s/pc_sparse_XXXXXX", dir);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const uint64_t size = (1ull << 32) + 4097;
    if (ftruncate(fd, (off_t)size) != 0) {
        close(fd);
        unlink(path);
        return NULL;
    }
    const uint64_t at[] = {0, (1ull << 32) - 1, 1ull << 32, size - 1};
    for (int i = 0; i < 4; i++)
        assert_int_equal(pwrite(fd, "\n", 1, (off_t)at[i]), 1);
    close(fd);
    return path;
}

static void test_sparse_over_4gib(void **state)
{
    (void)state;
    const char *path = make_sparse();
    if (path == NULL) {
        skip();
        return;
    }
    parchunk_ctx *ctx = make_ctx(0, 4 << 20);
    uint64_t n = 0;
    assert_int_equal(parchunk_file_count_lines(ctx, path, &n), PARCHUNK_OK);
    assert_int_equal(n, 4);
#if !defined(__SANITIZE_ADDRESS__) /* unoptimised sanitizer builds: one pass is enough */
    uint32_t crc = 0;
    assert_int_equal(parchunk_file_crc32(ctx, path, 0, &crc), PARCHUNK_OK);
    /* zlib.crc32 over the same bytes, streamed by Python in 64 MiB pieces. */
    assert_int_equal(crc, SPARSE_CRC);
#endif
    uint64_t done = 0, total = 0;
    parchunk_ctx_progress(ctx, &done, &total);
    assert_int_equal(total, (1ull << 32) + 4097);
    assert_int_equal(done, total);
    parchunk_ctx_free(ctx);
    unlink(path);
}

typedef struct truncator {
    parchunk_ctx *ctx;
    const char *path;
    int truncated_mid_read;
} truncator;

static void *truncate_when_started(void *arg)
{
    truncator *t = arg;
    uint64_t done = 0, total = 0;
    for (long spin = 0; spin < 200000000L; spin++) {
        parchunk_ctx_progress(t->ctx, &done, &total);
        if (done > 0)
            break;
    }
    if (done > 0 && done < total) {
        assert_int_equal(truncate(t->path, 1 << 20), 0);
        parchunk_ctx_progress(t->ctx, &done, &total);
        t->truncated_mid_read = done < total;
    }
    return NULL;
}

/* Truncated under the reader: an error, never SIGBUS, outputs untouched. */
static void test_truncated_during_read(void **state)
{
    (void)state;
    int seen = 0;
    for (int attempt = 0; attempt < 5 && !seen; attempt++) {
        char path[64];
        snprintf(path, sizeof path, "/tmp/pc_trunc_XXXXXX");
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        assert_int_equal(ftruncate(fd, 1 << 30), 0); /* sparse: reading costs no disk */
        close(fd);
        parchunk_ctx *ctx = make_ctx(2, 1 << 20);
        truncator t = {ctx, path, 0};
        pthread_t th;
        pthread_create(&th, NULL, truncate_when_started, &t);
        uint32_t crc = 12345;
        parchunk_status st = parchunk_file_crc32(ctx, path, 0, &crc);
        pthread_join(th, NULL);
        if (t.truncated_mid_read) {
            assert_true(st == PARCHUNK_ERR_CHANGED || st == PARCHUNK_OK);
            if (st == PARCHUNK_ERR_CHANGED) {
                assert_int_equal(crc, 12345);
                assert_non_null(strstr(parchunk_ctx_last_error(ctx), "shrank"));
                seen = 1;
            }
        }
        parchunk_ctx_free(ctx);
        unlink(path);
    }
    assert_true(seen);
}

static void test_cancel(void **state)
{
    (void)state;
    parchunk_ctx *ctx = make_ctx(2, 16);
    parchunk_ctx_cancel(ctx);
    uint64_t n = 9;
    assert_int_equal(parchunk_bytes_count_lines(ctx, "a\nb\n", 4, &n), PARCHUNK_ERR_CANCELLED);
    assert_int_equal(n, 9);
    parchunk_ctx_clear_cancel(ctx);
    assert_int_equal(parchunk_bytes_count_lines(ctx, "a\nb\n", 4, &n), PARCHUNK_OK);
    assert_int_equal(n, 2);
    parchunk_ctx_free(ctx);
}

static void *cancel_when_started(void *arg)
{
    parchunk_ctx *ctx = arg;
    uint64_t done = 0, total = 0;
    for (long spin = 0; spin < 200000000L && done == 0; spin++)
        parchunk_ctx_progress(ctx, &done, &total);
    parchunk_ctx_cancel(ctx);
    return NULL;
}

/* Cancelled from another thread while it reads: CANCELLED, out untouched. */
static void test_cancel_mid_read(void **state)
{
    (void)state;
    char path[64];
    snprintf(path, sizeof path, "/tmp/pc_cancel_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, 1 << 30), 0);
    close(fd);
    parchunk_ctx *ctx = make_ctx(2, 1 << 20);
    pthread_t th;
    pthread_create(&th, NULL, cancel_when_started, ctx);
    uint64_t n = 4242;
    parchunk_status st = parchunk_file_count_lines(ctx, path, &n);
    pthread_join(th, NULL);
    uint64_t done = 0, total = 0;
    parchunk_ctx_progress(ctx, &done, &total);
    if (st == PARCHUNK_OK) { /* the cancel came after the last chunk */
        assert_int_equal(n, 0);
        assert_int_equal(done, total);
    } else {
        assert_int_equal(st, PARCHUNK_ERR_CANCELLED);
        assert_int_equal(n, 4242);
        assert_true(done < total);
    }
    parchunk_ctx_free(ctx);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crc_check_value),
        cmocka_unit_test(test_crc_kernels_known_answers),
        cmocka_unit_test(test_crc_combine),
        cmocka_unit_test(test_crc_public_chunked),
        cmocka_unit_test(test_lines_and_histogram_random),
        cmocka_unit_test(test_empty_and_one_byte),
        cmocka_unit_test(test_argument_errors),
        cmocka_unit_test(test_os_errors),
        cmocka_unit_test(test_sparse_over_4gib),
        cmocka_unit_test(test_truncated_during_read),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_cancel_mid_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
