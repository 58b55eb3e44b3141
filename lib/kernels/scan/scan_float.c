/* scan_float.c - chunk totals and chunk scans of float32/float64 data. */
#include "scan.h"

/* Eight independent accumulators so that the loop runs at load speed rather
 * than at the latency of one dependent add; combined in a fixed tree so the
 * result depends on the chunk only. */
#define DEFINE_TOTAL(NAME, T)                                                                      \
    static double NAME(const T *x, size_t n)                                                       \
    {                                                                                              \
        double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};                                                  \
        size_t i = 0;                                                                              \
        for (; i + 8 <= n; i += 8)                                                                 \
            for (int k = 0; k < 8; k++)                                                            \
                acc[k] += (double)x[i + k];                                                        \
        double tail = 0.0;                                                                         \
        for (; i < n; i++)                                                                         \
            tail += (double)x[i];                                                                  \
        return (((acc[0] + acc[4]) + (acc[2] + acc[6])) +                                          \
                ((acc[1] + acc[5]) + (acc[3] + acc[7]))) +                                         \
               tail;                                                                               \
    }
DEFINE_TOTAL(total_f32, float)
DEFINE_TOTAL(total_f64, double)

double pc_scan_float_total(const void *x, size_t n, parchunk_dtype dtype)
{
    return dtype == PARCHUNK_FLOAT32 ? total_f32(x, n) : total_f64(x, n);
}

/* The left-to-right running sum is what np.cumsum computes; within a chunk
 * we do exactly that, from the chunk's offset. No restrict: out may be x. */
#define DEFINE_SCAN(NAME, TIN, TOUT)                                                               \
    static void NAME(const TIN *x, size_t n, double s, TOUT *out)                                  \
    {                                                                                              \
        for (size_t i = 0; i < n; i++) {                                                           \
            s += (double)x[i];                                                                     \
            out[i] = (TOUT)s;                                                                      \
        }                                                                                          \
    }
DEFINE_SCAN(scan_f32_f32, float, float)
DEFINE_SCAN(scan_f32_f64, float, double)
DEFINE_SCAN(scan_f64_f64, double, double)

void pc_scan_float(const void *x, size_t n, parchunk_dtype dtype, double offset, void *out,
                   parchunk_dtype out_dtype)
{
    if (dtype == PARCHUNK_FLOAT64)
        scan_f64_f64(x, n, offset, out);
    else if (out_dtype == PARCHUNK_FLOAT32)
        scan_f32_f32(x, n, offset, out);
    else
        scan_f32_f64(x, n, offset, out);
}
