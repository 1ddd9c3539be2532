/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_SRTP_TAG_H
#define SRTPFWD_SRTP_TAG_H

/*
 * Authentication tags on the packet path: copied with the fixed sizes the
 * profiles use, and compared in constant time (RFC 3711 §3.3 step 5: a
 * comparison whose time depends on how many bytes match lets an attacker
 * forge a tag byte by byte).
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>

#include "srtp_profile.h"

/* dst = src[0..len), len one of the profiles' tag lengths (4, 10, 16). */
static inline void
srtp_tag_copy(uint8_t *dst, const uint8_t *src, uint8_t len)
{
	/* Constant sizes: the compiler copies in two moves instead of calling memcpy. */
	switch (len) {
	case 4:
		memcpy(dst, src, 4);
		break;
	case 10:
		memcpy(dst, src, 10);
		break;
	case 16:
		memcpy(dst, src, 16);
		break;
	default:
		memcpy(dst, src, len);
		break;
	}
}

/*
 * Whether the first len bytes (len <= SRTP_TAG_MAX) of a and b are equal;
 * both buffers are SRTP_TAG_MAX bytes long (what lies past len is ignored).
 * The time depends on len only: both words are always XORed, masked and
 * ORed together, and the barrier keeps the compiler from turning the result
 * into an early exit on the first word. This is CRYPTO_memcmp's guarantee
 * without its out-of-line byte loop on every inbound packet.
 */
static inline bool
srtp_tag_equal(const uint8_t *a, const uint8_t *b, uint8_t len)
{
	uint64_t a0, a1, b0, b1, m0, m1, diff;

	memcpy(&a0, a, 8);
	memcpy(&a1, a + 8, 8);
	memcpy(&b0, b, 8);
	memcpy(&b1, b + 8, 8);
	/* Little-endian words: buffer byte k is bits 8k..8k+7 of its word. */
	a0 = rte_le_to_cpu_64(a0);
	a1 = rte_le_to_cpu_64(a1);
	b0 = rte_le_to_cpu_64(b0);
	b1 = rte_le_to_cpu_64(b1);
	m0 = len >= 8 ? UINT64_MAX : (UINT64_C(1) << (8 * len)) - 1;
	m1 = len >= 16 ? UINT64_MAX : len <= 8 ? 0 : (UINT64_C(1) << (8 * (len - 8))) - 1;
	diff = ((a0 ^ b0) & m0) | ((a1 ^ b1) & m1);
	__asm__ volatile("" : "+r"(diff));
	return diff == 0;
}

#endif /* SRTPFWD_SRTP_TAG_H */
