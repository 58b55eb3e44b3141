/*
 * parallel.c - the parallel map over chunks. The ONLY file that knows about
 * OpenMP: thread counts, the serial path, cancellation, progress, fork safety
 * and first-error-wins each live here once.
 */
#include "engine.h"

#ifdef _OPENMP
#include <omp.h>
#endif

/* Runs one chunk unless the call already stopped; records the first error. */
static inline void run_one(pc_call *call, const pc_plan *plan, size_t i, pc_chunk_fn fn, void *arg,
                           atomic_int *first_error)
{
    if (atomic_load_explicit(first_error, memory_order_relaxed) != PARCHUNK_OK)
        return;
    if (atomic_load_explicit(&call->ctx->cancel, memory_order_relaxed)) {
        int expected = PARCHUNK_OK;
        atomic_compare_exchange_strong(first_error, &expected, PARCHUNK_ERR_CANCELLED);
        return;
    }
    size_t begin = pc_plan_begin(plan, i), end = pc_plan_end(plan, i);
    parchunk_status st = fn(arg, i, begin, end);
    if (st != PARCHUNK_OK) {
        int expected = PARCHUNK_OK;
        atomic_compare_exchange_strong(first_error, &expected, (int)st);
        return;
    }
    atomic_fetch_add_explicit(&call->ctx->done, end - begin, memory_order_relaxed);
}

static bool should_run_serially(const pc_call *call, const pc_plan *plan, size_t nchunks)
{
    return nchunks <= 1 || call->nthreads <= 1 || plan->n < call->cutoff ||
           pc_fork_must_run_serially();
}

parchunk_status pc_run_chunks(pc_call *call, const pc_plan *plan, size_t first, size_t last,
                              pc_chunk_fn fn, void *arg)
{
    atomic_int first_error;
    atomic_init(&first_error, PARCHUNK_OK);
    size_t nchunks = last > first ? last - first : 0;

    if (should_run_serially(call, plan, nchunks)) {
        for (size_t i = first; i < last; i++) {
            run_one(call, plan, i, fn, arg, &first_error);
            if (atomic_load_explicit(&first_error, memory_order_relaxed) != PARCHUNK_OK)
                break;
        }
        return (parchunk_status)atomic_load(&first_error);
    }

#ifdef _OPENMP
    int nthreads = call->nthreads;
    if ((size_t)nthreads > nchunks)
        nthreads = (int)nchunks;
    pc_fork_note_pool_use();
    /* Dynamic, one chunk at a time: chunks are large enough (>= thousands of
     * items) that the shared counter costs nothing, and uneven chunks (the
     * last one, slow pages) balance themselves. */
#pragma omp parallel for schedule(dynamic, 1) num_threads(nthreads)
    for (size_t i = first; i < last; i++)
        run_one(call, plan, i, fn, arg, &first_error);
#else
    for (size_t i = first; i < last; i++)
        run_one(call, plan, i, fn, arg, &first_error);
#endif
    return (parchunk_status)atomic_load(&first_error);
}
