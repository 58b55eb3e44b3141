/* file_common.h - what the file / byte-stream api functions share. */
#ifndef PARCHUNK_API_FILE_COMMON_H
#define PARCHUNK_API_FILE_COMMON_H

#include "../engine/filereader.h"
#include "api.h"

/*
 * Claims ctx for one call and opens the source: the file at path when path
 * is not NULL, else the buffer data[0, size). Progress total = the source
 * size times passes. On success the caller must finish with
 * pc_file_call_end(); on error everything is released and the status is
 * returned (already recorded).
 */
parchunk_status pc_file_call_begin(pc_call *call, pc_source *src, parchunk_ctx *ctx,
                                   const char *path, const void *data, size_t size,
                                   unsigned passes);

/* Closes the source and releases ctx; returns status. */
parchunk_status pc_file_call_end(pc_call *call, pc_source *src, parchunk_status status);

/* Argument checks of the two forms: path not NULL / data NULL only if size 0. */
parchunk_status pc_check_source(parchunk_ctx *ctx, const char *path, const void *data, size_t size,
                                bool is_file);

#endif
