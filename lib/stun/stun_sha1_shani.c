/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SHA-1 compression with the x86 SHA extensions (sha1rnds4 does four rounds,
 * sha1msg1/sha1msg2 the message schedule, sha1nexte the E term). Compiled
 * for those instructions only in this function's target attribute: the rest
 * of the program keeps the project's -march, and stun_sha1.c calls this only
 * after cpuid said yes.
 */
#include <immintrin.h>

#include "stun_sha1.h"

#define SHA1NI_TARGET __attribute__((target("sha,ssse3,sse4.1")))

/*
 * Four rounds g (0..19) with function f = g / 5. m[] holds the schedule
 * words W[4g-16..4g-1] as they become due: group g first computes
 * M[g] = msg2(msg1(M[g-4], M[g-3]) ^ M[g-2], M[g-1]) in the slot of M[g-4].
 * E for the group is sha1nexte of the ABCD before the previous group (or,
 * for group 0, E itself plus W0..3).
 */
#define SHA1NI_GROUP(g, f) do { \
	if ((g) >= 4) \
		m[(g) & 3] = _mm_sha1msg2_epu32(_mm_xor_si128( \
			_mm_sha1msg1_epu32(m[(g) & 3], m[((g) + 1) & 3]), \
			m[((g) + 2) & 3]), m[((g) + 3) & 3]); \
	e = (g) == 0 ? _mm_add_epi32(e, m[0]) : _mm_sha1nexte_epu32(prev, m[(g) & 3]); \
	prev = abcd; \
	abcd = _mm_sha1rnds4_epu32(abcd, e, f); \
} while (0)

SHA1NI_TARGET void
stun_sha1_blocks_shani(uint32_t h[5], const uint8_t *p, size_t n)
{
	/* Big-endian words, and the lanes in the order sha1rnds4 wants (A in the top lane). */
	const __m128i bswap = _mm_set_epi64x(0x0001020304050607LL, 0x08090a0b0c0d0e0fLL);
	__m128i abcd = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)h), 0x1b);
	__m128i e0 = _mm_set_epi32((int)h[4], 0, 0, 0);

	for (; n > 0; n--, p += STUN_SHA1_BLOCK) {
		__m128i abcd_in = abcd, e0_in = e0, e = e0, prev = abcd, m[4];

		for (int i = 0; i < 4; i++)
			m[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * i)),
						bswap);
		SHA1NI_GROUP(0, 0);
		SHA1NI_GROUP(1, 0);
		SHA1NI_GROUP(2, 0);
		SHA1NI_GROUP(3, 0);
		SHA1NI_GROUP(4, 0);
		SHA1NI_GROUP(5, 1);
		SHA1NI_GROUP(6, 1);
		SHA1NI_GROUP(7, 1);
		SHA1NI_GROUP(8, 1);
		SHA1NI_GROUP(9, 1);
		SHA1NI_GROUP(10, 2);
		SHA1NI_GROUP(11, 2);
		SHA1NI_GROUP(12, 2);
		SHA1NI_GROUP(13, 2);
		SHA1NI_GROUP(14, 2);
		SHA1NI_GROUP(15, 3);
		SHA1NI_GROUP(16, 3);
		SHA1NI_GROUP(17, 3);
		SHA1NI_GROUP(18, 3);
		SHA1NI_GROUP(19, 3);
		/* E after round 79 is rol30(A before the last group), added to E's input. */
		e0 = _mm_sha1nexte_epu32(prev, e0_in);
		abcd = _mm_add_epi32(abcd, abcd_in);
	}
	abcd = _mm_shuffle_epi32(abcd, 0x1b);
	_mm_storeu_si128((__m128i *)h, abcd);
	h[4] = (uint32_t)_mm_extract_epi32(e0, 3);
}
