/*
 * logreg.c - the exported logistic regression: validate, then one engine
 * reduction over the rows per iteration (chunk state: the chunk's gradient,
 * d doubles, merged in the engine's fixed order), then the update of w.
 *
 * X is never scanned for NaN/inf or bad labels up front: such a value makes
 * the first gradient non-finite (the kernel turns a bad label into a NaN
 * coefficient; inf or NaN times anything is non-finite or NaN), and only
 * then does one more pass look for the first bad row to name it. Valid
 * input pays nothing for the check.
 */
#include <math.h>
#include <string.h>

#include "../kernels/ml/logreg.h"
#include "api.h"

/* ---- the kernel variants, chosen once at load time ------------------------ */

static pc_logreg_gradient_fn gradient_kernel = pc_logreg_gradient;
static pc_logreg_proba_fn proba_kernel = pc_logreg_proba;

#if PC_LOGREG_HAVE_AVX2
/* Runs before any thread can call into the library (see image.c). The AVX2
 * variants give the same bits as the portable ones, only faster. */
__attribute__((constructor)) static void choose_logreg_kernels(void)
{
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2")) {
        gradient_kernel = pc_logreg_gradient_avx2;
        proba_kernel = pc_logreg_proba_avx2;
    }
}
#endif

typedef struct logreg_job {
    const unsigned char *x, *y;
    size_t d;
    parchunk_dtype dtype;
    size_t itemsize;
    const double *w;
} logreg_job;

static const void *rows_at(const logreg_job *job, size_t row)
{
    return job->x + row * job->d * job->itemsize;
}

/* ---- gradient: state is d doubles ---------------------------------------- */

static void gradient_init(void *state, const void *job_)
{
    const logreg_job *job = job_;
    memset(state, 0, job->d * sizeof(double));
}

static parchunk_status gradient_accumulate(void *state, const void *job_, size_t begin, size_t end)
{
    const logreg_job *job = job_;
    gradient_kernel(rows_at(job, begin), job->y + begin * job->itemsize, end - begin, job->d,
                    job->dtype, job->w, state);
    return PARCHUNK_OK;
}

static void gradient_merge(void *left_, const void *right_, const void *job_)
{
    const logreg_job *job = job_;
    double *left = left_;
    const double *right = right_;
    for (size_t j = 0; j < job->d; j++)
        left[j] += right[j];
}

/* ---- locating the first bad row ------------------------------------------ */

typedef struct bad_row {
    size_t row; /* SIZE_MAX: none */
    size_t column;
} bad_row;

static void bad_init(void *state, const void *job)
{
    PC_UNUSED(job);
    *(bad_row *)state = (bad_row){SIZE_MAX, 0};
}

static parchunk_status bad_accumulate(void *state, const void *job_, size_t begin, size_t end)
{
    const logreg_job *job = job_;
    bad_row *b = state;
    if (b->row != SIZE_MAX)
        return PARCHUNK_OK;
    size_t column = 0;
    size_t i = pc_logreg_find_bad(rows_at(job, begin),
                                  job->y != NULL ? job->y + begin * job->itemsize : NULL,
                                  end - begin, job->d, job->dtype, &column);
    if (i < end - begin)
        *b = (bad_row){begin + i, column};
    return PARCHUNK_OK;
}

static void bad_merge(void *left, const void *right, const void *job)
{
    PC_UNUSED(job);
    if (((bad_row *)left)->row == SIZE_MAX) /* left's rows come first */
        *(bad_row *)left = *(const bad_row *)right;
}

static const pc_reduce_ops bad_ops = {sizeof(bad_row), bad_init, bad_accumulate, bad_merge};

static double element(const unsigned char *p, parchunk_dtype dtype, size_t index)
{
    if (dtype == PARCHUNK_FLOAT32) {
        float f;
        memcpy(&f, p + index * sizeof f, sizeof f);
        return f;
    }
    double v;
    memcpy(&v, p + index * sizeof v, sizeof v);
    return v;
}

/* After a non-finite gradient: names the first bad row (PARCHUNK_ERR_DOMAIN)
 * or, when X and y are clean, reports the overflow of the iteration. */
static parchunk_status explain_non_finite(pc_call *call, const logreg_job *job, size_t n,
                                          size_t iteration)
{
    bad_row bad;
    parchunk_status st = pc_reduce(call, n, &bad_ops, job, &bad);
    if (st != PARCHUNK_OK)
        return st;
    if (bad.row == SIZE_MAX)
        return pc_call_fail(call, PARCHUNK_ERR_OVERFLOW,
                            "the gradient overflowed in iteration %zu (X and y are finite and "
                            "valid: the learning rate or the weights are too large)",
                            iteration);
    if (bad.column < job->d)
        return pc_call_fail(call, PARCHUNK_ERR_DOMAIN, "row %zu: X[%zu][%zu] is %g", bad.row,
                            bad.row, bad.column,
                            element(job->x, job->dtype, bad.row * job->d + bad.column));
    return pc_call_fail(call, PARCHUNK_ERR_DOMAIN, "row %zu: label y[%zu] is %g (must be -1 or +1)",
                        bad.row, bad.row, element(job->y, job->dtype, bad.row));
}

/* ---- shared checks ------------------------------------------------------- */

/* Default rows per chunk: about 2^16 elements, and at most ~256 chunks, so
 * that the chunk states (d doubles each) never outgrow X itself. */
static size_t default_chunk_rows(size_t n, size_t d)
{
    size_t rows = d < ((size_t)1 << 16) ? ((size_t)1 << 16) / d : 1;
    size_t bound = n / 256 + (n % 256 != 0);
    return rows > bound ? rows : bound;
}

static parchunk_status check_matrix(parchunk_ctx *ctx, const void *x, size_t n, size_t d,
                                    parchunk_dtype dtype, const double *w)
{
    if (dtype != PARCHUNK_FLOAT32 && dtype != PARCHUNK_FLOAT64)
        return pc_arg_fail(ctx, PARCHUNK_ERR_DTYPE, "X must be float32 or float64, got %s",
                           pc_dtype_name(dtype));
    if (d == 0)
        return pc_arg_fail(ctx, PARCHUNK_ERR_SHAPE, "d is 0: X has no columns");
    size_t itemsize = parchunk_dtype_size(dtype);
    if (n > (size_t)PTRDIFF_MAX / itemsize / d)
        return pc_arg_fail(ctx, PARCHUNK_ERR_OVERFLOW,
                           "n * d (%zu * %zu) elements is larger than any buffer can be", n, d);
    if (x == NULL && n > 0)
        return pc_arg_fail(ctx, PARCHUNK_ERR_NULL, "X is NULL but n is %zu", n);
    if (w == NULL)
        return pc_arg_fail(ctx, PARCHUNK_ERR_NULL, "w is NULL");
    if ((n > 0 && pc_check_aligned(ctx, "X", x, itemsize) != PARCHUNK_OK) ||
        pc_check_aligned(ctx, "w", w, sizeof *w) != PARCHUNK_OK)
        return PARCHUNK_ERR_ARG;
    for (size_t j = 0; j < d; j++)
        if (!isfinite(w[j]))
            return pc_arg_fail(ctx, PARCHUNK_ERR_DOMAIN, "w[%zu] is %g (weights must be finite)", j,
                               w[j]);
    return PARCHUNK_OK;
}

/* Claims ctx; the serial cutoff counts elements of X, the plan counts rows. */
static parchunk_status begin_rows(pc_call *call, parchunk_ctx *ctx, uint64_t total, size_t n,
                                  size_t d)
{
    parchunk_status st = pc_call_begin(call, ctx, total, default_chunk_rows(n, d));
    if (st == PARCHUNK_OK)
        call->cutoff = n * d < call->cutoff ? SIZE_MAX : 0;
    return st;
}

/* ---- fit ----------------------------------------------------------------- */

static parchunk_status fit(pc_call *call, logreg_job *job, size_t n, double *w_io,
                           size_t iterations, double learning_rate)
{
    size_t d = job->d;
    double *w = pc_alloc_array(d, 2 * sizeof(double));
    if (w == NULL)
        return pc_call_fail(call, PARCHUNK_ERR_NOMEM, "cannot allocate 2 * %zu doubles", d);
    double *grad = w + d;
    memcpy(w, w_io, d * sizeof *w);
    job->w = w;
    /* The ops carry the state size, which is d doubles: built per call. */
    pc_reduce_ops ops = {d * sizeof(double), gradient_init, gradient_accumulate, gradient_merge};

    parchunk_status st = PARCHUNK_OK;
    for (size_t it = 0; it < iterations && st == PARCHUNK_OK; it++) {
        st = pc_reduce(call, n, &ops, job, grad);
        if (st != PARCHUNK_OK)
            break;
        bool finite = true;
        for (size_t j = 0; j < d; j++) {
            w[j] -= learning_rate * grad[j];
            finite = finite && isfinite(grad[j]) && isfinite(w[j]);
        }
        if (!finite)
            st = explain_non_finite(call, job, n, it);
    }
    if (st == PARCHUNK_OK)
        memcpy(w_io, w, d * sizeof *w);
    pc_free(w);
    return st;
}

PARCHUNK_API parchunk_status parchunk_logreg_fit(parchunk_ctx *ctx, const void *X, const void *y,
                                                 size_t n, size_t d, parchunk_dtype dtype,
                                                 double *w, size_t iterations, double learning_rate)
{
    parchunk_status st = check_matrix(ctx, X, n, d, dtype, w);
    if (st != PARCHUNK_OK)
        return st;
    if (n == 0)
        return pc_arg_fail(ctx, PARCHUNK_ERR_EMPTY, "n is 0: no rows to fit");
    if (y == NULL)
        return pc_arg_fail(ctx, PARCHUNK_ERR_NULL, "y is NULL but n is %zu", n);
    if (pc_check_aligned(ctx, "y", y, parchunk_dtype_size(dtype)) != PARCHUNK_OK)
        return PARCHUNK_ERR_ARG;
    if (!isfinite(learning_rate))
        return pc_arg_fail(ctx, PARCHUNK_ERR_ARG, "learning_rate is %g (must be finite)",
                           learning_rate);

    /* Progress items are row visits: n per iteration (saturating). */
    uint64_t total = iterations > 0 && (uint64_t)n > UINT64_MAX / iterations
                         ? UINT64_MAX
                         : (uint64_t)n * iterations;
    pc_call call;
    st = begin_rows(&call, ctx, total, n, d);
    if (st != PARCHUNK_OK)
        return st;
    logreg_job job = {X, y, d, dtype, parchunk_dtype_size(dtype), NULL};
    return pc_call_end(&call, fit(&call, &job, n, w, iterations, learning_rate));
}

/* ---- predict_proba ------------------------------------------------------- */

typedef struct proba_job {
    logreg_job rows;
    double *out;
} proba_job;

static parchunk_status proba_chunk(void *arg, size_t chunk_index, size_t begin, size_t end)
{
    PC_UNUSED(chunk_index);
    const proba_job *job = arg;
    proba_kernel(rows_at(&job->rows, begin), end - begin, job->rows.d, job->rows.dtype, job->rows.w,
                 job->out + begin);
    return PARCHUNK_OK;
}

static bool overlaps(const void *a, size_t abytes, const void *b, size_t bbytes)
{
    uintptr_t a0 = (uintptr_t)a, b0 = (uintptr_t)b;
    return abytes > 0 && bbytes > 0 && a0 < b0 + bbytes && b0 < a0 + abytes;
}

PARCHUNK_API parchunk_status parchunk_logreg_predict_proba(parchunk_ctx *ctx, const void *X,
                                                           size_t n, size_t d, parchunk_dtype dtype,
                                                           const double *w, double *out)
{
    parchunk_status st = check_matrix(ctx, X, n, d, dtype, w);
    if (st != PARCHUNK_OK)
        return st;
    if (out == NULL && n > 0)
        return pc_arg_fail(ctx, PARCHUNK_ERR_NULL, "out is NULL but n is %zu", n);
    if (n > 0 && pc_check_aligned(ctx, "out", out, sizeof *out) != PARCHUNK_OK)
        return PARCHUNK_ERR_ARG;
    size_t itemsize = parchunk_dtype_size(dtype);
    if (overlaps(out, n * sizeof *out, X, n * d * itemsize) ||
        overlaps(out, n * sizeof *out, w, d * sizeof *w))
        return pc_arg_fail(ctx, PARCHUNK_ERR_ARG, "out overlaps X or w");

    pc_call call;
    st = begin_rows(&call, ctx, n, n, d);
    if (st != PARCHUNK_OK)
        return st;
    proba_job job = {{X, NULL, d, dtype, itemsize, w}, out};
    pc_plan plan = pc_plan_make(n, call.chunk);
    return pc_call_end(&call, pc_run_chunks(&call, &plan, 0, plan.nchunks, proba_chunk, &job));
}
