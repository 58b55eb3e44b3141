/*
 * image.c - the exported grayscale conversions: validate, lay the images end
 * to end as one range of rows, cut it into chunks of rows, convert.
 *
 * Items (chunk size, progress) are rows, summed over all images of a batch:
 * a chunk may end in one image and go on in the next, so small images are
 * batched and large ones split, all in one parallel region.
 */
#include <stdio.h>

#include "../kernels/image/gray.h"
#include "image.h"

/* ---- the kernel variant, chosen once at load time ------------------------ */

static pc_gray_fn gray_kernel = pc_gray_generic;

#if PC_GRAY_HAVE_AVX2
/* A constructor runs before any other thread can call into the library, so
 * the plain pointer needs no synchronisation. __builtin_cpu_init() must come
 * first in a constructor (GCC's documented rule). */
__attribute__((constructor)) static void choose_gray_kernel(void)
{
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2"))
        gray_kernel = pc_gray_avx2;
}
#endif

/* ---- the job ------------------------------------------------------------- */

/* Default rows per chunk: about this many pixels (~0.25-1 MB of input), so
 * that an 8000-pixel-wide image gets 32-row chunks and a 1-Mpixel batch
 * image four chunks. */
enum { GRAY_CHUNK_PIXELS = 1 << 18 };

typedef struct gray_job {
    const pc_gray_image *images;
    const size_t
        *first_row; /* count + 1 entries: image k has rows [first_row[k], first_row[k+1]) */
    size_t count;
    pc_gray_fn kernel;
} gray_job;

/* The image holding global row r: the last k with first_row[k] <= r. That
 * image is never empty, since first_row[k + 1] > r. */
static size_t image_of_row(const gray_job *job, size_t r)
{
    size_t lo = 0, hi = job->count; /* first_row[lo] <= r < first_row[hi] */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (job->first_row[mid] <= r)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static parchunk_status gray_chunk(void *arg, size_t chunk_index, size_t begin, size_t end)
{
    PC_UNUSED(chunk_index);
    const gray_job *job = arg;
    size_t k = image_of_row(job, begin);
    for (size_t r = begin; r < end; k++) {
        const pc_gray_image *im = &job->images[k];
        size_t row = r - job->first_row[k];
        size_t last = job->first_row[k + 1] < end ? job->first_row[k + 1] : end;
        size_t rows = last - r;
        if (rows > 0) /* empty images in between may have NULL pointers: no arithmetic on them */
            job->kernel(im->src + row * im->width * im->channels, im->dst + row * im->width,
                        rows * im->width, im->channels);
        r = last;
    }
    return PARCHUNK_OK;
}

/* Claims ctx and converts every image. first_row has count + 1 entries. */
static parchunk_status run_gray(parchunk_ctx *ctx, const pc_gray_image *images,
                                const size_t *first_row, size_t count, size_t total_pixels)
{
    size_t total_rows = first_row[count];
    size_t mean_width = total_rows > 0 ? total_pixels / total_rows : 1;
    size_t default_chunk = mean_width < GRAY_CHUNK_PIXELS ? GRAY_CHUNK_PIXELS / mean_width : 1;
    if (default_chunk == 0)
        default_chunk = 1;

    pc_call call;
    parchunk_status st = pc_call_begin(&call, ctx, total_rows, default_chunk);
    if (st != PARCHUNK_OK)
        return st;
    /* The serial cutoff counts pixels (what costs time), the plan counts rows:
     * decide here, then tell the engine "always" or "never". */
    call.cutoff = total_pixels < call.cutoff ? SIZE_MAX : 0;
    gray_job job = {images, first_row, count, gray_kernel};
    pc_plan plan = pc_plan_make(total_rows, call.chunk);
    st = pc_run_chunks(&call, &plan, 0, plan.nchunks, gray_chunk, &job);
    return pc_call_end(&call, st);
}

/* Checks one image's arguments; `what` names it in the detail ("image" or
 * "image 3"). On success fills *im and *pixels. */
static parchunk_status check_image(parchunk_ctx *ctx, const char *what, const uint8_t *img,
                                   size_t height, size_t width, size_t channels, uint8_t *out,
                                   pc_gray_image *im, size_t *pixels)
{
    if (channels != 3 && channels != 4)
        return pc_arg_fail(ctx, PARCHUNK_ERR_ARG, "%s: channels is %zu (must be 3 or 4)", what,
                           channels);
    if (width != 0 && height > SIZE_MAX / width)
        return pc_arg_fail(ctx, PARCHUNK_ERR_OVERFLOW,
                           "%s: height * width (%zu * %zu) overflows size_t", what, height, width);
    size_t n = height * width;
    if (n > (size_t)PTRDIFF_MAX / channels)
        return pc_arg_fail(ctx, PARCHUNK_ERR_OVERFLOW,
                           "%s: height * width * channels (%zu * %zu * %zu) is larger than any "
                           "buffer can be",
                           what, height, width, channels);
    if (n > 0 && img == NULL)
        return pc_arg_fail(ctx, PARCHUNK_ERR_NULL, "%s: the input is NULL but it has %zu pixels",
                           what, n);
    if (n > 0 && out == NULL)
        return pc_arg_fail(ctx, PARCHUNK_ERR_NULL, "%s: out is NULL but it has %zu pixels", what,
                           n);
    *im = (pc_gray_image){img, out, height, width, channels};
    *pixels = n;
    return PARCHUNK_OK;
}

PARCHUNK_API parchunk_status parchunk_to_grayscale(parchunk_ctx *ctx, const uint8_t *img,
                                                   size_t height, size_t width, size_t channels,
                                                   uint8_t *out)
{
    pc_gray_image im;
    size_t pixels = 0;
    parchunk_status st = check_image(ctx, "image", img, height, width, channels, out, &im, &pixels);
    if (st == PARCHUNK_OK)
        st = pc_gray_check_overlap(ctx, &im, 1);
    if (st != PARCHUNK_OK)
        return st;
    size_t first_row[2] = {0, pixels > 0 ? height : 0};
    return run_gray(ctx, &im, first_row, 1, pixels);
}

PARCHUNK_API parchunk_status parchunk_to_grayscale_batch(
    parchunk_ctx *ctx, size_t count, const uint8_t *const *imgs, const size_t *heights,
    const size_t *widths, const size_t *channels, uint8_t *const *outs)
{
    if (count > 0) {
        const void *arrays[] = {imgs, heights, widths, channels, outs};
        const char *names[] = {"imgs", "heights", "widths", "channels", "outs"};
        for (size_t i = 0; i < sizeof arrays / sizeof arrays[0]; i++)
            if (arrays[i] == NULL)
                return pc_arg_fail(ctx, PARCHUNK_ERR_NULL, "%s is NULL but count is %zu", names[i],
                                   count);
    }
    if (count >= SIZE_MAX / sizeof(size_t))
        return pc_arg_fail(ctx, PARCHUNK_ERR_NOMEM, "count %zu is too large", count);
    pc_gray_image *images = pc_alloc_array(count, sizeof *images);
    size_t *first_row = pc_alloc_array(count + 1, sizeof *first_row);
    parchunk_status st = PARCHUNK_OK;
    if (images == NULL || first_row == NULL)
        st = pc_arg_fail(ctx, PARCHUNK_ERR_NOMEM, "cannot allocate the list of %zu images", count);

    size_t total_pixels = 0;
    if (st == PARCHUNK_OK)
        first_row[0] = 0;
    for (size_t k = 0; k < count && st == PARCHUNK_OK; k++) {
        char what[48];
        snprintf(what, sizeof what, "image %zu", k);
        size_t pixels = 0;
        st = check_image(ctx, what, imgs[k], heights[k], widths[k], channels[k], outs[k],
                         &images[k], &pixels);
        if (st == PARCHUNK_OK && total_pixels > SIZE_MAX - pixels)
            st = pc_arg_fail(ctx, PARCHUNK_ERR_OVERFLOW, "the total pixel count overflows");
        total_pixels += pixels;
        /* Rows of empty images (width 0) are not rows of the plan. */
        first_row[k + 1] = first_row[k] + (pixels > 0 ? heights[k] : 0);
    }
    if (st == PARCHUNK_OK)
        st = pc_gray_check_overlap(ctx, images, count);
    if (st == PARCHUNK_OK)
        st = run_gray(ctx, images, first_row, count, total_pixels);
    pc_free(images);
    pc_free(first_row);
    return st;
}
