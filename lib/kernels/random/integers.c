/*
 * integers.c - unbiased integers in [low, low + range) from Philox blocks,
 * by Lemire's multiply-and-reject method with a per-value retry counter.
 *
 * Value i, attempt a = 0, 1, 2, ...: x = the 64-bit word pair (0, 1) (i even)
 * or (2, 3) (i odd) of block (c0, c1) = i / 2, c2 = a, c3 = PC_DOMAIN_INTEGERS.
 * m = x * range (128 bits). The attempt is accepted when (m mod 2^64) >=
 * threshold = 2^64 mod range; then value = low + floor(m / 2^64). Accepted
 * products cover each result exactly floor(2^64 / range) times: unbiased.
 * Each value's retries use its own counters, so value i depends only on
 * (seed, i, low, high), never on its neighbours or on the chunking.
 */
#include <stdbool.h>
#include <string.h>

#include "batch.h"
#include "random.h"

__extension__ typedef unsigned __int128 u128;

/* Attempts 1, 2, ... of value `index` (rare: probability < range / 2^64). */
static uint64_t retry_high(const uint32_t key[2], uint64_t index, uint64_t range,
                           uint64_t threshold)
{
    uint64_t block = index / 2;
    int half = (int)(index % 2);
    for (uint32_t attempt = 1;; attempt++) { /* wraps after 2^32 attempts: never reached */
        uint32_t ctr[4] = {(uint32_t)block, (uint32_t)(block >> 32), attempt, PC_DOMAIN_INTEGERS};
        uint32_t w[4];
        pc_philox4x32_10_block(ctr, key, w);
        u128 m = (u128)pc_words_u64(w[2 * half], w[2 * half + 1]) * range;
        if ((uint64_t)m >= threshold)
            return (uint64_t)(m >> 64);
    }
}

/* Values of one batch (2 per block, in index order) into dst. */
typedef void (*integers_convert_fn)(const pc_philox_words *words, const uint32_t key[2],
                                    uint64_t first_block, int64_t low, uint64_t range,
                                    uint64_t threshold, int64_t *dst);

static void convert_integers_generic(const pc_philox_words *words, const uint32_t key[2],
                                     uint64_t first_block, int64_t low, uint64_t range,
                                     uint64_t threshold, int64_t *dst)
{
    for (size_t b = 0; b < PC_PHILOX_BATCH; b++) {
        for (unsigned half = 0; half < 2; half++) {
            u128 m = (u128)pc_words_u64(words->w[2 * half][b], words->w[2 * half + 1][b]) * range;
            uint64_t high = (uint64_t)(m >> 64);
            if (PC_UNLIKELY((uint64_t)m < threshold))
                high = retry_high(key, 2 * (first_block + b) + half, range, threshold);
            /* wraps into the int64 range: no signed overflow */
            dst[2 * b + half] = (int64_t)((uint64_t)low + high);
        }
    }
}

#if defined(PC_HAVE_X86_BATCH)
#include <immintrin.h>

/*
 * The 128-bit product x * range of 4 lanes from 32-bit halves (pmuludq):
 * x = xh 2^32 + xl, range = rh 2^32 + rl; mid = (xl rl >> 32) + lo32(xl rh)
 * + lo32(xh rl) < 2^34, low = mid << 32 | lo32(xl rl), high = xh rh +
 * (xl rh >> 32) + (xh rl >> 32) + (mid >> 32). Exact, as the scalar u128.
 */
PC_TARGET_AVX2 static inline void mul128_4(__m256i xl, __m256i xh, __m256i rl, __m256i rh,
                                           __m256i *low, __m256i *high)
{
    const __m256i m32 = _mm256_set1_epi64x(0xffffffff);
    __m256i ll = _mm256_mul_epu32(xl, rl), lh = _mm256_mul_epu32(xl, rh);
    __m256i hl = _mm256_mul_epu32(xh, rl), hh = _mm256_mul_epu32(xh, rh);
    __m256i mid =
        _mm256_add_epi64(_mm256_add_epi64(_mm256_srli_epi64(ll, 32), _mm256_and_si256(lh, m32)),
                         _mm256_and_si256(hl, m32));
    *low = _mm256_or_si256(_mm256_slli_epi64(mid, 32), _mm256_and_si256(ll, m32));
    *high =
        _mm256_add_epi64(_mm256_add_epi64(hh, _mm256_srli_epi64(lh, 32)),
                         _mm256_add_epi64(_mm256_srli_epi64(hl, 32), _mm256_srli_epi64(mid, 32)));
}

/* low + high per lane, with the rare rejected lanes (low64 < threshold,
 * unsigned) replaced by their retries. */
PC_TARGET_AVX2 static inline __m256i place4_int(__m128i lo_words, __m128i hi_words, __m256i rl,
                                                __m256i rh, __m256i threshold_biased, __m256i base,
                                                const uint32_t key[2], uint64_t first_index,
                                                uint64_t range, uint64_t threshold)
{
    __m256i low64, high64;
    mul128_4(_mm256_cvtepu32_epi64(lo_words), _mm256_cvtepu32_epi64(hi_words), rl, rh, &low64,
             &high64);
    const __m256i bias = _mm256_set1_epi64x(INT64_MIN);
    __m256i rejected = _mm256_cmpgt_epi64(threshold_biased, _mm256_xor_si256(low64, bias));
    int mask = _mm256_movemask_pd(_mm256_castsi256_pd(rejected));
    if (PC_UNLIKELY(mask != 0)) {
        uint64_t h[4];
        _mm256_storeu_si256((__m256i *)h, high64);
        for (int lane = 0; lane < 4; lane++)
            if (mask & (1 << lane))
                h[lane] = retry_high(key, first_index + 2 * (uint64_t)lane, range, threshold);
        high64 = _mm256_loadu_si256((const __m256i *)h);
    }
    return _mm256_add_epi64(base, high64);
}

PC_TARGET_AVX2 static void convert_integers_avx2(const pc_philox_words *words,
                                                 const uint32_t key[2], uint64_t first_block,
                                                 int64_t low, uint64_t range, uint64_t threshold,
                                                 int64_t *dst)
{
    const __m256i rl = _mm256_set1_epi64x((long long)(range & 0xffffffff));
    const __m256i rh = _mm256_set1_epi64x((long long)(range >> 32));
    const __m256i tb = _mm256_set1_epi64x((long long)(threshold ^ ((uint64_t)1 << 63)));
    const __m256i base = _mm256_set1_epi64x((long long)low);
    for (size_t b = 0; b < PC_PHILOX_BATCH; b += 4) {
#define PC_LOAD_WORDS(k) _mm_loadu_si128((const __m128i *)&words->w[k][b])
        uint64_t index = 2 * (first_block + b);
        __m256i even = place4_int(PC_LOAD_WORDS(0), PC_LOAD_WORDS(1), rl, rh, tb, base, key, index,
                                  range, threshold);
        __m256i odd = place4_int(PC_LOAD_WORDS(2), PC_LOAD_WORDS(3), rl, rh, tb, base, key,
                                 index + 1, range, threshold);
#undef PC_LOAD_WORDS
        __m256i t0 = _mm256_unpacklo_epi64(even, odd); /* e0 o0 e2 o2 */
        __m256i t1 = _mm256_unpackhi_epi64(even, odd); /* e1 o1 e3 o3 */
        _mm256_storeu_si256((__m256i *)(dst + 2 * b), _mm256_permute2x128_si256(t0, t1, 0x20));
        _mm256_storeu_si256((__m256i *)(dst + 2 * b + 4), _mm256_permute2x128_si256(t0, t1, 0x31));
    }
}
#define PC_CONVERT_INTEGERS_AVX2 convert_integers_avx2

/* mul128_4() for 8 lanes; with rh = 0 (range < 2^32) two products vanish. */
PC_TARGET_AVX512 static inline void mul128_8(__m512i xl, __m512i xh, __m512i rl, __m512i rh,
                                             bool small_range, __m512i *low, __m512i *high)
{
    const __m512i m32 = _mm512_set1_epi64(0xffffffff);
    __m512i ll = _mm512_mul_epu32(xl, rl), hl = _mm512_mul_epu32(xh, rl);
    if (small_range) {
        __m512i mid = _mm512_add_epi64(_mm512_srli_epi64(ll, 32), _mm512_and_si512(hl, m32));
        *low = _mm512_or_si512(_mm512_slli_epi64(mid, 32), _mm512_and_si512(ll, m32));
        *high = _mm512_add_epi64(_mm512_srli_epi64(hl, 32), _mm512_srli_epi64(mid, 32));
        return;
    }
    __m512i lh = _mm512_mul_epu32(xl, rh), hh = _mm512_mul_epu32(xh, rh);
    __m512i mid =
        _mm512_add_epi64(_mm512_add_epi64(_mm512_srli_epi64(ll, 32), _mm512_and_si512(lh, m32)),
                         _mm512_and_si512(hl, m32));
    *low = _mm512_or_si512(_mm512_slli_epi64(mid, 32), _mm512_and_si512(ll, m32));
    *high =
        _mm512_add_epi64(_mm512_add_epi64(hh, _mm512_srli_epi64(lh, 32)),
                         _mm512_add_epi64(_mm512_srli_epi64(hl, 32), _mm512_srli_epi64(mid, 32)));
}

/* place4_int() for 8 lanes (unsigned compare in one instruction). */
PC_TARGET_AVX512 static inline __m512i place8_int(__m256i lo_words, __m256i hi_words, __m512i rl,
                                                  __m512i rh, bool small_range, __m512i threshold_v,
                                                  __m512i base, const uint32_t key[2],
                                                  uint64_t first_index, uint64_t range,
                                                  uint64_t threshold)
{
    __m512i low64, high64;
    mul128_8(_mm512_cvtepu32_epi64(lo_words), _mm512_cvtepu32_epi64(hi_words), rl, rh, small_range,
             &low64, &high64);
    __mmask8 rejected = _mm512_cmplt_epu64_mask(low64, threshold_v);
    if (PC_UNLIKELY(rejected != 0)) {
        uint64_t h[8];
        _mm512_storeu_si512((void *)h, high64);
        for (int lane = 0; lane < 8; lane++)
            if (rejected & (1u << lane))
                h[lane] = retry_high(key, first_index + 2 * (uint64_t)lane, range, threshold);
        high64 = _mm512_loadu_si512((const void *)h);
    }
    return _mm512_add_epi64(base, high64);
}

PC_TARGET_AVX512 static inline void convert_integers_avx512_body(const pc_philox_words *words,
                                                                 const uint32_t key[2],
                                                                 uint64_t first_block, int64_t low,
                                                                 uint64_t range, uint64_t threshold,
                                                                 bool small_range, int64_t *dst)
{
    const __m512i rl = _mm512_set1_epi64((long long)(range & 0xffffffff));
    const __m512i rh = _mm512_set1_epi64((long long)(range >> 32));
    const __m512i tv = _mm512_set1_epi64((long long)threshold);
    const __m512i base = _mm512_set1_epi64((long long)low);
    const __m512i first = _mm512_set_epi64(11, 3, 10, 2, 9, 1, 8, 0);
    const __m512i second = _mm512_set_epi64(15, 7, 14, 6, 13, 5, 12, 4);
    for (size_t b = 0; b < PC_PHILOX_BATCH; b += 8) {
#define PC_LOAD_WORDS(k) _mm256_load_si256((const __m256i *)&words->w[k][b])
        uint64_t index = 2 * (first_block + b);
        __m512i even = place8_int(PC_LOAD_WORDS(0), PC_LOAD_WORDS(1), rl, rh, small_range, tv, base,
                                  key, index, range, threshold);
        __m512i odd = place8_int(PC_LOAD_WORDS(2), PC_LOAD_WORDS(3), rl, rh, small_range, tv, base,
                                 key, index + 1, range, threshold);
#undef PC_LOAD_WORDS
        _mm512_storeu_si512((void *)(dst + 2 * b), _mm512_permutex2var_epi64(even, first, odd));
        _mm512_storeu_si512((void *)(dst + 2 * b + 8),
                            _mm512_permutex2var_epi64(even, second, odd));
    }
}

PC_TARGET_AVX512 static void convert_integers_avx512(const pc_philox_words *words,
                                                     const uint32_t key[2], uint64_t first_block,
                                                     int64_t low, uint64_t range,
                                                     uint64_t threshold, int64_t *dst)
{
    if (range >> 32 == 0)
        convert_integers_avx512_body(words, key, first_block, low, range, threshold, true, dst);
    else
        convert_integers_avx512_body(words, key, first_block, low, range, threshold, false, dst);
}
#define PC_CONVERT_INTEGERS_AVX512 convert_integers_avx512
#else
#define PC_CONVERT_INTEGERS_AVX2 convert_integers_generic
#define PC_CONVERT_INTEGERS_AVX512 convert_integers_generic
#endif

PC_ALWAYS_INLINE void integers_body(pc_philox_batch_fn batch, integers_convert_fn convert,
                                    const uint32_t key[2], uint64_t first, size_t n, int64_t low,
                                    uint64_t range, uint64_t threshold, int64_t *out)
{
    enum { PER_BATCH = 2 * PC_PHILOX_BATCH };
    pc_philox_words words;
    int64_t tmp[PER_BATCH];
    size_t done = 0;
    while (done < n) {
        uint64_t index = first + done;
        size_t skip = (size_t)(index % 2);
        size_t take = PER_BATCH - skip;
        if (take > n - done)
            take = n - done;
        uint64_t first_block = index / 2;
        batch(key, first_block, 0, PC_DOMAIN_INTEGERS, &words);
        int64_t *dst = (skip == 0 && take == PER_BATCH) ? out + done : tmp;
        convert(&words, key, first_block, low, range, threshold, dst);
        if (dst == tmp)
            memcpy(out + done, tmp + skip, take * sizeof *out);
        done += take;
    }
}

void pc_integers_generic(const uint32_t key[2], uint64_t first, size_t n, int64_t low,
                         uint64_t range, uint64_t threshold, int64_t *out)
{
    integers_body(PC_BATCH_GENERIC, convert_integers_generic, key, first, n, low, range, threshold,
                  out);
}

PC_TARGET_AVX2 void pc_integers_avx2(const uint32_t key[2], uint64_t first, size_t n, int64_t low,
                                     uint64_t range, uint64_t threshold, int64_t *out)
{
    integers_body(PC_BATCH_AVX2, PC_CONVERT_INTEGERS_AVX2, key, first, n, low, range, threshold,
                  out);
}

PC_TARGET_AVX512 void pc_integers_avx512(const uint32_t key[2], uint64_t first, size_t n,
                                         int64_t low, uint64_t range, uint64_t threshold,
                                         int64_t *out)
{
    integers_body(PC_BATCH_AVX512, PC_CONVERT_INTEGERS_AVX512, key, first, n, low, range, threshold,
                  out);
}
