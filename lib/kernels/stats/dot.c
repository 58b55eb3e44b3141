/*
 * dot.c - dot products of one chunk. Floats: each product in double, summed
 * pairwise (blocks of PC_PAIRWISE_BLOCK with eight accumulators, block sums
 * combined by a binary counter), so the error grows as O(log n) ulps.
 * Narrow integers: exact (products fit in 64 bits; block sums go to 128 bits).
 */
#include <string.h>

#include "../reduce/pairwise.h"
#include "stats.h"

/* Floats: the eight accumulators as two 4-lane GCC vectors (lane j is
 * accumulator j: the same bits as the scalar form, which the compiler does
 * not vectorise by itself), with an AVX2 clone chosen at load time. */
typedef double dot_v4d __attribute__((vector_size(32)));
typedef float dot_v4f __attribute__((vector_size(16)));
#define DOT_LOAD_F64(V, P) memcpy(&(V), (P), sizeof(V))
#define DOT_LOAD_F32(V, P)                                                                         \
    do {                                                                                           \
        dot_v4f f_;                                                                                \
        memcpy(&f_, (P), sizeof f_);                                                               \
        (V) = __builtin_convertvector(f_, dot_v4d);                                                \
    } while (0)

#define DEFINE_DOT_VEC_BLOCK(NAME, T, LOAD)                                                        \
    PC_CLONES static double NAME##_block(const T *x, const T *y, size_t n)                         \
    {                                                                                              \
        size_t i = 0;                                                                              \
        double res = 0.0;                                                                          \
        if (n >= 8) {                                                                              \
            dot_v4d a0, a1, b0, b1, r0, r1;                                                        \
            LOAD(a0, x);                                                                           \
            LOAD(a1, x + 4);                                                                       \
            LOAD(b0, y);                                                                           \
            LOAD(b1, y + 4);                                                                       \
            r0 = a0 * b0;                                                                          \
            r1 = a1 * b1;                                                                          \
            for (i = 8; i + 8 <= n; i += 8) {                                                      \
                LOAD(a0, x + i);                                                                   \
                LOAD(a1, x + i + 4);                                                               \
                LOAD(b0, y + i);                                                                   \
                LOAD(b1, y + i + 4);                                                               \
                r0 += a0 * b0;                                                                     \
                r1 += a1 * b1;                                                                     \
            }                                                                                      \
            res = ((r0[0] + r0[1]) + (r0[2] + r0[3])) + ((r1[0] + r1[1]) + (r1[2] + r1[3]));       \
        }                                                                                          \
        for (; i < n; i++)                                                                         \
            res += (double)x[i] * (double)y[i];                                                    \
        return res;                                                                                \
    }

#define DEFINE_DOT_TREE(NAME, T)                                                                   \
    static double NAME(const T *x, const T *y, size_t n)                                           \
    {                                                                                              \
        double stack[PC_PAIRWISE_LEVELS];                                                          \
        size_t depth = 0, blocks = 0;                                                              \
        for (size_t b = 0; b < n; b += PC_PAIRWISE_BLOCK) {                                        \
            size_t len = n - b < PC_PAIRWISE_BLOCK ? n - b : PC_PAIRWISE_BLOCK;                    \
            double s = NAME##_block(x + b, y + b, len);                                            \
            for (size_t k = ++blocks; (k & 1) == 0; k >>= 1)                                       \
                s = stack[--depth] + s;                                                            \
            stack[depth++] = s;                                                                    \
        }                                                                                          \
        double res = depth ? stack[--depth] : 0.0;                                                 \
        while (depth)                                                                              \
            res = stack[--depth] + res;                                                            \
        return res;                                                                                \
    }

DEFINE_DOT_VEC_BLOCK(dot_f32, float, DOT_LOAD_F32)
DEFINE_DOT_TREE(dot_f32, float)
DEFINE_DOT_VEC_BLOCK(dot_f64, double, DOT_LOAD_F64)
DEFINE_DOT_TREE(dot_f64, double)

#define DEFINE_DOT_PAIRWISE(NAME, T)                                                               \
    static double NAME##_block(const T *x, const T *y, size_t n)                                   \
    {                                                                                              \
        size_t i = 0;                                                                              \
        double res = 0.0;                                                                          \
        if (n >= 8) {                                                                              \
            double r[8];                                                                           \
            for (int j = 0; j < 8; j++)                                                            \
                r[j] = (double)x[j] * (double)y[j];                                                \
            for (i = 8; i + 8 <= n; i += 8)                                                        \
                for (int j = 0; j < 8; j++)                                                        \
                    r[j] += (double)x[i + j] * (double)y[i + j];                                   \
            res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));               \
        }                                                                                          \
        for (; i < n; i++)                                                                         \
            res += (double)x[i] * (double)y[i];                                                    \
        return res;                                                                                \
    }                                                                                              \
    static double NAME(const T *x, const T *y, size_t n)                                           \
    {                                                                                              \
        double stack[PC_PAIRWISE_LEVELS];                                                          \
        size_t depth = 0, blocks = 0;                                                              \
        for (size_t b = 0; b < n; b += PC_PAIRWISE_BLOCK) {                                        \
            size_t len = n - b < PC_PAIRWISE_BLOCK ? n - b : PC_PAIRWISE_BLOCK;                    \
            double s = NAME##_block(x + b, y + b, len);                                            \
            for (size_t k = ++blocks; (k & 1) == 0; k >>= 1)                                       \
                s = stack[--depth] + s;                                                            \
            stack[depth++] = s;                                                                    \
        }                                                                                          \
        double res = depth ? stack[--depth] : 0.0;                                                 \
        while (depth)                                                                              \
            res = stack[--depth] + res;                                                            \
        return res;                                                                                \
    }

DEFINE_DOT_PAIRWISE(dot_i64, int64_t)
DEFINE_DOT_PAIRWISE(dot_u64, uint64_t)

double pc_dot_float(const void *x, const void *y, size_t n, parchunk_dtype dtype)
{
    switch (dtype) {
    case PARCHUNK_FLOAT32: return dot_f32(x, y, n);
    case PARCHUNK_FLOAT64: return dot_f64(x, y, n);
    default: return 0.0;
    }
}

double pc_dot_wide(const void *x, const void *y, size_t n, parchunk_dtype dtype)
{
    switch (dtype) {
    case PARCHUNK_INT64: return dot_i64(x, y, n);
    case PARCHUNK_UINT64: return dot_u64(x, y, n);
    default: return 0.0;
    }
}

/* Products of up to 16-bit values fit in 32 bits: 2^12 of them sum in int64
 * without overflow. 32-bit products need 63/64 bits: each goes to 128 bits. */
enum { DOT_INT_BLOCK = 4096 };

#define DEFINE_DOT_NARROW(NAME, T)                                                                 \
    static pc_i128 NAME(const T *x, const T *y, size_t n)                                          \
    {                                                                                              \
        pc_i128 total = 0;                                                                         \
        for (size_t b = 0; b < n; b += DOT_INT_BLOCK) {                                            \
            size_t len = n - b < DOT_INT_BLOCK ? n - b : DOT_INT_BLOCK;                            \
            int64_t s = 0;                                                                         \
            for (size_t i = 0; i < len; i++)                                                       \
                s += (int64_t)((int32_t)x[b + i] * (int32_t)y[b + i]);                             \
            total += s;                                                                            \
        }                                                                                          \
        return total;                                                                              \
    }
DEFINE_DOT_NARROW(idot_i8, int8_t)
DEFINE_DOT_NARROW(idot_u8, uint8_t)
DEFINE_DOT_NARROW(idot_i16, int16_t)

static pc_i128 idot_u16(const uint16_t *x, const uint16_t *y, size_t n)
{
    pc_i128 total = 0;
    for (size_t b = 0; b < n; b += DOT_INT_BLOCK) {
        size_t len = n - b < DOT_INT_BLOCK ? n - b : DOT_INT_BLOCK;
        uint64_t s = 0; /* products < 2^32, 2^12 of them < 2^44 */
        for (size_t i = 0; i < len; i++)
            s += (uint64_t)x[b + i] * y[b + i];
        total += s;
    }
    return total;
}

static pc_i128 idot_i32(const int32_t *x, const int32_t *y, size_t n)
{
    pc_i128 total = 0;
    for (size_t i = 0; i < n; i++)
        total += (int64_t)x[i] * y[i];
    return total;
}

static pc_i128 idot_u32(const uint32_t *x, const uint32_t *y, size_t n)
{
    pc_i128 total = 0;
    for (size_t i = 0; i < n; i++)
        total += (uint64_t)x[i] * y[i];
    return total;
}

pc_i128 pc_dot_int(const void *x, const void *y, size_t n, parchunk_dtype dtype)
{
    switch (dtype) {
    case PARCHUNK_INT8: return idot_i8(x, y, n);
    case PARCHUNK_UINT8: return idot_u8(x, y, n);
    case PARCHUNK_INT16: return idot_i16(x, y, n);
    case PARCHUNK_UINT16: return idot_u16(x, y, n);
    case PARCHUNK_INT32: return idot_i32(x, y, n);
    case PARCHUNK_UINT32: return idot_u32(x, y, n);
    default: return 0;
    }
}
