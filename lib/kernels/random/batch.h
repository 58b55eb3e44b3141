/*
 * batch.h - Philox4x32-10 on a batch of consecutive counters, laid out for
 * SIMD across blocks (structure of arrays: word w of block b is
 * words[w][b]), and the helpers the distribution kernels share: their
 * bodies are always_inline so that each kernel variant (portable, AVX2)
 * compiles them with its own instruction set.
 */
#ifndef PARCHUNK_KERNELS_RANDOM_BATCH_H
#define PARCHUNK_KERNELS_RANDOM_BATCH_H

#include "philox.h"

/* Blocks per batch: enough independent lanes to hide the multiply latency,
 * small enough that the words (and the values made from them) stay in L1. */
enum { PC_PHILOX_BATCH = 64 };

typedef struct pc_philox_words {
    _Alignas(64) uint32_t w[4][PC_PHILOX_BATCH];
} pc_philox_words;

#define PC_ALWAYS_INLINE static inline __attribute__((always_inline))
#if defined(PC_RANDOM_X86)
#define PC_TARGET_AVX2 __attribute__((target("avx2")))
/* AVX-512 F + DQ + VL (Skylake-X, Ice Lake, Zen 4 and later); no FMA: the
 * documented mapping has no fused multiply-add. */
#define PC_TARGET_AVX512 __attribute__((target("avx2,avx512f,avx512dq,avx512vl")))
#else
#define PC_TARGET_AVX2 /* other targets: the "avx2" variants are the generic code */
#define PC_TARGET_AVX512
#endif

/*
 * pc_philox_batch_*() - blocks first_block .. first_block + PC_PHILOX_BATCH - 1
 * with counter (c0, c1) = block index (low, high 32 bits), c2 and c3 given,
 * into out (structure of arrays). Block indices wrap modulo 2^64 (callers
 * never rely on blocks past 2^64 - 1). All variants give identical words:
 *  - portable: plain C, any target;
 *  - sse2: x86-64 baseline, 4 blocks per vector (pmuludq);
 *  - avx2: 8 blocks per vector; call only when the CPU has AVX2;
 *  - avx512: 16 blocks per vector; call only when the CPU has AVX-512 F, DQ
 *    and VL (pc_random_have_avx512()).
 * Out-of-line on purpose: a call per 64 blocks costs nothing, and the
 * distribution kernels pick the variant at compile time.
 */
void pc_philox_batch_portable(const uint32_t key[2], uint64_t first_block, uint32_t c2, uint32_t c3,
                              pc_philox_words *out);
#if defined(PC_RANDOM_X86)
#define PC_HAVE_X86_BATCH 1
void pc_philox_batch_sse2(const uint32_t key[2], uint64_t first_block, uint32_t c2, uint32_t c3,
                          pc_philox_words *out);
void pc_philox_batch_avx2(const uint32_t key[2], uint64_t first_block, uint32_t c2, uint32_t c3,
                          pc_philox_words *out);
void pc_philox_batch_avx512(const uint32_t key[2], uint64_t first_block, uint32_t c2, uint32_t c3,
                            pc_philox_words *out);
#endif

typedef void (*pc_philox_batch_fn)(const uint32_t key[2], uint64_t first_block, uint32_t c2,
                                   uint32_t c3, pc_philox_words *out);

/* The batch of the kernels' portable variant and of their AVX2 variant. */
#if defined(PC_HAVE_X86_BATCH) && defined(__SSE2__)
#define PC_BATCH_GENERIC pc_philox_batch_sse2
#else
#define PC_BATCH_GENERIC pc_philox_batch_portable
#endif
#if defined(PC_HAVE_X86_BATCH)
#define PC_BATCH_AVX2 pc_philox_batch_avx2
#define PC_BATCH_AVX512 pc_philox_batch_avx512
#else
#define PC_BATCH_AVX2 PC_BATCH_GENERIC
#define PC_BATCH_AVX512 PC_BATCH_GENERIC
#endif

#endif
