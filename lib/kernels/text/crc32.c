/*
 * crc32.c - zlib's CRC-32: a portable slicing-by-8 loop and the combination
 * of two CRCs (so chunks can be computed independently and joined in order).
 */
#include "text.h"

#include <string.h>

#include "crc32_table.h"

#define CRC32_POLY 0xedb88320u

uint32_t pc_crc32_portable(uint32_t crc, const unsigned char *p, size_t n)
{
    const uint32_t(*t)[256] = pc_crc32_table;
    crc = ~crc;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        uint32_t lo = (uint32_t)w ^ crc, hi = (uint32_t)(w >> 32);
        crc = t[7][lo & 0xff] ^ t[6][(lo >> 8) & 0xff] ^ t[5][(lo >> 16) & 0xff] ^ t[4][lo >> 24] ^
              t[3][hi & 0xff] ^ t[2][(hi >> 8) & 0xff] ^ t[1][(hi >> 16) & 0xff] ^ t[0][hi >> 24];
        p += 8;
        n -= 8;
    }
#endif
    while (n--)
        crc = t[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

/* a * b modulo the CRC polynomial, both in zlib's reflected form (x^0 is
 * the top bit). */
static uint32_t multmodp(uint32_t a, uint32_t b)
{
    uint32_t m = 1u << 31, p = 0;
    for (int i = 0; i < 32; i++) {
        if (a & m)
            p ^= b;
        m >>= 1;
        b = b & 1 ? (b >> 1) ^ CRC32_POLY : b >> 1;
    }
    return p;
}

/* x^(8 * n) modulo the polynomial, by square-and-multiply. */
static uint32_t x8nmodp(uint64_t n)
{
    uint32_t p = 1u << 31;      /* x^0 */
    uint32_t square = 1u << 23; /* x^8 */
    while (n) {
        if (n & 1)
            p = multmodp(square, p);
        square = multmodp(square, square);
        n >>= 1;
    }
    return p;
}

uint32_t pc_crc32_combine(uint32_t crc1, uint32_t crc2, uint64_t len2)
{
    return multmodp(x8nmodp(len2), crc1) ^ crc2;
}
