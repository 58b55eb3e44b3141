/*
 * test_helpers.h - small helpers shared by the cmocka suites: contexts with
 * given settings, a deterministic generator, typed element access, and an
 * assertion that prints the library's own explanation when a status is wrong.
 *
 * Include after <cmocka.h> (which needs <setjmp.h>, <stdarg.h>, <stddef.h>).
 */
#ifndef PARCHUNK_TEST_HELPERS_H
#define PARCHUNK_TEST_HELPERS_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "parchunk.h"

__extension__ typedef __int128 test_i128;

/* Fails with both status strings and the ctx's last error when st != want. */
#define assert_status(ctx, st, want)                                                               \
    do {                                                                                           \
        parchunk_status st_ = (st), want_ = (want);                                                \
        if (st_ != want_)                                                                          \
            fail_msg("status %d (%s), expected %d (%s); last_error: \"%s\"", (int)st_,             \
                     parchunk_status_string(st_), (int)want_, parchunk_status_string(want_),       \
                     parchunk_ctx_last_error(ctx));                                                \
    } while (0)

#define assert_ok(ctx, st) assert_status(ctx, st, PARCHUNK_OK)

/* A context with the given settings (nthreads 0 / chunk 0 = defaults). */
static inline parchunk_ctx *test_ctx(int nthreads, size_t chunk, size_t cutoff)
{
    parchunk_ctx *ctx = NULL;
    assert_int_equal(parchunk_ctx_new(&ctx), PARCHUNK_OK);
    assert_non_null(ctx);
    assert_int_equal(parchunk_ctx_set_threads(ctx, nthreads), PARCHUNK_OK);
    assert_int_equal(parchunk_ctx_set_chunk_size(ctx, chunk), PARCHUNK_OK);
    assert_int_equal(parchunk_ctx_set_serial_cutoff(ctx, cutoff), PARCHUNK_OK);
    return ctx;
}

/* splitmix64: deterministic, so every failure reproduces. */
static inline uint64_t test_rand(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* Uniform double in [-1, 1). */
static inline double test_rand_unit(uint64_t *state)
{
    return (double)(test_rand(state) >> 11) * 0x1.0p-52 - 1.0;
}

static inline int test_is_float(parchunk_dtype d)
{
    return d == PARCHUNK_FLOAT32 || d == PARCHUNK_FLOAT64;
}

/* Element i of an array of dtype, as the exact integer (integer dtypes). */
static inline test_i128 test_get_int(const void *data, size_t i, parchunk_dtype d)
{
    switch (d) {
    case PARCHUNK_INT8: return ((const int8_t *)data)[i];
    case PARCHUNK_UINT8: return ((const uint8_t *)data)[i];
    case PARCHUNK_INT16: return ((const int16_t *)data)[i];
    case PARCHUNK_UINT16: return ((const uint16_t *)data)[i];
    case PARCHUNK_INT32: return ((const int32_t *)data)[i];
    case PARCHUNK_UINT32: return ((const uint32_t *)data)[i];
    case PARCHUNK_INT64: return ((const int64_t *)data)[i];
    case PARCHUNK_UINT64: return ((const uint64_t *)data)[i];
    default: return 0;
    }
}

/* Element i converted to double (what the library's double terms see). */
static inline double test_get_double(const void *data, size_t i, parchunk_dtype d)
{
    switch (d) {
    case PARCHUNK_FLOAT32: return (double)((const float *)data)[i];
    case PARCHUNK_FLOAT64: return ((const double *)data)[i];
    case PARCHUNK_INT64: return (double)((const int64_t *)data)[i];
    case PARCHUNK_UINT64: return (double)((const uint64_t *)data)[i];
    default: return (double)test_get_int(data, i, d);
    }
}

/* Stores v (already in range) as element i. */
static inline void test_set_double(void *data, size_t i, parchunk_dtype d, double v)
{
    switch (d) {
    case PARCHUNK_INT8: ((int8_t *)data)[i] = (int8_t)v; break;
    case PARCHUNK_UINT8: ((uint8_t *)data)[i] = (uint8_t)v; break;
    case PARCHUNK_INT16: ((int16_t *)data)[i] = (int16_t)v; break;
    case PARCHUNK_UINT16: ((uint16_t *)data)[i] = (uint16_t)v; break;
    case PARCHUNK_INT32: ((int32_t *)data)[i] = (int32_t)v; break;
    case PARCHUNK_UINT32: ((uint32_t *)data)[i] = (uint32_t)v; break;
    case PARCHUNK_INT64: ((int64_t *)data)[i] = (int64_t)v; break;
    case PARCHUNK_UINT64: ((uint64_t *)data)[i] = (uint64_t)v; break;
    case PARCHUNK_FLOAT32: ((float *)data)[i] = (float)v; break;
    case PARCHUNK_FLOAT64: ((double *)data)[i] = v; break;
    default: break;
    }
}

/* Fills n elements with random values over the dtype's whole range (floats:
 * mixed signs and magnitudes over a few decades). */
static inline void test_fill_random(void *data, size_t n, parchunk_dtype d, uint64_t seed)
{
    uint64_t s = seed;
    size_t size = parchunk_dtype_size(d);
    for (size_t i = 0; i < n; i++) {
        uint64_t r = test_rand(&s);
        if (d == PARCHUNK_FLOAT64) {
            double v = test_rand_unit(&s) * (double)(1 + (r % 1000));
            memcpy((char *)data + i * size, &v, sizeof v);
        } else if (d == PARCHUNK_FLOAT32) {
            float v = (float)(test_rand_unit(&s) * (double)(1 + (r % 1000)));
            memcpy((char *)data + i * size, &v, sizeof v);
        } else {
            /* the low bytes of r, in native order: the full range of the type */
            memcpy((char *)data + i * size, &r, size);
        }
    }
}

static const parchunk_dtype test_all_dtypes[PARCHUNK_DTYPE_COUNT] = {
    PARCHUNK_INT8,   PARCHUNK_UINT8, PARCHUNK_INT16,  PARCHUNK_UINT16,  PARCHUNK_INT32,
    PARCHUNK_UINT32, PARCHUNK_INT64, PARCHUNK_UINT64, PARCHUNK_FLOAT32, PARCHUNK_FLOAT64};

static inline const char *test_dtype_name(parchunk_dtype d)
{
    static const char *names[] = {"int8",   "uint8", "int16",  "uint16",  "int32",
                                  "uint32", "int64", "uint64", "float32", "float64"};
    return (unsigned)d < PARCHUNK_DTYPE_COUNT ? names[d] : "?";
}

#endif
