/*
 * bytes.c - counting one byte value (newlines) and byte histograms.
 */
#include "text.h"

#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>

/* SSE2 is the x86-64 baseline: compare 16 bytes at a time, subtract the
 * 0xFF masks into byte counters (at most 255 rounds before they could
 * wrap), then fold the counters with psadbw. */
uint64_t pc_count_byte(const unsigned char *p, size_t n, unsigned char c)
{
    uint64_t total = 0;
    const __m128i needle = _mm_set1_epi8((char)c);
    size_t i = 0;
    while (n - i >= 64) {
        size_t rounds = (n - i) / 64;
        if (rounds > 255)
            rounds = 255;
        __m128i acc0 = _mm_setzero_si128(), acc1 = _mm_setzero_si128();
        __m128i acc2 = _mm_setzero_si128(), acc3 = _mm_setzero_si128();
        for (size_t r = 0; r < rounds; r++, i += 64) {
            __m128i a = _mm_loadu_si128((const __m128i *)(p + i));
            __m128i b = _mm_loadu_si128((const __m128i *)(p + i + 16));
            __m128i d = _mm_loadu_si128((const __m128i *)(p + i + 32));
            __m128i e = _mm_loadu_si128((const __m128i *)(p + i + 48));
            acc0 = _mm_sub_epi8(acc0, _mm_cmpeq_epi8(a, needle));
            acc1 = _mm_sub_epi8(acc1, _mm_cmpeq_epi8(b, needle));
            acc2 = _mm_sub_epi8(acc2, _mm_cmpeq_epi8(d, needle));
            acc3 = _mm_sub_epi8(acc3, _mm_cmpeq_epi8(e, needle));
        }
        const __m128i zero = _mm_setzero_si128();
        __m128i s =
            _mm_add_epi64(_mm_add_epi64(_mm_sad_epu8(acc0, zero), _mm_sad_epu8(acc1, zero)),
                          _mm_add_epi64(_mm_sad_epu8(acc2, zero), _mm_sad_epu8(acc3, zero)));
        uint64_t lanes[2];
        _mm_storeu_si128((__m128i *)lanes, s);
        total += lanes[0] + lanes[1];
    }
    for (; i < n; i++)
        total += p[i] == c;
    return total;
}
#else
uint64_t pc_count_byte(const unsigned char *p, size_t n, unsigned char c)
{
    /* Blocks of 255 keep the byte-wide sums of the vectorised loop exact. */
    uint64_t total = 0;
    size_t i = 0;
    while (i < n) {
        size_t block = n - i < 4080 ? n - i : 4080;
        uint32_t s = 0;
        for (size_t k = 0; k < block; k++)
            s += p[i + k] == c;
        total += s;
        i += block;
    }
    return total;
}
#endif

void pc_byte_histogram(const unsigned char *p, size_t n, int64_t hist[256])
{
    /* Four sub-histograms break the store-to-load dependency of runs of
     * equal bytes; 32-bit counters are flushed before they could wrap. */
    uint32_t h[4][256];
    size_t i = 0;
    while (i < n) {
        memset(h, 0, sizeof h);
        size_t block = n - i < ((size_t)1 << 30) ? n - i : ((size_t)1 << 30);
        size_t end = i + block, k = i;
        for (; k + 4 <= end; k += 4) {
            h[0][p[k]]++;
            h[1][p[k + 1]]++;
            h[2][p[k + 2]]++;
            h[3][p[k + 3]]++;
        }
        for (; k < end; k++)
            h[0][p[k]]++;
        for (int v = 0; v < 256; v++)
            hist[v] += (int64_t)h[0][v] + h[1][v] + h[2][v] + h[3][v];
        i = end;
    }
}
