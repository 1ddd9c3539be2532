/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_INET_CKSUM_H
#define SRTPFWD_INET_CKSUM_H

/*
 * The Internet checksum's ones' complement sum (RFC 1071), in the same
 * native-endian word convention as rte_raw_cksum, but summing 32-bit words
 * into a 64-bit accumulator: the compiler vectorises the loop, which
 * matters when every UDP payload is summed in software. Folding the 32-bit
 * words' sum gives the 16-bit words' sum because 2^16 = 1 (mod 2^16 - 1).
 */

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Unfolded sum of len bytes at buf, added to init. */
static inline uint64_t
inet_sum(const void *buf, size_t len, uint64_t init)
{
	const uint8_t *p = buf;
	uint64_t sum = init;
	size_t i;

	for (i = 0; i + 4 <= len; i += 4) {
		uint32_t w;

		memcpy(&w, p + i, sizeof(w));
		sum += w;
	}
	if (len & 2) {
		uint16_t w;

		memcpy(&w, p + i, sizeof(w));
		sum += w;
		i += 2;
	}
	/* An odd last byte is the first byte of a zero-padded word. */
	if (len & 1) {
		uint16_t w = 0;

		memcpy(&w, p + i, 1);
		sum += w;
	}
	return sum;
}

/* Fold a sum to 16 bits (not complemented). */
static inline uint16_t
inet_sum_fold(uint64_t sum)
{
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

#endif /* SRTPFWD_INET_CKSUM_H */
