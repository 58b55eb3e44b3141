/*
 * fuzz_count.c - libFuzzer harness for the non-overlapping needle count.
 * Input: byte 0 = needle length (1..16), byte 1 = chunk size (1..32), then
 * the needle, then the text. Oracle: a naive greedy count (bytes.count).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parchunk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    size_t m = (size_t)(data[0] & 15) + 1, chunk = (size_t)(data[1] & 31) + 1;
    if (size < 2 + m)
        return 0;
    const uint8_t *needle = data + 2, *text = data + 2 + m;
    size_t n = size - 2 - m;
    uint64_t expect = 0;
    for (size_t i = 0; i + m <= n;) {
        if (memcmp(text + i, needle, m) == 0) {
            expect++;
            i += m;
        } else {
            i++;
        }
    }
    parchunk_ctx *ctx = NULL;
    parchunk_ctx_new(&ctx);
    parchunk_ctx_set_chunk_size(ctx, chunk);
    parchunk_ctx_set_serial_cutoff(ctx, 0);
    uint64_t got = 0;
    if (parchunk_bytes_count(ctx, text, n, needle, m, &got) != PARCHUNK_OK || got != expect)
        abort();
    parchunk_ctx_free(ctx);
    return 0;
}
