/*
 * stats_state.h - the one state of the statistics reductions: what the
 * engine merges between chunks, what parchunk_partial() serialises, and
 * what every exported statistics function finalizes. One state, one
 * accumulate, one merge: the one-call and the partial paths cannot drift.
 */
#ifndef PARCHUNK_API_STATS_STATE_H
#define PARCHUNK_API_STATS_STATE_H

#include "../kernels/stats/stats.h"
#include "api.h"

typedef struct pc_stat_state {
    pc_i128 isum;      /* integer dtypes: exact sum of the counted elements */
    uint64_t n;        /* elements covered */
    uint64_t count;    /* counted elements (non-NaN with SKIPNA; nonzero for COUNT_NONZERO) */
    double sum;        /* float dtypes: sum of the counted elements */
    pc_moments mom;    /* VAR/STD/STATS */
    uint64_t min, max; /* raw element bytes (first itemsize bytes) */
    int64_t index;     /* ARGMIN/ARGMAX: position from the state's first element, -1: none */
    uint8_t op, dtype, flags;
} pc_stat_state;

/* What a reduction over an array needs to know. */
typedef struct pc_stat_job {
    const unsigned char *data;
    size_t itemsize;
    parchunk_dtype dtype;
    parchunk_op op;
    uint32_t flags;
} pc_stat_job;

/* The engine's view: init / accumulate / merge over pc_stat_state. */
extern const pc_reduce_ops pc_stat_ops;

void pc_stat_init(pc_stat_state *s, const pc_stat_job *job);
/* Fold x[0..len) (the elements right after those s covers) into s. */
void pc_stat_accumulate(pc_stat_state *s, const void *x, size_t len);
/* left = left (+) right (same op, dtype, flags; right's elements follow). */
void pc_stat_merge(pc_stat_state *left, const pc_stat_state *right);

/* True for a known op; the ops an axis call takes. */
bool pc_op_valid(int op);
bool pc_op_axis(int op);

/* Argument checks before a reduction; records the detail on ctx. */
parchunk_status pc_stat_check_args(parchunk_ctx *ctx, int op, uint32_t flags, int64_t ddof);

/* Writes the op's result to out (type per parchunk_op). Errors: EMPTY (no
 * elements / all-NaN for nanargmin), ARG (ddof). Records details on ctx. */
parchunk_status pc_stat_finalize(parchunk_ctx *ctx, const pc_stat_state *s, int64_t ddof,
                                 void *out);

/* Size in bytes of the op's result for dtype. */
size_t pc_stat_result_size(int op, parchunk_dtype dtype);

/* Runs the reduction over data[0..n) on an already claimed call. */
parchunk_status pc_stat_run(pc_call *call, parchunk_op op, const void *data, size_t n,
                            parchunk_dtype dtype, uint32_t flags, pc_stat_state *out);

/* The serialised layout (see parchunk.h). */
void pc_stat_encode(const pc_stat_state *s, unsigned char *out);
/* Returns false for a malformed state. */
bool pc_stat_decode(const unsigned char *in, pc_stat_state *s);

#endif
