/*
 * hist.c - counting one chunk into uniform bins exactly as numpy.histogram
 * does (see hist.h for the arithmetic and its types).
 *
 * Two phases per block of SUB elements: phase 1 is branch-free and
 * vectorisable (the division dominates: SIMD divides several lanes at once)
 * and writes the scaled position f (or -1 for values outside the range) and
 * the value widened to double; phase 2 is scalar: index, NumPy's one-step
 * correction against the edges, increment.
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include "hist.h"

/* The loops marked PC_CLONE_AVX2 (common/internal.h) get an AVX2 clone
 * chosen at load time through a GNU ifunc, off under the sanitizers (the
 * resolver runs during relocation, before the TSan runtime is initialised,
 * and its instrumentation crashes there) and in baseline-only test builds.
 * The hand-written AVX2 kernels below are plain functions picked by a CPU
 * check instead, so they run under the sanitizers too. */

enum { SUB = 256 };

float pc_double_to_float(double v)
{
    const double overflow = 340282356779733661637539395458142568448.0; /* 2^128 - 2^103 */
    if (v >= overflow)
        return INFINITY;
    if (v <= -overflow)
        return -INFINITY;
    if (v > FLT_MAX)
        return FLT_MAX;
    if (v < -FLT_MAX)
        return -FLT_MAX;
    return (float)v; /* in range (or NaN): rounds to nearest */
}

/* Phase 2: f[i] < 0 means "outside the range"; otherwise f is NumPy's
 * f_indices and v[i] the value (exactly widened). Writes the bin of every
 * element to idx (bins itself for the ignored ones: a trash counter) and
 * returns false on a NumPy failure (f NaN or past the edges: NumPy's
 * IndexError; a negative bin: NumPy's bincount ValueError). Branchy on
 * purpose: the corrections are rare and predicted, and a branch-free version
 * measured 1.7x slower (it always pays both edge loads). */
static inline __attribute__((always_inline)) bool
resolve(const pc_hist_spec *s, const double *f, const double *v, size_t len, size_t *idx_out)
{
    const size_t bins = s->bins;
    const double limit = (double)bins + 1.0; /* int(f) <= bins: edges[] has bins + 1 */
    const double *edges = s->edges;
    for (size_t i = 0; i < len; i++) {
        double q = f[i];
        if (q < 0) {
            idx_out[i] = bins;
            continue;
        }
        if (PC_UNLIKELY(!(q < limit)))
            return false;
        size_t idx = (size_t)q;
        if (idx == bins)
            idx--;
        if (v[i] < edges[idx]) {
            if (PC_UNLIKELY(idx == 0))
                return false;
            idx--;
        } else if (idx != bins - 1 && v[i] >= edges[idx + 1]) {
            idx++;
        }
        idx_out[i] = idx;
    }
    return true;
}

/* Phase 1 over float64 values (float64 data, or integers converted). */
static inline __attribute__((always_inline)) void scale_f64(const pc_hist_spec *s,
                                                            const double *restrict x, size_t len,
                                                            double *restrict f, double *restrict v)
{
    const double lo = s->lo, hi = s->hi, denom = s->denom, nb = (double)s->bins;
    for (size_t i = 0; i < len; i++) {
        double a = x[i];
        f[i] = ((a - lo) / denom) * nb;
        v[i] = a;
    }
    for (size_t i = 0; i < len; i++) {
        double a = v[i];
        f[i] = ((a >= lo) & (a <= hi)) ? f[i] : -1.0;
    }
}

/* float32 data, explicit range: x - first_edge in float32, then float64. */
static inline __attribute__((always_inline)) void scale_f32_range(const pc_hist_spec *s,
                                                                  const float *restrict x,
                                                                  size_t len, double *restrict f,
                                                                  double *restrict v)
{
    const float lo = (float)s->lo, hi = (float)s->hi; /* exact: float32 values */
    const double denom = s->denom, nb = (double)s->bins;
    for (size_t i = 0; i < len; i++) {
        float a = x[i];
        float d = a - lo;
        f[i] = ((double)d / denom) * nb;
        v[i] = a;
    }
    for (size_t i = 0; i < len; i++) {
        float a = (float)v[i]; /* exact */
        f[i] = ((a >= lo) & (a <= hi)) ? f[i] : -1.0;
    }
}

/* float32 data, range from the data: all float32. */
static inline __attribute__((always_inline)) void scale_f32_auto(const pc_hist_spec *s,
                                                                 const float *restrict x,
                                                                 size_t len, double *restrict f,
                                                                 double *restrict v)
{
    const float lo = (float)s->lo, hi = (float)s->hi, denom = (float)s->denom;
    const float nb = pc_double_to_float((double)s->bins);
    for (size_t i = 0; i < len; i++) {
        float a = x[i];
        f[i] = (double)(((a - lo) / denom) * nb);
        v[i] = a;
    }
    for (size_t i = 0; i < len; i++) {
        float a = (float)v[i]; /* exact */
        f[i] = ((a >= lo) & (a <= hi)) ? f[i] : -1.0;
    }
}

#define CONVERT_CASE(DT, T)                                                                        \
    case DT:                                                                                       \
        for (size_t i = 0; i < len; i++)                                                           \
            buf[i] = (double)((const T *)x)[b + i];                                                \
        break;

/* Bins of one block of len <= SUB elements starting at element b, written
 * to idx (bins = not counted), by NumPy's exact arithmetic; false on a
 * NumPy failure. */
static inline __attribute__((always_inline)) bool exact_block(const pc_hist_spec *s, const void *x,
                                                              size_t b, size_t len, size_t *idx)
{
    double f[SUB], v[SUB], buf[SUB];
    switch (s->dtype) {
    case PARCHUNK_FLOAT64: scale_f64(s, (const double *)x + b, len, f, v); break;
    case PARCHUNK_FLOAT32:
        if (s->div_f32)
            scale_f32_auto(s, (const float *)x + b, len, f, v);
        else
            scale_f32_range(s, (const float *)x + b, len, f, v);
        break;
    default:
        switch (s->dtype) {
            CONVERT_CASE(PARCHUNK_INT8, int8_t)
            CONVERT_CASE(PARCHUNK_UINT8, uint8_t)
            CONVERT_CASE(PARCHUNK_INT16, int16_t)
            CONVERT_CASE(PARCHUNK_UINT16, uint16_t)
            CONVERT_CASE(PARCHUNK_INT32, int32_t)
            CONVERT_CASE(PARCHUNK_UINT32, uint32_t)
            CONVERT_CASE(PARCHUNK_INT64, int64_t)
            CONVERT_CASE(PARCHUNK_UINT64, uint64_t)
        default: return false;
        }
        scale_f64(s, buf, len, f, v);
    }
    return resolve(s, f, v, len, idx);
}

/*
 * The fast path. NumPy's answer is the bin b* of x by the edges
 * (edges[b*] <= x < edges[b*+1], last bin closed) whenever its truncated
 * estimate f is within one bin of b*, because its correction step moves by
 * one. The same holds for any other estimate: so when an estimate
 * t = (x - lo) * (bins / (hi - lo)) lies provably inside a bin (its fraction
 * farther than delta from 0 and 1, delta bounding the error of t AND of the
 * edges, in units of bins), trunc(t) IS NumPy's answer, without a division
 * and without touching the edges. The rest (values near an edge, or exactly
 * on one, and x == hi) take the exact path element by element.
 *
 * Error bound (u = unit roundoff of the edge type: 2^-53, or 2^-24 for
 * float32 data; M = max(|lo|, |hi|), W = hi - lo): every edge is within
 * (3W + 2M)u of lo + i*W/bins (linspace: step = (W)/bins rounded twice, one
 * product and one sum, then the float32 cast), i.e. within
 * 5u*bins*(1 + M/W) bins; t is within 5u*bins (x - lo, the product, bins/W
 * in double) plus, for float32, the difference between lo as a float32 and
 * as a double. delta = 16u*bins*(1 + M/W) covers both with room; the fast
 * path is used only when delta < 1/4 and bins < 2^31 (int32 lanes).
 */
void pc_hist_prepare_fast(pc_hist_spec *s)
{
    double u = s->dtype == PARCHUNK_FLOAT32 ? 0x1p-24 : 0x1p-53;
    double w = s->hi - s->lo, m = fmax(fabs(s->lo), fabs(s->hi)), nb = (double)s->bins;
    s->fast = false;
    s->inv = 0.0;
    s->delta = 1.0;
    if (!(w > 0.0) || !isfinite(w) || s->bins >= ((size_t)1 << 31))
        return;
    /* the bound assumes relative rounding errors: keep the bin width far
     * from the subnormal range (else absolute errors dominate) */
    if (w / nb < (s->dtype == PARCHUNK_FLOAT32 ? 0x1p-100 : 0x1p-968))
        return;
    double delta = 16.0 * u * nb * (1.0 + m / w);
    if (!(delta < 0.25))
        return;
    s->inv = nb / w;
    s->delta = delta;
    s->fast = isfinite(s->inv);
}

/* Fast estimates of one block: code = bin, -1 (needs the exact path) or
 * bins (outside the range). Branch-free so that it vectorises. Returns the
 * OR of the codes: negative iff some element needs the exact path. */
#define DEFINE_FAST(NAME, T)                                                                       \
    static inline __attribute__((always_inline)) int32_t NAME(                                     \
        const pc_hist_spec *s, const T *restrict x, size_t len, int32_t *restrict code)            \
    {                                                                                              \
        int32_t any = 0;                                                                           \
        const T lo_t = (T)s->lo, hi_t = (T)s->hi; /* exact: values of T */                         \
        const double lo = s->lo, inv = s->inv, nb = (double)s->bins;                               \
        const double d0 = s->delta, d1 = 1.0 - s->delta;                                           \
        const int32_t trash = (int32_t)s->bins;                                                    \
        for (size_t i = 0; i < len; i++) {                                                         \
            T a = x[i];                                                                            \
            double t = ((double)a - lo) * inv;                                                     \
            t = t > 0.0 ? t : 0.0; /* also NaN -> 0: keeps the conversion defined */               \
            t = t < nb ? t : nb;                                                                   \
            int32_t k = (int32_t)t;                                                                \
            double frac = t - (double)k;                                                           \
            int32_t keep = -(int32_t)((a >= lo_t) & (a <= hi_t)); /* masks: 0 or -1 */             \
            int32_t safe = -(int32_t)((frac > d0) & (frac < d1));                                  \
            int32_t c = (((k & safe) | ~safe) & keep) | (trash & ~keep);                           \
            code[i] = c;                                                                           \
            any |= c;                                                                              \
        }                                                                                          \
        return any;                                                                                \
    }
DEFINE_FAST(fast_f64, double)
DEFINE_FAST(fast_f32, float)

#if defined(__x86_64__) && defined(__GNUC__) && !defined(PC_BASELINE_ONLY)
#include <immintrin.h>
#define PC_HIST_AVX2 1

/* fast_f64 with AVX2 intrinsics, the same codes lane for lane: the masks
 * stay doubles until one conversion of the final code (GCC's version of
 * fast_f64 narrows every mask to int32 lanes: twice the instructions). For
 * keep lanes t >= 0, so truncation is round-toward-zero; other lanes are
 * replaced by the trash code before the conversion. */
__attribute__((target("avx2"))) static int32_t
fast_f64_avx2(const pc_hist_spec *s, const double *restrict x, size_t len, int32_t *restrict code)
{
    const __m256d lo = _mm256_set1_pd(s->lo), hi = _mm256_set1_pd(s->hi);
    const __m256d inv = _mm256_set1_pd(s->inv), d0 = _mm256_set1_pd(s->delta);
    const __m256d d1 = _mm256_set1_pd(1.0 - s->delta), undecided = _mm256_set1_pd(-1.0);
    const __m256d trash = _mm256_set1_pd((double)s->bins);
    __m256d any = _mm256_setzero_pd();
    size_t i = 0;
    for (; i + 4 <= len; i += 4) {
        __m256d a = _mm256_loadu_pd(x + i);
        __m256d t = _mm256_mul_pd(_mm256_sub_pd(a, lo), inv);
        __m256d k = _mm256_round_pd(t, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
        __m256d frac = _mm256_sub_pd(t, k);
        __m256d safe =
            _mm256_and_pd(_mm256_cmp_pd(frac, d0, _CMP_GT_OQ), _mm256_cmp_pd(frac, d1, _CMP_LT_OQ));
        __m256d keep =
            _mm256_and_pd(_mm256_cmp_pd(a, lo, _CMP_GE_OQ), _mm256_cmp_pd(a, hi, _CMP_LE_OQ));
        __m256d c = _mm256_blendv_pd(trash, _mm256_blendv_pd(undecided, k, safe), keep);
        any = _mm256_or_pd(any, _mm256_andnot_pd(safe, keep));
        _mm_storeu_si128((__m128i *)(code + i), _mm256_cvttpd_epi32(c));
    }
    int32_t tail = i < len ? fast_f64(s, x + i, len - i, code + i) : 0;
    return _mm256_movemask_pd(any) != 0 ? -1 : tail;
}

/* fast_f64_avx2 when every value is known to lie in [lo, hi] (the range
 * came from the data): no range test. t is clamped to [0, bins] as in
 * fast_f64 (NaN -> 0), so a value outside after all still lands on an
 * undecided code and the exact path; safe means t farther than delta from
 * the nearest integer, i.e. its fraction inside (delta, 1 - delta). */
__attribute__((target("avx2"))) static int32_t fast_f64_in_avx2(const pc_hist_spec *s,
                                                                const double *restrict x,
                                                                size_t len, int32_t *restrict code)
{
    const __m256d lo = _mm256_set1_pd(s->lo), inv = _mm256_set1_pd(s->inv);
    const __m256d d0 = _mm256_set1_pd(s->delta), undecided = _mm256_set1_pd(-1.0);
    const __m256d nb = _mm256_set1_pd((double)s->bins), zero = _mm256_setzero_pd();
    const __m256d sign = _mm256_set1_pd(-0.0);
    __m256d any = _mm256_setzero_pd();
    size_t i = 0;
#define IN_STEP(OFF)                                                                               \
    do {                                                                                           \
        __m256d t = _mm256_mul_pd(_mm256_sub_pd(_mm256_loadu_pd(x + i + (OFF)), lo), inv);         \
        t = _mm256_min_pd(_mm256_max_pd(t, zero), nb); /* max(NaN, 0) = 0 */                       \
        __m256d dist = _mm256_andnot_pd(                                                           \
            sign,                                                                                  \
            _mm256_sub_pd(t, _mm256_round_pd(t, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)));  \
        __m256d unsafe = _mm256_cmp_pd(dist, d0, _CMP_LE_OQ);                                      \
        any = _mm256_or_pd(any, unsafe);                                                           \
        _mm_storeu_si128((__m128i *)(code + i + (OFF)),                                            \
                         _mm256_cvttpd_epi32(_mm256_blendv_pd(t, undecided, unsafe)));             \
    } while (0)
    for (; i + 8 <= len; i += 8) {
        IN_STEP(0);
        IN_STEP(4);
    }
    for (; i + 4 <= len; i += 4)
        IN_STEP(0);
#undef IN_STEP
    int32_t tail = i < len ? fast_f64(s, x + i, len - i, code + i) : 0;
    return _mm256_movemask_pd(any) != 0 ? -1 : tail;
}

#if !defined(PC_HIST_NO_AVX512)
#define PC_HIST_AVX512 1
/* fast_f64_in_avx2 with AVX-512F: eight lanes, the unsafe lanes as a mask
 * (in cache 10-15% faster than AVX2 on Zen 5). PC_HIST_NO_AVX512: off, for
 * the test that checks the AVX2 kernels on AVX-512 machines. */
__attribute__((target("avx512f"))) static int32_t fast_f64_in_avx512(const pc_hist_spec *s,
                                                                     const double *restrict x,
                                                                     size_t len,
                                                                     int32_t *restrict code)
{
    const __m512d lo = _mm512_set1_pd(s->lo), inv = _mm512_set1_pd(s->inv);
    const __m512d d0 = _mm512_set1_pd(s->delta), undecided = _mm512_set1_pd(-1.0);
    const __m512d nb = _mm512_set1_pd((double)s->bins), zero = _mm512_setzero_pd();
    __mmask8 any = 0;
    size_t i = 0;
#define IN_STEP(OFF)                                                                               \
    do {                                                                                           \
        __m512d t = _mm512_mul_pd(_mm512_sub_pd(_mm512_loadu_pd(x + i + (OFF)), lo), inv);         \
        t = _mm512_min_pd(_mm512_max_pd(t, zero), nb); /* max(NaN, 0) = 0 */                       \
        __m512d r = _mm512_roundscale_pd(t, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);        \
        __mmask8 unsafe = _mm512_cmp_pd_mask(_mm512_abs_pd(_mm512_sub_pd(t, r)), d0, _CMP_LE_OQ);  \
        any |= unsafe;                                                                             \
        _mm256_storeu_si256((__m256i *)(code + i + (OFF)),                                         \
                            _mm512_cvttpd_epi32(_mm512_mask_mov_pd(t, unsafe, undecided)));        \
    } while (0)
    for (; i + 16 <= len; i += 16) {
        IN_STEP(0);
        IN_STEP(8);
    }
    for (; i + 8 <= len; i += 8)
        IN_STEP(0);
#undef IN_STEP
    int32_t tail = i < len ? fast_f64(s, x + i, len - i, code + i) : 0;
    return any != 0 ? -1 : tail;
}

/* fast_f64_avx2 (with the range test) with AVX-512F; t clamped as in
 * fast_f64, safe as in fast_f64_in_avx512. */
__attribute__((target("avx512f"))) static int32_t
fast_f64_avx512(const pc_hist_spec *s, const double *restrict x, size_t len, int32_t *restrict code)
{
    const __m512d lo = _mm512_set1_pd(s->lo), hi = _mm512_set1_pd(s->hi);
    const __m512d inv = _mm512_set1_pd(s->inv), d0 = _mm512_set1_pd(s->delta);
    const __m512d undecided = _mm512_set1_pd(-1.0), nb = _mm512_set1_pd((double)s->bins);
    const __m512d zero = _mm512_setzero_pd();
    __mmask8 any = 0;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        __m512d a = _mm512_loadu_pd(x + i);
        __m512d t = _mm512_mul_pd(_mm512_sub_pd(a, lo), inv);
        t = _mm512_min_pd(_mm512_max_pd(t, zero), nb); /* max(NaN, 0) = 0 */
        __m512d r = _mm512_roundscale_pd(t, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        __mmask8 unsafe = _mm512_cmp_pd_mask(_mm512_abs_pd(_mm512_sub_pd(t, r)), d0, _CMP_LE_OQ);
        __mmask8 keep =
            _mm512_mask_cmp_pd_mask(_mm512_cmp_pd_mask(a, lo, _CMP_GE_OQ), a, hi, _CMP_LE_OQ);
        any |= unsafe & keep;
        __m512d c = _mm512_mask_mov_pd(nb, keep, _mm512_mask_mov_pd(t, unsafe, undecided));
        _mm256_storeu_si256((__m256i *)(code + i), _mm512_cvttpd_epi32(c));
    }
    int32_t tail = i < len ? fast_f64(s, x + i, len - i, code + i) : 0;
    return any != 0 ? -1 : tail;
}
#endif
#endif

/* Fast codes of n float64 values (see DEFINE_FAST) by the widest kernel the
 * CPU has; negative iff some code is -1. */
static inline __attribute__((always_inline)) int32_t
fast_f64_best(const pc_hist_spec *s, const double *x, size_t len, int32_t *code)
{
#if defined(PC_HIST_AVX2)
#if defined(PC_HIST_AVX512)
    if (__builtin_cpu_supports("avx512f"))
        return s->all_in ? fast_f64_in_avx512(s, x, len, code) : fast_f64_avx512(s, x, len, code);
#endif
    if (__builtin_cpu_supports("avx2"))
        return s->all_in ? fast_f64_in_avx2(s, x, len, code) : fast_f64_avx2(s, x, len, code);
#endif
    return fast_f64(s, x, len, code);
}

/* Fast codes of one block (see DEFINE_FAST): 1 when some code is -1, else
 * 0; -1 for an unknown dtype. */
PC_CLONE_AVX2 static int fast_codes(const pc_hist_spec *s, const void *x, size_t b, size_t len,
                                    int32_t *code)
{
    double buf[SUB];
    switch (s->dtype) {
    case PARCHUNK_FLOAT64: return fast_f64_best(s, (const double *)x + b, len, code) < 0;
    case PARCHUNK_FLOAT32:
#if defined(PC_HIST_AVX2)
        /* widened exactly, the float64 kernels give fast_f32's codes: the
         * range test and t are computed in double there too */
        if (__builtin_cpu_supports("avx2")) {
            for (size_t i = 0; i < len; i++)
                buf[i] = ((const float *)x)[b + i];
            return fast_f64_best(s, buf, len, code) < 0;
        }
#endif
        return fast_f32(s, (const float *)x + b, len, code) < 0;
    default:
        switch (s->dtype) {
            CONVERT_CASE(PARCHUNK_INT8, int8_t)
            CONVERT_CASE(PARCHUNK_UINT8, uint8_t)
            CONVERT_CASE(PARCHUNK_INT16, int16_t)
            CONVERT_CASE(PARCHUNK_UINT16, uint16_t)
            CONVERT_CASE(PARCHUNK_INT32, int32_t)
            CONVERT_CASE(PARCHUNK_UINT32, uint32_t)
            CONVERT_CASE(PARCHUNK_INT64, int64_t)
            CONVERT_CASE(PARCHUNK_UINT64, uint64_t)
        default: return -1;
        }
        return fast_f64_best(s, buf, len, code) < 0;
    }
}

/* Exact bins of one block; see exact_block. */
PC_CLONE_AVX2 static bool exact_bins(const pc_hist_spec *s, const void *x, size_t b, size_t len,
                                     size_t *idx)
{
    return exact_block(s, x, b, len, idx);
}

/*
 * Up to SMALL_BINS bins are counted in WAYS interleaved uint32 arrays on the
 * stack (element j of a block goes to array j % WAYS): an increment waits
 * for the previous one to the same counter, and neighbouring elements often
 * share a bin. They are added to counts every FLUSH elements, long before a
 * uint32 could overflow; index `bins` is a trash counter for ignored values.
 * More bins: straight into counts (neighbours rarely collide).
 */
enum { SMALL_BINS = 512, WAYS = 4, FLUSH = 1 << 30 };

/* Replaces the -1 codes of a block (fast path undecided) by exact bins;
 * false on a NumPy failure. */
static bool settle_codes(const pc_hist_spec *s, const void *x, size_t b, size_t len, int32_t *code)
{
    for (size_t j = 0; j < len; j++)
        if (PC_UNLIKELY(code[j] < 0)) {
            size_t k;
            if (!exact_bins(s, x, b + j, 1, &k))
                return false;
            code[j] = (int32_t)k; /* fast path: bins < 2^31 */
        }
    return true;
}

/* local[.][code[j]]++ for j < len (codes in [0, bins]): the codes are read
 * two at a time as 64-bit words (fewer loads: 1.5 per element instead of
 * 2, measured 0.38 -> 0.22 ns/element), each half to its own way. Which
 * half is which code depends on the byte order, which does not matter. */
static inline __attribute__((always_inline)) void count_codes(uint32_t local[WAYS][SMALL_BINS + 1],
                                                              const int32_t *code, size_t len)
{
    size_t j = 0;
    for (; j + 4 <= len; j += 4) {
        uint64_t p, q;
        memcpy(&p, code + j, sizeof p);
        memcpy(&q, code + j + 2, sizeof q);
        local[0][(uint32_t)p]++;
        local[1][p >> 32]++;
        local[2][(uint32_t)q]++;
        local[3][q >> 32]++;
    }
    for (; j < len; j++)
        local[0][code[j]]++;
}

parchunk_status pc_hist_count(const pc_hist_spec *s, const void *x, size_t n, int64_t *counts)
{
    const size_t bins = s->bins;
    size_t idx[SUB];
    int32_t code[SUB];
    if (bins > SMALL_BINS) {
        for (size_t b = 0; b < n; b += SUB) {
            size_t len = n - b < SUB ? n - b : SUB;
            if (s->fast) {
                int undecided = fast_codes(s, x, b, len, code);
                if (undecided < 0)
                    return PARCHUNK_ERR_DTYPE;
                if (undecided && !settle_codes(s, x, b, len, code))
                    return PARCHUNK_ERR_DOMAIN;
                for (size_t j = 0; j < len; j++)
                    if ((size_t)code[j] < bins)
                        counts[code[j]]++;
            } else {
                if (!exact_bins(s, x, b, len, idx))
                    return PARCHUNK_ERR_DOMAIN;
                for (size_t j = 0; j < len; j++)
                    if (idx[j] < bins)
                        counts[idx[j]]++;
            }
        }
        return PARCHUNK_OK;
    }
    uint32_t local[WAYS][SMALL_BINS + 1];
    for (size_t start = 0; start < n; start += FLUSH) {
        size_t end = n - start < FLUSH ? n : start + FLUSH;
        for (size_t w = 0; w < WAYS; w++)
            memset(local[w], 0, (bins + 1) * sizeof(uint32_t));
        for (size_t b = start; b < end; b += SUB) {
            size_t len = end - b < SUB ? end - b : SUB;
            size_t j = 0;
            if (s->fast) {
                int undecided = fast_codes(s, x, b, len, code);
                if (undecided < 0)
                    return PARCHUNK_ERR_DTYPE;
                if (undecided && !settle_codes(s, x, b, len, code))
                    return PARCHUNK_ERR_DOMAIN;
                count_codes(local, code, len);
            } else {
                if (!exact_bins(s, x, b, len, idx))
                    return PARCHUNK_ERR_DOMAIN;
                for (; j + WAYS <= len; j += WAYS)
                    for (size_t w = 0; w < WAYS; w++)
                        local[w][idx[j + w]]++;
                for (; j < len; j++)
                    local[0][idx[j]]++;
            }
        }
        for (size_t w = 0; w < WAYS; w++)
            for (size_t k = 0; k < bins; k++)
                counts[k] += local[w][k];
    }
    return PARCHUNK_OK;
}

void pc_linspace_f64(double start, double stop, size_t num, double *y)
{
    size_t div = num - 1;
    double delta = stop - start;
    double step = delta / (double)div;
    for (size_t i = 0; i < num; i++) {
        double t = (double)i;
        if (step == 0)
            t = (t / (double)div) * delta; /* numpy's path for denormal steps */
        else
            t = t * step;
        y[i] = t + start;
    }
    y[num - 1] = stop;
}

void pc_linspace_f32(float start, float stop, size_t num, double *y)
{
    size_t div = num - 1;
    float delta = stop - start;
    float fdiv = pc_double_to_float((double)div);
    float step = delta / fdiv;
    for (size_t i = 0; i < num; i++) {
        float t = pc_double_to_float((double)i); /* np.arange(float32): i rounded */
        if (step == 0)
            t = (t / fdiv) * delta;
        else
            t = t * step;
        y[i] = (double)(float)(t + start);
    }
    y[num - 1] = stop;
}
