/* ctx.c - the exported context functions. */
#include "api.h"

#include <stdlib.h>

PARCHUNK_API parchunk_status parchunk_ctx_new(parchunk_ctx **out)
{
    if (out == NULL)
        return PARCHUNK_ERR_NULL;
    parchunk_ctx *ctx = malloc(sizeof *ctx);
    if (ctx == NULL)
        return PARCHUNK_ERR_NOMEM;
    pc_ctx_init(ctx);
    *out = ctx;
    return PARCHUNK_OK;
}

PARCHUNK_API void parchunk_ctx_free(parchunk_ctx *ctx) { free(ctx); }

PARCHUNK_API parchunk_status parchunk_ctx_set_threads(parchunk_ctx *ctx, int nthreads)
{
    if (ctx == NULL)
        return PARCHUNK_ERR_NULL;
    if (nthreads < 0 || nthreads > PARCHUNK_THREADS_MAX)
        return pc_arg_fail(ctx, PARCHUNK_ERR_ARG, "nthreads must be in [0, %d], got %d",
                           PARCHUNK_THREADS_MAX, nthreads);
    ctx->nthreads = nthreads;
    return PARCHUNK_OK;
}

PARCHUNK_API int parchunk_ctx_get_threads(const parchunk_ctx *ctx)
{
    return ctx != NULL && ctx->nthreads > 0 ? ctx->nthreads : pc_default_threads();
}

PARCHUNK_API parchunk_status parchunk_ctx_set_chunk_size(parchunk_ctx *ctx, size_t chunk_size)
{
    if (ctx == NULL)
        return PARCHUNK_ERR_NULL;
    if (chunk_size > (size_t)PARCHUNK_CHUNK_SIZE_MAX)
        return pc_arg_fail(ctx, PARCHUNK_ERR_ARG, "chunk size must be in [0, %d], got %zu",
                           PARCHUNK_CHUNK_SIZE_MAX, chunk_size);
    ctx->chunk_size = chunk_size;
    return PARCHUNK_OK;
}

PARCHUNK_API size_t parchunk_ctx_get_chunk_size(const parchunk_ctx *ctx)
{
    return ctx != NULL ? ctx->chunk_size : 0;
}

PARCHUNK_API parchunk_status parchunk_ctx_set_serial_cutoff(parchunk_ctx *ctx, size_t cutoff)
{
    if (ctx == NULL)
        return PARCHUNK_ERR_NULL;
    ctx->serial_cutoff = cutoff;
    return PARCHUNK_OK;
}

PARCHUNK_API size_t parchunk_ctx_get_serial_cutoff(const parchunk_ctx *ctx)
{
    return ctx != NULL ? ctx->serial_cutoff : PARCHUNK_DEFAULT_SERIAL_CUTOFF;
}

PARCHUNK_API void parchunk_ctx_cancel(parchunk_ctx *ctx)
{
    if (ctx != NULL)
        atomic_store(&ctx->cancel, 1);
}

PARCHUNK_API void parchunk_ctx_clear_cancel(parchunk_ctx *ctx)
{
    if (ctx != NULL)
        atomic_store(&ctx->cancel, 0);
}

PARCHUNK_API parchunk_status parchunk_ctx_progress(const parchunk_ctx *ctx, uint64_t *done,
                                                   uint64_t *total)
{
    if (ctx == NULL)
        return PARCHUNK_ERR_NULL;
    /* total first: a reader never sees done > total within one call */
    uint64_t t = atomic_load(&((parchunk_ctx *)ctx)->total);
    uint64_t d = atomic_load(&((parchunk_ctx *)ctx)->done);
    if (done != NULL)
        *done = d;
    if (total != NULL)
        *total = t;
    return PARCHUNK_OK;
}

PARCHUNK_API const char *parchunk_ctx_last_error(const parchunk_ctx *ctx)
{
    return ctx != NULL ? ctx->last_error : "";
}
