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

/* PC_CLONE_AVX2 before a function definition: GCC compiles it twice, for
 * the x86-64 baseline and for AVX2, and an ifunc picks one at load time.
 * Off under the sanitizers (the ifunc resolver runs before their runtimes
 * start: TSan crashes there) and where a file asks for baseline code only
 * (PC_BASELINE_ONLY, for tests that compare the two). */
#if defined(__has_feature)
#if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer)
#define PC_NO_CLONES 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) || defined(PC_BASELINE_ONLY)
#define PC_NO_CLONES 1
#endif
#if defined(__x86_64__) && defined(__GNUC__) && !defined(PC_NO_CLONES)
#define PC_CLONE_AVX2 __attribute__((target_clones("avx2", "default")))
/* The same with an AVX-512F clone too, for integer loops that gain from
 * 16 lanes (no float reassociation: the clones give the same bits). */
#define PC_CLONE_AVX512 __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define PC_CLONE_AVX2
#define PC_CLONE_AVX512
#endif

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
