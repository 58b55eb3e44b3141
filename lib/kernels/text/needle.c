/*
 * needle.c - greedy non-overlapping search, as bytes.count() does it.
 *
 * The scan is exposed with a start offset and a "sync" list so the caller
 * can handle chunk boundaries: a chunk is scanned as if no earlier match
 * reached into it; if one did, the chunk is rescanned from where that match
 * ended until the rescan hits a match the first scan also found - from then
 * on both greedy scans are the same scan.
 */
#include "text.h"

#include <string.h>

void pc_needle_scan_run(const unsigned char *text, size_t len, size_t start, size_t limit,
                        const unsigned char *needle, size_t m, const size_t *sync, size_t nsync,
                        pc_needle_scan *out)
{
    out->count = 0;
    out->nfirst = 0;
    out->synced = -1;
    /* A match starting before limit ends by limit + m - 1. */
    if (limit > len)
        limit = len;
    size_t search_end = m - 1 <= len - limit ? limit + m - 1 : len;
    size_t pos = start, si = 0;
    while (pos < limit && search_end - pos >= m) {
        const unsigned char *hit = memmem(text + pos, search_end - pos, needle, m);
        if (hit == NULL)
            break;
        size_t p = (size_t)(hit - text);
        if (nsync > 0) {
            while (si < nsync && sync[si] < p)
                si++;
            if (si < nsync && sync[si] == p) {
                out->synced = (long)si;
                out->resume = p;
                return;
            }
        }
        if (out->nfirst < PC_NEEDLE_TRACK)
            out->first[out->nfirst++] = p;
        out->count++;
        pos = p + m;
    }
    out->resume = pos > limit ? pos : limit;
}
