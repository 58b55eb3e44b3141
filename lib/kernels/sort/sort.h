/*
 * sort.h - per-chunk and per-bucket kernels of the radix sort behind
 * parchunk_sort / parchunk_argsort. Pure functions: no OpenMP, no
 * allocation, no I/O, no globals.
 *
 * Elements become unsigned keys whose unsigned order is the sort order:
 * 32-bit keys for dtypes of up to 4 bytes, 64-bit keys for 8-byte dtypes.
 *   unsigned ints: the value;  signed ints: the value with its sign bit
 *   flipped;  floats: the IEEE bits with the sign bit flipped when the sign is
 *   clear, all bits flipped when it is set (so -inf < ... < -0.0 < +0.0 < ...
 *   < +inf < positive NaNs).
 * PC_SORT_VALUES keeps that map one-to-one, so sorted keys convert back to
 * the very same bits; negative NaNs (whose keys fall below -inf) are sent to
 * an extra last bucket at the top level so that every NaN ends up last.
 * PC_SORT_ARGS maps keys that NumPy's comparison treats as equal to one key
 * (-0.0 to +0.0, every NaN to the largest key) so that a stable sort gives
 * exactly numpy.argsort(kind='stable').
 */
#ifndef PARCHUNK_KERNELS_SORT_H
#define PARCHUNK_KERNELS_SORT_H

#include "../../common/internal.h"

typedef enum pc_sort_mode { PC_SORT_VALUES = 0, PC_SORT_ARGS = 1 } pc_sort_mode;

/* A range of keys and how many keys it was taken from. */
typedef struct pc_sort_range {
    uint64_t min, max;
    size_t count;
} pc_sort_range;

/* The top-level bucket of a key: keys below `limit` (negative NaNs of a
 * values sort) go to bucket `nbuckets`; with nbuckets == 1 every other key
 * goes to bucket 0; else to table[clamp((key >> shift) - base, 0,
 * nprefixes - 1)]. That prefix index (12 bits, or 16 or 20 when fewer leave
 * a prefix heavier than two buckets) is non-decreasing in the key, and the table
 * (built from a sample, see pc_sort_build_table) maps it monotonically onto
 * buckets of about equal size whatever the distribution: floats crowd into
 * few exponents, which a plain radix digit would turn into a few huge
 * buckets. shift and base come from the range of the sample; keys outside
 * it just land in the first or last bucket. */
enum {
    PC_SORT_NARROW_PREFIX_BITS = 12,
    PC_SORT_PREFIX_BITS = 16,
    PC_SORT_WIDE_PREFIX_BITS = 20
};

/* The most top-level buckets: the scatter writes to that many places at once. */
enum { PC_SORT_MAX_BUCKETS = 1024 };

typedef struct pc_sort_digit {
    uint64_t limit;
    unsigned shift;
    uint64_t base;
    size_t nbuckets;
    size_t nprefixes;      /* 2^12, 2^16 or 2^20 */
    const uint16_t *table; /* nprefixes entries, each < nbuckets */
} pc_sort_digit;

/* The range of the keys of every stride-th element (from the first) that is
 * not below limit, folded into r (which starts as {UINT64_MAX, 0, 0}). */
void pc_sort_sample_range(const void *x, size_t n, parchunk_dtype dtype, pc_sort_mode mode,
                          uint64_t limit, size_t stride, pc_sort_range *r);

/* counts[prefix index] += 1 for the same sample (index as in pc_sort_digit;
 * digit->table is not used). */
void pc_sort_sample_prefixes(const void *x, size_t n, parchunk_dtype dtype, pc_sort_mode mode,
                             const pc_sort_digit *digit, size_t stride, uint32_t *counts);

/* table[p] = the bucket (< nbuckets <= 65536) of prefix index p < nprefixes:
 * the sampled prefixes are cut into nbuckets runs of about equal sample
 * count; the map is non-decreasing in p. Returns the largest count. */
uint32_t pc_sort_build_table(const uint32_t *counts, size_t nprefixes, size_t nbuckets,
                             uint16_t *table);

/* Keys below this value are negative NaNs in a values sort of dtype (0 when
 * there are none to separate). */
uint64_t pc_sort_negnan_limit(parchunk_dtype dtype, pc_sort_mode mode);

/* hist[0 .. nbuckets] += the digit counts of the n elements. */
void pc_sort_histogram(const void *x, size_t n, parchunk_dtype dtype, pc_sort_mode mode,
                       const pc_sort_digit *digit, size_t *hist);

/* Stable scatter: element i goes to keys[offsets[digit]++] (as a key of the
 * dtype's width); when index is not NULL, index[same slot] = first_index + i. */
void pc_sort_scatter(const void *x, size_t n, parchunk_dtype dtype, pc_sort_mode mode,
                     const pc_sort_digit *digit, size_t *offsets, void *keys, int64_t *index,
                     size_t first_index);

/* Stable sort of the n keys at src (with their indices at isrc when isrc is
 * not NULL); src and isrc are used as scratch. The indices end in idst; the
 * sorted keys in dst or, for a values sort (isrc NULL), possibly in src:
 * returns which. A most-significant-digit radix sort that picks its digits
 * from the range of the keys it sees, recursing down to insertion sorts. */
void *pc_sort_bucket(void *src, void *dst, int64_t *isrc, int64_t *idst, size_t n,
                    parchunk_dtype dtype);

/* Converts n keys of a values sort back to elements of dtype (out may equal
 * keys when the element is as wide as the key). */
void pc_sort_store(const void *keys, size_t n, parchunk_dtype dtype, void *out);

/* The key width in bytes for dtype: 4 or 8. */
static inline size_t pc_sort_key_size(parchunk_dtype dtype)
{
    return parchunk_dtype_size(dtype) <= 4 ? 4 : 8;
}

#endif
