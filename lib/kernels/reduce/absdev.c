/* absdev.c - sum of |x - center| over one chunk, pairwise in double. */
#include <math.h>

#include "pairwise.h"
#include "reduce.h"

#define TERM_ABSDEV(v, c) fabs((v) - (c))
PC_DEFINE_PAIRWISE(absdev_f32, float, TERM_ABSDEV)
PC_DEFINE_PAIRWISE(absdev_f64, double, TERM_ABSDEV)
PC_DEFINE_PAIRWISE(absdev_i8, int8_t, TERM_ABSDEV)
PC_DEFINE_PAIRWISE(absdev_u8, uint8_t, TERM_ABSDEV)
PC_DEFINE_PAIRWISE(absdev_i16, int16_t, TERM_ABSDEV)
PC_DEFINE_PAIRWISE(absdev_u16, uint16_t, TERM_ABSDEV)
PC_DEFINE_PAIRWISE(absdev_i32, int32_t, TERM_ABSDEV)
PC_DEFINE_PAIRWISE(absdev_u32, uint32_t, TERM_ABSDEV)
PC_DEFINE_PAIRWISE(absdev_i64, int64_t, TERM_ABSDEV)
PC_DEFINE_PAIRWISE(absdev_u64, uint64_t, TERM_ABSDEV)

double pc_sum_absdev(const void *x, size_t n, parchunk_dtype dtype, double c)
{
    switch (dtype) {
    case PARCHUNK_FLOAT32: return absdev_f32(x, n, c);
    case PARCHUNK_FLOAT64: return absdev_f64(x, n, c);
    case PARCHUNK_INT8: return absdev_i8(x, n, c);
    case PARCHUNK_UINT8: return absdev_u8(x, n, c);
    case PARCHUNK_INT16: return absdev_i16(x, n, c);
    case PARCHUNK_UINT16: return absdev_u16(x, n, c);
    case PARCHUNK_INT32: return absdev_i32(x, n, c);
    case PARCHUNK_UINT32: return absdev_u32(x, n, c);
    case PARCHUNK_INT64: return absdev_i64(x, n, c);
    case PARCHUNK_UINT64: return absdev_u64(x, n, c);
    default: return 0.0;
    }
}
