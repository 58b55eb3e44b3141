/*
 * keys.c - elements to sort keys and back, and the top-level passes over the
 * input (key range, digit histogram, stable scatter). One generic loop per
 * pass, instantiated per dtype through an always-inlined load function, so
 * each dtype gets its own straight loop.
 */
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "sort.h"

/* Chunks shorter than this scatter directly: flushing the line buffers would
 * cost more than it saves. */
enum { BUFFERED_SCATTER_FROM = 4096 };

#define ALWAYS_INLINE static inline __attribute__((always_inline))

typedef uint64_t (*load_fn)(const void *x, size_t i);

ALWAYS_INLINE uint32_t f32_bits(const void *x, size_t i)
{
    uint32_t b;
    memcpy(&b, (const float *)x + i, 4);
    return b;
}

ALWAYS_INLINE uint64_t f64_bits(const void *x, size_t i)
{
    uint64_t b;
    memcpy(&b, (const double *)x + i, 8);
    return b;
}

ALWAYS_INLINE uint32_t order32(uint32_t b)
{
    return (b >> 31) ? ~b : b | 0x80000000u;
}
ALWAYS_INLINE uint64_t order64(uint64_t b)
{
    return (b >> 63) ? ~b : b | 0x8000000000000000ull;
}

static uint64_t load_i8(const void *x, size_t i)
{
    return (uint32_t)(int32_t)((const int8_t *)x)[i] ^ 0x80000000u;
}
static uint64_t load_u8(const void *x, size_t i)
{
    return ((const uint8_t *)x)[i];
}
static uint64_t load_i16(const void *x, size_t i)
{
    return (uint32_t)(int32_t)((const int16_t *)x)[i] ^ 0x80000000u;
}
static uint64_t load_u16(const void *x, size_t i)
{
    return ((const uint16_t *)x)[i];
}
static uint64_t load_i32(const void *x, size_t i)
{
    return (uint32_t)((const int32_t *)x)[i] ^ 0x80000000u;
}
static uint64_t load_u32(const void *x, size_t i)
{
    return ((const uint32_t *)x)[i];
}
static uint64_t load_i64(const void *x, size_t i)
{
    return (uint64_t)((const int64_t *)x)[i] ^ 0x8000000000000000ull;
}
static uint64_t load_u64(const void *x, size_t i)
{
    return ((const uint64_t *)x)[i];
}
static uint64_t load_f32(const void *x, size_t i)
{
    return order32(f32_bits(x, i));
}
static uint64_t load_f64(const void *x, size_t i)
{
    return order64(f64_bits(x, i));
}

/* Argsort keys: NumPy compares -0.0 == +0.0 and puts every NaN last, equal
 * to each other; a stable sort must see them as equal keys. */
static uint64_t load_f32_args(const void *x, size_t i)
{
    uint32_t b = f32_bits(x, i);
    if ((b & 0x7fffffffu) > 0x7f800000u)
        return 0xffffffffu;
    return order32(b == 0x80000000u ? 0 : b);
}
static uint64_t load_f64_args(const void *x, size_t i)
{
    uint64_t b = f64_bits(x, i);
    if ((b & 0x7fffffffffffffffull) > 0x7ff0000000000000ull)
        return UINT64_MAX;
    return order64(b == 0x8000000000000000ull ? 0 : b);
}

uint64_t pc_sort_negnan_limit(parchunk_dtype dtype, pc_sort_mode mode)
{
    if (mode != PC_SORT_VALUES)
        return 0;
    /* the key of -inf; only negative NaNs map below it */
    if (dtype == PARCHUNK_FLOAT32)
        return order32(0xff800000u);
    if (dtype == PARCHUNK_FLOAT64)
        return order64(0xfff0000000000000ull);
    return 0;
}

/* Calls GENERIC(..., load) with the load function of (dtype, mode). */
#define DISPATCH(dtype, mode, CALL)                                                                \
    do {                                                                                           \
        bool args_ = (mode) == PC_SORT_ARGS;                                                       \
        switch (dtype) {                                                                           \
        case PARCHUNK_INT8: CALL(load_i8, 4); break;                                               \
        case PARCHUNK_UINT8: CALL(load_u8, 4); break;                                              \
        case PARCHUNK_INT16: CALL(load_i16, 4); break;                                             \
        case PARCHUNK_UINT16: CALL(load_u16, 4); break;                                            \
        case PARCHUNK_INT32: CALL(load_i32, 4); break;                                             \
        case PARCHUNK_UINT32: CALL(load_u32, 4); break;                                            \
        case PARCHUNK_INT64: CALL(load_i64, 8); break;                                             \
        case PARCHUNK_UINT64: CALL(load_u64, 8); break;                                            \
        case PARCHUNK_FLOAT32:                                                                     \
            if (args_)                                                                             \
                CALL(load_f32_args, 4);                                                            \
            else                                                                                   \
                CALL(load_f32, 4);                                                                 \
            break;                                                                                 \
        case PARCHUNK_FLOAT64:                                                                     \
            if (args_)                                                                             \
                CALL(load_f64_args, 8);                                                            \
            else                                                                                   \
                CALL(load_f64, 8);                                                                 \
            break;                                                                                 \
        default: break;                                                                            \
        }                                                                                          \
    } while (0)

/* ---- the sample ----------------------------------------------------------- */

ALWAYS_INLINE void range_generic(const void *x, size_t n, uint64_t limit, size_t stride,
                                 pc_sort_range *r, load_fn load)
{
    uint64_t lo = r->min, hi = r->max;
    size_t count = 0;
    for (size_t i = 0; i < n; i += stride) {
        uint64_t k = load(x, i);
        if (k < limit)
            continue;
        count++;
        lo = k < lo ? k : lo;
        hi = k > hi ? k : hi;
    }
    r->min = lo;
    r->max = hi;
    r->count += count;
}

void pc_sort_sample_range(const void *x, size_t n, parchunk_dtype dtype, pc_sort_mode mode,
                          uint64_t limit, size_t stride, pc_sort_range *r)
{
#define RANGE_CALL(load, width) range_generic(x, n, limit, stride, r, load)
    DISPATCH(dtype, mode, RANGE_CALL);
#undef RANGE_CALL
}

/* ---- histogram and scatter ------------------------------------------------ */

ALWAYS_INLINE size_t prefix_index(uint64_t k, const pc_sort_digit *d)
{
    uint64_t p = k >> d->shift;
    uint64_t idx = p > d->base ? p - d->base : 0;
    return (size_t)(idx < d->nprefixes - 1 ? idx : d->nprefixes - 1);
}

ALWAYS_INLINE size_t digit_of(uint64_t k, const pc_sort_digit *d)
{
    if (k < d->limit)
        return d->nbuckets;
    return d->nbuckets == 1 ? 0 : d->table[prefix_index(k, d)];
}

ALWAYS_INLINE void sample_generic(const void *x, size_t n, const pc_sort_digit *digit,
                                  size_t stride, uint32_t *counts, load_fn load)
{
    pc_sort_digit d = *digit;
    for (size_t i = 0; i < n; i += stride) {
        uint64_t k = load(x, i);
        if (k >= d.limit)
            counts[prefix_index(k, &d)]++;
    }
}

void pc_sort_sample_prefixes(const void *x, size_t n, parchunk_dtype dtype, pc_sort_mode mode,
                             const pc_sort_digit *digit, size_t stride, uint32_t *counts)
{
#define SAMPLE_CALL(load, width) sample_generic(x, n, digit, stride, counts, load)
    DISPATCH(dtype, mode, SAMPLE_CALL);
#undef SAMPLE_CALL
}

uint32_t pc_sort_build_table(const uint32_t *counts, size_t nprefixes, size_t nbuckets,
                             uint16_t *table)
{
    uint64_t total = 0;
    uint32_t heaviest = 0;
    for (size_t p = 0; p < nprefixes; p++) {
        total += counts[p];
        heaviest = counts[p] > heaviest ? counts[p] : heaviest;
    }
    /* prefix p goes to the bucket of the midpoint of its run of samples:
     * floor((before + count/2) * nbuckets / total), non-decreasing in p */
    uint64_t before = 0;
    for (size_t p = 0; p < nprefixes; p++) {
        uint64_t mid2 = 2 * before + counts[p]; /* twice the midpoint */
        uint64_t b = total ? mid2 * nbuckets / (2 * total) : 0;
        table[p] = (uint16_t)(b < nbuckets ? b : nbuckets - 1);
        before += counts[p];
    }
    return heaviest;
}

ALWAYS_INLINE void hist_generic(const void *x, size_t n, const pc_sort_digit *digit, size_t *hist,
                                load_fn load)
{
    pc_sort_digit d = *digit;
    for (size_t i = 0; i < n; i++)
        hist[digit_of(load(x, i), &d)]++;
}

void pc_sort_histogram(const void *x, size_t n, parchunk_dtype dtype, pc_sort_mode mode,
                       const pc_sort_digit *digit, size_t *hist)
{
#define HIST_CALL(load, width) hist_generic(x, n, digit, hist, load)
    DISPATCH(dtype, mode, HIST_CALL);
#undef HIST_CALL
}

/* The plain scatter: one store per key to wherever its bucket is. */
ALWAYS_INLINE void scatter_direct(const void *x, size_t n, const pc_sort_digit *digit,
                                  size_t *offsets, void *keys, int64_t *index, size_t first,
                                  load_fn load, int width)
{
    pc_sort_digit d = *digit;
    for (size_t i = 0; i < n; i++) {
        uint64_t k = load(x, i);
        size_t pos = offsets[digit_of(k, &d)]++;
        if (width == 4)
            ((uint32_t *)keys)[pos] = (uint32_t)k;
        else
            ((uint64_t *)keys)[pos] = k;
        if (index != NULL)
            index[pos] = (int64_t)(first + i);
    }
}

/* 64 bytes from an aligned buffer to aligned memory, bypassing the cache: the
 * destination is far larger than the cache and read again only by the next
 * pass, so streaming saves reading each line before writing it. */
static inline void stream_line(void *dst, const void *src)
{
#ifdef __SSE2__
    const __m128i *s = src;
    __m128i *d = dst;
    _mm_stream_si128(d, _mm_load_si128(s));
    _mm_stream_si128(d + 1, _mm_load_si128(s + 1));
    _mm_stream_si128(d + 2, _mm_load_si128(s + 2));
    _mm_stream_si128(d + 3, _mm_load_si128(s + 3));
#else
    memcpy(dst, src, 64);
#endif
}

/*
 * The buffered scatter (software write combining): keys gather in one
 * cache line per bucket and go out a whole line at a time, so the scatter
 * writes about nbuckets lines that stay in L1 instead of missing the cache on
 * every key. Lines are aligned in the destination (keys and index are 64-byte
 * aligned); a line that is not wholly inside this chunk's part of its bucket
 * (the first and last of each part) is written key by key, so chunks running
 * on other threads never see their keys overwritten.
 */
ALWAYS_INLINE void scatter_buffered(const void *x, size_t n, const pc_sort_digit *digit,
                                    size_t *offsets, void *keys_, int64_t *index, size_t first,
                                    load_fn load, int width)
{
    enum { LINE_BYTES = 64 };
    const size_t line = LINE_BYTES / (size_t)width; /* keys per line: 16 or 8 */
    pc_sort_digit d = *digit;
    size_t rows = d.nbuckets + 1;
    unsigned char *keys = keys_;
    size_t start[PC_SORT_MAX_BUCKETS + 1];
    _Alignas(64) uint64_t kbuf[(PC_SORT_MAX_BUCKETS + 1) * 8];
    _Alignas(64) int64_t ibuf[(PC_SORT_MAX_BUCKETS + 1) * 16];
    memcpy(start, offsets, rows * sizeof *start);
    for (size_t i = 0; i < n; i++) {
        uint64_t k = load(x, i);
        size_t b = digit_of(k, &d);
        size_t pos = offsets[b]++;
        size_t slot = pos & (line - 1);
        unsigned char *row = (unsigned char *)kbuf + b * LINE_BYTES;
        if (width == 4) {
            uint32_t k32 = (uint32_t)k;
            memcpy(row + slot * 4, &k32, 4);
        } else {
            memcpy(row + slot * 8, &k, 8);
        }
        if (index != NULL)
            ibuf[b * 16 + slot] = (int64_t)(first + i);
        if (slot == line - 1) {
            size_t begin = pos + 1 - line;
            if (begin >= start[b]) {
                stream_line(keys + begin * (size_t)width, row);
                if (index != NULL)
                    for (size_t h = 0; h < line / 8; h++)
                        stream_line(index + begin + 8 * h, ibuf + b * 16 + 8 * h);
            } else {
                size_t from = start[b];
                memcpy(keys + from * (size_t)width, row + (from - begin) * (size_t)width,
                       (pos + 1 - from) * (size_t)width);
                if (index != NULL)
                    memcpy(index + from, ibuf + b * 16 + (from - begin),
                           (pos + 1 - from) * sizeof *index);
            }
        }
    }
    for (size_t b = 0; b < rows; b++) { /* the partly filled last lines */
        size_t end = offsets[b];
        if ((end & (line - 1)) == 0 || end == start[b])
            continue;
        size_t begin = end & ~(line - 1);
        size_t from = begin > start[b] ? begin : start[b];
        const unsigned char *row = (const unsigned char *)kbuf + b * LINE_BYTES;
        memcpy(keys + from * (size_t)width, row + (from - begin) * (size_t)width,
               (end - from) * (size_t)width);
        if (index != NULL)
            memcpy(index + from, ibuf + b * 16 + (from - begin), (end - from) * sizeof *index);
    }
#ifdef __SSE2__
    _mm_sfence(); /* streamed lines visible before the next pass reads them */
#endif
}

ALWAYS_INLINE void scatter_generic(const void *x, size_t n, const pc_sort_digit *digit,
                                   size_t *offsets, void *keys, int64_t *index, size_t first,
                                   load_fn load, int width)
{
    if (digit->nbuckets <= PC_SORT_MAX_BUCKETS && n >= BUFFERED_SCATTER_FROM)
        scatter_buffered(x, n, digit, offsets, keys, index, first, load, width);
    else
        scatter_direct(x, n, digit, offsets, keys, index, first, load, width);
}

void pc_sort_scatter(const void *x, size_t n, parchunk_dtype dtype, pc_sort_mode mode,
                     const pc_sort_digit *digit, size_t *offsets, void *keys, int64_t *index,
                     size_t first_index)
{
#define SCATTER_CALL(load, width)                                                                  \
    scatter_generic(x, n, digit, offsets, keys, index, first_index, load, width)
    DISPATCH(dtype, mode, SCATTER_CALL);
#undef SCATTER_CALL
}

/* ---- keys back to elements (values sorts only) ---------------------------- */

#define DEFINE_STORE32(NAME, T, FLIP)                                                              \
    static void NAME(const uint32_t *k, size_t n, T *out)                                          \
    {                                                                                              \
        for (size_t i = 0; i < n; i++)                                                             \
            out[i] = (T)(int64_t)(int32_t)(k[i] ^ (FLIP));                                         \
    }
DEFINE_STORE32(store_i8, int8_t, 0x80000000u)
DEFINE_STORE32(store_i16, int16_t, 0x80000000u)
DEFINE_STORE32(store_i32, int32_t, 0x80000000u)
#define DEFINE_STORE32U(NAME, T)                                                                   \
    static void NAME(const uint32_t *k, size_t n, T *out)                                          \
    {                                                                                              \
        for (size_t i = 0; i < n; i++)                                                             \
            out[i] = (T)k[i];                                                                      \
    }
DEFINE_STORE32U(store_u8, uint8_t)
DEFINE_STORE32U(store_u16, uint16_t)
DEFINE_STORE32U(store_u32, uint32_t)

/* In place when out == k: each element is read before it is written. */
static void store_f32(const uint32_t *k, size_t n, void *out)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t b = k[i];
        b = (b >> 31) ? b ^ 0x80000000u : ~b;
        memcpy((unsigned char *)out + 4 * i, &b, 4);
    }
}

static void store_u64_xor(const uint64_t *k, size_t n, uint64_t *out, uint64_t flip)
{
    for (size_t i = 0; i < n; i++)
        out[i] = k[i] ^ flip;
}

static void store_f64(const uint64_t *k, size_t n, void *out)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t b = k[i];
        b = (b >> 63) ? b ^ 0x8000000000000000ull : ~b;
        memcpy((unsigned char *)out + 8 * i, &b, 8);
    }
}

void pc_sort_store(const void *keys, size_t n, parchunk_dtype dtype, void *out)
{
    switch (dtype) {
    case PARCHUNK_INT8: store_i8(keys, n, out); break;
    case PARCHUNK_UINT8: store_u8(keys, n, out); break;
    case PARCHUNK_INT16: store_i16(keys, n, out); break;
    case PARCHUNK_UINT16: store_u16(keys, n, out); break;
    case PARCHUNK_INT32: store_i32(keys, n, out); break;
    case PARCHUNK_UINT32: store_u32(keys, n, out); break;
    case PARCHUNK_INT64: store_u64_xor(keys, n, out, 0x8000000000000000ull); break;
    case PARCHUNK_UINT64: store_u64_xor(keys, n, out, 0); break;
    case PARCHUNK_FLOAT32: store_f32(keys, n, out); break;
    case PARCHUNK_FLOAT64: store_f64(keys, n, out); break;
    default: break;
    }
}
