/*
 * moments.c - count, sum, mean, M2 (and min/max) of one chunk in one read of
 * memory: the chunk is cut into cache-resident blocks; each block is read
 * twice (its sum, then the deviations from its mean), which is the stable
 * two-pass method, and blocks are merged with Chan's formulas. Means are
 * carried as double-doubles so that data with a large common offset
 * (1e9 + noise) keeps full relative accuracy in M2.
 */
#include <math.h>
#include <string.h>

#include "../reduce/pairwise.h"
#include "stats.h"

/* hi + lo = a + b exactly (Knuth's two-sum). */
static void two_sum(double a, double b, double *hi, double *lo)
{
    double s = a + b;
    double bb = s - a;
    *lo = (a - (s - bb)) + (b - bb);
    *hi = s;
}

void pc_moments_merge(pc_moments *a, const pc_moments *b)
{
    if (b->count == 0)
        return;
    if (a->count == 0) {
        *a = *b;
        return;
    }
    double na = (double)a->count, nb = (double)b->count, n = na + nb;
    /* mean_hi values of nearby data differ exactly (Sterbenz); the lo parts
     * carry what rounding the means lost. */
    double delta = (b->mean_hi - a->mean_hi) + (b->mean_lo - a->mean_lo);
    double t = delta * (nb / n);
    double hi, err;
    two_sum(a->mean_hi, t, &hi, &err);
    double lo = a->mean_lo + err;
    two_sum(hi, lo, &a->mean_hi, &a->mean_lo);
    if (!isfinite(a->mean_hi))
        a->mean_lo = 0.0; /* keep inf/NaN means clean */
    a->m2 = a->m2 + b->m2 + delta * delta * (na * (nb / n));
    a->count += b->count;
}

/* Sums of (x - m) and (x - m)^2 over one block, eight accumulators each.
 * SKIP: NaN elements contribute 0. */
#define DEFINE_DEV(NAME, T, SKIP)                                                                  \
    PC_CLONES static void NAME(const T *x, size_t n, double m, double *c_out, double *q_out)       \
    {                                                                                              \
        double c[8] = {0}, q[8] = {0};                                                             \
        size_t i = 0;                                                                              \
        for (; i + 8 <= n; i += 8)                                                                 \
            for (int j = 0; j < 8; j++) {                                                          \
                double v = (double)x[i + j];                                                       \
                double d = v - m;                                                                  \
                if (SKIP)                                                                          \
                    d = v == v ? d : 0.0;                                                          \
                c[j] += d;                                                                         \
                q[j] += d * d;                                                                     \
            }                                                                                      \
        for (; i < n; i++) {                                                                       \
            double v = (double)x[i];                                                               \
            double d = v - m;                                                                      \
            if (SKIP)                                                                              \
                d = v == v ? d : 0.0;                                                              \
            c[0] += d;                                                                             \
            q[0] += d * d;                                                                         \
        }                                                                                          \
        *c_out = ((c[0] + c[1]) + (c[2] + c[3])) + ((c[4] + c[5]) + (c[6] + c[7]));                \
        *q_out = ((q[0] + q[1]) + (q[2] + q[3])) + ((q[4] + q[5]) + (q[6] + q[7]));                \
    }

DEFINE_DEV(dev_i8, int8_t, 0)
DEFINE_DEV(dev_u8, uint8_t, 0)
DEFINE_DEV(dev_i16, int16_t, 0)
DEFINE_DEV(dev_u16, uint16_t, 0)
DEFINE_DEV(dev_i32, int32_t, 0)
DEFINE_DEV(dev_u32, uint32_t, 0)
DEFINE_DEV(dev_i64, int64_t, 0)
DEFINE_DEV(dev_u64, uint64_t, 0)

/* Floats: the same eight accumulators as two 4-lane vectors (lane j of the
 * pair is accumulator j above, so the bits are those of the scalar loop),
 * written with GCC vector extensions because the compiler does not map the
 * scalar form onto vector lanes by itself. */
typedef double pc_v4d __attribute__((vector_size(32)));
typedef float pc_v4f __attribute__((vector_size(16)));
typedef int64_t pc_v4l __attribute__((vector_size(32)));

/* Loads four elements as doubles into V (macros: a vector return value
 * would change the ABI between the clones). */
#define LOAD4_F64(V, P) memcpy(&(V), (P), sizeof(V))
#define LOAD4_F32(V, P)                                                                            \
    do {                                                                                           \
        pc_v4f f_;                                                                                 \
        memcpy(&f_, (P), sizeof f_);                                                               \
        (V) = __builtin_convertvector(f_, pc_v4d);                                                 \
    } while (0)

#define DEFINE_DEV_VEC(NAME, T, LOAD, SKIP)                                                        \
    PC_CLONES static void NAME(const T *x, size_t n, double m, double *c_out, double *q_out)       \
    {                                                                                              \
        pc_v4d c0 = {0, 0, 0, 0}, c1 = c0, q0 = c0, q1 = c0, mv = {m, m, m, m};                    \
        size_t i = 0;                                                                              \
        for (; i + 8 <= n; i += 8) {                                                               \
            pc_v4d v0, v1;                                                                         \
            LOAD(v0, x + i);                                                                       \
            LOAD(v1, x + i + 4);                                                                   \
            pc_v4d d0 = v0 - mv, d1 = v1 - mv;                                                     \
            if (SKIP) {                                                                            \
                d0 = (pc_v4d)((pc_v4l)d0 & (v0 == v0));                                            \
                d1 = (pc_v4d)((pc_v4l)d1 & (v1 == v1));                                            \
            }                                                                                      \
            c0 += d0;                                                                              \
            c1 += d1;                                                                              \
            q0 += d0 * d0;                                                                         \
            q1 += d1 * d1;                                                                         \
        }                                                                                          \
        double c[8] = {c0[0], c0[1], c0[2], c0[3], c1[0], c1[1], c1[2], c1[3]};                    \
        double q[8] = {q0[0], q0[1], q0[2], q0[3], q1[0], q1[1], q1[2], q1[3]};                    \
        for (; i < n; i++) {                                                                       \
            double v = (double)x[i];                                                               \
            double d = v - m;                                                                      \
            if (SKIP)                                                                              \
                d = v == v ? d : 0.0;                                                              \
            c[0] += d;                                                                             \
            q[0] += d * d;                                                                         \
        }                                                                                          \
        *c_out = ((c[0] + c[1]) + (c[2] + c[3])) + ((c[4] + c[5]) + (c[6] + c[7]));                \
        *q_out = ((q[0] + q[1]) + (q[2] + q[3])) + ((q[4] + q[5]) + (q[6] + q[7]));                \
    }

DEFINE_DEV_VEC(dev_f32, float, LOAD4_F32, 0)
DEFINE_DEV_VEC(dev_f64, double, LOAD4_F64, 0)
DEFINE_DEV_VEC(devnan_f32, float, LOAD4_F32, 1)
DEFINE_DEV_VEC(devnan_f64, double, LOAD4_F64, 1)

static void deviations(const void *x, size_t n, parchunk_dtype dtype, bool skipna, double m,
                       double *c, double *q)
{
    switch (dtype) {
    case PARCHUNK_INT8: dev_i8(x, n, m, c, q); break;
    case PARCHUNK_UINT8: dev_u8(x, n, m, c, q); break;
    case PARCHUNK_INT16: dev_i16(x, n, m, c, q); break;
    case PARCHUNK_UINT16: dev_u16(x, n, m, c, q); break;
    case PARCHUNK_INT32: dev_i32(x, n, m, c, q); break;
    case PARCHUNK_UINT32: dev_u32(x, n, m, c, q); break;
    case PARCHUNK_INT64: dev_i64(x, n, m, c, q); break;
    case PARCHUNK_UINT64: dev_u64(x, n, m, c, q); break;
    case PARCHUNK_FLOAT32:
        if (skipna)
            devnan_f32(x, n, m, c, q);
        else
            dev_f32(x, n, m, c, q);
        break;
    case PARCHUNK_FLOAT64:
        if (skipna)
            devnan_f64(x, n, m, c, q);
        else
            dev_f64(x, n, m, c, q);
        break;
    default: *c = *q = 0.0; break;
    }
}

/* Folds the block's extremes into out (the pair goes through the same
 * kernels, so NaN rules are the kernels'). */
static void merge_extremes(pc_chunk_stats *out, const void *x, size_t n, parchunk_dtype dtype,
                           bool skipna, bool first)
{
    size_t size = parchunk_dtype_size(dtype);
    uint64_t lo = 0, hi = 0;
    if (skipna) {
        pc_nanmin(x, n, dtype, &lo);
        pc_nanmax(x, n, dtype, &hi);
    } else {
        pc_block_extreme(x, n, dtype, false, &lo);
        pc_block_extreme(x, n, dtype, true, &hi);
    }
    if (first) {
        out->min = lo;
        out->max = hi;
        return;
    }
    unsigned char pair[16];
    memcpy(pair, &out->min, size);
    memcpy(pair + size, &lo, size);
    pc_min(pair, 2, dtype, &out->min);
    memcpy(pair, &out->max, size);
    memcpy(pair + size, &hi, size);
    pc_max(pair, 2, dtype, &out->max);
}

void pc_stats_chunk(const void *x_, size_t n, parchunk_dtype dtype, unsigned flags,
                    pc_chunk_stats *out)
{
    const unsigned char *x = x_;
    size_t size = parchunk_dtype_size(dtype);
    bool is_float = pc_dtype_is_float(dtype);
    bool skipna = is_float && (flags & PC_STATS_SKIPNA);
    memset(out, 0, sizeof *out);

    /* binary counter over block sums: the pairwise tree of pc_sum_float */
    double stack[PC_PAIRWISE_LEVELS];
    size_t depth = 0, blocks = 0;
    for (size_t b = 0; b < n; b += PC_STATS_BLOCK) {
        size_t len = n - b < PC_STATS_BLOCK ? n - b : PC_STATS_BLOCK;
        const void *p = x + b * size;
        double s;
        uint64_t k = len;
        if (is_float) {
            s = pc_fast_sum_float(p, len, dtype, skipna);
            if (skipna)
                k = pc_count_not_nan(p, len, dtype);
            double t = s;
            for (size_t c = ++blocks; (c & 1) == 0; c >>= 1)
                t = stack[--depth] + t;
            stack[depth++] = t;
        } else {
            pc_i128 is = pc_sum_int(p, len, dtype);
            out->isum += is;
            s = (double)is;
        }
        if (k == 0)
            continue;
        if (flags & PC_STATS_MINMAX)
            merge_extremes(out, p, len, dtype, skipna, out->count == 0);
        out->count += k;
        if (flags & PC_STATS_MOMENTS) {
            double m = s / (double)k, c, q;
            deviations(p, len, dtype, skipna, m, &c, &q);
            double m2 = q - c * (c / (double)k);
            if (m2 < 0.0)
                m2 = 0.0; /* rounding; NaN stays NaN */
            pc_moments blk = {k, m, c / (double)k, m2};
            if (!isfinite(m))
                blk.mean_lo = 0.0;
            pc_moments_merge(&out->mom, &blk);
        }
    }
    double res = depth ? stack[--depth] : 0.0;
    while (depth)
        res = stack[--depth] + res;
    out->sum = res;
}
