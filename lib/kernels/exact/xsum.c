/*
 * xsum.c - folding elements into the small superaccumulator.
 *
 * The hot loop adds each double to two limbs chosen by its exponent bits, with
 * no branch and no carry: limbs are signed 64-bit and hold 32 value bits when
 * canonical, and each element adds less than 2^52 to a limb, so 1024 elements
 * can go into one accumulator before carries must be propagated
 * (2^32 + 1024 * 2^52 < 2^63). Four accumulators take the elements in turn:
 * consecutive elements of similar magnitude hit the same limb, and a single
 * accumulator would chain every add through a store-to-load forward.
 * inf and NaN are detected per block by one OR of an exponent test; the rare
 * block that holds one is repaired afterwards (the bogus adds are subtracted
 * again) so that the limbs hold the exact sum of the finite elements only.
 */
#include <string.h>

#include "xsum.h"

enum {
    LIMBS = PC_XSUM_LIMBS,
    WAYS = 4,
    PER_WAY = 1024,         /* adds per accumulator between carry passes */
    BLOCK = WAYS * PER_WAY, /* elements per carry pass */
    CONVERT = 512           /* elements converted to double at a time */
};

static const uint64_t LOW32 = 0xffffffffu;

void pc_xsum_init(pc_xsum *s)
{
    memset(s, 0, sizeof *s);
    s->magic = PC_XSUM_MAGIC;
}

/* Carry pass: limbs 0..65 into [0, 2^32), the rest into limb 66. Relies on
 * >> of a negative int64 being arithmetic (true of every compiler we build
 * with; implementation-defined, not undefined). */
static void carry(int64_t *limb)
{
    for (int k = 0; k < LIMBS - 1; k++) {
        int64_t c = limb[k] >> PC_XSUM_LIMB_BITS;
        limb[k] = (int64_t)((uint64_t)limb[k] & LOW32);
        limb[k + 1] += c;
    }
}

/* Adds the finite double with bits `bits` (or garbage for inf/NaN) to acc:
 * the signed significand v times 2^(e' % 32) is split into its low 32 bits
 * (limb e'/32) and the rest (limb e'/32 + 1, floor division). */
static inline __attribute__((always_inline)) void add_bits(int64_t *acc, uint64_t bits)
{
    uint64_t e = (bits >> 52) & 0x7ff;
    uint64_t normal = e != 0;
    uint64_t m = (bits & ((UINT64_C(1) << 52) - 1)) | (normal << 52);
    e += normal ^ 1; /* subnormals and zero use exponent 1 */
    unsigned low = (unsigned)(e & 31);
    size_t high = (size_t)(e >> 5);
    int64_t sign = -(int64_t)(bits >> 63); /* 0 or -1 */
    int64_t v = (int64_t)(m ^ (uint64_t)sign) - sign;
    acc[high] += (int64_t)(((uint64_t)v << low) & LOW32);
    acc[high + 1] += v >> (32 - low); /* arithmetic shift: floor */
}

static inline uint64_t bits_of(double v)
{
    uint64_t b;
    memcpy(&b, &v, sizeof b);
    return b;
}

static inline bool is_special(uint64_t bits)
{
    return ((bits >> 52) & 0x7ff) == 0x7ff;
}

/* One carry block (n <= BLOCK). Returns nonzero if it held an inf or NaN.
 * Instantiated twice: BMI2's shlx/shrx/sarx shift by a register without
 * tying up cl, which shortens the loop noticeably. */
#define DEFINE_ADD_BLOCK(NAME, ATTR)                                                               \
    ATTR static uint64_t NAME(int64_t acc[WAYS][LIMBS], const double *x, size_t n)                 \
    {                                                                                              \
        uint64_t special = 0;                                                                      \
        size_t i = 0;                                                                              \
        for (; i + WAYS <= n; i += WAYS) {                                                         \
            for (int w = 0; w < WAYS; w++) {                                                       \
                uint64_t b = bits_of(x[i + (size_t)w]);                                            \
                special |= ((b >> 52) & 0x7ff) + 1; /* bit 11 set only for 0x7ff */                \
                add_bits(acc[w], b);                                                               \
            }                                                                                      \
        }                                                                                          \
        for (; i < n; i++) {                                                                       \
            uint64_t b = bits_of(x[i]);                                                            \
            special |= ((b >> 52) & 0x7ff) + 1;                                                    \
            add_bits(acc[0], b);                                                                   \
        }                                                                                          \
        return special & 0x800;                                                                    \
    }
DEFINE_ADD_BLOCK(add_block_generic, )
/* PC_XSUM_GENERIC_ONLY (tests/c/test_exact_generic.c) compiles the portable
 * loop alone, so that the suite checks it on machines with AVX2 too. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(PC_XSUM_GENERIC_ONLY)
DEFINE_ADD_BLOCK(add_block_bmi2, __attribute__((target("bmi2"))))
#define HAVE_BMI2_VARIANT 1
#endif

#ifdef HAVE_BMI2_VARIANT
#include <immintrin.h>

/*
 * AVX2: the split of four doubles at a time is computed in vector registers
 * (variable shifts per lane). Same arithmetic as add_bits, except that the
 * sign is applied to both parts (truncating split), which AVX2's
 * logical-only variable shifts allow; the sum of the parts is the same.
 *
 * Most data span a few binary orders of magnitude, i.e. one to three limb
 * indices: elements whose index falls in a window of three (chosen from the
 * block's first element) are added with masks into vector accumulators, one
 * per window index and part, lane k standing for way k - no memory traffic
 * at all. Lanes outside the window (rare for most data) are added to their
 * way's limbs one by one (and counted in *outside). Bounds as in the scalar
 * path: a lane takes at most PER_WAY elements per block, each adding less
 * than 2^52 to any one limb. n % 4 == 0; returns the OR of (exponent + 1).
 */
__attribute__((target("avx2"))) static uint64_t
window_part(int64_t acc[WAYS][LIMBS], const double *x, size_t n, size_t *outside)
{
    const __m256i zero = _mm256_setzero_si256(), one = _mm256_set1_epi64x(1);
    const __m256i exp_mask = _mm256_set1_epi64x(0x7ff), c31 = _mm256_set1_epi64x(31);
    const __m256i c32 = _mm256_set1_epi64x(32), low32 = _mm256_set1_epi64x(0xffffffff);
    const __m256i frac = _mm256_set1_epi64x((INT64_C(1) << 52) - 1);
    const __m256i implicit = _mm256_set1_epi64x(INT64_C(1) << 52);
    size_t first = 1; /* the window: around the limb of the first element */
    if (n > 0) {
        uint64_t b0 = bits_of(x[0]), e0 = (b0 >> 52) & 0x7ff;
        first = (size_t)((e0 + (e0 == 0)) >> 5);
    }
    size_t base = first == 0 ? 0 : first - 1;
    if (base > 62)
        base = 62; /* window base..base+2, limbs up to base+3 */
    const __m256i h0 = _mm256_set1_epi64x((int64_t)base);
    const __m256i h1 = _mm256_set1_epi64x((int64_t)base + 1);
    const __m256i h2 = _mm256_set1_epi64x((int64_t)base + 2);
    __m256i lo0 = zero, lo1 = zero, lo2 = zero, hi0 = zero, hi1 = zero, hi2 = zero;
    __m256i special = zero;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        __m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(x + i));
        __m256i e = _mm256_and_si256(_mm256_srli_epi64(b, 52), exp_mask);
        special = _mm256_or_si256(special, _mm256_add_epi64(e, one));
        __m256i sub = _mm256_cmpeq_epi64(e, zero); /* -1 for zero/subnormal */
        __m256i m = _mm256_or_si256(_mm256_and_si256(b, frac), _mm256_andnot_si256(sub, implicit));
        e = _mm256_sub_epi64(e, sub);
        __m256i low = _mm256_and_si256(e, c31);
        __m256i sign = _mm256_cmpgt_epi64(zero, b);
        __m256i lo = _mm256_and_si256(_mm256_sllv_epi64(m, low), low32);
        __m256i hi = _mm256_srlv_epi64(m, _mm256_sub_epi64(c32, low));
        lo = _mm256_sub_epi64(_mm256_xor_si256(lo, sign), sign);
        hi = _mm256_sub_epi64(_mm256_xor_si256(hi, sign), sign);
        __m256i high = _mm256_srli_epi64(e, 5);
        __m256i m0 = _mm256_cmpeq_epi64(high, h0), m1 = _mm256_cmpeq_epi64(high, h1);
        __m256i m2 = _mm256_cmpeq_epi64(high, h2);
        lo0 = _mm256_add_epi64(lo0, _mm256_and_si256(lo, m0));
        hi0 = _mm256_add_epi64(hi0, _mm256_and_si256(hi, m0));
        lo1 = _mm256_add_epi64(lo1, _mm256_and_si256(lo, m1));
        hi1 = _mm256_add_epi64(hi1, _mm256_and_si256(hi, m1));
        lo2 = _mm256_add_epi64(lo2, _mm256_and_si256(lo, m2));
        hi2 = _mm256_add_epi64(hi2, _mm256_and_si256(hi, m2));
        int inside =
            _mm256_movemask_pd(_mm256_castsi256_pd(_mm256_or_si256(_mm256_or_si256(m0, m1), m2)));
        if (PC_UNLIKELY(inside != 0xf)) {
            *outside += 4 - (size_t)__builtin_popcount((unsigned)inside);
            int64_t hs[4], ls[4], us[4];
            _mm256_storeu_si256((__m256i *)(void *)hs, high);
            _mm256_storeu_si256((__m256i *)(void *)ls, lo);
            _mm256_storeu_si256((__m256i *)(void *)us, hi);
            for (int k = 0; k < 4; k++)
                if (!(inside >> k & 1)) {
                    acc[k][hs[k]] += ls[k];
                    acc[k][hs[k] + 1] += us[k];
                }
        }
    }
    int64_t l0[4], l1[4], l2[4], u0[4], u1[4], u2[4];
    _mm256_storeu_si256((__m256i *)(void *)l0, lo0);
    _mm256_storeu_si256((__m256i *)(void *)l1, lo1);
    _mm256_storeu_si256((__m256i *)(void *)l2, lo2);
    _mm256_storeu_si256((__m256i *)(void *)u0, hi0);
    _mm256_storeu_si256((__m256i *)(void *)u1, hi1);
    _mm256_storeu_si256((__m256i *)(void *)u2, hi2);
    for (int k = 0; k < 4; k++) {
        /* separately: each sum stays within a limb's bound */
        acc[k][base] += l0[k];
        acc[k][base + 1] += u0[k];
        acc[k][base + 1] += l1[k];
        acc[k][base + 2] += u1[k];
        acc[k][base + 2] += l2[k];
        acc[k][base + 3] += u2[k];
    }
    return _mm256_extract_epi64(special, 0) | _mm256_extract_epi64(special, 1) |
           _mm256_extract_epi64(special, 2) | _mm256_extract_epi64(special, 3);
}

/* The general AVX2 path: the split in vector registers, staged, then two
 * scalar limb adds per element (element i to way i % 4). n % 4 == 0. */
__attribute__((target("avx2"))) static uint64_t scatter_part(int64_t acc[WAYS][LIMBS],
                                                             const double *x, size_t n)
{
    enum { STAGE = 64 };
    int64_t high[STAGE], lo_part[STAGE], hi_part[STAGE];
    const __m256i zero = _mm256_setzero_si256(), one = _mm256_set1_epi64x(1);
    const __m256i exp_mask = _mm256_set1_epi64x(0x7ff), c31 = _mm256_set1_epi64x(31);
    const __m256i c32 = _mm256_set1_epi64x(32), low32 = _mm256_set1_epi64x(0xffffffff);
    const __m256i frac = _mm256_set1_epi64x((INT64_C(1) << 52) - 1);
    const __m256i implicit = _mm256_set1_epi64x(INT64_C(1) << 52);
    __m256i special = zero;
    for (size_t i = 0; i < n; i += STAGE) {
        size_t len = n - i < STAGE ? n - i : STAGE;
        for (size_t j = 0; j < len; j += 4) {
            __m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(x + i + j));
            __m256i e = _mm256_and_si256(_mm256_srli_epi64(b, 52), exp_mask);
            special = _mm256_or_si256(special, _mm256_add_epi64(e, one));
            __m256i sub = _mm256_cmpeq_epi64(e, zero);
            __m256i m =
                _mm256_or_si256(_mm256_and_si256(b, frac), _mm256_andnot_si256(sub, implicit));
            e = _mm256_sub_epi64(e, sub);
            __m256i low = _mm256_and_si256(e, c31);
            __m256i sign = _mm256_cmpgt_epi64(zero, b);
            __m256i lo = _mm256_and_si256(_mm256_sllv_epi64(m, low), low32);
            __m256i hi = _mm256_srlv_epi64(m, _mm256_sub_epi64(c32, low));
            lo = _mm256_sub_epi64(_mm256_xor_si256(lo, sign), sign);
            hi = _mm256_sub_epi64(_mm256_xor_si256(hi, sign), sign);
            _mm256_storeu_si256((__m256i *)(void *)(high + j), _mm256_srli_epi64(e, 5));
            _mm256_storeu_si256((__m256i *)(void *)(lo_part + j), lo);
            _mm256_storeu_si256((__m256i *)(void *)(hi_part + j), hi);
        }
        for (size_t j = 0; j < len; j += WAYS)
            for (int w = 0; w < WAYS; w++) {
                size_t h = (size_t)high[j + (size_t)w];
                acc[w][h] += lo_part[j + (size_t)w];
                acc[w][h + 1] += hi_part[j + (size_t)w];
            }
    }
    return _mm256_extract_epi64(special, 0) | _mm256_extract_epi64(special, 1) |
           _mm256_extract_epi64(special, 2) | _mm256_extract_epi64(special, 3);
}

/*
 * One carry block: a probe of PROBE elements through the window path; if
 * more than 1 in 32 of them fell outside its window (data spanning many
 * orders of magnitude: the per-element fallback would mispredict), the rest
 * of the block takes the scatter path, else the window path again.
 */
__attribute__((target("avx2"))) static uint64_t add_block_avx2(int64_t acc[WAYS][LIMBS],
                                                               const double *x, size_t n)
{
    enum { PROBE = 256 };
    size_t main = n & ~(size_t)3, probe = main < PROBE ? main : PROBE, outside = 0;
    uint64_t sp = window_part(acc, x, probe, &outside);
    if (outside * 32 > probe)
        sp |= scatter_part(acc, x + probe, main - probe);
    else
        sp |= window_part(acc, x + probe, main - probe, &outside);
    for (size_t i = main; i < n; i++) { /* at most 3 more adds for way 0 */
        uint64_t b = bits_of(x[i]);
        sp |= ((b >> 52) & 0x7ff) + 1;
        add_bits(acc[0], b);
    }
    return sp & 0x800;
}
#endif

static uint64_t add_block(int64_t acc[WAYS][LIMBS], const double *x, size_t n)
{
#ifdef HAVE_BMI2_VARIANT
    if (__builtin_cpu_supports("avx2"))
        return add_block_avx2(acc, x, n);
    if (__builtin_cpu_supports("bmi2"))
        return add_block_bmi2(acc, x, n);
#endif
    return add_block_generic(acc, x, n);
}

/* Subtracts again what add_block added for the inf/NaN elements, and
 * records their flags. The accumulators must have been carried. */
static uint32_t repair_block(int64_t acc[WAYS][LIMBS], const double *x, size_t n)
{
    uint32_t flags = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t b = bits_of(x[i]);
        if (!is_special(b))
            continue;
        /* any accumulator will do (they are summed); i % WAYS keeps each
         * within PER_WAY adds since the last carry pass */
        add_bits(acc[i % WAYS], b ^ (UINT64_C(1) << 63)); /* exact negation */
        if (b & ((UINT64_C(1) << 52) - 1))
            flags |= PC_XSUM_NAN;
        else
            flags |= (b >> 63) ? PC_XSUM_NEG_INF : PC_XSUM_POS_INF;
    }
    return flags;
}

static void add_doubles(int64_t acc[WAYS][LIMBS], uint32_t *flags, const double *x, size_t n)
{
    for (size_t b = 0; b < n; b += BLOCK) {
        size_t len = n - b < BLOCK ? n - b : BLOCK;
        uint64_t special = add_block(acc, x + b, len);
        for (int w = 0; w < WAYS; w++)
            carry(acc[w]);
        if (PC_UNLIKELY(special)) {
            *flags |= repair_block(acc, x + b, len);
            for (int w = 0; w < WAYS; w++)
                carry(acc[w]);
        }
    }
}

/* Converts n <= CONVERT elements of a non-float64 dtype to doubles whose sum
 * is exactly the sum of the elements; returns how many doubles. */
static size_t to_doubles(double *out, const void *x, size_t n, parchunk_dtype dtype)
{
    switch (dtype) {
#define CONVERT_CASE(DT, T)                                                                        \
    case DT: {                                                                                     \
        const T *p = x;                                                                            \
        for (size_t i = 0; i < n; i++)                                                             \
            out[i] = (double)p[i];                                                                 \
        return n;                                                                                  \
    }
        CONVERT_CASE(PARCHUNK_INT8, int8_t)
        CONVERT_CASE(PARCHUNK_UINT8, uint8_t)
        CONVERT_CASE(PARCHUNK_INT16, int16_t)
        CONVERT_CASE(PARCHUNK_UINT16, uint16_t)
        CONVERT_CASE(PARCHUNK_INT32, int32_t)
        CONVERT_CASE(PARCHUNK_UINT32, uint32_t)
        CONVERT_CASE(PARCHUNK_FLOAT32, float)
#undef CONVERT_CASE
    case PARCHUNK_INT64: {
        /* v = high * 2^32 + low with |high| < 2^31, low < 2^32: both exact */
        const int64_t *p = x;
        for (size_t i = 0; i < n; i++) {
            int64_t high = p[i] >> 32;
            out[2 * i] = (double)high * 4294967296.0;
            out[2 * i + 1] = (double)((uint64_t)p[i] & LOW32);
        }
        return 2 * n;
    }
    case PARCHUNK_UINT64: {
        const uint64_t *p = x;
        for (size_t i = 0; i < n; i++) {
            out[2 * i] = (double)(p[i] >> 32) * 4294967296.0;
            out[2 * i + 1] = (double)(p[i] & LOW32);
        }
        return 2 * n;
    }
    default: return 0;
    }
}

void pc_xsum_add(pc_xsum *s, const void *x, size_t n, parchunk_dtype dtype)
{
    int64_t acc[WAYS][LIMBS];
    memset(acc, 0, sizeof acc);
    uint32_t flags = 0;
    if (dtype == PARCHUNK_FLOAT64) {
        add_doubles(acc, &flags, x, n);
    } else {
        double buf[2 * CONVERT];
        size_t size = parchunk_dtype_size(dtype);
        for (size_t b = 0; b < n; b += CONVERT) {
            size_t len = n - b < CONVERT ? n - b : CONVERT;
            size_t m = to_doubles(buf, (const unsigned char *)x + b * size, len, dtype);
            add_doubles(acc, &flags, buf, m);
        }
    }
    for (int w = 0; w < WAYS; w++) /* each way canonical: no overflow */
        for (int k = 0; k < LIMBS; k++)
            s->limb[k] += acc[w][k];
    carry(s->limb);
    s->flags |= flags;
    s->count += n;
}

bool pc_xsum_merge(pc_xsum *left, const pc_xsum *right)
{
    for (int k = 0; k < LIMBS; k++)
        left->limb[k] += right->limb[k];
    carry(left->limb);
    left->flags |= right->flags;
    uint64_t count = left->count + right->count;
    bool ok = count >= left->count;
    left->count = count;
    return ok;
}

bool pc_xsum_valid(const pc_xsum *s)
{
    if (s->magic != PC_XSUM_MAGIC || (s->flags & ~(uint32_t)PC_XSUM_FLAGS) != 0)
        return false;
    for (int k = 0; k < LIMBS - 1; k++)
        if (s->limb[k] < 0 || s->limb[k] > (int64_t)LOW32)
            return false;
    int64_t top = s->limb[LIMBS - 1];
    return top > -(INT64_C(1) << 60) && top < (INT64_C(1) << 60);
}
