/*
 * xsum.h - exact sums with a small superaccumulator (after Radford Neal's
 * "small superaccumulator", arXiv:1505.05571): every finite double is an
 * integer multiple of 2^-1075 (after shifting by one bit for the subnormal
 * exponent), so the exact sum of any number of doubles is an integer times
 * 2^-1075, held in 67 signed 64-bit limbs of 32 value bits each.
 *
 * Limb k has weight 2^(32k - 1075). A double with biased exponent e
 * (e' = max(e, 1)) and 53-bit significand m is m * 2^(e' - 1075); its
 * significand shifted left by e' % 32 is split across limbs e'/32 and
 * e'/32 + 1 (indices 0..64; limbs 65 and 66 only receive carries).
 *
 * The state below IS the public partial-state layout (parchunk.h documents
 * it); pc_reduce uses it directly as its chunk state.
 */
#ifndef PARCHUNK_KERNELS_XSUM_H
#define PARCHUNK_KERNELS_XSUM_H

#include "../../common/internal.h"

enum {
    PC_XSUM_LIMBS = 67,
    PC_XSUM_LIMB_BITS = 32,
    PC_XSUM_MAGIC = 0x53584350, /* bytes "PCXS" in little-endian order */
    PC_XSUM_NAN = 1,            /* flags: a NaN was seen */
    PC_XSUM_POS_INF = 2,        /*        +inf was seen */
    PC_XSUM_NEG_INF = 4,        /*        -inf was seen */
    PC_XSUM_FLAGS = 7
};

typedef struct pc_xsum {
    uint32_t magic;              /* PC_XSUM_MAGIC */
    uint32_t flags;              /* PC_XSUM_NAN | PC_XSUM_POS_INF | PC_XSUM_NEG_INF */
    uint64_t count;              /* elements folded in */
    int64_t limb[PC_XSUM_LIMBS]; /* canonical: limbs 0..65 in [0, 2^32), limb 66 signed */
} pc_xsum;

/* The empty state (sum 0, count 0, no flags). */
void pc_xsum_init(pc_xsum *s);

/* Fold n elements of any dtype into s (s stays canonical). Integers of up to
 * 32 bits and float32 are converted to double exactly; 64-bit integers are
 * split into two exactly representable halves. n may be 0. */
void pc_xsum_add(pc_xsum *s, const void *x, size_t n, parchunk_dtype dtype);

/* left += right (left stays canonical). Returns false when the count
 * overflows 64 bits (left is then unspecified). */
bool pc_xsum_merge(pc_xsum *left, const pc_xsum *right);

/* True when s has the magic, no unknown flag and canonical limbs with a top
 * limb small enough that merges cannot overflow. */
bool pc_xsum_valid(const pc_xsum *s);

/* Result of rounding: PARCHUNK_OK, PARCHUNK_ERR_OVERFLOW (the rounded sum is
 * out of the double range), PARCHUNK_ERR_DOMAIN (+inf and -inf both seen),
 * PARCHUNK_ERR_EMPTY (mean of nothing). */
/* The correctly rounded (half-even) exact sum; inf/NaN rules of math.fsum. */
parchunk_status pc_xsum_round_sum(const pc_xsum *s, double *out);
/* The correctly rounded (half-even) exact quotient sum / count. */
parchunk_status pc_xsum_round_mean(const pc_xsum *s, double *out);

#endif
