/*
 * random.h - per-chunk kernels of the counter-based generators. Each writes
 * the values of indices first .. first + n - 1 of its stream (the mapping is
 * documented in parchunk.h, "Random numbers"). Pure functions: no OpenMP, no
 * allocation, no I/O, no globals.
 *
 * Every kernel comes in three variants with bit-identical results: _generic
 * (x86-64 baseline / any target), _avx2 (only call it when the CPU has
 * AVX2) and _avx512 (only when pc_random_have_avx512()). The api layer picks
 * one per process.
 */
#ifndef PARCHUNK_KERNELS_RANDOM_H
#define PARCHUNK_KERNELS_RANDOM_H

#include "philox.h"

/* Uniform float64 in [low, high): span = high - low (finite, > 0),
 * below_high = the largest double below high. */
typedef void (*pc_uniform_f64_fn)(const uint32_t key[2], uint64_t first, size_t n, double low,
                                  double span, double high, double below_high, double *out);
/* Uniform float32 in [low, high) (float arithmetic), same meaning. */
typedef void (*pc_uniform_f32_fn)(const uint32_t key[2], uint64_t first, size_t n, float low,
                                  float span, float high, float below_high, float *out);
/* Normal: loc + scale * z in double; out is float64, or float32 (rounded
 * once) when out32 is used. Exactly one of out64/out32 is non-NULL. */
typedef void (*pc_normal_fn)(const uint32_t key[2], uint64_t first, size_t n, double loc,
                             double scale, double *out64, float *out32);
/* Integers low + [0, range) with range >= 1; threshold = 2^64 mod range. */
typedef void (*pc_integers_fn)(const uint32_t key[2], uint64_t first, size_t n, int64_t low,
                               uint64_t range, uint64_t threshold, int64_t *out);

void pc_uniform_f64_generic(const uint32_t key[2], uint64_t first, size_t n, double low,
                            double span, double high, double below_high, double *out);
void pc_uniform_f64_avx2(const uint32_t key[2], uint64_t first, size_t n, double low, double span,
                         double high, double below_high, double *out);
void pc_uniform_f32_generic(const uint32_t key[2], uint64_t first, size_t n, float low, float span,
                            float high, float below_high, float *out);
void pc_uniform_f32_avx2(const uint32_t key[2], uint64_t first, size_t n, float low, float span,
                         float high, float below_high, float *out);
void pc_normal_generic(const uint32_t key[2], uint64_t first, size_t n, double loc, double scale,
                       double *out64, float *out32);
void pc_normal_avx2(const uint32_t key[2], uint64_t first, size_t n, double loc, double scale,
                    double *out64, float *out32);
void pc_integers_generic(const uint32_t key[2], uint64_t first, size_t n, int64_t low,
                         uint64_t range, uint64_t threshold, int64_t *out);
void pc_integers_avx2(const uint32_t key[2], uint64_t first, size_t n, int64_t low, uint64_t range,
                      uint64_t threshold, int64_t *out);

void pc_uniform_f64_avx512(const uint32_t key[2], uint64_t first, size_t n, double low, double span,
                           double high, double below_high, double *out);
void pc_uniform_f32_avx512(const uint32_t key[2], uint64_t first, size_t n, float low, float span,
                           float high, float below_high, float *out);
void pc_normal_avx512(const uint32_t key[2], uint64_t first, size_t n, double loc, double scale,
                      double *out64, float *out32);
void pc_integers_avx512(const uint32_t key[2], uint64_t first, size_t n, int64_t low,
                        uint64_t range, uint64_t threshold, int64_t *out);

/* Exact conversions the documented mapping uses (also for tests). */
static inline double pc_u53_unit(uint64_t x) /* (x >> 11) * 2^-53, in [0, 1) */
{
    return (double)(x >> 11) * 0x1p-53;
}

#endif
