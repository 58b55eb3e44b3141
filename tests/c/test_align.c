/*
 * test_align.c - typed arrays must be element-aligned (parchunk.h, general
 * rules): a misaligned input or output array gives PARCHUNK_ERR_ARG naming
 * it, nothing is written, and the same call on aligned memory succeeds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "test_helpers.h"

enum { N = 64 };

/* 8-byte aligned storage with room for a one-byte shift. */
typedef struct {
    _Alignas(16) unsigned char bytes[N * 8 + 16];
} buf;

static void fill(buf *b, unsigned char v)
{
    memset(b->bytes, v, sizeof b->bytes);
}

/* The last error names what was misaligned. */
static void assert_names(parchunk_ctx *ctx, const char *name)
{
    const char *e = parchunk_ctx_last_error(ctx);
    if (strstr(e, name) == NULL || strstr(e, "aligned") == NULL)
        fail_msg("last error \"%s\" does not name misaligned \"%s\"", e, name);
}

static void test_reductions_refuse_misaligned_input(void **state)
{
    (void)state;
    parchunk_ctx *ctx = test_ctx(2, 0, 0);
    static buf in;
    fill(&in, 0);
    static const parchunk_dtype dts[] = {PARCHUNK_INT16,   PARCHUNK_UINT16, PARCHUNK_INT32,
                                         PARCHUNK_UINT32,  PARCHUNK_INT64,  PARCHUNK_UINT64,
                                         PARCHUNK_FLOAT32, PARCHUNK_FLOAT64};
    for (size_t k = 0; k < sizeof dts / sizeof dts[0]; k++) {
        size_t size = parchunk_dtype_size(dts[k]);
        for (size_t shift = 1; shift < size; shift++) {
            const void *bad = in.bytes + shift;
            double out = 42.0;
            assert_status(ctx, parchunk_sum(ctx, bad, N, dts[k], &out), PARCHUNK_ERR_ARG);
            assert_names(ctx, "data");
            assert_status(ctx, parchunk_mean(ctx, bad, N, dts[k], &out), PARCHUNK_ERR_ARG);
            assert_status(ctx, parchunk_var(ctx, bad, N, dts[k], 0, &out), PARCHUNK_ERR_ARG);
            assert_status(ctx, parchunk_dot(ctx, in.bytes, bad, N, dts[k], &out), PARCHUNK_ERR_ARG);
            assert_names(ctx, "y");
            assert_true(out == 42.0);
        }
        /* the same call, aligned, works: zeros sum to zero */
        double out = 42.0;
        assert_ok(ctx, parchunk_sum(ctx, in.bytes, N, dts[k], &out));
        assert_true(out == 0.0);
    }
    /* one-byte elements have no alignment to miss */
    double out = -1.0;
    assert_ok(ctx, parchunk_sum(ctx, in.bytes + 1, N, PARCHUNK_UINT8, &out));
    assert_true(out == 0.0);
    parchunk_ctx_free(ctx);
}

static void test_array_outputs_refuse_misaligned(void **state)
{
    (void)state;
    parchunk_ctx *ctx = test_ctx(2, 0, 0);
    static buf in, out;
    fill(&in, 0);
    fill(&out, 0xAB);
    unsigned char *bad = out.bytes + 4; /* 4-aligned, not 8-aligned */

    assert_status(ctx, parchunk_cumsum(ctx, in.bytes, N, PARCHUNK_FLOAT64, bad, PARCHUNK_FLOAT64),
                  PARCHUNK_ERR_ARG);
    assert_names(ctx, "out");
    assert_status(
        ctx, parchunk_cumsum(ctx, in.bytes + 4, N, PARCHUNK_FLOAT64, out.bytes, PARCHUNK_FLOAT64),
        PARCHUNK_ERR_ARG);
    assert_status(ctx, parchunk_sort(ctx, in.bytes, N, PARCHUNK_INT64, bad), PARCHUNK_ERR_ARG);
    assert_names(ctx, "out");
    assert_status(ctx, parchunk_argsort(ctx, in.bytes, N, PARCHUNK_INT32, (int64_t *)(void *)bad),
                  PARCHUNK_ERR_ARG);
    assert_names(ctx, "indices");
    assert_status(ctx, parchunk_random_uniform(ctx, 1, 0, N, 0.0, 1.0, PARCHUNK_FLOAT64, bad),
                  PARCHUNK_ERR_ARG);
    assert_names(ctx, "out");
    assert_status(ctx, parchunk_random_integers(ctx, 1, 0, N, 0, 10, (int64_t *)(void *)bad),
                  PARCHUNK_ERR_ARG);
    double w[2] = {0.5, -0.5};
    assert_status(ctx,
                  parchunk_logreg_predict_proba(ctx, in.bytes, N / 2, 2, PARCHUNK_FLOAT64, w,
                                                (double *)(void *)bad),
                  PARCHUNK_ERR_ARG);
    assert_names(ctx, "out");
    assert_status(ctx,
                  parchunk_logreg_predict_proba(ctx, in.bytes + 4, N / 2, 2, PARCHUNK_FLOAT64, w,
                                                (double *)(void *)out.bytes),
                  PARCHUNK_ERR_ARG);
    assert_names(ctx, "X");
    /* nothing was written anywhere */
    for (size_t i = 0; i < sizeof out.bytes; i++)
        assert_int_equal(out.bytes[i], 0xAB);
    /* float32 output needs only 4-byte alignment */
    assert_ok(ctx, parchunk_random_uniform(ctx, 1, 0, N, 0.0, 1.0, PARCHUNK_FLOAT32, bad));
    parchunk_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reductions_refuse_misaligned_input),
        cmocka_unit_test(test_array_outputs_refuse_misaligned),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
