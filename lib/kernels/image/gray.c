/*
 * gray.c - the luma loops. The channel count is a compile-time constant in
 * each inner loop so that the compiler sees a fixed stride and vectorises.
 */
#include "gray.h"

#define DEFINE_GRAY_LOOP(NAME, ATTR, C)                                                            \
    ATTR static void NAME(const uint8_t *restrict src, uint8_t *restrict dst, size_t n)            \
    {                                                                                              \
        for (size_t i = 0; i < n; i++)                                                             \
            dst[i] = pc_luma601(src[C * i], src[C * i + 1], src[C * i + 2]);                       \
    }

DEFINE_GRAY_LOOP(gray3_generic, , 3)
DEFINE_GRAY_LOOP(gray4_generic, , 4)

void pc_gray_generic(const uint8_t *src, uint8_t *dst, size_t npixels, size_t channels)
{
    if (channels == 4)
        gray4_generic(src, dst, npixels);
    else
        gray3_generic(src, dst, npixels);
}

#if PC_GRAY_HAVE_AVX2
/* Measured on 64 Mpixel: the RGB loop takes 82 ms at the baseline (SSE2 has no
 * byte shuffle, so GCC leaves it scalar) and 32 ms with AVX2. */
#define AVX2_ATTR __attribute__((target("avx2")))
DEFINE_GRAY_LOOP(gray3_avx2, AVX2_ATTR, 3)
DEFINE_GRAY_LOOP(gray4_avx2, AVX2_ATTR, 4)

AVX2_ATTR void pc_gray_avx2(const uint8_t *src, uint8_t *dst, size_t npixels, size_t channels)
{
    if (channels == 4)
        gray4_avx2(src, dst, npixels);
    else
        gray3_avx2(src, dst, npixels);
}
#endif
