/* image.h - shared between the image api files (not exported). */
#ifndef PARCHUNK_API_IMAGE_H
#define PARCHUNK_API_IMAGE_H

#include "api.h"

/* One image of a grayscale job, its sizes already checked. */
typedef struct pc_gray_image {
    const uint8_t *src;
    uint8_t *dst;
    size_t height, width, channels;
} pc_gray_image;

/* Returns PARCHUNK_OK when no output buffer of images[0..count) overlaps any
 * other buffer of the job (input or output); else records which images and
 * returns PARCHUNK_ERR_ARG (or PARCHUNK_ERR_NOMEM). Empty buffers never
 * overlap. */
parchunk_status pc_gray_check_overlap(parchunk_ctx *ctx, const pc_gray_image *images, size_t count);

#endif
