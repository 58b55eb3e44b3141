/* scan_int.c - chunk summaries and chunk scans of integer data. */
#include "scan.h"

/* Narrow signed elements: a chunk has at most 2^30 items of at most 2^31 in
 * magnitude, so its prefixes fit int64 and the loop stays 64-bit. */
#define DEFINE_SUMMARY_SIGNED(NAME, T)                                                             \
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
    }
DEFINE_SUMMARY_SIGNED(summary_i8, int8_t)
DEFINE_SUMMARY_SIGNED(summary_i16, int16_t)
DEFINE_SUMMARY_SIGNED(summary_i32, int32_t)

/* Unsigned prefixes only grow: the largest is the total, the smallest 0. */
#define DEFINE_SUMMARY_UNSIGNED(NAME, T)                                                           \
    static void NAME(const T *x, size_t n, pc_scan_int_summary *r)                                 \
    {                                                                                              \
        uint64_t s = 0;                                                                            \
        for (size_t i = 0; i < n; i++)                                                             \
            s += x[i];                                                                             \
        r->total = s;                                                                              \
        r->low = 0;                                                                                \
        r->high = s;                                                                               \
    }
DEFINE_SUMMARY_UNSIGNED(summary_u8, uint8_t)
DEFINE_SUMMARY_UNSIGNED(summary_u16, uint16_t)
DEFINE_SUMMARY_UNSIGNED(summary_u32, uint32_t)

/* int64: a chunk's prefixes may leave int64 (the whole array's may not).
 * The common case runs in int64 with an overflow check (one dependent add
 * per element); a chunk whose running sum overflows is redone in 128 bits. */
static void summary_i64_wide(const int64_t *x, size_t n, pc_scan_int_summary *r)
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
}

static void summary_i64(const int64_t *x, size_t n, pc_scan_int_summary *r)
{
    int64_t s = 0, lo = 0, hi = 0;
    for (size_t i = 0; i < n; i++) {
        if (PC_UNLIKELY(__builtin_add_overflow(s, x[i], &s))) {
            summary_i64_wide(x, n, r);
            return;
        }
        lo = s < lo ? s : lo;
        hi = s > hi ? s : hi;
    }
    r->total = s;
    r->low = lo;
    r->high = hi;
}

static void summary_u64(const uint64_t *x, size_t n, pc_scan_int_summary *r)
{
    /* 64-bit sum with the carries counted: exact, and as fast as a plain sum */
    uint64_t s = 0, carries = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t t = s + x[i];
        carries += t < s;
        s = t;
    }
    pc_i128 total = ((pc_i128)carries << 64) + s;
    r->total = total;
    r->low = 0;
    r->high = total;
}

void pc_scan_int_summarise(const void *x, size_t n, parchunk_dtype dtype,
                           pc_scan_int_summary *summary)
{
    switch (dtype) {
    case PARCHUNK_INT8: summary_i8(x, n, summary); break;
    case PARCHUNK_UINT8: summary_u8(x, n, summary); break;
    case PARCHUNK_INT16: summary_i16(x, n, summary); break;
    case PARCHUNK_UINT16: summary_u16(x, n, summary); break;
    case PARCHUNK_INT32: summary_i32(x, n, summary); break;
    case PARCHUNK_UINT32: summary_u32(x, n, summary); break;
    case PARCHUNK_INT64: summary_i64(x, n, summary); break;
    case PARCHUNK_UINT64: summary_u64(x, n, summary); break;
    default: break;
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
