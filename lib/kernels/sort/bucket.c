/*
 * bucket.c - the in-cache part of the sort: a stable most-significant-digit
 * radix sort of one top-level bucket (a few thousand keys for uniform data).
 * Each level finds the range [lo, hi] of its keys and partitions them stably
 * on the top bits of key - lo (the digit spans exactly the range, so evenly
 * spread keys give evenly filled parts) into the other buffer, and
 * recurses into the parts with the buffers' roles swapped; parts of at most
 * INSERTION_MAX keys finish with a stable insertion sort. Each level
 * consumes at least MIN_DIGIT bits, which bounds the depth (and the 16 KB
 * histogram per level on the stack), and costs a few passes over keys that
 * sit in L1/L2.
 */
#include <string.h>

#include "sort.h"

/* Parts of up to INSERTION_MAX keys are insertion-sorted. A level on n keys
 * uses about log2(n) - 1 bits (at least MIN_DIGIT, at most MAX_DIGIT), so
 * that parts average ~2 keys when the keys spread evenly: walking a histogram
 * of n/2 entries costs less than the mispredicted branches of insertion
 * sorts on larger parts. */
enum { INSERTION_MAX = 16, MIN_DIGIT = 4, MAX_DIGIT = 11 };

static unsigned digit_width(size_t n)
{
    unsigned lg = (unsigned)(63 - __builtin_clzll((unsigned long long)n));
    unsigned w = lg > 1 ? lg - 1 : 0;
    return w < MIN_DIGIT ? MIN_DIGIT : w > MAX_DIGIT ? MAX_DIGIT : w;
}

#define DEFINE_BUCKET_SORT(SUFFIX, KEY)                                                      \
    static void insertion_##SUFFIX(KEY *k, int64_t *ix, size_t n)                                  \
    {                                                                                              \
        for (size_t i = 1; i < n; i++) {                                                           \
            KEY v = k[i];                                                                          \
            size_t j = i;                                                                          \
            if (ix == NULL) {                                                                      \
                for (; j > 0 && k[j - 1] > v; j--)                                                 \
                    k[j] = k[j - 1];                                                               \
            } else {                                                                               \
                int64_t vi = ix[i];                                                                \
                for (; j > 0 && k[j - 1] > v; j--) {                                               \
                    k[j] = k[j - 1];                                                               \
                    ix[j] = ix[j - 1];                                                             \
                }                                                                                  \
                ix[j] = vi;                                                                        \
            }                                                                                      \
            k[j] = v;                                                                              \
        }                                                                                          \
    }                                                                                              \
                                                                                                   \
    static void copy_##SUFFIX(const KEY *src, KEY *dst, const int64_t *isrc, int64_t *idst,        \
                              size_t n)                                                            \
    {                                                                                              \
        memcpy(dst, src, n * sizeof(KEY));                                                         \
        if (isrc != NULL)                                                                          \
            memcpy(idst, isrc, n * sizeof(int64_t));                                               \
    }                                                                                              \
                                                                                                   \
    /* Sorts the keys at src; the result lands in oth when to_oth, else in src. */                 \
    static void msd_##SUFFIX(KEY *src, KEY *oth, int64_t *isrc, int64_t *ioth, size_t n,           \
                             bool to_oth)                                                          \
    {                                                                                              \
        if (n <= INSERTION_MAX) {                                                                  \
            if (to_oth) {                                                                          \
                copy_##SUFFIX(src, oth, isrc, ioth, n);                                            \
                insertion_##SUFFIX(oth, ioth, n);                                                  \
            } else {                                                                               \
                insertion_##SUFFIX(src, isrc, n);                                                  \
            }                                                                                      \
            return;                                                                                \
        }                                                                                          \
        KEY lo = src[0], hi = src[0];                                                              \
        for (size_t i = 1; i < n; i++) {                                                           \
            lo = src[i] < lo ? src[i] : lo;                                                        \
            hi = src[i] > hi ? src[i] : hi;                                                        \
        }                                                                                          \
        if (lo == hi) { /* all equal: already in stable order */                                   \
            if (to_oth)                                                                            \
                copy_##SUFFIX(src, oth, isrc, ioth, n);                                            \
            return;                                                                                \
        }                                                                                          \
        unsigned bits = (unsigned)(64 - __builtin_clzll((unsigned long long)(hi - lo)));         \
        unsigned width = digit_width(n);                                                   \
        width = bits < width ? bits : width;                                                       \
        unsigned shift = bits - width;                                                             \
        size_t nb = (size_t)1 << width;                                                             \
        size_t hist[(size_t)1 << MAX_DIGIT];                                                        \
        memset(hist, 0, nb * sizeof *hist);                                                        \
        for (size_t i = 0; i < n; i++)                                                             \
            hist[(size_t)((src[i] - lo) >> shift)]++;                                                   \
        size_t sum = 0;                                                                            \
        for (size_t b = 0; b < nb; b++) {                                                          \
            size_t c = hist[b];                                                                    \
            hist[b] = sum;                                                                         \
            sum += c;                                                                              \
        }                                                                                          \
        if (isrc == NULL) {                                                                        \
            for (size_t i = 0; i < n; i++)                                                         \
                oth[hist[(size_t)((src[i] - lo) >> shift)]++] = src[i];                                 \
        } else {                                                                                   \
            for (size_t i = 0; i < n; i++) {                                                       \
                size_t p = hist[(size_t)((src[i] - lo) >> shift)]++;                                    \
                oth[p] = src[i];                                                                   \
                ioth[p] = isrc[i];                                                                 \
            }                                                                                      \
        }                                                                                          \
        /* hist[b] is now the end of part b */                                                     \
        size_t begin = 0;                                                                          \
        for (size_t b = 0; b < nb; b++) {                                                          \
            size_t end = hist[b], len = end - begin;                                               \
            if (len > INSERTION_MAX) {                                                             \
                msd_##SUFFIX(oth + begin, src + begin, ioth ? ioth + begin : NULL,                 \
                             isrc ? isrc + begin : NULL, len, !to_oth);                            \
            } else if (len > 0) { /* small parts inline: most parts are 0-3 keys */                \
                KEY *part = oth + begin;                                                           \
                int64_t *ipart = ioth ? ioth + begin : NULL;                                       \
                if (len > 1)                                                                       \
                    insertion_##SUFFIX(part, ipart, len);                                          \
                if (!to_oth)                                                                       \
                    copy_##SUFFIX(part, src + begin, ipart, isrc ? isrc + begin : NULL, len);      \
            }                                                                                      \
            begin = end;                                                                           \
        }                                                                                          \
    }

DEFINE_BUCKET_SORT(u32, uint32_t)
DEFINE_BUCKET_SORT(u64, uint64_t)

void pc_sort_bucket(void *src, void *dst, int64_t *isrc, int64_t *idst, size_t n,
                    parchunk_dtype dtype)
{
    if (n == 0)
        return;
    if (pc_sort_key_size(dtype) == 4)
        msd_u32(src, dst, isrc, idst, n, true);
    else
        msd_u64(src, dst, isrc, idst, n, true);
}
