/*
 * normal.c - normal values by the Box-Muller transform on Philox blocks.
 *
 * Block j (domain PC_DOMAIN_NORMAL) gives values 2j and 2j + 1:
 *   u1 = ((x01 >> 11) + 1) * 2^-53   in (0, 1]  (never 0: log stays finite)
 *   u2 = (x23 >> 11) * 2^-53         in [0, 1)
 *   r = sqrt(-2 log u1), t = 2 pi u2
 *   z[2j] = r cos t, z[2j+1] = r sin t, value = loc + scale * z.
 * log, sqrt, cos and sin are the C library's (glibc's are correctly rounded
 * or within an ulp), evaluated in double; float32 output is the float64
 * value rounded once.
 */
#include <math.h>
#include <string.h>

#include "batch.h"
#include "random.h"

#define TWO_PI 0x1.921fb54442d18p+2 /* 2 pi rounded to double: 6.283185307179586 */

/* Values of blocks [first_block, first_block + PC_PHILOX_BATCH) into dst. */
PC_ALWAYS_INLINE void normal_batch(pc_philox_batch_fn batch, const uint32_t key[2],
                                   uint64_t first_block, double loc, double scale, double *dst)
{
    pc_philox_words words;
    batch(key, first_block, 0, PC_DOMAIN_NORMAL, &words);
    for (size_t b = 0; b < PC_PHILOX_BATCH; b++) {
        uint64_t a = pc_words_u64(words.w[0][b], words.w[1][b]);
        uint64_t c = pc_words_u64(words.w[2][b], words.w[3][b]);
        double u1 = (double)((a >> 11) + 1) * 0x1p-53;
        double u2 = (double)(c >> 11) * 0x1p-53;
        double r = sqrt(-2.0 * log(u1));
        double t = TWO_PI * u2;
        dst[2 * b] = loc + scale * (r * cos(t));
        dst[2 * b + 1] = loc + scale * (r * sin(t));
    }
}

PC_ALWAYS_INLINE void normal_body(pc_philox_batch_fn batch, const uint32_t key[2], uint64_t first,
                                  size_t n, double loc, double scale, double *out64, float *out32)
{
    enum { PER_BATCH = 2 * PC_PHILOX_BATCH };
    double tmp[PER_BATCH];
    size_t done = 0;
    while (done < n) {
        uint64_t index = first + done;
        size_t skip = (size_t)(index % 2);
        size_t take = PER_BATCH - skip;
        if (take > n - done)
            take = n - done;
        normal_batch(batch, key, index / 2, loc, scale, tmp);
        if (out64 != NULL) {
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
    normal_body(PC_BATCH_GENERIC, key, first, n, loc, scale, out64, out32);
}

PC_TARGET_AVX2 void pc_normal_avx2(const uint32_t key[2], uint64_t first, size_t n, double loc,
                                   double scale, double *out64, float *out32)
{
    normal_body(PC_BATCH_AVX2, key, first, n, loc, scale, out64, out32);
}
