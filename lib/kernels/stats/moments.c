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

/* Floats: sixteen accumulators for each sum, as four 4-lane vectors (lane l
 * of vector k is accumulator 4k + l, which takes the elements i with
 * i % 16 == 4k + l), written with GCC vector extensions because the
 * compiler does not map a scalar form onto vector lanes by itself (and 4
 * lanes: GCC 12 compiles 8-lane vectors for AVX2 or the baseline through
 * the stack); AVX-512 and AVX2 clones. Four independent chains per sum keep
 * the adders busy (eight accumulators were latency-bound). The same
 * operations on every path: the same bits. */
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

/* D = V - M, lanes where V is NaN set to 0 when SKIP. */
#define DEV4(V, M, SKIP) ((SKIP) ? (pc_v4d)((pc_v4l)((V) - (M)) & ((V) == (V))) : (V) - (M))

/* The sixteen accumulators summed: pairs 8 apart, then a tree over 8. */
#define HSUM16(A)                                                                                  \
    __extension__({                                                                                \
        pc_v4d l_ = (A)[0] + (A)[2], h_ = (A)[1] + (A)[3];                                         \
        (((l_[0] + l_[1]) + (l_[2] + l_[3])) + ((h_[0] + h_[1]) + (h_[2] + h_[3])));               \
    })

#define DEFINE_DEV_VEC(NAME, T, LOAD, SKIP)                                                        \
    PC_CLONES static void NAME##_v4(const T *x, size_t n, double m, double *c_out, double *q_out)  \
    {                                                                                              \
        pc_v4d zero = {0, 0, 0, 0}, mv = zero + m;                                                 \
        pc_v4d cv[4] = {zero, zero, zero, zero}, qv[4] = {zero, zero, zero, zero};                 \
        size_t i = 0;                                                                              \
        for (; i + 16 <= n; i += 16) {                                                             \
            __builtin_prefetch(x + i + PC_STATS_BLOCK);                                            \
            __builtin_prefetch(x + i + 8 + PC_STATS_BLOCK);                                        \
            for (int k = 0; k < 4; k++) {                                                          \
                pc_v4d v;                                                                          \
                LOAD(v, x + i + 4 * k);                                                            \
                pc_v4d d = DEV4(v, mv, SKIP);                                                      \
                cv[k] += d;                                                                        \
                qv[k] += d * d;                                                                    \
            }                                                                                      \
        }                                                                                          \
        double c = HSUM16(cv), q = HSUM16(qv);                                                     \
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

#ifdef PC_STATS_AVX512
typedef double pc_v8d __attribute__((vector_size(64)));
typedef float pc_v8f __attribute__((vector_size(32)));
typedef int64_t pc_v8l __attribute__((vector_size(64)));

#define LOAD8(V, T, P)                                                                             \
    do {                                                                                           \
        if (sizeof(T) == 4) {                                                                      \
            pc_v8f f_;                                                                             \
            memcpy(&f_, (P), sizeof f_);                                                           \
            (V) = __builtin_convertvector(f_, pc_v8d);                                             \
        } else                                                                                     \
            memcpy(&(V), (P), sizeof(V));                                                          \
    } while (0)

/* The 4-lane kernels on 8-lane vectors, lane for lane: the pair (cv[0],
 * cv[1]) is c0, (cv[2], cv[3]) is c1; (lov[0], lov[1]) is lo0, (lov[2],
 * lov[3]) lo1. */
#define DEFINE_DEV8(NAME, T, SKIP, MINMAX)                                                         \
    __attribute__((target("avx512f"))) static void NAME##_v8(const T *x, size_t n, double m,       \
                                                             double *c_out, double *q_out,         \
                                                             double *lo_out, double *hi_out)       \
    {                                                                                              \
        pc_v8d zero = {0}, mv = zero + m, c0 = zero, c1 = zero, q0 = zero, q1 = zero;              \
        double first = (double)x[0];                                                               \
        pc_v8d lo0 = zero + first, lo1 = lo0, hi0 = lo0, hi1 = lo0;                                \
        size_t i = 0;                                                                              \
        for (; i + 16 <= n; i += 16) {                                                             \
            __builtin_prefetch(x + i + PC_STATS_BLOCK);                                            \
            __builtin_prefetch(x + i + 8 + PC_STATS_BLOCK);                                        \
            pc_v8d v0, v1;                                                                         \
            LOAD8(v0, T, x + i);                                                                   \
            LOAD8(v1, T, x + i + 8);                                                               \
            pc_v8d d0 = v0 - mv, d1 = v1 - mv;                                                     \
            if (SKIP) {                                                                            \
                d0 = (pc_v8d)((pc_v8l)d0 & (v0 == v0));                                            \
                d1 = (pc_v8d)((pc_v8l)d1 & (v1 == v1));                                            \
            }                                                                                      \
            c0 += d0;                                                                              \
            c1 += d1;                                                                              \
            q0 += d0 * d0;                                                                         \
            q1 += d1 * d1;                                                                         \
            if (MINMAX) {                                                                          \
                pc_v8l t0 = (v0 < lo0), t1 = (v1 < lo1), u0 = (v0 > hi0), u1 = (v1 > hi1);         \
                lo0 = (pc_v8d)(((pc_v8l)v0 & t0) | ((pc_v8l)lo0 & ~t0));                           \
                lo1 = (pc_v8d)(((pc_v8l)v1 & t1) | ((pc_v8l)lo1 & ~t1));                           \
                hi0 = (pc_v8d)(((pc_v8l)v0 & u0) | ((pc_v8l)hi0 & ~u0));                           \
                hi1 = (pc_v8d)(((pc_v8l)v1 & u1) | ((pc_v8l)hi1 & ~u1));                           \
            }                                                                                      \
        }                                                                                          \
        pc_v8d cs = c0 + c1, qs = q0 + q1;                                                         \
        double c = ((cs[0] + cs[1]) + (cs[2] + cs[3])) + ((cs[4] + cs[5]) + (cs[6] + cs[7]));      \
        double q = ((qs[0] + qs[1]) + (qs[2] + qs[3])) + ((qs[4] + qs[5]) + (qs[6] + qs[7]));      \
        double l = first, h = first;                                                               \
        if (MINMAX)                                                                                \
            for (int j = 0; j < 16; j++) {                                                         \
                double a = j < 8 ? lo0[j] : lo1[j - 8], b = j < 8 ? hi0[j] : hi1[j - 8];           \
                l = a < l ? a : l;                                                                 \
                h = b > h ? b : h;                                                                 \
            }                                                                                      \
        for (; i < n; i++) {                                                                       \
            double v = (double)x[i];                                                               \
            double d = v - m;                                                                      \
            if (SKIP)                                                                              \
                d = v == v ? d : 0.0;                                                              \
            c += d;                                                                                \
            q += d * d;                                                                            \
            if (MINMAX) {                                                                          \
                l = v < l ? v : l;                                                                 \
                h = v > h ? v : h;                                                                 \
            }                                                                                      \
        }                                                                                          \
        *c_out = c;                                                                                \
        *q_out = q;                                                                                \
        if (MINMAX) {                                                                              \
            *lo_out = l;                                                                           \
            *hi_out = h;                                                                           \
        }                                                                                          \
    }
#define HAVE_512() __builtin_cpu_supports("avx512f")
#else
#define DEFINE_DEV8(NAME, T, SKIP, MINMAX)
#define HAVE_512() 0
#define dev_f32_v8(...) ((void)0)
#define dev_f64_v8(...) ((void)0)
#define devnan_f32_v8(...) ((void)0)
#define devnan_f64_v8(...) ((void)0)
#define devmm_f32_v8(...) ((void)0)
#define devmm_f64_v8(...) ((void)0)
#endif

/* The 8-lane version where AVX-512 is there, else the 4-lane clones. */
#define DEFINE_DEV_DISPATCH(NAME, T)                                                               \
    static void NAME(const T *x, size_t n, double m, double *c, double *q)                         \
    {                                                                                              \
        if (HAVE_512())                                                                            \
            NAME##_v8(x, n, m, c, q, NULL, NULL);                                                  \
        else                                                                                       \
            NAME##_v4(x, n, m, c, q);                                                              \
    }

DEFINE_DEV_VEC(dev_f32, float, LOAD4_F32, 0)
DEFINE_DEV_VEC(dev_f64, double, LOAD4_F64, 0)
DEFINE_DEV_VEC(devnan_f32, float, LOAD4_F32, 1)
DEFINE_DEV_VEC(devnan_f64, double, LOAD4_F64, 1)
DEFINE_DEV8(dev_f32, float, 0, 0)
DEFINE_DEV8(dev_f64, double, 0, 0)
DEFINE_DEV8(devnan_f32, float, 1, 0)
DEFINE_DEV8(devnan_f64, double, 1, 0)
DEFINE_DEV_DISPATCH(dev_f32, float)
DEFINE_DEV_DISPATCH(dev_f64, double)
DEFINE_DEV_DISPATCH(devnan_f32, float)
DEFINE_DEV_DISPATCH(devnan_f64, double)

/* DEFINE_DEV_VEC (the same c and q, bit for bit) that also keeps the block's
 * smallest and largest element, for parchunk_stats: one pass instead of
 * three. NaN lanes never win a compare here, so lo/hi are only meaningful
 * when c and q are finite (then the block holds no NaN and no inf); the
 * caller falls back to pc_block_extreme otherwise. n >= 1. */
#define DEFINE_DEV_MINMAX(NAME, T, LOAD)                                                           \
    PC_CLONES static void NAME##_v4(const T *x, size_t n, double m, double *c_out, double *q_out,  \
                                    double *lo_out, double *hi_out)                                \
    {                                                                                              \
        pc_v4d zero = {0, 0, 0, 0}, mv = zero + m;                                                 \
        pc_v4d cv[4] = {zero, zero, zero, zero}, qv[4] = {zero, zero, zero, zero};                 \
        double first = (double)x[0];                                                               \
        pc_v4d lov[4], hiv[4];                                                                     \
        for (int k = 0; k < 4; k++)                                                                \
            lov[k] = hiv[k] = zero + first;                                                        \
        size_t i = 0;                                                                              \
        for (; i + 16 <= n; i += 16) {                                                             \
            __builtin_prefetch(x + i + PC_STATS_BLOCK);                                            \
            __builtin_prefetch(x + i + 8 + PC_STATS_BLOCK);                                        \
            for (int k = 0; k < 4; k++) {                                                          \
                pc_v4d v;                                                                          \
                LOAD(v, x + i + 4 * k);                                                            \
                pc_v4d d = v - mv;                                                                 \
                cv[k] += d;                                                                        \
                qv[k] += d * d;                                                                    \
                pc_v4l t = v < lov[k];                                                             \
                pc_v4l u = v > hiv[k];                                                             \
                lov[k] = (pc_v4d)(((pc_v4l)v & t) | ((pc_v4l)lov[k] & ~t));                        \
                hiv[k] = (pc_v4d)(((pc_v4l)v & u) | ((pc_v4l)hiv[k] & ~u));                        \
            }                                                                                      \
        }                                                                                          \
        double c = HSUM16(cv), q = HSUM16(qv), lo = first, hi = first;                             \
        for (int k = 0; k < 4; k++)                                                                \
            for (int j = 0; j < 4; j++) {                                                          \
                lo = lov[k][j] < lo ? lov[k][j] : lo;                                              \
                hi = hiv[k][j] > hi ? hiv[k][j] : hi;                                              \
            }                                                                                      \
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

DEFINE_DEV_MINMAX(devmm_f32, float, LOAD4_F32)
DEFINE_DEV_MINMAX(devmm_f64, double, LOAD4_F64)
DEFINE_DEV8(devmm_f32, float, 0, 1)
DEFINE_DEV8(devmm_f64, double, 0, 1)

/* The fused pass needs vector compares, which GCC 12 turns into scalar
 * code for the x86-64 baseline (SSE2): there the separate extreme kernels
 * run instead (the same min and max; which zero a -0.0 / +0.0 tie gives
 * may differ, as between pc_block_extreme and pc_min). Builds without
 * clones (sanitizers, PC_BASELINE_ONLY, other targets) always fuse. */
#ifdef PC_STATS_CLONES
#define FUSED_OK() __builtin_cpu_supports("avx2")
#else
#define FUSED_OK() 1
#endif

static void devmm(const void *x, size_t n, parchunk_dtype dtype, double m, double *c, double *q,
                  double *lo, double *hi)
{
    if (dtype == PARCHUNK_FLOAT32) {
        if (HAVE_512())
            devmm_f32_v8(x, n, m, c, q, lo, hi);
        else
            devmm_f32_v4(x, n, m, c, q, lo, hi);
    } else {
        if (HAVE_512())
            devmm_f64_v8(x, n, m, c, q, lo, hi);
        else
            devmm_f64_v4(x, n, m, c, q, lo, hi);
    }
}

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
    devmm(x, n, dtype, m, c, q, &dlo, &dhi);
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
        bool fused = is_float && !skipna && (flags & PC_STATS_MINMAX) &&
                     (flags & PC_STATS_MOMENTS) && FUSED_OK();
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
