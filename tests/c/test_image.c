/*
 * test_image.c - grayscale conversion: both kernel variants against the
 * Pillow formula over all 2^24 RGB colours, known answers taken from Pillow,
 * thread/chunk independence, batches of mixed sizes, and every bad input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "parchunk.h"

/* White-box: the kernel variants themselves (pure functions, no globals). */
#include "kernels/image/gray.c"

enum { SIDE = 4096 }; /* SIDE * SIDE == 2^24: every RGB colour once */

/* The oracle, written independently of the library: Pillow's L24 macro. */
static uint8_t oracle(unsigned r, unsigned g, unsigned b)
{
    return (uint8_t)((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
}

/* All 2^24 colours: pixel i has R = i >> 16, G = (i >> 8) & 255, B = i & 255;
 * in a 4-channel image the fourth byte is pseudo-random. */
static uint8_t *all_colours(size_t channels)
{
    uint8_t *img = malloc((size_t)SIDE * SIDE * channels);
    assert_non_null(img);
    uint32_t x = 12345;
    for (size_t i = 0; i < (size_t)SIDE * SIDE; i++) {
        img[i * channels] = (uint8_t)(i >> 16);
        img[i * channels + 1] = (uint8_t)(i >> 8);
        img[i * channels + 2] = (uint8_t)i;
        if (channels == 4) {
            x = x * 1103515245u + 12345u;
            img[i * channels + 3] = (uint8_t)(x >> 24);
        }
    }
    return img;
}

static void assert_all_colours(const uint8_t *out)
{
    for (size_t i = 0; i < (size_t)SIDE * SIDE; i++)
        if (out[i] != oracle((unsigned)(i >> 16), (unsigned)(i >> 8) & 255, (unsigned)i & 255))
            fail_msg("colour %06zx: got %u, want %u", i, out[i],
                     oracle((unsigned)(i >> 16), (unsigned)(i >> 8) & 255, (unsigned)i & 255));
}

static int cpu_has_avx2(void)
{
#if PC_GRAY_HAVE_AVX2
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2");
#else
    return 0;
#endif
}

static void check_variant(pc_gray_fn fn)
{
    for (size_t channels = 3; channels <= 4; channels++) {
        uint8_t *img = all_colours(channels);
        uint8_t *out = malloc((size_t)SIDE * SIDE);
        assert_non_null(out);
        /* odd lengths and offsets exercise the vector loops' tails */
        fn(img, out, 1, channels);
        fn(img + channels, out + 1, 37, channels);
        fn(img + 38 * channels, out + 38, (size_t)SIDE * SIDE - 38, channels);
        assert_all_colours(out);
        free(img);
        free(out);
    }
}

static void test_generic_kernel_all_colours(void **state)
{
    (void)state;
    check_variant(pc_gray_generic);
}

static void test_avx2_kernel_all_colours(void **state)
{
    (void)state;
#if PC_GRAY_HAVE_AVX2
    if (!cpu_has_avx2())
        skip();
    check_variant(pc_gray_avx2);
#else
    skip();
#endif
}

/* Values Pillow 13 printed for Image.fromarray(a).convert('L'). */
static void test_known_answers_from_pillow(void **state)
{
    (void)state;
    static const uint8_t rgb[][3] = {{0, 0, 0},    {255, 255, 255}, {255, 0, 0},     {0, 255, 0},
                                     {0, 0, 255},  {1, 1, 1},       {128, 128, 128}, {12, 200, 99},
                                     {250, 3, 77}, {100, 100, 101}, {0, 1, 0},       {3, 0, 0},
                                     {0, 0, 17},   {13, 7, 255}};
    static const uint8_t want[] = {0, 255, 76, 150, 29, 1, 128, 132, 85, 100, 1, 1, 2, 37};
    enum { N = sizeof want };
    uint8_t out[N];
    assert_int_equal(parchunk_to_grayscale(NULL, &rgb[0][0], 1, N, 3, out), PARCHUNK_OK);
    assert_memory_equal(out, want, N);
}

static parchunk_ctx *new_ctx(int threads, size_t chunk, size_t cutoff)
{
    parchunk_ctx *ctx = NULL;
    assert_int_equal(parchunk_ctx_new(&ctx), PARCHUNK_OK);
    assert_int_equal(parchunk_ctx_set_threads(ctx, threads), PARCHUNK_OK);
    assert_int_equal(parchunk_ctx_set_chunk_size(ctx, chunk), PARCHUNK_OK);
    assert_int_equal(parchunk_ctx_set_serial_cutoff(ctx, cutoff), PARCHUNK_OK);
    return ctx;
}

/* The library (dispatched variant) over all colours, any threads/chunks. */
static void test_api_all_colours_any_threads(void **state)
{
    (void)state;
    static const int threads[] = {1, 2, 3, 8};
    static const size_t chunks[] = {0, 7, 1000};
    for (size_t channels = 3; channels <= 4; channels++) {
        uint8_t *img = all_colours(channels);
        uint8_t *out = malloc((size_t)SIDE * SIDE);
        assert_non_null(out);
        for (size_t t = 0; t < 4; t++)
            for (size_t c = 0; c < 3; c++) {
                if (c != 1 && t != 1 && channels == 4)
                    continue; /* keep the suite short: 4 channels on a subset */
                parchunk_ctx *ctx = new_ctx(threads[t], chunks[c], 0);
                memset(out, 0xAB, (size_t)SIDE * SIDE);
                assert_int_equal(parchunk_to_grayscale(ctx, img, SIDE, SIDE, channels, out),
                                 PARCHUNK_OK);
                assert_all_colours(out);
                uint64_t done = 0, total = 0;
                assert_int_equal(parchunk_ctx_progress(ctx, &done, &total), PARCHUNK_OK);
                assert_int_equal(total, SIDE); /* rows */
                assert_int_equal(done, SIDE);
                parchunk_ctx_free(ctx);
            }
        free(img);
        free(out);
    }
}

/* The fourth byte never matters. */
static void test_rgba_ignores_alpha(void **state)
{
    (void)state;
    enum { H = 33, W = 65 };
    uint8_t a[H * W * 4], b[H * W * 4], oa[H * W], ob[H * W], rgb[H * W * 3], orgb[H * W];
    for (size_t i = 0; i < sizeof a; i++)
        a[i] = (uint8_t)(i * 2654435761u >> 13);
    memcpy(b, a, sizeof a);
    for (size_t i = 0; i < H * W; i++) {
        b[i * 4 + 3] = (uint8_t)~a[i * 4 + 3];
        memcpy(&rgb[i * 3], &a[i * 4], 3);
    }
    parchunk_ctx *ctx = new_ctx(3, 2, 0);
    assert_int_equal(parchunk_to_grayscale(ctx, a, H, W, 4, oa), PARCHUNK_OK);
    assert_int_equal(parchunk_to_grayscale(ctx, b, H, W, 4, ob), PARCHUNK_OK);
    assert_int_equal(parchunk_to_grayscale(ctx, rgb, H, W, 3, orgb), PARCHUNK_OK);
    assert_memory_equal(oa, ob, sizeof oa);
    assert_memory_equal(oa, orgb, sizeof oa);
    for (size_t i = 0; i < H * W; i++)
        assert_int_equal(oa[i], oracle(a[4 * i], a[4 * i + 1], a[4 * i + 2]));
    parchunk_ctx_free(ctx);
}

/* ---- batches -------------------------------------------------------------- */

enum { NB = 9 };
static const size_t batch_h[NB] = {5, 0, 1, 17, 3, 64, 7, 1, 40};
static const size_t batch_w[NB] = {3, 9, 100, 1, 0, 33, 7, 1, 129};
static const size_t batch_c[NB] = {3, 4, 4, 3, 3, 4, 3, 3, 3};

static void fill(uint8_t *p, size_t n, uint32_t seed)
{
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1664525u + 1013904223u;
        p[i] = (uint8_t)(seed >> 24);
    }
}

static void test_batch_mixed_sizes_any_threads(void **state)
{
    (void)state;
    uint8_t *imgs[NB], *outs[NB], *want[NB];
    for (size_t k = 0; k < NB; k++) {
        size_t px = batch_h[k] * batch_w[k];
        imgs[k] = px ? malloc(px * batch_c[k]) : NULL; /* empty images may be NULL */
        outs[k] = px ? malloc(px) : NULL;
        want[k] = malloc(px + 1);
        if (px) {
            fill(imgs[k], px * batch_c[k], (uint32_t)k);
            for (size_t i = 0; i < px; i++) {
                const uint8_t *p = imgs[k] + i * batch_c[k];
                want[k][i] = oracle(p[0], p[1], p[2]);
            }
        }
    }
    size_t total_rows = 0;
    for (size_t k = 0; k < NB; k++)
        total_rows += (batch_h[k] * batch_w[k] != 0) ? batch_h[k] : 0;

    static const int threads[] = {1, 2, 3, 8};
    static const size_t chunks[] = {1, 7, 16, 0};
    for (size_t t = 0; t < 4; t++)
        for (size_t c = 0; c < 4; c++) {
            parchunk_ctx *ctx = new_ctx(threads[t], chunks[c], 0);
            for (size_t k = 0; k < NB; k++)
                if (outs[k])
                    memset(outs[k], 0xCD, batch_h[k] * batch_w[k]);
            assert_int_equal(parchunk_to_grayscale_batch(ctx, NB, (const uint8_t *const *)imgs,
                                                         batch_h, batch_w, batch_c, outs),
                             PARCHUNK_OK);
            for (size_t k = 0; k < NB; k++)
                if (outs[k])
                    assert_memory_equal(outs[k], want[k], batch_h[k] * batch_w[k]);
            uint64_t done = 0, total = 0;
            assert_int_equal(parchunk_ctx_progress(ctx, &done, &total), PARCHUNK_OK);
            assert_int_equal(total, total_rows);
            assert_int_equal(done, total_rows);
            parchunk_ctx_free(ctx);
        }
    for (size_t k = 0; k < NB; k++) {
        free(imgs[k]);
        free(outs[k]);
        free(want[k]);
    }
}

static void test_batch_empty(void **state)
{
    (void)state;
    assert_int_equal(parchunk_to_grayscale_batch(NULL, 0, NULL, NULL, NULL, NULL, NULL),
                     PARCHUNK_OK);
    assert_int_equal(parchunk_to_grayscale(NULL, NULL, 0, 5, 3, NULL), PARCHUNK_OK);
    assert_int_equal(parchunk_to_grayscale(NULL, NULL, 5, 0, 4, NULL), PARCHUNK_OK);
}

/* ---- bad inputs ----------------------------------------------------------- */

static void expect_error(parchunk_ctx *ctx, parchunk_status got, parchunk_status want,
                         const char *detail_part)
{
    assert_int_equal(got, want);
    const char *detail = parchunk_ctx_last_error(ctx);
    if (strstr(detail, detail_part) == NULL)
        fail_msg("detail \"%s\" lacks \"%s\"", detail, detail_part);
}

static void test_bad_single_inputs(void **state)
{
    (void)state;
    parchunk_ctx *ctx = new_ctx(2, 0, 0);
    uint8_t img[4 * 4 * 4] = {0}, out[16];
    memset(out, 0x5A, sizeof out);
    expect_error(ctx, parchunk_to_grayscale(ctx, img, 4, 4, 2, out), PARCHUNK_ERR_ARG,
                 "channels is 2");
    expect_error(ctx, parchunk_to_grayscale(ctx, img, 4, 4, 5, out), PARCHUNK_ERR_ARG,
                 "channels is 5");
    expect_error(ctx, parchunk_to_grayscale(ctx, img, 4, 4, 0, out), PARCHUNK_ERR_ARG,
                 "channels is 0");
    expect_error(ctx, parchunk_to_grayscale(ctx, NULL, 4, 4, 3, out), PARCHUNK_ERR_NULL, "input");
    expect_error(ctx, parchunk_to_grayscale(ctx, img, 4, 4, 3, NULL), PARCHUNK_ERR_NULL, "out");
    expect_error(ctx, parchunk_to_grayscale(ctx, img, SIZE_MAX / 2, 3, 3, out),
                 PARCHUNK_ERR_OVERFLOW, "overflows");
    expect_error(ctx, parchunk_to_grayscale(ctx, img, SIZE_MAX / 8, 2, 3, out),
                 PARCHUNK_ERR_OVERFLOW, "larger than any buffer");
    expect_error(ctx, parchunk_to_grayscale(ctx, img, (size_t)1 << 61, 1, 4, out),
                 PARCHUNK_ERR_OVERFLOW, "larger than any buffer");
    /* in place, and out inside img */
    expect_error(ctx, parchunk_to_grayscale(ctx, img, 4, 4, 3, img), PARCHUNK_ERR_ARG, "overlaps");
    expect_error(ctx, parchunk_to_grayscale(ctx, img, 2, 4, 3, img + 23), PARCHUNK_ERR_ARG,
                 "overlaps");
    /* out right after img is fine */
    assert_int_equal(parchunk_to_grayscale(ctx, img, 2, 2, 4, img + 16), PARCHUNK_OK);
    for (size_t i = 0; i < sizeof out; i++)
        assert_int_equal(out[i], 0x5A); /* untouched by every error */

    /* ctx NULL: still a status */
    assert_int_equal(parchunk_to_grayscale(NULL, img, 4, 4, 7, out), PARCHUNK_ERR_ARG);

    /* cancelled: status, output untouched */
    parchunk_ctx_cancel(ctx);
    assert_int_equal(parchunk_to_grayscale(ctx, img, 4, 4, 3, out), PARCHUNK_ERR_CANCELLED);
    parchunk_ctx_clear_cancel(ctx);
    for (size_t i = 0; i < sizeof out; i++)
        assert_int_equal(out[i], 0x5A);
    parchunk_ctx_free(ctx);
}

static void test_bad_batch_inputs(void **state)
{
    (void)state;
    parchunk_ctx *ctx = new_ctx(2, 0, 0);
    uint8_t a[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, b[12] = {0}, oa[4], ob[4];
    memset(oa, 0x11, sizeof oa);
    memset(ob, 0x22, sizeof ob);
    const uint8_t *imgs[2] = {a, b};
    uint8_t *outs[2] = {oa, ob};
    size_t h[2] = {2, 2}, w[2] = {2, 2}, c[2] = {3, 3};

    expect_error(ctx, parchunk_to_grayscale_batch(ctx, 2, NULL, h, w, c, outs), PARCHUNK_ERR_NULL,
                 "imgs");
    expect_error(ctx, parchunk_to_grayscale_batch(ctx, 2, imgs, NULL, w, c, outs),
                 PARCHUNK_ERR_NULL, "heights");
    expect_error(ctx, parchunk_to_grayscale_batch(ctx, 2, imgs, h, NULL, c, outs),
                 PARCHUNK_ERR_NULL, "widths");
    expect_error(ctx, parchunk_to_grayscale_batch(ctx, 2, imgs, h, w, NULL, outs),
                 PARCHUNK_ERR_NULL, "channels");
    expect_error(ctx, parchunk_to_grayscale_batch(ctx, 2, imgs, h, w, c, NULL), PARCHUNK_ERR_NULL,
                 "outs");
    c[1] = 1;
    expect_error(ctx, parchunk_to_grayscale_batch(ctx, 2, imgs, h, w, c, outs), PARCHUNK_ERR_ARG,
                 "image 1: channels is 1");
    c[1] = 3;
    imgs[1] = NULL;
    expect_error(ctx, parchunk_to_grayscale_batch(ctx, 2, imgs, h, w, c, outs), PARCHUNK_ERR_NULL,
                 "image 1");
    imgs[1] = b;
    h[0] = SIZE_MAX;
    expect_error(ctx, parchunk_to_grayscale_batch(ctx, 2, imgs, h, w, c, outs),
                 PARCHUNK_ERR_OVERFLOW, "image 0");
    h[0] = 2;
    /* two outputs on one buffer; an output on another image's input */
    outs[1] = oa;
    expect_error(ctx, parchunk_to_grayscale_batch(ctx, 2, imgs, h, w, c, outs), PARCHUNK_ERR_ARG,
                 "overlaps");
    outs[1] = b + 4;
    expect_error(ctx, parchunk_to_grayscale_batch(ctx, 2, imgs, h, w, c, outs), PARCHUNK_ERR_ARG,
                 "image 1 overlaps a buffer of image 1");
    outs[1] = a + 8;
    expect_error(ctx, parchunk_to_grayscale_batch(ctx, 2, imgs, h, w, c, outs), PARCHUNK_ERR_ARG,
                 "image 1 overlaps a buffer of image 0");
    /* inputs may share memory */
    outs[1] = ob;
    imgs[1] = a;
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(oa[i], 0x11);
        assert_int_equal(ob[i], 0x22);
    }
    assert_int_equal(parchunk_to_grayscale_batch(ctx, 2, imgs, h, w, c, outs), PARCHUNK_OK);
    assert_memory_equal(oa, ob, 4);
    assert_int_equal(oa[0], oracle(1, 2, 3));
    parchunk_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generic_kernel_all_colours),
        cmocka_unit_test(test_avx2_kernel_all_colours),
        cmocka_unit_test(test_known_answers_from_pillow),
        cmocka_unit_test(test_api_all_colours_any_threads),
        cmocka_unit_test(test_rgba_ignores_alpha),
        cmocka_unit_test(test_batch_mixed_sizes_any_threads),
        cmocka_unit_test(test_batch_empty),
        cmocka_unit_test(test_bad_single_inputs),
        cmocka_unit_test(test_bad_batch_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
