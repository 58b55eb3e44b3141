/*
 * image_overlap.c - refuse grayscale jobs whose outputs overlap an input or
 * another output. Rows are converted by different threads, so such a job
 * would give an answer that depends on scheduling (a silent wrong answer).
 * Inputs may overlap each other (they are only read).
 *
 * One sort of the 2*count byte ranges, then a sweep: a range overlaps an
 * earlier one when it starts before the largest end seen so far (of any
 * range if it is an output, of the outputs if it is an input).
 */
#include <stdlib.h>

#include "image.h"

typedef struct byte_range {
    uintptr_t begin, end; /* [begin, end), end > begin */
    size_t image;
    int is_output;
} byte_range;

static int by_begin(const void *a_, const void *b_)
{
    const byte_range *a = a_, *b = b_;
    if (a->begin != b->begin)
        return a->begin < b->begin ? -1 : 1;
    if (a->image != b->image)
        return a->image < b->image ? -1 : 1;
    return a->is_output - b->is_output;
}

parchunk_status pc_gray_check_overlap(parchunk_ctx *ctx, const pc_gray_image *images, size_t count)
{
    byte_range *ranges = pc_alloc_array(count, 2 * sizeof *ranges);
    if (ranges == NULL)
        return pc_arg_fail(ctx, PARCHUNK_ERR_NOMEM, "cannot allocate the overlap check");
    size_t nranges = 0;
    for (size_t k = 0; k < count; k++) {
        size_t pixels = images[k].height * images[k].width; /* checked by the caller */
        if (pixels == 0)
            continue;
        uintptr_t s = (uintptr_t)images[k].src, d = (uintptr_t)images[k].dst;
        ranges[nranges++] = (byte_range){s, s + pixels * images[k].channels, k, 0};
        ranges[nranges++] = (byte_range){d, d + pixels, k, 1};
    }
    qsort(ranges, nranges, sizeof *ranges, by_begin);

    parchunk_status st = PARCHUNK_OK;
    uintptr_t end_any = 0, end_out = 0;
    size_t image_any = 0, image_out = 0;
    for (size_t i = 0; i < nranges && st == PARCHUNK_OK; i++) {
        const byte_range *r = &ranges[i];
        uintptr_t limit = r->is_output ? end_any : end_out;
        size_t other = r->is_output ? image_any : image_out;
        if (i > 0 && r->begin < limit)
            st = pc_arg_fail(ctx, PARCHUNK_ERR_ARG,
                             "the output of image %zu overlaps a buffer of image %zu "
                             "(outputs must not overlap any input or output)",
                             r->is_output ? r->image : other, r->is_output ? other : r->image);
        if (r->end > end_any) {
            end_any = r->end;
            image_any = r->image;
        }
        if (r->is_output && r->end > end_out) {
            end_out = r->end;
            image_out = r->image;
        }
    }
    pc_free(ranges);
    return st;
}
