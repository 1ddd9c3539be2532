/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cross-validation, libsrtp2 as the oracle: for every profile, SRTP and
 * SRTCP, packets of random sizes (0-1400 byte payloads, some with CSRCs and
 * header extensions) on three SSRCs starting near sequence number 65535.
 * Each packet is protected by libsrtp2 and by a batched back end (cryptodev,
 * CPU crypto, ipsec-mb in turn), which must produce the same bytes; each one's output is
 * then unprotected by the other back end and by libsrtp2 called directly,
 * which must all give back the plaintext.
 * SRTP_XVAL_PKTS overrides the packet count (default 100000 per case).
 * Then SRTCP that libsrtp2 sends authenticated only (E clear) on each back end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <srtp2/srtp.h>

#include <rte_mbuf.h>

#include "srtp_test_eal.h"

#define BURST 32
#define NB_SSRC 3

/* libsrtp2, and each batched back end checked against it. */
static struct srtp_engine *lib, *engines[SRTP_BACKEND_MAX];
static const char *why_skip[SRTP_BACKEND_MAX];
static unsigned int nb_pkts = 100000;

struct xcase {
	enum srtp_profile profile;
	enum srtp_kind kind;
	enum srtp_backend backend;
};

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

/* libsrtp2 itself, no srtpfwd code in between. */
static srtp_t
raw_inbound(enum srtp_profile p, const uint8_t *key, const uint8_t *salt)
{
	const struct srtp_profile_info *pi = srtp_profile_info(p);
	uint8_t k[64];
	srtp_policy_t pol;
	srtp_t s = NULL;

	memset(&pol, 0, sizeof(pol));
	switch (p) {
	case SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80:
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&pol.rtp);
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&pol.rtcp);
		break;
	case SRTP_PROFILE_AES_CM_128_HMAC_SHA1_32:
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&pol.rtp);
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&pol.rtcp);
		break;
	case SRTP_PROFILE_AEAD_AES_128_GCM:
		srtp_crypto_policy_set_aes_gcm_128_16_auth(&pol.rtp);
		srtp_crypto_policy_set_aes_gcm_128_16_auth(&pol.rtcp);
		break;
	case SRTP_PROFILE_AEAD_AES_256_GCM:
		srtp_crypto_policy_set_aes_gcm_256_16_auth(&pol.rtp);
		srtp_crypto_policy_set_aes_gcm_256_16_auth(&pol.rtcp);
		break;
	default:
		srtp_crypto_policy_set_null_cipher_hmac_sha1_80(&pol.rtp);
		srtp_crypto_policy_set_null_cipher_hmac_sha1_80(&pol.rtcp);
		break;
	}
	memcpy(k, key, pi->master_key_len);
	memcpy(k + pi->master_key_len, salt, pi->master_salt_len);
	pol.ssrc.type = ssrc_any_inbound;
	pol.key = k;
	pol.window_size = 128;
	assert_int_equal(srtp_create(&s, &pol), srtp_err_status_ok);
	return s;
}

static uint16_t
make_plain(const struct xcase *xc, uint8_t *buf, uint32_t ssrc, uint16_t seq)
{
	uint8_t payload[1400];
	uint16_t plen = (uint16_t)(rnd() % 1401);
	unsigned int i;

	for (i = 0; i < plen; i++)
		payload[i] = (uint8_t)rnd();
	if (xc->kind == SRTP_KIND_RTCP)
		return srtp_test_rtcp(buf, ssrc, payload, (uint16_t)(plen & ~3u));
	return srtp_test_rtp(buf, seq, ssrc, rnd() % 8 == 0 ? rnd() % 3 : 0,
			     rnd() % 4 == 0 ? 1 + rnd() % 3 : 0, payload, plen);
}

static void
run_case(void **state)
{
	const struct xcase *xc = *state;
	const struct srtp_profile_info *pi = srtp_profile_info(xc->profile);
	static uint8_t plain[BURST][1500];
	uint16_t plen[BURST], seq[NB_SSRC];
	uint32_t ssrcs[NB_SSRC] = { 0x11111111, 0x22222222, 0xdeadbeef };
	struct srtp_engine *cdev = engines[xc->backend];
	struct srtp_ctx *c_out, *l_out, *c_in, *l_in;
	uint8_t key[32], salt[14];
	srtp_t raw;
	unsigned int done, i;

	if (cdev == NULL) {
		print_message("SKIP: %s\n", why_skip[xc->backend]);
		skip();
	}
	for (i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)rnd();
	for (i = 0; i < sizeof(salt); i++)
		salt[i] = (uint8_t)rnd();
	for (i = 0; i < NB_SSRC; i++)
		seq[i] = (uint16_t)(65535 - 300 * (i + 1));
	c_out = srtp_test_ctx(cdev, xc->profile, SRTP_DIR_OUTBOUND, xc->kind, key, salt, 0);
	l_out = srtp_test_ctx(lib, xc->profile, SRTP_DIR_OUTBOUND, xc->kind, key, salt, 0);
	c_in = srtp_test_ctx(cdev, xc->profile, SRTP_DIR_INBOUND, xc->kind, key, salt, 0);
	l_in = srtp_test_ctx(lib, xc->profile, SRTP_DIR_INBOUND, xc->kind, key, salt, 0);
	assert_non_null(c_out);
	assert_non_null(l_out);
	assert_non_null(c_in);
	assert_non_null(l_in);
	raw = raw_inbound(xc->profile, key, salt);

	for (done = 0; done < nb_pkts; done += BURST) {
		struct srtp_pkt a[BURST], b[BURST];

		for (i = 0; i < BURST; i++) {
			unsigned int s = (done / BURST + i / 11) % NB_SSRC;

			plen[i] = make_plain(xc, plain[i], ssrcs[s], seq[s]++);
			a[i] = (struct srtp_pkt){ .m = srtp_test_mbuf(plain[i], plen[i]),
						  .ctx = c_out, .off = TEST_PKT_OFF };
			b[i] = (struct srtp_pkt){ .m = srtp_test_mbuf(plain[i], plen[i]),
						  .ctx = l_out, .off = TEST_PKT_OFF };
			assert_non_null(a[i].m);
			assert_non_null(b[i].m);
		}
		assert_int_equal(srtp_process_burst(srtp_engine_worker(cdev, 0), a, BURST), BURST);
		assert_int_equal(srtp_process_burst(srtp_engine_worker(lib, 0), b, BURST), BURST);

		for (i = 0; i < BURST; i++) {
			uint16_t la, lb;
			uint8_t *da = srtp_test_data(a[i].m, &la), *db = srtp_test_data(b[i].m, &lb);
			uint8_t copy[1600];
			int rl = la;

			/* Both back ends: the same ciphertext and tag, bit for bit. */
			assert_int_equal(la, lb);
			assert_memory_equal(da, db, la);
			assert_int_equal(la, plen[i] + (xc->kind == SRTP_KIND_RTP ?
				pi->rtp_tag_len : pi->rtcp_tag_len + 4));
			memcpy(copy, da, la);
			assert_int_equal(xc->kind == SRTP_KIND_RTP ? srtp_unprotect(raw, copy, &rl) :
					 srtp_unprotect_rtcp(raw, copy, &rl), srtp_err_status_ok);
			assert_int_equal(rl, plen[i]);
			assert_memory_equal(copy, plain[i], plen[i]);
			/* Cross over: each back end reads the other's output. */
			a[i].ctx = l_in;
			b[i].ctx = c_in;
		}
		assert_int_equal(srtp_process_burst(srtp_engine_worker(lib, 0), a, BURST), BURST);
		assert_int_equal(srtp_process_burst(srtp_engine_worker(cdev, 0), b, BURST), BURST);
		for (i = 0; i < BURST; i++) {
			uint16_t la, lb;
			uint8_t *da = srtp_test_data(a[i].m, &la), *db = srtp_test_data(b[i].m, &lb);

			assert_int_equal(la, plen[i]);
			assert_int_equal(lb, plen[i]);
			assert_memory_equal(da, plain[i], plen[i]);
			assert_memory_equal(db, plain[i], plen[i]);
			rte_pktmbuf_free(a[i].m);
			rte_pktmbuf_free(b[i].m);
		}
	}
	srtp_dealloc(raw);
	srtp_ctx_free(c_out);
	srtp_ctx_free(l_out);
	srtp_ctx_free(c_in);
	srtp_ctx_free(l_in);
}

/*
 * SRTCP sent authenticated only (E clear, RFC 3711 §3.4), as libsrtp2 sends
 * it with an RTCP policy of sec_serv_auth: accepted by each batched back end
 * as libsrtp2 accepts it, the payload left as it came, the E||index and tag
 * taken off. A second copy is a replay.
 */
static void
run_srtcp_auth_only(void **state)
{
	const struct xcase *xc = *state;
	struct srtp_engine *cdev = engines[xc->backend];
	uint8_t key[16], salt[14], k[30], plain[128], wire[256], pl[64];
	struct srtp_ctx *in;
	struct rte_mbuf *m;
	srtp_policy_t pol;
	srtp_t tx = NULL;
	uint16_t plen, len;
	int wl;
	unsigned int i;

	if (cdev == NULL) {
		print_message("SKIP: %s\n", why_skip[xc->backend]);
		skip();
	}
	for (i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)rnd();
	for (i = 0; i < sizeof(salt); i++)
		salt[i] = (uint8_t)rnd();
	for (i = 0; i < sizeof(pl); i++)
		pl[i] = (uint8_t)rnd();
	memset(&pol, 0, sizeof(pol));
	srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&pol.rtp);
	srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&pol.rtcp);
	pol.rtcp.sec_serv = sec_serv_auth;
	memcpy(k, key, 16);
	memcpy(k + 16, salt, 14);
	pol.ssrc.type = ssrc_any_outbound;
	pol.key = k;
	assert_int_equal(srtp_create(&tx, &pol), srtp_err_status_ok);
	plen = srtp_test_rtcp(plain, 0x5eedf00d, pl, sizeof(pl));
	memcpy(wire, plain, plen);
	wl = plen;
	assert_int_equal(srtp_protect_rtcp(tx, wire, &wl), srtp_err_status_ok);
	/* E clear, and the payload on the wire is the clear one. */
	assert_int_equal(wire[plen] & 0x80, 0);
	assert_memory_equal(wire, plain, plen);

	in = srtp_test_ctx(cdev, SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80, SRTP_DIR_INBOUND,
			   SRTP_KIND_RTCP, key, salt, 0);
	assert_non_null(in);
	for (i = 0; i < 2; i++) {
		m = srtp_test_mbuf(wire, (uint16_t)wl);
		assert_non_null(m);
		assert_int_equal(srtp_test_one(cdev, in, m), i == 0 ? SRTP_RES_OK : SRTP_RES_REPLAY);
		if (i == 0) {
			uint8_t *d = srtp_test_data(m, &len);

			assert_int_equal(len, plen);
			assert_memory_equal(d, plain, plen);
		}
		rte_pktmbuf_free(m);
	}
	/*
	 * The next packet with one bit of its clear payload changed: the tag no
	 * longer matches, and the genuine one still goes through after it.
	 */
	memcpy(wire, plain, plen);
	wl = plen;
	assert_int_equal(srtp_protect_rtcp(tx, wire, &wl), srtp_err_status_ok);
	for (i = 0; i < 2; i++) {
		wire[12] ^= (uint8_t)(i == 0);
		m = srtp_test_mbuf(wire, (uint16_t)wl);
		assert_non_null(m);
		assert_int_equal(srtp_test_one(cdev, in, m), i == 0 ? SRTP_RES_AUTH_FAIL : SRTP_RES_OK);
		rte_pktmbuf_free(m);
		wire[12] ^= (uint8_t)(i == 0);
	}
	srtp_ctx_free(in);
	srtp_dealloc(tx);
}

static int
setup(void **state)
{
	const char *env = getenv("SRTP_XVAL_PKTS");

	(void)state;
	if (env != NULL && atoi(env) > 0)
		nb_pkts = (unsigned int)atoi(env);
	lib = srtp_test_engine(SRTP_BACKEND_LIBSRTP, NULL);
	srtp_test_engines_batched(engines, why_skip, 0);
	return lib == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	srtp_test_engines_free(engines);
	srtp_engine_free(lib);
	return 0;
}

/* Every profile, RTP and RTCP, on each batched back end. */
#define XCASE(name, p, k) \
	static struct xcase name = { p, k, SRTP_BACKEND_CRYPTODEV }; \
	static struct xcase name##_cpu = { p, k, SRTP_BACKEND_CPU_CRYPTO }; \
	static struct xcase name##_mb = { p, k, SRTP_BACKEND_IPSEC_MB }
XCASE(cm80_rtp, SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80, SRTP_KIND_RTP);
XCASE(cm80_rtcp, SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80, SRTP_KIND_RTCP);
XCASE(cm32_rtp, SRTP_PROFILE_AES_CM_128_HMAC_SHA1_32, SRTP_KIND_RTP);
XCASE(cm32_rtcp, SRTP_PROFILE_AES_CM_128_HMAC_SHA1_32, SRTP_KIND_RTCP);
XCASE(gcm128_rtp, SRTP_PROFILE_AEAD_AES_128_GCM, SRTP_KIND_RTP);
XCASE(gcm128_rtcp, SRTP_PROFILE_AEAD_AES_128_GCM, SRTP_KIND_RTCP);
XCASE(gcm256_rtp, SRTP_PROFILE_AEAD_AES_256_GCM, SRTP_KIND_RTP);
XCASE(gcm256_rtcp, SRTP_PROFILE_AEAD_AES_256_GCM, SRTP_KIND_RTCP);
XCASE(null_rtp, SRTP_PROFILE_NULL_HMAC_SHA1_80, SRTP_KIND_RTP);
XCASE(null_rtcp, SRTP_PROFILE_NULL_HMAC_SHA1_80, SRTP_KIND_RTCP);

#define XTEST(name) \
	{ #name "/cryptodev", run_case, NULL, NULL, &name }, \
	{ #name "/cpu-crypto", run_case, NULL, NULL, &name##_cpu }, \
	{ #name "/ipsec-mb", run_case, NULL, NULL, &name##_mb }

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		XTEST(cm80_rtp),
		XTEST(cm80_rtcp),
		XTEST(cm32_rtp),
		XTEST(cm32_rtcp),
		XTEST(gcm128_rtp),
		XTEST(gcm128_rtcp),
		XTEST(gcm256_rtp),
		XTEST(gcm256_rtcp),
		XTEST(null_rtp),
		XTEST(null_rtcp),
		{ "srtcp_auth_only/cryptodev", run_srtcp_auth_only, NULL, NULL, &cm80_rtcp },
		{ "srtcp_auth_only/cpu-crypto", run_srtcp_auth_only, NULL, NULL, &cm80_rtcp_cpu },
		{ "srtcp_auth_only/ipsec-mb", run_srtcp_auth_only, NULL, NULL, &cm80_rtcp_mb },
	};

	(void)argc;
	if (srtp_test_eal_init(argv[0]) != 0) {
		print_message("SKIP: EAL cannot start\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, setup, teardown);
}
