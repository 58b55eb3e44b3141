/*
 * test_fork.c - fork safety. GNU libgomp hangs a child that enters a
 * parallel region after its parent started the thread pool; the engine must
 * notice such a child and run serially there, with the same results. Every
 * child is waited for with a deadline, so a hang is a failure, not a stuck
 * test run.
 *
 * The test that forks before any parallel use must run first: cmocka runs
 * the tests in order in one process.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "test_helpers.h"

enum { N = 200003, CHUNK = 64, DEADLINE_MS = 20000 };

static double *data;
static int32_t *ints;

typedef struct answers {
    double sum, mean, mad;
    double min, max;
    int64_t hi;
    uint64_t lo;
    int64_t isum;
} answers;

static const int32_t *int_data(void)
{
    return ints;
}

/* Every kernel on a ctx with nthreads 2, cutoff 0, small chunks: the
 * parallel path whenever the process may take it. */
static parchunk_status compute(answers *a)
{
    parchunk_ctx *ctx = NULL;
    parchunk_status st = parchunk_ctx_new(&ctx);
    if (st != PARCHUNK_OK)
        return st;
    parchunk_ctx_set_threads(ctx, 2);
    parchunk_ctx_set_chunk_size(ctx, CHUNK);
    parchunk_ctx_set_serial_cutoff(ctx, 0);
    memset(a, 0, sizeof *a);
    if (st == PARCHUNK_OK)
        st = parchunk_sum(ctx, data, N, PARCHUNK_FLOAT64, &a->sum);
    if (st == PARCHUNK_OK)
        st = parchunk_mean(ctx, data, N, PARCHUNK_FLOAT64, &a->mean);
    if (st == PARCHUNK_OK)
        st = parchunk_mean_abs_dev(ctx, data, N, PARCHUNK_FLOAT64, 0.25, &a->mad);
    if (st == PARCHUNK_OK)
        st = parchunk_min(ctx, data, N, PARCHUNK_FLOAT64, &a->min);
    if (st == PARCHUNK_OK)
        st = parchunk_max(ctx, data, N, PARCHUNK_FLOAT64, &a->max);
    if (st == PARCHUNK_OK)
        st = parchunk_sum_int(ctx, int_data(), N, PARCHUNK_INT32, &a->hi, &a->lo);
    if (st == PARCHUNK_OK)
        st = parchunk_sum_i64(ctx, int_data(), N, PARCHUNK_INT32, &a->isum);
    parchunk_ctx_free(ctx);
    return st;
}

/* The answers a single thread gives: the oracle for every other run. */
static answers serial_answers(void)
{
    answers a;
    memset(&a, 0, sizeof a);
    parchunk_ctx *ctx = test_ctx(1, CHUNK, 0);
    assert_ok(ctx, parchunk_sum(ctx, data, N, PARCHUNK_FLOAT64, &a.sum));
    assert_ok(ctx, parchunk_mean(ctx, data, N, PARCHUNK_FLOAT64, &a.mean));
    assert_ok(ctx, parchunk_mean_abs_dev(ctx, data, N, PARCHUNK_FLOAT64, 0.25, &a.mad));
    assert_ok(ctx, parchunk_min(ctx, data, N, PARCHUNK_FLOAT64, &a.min));
    assert_ok(ctx, parchunk_max(ctx, data, N, PARCHUNK_FLOAT64, &a.max));
    assert_ok(ctx, parchunk_sum_int(ctx, int_data(), N, PARCHUNK_INT32, &a.hi, &a.lo));
    assert_ok(ctx, parchunk_sum_i64(ctx, int_data(), N, PARCHUNK_INT32, &a.isum));
    parchunk_ctx_free(ctx);
    /* and the exact integer sum against a plain loop */
    int64_t exact = 0;
    for (size_t i = 0; i < N; i++)
        exact += int_data()[i];
    assert_true(a.isum == exact && a.hi == (exact < 0 ? -1 : 0) && a.lo == (uint64_t)exact);
    return a;
}

/* Child body: compute with 2 threads, compare bit for bit; the exit status
 * says what happened (0 ok, 1 wrong answer, 2 error status). */
static void child_main(const answers *want)
{
    /* never outlive a parent that gave up on us */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    answers got;
    if (compute(&got) != PARCHUNK_OK)
        _exit(2);
    _exit(memcmp(&got, want, sizeof got) == 0 ? 0 : 1);
}

/* Waits for pid at most DEADLINE_MS; kills it on timeout. Returns the exit
 * status, or -1 when the child hung. */
static int wait_with_deadline(pid_t pid)
{
    for (int waited = 0; waited < DEADLINE_MS; waited += 5) {
        int status = 0;
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid) {
            if (WIFEXITED(status))
                return WEXITSTATUS(status);
            fail_msg("child died from signal %d", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
        }
        if (r < 0 && errno != EINTR)
            fail_msg("waitpid failed: errno %d", errno);
        struct timespec ts = {0, 5000000};
        nanosleep(&ts, NULL);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return -1;
}

static void expect_child_ok(pid_t pid, const char *what)
{
    int st = wait_with_deadline(pid);
    if (st == -1)
        fail_msg("%s: the child hung (killed after %d ms)", what, DEADLINE_MS);
    if (st != 0)
        fail_msg("%s: the child exited with %d (%s)", what, st,
                 st == 1 ? "wrong answers" : "an error status");
}

static void test_fork_before_any_parallel_use(void **state)
{
    (void)state;
    answers want = serial_answers(); /* one thread: no pool yet */
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        child_main(&want);
    expect_child_ok(pid, "fork before the pool existed");
    /* the parent can still go parallel */
    answers got;
    assert_int_equal(compute(&got), PARCHUNK_OK);
    assert_memory_equal(&got, &want, sizeof got);
}

static void test_fork_after_parallel_use(void **state)
{
    (void)state;
    answers want = serial_answers();
    answers got;
    assert_int_equal(compute(&got), PARCHUNK_OK); /* the pool is up now */
    assert_memory_equal(&got, &want, sizeof got);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        child_main(&want);
    expect_child_ok(pid, "fork after parallel use");
    /* the parent's pool still works after the fork */
    assert_int_equal(compute(&got), PARCHUNK_OK);
    assert_memory_equal(&got, &want, sizeof got);
}

/* A child that itself forks: the grandchild must not hang either. */
static void test_fork_twice(void **state)
{
    (void)state;
    answers want = serial_answers();
    answers got;
    assert_int_equal(compute(&got), PARCHUNK_OK);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (compute(&got) != PARCHUNK_OK || memcmp(&got, &want, sizeof got) != 0)
            _exit(1);
        pid_t grandchild = fork();
        if (grandchild < 0)
            _exit(3);
        if (grandchild == 0)
            child_main(&want);
        int status = 0;
        for (int waited = 0; waited < DEADLINE_MS; waited += 5) {
            if (waitpid(grandchild, &status, WNOHANG) == grandchild)
                _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 4);
            struct timespec ts = {0, 5000000};
            nanosleep(&ts, NULL);
        }
        kill(grandchild, SIGKILL);
        _exit(5);
    }
    expect_child_ok(pid, "fork in a forked child");
}

/* Several children at once, each with its own calls (what a fork-based
 * process pool does). */
static void test_many_children(void **state)
{
    (void)state;
    answers want = serial_answers();
    answers got;
    assert_int_equal(compute(&got), PARCHUNK_OK);
    enum { KIDS = 4 };
    pid_t pids[KIDS];
    fflush(NULL);
    for (int k = 0; k < KIDS; k++) {
        pids[k] = fork();
        assert_true(pids[k] >= 0);
        if (pids[k] == 0)
            child_main(&want);
    }
    int status[KIDS];
    for (int k = 0; k < KIDS; k++)
        status[k] = wait_with_deadline(pids[k]); /* kills a hung child */
    for (int k = 0; k < KIDS; k++)
        if (status[k] != 0)
            fail_msg("child %d of %d: %s", k, KIDS,
                     status[k] == -1 ? "hung (killed)" : "wrong answers or an error status");
}

int main(void)
{
    data = malloc(N * sizeof *data);
    ints = malloc(N * sizeof *ints);
    if (data == NULL || ints == NULL)
        return 1;
    test_fill_random(data, N, PARCHUNK_FLOAT64, 11);
    test_fill_random(ints, N, PARCHUNK_INT32, 12);
    const struct CMUnitTest tests[] = {
        /* must stay first: no parallel call has happened yet */
        cmocka_unit_test(test_fork_before_any_parallel_use),
        cmocka_unit_test(test_fork_after_parallel_use),
        cmocka_unit_test(test_fork_twice),
        cmocka_unit_test(test_many_children),
    };
    int failed = cmocka_run_group_tests_name("fork", tests, NULL, NULL);
    free(data);
    free(ints);
    return failed;
}
