/* count.c - number of nonzero elements of one chunk (NaN is nonzero, -0.0 is zero). */
#include "stats.h"

#define DEFINE_COUNT_NONZERO(NAME, T)                                                              \
    static uint64_t NAME(const T *x, size_t n)                                                     \
    {                                                                                              \
        uint64_t k = 0;                                                                            \
        for (size_t i = 0; i < n; i++)                                                             \
            k += x[i] != 0;                                                                        \
        return k;                                                                                  \
    }
DEFINE_COUNT_NONZERO(nz_i8, int8_t)
DEFINE_COUNT_NONZERO(nz_u8, uint8_t)
DEFINE_COUNT_NONZERO(nz_i16, int16_t)
DEFINE_COUNT_NONZERO(nz_u16, uint16_t)
DEFINE_COUNT_NONZERO(nz_i32, int32_t)
DEFINE_COUNT_NONZERO(nz_u32, uint32_t)
DEFINE_COUNT_NONZERO(nz_i64, int64_t)
DEFINE_COUNT_NONZERO(nz_u64, uint64_t)
DEFINE_COUNT_NONZERO(nz_f32, float)
DEFINE_COUNT_NONZERO(nz_f64, double)

uint64_t pc_count_nonzero(const void *x, size_t n, parchunk_dtype dtype)
{
    switch (dtype) {
    case PARCHUNK_INT8: return nz_i8(x, n);
    case PARCHUNK_UINT8: return nz_u8(x, n);
    case PARCHUNK_INT16: return nz_i16(x, n);
    case PARCHUNK_UINT16: return nz_u16(x, n);
    case PARCHUNK_INT32: return nz_i32(x, n);
    case PARCHUNK_UINT32: return nz_u32(x, n);
    case PARCHUNK_INT64: return nz_i64(x, n);
    case PARCHUNK_UINT64: return nz_u64(x, n);
    case PARCHUNK_FLOAT32: return nz_f32(x, n);
    case PARCHUNK_FLOAT64: return nz_f64(x, n);
    default: return 0;
    }
}
