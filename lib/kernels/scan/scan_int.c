/* scan_int.c - chunk summaries and chunk scans of integer data. */
#include "scan.h"

/* ---- exact summaries: the smallest and largest prefix themselves --------- */

/* Narrow signed elements: a chunk has at most 2^30 items of at most 2^31 in
 * magnitude, so its prefixes fit int64 and the loop stays 64-bit. */
#define DEFINE_EXACT_SIGNED(NAME, T)                                                               \
    static void NAME(const T *x, size_t n, pc_scan_int_summary *r)                                 \
    {                                                                                              \
        int64_t s = 0, lo = 0, hi = 0;                                                             \
        for (size_t i = 0; i < n; i++) {                                                           \
            s += x[i];                                                                             \
            lo = s < lo ? s : lo;                                                                  \
            hi = s > hi ? s : hi;                                                                  \
        }                                                                                          \
        r->total = s;                                                                              \
        r->low = lo;                                                                               \
        r->high = hi;                                                                              \
        r->exact = true;                                                                           \
    }
DEFINE_EXACT_SIGNED(exact_i8, int8_t)
DEFINE_EXACT_SIGNED(exact_i16, int16_t)
DEFINE_EXACT_SIGNED(exact_i32, int32_t)

/* int64: a chunk's prefixes may leave int64 (the whole array's may not).
 * The common case runs in int64 with an overflow check; a chunk whose
 * running sum overflows is redone in 128 bits. */
static void exact_i64_wide(const int64_t *x, size_t n, pc_scan_int_summary *r)
{
    pc_i128 s = 0, lo = 0, hi = 0;
    for (size_t i = 0; i < n; i++) {
        s += x[i];
        lo = s < lo ? s : lo;
        hi = s > hi ? s : hi;
    }
    r->total = s;
    r->low = lo;
    r->high = hi;
    r->exact = true;
}

static void exact_i64(const int64_t *x, size_t n, pc_scan_int_summary *r)
{
    int64_t s = 0, lo = 0, hi = 0;
    for (size_t i = 0; i < n; i++) {
        if (PC_UNLIKELY(__builtin_add_overflow(s, x[i], &s))) {
            exact_i64_wide(x, n, r);
            return;
        }
        lo = s < lo ? s : lo;
        hi = s > hi ? s : hi;
    }
    r->total = s;
    r->low = lo;
    r->high = hi;
    r->exact = true;
}

/* Unsigned prefixes only grow: the largest is the total, the smallest 0, so
 * the summary is exact and a plain reduction. */
#define DEFINE_SUMMARY_UNSIGNED(NAME, T)                                                           \
    PC_CLONE_AVX2 static void NAME(const T *x, size_t n, pc_scan_int_summary *r)                   \
    {                                                                                              \
        uint64_t s = 0;                                                                            \
        for (size_t i = 0; i < n; i++)                                                             \
            s += x[i];                                                                             \
        r->total = s;                                                                              \
        r->low = 0;                                                                                \
        r->high = s;                                                                               \
        r->exact = true;                                                                           \
    }
DEFINE_SUMMARY_UNSIGNED(summary_u8, uint8_t)
DEFINE_SUMMARY_UNSIGNED(summary_u16, uint16_t)
DEFINE_SUMMARY_UNSIGNED(summary_u32, uint32_t)

/* uint64: the 32-bit halves summed apart (each sum < 2^62 for 2^30 items),
 * so the exact 128-bit total is a carry-free reduction that vectorises. */
PC_CLONE_AVX2 static void summary_u64(const uint64_t *x, size_t n, pc_scan_int_summary *r)
{
    uint64_t shi = 0, slo = 0;
    for (size_t i = 0; i < n; i++) {
        shi += x[i] >> 32;
        slo += x[i] & 0xffffffffu;
    }
    pc_i128 total = ((pc_i128)shi << 32) + slo;
    r->total = total;
    r->low = 0;
    r->high = total;
    r->exact = true;
}

void pc_scan_int_summarise_exact(const void *x, size_t n, parchunk_dtype dtype,
                                 pc_scan_int_summary *summary)
{
    switch (dtype) {
    case PARCHUNK_INT8: exact_i8(x, n, summary); break;
    case PARCHUNK_UINT8: summary_u8(x, n, summary); break;
    case PARCHUNK_INT16: exact_i16(x, n, summary); break;
    case PARCHUNK_UINT16: summary_u16(x, n, summary); break;
    case PARCHUNK_INT32: exact_i32(x, n, summary); break;
    case PARCHUNK_UINT32: summary_u32(x, n, summary); break;
    case PARCHUNK_INT64: exact_i64(x, n, summary); break;
    case PARCHUNK_UINT64: summary_u64(x, n, summary); break;
    default: break;
    }
}

/* ---- loose summaries of signed data: a reduction, no prefix chain --------- */

/* The wrapping sum and m = OR of (v < 0 ? ~v : v) over the chunk: every
 * |v| <= m + 1 =: M, so every prefix lies in [-n * M, n * M]. When n * M fits
 * int64 no partial sum overflowed and the wrapping sum is the exact total;
 * otherwise (int64 data of huge magnitude only) the exact summary is taken. */
#define DEFINE_LOOSE_SIGNED(NAME, T, EXACT)                                                        \
    PC_CLONE_AVX2 static void NAME(const T *x, size_t n, pc_scan_int_summary *r)                   \
    {                                                                                              \
        uint64_t s = 0, m = 0;                                                                     \
        for (size_t i = 0; i < n; i++) {                                                           \
            int64_t v = x[i];                                                                      \
            s += (uint64_t)v;                                                                      \
            m |= (uint64_t)(v < 0 ? ~v : v);                                                       \
        }                                                                                          \
        pc_i128 bound = (pc_i128)n * ((pc_i128)m + 1);                                             \
        if (bound > INT64_MAX) {                                                                   \
            EXACT(x, n, r);                                                                        \
            return;                                                                                \
        }                                                                                          \
        r->total = (int64_t)s;                                                                     \
        r->low = -bound;                                                                           \
        r->high = bound;                                                                           \
        r->exact = false;                                                                          \
    }
DEFINE_LOOSE_SIGNED(loose_i8, int8_t, exact_i8)
DEFINE_LOOSE_SIGNED(loose_i16, int16_t, exact_i16)
DEFINE_LOOSE_SIGNED(loose_i32, int32_t, exact_i32)
DEFINE_LOOSE_SIGNED(loose_i64, int64_t, exact_i64)

void pc_scan_int_summarise(const void *x, size_t n, parchunk_dtype dtype,
                           pc_scan_int_summary *summary)
{
    switch (dtype) {
    case PARCHUNK_INT8: loose_i8(x, n, summary); break;
    case PARCHUNK_INT16: loose_i16(x, n, summary); break;
    case PARCHUNK_INT32: loose_i32(x, n, summary); break;
    case PARCHUNK_INT64: loose_i64(x, n, summary); break;
    default: pc_scan_int_summarise_exact(x, n, dtype, summary); break;
    }
}

/* Elements are widened to 64 bits (sign- or zero-extended as their type says)
 * and added modulo 2^64: exact because pass 1 proved every prefix fits. */
#define DEFINE_SCAN_INT(NAME, T)                                                                   \
    static void NAME(const T *x, size_t n, uint64_t s, uint64_t *out)                              \
    {                                                                                              \
        for (size_t i = 0; i < n; i++) {                                                           \
            s += (uint64_t)(int64_t)x[i];                                                          \
            out[i] = s;                                                                            \
        }                                                                                          \
    }
DEFINE_SCAN_INT(scan_i8, int8_t)
DEFINE_SCAN_INT(scan_u8, uint8_t)
DEFINE_SCAN_INT(scan_i16, int16_t)
DEFINE_SCAN_INT(scan_u16, uint16_t)
DEFINE_SCAN_INT(scan_i32, int32_t)
DEFINE_SCAN_INT(scan_u32, uint32_t)
DEFINE_SCAN_INT(scan_i64, int64_t)

static void scan_u64(const uint64_t *x, size_t n, uint64_t s, uint64_t *out)
{
    for (size_t i = 0; i < n; i++) {
        s += x[i];
        out[i] = s;
    }
}

void pc_scan_int(const void *x, size_t n, parchunk_dtype dtype, uint64_t offset, uint64_t *out)
{
    switch (dtype) {
    case PARCHUNK_INT8: scan_i8(x, n, offset, out); break;
    case PARCHUNK_UINT8: scan_u8(x, n, offset, out); break;
    case PARCHUNK_INT16: scan_i16(x, n, offset, out); break;
    case PARCHUNK_UINT16: scan_u16(x, n, offset, out); break;
    case PARCHUNK_INT32: scan_i32(x, n, offset, out); break;
    case PARCHUNK_UINT32: scan_u32(x, n, offset, out); break;
    case PARCHUNK_INT64: scan_i64(x, n, offset, out); break;
    case PARCHUNK_UINT64: scan_u64(x, n, offset, out); break;
    default: break;
    }
}
