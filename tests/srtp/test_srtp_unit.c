/* SPDX-License-Identifier: BSD-3-Clause */
/* Pure logic of the SRTP area: profiles, SDES keys, KDF vectors, index and window. */
#include <errno.h>
#include <setjmp.h>
#include <stdlib.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "srtp_kdf.h"
#include "srtp_profile.h"
#include "srtp_replay.h"
#include "srtp_tag.h"
#include "srtp_test_hex.h"

static void
test_profile_names(void **state)
{
	enum srtp_profile p;
	unsigned int i;

	(void)state;
	for (i = 0; i < SRTP_PROFILE_MAX; i++) {
		const struct srtp_profile_info *pi = srtp_profile_info(i);

		assert_int_equal(srtp_profile_from_name(pi->sdes_name, &p), 0);
		assert_int_equal(p, i);
		assert_int_equal(srtp_profile_from_name(pi->dtls_name, &p), 0);
		assert_int_equal(p, i);
		assert_string_equal(srtp_profile_name(i), pi->sdes_name);
	}
	assert_int_equal(srtp_profile_from_name("AES_CM_128_HMAC_SHA1_81", &p), -EINVAL);
	assert_int_equal(srtp_profile_from_name(NULL, &p), -EINVAL);
	assert_null(srtp_profile_info(SRTP_PROFILE_MAX));
	/* Key material lengths of RFC 5764 §4.1.2 / RFC 7714 §14.2. */
	assert_int_equal(srtp_profile_info(SRTP_PROFILE_AEAD_AES_256_GCM)->master_key_len, 32);
	assert_int_equal(srtp_profile_info(SRTP_PROFILE_AEAD_AES_128_GCM)->master_salt_len, 12);
	assert_int_equal(srtp_profile_info(SRTP_PROFILE_AES_CM_128_HMAC_SHA1_32)->rtp_tag_len, 4);
	assert_int_equal(srtp_profile_info(SRTP_PROFILE_AES_CM_128_HMAC_SHA1_32)->rtcp_tag_len, 10);
}

static void
test_base64(void **state)
{
	uint8_t out[16];

	(void)state;
	assert_int_equal(srtp_base64_decode("TWFu", 4, out, sizeof(out)), 3);
	assert_memory_equal(out, "Man", 3);
	assert_int_equal(srtp_base64_decode("TWE=", 4, out, sizeof(out)), 2);
	assert_int_equal(srtp_base64_decode("TWE", 3, out, sizeof(out)), 2);
	assert_int_equal(srtp_base64_decode("TQ==", 4, out, sizeof(out)), 1);
	assert_int_equal(srtp_base64_decode("T", 1, out, sizeof(out)), -EINVAL);
	assert_int_equal(srtp_base64_decode("TW=u", 4, out, sizeof(out)), -EINVAL);
	assert_int_equal(srtp_base64_decode("TW*u", 4, out, sizeof(out)), -EINVAL);
	assert_int_equal(srtp_base64_decode("TWFuTWFu", 8, out, 4), -ENOSPC);
}

static void
test_inline_key(void **state)
{
	/* RFC 4568 §6.1 example key (30 bytes). */
	const char *ex = "inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20";
	uint8_t key[32], salt[14], raw[30];
	int n;

	(void)state;
	n = srtp_base64_decode("PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR", 40, raw, sizeof(raw));
	assert_int_equal(n, 30);
	assert_int_equal(srtp_parse_inline_key(SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80, ex, key,
					       salt), 0);
	assert_memory_equal(key, raw, 16);
	assert_memory_equal(salt, raw + 16, 14);
	/* Without lifetime. */
	assert_int_equal(srtp_parse_inline_key(SRTP_PROFILE_AES_CM_128_HMAC_SHA1_32,
		"inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR", key, salt), 0);
	/* MKI refused, wrong length for GCM (28 bytes needed), missing prefix. */
	assert_int_equal(srtp_parse_inline_key(SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80,
		"inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:4", key, salt), -EINVAL);
	assert_int_equal(srtp_parse_inline_key(SRTP_PROFILE_AEAD_AES_128_GCM, ex, key, salt),
			 -EINVAL);
	assert_int_equal(srtp_parse_inline_key(SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80,
		"PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR", key, salt), -EINVAL);
	/* 28 bytes: GCM-128 key || 12-byte salt. */
	assert_int_equal(srtp_parse_inline_key(SRTP_PROFILE_AEAD_AES_128_GCM,
		"inline:AAECAwQFBgcICQoLDA0OD1F1aWQgcHJvIHF1bw==", key, salt), 0);
	assert_memory_equal(salt, "Quid pro quo", 12);
}

/* RFC 3711 Appendix B.3. */
static void
test_kdf_rfc3711_b3(void **state)
{
	uint8_t mk[16], ms[14], exp[94], out[94];
	struct srtp_session_keys k;

	(void)state;
	hex_decode("E1F97A0D3E018BE0D64FA32C06DE4139", mk, sizeof(mk));
	hex_decode("0EC675AD498AFEEBB6960B3AABE6", ms, sizeof(ms));
	assert_int_equal(srtp_kdf_derive(SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80, mk, ms, false, &k),
			 0);
	hex_decode("C61E7A93744F39EE10734AFE3FF7A087", exp, 16);
	assert_int_equal(k.enc_key_len, 16);
	assert_memory_equal(k.enc_key, exp, 16);
	hex_decode("30CBBC08863D8C85D49DB34A9AE1", exp, 14);
	assert_int_equal(k.salt_len, 14);
	assert_memory_equal(k.salt, exp, 14);
	hex_decode("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA48F0A0ACF3C34E2359E6CDBCE"
		   "E049646C43D9327AD175578EF72270986371C10C9A369AC2F94A8C5FBCDDDC25"
		   "6D6E919A48B610EF17C2041E474035766B68642C59BBFC2F34DB60DBDFB2", exp, 94);
	assert_int_equal(k.auth_key_len, 20);
	assert_memory_equal(k.auth_key, exp, 20);
	/* The whole 94-byte PRF output of the RFC. */
	assert_int_equal(srtp_kdf_prf(mk, 16, ms, 14, SRTP_LABEL_RTP_AUTH, out, 94), 0);
	assert_memory_equal(out, exp, 94);
	/* SRTCP uses labels 3..5: different keys. */
	assert_int_equal(srtp_kdf_derive(SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80, mk, ms, true, &k),
			 0);
	hex_decode("C61E7A93744F39EE10734AFE3FF7A087", exp, 16);
	assert_memory_not_equal(k.enc_key, exp, 16);
}

/* GCM: 12-byte salt zero-padded on the right, 12-byte session salt, no auth key. */
static void
test_kdf_gcm_shape(void **state)
{
	uint8_t mk[32] = { 1, 2, 3 }, ms[14] = { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2 };
	uint8_t out[16];
	struct srtp_session_keys k;

	(void)state;
	assert_int_equal(srtp_kdf_derive(SRTP_PROFILE_AEAD_AES_256_GCM, mk, ms, false, &k), 0);
	assert_int_equal(k.enc_key_len, 32);
	assert_int_equal(k.salt_len, 12);
	assert_int_equal(k.auth_key_len, 0);
	/* Same as a 14-byte salt ending in two zero bytes. */
	assert_int_equal(srtp_kdf_prf(mk, 32, ms, 14, SRTP_LABEL_RTP_SALT, out, 12), 0);
	assert_memory_equal(out, k.salt, 12);
	assert_int_equal(srtp_kdf_prf(mk, 24, ms, 14, 0, out, 12), -EINVAL);
}

static void
test_estimate_index(void **state)
{
	(void)state;
	/* Young stream: ROC 0 whatever the sequence number (libsrtp2's rule). */
	assert_int_equal(srtp_estimate_index(0, 65535), 65535);
	assert_int_equal(srtp_estimate_index(100, 65000), 65000);
	/* Across the wrap, both ways. */
	assert_int_equal(srtp_estimate_index(65535, 0), 65536);
	assert_int_equal(srtp_estimate_index(65500, 10), 65536 + 10);
	assert_int_equal(srtp_estimate_index(65536 + 10, 65500), 65500);
	assert_int_equal(srtp_estimate_index(65536 + 10, 11), 65536 + 11);
	/* RFC 3711 §3.3.1 boundaries: s_l >= 2^15 and SEQ < s_l - 2^15 -> ROC + 1. */
	assert_int_equal(srtp_estimate_index((5ULL << 16) | 40000, 7231), (6ULL << 16) | 7231);
	assert_int_equal(srtp_estimate_index((5ULL << 16) | 40000, 7232), (5ULL << 16) | 7232);
	/* s_l < 2^15 and SEQ - s_l > 2^15 -> ROC - 1. */
	assert_int_equal(srtp_estimate_index((5ULL << 16) | 100, 32869), (4ULL << 16) | 32869);
	assert_int_equal(srtp_estimate_index((5ULL << 16) | 100, 32868), (5ULL << 16) | 32868);
}

static void
test_window(void **state)
{
	uint64_t storage[1 + 1 + SRTP_REPLAY_WINDOW_MAX / 64];
	struct srtp_window *w = (struct srtp_window *)storage;
	uint64_t i;

	(void)state;
	srtp_window_init(w, 128, 0);
	assert_int_equal(srtp_window_check(w, 0), SRTP_REPLAY_OK);
	srtp_window_add(w, 0);
	assert_int_equal(srtp_window_check(w, 0), SRTP_REPLAY_DUP);
	srtp_window_add(w, 1000);
	assert_int_equal(srtp_window_check(w, 1000), SRTP_REPLAY_DUP);
	assert_int_equal(srtp_window_check(w, 1000 - 127), SRTP_REPLAY_OK);	/* oldest in window */
	assert_int_equal(srtp_window_check(w, 1000 - 128), SRTP_REPLAY_OLD);	/* just out */
	assert_int_equal(srtp_window_check(w, 1001), SRTP_REPLAY_OK);
	srtp_window_add(w, 1000 - 127);
	assert_int_equal(srtp_window_check(w, 1000 - 127), SRTP_REPLAY_DUP);
	/* Slide by 1, 63, 64, 65 keeps bits in the right place. */
	srtp_window_add(w, 1001);
	assert_int_equal(srtp_window_check(w, 1000), SRTP_REPLAY_DUP);
	assert_int_equal(srtp_window_check(w, 1000 - 127), SRTP_REPLAY_OLD);
	srtp_window_add(w, 1064);
	assert_int_equal(srtp_window_check(w, 1000), SRTP_REPLAY_DUP);
	assert_int_equal(srtp_window_check(w, 1001), SRTP_REPLAY_DUP);
	assert_int_equal(srtp_window_check(w, 1002), SRTP_REPLAY_OK);
	srtp_window_add(w, 1129);
	assert_int_equal(srtp_window_check(w, 1064), SRTP_REPLAY_DUP);
	assert_int_equal(srtp_window_check(w, 1002), SRTP_REPLAY_OK);	/* k = 127 */
	assert_int_equal(srtp_window_check(w, 1001), SRTP_REPLAY_OLD);	/* k = 128 */
	/* Far ahead clears everything. */
	srtp_window_add(w, 1000000);
	assert_int_equal(srtp_window_check(w, 1129), SRTP_REPLAY_OLD);
	assert_int_equal(srtp_window_check(w, 1000000 - 1), SRTP_REPLAY_OK);

	/* A 1024 window: every index of the window is remembered. */
	srtp_window_init(w, 1024, 0);
	for (i = 1; i <= 3000; i += 3)
		srtp_window_add(w, i);
	/* top is 2998 */
	for (i = 2998 - 1023; i <= 3000; i++)
		assert_int_equal(srtp_window_check(w, i),
				 (i % 3 == 1) ? SRTP_REPLAY_DUP : SRTP_REPLAY_OK);
	assert_int_equal(srtp_window_check(w, 2998 - 1024), SRTP_REPLAY_OLD);
}

/*
 * The window against a plain model (a set of accepted indices), random
 * steps of every size: the slide by less than a word (the fast path), by
 * whole and partial words, past the window; windows of 1, 2 and 64 words.
 */
static void
test_window_model(void **state)
{
	static const uint16_t sizes[] = { 64, 128, 4096 };
	uint64_t storage[1 + 1 + SRTP_REPLAY_WINDOW_MAX / 64];
	struct srtp_window *w = (struct srtp_window *)storage;
	uint64_t rng = 0x2545f4914f6cdd1dULL;
	unsigned int z;

	(void)state;
	for (z = 0; z < RTE_DIM(sizes); z++) {
		uint16_t size = sizes[z];
		uint8_t *seen = calloc(1, 1u << 24);
		uint64_t top = 0, i, k;

		assert_non_null(seen);
		srtp_window_init(w, size, 0);
		for (i = 0; i < 20000; i++) {
			uint64_t r, idx;
			enum srtp_replay_verdict want;

			rng ^= rng << 13;
			rng ^= rng >> 7;
			rng ^= rng << 17;
			r = rng % 100;
			/* Mostly the next few, some far jumps, some late or repeated ones. */
			if (r < 60)
				idx = top + 1 + rng % 70;
			else if (r < 65)
				idx = top + 1 + rng % (3u * size);
			else
				idx = top > size + 10u ? top - rng % (size + 10u) : top;
			if (idx >= (1u << 24) - 1)
				break;
			want = idx > top || (!seen[idx] && top - idx < size) ? SRTP_REPLAY_OK :
			       top - idx >= size ? SRTP_REPLAY_OLD : SRTP_REPLAY_DUP;
			assert_int_equal(srtp_window_check(w, idx), want);
			if (want != SRTP_REPLAY_OK)
				continue;
			srtp_window_add(w, idx);
			seen[idx] = 1;
			if (idx > top)
				top = idx;
			/* Every index of the window agrees with the model (now and then for the big one). */
			for (k = 0; (size <= 128 || i % 64 == 0) && k < size && k <= top; k++)
				assert_int_equal(srtp_window_check(w, top - k),
						 seen[top - k] ? SRTP_REPLAY_DUP : SRTP_REPLAY_OK);
		}
		free(seen);
	}
}

/* Constant-time tag compare: every byte inside the length counts, none outside. */
static void
test_tag_equal(void **state)
{
	static const uint8_t lens[] = { 4, 10, 16 };
	uint8_t a[SRTP_TAG_MAX], b[SRTP_TAG_MAX];
	unsigned int l, i, bit;

	(void)state;
	for (i = 0; i < SRTP_TAG_MAX; i++)
		a[i] = (uint8_t)(0x35 * i + 7);
	for (l = 0; l < RTE_DIM(lens); l++) {
		uint8_t len = lens[l];

		memcpy(b, a, sizeof(b));
		assert_true(srtp_tag_equal(a, b, len));
		for (i = 0; i < SRTP_TAG_MAX; i++) {
			for (bit = 0; bit < 8; bit++) {
				memcpy(b, a, sizeof(b));
				b[i] ^= (uint8_t)(1u << bit);
				assert_int_equal(srtp_tag_equal(a, b, len), i >= len);
			}
		}
		/* The copy takes exactly len bytes. */
		memset(b, 0, sizeof(b));
		srtp_tag_copy(b, a, len);
		assert_memory_equal(a, b, len);
		for (i = len; i < SRTP_TAG_MAX; i++)
			assert_int_equal(b[i], 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_profile_names),
		cmocka_unit_test(test_base64),
		cmocka_unit_test(test_inline_key),
		cmocka_unit_test(test_kdf_rfc3711_b3),
		cmocka_unit_test(test_kdf_gcm_shape),
		cmocka_unit_test(test_estimate_index),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_window_model),
		cmocka_unit_test(test_tag_equal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
