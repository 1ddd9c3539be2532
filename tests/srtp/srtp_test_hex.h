/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_TEST_SRTP_HEX_H
#define SRTPFWD_TEST_SRTP_HEX_H

#include <ctype.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes hex (spaces allowed) into out; returns the byte count. */
static inline size_t
hex_decode(const char *s, uint8_t *out, size_t max)
{
	size_t n = 0;
	int hi = -1;

	for (; *s != '\0' && n < max; s++) {
		int v;

		if (isspace((unsigned char)*s))
			continue;
		v = isdigit((unsigned char)*s) ? *s - '0' : (tolower((unsigned char)*s) - 'a' + 10);
		if (hi < 0) {
			hi = v;
		} else {
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	return n;
}

#endif /* SRTPFWD_TEST_SRTP_HEX_H */
