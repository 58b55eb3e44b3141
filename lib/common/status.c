/* status.c - the text of each status code. */
#include "internal.h"

PARCHUNK_API const char *parchunk_status_string(parchunk_status status)
{
    switch (status) {
    case PARCHUNK_OK: return "success";
    case PARCHUNK_ERR_NULL: return "a required pointer is NULL";
    case PARCHUNK_ERR_DTYPE: return "unsupported dtype";
    case PARCHUNK_ERR_ARG: return "argument out of range";
    case PARCHUNK_ERR_EMPTY: return "operation undefined on an empty input";
    case PARCHUNK_ERR_OVERFLOW: return "result does not fit the output type";
    case PARCHUNK_ERR_CANCELLED: return "cancelled";
    case PARCHUNK_ERR_NOMEM: return "out of memory";
    case PARCHUNK_ERR_IO: return "input/output error";
    case PARCHUNK_ERR_PARSE: return "malformed input text";
    case PARCHUNK_ERR_SHAPE: return "shapes or lengths do not agree";
    case PARCHUNK_ERR_DOMAIN: return "value outside the domain of the operation";
    case PARCHUNK_ERR_BUSY: return "context already running a call";
    case PARCHUNK_ERR_UNSUPPORTED: return "not supported";
    case PARCHUNK_ERR_CHANGED: return "file changed while it was read";
    }
    return "unknown status";
}
