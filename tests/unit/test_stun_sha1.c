/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * stun_sha1, stun_integrity, stun_crc32: SHA-1 (FIPS 180-4 examples), HMAC-SHA1
 * (RFC 2202 §3), each through the portable and the SHA-NI compression, and
 * CRC-32 against its published check value and a bitwise reference.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "stun/stun.h"
#include "stun/stun_sha1.h"

static void
unhex(const char *hex, uint8_t *out)
{
	for (size_t i = 0; hex[2 * i] != '\0'; i++) {
		unsigned int b;

		assert_int_equal(sscanf(hex + 2 * i, "%2x", &b), 1);
		out[i] = (uint8_t)b;
	}
}

struct hmac_vector {
	uint8_t key_byte;	/* key: key_len times this byte, or 0x01..0x19 when 0 */
	size_t key_len;
	const char *data;	/* NULL: data_len times data_byte */
	uint8_t data_byte;
	size_t data_len;
	const char *digest;
};

/* RFC 2202 §3, test cases 1-7. */
static const struct hmac_vector rfc2202[] = {
	{ 0x0b, 20, "Hi There", 0, 0, "b617318655057264e28bc0b6fb378c8ef146be00" },
	{ 'J', 4, "what do ya want for nothing?", 0, 0,
	  "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79" },
	{ 0xaa, 20, NULL, 0xdd, 50, "125d7342b9ac11cd91a39af48aa17b4f63f175d3" },
	{ 0, 25, NULL, 0xcd, 50, "4c9007f4026250c6bc8414f9bf50c86c2d7235da" },
	{ 0x0c, 20, "Test With Truncation", 0, 0, "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04" },
	{ 0xaa, 80, "Test Using Larger Than Block-Size Key - Hash Key First", 0, 0,
	  "aa4ae5e15272d00e95705637ce8a3b55ed402112" },
	{ 0xaa, 80, "Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data",
	  0, 0, "e8e99d0f45237d786d6bbaa7965c7808bbff1a91" },
};

static void
check_hmac_vectors(void)
{
	for (size_t v = 0; v < sizeof(rfc2202) / sizeof(rfc2202[0]); v++) {
		const struct hmac_vector *t = &rfc2202[v];
		uint8_t key[80], data[80], want[20], got[20];
		size_t dlen;
		struct stun_key k;

		if (t->key_byte == 'J')
			memcpy(key, "Jefe", 4);
		else
			for (size_t i = 0; i < t->key_len; i++)
				key[i] = t->key_byte != 0 ? t->key_byte : (uint8_t)(i + 1);
		if (t->data != NULL) {
			dlen = strlen(t->data);
			memcpy(data, t->data, dlen);
		} else {
			dlen = t->data_len;
			memset(data, t->data_byte, dlen);
		}
		unhex(t->digest, want);
		stun_key_init(&k, key, t->key_len);
		stun_hmac_sha1(&k, data, dlen, got);
		assert_memory_equal(got, want, 20);
	}
}

static void
check_sha1_examples(void)
{
	static const char *const msgs[] = {
		"abc", "", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	};
	static const char *const digests[] = {
		"a9993e364706816aba3e25717850c26c9cd0d89d",
		"da39a3ee5e6b4b0d3255bfef95601890afd80709",
		"84983e441c3bd26ebaae4aa1f95129e5e54670f1",
	};
	uint8_t want[20], got[20];
	static uint8_t million[1000000];

	for (size_t i = 0; i < 3; i++) {
		unhex(digests[i], want);
		stun_sha1((const uint8_t *)msgs[i], strlen(msgs[i]), got);
		assert_memory_equal(got, want, 20);
	}
	memset(million, 'a', sizeof(million));
	unhex("34aa973cd4c4daa4f61eeb2bdbad27316534016f", want);
	stun_sha1(million, sizeof(million), got);
	assert_memory_equal(got, want, 20);
}

static void
test_portable(void **state)
{
	(void)state;
	assert_true(stun_sha1_select(STUN_SHA1_PORTABLE));
	assert_int_equal(stun_sha1_selected(), STUN_SHA1_PORTABLE);
	check_sha1_examples();
	check_hmac_vectors();
}

static void
test_shani(void **state)
{
	(void)state;
	if (!stun_sha1_shani_supported()) {
		assert_false(stun_sha1_select(STUN_SHA1_SHANI));
		print_message("this CPU has no SHA-NI: its path not run\n");
		skip();
	}
	assert_true(stun_sha1_select(STUN_SHA1_SHANI));
	assert_int_equal(stun_sha1_selected(), STUN_SHA1_SHANI);
	check_sha1_examples();
	check_hmac_vectors();
	stun_sha1_select(STUN_SHA1_PORTABLE);
}

/* Where the CPU has SHA-NI, the program starts with it (the choice made at load). */
static void
test_default_choice(void **state)
{
	(void)state;
	assert_int_equal(stun_sha1_selected(),
			 stun_sha1_shani_supported() ? STUN_SHA1_SHANI : STUN_SHA1_PORTABLE);
}

/* Both compression functions agree on many random multi-block inputs and chained states. */
static void
test_impls_agree(void **state)
{
	uint8_t data[64 * 7];
	uint32_t h1[5], h2[5];

	(void)state;
	if (!stun_sha1_shani_supported())
		skip();
	srand(7);
	for (int round = 0; round < 500; round++) {
		size_t nblk = (size_t)(rand() % 7) + 1;

		for (size_t i = 0; i < sizeof(data); i++)
			data[i] = (uint8_t)rand();
		for (int i = 0; i < 5; i++)
			h1[i] = h2[i] = (uint32_t)rand() * 2654435761u;
		stun_sha1_blocks_portable(h1, data, nblk);
		stun_sha1_blocks_shani(h2, data, nblk);
		assert_memory_equal(h1, h2, sizeof(h1));
	}
}

/* Bit at a time, straight from the definition. */
static uint32_t
crc32_reference(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int b = 0; b < 8; b++)
			c = (c & 1) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
	}
	return ~c;
}

static void
test_crc32(void **state)
{
	uint8_t data[300];

	(void)state;
	assert_int_equal(stun_crc32((const uint8_t *)"123456789", 9), 0xCBF43926u);
	assert_int_equal(stun_crc32(data, 0), 0);
	srand(11);
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)rand();
	/* Every length, from unaligned starts: the 8-byte slices and the tail. */
	for (size_t start = 0; start < 8; start++)
		for (size_t n = 0; n + start <= sizeof(data); n++)
			assert_int_equal(stun_crc32(data + start, n),
					 crc32_reference(data + start, n));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_choice),
		cmocka_unit_test(test_portable),
		cmocka_unit_test(test_shani),
		cmocka_unit_test(test_impls_agree),
		cmocka_unit_test(test_crc32),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
