/* scratch.h - large, short-lived scratch buffers (input-sized temporaries of
 * multi-pass operations such as the sort). */
#ifndef PARCHUNK_ENGINE_SCRATCH_H
#define PARCHUNK_ENGINE_SCRATCH_H

#include "engine.h"

/* pc_alloc_array(count, size), and for large buffers a hint to back them
 * with transparent huge pages: a fresh buffer is touched once per page, and
 * on a VM a 4 KB page fault costs about as much as sorting the page's keys.
 * Free with pc_free(). NULL on failure. */
void *pc_scratch_alloc(size_t count, size_t size);

#endif
