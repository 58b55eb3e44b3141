/* stats_testutil.h - shared helpers of the statistics test suites. */
#ifndef STATS_TESTUTIL_H
#define STATS_TESTUTIL_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parchunk.h"

__extension__ typedef __int128 i128;

static uint64_t tu_rng_state = 0x9E3779B97F4A7C15u;

static uint64_t tu_next(void)
{
    /* splitmix64: deterministic, good enough for test data */
    uint64_t z = (tu_rng_state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static inline double tu_unit(void)
{
    return (double)(tu_next() >> 11) * 0x1p-53;
}

static inline long double tu_get(const void *data, size_t i, parchunk_dtype dtype)
{
    switch (dtype) {
    case PARCHUNK_INT8: return ((const int8_t *)data)[i];
    case PARCHUNK_UINT8: return ((const uint8_t *)data)[i];
    case PARCHUNK_INT16: return ((const int16_t *)data)[i];
    case PARCHUNK_UINT16: return ((const uint16_t *)data)[i];
    case PARCHUNK_INT32: return ((const int32_t *)data)[i];
    case PARCHUNK_UINT32: return ((const uint32_t *)data)[i];
    case PARCHUNK_INT64: return (long double)((const int64_t *)data)[i];
    case PARCHUNK_UINT64: return (long double)((const uint64_t *)data)[i];
    case PARCHUNK_FLOAT32: return ((const float *)data)[i];
    case PARCHUNK_FLOAT64: return ((const double *)data)[i];
    default: return 0;
    }
}

static inline void tu_set(void *data, size_t i, parchunk_dtype dtype, double v)
{
    switch (dtype) {
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

static inline int tu_is_float(parchunk_dtype d)
{
    return d == PARCHUNK_FLOAT32 || d == PARCHUNK_FLOAT64;
}

/* n random elements of dtype spanning most of its range (integers: up to
 * +-1e6 for the wide ones, so that doubles hold them exactly). `spread`
 * limits the range (0: full default) to force ties. */
static inline void *tu_random(size_t n, parchunk_dtype dtype, double spread)
{
    size_t size = parchunk_dtype_size(dtype);
    void *p = malloc(n * size + 1);
    double lo, hi;
    switch (dtype) {
    case PARCHUNK_INT8:
        lo = -128;
        hi = 127;
        break;
    case PARCHUNK_UINT8:
        lo = 0;
        hi = 255;
        break;
    case PARCHUNK_INT16:
        lo = -32768;
        hi = 32767;
        break;
    case PARCHUNK_UINT16:
        lo = 0;
        hi = 65535;
        break;
    case PARCHUNK_INT32:
        lo = -2e9;
        hi = 2e9;
        break;
    case PARCHUNK_UINT32:
        lo = 0;
        hi = 4e9;
        break;
    case PARCHUNK_INT64:
        lo = -1e15;
        hi = 1e15;
        break;
    case PARCHUNK_UINT64:
        lo = 0;
        hi = 1e15;
        break;
    default:
        lo = -1000;
        hi = 1000;
        break;
    }
    if (spread > 0) {
        hi = lo + spread;
    }
    for (size_t i = 0; i < n; i++) {
        double v = lo + tu_unit() * (hi - lo + (tu_is_float(dtype) ? 0 : 1));
        if (!tu_is_float(dtype))
            v = floor(v);
        if (v > hi)
            v = hi;
        tu_set(p, i, dtype, v);
    }
    return p;
}

static inline parchunk_ctx *tu_ctx(int threads, size_t chunk)
{
    parchunk_ctx *ctx = NULL;
    if (parchunk_ctx_new(&ctx) != PARCHUNK_OK)
        return NULL;
    parchunk_ctx_set_threads(ctx, threads);
    parchunk_ctx_set_chunk_size(ctx, chunk);
    parchunk_ctx_set_serial_cutoff(ctx, 0);
    return ctx;
}

/* Two-pass variance in long double: the oracle. */
static inline long double tu_ref_var(const void *data, size_t n, parchunk_dtype dtype, int skipna,
                                     size_t *count)
{
    long double s = 0;
    i128 exact = 0; /* integers: an exact mean */
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        long double v = tu_get(data, i, dtype);
        if (skipna && v != v)
            continue;
        s += v;
        if (!tu_is_float(dtype))
            exact += (i128)v;
        k++;
    }
    if (!tu_is_float(dtype))
        s = (long double)exact;
    long double m = s / k, q = 0;
    for (size_t i = 0; i < n; i++) {
        long double v = tu_get(data, i, dtype);
        if (skipna && v != v)
            continue;
        q += (v - m) * (v - m);
    }
    if (count)
        *count = k;
    return q;
}

static inline int tu_close(double got, long double want, double rel)
{
    if (isnan(got) || isnan((double)want))
        return isnan(got) && isnan((double)want);
    long double err = fabsl((long double)got - want);
    return err <= rel * fabsl(want) + 1e-300;
}

static const parchunk_dtype tu_dtypes[PARCHUNK_DTYPE_COUNT] = {
    PARCHUNK_INT8,   PARCHUNK_UINT8, PARCHUNK_INT16,  PARCHUNK_UINT16,  PARCHUNK_INT32,
    PARCHUNK_UINT32, PARCHUNK_INT64, PARCHUNK_UINT64, PARCHUNK_FLOAT32, PARCHUNK_FLOAT64};

/* Bytes of parchunk_reduce's result for op. */
static inline size_t pc_result_size(int op, parchunk_dtype dt)
{
    if (op == PARCHUNK_OP_MIN || op == PARCHUNK_OP_MAX)
        return parchunk_dtype_size(dt);
    if (op == PARCHUNK_OP_STATS)
        return sizeof(parchunk_stats_result);
    return 8;
}

#endif
