/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, as zlib and
 * RFC 8489 §14.7 FINGERPRINT use), slice-by-8: eight table lookups per
 * 8 bytes. The 8 KiB of tables are computed when the program loads, so no
 * worker ever races to fill them.
 */
#include "stun.h"

static uint32_t crc_tab[8][256];

static void __attribute__((constructor))
crc32_tables_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int b = 0; b < 8; b++)
			c = c >> 1 ^ (0xEDB88320u & (0u - (c & 1u)));
		crc_tab[0][i] = c;
	}
	for (uint32_t i = 0; i < 256; i++)
		for (int t = 1; t < 8; t++)
			crc_tab[t][i] = crc_tab[t - 1][i] >> 8 ^ crc_tab[0][crc_tab[t - 1][i] & 0xff];
}

uint32_t
stun_crc32(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	for (; n >= 8; n -= 8, p += 8) {
		uint32_t lo = c ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 |
				   (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
		uint32_t hi = (uint32_t)p[4] | (uint32_t)p[5] << 8 |
			      (uint32_t)p[6] << 16 | (uint32_t)p[7] << 24;

		c = crc_tab[7][lo & 0xff] ^ crc_tab[6][lo >> 8 & 0xff] ^
		    crc_tab[5][lo >> 16 & 0xff] ^ crc_tab[4][lo >> 24] ^
		    crc_tab[3][hi & 0xff] ^ crc_tab[2][hi >> 8 & 0xff] ^
		    crc_tab[1][hi >> 16 & 0xff] ^ crc_tab[0][hi >> 24];
	}
	for (; n > 0; n--, p++)
		c = c >> 8 ^ crc_tab[0][(c ^ *p) & 0xff];
	return c ^ 0xffffffffu;
}
