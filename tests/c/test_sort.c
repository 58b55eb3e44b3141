/* test_sort.c - parchunk_sort / parchunk_argsort against qsort with a total
 * order comparator (NumPy's order, with our documented tie-breaks). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <math.h>

#include "parchunk.h"

static const int thread_counts[] = {1, 2, 3, 8};
static const size_t sizes[] = {0, 1, 2, 7, 17, 2047, 2048, 5000, 20011};
static const parchunk_dtype all_dtypes[] = {
    PARCHUNK_INT8,   PARCHUNK_UINT8, PARCHUNK_INT16,  PARCHUNK_UINT16,  PARCHUNK_INT32,
    PARCHUNK_UINT32, PARCHUNK_INT64, PARCHUNK_UINT64, PARCHUNK_FLOAT32, PARCHUNK_FLOAT64};

static uint64_t rng_state = 0x2545F4914F6CDD1Dull;
static uint64_t next_u64(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static parchunk_ctx *make_ctx(int threads, size_t chunk, size_t cutoff)
{
    parchunk_ctx *ctx = NULL;
    assert_int_equal(parchunk_ctx_new(&ctx), PARCHUNK_OK);
    assert_int_equal(parchunk_ctx_set_threads(ctx, threads), PARCHUNK_OK);
    assert_int_equal(parchunk_ctx_set_chunk_size(ctx, chunk), PARCHUNK_OK);
    assert_int_equal(parchunk_ctx_set_serial_cutoff(ctx, cutoff), PARCHUNK_OK);
    return ctx;
}

/* ---- the reference order ------------------------------------------------- */

static parchunk_dtype cmp_dtype; /* qsort has no context argument */

/* NumPy's order as a total order on bits: numbers by value, -0.0 before
 * +0.0, then positive NaNs by ascending payload, then negative NaNs by
 * descending payload (the tie-breaks parchunk_sort documents). Returns <0, 0, >0. */
static int rank_float(double a, double b, uint64_t abits, uint64_t bbits, int sign_shift)
{
    bool an = isnan(a), bn = isnan(b);
    if (an || bn) {
        if (!an)
            return -1;
        if (!bn)
            return 1;
        int as = (int)(abits >> sign_shift) & 1, bs = (int)(bbits >> sign_shift) & 1;
        if (as != bs)
            return as - bs;
        if (as) /* negative NaNs: by descending payload (their keys are ~bits) */
            return abits > bbits ? -1 : abits < bbits;
        return abits < bbits ? -1 : abits > bbits;
    }
    if (a < b)
        return -1;
    if (a > b)
        return 1;
    bool az = signbit(a), bz = signbit(b); /* only differ for -0.0 / +0.0 */
    return (int)bz - (int)az;
}

static int compare_elements(const void *pa, const void *pb)
{
    switch (cmp_dtype) {
#define INT_CASE(D, T)                                                                             \
    case D: {                                                                                      \
        T a, b;                                                                                    \
        memcpy(&a, pa, sizeof a);                                                                  \
        memcpy(&b, pb, sizeof b);                                                                  \
        return (a > b) - (a < b);                                                                  \
    }
        INT_CASE(PARCHUNK_INT8, int8_t)
        INT_CASE(PARCHUNK_UINT8, uint8_t)
        INT_CASE(PARCHUNK_INT16, int16_t)
        INT_CASE(PARCHUNK_UINT16, uint16_t)
        INT_CASE(PARCHUNK_INT32, int32_t)
        INT_CASE(PARCHUNK_UINT32, uint32_t)
        INT_CASE(PARCHUNK_INT64, int64_t)
        INT_CASE(PARCHUNK_UINT64, uint64_t)
#undef INT_CASE
    case PARCHUNK_FLOAT32: {
        float a, b;
        uint32_t ab, bb;
        memcpy(&a, pa, 4);
        memcpy(&b, pb, 4);
        memcpy(&ab, pa, 4);
        memcpy(&bb, pb, 4);
        return rank_float(a, b, ab, bb, 31);
    }
    default: {
        double a, b;
        uint64_t ab, bb;
        memcpy(&a, pa, 8);
        memcpy(&b, pb, 8);
        memcpy(&ab, pa, 8);
        memcpy(&bb, pb, 8);
        return rank_float(a, b, ab, bb, 63);
    }
    }
}

/* NumPy's comparison for argsort: -0.0 == +0.0, all NaNs equal and last. */
static int numpy_compare(const void *pa, const void *pb)
{
    if (cmp_dtype == PARCHUNK_FLOAT32 || cmp_dtype == PARCHUNK_FLOAT64) {
        double a, b;
        if (cmp_dtype == PARCHUNK_FLOAT32) {
            float fa, fb;
            memcpy(&fa, pa, 4);
            memcpy(&fb, pb, 4);
            a = fa;
            b = fb;
        } else {
            memcpy(&a, pa, 8);
            memcpy(&b, pb, 8);
        }
        if (isnan(a) || isnan(b))
            return (int)isnan(a) - (int)isnan(b);
        return (a > b) - (a < b);
    }
    return compare_elements(pa, pb);
}

typedef struct indexed {
    unsigned char bytes[8];
    int64_t index;
} indexed;

static int compare_indexed(const void *a, const void *b)
{
    const indexed *x = a, *y = b;
    int c = numpy_compare(x->bytes, y->bytes);
    return c != 0 ? c : (x->index > y->index) - (x->index < y->index);
}

/* ---- data ----------------------------------------------------------------- */

static const double specials[] = {0.0,  -0.0,   1.0,     -1.0, INFINITY, -INFINITY, NAN,
                                  -NAN, 1e-310, -1e-310, 3.5,  3.5,      1e300,     -1e300};

/* Random elements; `kind` 0: full-range bits, 1: few distinct values (many
 * ties), 2: floats with specials (NaNs of both signs and payloads, zeros,
 * infinities, subnormals). */
static void *make_data(size_t n, parchunk_dtype d, int kind)
{
    size_t sz = parchunk_dtype_size(d);
    unsigned char *x = malloc(n * sz + 8);
    for (size_t i = 0; i < n; i++) {
        uint64_t r = next_u64();
        if (kind == 1)
            r %= 5;
        if (d == PARCHUNK_FLOAT64) {
            double v;
            if (kind == 2 && r % 3 == 0) {
                v = specials[(r >> 8) % (sizeof specials / sizeof *specials)];
                if (isnan(v) && (r >> 20) % 2) { /* another payload */
                    uint64_t b;
                    memcpy(&b, &v, 8);
                    b |= (r >> 30) & 0xffff;
                    memcpy(&v, &b, 8);
                }
            } else if (kind == 1) {
                v = (double)r - 2.0;
            } else {
                v = ((double)(r >> 11) * 0x1p-53 - 0.5) * 1e6;
            }
            memcpy(x + i * 8, &v, 8);
        } else if (d == PARCHUNK_FLOAT32) {
            float v;
            if (kind == 2 && r % 3 == 0) {
                v = (float)specials[(r >> 8) % (sizeof specials / sizeof *specials)];
                if (isnan(v) && (r >> 20) % 2) {
                    uint32_t b;
                    memcpy(&b, &v, 4);
                    b |= (uint32_t)(r >> 30) & 0xffff;
                    memcpy(&v, &b, 4);
                }
            } else if (kind == 1) {
                v = (float)r - 2.0f;
            } else {
                v = (float)(((double)(r >> 11) * 0x1p-53 - 0.5) * 1e3);
            }
            memcpy(x + i * 4, &v, 4);
        } else {
            memcpy(x + i * sz, &r, sz); /* little-endian: the low bytes */
        }
    }
    return x;
}

static void *reference_sort(const void *x, size_t n, parchunk_dtype d)
{
    size_t sz = parchunk_dtype_size(d);
    void *r = malloc(n * sz + 8);
    memcpy(r, x, n * sz);
    cmp_dtype = d;
    qsort(r, n, sz, compare_elements);
    return r;
}

static int64_t *reference_argsort(const void *x, size_t n, parchunk_dtype d)
{
    size_t sz = parchunk_dtype_size(d);
    indexed *t = calloc(n + 1, sizeof *t);
    for (size_t i = 0; i < n; i++) {
        memcpy(t[i].bytes, (const unsigned char *)x + i * sz, sz);
        t[i].index = (int64_t)i;
    }
    cmp_dtype = d;
    qsort(t, n, sizeof *t, compare_indexed);
    int64_t *r = malloc((n + 1) * sizeof *r);
    for (size_t i = 0; i < n; i++)
        r[i] = t[i].index;
    free(t);
    return r;
}

/* ---- tests ------------------------------------------------------------------ */

static void check_dtype(parchunk_dtype d, int kind)
{
    size_t sz = parchunk_dtype_size(d);
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        size_t n = sizes[s];
        void *x = make_data(n, d, kind);
        void *ref = reference_sort(x, n, d);
        int64_t *aref = reference_argsort(x, n, d);
        void *out = malloc(n * sz + 8);
        int64_t *idx = malloc((n + 1) * 8);
        for (size_t t = 0; t < 4; t++) {
            for (int chunk = 0; chunk < 2; chunk++) {
                parchunk_ctx *ctx = make_ctx(thread_counts[t], chunk ? 7 : 0, 0);
                memset(out, 0x5A, n * sz);
                assert_int_equal(parchunk_sort(ctx, x, n, d, out), PARCHUNK_OK);
                assert_memory_equal(out, ref, n * sz);
                assert_int_equal(parchunk_argsort(ctx, x, n, d, idx), PARCHUNK_OK);
                assert_memory_equal(idx, aref, n * 8);
                uint64_t done = 0, total = 0;
                assert_int_equal(parchunk_ctx_progress(ctx, &done, &total), PARCHUNK_OK);
                assert_true(done == total && total == 3 * (uint64_t)n);
                parchunk_ctx_free(ctx);
            }
        }
        /* in place */
        void *copy = malloc(n * sz + 8);
        memcpy(copy, x, n * sz);
        parchunk_ctx *ctx = make_ctx(2, 7, 0);
        assert_int_equal(parchunk_sort(ctx, copy, n, d, copy), PARCHUNK_OK);
        assert_memory_equal(copy, ref, n * sz);
        parchunk_ctx_free(ctx);
        free(copy);
        free(x);
        free(ref);
        free(aref);
        free(out);
        free(idx);
    }
}

static void test_all_dtypes_random_bits(void **state)
{
    (void)state;
    for (size_t k = 0; k < 10; k++)
        check_dtype(all_dtypes[k], 0);
}

static void test_all_dtypes_many_ties(void **state)
{
    (void)state;
    for (size_t k = 0; k < 10; k++)
        check_dtype(all_dtypes[k], 1);
}

static void test_floats_with_nans_zeros_infs(void **state)
{
    (void)state;
    check_dtype(PARCHUNK_FLOAT32, 2);
    check_dtype(PARCHUNK_FLOAT64, 2);
}

static void test_nan_and_zero_order(void **state)
{
    (void)state;
    double x[] = {-NAN, 2.0, NAN, -0.0, 0.0, -INFINITY, -0.0, 1.0, INFINITY, -NAN, 0.0};
    double out[11];
    int64_t idx[11];
    assert_int_equal(parchunk_sort(NULL, x, 11, PARCHUNK_FLOAT64, out), PARCHUNK_OK);
    assert_true(out[0] == -INFINITY);
    assert_true(out[1] == 0.0 && signbit(out[1]) && signbit(out[2]));
    assert_true(out[3] == 0.0 && !signbit(out[3]) && !signbit(out[4]));
    assert_true(out[5] == 1.0 && out[6] == 2.0 && out[7] == INFINITY);
    assert_true(isnan(out[8]) && !signbit(out[8])); /* positive NaN, then negative ones */
    assert_true(isnan(out[9]) && signbit(out[9]) && isnan(out[10]) && signbit(out[10]));
    /* argsort: zeros equal (index order), NaNs equal and last (index order) */
    assert_int_equal(parchunk_argsort(NULL, x, 11, PARCHUNK_FLOAT64, idx), PARCHUNK_OK);
    const int64_t expect[] = {5, 3, 4, 6, 10, 7, 1, 8, 0, 2, 9};
    assert_memory_equal(idx, expect, sizeof expect);
}

static void test_argsort_stable_large(void **state)
{
    (void)state;
    /* many equal keys over several chunks and buckets: equal keys must keep
     * index order across chunk boundaries */
    size_t n = 200003;
    int32_t *x = malloc(n * 4);
    for (size_t i = 0; i < n; i++)
        x[i] = (int32_t)(next_u64() % 1000) - 500;
    int64_t *idx = malloc(n * 8);
    parchunk_ctx *ctx = make_ctx(3, 1000, 0);
    assert_int_equal(parchunk_argsort(ctx, x, n, PARCHUNK_INT32, idx), PARCHUNK_OK);
    for (size_t i = 1; i < n; i++) {
        int32_t a = x[idx[i - 1]], b = x[idx[i]];
        assert_true(a < b || (a == b && idx[i - 1] < idx[i]));
    }
    parchunk_ctx_free(ctx);
    free(x);
    free(idx);
}

static void test_large_float64_threads_identical(void **state)
{
    (void)state;
    size_t n = 300007;
    double *x = make_data(n, PARCHUNK_FLOAT64, 2);
    double *ref = reference_sort(x, n, PARCHUNK_FLOAT64);
    double *out = malloc(n * 8);
    for (size_t t = 0; t < 4; t++) {
        parchunk_ctx *ctx = make_ctx(thread_counts[t], 0, 0);
        assert_int_equal(parchunk_sort(ctx, x, n, PARCHUNK_FLOAT64, out), PARCHUNK_OK);
        assert_memory_equal(out, ref, n * 8);
        parchunk_ctx_free(ctx);
    }
    free(x);
    free(ref);
    free(out);
}

/* Crowded data: buckets far larger than the in-cache buffer (the scratch
 * path), keys crowded into a sliver of their range (the insertion repair
 * gives up and partitions), many negative NaNs (a big extra bucket). */
static void test_clustered_big_buckets(void **state)
{
    (void)state;
    size_t n = 120007;
    double *x = malloc(n * 8);
    float *xf = malloc(n * 4);
    for (size_t i = 0; i < n; i++) {
        uint64_t r = next_u64();
        double v;
        switch (r % 10) {
        case 0: v = ((double)(r >> 11) * 0x1p-53 - 0.5) * 1e12; break;
        case 1: v = -NAN; break;
        case 2: v = 1.0 + (double)((r >> 20) % 1000) * 0x1p-52; break; /* a sliver */
        default: v = 3.0;
        }
        if (r % 10 == 1 && (r >> 40) % 2) { /* payloads */
            uint64_t b;
            memcpy(&b, &v, 8);
            b |= (r >> 8) & 0xfff;
            memcpy(&v, &b, 8);
        }
        x[i] = v;
        xf[i] = (float)v;
    }
    double *ref = reference_sort(x, n, PARCHUNK_FLOAT64);
    int64_t *aref = reference_argsort(x, n, PARCHUNK_FLOAT64);
    float *reff = reference_sort(xf, n, PARCHUNK_FLOAT32);
    int64_t *areff = reference_argsort(xf, n, PARCHUNK_FLOAT32);
    double *out = malloc(n * 8);
    float *outf = malloc(n * 4);
    int64_t *idx = malloc(n * 8);
    for (size_t t = 0; t < 4; t += 3) {
        parchunk_ctx *ctx = make_ctx(thread_counts[t], 0, 0);
        assert_int_equal(parchunk_sort(ctx, x, n, PARCHUNK_FLOAT64, out), PARCHUNK_OK);
        assert_memory_equal(out, ref, n * 8);
        assert_int_equal(parchunk_argsort(ctx, x, n, PARCHUNK_FLOAT64, idx), PARCHUNK_OK);
        assert_memory_equal(idx, aref, n * 8);
        assert_int_equal(parchunk_sort(ctx, xf, n, PARCHUNK_FLOAT32, outf), PARCHUNK_OK);
        assert_memory_equal(outf, reff, n * 4);
        assert_int_equal(parchunk_argsort(ctx, xf, n, PARCHUNK_FLOAT32, idx), PARCHUNK_OK);
        assert_memory_equal(idx, areff, n * 8);
        parchunk_ctx_free(ctx);
    }
    free(x);
    free(xf);
    free(ref);
    free(aref);
    free(reff);
    free(areff);
    free(out);
    free(outf);
    free(idx);
}

/* A large input whose keys crowd into one 16-bit prefix: the sample switches
 * to 20-bit prefixes, and the bulk still lands in a few big buckets. */
static void test_large_crowded(void **state)
{
    (void)state;
    size_t n = (1u << 20) + 3;
    double *x = malloc(n * 8);
    for (size_t i = 0; i < n; i++) {
        uint64_t r = next_u64();
        x[i] = r % 1000 == 0 ? ((double)(r >> 11) * 0x1p-53 - 0.5) * 2e6
                             : 1.0 + (double)(r >> 11) * 0x1p-53 * 1e-4;
    }
    double *ref = reference_sort(x, n, PARCHUNK_FLOAT64);
    double *out = malloc(n * 8);
    int64_t *idx = malloc(n * 8);
    for (size_t t = 0; t < 2; t++) {
        parchunk_ctx *ctx = make_ctx(thread_counts[t], 0, 0);
        assert_int_equal(parchunk_sort(ctx, x, n, PARCHUNK_FLOAT64, out), PARCHUNK_OK);
        assert_memory_equal(out, ref, n * 8);
        assert_int_equal(parchunk_argsort(ctx, x, n, PARCHUNK_FLOAT64, idx), PARCHUNK_OK);
        for (size_t i = 0; i < n; i++) /* all distinct: the argsort is the sort */
            assert_true(x[idx[i]] == ref[i]);
        parchunk_ctx_free(ctx);
    }
    free(x);
    free(ref);
    free(out);
    free(idx);
}

/* Large evenly spread integers: 12-bit prefix tables, 512 buckets for 4-byte
 * keys, 1024 for 8-byte keys; narrow ints whose LSD passes sort exactly. */
static void test_large_integers_threads_identical(void **state)
{
    (void)state;
    size_t n = 1000003;
    const parchunk_dtype dts[] = {PARCHUNK_INT32, PARCHUNK_UINT32, PARCHUNK_INT64,
                                  PARCHUNK_UINT64, PARCHUNK_INT16, PARCHUNK_FLOAT32};
    for (size_t k = 0; k < sizeof dts / sizeof *dts; k++) {
        parchunk_dtype d = dts[k];
        size_t sz = parchunk_dtype_size(d);
        void *x = make_data(n, d, 0);
        void *ref = reference_sort(x, n, d);
        void *out = malloc(n * sz);
        for (size_t t = 0; t < 4; t++) {
            parchunk_ctx *ctx = make_ctx(thread_counts[t], t == 3 ? 7777 : 0, 0);
            memset(out, 0x5A, n * sz);
            assert_int_equal(parchunk_sort(ctx, x, n, d, out), PARCHUNK_OK);
            assert_memory_equal(out, ref, n * sz);
            parchunk_ctx_free(ctx);
        }
        free(x);
        free(ref);
        free(out);
    }
}

static void test_bad_input(void **state)
{
    (void)state;
    parchunk_ctx *ctx = make_ctx(2, 0, 0);
    double x[8] = {8, 7, 6, 5, 4, 3, 2, 1}, out[8];
    int64_t idx[8];
    assert_int_equal(parchunk_sort(ctx, NULL, 3, PARCHUNK_FLOAT64, out), PARCHUNK_ERR_NULL);
    assert_int_equal(parchunk_sort(ctx, x, 3, PARCHUNK_FLOAT64, NULL), PARCHUNK_ERR_NULL);
    assert_int_equal(parchunk_argsort(ctx, x, 3, PARCHUNK_FLOAT64, NULL), PARCHUNK_ERR_NULL);
    assert_int_equal(parchunk_sort(ctx, NULL, 0, PARCHUNK_FLOAT64, NULL), PARCHUNK_OK);
    assert_int_equal(parchunk_argsort(ctx, NULL, 0, PARCHUNK_FLOAT64, NULL), PARCHUNK_OK);
    assert_int_equal(parchunk_sort(ctx, x, 3, (parchunk_dtype)10, out), PARCHUNK_ERR_DTYPE);
    assert_int_equal(parchunk_argsort(ctx, x, 3, (parchunk_dtype)-3, idx), PARCHUNK_ERR_DTYPE);
    assert_int_equal(parchunk_sort(ctx, x, 4, PARCHUNK_FLOAT64, x + 2), PARCHUNK_ERR_ARG);
    assert_int_equal(parchunk_argsort(ctx, x, 4, PARCHUNK_FLOAT64, (int64_t *)(void *)x),
                     PARCHUNK_ERR_ARG);
    assert_true(strlen(parchunk_ctx_last_error(ctx)) > 0);
    assert_true(x[0] == 8 && x[3] == 5);
    /* a length no memory can hold: refused before anything is touched */
    assert_int_equal(parchunk_sort(ctx, x, SIZE_MAX, PARCHUNK_FLOAT64, out), PARCHUNK_ERR_ARG);
    assert_int_equal(parchunk_argsort(ctx, x, SIZE_MAX / 2, PARCHUNK_INT8, idx),
                     PARCHUNK_ERR_ARG);
    /* cancelled: output untouched */
    memset(out, 0, sizeof out);
    memset(idx, 0, sizeof idx);
    parchunk_ctx_cancel(ctx);
    assert_int_equal(parchunk_sort(ctx, x, 8, PARCHUNK_FLOAT64, out), PARCHUNK_ERR_CANCELLED);
    assert_int_equal(parchunk_argsort(ctx, x, 8, PARCHUNK_FLOAT64, idx), PARCHUNK_ERR_CANCELLED);
    for (int i = 0; i < 8; i++)
        assert_true(out[i] == 0.0 && idx[i] == 0);
    parchunk_ctx_clear_cancel(ctx);
    assert_int_equal(parchunk_sort(ctx, x, 8, PARCHUNK_FLOAT64, out), PARCHUNK_OK);
    assert_true(out[0] == 1.0 && out[7] == 8.0);
    parchunk_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_dtypes_random_bits),
        cmocka_unit_test(test_all_dtypes_many_ties),
        cmocka_unit_test(test_floats_with_nans_zeros_infs),
        cmocka_unit_test(test_nan_and_zero_order),
        cmocka_unit_test(test_argsort_stable_large),
        cmocka_unit_test(test_large_float64_threads_identical),
        cmocka_unit_test(test_clustered_big_buckets),
        cmocka_unit_test(test_large_crowded),
        cmocka_unit_test(test_large_integers_threads_identical),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
