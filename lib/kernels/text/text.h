/*
 * text.h - per-chunk kernels over bytes: counting a byte, histograms,
 * CRC-32, non-overlapping needle counts, and the number parser of
 * read_numbers. Pure functions over one chunk: no OpenMP, no allocation, no
 * I/O, no mutable globals.
 */
#ifndef PARCHUNK_KERNELS_TEXT_H
#define PARCHUNK_KERNELS_TEXT_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "../../common/internal.h"

#include <locale.h>

/* ---- counting and histograms ---------------------------------------- */

/* Number of bytes equal to c in p[0, n). */
uint64_t pc_count_byte(const unsigned char *p, size_t n, unsigned char c);

/* Adds the count of each byte value of p[0, n) to hist[256]. */
void pc_byte_histogram(const unsigned char *p, size_t n, int64_t hist[256]);

/* ---- CRC-32 (zlib's: reflected 0xEDB88320, pre- and post-inverted) ----- */

/* crc32(crc, p, n) as zlib computes it, with slicing-by-8 tables. */
uint32_t pc_crc32_portable(uint32_t crc, const unsigned char *p, size_t n);

/* The same with PCLMULQDQ folding; only callable when the CPU has
 * pclmul and sse4.1 (pc_crc32_clmul_available()). */
uint32_t pc_crc32_clmul(uint32_t crc, const unsigned char *p, size_t n);
bool pc_crc32_clmul_available(void);

/* crc32 of A||B from crc32(A) = crc1, crc32(B) = crc2 and len2 = |B| bytes
 * (zlib's crc32_combine64). */
uint32_t pc_crc32_combine(uint32_t crc1, uint32_t crc2, uint64_t len2);

/* ---- non-overlapping needle counts ------------------------------------ */

enum { PC_NEEDLE_TRACK = 16 };

typedef struct pc_needle_scan {
    uint64_t count;                /* matches counted */
    size_t resume;                 /* where greedy scanning resumes after this scan */
    size_t nfirst;                 /* entries of first[] filled */
    size_t first[PC_NEEDLE_TRACK]; /* starts of the first matches found */
    long synced;                   /* index into sync[] where the scan stopped, or -1 */
} pc_needle_scan;

/*
 * pc_needle_scan() - Python's greedy left-to-right non-overlapping search
 * of needle[0, m) (m >= 1) in text[0, len), starting at `start`, counting
 * only matches that start before `limit` (a match may run past limit, up
 * to len). resume = max(limit, end of the last match counted).
 * If nsync > 0, the scan stops at the first match whose start is one of
 * sync[0, nsync) (increasing), with synced = its index: from there on it
 * would repeat the scan that recorded sync[]. Offsets are into text.
 */
void pc_needle_scan_run(const unsigned char *text, size_t len, size_t start, size_t limit,
                        const unsigned char *needle, size_t m, const size_t *sync, size_t nsync,
                        pc_needle_scan *out);

/* ---- read_numbers ---------------------------------------------------- */

typedef struct pc_numbers_spec {
    unsigned char delimiter;
    int comment;           /* a byte, or -1 for none */
    size_t ncols;          /* fields per row */
    const int32_t *colmap; /* ncols entries: output column, or -1 (skipped) */
    size_t ncols_out;
    parchunk_dtype dtype; /* FLOAT64, FLOAT32 or INT64 */
    locale_t c_locale;    /* the "C" locale for strtod_l */
} pc_numbers_spec;

typedef struct pc_numbers_error {
    parchunk_status status;
    uint64_t line; /* 0-based line inside the text */
    size_t column; /* 1-based field */
    char what[96];
} pc_numbers_error;

/*
 * Text convention of both functions: text[0, len) is a whole number of
 * lines (each ends with '\n', except possibly the last), and text[len] is
 * readable and is '\n' when text[len - 1] is not.
 *
 * A line's content is what precedes '\n', without one trailing '\r' and
 * without everything from the comment byte on. A line whose content is
 * only blanks (space, \t, \v, \f, \r) is skipped; every other line is a row.
 */

/* Rows in text; *lines receives the number of lines (the last one counts
 * even without '\n'). */
uint64_t pc_numbers_count_rows(const unsigned char *text, size_t len, const pc_numbers_spec *spec,
                               uint64_t *lines);

/* Number of fields of the first row at or after text (0 when there is no
 * row); *row_line receives its 0-based line. */
size_t pc_numbers_first_row_fields(const unsigned char *text, size_t len,
                                   const pc_numbers_spec *spec, uint64_t *row_line);

/*
 * pc_numbers_parse() - parses every row of text into out (row-major, ncols_out
 * elements of dtype per row; room for max_rows rows); *rows receives the
 * number of rows. Returns PARCHUNK_OK, PARCHUNK_ERR_CHANGED (more than
 * max_rows rows: nothing is written past them), or PARCHUNK_ERR_PARSE (a
 * malformed field; an empty field for INT64), PARCHUNK_ERR_SHAPE (a row with
 * another number of fields), PARCHUNK_ERR_OVERFLOW (an integer outside
 * int64), with the place in *err.
 */
parchunk_status pc_numbers_parse(const unsigned char *text, size_t len, const pc_numbers_spec *spec,
                                 void *out, uint64_t max_rows, uint64_t *rows,
                                 pc_numbers_error *err);

/* Parses one float field [s, e) like Python's float(): 0 on success. The
 * byte at e must be readable and not part of a number (a delimiter, '\n',
 * ...). Empty or blank → NaN. Exposed for the fuzz harness. */
int pc_parse_double(const char *s, const char *e, locale_t loc, double *out);
int pc_parse_float(const char *s, const char *e, locale_t loc, float *out);
/* int64 field: 0 ok, 1 malformed or empty, 2 out of range. */
int pc_parse_int64(const char *s, const char *e, int64_t *out);

#endif
