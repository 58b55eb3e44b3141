/*
 * moments.c - count, sum, mean, M2 (and min/max) of one chunk in one read of
 * memory: the chunk is cut into cache-resident blocks; each block is read
 * twice (its sum, then the deviations from its mean), which is the stable
 * two-pass method, and blocks are merged with Chan's formulas. Means are
 * carried as double-doubles so that data with a large common offset
 * (1e9 + noise) keeps full relative accuracy in M2. The deviation pass
 * prefetches the next block, so memory keeps streaming while the block in
 * cache is worked on (var runs near the speed of a plain sum), and for
 * parchunk_stats it also keeps the block's min and max (one pass in cache
 * instead of three).
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

/* Floats: sixteen accumulators for each sum, as two 8-lane vectors (lane j
 * of the pair is accumulator j, which takes the elements i with i % 16 ==
 * j), written with GCC vector extensions because the compiler does not map
 * a scalar form onto vector lanes by itself; AVX-512 and AVX2 clones. Four
 * independent chains per sum keep the adders busy (eight accumulators were
 * latency-bound). The same operations on every path: the same bits. */
typedef double pc_v4d __attribute__((vector_size(32)));
typedef double pc_v8d __attribute__((vector_size(64)));
typedef float pc_v8f __attribute__((vector_size(32)));
typedef int64_t pc_v4l __attribute__((vector_size(32)));

/* Loads eight elements as doubles into V (macros: a vector return value
 * would change the ABI between the clones). */
#define LOAD8_F64(V, P) memcpy(&(V), (P), sizeof(V))
#define LOAD8_F32(V, P)                                                                            \
    do {                                                                                           \
        pc_v8f f_;                                                                                 \
        memcpy(&f_, (P), sizeof f_);                                                               \
        (V) = __builtin_convertvector(f_, pc_v8d);                                                 \
    } while (0)

/* D = V - M, with lanes where V is NaN set to 0 when SKIP (on 4-lane halves:
 * GCC 12 fails on the 8-lane compare for the baseline target). */
#define DEV8(D, V, M, SKIP)                                                                        \
    do {                                                                                           \
        (D) = (V) - (M);                                                                           \
        if (SKIP) {                                                                                \
            pc_v4d dh_[2], vh_[2];                                                                 \
            memcpy(dh_, &(D), sizeof dh_);                                                         \
            memcpy(vh_, &(V), sizeof vh_);                                                         \
            dh_[0] = (pc_v4d)((pc_v4l)dh_[0] & (vh_[0] == vh_[0]));                                \
            dh_[1] = (pc_v4d)((pc_v4l)dh_[1] & (vh_[1] == vh_[1]));                                \
            memcpy(&(D), dh_, sizeof dh_);                                                         \
        }                                                                                          \
    } while (0)

#define HSUM16(A, B)                                                                               \
    __extension__({                                                                                \
        pc_v8d h_ = (A) + (B);                                                                     \
        (((h_[0] + h_[1]) + (h_[2] + h_[3])) + ((h_[4] + h_[5]) + (h_[6] + h_[7])));               \
    })

#define DEFINE_DEV_VEC(NAME, T, LOAD, SKIP)                                                        \
    PC_CLONES_512 static void NAME(const T *x, size_t n, double m, double *c_out, double *q_out)   \
    {                                                                                              \
        pc_v8d c0 = {0}, c1 = c0, q0 = c0, q1 = c0, mv = c0 + m;                                   \
        size_t i = 0;                                                                              \
        for (; i + 16 <= n; i += 16) {                                                             \
            pc_v8d v0, v1, d0, d1;                                                                 \
            __builtin_prefetch(x + i + PC_STATS_BLOCK);                                            \
            __builtin_prefetch(x + i + 8 + PC_STATS_BLOCK);                                        \
            LOAD(v0, x + i);                                                                       \
            LOAD(v1, x + i + 8);                                                                   \
            DEV8(d0, v0, mv, SKIP);                                                                \
            DEV8(d1, v1, mv, SKIP);                                                                \
            c0 += d0;                                                                              \
            c1 += d1;                                                                              \
            q0 += d0 * d0;                                                                         \
            q1 += d1 * d1;                                                                         \
        }                                                                                          \
        double c = HSUM16(c0, c1), q = HSUM16(q0, q1);                                             \
        for (; i < n; i++) {                                                                       \
            double v = (double)x[i];                                                               \
            double d = v - m;                                                                      \
            if (SKIP)                                                                              \
                d = v == v ? d : 0.0;                                                              \
            c += d;                                                                                \
            q += d * d;                                                                            \
        }                                                                                          \
        *c_out = c;                                                                                \
        *q_out = q;                                                                                \
    }

DEFINE_DEV_VEC(dev_f32, float, LOAD8_F32, 0)
DEFINE_DEV_VEC(dev_f64, double, LOAD8_F64, 0)
DEFINE_DEV_VEC(devnan_f32, float, LOAD8_F32, 1)
DEFINE_DEV_VEC(devnan_f64, double, LOAD8_F64, 1)

typedef int64_t pc_v8l __attribute__((vector_size(64)));

/* DEFINE_DEV_VEC (the same c and q, bit for bit) that also keeps the block's
 * smallest and largest element, for parchunk_stats: one pass instead of
 * three. NaN lanes never win a compare here, so lo/hi are only meaningful
 * when c and q are finite (then the block holds no NaN and no inf); the
 * caller falls back to pc_block_extreme otherwise. n >= 1. */
#define DEFINE_DEV_MINMAX(NAME, T, LOAD)                                                           \
    PC_CLONES_512 static void NAME(const T *x, size_t n, double m, double *c_out, double *q_out,   \
                                   double *lo_out, double *hi_out)                                 \
    {                                                                                              \
        pc_v8d c0 = {0}, c1 = c0, q0 = c0, q1 = c0, mv = c0 + m;                                   \
        double first = (double)x[0];                                                               \
        pc_v8d lo0 = c0 + first, lo1 = lo0, hi0 = lo0, hi1 = lo0;                                  \
        size_t i = 0;                                                                              \
        for (; i + 16 <= n; i += 16) {                                                             \
            __builtin_prefetch(x + i + PC_STATS_BLOCK);                                            \
            __builtin_prefetch(x + i + 8 + PC_STATS_BLOCK);                                        \
            pc_v8d v0, v1, d0, d1;                                                                 \
            LOAD(v0, x + i);                                                                       \
            LOAD(v1, x + i + 8);                                                                   \
            d0 = v0 - mv;                                                                          \
            d1 = v1 - mv;                                                                          \
            c0 += d0;                                                                              \
            c1 += d1;                                                                              \
            q0 += d0 * d0;                                                                         \
            q1 += d1 * d1;                                                                         \
            pc_v8l t0 = v0<lo0, t1 = v1<lo1, u0 = v0> hi0, u1 = v1> hi1;                           \
            lo0 = (pc_v8d)(((pc_v8l)v0 & t0) | ((pc_v8l)lo0 & ~t0));                               \
            lo1 = (pc_v8d)(((pc_v8l)v1 & t1) | ((pc_v8l)lo1 & ~t1));                               \
            hi0 = (pc_v8d)(((pc_v8l)v0 & u0) | ((pc_v8l)hi0 & ~u0));                               \
            hi1 = (pc_v8d)(((pc_v8l)v1 & u1) | ((pc_v8l)hi1 & ~u1));                               \
        }                                                                                          \
        double c = HSUM16(c0, c1), q = HSUM16(q0, q1), lo = first, hi = first;                     \
        for (int j = 0; j < 8; j++) {                                                              \
            lo = lo0[j] < lo ? lo0[j] : lo;                                                        \
            lo = lo1[j] < lo ? lo1[j] : lo;                                                        \
            hi = hi0[j] > hi ? hi0[j] : hi;                                                        \
            hi = hi1[j] > hi ? hi1[j] : hi;                                                        \
        }                                                                                          \
        for (; i < n; i++) {                                                                       \
            double v = (double)x[i];                                                               \
            double d = v - m;                                                                      \
            c += d;                                                                                \
            q += d * d;                                                                            \
            lo = v < lo ? v : lo;                                                                  \
            hi = v > hi ? v : hi;                                                                  \
        }                                                                                          \
        *c_out = c;                                                                                \
        *q_out = q;                                                                                \
        *lo_out = lo;                                                                              \
        *hi_out = hi;                                                                              \
    }

DEFINE_DEV_MINMAX(devmm_f32, float, LOAD8_F32)
DEFINE_DEV_MINMAX(devmm_f64, double, LOAD8_F64)

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

/* Folds a block's extremes lo, hi (elements of dtype) into out. */
static void merge_pair(pc_chunk_stats *out, uint64_t lo, uint64_t hi, parchunk_dtype dtype,
                       bool first)
{
    size_t size = parchunk_dtype_size(dtype);
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

/* Folds the block's extremes into out (the pair goes through the same
 * kernels, so NaN rules are the kernels'). */
static void merge_extremes(pc_chunk_stats *out, const void *x, size_t n, parchunk_dtype dtype,
                           bool skipna, bool first)
{
    uint64_t lo = 0, hi = 0;
    if (skipna) {
        pc_nanmin(x, n, dtype, &lo);
        pc_nanmax(x, n, dtype, &hi);
    } else {
        pc_block_extreme(x, n, dtype, false, &lo);
        pc_block_extreme(x, n, dtype, true, &hi);
    }
    merge_pair(out, lo, hi, dtype, first);
}

/* Moments (c, q) and extremes of a float block in one pass (no skipna). */
static void deviations_extremes(pc_chunk_stats *out, const void *x, size_t n, parchunk_dtype dtype,
                                double m, double *c, double *q, bool first)
{
    double dlo, dhi;
    if (dtype == PARCHUNK_FLOAT32)
        devmm_f32(x, n, m, c, q, &dlo, &dhi);
    else
        devmm_f64(x, n, m, c, q, &dlo, &dhi);
    if (!isfinite(*c) || !isfinite(*q)) {
        /* a NaN or an inf (or an overflow): the extreme kernels decide */
        merge_extremes(out, x, n, dtype, false, first);
        return;
    }
    uint64_t lo = 0, hi = 0;
    if (dtype == PARCHUNK_FLOAT32) {
        float flo = (float)dlo, fhi = (float)dhi; /* exact: they were floats */
        memcpy(&lo, &flo, sizeof flo);
        memcpy(&hi, &fhi, sizeof fhi);
    } else {
        memcpy(&lo, &dlo, sizeof dlo);
        memcpy(&hi, &dhi, sizeof dhi);
    }
    merge_pair(out, lo, hi, dtype, first);
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
        bool first = out->count == 0;
        bool fused = is_float && !skipna && (flags & PC_STATS_MINMAX) && (flags & PC_STATS_MOMENTS);
        if ((flags & PC_STATS_MINMAX) && !fused)
            merge_extremes(out, p, len, dtype, skipna, first);
        out->count += k;
        if (flags & PC_STATS_MOMENTS) {
            double m = s / (double)k, c, q;
            if (fused)
                deviations_extremes(out, p, len, dtype, m, &c, &q, first);
            else
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
