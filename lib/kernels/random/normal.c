/*
 * normal.c - normal values by the Box-Muller transform on Philox blocks.
 *
 * Block j (domain PC_DOMAIN_NORMAL) gives values 2j and 2j + 1:
 *   u1 = ((x(w0, w1) >> 11) + 1) * 2^-53   in (0, 1]  (never 0: log is finite)
 *   m  = x(w2, w3) >> 11                    in [0, 2^53)
 *   rad = sqrt(-2 * log(u1)), (s, c) = sin and cos of 2 pi m / 2^53
 *   value[2j] = loc + scale * (rad * c), value[2j+1] = loc + scale * (rad * s)
 * with log, sin, cos from mathfn.h (identical on every platform); float32
 * output is the float64 value rounded once.
 */
#include <math.h>
#include <stdbool.h>
#include <string.h>

/* The documented mapping has no fused multiply-add: forbid contraction
 * (GCC does not contract in ISO C mode; clang would by default). */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

#include "batch.h"
#include "mathfn.h"
#include "random.h"

/* Values of one batch (2 per block, in index order) into dst. */
typedef void (*normal_convert_fn)(const pc_philox_words *words, double loc, double scale,
                                  double *dst);

static void convert_normal_generic(const pc_philox_words *words, double loc, double scale,
                                   double *dst)
{
    for (size_t b = 0; b < PC_PHILOX_BATCH; b++) {
        uint64_t a = pc_words_u64(words->w[0][b], words->w[1][b]);
        uint64_t m = pc_words_u64(words->w[2][b], words->w[3][b]) >> 11;
        double u1 = pc_u53_unit(a) + 0x1p-53; /* exact: ((a >> 11) + 1) * 2^-53 */
        double rad = sqrt(-2.0 * pc_log_normal_range(u1));
        double s, c;
        pc_sincos_turn(m, &s, &c);
        dst[2 * b] = loc + scale * (rad * c);
        dst[2 * b + 1] = loc + scale * (rad * s);
    }
}

#if defined(PC_HAVE_X86_BATCH)
#include <immintrin.h>

/* 4 x (lo_word + hi_word * 2^32) as 64-bit lanes. */
PC_TARGET_AVX2 static inline __m256i join_words(__m128i lo, __m128i hi)
{
    return _mm256_or_si256(_mm256_cvtepu32_epi64(lo),
                           _mm256_slli_epi64(_mm256_cvtepu32_epi64(hi), 32));
}

/* Exact conversion of 64-bit lanes v < 2^52 to double. */
PC_TARGET_AVX2 static inline __m256d small_u64_to_pd(__m256i v)
{
    const __m256i magic = _mm256_set1_epi64x(0x4330000000000000);
    return _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(v, magic)), _mm256_set1_pd(0x1p52));
}

#define PC_MUL _mm256_mul_pd
#define PC_ADD _mm256_add_pd
#define PC_C(v) _mm256_set1_pd(v)

/* c[0] + z * (c[1] + z * (... c[n-1])): the scalar Horner order. */
PC_TARGET_AVX2 static inline __m256d horner4(__m256d z, const double *c, int n)
{
    __m256d acc = PC_C(c[n - 1]);
    for (int k = n - 2; k >= 0; k--)
        acc = PC_ADD(PC_C(c[k]), PC_MUL(z, acc));
    return acc;
}

/* pc_log_normal_range(), 4 lanes, the same operations. */
PC_TARGET_AVX2 static inline __m256d log4(__m256d x)
{
    __m256i bits = _mm256_castpd_si256(x);
    __m256i hx = _mm256_srli_epi64(bits, 32); /* x > 0: the high word, zero-extended */
    __m256i k = _mm256_sub_epi64(_mm256_srli_epi64(hx, 20), _mm256_set1_epi64x(1023));
    hx = _mm256_and_si256(hx, _mm256_set1_epi64x(0x000fffff));
    __m256i i = _mm256_and_si256(_mm256_add_epi64(hx, _mm256_set1_epi64x(0x95f64)),
                                 _mm256_set1_epi64x(0x100000));
    __m256i high = _mm256_or_si256(hx, _mm256_xor_si256(i, _mm256_set1_epi64x(0x3ff00000)));
    __m256i mbits = _mm256_or_si256(_mm256_slli_epi64(high, 32),
                                    _mm256_and_si256(bits, _mm256_set1_epi64x(0xffffffff)));
    k = _mm256_add_epi64(k, _mm256_srli_epi64(i, 20));
    /* k in [-1074, 1024]: (double)k through the exponent trick, biased positive */
    __m256d dk = _mm256_sub_pd(small_u64_to_pd(_mm256_add_epi64(k, _mm256_set1_epi64x(2048))),
                               _mm256_set1_pd(2048.0));
    const __m256d one = _mm256_set1_pd(1.0);
    __m256d f = _mm256_sub_pd(_mm256_castsi256_pd(mbits), one);
    __m256d s = _mm256_div_pd(f, _mm256_add_pd(_mm256_set1_pd(2.0), f));
    __m256d z = _mm256_mul_pd(s, s);
    __m256d w = _mm256_mul_pd(z, z);
    static const double even[] = {PC_LG2, PC_LG4, PC_LG6};
    static const double odd[] = {PC_LG1, PC_LG3, PC_LG5, PC_LG7};
    __m256d t1 = PC_MUL(w, horner4(w, even, 3));
    __m256d t2 = PC_MUL(z, horner4(w, odd, 4));
    __m256d r = PC_ADD(t2, t1);
    __m256d hfsq = PC_MUL(PC_MUL(PC_C(0.5), f), f);
    __m256d inner = PC_ADD(PC_MUL(s, PC_ADD(hfsq, r)), PC_MUL(dk, PC_C(PC_LN2_LO)));
    return _mm256_sub_pd(PC_MUL(dk, PC_C(PC_LN2_HI)), _mm256_sub_pd(_mm256_sub_pd(hfsq, inner), f));
}

PC_TARGET_AVX2 static inline __m256d kernel_sin4(__m256d a)
{
    static const double tail[] = {PC_S2, PC_S3, PC_S4, PC_S5, PC_S6};
    __m256d z = PC_MUL(a, a);
    __m256d v = PC_MUL(z, a);
    __m256d r = horner4(z, tail, 5);
    return PC_ADD(a, PC_MUL(v, PC_ADD(PC_C(PC_S1), PC_MUL(z, r))));
}

PC_TARGET_AVX2 static inline __m256d kernel_cos4(__m256d a)
{
    static const double coef[] = {PC_C1, PC_C2, PC_C3, PC_C4, PC_C5, PC_C6};
    __m256d z = PC_MUL(a, a);
    __m256d r = PC_MUL(z, horner4(z, coef, 6));
    __m256d hz = PC_MUL(PC_C(0.5), z);
    __m256d w = _mm256_sub_pd(PC_C(1.0), hz);
    return PC_ADD(w, PC_ADD(_mm256_sub_pd(_mm256_sub_pd(PC_C(1.0), w), hz), PC_MUL(z, r)));
}

/* Lanes where (v & bit) != 0, as an all-ones 64-bit mask. */
PC_TARGET_AVX2 static inline __m256d has_bit(__m256i v, long long bit)
{
    __m256i b = _mm256_set1_epi64x(bit);
    return _mm256_castsi256_pd(_mm256_cmpeq_epi64(_mm256_and_si256(v, b), b));
}

/* pc_sincos_turn(), 4 lanes. */
PC_TARGET_AVX2 static inline void sincos_turn4(__m256i m, __m256d *sin_out, __m256d *cos_out)
{
    __m256i o = _mm256_srli_epi64(m, 50);
    __m256d r =
        PC_MUL(small_u64_to_pd(_mm256_and_si256(m, _mm256_set1_epi64x(((long long)1 << 50) - 1))),
               PC_C(0x1p-50));
    __m256d angle =
        PC_MUL(_mm256_blendv_pd(r, _mm256_sub_pd(PC_C(1.0), r), has_bit(o, 1)), PC_C(PC_PIO4));
    __m256d s = kernel_sin4(angle), c = kernel_cos4(angle);
    __m256d swap = has_bit(_mm256_add_epi64(o, _mm256_set1_epi64x(1)), 2);
    __m256d sin_t = _mm256_blendv_pd(s, c, swap), cos_t = _mm256_blendv_pd(c, s, swap);
    __m256d sign = PC_C(-0.0);
    *sin_out = _mm256_xor_pd(sin_t, _mm256_and_pd(has_bit(o, 4), sign));
    *cos_out = _mm256_xor_pd(
        cos_t, _mm256_and_pd(has_bit(_mm256_add_epi64(o, _mm256_set1_epi64x(2)), 4), sign));
}

PC_TARGET_AVX2 static void convert_normal_avx2(const pc_philox_words *words, double loc_,
                                               double scale_, double *dst)
{
    const __m256d loc = PC_C(loc_), scale = PC_C(scale_);
    for (size_t b = 0; b < PC_PHILOX_BATCH; b += 4) {
#define PC_LOAD_WORDS(k) _mm_loadu_si128((const __m128i *)&words->w[k][b])
        __m256i a = join_words(PC_LOAD_WORDS(0), PC_LOAD_WORDS(1));
        __m256i m = _mm256_srli_epi64(join_words(PC_LOAD_WORDS(2), PC_LOAD_WORDS(3)), 11);
#undef PC_LOAD_WORDS
        /* ((a >> 11) + 1) * 2^-53: a >> 11 < 2^53 splits into two exact halves */
        __m256i a53 = _mm256_srli_epi64(a, 11);
        __m256d u =
            PC_ADD(PC_MUL(small_u64_to_pd(_mm256_srli_epi64(a53, 32)), PC_C(0x1p-21)),
                   PC_MUL(small_u64_to_pd(_mm256_and_si256(a53, _mm256_set1_epi64x(0xffffffff))),
                          PC_C(0x1p-53)));
        __m256d u1 = PC_ADD(u, PC_C(0x1p-53));
        __m256d rad = _mm256_sqrt_pd(PC_MUL(PC_C(-2.0), log4(u1)));
        __m256d s, c;
        sincos_turn4(m, &s, &c);
        __m256d even = PC_ADD(loc, PC_MUL(scale, PC_MUL(rad, c)));
        __m256d odd = PC_ADD(loc, PC_MUL(scale, PC_MUL(rad, s)));
        __m256d t0 = _mm256_unpacklo_pd(even, odd); /* e0 o0 e2 o2 */
        __m256d t1 = _mm256_unpackhi_pd(even, odd); /* e1 o1 e3 o3 */
        _mm256_storeu_pd(dst + 2 * b, _mm256_permute2f128_pd(t0, t1, 0x20));
        _mm256_storeu_pd(dst + 2 * b + 4, _mm256_permute2f128_pd(t0, t1, 0x31));
    }
}
#undef PC_MUL
#undef PC_ADD
#undef PC_C
#define PC_CONVERT_NORMAL_AVX2 convert_normal_avx2
#else
#define PC_CONVERT_NORMAL_AVX2 convert_normal_generic
#endif

PC_ALWAYS_INLINE void normal_body(pc_philox_batch_fn batch, normal_convert_fn convert,
                                  const uint32_t key[2], uint64_t first, size_t n, double loc,
                                  double scale, double *out64, float *out32)
{
    enum { PER_BATCH = 2 * PC_PHILOX_BATCH };
    pc_philox_words words;
    double tmp[PER_BATCH];
    size_t done = 0;
    while (done < n) {
        uint64_t index = first + done;
        size_t skip = (size_t)(index % 2);
        size_t take = PER_BATCH - skip;
        if (take > n - done)
            take = n - done;
        batch(key, index / 2, 0, PC_DOMAIN_NORMAL, &words);
        bool direct = out64 != NULL && skip == 0 && take == PER_BATCH;
        double *dst = direct ? out64 + done : tmp;
        convert(&words, loc, scale, dst);
        if (out64 != NULL) {
            if (!direct)
                memcpy(out64 + done, tmp + skip, take * sizeof *out64);
        } else {
            for (size_t k = 0; k < take; k++)
                out32[done + k] = (float)tmp[skip + k];
        }
        done += take;
    }
}

void pc_normal_generic(const uint32_t key[2], uint64_t first, size_t n, double loc, double scale,
                       double *out64, float *out32)
{
    normal_body(PC_BATCH_GENERIC, convert_normal_generic, key, first, n, loc, scale, out64, out32);
}

PC_TARGET_AVX2 void pc_normal_avx2(const uint32_t key[2], uint64_t first, size_t n, double loc,
                                   double scale, double *out64, float *out32)
{
    normal_body(PC_BATCH_AVX2, PC_CONVERT_NORMAL_AVX2, key, first, n, loc, scale, out64, out32);
}

/* The AVX-512 batch with the AVX2 conversion (inlined here). */
PC_TARGET_AVX512 void pc_normal_avx512(const uint32_t key[2], uint64_t first, size_t n, double loc,
                                       double scale, double *out64, float *out32)
{
    normal_body(PC_BATCH_AVX512, PC_CONVERT_NORMAL_AVX2, key, first, n, loc, scale, out64, out32);
}
