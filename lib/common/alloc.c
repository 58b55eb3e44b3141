/* alloc.c - the one place the library allocates memory. */
#include "internal.h"

#include <stdlib.h>

enum { PC_ALIGN = 64 };

void *pc_alloc_array(size_t count, size_t size)
{
    if (count == 0 || size == 0)
        count = size = 1;
    if (count > SIZE_MAX / size)
        return NULL;
    size_t bytes = count * size;
    /* aligned_alloc wants a multiple of the alignment. */
    if (bytes > SIZE_MAX - (PC_ALIGN - 1))
        return NULL;
    bytes = (bytes + PC_ALIGN - 1) / PC_ALIGN * PC_ALIGN;
    return aligned_alloc(PC_ALIGN, bytes);
}

void pc_free(void *p) { free(p); }
