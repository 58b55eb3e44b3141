/*
 * test_stats_axis.c - parchunk_reduce_axis: rows (inner == 1) equal the 1-D
 * call on each row bit for bit; columns (inner > 1) match a long-double
 * reference; results identical for any thread count; skipna; bad input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "stats_testutil.h"

static const int axis_ops[] = {PARCHUNK_OP_SUM, PARCHUNK_OP_MEAN, PARCHUNK_OP_MIN,
                               PARCHUNK_OP_MAX, PARCHUNK_OP_VAR,  PARCHUNK_OP_STD};

static void test_rows_equal_1d(void **unused)
{
    (void)unused;
    /* (outer, len): short rows (parallel over rows), long rows (> chunk),
     * and a few long rows (each row in parallel) */
    const size_t shapes[][2] = {{50, 37}, {5, 2100}, {1, 2500}, {3, 1}};
    for (int d = 0; d < PARCHUNK_DTYPE_COUNT; d++)
        for (size_t s = 0; s < 4; s++) {
            parchunk_dtype dt = tu_dtypes[d];
            size_t outer = shapes[s][0], len = shapes[s][1], size = parchunk_dtype_size(dt);
            void *x = tu_random(outer * len, dt, 0);
            if (tu_is_float(dt))
                tu_set(x, outer * len / 2, dt, NAN);
            for (size_t oi = 0; oi < 6; oi++)
                for (uint32_t flags = 0; flags <= PARCHUNK_SKIPNA; flags++) {
                    int op = axis_ops[oi];
                    int64_t ddof = len > 1 ? 1 : 0;
                    unsigned char *out = calloc(outer, 8), *first = calloc(outer, 8);
                    const int th[] = {1, 2, 3, 8};
                    for (int t = 0; t < 4; t++) {
                        parchunk_ctx *ctx = tu_ctx(th[t], 1000);
                        assert_int_equal(
                            parchunk_reduce_axis(ctx, op, x, outer, len, 1, dt, ddof, flags, out),
                            PARCHUNK_OK);
                        if (t == 0)
                            memcpy(first, out, outer * 8);
                        else
                            assert_memory_equal(first, out, outer * 8);
                        parchunk_ctx_free(ctx);
                    }
                    parchunk_ctx *ctx = tu_ctx(2, 1000);
                    size_t rsize = pc_result_size(op, dt);
                    for (size_t r = 0; r < outer; r++) {
                        unsigned char want[8] = {0};
                        assert_int_equal(parchunk_reduce(ctx, op,
                                                         (unsigned char *)x + r * len * size, len,
                                                         dt, ddof, flags, want),
                                         PARCHUNK_OK);
                        assert_memory_equal(want, out + r * rsize, rsize);
                    }
                    parchunk_ctx_free(ctx);
                    free(out);
                    free(first);
                }
            free(x);
        }
}

static long double ref_col(int op, const void *x, size_t o, size_t len, size_t inner, size_t j,
                           parchunk_dtype dt, int skip, int64_t ddof)
{
    long double s = 0, best = 0;
    size_t k = 0;
    int seen = 0, nan = 0;
    for (size_t r = 0; r < len; r++) {
        long double v = tu_get(x, (o * len + r) * inner + j, dt);
        if (v != v) {
            nan = 1;
            continue;
        }
        s += v;
        k++;
        if (!seen || (op == PARCHUNK_OP_MIN ? v < best : v > best))
            best = v;
        seen = 1;
    }
    if (nan && !skip)
        return NAN;
    long double m = k ? s / k : NAN, q = 0;
    for (size_t r = 0; r < len; r++) {
        long double v = tu_get(x, (o * len + r) * inner + j, dt);
        if (v == v)
            q += (v - m) * (v - m);
    }
    switch (op) {
    case PARCHUNK_OP_SUM: return s;
    case PARCHUNK_OP_MEAN: return m;
    case PARCHUNK_OP_MIN:
    case PARCHUNK_OP_MAX: return seen ? best : NAN;
    case PARCHUNK_OP_VAR: return (long double)k > ddof ? q / (k - ddof) : NAN;
    default: return (long double)k > ddof ? sqrtl(q / (k - ddof)) : NAN;
    }
}

static void test_columns(void **unused)
{
    (void)unused;
    const size_t shapes[][3] = {{1, 300, 5}, {3, 40, 130}, {2, 600, 67}, {4, 1, 9}};
    for (int d = 0; d < PARCHUNK_DTYPE_COUNT; d++)
        for (size_t s = 0; s < 4; s++) {
            parchunk_dtype dt = tu_dtypes[d];
            size_t outer = shapes[s][0], len = shapes[s][1], inner = shapes[s][2];
            size_t total = outer * len * inner;
            void *x = tu_random(total, dt, 0);
            if (dt == PARCHUNK_FLOAT64 && len > 1) {
                for (size_t i = 0; i < total; i++) /* offset data */
                    ((double *)x)[i] += 1e9;
                for (size_t r = 0; r < len; r++) /* an all-NaN column */
                    tu_set(x, r * inner + 1, dt, NAN);
            }
            if (dt == PARCHUNK_FLOAT32)
                tu_set(x, total / 3, dt, NAN);
            for (size_t oi = 0; oi < 6; oi++)
                for (uint32_t flags = 0; flags <= PARCHUNK_SKIPNA; flags++) {
                    int op = axis_ops[oi];
                    int64_t ddof = len > 1 ? 1 : 0;
                    size_t outputs = outer * inner, rsize = pc_result_size(op, dt);
                    unsigned char *out = calloc(outputs, 8), *first = calloc(outputs, 8);
                    const int th[] = {1, 3, 8};
                    const size_t ch[] = {100, 0, 7};
                    for (int t = 0; t < 3; t++) {
                        parchunk_ctx *ctx = tu_ctx(th[t], ch[t]);
                        assert_int_equal(parchunk_reduce_axis(ctx, op, x, outer, len, inner, dt,
                                                              ddof, flags, out),
                                         PARCHUNK_OK);
                        if (t == 0)
                            memcpy(first, out, outputs * rsize);
                        else /* any thread count, any chunk size */
                            assert_memory_equal(first, out, outputs * rsize);
                        parchunk_ctx_free(ctx);
                    }
                    for (size_t o = 0; o < outer; o++)
                        for (size_t j = 0; j < inner; j++) {
                            long double want =
                                ref_col(op, x, o, len, inner, j, dt, (int)flags, ddof);
                            const unsigned char *p = out + (o * inner + j) * rsize;
                            if (op == PARCHUNK_OP_MIN || op == PARCHUNK_OP_MAX) {
                                long double got = tu_get(p, 0, dt);
                                assert_true((got != got && want != want) || got == want);
                            } else {
                                double got;
                                memcpy(&got, p, 8);
                                if (op == PARCHUNK_OP_SUM && flags && want != want)
                                    want = 0; /* nansum of nothing */
                                if (!tu_close(got, want, 1e-12))
                                    fail_msg("op %d dtype %d shape %zu col %zu,%zu: %.17g vs "
                                             "%.17Lg",
                                             op, dt, s, o, j, got, want);
                            }
                        }
                    free(out);
                    free(first);
                }
            free(x);
        }
}

static void test_axis_bad_input(void **unused)
{
    (void)unused;
    double x[6] = {1, 2, 3, 4, 5, 6}, out[6] = {42, 42, 42, 42, 42, 42};
    parchunk_ctx *ctx = tu_ctx(2, 0);
    assert_int_equal(
        parchunk_reduce_axis(ctx, PARCHUNK_OP_ARGMIN, x, 2, 3, 1, PARCHUNK_FLOAT64, 0, 0, out),
        PARCHUNK_ERR_ARG);
    assert_int_equal(parchunk_reduce_axis(ctx, PARCHUNK_OP_SUM, x, SIZE_MAX / 2, 3, 1,
                                          PARCHUNK_FLOAT64, 0, 0, out),
                     PARCHUNK_ERR_ARG);
    assert_int_equal(
        parchunk_reduce_axis(ctx, PARCHUNK_OP_SUM, NULL, 2, 3, 1, PARCHUNK_FLOAT64, 0, 0, out),
        PARCHUNK_ERR_NULL);
    assert_int_equal(
        parchunk_reduce_axis(ctx, PARCHUNK_OP_SUM, x, 2, 3, 1, PARCHUNK_FLOAT64, 0, 0, NULL),
        PARCHUNK_ERR_NULL);
    assert_int_equal(
        parchunk_reduce_axis(ctx, PARCHUNK_OP_SUM, x, 2, 3, 1, (parchunk_dtype)77, 0, 0, out),
        PARCHUNK_ERR_DTYPE);
    assert_int_equal(
        parchunk_reduce_axis(ctx, PARCHUNK_OP_VAR, x, 2, 3, 1, PARCHUNK_FLOAT64, 3, 0, out),
        PARCHUNK_ERR_ARG);
    assert_int_equal(
        parchunk_reduce_axis(ctx, PARCHUNK_OP_MEAN, x, 2, 0, 3, PARCHUNK_FLOAT64, 0, 0, out),
        PARCHUNK_ERR_EMPTY);
    for (int i = 0; i < 6; i++)
        assert_true(out[i] == 42);
    parchunk_ctx_cancel(ctx);
    assert_int_equal(
        parchunk_reduce_axis(ctx, PARCHUNK_OP_SUM, x, 2, 3, 1, PARCHUNK_FLOAT64, 0, 0, out),
        PARCHUNK_ERR_CANCELLED);
    for (int i = 0; i < 6; i++)
        assert_true(out[i] == 42);
    parchunk_ctx_clear_cancel(ctx);
    /* sum over an empty axis: zeros; nothing to compute: OK */
    assert_int_equal(
        parchunk_reduce_axis(ctx, PARCHUNK_OP_SUM, NULL, 2, 0, 3, PARCHUNK_FLOAT64, 0, 0, out),
        PARCHUNK_OK);
    for (int i = 0; i < 6; i++)
        assert_true(out[i] == 0);
    assert_int_equal(
        parchunk_reduce_axis(ctx, PARCHUNK_OP_MAX, NULL, 0, 5, 3, PARCHUNK_FLOAT64, 0, 0, NULL),
        PARCHUNK_OK);
    /* known answer: (2, 3) along axis 0 and axis 1 */
    assert_int_equal(
        parchunk_reduce_axis(ctx, PARCHUNK_OP_SUM, x, 1, 2, 3, PARCHUNK_FLOAT64, 0, 0, out),
        PARCHUNK_OK);
    assert_true(out[0] == 5 && out[1] == 7 && out[2] == 9);
    assert_int_equal(
        parchunk_reduce_axis(ctx, PARCHUNK_OP_MEAN, x, 2, 3, 1, PARCHUNK_FLOAT64, 0, 0, out),
        PARCHUNK_OK);
    assert_true(out[0] == 2 && out[1] == 5);
    /* integer column sums are exact, then rounded once (a double running
     * sum would lose the 1s next to 2^62) */
    int64_t big[3][2] = {{INT64_C(1) << 62, 1}, {1, INT64_C(1) << 62}, {-(INT64_C(1) << 62), 1}};
    assert_int_equal(
        parchunk_reduce_axis(ctx, PARCHUNK_OP_SUM, big, 1, 3, 2, PARCHUNK_INT64, 0, 0, out),
        PARCHUNK_OK);
    assert_true(out[0] == 1.0 && out[1] == 0x1p62 + 2);
    assert_int_equal(
        parchunk_reduce_axis(ctx, PARCHUNK_OP_MEAN, big, 1, 3, 2, PARCHUNK_INT64, 0, 0, out),
        PARCHUNK_OK);
    assert_true(out[0] == 1.0 / 3);
    parchunk_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_equal_1d),
        cmocka_unit_test(test_columns),
        cmocka_unit_test(test_axis_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
