/* check.c - argument checks shared by the exported functions. */
#include "api.h"

parchunk_status pc_check_array(parchunk_ctx *ctx, const char *name, const void *data, size_t n,
                               parchunk_dtype dtype)
{
    if (!pc_dtype_valid(dtype))
        return pc_arg_fail(ctx, PARCHUNK_ERR_DTYPE, "%s: unknown dtype %d", name, (int)dtype);
    if (data == NULL && n > 0)
        return pc_arg_fail(ctx, PARCHUNK_ERR_NULL, "%s is NULL but n is %zu", name, n);
    return n > 0 ? pc_check_aligned(ctx, name, data, parchunk_dtype_size(dtype)) : PARCHUNK_OK;
}

parchunk_status pc_check_aligned(parchunk_ctx *ctx, const char *name, const void *p, size_t align)
{
    uintptr_t mis = align > 1 ? (uintptr_t)p % align : 0;
    if (mis != 0)
        return pc_arg_fail(ctx, PARCHUNK_ERR_ARG,
                           "%s is not aligned to its %zu-byte elements (address %% %zu = %zu); "
                           "copy it into an aligned array",
                           name, align, align, (size_t)mis);
    return PARCHUNK_OK;
}

parchunk_status pc_check_out(parchunk_ctx *ctx, const char *name, const void *out)
{
    if (out == NULL)
        return pc_arg_fail(ctx, PARCHUNK_ERR_NULL, "output pointer %s is NULL", name);
    return PARCHUNK_OK;
}
