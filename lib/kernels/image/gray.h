/*
 * gray.h - RGB(A) to 8-bit luma, bit-identical to Pillow's convert('L').
 * Pure functions over a run of pixels: no OpenMP, no allocation, no I/O, no
 * globals.
 *
 * Pillow (libImaging/Convert.c) computes ITU-R 601-2 luma in 16.16 fixed
 * point: L = (R*19595 + G*38470 + B*7471 + 0x8000) >> 16. The weights sum to
 * 65536, so the result never exceeds 255. For RGBA/RGBX the fourth byte is
 * ignored (Pillow's rgba2l uses the same L24 macro).
 */
#ifndef PARCHUNK_KERNELS_IMAGE_GRAY_H
#define PARCHUNK_KERNELS_IMAGE_GRAY_H

#include "../../common/internal.h"

/* The luma of one pixel, the reference every variant must equal. */
static inline uint8_t pc_luma601(uint32_t r, uint32_t g, uint32_t b)
{
    return (uint8_t)((r * 19595u + g * 38470u + b * 7471u + 0x8000u) >> 16);
}

/* Convert npixels pixels of `channels` (3 or 4) interleaved bytes at src to
 * npixels luma bytes at dst. src and dst must not overlap. */
typedef void (*pc_gray_fn)(const uint8_t *src, uint8_t *dst, size_t npixels, size_t channels);

/* Portable variant: what the compiler makes of it at the x86-64 baseline. */
void pc_gray_generic(const uint8_t *src, uint8_t *dst, size_t npixels, size_t channels);

/* The same loop compiled for AVX2 (the compiler vectorises the stride-3/4
 * gathers with byte shuffles there). Only call it when the CPU has AVX2;
 * pc_gray_have_avx2() says whether this build has the variant at all. */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define PC_GRAY_HAVE_AVX2 1
void pc_gray_avx2(const uint8_t *src, uint8_t *dst, size_t npixels, size_t channels);
#else
#define PC_GRAY_HAVE_AVX2 0
#endif

#endif
