/* dtype.c - the dtype table: size and name of each element type. */
#include "internal.h"

static const struct {
    size_t size;
    const char *name;
} dtype_table[PARCHUNK_DTYPE_COUNT] = {
    [PARCHUNK_INT8] = {1, "int8"},       [PARCHUNK_UINT8] = {1, "uint8"},
    [PARCHUNK_INT16] = {2, "int16"},     [PARCHUNK_UINT16] = {2, "uint16"},
    [PARCHUNK_INT32] = {4, "int32"},     [PARCHUNK_UINT32] = {4, "uint32"},
    [PARCHUNK_INT64] = {8, "int64"},     [PARCHUNK_UINT64] = {8, "uint64"},
    [PARCHUNK_FLOAT32] = {4, "float32"}, [PARCHUNK_FLOAT64] = {8, "float64"},
};

PARCHUNK_API size_t parchunk_dtype_size(parchunk_dtype dtype)
{
    return pc_dtype_valid(dtype) ? dtype_table[dtype].size : 0;
}

const char *pc_dtype_name(parchunk_dtype dtype)
{
    return pc_dtype_valid(dtype) ? dtype_table[dtype].name : "unknown";
}
