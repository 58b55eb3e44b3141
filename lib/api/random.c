/*
 * random.c - the exported counter-based random generators: validate the
 * arguments, pick the kernel variant for this CPU, run the chunks.
 *
 * Value i of a stream is a pure function of (seed, i) and the distribution's
 * parameters (see parchunk.h), so chunks need no shared state: any chunk
 * size and thread count writes the same bytes.
 */
#include <math.h>
#include <stdatomic.h>

#include "../kernels/random/random.h"
#include "api.h"

/* ---- kernel variant, chosen once per process ---------------------------- */

typedef struct random_kernels {
    pc_uniform_f64_fn uniform_f64;
    pc_uniform_f32_fn uniform_f32;
    pc_normal_fn normal;
    pc_integers_fn integers;
} random_kernels;

static const random_kernels generic_kernels = {pc_uniform_f64_generic, pc_uniform_f32_generic,
                                               pc_normal_generic, pc_integers_generic};
#if defined(PC_RANDOM_X86)
static const random_kernels avx2_kernels = {pc_uniform_f64_avx2, pc_uniform_f32_avx2,
                                            pc_normal_avx2, pc_integers_avx2};
static const random_kernels avx512_kernels = {pc_uniform_f64_avx512, pc_uniform_f32_avx512,
                                              pc_normal_avx512, pc_integers_avx512};
#endif

/* 0 = not decided yet, 1 = generic, 2 = AVX2, 3 = AVX-512. Racing first calls decide the
 * same thing, so a relaxed cache is enough. */
static atomic_int kernel_choice;

static const random_kernels *pick_kernels(void)
{
    int choice = atomic_load_explicit(&kernel_choice, memory_order_relaxed);
    if (choice == 0) {
        choice = 1;
#if defined(PC_RANDOM_X86)
        __builtin_cpu_init();
        if (__builtin_cpu_supports("avx2"))
            choice = 2;
        if (pc_random_have_avx512())
            choice = 3;
#endif
        atomic_store_explicit(&kernel_choice, choice, memory_order_relaxed);
    }
#if defined(PC_RANDOM_X86)
    if (choice == 2)
        return &avx2_kernels;
    if (choice == 3)
        return &avx512_kernels;
#endif
    return &generic_kernels;
}

/* ---- the job ------------------------------------------------------------ */

typedef enum random_kind {
    KIND_UNIFORM_F64,
    KIND_UNIFORM_F32,
    KIND_NORMAL,
    KIND_INTEGERS
} random_kind;

typedef struct random_job {
    random_kind kind;
    const random_kernels *kernels;
    uint32_t key[2];
    uint64_t offset;
    void *out;
    parchunk_dtype dtype;
    double a, b, c, d; /* uniform: low, span, high, below_high; normal: loc, scale */
    float fa, fb, fc, fd;
    int64_t ilow;
    uint64_t range, threshold;
} random_job;

static parchunk_status random_chunk(void *arg, size_t chunk_index, size_t begin, size_t end)
{
    PC_UNUSED(chunk_index);
    const random_job *job = arg;
    uint64_t first = job->offset + begin;
    size_t n = end - begin;
    switch (job->kind) {
    case KIND_UNIFORM_F64:
        job->kernels->uniform_f64(job->key, first, n, job->a, job->b, job->c, job->d,
                                  (double *)job->out + begin);
        break;
    case KIND_UNIFORM_F32:
        job->kernels->uniform_f32(job->key, first, n, job->fa, job->fb, job->fc, job->fd,
                                  (float *)job->out + begin);
        break;
    case KIND_NORMAL:
        if (job->dtype == PARCHUNK_FLOAT64)
            job->kernels->normal(job->key, first, n, job->a, job->b, (double *)job->out + begin,
                                 NULL);
        else
            job->kernels->normal(job->key, first, n, job->a, job->b, NULL,
                                 (float *)job->out + begin);
        break;
    case KIND_INTEGERS:
        job->kernels->integers(job->key, first, n, job->ilow, job->range, job->threshold,
                               (int64_t *)job->out + begin);
        break;
    }
    return PARCHUNK_OK;
}

/*
 * The default chunk: large, so that a thread writes whole 2 MiB pages. A new
 * output array (NumPy asks for transparent huge pages) is faulted in by the
 * first write to each page, and the kernel zeroes the page then: with
 * interleaved 128 KiB chunks both threads write into the same huge page and
 * one waits for the other's fault, so the zeroing of a fresh array ran on
 * one thread at a time. At most 4 MiB of output per chunk, and at least
 * PARCHUNK_DEFAULT_CHUNK_SIZE items, with about 8 chunks per thread in
 * between so that medium arrays still spread over all threads. Values do not
 * depend on the chunking.
 */
static size_t random_chunk_size(size_t n, size_t itemsize, int nthreads)
{
    size_t most = ((size_t)4 << 20) / itemsize;
    size_t chunk = n / (8 * (size_t)nthreads);
    if (chunk > most)
        chunk = most;
    if (chunk < PARCHUNK_DEFAULT_CHUNK_SIZE)
        chunk = PARCHUNK_DEFAULT_CHUNK_SIZE;
    return chunk;
}

static parchunk_status run_random(parchunk_ctx *ctx, random_job *job, uint64_t seed, size_t n,
                                  size_t itemsize)
{
    pc_call call;
    parchunk_status st = pc_call_begin(&call, ctx, n, 0);
    if (st != PARCHUNK_OK)
        return st;
    if (call.ctx->chunk_size == 0) /* the caller's setting wins */
        call.chunk = random_chunk_size(n, itemsize, call.nthreads);
    pc_seed_key(seed, job->key);
    job->kernels = pick_kernels();
    pc_plan plan = pc_plan_make(n, call.chunk);
    return pc_call_end(&call, pc_run_chunks(&call, &plan, 0, plan.nchunks, random_chunk, job));
}

/* ---- argument checks ---------------------------------------------------- */

static parchunk_status check_common(parchunk_ctx *ctx, uint64_t offset, size_t n, const void *out,
                                    size_t itemsize)
{
    if (out == NULL && n > 0)
        return pc_arg_fail(ctx, PARCHUNK_ERR_NULL, "out is NULL but n is %zu", n);
    if (n > 0 && pc_check_aligned(ctx, "out", out, itemsize) != PARCHUNK_OK)
        return PARCHUNK_ERR_ARG;
    /* the last index, offset + n - 1, must not pass 2^64 - 1 */
    if (n > 0 && (uint64_t)(n - 1) > UINT64_MAX - offset)
        return pc_arg_fail(ctx, PARCHUNK_ERR_ARG,
                           "offset + n - 1 exceeds 2^64 - 1 (offset %llu, n %zu)",
                           (unsigned long long)offset, n);
    return PARCHUNK_OK;
}

static parchunk_status check_float_dtype(parchunk_ctx *ctx, parchunk_dtype dtype)
{
    if (dtype != PARCHUNK_FLOAT32 && dtype != PARCHUNK_FLOAT64)
        return pc_arg_fail(ctx, PARCHUNK_ERR_DTYPE, "dtype must be float32 or float64, got %s",
                           pc_dtype_name(dtype));
    return PARCHUNK_OK;
}

/* Fills the uniform parameters of job, or records why they are invalid. */
static parchunk_status uniform_params(parchunk_ctx *ctx, double low, double high,
                                      parchunk_dtype dtype, random_job *job)
{
    if (!isfinite(low) || !isfinite(high))
        return pc_arg_fail(ctx, PARCHUNK_ERR_ARG, "low and high must be finite (got %g, %g)", low,
                           high);
    if (!(low < high))
        return pc_arg_fail(ctx, PARCHUNK_ERR_ARG, "low must be < high (got %g, %g)", low, high);
    if (dtype == PARCHUNK_FLOAT64) {
        double span = high - low;
        if (!isfinite(span))
            return pc_arg_fail(ctx, PARCHUNK_ERR_ARG,
                               "high - low overflows float64 (low %g, high %g)", low, high);
        job->kind = KIND_UNIFORM_F64;
        job->a = low;
        job->b = span;
        job->c = high;
        job->d = nextafter(high, -INFINITY);
        return PARCHUNK_OK;
    }
    float lowf = (float)low, highf = (float)high;
    if (!isfinite(lowf) || !isfinite(highf))
        return pc_arg_fail(ctx, PARCHUNK_ERR_ARG,
                           "low and high must be finite as float32 (got %g, %g)", low, high);
    if (!(lowf < highf))
        return pc_arg_fail(ctx, PARCHUNK_ERR_ARG,
                           "low must be < high after rounding to float32 (got %g, %g)", low, high);
    float spanf = highf - lowf;
    if (!isfinite(spanf))
        return pc_arg_fail(ctx, PARCHUNK_ERR_ARG, "high - low overflows float32 (low %g, high %g)",
                           low, high);
    job->kind = KIND_UNIFORM_F32;
    job->fa = lowf;
    job->fb = spanf;
    job->fc = highf;
    job->fd = nextafterf(highf, -INFINITY);
    return PARCHUNK_OK;
}

/* ---- the exported functions --------------------------------------------- */

PARCHUNK_API parchunk_status parchunk_philox4x32_10(const uint32_t *ctr, const uint32_t *key,
                                                    uint32_t *out)
{
    if (ctr == NULL || key == NULL || out == NULL)
        return PARCHUNK_ERR_NULL;
    uint32_t result[4];
    pc_philox4x32_10_block(ctr, key, result);
    for (int i = 0; i < 4; i++)
        out[i] = result[i];
    return PARCHUNK_OK;
}

PARCHUNK_API parchunk_status parchunk_random_uniform(parchunk_ctx *ctx, uint64_t seed,
                                                     uint64_t offset, size_t n, double low,
                                                     double high, parchunk_dtype dtype, void *out)
{
    random_job job = {0};
    parchunk_status st = check_float_dtype(ctx, dtype);
    if (st == PARCHUNK_OK)
        st = check_common(ctx, offset, n, out, parchunk_dtype_size(dtype));
    if (st == PARCHUNK_OK)
        st = uniform_params(ctx, low, high, dtype, &job);
    if (st != PARCHUNK_OK)
        return st;
    job.offset = offset;
    job.out = out;
    job.dtype = dtype;
    return run_random(ctx, &job, seed, n, parchunk_dtype_size(dtype));
}

PARCHUNK_API parchunk_status parchunk_random_normal(parchunk_ctx *ctx, uint64_t seed,
                                                    uint64_t offset, size_t n, double loc,
                                                    double scale, parchunk_dtype dtype, void *out)
{
    parchunk_status st = check_float_dtype(ctx, dtype);
    if (st == PARCHUNK_OK)
        st = check_common(ctx, offset, n, out, parchunk_dtype_size(dtype));
    if (st != PARCHUNK_OK)
        return st;
    if (!isfinite(loc) || !isfinite(scale))
        return pc_arg_fail(ctx, PARCHUNK_ERR_ARG, "loc and scale must be finite (got %g, %g)", loc,
                           scale);
    if (scale < 0.0)
        return pc_arg_fail(ctx, PARCHUNK_ERR_ARG, "scale must be >= 0 (got %g)", scale);
    random_job job = {
        .kind = KIND_NORMAL, .offset = offset, .out = out, .dtype = dtype, .a = loc, .b = scale};
    return run_random(ctx, &job, seed, n, parchunk_dtype_size(dtype));
}

PARCHUNK_API parchunk_status parchunk_random_integers(parchunk_ctx *ctx, uint64_t seed,
                                                      uint64_t offset, size_t n, int64_t low,
                                                      int64_t high, int64_t *out)
{
    parchunk_status st = check_common(ctx, offset, n, out, sizeof *out);
    if (st != PARCHUNK_OK)
        return st;
    if (!(low < high))
        return pc_arg_fail(ctx, PARCHUNK_ERR_ARG, "low must be < high (got %lld, %lld)",
                           (long long)low, (long long)high);
    uint64_t range = (uint64_t)high - (uint64_t)low; /* 1 .. 2^64 - 1 */
    random_job job = {.kind = KIND_INTEGERS,
                      .offset = offset,
                      .out = out,
                      .ilow = low,
                      .range = range,
                      .threshold = (0 - range) % range};
    return run_random(ctx, &job, seed, n, sizeof *out);
}
