/* test_file_util.h - helpers shared by the test_file_*.c suites. */
#ifndef PARCHUNK_TEST_FILE_UTIL_H
#define PARCHUNK_TEST_FILE_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "parchunk.h"

static const int thread_counts[] = {1, 2, 3, 8};
enum { NTHREAD_COUNTS = 4 };

/* A context with the given threads and chunk size, serial cutoff 0 so the
 * parallel path runs even on tiny inputs. */
static inline parchunk_ctx *make_ctx(int nthreads, size_t chunk)
{
    parchunk_ctx *ctx = NULL;
    assert_int_equal(parchunk_ctx_new(&ctx), PARCHUNK_OK);
    assert_int_equal(parchunk_ctx_set_threads(ctx, nthreads), PARCHUNK_OK);
    assert_int_equal(parchunk_ctx_set_chunk_size(ctx, chunk), PARCHUNK_OK);
    assert_int_equal(parchunk_ctx_set_serial_cutoff(ctx, 0), PARCHUNK_OK);
    return ctx;
}

/* Writes data to a new temporary file; returns its path (static buffer per
 * slot). */
static inline const char *write_temp(int slot, const void *data, size_t n)
{
    static char paths[4][64];
    const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(paths[slot], sizeof paths[slot], "%s/pc_file_XXXXXX", dir);
    int fd = mkstemp(paths[slot]);
    assert_true(fd >= 0);
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(fd, (const char *)data + done, n - done);
        assert_true(w > 0);
        done += (size_t)w;
    }
    close(fd);
    return paths[slot];
}

/* Deterministic xorshift bytes. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static inline uint64_t rng_next(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

#endif
