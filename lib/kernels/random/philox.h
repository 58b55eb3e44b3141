/*
 * philox.h - the Philox4x32-10 bijection (Salmon, Moraes, Dror, Shaw,
 * "Parallel random numbers: as easy as 1, 2, 3", SC'11; Random123) and the
 * counter layout the parchunk random kernels share.
 *
 * Pure functions: no OpenMP, no allocation, no I/O, no globals.
 */
#ifndef PARCHUNK_KERNELS_PHILOX_H
#define PARCHUNK_KERNELS_PHILOX_H

#include "../../common/internal.h"

/* x86 SIMD variants (SSE2 batches, AVX2 kernels) unless the build asks for
 * the portable code only (-DPC_RANDOM_PORTABLE_ONLY: tests the fallback). */
#if (defined(__x86_64__) || defined(__i386__)) && !defined(PC_RANDOM_PORTABLE_ONLY)
#define PC_RANDOM_X86 1
#endif

enum {
    PC_PHILOX_M0 = (int)0xD2511F53u, /* multipliers (as int: enumerators are int) */
    PC_PHILOX_M1 = (int)0xCD9E8D57u,
    PC_PHILOX_W0 = (int)0x9E3779B9u, /* Weyl key increments */
    PC_PHILOX_W1 = (int)0xBB67AE85u,
    PC_PHILOX_ROUNDS = 10
};

/* Counter word 3: one domain per distribution, so that the same seed gives
 * unrelated streams for different distributions (documented in parchunk.h). */
enum {
    PC_DOMAIN_UNIFORM_F64 = 1,
    PC_DOMAIN_UNIFORM_F32 = 2,
    PC_DOMAIN_NORMAL = 3,
    PC_DOMAIN_INTEGERS = 4
};

/* One Philox round on one block, and the whole 10-round bijection. */
static inline void pc_philox_round(uint32_t x[4], uint32_t k0, uint32_t k1)
{
    uint64_t p0 = (uint64_t)(uint32_t)PC_PHILOX_M0 * x[0];
    uint64_t p1 = (uint64_t)(uint32_t)PC_PHILOX_M1 * x[2];
    uint32_t y0 = (uint32_t)(p1 >> 32) ^ x[1] ^ k0;
    uint32_t y2 = (uint32_t)(p0 >> 32) ^ x[3] ^ k1;
    x[0] = y0;
    x[1] = (uint32_t)p1;
    x[2] = y2;
    x[3] = (uint32_t)p0;
}

static inline void pc_philox4x32_10_block(const uint32_t ctr[4], const uint32_t key[2],
                                          uint32_t out[4])
{
    uint32_t x[4] = {ctr[0], ctr[1], ctr[2], ctr[3]};
    uint32_t k0 = key[0], k1 = key[1];
    for (int r = 0; r < PC_PHILOX_ROUNDS; r++) {
        pc_philox_round(x, k0, k1);
        k0 += (uint32_t)PC_PHILOX_W0;
        k1 += (uint32_t)PC_PHILOX_W1;
    }
    out[0] = x[0];
    out[1] = x[1];
    out[2] = x[2];
    out[3] = x[3];
}

/* 64 random bits from words (lo, hi) of a block: lo | hi << 32. */
static inline uint64_t pc_words_u64(uint32_t lo, uint32_t hi)
{
    return (uint64_t)lo | (uint64_t)hi << 32;
}

/* The key of a 64-bit seed: key0 = low 32 bits, key1 = high 32 bits. */
static inline void pc_seed_key(uint64_t seed, uint32_t key[2])
{
    key[0] = (uint32_t)seed;
    key[1] = (uint32_t)(seed >> 32);
}

/* True when the CPU runs the AVX-512 variants (F, DQ and VL). */
static inline bool pc_random_have_avx512(void)
{
#if defined(PC_RANDOM_X86)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
           __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx2");
#else
    return false;
#endif
}

#endif
