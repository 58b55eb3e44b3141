/*
 * fork.c - fork safety.
 *
 * GNU libgomp keeps its thread pool across fork() in the parent only: a
 * child that enters a parallel region after the parent started the pool
 * waits forever for threads that do not exist. Python's multiprocessing forks
 * by default on Linux, so this is the common case, not a corner. The child
 * handler below marks such a child, and the engine then runs every call in it
 * serially on the calling thread - same chunks, same merge order, hence the
 * same results. A child forked before the pool was ever used keeps full
 * parallelism.
 */
#include "engine.h"

#include <pthread.h>

static atomic_int pool_used;
static atomic_int forked_after_pool_use;
static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

static void on_fork_child(void)
{
    if (atomic_load(&pool_used))
        atomic_store(&forked_after_pool_use, 1);
}

static void register_atfork(void) { pthread_atfork(NULL, NULL, on_fork_child); }

void pc_fork_note_pool_use(void)
{
    pthread_once(&atfork_once, register_atfork);
    atomic_store(&pool_used, 1);
}

bool pc_fork_must_run_serially(void) { return atomic_load(&forked_after_pool_use) != 0; }
