/*
 * file_numbers.c - read_numbers: delimited numbers to a table, in parallel.
 *
 * Chunks are cut at line boundaries: chunk k owns the lines that start in
 * its nominal byte range [b_k, e_k) (a line starts at the region start or
 * after a '\n'), and reads on past e_k to finish its last line. Two passes:
 *  1. per chunk: its line range, its number of lines and of rows;
 *  2. prefix sums give each chunk its first output row and its first line
 *     number; per chunk: parse its rows into the table.
 * Errors are per chunk; the one in the lowest chunk wins, so the reported
 * line is the first bad one for any thread count.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "../kernels/text/text.h"
#include "file_common.h"

struct parchunk_table {
    size_t rows, cols;
    parchunk_dtype dtype;
    void *data;
};

/* ---- the "C" locale for strtod_l, created once, never freed ----------- */

static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void make_c_locale(void)
{
    c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

/* ---- serial helpers: skip_rows, line starts, the first row ------------ */

enum { SCAN_BLOCK = 1 << 16 };

/* Offset just past the skip-th '\n' (the size when there are fewer). */
static parchunk_status skip_lines(pc_call *call, const pc_source *src, size_t skip,
                                  unsigned char *buf, uint64_t *start)
{
    uint64_t off = 0;
    while (skip > 0 && off < src->size) {
        size_t len = src->size - off < SCAN_BLOCK ? (size_t)(src->size - off) : SCAN_BLOCK;
        parchunk_status st = pc_source_read(call, src, off, len, buf);
        if (st != PARCHUNK_OK)
            return st;
        const unsigned char *p = buf, *end = buf + len;
        while (skip > 0 && p < end) {
            const unsigned char *nl = memchr(p, '\n', (size_t)(end - p));
            if (nl == NULL)
                break;
            skip--;
            p = nl + 1;
        }
        off += skip == 0 ? (uint64_t)(p - buf) : len;
    }
    *start = skip == 0 ? off : src->size;
    return PARCHUNK_OK;
}

/* The first line start at or after pos, given that pos - 1 >= a line start. */
static parchunk_status line_start_at(pc_call *call, const pc_source *src, uint64_t pos,
                                     uint64_t *out)
{
    if (src->mem != NULL) {
        const unsigned char *nl = memchr(src->mem + pos - 1, '\n', (size_t)(src->size - (pos - 1)));
        *out = nl != NULL ? (uint64_t)(nl - src->mem) + 1 : src->size;
        return PARCHUNK_OK;
    }
    unsigned char block[4096];
    for (uint64_t off = pos - 1; off < src->size; off += sizeof block) {
        size_t len = src->size - off < sizeof block ? (size_t)(src->size - off) : sizeof block;
        parchunk_status st = pc_source_read(call, src, off, len, block);
        if (st != PARCHUNK_OK)
            return st;
        const unsigned char *nl = memchr(block, '\n', len);
        if (nl != NULL) {
            *out = off + (uint64_t)(nl - block) + 1;
            return PARCHUNK_OK;
        }
    }
    *out = src->size;
    return PARCHUNK_OK;
}

/* Fields of the first row at or after start (0: no row) and its 0-based line. */
static parchunk_status first_row(pc_call *call, const pc_source *src, uint64_t start, uint64_t line,
                                 const pc_numbers_spec *spec, size_t *ncols, uint64_t *row_line)
{
    size_t cap = SCAN_BLOCK;
    unsigned char *buf = pc_alloc_array(cap + 1, 1);
    parchunk_status st = PARCHUNK_OK;
    *ncols = 0;
    for (uint64_t off = start; off < src->size && st == PARCHUNK_OK;) {
        if (buf == NULL)
            return pc_call_fail(call, PARCHUNK_ERR_NOMEM, "cannot allocate a line buffer");
        size_t len = src->size - off < cap ? (size_t)(src->size - off) : cap;
        st = pc_source_read(call, src, off, len, buf);
        if (st != PARCHUNK_OK)
            break;
        bool at_eof = off + len == src->size;
        size_t text = len;
        if (!at_eof) {
            const unsigned char *last = memrchr(buf, '\n', len);
            if (last == NULL) { /* a line longer than the buffer */
                pc_free(buf);
                cap *= 2;
                buf = pc_alloc_array(cap + 1, 1);
                continue;
            }
            text = (size_t)(last - buf) + 1;
        }
        buf[text] = '\n';
        uint64_t rl;
        size_t nf = pc_numbers_first_row_fields(buf, text, spec, &rl);
        if (nf > 0) {
            *ncols = nf;
            *row_line = line + rl;
            break;
        }
        line += pc_count_byte(buf, text, '\n');
        off += text;
    }
    pc_free(buf);
    return st;
}

/* ---- the two parallel passes ------------------------------------------- */

typedef struct numbers_chunk {
    uint64_t begin, end; /* the chunk's lines, absolute offsets */
    uint64_t rows;       /* pass 1: rows; then: the first output row */
    uint64_t lines;      /* pass 1: lines; then: 0-based number of the first */
} numbers_chunk;

typedef struct numbers_job {
    pc_call *call;
    pc_source *src;
    const pc_numbers_spec *spec;
    uint64_t start;
    numbers_chunk *chunks;
    size_t nchunks;
    uint64_t total_rows;
    unsigned char *out;
    size_t rowbytes;
    pthread_mutex_t lock;
    atomic_size_t err_chunk; /* lowest chunk with an error, SIZE_MAX: none */
    pc_numbers_error err;
} numbers_job;

static parchunk_status pass1_chunk(void *arg, size_t k, size_t begin, size_t end)
{
    numbers_job *job = arg;
    numbers_chunk *c = &job->chunks[k];
    parchunk_status st = PARCHUNK_OK;
    c->begin = job->start;
    if (begin > 0)
        st = line_start_at(job->call, job->src, job->start + begin, &c->begin);
    c->end = job->src->size;
    if (st == PARCHUNK_OK && job->start + end < job->src->size)
        st = line_start_at(job->call, job->src, job->start + end, &c->end);
    c->rows = c->lines = 0;
    if (st != PARCHUNK_OK || c->begin >= c->end)
        return st;
    pc_view view;
    st = pc_source_view(job->call, job->src, c->begin, (size_t)(c->end - c->begin), true, &view);
    if (st != PARCHUNK_OK)
        return st;
    c->rows = pc_numbers_count_rows(view.bytes, view.len, job->spec, &c->lines);
    pc_view_release(&view);
    return PARCHUNK_OK;
}

static parchunk_status pass2_chunk(void *arg, size_t k, size_t begin, size_t end)
{
    PC_UNUSED(begin);
    PC_UNUSED(end);
    numbers_job *job = arg;
    const numbers_chunk *c = &job->chunks[k];
    if (c->begin >= c->end || k > atomic_load(&job->err_chunk))
        return PARCHUNK_OK;
    pc_view view;
    parchunk_status st =
        pc_source_view(job->call, job->src, c->begin, (size_t)(c->end - c->begin), true, &view);
    if (st != PARCHUNK_OK)
        return st;
    pc_numbers_error err;
    uint64_t expect = (k + 1 < job->nchunks ? job->chunks[k + 1].rows : job->total_rows) - c->rows;
    uint64_t got = 0;
    st = pc_numbers_parse(view.bytes, view.len, job->spec, job->out + c->rows * job->rowbytes,
                          expect, &got, &err);
    pc_view_release(&view);
    if (st == PARCHUNK_OK && got != expect) { /* fewer rows than pass 1 counted */
        memset(&err, 0, sizeof err);
        err.status = st = PARCHUNK_ERR_CHANGED;
        snprintf(err.what, sizeof err.what, "the input changed while it was read (fewer rows)");
    }
    if (st != PARCHUNK_OK) {
        err.line += c->lines;
        pthread_mutex_lock(&job->lock);
        if (k < atomic_load(&job->err_chunk)) {
            job->err = err;
            atomic_store(&job->err_chunk, k);
        }
        pthread_mutex_unlock(&job->lock);
    }
    return PARCHUNK_OK;
}

/* ---- arguments ------------------------------------------------------------ */

static bool usable_separator(int c)
{
    if (c < 1 || c > 255)
        return false;
    if ((c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
        return false;
    return c != '+' && c != '-' && c != '.' && c != '\n' && c != '\r';
}

static parchunk_status check_numbers_args(parchunk_ctx *ctx, int delimiter, int comment,
                                          const int64_t *usecols, size_t n_usecols,
                                          parchunk_dtype dtype, parchunk_table **out)
{
    if (out == NULL)
        return pc_arg_fail(ctx, PARCHUNK_ERR_NULL, "output pointer out is NULL");
    if (dtype != PARCHUNK_FLOAT64 && dtype != PARCHUNK_FLOAT32 && dtype != PARCHUNK_INT64)
        return pc_arg_fail(ctx, PARCHUNK_ERR_DTYPE,
                           "read_numbers reads float64, float32 or int64, not %s",
                           pc_dtype_name(dtype));
    if (!usable_separator(delimiter))
        return pc_arg_fail(ctx, PARCHUNK_ERR_ARG,
                           "delimiter %d is not a byte other than a letter, digit, '+', '-', "
                           "'.', '\\n' or '\\r'",
                           delimiter);
    if (comment != -1 && (!usable_separator(comment) || comment == delimiter))
        return pc_arg_fail(ctx, PARCHUNK_ERR_ARG,
                           "comment %d is not -1 or a byte other than the delimiter, a letter, "
                           "digit, '+', '-', '.', '\\n' or '\\r'",
                           comment);
    if (usecols == NULL && n_usecols > 0)
        return pc_arg_fail(ctx, PARCHUNK_ERR_NULL, "usecols is NULL but n_usecols is %zu",
                           n_usecols);
    return PARCHUNK_OK;
}

/* colmap[ncols]: output column of each field, -1 when unused. */
static parchunk_status make_colmap(pc_call *call, size_t ncols, uint64_t row_line,
                                   const int64_t *usecols, size_t n_usecols, int32_t *colmap)
{
    for (size_t j = 0; j < ncols; j++)
        colmap[j] = n_usecols == 0 ? (int32_t)j : -1;
    for (size_t i = 0; i < n_usecols; i++) {
        int64_t c = usecols[i];
        if (c < 0)
            c += (int64_t)ncols;
        if (c < 0 || (uint64_t)c >= ncols)
            return pc_call_fail(call, PARCHUNK_ERR_ARG,
                                "usecols[%zu] = %lld is out of range: the first row (line %llu) "
                                "has %zu fields",
                                i, (long long)usecols[i], (unsigned long long)row_line + 1, ncols);
        if (colmap[c] >= 0)
            return pc_call_fail(call, PARCHUNK_ERR_ARG, "usecols[%zu] = %lld repeats a column", i,
                                (long long)usecols[i]);
        colmap[c] = (int32_t)i;
    }
    return PARCHUNK_OK;
}

static parchunk_table *new_table(size_t rows, size_t cols, parchunk_dtype dtype, void *data)
{
    parchunk_table *t = pc_alloc_array(1, sizeof *t);
    if (t != NULL) {
        t->rows = rows;
        t->cols = cols;
        t->dtype = dtype;
        t->data = data;
    }
    return t;
}

/* A large table is written once, front to back, by all threads: 2 MiB pages
 * (where the kernel offers them on request) save most of its page faults. */
static void advise_huge_pages(void *p, size_t bytes)
{
#ifdef MADV_HUGEPAGE
    const uintptr_t huge = (uintptr_t)2 << 20;
    uintptr_t begin = ((uintptr_t)p + huge - 1) & ~(huge - 1);
    uintptr_t end = ((uintptr_t)p + bytes) & ~(huge - 1);
    if (end > begin)
        (void)madvise((void *)begin, end - begin, MADV_HUGEPAGE);
#else
    PC_UNUSED(p);
    PC_UNUSED(bytes);
#endif
}

/* ---- the driver ------------------------------------------------------------ */

static parchunk_status read_numbers(pc_call *call, pc_source *src, pc_numbers_spec *spec,
                                    size_t skip_rows, const int64_t *usecols, size_t n_usecols,
                                    parchunk_table **out)
{
    unsigned char *block = pc_alloc_array(SCAN_BLOCK, 1);
    if (block == NULL)
        return pc_call_fail(call, PARCHUNK_ERR_NOMEM, "cannot allocate a read buffer");
    uint64_t start = 0;
    parchunk_status st = skip_lines(call, src, skip_rows, block, &start);
    pc_free(block);
    size_t ncols = 0;
    uint64_t row_line = 0;
    if (st == PARCHUNK_OK)
        st = first_row(call, src, start, skip_rows, spec, &ncols, &row_line);
    if (st != PARCHUNK_OK)
        return st;
    size_t ncols_out = n_usecols > 0 ? n_usecols : ncols;
    if (ncols == 0) { /* no row at all */
        parchunk_table *t = new_table(0, ncols_out, spec->dtype, NULL);
        if (t == NULL)
            return pc_call_fail(call, PARCHUNK_ERR_NOMEM, "cannot allocate the table");
        *out = t;
        return PARCHUNK_OK;
    }
    if (ncols > INT32_MAX)
        return pc_call_fail(call, PARCHUNK_ERR_ARG, "line %llu has %zu fields (at most %d)",
                            (unsigned long long)row_line + 1, ncols, INT32_MAX);
    int32_t *colmap = pc_alloc_array(ncols, sizeof *colmap);
    if (colmap == NULL)
        return pc_call_fail(call, PARCHUNK_ERR_NOMEM, "cannot allocate %zu columns", ncols);
    st = make_colmap(call, ncols, row_line, usecols, n_usecols, colmap);
    spec->ncols = ncols;
    spec->colmap = colmap;
    spec->ncols_out = ncols_out;

    pc_plan plan = pc_plan_make((size_t)(src->size - start), call->chunk);
    numbers_chunk *chunks = NULL;
    if (st == PARCHUNK_OK) {
        chunks = pc_alloc_array(plan.nchunks, sizeof *chunks);
        if (chunks == NULL)
            st = pc_call_fail(call, PARCHUNK_ERR_NOMEM, "cannot allocate %zu chunk records",
                              plan.nchunks);
    }
    if (st == PARCHUNK_OK)
        st = pc_source_prepare_pool(call, src, plan.nchunks);
    numbers_job job = {.call = call, .src = src, .spec = spec, .start = start, .chunks = chunks};
    pthread_mutex_init(&job.lock, NULL);
    atomic_init(&job.err_chunk, SIZE_MAX);
    if (st == PARCHUNK_OK)
        st = pc_run_chunks(call, &plan, 0, plan.nchunks, pass1_chunk, &job);

    unsigned char *data = NULL;
    uint64_t rows = 0;
    if (st == PARCHUNK_OK) {
        uint64_t line = skip_rows;
        for (size_t k = 0; k < plan.nchunks; k++) {
            uint64_t r = chunks[k].rows, l = chunks[k].lines;
            chunks[k].rows = rows;
            chunks[k].lines = line;
            rows += r;
            line += l;
        }
        job.rowbytes = ncols_out * parchunk_dtype_size(spec->dtype);
        if (rows > SIZE_MAX / (job.rowbytes ? job.rowbytes : 1))
            st = pc_call_fail(call, PARCHUNK_ERR_NOMEM, "a %llu-row table does not fit in memory",
                              (unsigned long long)rows);
        else if ((data = pc_alloc_array((size_t)rows, job.rowbytes)) == NULL)
            st = pc_call_fail(call, PARCHUNK_ERR_NOMEM, "cannot allocate %llu rows x %zu bytes",
                              (unsigned long long)rows, job.rowbytes);
        else
            advise_huge_pages(data, (size_t)rows * job.rowbytes);
    }
    if (st == PARCHUNK_OK) {
        job.out = data;
        job.nchunks = plan.nchunks;
        job.total_rows = rows;
        st = pc_run_chunks(call, &plan, 0, plan.nchunks, pass2_chunk, &job);
    }
    if (st == PARCHUNK_OK && atomic_load(&job.err_chunk) != SIZE_MAX) {
        const pc_numbers_error *e = &job.err;
        if (e->status == PARCHUNK_ERR_CHANGED)
            st = pc_call_fail(call, e->status, "%s%s%s", e->what, src->path ? ": " : "",
                              src->path ? src->path : "");
        else if (e->status == PARCHUNK_ERR_SHAPE)
            st = pc_call_fail(call, e->status,
                              "line %llu, column %zu: %s (line %llu has %zu "
                              "fields)",
                              (unsigned long long)e->line + 1, e->column, e->what,
                              (unsigned long long)row_line + 1, ncols);
        else
            st = pc_call_fail(call, e->status, "line %llu, column %zu: %s",
                              (unsigned long long)e->line + 1, e->column, e->what);
    }
    pthread_mutex_destroy(&job.lock);
    pc_free(chunks);
    pc_free(colmap);
    if (st == PARCHUNK_OK) {
        parchunk_table *t = new_table((size_t)rows, ncols_out, spec->dtype, data);
        if (t == NULL) {
            st = pc_call_fail(call, PARCHUNK_ERR_NOMEM, "cannot allocate the table");
        } else {
            *out = t;
            return PARCHUNK_OK;
        }
    }
    pc_free(data);
    return st;
}

static parchunk_status run_read_numbers(parchunk_ctx *ctx, const char *path, const void *data,
                                        size_t size, bool is_file, int delimiter, size_t skip_rows,
                                        const int64_t *usecols, size_t n_usecols, int comment,
                                        parchunk_dtype dtype, parchunk_table **out)
{
    parchunk_status st = pc_check_source(ctx, path, data, size, is_file);
    if (st == PARCHUNK_OK)
        st = check_numbers_args(ctx, delimiter, comment, usecols, n_usecols, dtype, out);
    if (st != PARCHUNK_OK)
        return st;
    pthread_once(&c_locale_once, make_c_locale);
    if (c_locale == (locale_t)0)
        return pc_arg_fail(ctx, PARCHUNK_ERR_NOMEM, "cannot create the \"C\" locale");
    pc_call call;
    pc_source src;
    st = pc_file_call_begin(&call, &src, ctx, is_file ? path : NULL, data, size, 2);
    if (st != PARCHUNK_OK)
        return st;
    pc_numbers_spec spec = {.delimiter = (unsigned char)delimiter,
                            .comment = comment,
                            .dtype = dtype,
                            .c_locale = c_locale};
    st = read_numbers(&call, &src, &spec, skip_rows, usecols, n_usecols, out);
    if (st == PARCHUNK_OK) /* skipped lines were never chunked: count them done */
        atomic_store(&call.ctx->done, atomic_load(&call.ctx->total));
    return pc_file_call_end(&call, &src, st);
}

PARCHUNK_API parchunk_status parchunk_file_read_numbers(parchunk_ctx *ctx, const char *path,
                                                        int delimiter, size_t skip_rows,
                                                        const int64_t *usecols, size_t n_usecols,
                                                        int comment, parchunk_dtype dtype,
                                                        parchunk_table **out)
{
    return run_read_numbers(ctx, path, NULL, 0, true, delimiter, skip_rows, usecols, n_usecols,
                            comment, dtype, out);
}

PARCHUNK_API parchunk_status parchunk_bytes_read_numbers(parchunk_ctx *ctx, const void *data,
                                                         size_t size, int delimiter,
                                                         size_t skip_rows, const int64_t *usecols,
                                                         size_t n_usecols, int comment,
                                                         parchunk_dtype dtype, parchunk_table **out)
{
    return run_read_numbers(ctx, NULL, data, size, false, delimiter, skip_rows, usecols, n_usecols,
                            comment, dtype, out);
}

/* ---- table accessors ----------------------------------------------------- */

PARCHUNK_API size_t parchunk_table_rows(const parchunk_table *table)
{
    return table != NULL ? table->rows : 0;
}

PARCHUNK_API size_t parchunk_table_cols(const parchunk_table *table)
{
    return table != NULL ? table->cols : 0;
}

PARCHUNK_API parchunk_dtype parchunk_table_dtype(const parchunk_table *table)
{
    return table != NULL ? table->dtype : PARCHUNK_FLOAT64;
}

PARCHUNK_API const void *parchunk_table_data(const parchunk_table *table)
{
    return table != NULL ? table->data : NULL;
}

PARCHUNK_API void parchunk_table_free(parchunk_table *table)
{
    if (table != NULL) {
        pc_free(table->data);
        pc_free(table);
    }
}
