/*
 * test_ctx.c - contexts: lifecycle, settings and their bounds, the process
 * default thread count from the environment, cancellation and progress seen
 * from another thread, PARCHUNK_ERR_BUSY, last_error; plus version, status
 * strings and dtype sizes.
 *
 * Calls that must be caught "in the middle" read a slowed input: an mmap'd
 * array whose later pages are PROT_NONE. The first touch of such a page
 * traps into a SIGSEGV handler that waits until the test releases it, then
 * makes the page readable and lets the load retry. So a call is provably
 * running (and parked mid-chunk) while the test cancels it, reads its
 * progress or races a second call against it - no timing assumptions.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "test_helpers.h"

extern char **environ;

static const char *self_path; /* this executable, for re-execution */

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR) {
    }
}

/* ---- library basics ------------------------------------------------------- */

static void test_version_status_dtype(void **state)
{
    (void)state;
    char want[32];
    snprintf(want, sizeof want, "%d.%d.%d", PARCHUNK_VERSION_MAJOR, PARCHUNK_VERSION_MINOR,
             PARCHUNK_VERSION_PATCH);
    assert_string_equal(parchunk_version_string(), want);
    assert_int_equal(parchunk_abi_version(), PARCHUNK_ABI_VERSION);

    /* every known status has its own text; unknown ones share one */
    for (int s = 0; s <= PARCHUNK_ERR_CHANGED; s++) {
        const char *text = parchunk_status_string((parchunk_status)s);
        assert_non_null(text);
        assert_true(strlen(text) > 0);
        assert_string_not_equal(text, "unknown status");
        for (int t = 0; t < s; t++)
            assert_string_not_equal(text, parchunk_status_string((parchunk_status)t));
    }
    assert_string_equal(parchunk_status_string((parchunk_status)(PARCHUNK_ERR_CHANGED + 1)),
                        "unknown status");
    assert_string_equal(parchunk_status_string((parchunk_status)-1), "unknown status");

    const size_t sizes[PARCHUNK_DTYPE_COUNT] = {1, 1, 2, 2, 4, 4, 8, 8, 4, 8};
    for (int d = 0; d < PARCHUNK_DTYPE_COUNT; d++)
        assert_int_equal(parchunk_dtype_size((parchunk_dtype)d), sizes[d]);
    assert_int_equal(parchunk_dtype_size(PARCHUNK_DTYPE_COUNT), 0);
    assert_int_equal(parchunk_dtype_size((parchunk_dtype)-1), 0);
}

/* ---- lifecycle and settings ------------------------------------------------ */

static void test_new_free(void **state)
{
    (void)state;
    assert_int_equal(parchunk_ctx_new(NULL), PARCHUNK_ERR_NULL);
    parchunk_ctx_free(NULL); /* no-op */
    parchunk_ctx *ctx = NULL;
    assert_int_equal(parchunk_ctx_new(&ctx), PARCHUNK_OK);
    assert_non_null(ctx);
    /* defaults */
    assert_int_equal(parchunk_ctx_get_threads(ctx), parchunk_ctx_get_threads(NULL));
    assert_true(parchunk_ctx_get_threads(ctx) >= 1);
    assert_int_equal(parchunk_ctx_get_chunk_size(ctx), 0);
    assert_int_equal(parchunk_ctx_get_serial_cutoff(ctx), PARCHUNK_DEFAULT_SERIAL_CUTOFF);
    assert_string_equal(parchunk_ctx_last_error(ctx), "");
    uint64_t done = 9, total = 9;
    assert_int_equal(parchunk_ctx_progress(ctx, &done, &total), PARCHUNK_OK);
    assert_true(done == 0 && total == 0);
    assert_int_equal(parchunk_ctx_progress(ctx, NULL, NULL), PARCHUNK_OK);
    /* two contexts are independent */
    parchunk_ctx *other = NULL;
    assert_int_equal(parchunk_ctx_new(&other), PARCHUNK_OK);
    assert_ptr_not_equal(ctx, other);
    assert_int_equal(parchunk_ctx_set_threads(other, 3), PARCHUNK_OK);
    assert_int_equal(parchunk_ctx_get_threads(ctx), parchunk_ctx_get_threads(NULL));
    parchunk_ctx_free(other);
    parchunk_ctx_free(ctx);
}

static void test_null_ctx_getters(void **state)
{
    (void)state;
    assert_true(parchunk_ctx_get_threads(NULL) >= 1);
    assert_int_equal(parchunk_ctx_get_chunk_size(NULL), 0);
    assert_int_equal(parchunk_ctx_get_serial_cutoff(NULL), PARCHUNK_DEFAULT_SERIAL_CUTOFF);
    assert_string_equal(parchunk_ctx_last_error(NULL), "");
    uint64_t done = 5, total = 6;
    assert_int_equal(parchunk_ctx_progress(NULL, &done, &total), PARCHUNK_ERR_NULL);
    assert_true(done == 5 && total == 6);
    parchunk_ctx_cancel(NULL);       /* no-op */
    parchunk_ctx_clear_cancel(NULL); /* no-op */
    assert_int_equal(parchunk_ctx_set_threads(NULL, 2), PARCHUNK_ERR_NULL);
    assert_int_equal(parchunk_ctx_set_chunk_size(NULL, 2), PARCHUNK_ERR_NULL);
    assert_int_equal(parchunk_ctx_set_serial_cutoff(NULL, 2), PARCHUNK_ERR_NULL);
    /* NULL-ctx calls still work after a cancel(NULL) */
    const int32_t x[] = {1, 2, 3};
    double out = 0;
    assert_int_equal(parchunk_sum(NULL, x, 3, PARCHUNK_INT32, &out), PARCHUNK_OK);
    assert_true(out == 6.0);
}

static void test_threads_bounds(void **state)
{
    (void)state;
    parchunk_ctx *ctx = test_ctx(0, 0, 0);
    assert_int_equal(parchunk_ctx_set_threads(ctx, 7), PARCHUNK_OK);
    assert_int_equal(parchunk_ctx_get_threads(ctx), 7);
    const int bad[] = {-1, PARCHUNK_THREADS_MAX + 1, -1000000, 1 << 30};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(parchunk_ctx_set_threads(ctx, bad[i]), PARCHUNK_ERR_ARG);
        assert_int_equal(parchunk_ctx_get_threads(ctx), 7); /* unchanged */
        assert_non_null(strstr(parchunk_ctx_last_error(ctx), "nthreads"));
    }
    assert_int_equal(parchunk_ctx_set_threads(ctx, 1), PARCHUNK_OK);
    assert_int_equal(parchunk_ctx_get_threads(ctx), 1);
    assert_int_equal(parchunk_ctx_set_threads(ctx, PARCHUNK_THREADS_MAX), PARCHUNK_OK);
    assert_int_equal(parchunk_ctx_get_threads(ctx), PARCHUNK_THREADS_MAX);
    /* 0 = back to the process default */
    assert_int_equal(parchunk_ctx_set_threads(ctx, 0), PARCHUNK_OK);
    assert_int_equal(parchunk_ctx_get_threads(ctx), parchunk_ctx_get_threads(NULL));
    parchunk_ctx_free(ctx);
}

static void test_chunk_size_and_cutoff_bounds(void **state)
{
    (void)state;
    parchunk_ctx *ctx = test_ctx(0, 0, 0);
    assert_int_equal(parchunk_ctx_set_chunk_size(ctx, 7), PARCHUNK_OK);
    assert_int_equal(parchunk_ctx_get_chunk_size(ctx), 7);
    const size_t bad[] = {(size_t)PARCHUNK_CHUNK_SIZE_MAX + 1, SIZE_MAX};
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(parchunk_ctx_set_chunk_size(ctx, bad[i]), PARCHUNK_ERR_ARG);
        assert_int_equal(parchunk_ctx_get_chunk_size(ctx), 7);
        assert_non_null(strstr(parchunk_ctx_last_error(ctx), "chunk size"));
    }
    assert_int_equal(parchunk_ctx_set_chunk_size(ctx, PARCHUNK_CHUNK_SIZE_MAX), PARCHUNK_OK);
    assert_int_equal(parchunk_ctx_get_chunk_size(ctx), PARCHUNK_CHUNK_SIZE_MAX);
    assert_int_equal(parchunk_ctx_set_chunk_size(ctx, 1), PARCHUNK_OK);
    assert_int_equal(parchunk_ctx_get_chunk_size(ctx), 1);
    assert_int_equal(parchunk_ctx_set_chunk_size(ctx, 0), PARCHUNK_OK);
    assert_int_equal(parchunk_ctx_get_chunk_size(ctx), 0);

    /* every cutoff is valid, and none changes a result */
    const size_t cutoffs[] = {0, 1, 12345, SIZE_MAX};
    enum { N = 5000 };
    static double x[N];
    test_fill_random(x, N, PARCHUNK_FLOAT64, 3);
    double first = 0;
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(parchunk_ctx_set_serial_cutoff(ctx, cutoffs[i]), PARCHUNK_OK);
        assert_int_equal(parchunk_ctx_get_serial_cutoff(ctx), cutoffs[i]);
        assert_int_equal(parchunk_ctx_set_chunk_size(ctx, 100), PARCHUNK_OK);
        assert_int_equal(parchunk_ctx_set_threads(ctx, 3), PARCHUNK_OK);
        double out = 0;
        assert_ok(ctx, parchunk_sum(ctx, x, N, PARCHUNK_FLOAT64, &out));
        if (i == 0)
            first = out;
        assert_memory_equal(&out, &first, sizeof out);
    }
    /* a chunk size of 1 works (one item per chunk) */
    assert_int_equal(parchunk_ctx_set_chunk_size(ctx, 1), PARCHUNK_OK);
    assert_int_equal(parchunk_ctx_set_serial_cutoff(ctx, 0), PARCHUNK_OK);
    const int16_t s[] = {1, -2, 3, -4, 5};
    int64_t total = 0;
    assert_ok(ctx, parchunk_sum_i64(ctx, s, 5, PARCHUNK_INT16, &total));
    assert_true(total == 3);
    parchunk_ctx_free(ctx);
}

static void test_last_error(void **state)
{
    (void)state;
    parchunk_ctx *ctx = test_ctx(2, 0, 0);
    double out = 3.0;
    assert_int_equal(parchunk_mean(ctx, NULL, 4, PARCHUNK_FLOAT64, &out), PARCHUNK_ERR_NULL);
    const char *msg = parchunk_ctx_last_error(ctx);
    assert_non_null(strstr(msg, "data"));
    assert_non_null(strstr(msg, "4")); /* the offending n */
    assert_true(out == 3.0);
    /* stays until the next call on ctx */
    assert_non_null(strstr(parchunk_ctx_last_error(ctx), "data"));
    const double x[] = {1.0, 2.0};
    assert_ok(ctx, parchunk_mean(ctx, x, 2, PARCHUNK_FLOAT64, &out));
    assert_true(out == 1.5);
    assert_string_equal(parchunk_ctx_last_error(ctx), "");
    assert_int_equal(parchunk_max(ctx, x, 2, (parchunk_dtype)42, &out), PARCHUNK_ERR_DTYPE);
    assert_non_null(strstr(parchunk_ctx_last_error(ctx), "42"));
    parchunk_ctx_free(ctx);
}

/* ---- default thread count from the environment (one read per process) ---- */

/* In the re-executed child: print what the environment resolved to. */
static int print_threads_mode(void)
{
    parchunk_ctx *ctx = NULL;
    if (parchunk_ctx_new(&ctx) != PARCHUNK_OK || parchunk_ctx_set_threads(ctx, 5) != PARCHUNK_OK)
        return 2;
    printf("%d %d %d\n", parchunk_ctx_get_threads(NULL), parchunk_ctx_get_threads(ctx),
           parchunk_ctx_get_threads(NULL));
    parchunk_ctx_free(ctx);
    return 0;
}

/* Runs this binary with PARCHUNK_NUM_THREADS / OMP_NUM_THREADS set to the
 * given values (NULL: unset); returns the default thread count it printed,
 * after checking that an explicit ctx setting (5) wins. */
static int default_threads_with(const char *parchunk_env, const char *omp_env)
{
    size_t count = 0;
    while (environ[count])
        count++;
    char **envp = calloc(count + 3, sizeof *envp);
    assert_non_null(envp);
    size_t k = 0;
    for (size_t i = 0; i < count; i++)
        if (strncmp(environ[i], "PARCHUNK_NUM_THREADS=", 21) != 0 &&
            strncmp(environ[i], "OMP_NUM_THREADS=", 16) != 0)
            envp[k++] = environ[i];
    char a[128], b[128];
    if (parchunk_env) {
        snprintf(a, sizeof a, "PARCHUNK_NUM_THREADS=%s", parchunk_env);
        envp[k++] = a;
    }
    if (omp_env) {
        snprintf(b, sizeof b, "OMP_NUM_THREADS=%s", omp_env);
        envp[k++] = b;
    }
    envp[k] = NULL;

    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        char *argv[] = {(char *)self_path, (char *)"--print-default-threads", NULL};
        execve(self_path, argv, envp);
        _exit(127);
    }
    close(fds[1]);
    char buf[128] = {0};
    size_t got = 0;
    ssize_t r;
    while (got < sizeof buf - 1 && (r = read(fds[0], buf + got, sizeof buf - 1 - got)) > 0)
        got += (size_t)r;
    close(fds[0]);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    free(envp);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        fail_msg("child for PARCHUNK_NUM_THREADS=%s OMP_NUM_THREADS=%s failed (status %d)",
                 parchunk_env ? parchunk_env : "(unset)", omp_env ? omp_env : "(unset)", status);
    int def = -1, explicit_setting = -1, again = -1;
    if (sscanf(buf, "%d %d %d", &def, &explicit_setting, &again) != 3)
        fail_msg("unexpected child output \"%s\"", buf);
    assert_int_equal(explicit_setting, 5);
    assert_int_equal(again, def); /* read once: stable */
    return def;
}

static void test_default_threads_from_environment(void **state)
{
    (void)state;
    cpu_set_t set;
    assert_int_equal(sched_getaffinity(0, sizeof set, &set), 0);
    int cpus = CPU_COUNT(&set);
    if (cpus > PARCHUNK_THREADS_MAX)
        cpus = PARCHUNK_THREADS_MAX;

    assert_int_equal(default_threads_with(NULL, NULL), cpus);
    assert_int_equal(default_threads_with("3", NULL), 3);
    assert_int_equal(default_threads_with(NULL, "2,1"), 2);
    assert_int_equal(default_threads_with(NULL, "4"), 4);
    assert_int_equal(default_threads_with("3", "2"), 3); /* ours wins over OpenMP's */
    assert_int_equal(default_threads_with("1024", NULL), 1024);
    /* anything that is not a positive integer in range falls through */
    assert_int_equal(default_threads_with("garbage", "garbage"), cpus);
    assert_int_equal(default_threads_with("garbage", "5"), 5);
    assert_int_equal(default_threads_with("0", NULL), cpus);
    assert_int_equal(default_threads_with("-2", NULL), cpus);
    assert_int_equal(default_threads_with("3abc", NULL), cpus);
    assert_int_equal(default_threads_with("", "6"), 6);
    assert_int_equal(default_threads_with("1025", NULL), cpus);
    assert_int_equal(default_threads_with("99999999999999999999", "2"), 2);
}

/* ---- the slowed input -------------------------------------------------------- */

enum { SLOW_PAGES = 64, SLOW_FIRST_BLOCKED = 8 };

static char *slow_base;
static size_t slow_page, slow_len;
static atomic_int slow_faults;  /* blocked-page touches so far */
static atomic_int slow_release; /* 1: let parked loads go on */

static void on_segv(int sig, siginfo_t *info, void *uc)
{
    (void)sig;
    (void)uc;
    char *addr = info->si_addr;
    if (slow_base == NULL || addr < slow_base || addr >= slow_base + slow_len) {
        /* not ours: a real crash; let it happen with the default action */
        signal(SIGSEGV, SIG_DFL);
        return;
    }
    atomic_fetch_add(&slow_faults, 1);
    while (!atomic_load(&slow_release)) {
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    size_t page = (size_t)(addr - slow_base) / slow_page;
    size_t len = (page + 2 <= SLOW_PAGES ? 2 : 1) * slow_page;
    mprotect(slow_base + page * slow_page, len, PROT_READ);
}

/* n float64 values filling SLOW_PAGES pages; pages from SLOW_FIRST_BLOCKED
 * on park the first load that touches them. Chunk size = one page. */
static double *slow_input_make(size_t *n, size_t *chunk)
{
    slow_page = (size_t)sysconf(_SC_PAGESIZE);
    slow_len = slow_page * SLOW_PAGES;
    void *map = mmap(NULL, slow_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(map != MAP_FAILED);
    char *p = map;
    *n = slow_len / sizeof(double);
    *chunk = slow_page / sizeof(double);
    test_fill_random(p, *n, PARCHUNK_FLOAT64, 99);
    atomic_store(&slow_faults, 0);
    atomic_store(&slow_release, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    assert_int_equal(sigaction(SIGSEGV, &sa, NULL), 0);
    slow_base = p;
    assert_int_equal(mprotect(p + SLOW_FIRST_BLOCKED * slow_page,
                              (SLOW_PAGES - SLOW_FIRST_BLOCKED) * slow_page, PROT_NONE),
                     0);
    return map;
}

static void slow_input_free(double *p)
{
    munmap(p, slow_len);
    slow_base = NULL;
    signal(SIGSEGV, SIG_DFL);
}

/* Waits (up to 20 s) until at least `count` loads are parked. */
static void wait_for_faults(int count)
{
    for (int i = 0; i < 20000 && atomic_load(&slow_faults) < count; i++)
        sleep_ms(1);
    if (atomic_load(&slow_faults) < count) {
        int parked = atomic_load(&slow_faults);
        atomic_store(&slow_release, 1); /* let the call finish; the mapping stays */
        fail_msg("%d of %d expected loads parked on the blocked pages (%s)", parked, count,
                 count > 1 ? "is the parallel path running?" : "the call never got there");
    }
}

typedef struct call_args {
    parchunk_ctx *ctx;
    const double *data;
    size_t n;
    double out;
    parchunk_status st;
} call_args;

static void *run_sum(void *arg)
{
    call_args *a = arg;
    a->st = parchunk_sum(a->ctx, a->data, a->n, PARCHUNK_FLOAT64, &a->out);
    return NULL;
}

/* The reference: same chunk plan on a plain copy. */
static double reference_sum(const double *x, size_t n, size_t chunk)
{
    double *copy = malloc(n * sizeof *copy);
    assert_non_null(copy);
    /* pages that are still blocked are not read here: use the generator */
    test_fill_random(copy, n, PARCHUNK_FLOAT64, 99);
    (void)x;
    parchunk_ctx *ctx = test_ctx(1, chunk, 0);
    double out = 0;
    assert_ok(ctx, parchunk_sum(ctx, copy, n, PARCHUNK_FLOAT64, &out));
    parchunk_ctx_free(ctx);
    free(copy);
    return out;
}

static void test_progress_mid_call(void **state)
{
    (void)state;
    size_t n, chunk;
    double *x = slow_input_make(&n, &chunk);
    double want = reference_sum(x, n, chunk);
    /* one thread: the chunks before the blocked page are exactly done */
    call_args a = {test_ctx(1, chunk, 0), x, n, -1.0, PARCHUNK_ERR_ARG};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, run_sum, &a), 0);
    wait_for_faults(1);
    uint64_t done = 0, total = 0;
    assert_int_equal(parchunk_ctx_progress(a.ctx, &done, &total), PARCHUNK_OK);
    assert_true(total == n);
    assert_true(done == (uint64_t)SLOW_FIRST_BLOCKED * chunk);
    atomic_store(&slow_release, 1);
    assert_int_equal(pthread_join(th, NULL), 0);
    assert_ok(a.ctx, a.st);
    assert_memory_equal(&a.out, &want, sizeof want);
    assert_int_equal(parchunk_ctx_progress(a.ctx, &done, &total), PARCHUNK_OK);
    assert_true(done == n && total == n);
    parchunk_ctx_free(a.ctx);
    slow_input_free(x);
}

static void test_cancel_from_another_thread(void **state)
{
    (void)state;
    size_t n, chunk;
    double *x = slow_input_make(&n, &chunk);
    double want = reference_sum(x, n, chunk);
    /* two threads, cutoff 0: the parallel path. At most two chunks are in
     * flight when the cancel lands; the 50-odd after them must not run. */
    call_args a = {test_ctx(2, chunk, 0), x, n, -1.0, PARCHUNK_ERR_ARG};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, run_sum, &a), 0);
    /* both workers end up parked on a blocked page: proof that two threads
     * really run chunks of this call at the same time */
    wait_for_faults(2);
    uint64_t done = 0, total = 0;
    assert_int_equal(parchunk_ctx_progress(a.ctx, &done, &total), PARCHUNK_OK);
    assert_true(total == n && done < total);
    parchunk_ctx_cancel(a.ctx);
    atomic_store(&slow_release, 1);
    assert_int_equal(pthread_join(th, NULL), 0);
    assert_status(a.ctx, a.st, PARCHUNK_ERR_CANCELLED);
    assert_true(a.out == -1.0); /* untouched */
    assert_int_equal(parchunk_ctx_progress(a.ctx, &done, &total), PARCHUNK_OK);
    assert_true(done < total);
    assert_true(strlen(parchunk_ctx_last_error(a.ctx)) > 0);

    /* sticky: the next calls fail at once, outputs untouched */
    double out = -2.0;
    const double small[] = {1.0, 2.0};
    assert_int_equal(parchunk_sum(a.ctx, small, 2, PARCHUNK_FLOAT64, &out), PARCHUNK_ERR_CANCELLED);
    assert_int_equal(parchunk_max(a.ctx, small, 2, PARCHUNK_FLOAT64, &out), PARCHUNK_ERR_CANCELLED);
    assert_true(out == -2.0);
    assert_non_null(strstr(parchunk_ctx_last_error(a.ctx), "cancel"));
    /* another ctx is not affected */
    assert_int_equal(parchunk_sum(NULL, small, 2, PARCHUNK_FLOAT64, &out), PARCHUNK_OK);
    assert_true(out == 3.0);

    /* cleared: the same call now completes with the right answer */
    parchunk_ctx_clear_cancel(a.ctx);
    a.out = -1.0;
    run_sum(&a);
    assert_ok(a.ctx, a.st);
    assert_memory_equal(&a.out, &want, sizeof want);
    assert_string_equal(parchunk_ctx_last_error(a.ctx), "");
    parchunk_ctx_free(a.ctx);
    slow_input_free(x);
}

static void test_cancel_before_call(void **state)
{
    (void)state;
    parchunk_ctx *ctx = test_ctx(2, 0, 0);
    parchunk_ctx_cancel(ctx);
    parchunk_ctx_cancel(ctx); /* idempotent */
    const int8_t x[] = {1, 2, 3};
    int64_t hi = 11;
    uint64_t lo = 12;
    assert_int_equal(parchunk_sum_int(ctx, x, 3, PARCHUNK_INT8, &hi, &lo), PARCHUNK_ERR_CANCELLED);
    assert_true(hi == 11 && lo == 12);
    /* argument errors are still reported as such */
    assert_int_equal(parchunk_sum_int(ctx, NULL, 3, PARCHUNK_INT8, &hi, &lo), PARCHUNK_ERR_NULL);
    parchunk_ctx_clear_cancel(ctx);
    assert_ok(ctx, parchunk_sum_int(ctx, x, 3, PARCHUNK_INT8, &hi, &lo));
    assert_true(hi == 0 && lo == 6);
    parchunk_ctx_free(ctx);
}

static void test_busy(void **state)
{
    (void)state;
    size_t n, chunk;
    double *x = slow_input_make(&n, &chunk);
    double want = reference_sum(x, n, chunk);
    call_args a = {test_ctx(1, chunk, 0), x, n, -1.0, PARCHUNK_ERR_ARG};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, run_sum, &a), 0);
    wait_for_faults(1);

    /* a second call on the busy ctx: BUSY, output untouched */
    const double small[] = {1.0, 2.0, 4.0};
    double out = -3.0;
    assert_int_equal(parchunk_sum(a.ctx, small, 3, PARCHUNK_FLOAT64, &out), PARCHUNK_ERR_BUSY);
    assert_int_equal(parchunk_min(a.ctx, small, 3, PARCHUNK_FLOAT64, &out), PARCHUNK_ERR_BUSY);
    assert_int_equal(parchunk_mean_abs_dev(a.ctx, small, 3, PARCHUNK_FLOAT64, 0.0, &out),
                     PARCHUNK_ERR_BUSY);
    assert_true(out == -3.0);
    /* bad arguments are still their own error (and do not touch the running call) */
    assert_int_equal(parchunk_sum(a.ctx, NULL, 3, PARCHUNK_FLOAT64, &out), PARCHUNK_ERR_NULL);
    /* other contexts and NULL run concurrently */
    parchunk_ctx *other = test_ctx(2, 1, 0);
    assert_ok(other, parchunk_sum(other, small, 3, PARCHUNK_FLOAT64, &out));
    assert_true(out == 7.0);
    assert_ok(NULL, parchunk_mean(NULL, small, 3, PARCHUNK_FLOAT64, &out));
    assert_true(out == 7.0 / 3.0);
    parchunk_ctx_free(other);

    atomic_store(&slow_release, 1);
    assert_int_equal(pthread_join(th, NULL), 0);
    assert_ok(a.ctx, a.st);
    assert_memory_equal(&a.out, &want, sizeof want);
    assert_string_equal(parchunk_ctx_last_error(a.ctx), "");
    /* idle again: calls are accepted */
    assert_ok(a.ctx, parchunk_sum(a.ctx, small, 3, PARCHUNK_FLOAT64, &out));
    assert_true(out == 7.0);
    parchunk_ctx_free(a.ctx);
    slow_input_free(x);
}

/* ---- progress polled during real calls ------------------------------------- */

typedef struct poll_args {
    parchunk_ctx *ctx;
    atomic_int stop;
    uint64_t n;
    long samples, mid_call;
    int bad; /* 1: not monotone, 2: done > total, 3: odd total */
} poll_args;

static void *poll_progress(void *arg)
{
    poll_args *p = arg;
    uint64_t last = 0;
    while (!atomic_load(&p->stop)) {
        uint64_t done = 0, total = 0;
        if (parchunk_ctx_progress(p->ctx, &done, &total) != PARCHUNK_OK)
            p->bad = 4;
        if (done < last)
            p->bad = 1;
        if (done > total)
            p->bad = 2;
        if (total != 0 && total != p->n)
            p->bad = 3;
        if (done > 0 && done < total)
            p->mid_call++;
        last = done;
        p->samples++;
        sched_yield();
    }
    return NULL;
}

static void test_progress_monotone(void **state)
{
    (void)state;
    enum { N = 4000000 };
    uint8_t *x = malloc(N);
    assert_non_null(x);
    test_fill_random(x, N, PARCHUNK_UINT8, 5);
    poll_args p = {.ctx = test_ctx(2, 1024, 0), .n = N};
    atomic_init(&p.stop, 0);
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, poll_progress, &p), 0);
    double out = 0;
    assert_ok(p.ctx, parchunk_mean_abs_dev(p.ctx, x, N, PARCHUNK_UINT8, 127.5, &out));
    atomic_store(&p.stop, 1);
    assert_int_equal(pthread_join(th, NULL), 0);
    if (p.bad)
        fail_msg("progress misbehaved (%d) over %ld samples", p.bad, p.samples);
    uint64_t done = 0, total = 0;
    assert_int_equal(parchunk_ctx_progress(p.ctx, &done, &total), PARCHUNK_OK);
    assert_true(done == N && total == N);
    /* each call restarts its progress */
    const uint8_t few[] = {1, 2, 3};
    assert_ok(p.ctx, parchunk_sum(p.ctx, few, 3, PARCHUNK_UINT8, &out));
    assert_int_equal(parchunk_ctx_progress(p.ctx, &done, &total), PARCHUNK_OK);
    assert_true(done == 3 && total == 3);
    print_message("progress: %ld samples, %ld mid-call\n", p.samples, p.mid_call);
    parchunk_ctx_free(p.ctx);
    free(x);
}

/* ---- distinct contexts (and NULL) from many threads at once ---------------- */

enum { CONC_THREADS = 4, CONC_N = 50000, CONC_ROUNDS = 20 };

typedef struct conc_args {
    const double *x;
    double want_sum, want_mad;
    int use_null; /* 1: ctx NULL (process defaults) */
    int wrong;    /* rounds whose answers differed */
    parchunk_status st;
} conc_args;

static void *concurrent_worker(void *arg)
{
    conc_args *a = arg;
    parchunk_ctx *ctx = NULL;
    if (!a->use_null) {
        if (parchunk_ctx_new(&ctx) != PARCHUNK_OK) {
            a->st = PARCHUNK_ERR_NOMEM;
            return NULL;
        }
        parchunk_ctx_set_threads(ctx, 2);
        parchunk_ctx_set_serial_cutoff(ctx, 0);
    }
    for (int r = 0; r < CONC_ROUNDS && a->st == PARCHUNK_OK; r++) {
        double sum = 0, mad = 0;
        a->st = parchunk_sum(ctx, a->x, CONC_N, PARCHUNK_FLOAT64, &sum);
        if (a->st == PARCHUNK_OK)
            a->st = parchunk_mean_abs_dev(ctx, a->x, CONC_N, PARCHUNK_FLOAT64, 1.0, &mad);
        if (memcmp(&sum, &a->want_sum, sizeof sum) != 0 ||
            memcmp(&mad, &a->want_mad, sizeof mad) != 0)
            a->wrong++;
    }
    parchunk_ctx_free(ctx);
    return NULL;
}

static void test_concurrent_contexts(void **state)
{
    (void)state;
    static double x[CONC_N];
    test_fill_random(x, CONC_N, PARCHUNK_FLOAT64, 77);
    /* the default chunk size for both ctx kinds: one set of expected bits */
    parchunk_ctx *ref = test_ctx(1, 0, 0);
    double want_sum = 0, want_mad = 0;
    assert_ok(ref, parchunk_sum(ref, x, CONC_N, PARCHUNK_FLOAT64, &want_sum));
    assert_ok(ref, parchunk_mean_abs_dev(ref, x, CONC_N, PARCHUNK_FLOAT64, 1.0, &want_mad));
    parchunk_ctx_free(ref);

    pthread_t th[CONC_THREADS];
    conc_args args[CONC_THREADS];
    for (int t = 0; t < CONC_THREADS; t++) {
        args[t] = (conc_args){x, want_sum, want_mad, t % 2, 0, PARCHUNK_OK};
        assert_int_equal(pthread_create(&th[t], NULL, concurrent_worker, &args[t]), 0);
    }
    for (int t = 0; t < CONC_THREADS; t++)
        assert_int_equal(pthread_join(th[t], NULL), 0);
    for (int t = 0; t < CONC_THREADS; t++) {
        if (args[t].st != PARCHUNK_OK)
            fail_msg("thread %d: status %d (%s)", t, args[t].st,
                     parchunk_status_string(args[t].st));
        if (args[t].wrong)
            fail_msg("thread %d (%s ctx): %d of %d rounds gave other bits", t,
                     args[t].use_null ? "NULL" : "own", args[t].wrong, CONC_ROUNDS);
    }
}

/* ---- called from inside the caller's own OpenMP parallel region ----------- */

/* A program that already runs an OpenMP team calls parchunk from every team
 * member: nested regions get whatever the runtime allows (often one thread),
 * the answers must be the same bits. */
static void test_inside_user_parallel_region(void **state)
{
    (void)state;
#ifdef _OPENMP
    enum { N = 30011 };
    static double x[N];
    test_fill_random(x, N, PARCHUNK_FLOAT64, 31);
    parchunk_ctx *ref = test_ctx(1, 7, 0);
    double want = 0;
    assert_ok(ref, parchunk_sum(ref, x, N, PARCHUNK_FLOAT64, &want));
    parchunk_ctx_free(ref);
    int wrong = 0, errors = 0;
#pragma omp parallel num_threads(3) reduction(+ : wrong, errors)
    {
        parchunk_ctx *ctx = NULL;
        if (parchunk_ctx_new(&ctx) != PARCHUNK_OK) {
            errors++;
        } else {
            parchunk_ctx_set_threads(ctx, 2);
            parchunk_ctx_set_chunk_size(ctx, 7);
            parchunk_ctx_set_serial_cutoff(ctx, 0);
            for (int r = 0; r < 5; r++) {
                double got = 0;
                if (parchunk_sum(ctx, x, N, PARCHUNK_FLOAT64, &got) != PARCHUNK_OK)
                    errors++;
                else if (memcmp(&got, &want, sizeof got) != 0)
                    wrong++;
            }
            parchunk_ctx_free(ctx);
        }
    }
    assert_int_equal(errors, 0);
    assert_int_equal(wrong, 0);
#else
    skip();
#endif
}

int main(int argc, char **argv)
{
    self_path = argv[0];
    if (argc > 1 && strcmp(argv[1], "--print-default-threads") == 0)
        return print_threads_mode();
    static char exe[4096];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0) {
        exe[len] = '\0';
        self_path = exe;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_status_dtype),
        cmocka_unit_test(test_new_free),
        cmocka_unit_test(test_null_ctx_getters),
        cmocka_unit_test(test_threads_bounds),
        cmocka_unit_test(test_chunk_size_and_cutoff_bounds),
        cmocka_unit_test(test_last_error),
        cmocka_unit_test(test_default_threads_from_environment),
        cmocka_unit_test(test_progress_mid_call),
        cmocka_unit_test(test_cancel_from_another_thread),
        cmocka_unit_test(test_cancel_before_call),
        cmocka_unit_test(test_busy),
        cmocka_unit_test(test_progress_monotone),
        cmocka_unit_test(test_concurrent_contexts),
        cmocka_unit_test(test_inside_user_parallel_region),
    };
    return cmocka_run_group_tests_name("ctx", tests, NULL, NULL);
}
