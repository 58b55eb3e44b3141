/*
 * keys.c - elements to sort keys and back, and the top-level passes over the
 * input (key range, digit histogram, stable scatter). One generic loop per
 * pass, instantiated per dtype through an always-inlined load function, so
 * each dtype gets its own straight loop.
 */
#include <string.h>

#include "sort.h"

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
     * floor((before + count/2) * nbuckets / total), non-decreasing in p. An
     * empty prefix's midpoint is `before`, which only changes at a sampled
     * prefix, so the division runs once or twice per sampled prefix, not per
     * prefix (2^20 of them). */
    uint64_t before = 0, cap = nbuckets - 1;
    uint16_t empty = 0; /* the bucket of an empty prefix at the current `before` */
    for (size_t p = 0; p < nprefixes; p++) {
        uint64_t c = counts[p];
        if (c == 0) {
            table[p] = empty;
            continue;
        }
        uint64_t b = (2 * before + c) * nbuckets / (2 * total); /* twice the midpoint */
        table[p] = (uint16_t)(b < cap ? b : cap);
        before += c;
        b = before * nbuckets / total;
        empty = (uint16_t)(b < cap ? b : cap);
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

/* One store per key to wherever its bucket is. (A software write-combining
 * variant -- keys gathered per bucket in 64-byte lines, streamed out a line at
 * a time -- measured slower here: with ~1000 buckets its line buffers do not
 * fit L1.) */
ALWAYS_INLINE void scatter_generic(const void *x, size_t n, const pc_sort_digit *digit,
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

/* Static (a cloned function gets an ifunc symbol, which must not be
 * exported). */
PC_CLONE_AVX2 static void store_any(const void *keys, size_t n, parchunk_dtype dtype, void *out)
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

void pc_sort_store(const void *keys, size_t n, parchunk_dtype dtype, void *out)
{
    store_any(keys, n, dtype, out);
}
