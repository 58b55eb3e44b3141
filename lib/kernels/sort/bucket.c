/*
 * bucket.c - the in-cache part of the sort: a stable sort of one top-level
 * bucket (a few thousand keys for most inputs), sequential, on keys that
 * sit in L1/L2.
 *
 * A part first finds the range [lo, hi] of its keys. Parts of up to LSD_MAX
 * keys are sorted by two LSD radix passes on the top bits of key - lo and an
 * insertion repair (see lsd2 in bucket_impl.h): no recursion and almost no
 * mispredicted branches for evenly spread keys. Larger parts, and parts
 * whose keys crowd together so that the repair gives up, are partitioned
 * stably on the top bits of key - lo into the other buffer (the digit spans
 * exactly the range, so evenly spread keys fill the parts evenly) and the
 * parts are sorted recursively with the buffers' roles swapped; parts of up
 * to INSERTION_MAX keys finish with an insertion sort. Each level consumes at
 * least MIN_DIGIT bits of the range, which bounds the depth (one 16 KB
 * histogram per level on the stack).
 */
#include <string.h>

#include "sort.h"

enum { INSERTION_MAX = 16, MIN_DIGIT = 4, MAX_DIGIT = 11, LSD_MAX = 1 << 16 };

typedef enum lsd_result { LSD_FAILED = 0, LSD_IN_DST, LSD_IN_SRC } lsd_result;

/* LSD_DIGIT: the widest LSD digit. 32-bit keys take 12 bits: a bucket of
 * ~20K keys 9 bits below the top then has 23 bits left, which two 12-bit
 * digits sort exactly (no repair pass); 64-bit keys gain nothing from it. */
#define KEY uint32_t
#define SUFFIX u32
#define LSD_DIGIT 12
#include "bucket_impl.h"
#undef KEY
#undef SUFFIX
#undef LSD_DIGIT

#define KEY uint64_t
#define SUFFIX u64
#define LSD_DIGIT 11
#include "bucket_impl.h"
#undef KEY
#undef SUFFIX
#undef LSD_DIGIT

void *pc_sort_bucket(void *src, void *dst, int64_t *isrc, int64_t *idst, size_t n,
                     parchunk_dtype dtype)
{
    if (n == 0)
        return dst;
    if (pc_sort_key_size(dtype) == 4)
        return top_u32(src, dst, isrc, idst, n);
    return top_u64(src, dst, isrc, idst, n);
}
