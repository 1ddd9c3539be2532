/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Published vectors through the batched back ends (cryptodev, CPU crypto,
 * ipsec-mb): RFC 3711 B.2 (AES-CM keystream) and RFC 7714 §16 / §17
 * (AES-GCM SRTP and SRTCP, 128 and 256).
 * Those vectors give session keys, which libsrtp2 cannot take (it always
 * derives), so for libsrtp2 they are covered by cross-validation instead.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <rte_mbuf.h>

#include "srtp_priv.h"
#include "srtp_stream.h"
#include "srtp_test_eal.h"
#include "srtp_test_hex.h"

/* The batched back ends, and the one the running test uses. */
static struct srtp_engine *engines[SRTP_BACKEND_MAX];
static const char *why_skip[SRTP_BACKEND_MAX];
static struct srtp_engine *cdev;

static const char *rtp_plain =
	"8040f17b8041f8d35501a0b247616c6c696120657374206f6d6e69732064697669736120696e20"
	"7061727465732074726573";
static const char *rtp_gcm128 =
	"8040f17b8041f8d35501a0b2f24de3a3fb34de6cacba861c9d7e4bcabe633bd50d294e6f42a5f4"
	"7a51c7d19b36de3adf8833899d7f27beb16a9152cf765ee4390cce";
static const char *rtp_gcm256 =
	"8040f17b8041f8d35501a0b232b1de78a822fe12ef9f78fa332e33aab18012389a58e2f3b50b2a"
	"0276ffae0f1ba63799b87b7aa3db36dfffd6b0f9bb7878d7a76c13";
static const char *rtcp_plain =
	"81c8000d4d6172734e5450314e545032525450200000042a0000e9304c756e61deadbeefdeadbeef"
	"deadbeefdeadbeefdeadbeef";
static const char *rtcp_gcm128 =
	"81c8000d4d61727363e94885dcdab67ca727d7662f6b7e997ff5c0f76c06f32dc676a5f1730d6fda"
	"4ce09b4686303ded0bb9275bc84aa45896cf4d2fc5abf87245d9eade800005d4";
static const char *rtcp_gcm256 =
	"81c8000d4d617273d50ae4d1f5ce5d304ba297e47d470c282c3ece5dbffe0a50a2eaa5c1110555be"
	"8415f658c61de0476f1b6fad1d1eb30c4446839f57ff6f6cb26ac3be800005d4";

static struct srtp_ctx *
ctx_with_keys(enum srtp_profile p, enum srtp_dir d, enum srtp_kind k, const char *key_hex,
	      const char *salt_hex)
{
	struct srtp_ctx_conf c = { .profile = p, .dir = d, .kind = k };
	struct srtp_session_keys keys = { 0 };

	keys.enc_key_len = (uint8_t)hex_decode(key_hex, keys.enc_key, sizeof(keys.enc_key));
	keys.salt_len = (uint8_t)hex_decode(salt_hex, keys.salt, sizeof(keys.salt));
	keys.auth_key_len = srtp_profile_info(p)->aead ? 0 : SRTP_SESSION_AUTH_KEY_LEN;
	return srtp_ctx_create_with_keys(cdev, &c, &keys);
}

/* Protect plain, compare with prot; unprotect prot, compare with plain. */
static void
check_vector(enum srtp_profile p, enum srtp_kind k, const char *key_hex, const char *plain_hex,
	     const char *prot_hex, uint32_t srtcp_index)
{
	const char *salt = "517569642070726f2071756f";
	uint8_t plain[128], prot[160], *d;
	size_t pl = hex_decode(plain_hex, plain, sizeof(plain));
	size_t cl = hex_decode(prot_hex, prot, sizeof(prot));
	struct srtp_ctx *out, *in;
	struct rte_mbuf *m;
	uint16_t len;

	if (cdev == NULL)
		skip();
	out = ctx_with_keys(p, SRTP_DIR_OUTBOUND, k, key_hex, salt);
	in = ctx_with_keys(p, SRTP_DIR_INBOUND, k, key_hex, salt);
	assert_non_null(out);
	assert_non_null(in);
	if (k == SRTP_KIND_RTCP) {
		/* The vector's SRTCP index: the sender's next index. */
		struct srtp_stream *s = srtp_stream_get(out, 0x4d617273, 0);

		assert_non_null(s);
		s->tx_index = srtcp_index - 1;
	}
	m = srtp_test_mbuf(plain, (uint16_t)pl);
	assert_int_equal(srtp_test_one(cdev, out, m), SRTP_RES_OK);
	d = srtp_test_data(m, &len);
	assert_int_equal(len, cl);
	assert_memory_equal(d, prot, cl);
	rte_pktmbuf_free(m);

	m = srtp_test_mbuf(prot, (uint16_t)cl);
	assert_int_equal(srtp_test_one(cdev, in, m), SRTP_RES_OK);
	d = srtp_test_data(m, &len);
	assert_int_equal(len, pl);
	assert_memory_equal(d, plain, pl);
	/* A second copy is a replay. */
	rte_pktmbuf_free(m);
	m = srtp_test_mbuf(prot, (uint16_t)cl);
	assert_int_equal(srtp_test_one(cdev, in, m), SRTP_RES_REPLAY);
	rte_pktmbuf_free(m);
	srtp_ctx_free(out);
	srtp_ctx_free(in);
}

static void
test_rfc7714_rtp_gcm128(void **state)
{
	(void)state;
	check_vector(SRTP_PROFILE_AEAD_AES_128_GCM, SRTP_KIND_RTP,
		     "000102030405060708090a0b0c0d0e0f", rtp_plain, rtp_gcm128, 0);
}

static void
test_rfc7714_rtp_gcm256(void **state)
{
	(void)state;
	check_vector(SRTP_PROFILE_AEAD_AES_256_GCM, SRTP_KIND_RTP,
		     "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
		     rtp_plain, rtp_gcm256, 0);
}

static void
test_rfc7714_rtcp_gcm128(void **state)
{
	(void)state;
	check_vector(SRTP_PROFILE_AEAD_AES_128_GCM, SRTP_KIND_RTCP,
		     "000102030405060708090a0b0c0d0e0f", rtcp_plain, rtcp_gcm128, 0x5d4);
}

static void
test_rfc7714_rtcp_gcm256(void **state)
{
	(void)state;
	check_vector(SRTP_PROFILE_AEAD_AES_256_GCM, SRTP_KIND_RTCP,
		     "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
		     rtcp_plain, rtcp_gcm256, 0x5d4);
}

/* RFC 3711 B.2: with SSRC 0 and index 0 the payload of zeros becomes the keystream. */
static void
test_rfc3711_b2_keystream(void **state)
{
	uint8_t pkt[12 + 48] = { 0x80, 0, 0, 0 }, ks[48], *d;
	struct srtp_ctx *out;
	struct rte_mbuf *m;
	uint16_t len;

	(void)state;
	if (cdev == NULL)
		skip();
	out = ctx_with_keys(SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80, SRTP_DIR_OUTBOUND, SRTP_KIND_RTP,
			    "2B7E151628AED2A6ABF7158809CF4F3C", "F0F1F2F3F4F5F6F7F8F9FAFBFCFD");
	assert_non_null(out);
	hex_decode("E03EAD0935C95E80E166B16DD92B4EB4D23513162B02D0F72A43A2FE4A5F97AB"
		   "41E95B3BB0A2E8DD477901E4FCA894C0", ks, sizeof(ks));
	m = srtp_test_mbuf(pkt, sizeof(pkt));
	assert_int_equal(srtp_test_one(cdev, out, m), SRTP_RES_OK);
	d = srtp_test_data(m, &len);
	assert_int_equal(len, sizeof(pkt) + 10);
	assert_memory_equal(d + 12, ks, sizeof(ks));
	rte_pktmbuf_free(m);
	srtp_ctx_free(out);
}

static int
setup(void **state)
{
	(void)state;
	srtp_test_engines_batched(engines, why_skip, 0);
	for (unsigned int b = 0; b < SRTP_BACKEND_MAX; b++)
		if (b != SRTP_BACKEND_LIBSRTP && engines[b] == NULL)
			print_message("SKIP %s: %s\n", srtp_backend_name(b), why_skip[b]);
	return 0;
}

/* Each test's state names its back end. */
static int
use_backend(void **state)
{
	cdev = engines[(uintptr_t)*state];
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	srtp_test_engines_free(engines);
	return 0;
}

#define ON_EACH(fn) \
	{ #fn "/cryptodev", fn, use_backend, NULL, (void *)(uintptr_t)SRTP_BACKEND_CRYPTODEV }, \
	{ #fn "/cpu-crypto", fn, use_backend, NULL, (void *)(uintptr_t)SRTP_BACKEND_CPU_CRYPTO }, \
	{ #fn "/ipsec-mb", fn, use_backend, NULL, (void *)(uintptr_t)SRTP_BACKEND_IPSEC_MB }

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		ON_EACH(test_rfc3711_b2_keystream),
		ON_EACH(test_rfc7714_rtp_gcm128),
		ON_EACH(test_rfc7714_rtp_gcm256),
		ON_EACH(test_rfc7714_rtcp_gcm128),
		ON_EACH(test_rfc7714_rtcp_gcm256),
	};

	(void)argc;
	if (srtp_test_eal_init(argv[0]) != 0) {
		print_message("SKIP: EAL cannot start\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, setup, teardown);
}
