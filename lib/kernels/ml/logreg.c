/*
 * logreg.c - the row loops of logistic regression, one body per dtype and
 * instruction set.
 *
 * The order of operations, which every variant follows exactly (so all of
 * them give the same bits; no FMA and no reassociation: ISO C mode does not
 * contract):
 *
 *  - a row's dot product z = X[i] . w runs in four lanes: lane k sums the
 *    products of the columns j = k mod 4 in increasing j, a lane's first
 *    term being its product in the first group of four columns; columns
 *    past d in the last group contribute +0.0 (so a lane may add 0.0 once:
 *    the vector form's masked lanes). z = (s0 + s1) + (s2 + s3).
 *  - coef = (1 / (1 + exp(-y * z)) - 1) * y, exp being pc_vexp (vexp.h),
 *    NaN for a label other than -1 / +1 (the caller then finds the row).
 *  - grad[j] += coef * X[i][j], over the rows in order, for each column.
 *
 * The portable body works on blocks of rows (a fixed-length exp loop that
 * the compiler vectorises); the AVX2 body is written with intrinsics: four
 * rows' dot products at once (one 4 x 4 transpose-and-add for their lane
 * sums), one vector exp for the four, the gradient four columns per
 * register over a block of rows. Its last rows (fewer than four) go through
 * the scalar row code, which computes exactly what a vector lane does.
 */
#include "logreg.h"

#include "vexp.h"

enum { LOGREG_BLOCK = 8 };

/* Scalar: the lane sums of one row. */
#define DEFINE_LOGREG_ROW(SUFFIX, T, ATTR)                                                         \
    ATTR static inline double row_dot_##SUFFIX(const T *xr, size_t d, const double *w)             \
    {                                                                                              \
        double s[4];                                                                               \
        for (size_t k = 0; k < 4; k++)                                                             \
            s[k] = k < d ? (double)xr[k] * w[k] : 0.0;                                             \
        for (size_t j = 4; j < d; j += 4)                                                          \
            for (size_t k = 0; k < 4; k++)                                                         \
                s[k] += j + k < d ? (double)xr[j + k] * w[j + k] : 0.0;                            \
        return (s[0] + s[1]) + (s[2] + s[3]);                                                      \
    }

/* Portable: blocks of LOGREG_BLOCK rows. */
#define DEFINE_LOGREG(SUFFIX, T, ATTR)                                                             \
    DEFINE_LOGREG_ROW(SUFFIX, T, ATTR)                                                             \
                                                                                                   \
    /* grad[j] += sum over the block's rows, in row order, of coef[r] * X[r][j];                   \
     * four columns at a time, each column's sum kept in a register. */                            \
    ATTR static inline void block_axpy_##SUFFIX(const T *xb, size_t nb, size_t d,                  \
                                                const double *coef, double *restrict grad)         \
    {                                                                                              \
        size_t j = 0;                                                                              \
        for (; j + 4 <= d; j += 4) {                                                               \
            double g0 = grad[j], g1 = grad[j + 1], g2 = grad[j + 2], g3 = grad[j + 3];             \
            for (size_t r = 0; r < nb; r++) {                                                      \
                const T *xr = xb + r * d + j;                                                      \
                double c = coef[r];                                                                \
                g0 += c * (double)xr[0];                                                           \
                g1 += c * (double)xr[1];                                                           \
                g2 += c * (double)xr[2];                                                           \
                g3 += c * (double)xr[3];                                                           \
            }                                                                                      \
            grad[j] = g0;                                                                          \
            grad[j + 1] = g1;                                                                      \
            grad[j + 2] = g2;                                                                      \
            grad[j + 3] = g3;                                                                      \
        }                                                                                          \
        for (; j < d; j++) {                                                                       \
            double g = grad[j];                                                                    \
            for (size_t r = 0; r < nb; r++)                                                        \
                g += coef[r] * (double)xb[r * d + j];                                              \
            grad[j] = g;                                                                           \
        }                                                                                          \
    }                                                                                              \
                                                                                                   \
    ATTR static void gradient_##SUFFIX(const T *x, const T *y, size_t rows, size_t d,              \
                                       const double *w, double *restrict grad)                     \
    {                                                                                              \
        pc_vexp_bounds bounds = pc_vexp_bounds_get();                                              \
        double z[LOGREG_BLOCK], label[LOGREG_BLOCK], coef[LOGREG_BLOCK];                           \
        for (size_t i = 0; i < rows; i += LOGREG_BLOCK) {                                          \
            size_t nb = rows - i < LOGREG_BLOCK ? rows - i : LOGREG_BLOCK;                         \
            const T *xb = x + i * d;                                                               \
            int bad = 0;                                                                           \
            for (size_t r = 0; r < LOGREG_BLOCK; r++) {                                            \
                z[r] = r < nb ? row_dot_##SUFFIX(xb + r * d, d, w) : 0.0;                          \
                label[r] = r < nb ? (double)y[i + r] : 1.0;                                        \
                bad |= label[r] != 1.0 && label[r] != -1.0;                                        \
            }                                                                                      \
            for (size_t r = 0; r < LOGREG_BLOCK; r++) {                                            \
                double s = 1.0 / (1.0 + pc_vexp(-label[r] * z[r], bounds));                        \
                coef[r] = (s - 1.0) * label[r];                                                    \
            }                                                                                      \
            if (PC_UNLIKELY(bad)) /* poison: the caller finds the row */                           \
                for (size_t r = 0; r < nb; r++)                                                    \
                    if (label[r] != 1.0 && label[r] != -1.0)                                       \
                        coef[r] = NAN;                                                             \
            block_axpy_##SUFFIX(xb, nb, d, coef, grad);                                            \
        }                                                                                          \
    }                                                                                              \
                                                                                                   \
    ATTR static void proba_##SUFFIX(const T *x, size_t rows, size_t d, const double *w,            \
                                    double *out)                                                   \
    {                                                                                              \
        pc_vexp_bounds bounds = pc_vexp_bounds_get();                                              \
        double z[LOGREG_BLOCK], p[LOGREG_BLOCK];                                                   \
        for (size_t i = 0; i < rows; i += LOGREG_BLOCK) {                                          \
            size_t nb = rows - i < LOGREG_BLOCK ? rows - i : LOGREG_BLOCK;                         \
            for (size_t r = 0; r < LOGREG_BLOCK; r++)                                              \
                z[r] = r < nb ? row_dot_##SUFFIX(x + (i + r) * d, d, w) : 0.0;                     \
            for (size_t r = 0; r < LOGREG_BLOCK; r++)                                              \
                p[r] = 1.0 / (1.0 + pc_vexp(-z[r], bounds));                                       \
            for (size_t r = 0; r < nb; r++)                                                        \
                out[i + r] = p[r];                                                                 \
        }                                                                                          \
    }

DEFINE_LOGREG(f32, float, )
DEFINE_LOGREG(f64, double, )

void pc_logreg_gradient(const void *x, const void *y, size_t rows, size_t d, parchunk_dtype dtype,
                        const double *w, double *grad)
{
    if (dtype == PARCHUNK_FLOAT32)
        gradient_f32(x, y, rows, d, w, grad);
    else
        gradient_f64(x, y, rows, d, w, grad);
}

void pc_logreg_proba(const void *x, size_t rows, size_t d, parchunk_dtype dtype, const double *w,
                     double *out)
{
    if (dtype == PARCHUNK_FLOAT32)
        proba_f32(x, rows, d, w, out);
    else
        proba_f64(x, rows, d, w, out);
}

#if PC_LOGREG_HAVE_AVX2
#include <immintrin.h>

#define AVX2_ATTR __attribute__((target("avx2")))
#define AVX2_INLINE __attribute__((target("avx2"), always_inline)) static inline

DEFINE_LOGREG_ROW(f32_avx2, float, AVX2_ATTR)
DEFINE_LOGREG_ROW(f64_avx2, double, AVX2_ATTR)

/* The coefficient of one row, as one lane of coef_quads() computes it. */
AVX2_ATTR static inline double row_coef(double z, double label, pc_vexp_bounds bounds)
{
    double s = 1.0 / (1.0 + pc_vexp(-label * z, bounds));
    double coef = (s - 1.0) * label;
    return label != 1.0 && label != -1.0 ? NAN : coef; /* poison */
}

/* 2^k per lane, as pc_exp2_int. */
AVX2_INLINE __m256d exp2_int4(__m256d k)
{
    const __m256d shifter = _mm256_set1_pd(PC_VEXP_SHIFTER);
    __m256i bits = _mm256_sub_epi64(_mm256_castpd_si256(_mm256_add_pd(k, shifter)),
                                    _mm256_castpd_si256(shifter));
    bits = _mm256_slli_epi64(_mm256_add_epi64(bits, _mm256_set1_epi64x(1023)), 52);
    return _mm256_castsi256_pd(bits);
}

/* pc_vexp on LOGREG_QUADS vectors of four lanes: the same operations in
 * the same order. The vectors go in lock-step: one exp is a chain of ~25
 * dependent operations, and the out-of-order window does not reach far
 * enough ahead by itself to overlap the exps of many rows. */
enum { LOGREG_QUADS = 8 }; /* measured: 8 beats 4 (in-cache d = 10: ~2.7 vs ~3.5 ns/row) */

AVX2_INLINE void vexp_quads(__m256d x[LOGREG_QUADS], __m256d hi, __m256d lo)
{
    const __m256d shifter = _mm256_set1_pd(PC_VEXP_SHIFTER);
    __m256d r[LOGREG_QUADS], k[LOGREG_QUADS], p[LOGREG_QUADS];
    for (int q = 0; q < LOGREG_QUADS; q++) {
        /* minpd(a, b) is "a < b ? a : b", maxpd(a, b) "a > b ? a : b": with
         * a NaN x both return x, as the scalar comparisons do. */
        __m256d xc = _mm256_max_pd(lo, _mm256_min_pd(hi, x[q]));
        k[q] = _mm256_sub_pd(
            _mm256_add_pd(_mm256_mul_pd(xc, _mm256_set1_pd(PC_VEXP_LOG2E)), shifter), shifter);
        r[q] = _mm256_sub_pd(_mm256_sub_pd(xc, _mm256_mul_pd(k[q], _mm256_set1_pd(PC_VEXP_LN2_HI))),
                             _mm256_mul_pd(k[q], _mm256_set1_pd(PC_VEXP_LN2_LO)));
    }
#define TERM(i) _mm256_set1_pd(pc_vexp_taylor[i])
#define MUL_ADD(a, b, c) _mm256_add_pd(_mm256_mul_pd((a), (b)), (c)) /* two roundings */
    for (int q = 0; q < LOGREG_QUADS; q++) {
        __m256d r2 = _mm256_mul_pd(r[q], r[q]);
        __m256d r4 = _mm256_mul_pd(r2, r2);
        __m256d r8 = _mm256_mul_pd(r4, r4);
        __m256d a0 = MUL_ADD(TERM(5), r[q], TERM(4));
        __m256d a1 = MUL_ADD(TERM(7), r[q], TERM(6));
        __m256d a2 = MUL_ADD(TERM(9), r[q], TERM(8));
        __m256d a3 = MUL_ADD(TERM(11), r[q], TERM(10));
        __m256d a4 = MUL_ADD(TERM(13), r[q], TERM(12));
        __m256d t = _mm256_add_pd(
            _mm256_add_pd(MUL_ADD(a1, r2, a0), _mm256_mul_pd(MUL_ADD(a3, r2, a2), r4)),
            _mm256_mul_pd(a4, r8));
        p[q] = MUL_ADD(t, r[q], TERM(3));
    }
    for (int i = 2; i >= 0; i--)
        for (int q = 0; q < LOGREG_QUADS; q++)
            p[q] = MUL_ADD(p[q], r[q], TERM(i));
#undef MUL_ADD
#undef TERM
    for (int q = 0; q < LOGREG_QUADS; q++) {
        __m256d k1 = _mm256_sub_pd(_mm256_add_pd(_mm256_mul_pd(k[q], _mm256_set1_pd(0.5)), shifter),
                                   shifter);
        __m256d k2 = _mm256_sub_pd(k[q], k1);
        x[q] = _mm256_mul_pd(_mm256_mul_pd(p[q], exp2_int4(k1)), exp2_int4(k2));
    }
}

/* The lane sums of four rows a, b, c, d, as [z_a, z_b, z_c, z_d] with each
 * z = (s0 + s1) + (s2 + s3). */
AVX2_INLINE __m256d lane_sums4(__m256d a, __m256d b, __m256d c, __m256d d)
{
    __m256d ab = _mm256_hadd_pd(a, b); /* a0+a1, b0+b1, a2+a3, b2+b3 */
    __m256d cd = _mm256_hadd_pd(c, d);
    return _mm256_add_pd(_mm256_permute2f128_pd(ab, cd, 0x20),
                         _mm256_permute2f128_pd(ab, cd, 0x31));
}

/* coef of LOGREG_QUADS times four rows (z, label: in; z: out), NaN where
 * the label is not -1 / +1. */
AVX2_INLINE void coef_quads(__m256d z[LOGREG_QUADS], const __m256d label[LOGREG_QUADS], __m256d hi,
                            __m256d lo)
{
    const __m256d one = _mm256_set1_pd(1.0);
    for (int q = 0; q < LOGREG_QUADS; q++)
        z[q] = _mm256_mul_pd(_mm256_xor_pd(label[q], _mm256_set1_pd(-0.0)), z[q]);
    vexp_quads(z, hi, lo);
    for (int q = 0; q < LOGREG_QUADS; q++) {
        __m256d s = _mm256_div_pd(one, _mm256_add_pd(one, z[q]));
        __m256d coef = _mm256_mul_pd(_mm256_sub_pd(s, one), label[q]);
        __m256d ok = _mm256_or_pd(_mm256_cmp_pd(label[q], one, _CMP_EQ_OQ),
                                  _mm256_cmp_pd(label[q], _mm256_set1_pd(-1.0), _CMP_EQ_OQ));
        z[q] = _mm256_blendv_pd(_mm256_set1_pd(NAN), coef, ok);
    }
}

AVX2_INLINE __m256i lanes_below64(size_t count)
{
    return _mm256_cmpgt_epi64(_mm256_set1_epi64x((long long)count), _mm256_setr_epi64x(0, 1, 2, 3));
}

AVX2_INLINE __m128i lanes_below32(size_t count)
{
    return _mm_cmpgt_epi32(_mm_set1_epi32((int)count), _mm_setr_epi32(0, 1, 2, 3));
}

/* Software prefetch LOGREG_PREFETCH_AHEAD bytes past a block of rows, one
 * line at a time: ~10% faster from memory on one thread (measured, 1e6 x 10
 * f64 gradient: ~3.9 -> ~3.5 ns/row; float32, closer to compute-bound,
 * unchanged; the hardware prefetcher alone leaves gaps).
 * Addresses past the end of X are harmless: prefetches never fault. */
enum { LOGREG_PREFETCH_AHEAD = 4096 };

AVX2_INLINE void prefetch_after(const void *block, size_t bytes)
{
    uintptr_t p = (uintptr_t)block + LOGREG_PREFETCH_AHEAD;
    for (size_t o = 0; o < bytes; o += 64)
        _mm_prefetch((const char *)(p + o), _MM_HINT_T0);
}

#define LOAD4_F64(p) _mm256_loadu_pd(p)
#define MASKLOAD4_F64(p, m) _mm256_maskload_pd((p), (m))
#define LOAD4_F32(p) _mm256_cvtps_pd(_mm_loadu_ps(p))
#define MASKLOAD4_F32(p, m) _mm256_cvtps_pd(_mm_maskload_ps((p), (m)))

/*
 * Columns go in groups of four; the last group (starting at column `last`,
 * holding d - last in 1..4 columns) is read with a mask, whose lanes past d
 * read as 0.0. MASKT / LANES_BELOW: the mask type and maker for T.
 */
#define DEFINE_LOGREG_AVX2(SUFFIX, T, MASKT, LANES_BELOW, LOAD4, MASKLOAD4)                        \
    /* z of rows x0, x0 + d, x0 + 2d, x0 + 3d. */                                                  \
    AVX2_INLINE __m256d dot4_##SUFFIX(const T *x0, size_t d, size_t last, const double *w,         \
                                      __m256d w_last, MASKT m_last)                                \
    {                                                                                              \
        const T *x1 = x0 + d, *x2 = x1 + d, *x3 = x2 + d;                                          \
        __m256d a0, a1, a2, a3;                                                                    \
        if (last == 0) {                                                                           \
            a0 = _mm256_mul_pd(MASKLOAD4(x0, m_last), w_last);                                     \
            a1 = _mm256_mul_pd(MASKLOAD4(x1, m_last), w_last);                                     \
            a2 = _mm256_mul_pd(MASKLOAD4(x2, m_last), w_last);                                     \
            a3 = _mm256_mul_pd(MASKLOAD4(x3, m_last), w_last);                                     \
        } else {                                                                                   \
            __m256d wg = _mm256_loadu_pd(w);                                                       \
            a0 = _mm256_mul_pd(LOAD4(x0), wg);                                                     \
            a1 = _mm256_mul_pd(LOAD4(x1), wg);                                                     \
            a2 = _mm256_mul_pd(LOAD4(x2), wg);                                                     \
            a3 = _mm256_mul_pd(LOAD4(x3), wg);                                                     \
            for (size_t j = 4; j < last; j += 4) {                                                 \
                wg = _mm256_loadu_pd(w + j);                                                       \
                a0 = _mm256_add_pd(a0, _mm256_mul_pd(LOAD4(x0 + j), wg));                          \
                a1 = _mm256_add_pd(a1, _mm256_mul_pd(LOAD4(x1 + j), wg));                          \
                a2 = _mm256_add_pd(a2, _mm256_mul_pd(LOAD4(x2 + j), wg));                          \
                a3 = _mm256_add_pd(a3, _mm256_mul_pd(LOAD4(x3 + j), wg));                          \
            }                                                                                      \
            a0 = _mm256_add_pd(a0, _mm256_mul_pd(MASKLOAD4(x0 + last, m_last), w_last));           \
            a1 = _mm256_add_pd(a1, _mm256_mul_pd(MASKLOAD4(x1 + last, m_last), w_last));           \
            a2 = _mm256_add_pd(a2, _mm256_mul_pd(MASKLOAD4(x2 + last, m_last), w_last));           \
            a3 = _mm256_add_pd(a3, _mm256_mul_pd(MASKLOAD4(x3 + last, m_last), w_last));           \
        }                                                                                          \
        return lane_sums4(a0, a1, a2, a3);                                                         \
    }                                                                                              \
                                                                                                   \
    /* grad[j0 .. j0 + 4 * ng) += coef[r] * X[r][...] over the nb rows of xb, in                   \
     * order; ng (1..4, a constant after inlining) groups in registers, the                        \
     * last of them read with mask mx (grad with mg). */                                           \
    AVX2_INLINE void grad_pass_##SUFFIX(const T *xb, size_t nb, size_t d, const double *coef,      \
                                        double *grad, size_t j0, int ng, MASKT mx, __m256i mg)     \
    {                                                                                              \
        __m256d g[4];                                                                              \
        for (int k = 0; k + 1 < ng; k++)                                                           \
            g[k] = _mm256_loadu_pd(grad + j0 + 4 * k);                                             \
        g[ng - 1] = _mm256_maskload_pd(grad + j0 + 4 * (ng - 1), mg);                              \
        for (size_t r = 0; r < nb; r++) {                                                          \
            const T *xr = xb + r * d + j0;                                                         \
            __m256d c = _mm256_broadcast_sd(coef + r);                                             \
            for (int k = 0; k + 1 < ng; k++)                                                       \
                g[k] = _mm256_add_pd(g[k], _mm256_mul_pd(c, LOAD4(xr + 4 * k)));                   \
            g[ng - 1] =                                                                            \
                _mm256_add_pd(g[ng - 1], _mm256_mul_pd(c, MASKLOAD4(xr + 4 * (ng - 1), mx)));      \
        }                                                                                          \
        for (int k = 0; k + 1 < ng; k++)                                                           \
            _mm256_storeu_pd(grad + j0 + 4 * k, g[k]);                                             \
        _mm256_maskstore_pd(grad + j0 + 4 * (ng - 1), mg, g[ng - 1]);                              \
    }                                                                                              \
                                                                                                   \
    AVX2_ATTR static void block_grad_##SUFFIX(const T *xb, size_t nb, size_t d, size_t last,       \
                                              const double *coef, double *grad)                    \
    {                                                                                              \
        for (size_t j0 = 0; j0 < d; j0 += 16) {                                                    \
            size_t end = d - j0 < 16 ? d : j0 + 16;                                                \
            int ng = (int)((end - j0 + 3) / 4);                                                    \
            /* the pass's last group: the matrix's last one, or a full one */                      \
            size_t count = j0 + 4 * (size_t)(ng - 1) == last ? d - last : 4;                       \
            MASKT mx = LANES_BELOW(count);                                                         \
            __m256i mg = lanes_below64(count);                                                     \
            switch (ng) {                                                                          \
            case 1: grad_pass_##SUFFIX(xb, nb, d, coef, grad, j0, 1, mx, mg); break;               \
            case 2: grad_pass_##SUFFIX(xb, nb, d, coef, grad, j0, 2, mx, mg); break;               \
            case 3: grad_pass_##SUFFIX(xb, nb, d, coef, grad, j0, 3, mx, mg); break;               \
            default: grad_pass_##SUFFIX(xb, nb, d, coef, grad, j0, 4, mx, mg); break;              \
            }                                                                                      \
        }                                                                                          \
    }                                                                                              \
                                                                                                   \
    /* coef[0 .. nb) of the nb rows (a multiple of 4, at most                                      \
     * LOGREG_AVX2_BLOCK) at xb, labels yb. */                                                     \
    AVX2_INLINE void block_coefs_##SUFFIX(const T *xb, const T *yb, size_t nb, size_t d,           \
                                          size_t last, const double *w, __m256d w_last,            \
                                          MASKT m_last, __m256d hi, __m256d lo, double *coef)      \
    {                                                                                              \
        for (size_t q0 = 0; q0 < nb; q0 += 4 * LOGREG_QUADS) {                                     \
            __m256d z[LOGREG_QUADS], label[LOGREG_QUADS];                                          \
            for (size_t q = 0; q < LOGREG_QUADS; q++) {                                            \
                size_t r = q0 + 4 * q; /* quads past nb: computed, not used */                     \
                z[q] = r < nb ? dot4_##SUFFIX(xb + r * d, d, last, w, w_last, m_last)              \
                              : _mm256_setzero_pd();                                               \
                label[q] = r < nb ? LOAD4(yb + r) : _mm256_set1_pd(1.0);                           \
            }                                                                                      \
            coef_quads(z, label, hi, lo);                                                          \
            for (size_t q = 0; q < LOGREG_QUADS; q++)                                              \
                _mm256_store_pd(coef + q0 + 4 * q, z[q]);                                          \
        }                                                                                          \
    }                                                                                              \
                                                                                                   \
    /* The last 0..3 rows, each as one vector lane would do it. */                                 \
    AVX2_INLINE void tail_rows_##SUFFIX(const T *x, const T *y, size_t begin, size_t rows,         \
                                        size_t d, const double *w, pc_vexp_bounds bounds,          \
                                        double *grad)                                              \
    {                                                                                              \
        for (size_t i = begin; i < rows; i++) {                                                    \
            const T *xr = x + i * d;                                                               \
            double c = row_coef(row_dot_##SUFFIX(xr, d, w), (double)y[i], bounds);                 \
            for (size_t j = 0; j < d; j++)                                                         \
                grad[j] += c * (double)xr[j];                                                      \
        }                                                                                          \
    }                                                                                              \
                                                                                                   \
    /* d <= 16 (ng = (d + 3) / 4 groups, a constant after inlining): the                           \
     * gradient stays in registers for all the rows. */                                            \
    AVX2_INLINE void gradient_regs_##SUFFIX(const T *x, const T *y, size_t rows, size_t d,         \
                                            const double *w, double *grad, int ng)                 \
    {                                                                                              \
        pc_vexp_bounds bounds = pc_vexp_bounds_get();                                              \
        const __m256d hi = _mm256_set1_pd(bounds.hi), lo = _mm256_set1_pd(bounds.lo);              \
        const size_t last = 4 * (size_t)(ng - 1);                                                  \
        const MASKT m_last = LANES_BELOW(d - last);                                                \
        const __m256i mg = lanes_below64(d - last);                                                \
        const __m256d w_last = _mm256_maskload_pd(w + last, mg);                                   \
        __m256d g[4];                                                                              \
        for (int k = 0; k + 1 < ng; k++)                                                           \
            g[k] = _mm256_loadu_pd(grad + 4 * k);                                                  \
        g[ng - 1] = _mm256_maskload_pd(grad + last, mg);                                           \
        _Alignas(32) double coef[LOGREG_AVX2_BLOCK];                                               \
        size_t i = 0;                                                                              \
        while (rows - i >= 4) {                                                                    \
            size_t quads = (rows - i) / 4 * 4;                                                     \
            size_t nb = quads < LOGREG_AVX2_BLOCK ? quads : LOGREG_AVX2_BLOCK;                     \
            const T *xb = x + i * d;                                                               \
            prefetch_after(xb, nb *d * sizeof(T));                                                 \
            block_coefs_##SUFFIX(xb, y + i, nb, d, last, w, w_last, m_last, hi, lo, coef);         \
            for (size_t r = 0; r < nb; r++) {                                                      \
                const T *xr = xb + r * d;                                                          \
                __m256d c = _mm256_broadcast_sd(coef + r);                                         \
                for (int k = 0; k + 1 < ng; k++)                                                   \
                    g[k] = _mm256_add_pd(g[k], _mm256_mul_pd(c, LOAD4(xr + 4 * k)));               \
                g[ng - 1] =                                                                        \
                    _mm256_add_pd(g[ng - 1], _mm256_mul_pd(c, MASKLOAD4(xr + last, m_last)));      \
            }                                                                                      \
            i += nb;                                                                               \
        }                                                                                          \
        for (int k = 0; k + 1 < ng; k++)                                                           \
            _mm256_storeu_pd(grad + 4 * k, g[k]);                                                  \
        _mm256_maskstore_pd(grad + last, mg, g[ng - 1]);                                           \
        tail_rows_##SUFFIX(x, y, i, rows, d, w, bounds, grad);                                     \
    }                                                                                              \
                                                                                                   \
    AVX2_ATTR static void gradient_##SUFFIX(const T *x, const T *y, size_t rows, size_t d,         \
                                            const double *w, double *restrict grad)                \
    {                                                                                              \
        switch ((d + 3) / 4) {                                                                     \
        case 1: gradient_regs_##SUFFIX(x, y, rows, d, w, grad, 1); return;                         \
        case 2: gradient_regs_##SUFFIX(x, y, rows, d, w, grad, 2); return;                         \
        case 3: gradient_regs_##SUFFIX(x, y, rows, d, w, grad, 3); return;                         \
        case 4: gradient_regs_##SUFFIX(x, y, rows, d, w, grad, 4); return;                         \
        default: break;                                                                            \
        }                                                                                          \
        pc_vexp_bounds bounds = pc_vexp_bounds_get();                                              \
        const __m256d hi = _mm256_set1_pd(bounds.hi), lo = _mm256_set1_pd(bounds.lo);              \
        const size_t last = (d - 1) / 4 * 4;                                                       \
        const MASKT m_last = LANES_BELOW(d - last);                                                \
        const __m256d w_last = _mm256_maskload_pd(w + last, lanes_below64(d - last));              \
        _Alignas(32) double coef[LOGREG_AVX2_BLOCK];                                               \
        size_t i = 0;                                                                              \
        while (rows - i >= 4) {                                                                    \
            size_t quads = (rows - i) / 4 * 4;                                                     \
            size_t nb = quads < LOGREG_AVX2_BLOCK ? quads : LOGREG_AVX2_BLOCK;                     \
            const T *xb = x + i * d;                                                               \
            prefetch_after(xb, nb *d * sizeof(T));                                                 \
            block_coefs_##SUFFIX(xb, y + i, nb, d, last, w, w_last, m_last, hi, lo, coef);         \
            block_grad_##SUFFIX(xb, nb, d, last, coef, grad);                                      \
            i += nb;                                                                               \
        }                                                                                          \
        tail_rows_##SUFFIX(x, y, i, rows, d, w, bounds, grad);                                     \
    }                                                                                              \
                                                                                                   \
    AVX2_ATTR static void proba_##SUFFIX(const T *x, size_t rows, size_t d, const double *w,       \
                                         double *out)                                              \
    {                                                                                              \
        pc_vexp_bounds bounds = pc_vexp_bounds_get();                                              \
        const __m256d hi = _mm256_set1_pd(bounds.hi), lo = _mm256_set1_pd(bounds.lo);              \
        const __m256d one = _mm256_set1_pd(1.0), minus_zero = _mm256_set1_pd(-0.0);                \
        const size_t last = (d - 1) / 4 * 4;                                                       \
        const MASKT m_last = LANES_BELOW(d - last);                                                \
        const __m256d w_last = _mm256_maskload_pd(w + last, lanes_below64(d - last));              \
        size_t i = 0;                                                                              \
        while (rows - i >= 4) {                                                                    \
            __m256d e[LOGREG_QUADS];                                                               \
            size_t quads = (rows - i) / 4 < LOGREG_QUADS ? (rows - i) / 4 : LOGREG_QUADS;          \
            for (size_t q = 0; q < LOGREG_QUADS; q++)                                              \
                e[q] = q < quads ? _mm256_xor_pd(dot4_##SUFFIX(x + (i + 4 * q) * d, d, last, w,    \
                                                               w_last, m_last),                    \
                                                 minus_zero)                                       \
                                 : _mm256_setzero_pd();                                            \
            vexp_quads(e, hi, lo);                                                                 \
            for (size_t q = 0; q < quads; q++)                                                     \
                _mm256_storeu_pd(out + i + 4 * q, _mm256_div_pd(one, _mm256_add_pd(one, e[q])));   \
            i += 4 * quads;                                                                        \
        }                                                                                          \
        for (; i < rows; i++)                                                                      \
            out[i] = 1.0 / (1.0 + pc_vexp(-row_dot_##SUFFIX(x + i * d, d, w), bounds));            \
    }

enum { LOGREG_AVX2_BLOCK = 4 * LOGREG_QUADS }; /* rows per block: one exp batch */
DEFINE_LOGREG_AVX2(f32_avx2, float, __m128i, lanes_below32, LOAD4_F32, MASKLOAD4_F32)
DEFINE_LOGREG_AVX2(f64_avx2, double, __m256i, lanes_below64, LOAD4_F64, MASKLOAD4_F64)

AVX2_ATTR void pc_logreg_gradient_avx2(const void *x, const void *y, size_t rows, size_t d,
                                       parchunk_dtype dtype, const double *w, double *grad)
{
    if (dtype == PARCHUNK_FLOAT32)
        gradient_f32_avx2(x, y, rows, d, w, grad);
    else
        gradient_f64_avx2(x, y, rows, d, w, grad);
}

AVX2_ATTR void pc_logreg_proba_avx2(const void *x, size_t rows, size_t d, parchunk_dtype dtype,
                                    const double *w, double *out)
{
    if (dtype == PARCHUNK_FLOAT32)
        proba_f32_avx2(x, rows, d, w, out);
    else
        proba_f64_avx2(x, rows, d, w, out);
}
#endif

#define DEFINE_FIND_BAD(SUFFIX, T)                                                                 \
    static size_t find_bad_##SUFFIX(const T *x, const T *y, size_t rows, size_t d, size_t *column) \
    {                                                                                              \
        for (size_t i = 0; i < rows; i++) {                                                        \
            for (size_t j = 0; j < d; j++)                                                         \
                if (!isfinite(x[i * d + j])) {                                                     \
                    *column = j;                                                                   \
                    return i;                                                                      \
                }                                                                                  \
            if (y != NULL && y[i] != 1 && y[i] != -1) {                                            \
                *column = d;                                                                       \
                return i;                                                                          \
            }                                                                                      \
        }                                                                                          \
        return rows;                                                                               \
    }
DEFINE_FIND_BAD(f32, float)
DEFINE_FIND_BAD(f64, double)

size_t pc_logreg_find_bad(const void *x, const void *y, size_t rows, size_t d, parchunk_dtype dtype,
                          size_t *column)
{
    if (dtype == PARCHUNK_FLOAT32)
        return find_bad_f32(x, y, rows, d, column);
    return find_bad_f64(x, y, rows, d, column);
}
