/* file_common.c - call lifecycle shared by the file / byte-stream api. */
#include "file_common.h"

parchunk_status pc_check_source(parchunk_ctx *ctx, const char *path, const void *data, size_t size,
                                bool is_file)
{
    if (is_file && path == NULL)
        return pc_arg_fail(ctx, PARCHUNK_ERR_NULL, "path is NULL");
    if (!is_file && data == NULL && size > 0)
        return pc_arg_fail(ctx, PARCHUNK_ERR_NULL, "data is NULL but size is %zu", size);
    return PARCHUNK_OK;
}

parchunk_status pc_file_call_begin(pc_call *call, pc_source *src, parchunk_ctx *ctx,
                                   const char *path, const void *data, size_t size, unsigned passes)
{
    parchunk_status st = pc_call_begin(call, ctx, 0, PC_FILE_DEFAULT_CHUNK);
    if (st != PARCHUNK_OK)
        return st;
    if (path != NULL) {
        st = pc_source_open(call, src, path);
        if (st != PARCHUNK_OK)
            return pc_call_end(call, st);
    } else {
        pc_source_from_memory(src, data, size);
    }
    atomic_store(&call->ctx->total, src->size * passes);
    return PARCHUNK_OK;
}

parchunk_status pc_file_call_end(pc_call *call, pc_source *src, parchunk_status status)
{
    pc_source_close(src);
    return pc_call_end(call, status);
}
