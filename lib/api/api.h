/* api.h - argument checks shared by the exported functions. */
#ifndef PARCHUNK_API_H
#define PARCHUNK_API_H

#include "../engine/engine.h"

/* Checks an input array (data may be NULL only when n == 0; dtype known).
 * Records the detail on ctx and returns the status; PARCHUNK_OK when fine. */
parchunk_status pc_check_array(parchunk_ctx *ctx, const char *name, const void *data, size_t n,
                               parchunk_dtype dtype);

/* Checks that p is aligned to align bytes (the element size): the kernels read
 * and write arrays through typed pointers, so every array must be element-
 * aligned as malloc, C arrays and NumPy give. ERR_ARG naming name otherwise.
 * Call it only for arrays of at least one element (an empty array's pointer
 * is never dereferenced and may be anything). */
parchunk_status pc_check_aligned(parchunk_ctx *ctx, const char *name, const void *p, size_t align);

/* Checks that an out pointer is not NULL. */
parchunk_status pc_check_out(parchunk_ctx *ctx, const char *name, const void *out);

#endif
