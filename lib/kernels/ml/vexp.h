/*
 * vexp.h - exp(x) for double, branch-free so that loops calling it
 * vectorise (glibc's exp is a scalar call, ~9 ns: most of a logistic
 * regression row). Within 2 ulp of the correctly rounded result over the
 * whole range (checked against libm in tests/c/test_logreg.c); overflow
 * gives +inf, underflow 0 or a subnormal, NaN gives NaN, as libm does.
 * (It does not set errno or raise exception flags the way libm may.)
 *
 * Only +, *, comparisons and integer bit operations on lanes: no FMA (the
 * library is built in ISO C mode, where GCC does not contract), so every
 * vector width gives bit-identical results.
 *
 * Method: x = k*ln2 + r with |r| <= ln2/2 (Cody-Waite, ln2 split in two so
 * that k*LN2_HI is exact), exp(r) by its Taylor series to degree 13
 * (truncation < 5e-18 relative), times 2^k applied as two factors so that
 * results down to the subnormal range are rounded once.
 */
#ifndef PARCHUNK_KERNELS_ML_VEXP_H
#define PARCHUNK_KERNELS_ML_VEXP_H

#include <math.h>
#include <stdint.h>
#include <string.h>

static inline double pc_bits_to_double(uint64_t u)
{
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

static inline uint64_t pc_double_to_bits(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

/* 2^k for an integer-valued double k in [-1022, 1023]. Adding 1.5 * 2^52
 * puts k in the low mantissa bits; moving them to the exponent field makes
 * the power of two. */
static inline double pc_exp2_int(double k)
{
    const double shifter = 0x1.8p52;
    uint64_t bits = pc_double_to_bits(k + shifter) - pc_double_to_bits(shifter);
    return pc_bits_to_double((bits + 1023) << 52);
}

/* The clamp bounds of pc_vexp(), to be read through pc_vexp_bounds() once
 * per loop: when the compiler sees them as constants, it folds them into
 * the operations that follow the clamp, turns the clamp into a branch around
 * arithmetic that may trap, and then refuses to vectorise (GCC 12). */
typedef struct pc_vexp_bounds {
    double hi, lo;
} pc_vexp_bounds;

static inline pc_vexp_bounds pc_vexp_bounds_get(void)
{
    volatile double hi = 710.0, lo = -746.0; /* opaque on purpose, see above */
    pc_vexp_bounds b = {hi, lo};
    return b;
}

/* exp(x); bounds from pc_vexp_bounds_get(). */
static inline double pc_vexp(double x, pc_vexp_bounds bounds)
{
    const double shifter = 0x1.8p52; /* x + shifter - shifter rounds x to an integer */
    const double log2e = 0x1.71547652b82fep0;
    const double ln2_hi = 0x1.62e42fee00000p-1; /* 32 significant bits: k * ln2_hi is exact */
    const double ln2_lo = 0x1.a39ef35793c76p-33;
    /* Clamping keeps 2^k representable; the final product still overflows
     * to +inf beyond log(DBL_MAX) and rounds to 0 below the smallest
     * subnormal, exactly where libm does. Both are written as x86
     * min/max (the compiler if-converts them); a NaN x fails the comparison
     * and passes through unchanged, giving NaN. */
    double xc = x > bounds.hi ? bounds.hi : x;
    xc = xc < bounds.lo ? bounds.lo : xc;
    double k = (xc * log2e + shifter) - shifter;
    double r = (xc - k * ln2_hi) - k * ln2_lo;

    double p = 1.0 / 6227020800.0; /* 1/13! */
    p = p * r + 1.0 / 479001600.0;
    p = p * r + 1.0 / 39916800.0;
    p = p * r + 1.0 / 3628800.0;
    p = p * r + 1.0 / 362880.0;
    p = p * r + 1.0 / 40320.0;
    p = p * r + 1.0 / 5040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;

    /* k is in [-1077, 1025]: split it in two halves that each fit 2^k. */
    double k1 = (k * 0.5 + shifter) - shifter;
    double k2 = k - k1;
    return p * pc_exp2_int(k1) * pc_exp2_int(k2);
}

#endif
