/*
 * xround.c - correct rounding (to nearest, ties to even) of the exact sum
 * held in a superaccumulator, and of the exact quotient sum / count.
 *
 * The sum is an integer S times 2^-1075. It is made non-negative (sign kept
 * apart) and written as 68 unsigned 32-bit limbs. Rounding keeps the 53 bits
 * below the leading one, or fewer where the result is subnormal (the last
 * kept bit has weight 2^-1074), decides with the next bit (guard) and an OR
 * of everything below it (sticky), then scales by an exact power of two.
 *
 * The mean is correctly rounded too (never sum rounded, then divided): S is
 * shifted left by 128 bits and divided by the count with schoolbook long
 * division (32-bit digits, 128-bit remainder), giving Q = floor(S*2^128/n)
 * and a remainder R. Since |S/n| >= 2^-1075 / 2^64 whenever S != 0, the
 * quotient has its guard bit at weight >= 2^-1075 > 2^-1203, i.e. at bit >= 128
 * of Q: the dropped fraction R/n only ever contributes to the sticky bit,
 * which is exact because R != 0 iff the quotient is not an integer. (With
 * 128 appended zero bits and n < 2^64 the remainder can in fact never turn
 * an exact tie of Q into a non-tie, so R only matters for robustness.)
 */
#include <math.h>
#include <string.h>

#include "xsum.h"

enum { MAG_LIMBS = PC_XSUM_LIMBS + 1, MEAN_SHIFT_LIMBS = 4, QUOT_LIMBS = MAG_LIMBS + 4 };

__extension__ typedef unsigned __int128 u128;

/* |sum| as MAG_LIMBS 32-bit limbs; returns true when the sum is negative. */
static bool magnitude(const pc_xsum *s, uint32_t *mag)
{
    int64_t t[PC_XSUM_LIMBS];
    memcpy(t, s->limb, sizeof t);
    bool negative = t[PC_XSUM_LIMBS - 1] < 0;
    if (negative) {
        for (int k = 0; k < PC_XSUM_LIMBS; k++)
            t[k] = -t[k];
        for (int k = 0; k < PC_XSUM_LIMBS - 1; k++) {
            int64_t c = t[k] >> 32;
            t[k] = (int64_t)((uint64_t)t[k] & 0xffffffffu);
            t[k + 1] += c;
        }
    }
    for (int k = 0; k < PC_XSUM_LIMBS - 1; k++)
        mag[k] = (uint32_t)t[k];
    uint64_t top = (uint64_t)t[PC_XSUM_LIMBS - 1]; /* >= 0 now, < 2^61 */
    mag[PC_XSUM_LIMBS - 1] = (uint32_t)top;
    mag[PC_XSUM_LIMBS] = (uint32_t)(top >> 32);
    return negative;
}

static int top_bit(const uint32_t *m, int nl)
{
    for (int k = nl - 1; k >= 0; k--)
        if (m[k])
            return 32 * k + 31 - __builtin_clz(m[k]);
    return -1;
}

static unsigned bit_at(const uint32_t *m, int i)
{
    return (m[i >> 5] >> (i & 31)) & 1u;
}

/* True if any of bits [0, i) is set. */
static bool any_below(const uint32_t *m, int i)
{
    for (int k = 0; k < (i >> 5); k++)
        if (m[k])
            return true;
    return (i & 31) && (m[i >> 5] & ((1u << (i & 31)) - 1u));
}

/*
 * Rounds (m + f) * 2^base, m a non-zero integer of nl limbs and 0 <= f < 1
 * with f != 0 iff `inexact`, to the nearest double (ties to even). Needs
 * base <= -1075 so that the guard bit is a bit of m (bit >= 0).
 */
static parchunk_status round_limbs(const uint32_t *m, int nl, int base, bool inexact, bool negative,
                                   double *out)
{
    int p = top_bit(m, nl);
    int shift = p - 52;
    int min_shift = -1074 - base; /* bit of weight 2^-1074: the last bit a double has */
    if (shift < min_shift)
        shift = min_shift;
    uint64_t q = 0;
    for (int i = p; i >= shift; i--)
        q = (q << 1) | bit_at(m, i);
    unsigned guard = bit_at(m, shift - 1);
    bool sticky = inexact || any_below(m, shift - 1);
    if (guard && (sticky || (q & 1)))
        q++;
    if (q == (UINT64_C(1) << 53)) {
        q >>= 1;
        shift++;
    }
    int exp2 = shift + base; /* result = q * 2^exp2, q < 2^53 */
    if (q >= (UINT64_C(1) << 52) && exp2 + 52 >= 1024)
        return PARCHUNK_ERR_OVERFLOW;
    double v = ldexp((double)q, exp2); /* exact: q has the result's quantum */
    *out = negative ? -v : v;
    return PARCHUNK_OK;
}

/* The inf/NaN rules of math.fsum: +inf with -inf is an error (even with a
 * NaN), else NaN wins, else the infinity. Returns true when it decided. */
static bool special_result(const pc_xsum *s, parchunk_status *st, double *out)
{
    if (s->flags == 0)
        return false;
    if ((s->flags & PC_XSUM_POS_INF) && (s->flags & PC_XSUM_NEG_INF))
        *st = PARCHUNK_ERR_DOMAIN;
    else if (s->flags & PC_XSUM_NAN)
        *st = PARCHUNK_OK, *out = NAN;
    else
        *st = PARCHUNK_OK, *out = (s->flags & PC_XSUM_POS_INF) ? INFINITY : -INFINITY;
    return true;
}

parchunk_status pc_xsum_round_sum(const pc_xsum *s, double *out)
{
    parchunk_status st;
    if (special_result(s, &st, out))
        return st;
    uint32_t mag[MAG_LIMBS];
    bool negative = magnitude(s, mag);
    if (top_bit(mag, MAG_LIMBS) < 0) {
        *out = 0.0; /* as math.fsum: an exact zero is +0.0 */
        return PARCHUNK_OK;
    }
    return round_limbs(mag, MAG_LIMBS, -1075, false, negative, out);
}

parchunk_status pc_xsum_round_mean(const pc_xsum *s, double *out)
{
    if (s->count == 0)
        return PARCHUNK_ERR_EMPTY;
    parchunk_status st;
    if (special_result(s, &st, out))
        return st;
    uint32_t num[QUOT_LIMBS] = {0};
    bool negative = magnitude(s, num + MEAN_SHIFT_LIMBS); /* S * 2^128 */
    if (top_bit(num, QUOT_LIMBS) < 0) {
        *out = 0.0;
        return PARCHUNK_OK;
    }
    uint32_t quot[QUOT_LIMBS];
    u128 rem = 0;
    for (int k = QUOT_LIMBS - 1; k >= 0; k--) {
        u128 cur = (rem << 32) | num[k]; /* < count * 2^32 <= 2^96 */
        quot[k] = (uint32_t)(cur / s->count);
        rem = cur % s->count;
    }
    return round_limbs(quot, QUOT_LIMBS, -1075 - 32 * MEAN_SHIFT_LIMBS, rem != 0, negative, out);
}
