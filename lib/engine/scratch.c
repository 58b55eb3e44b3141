/* scratch.c - large scratch buffers backed by huge pages where possible. */
#define _GNU_SOURCE
#include "scratch.h"

#include <sys/mman.h>

enum { HUGE_PAGE = 2 << 20 };

void *pc_scratch_alloc(size_t count, size_t size)
{
    void *p = pc_alloc_array(count, size);
#ifdef MADV_HUGEPAGE
    if (p != NULL && size != 0 && count >= (size_t)(2 * HUGE_PAGE) / size) {
        /* only the whole huge pages inside the buffer; a failed hint is harmless */
        uintptr_t begin = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
        uintptr_t end = ((uintptr_t)p + count * size) & ~(uintptr_t)(HUGE_PAGE - 1);
        if (end > begin)
            (void)madvise((void *)begin, end - begin, MADV_HUGEPAGE);
    }
#endif
    return p;
}
