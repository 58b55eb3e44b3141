/* committed.c - passes that run to completion once outputs are written. */
#include "committed.h"

parchunk_status pc_run_committed(pc_call *call, const pc_plan *plan, uint64_t items, pc_chunk_fn fn,
                                 void *arg)
{
    /* A private stand-in context: its cancel flag is never set, and its
     * progress is folded into the caller's once the pass is over. The
     * settings (threads, chunk) are the caller's, already resolved. */
    pc_call shadow = *call;
    pc_ctx_init(&shadow.local);
    shadow.ctx = &shadow.local;
    shadow.cutoff = items >= call->cutoff ? 0 : SIZE_MAX;
    parchunk_status st = pc_run_chunks(&shadow, plan, 0, plan->nchunks, fn, arg);
    atomic_fetch_add_explicit(&call->ctx->done, items, memory_order_relaxed);
    return st;
}
