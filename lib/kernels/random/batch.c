/*
 * batch.c - Philox4x32-10 over a batch of consecutive counters, three ways
 * with identical results (see batch.h).
 *
 * The multiply is the cost: each round needs two 32x32 -> 64-bit products
 * per block. Compilers do not vectorise the portable loop well (GCC turns the
 * 64-bit multiply by a constant into shift/add chains), so the x86 variants
 * use pmuludq directly, which multiplies the even 32-bit lanes; the odd
 * lanes go through a 32-bit shift.
 */
#include "batch.h"

/* The round keys of the 10 rounds. */
static inline void round_keys(const uint32_t key[2], uint32_t rk0[PC_PHILOX_ROUNDS],
                              uint32_t rk1[PC_PHILOX_ROUNDS])
{
    uint32_t k0 = key[0], k1 = key[1];
    for (int r = 0; r < PC_PHILOX_ROUNDS; r++) {
        rk0[r] = k0;
        rk1[r] = k1;
        k0 += (uint32_t)PC_PHILOX_W0;
        k1 += (uint32_t)PC_PHILOX_W1;
    }
}

/* Counter words c0, c1 of the batch's blocks. */
static inline void block_counters(uint64_t first_block, uint32_t c0[PC_PHILOX_BATCH],
                                  uint32_t c1[PC_PHILOX_BATCH])
{
    for (size_t b = 0; b < PC_PHILOX_BATCH; b++) {
        uint64_t block = first_block + b;
        c0[b] = (uint32_t)block;
        c1[b] = (uint32_t)(block >> 32);
    }
}

void pc_philox_batch_portable(const uint32_t key[2], uint64_t first_block, uint32_t c2, uint32_t c3,
                              pc_philox_words *out)
{
    for (size_t b = 0; b < PC_PHILOX_BATCH; b++) {
        uint64_t block = first_block + b;
        uint32_t ctr[4] = {(uint32_t)block, (uint32_t)(block >> 32), c2, c3}, w[4];
        pc_philox4x32_10_block(ctr, key, w);
        for (int k = 0; k < 4; k++)
            out->w[k][b] = w[k];
    }
}

#if defined(PC_HAVE_X86_BATCH)
#include <immintrin.h>

/* ---- SSE2: 4 blocks per vector ------------------------------------------ */

/* hi, lo of x * m for 4 lanes (m in the low half of each 64-bit lane). */
static inline void mulhilo_sse2(__m128i x, __m128i m, __m128i *hi, __m128i *lo)
{
    __m128i even = _mm_mul_epu32(x, m);                    /* p0 p2 (64 bits each) */
    __m128i odd = _mm_mul_epu32(_mm_srli_epi64(x, 32), m); /* p1 p3 */
    /* [lo hi lo hi] -> [lo lo hi hi], then interleave even and odd */
    even = _mm_shuffle_epi32(even, _MM_SHUFFLE(3, 1, 2, 0));
    odd = _mm_shuffle_epi32(odd, _MM_SHUFFLE(3, 1, 2, 0));
    *lo = _mm_unpacklo_epi32(even, odd);
    *hi = _mm_unpackhi_epi32(even, odd);
}

void pc_philox_batch_sse2(const uint32_t key[2], uint64_t first_block, uint32_t c2, uint32_t c3,
                          pc_philox_words *out)
{
    uint32_t rk0[PC_PHILOX_ROUNDS], rk1[PC_PHILOX_ROUNDS];
    round_keys(key, rk0, rk1);
    block_counters(first_block, out->w[0], out->w[1]);
    const __m128i m0 = _mm_set1_epi32((int)PC_PHILOX_M0), m1 = _mm_set1_epi32((int)PC_PHILOX_M1);
    /* two vectors per step: independent chains hide the multiply latency */
    for (size_t b = 0; b < PC_PHILOX_BATCH; b += 8) {
        __m128i a0 = _mm_loadu_si128((const __m128i *)&out->w[0][b]);
        __m128i a1 = _mm_loadu_si128((const __m128i *)&out->w[1][b]);
        __m128i b0 = _mm_loadu_si128((const __m128i *)&out->w[0][b + 4]);
        __m128i b1 = _mm_loadu_si128((const __m128i *)&out->w[1][b + 4]);
        __m128i a2 = _mm_set1_epi32((int)c2), a3 = _mm_set1_epi32((int)c3);
        __m128i b2 = a2, b3 = a3;
        for (int r = 0; r < PC_PHILOX_ROUNDS; r++) {
            __m128i k0 = _mm_set1_epi32((int)rk0[r]), k1 = _mm_set1_epi32((int)rk1[r]);
            __m128i ahi0, alo0, ahi1, alo1, bhi0, blo0, bhi1, blo1;
            mulhilo_sse2(a0, m0, &ahi0, &alo0);
            mulhilo_sse2(a2, m1, &ahi1, &alo1);
            mulhilo_sse2(b0, m0, &bhi0, &blo0);
            mulhilo_sse2(b2, m1, &bhi1, &blo1);
            a0 = _mm_xor_si128(_mm_xor_si128(ahi1, a1), k0);
            a2 = _mm_xor_si128(_mm_xor_si128(ahi0, a3), k1);
            a1 = alo1;
            a3 = alo0;
            b0 = _mm_xor_si128(_mm_xor_si128(bhi1, b1), k0);
            b2 = _mm_xor_si128(_mm_xor_si128(bhi0, b3), k1);
            b1 = blo1;
            b3 = blo0;
        }
        _mm_storeu_si128((__m128i *)&out->w[0][b], a0);
        _mm_storeu_si128((__m128i *)&out->w[1][b], a1);
        _mm_storeu_si128((__m128i *)&out->w[2][b], a2);
        _mm_storeu_si128((__m128i *)&out->w[3][b], a3);
        _mm_storeu_si128((__m128i *)&out->w[0][b + 4], b0);
        _mm_storeu_si128((__m128i *)&out->w[1][b + 4], b1);
        _mm_storeu_si128((__m128i *)&out->w[2][b + 4], b2);
        _mm_storeu_si128((__m128i *)&out->w[3][b + 4], b3);
    }
}

/* ---- AVX2: 8 blocks per vector ------------------------------------------ */

PC_TARGET_AVX2 static inline void mulhilo_avx2(__m256i x, __m256i m, __m256i *hi, __m256i *lo)
{
    __m256i even = _mm256_mul_epu32(x, m);                       /* p0 p2 p4 p6 */
    __m256i odd = _mm256_mul_epu32(_mm256_srli_epi64(x, 32), m); /* p1 p3 p5 p7 */
    *lo = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
    *hi = _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA);
}

PC_TARGET_AVX2 void pc_philox_batch_avx2(const uint32_t key[2], uint64_t first_block, uint32_t c2,
                                         uint32_t c3, pc_philox_words *out)
{
    uint32_t rk0[PC_PHILOX_ROUNDS], rk1[PC_PHILOX_ROUNDS];
    round_keys(key, rk0, rk1);
    block_counters(first_block, out->w[0], out->w[1]);
    const __m256i m0 = _mm256_set1_epi32((int)PC_PHILOX_M0);
    const __m256i m1 = _mm256_set1_epi32((int)PC_PHILOX_M1);
    for (size_t b = 0; b < PC_PHILOX_BATCH; b += 16) {
        __m256i a0 = _mm256_loadu_si256((const __m256i *)&out->w[0][b]);
        __m256i a1 = _mm256_loadu_si256((const __m256i *)&out->w[1][b]);
        __m256i b0 = _mm256_loadu_si256((const __m256i *)&out->w[0][b + 8]);
        __m256i b1 = _mm256_loadu_si256((const __m256i *)&out->w[1][b + 8]);
        __m256i a2 = _mm256_set1_epi32((int)c2), a3 = _mm256_set1_epi32((int)c3);
        __m256i b2 = a2, b3 = a3;
        for (int r = 0; r < PC_PHILOX_ROUNDS; r++) {
            __m256i k0 = _mm256_set1_epi32((int)rk0[r]), k1 = _mm256_set1_epi32((int)rk1[r]);
            __m256i ahi0, alo0, ahi1, alo1, bhi0, blo0, bhi1, blo1;
            mulhilo_avx2(a0, m0, &ahi0, &alo0);
            mulhilo_avx2(a2, m1, &ahi1, &alo1);
            mulhilo_avx2(b0, m0, &bhi0, &blo0);
            mulhilo_avx2(b2, m1, &bhi1, &blo1);
            a0 = _mm256_xor_si256(_mm256_xor_si256(ahi1, a1), k0);
            a2 = _mm256_xor_si256(_mm256_xor_si256(ahi0, a3), k1);
            a1 = alo1;
            a3 = alo0;
            b0 = _mm256_xor_si256(_mm256_xor_si256(bhi1, b1), k0);
            b2 = _mm256_xor_si256(_mm256_xor_si256(bhi0, b3), k1);
            b1 = blo1;
            b3 = blo0;
        }
        _mm256_storeu_si256((__m256i *)&out->w[0][b], a0);
        _mm256_storeu_si256((__m256i *)&out->w[1][b], a1);
        _mm256_storeu_si256((__m256i *)&out->w[2][b], a2);
        _mm256_storeu_si256((__m256i *)&out->w[3][b], a3);
        _mm256_storeu_si256((__m256i *)&out->w[0][b + 8], b0);
        _mm256_storeu_si256((__m256i *)&out->w[1][b + 8], b1);
        _mm256_storeu_si256((__m256i *)&out->w[2][b + 8], b2);
        _mm256_storeu_si256((__m256i *)&out->w[3][b + 8], b3);
    }
}
#endif

#if defined(PC_HAVE_X86_BATCH)
/* ---- AVX-512: 16 blocks per vector -------------------------------------- */

/* hi, lo of x * m for 16 lanes: vpmuludq on the even lanes and on the odd
 * lanes shifted down, then one masked vpshufd each: hi takes the upper half
 * of the even products into the even lanes (the odd lanes of `odd` already
 * hold their upper halves), lo the lower half of the odd products into the
 * odd lanes. */
PC_TARGET_AVX512 static inline void mulhilo_avx512(__m512i x, __m512i m, __m512i *hi, __m512i *lo)
{
    __m512i even = _mm512_mul_epu32(x, m);                       /* p0 p2 ... p14 */
    __m512i odd = _mm512_mul_epu32(_mm512_srli_epi64(x, 32), m); /* p1 p3 ... p15 */
    *hi = _mm512_mask_shuffle_epi32(odd, 0x5555, even, _MM_PERM_DDBB);
    *lo = _mm512_mask_shuffle_epi32(even, 0xAAAA, odd, _MM_PERM_CCAA);
}

PC_TARGET_AVX512 void pc_philox_batch_avx512(const uint32_t key[2], uint64_t first_block,
                                             uint32_t c2, uint32_t c3, pc_philox_words *out)
{
    enum { V = PC_PHILOX_BATCH / 16 }; /* vectors per word: all chains at once */
    uint32_t rk0[PC_PHILOX_ROUNDS], rk1[PC_PHILOX_ROUNDS];
    round_keys(key, rk0, rk1);
    const __m512i m0 = _mm512_set1_epi32((int)PC_PHILOX_M0);
    const __m512i m1 = _mm512_set1_epi32((int)PC_PHILOX_M1);
    /* counters in registers: c0 = low word + b (mod 2^32), c1 = high word
     * plus the carry of that addition (lanes where c0 wrapped below it) */
    const __m512i lane = _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
    const __m512i base_lo = _mm512_set1_epi32((int)(uint32_t)first_block);
    const __m512i base_hi = _mm512_set1_epi32((int)(uint32_t)(first_block >> 32));
    __m512i x0[V], x1[V], x2[V], x3[V];
    for (int v = 0; v < V; v++) {
        x0[v] = _mm512_add_epi32(base_lo, _mm512_add_epi32(lane, _mm512_set1_epi32(16 * v)));
        __mmask16 carry = _mm512_cmplt_epu32_mask(x0[v], base_lo);
        x1[v] = _mm512_mask_add_epi32(base_hi, carry, base_hi, _mm512_set1_epi32(1));
        x2[v] = _mm512_set1_epi32((int)c2);
        x3[v] = _mm512_set1_epi32((int)c3);
    }
    for (int r = 0; r < PC_PHILOX_ROUNDS; r++) {
        __m512i k0 = _mm512_set1_epi32((int)rk0[r]), k1 = _mm512_set1_epi32((int)rk1[r]);
        for (int v = 0; v < V; v++) {
            __m512i hi0, lo0, hi1, lo1;
            mulhilo_avx512(x0[v], m0, &hi0, &lo0);
            mulhilo_avx512(x2[v], m1, &hi1, &lo1);
            /* (a ^ b) ^ c in one vpternlogd */
            x0[v] = _mm512_ternarylogic_epi32(hi1, x1[v], k0, 0x96);
            x2[v] = _mm512_ternarylogic_epi32(hi0, x3[v], k1, 0x96);
            x1[v] = lo1;
            x3[v] = lo0;
        }
    }
    for (int v = 0; v < V; v++) {
        _mm512_storeu_si512((void *)&out->w[0][16 * v], x0[v]);
        _mm512_storeu_si512((void *)&out->w[1][16 * v], x1[v]);
        _mm512_storeu_si512((void *)&out->w[2][16 * v], x2[v]);
        _mm512_storeu_si512((void *)&out->w[3][16 * v], x3[v]);
    }
}
#endif
