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
 * (truncation < 5e-18 relative; the terms from r^4 on by Estrin's scheme,
 * the rest by Horner's: worst case 1 ulp measured, as with Horner alone),
 * times 2^k applied as two factors so that results down to the subnormal
 * range are rounded once.
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

/* The constants of pc_vexp(), shared with its vector forms (logreg.c),
 * which must perform exactly the same operations. */
#define PC_VEXP_SHIFTER 0x1.8p52 /* x + shifter - shifter rounds x to an integer */
#define PC_VEXP_LOG2E 0x1.71547652b82fep0
#define PC_VEXP_LN2_HI 0x1.62e42fee00000p-1 /* 32 significant bits: k * ln2_hi is exact */
#define PC_VEXP_LN2_LO 0x1.a39ef35793c76p-33
enum { PC_VEXP_TERMS = 14 };
/* 1/0!, 1/1!, ..., 1/13! */
static const double pc_vexp_taylor[PC_VEXP_TERMS] = {1.0,
                                                     1.0,
                                                     0.5,
                                                     1.0 / 6.0,
                                                     1.0 / 24.0,
                                                     1.0 / 120.0,
                                                     1.0 / 720.0,
                                                     1.0 / 5040.0,
                                                     1.0 / 40320.0,
                                                     1.0 / 362880.0,
                                                     1.0 / 3628800.0,
                                                     1.0 / 39916800.0,
                                                     1.0 / 479001600.0,
                                                     1.0 / 6227020800.0};

/* 2^k for an integer-valued double k in [-1022, 1023]. Adding 1.5 * 2^52
 * puts k in the low mantissa bits; moving them to the exponent field makes
 * the power of two. */
static inline double pc_exp2_int(double k)
{
    const double shifter = PC_VEXP_SHIFTER;
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
    const double shifter = PC_VEXP_SHIFTER;
    const double log2e = PC_VEXP_LOG2E;
    const double ln2_hi = PC_VEXP_LN2_HI;
    const double ln2_lo = PC_VEXP_LN2_LO;
    /* Clamping keeps 2^k representable; the final product still overflows
     * to +inf beyond log(DBL_MAX) and rounds to 0 below the smallest
     * subnormal, exactly where libm does. Both are written as x86
     * min/max (the compiler if-converts them); a NaN x fails the comparison
     * and passes through unchanged, giving NaN. */
    double xc = x > bounds.hi ? bounds.hi : x;
    xc = xc < bounds.lo ? bounds.lo : xc;
    double k = (xc * log2e + shifter) - shifter;
    double r = (xc - k * ln2_hi) - k * ln2_lo;

    /* exp(r) = 1 + r + r^2/2! + r^3/3! + r^4 * t(r), t(r) = 1/4! + r/5! + ...
     * + r^9/13!: t by Estrin's scheme (short dependency chains; its rounding
     * errors are scaled down by r^4 <= 0.015), the four leading terms by
     * Horner's (their rounding errors dominate and stay as small as in a
     * full Horner evaluation). */
    const double *c = pc_vexp_taylor;
    double r2 = r * r;
    double r4 = r2 * r2;
    double r8 = r4 * r4;
    double a0 = c[5] * r + c[4];
    double a1 = c[7] * r + c[6];
    double a2 = c[9] * r + c[8];
    double a3 = c[11] * r + c[10];
    double a4 = c[13] * r + c[12];
    double t = ((a1 * r2 + a0) + (a3 * r2 + a2) * r4) + a4 * r8;
    double p = t * r + c[3];
    p = p * r + c[2];
    p = p * r + c[1];
    p = p * r + c[0];

    /* k is in [-1077, 1025]: split it in two halves that each fit 2^k. */
    double k1 = (k * 0.5 + shifter) - shifter;
    double k2 = k - k1;
    return p * pc_exp2_int(k1) * pc_exp2_int(k2);
}

#endif
