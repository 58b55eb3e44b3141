/*
 * stats.h - per-chunk statistics kernels: moments (count, sum, mean, M2,
 * min, max), NaN-skipping sums and extremes, arg-extremes, count_nonzero,
 * dot products, and column reductions for axis calls. Pure functions: no
 * OpenMP, no allocation, no I/O, no globals.
 */
#ifndef PARCHUNK_KERNELS_STATS_H
#define PARCHUNK_KERNELS_STATS_H

#include "../reduce/reduce.h"

/*
 * Chunks are processed in blocks of PC_STATS_BLOCK elements, small enough to
 * stay in L1/L2 while a block is read twice (two-pass mean and deviations),
 * so every kernel reads memory once. It is a power-of-two multiple of
 * PC_PAIRWISE_BLOCK: block sums folded through a binary counter then give
 * bit for bit the tree of pc_sum_float over the whole chunk.
 */
enum { PC_STATS_BLOCK = 2048 };

/* Hot loops get an AVX2 clone chosen once at load time (GNU ifunc), with the
 * x86-64 baseline as the fallback. The moment and block-sum loops also have
 * an 8-lane AVX-512 version (PC_STATS_AVX512), picked at run time with
 * __builtin_cpu_supports: GCC 12 compiles 8-lane vector types well only for
 * AVX-512, so the other paths use 4-lane ones with the same lanes. No FMA:
 * every path computes the same bits. PC_BASELINE_ONLY (and the sanitizers)
 * turn the clones off, and PC_STATS_NO_AVX512 drops the AVX-512 version,
 * for tests that compare the narrower paths with the library bit for bit. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(PC_NO_CLONES)
#define PC_CLONES __attribute__((target_clones("avx2", "default")))
#define PC_STATS_CLONES 1
#if !defined(PC_STATS_NO_AVX512)
#define PC_STATS_AVX512 1
#endif
#else
#define PC_CLONES
#endif

/* Moments of a set of numbers: count, mean = mean_hi + mean_lo (a
 * double-double, so that the difference of two means near a large common
 * offset keeps its digits), m2 = sum of squared deviations from the mean. */
typedef struct pc_moments {
    uint64_t count;
    double mean_hi, mean_lo;
    double m2;
} pc_moments;

/* a = a (+) b by Chan et al.'s pairwise formulas; b's elements follow a's.
 * Either may be empty (count 0). NaN/inf propagate. */
void pc_moments_merge(pc_moments *a, const pc_moments *b);

enum {
    PC_STATS_SKIPNA = 1,  /* ignore NaN elements (float dtypes) */
    PC_STATS_MINMAX = 2,  /* also compute min and max */
    PC_STATS_MOMENTS = 4, /* also compute the moments */
};

/* What one chunk contributes. */
typedef struct pc_chunk_stats {
    uint64_t count;    /* elements counted (non-NaN ones with SKIPNA) */
    double sum;        /* float dtypes: pairwise sum of the counted elements,
                          bit-identical to pc_sum_float / pc_nansum_float */
    pc_i128 isum;      /* integer dtypes: exact sum */
    pc_moments mom;    /* with PC_STATS_MOMENTS */
    uint64_t min, max; /* with PC_STATS_MINMAX and count > 0: raw element
                          bytes (first itemsize bytes of the uint64) */
} pc_chunk_stats;

/* Statistics of x[0..n) (n may be 0) under flags. */
void pc_stats_chunk(const void *x, size_t n, parchunk_dtype dtype, unsigned flags,
                    pc_chunk_stats *out);

/* pc_sum_float (skipna: pc_nansum_float) bit for bit, vectorised. */
double pc_fast_sum_float(const void *x, size_t n, parchunk_dtype dtype, bool skipna);

/* Pairwise sum skipping NaN (same tree as pc_sum_float); float dtypes. */
double pc_nansum_float(const void *x, size_t n, parchunk_dtype dtype);
/* Number of non-NaN elements (n for integer dtypes). */
uint64_t pc_count_not_nan(const void *x, size_t n, parchunk_dtype dtype);
/* Smallest / largest non-NaN element of x[0..n) as one element in out, or
 * +inf / -inf when there is none (integer dtypes: as pc_min / pc_max, n >= 1). */
void pc_nanmin(const void *x, size_t n, parchunk_dtype dtype, void *out);
void pc_nanmax(const void *x, size_t n, parchunk_dtype dtype, void *out);

/* As pc_min / pc_max (NaN if any element is NaN; n >= 1), vectorised for
 * floats. Which of -0.0 / +0.0 a tie returns may differ from pc_min. */
void pc_block_extreme(const void *x, size_t n, parchunk_dtype dtype, bool is_max, void *out);

/* Element helpers on raw element bytes. */
bool pc_elem_isnan(const void *a, parchunk_dtype dtype);
bool pc_elem_less(const void *a, const void *b, parchunk_dtype dtype);
double pc_elem_to_double(const void *a, parchunk_dtype dtype);

/* Index of the first smallest / largest element of x[0..n), n >= 1; for
 * floats the index of the first NaN when there is one (as NumPy). With
 * skipna, NaNs are ignored and n is returned when all are NaN. */
size_t pc_argmin(const void *x, size_t n, parchunk_dtype dtype, bool skipna);
size_t pc_argmax(const void *x, size_t n, parchunk_dtype dtype, bool skipna);

/* Number of elements != 0 (NaN counts, -0.0 does not). */
uint64_t pc_count_nonzero(const void *x, size_t n, parchunk_dtype dtype);

/* Dot products. Float dtypes: products in double, pairwise sum (same block
 * structure as pc_sum_float). int8..int32, uint8..uint32: exact. */
double pc_dot_float(const void *x, const void *y, size_t n, parchunk_dtype dtype);
pc_i128 pc_dot_int(const void *x, const void *y, size_t n, parchunk_dtype dtype);
/* int64/uint64: products in double, pairwise sum. */
double pc_dot_wide(const void *x, const void *y, size_t n, parchunk_dtype dtype);

/*
 * Column reductions for axis calls: x points at a (len, inner) row-major
 * block with row stride `stride` elements; columns [0, width) are reduced
 * along the len rows, width <= PC_COLS_MAX. Each column's arithmetic is
 * independent of width and of which other columns are reduced with it.
 */
enum {
    PC_COLS_MAX = 512,       /* a tile row is at most one 4 KiB page of float64 */
    PC_COLS_MOMENT_ROWS = 32 /* rows per two-pass block: 128 KiB at the widest */
};

/* Doubles of scratch pc_cols_sum needs for columns of len rows. */
size_t pc_cols_sum_scratch(size_t len);

/* Sums per column. Floats: pairwise (blocks of PC_PAIRWISE_BLOCK rows,
 * binary counter) in double; with skipna NaN counts as 0. Integers: exact,
 * rounded once to double. count[j] receives the number of values summed
 * (non-NaN ones with skipna); count may be NULL. */
void pc_cols_sum(const void *x, size_t len, size_t stride, size_t width, parchunk_dtype dtype,
                 bool skipna, double *sum, uint64_t *count, double *scratch);
/* Moments per column (blocks of PC_COLS_MOMENT_ROWS rows, two-pass per
 * block, blocks merged by Chan's formulas). */
void pc_cols_moments(const void *x, size_t len, size_t stride, size_t width, parchunk_dtype dtype,
                     bool skipna, pc_moments *mom);
/* min/max per column written as elements of dtype into out[0..width); len
 * >= 1. skipna: NaN ignored; an all-NaN column gives NaN. */
void pc_cols_extreme(const void *x, size_t len, size_t stride, size_t width, parchunk_dtype dtype,
                     bool is_max, bool skipna, void *out);

#endif
