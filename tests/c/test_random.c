/*
 * test_random.c - the counter-based generators: Philox known answers, the
 * documented counter -> value mapping (re-implemented here from the header's
 * text on top of parchunk_philox4x32_10), slices, chunk-size and
 * thread-count independence, every kernel variant against the others,
 * statistics, bounds and bad input.
 */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <parchunk.h>

/* The kernels are hidden inside the shared library; the variant tests
 * compile them into this program instead (they are pure functions). */
#include "kernels/random/batch.c"
#include "kernels/random/integers.c"
#include "kernels/random/normal.c"
#include "kernels/random/uniform.c"

/* ---- reference implementation of the mapping documented in parchunk.h --- */

static void ref_block(uint64_t seed, uint64_t j, uint32_t c2, uint32_t c3, uint32_t w[4])
{
    uint32_t ctr[4] = {(uint32_t)j, (uint32_t)(j >> 32), c2, c3};
    uint32_t key[2] = {(uint32_t)seed, (uint32_t)(seed >> 32)};
    assert_int_equal(parchunk_philox4x32_10(ctr, key, w), PARCHUNK_OK);
}

static uint64_t ref_x(const uint32_t w[4], unsigned half)
{
    return (uint64_t)w[2 * half] | (uint64_t)w[2 * half + 1] << 32;
}

static double ref_uniform_f64(uint64_t seed, uint64_t i, double low, double high)
{
    uint32_t w[4];
    ref_block(seed, i / 2, 0, 1, w);
    double u = (double)(ref_x(w, (unsigned)(i % 2)) >> 11) * 0x1p-53;
    double r = low + (high - low) * u;
    return r >= high ? nextafter(high, -INFINITY) : r;
}

static float ref_uniform_f32(uint64_t seed, uint64_t i, double low, double high)
{
    uint32_t w[4];
    ref_block(seed, i / 4, 0, 2, w);
    float u = (float)(w[i % 4] >> 8) * 0x1p-24f;
    float lowf = (float)low, highf = (float)high;
    volatile float span = highf - lowf; /* volatile: no contraction into an FMA */
    volatile float prod = span * u;
    float r = lowf + prod;
    return r >= highf ? nextafterf(highf, -INFINITY) : r;
}

/* log/sin/cos are the documented fixed sequences (mathfn.h); their
 * accuracy is checked against the C library in test_math_accuracy. */
static double ref_normal(uint64_t seed, uint64_t i, double loc, double scale)
{
    uint32_t w[4];
    ref_block(seed, i / 2, 0, 3, w);
    double u1 = (double)((ref_x(w, 0) >> 11) + 1) * 0x1p-53;
    double rad = sqrt(-2.0 * pc_log_normal_range(u1)), s, c;
    pc_sincos_turn(ref_x(w, 1) >> 11, &s, &c);
    double z = i % 2 == 0 ? rad * c : rad * s;
    return loc + scale * z;
}

static int64_t ref_integer(uint64_t seed, uint64_t i, int64_t low, int64_t high)
{
    uint64_t range = (uint64_t)high - (uint64_t)low;
    uint64_t threshold = (0 - range) % range;
    for (uint32_t attempt = 0;; attempt++) {
        uint32_t w[4];
        ref_block(seed, i / 2, attempt, 4, w);
        __extension__ unsigned __int128 m = (unsigned __int128)ref_x(w, (unsigned)(i % 2)) * range;
        if ((uint64_t)m >= threshold)
            return (int64_t)((uint64_t)low + (uint64_t)(m >> 64));
    }
}

/* ---- the documented log / sin / cos against the C library --------------- */

static double ulp_error(double got, long double want)
{
    double w = (double)want;
    if (got == w)
        return 0.0;
    double ulp = nextafter(fabs(w), INFINITY) - fabs(w);
    return (double)fabsl((long double)got - want) / ulp;
}

static void test_math_accuracy(void **state)
{
    (void)state;
    uint64_t x = 88172645463325252ull;
    double worst_log = 0.0, worst_trig = 0.0;
    for (long i = 0; i < 200000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        uint64_t m = x >> 11;
        double u1 = (double)((m >> (i % 53)) + 1) * 0x1p-53; /* down to 2^-53 */
        double e = ulp_error(pc_log_normal_range(u1), logl((long double)u1));
        worst_log = e > worst_log ? e : worst_log;
        /* reference: the exact octant reduction, then long double sinl/cosl */
        double s, c;
        pc_sincos_turn(m, &s, &c);
        unsigned o = (unsigned)(m >> 50);
        long double r = (long double)(m & ((1ull << 50) - 1)) * 0x1p-50L;
        long double a = ((o & 1) ? 1.0L - r : r) * 0.785398163397448309615660845819875721L;
        long double ls = sinl(a), lc = cosl(a);
        bool swap = ((o + 1) & 2) != 0;
        long double ws = swap ? lc : ls, wc = swap ? ls : lc;
        ws = (o & 4) ? -ws : ws;
        wc = ((o + 2) & 4) ? -wc : wc;
        double es = ulp_error(s, ws), ec = ulp_error(c, wc);
        worst_trig = es > worst_trig ? es : worst_trig;
        worst_trig = ec > worst_trig ? ec : worst_trig;
    }
    assert_true(worst_log <= 1.0);
    assert_true(worst_trig <= 2.0);
    /* exact points */
    double s, c;
    pc_sincos_turn(0, &s, &c);
    assert_true(s == 0.0 && c == 1.0);
    pc_sincos_turn((uint64_t)1 << 51, &s, &c); /* a quarter turn */
    assert_true(s == 1.0 && fabs(c) < 1e-16);
    assert_true(pc_log_normal_range(1.0) == 0.0);
    assert_true(pc_log_normal_range(0.5) == -PC_LN2_HI - PC_LN2_LO);
}

/* ---- helpers ------------------------------------------------------------ */

static parchunk_ctx *make_ctx(int nthreads, size_t chunk, size_t cutoff)
{
    parchunk_ctx *ctx = NULL;
    assert_int_equal(parchunk_ctx_new(&ctx), PARCHUNK_OK);
    assert_int_equal(parchunk_ctx_set_threads(ctx, nthreads), PARCHUNK_OK);
    assert_int_equal(parchunk_ctx_set_chunk_size(ctx, chunk), PARCHUNK_OK);
    assert_int_equal(parchunk_ctx_set_serial_cutoff(ctx, cutoff), PARCHUNK_OK);
    return ctx;
}

static bool have_avx2(void)
{
#if defined(PC_RANDOM_X86)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2");
#else
    return false;
#endif
}

typedef struct random_kernels_under_test {
    pc_uniform_f64_fn uniform_f64;
    pc_uniform_f32_fn uniform_f32;
    pc_normal_fn normal;
    pc_integers_fn integers;
} random_kernels_under_test;

/* ---- Philox ------------------------------------------------------------- */

/* Random123 tests/kat_vectors, the three "philox4x32 10" lines
 * (counter[4] key[2] -> output[4]). */
static void test_philox_known_answers(void **state)
{
    (void)state;
    static const uint32_t kat[3][10] = {
        {0, 0, 0, 0, 0, 0, 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
        {0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0x408f276d,
         0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
        {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, 0xd16cfe09,
         0x94fdcceb, 0x5001e420, 0x24126ea1},
    };
    for (int v = 0; v < 3; v++) {
        uint32_t out[4] = {0};
        assert_int_equal(parchunk_philox4x32_10(&kat[v][0], &kat[v][4], out), PARCHUNK_OK);
        assert_memory_equal(out, &kat[v][6], sizeof out);
        /* in place (out aliases ctr) */
        uint32_t io[4] = {kat[v][0], kat[v][1], kat[v][2], kat[v][3]};
        assert_int_equal(parchunk_philox4x32_10(io, &kat[v][4], io), PARCHUNK_OK);
        assert_memory_equal(io, &kat[v][6], sizeof io);
    }
    uint32_t c[4] = {0}, k[2] = {0}, o[4] = {1, 2, 3, 4};
    assert_int_equal(parchunk_philox4x32_10(NULL, k, o), PARCHUNK_ERR_NULL);
    assert_int_equal(parchunk_philox4x32_10(c, NULL, o), PARCHUNK_ERR_NULL);
    assert_int_equal(parchunk_philox4x32_10(c, k, NULL), PARCHUNK_ERR_NULL);
    assert_int_equal(o[0], 1);
}

/* Every batch variant equals the one-block function, including across the
 * c0 -> c1 carry and with c2, c3 set. */
static void test_batch_variants(void **state)
{
    (void)state;
    static const uint64_t firsts[] = {0, 1, 0xffffffe0u, 0x123456789abcdefu, UINT64_MAX - 100};
    uint32_t key[2] = {0xdeadbeef, 0x01234567};
    pc_philox_words got;
    for (size_t f = 0; f < sizeof firsts / sizeof firsts[0]; f++) {
        for (int variant = 0; variant < 4; variant++) {
            if (variant == 0)
                pc_philox_batch_portable(key, firsts[f], 7, 0x55, &got);
#if defined(PC_HAVE_X86_BATCH)
            else if (variant == 1)
                pc_philox_batch_sse2(key, firsts[f], 7, 0x55, &got);
            else if (variant == 2 && have_avx2())
                pc_philox_batch_avx2(key, firsts[f], 7, 0x55, &got);
            else if (variant == 3 && pc_random_have_avx512())
                pc_philox_batch_avx512(key, firsts[f], 7, 0x55, &got);
#endif
            else
                continue;
            for (size_t b = 0; b < PC_PHILOX_BATCH; b++) {
                uint64_t j = firsts[f] + b;
                uint32_t ctr[4] = {(uint32_t)j, (uint32_t)(j >> 32), 7, 0x55}, w[4];
                pc_philox4x32_10_block(ctr, key, w);
                for (int k = 0; k < 4; k++)
                    assert_int_equal(got.w[k][b], w[k]);
            }
        }
    }
}

/* The generic, AVX2 and AVX-512 kernels write the same bytes, at odd
 * offsets and lengths too (each variant that this CPU runs is compared with
 * the generic one; the generic one is checked against the documented mapping
 * elsewhere). */
static void check_kernel_variant(const random_kernels_under_test *v)
{
    enum { N = 1000 };
    uint32_t key[2] = {12345, 678};
    static const uint64_t offsets[] = {0, 1, 3, 129, 0xfffffffffull};
    static const size_t lengths[] = {N, 1, 2, 127, 128, 129, 257, 511, 513};
    for (size_t o = 0; o < sizeof offsets / sizeof offsets[0]; o++) {
        for (size_t l = 0; l < sizeof lengths / sizeof lengths[0]; l++) {
            uint64_t first = offsets[o];
            size_t n = lengths[l];
            double a[N], b[N];
            float fa[N], fb[N];
            int64_t ia[N], ib[N];
            pc_uniform_f64_generic(key, first, n, -3.0, 5.0, 2.0, nextafter(2.0, 0), a);
            v->uniform_f64(key, first, n, -3.0, 5.0, 2.0, nextafter(2.0, 0), b);
            assert_memory_equal(a, b, n * sizeof a[0]);
            /* [0, 1) takes a shortcut in the SIMD variants */
            pc_uniform_f64_generic(key, first, n, 0.0, 1.0, 1.0, nextafter(1.0, 0), a);
            v->uniform_f64(key, first, n, 0.0, 1.0, 1.0, nextafter(1.0, 0), b);
            assert_memory_equal(a, b, n * sizeof a[0]);
            /* [1, 1 + 2^-52): values with u > 1/2 round to high, the clamp */
            pc_uniform_f64_generic(key, first, n, 1.0, 0x1p-52, 1.0 + 0x1p-52, 1.0, a);
            v->uniform_f64(key, first, n, 1.0, 0x1p-52, 1.0 + 0x1p-52, 1.0, b);
            assert_memory_equal(a, b, n * sizeof a[0]);
            pc_uniform_f32_generic(key, first, n, -3.0f, 5.0f, 2.0f, nextafterf(2.0f, 0), fa);
            v->uniform_f32(key, first, n, -3.0f, 5.0f, 2.0f, nextafterf(2.0f, 0), fb);
            assert_memory_equal(fa, fb, n * sizeof fa[0]);
            pc_normal_generic(key, first, n, 1.0, 2.0, a, NULL);
            v->normal(key, first, n, 1.0, 2.0, b, NULL);
            assert_memory_equal(a, b, n * sizeof a[0]);
            pc_normal_generic(key, first, n, 1.0, 2.0, NULL, fa);
            v->normal(key, first, n, 1.0, 2.0, NULL, fb);
            assert_memory_equal(fa, fb, n * sizeof fa[0]);
            static const uint64_t ranges[] = {1,          1000,       0xc0000000u, 0xffffffffu,
                                              1ull << 32, 3ull << 62, UINT64_MAX};
            for (size_t r = 0; r < sizeof ranges / sizeof ranges[0]; r++) {
                uint64_t range = ranges[r];
                pc_integers_generic(key, first, n, INT64_MIN, range, (0 - range) % range, ia);
                v->integers(key, first, n, INT64_MIN, range, (0 - range) % range, ib);
                assert_memory_equal(ia, ib, n * sizeof ia[0]);
            }
        }
    }
}

static void test_kernel_variants_avx2(void **state)
{
    (void)state;
    if (!have_avx2()) {
        skip();
        return;
    }
    random_kernels_under_test v = {pc_uniform_f64_avx2, pc_uniform_f32_avx2, pc_normal_avx2,
                                   pc_integers_avx2};
    check_kernel_variant(&v);
}

static void test_kernel_variants_avx512(void **state)
{
    (void)state;
    if (!pc_random_have_avx512()) {
        skip();
        return;
    }
    random_kernels_under_test v = {pc_uniform_f64_avx512, pc_uniform_f32_avx512, pc_normal_avx512,
                                   pc_integers_avx512};
    check_kernel_variant(&v);
}

/* ---- the documented mapping --------------------------------------------- */

static void test_mapping_matches_reference(void **state)
{
    (void)state;
    enum { N = 301 };
    static const uint64_t seeds[] = {0, 1, 0x123456789abcdef0ull, UINT64_MAX};
    static const uint64_t offsets[] = {0, 1, 2, 3, 1000001, (uint64_t)1 << 33, UINT64_MAX - N + 1};
    static const int64_t ranges[][2] = {
        {0, 1},
        {0, 3},
        {-5, 7},
        {INT64_MIN, INT64_MAX},
        {INT64_MIN, INT64_C(0x4000000000000000) /* INT64_MIN + 3 * 2^62 */},
        {INT64_MAX - 1, INT64_MAX},
        {-1000000007, 1}};
    double d[N];
    float f[N];
    int64_t q[N];
    for (size_t s = 0; s < sizeof seeds / sizeof seeds[0]; s++) {
        for (size_t o = 0; o < sizeof offsets / sizeof offsets[0]; o++) {
            uint64_t seed = seeds[s], off = offsets[o];
            assert_int_equal(
                parchunk_random_uniform(NULL, seed, off, N, -2.5, 1e3, PARCHUNK_FLOAT64, d),
                PARCHUNK_OK);
            for (size_t i = 0; i < N; i++)
                assert_true(d[i] == ref_uniform_f64(seed, off + i, -2.5, 1e3));
            assert_int_equal(
                parchunk_random_uniform(NULL, seed, off, N, 0.0, 1.0, PARCHUNK_FLOAT64, d),
                PARCHUNK_OK);
            for (size_t i = 0; i < N; i++)
                assert_true(d[i] == ref_uniform_f64(seed, off + i, 0.0, 1.0));
            assert_int_equal(
                parchunk_random_uniform(NULL, seed, off, N, -2.5, 1e3, PARCHUNK_FLOAT32, f),
                PARCHUNK_OK);
            for (size_t i = 0; i < N; i++)
                assert_true(f[i] == ref_uniform_f32(seed, off + i, -2.5, 1e3));
            assert_int_equal(
                parchunk_random_normal(NULL, seed, off, N, 3.0, 0.5, PARCHUNK_FLOAT64, d),
                PARCHUNK_OK);
            for (size_t i = 0; i < N; i++)
                assert_true(d[i] == ref_normal(seed, off + i, 3.0, 0.5));
            assert_int_equal(
                parchunk_random_normal(NULL, seed, off, N, 3.0, 0.5, PARCHUNK_FLOAT32, f),
                PARCHUNK_OK);
            for (size_t i = 0; i < N; i++)
                assert_true(f[i] == (float)ref_normal(seed, off + i, 3.0, 0.5));
            for (size_t r = 0; r < sizeof ranges / sizeof ranges[0]; r++) {
                assert_int_equal(
                    parchunk_random_integers(NULL, seed, off, N, ranges[r][0], ranges[r][1], q),
                    PARCHUNK_OK);
                for (size_t i = 0; i < N; i++)
                    assert_true(q[i] == ref_integer(seed, off + i, ranges[r][0], ranges[r][1]));
            }
        }
    }
}

/* ---- slices, chunk sizes, thread counts --------------------------------- */

enum { BIG = 70001 }; /* > 4 default chunks; small enough for the sanitizer lane */

typedef struct streams {
    double u64[BIG], n64[BIG];
    float u32[BIG], n32[BIG];
    int64_t ints[BIG];
} streams;

static void fill(parchunk_ctx *ctx, uint64_t offset, size_t n, streams *s)
{
    assert_int_equal(
        parchunk_random_uniform(ctx, 42, offset, n, 0.0, 1.0, PARCHUNK_FLOAT64, s->u64),
        PARCHUNK_OK);
    assert_int_equal(
        parchunk_random_uniform(ctx, 42, offset, n, -1.0, 1.0, PARCHUNK_FLOAT32, s->u32),
        PARCHUNK_OK);
    assert_int_equal(parchunk_random_normal(ctx, 42, offset, n, 0.0, 1.0, PARCHUNK_FLOAT64, s->n64),
                     PARCHUNK_OK);
    assert_int_equal(parchunk_random_normal(ctx, 42, offset, n, 0.0, 1.0, PARCHUNK_FLOAT32, s->n32),
                     PARCHUNK_OK);
    assert_int_equal(parchunk_random_integers(ctx, 42, offset, n, -7, 1000000007, s->ints),
                     PARCHUNK_OK);
}

static void test_threads_and_chunks(void **state)
{
    (void)state;
    streams *ref = malloc(sizeof *ref), *got = malloc(sizeof *got);
    assert_non_null(ref);
    assert_non_null(got);
    parchunk_ctx *serial = make_ctx(1, 0, SIZE_MAX);
    fill(serial, 0, BIG, ref);
    parchunk_ctx_free(serial);
    static const int threads[] = {1, 2, 3, 8};
    static const size_t chunks[] = {7, 1000, 0};
    for (size_t t = 0; t < 4; t++) {
        for (size_t c = 0; c < 3; c++) {
            parchunk_ctx *ctx = make_ctx(threads[t], chunks[c], 0);
            memset(got, 0, sizeof *got);
            fill(ctx, 0, BIG, got);
            assert_memory_equal(ref, got, sizeof *ref);
            parchunk_ctx_free(ctx);
        }
    }
    /* NULL ctx (process defaults) too */
    memset(got, 0, sizeof *got);
    fill(NULL, 0, BIG, got);
    assert_memory_equal(ref, got, sizeof *ref);
    free(ref);
    free(got);
}

/* Large calls with the default (size-dependent, up to 4 MiB) chunks, odd
 * offset and length: every thread count writes what the generic kernel
 * writes in one piece. */
static void test_large_default_chunks(void **state)
{
    (void)state;
    enum { NL = 3 * 524288 + 5 };
    const uint64_t offset = 3;
    uint32_t key[2];
    pc_seed_key(77, key);
    double *ref = malloc(NL * sizeof *ref), *got = malloc(NL * sizeof *got);
    assert_non_null(ref);
    assert_non_null(got);
    static const int threads[] = {1, 2, 3, 8};
    for (int kind = 0; kind < 4; kind++) {
        if (kind == 0)
            pc_uniform_f64_generic(key, offset, NL, 0.0, 1.0, 1.0, nextafter(1.0, 0), ref);
        else if (kind == 1)
            pc_uniform_f32_generic(key, offset, NL, -1.0f, 2.0f, 1.0f, nextafterf(1.0f, 0),
                                   (float *)ref);
        else if (kind == 2)
            pc_normal_generic(key, offset, NL, 0.0, 1.0, ref, NULL);
        else
            pc_integers_generic(key, offset, NL, 0, 1000, (0 - 1000ull) % 1000, (int64_t *)ref);
        size_t bytes = NL * (kind == 1 ? sizeof(float) : sizeof(double));
        for (size_t t = 0; t < sizeof threads / sizeof threads[0]; t++) {
            parchunk_ctx *ctx = make_ctx(threads[t], 0, 0);
            memset(got, 0, NL * sizeof *got);
            if (kind == 0)
                assert_int_equal(
                    parchunk_random_uniform(ctx, 77, offset, NL, 0.0, 1.0, PARCHUNK_FLOAT64, got),
                    PARCHUNK_OK);
            else if (kind == 1)
                assert_int_equal(
                    parchunk_random_uniform(ctx, 77, offset, NL, -1.0, 1.0, PARCHUNK_FLOAT32, got),
                    PARCHUNK_OK);
            else if (kind == 2)
                assert_int_equal(
                    parchunk_random_normal(ctx, 77, offset, NL, 0.0, 1.0, PARCHUNK_FLOAT64, got),
                    PARCHUNK_OK);
            else
                assert_int_equal(
                    parchunk_random_integers(ctx, 77, offset, NL, 0, 1000, (int64_t *)got),
                    PARCHUNK_OK);
            assert_memory_equal(ref, got, bytes);
            parchunk_ctx_free(ctx);
        }
    }
    free(ref);
    free(got);
}

static void test_slices(void **state)
{
    (void)state;
    streams *full = malloc(sizeof *full), *part = malloc(sizeof *part);
    assert_non_null(full);
    assert_non_null(part);
    fill(NULL, 0, BIG, full);
    static const size_t cuts[][2] = {{0, 1}, {1, 2}, {3, 4}, {5, 1000}, {7777, BIG}, {1, BIG}};
    for (size_t k = 0; k < sizeof cuts / sizeof cuts[0]; k++) {
        size_t a = cuts[k][0], n = cuts[k][1] - a;
        parchunk_ctx *ctx = make_ctx(2, 13, 0);
        fill(ctx, a, n, part);
        parchunk_ctx_free(ctx);
        assert_memory_equal(full->u64 + a, part->u64, n * sizeof(double));
        assert_memory_equal(full->n64 + a, part->n64, n * sizeof(double));
        assert_memory_equal(full->u32 + a, part->u32, n * sizeof(float));
        assert_memory_equal(full->n32 + a, part->n32, n * sizeof(float));
        assert_memory_equal(full->ints + a, part->ints, n * sizeof(int64_t));
    }
    free(full);
    free(part);
}

/* ---- statistics --------------------------------------------------------- */

enum { STAT_N = 1000000 };

static void moments(const double *x, size_t n, double *mean, double *var)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += x[i];
    double m = s / (double)n, v = 0.0;
    for (size_t i = 0; i < n; i++)
        v += (x[i] - m) * (x[i] - m);
    *mean = m;
    *var = v / (double)n;
}

static void test_uniform_statistics(void **state)
{
    (void)state;
    double *x = malloc(STAT_N * sizeof *x);
    float *f = malloc(STAT_N * sizeof *f);
    assert_non_null(x);
    assert_non_null(f);
    assert_int_equal(parchunk_random_uniform(NULL, 7, 0, STAT_N, 2.0, 5.0, PARCHUNK_FLOAT64, x),
                     PARCHUNK_OK);
    for (size_t i = 0; i < STAT_N; i++)
        assert_true(x[i] >= 2.0 && x[i] < 5.0);
    double mean, var, sigma = 3.0 * sqrt(1.0 / 12.0 / STAT_N);
    moments(x, STAT_N, &mean, &var);
    assert_true(fabs(mean - 3.5) < 5 * sigma);
    /* var of U(0,3) is 0.75; the sample variance's sd is about 0.75 * sqrt(0.8 / n) */
    assert_true(fabs(var - 0.75) < 5 * 0.75 * sqrt(0.8 / STAT_N));
    assert_int_equal(parchunk_random_uniform(NULL, 7, 0, STAT_N, -1.0, 1.0, PARCHUNK_FLOAT32, f),
                     PARCHUNK_OK);
    for (size_t i = 0; i < STAT_N; i++) {
        assert_true(f[i] >= -1.0f && f[i] < 1.0f);
        x[i] = f[i];
    }
    moments(x, STAT_N, &mean, &var);
    assert_true(fabs(mean) < 5 * 2.0 * sqrt(1.0 / 12.0 / STAT_N));
    assert_true(fabs(var - 1.0 / 3.0) < 5 * (1.0 / 3.0) * sqrt(0.8 / STAT_N));
    /* 16 equal bins: chi-square, 15 degrees of freedom (p = 1e-6 at 50.3) */
    long counts[16] = {0};
    for (size_t i = 0; i < STAT_N; i++)
        counts[(int)((x[i] + 1.0) * 8.0)]++;
    double chi2 = 0.0, expect = STAT_N / 16.0;
    for (int k = 0; k < 16; k++)
        chi2 += (counts[k] - expect) * (counts[k] - expect) / expect;
    assert_true(chi2 < 50.3);
    free(x);
    free(f);
}

/* Rounding of low + span * u can reach high; the documented clamp keeps the
 * result below high. With high the next double after low, every value must be
 * low (without the clamp about half would equal high). */
static void test_uniform_half_open(void **state)
{
    (void)state;
    enum { N = 4096 };
    double d[N];
    float f[N];
    double high = nextafter(1.0, 2.0);
    assert_int_equal(parchunk_random_uniform(NULL, 3, 0, N, 1.0, high, PARCHUNK_FLOAT64, d),
                     PARCHUNK_OK);
    for (size_t i = 0; i < N; i++)
        assert_true(d[i] == 1.0);
    assert_int_equal(parchunk_random_uniform(NULL, 3, 0, N, 1.0, (double)nextafterf(1.0f, 2.0f),
                                             PARCHUNK_FLOAT32, f),
                     PARCHUNK_OK);
    for (size_t i = 0; i < N; i++)
        assert_true(f[i] == 1.0f);
    /* the widest finite span */
    assert_int_equal(
        parchunk_random_uniform(NULL, 3, 0, N, -DBL_MAX / 2, DBL_MAX / 2, PARCHUNK_FLOAT64, d),
        PARCHUNK_OK);
    int negative = 0;
    for (size_t i = 0; i < N; i++) {
        assert_true(d[i] >= -DBL_MAX / 2 && d[i] < DBL_MAX / 2);
        negative += d[i] < 0;
    }
    assert_in_range(negative, N / 2 - 200, N / 2 + 200);
}

static void test_normal_statistics(void **state)
{
    (void)state;
    double *x = malloc(STAT_N * sizeof *x);
    assert_non_null(x);
    assert_int_equal(parchunk_random_normal(NULL, 11, 0, STAT_N, 0.0, 1.0, PARCHUNK_FLOAT64, x),
                     PARCHUNK_OK);
    double mean, var, m3 = 0.0, m4 = 0.0;
    moments(x, STAT_N, &mean, &var);
    for (size_t i = 0; i < STAT_N; i++) {
        double z = x[i] - mean;
        m3 += z * z * z;
        m4 += z * z * z * z;
        assert_true(fabs(x[i]) < 8.6);
    }
    m3 /= STAT_N;
    m4 /= STAT_N;
    double sqn = sqrt((double)STAT_N);
    assert_true(fabs(mean) < 5.0 / sqn);
    assert_true(fabs(var - 1.0) < 5.0 * sqrt(2.0) / sqn);
    assert_true(fabs(m3) < 5.0 * sqrt(15.0) / sqn);
    assert_true(fabs(m4 - 3.0) < 5.0 * sqrt(96.0) / sqn);
    /* tails: P(|z| > 2) = 0.0455 */
    long tail = 0;
    for (size_t i = 0; i < STAT_N; i++)
        tail += fabs(x[i]) > 2.0;
    double p = 0.04550026389635842;
    assert_true(fabs((double)tail / STAT_N - p) < 5.0 * sqrt(p * (1 - p) / STAT_N));
    /* loc/scale, and scale 0 */
    double y[100];
    assert_int_equal(parchunk_random_normal(NULL, 11, 0, 100, -4.0, 0.25, PARCHUNK_FLOAT64, y),
                     PARCHUNK_OK);
    for (size_t i = 0; i < 100; i++)
        assert_true(y[i] == -4.0 + 0.25 * x[i]);
    assert_int_equal(parchunk_random_normal(NULL, 11, 0, 100, 9.0, 0.0, PARCHUNK_FLOAT64, y),
                     PARCHUNK_OK);
    for (size_t i = 0; i < 100; i++)
        assert_true(y[i] == 9.0);
    free(x);
}

/* ---- integers ----------------------------------------------------------- */

static double chi_square(const int64_t *x, size_t n, int64_t low, uint64_t modulus)
{
    long counts[16] = {0};
    for (size_t i = 0; i < n; i++) {
        uint64_t v = (uint64_t)x[i] - (uint64_t)low;
        counts[v % modulus]++;
    }
    double chi2 = 0.0, expect = (double)n / (double)modulus;
    for (uint64_t c = 0; c < modulus; c++)
        chi2 += (counts[c] - expect) * (counts[c] - expect) / expect;
    return chi2;
}

static void test_integers_unbiased(void **state)
{
    (void)state;
    int64_t *x = malloc(STAT_N * sizeof *x);
    assert_non_null(x);
    /* small ranges: chi-square with p = 1e-6 critical values (df 2: 27.63,
     * df 6: 35.89) */
    assert_int_equal(parchunk_random_integers(NULL, 5, 0, STAT_N, 0, 3, x), PARCHUNK_OK);
    for (size_t i = 0; i < STAT_N; i++)
        assert_in_range(x[i], 0, 2);
    assert_true(chi_square(x, STAT_N, 0, 3) < 27.63);
    assert_int_equal(parchunk_random_integers(NULL, 5, 0, STAT_N, -3, 4, x), PARCHUNK_OK);
    for (size_t i = 0; i < STAT_N; i++)
        assert_true(x[i] >= -3 && x[i] < 4);
    assert_true(chi_square(x, STAT_N, -3, 7) < 35.89);
    /* range 3 * 2^62: without the rejection step, floor(x * range / 2^64)
     * hits residue 0 (mod 3) twice as often as 1 or 2 (P = 1/2 instead of
     * 1/3); a quarter of the first attempts are rejected here, so the retry
     * path runs a lot. */
    int64_t low = INT64_MIN, high = INT64_C(0x4000000000000000) /* INT64_MIN + 3 * 2^62 */;
    assert_int_equal(parchunk_random_integers(NULL, 5, 0, STAT_N, low, high, x), PARCHUNK_OK);
    for (size_t i = 0; i < STAT_N; i++)
        assert_true(x[i] >= low && x[i] < high);
    assert_true(chi_square(x, STAT_N, low, 3) < 27.63);
    /* the whole int64 span but INT64_MAX: signs balanced, extremes of the
     * top and bottom 1/16 both reached */
    assert_int_equal(parchunk_random_integers(NULL, 5, 0, STAT_N, INT64_MIN, INT64_MAX, x),
                     PARCHUNK_OK);
    long negative = 0, top = 0, bottom = 0;
    for (size_t i = 0; i < STAT_N; i++) {
        negative += x[i] < 0;
        top += x[i] > INT64_MAX - (INT64_MAX >> 4);
        bottom += x[i] < INT64_MIN + (INT64_MAX >> 4);
    }
    assert_true(labs(negative - STAT_N / 2) < 5 * 500);
    assert_true(top > 0 && bottom > 0);
    /* one-value ranges at both ends */
    assert_int_equal(parchunk_random_integers(NULL, 5, 0, 1000, INT64_MAX - 1, INT64_MAX, x),
                     PARCHUNK_OK);
    for (size_t i = 0; i < 1000; i++)
        assert_true(x[i] == INT64_MAX - 1);
    assert_int_equal(parchunk_random_integers(NULL, 5, 0, 1000, INT64_MIN, INT64_MIN + 1, x),
                     PARCHUNK_OK);
    for (size_t i = 0; i < 1000; i++)
        assert_true(x[i] == INT64_MIN);
    free(x);
}

/* ---- bad input ---------------------------------------------------------- */

static void expect_untouched(const void *buf, size_t bytes)
{
    const unsigned char *p = buf;
    for (size_t i = 0; i < bytes; i++)
        assert_int_equal(p[i], 0xAB);
}

static void test_bad_input(void **state)
{
    (void)state;
    parchunk_ctx *ctx = make_ctx(2, 0, 0);
    double d[8];
    int64_t q[8];
    const double inf = INFINITY, nan = NAN;
    struct {
        double low, high;
        parchunk_dtype dtype;
        parchunk_status want;
    } uniform_cases[] = {
        {1.0, 1.0, PARCHUNK_FLOAT64, PARCHUNK_ERR_ARG},
        {2.0, 1.0, PARCHUNK_FLOAT64, PARCHUNK_ERR_ARG},
        {nan, 1.0, PARCHUNK_FLOAT64, PARCHUNK_ERR_ARG},
        {0.0, nan, PARCHUNK_FLOAT64, PARCHUNK_ERR_ARG},
        {-inf, 1.0, PARCHUNK_FLOAT64, PARCHUNK_ERR_ARG},
        {0.0, inf, PARCHUNK_FLOAT64, PARCHUNK_ERR_ARG},
        {-DBL_MAX, DBL_MAX, PARCHUNK_FLOAT64, PARCHUNK_ERR_ARG}, /* span overflows */
        {-FLT_MAX, FLT_MAX, PARCHUNK_FLOAT32, PARCHUNK_ERR_ARG}, /* span overflows float */
        {0.0, 1e39, PARCHUNK_FLOAT32, PARCHUNK_ERR_ARG},         /* high is inf as float */
        {1.0, 1.0 + 1e-12, PARCHUNK_FLOAT32, PARCHUNK_ERR_ARG},  /* equal as float */
        {0.0, 1.0, PARCHUNK_INT64, PARCHUNK_ERR_DTYPE},
        {0.0, 1.0, (parchunk_dtype)99, PARCHUNK_ERR_DTYPE},
        {0.0, 1.0, (parchunk_dtype)-1, PARCHUNK_ERR_DTYPE},
    };
    for (size_t k = 0; k < sizeof uniform_cases / sizeof uniform_cases[0]; k++) {
        memset(d, 0xAB, sizeof d);
        assert_int_equal(parchunk_random_uniform(ctx, 1, 0, 8, uniform_cases[k].low,
                                                 uniform_cases[k].high, uniform_cases[k].dtype, d),
                         uniform_cases[k].want);
        expect_untouched(d, sizeof d);
        assert_true(strlen(parchunk_ctx_last_error(ctx)) > 0);
    }
    struct {
        double loc, scale;
        parchunk_dtype dtype;
        parchunk_status want;
    } normal_cases[] = {
        {0.0, -1.0, PARCHUNK_FLOAT64, PARCHUNK_ERR_ARG},
        {nan, 1.0, PARCHUNK_FLOAT64, PARCHUNK_ERR_ARG},
        {0.0, nan, PARCHUNK_FLOAT32, PARCHUNK_ERR_ARG},
        {inf, 1.0, PARCHUNK_FLOAT64, PARCHUNK_ERR_ARG},
        {0.0, inf, PARCHUNK_FLOAT64, PARCHUNK_ERR_ARG},
        {0.0, 1.0, PARCHUNK_UINT8, PARCHUNK_ERR_DTYPE},
    };
    for (size_t k = 0; k < sizeof normal_cases / sizeof normal_cases[0]; k++) {
        memset(d, 0xAB, sizeof d);
        assert_int_equal(parchunk_random_normal(ctx, 1, 0, 8, normal_cases[k].loc,
                                                normal_cases[k].scale, normal_cases[k].dtype, d),
                         normal_cases[k].want);
        expect_untouched(d, sizeof d);
    }
    memset(q, 0xAB, sizeof q);
    assert_int_equal(parchunk_random_integers(ctx, 1, 0, 8, 5, 5, q), PARCHUNK_ERR_ARG);
    assert_int_equal(parchunk_random_integers(ctx, 1, 0, 8, 5, 4, q), PARCHUNK_ERR_ARG);
    assert_int_equal(parchunk_random_integers(ctx, 1, 0, 8, INT64_MAX, INT64_MIN, q),
                     PARCHUNK_ERR_ARG);
    expect_untouched(q, sizeof q);
    /* NULL out with n > 0; fine with n == 0 */
    assert_int_equal(parchunk_random_uniform(ctx, 1, 0, 8, 0, 1, PARCHUNK_FLOAT64, NULL),
                     PARCHUNK_ERR_NULL);
    assert_int_equal(parchunk_random_normal(ctx, 1, 0, 8, 0, 1, PARCHUNK_FLOAT64, NULL),
                     PARCHUNK_ERR_NULL);
    assert_int_equal(parchunk_random_integers(ctx, 1, 0, 8, 0, 1, NULL), PARCHUNK_ERR_NULL);
    assert_int_equal(parchunk_random_uniform(ctx, 1, 0, 0, 0, 1, PARCHUNK_FLOAT64, NULL),
                     PARCHUNK_OK);
    assert_int_equal(parchunk_random_normal(ctx, 1, 0, 0, 0, 1, PARCHUNK_FLOAT32, NULL),
                     PARCHUNK_OK);
    assert_int_equal(parchunk_random_integers(ctx, 1, 0, 0, 0, 1, NULL), PARCHUNK_OK);
    /* arguments are checked even when n == 0 */
    assert_int_equal(parchunk_random_integers(ctx, 1, 0, 0, 1, 0, NULL), PARCHUNK_ERR_ARG);
    /* the index range: the last index may be 2^64 - 1, not more */
    memset(d, 0xAB, sizeof d);
    assert_int_equal(parchunk_random_uniform(ctx, 1, UINT64_MAX, 2, 0, 1, PARCHUNK_FLOAT64, d),
                     PARCHUNK_ERR_ARG);
    assert_int_equal(parchunk_random_integers(ctx, 1, UINT64_MAX - 6, 8, 0, 9, q),
                     PARCHUNK_ERR_ARG);
    expect_untouched(d, sizeof d);
    expect_untouched(q, sizeof q);
    assert_int_equal(parchunk_random_uniform(ctx, 1, UINT64_MAX, 1, 0, 1, PARCHUNK_FLOAT64, d),
                     PARCHUNK_OK);
    assert_true(d[0] == ref_uniform_f64(1, UINT64_MAX, 0, 1));
    assert_int_equal(parchunk_random_integers(ctx, 1, UINT64_MAX - 7, 8, 0, 9, q), PARCHUNK_OK);
    assert_true(q[7] == ref_integer(1, UINT64_MAX, 0, 9));
    /* a cancelled ctx */
    parchunk_ctx_cancel(ctx);
    memset(d, 0xAB, sizeof d);
    assert_int_equal(parchunk_random_uniform(ctx, 1, 0, 8, 0, 1, PARCHUNK_FLOAT64, d),
                     PARCHUNK_ERR_CANCELLED);
    expect_untouched(d, sizeof d);
    parchunk_ctx_clear_cancel(ctx);
    assert_int_equal(parchunk_random_uniform(ctx, 1, 0, 8, 0, 1, PARCHUNK_FLOAT64, d), PARCHUNK_OK);
    parchunk_ctx_free(ctx);
}

/* Different seeds and different distributions give unrelated words. */
static void test_streams_differ(void **state)
{
    (void)state;
    enum { N = 1000 };
    double a[N], b[N];
    assert_int_equal(parchunk_random_uniform(NULL, 1, 0, N, 0, 1, PARCHUNK_FLOAT64, a),
                     PARCHUNK_OK);
    assert_int_equal(parchunk_random_uniform(NULL, 2, 0, N, 0, 1, PARCHUNK_FLOAT64, b),
                     PARCHUNK_OK);
    int same = 0;
    for (size_t i = 0; i < N; i++)
        same += a[i] == b[i];
    assert_int_equal(same, 0);
    /* seed 2^32 must differ from seed 0 (the high word is part of the key) */
    assert_int_equal(parchunk_random_uniform(NULL, 0, 0, N, 0, 1, PARCHUNK_FLOAT64, a),
                     PARCHUNK_OK);
    assert_int_equal(
        parchunk_random_uniform(NULL, (uint64_t)1 << 32, 0, N, 0, 1, PARCHUNK_FLOAT64, b),
        PARCHUNK_OK);
    same = 0;
    for (size_t i = 0; i < N; i++)
        same += a[i] == b[i];
    assert_int_equal(same, 0);
}

/* Progress counts values; a finished call reports done == total == n. */
static void test_progress(void **state)
{
    (void)state;
    enum { N = 100003 };
    double *x = malloc(N * sizeof *x);
    assert_non_null(x);
    parchunk_ctx *ctx = make_ctx(2, 1000, 0);
    assert_int_equal(parchunk_random_normal(ctx, 1, 0, N, 0.0, 1.0, PARCHUNK_FLOAT64, x),
                     PARCHUNK_OK);
    uint64_t done = 0, total = 0;
    assert_int_equal(parchunk_ctx_progress(ctx, &done, &total), PARCHUNK_OK);
    assert_int_equal(done, N);
    assert_int_equal(total, N);
    assert_string_equal(parchunk_ctx_last_error(ctx), "");
    parchunk_ctx_free(ctx);
    free(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_philox_known_answers),
        cmocka_unit_test(test_batch_variants),
        cmocka_unit_test(test_kernel_variants_avx2),
        cmocka_unit_test(test_kernel_variants_avx512),
        cmocka_unit_test(test_large_default_chunks),
        cmocka_unit_test(test_math_accuracy),
        cmocka_unit_test(test_mapping_matches_reference),
        cmocka_unit_test(test_threads_and_chunks),
        cmocka_unit_test(test_slices),
        cmocka_unit_test(test_uniform_statistics),
        cmocka_unit_test(test_uniform_half_open),
        cmocka_unit_test(test_normal_statistics),
        cmocka_unit_test(test_integers_unbiased),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_streams_differ),
        cmocka_unit_test(test_progress),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
