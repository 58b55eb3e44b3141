/*
 * fastsum.c - the pairwise sum of pc_sum_float / pc_nansum_float, bit for
 * bit, written with GCC vector extensions (the eight block accumulators as
 * two 4-lane vectors; lane j is accumulator j) and an AVX2 clone chosen at
 * load time. The compiler does not vectorise the scalar form, and the
 * statistics kernels run this sum on every block. Same operations in the
 * same order, no FMA: the same bits on every machine and code path
 * (test_stats checks parchunk_stats' sum against parchunk_sum bit for bit).
 */
#include <string.h>

#include "../reduce/pairwise.h"
#include "stats.h"

typedef double fs_v4d __attribute__((vector_size(32)));
typedef float fs_v4f __attribute__((vector_size(16)));
typedef int64_t fs_v4l __attribute__((vector_size(32)));

#define FS_LOAD_F64(V, P) memcpy(&(V), (P), sizeof(V))
#define FS_LOAD_F32(V, P)                                                                          \
    do {                                                                                           \
        fs_v4f f_;                                                                                 \
        memcpy(&f_, (P), sizeof f_);                                                               \
        (V) = __builtin_convertvector(f_, fs_v4d);                                                 \
    } while (0)

/* NaN -> 0 lane-wise (SKIP), as TERM_NAN_AS_ZERO of nan.c. */
#define FS_TERM(V, SKIP) ((SKIP) ? (fs_v4d)((fs_v4l)(V) & ((V) == (V))) : (V))

#define DEFINE_FAST_BLOCK(NAME, T, LOAD, SKIP)                                                     \
    PC_CLONES static double NAME(const T *x, size_t n)                                             \
    {                                                                                              \
        size_t i = 0;                                                                              \
        double res = 0.0;                                                                          \
        if (n >= 8) {                                                                              \
            fs_v4d r0, r1, v0, v1;                                                                 \
            LOAD(v0, x);                                                                           \
            LOAD(v1, x + 4);                                                                       \
            r0 = FS_TERM(v0, SKIP);                                                                \
            r1 = FS_TERM(v1, SKIP);                                                                \
            for (i = 8; i + 8 <= n; i += 8) {                                                      \
                LOAD(v0, x + i);                                                                   \
                LOAD(v1, x + i + 4);                                                               \
                r0 += FS_TERM(v0, SKIP);                                                           \
                r1 += FS_TERM(v1, SKIP);                                                           \
            }                                                                                      \
            res = ((r0[0] + r0[1]) + (r0[2] + r0[3])) + ((r1[0] + r1[1]) + (r1[2] + r1[3]));       \
        }                                                                                          \
        for (; i < n; i++) {                                                                       \
            double v = (double)x[i];                                                               \
            res += (SKIP) ? (v == v ? v : 0.0) : v;                                                \
        }                                                                                          \
        return res;                                                                                \
    }

DEFINE_FAST_BLOCK(block_f32, float, FS_LOAD_F32, 0)
DEFINE_FAST_BLOCK(block_f64, double, FS_LOAD_F64, 0)
DEFINE_FAST_BLOCK(block_nan_f32, float, FS_LOAD_F32, 1)
DEFINE_FAST_BLOCK(block_nan_f64, double, FS_LOAD_F64, 1)

double pc_fast_sum_float(const void *x_, size_t n, parchunk_dtype dtype, bool skipna)
{
    const unsigned char *x = x_;
    size_t size = parchunk_dtype_size(dtype);
    double stack[PC_PAIRWISE_LEVELS];
    size_t depth = 0, blocks = 0;
    for (size_t b = 0; b < n; b += PC_PAIRWISE_BLOCK) {
        size_t len = n - b < PC_PAIRWISE_BLOCK ? n - b : PC_PAIRWISE_BLOCK;
        const void *p = x + b * size;
        double s;
        if (dtype == PARCHUNK_FLOAT32)
            s = skipna ? block_nan_f32(p, len) : block_f32(p, len);
        else
            s = skipna ? block_nan_f64(p, len) : block_f64(p, len);
        for (size_t k = ++blocks; (k & 1) == 0; k >>= 1)
            s = stack[--depth] + s;
        stack[depth++] = s;
    }
    double res = depth ? stack[--depth] : 0.0;
    while (depth)
        res = stack[--depth] + res;
    return res;
}
