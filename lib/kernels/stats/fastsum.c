/*
 * fastsum.c - the pairwise sum of pc_sum_float / pc_nansum_float, bit for
 * bit, written with GCC vector extensions (the eight block accumulators as
 * two 4-lane vectors; lane j is accumulator j) and an AVX2 clone chosen at
 * load time. The compiler does not vectorise the scalar form, and the
 * statistics kernels run this sum on every block. Full blocks are summed
 * four at a time (AVX2 and AVX-512 clones):
 * each block's additions are a chain of dependent adds, and four independent
 * chains keep the adders busy instead of waiting on latency. Same operations in the
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

enum { FS_GROUP = 4 }; /* full blocks summed together (fixed: the code below spells out 4) */

/* The sums of FS_GROUP consecutive full blocks of PC_PAIRWISE_BLOCK
 * elements, each exactly as NAME of DEFINE_FAST_BLOCK computes it (block k's
 * accumulators are the vectors a[k], b[k], lane j of the pair being its
 * accumulator j). 4-lane vectors: GCC 12 compiles 8-lane ones for AVX2 or
 * the baseline through the stack. */
#define DEFINE_FAST_GROUP(NAME, T, LOAD, SKIP)                                                     \
    PC_CLONES static void NAME##_v4(const T *x, double *out)                                       \
    {                                                                                              \
        enum { B = PC_PAIRWISE_BLOCK };                                                            \
        fs_v4d a[4], b[4];                                                                         \
        for (int k = 0; k < 4; k++) {                                                              \
            fs_v4d v0, v1;                                                                         \
            LOAD(v0, x + k * B);                                                                   \
            LOAD(v1, x + k * B + 4);                                                               \
            a[k] = FS_TERM(v0, SKIP);                                                              \
            b[k] = FS_TERM(v1, SKIP);                                                              \
        }                                                                                          \
        for (size_t i = 8; i < B; i += 8)                                                          \
            for (int k = 0; k < 4; k++) {                                                          \
                fs_v4d v0, v1;                                                                     \
                LOAD(v0, x + k * B + i);                                                           \
                LOAD(v1, x + k * B + i + 4);                                                       \
                a[k] += FS_TERM(v0, SKIP);                                                         \
                b[k] += FS_TERM(v1, SKIP);                                                         \
            }                                                                                      \
        for (int k = 0; k < 4; k++)                                                                \
            out[k] = ((a[k][0] + a[k][1]) + (a[k][2] + a[k][3])) +                                 \
                     ((b[k][0] + b[k][1]) + (b[k][2] + b[k][3]));                                  \
    }

#ifdef PC_STATS_AVX512
typedef double fs_v8d __attribute__((vector_size(64)));
typedef float fs_v8f __attribute__((vector_size(32)));
typedef int64_t fs_v8l __attribute__((vector_size(64)));

/* NAME##_v4 on 8-lane vectors (block k's vector r[k] is the pair a[k], b[k]). */
#define DEFINE_FAST_GROUP8(NAME, T, SKIP)                                                          \
    __attribute__((target("avx512f"))) static void NAME##_v8(const T *x, double *out)              \
    {                                                                                              \
        enum { B = PC_PAIRWISE_BLOCK };                                                            \
        fs_v8d r[4];                                                                               \
        for (size_t i = 0; i < B; i += 8)                                                          \
            for (int k = 0; k < 4; k++) {                                                          \
                fs_v8d v;                                                                          \
                if (sizeof(T) == 4) {                                                              \
                    fs_v8f f;                                                                      \
                    memcpy(&f, x + k * B + i, sizeof f);                                           \
                    v = __builtin_convertvector(f, fs_v8d);                                        \
                } else                                                                             \
                    memcpy(&v, x + k * B + i, sizeof v);                                           \
                if (SKIP)                                                                          \
                    v = (fs_v8d)((fs_v8l)v & (v == v));                                            \
                r[k] = i == 0 ? v : r[k] + v;                                                      \
            }                                                                                      \
        for (int k = 0; k < 4; k++)                                                                \
            out[k] = ((r[k][0] + r[k][1]) + (r[k][2] + r[k][3])) +                                 \
                     ((r[k][4] + r[k][5]) + (r[k][6] + r[k][7]));                                  \
    }
#define FS_GROUP_DISPATCH(NAME, T)                                                                 \
    static void NAME(const T *x, double *out)                                                      \
    {                                                                                              \
        if (__builtin_cpu_supports("avx512f"))                                                     \
            NAME##_v8(x, out);                                                                     \
        else                                                                                       \
            NAME##_v4(x, out);                                                                     \
    }
#else
#define DEFINE_FAST_GROUP8(NAME, T, SKIP)
#define FS_GROUP_DISPATCH(NAME, T)                                                                 \
    static void NAME(const T *x, double *out)                                                      \
    {                                                                                              \
        NAME##_v4(x, out);                                                                         \
    }
#endif

DEFINE_FAST_GROUP(group_f32, float, FS_LOAD_F32, 0)
DEFINE_FAST_GROUP(group_f64, double, FS_LOAD_F64, 0)
DEFINE_FAST_GROUP(group_nan_f32, float, FS_LOAD_F32, 1)
DEFINE_FAST_GROUP(group_nan_f64, double, FS_LOAD_F64, 1)
DEFINE_FAST_GROUP8(group_f32, float, 0)
DEFINE_FAST_GROUP8(group_f64, double, 0)
DEFINE_FAST_GROUP8(group_nan_f32, float, 1)
DEFINE_FAST_GROUP8(group_nan_f64, double, 1)
FS_GROUP_DISPATCH(group_f32, float)
FS_GROUP_DISPATCH(group_f64, double)
FS_GROUP_DISPATCH(group_nan_f32, float)
FS_GROUP_DISPATCH(group_nan_f64, double)

double pc_fast_sum_float(const void *x_, size_t n, parchunk_dtype dtype, bool skipna)
{
    const unsigned char *x = x_;
    size_t size = parchunk_dtype_size(dtype);
    double stack[PC_PAIRWISE_LEVELS];
    size_t depth = 0, blocks = 0;
    /* Groups start at block 0 and hold FS_GROUP (a power of two) blocks, so
     * the binary counter over blocks merges each group into
     * (g0 + g1) + (g2 + g3) before merging it with earlier subtrees: the
     * same additions as a counter over groups (fewer unpredictable branches). */
    size_t b = 0, groups = 0;
    for (; n - b >= FS_GROUP * (size_t)PC_PAIRWISE_BLOCK; b += FS_GROUP * PC_PAIRWISE_BLOCK) {
        const void *p = x + b * size;
        double g[FS_GROUP];
        if (dtype == PARCHUNK_FLOAT32)
            skipna ? group_nan_f32(p, g) : group_f32(p, g);
        else
            skipna ? group_nan_f64(p, g) : group_f64(p, g);
        double s = (g[0] + g[1]) + (g[2] + g[3]);
        for (size_t k = ++groups; (k & 1) == 0; k >>= 1)
            s = stack[--depth] + s;
        stack[depth++] = s;
    }
    /* the stack now holds what the block counter holds after 4 * groups blocks */
    blocks = groups * FS_GROUP;
    for (; b < n; b += PC_PAIRWISE_BLOCK) {
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
