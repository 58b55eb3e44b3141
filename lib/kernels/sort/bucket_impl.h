/*
 * bucket_impl.h - the bucket sort for one key type, included by bucket.c
 * once per key width with KEY (the unsigned key type) and SUFFIX defined.
 * Not a header for anyone else to include.
 */
#define PC_CAT2(a, b) a##_##b
#define PC_CAT(a, b) PC_CAT2(a, b)
#define FN(name) PC_CAT(name, SUFFIX)

/* Stable insertion sort of k[0..n) (with ix alongside when not NULL). */
static void FN(insertion)(KEY *k, int64_t *ix, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        KEY v = k[i];
        size_t j = i;
        if (ix == NULL) {
            for (; j > 0 && k[j - 1] > v; j--)
                k[j] = k[j - 1];
        } else {
            int64_t vi = ix[i];
            for (; j > 0 && k[j - 1] > v; j--) {
                k[j] = k[j - 1];
                ix[j] = ix[j - 1];
            }
            ix[j] = vi;
        }
        k[j] = v;
    }
}

/* The smallest and largest of k[0..n), n >= 1 (a reduction the AVX2 clone
 * vectorises). */
PC_CLONE_AVX2 static void FN(range)(const KEY *k, size_t n, KEY *lo_out, KEY *hi_out)
{
    KEY lo = k[0], hi = k[0];
    for (size_t i = 1; i < n; i++) {
        lo = k[i] < lo ? k[i] : lo;
        hi = k[i] > hi ? k[i] : hi;
    }
    *lo_out = lo;
    *hi_out = hi;
}

static void FN(copy)(const KEY *src, KEY *dst, const int64_t *isrc, int64_t *idst, size_t n)
{
    memcpy(dst, src, n * sizeof(KEY));
    if (isrc != NULL)
        memcpy(idst, isrc, n * sizeof(int64_t));
}

/*
 * Sorts src into dst for a part of at most LSD_MAX keys in [lo, lo + 2^bits):
 * two stable least-significant-digit passes on the top 2 * w bits of
 * key - lo (w ~ log2(n) + 1, at most LSD_DIGIT; src -> dst -> src), then an
 * insertion sort that copies src to dst and repairs the order below those
 * bits. For keys spread over their range, few keys share their top 2w bits, so the repair moves
 * almost nothing and mispredicts almost never. When the repair exceeds its budget of moves (keys
 * crowded in a small part of the range), returns LSD_FAILED with src still holding all keys (in
 * another order); the caller then partitions instead. When the two digits cover all the bits of the
 * range (32-bit keys, mostly) the passes alone sort: a values sort then skips the repair and returns
 * LSD_IN_SRC, the sorted keys in src.
 */
static lsd_result FN(lsd2)(KEY *src, KEY *dst, int64_t *isrc, int64_t *idst, size_t n, KEY lo,
                           unsigned bits)
{
    /* digits of about log2(n) + 1 bits: 2n slots per digit, so two digits
     * leave ~4n^2 slots for n keys, and the histograms stay small */
    unsigned lg = (unsigned)(63 - __builtin_clzll((unsigned long long)n));
    unsigned w = lg + 1 < MIN_DIGIT ? MIN_DIGIT : lg + 1 > LSD_DIGIT ? LSD_DIGIT : lg + 1;
    unsigned w1 = bits < w ? bits : w, shift1 = bits - w1;
    unsigned w2 = shift1 < w ? shift1 : w, shift2 = shift1 - w2;
    size_t nb1 = (size_t)1 << w1, nb2 = (size_t)1 << w2, mask2 = nb2 - 1;
    uint32_t h1[1 << LSD_DIGIT], h2[1 << LSD_DIGIT];
    memset(h1, 0, nb1 * sizeof *h1);
    memset(h2, 0, nb2 * sizeof *h2);
    for (size_t i = 0; i < n; i++) {
        KEY d = src[i] - lo;
        h1[d >> shift1]++;
        h2[(d >> shift2) & mask2]++;
    }
    uint32_t s1 = 0, s2 = 0;
    for (size_t b = 0; b < nb1; b++) {
        uint32_t c = h1[b];
        h1[b] = s1;
        s1 += c;
    }
    for (size_t b = 0; b < nb2; b++) {
        uint32_t c = h2[b];
        h2[b] = s2;
        s2 += c;
    }
    if (isrc == NULL) {
        for (size_t i = 0; i < n; i++)
            dst[h2[((src[i] - lo) >> shift2) & mask2]++] = src[i];
        for (size_t i = 0; i < n; i++)
            src[h1[(dst[i] - lo) >> shift1]++] = dst[i];
        if (shift2 == 0)
            return LSD_IN_SRC;
    } else {
        for (size_t i = 0; i < n; i++) {
            uint32_t p = h2[((src[i] - lo) >> shift2) & mask2]++;
            dst[p] = src[i];
            idst[p] = isrc[i];
        }
        for (size_t i = 0; i < n; i++) {
            uint32_t p = h1[(dst[i] - lo) >> shift1]++;
            src[p] = dst[i];
            isrc[p] = idst[i];
        }
    }
    /* copying insertion sort src -> dst with a budget of moves */
    size_t moves = 0, budget = 4 * n + 64;
    for (size_t i = 0; i < n; i++) {
        KEY v = src[i];
        size_t j = i;
        if (isrc == NULL) {
            for (; j > 0 && dst[j - 1] > v; j--)
                dst[j] = dst[j - 1];
        } else {
            for (; j > 0 && dst[j - 1] > v; j--) {
                dst[j] = dst[j - 1];
                idst[j] = idst[j - 1];
            }
            idst[j] = isrc[i];
        }
        dst[j] = v;
        moves += i - j;
        if (moves > budget)
            return LSD_FAILED;
    }
    return LSD_IN_DST;
}

/* Sorts the keys at src; the result lands in oth when to_oth, else in src. */
static void FN(msd)(KEY *src, KEY *oth, int64_t *isrc, int64_t *ioth, size_t n, bool to_oth)
{
    if (n <= INSERTION_MAX) {
        if (to_oth) {
            FN(copy)(src, oth, isrc, ioth, n);
            FN(insertion)(oth, ioth, n);
        } else {
            FN(insertion)(src, isrc, n);
        }
        return;
    }
    KEY lo, hi;
    FN(range)(src, n, &lo, &hi);
    if (lo == hi) { /* all equal: already in stable order */
        if (to_oth)
            FN(copy)(src, oth, isrc, ioth, n);
        return;
    }
    unsigned bits = (unsigned)(64 - __builtin_clzll((unsigned long long)(hi - lo)));
    lsd_result r = n <= LSD_MAX ? FN(lsd2)(src, oth, isrc, ioth, n, lo, bits) : LSD_FAILED;
    if (r == LSD_IN_DST) {
        if (!to_oth)
            FN(copy)(oth, src, ioth, isrc, n);
        return;
    }
    if (r == LSD_IN_SRC) {
        if (to_oth)
            FN(copy)(src, oth, isrc, ioth, n);
        return;
    }
    /* one partitioning level: parts average ~2 keys when spread evenly */
    unsigned lg = (unsigned)(63 - __builtin_clzll((unsigned long long)n));
    unsigned width = lg > 1 ? lg - 1 : 0;
    width = width < MIN_DIGIT ? MIN_DIGIT : width > MAX_DIGIT ? MAX_DIGIT : width;
    width = bits < width ? bits : width;
    unsigned shift = bits - width;
    size_t nb = (size_t)1 << width;
    size_t hist[(size_t)1 << MAX_DIGIT];
    memset(hist, 0, nb * sizeof *hist);
    for (size_t i = 0; i < n; i++)
        hist[(size_t)((src[i] - lo) >> shift)]++;
    size_t sum = 0;
    for (size_t b = 0; b < nb; b++) {
        size_t c = hist[b];
        hist[b] = sum;
        sum += c;
    }
    if (isrc == NULL) {
        for (size_t i = 0; i < n; i++)
            oth[hist[(size_t)((src[i] - lo) >> shift)]++] = src[i];
    } else {
        for (size_t i = 0; i < n; i++) {
            size_t p = hist[(size_t)((src[i] - lo) >> shift)]++;
            oth[p] = src[i];
            ioth[p] = isrc[i];
        }
    }
    /* hist[b] is now the end of part b; the parts now live in oth */
    size_t begin = 0;
    for (size_t b = 0; b < nb; b++) {
        size_t end = hist[b], len = end - begin;
        if (len > INSERTION_MAX) {
            FN(msd)
            (oth + begin, src + begin, ioth ? ioth + begin : NULL, isrc ? isrc + begin : NULL, len,
             !to_oth);
        } else if (len > 0) { /* small parts inline: most parts are 0-3 keys */
            KEY *part = oth + begin;
            int64_t *ipart = ioth ? ioth + begin : NULL;
            if (len > 1)
                FN(insertion)(part, ipart, len);
            if (!to_oth)
                FN(copy)(part, src + begin, ipart, isrc ? isrc + begin : NULL, len);
        }
        begin = end;
    }
}

/* The top level of a bucket: like msd(.., to_oth = true), except that a values
 * sort whose LSD passes sort exactly leaves its keys in src; returns where the
 * sorted keys are. */
static KEY *FN(top)(KEY *src, KEY *dst, int64_t *isrc, int64_t *idst, size_t n)
{
    if (isrc == NULL && n > INSERTION_MAX && n <= LSD_MAX) {
        KEY lo, hi;
        FN(range)(src, n, &lo, &hi);
        if (lo == hi)
            return src;
        unsigned bits = (unsigned)(64 - __builtin_clzll((unsigned long long)(hi - lo)));
        lsd_result r = FN(lsd2)(src, dst, NULL, NULL, n, lo, bits);
        if (r == LSD_IN_SRC)
            return src;
        if (r == LSD_IN_DST)
            return dst;
        /* LSD_FAILED: src holds the keys, partition them */
    }
    FN(msd)(src, dst, isrc, idst, n, true);
    return dst;
}

#undef FN
#undef PC_CAT
#undef PC_CAT2
