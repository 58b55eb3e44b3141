/*
 * uniform.c - uniform float64 and float32 values from Philox blocks.
 *
 * float64: value i uses block i / 2 (domain PC_DOMAIN_UNIFORM_F64), words
 * (0, 1) for even i and (2, 3) for odd i, as u = (x >> 11) * 2^-53.
 * float32: value i uses word i % 4 of block i / 4 (PC_DOMAIN_UNIFORM_F32),
 * u = (w >> 8) * 2^-24. Then r = low + span * u, clamped below high.
 */
#include <string.h>

/* The documented mapping has no fused multiply-add: forbid contraction
 * (GCC does not contract in ISO C mode; clang would by default). */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

#include "batch.h"
#include "random.h"

/*
 * (x >> 11) * 2^-53 for x = lo_word + hi_word * 2^32, without a 64-bit
 * integer conversion (x86-64 has no vector one below AVX-512): x >> 11 =
 * hi_word * 2^21 + (lo_word >> 11), and both parts convert exactly from
 * int32 (hi_word through a sign flip and + 2^31). The two scaled parts
 * occupy disjoint bit ranges of a 53-bit significand, so their sum is exact:
 * the same value as pc_u53_unit(), but a few vector instructions.
 */
PC_ALWAYS_INLINE double u53_unit_fast(uint32_t lo_word, uint32_t hi_word)
{
    double hi = (double)(int32_t)(hi_word ^ 0x80000000u) + 0x1p31;
    double lo = (double)(int32_t)(lo_word >> 11);
    return hi * 0x1p-32 + lo * 0x1p-53;
}

PC_ALWAYS_INLINE double place_f64(double u, double low, double span, double high, double below_high)
{
    double r = low + span * u;
    return r < high ? r : below_high;
}

PC_ALWAYS_INLINE float place_f32(float u, float low, float span, float high, float below_high)
{
    float r = low + span * u;
    return r < high ? r : below_high;
}

/* Values of one batch (2 per block, in index order) into dst. */
typedef void (*f64_convert_fn)(const pc_philox_words *words, double low, double span, double high,
                               double below_high, double *dst);

static void convert_f64_generic(const pc_philox_words *words, double low, double span, double high,
                                double below_high, double *dst)
{
    /* contiguous first (plain vector loops), then one interleaving pass */
    double even[PC_PHILOX_BATCH], odd[PC_PHILOX_BATCH];
    for (size_t b = 0; b < PC_PHILOX_BATCH; b++) {
        even[b] =
            place_f64(u53_unit_fast(words->w[0][b], words->w[1][b]), low, span, high, below_high);
        odd[b] =
            place_f64(u53_unit_fast(words->w[2][b], words->w[3][b]), low, span, high, below_high);
    }
    for (size_t b = 0; b < PC_PHILOX_BATCH; b++) {
        dst[2 * b] = even[b];
        dst[2 * b + 1] = odd[b];
    }
}

#if defined(PC_HAVE_X86_BATCH)
#include <immintrin.h>

/* u53_unit_fast(), 4 values at once. */
PC_TARGET_AVX2 static inline __m256d unit4(__m128i lo_words, __m128i hi_words)
{
    __m256d hi =
        _mm256_add_pd(_mm256_cvtepi32_pd(_mm_xor_si128(hi_words, _mm_set1_epi32(INT32_MIN))),
                      _mm256_set1_pd(0x1p31));
    __m256d lo = _mm256_cvtepi32_pd(_mm_srli_epi32(lo_words, 11));
    return _mm256_add_pd(_mm256_mul_pd(hi, _mm256_set1_pd(0x1p-32)),
                         _mm256_mul_pd(lo, _mm256_set1_pd(0x1p-53)));
}

/* place_f64(), 4 values at once. */
PC_TARGET_AVX2 static inline __m256d place4(__m256d u, __m256d low, __m256d span, __m256d high,
                                            __m256d below_high)
{
    __m256d r = _mm256_add_pd(low, _mm256_mul_pd(span, u));
    return _mm256_blendv_pd(below_high, r, _mm256_cmp_pd(r, high, _CMP_LT_OQ));
}

/* Stores even (values 2b, 2b+2, ...) and odd lanes interleaved at dst. */
PC_TARGET_AVX2 static inline void store_interleaved(double *dst, __m256d even, __m256d odd)
{
    __m256d t0 = _mm256_unpacklo_pd(even, odd); /* e0 o0 e2 o2 */
    __m256d t1 = _mm256_unpackhi_pd(even, odd); /* e1 o1 e3 o3 */
    _mm256_storeu_pd(dst, _mm256_permute2f128_pd(t0, t1, 0x20));
    _mm256_storeu_pd(dst + 4, _mm256_permute2f128_pd(t0, t1, 0x31));
}

PC_TARGET_AVX2 static void convert_f64_avx2(const pc_philox_words *words, double low_, double span_,
                                            double high_, double below_high_, double *dst)
{
#define PC_LOAD_WORDS(k) _mm_loadu_si128((const __m128i *)&words->w[k][b])
    if (low_ == 0.0 && span_ == 1.0) {
        /* [0, 1): 0 + 1 * u is u and u < 1, so place_f64() is the identity
         * (bit for bit, +0.0 included): skip it. */
        for (size_t b = 0; b < PC_PHILOX_BATCH; b += 4)
            store_interleaved(dst + 2 * b, unit4(PC_LOAD_WORDS(0), PC_LOAD_WORDS(1)),
                              unit4(PC_LOAD_WORDS(2), PC_LOAD_WORDS(3)));
        return;
    }
    const __m256d low = _mm256_set1_pd(low_), span = _mm256_set1_pd(span_);
    const __m256d high = _mm256_set1_pd(high_), below_high = _mm256_set1_pd(below_high_);
    for (size_t b = 0; b < PC_PHILOX_BATCH; b += 4) {
        __m256d even =
            place4(unit4(PC_LOAD_WORDS(0), PC_LOAD_WORDS(1)), low, span, high, below_high);
        __m256d odd =
            place4(unit4(PC_LOAD_WORDS(2), PC_LOAD_WORDS(3)), low, span, high, below_high);
        store_interleaved(dst + 2 * b, even, odd);
    }
#undef PC_LOAD_WORDS
}
#define PC_CONVERT_F64_AVX2 convert_f64_avx2

/* u53_unit_fast(), 8 values at once: AVX-512 converts unsigned 32-bit words
 * directly (vcvtudq2pd), the same exact value as the sign-flip route. */
PC_TARGET_AVX512 static inline __m512d unit8(__m256i lo_words, __m256i hi_words)
{
    __m512d hi = _mm512_cvtepu32_pd(hi_words);
    __m512d lo = _mm512_cvtepi32_pd(_mm256_srli_epi32(lo_words, 11));
    return _mm512_add_pd(_mm512_mul_pd(hi, _mm512_set1_pd(0x1p-32)),
                         _mm512_mul_pd(lo, _mm512_set1_pd(0x1p-53)));
}

/* place_f64(), 8 values at once. */
PC_TARGET_AVX512 static inline __m512d place8(__m512d u, __m512d low, __m512d span, __m512d high,
                                              __m512d below_high)
{
    __m512d r = _mm512_add_pd(low, _mm512_mul_pd(span, u));
    return _mm512_mask_blend_pd(_mm512_cmp_pd_mask(r, high, _CMP_LT_OQ), below_high, r);
}

/* Stores even (values 2b, 2b+2, ...) and odd lanes interleaved at dst. */
PC_TARGET_AVX512 static inline void store_interleaved8(double *dst, __m512d even, __m512d odd)
{
    const __m512i first = _mm512_set_epi64(11, 3, 10, 2, 9, 1, 8, 0);
    const __m512i second = _mm512_set_epi64(15, 7, 14, 6, 13, 5, 12, 4);
    _mm512_storeu_pd(dst, _mm512_permutex2var_pd(even, first, odd));
    _mm512_storeu_pd(dst + 8, _mm512_permutex2var_pd(even, second, odd));
}

PC_TARGET_AVX512 static void convert_f64_avx512(const pc_philox_words *words, double low_,
                                                double span_, double high_, double below_high_,
                                                double *dst)
{
#define PC_LOAD_WORDS(k) _mm256_load_si256((const __m256i *)&words->w[k][b])
    if (low_ == 0.0 && span_ == 1.0) {
        /* [0, 1): place_f64() is the identity, as in convert_f64_avx2() */
        for (size_t b = 0; b < PC_PHILOX_BATCH; b += 8)
            store_interleaved8(dst + 2 * b, unit8(PC_LOAD_WORDS(0), PC_LOAD_WORDS(1)),
                               unit8(PC_LOAD_WORDS(2), PC_LOAD_WORDS(3)));
        return;
    }
    const __m512d low = _mm512_set1_pd(low_), span = _mm512_set1_pd(span_);
    const __m512d high = _mm512_set1_pd(high_), below_high = _mm512_set1_pd(below_high_);
    for (size_t b = 0; b < PC_PHILOX_BATCH; b += 8) {
        __m512d even =
            place8(unit8(PC_LOAD_WORDS(0), PC_LOAD_WORDS(1)), low, span, high, below_high);
        __m512d odd =
            place8(unit8(PC_LOAD_WORDS(2), PC_LOAD_WORDS(3)), low, span, high, below_high);
        store_interleaved8(dst + 2 * b, even, odd);
    }
#undef PC_LOAD_WORDS
}
#define PC_CONVERT_F64_AVX512 convert_f64_avx512
#else
#define PC_CONVERT_F64_AVX2 convert_f64_generic
#define PC_CONVERT_F64_AVX512 convert_f64_generic
#endif

PC_ALWAYS_INLINE void uniform_f64_body(pc_philox_batch_fn batch, f64_convert_fn convert,
                                       const uint32_t key[2], uint64_t first, size_t n, double low,
                                       double span, double high, double below_high, double *out)
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
        batch(key, index / 2, 0, PC_DOMAIN_UNIFORM_F64, &words);
        double *dst = (skip == 0 && take == PER_BATCH) ? out + done : tmp;
        convert(&words, low, span, high, below_high, dst);
        if (dst == tmp)
            memcpy(out + done, tmp + skip, take * sizeof *out);
        done += take;
    }
}

PC_ALWAYS_INLINE void uniform_f32_body(pc_philox_batch_fn batch, const uint32_t key[2],
                                       uint64_t first, size_t n, float low, float span, float high,
                                       float below_high, float *out)
{
    enum { PER_BATCH = 4 * PC_PHILOX_BATCH };
    pc_philox_words words;
    float tmp[PER_BATCH];
    size_t done = 0;
    while (done < n) {
        uint64_t index = first + done;
        size_t skip = (size_t)(index % 4);
        size_t take = PER_BATCH - skip;
        if (take > n - done)
            take = n - done;
        batch(key, index / 4, 0, PC_DOMAIN_UNIFORM_F32, &words);
        float *dst = (skip == 0 && take == PER_BATCH) ? out + done : tmp;
        for (size_t b = 0; b < PC_PHILOX_BATCH; b++) {
            for (size_t k = 0; k < 4; k++) {
                /* w >> 8 < 2^24: exact through a signed 32-bit conversion */
                float u = (float)(int32_t)(words.w[k][b] >> 8) * 0x1p-24f;
                dst[4 * b + k] = place_f32(u, low, span, high, below_high);
            }
        }
        if (dst == tmp)
            memcpy(out + done, tmp + skip, take * sizeof *out);
        done += take;
    }
}

void pc_uniform_f64_generic(const uint32_t key[2], uint64_t first, size_t n, double low,
                            double span, double high, double below_high, double *out)
{
    uniform_f64_body(PC_BATCH_GENERIC, convert_f64_generic, key, first, n, low, span, high,
                     below_high, out);
}

PC_TARGET_AVX2 void pc_uniform_f64_avx2(const uint32_t key[2], uint64_t first, size_t n, double low,
                                        double span, double high, double below_high, double *out)
{
    uniform_f64_body(PC_BATCH_AVX2, PC_CONVERT_F64_AVX2, key, first, n, low, span, high, below_high,
                     out);
}

void pc_uniform_f32_generic(const uint32_t key[2], uint64_t first, size_t n, float low, float span,
                            float high, float below_high, float *out)
{
    uniform_f32_body(PC_BATCH_GENERIC, key, first, n, low, span, high, below_high, out);
}

PC_TARGET_AVX2 void pc_uniform_f32_avx2(const uint32_t key[2], uint64_t first, size_t n, float low,
                                        float span, float high, float below_high, float *out)
{
    uniform_f32_body(PC_BATCH_AVX2, key, first, n, low, span, high, below_high, out);
}

PC_TARGET_AVX512 void pc_uniform_f64_avx512(const uint32_t key[2], uint64_t first, size_t n,
                                            double low, double span, double high, double below_high,
                                            double *out)
{
    uniform_f64_body(PC_BATCH_AVX512, PC_CONVERT_F64_AVX512, key, first, n, low, span, high,
                     below_high, out);
}

PC_TARGET_AVX512 void pc_uniform_f32_avx512(const uint32_t key[2], uint64_t first, size_t n,
                                            float low, float span, float high, float below_high,
                                            float *out)
{
    uniform_f32_body(PC_BATCH_AVX512, key, first, n, low, span, high, below_high, out);
}
