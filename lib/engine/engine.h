/*
 * engine.h - the chunk engine: contexts, chunk plans, the parallel map over
 * chunks and reductions merged in a fixed order.
 *
 * Two ideas carry it (see ARCHITECTURE.md):
 *  1. A job is a range [0, n) cut into chunks whose boundaries depend only on
 *     n and the chunk size. Threads decide who runs a chunk, never what it
 *     computes, so results are bit-identical for any thread count.
 *  2. A reduction is a monoid over chunk states: init, accumulate(chunk),
 *     merge(left, right), with merges along a fixed tree over chunk indices.
 *
 * Only parallel.c knows about OpenMP.
 */
#ifndef PARCHUNK_ENGINE_H
#define PARCHUNK_ENGINE_H

#include "../common/internal.h"

#include <stdatomic.h>

enum { PC_ERROR_TEXT = 256 };

struct parchunk_ctx {
    /* settings: written only between calls */
    int nthreads;         /* 0 = process default */
    size_t chunk_size;    /* 0 = the call's default */
    size_t serial_cutoff; /* items */
    /* control: touched from other threads while a call runs */
    atomic_int cancel;
    atomic_int busy;
    _Atomic uint64_t done;
    _Atomic uint64_t total;
    /* detail of the last failed call */
    char last_error[PC_ERROR_TEXT];
};

/* Settings of a fresh context. */
void pc_ctx_init(parchunk_ctx *ctx);

/* The process default thread count (environment, then affinity), >= 1. */
int pc_default_threads(void);

/* One call in flight: the caller's context (or a private one standing in for
 * a NULL ctx) with its settings resolved. Lives on the caller's stack and
 * must not be moved while in use. */
typedef struct pc_call {
    parchunk_ctx *ctx;
    parchunk_ctx local; /* stands in for ctx == NULL */
    int nthreads;       /* resolved, >= 1 */
    size_t chunk;       /* resolved, >= 1 */
    size_t cutoff;
    atomic_int detail_taken; /* pc_call_fail: chunks may fail concurrently */
} pc_call;

/*
 * pc_call_begin() - claim ctx (NULL: a private context with process
 * defaults) for one call over `total` items whose default chunk size is
 * `default_chunk`. Clears the last error, sets the progress to 0 / total.
 * Returns PARCHUNK_ERR_BUSY when ctx runs another call, PARCHUNK_ERR_CANCELLED
 * when its cancel flag is set; then the call must return at once WITHOUT
 * pc_call_end() (nothing was claimed).
 */
parchunk_status pc_call_begin(pc_call *call, parchunk_ctx *ctx, uint64_t total,
                              size_t default_chunk);

/* Release the context claimed by pc_call_begin(); returns status so that api
 * functions can `return pc_call_end(&call, st);`. When status is an error
 * and no detail was recorded, the status text becomes the detail. */
parchunk_status pc_call_end(pc_call *call, parchunk_status status);

/* Record the detail of a failure (printf format) and return status. The first
 * detail of a call wins; callable from any chunk, concurrently. */
parchunk_status pc_call_fail(pc_call *call, parchunk_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Before any call is claimed: record an argument error on ctx (if any) so that
 * parchunk_ctx_last_error() explains it. Returns status. */
parchunk_status pc_arg_fail(parchunk_ctx *ctx, parchunk_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- chunk plan ---------------------------------------------------------- */

typedef struct pc_plan {
    size_t n;       /* items */
    size_t chunk;   /* items per chunk, >= 1 */
    size_t nchunks; /* ceil(n / chunk); 0 when n == 0 */
} pc_plan;

static inline pc_plan pc_plan_make(size_t n, size_t chunk)
{
    pc_plan p = {n, chunk, n / chunk + (n % chunk != 0)};
    return p;
}

static inline size_t pc_plan_begin(const pc_plan *p, size_t i) { return i * p->chunk; }

static inline size_t pc_plan_end(const pc_plan *p, size_t i)
{
    size_t e = (i + 1) * p->chunk;
    return e < p->n ? e : p->n;
}

/* ---- parallel map ------------------------------------------------------- */

/* Work on one chunk [begin, end) with index chunk_index. Returns PARCHUNK_OK
 * or an error, which stops the remaining chunks (first error wins). */
typedef parchunk_status (*pc_chunk_fn)(void *arg, size_t chunk_index, size_t begin, size_t end);

/*
 * pc_run_chunks() - run fn on chunks [first, last) of plan, in parallel when
 * the call allows it (more than one chunk, n >= serial cutoff, more than one
 * thread, not in a forked child of a process that used the pool), else in
 * index order on the calling thread. Checks cancel before each chunk, adds
 * each finished chunk's items to the progress. Returns the first error, or
 * PARCHUNK_OK.
 */
parchunk_status pc_run_chunks(pc_call *call, const pc_plan *plan, size_t first, size_t last,
                              pc_chunk_fn fn, void *arg);

/* ---- reductions --------------------------------------------------------- */

typedef struct pc_reduce_ops {
    size_t state_size;
    /* the identity state */
    void (*init)(void *state, const void *job);
    /* fold items [begin, end) into state */
    parchunk_status (*accumulate)(void *state, const void *job, size_t begin, size_t end);
    /* left = left (+) right, where left's items precede right's */
    void (*merge)(void *left, const void *right, const void *job);
} pc_reduce_ops;

/*
 * pc_reduce() - reduce items [0, n) to one state written to result
 * (state_size bytes). Chunk states are merged along a fixed binary tree over
 * chunk indices (windows of PC_REDUCE_WINDOW chunks, folded left to right),
 * so the result depends on n and the chunk size only.
 */
enum { PC_REDUCE_WINDOW = 4096 };
parchunk_status pc_reduce(pc_call *call, size_t n, const pc_reduce_ops *ops, const void *job,
                          void *result);

/* ---- fork safety -------------------------------------------------------- */

/* Note that the OpenMP pool is about to be used (registers the atfork
 * handler once). */
void pc_fork_note_pool_use(void);
/* True in a child forked after the pool was used: run serially there. */
bool pc_fork_must_run_serially(void);

#endif
