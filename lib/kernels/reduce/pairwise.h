/*
 * pairwise.h - the one pairwise-summation loop, instantiated per element type
 * and per term (x itself, |x - c|, ...).
 *
 * Blocks of PC_PAIRWISE_BLOCK elements are summed with eight independent
 * accumulators (the compiler turns them into SIMD adds at the x86-64
 * baseline), and block sums are combined as a balanced binary tree through a
 * binary-counter stack. Error grows as O(log n) ulps, like NumPy's pairwise
 * sum, and the order depends only on n. An AVX2 clone (PC_CLONE_AVX2) runs
 * the same additions in the same order on wider registers: same bits.
 */
#ifndef PARCHUNK_KERNELS_PAIRWISE_H
#define PARCHUNK_KERNELS_PAIRWISE_H

#include <stddef.h>

#include "../../common/internal.h"

enum { PC_PAIRWISE_BLOCK = 128, PC_PAIRWISE_LEVELS = 64 };

/* Defines `static double NAME(const T *x, size_t n, double c)` summing TERM(v, c). */
#define PC_DEFINE_PAIRWISE(NAME, T, TERM)                                                          \
    static inline                                                                                  \
        __attribute__((always_inline)) double NAME##_block(const T *x, size_t n, double c)         \
    {                                                                                              \
        (void)c;                                                                                   \
        size_t i = 0;                                                                              \
        double res = 0.0;                                                                          \
        if (n >= 8) {                                                                              \
            double r[8];                                                                           \
            for (int j = 0; j < 8; j++)                                                            \
                r[j] = TERM((double)x[j], c);                                                      \
            for (i = 8; i + 8 <= n; i += 8)                                                        \
                for (int j = 0; j < 8; j++)                                                        \
                    r[j] += TERM((double)x[i + j], c);                                             \
            res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));               \
        }                                                                                          \
        for (; i < n; i++)                                                                         \
            res += TERM((double)x[i], c);                                                          \
        return res;                                                                                \
    }                                                                                              \
    PC_CLONE_AVX2 static double NAME(const T *x, size_t n, double c)                               \
    {                                                                                              \
        double stack[PC_PAIRWISE_LEVELS];                                                          \
        size_t depth = 0, blocks = 0;                                                              \
        for (size_t b = 0; b < n; b += PC_PAIRWISE_BLOCK) {                                        \
            size_t len = n - b < PC_PAIRWISE_BLOCK ? n - b : PC_PAIRWISE_BLOCK;                    \
            double s = NAME##_block(x + b, len, c);                                                \
            /* binary counter: merge equal-sized subtrees */                                       \
            for (size_t k = ++blocks; (k & 1) == 0; k >>= 1)                                       \
                s = stack[--depth] + s;                                                            \
            stack[depth++] = s;                                                                    \
        }                                                                                          \
        double res = depth ? stack[--depth] : 0.0;                                                 \
        while (depth)                                                                              \
            res = stack[--depth] + res;                                                            \
        return res;                                                                                \
    }

#endif
