/*
 * absdev.c - sum of |x - center| over one chunk.
 *
 * Floats, 64-bit integers and non-integral centers: pairwise in double
 * (pairwise.h). Integers of up to 32 bits with an integral center that fits
 * the 32-bit domain: every |x - c| is an exact uint32, and the chunk's sum is
 * accumulated exactly in integers and rounded to double once. That is both
 * more accurate (no rounding before the chunk total passes 2^53) and faster:
 * integer adds have no 3-cycle latency chain to hide.
 */
#include <math.h>

#include "pairwise.h"
#include "reduce.h"

#define TERM_ABSDEV(v, c) fabs((v) - (c))
PC_DEFINE_PAIRWISE(absdev_f32, float, TERM_ABSDEV)
PC_DEFINE_PAIRWISE(absdev_f64, double, TERM_ABSDEV)
PC_DEFINE_PAIRWISE(absdev_i8, int8_t, TERM_ABSDEV)
PC_DEFINE_PAIRWISE(absdev_u8, uint8_t, TERM_ABSDEV)
PC_DEFINE_PAIRWISE(absdev_i16, int16_t, TERM_ABSDEV)
PC_DEFINE_PAIRWISE(absdev_u16, uint16_t, TERM_ABSDEV)
PC_DEFINE_PAIRWISE(absdev_i32, int32_t, TERM_ABSDEV)
PC_DEFINE_PAIRWISE(absdev_u32, uint32_t, TERM_ABSDEV)
PC_DEFINE_PAIRWISE(absdev_i64, int64_t, TERM_ABSDEV)
PC_DEFINE_PAIRWISE(absdev_u64, uint64_t, TERM_ABSDEV)

/* Elements per uint64 partial: EXACT_BLOCK * (2^32 - 1) < 2^64. */
enum { EXACT_BLOCK = 1 << 16 };

/* |v - c| as uint32 for values and center in one 32-bit domain (signed:
 * int32_t, unsigned: uint32_t); the difference of the larger and the smaller
 * is at most 2^32 - 1, exact in uint32 arithmetic. */
#define PC_DEFINE_EXACT_ABSDEV(NAME, T, D)                                                         \
    PC_CLONE_AVX512 static pc_u128 NAME(const T *x, size_t n, D c)                                 \
    {                                                                                              \
        pc_u128 total = 0;                                                                         \
        for (size_t b = 0; b < n; b += EXACT_BLOCK) {                                              \
            size_t len = n - b < EXACT_BLOCK ? n - b : EXACT_BLOCK;                                \
            const T *p = x + b;                                                                    \
            uint64_t acc = 0;                                                                      \
            for (size_t i = 0; i < len; i++) {                                                     \
                D v = (D)p[i];                                                                     \
                D hi = v > c ? v : c, lo = v > c ? c : v;                                          \
                acc += (uint32_t)((uint32_t)hi - (uint32_t)lo);                                    \
            }                                                                                      \
            total += acc;                                                                          \
        }                                                                                          \
        return total;                                                                              \
    }

PC_DEFINE_EXACT_ABSDEV(exact_i8, int8_t, int32_t)
PC_DEFINE_EXACT_ABSDEV(exact_u8, uint8_t, int32_t)
PC_DEFINE_EXACT_ABSDEV(exact_i16, int16_t, int32_t)
PC_DEFINE_EXACT_ABSDEV(exact_u16, uint16_t, int32_t)
PC_DEFINE_EXACT_ABSDEV(exact_i32, int32_t, int32_t)
PC_DEFINE_EXACT_ABSDEV(exact_u32, uint32_t, uint32_t)

static double sum_absdev_pairwise(const void *x, size_t n, parchunk_dtype dtype, double c)
{
    switch (dtype) {
    case PARCHUNK_FLOAT32: return absdev_f32(x, n, c);
    case PARCHUNK_FLOAT64: return absdev_f64(x, n, c);
    case PARCHUNK_INT8: return absdev_i8(x, n, c);
    case PARCHUNK_UINT8: return absdev_u8(x, n, c);
    case PARCHUNK_INT16: return absdev_i16(x, n, c);
    case PARCHUNK_UINT16: return absdev_u16(x, n, c);
    case PARCHUNK_INT32: return absdev_i32(x, n, c);
    case PARCHUNK_UINT32: return absdev_u32(x, n, c);
    case PARCHUNK_INT64: return absdev_i64(x, n, c);
    case PARCHUNK_UINT64: return absdev_u64(x, n, c);
    default: return 0.0;
    }
}

double pc_sum_absdev(const void *x, size_t n, parchunk_dtype dtype, double c)
{
    /* c == floor(c) is false for NaN and for non-integral centers. */
    bool integral = c == floor(c);
    bool in_i32 = integral && c >= -2147483648.0 && c <= 2147483647.0;
    int32_t ci = in_i32 ? (int32_t)c : 0;
    switch (dtype) {
    case PARCHUNK_INT8:
        return in_i32 ? (double)exact_i8(x, n, ci) : sum_absdev_pairwise(x, n, dtype, c);
    case PARCHUNK_UINT8:
        return in_i32 ? (double)exact_u8(x, n, ci) : sum_absdev_pairwise(x, n, dtype, c);
    case PARCHUNK_INT16:
        return in_i32 ? (double)exact_i16(x, n, ci) : sum_absdev_pairwise(x, n, dtype, c);
    case PARCHUNK_UINT16:
        return in_i32 ? (double)exact_u16(x, n, ci) : sum_absdev_pairwise(x, n, dtype, c);
    case PARCHUNK_INT32:
        return in_i32 ? (double)exact_i32(x, n, ci) : sum_absdev_pairwise(x, n, dtype, c);
    case PARCHUNK_UINT32:
        if (integral && c >= 0.0 && c <= 4294967295.0)
            return (double)exact_u32(x, n, (uint32_t)c);
        return sum_absdev_pairwise(x, n, dtype, c);
    default: return sum_absdev_pairwise(x, n, dtype, c);
    }
}
