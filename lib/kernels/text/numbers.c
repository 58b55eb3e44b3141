/*
 * numbers.c - the line and field parser of read_numbers.
 *
 * Fields follow Python's float() grammar exactly (after stripping blanks):
 * [sign] (digits [. [digits]] | . digits) [(e|E) [sign] digits], or
 * inf / infinity / nan in any case. The grammar is checked here; the value
 * comes from a short exact path (Clinger: at most 19 digits forming an
 * integer <= 2^53 and a power of ten <= 22, where one IEEE multiplication
 * or division is correctly rounded) or else from glibc's strtod_l in the
 * "C" locale, which is correctly rounded. Both equal float() bit for bit.
 *
 * On x86-64 the common row (plain fields of at most 16 bytes, a line of at
 * most 63) takes a whole-line SSE2 path first (fast_row64): no call per
 * line or field and no branch on field lengths. It accepts only lines the
 * general path reads the same way, with the same exact arithmetic, and
 * leaves everything else to it; PC_NUMBERS_PORTABLE compiles without it
 * (tests/c/test_numbers_portable.c compares the two builds).
 */
#include "text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__) && defined(__x86_64__) && !defined(PC_NUMBERS_PORTABLE)
#include <emmintrin.h>
#endif

static const double pow10_exact[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                       1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* Blanks that float() strips; the delimiter is never a blank here. */
static inline bool is_blank(unsigned char c, int delim)
{
    return (c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f') && c != delim;
}

static inline bool is_digit(unsigned char c)
{
    return (unsigned)(c - '0') < 10;
}

static inline unsigned char lower(unsigned char c)
{
    return c | 0x20;
}

/* Case-insensitive match of the word w at p (w lowercase), within [p, e). */
static bool match_word(const unsigned char *p, const unsigned char *e, const char *w, size_t n)
{
    if ((size_t)(e - p) < n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (lower(p[i]) != (unsigned char)w[i])
            return false;
    return true;
}

/* The end of the run of digits at p (not past e): eight bytes at a time
 * while eight are inside [p, e). A byte b is a digit iff x = b ^ '0' has a
 * zero high nibble and x + 6 does not reach 0x10; a carry out of a non-digit
 * byte only disturbs later bytes, never the first non-digit found. */
static inline const unsigned char *skip_digits(const unsigned char *p, const unsigned char *e,
                                               const unsigned char *readable)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* Loads may pass e (up to `readable`); the result is clamped to e. */
    while (p < e && readable - p >= 8) {
        uint64_t v;
        memcpy(&v, p, 8);
        uint64_t x = v ^ 0x3030303030303030ull;
        uint64_t nondigit =
            (x & 0xF0F0F0F0F0F0F0F0ull) | ((x + 0x0606060606060606ull) & 0x1010101010101010ull);
        if (nondigit != 0) {
            const unsigned char *q = p + (__builtin_ctzll(nondigit) >> 3);
            return q < e ? q : e;
        }
        p += 8;
    }
    if (p > e)
        return e;
#else
    (void)readable;
#endif
    while (p < e && is_digit(*p))
        p++;
    return p;
}

static const uint64_t pow10_u64[9] = {1,      10,      100,      1000,     10000,
                                      100000, 1000000, 10000000, 100000000};

/* Eight digits (little-endian bytes, first digit lowest) to their value:
 * the SWAR conversion of fast_float. v holds the digit values (bytes - '0'). */
static inline uint64_t eight_digits(uint64_t v)
{
    v = v * 10 + (v >> 8);
    return (((v & 0x000000FF000000FFull) * (100 + (1000000ull << 32))) +
            (((v >> 16) & 0x000000FF000000FFull) * (1 + (10000ull << 32)))) >>
           32;
}

/* w * 10^k + the k digits [p, e), eight at a time. `readable` bounds the
 * bytes that may be loaded: a short tail is loaded as eight bytes and
 * shifted so the bytes past e fall out (their borrows only move up, into
 * bytes that fall out too). */
static inline uint64_t accumulate(uint64_t w, const unsigned char *p, const unsigned char *e,
                                  const unsigned char *readable)
{
    while (e - p >= 8) {
        uint64_t v;
        memcpy(&v, p, 8);
        w = w * 100000000ull + eight_digits(v - 0x3030303030303030ull);
        p += 8;
    }
    size_t k = (size_t)(e - p); /* 0..7 */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (readable - p >= 8) {
        /* Two shifts: k == 0 shifts everything out without a branch. */
        uint64_t v;
        memcpy(&v, p, 8);
        v = ((v - 0x3030303030303030ull) << (8 * (7 - k))) << 8;
        return w * pow10_u64[k] + eight_digits(v);
    }
#else
    (void)readable;
#endif
    for (; p < e; p++)
        w = w * 10 + (unsigned)(*p - '0');
    return w;
}

typedef struct scanned {
    const unsigned char *start; /* sign or first digit */
    const unsigned char *end;   /* one past the number */
    int special;                /* 0 number, 1 inf, 2 nan */
    bool negative;
    bool exact_fast; /* value = w * 10^exp10 is computable exactly */
    uint64_t w;
    int exp10;
} scanned;

/* Scans one number at p (blanks already skipped) without passing e.
 * Returns false when the bytes are not a number. */
static bool scan_number(const unsigned char *p, const unsigned char *e,
                        const unsigned char *readable, scanned *s)
{
    s->start = p;
    s->negative = false;
    s->special = 0;
    if (p < e) { /* branch-free: signs are random in real data */
        s->negative = *p == '-';
        p += *p == '-' || *p == '+';
    }
    if (p < e && !is_digit(*p) && *p != '.') {
        if (match_word(p, e, "infinity", 8)) {
            s->special = 1;
            p += 8;
        } else if (match_word(p, e, "inf", 3)) {
            s->special = 1;
            p += 3;
        } else if (match_word(p, e, "nan", 3)) {
            s->special = 2;
            p += 3;
        } else {
            return false;
        }
        s->end = p;
        return true;
    }
    /* Find the digit spans first (tight loops, one predictable branch),
     * then accumulate the significant digits. */
    const unsigned char *int_begin = p;
    p = skip_digits(p, e, readable);
    const unsigned char *int_end = p, *frac_begin = p, *frac_end = p;
    if (p < e && *p == '.') {
        frac_begin = ++p;
        p = skip_digits(p, e, readable);
        frac_end = p;
    }
    if (int_end == int_begin && frac_end == frac_begin)
        return false;
    size_t int_len = (size_t)(int_end - int_begin), frac_len = (size_t)(frac_end - frac_begin);
    int exp10 = -(int)(frac_len < 100000000 ? frac_len : 100000000);
    bool truncated = false;
    uint64_t w;
    if (int_len + frac_len <= 19) {
        /* Leading zeros add nothing to w: no need to find them. */
        w = accumulate(accumulate(0, int_begin, int_end, readable), frac_begin, frac_end, readable);
    } else {
        /* Leading zeros carry no digits; more than 19 others go to strtod. */
        const unsigned char *q = int_begin;
        while (q < int_end && *q == '0')
            q++;
        if (q == int_end) {
            q = frac_begin;
            while (q < frac_end && *q == '0')
                q++;
        }
        size_t sig = q < int_end ? (size_t)(int_end - q) + frac_len : (size_t)(frac_end - q);
        truncated = sig > 19;
        w = 0;
        if (!truncated) {
            if (q < int_end) {
                w = accumulate(w, q, int_end, readable);
                q = frac_begin;
            }
            w = accumulate(w, q, frac_end, readable);
        }
    }
    if (p < e && (*p == 'e' || *p == 'E')) {
        p++;
        bool eneg = false;
        if (p < e && (*p == '+' || *p == '-')) {
            eneg = *p == '-';
            p++;
        }
        if (p >= e || !is_digit(*p))
            return false;
        long x = 0;
        for (; p < e && is_digit(*p); p++)
            if (x < 100000000)
                x = x * 10 + (*p - '0');
        exp10 += (int)(eneg ? -x : x);
        if (x >= 100000000)
            truncated = true; /* huge exponent: strtod decides (inf or 0) */
    }
    s->end = p;
    s->w = w;
    s->exp10 = exp10;
    s->exact_fast = !truncated && w <= ((uint64_t)1 << 53) && exp10 >= -22 && exp10 <= 22;
    return true;
}

/* Skips leading blanks, scans a number, skips trailing blanks; the field
 * must then end (at e or at the delimiter). Returns 0 ok, 1 malformed,
 * with *empty set for a blank field. */
static int scan_field(const unsigned char *p, const unsigned char *e, const unsigned char *readable,
                      int delim, scanned *s, bool *empty, const unsigned char **next)
{
    while (p < e && is_blank(*p, delim))
        p++;
    if (p == e || *p == delim) {
        *empty = true;
        *next = p;
        return 0;
    }
    *empty = false;
    if (!scan_number(p, e, readable, s))
        return 1;
    p = s->end;
    while (p < e && is_blank(*p, delim))
        p++;
    if (p != e && *p != delim)
        return 1;
    *next = p;
    return 0;
}

static double to_double(const scanned *s, locale_t loc)
{
    if (s->special == 1)
        return s->negative ? -INFINITY : INFINITY;
    if (s->special == 2)
        return s->negative ? -NAN : NAN;
    if (s->exact_fast) {
        double v = (double)s->w;
        v = s->exp10 >= 0 ? v * pow10_exact[s->exp10] : v / pow10_exact[-s->exp10];
        return s->negative ? -v : v;
    }
    /* The byte after the number is not part of any number (scan_number
     * stopped there), so strtod_l stops where the scan did. */
    return strtod_l((const char *)s->start, NULL, loc);
}

static float to_float(const scanned *s, locale_t loc)
{
    if (s->special == 1)
        return s->negative ? -INFINITY : INFINITY;
    if (s->special == 2)
        return s->negative ? -NAN : NAN;
    return strtof_l((const char *)s->start, NULL, loc);
}

int pc_parse_double(const char *s, const char *e, locale_t loc, double *out)
{
    scanned sc;
    bool empty;
    const unsigned char *next;
    if (scan_field((const unsigned char *)s, (const unsigned char *)e, (const unsigned char *)e, -1,
                   &sc, &empty, &next) ||
        next != (const unsigned char *)e)
        return 1;
    *out = empty ? NAN : to_double(&sc, loc);
    return 0;
}

int pc_parse_float(const char *s, const char *e, locale_t loc, float *out)
{
    scanned sc;
    bool empty;
    const unsigned char *next;
    if (scan_field((const unsigned char *)s, (const unsigned char *)e, (const unsigned char *)e, -1,
                   &sc, &empty, &next) ||
        next != (const unsigned char *)e)
        return 1;
    *out = empty ? NAN : to_float(&sc, loc);
    return 0;
}

/* int64 field at p: 0 ok, 1 malformed or empty, 2 out of range. */
static int parse_int_field(const unsigned char *p, const unsigned char *e, int delim, int64_t *out,
                           const unsigned char **next)
{
    while (p < e && is_blank(*p, delim))
        p++;
    bool neg = false;
    if (p < e && (*p == '+' || *p == '-')) {
        neg = *p == '-';
        p++;
    }
    if (p >= e || !is_digit(*p))
        return 1;
    uint64_t v = 0;
    bool over = false;
    const uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; p < e && is_digit(*p); p++) {
        unsigned d = *p - '0';
        if (v > (limit - d) / 10)
            over = true;
        else
            v = v * 10 + d;
    }
    while (p < e && is_blank(*p, delim))
        p++;
    if (p != e && *p != delim)
        return 1;
    if (over)
        return 2;
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    *next = p;
    return 0;
}

int pc_parse_int64(const char *s, const char *e, int64_t *out)
{
    const unsigned char *next = NULL;
    int r = parse_int_field((const unsigned char *)s, (const unsigned char *)e, -1, out, &next);
    return r;
}

/* PC_NUMBERS_PORTABLE: without the SSE2 paths (what other CPUs run);
 * tests/c/test_numbers_portable.c compiles this file so. */
#if defined(__SSE2__) && defined(__x86_64__) && defined(__BYTE_ORDER__) &&                         \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && !defined(PC_NUMBERS_PORTABLE)
#define PC_FAST16 1

static const unsigned char zeros_ones[32] = {
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};

/* The plain number [-]digits[.digits] or [-].digits filling exactly
 * [s, e), at most 16 bytes after the sign, without loops or length
 * branches (SSE2 is part of x86-64): one 16-byte load that ends at e puts
 * the last digit in byte 15; the bytes are classified; the integer digits
 * move up one byte over the dot; the 16 digit bytes (zero before the
 * number) are converted as two SWAR eight-digit groups. e[-16, 0) must be
 * readable. The value is w * 10^(exp10 - frac) computed as to_double's
 * exact path does (w <= 2^53 and a power of ten <= 22: one correctly
 * rounded IEEE operation); anything else is refused. */
static inline bool plain16(const unsigned char *s, const unsigned char *e, int exp10, double *out)
{
    const unsigned neg = *s == '-';
    const unsigned len = (unsigned)(e - s) - neg; /* e > s when neg */
    if (len - 1 >= 16)
        return false; /* empty or too long */
    const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(e - 16));
    const __m128i t = _mm_sub_epi8(v, _mm_set1_epi8('0'));
    const __m128i dig = _mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8(9)), t);
    const int start = 16 - (int)len;
    const unsigned nd = ~(unsigned)_mm_movemask_epi8(dig) & (0xFFFFu << start) & 0xFFFFu;
    const unsigned dots = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('.')));
    const unsigned has_dot = nd != 0;
    /* At most one non-digit, a dot, and at least one digit. */
    if ((nd & (nd - 1)) != 0 || (nd & ~dots) != 0 || len == has_dot)
        return false;
    /* The dot's byte; without one, "a dot just before the number". */
    const int q = has_dot ? __builtin_ctz(nd) : start - 1;
    /* Bytes > q (the fraction) and bytes > start, from loads at offsets
     * 0..16 of 16 zero bytes followed by 16 0xFF bytes. */
    const __m128i frac = _mm_loadu_si128((const __m128i *)(const void *)(zeros_ones + 15 - q));
    const __m128i ints = _mm_andnot_si128(
        frac, _mm_loadu_si128((const __m128i *)(const void *)(zeros_ones + 15 - start)));
    const __m128i d =
        _mm_or_si128(_mm_and_si128(_mm_slli_si128(t, 1), ints), _mm_and_si128(t, frac));
    const uint64_t hi_digits = (uint64_t)_mm_cvtsi128_si64(d);
    const uint64_t lo_digits = (uint64_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(d, d));
    const uint64_t w = eight_digits(hi_digits) * 100000000ull + eight_digits(lo_digits);
    if (w > ((uint64_t)1 << 53))
        return false;
    exp10 -= has_dot ? 15 - q : 0;
    if (exp10 < -22 || exp10 > 22)
        return false;
    double x = exp10 >= 0 ? (double)w * pow10_exact[exp10] : (double)w / pow10_exact[-exp10];
    uint64_t bits;
    memcpy(&bits, &x, 8);
    bits |= (uint64_t)neg << 63;
    memcpy(out, &bits, 8);
    return true;
}

/* Bit i set where p[i] == c, for i < 64. */
static inline uint64_t match64(const unsigned char *p, __m128i c)
{
    uint64_t m = 0;
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
        m |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, c)) << (16 * k);
    }
    return m;
}

/* The exponent [e]digits of 1 to 3 digits at [p, e) (p at 'e' or 'E'):
 * false for anything else (the general path then decides). */
static inline bool small_exponent(const unsigned char *p, const unsigned char *e, int *x)
{
    p++;
    const bool neg = p < e && *p == '-';
    p += p < e && (*p == '-' || *p == '+');
    const ptrdiff_t n = e - p;
    if (n < 1 || n > 3)
        return false;
    int v = 0;
    for (; p < e; p++) {
        if (!is_digit(*p))
            return false;
        v = v * 10 + (*p - '0');
    }
    *x = neg ? -v : v;
    return true;
}

/* The constants of fast_row64, made once per parse. */
typedef struct row64_consts {
    __m128i nl, delim, e, lower;
    size_t ncols;
    const int32_t *colmap;
} row64_consts;

/* fast_row for a line of at most 63 bytes with every field plain16: the
 * line end, the delimiters and the exponent marks come from one 64-byte
 * scan first, so the fields do not wait for each other. p[-16, 64) must be
 * readable. */
static inline const unsigned char *fast_row64(const unsigned char *p, const row64_consts *k,
                                              unsigned char *out)
{
    uint64_t nl = 0, seps = 0, exps = 0;
    for (int b = 0; b < 4; b++) {
        const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * b));
        nl |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, k->nl)) << (16 * b);
        seps |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, k->delim)) << (16 * b);
        exps |=
            (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_or_si128(v, k->lower), k->e))
            << (16 * b);
    }
    if (nl == 0)
        return NULL;
    const unsigned L = (unsigned)__builtin_ctzll(nl);
    const uint64_t in_line = (1ull << L) - 1;
    seps &= in_line;
    exps &= in_line;
    const unsigned line_end = L - (L > 0 && p[L - 1] == '\r');
    const size_t ncols = k->ncols;
    unsigned fs = 0;
    for (size_t j = 0; j < ncols; j++) {
        unsigned fe = line_end;
        if (j + 1 < ncols) {
            if (seps == 0)
                return NULL; /* fewer fields */
            fe = (unsigned)__builtin_ctzll(seps);
            seps &= seps - 1;
        } else if (seps != 0) {
            return NULL; /* more fields */
        }
        double v;
        const uint64_t field_exps = exps & ((1ull << fe) - 1);
        exps &= ~field_exps;
        if (field_exps == 0) {
            if (!plain16(p + fs, p + fe, 0, &v))
                return NULL;
        } else {
            const unsigned me = (unsigned)__builtin_ctzll(field_exps);
            int x;
            if ((field_exps & (field_exps - 1)) != 0 || !small_exponent(p + me, p + fe, &x) ||
                !plain16(p + fs, p + me, x, &v))
                return NULL;
        }
        memcpy(out + (size_t)k->colmap[j] * 8, &v, 8);
        fs = fe + 1;
    }
    return p + L + 1;
}
#endif

/* ---- lines ----------------------------------------------------------- */

/* End of a line's content [s, nl): before the comment byte, else before a
 * trailing '\r'. */
static inline const unsigned char *content_end(const unsigned char *s, const unsigned char *nl,
                                               int comment)
{
    if (comment >= 0 && nl > s) {
        const unsigned char *c = memchr(s, comment, (size_t)(nl - s));
        if (c != NULL)
            return c;
    }
    if (nl > s && nl[-1] == '\r')
        nl--;
    return nl;
}

static inline bool is_row(const unsigned char *s, const unsigned char *e)
{
    for (; s < e; s++)
        if (!is_blank(*s, -1))
            return true;
    return false;
}

static inline const unsigned char *line_end(const unsigned char *p, const unsigned char *end)
{
    const unsigned char *nl = memchr(p, '\n', (size_t)(end - p));
    return nl != NULL ? nl : end;
}

/* The line starting at s (before end) is a row. */
static inline bool line_is_row(const unsigned char *s, const unsigned char *end, int comment)
{
    /* Fast path: a line that starts with a non-blank, non-comment byte. */
    if (*s != '\n' && !is_blank(*s, -1) && (int)*s != comment)
        return true;
    return is_row(s, content_end(s, line_end(s, end), comment));
}

uint64_t pc_numbers_count_rows(const unsigned char *text, size_t len, const pc_numbers_spec *spec,
                               uint64_t *lines)
{
#ifdef PC_FAST16
    /* The line starts from 64-byte newline masks: no call per line. */
    const unsigned char *end = text + len;
    uint64_t rows = 0, nlines = 0;
    if (len > 0) {
        nlines++;
        rows += line_is_row(text, end, spec->comment);
    }
    size_t i = 0;
    const __m128i nl = _mm_set1_epi8('\n');
    for (; len - i >= 64; i += 64) {
        for (uint64_t m = match64(text + i, nl); m != 0; m &= m - 1) {
            size_t s = i + (size_t)__builtin_ctzll(m) + 1;
            if (s < len) {
                nlines++;
                rows += line_is_row(text + s, end, spec->comment);
            }
        }
    }
    for (; i + 1 < len; i++) {
        if (text[i] == '\n') {
            nlines++;
            rows += line_is_row(text + i + 1, end, spec->comment);
        }
    }
    *lines = nlines;
    return rows;
#else
    const unsigned char *p = text, *end = text + len;
    uint64_t rows = 0, nlines = 0;
    while (p < end) {
        const unsigned char *nl = line_end(p, end);
        nlines++;
        /* Fast path: a line that starts with a non-blank, non-comment byte. */
        if (nl > p && !is_blank(*p, -1) && (int)*p != spec->comment)
            rows++;
        else
            rows += is_row(p, content_end(p, nl, spec->comment));
        p = nl + 1;
    }
    *lines = nlines;
    return rows;
#endif
}

/* Number of fields of the row [s, e). */
static size_t count_fields(const unsigned char *s, const unsigned char *e, unsigned char delim)
{
    size_t n = 1;
    for (; s < e; s++)
        n += *s == delim;
    return n;
}

size_t pc_numbers_first_row_fields(const unsigned char *text, size_t len,
                                   const pc_numbers_spec *spec, uint64_t *row_line)
{
    const unsigned char *p = text, *end = text + len;
    uint64_t line = 0;
    while (p < end) {
        const unsigned char *nl = line_end(p, end);
        const unsigned char *ce = content_end(p, nl, spec->comment);
        if (is_row(p, ce)) {
            *row_line = line;
            return count_fields(p, ce, spec->delimiter);
        }
        line++;
        p = nl + 1;
    }
    return 0;
}

static parchunk_status fail(pc_numbers_error *err, parchunk_status st, uint64_t line, size_t column,
                            const char *what)
{
    err->status = st;
    err->line = line;
    err->column = column;
    snprintf(err->what, sizeof err->what, "%s", what);
    return st;
}

/* A failure quoting the field that starts at p (up to 40 bytes of it). */
static parchunk_status fail_field(pc_numbers_error *err, parchunk_status st, uint64_t line,
                                  size_t column, const char *what, const unsigned char *p,
                                  const unsigned char *e, int delim)
{
    const unsigned char *q = p;
    while (q < e && *q != delim)
        q++;
    int n = q - p > 40 ? 40 : (int)(q - p);
    err->status = st;
    err->line = line;
    err->column = column;
    snprintf(err->what, sizeof err->what, "%s: '%.*s%s'", what, n, (const char *)p,
             q - p > 40 ? "..." : "");
    return st;
}

/* The common float64 field, parsed in one go: [-]digits[.digits] directly
 * followed by the delimiter or the end, at most 19 digits, exactly
 * representable by one IEEE operation. Returns false (nothing consumed)
 * for anything else, which then takes the general path. */
static inline bool fast_double(const unsigned char *p, const unsigned char *e,
                               const unsigned char *readable, int delim, double *out,
                               const unsigned char **next)
{
    bool neg = p < e && *p == '-';
    const unsigned char *int_begin = p + neg;
    const unsigned char *int_end = skip_digits(int_begin, e, readable);
    const unsigned char *frac_begin = int_end, *frac_end = int_end;
    if (int_end < e && *int_end == '.') {
        frac_begin = int_end + 1;
        frac_end = skip_digits(frac_begin, e, readable);
    }
    size_t int_len = (size_t)(int_end - int_begin), frac_len = (size_t)(frac_end - frac_begin);
    if (int_len + frac_len - 1 >= 19 || frac_len > 22 || (frac_end < e && *frac_end != delim))
        return false; /* no digits (wraps), too many, or more than a plain number */
    uint64_t w =
        accumulate(accumulate(0, int_begin, int_end, readable), frac_begin, frac_end, readable);
    if (w > ((uint64_t)1 << 53))
        return false;
    double v = (double)w / pow10_exact[frac_len];
    uint64_t bits;
    memcpy(&bits, &v, 8);
    bits |= (uint64_t)neg << 63; /* branch-free: signs are random in real data */
    memcpy(out, &bits, 8);
    *next = frac_end;
    return true;
}

/* Parses the row [s, e) into out (ncols_out elements). */
static parchunk_status parse_row(const unsigned char *s, const unsigned char *e,
                                 const unsigned char *readable, const pc_numbers_spec *spec,
                                 unsigned char *out, uint64_t line, pc_numbers_error *err)
{
    const int delim = spec->delimiter;
    const unsigned char *p = s;
    size_t j = 0;
    for (;;) {
        if (j >= spec->ncols)
            return fail(err, PARCHUNK_ERR_SHAPE, line, j + 1, "more fields than the first row");
        int32_t oc = spec->colmap[j];
        const unsigned char *next;
        if (oc < 0) {
            next = p;
            while (next < e && *next != delim)
                next++;
        } else if (spec->dtype == PARCHUNK_INT64) {
            int64_t v = 0;
            int r = parse_int_field(p, e, delim, &v, &next);
            if (r == 1)
                return fail_field(err, PARCHUNK_ERR_PARSE, line, j + 1, "not an integer", p, e,
                                  delim);
            if (r == 2)
                return fail_field(err, PARCHUNK_ERR_OVERFLOW, line, j + 1, "integer outside int64",
                                  p, e, delim);
            memcpy(out + (size_t)oc * 8, &v, 8);
        } else {
            scanned sc;
            bool empty;
            double fv;
            if (spec->dtype == PARCHUNK_FLOAT64 && fast_double(p, e, readable, delim, &fv, &next)) {
                memcpy(out + (size_t)oc * 8, &fv, 8);
            } else if (scan_field(p, e, readable, delim, &sc, &empty, &next)) {
                return fail_field(err, PARCHUNK_ERR_PARSE, line, j + 1, "not a number", p, e,
                                  delim);
            } else if (spec->dtype == PARCHUNK_FLOAT64) {
                double v = empty ? NAN : to_double(&sc, spec->c_locale);
                memcpy(out + (size_t)oc * 8, &v, 8);
            } else {
                float v = empty ? NAN : to_float(&sc, spec->c_locale);
                memcpy(out + (size_t)oc * 4, &v, 4);
            }
        }
        j++;
        if (next >= e)
            break;
        p = next + 1; /* past the delimiter */
    }
    if (j != spec->ncols)
        return fail(err, PARCHUNK_ERR_SHAPE, line, j, "fewer fields than the first row");
    return PARCHUNK_OK;
}

/* The common float64 row in one go, without finding the line end first:
 * ncols fast_double fields separated by the delimiter, the last directly
 * followed by '\n' or "\r\n", every field used. Returns the start of the
 * next line, or NULL (the row may be partly written) when the line is
 * anything else; the general path then parses the line from scratch. Every
 * line accepted here reads the same on the general path: no blanks, no
 * comment byte (it is never a digit, '.', '-' or a separator here). */
static inline const unsigned char *fast_row(const unsigned char *p, const unsigned char *end,
                                            const pc_numbers_spec *spec, unsigned char *out)
{
    const size_t ncols = spec->ncols;
    const int delim = spec->delimiter;
    for (size_t j = 0;; j++) {
        const bool last = j + 1 == ncols;
        double v;
        const unsigned char *next;
        if (!fast_double(p, end, end, last ? '\n' : delim, &v, &next) || next >= end)
            return NULL;
        memcpy(out + (size_t)spec->colmap[j] * 8, &v, 8);
        if (last) {
            if (*next == '\r' && end - next >= 2 && next[1] == '\n')
                next++;
            return *next == '\n' ? next + 1 : NULL;
        }
        if (*next != delim)
            return NULL;
        p = next + 1;
    }
}

parchunk_status pc_numbers_parse(const unsigned char *text, size_t len, const pc_numbers_spec *spec,
                                 void *out, uint64_t max_rows, uint64_t *rows,
                                 pc_numbers_error *err)
{
    uint64_t nrows = 0;
    const size_t rowbytes = spec->ncols_out * parchunk_dtype_size(spec->dtype);
    unsigned char *dst = out;
    const unsigned char *p = text, *end = text + len;
    uint64_t line = 0;
    bool fast = spec->dtype == PARCHUNK_FLOAT64;
    for (size_t j = 0; j < spec->ncols; j++)
        fast = fast && spec->colmap[j] >= 0;
#ifdef PC_FAST16
    const row64_consts k64 = {.nl = _mm_set1_epi8('\n'),
                              .delim = _mm_set1_epi8((char)spec->delimiter),
                              .e = _mm_set1_epi8('e'),
                              .lower = _mm_set1_epi8(0x20),
                              .ncols = spec->ncols,
                              .colmap = spec->colmap};
#endif
    while (p < end) {
        if (fast && nrows < max_rows) {
            const unsigned char *q = NULL;
#ifdef PC_FAST16
            if (end - p >= 64 && p - text >= 16)
                q = fast_row64(p, &k64, dst);
            if (q == NULL)
#endif
                q = fast_row(p, end, spec, dst);
            if (q != NULL) {
                dst += rowbytes;
                nrows++;
                line++;
                p = q;
                continue;
            }
        }
        const unsigned char *nl = line_end(p, end);
        const unsigned char *ce = content_end(p, nl, spec->comment);
        if (is_row(p, ce)) {
            /* More rows than the caller counted: the text changed between
             * the passes. Never write past the caller's rows. */
            if (nrows == max_rows)
                return fail(err, PARCHUNK_ERR_CHANGED, line, 0,
                            "the input changed while it was read (more rows than counted)");
            /* Loads may read up to the end of text, not past it: text[len]
             * exists only when text[len - 1] is not '\n'. */
            parchunk_status st = parse_row(p, ce, text + len, spec, dst, line, err);
            if (st != PARCHUNK_OK)
                return st;
            dst += rowbytes;
            nrows++;
        }
        line++;
        p = nl + 1;
    }
    *rows = nrows;
    return PARCHUNK_OK;
}
