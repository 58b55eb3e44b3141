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

PC_ALWAYS_INLINE void integers_body(pc_philox_batch_fn batch, const uint32_t key[2], uint64_t first,
                                    size_t n, int64_t low, uint64_t range, uint64_t threshold,
                                    int64_t *out)
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
        for (size_t b = 0; b < PC_PHILOX_BATCH; b++) {
            for (unsigned half = 0; half < 2; half++) {
                u128 m = (u128)pc_words_u64(words.w[2 * half][b], words.w[2 * half + 1][b]) * range;
                uint64_t high = (uint64_t)(m >> 64);
                if (PC_UNLIKELY((uint64_t)m < threshold))
                    high = retry_high(key, 2 * (first_block + b) + half, range, threshold);
                /* wraps into the int64 range: no signed overflow */
                dst[2 * b + half] = (int64_t)((uint64_t)low + high);
            }
        }
        if (dst == tmp)
            memcpy(out + done, tmp + skip, take * sizeof *out);
        done += take;
    }
}

void pc_integers_generic(const uint32_t key[2], uint64_t first, size_t n, int64_t low,
                         uint64_t range, uint64_t threshold, int64_t *out)
{
    integers_body(PC_BATCH_GENERIC, key, first, n, low, range, threshold, out);
}

PC_TARGET_AVX2 void pc_integers_avx2(const uint32_t key[2], uint64_t first, size_t n, int64_t low,
                                     uint64_t range, uint64_t threshold, int64_t *out)
{
    integers_body(PC_BATCH_AVX2, key, first, n, low, range, threshold, out);
}
