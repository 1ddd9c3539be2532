/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_INET_CKSUM_H
#define SRTPFWD_INET_CKSUM_H

/*
 * The Internet checksum's ones' complement sum (RFC 1071), in the same
 * native-endian word convention as rte_raw_cksum. Every UDP datagram whose
 * checksum is verified in software (no NIC verdict) or whose payload SRTP
 * rewrote is summed here, so it is vectorised: with AVX2, 32 bytes a step
 * into eight 32-bit lanes, each adding the two 16-bit words of its 32-bit
 * word separately so that no carry is ever lost (a lane gains at most
 * 2 * 0xffff a step: 2^15 steps, 1 MiB, before it could overflow, far
 * beyond any datagram). Without AVX2, 32-bit words into a 64-bit
 * accumulator. Folding either to 16 bits gives the 16-bit words' sum
 * because 2^16 = 1 (mod 2^16 - 1).
 */

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __AVX2__
#include <immintrin.h>
#endif

/* Unfolded sum of len bytes (at most 1 MiB) at buf, added to init. */
static inline uint64_t
inet_sum(const void *buf, size_t len, uint64_t init)
{
	const uint8_t *p = buf;
	uint64_t sum = init;
	size_t i = 0;

#ifdef __AVX2__
	if (len >= 32) {
		const __m256i low16 = _mm256_set1_epi32(0xffff);
		__m256i acc = _mm256_setzero_si256();
		__m128i s;

		for (; i + 32 <= len; i += 32) {
			__m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(p + i));

			acc = _mm256_add_epi32(acc, _mm256_and_si256(v, low16));
			acc = _mm256_add_epi32(acc, _mm256_srli_epi32(v, 16));
		}
		/* Eight lanes below 2^28 each: their sum fits 32 bits. */
		s = _mm_add_epi32(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
		s = _mm_add_epi32(s, _mm_shuffle_epi32(s, _MM_SHUFFLE(1, 0, 3, 2)));
		s = _mm_add_epi32(s, _mm_shuffle_epi32(s, _MM_SHUFFLE(2, 3, 0, 1)));
		sum += (uint32_t)_mm_cvtsi128_si32(s);
	}
	/* i is a multiple of 32: what is left is len's low five bits. */
	if (len & 16) {
		uint64_t w[2];

		memcpy(w, p + i, sizeof(w));
		sum += (w[0] & 0xffffffff) + (w[0] >> 32) + (w[1] & 0xffffffff) + (w[1] >> 32);
		i += 16;
	}
	if (len & 8) {
		uint64_t w;

		memcpy(&w, p + i, sizeof(w));
		sum += (w & 0xffffffff) + (w >> 32);
		i += 8;
	}
#else
	for (; i + 8 <= len; i += 8) {
		uint64_t w;

		memcpy(&w, p + i, sizeof(w));
		sum += (w & 0xffffffff) + (w >> 32);
	}
#endif
	if (len & 4) {
		uint32_t w;

		memcpy(&w, p + i, sizeof(w));
		sum += w;
		i += 4;
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
