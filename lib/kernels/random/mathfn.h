/*
 * mathfn.h - the logarithm and the sine/cosine of a fraction of a turn that
 * the normal generator uses, written out in plain IEEE-754 double arithmetic
 * (no fused multiply-add, no table, no branch on the value) so that:
 *  - the results are the same on every platform and in every kernel variant
 *    (a C library's log/sin/cos differ between libraries in the last bit);
 *  - the AVX2 variant computes exactly the same operations 4 lanes at a time;
 *  - another implementation can reproduce them operation by operation.
 * The polynomials are fdlibm's (Sun Microsystems, freely redistributable):
 * e_log.c (Lg1..Lg7), k_sin.c (S1..S6), k_cos.c (C1..C6). Errors: below
 * 1 ulp on the domains used here (tested against the C library).
 */
#ifndef PARCHUNK_KERNELS_RANDOM_MATHFN_H
#define PARCHUNK_KERNELS_RANDOM_MATHFN_H

/* The documented mapping has no fused multiply-add: forbid contraction
 * (GCC does not contract in ISO C mode; clang would by default). */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define PC_LN2_HI 6.93147180369123816490e-01 /* 0x3fe62e42 fee00000 */
#define PC_LN2_LO 1.90821492927058770002e-10 /* 0x3dea39ef 35793c76 */
#define PC_LG1 6.666666666666735130e-01
#define PC_LG2 3.999999999940941908e-01
#define PC_LG3 2.857142874366239149e-01
#define PC_LG4 2.222219843214978396e-01
#define PC_LG5 1.818357216161805012e-01
#define PC_LG6 1.531383769920937332e-01
#define PC_LG7 1.479819860511658591e-01
#define PC_S1 -1.66666666666666324348e-01
#define PC_S2 8.33333333332248946124e-03
#define PC_S3 -1.98412698298579493134e-04
#define PC_S4 2.75573137070700676789e-06
#define PC_S5 -2.50507602534068634195e-08
#define PC_S6 1.58969099521155010221e-10
#define PC_C1 4.16666666666666019037e-02
#define PC_C2 -1.38888888888741095749e-03
#define PC_C3 2.48015872894767294178e-05
#define PC_C4 -2.75573143513906633035e-07
#define PC_C5 2.08757232129817482790e-09
#define PC_C6 -1.13596475577881948265e-11
#define PC_PIO4 0x1.921fb54442d18p-1 /* pi / 4 rounded to double */

static inline uint64_t pc_bits(double x)
{
    uint64_t b;
    memcpy(&b, &x, sizeof b);
    return b;
}

static inline double pc_from_bits(uint64_t b)
{
    double x;
    memcpy(&x, &b, sizeof x);
    return x;
}

/*
 * pc_log_normal_range() - log(x) for a normal, positive, finite x (here
 * x in [2^-53, 1]). fdlibm's reduction: x = 2^k * m with m in
 * [sqrt(2)/2, sqrt(2)), f = m - 1, s = f / (2 + f), and
 * log x = k ln2_hi - ((f^2/2 - (s (f^2/2 + R(s^2)) + k ln2_lo)) - f).
 */
static inline double pc_log_normal_range(double x)
{
    uint64_t bits = pc_bits(x);
    int32_t hx = (int32_t)(bits >> 32);
    int32_t k = (hx >> 20) - 1023;
    hx &= 0x000fffff;
    int32_t i = (hx + 0x95f64) & 0x100000; /* m >= sqrt(2): halve it */
    uint64_t mbits = ((uint64_t)(uint32_t)(hx | (i ^ 0x3ff00000)) << 32) | (bits & 0xffffffffu);
    k += i >> 20;
    double f = pc_from_bits(mbits) - 1.0;
    double s = f / (2.0 + f);
    double dk = (double)k;
    double z = s * s;
    double w = z * z;
    double t1 = w * (PC_LG2 + w * (PC_LG4 + w * PC_LG6));
    double t2 = z * (PC_LG1 + w * (PC_LG3 + w * (PC_LG5 + w * PC_LG7)));
    double r = t2 + t1;
    double hfsq = 0.5 * f * f;
    return dk * PC_LN2_HI - ((hfsq - (s * (hfsq + r) + dk * PC_LN2_LO)) - f);
}

/* sin and cos of a in [0, pi/4] (fdlibm kernels with a zero tail). */
static inline double pc_kernel_sin(double a)
{
    double z = a * a;
    double v = z * a;
    double r = PC_S2 + z * (PC_S3 + z * (PC_S4 + z * (PC_S5 + z * PC_S6)));
    return a + v * (PC_S1 + z * r);
}

static inline double pc_kernel_cos(double a)
{
    double z = a * a;
    double r = z * (PC_C1 + z * (PC_C2 + z * (PC_C3 + z * (PC_C4 + z * (PC_C5 + z * PC_C6)))));
    double hz = 0.5 * z;
    double w = 1.0 - hz;
    return w + (((1.0 - w) - hz) + z * r);
}

/*
 * pc_sincos_turn() - sin and cos of 2 pi m / 2^53 for an integer m in
 * [0, 2^53). The octant o = m >> 50 and the fraction r = (m mod 2^50) / 2^50
 * are exact; a = r pi/4 in even octants, (1 - r) pi/4 in odd ones; then
 * sin and cos of the angle are +-sin a or +-cos a (swapped in octants
 * 1, 2, 5, 6; sine negative in octants 4..7, cosine in 2..5).
 */
static inline void pc_sincos_turn(uint64_t m, double *sin_out, double *cos_out)
{
    unsigned o = (unsigned)(m >> 50);
    double r = (double)(int64_t)(m & (((uint64_t)1 << 50) - 1)) * 0x1p-50;
    double a = ((o & 1) ? 1.0 - r : r) * PC_PIO4;
    double s = pc_kernel_sin(a), c = pc_kernel_cos(a);
    bool swap = ((o + 1) & 2) != 0;
    double sin_t = swap ? c : s, cos_t = swap ? s : c;
    *sin_out = (o & 4) ? -sin_t : sin_t;
    *cos_out = ((o + 2) & 4) ? -cos_t : cos_t;
}

#endif
