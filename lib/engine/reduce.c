/*
 * reduce.c - reductions as a monoid over chunk states, merged in a fixed
 * order: a binary tree over the chunk indices of each window, windows folded
 * left to right. The order depends only on the chunk plan, never on which
 * thread ran which chunk, so results are bit-identical for any thread count,
 * and states stay bounded by the window whatever n is.
 */
#include "engine.h"

#include <string.h>

typedef struct reduce_job {
    const pc_reduce_ops *ops;
    const void *job;
    unsigned char *states; /* one state per chunk of the window */
    size_t first;          /* chunk index of states[0] */
} reduce_job;

static parchunk_status reduce_chunk(void *arg, size_t chunk_index, size_t begin, size_t end)
{
    reduce_job *r = arg;
    void *state = r->states + (chunk_index - r->first) * r->ops->state_size;
    r->ops->init(state, r->job);
    return r->ops->accumulate(state, r->job, begin, end);
}

/* Pairwise tree over states[0..count): (((s0 s1)(s2 s3))((s4 s5)...)). */
static void merge_tree(const pc_reduce_ops *ops, const void *job, unsigned char *states,
                       size_t count)
{
    size_t size = ops->state_size;
    for (size_t step = 1; step < count; step *= 2)
        for (size_t i = 0; i + step < count; i += 2 * step)
            ops->merge(states + i * size, states + (i + step) * size, job);
}

parchunk_status pc_reduce(pc_call *call, size_t n, const pc_reduce_ops *ops, const void *job,
                          void *result)
{
    pc_plan plan = pc_plan_make(n, call->chunk);
    ops->init(result, job);
    if (plan.nchunks == 0)
        return PARCHUNK_OK;

    size_t window = plan.nchunks < PC_REDUCE_WINDOW ? plan.nchunks : PC_REDUCE_WINDOW;
    unsigned char *states = pc_alloc_array(window, ops->state_size);
    if (states == NULL)
        return pc_call_fail(call, PARCHUNK_ERR_NOMEM, "cannot allocate %zu chunk states", window);

    parchunk_status st = PARCHUNK_OK;
    for (size_t first = 0; first < plan.nchunks && st == PARCHUNK_OK; first += window) {
        size_t last = first + window < plan.nchunks ? first + window : plan.nchunks;
        reduce_job r = {ops, job, states, first};
        st = pc_run_chunks(call, &plan, first, last, reduce_chunk, &r);
        if (st == PARCHUNK_OK) {
            merge_tree(ops, job, states, last - first);
            if (first == 0)
                memcpy(result, states, ops->state_size);
            else
                ops->merge(result, states, job);
        }
    }
    pc_free(states);
    return st;
}
