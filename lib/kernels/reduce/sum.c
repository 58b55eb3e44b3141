/* sum.c - floating-point pairwise sums and exact integer sums of one chunk. */
#include "pairwise.h"
#include "reduce.h"

#define TERM_IDENTITY(v, c) (v)
PC_DEFINE_PAIRWISE(sum_f32, float, TERM_IDENTITY)
PC_DEFINE_PAIRWISE(sum_f64, double, TERM_IDENTITY)

double pc_sum_float(const void *x, size_t n, parchunk_dtype dtype)
{
    switch (dtype) {
    case PARCHUNK_FLOAT32: return sum_f32(x, n, 0.0);
    case PARCHUNK_FLOAT64: return sum_f64(x, n, 0.0);
    default: return 0.0;
    }
}

/*
 * Exact integer sums. Elements of up to 32 bits are summed in int64 over
 * blocks short enough never to overflow (2^12 * 2^32 < 2^63), then the block
 * sum goes into the 128-bit total: the inner loop stays a plain SIMD add.
 * 64-bit elements are split into 32-bit halves summed separately for the same
 * reason; int64 is biased by 2^63 first so that both halves are unsigned
 * (SSE2 has a logical but no arithmetic 64-bit shift).
 */
enum { INT_BLOCK = 4096 };

#define DEFINE_NARROW_INT_SUM(NAME, T)                                                             \
    static pc_i128 NAME(const T *x, size_t n)                                                      \
    {                                                                                              \
        pc_i128 total = 0;                                                                         \
        for (size_t b = 0; b < n; b += INT_BLOCK) {                                                \
            size_t len = n - b < INT_BLOCK ? n - b : INT_BLOCK;                                    \
            int64_t s = 0;                                                                         \
            for (size_t i = 0; i < len; i++)                                                       \
                s += x[b + i];                                                                     \
            total += s;                                                                            \
        }                                                                                          \
        return total;                                                                              \
    }
DEFINE_NARROW_INT_SUM(isum_i8, int8_t)
DEFINE_NARROW_INT_SUM(isum_u8, uint8_t)
DEFINE_NARROW_INT_SUM(isum_i16, int16_t)
DEFINE_NARROW_INT_SUM(isum_u16, uint16_t)
DEFINE_NARROW_INT_SUM(isum_i32, int32_t)
DEFINE_NARROW_INT_SUM(isum_u32, uint32_t)

/* Sum of n uint64 values (each XOR bias) as an unsigned 128-bit number. */
PC_CLONE_AVX2 static pc_u128 wide_sum(const uint64_t *x, size_t n, uint64_t bias)
{
    pc_u128 total = 0;
    for (size_t b = 0; b < n; b += INT_BLOCK) {
        size_t len = n - b < INT_BLOCK ? n - b : INT_BLOCK;
        uint64_t lo = 0, hi = 0;
        for (size_t i = 0; i < len; i++) {
            uint64_t v = x[b + i] ^ bias;
            lo += v & 0xffffffffu;
            hi += v >> 32;
        }
        total += ((pc_u128)hi << 32) + lo;
    }
    return total;
}

pc_i128 pc_sum_int(const void *x, size_t n, parchunk_dtype dtype)
{
    switch (dtype) {
    case PARCHUNK_INT8: return isum_i8(x, n);
    case PARCHUNK_UINT8: return isum_u8(x, n);
    case PARCHUNK_INT16: return isum_i16(x, n);
    case PARCHUNK_UINT16: return isum_u16(x, n);
    case PARCHUNK_INT32: return isum_i32(x, n);
    case PARCHUNK_UINT32: return isum_u32(x, n);
    case PARCHUNK_UINT64: return (pc_i128)wide_sum(x, n, 0);
    case PARCHUNK_INT64: {
        /* x ^ 2^63 == x + 2^63 as unsigned: undo the bias once at the end */
        pc_u128 biased = wide_sum(x, n, UINT64_C(1) << 63);
        return (pc_i128)(biased - ((pc_u128)n << 63));
    }
    default: return 0;
    }
}
