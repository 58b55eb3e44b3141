/*
 * internal.h - what every part of the library shares: the export of the
 * public header, small helpers, and the allocation wrappers.
 * Depends on nothing but the public header and libc.
 */
#ifndef PARCHUNK_INTERNAL_H
#define PARCHUNK_INTERNAL_H

#include "parchunk.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PC_UNUSED(x) ((void)(x))
#define PC_LIKELY(x) __builtin_expect(!!(x), 1)
#define PC_UNLIKELY(x) __builtin_expect(!!(x), 0)

/* True for the ten known dtypes. */
static inline bool pc_dtype_valid(parchunk_dtype dtype)
{
    return (unsigned)dtype < (unsigned)PARCHUNK_DTYPE_COUNT;
}

static inline bool pc_dtype_is_float(parchunk_dtype dtype)
{
    return dtype == PARCHUNK_FLOAT32 || dtype == PARCHUNK_FLOAT64;
}

/* Name of a dtype ("int8", ...), "unknown" otherwise. */
const char *pc_dtype_name(parchunk_dtype dtype);

/* Aligned allocation (64 bytes: one cache line, so per-chunk states of
 * different threads never share a line). Returns NULL on failure or when
 * the size computation count * size overflows. pc_free(NULL) is a no-op. */
void *pc_alloc_array(size_t count, size_t size);
void pc_free(void *p);

#endif
