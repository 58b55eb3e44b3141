/*
 * uniform.c - uniform float64 and float32 values from Philox blocks.
 *
 * float64: value i uses block i / 2 (domain PC_DOMAIN_UNIFORM_F64), words
 * (0, 1) for even i and (2, 3) for odd i, as u = (x >> 11) * 2^-53.
 * float32: value i uses word i % 4 of block i / 4 (PC_DOMAIN_UNIFORM_F32),
 * u = (w >> 8) * 2^-24. Then r = low + span * u, clamped below high.
 */
#include <string.h>

#include "batch.h"
#include "random.h"

/*
 * (x >> 11) as a double without a 64-bit integer conversion (x86-64 has no
 * vector one below AVX-512): the high 21 and low 32 bits become exact doubles
 * through the exponent trick, and their sum (53 bits) is exact too. Same value
 * as pc_u53_unit(), but vectorisable.
 */
PC_ALWAYS_INLINE double u53_unit_fast(uint32_t lo_word, uint32_t hi_word)
{
    uint64_t v = pc_words_u64(lo_word, hi_word) >> 11;
    uint64_t hi_bits = 0x4530000000000000u | (v >> 32);         /* 2^84 + hi21 * 2^32 */
    uint64_t lo_bits = 0x4330000000000000u | (v & 0xffffffffu); /* 2^52 + lo32 */
    double hi, lo;
    memcpy(&hi, &hi_bits, sizeof hi);
    memcpy(&lo, &lo_bits, sizeof lo);
    return ((hi - 0x1p84) + (lo - 0x1p52)) * 0x1p-53;
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

PC_ALWAYS_INLINE void uniform_f64_body(pc_philox_batch_fn batch, const uint32_t key[2],
                                       uint64_t first, size_t n, double low, double span,
                                       double high, double below_high, double *out)
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
        for (size_t b = 0; b < PC_PHILOX_BATCH; b++) {
            double u0 = u53_unit_fast(words.w[0][b], words.w[1][b]);
            double u1 = u53_unit_fast(words.w[2][b], words.w[3][b]);
            dst[2 * b] = place_f64(u0, low, span, high, below_high);
            dst[2 * b + 1] = place_f64(u1, low, span, high, below_high);
        }
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
    uniform_f64_body(PC_BATCH_GENERIC, key, first, n, low, span, high, below_high, out);
}

PC_TARGET_AVX2 void pc_uniform_f64_avx2(const uint32_t key[2], uint64_t first, size_t n, double low,
                                        double span, double high, double below_high, double *out)
{
    uniform_f64_body(PC_BATCH_AVX2, key, first, n, low, span, high, below_high, out);
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
