/*
 * committed.h - passes that write caller-owned outputs. Once a multi-pass
 * operation (scan, sort) starts writing its output, stopping halfway would
 * leave a partial write, which the header forbids. Such passes therefore run
 * to completion: cancellation is honoured only by the read-only passes
 * before them (plain pc_run_chunks / pc_reduce).
 */
#ifndef PARCHUNK_ENGINE_COMMITTED_H
#define PARCHUNK_ENGINE_COMMITTED_H

#include "engine.h"

/*
 * pc_run_committed() - like pc_run_chunks() over chunks [0, plan->nchunks),
 * but never observes the cancel flag, and runs in parallel whenever the
 * call's thread count allows and `items` (the size of the whole job, which
 * may differ from plan->n when the plan counts buckets or tasks) reaches the
 * serial cutoff. Adds `items` to the call's progress when the pass is done.
 * fn must not fail (its status is still returned, first error wins).
 */
parchunk_status pc_run_committed(pc_call *call, const pc_plan *plan, uint64_t items, pc_chunk_fn fn,
                                 void *arg);

#endif
