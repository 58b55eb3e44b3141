/*
 * test_partial.c - mergeable partial states: merging the partials of random
 * splits (in order, with different groupings) gives the one-call result
 * (bit-identical where exact, 1e-12 relative for float sums and moments);
 * the byte layout is as documented; malformed states are refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include <cmocka.h>

#include "stats_testutil.h"

enum { S = PARCHUNK_PARTIAL_STATE_SIZE, MAXPIECES = 9 };

static uint64_t rd_u64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

/* Partials of pieces cut at random points (some empty), merged left to
 * right (fold) or right to left (grouping differs). */
static void split_merge(parchunk_ctx *ctx, int op, const void *x, size_t n, parchunk_dtype dt,
                        uint32_t flags, int right_first, unsigned char *out)
{
    size_t cuts[MAXPIECES + 1];
    int pieces = 1 + (int)(tu_next() % MAXPIECES);
    cuts[0] = 0;
    cuts[pieces] = n;
    for (int i = 1; i < pieces; i++)
        cuts[i] = (size_t)(tu_next() % (n + 1));
    /* sort the cuts */
    for (int i = 1; i < pieces; i++)
        for (int j = i; j > 0 && cuts[j - 1] > cuts[j]; j--) {
            size_t t = cuts[j];
            cuts[j] = cuts[j - 1];
            cuts[j - 1] = t;
        }
    unsigned char st[MAXPIECES][S];
    size_t size = parchunk_dtype_size(dt);
    for (int i = 0; i < pieces; i++)
        assert_int_equal(parchunk_partial(ctx, op, (const unsigned char *)x + cuts[i] * size,
                                          cuts[i + 1] - cuts[i], dt, flags, st[i]),
                         PARCHUNK_OK);
    if (!right_first) {
        memcpy(out, st[0], S);
        for (int i = 1; i < pieces; i++)
            assert_int_equal(parchunk_partial_merge(ctx, out, st[i], out), PARCHUNK_OK);
    } else {
        memcpy(out, st[pieces - 1], S);
        for (int i = pieces - 2; i >= 0; i--)
            assert_int_equal(parchunk_partial_merge(ctx, st[i], out, out), PARCHUNK_OK);
    }
}

static int exact_op(int op, parchunk_dtype dt)
{
    switch (op) {
    case PARCHUNK_OP_MIN:
    case PARCHUNK_OP_MAX:
    case PARCHUNK_OP_COUNT_NONZERO:
    case PARCHUNK_OP_ARGMIN:
    case PARCHUNK_OP_ARGMAX: return 1;
    case PARCHUNK_OP_SUM:
    case PARCHUNK_OP_MEAN: return !tu_is_float(dt);
    default: return 0;
    }
}

static void compare_results(int op, parchunk_dtype dt, const void *a, const void *b)
{
    if (exact_op(op, dt)) {
        assert_memory_equal(
            a, b, op == PARCHUNK_OP_MIN || op == PARCHUNK_OP_MAX ? parchunk_dtype_size(dt) : 8);
        return;
    }
    if (op == PARCHUNK_OP_STATS) {
        const parchunk_stats_result *ra = a, *rb = b;
        assert_int_equal(ra->count, rb->count);
        assert_true(tu_close(ra->sum, rb->sum, 1e-12));
        assert_true(tu_close(ra->mean, rb->mean, 1e-12));
        assert_true(tu_close(ra->var, rb->var, 1e-12));
        assert_true(ra->min == rb->min && ra->max == rb->max);
        if (!tu_is_float(dt)) { /* integer sums are exact */
            assert_true(ra->sum == rb->sum);
            assert_true(ra->mean == rb->mean);
        }
        return;
    }
    double da, db;
    memcpy(&da, a, 8);
    memcpy(&db, b, 8);
    assert_true(tu_close(da, db, 1e-12));
}

static void test_random_splits(void **unused)
{
    (void)unused;
    size_t n = 12345;
    parchunk_ctx *ctx = tu_ctx(2, 1000);
    for (int d = 0; d < PARCHUNK_DTYPE_COUNT; d++) {
        parchunk_dtype dt = tu_dtypes[d];
        void *x = tu_random(n, dt, d % 2 ? 5 : 0); /* odd dtypes: many ties */
        if (dt == PARCHUNK_FLOAT64)                /* offset data for the moments */
            for (size_t i = 0; i < n; i++)
                ((double *)x)[i] = 1e9 + ((double *)x)[i];
        if (tu_is_float(dt) && d % 2) /* and NaN-skipping */
            for (size_t i = 0; i < n; i += 97)
                tu_set(x, i, dt, NAN);
        for (int op = PARCHUNK_OP_SUM; op <= PARCHUNK_OP_ARGMAX; op++)
            for (uint32_t flags = 0; flags <= PARCHUNK_SKIPNA; flags++) {
                if (tu_is_float(dt) && d % 2 && !flags && op != PARCHUNK_OP_COUNT_NONZERO)
                    continue; /* NaN results: covered below */
                unsigned char one[64], whole[S], merged[S], got[64];
                int64_t ddof = (op == PARCHUNK_OP_VAR || op == PARCHUNK_OP_STD) ? 1 : 0;
                assert_int_equal(parchunk_reduce(ctx, op, x, n, dt, ddof, flags, one), PARCHUNK_OK);
                /* the one-call state finalizes to the one-call result, bit for bit */
                assert_int_equal(parchunk_partial(ctx, op, x, n, dt, flags, whole), PARCHUNK_OK);
                memset(got, 0, sizeof got);
                assert_int_equal(parchunk_partial_finalize(ctx, whole, ddof, got), PARCHUNK_OK);
                assert_memory_equal(one, got, pc_result_size(op, dt));
                for (int rep = 0; rep < 6; rep++) {
                    split_merge(ctx, op, x, n, dt, flags, rep & 1, merged);
                    /* header fields as documented */
                    assert_memory_equal(merged, "PCPS", 4);
                    assert_int_equal(merged[4], PARCHUNK_PARTIAL_VERSION);
                    assert_int_equal(merged[5], op);
                    assert_int_equal(merged[6], dt);
                    assert_int_equal(merged[7], flags);
                    assert_int_equal(rd_u64(merged + 8), n);
                    memset(got, 0, sizeof got);
                    assert_int_equal(parchunk_partial_finalize(ctx, merged, ddof, got),
                                     PARCHUNK_OK);
                    compare_results(op, dt, one, got);
                    if ((op == PARCHUNK_OP_SUM || op == PARCHUNK_OP_MEAN) && !tu_is_float(dt)) {
                        int64_t h1, h2;
                        uint64_t l1, l2;
                        assert_int_equal(parchunk_partial_sum_int(ctx, whole, &h1, &l1),
                                         PARCHUNK_OK);
                        assert_int_equal(parchunk_partial_sum_int(ctx, merged, &h2, &l2),
                                         PARCHUNK_OK);
                        assert_true(h1 == h2 && l1 == l2);
                        int64_t hi;
                        uint64_t lo;
                        assert_int_equal(parchunk_sum_int(ctx, x, n, dt, &hi, &lo), PARCHUNK_OK);
                        assert_true(hi == h1 && lo == l1);
                    }
                }
            }
        free(x);
    }
    parchunk_ctx_free(ctx);
}

/* NaN propagation across pieces: the first NaN's index wins argmin. */
static void test_nan_across_pieces(void **unused)
{
    (void)unused;
    double x[10] = {5, 1, 3, NAN, 0, NAN, -1, 2, 2, 9};
    unsigned char a[S], b[S], m[S];
    int64_t idx;
    assert_int_equal(parchunk_partial(NULL, PARCHUNK_OP_ARGMIN, x, 4, PARCHUNK_FLOAT64, 0, a),
                     PARCHUNK_OK);
    assert_int_equal(parchunk_partial(NULL, PARCHUNK_OP_ARGMIN, x + 4, 6, PARCHUNK_FLOAT64, 0, b),
                     PARCHUNK_OK);
    assert_int_equal(parchunk_partial_merge(NULL, a, b, m), PARCHUNK_OK);
    assert_int_equal(parchunk_partial_finalize(NULL, m, 0, &idx), PARCHUNK_OK);
    assert_int_equal(idx, 3);
    /* skipping NaN: -1 at index 6 */
    assert_int_equal(
        parchunk_partial(NULL, PARCHUNK_OP_ARGMIN, x, 4, PARCHUNK_FLOAT64, PARCHUNK_SKIPNA, a),
        PARCHUNK_OK);
    assert_int_equal(
        parchunk_partial(NULL, PARCHUNK_OP_ARGMIN, x + 4, 6, PARCHUNK_FLOAT64, PARCHUNK_SKIPNA, b),
        PARCHUNK_OK);
    assert_int_equal(parchunk_partial_merge(NULL, a, b, m), PARCHUNK_OK);
    assert_int_equal(parchunk_partial_finalize(NULL, m, 0, &idx), PARCHUNK_OK);
    assert_int_equal(idx, 6);
    /* argmax ties across pieces: the first 9? here 2,2 tie; max 9 at 9 */
    double v;
    assert_int_equal(parchunk_partial(NULL, PARCHUNK_OP_VAR, x, 4, PARCHUNK_FLOAT64, 0, a),
                     PARCHUNK_OK);
    assert_int_equal(parchunk_partial(NULL, PARCHUNK_OP_VAR, x + 4, 6, PARCHUNK_FLOAT64, 0, b),
                     PARCHUNK_OK);
    assert_int_equal(parchunk_partial_merge(NULL, a, b, m), PARCHUNK_OK);
    assert_int_equal(parchunk_partial_finalize(NULL, m, 0, &v), PARCHUNK_OK);
    assert_true(isnan(v));
}

/* The documented layout, field by field, on a hand-checked example. */
static void test_layout(void **unused)
{
    (void)unused;
    int32_t xs[5] = {3, -7, 0, 12, -7};
    unsigned char st[S];
    assert_int_equal(parchunk_partial(NULL, PARCHUNK_OP_SUM, xs, 5, PARCHUNK_INT32, 0, st),
                     PARCHUNK_OK);
    assert_int_equal(rd_u64(st + 8), 5);
    assert_int_equal(rd_u64(st + 16), 5);
    assert_int_equal((int64_t)rd_u64(st + 32), 1); /* 3 - 7 + 0 + 12 - 7 */
    assert_int_equal(rd_u64(st + 40), 0);
    for (int i = 96; i < S; i++)
        assert_int_equal(st[i], 0);
    assert_int_equal(parchunk_partial(NULL, PARCHUNK_OP_ARGMIN, xs, 5, PARCHUNK_INT32, 0, st),
                     PARCHUNK_OK);
    assert_int_equal(rd_u64(st + 88), 1); /* first -7 */
    assert_int_equal((int32_t)rd_u64(st + 72), -7);
    assert_int_equal(rd_u64(st + 72) >> 32, 0); /* zero-padded */
    assert_int_equal(
        parchunk_partial(NULL, PARCHUNK_OP_COUNT_NONZERO, xs, 5, PARCHUNK_INT32, 0, st),
        PARCHUNK_OK);
    assert_int_equal(rd_u64(st + 16), 4);
    double d[4] = {1, 2, 3, 4};
    assert_int_equal(parchunk_partial(NULL, PARCHUNK_OP_VAR, d, 4, PARCHUNK_FLOAT64, 0, st),
                     PARCHUNK_OK);
    double sum, mh, ml, m2;
    uint64_t u;
    u = rd_u64(st + 24);
    memcpy(&sum, &u, 8);
    u = rd_u64(st + 48);
    memcpy(&mh, &u, 8);
    u = rd_u64(st + 56);
    memcpy(&ml, &u, 8);
    u = rd_u64(st + 64);
    memcpy(&m2, &u, 8);
    assert_true(sum == 10.0 && mh + ml == 2.5 && m2 == 5.0);
    int32_t op, dtype;
    uint32_t flags;
    uint64_t n;
    assert_int_equal(parchunk_partial_info(NULL, st, &op, &dtype, &flags, &n), PARCHUNK_OK);
    assert_true(op == PARCHUNK_OP_VAR && dtype == PARCHUNK_FLOAT64 && flags == 0 && n == 4);
    /* the empty state is the identity */
    unsigned char e[S], m[S];
    assert_int_equal(parchunk_partial(NULL, PARCHUNK_OP_VAR, NULL, 0, PARCHUNK_FLOAT64, 0, e),
                     PARCHUNK_OK);
    assert_int_equal(parchunk_partial_merge(NULL, e, st, m), PARCHUNK_OK);
    assert_memory_equal(m, st, S);
    assert_int_equal(parchunk_partial_merge(NULL, st, e, m), PARCHUNK_OK);
    assert_memory_equal(m, st, S);
    double v = 7;
    assert_int_equal(parchunk_partial_finalize(NULL, e, 0, &v), PARCHUNK_ERR_EMPTY);
    assert_true(v == 7);
}

static void test_malformed(void **unused)
{
    (void)unused;
    double d[3] = {1, 2, 3};
    unsigned char a[S], b[S], bad[S], out[S];
    parchunk_ctx *ctx = tu_ctx(1, 0);
    assert_int_equal(parchunk_partial(ctx, PARCHUNK_OP_SUM, d, 3, PARCHUNK_FLOAT64, 0, a),
                     PARCHUNK_OK);
    assert_int_equal(parchunk_partial(ctx, PARCHUNK_OP_MEAN, d, 3, PARCHUNK_FLOAT64, 0, b),
                     PARCHUNK_OK);
    memset(out, 0x5A, S);
    assert_int_equal(parchunk_partial_merge(ctx, a, b, out), PARCHUNK_ERR_ARG); /* op differs */
    assert_true(strlen(parchunk_ctx_last_error(ctx)) > 0);
    assert_int_equal(
        parchunk_partial(ctx, PARCHUNK_OP_SUM, d, 3, PARCHUNK_FLOAT64, PARCHUNK_SKIPNA, b),
        PARCHUNK_OK);
    assert_int_equal(parchunk_partial_merge(ctx, a, b, out), PARCHUNK_ERR_ARG); /* flags */
    float f[1] = {1};
    assert_int_equal(parchunk_partial(ctx, PARCHUNK_OP_SUM, f, 1, PARCHUNK_FLOAT32, 0, b),
                     PARCHUNK_OK);
    assert_int_equal(parchunk_partial_merge(ctx, a, b, out), PARCHUNK_ERR_ARG); /* dtype */
    const int offsets[] = {0, 4, 5, 6, 7, 100};
    const unsigned char values[] = {'X', 2, 0, 10, 2, 1};
    for (int i = 0; i < 6; i++) {
        memcpy(bad, a, S);
        bad[offsets[i]] = values[i];
        assert_int_equal(parchunk_partial_merge(ctx, a, bad, out), PARCHUNK_ERR_ARG);
        assert_int_equal(parchunk_partial_finalize(ctx, bad, 0, out), PARCHUNK_ERR_ARG);
        assert_int_equal(parchunk_partial_info(ctx, bad, NULL, NULL, NULL, NULL), PARCHUNK_ERR_ARG);
    }
    memcpy(bad, a, S);
    bad[16] = 9; /* count > n */
    assert_int_equal(parchunk_partial_finalize(ctx, bad, 0, out), PARCHUNK_ERR_ARG);
    for (int i = 0; i < S; i++)
        assert_int_equal(out[i], 0x5A); /* never written */
    assert_int_equal(parchunk_partial_merge(ctx, NULL, a, out), PARCHUNK_ERR_NULL);
    assert_int_equal(parchunk_partial_merge(ctx, a, a, NULL), PARCHUNK_ERR_NULL);
    assert_int_equal(parchunk_partial(ctx, (parchunk_op)42, d, 3, PARCHUNK_FLOAT64, 0, a),
                     PARCHUNK_ERR_ARG);
    assert_int_equal(parchunk_partial(ctx, PARCHUNK_OP_SUM, d, 3, PARCHUNK_FLOAT64, 4, a),
                     PARCHUNK_ERR_ARG);
    assert_int_equal(parchunk_partial(ctx, PARCHUNK_OP_SUM, NULL, 3, PARCHUNK_FLOAT64, 0, a),
                     PARCHUNK_ERR_NULL);
    int64_t hi;
    uint64_t lo;
    assert_int_equal(parchunk_partial_sum_int(ctx, a, &hi, &lo), PARCHUNK_ERR_DTYPE);
    parchunk_ctx_free(ctx);
}

/* Is byte off of a state of op/dtype in a field the op uses (the layout in
 * parchunk.h)? Padding of the min/max elements is never used. */
static bool byte_used(int op, parchunk_dtype dt, int off)
{
    bool fl = dt == PARCHUNK_FLOAT32 || dt == PARCHUNK_FLOAT64;
    bool moments = op == PARCHUNK_OP_VAR || op == PARCHUNK_OP_STD || op == PARCHUNK_OP_STATS;
    bool sums = op == PARCHUNK_OP_SUM || op == PARCHUNK_OP_MEAN || moments;
    int size = (int)parchunk_dtype_size(dt);
    if (off < 24)
        return true;
    if (off < 32)
        return sums && fl;
    if (off < 48)
        return sums && !fl;
    if (off < 72)
        return moments;
    if (off < 80)
        return off - 72 < size &&
               (op == PARCHUNK_OP_MIN || op == PARCHUNK_OP_STATS || op == PARCHUNK_OP_ARGMIN);
    if (off < 88)
        return off - 80 < size &&
               (op == PARCHUNK_OP_MAX || op == PARCHUNK_OP_STATS || op == PARCHUNK_OP_ARGMAX);
    if (off < 96)
        return op == PARCHUNK_OP_ARGMIN || op == PARCHUNK_OP_ARGMAX;
    return false;
}

/* Corruption a header check cannot see: a byte in a field the op does not
 * use (or in the zero padding of a min/max element), a negative M2. Every
 * one is refused by info, merge and finalize; every genuine state passes. */
static void test_non_canonical(void **unused)
{
    (void)unused;
    int8_t i8[4] = {3, -7, 5, 1};
    double d[4] = {1.5, -2, 8, 0.25};
    unsigned char st[S], bad[S], out[S];
    parchunk_ctx *ctx = tu_ctx(1, 0);
    for (int op = PARCHUNK_OP_SUM; op <= PARCHUNK_OP_ARGMAX; op++) {
        for (int k = 0; k < 2; k++) {
            const void *x = k ? (const void *)d : (const void *)i8;
            parchunk_dtype dt = k ? PARCHUNK_FLOAT64 : PARCHUNK_INT8;
            assert_int_equal(parchunk_partial(ctx, (parchunk_op)op, x, 4, dt, 0, st), PARCHUNK_OK);
            assert_int_equal(parchunk_partial_info(ctx, st, NULL, NULL, NULL, NULL), PARCHUNK_OK);
            for (int off = 24; off < 96; off++) {
                if (byte_used(op, dt, off))
                    continue; /* any value may be genuine */
                memcpy(bad, st, S);
                bad[off] = 0x40;
                assert_int_equal(parchunk_partial_info(ctx, bad, NULL, NULL, NULL, NULL),
                                 PARCHUNK_ERR_ARG);
                memset(out, 0x5A, S);
                assert_int_equal(parchunk_partial_merge(ctx, st, bad, out), PARCHUNK_ERR_ARG);
                assert_int_equal(parchunk_partial_finalize(ctx, bad, 0, out), PARCHUNK_ERR_ARG);
                for (int i = 0; i < S; i++)
                    assert_int_equal(out[i], 0x5A);
            }
            if (op == PARCHUNK_OP_VAR || op == PARCHUNK_OP_STD || op == PARCHUNK_OP_STATS) {
                memcpy(bad, st, S);
                bad[71] |= 0x80; /* the sign bit of M2 (offset 64, little-endian) */
                assert_int_equal(parchunk_partial_finalize(ctx, bad, 0, out), PARCHUNK_ERR_ARG);
            }
        }
    }
    parchunk_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_splits),
        cmocka_unit_test(test_nan_across_pieces),
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_non_canonical),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
