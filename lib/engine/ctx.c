/* ctx.c - context settings, the process defaults, and the call lifecycle. */
#define _GNU_SOURCE
#include "engine.h"

#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void pc_ctx_init(parchunk_ctx *ctx)
{
    ctx->nthreads = 0;
    ctx->chunk_size = 0;
    ctx->serial_cutoff = PARCHUNK_DEFAULT_SERIAL_CUTOFF;
    atomic_init(&ctx->cancel, 0);
    atomic_init(&ctx->busy, 0);
    atomic_init(&ctx->done, 0);
    atomic_init(&ctx->total, 0);
    ctx->last_error[0] = '\0';
}

/* A positive integer no larger than PARCHUNK_THREADS_MAX at the start of s,
 * followed by the end of the string or a comma (OMP_NUM_THREADS lists one
 * count per nesting level); 0 when s is anything else. */
static int parse_thread_count(const char *s)
{
    if (s == NULL)
        return 0;
    while (*s == ' ')
        s++;
    long v = 0;
    const char *p = s;
    while (*p >= '0' && *p <= '9') {
        v = v * 10 + (*p - '0');
        if (v > PARCHUNK_THREADS_MAX)
            return 0;
        p++;
    }
    while (*p == ' ')
        p++;
    if (p == s || (*p != '\0' && *p != ','))
        return 0;
    return (int)v;
}

static int default_threads;
static pthread_once_t default_threads_once = PTHREAD_ONCE_INIT;

static void resolve_default_threads(void)
{
    int n = parse_thread_count(getenv("PARCHUNK_NUM_THREADS"));
    if (n == 0)
        n = parse_thread_count(getenv("OMP_NUM_THREADS"));
    if (n == 0) {
        cpu_set_t set;
        if (sched_getaffinity(0, sizeof set, &set) == 0)
            n = CPU_COUNT(&set);
    }
    if (n <= 0) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        n = c > 0 ? (int)c : 1;
    }
    default_threads = n > PARCHUNK_THREADS_MAX ? PARCHUNK_THREADS_MAX : n;
}

int pc_default_threads(void)
{
    pthread_once(&default_threads_once, resolve_default_threads);
    return default_threads;
}

parchunk_status pc_call_begin(pc_call *call, parchunk_ctx *ctx, uint64_t total,
                              size_t default_chunk)
{
    atomic_init(&call->detail_taken, 0);
    if (ctx == NULL) {
        pc_ctx_init(&call->local);
        ctx = &call->local;
    } else {
        int expected = 0;
        if (!atomic_compare_exchange_strong(&ctx->busy, &expected, 1))
            return PARCHUNK_ERR_BUSY; /* the running call owns last_error */
        if (atomic_load(&ctx->cancel)) {
            snprintf(ctx->last_error, sizeof ctx->last_error,
                     "the context was cancelled (parchunk_ctx_clear_cancel resets it)");
            atomic_store(&ctx->busy, 0);
            return PARCHUNK_ERR_CANCELLED;
        }
    }
    call->ctx = ctx;
    call->nthreads = ctx->nthreads > 0 ? ctx->nthreads : pc_default_threads();
    call->chunk = ctx->chunk_size > 0 ? ctx->chunk_size : default_chunk;
    if (call->chunk == 0)
        call->chunk = PARCHUNK_DEFAULT_CHUNK_SIZE;
    call->cutoff = ctx->serial_cutoff;
    ctx->last_error[0] = '\0';
    atomic_store(&ctx->done, 0);
    atomic_store(&ctx->total, total);
    return PARCHUNK_OK;
}

parchunk_status pc_call_end(pc_call *call, parchunk_status status)
{
    parchunk_ctx *ctx = call->ctx;
    if (status != PARCHUNK_OK && ctx->last_error[0] == '\0')
        snprintf(ctx->last_error, sizeof ctx->last_error, "%s", parchunk_status_string(status));
    if (ctx != &call->local)
        atomic_store(&ctx->busy, 0);
    return status;
}

static void format_error(parchunk_ctx *ctx, const char *fmt, va_list ap)
{
    if (ctx->last_error[0] == '\0')
        vsnprintf(ctx->last_error, sizeof ctx->last_error, fmt, ap);
}

parchunk_status pc_call_fail(pc_call *call, parchunk_status status, const char *fmt, ...)
{
    /* Chunks run in parallel: only the first failing one writes the text
     * (the end of the parallel region publishes it to pc_call_end). */
    if (atomic_exchange(&call->detail_taken, 1) != 0)
        return status;
    va_list ap;
    va_start(ap, fmt);
    format_error(call->ctx, fmt, ap);
    va_end(ap);
    return status;
}

parchunk_status pc_arg_fail(parchunk_ctx *ctx, parchunk_status status, const char *fmt, ...)
{
    /* Only an idle context may be written: a busy one belongs to its call. */
    if (ctx != NULL && atomic_load(&ctx->busy) == 0) {
        va_list ap;
        va_start(ap, fmt);
        ctx->last_error[0] = '\0';
        format_error(ctx, fmt, ap);
        va_end(ap);
    }
    return status;
}
