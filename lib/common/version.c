/* version.c - library and ABI version. */
#include "internal.h"

#define PC_STR2(x) #x
#define PC_STR(x) PC_STR2(x)

PARCHUNK_API const char *parchunk_version_string(void)
{
    return PC_STR(PARCHUNK_VERSION_MAJOR) "." PC_STR(PARCHUNK_VERSION_MINOR) "." PC_STR(
        PARCHUNK_VERSION_PATCH);
}

PARCHUNK_API uint32_t parchunk_abi_version(void) { return PARCHUNK_ABI_VERSION; }
