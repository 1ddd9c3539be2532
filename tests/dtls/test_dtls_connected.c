/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The connected state of lib/dtls, which runs without OpenSSL's object
 * (dtls_post.c): for each AEAD suite and both roles, records from a real
 * OpenSSL browser are authenticated (application data counted, replays and
 * forgeries dropped), alerts act (close_notify answered, fatal alert fails
 * the leg, warnings do nothing), our close_notify reaches the browser; and
 * what a leg keeps in memory, idle and connected.
 */
#include <errno.h>
#include <malloc.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <rte_common.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/ssl.h>

#include "dtls_test_fixture.h"

static const char *const suites[] = {
	"ECDHE-ECDSA-AES128-GCM-SHA256",
	"ECDHE-ECDSA-AES256-GCM-SHA384",
	"ECDHE-ECDSA-CHACHA20-POLY1305",
};

/*
 * A record as the browser would send it, sealed here with the browser's
 * epoch-1 write key: key block from the master secret (RFC 5246 §6.3),
 * AES-GCM nonce salt || explicit (RFC 5288), ChaCha20-Poly1305 nonce IV xor
 * sequence (RFC 7905), AAD epoch || seq || type || version || length.
 * Written apart from lib/dtls on purpose, from the RFCs.
 */
static size_t
peer_seal(SSL *ssl, uint8_t type, const uint8_t *pt, size_t pt_len, uint64_t seq, uint8_t *out)
{
	const SSL_CIPHER *ci = SSL_get_current_cipher(ssl);
	int nid = SSL_CIPHER_get_cipher_nid(ci);
	bool chacha = nid == NID_chacha20_poly1305, client = !SSL_is_server(ssl);
	size_t key_len = nid == NID_aes_128_gcm ? 16 : 32, iv_len = chacha ? 12 : 4;
	size_t exp = chacha ? 0 : 8, ms_len, off, i;
	uint8_t ms[48], seed[13 + 2 * 32], kb[2 * (32 + 12)], nonce[12], aad[13];
	const uint8_t *key, *iv;
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "TLS1-PRF", NULL);
	EVP_KDF_CTX *kc = EVP_KDF_CTX_new(kdf);
	EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
	EVP_CIPHER *aead = EVP_CIPHER_fetch(NULL, chacha ? "ChaCha20-Poly1305" :
					    key_len == 16 ? "AES-128-GCM" : "AES-256-GCM", NULL);
	OSSL_PARAM params[4];
	int n;

	ms_len = SSL_SESSION_get_master_key(SSL_get_session(ssl), ms, sizeof(ms));
	memcpy(seed, "key expansion", 13);
	SSL_get_server_random(ssl, seed + 13, 32);
	SSL_get_client_random(ssl, seed + 13 + 32, 32);
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
		(char *)EVP_MD_get0_name(SSL_CIPHER_get_handshake_digest(ci)), 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SECRET, ms, ms_len);
	params[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED, seed, sizeof(seed));
	params[3] = OSSL_PARAM_construct_end();
	assert_int_equal(EVP_KDF_derive(kc, kb, 2 * (key_len + iv_len), params), 1);
	key = kb + (client ? 0 : key_len);
	iv = kb + 2 * key_len + (client ? 0 : iv_len);

	out[0] = type;
	out[1] = 0xfe;
	out[2] = 0xfd;
	out[3] = 0;
	out[4] = 1;
	for (i = 0; i < 6; i++)
		out[5 + i] = (uint8_t)(seq >> (8 * (5 - i)));
	off = 13;
	if (chacha) {
		memcpy(nonce, iv, 12);
		for (i = 0; i < 8; i++)
			nonce[4 + i] ^= out[3 + i];
	} else {
		memcpy(nonce, iv, 4);
		memcpy(nonce + 4, out + 3, 8);	/* the explicit nonce: epoch || seq, as OpenSSL does */
		memcpy(out + off, out + 3, 8);
		off += exp;
	}
	memcpy(aad, out + 3, 8);
	aad[8] = type;
	aad[9] = 0xfe;
	aad[10] = 0xfd;
	aad[11] = (uint8_t)(pt_len >> 8);
	aad[12] = (uint8_t)pt_len;
	assert_int_equal(EVP_EncryptInit_ex2(x, aead, key, nonce, NULL), 1);
	assert_int_equal(EVP_EncryptUpdate(x, NULL, &n, aad, sizeof(aad)), 1);
	assert_int_equal(EVP_EncryptUpdate(x, out + off, &n, pt, (int)pt_len), 1);
	off += (size_t)n;
	assert_int_equal(EVP_EncryptFinal_ex(x, out + off, &n), 1);
	assert_int_equal(EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_AEAD_GET_TAG, 16, out + off), 1);
	off += 16;
	out[11] = (uint8_t)((off - 13) >> 8);
	out[12] = (uint8_t)(off - 13);
	EVP_CIPHER_free(aead);
	EVP_CIPHER_CTX_free(x);
	EVP_KDF_CTX_free(kc);
	EVP_KDF_free(kdf);
	return off;
}

static void
connect_with(struct fixture *f, struct dtls_engine *e, enum dtls_role role, const char *suite)
{
	struct dtls_conn_info info;
	struct pump_result r;

	fixture_new(f, e, role, all_profiles, "sha-256");
	assert_int_equal(SSL_set_cipher_list(f->peer->ssl, suite), 1);
	run_handshake(f, T0, NULL, NULL, &r);
	assert_int_equal(dtls_conn_state(f->box), DTLS_STATE_CONNECTED);
	assert_true(test_peer_done(f->peer));
	dtls_conn_info(f->box, &info);
	assert_string_equal(info.cipher, suite);
	assert_int_equal(info.version, DTLS1_2_VERSION);
	check_keys(f, SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80);
}

static void
test_records_each_aead(void **state)
{
	struct dtls_engine *e = engine_new(0);
	struct dtls_stats st;
	unsigned int i, role;

	(void)state;
	for (i = 0; i < RTE_DIM(suites); i++) {
		for (role = 0; role < 2; role++) {
			static const uint8_t user_canceled[2] = { 1, 90 };
			struct dtls_conn_info info;
			struct pump_result r;
			struct fixture f;
			uint8_t d[512], buf[512];
			size_t len;

			connect_with(&f, e, role, suites[i]);
			/* A data channel's record: authenticated, counted, dropped. */
			assert_int_equal(SSL_write(f.peer->ssl, "hello", 5), 5);
			len = test_peer_take(f.peer, d);
			assert_int_equal(dtls_conn_input(f.box, d, len, T0), 0);
			/* The same record again is a replay; a forged copy fails its tag. */
			assert_int_equal(dtls_conn_input(f.box, d, len, T0), DTLS_EV_DROPPED);
			assert_int_equal(SSL_write(f.peer->ssl, "hello", 5), 5);
			len = test_peer_take(f.peer, d);
			d[len - 1] ^= 1;
			assert_int_equal(dtls_conn_input(f.box, d, len, T0), DTLS_EV_DROPPED);
			dtls_conn_info(f.box, &info);
			assert_int_equal(info.records_dropped, 2);
			/* A warning alert changes nothing. */
			/* Sequence 10: ahead of the browser's own records, inside the window. */
			len = peer_seal(f.peer->ssl, 21, user_canceled, 2, 10, d);
			assert_int_equal(dtls_conn_input(f.box, d, len, T0), 0);
			dtls_conn_info(f.box, &info);
			assert_int_equal(info.state, DTLS_STATE_CONNECTED);
			assert_int_equal(info.last_alert_rx, 1 << 8 | 90);
			/* close_notify: the leg closes and answers with its own. */
			assert_int_equal(SSL_shutdown(f.peer->ssl), 0);
			len = test_peer_take(f.peer, d);
			assert_int_equal(dtls_conn_input(f.box, d, len, T0),
					 DTLS_EV_CLOSED | DTLS_EV_OUTPUT);
			pump(f.box, f.peer, T0, NULL, NULL, &r);
			assert_int_equal(SSL_get_shutdown(f.peer->ssl) & SSL_RECEIVED_SHUTDOWN,
					 SSL_RECEIVED_SHUTDOWN);
			dtls_conn_info(f.box, &info);
			assert_int_equal(info.state, DTLS_STATE_CLOSED);
			assert_int_equal(info.last_alert_rx, 1 << 8 | 0);
			assert_int_equal(info.last_alert_tx, 1 << 8 | 0);
			assert_int_equal(dtls_conn_pop_output(f.box, buf, sizeof(buf)), 0);
			fixture_free(&f);
		}
	}
	dtls_engine_stats(e, &st);
	assert_int_equal(st.app_data_dropped, 2 * RTE_DIM(suites));
	assert_int_equal(st.closed, 2 * RTE_DIM(suites));
	assert_int_equal(st.alerts_tx, 2 * RTE_DIM(suites));
	dtls_engine_free(e);
}

/* A fatal alert after the handshake fails the leg; our own close reaches the browser. */
static void
test_fatal_alert_and_close(void **state)
{
	static const uint8_t handshake_failure[2] = { 2, 40 };
	struct dtls_engine *e = engine_new(0);
	struct dtls_stats st;
	unsigned int i, role;

	(void)state;
	for (i = 0; i < RTE_DIM(suites); i++) {
		for (role = 0; role < 2; role++) {
			struct dtls_conn_info info;
			struct pump_result r;
			struct fixture f;
			uint8_t d[128];
			size_t len;

			connect_with(&f, e, role, suites[i]);
			len = peer_seal(f.peer->ssl, 21, handshake_failure, 2, 7, d);
			assert_int_equal(dtls_conn_input(f.box, d, len, T0), DTLS_EV_FAILED);
			dtls_conn_info(f.box, &info);
			assert_int_equal(info.state, DTLS_STATE_FAILED);
			assert_int_equal(info.fail_reason, DTLS_FAIL_ALERT_RECEIVED);
			assert_int_equal(info.last_alert_rx, 2 << 8 | 40);
			fixture_free(&f);

			connect_with(&f, e, role, suites[i]);
			assert_int_equal(dtls_conn_close(f.box), DTLS_EV_OUTPUT);
			pump(f.box, f.peer, T0, NULL, NULL, &r);
			assert_int_equal(SSL_get_shutdown(f.peer->ssl) & SSL_RECEIVED_SHUTDOWN,
					 SSL_RECEIVED_SHUTDOWN);
			fixture_free(&f);
		}
	}
	dtls_engine_stats(e, &st);
	assert_int_equal(st.fatal_alerts_rx, 2 * RTE_DIM(suites));
	assert_int_equal(st.failures[DTLS_FAIL_ALERT_RECEIVED], 2 * RTE_DIM(suites));
	dtls_engine_free(e);
}

static size_t
heap_used(void)
{
	struct mallinfo2 m = mallinfo2();

	return m.uordblks + m.hblkhd;
}

/*
 * What a leg keeps: no OpenSSL object while idle (it comes with the first
 * ClientHello), none once connected (about 80 KB each before).
 */
static void
test_memory_per_leg(void **state)
{
	enum { N = 16 };
	struct dtls_engine *e = engine_new(0);
	struct fixture f[N];
	size_t before, idle, connected;
	unsigned int i;

	(void)state;
	for (i = 0; i < N; i++)
		fixture_new(&f[i], e, DTLS_ROLE_SERVER, all_profiles, "sha-256");
	before = heap_used();
	for (i = 0; i < N; i++)
		dtls_conn_free(f[i].box);
	idle = (before - heap_used()) / N;
	for (i = 0; i < N; i++) {
		struct dtls_conn_conf cc = { .role = DTLS_ROLE_SERVER, .peer_fp_hash = "sha-256" };
		char fp[DTLS_FP_STR_MAX];
		struct pump_result r;

		test_peer_fingerprint(f[i].peer, "sha-256", fp, sizeof(fp));
		cc.peer_fp = fp;
		f[i].box = dtls_conn_create(e, &cc);
		run_handshake(&f[i], T0, NULL, NULL, &r);
		assert_int_equal(dtls_conn_state(f[i].box), DTLS_STATE_CONNECTED);
		check_keys(&f[i], SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80);
	}
	before = heap_used();
	for (i = 0; i < N; i++) {
		dtls_conn_free(f[i].box);
		f[i].box = NULL;
	}
	connected = (before - heap_used()) / N;
	print_message("bytes per leg: idle %zu, connected %zu\n", idle, connected);
	assert_true(idle < 1024);
	assert_true(connected < 2048);
	for (i = 0; i < N; i++)
		fixture_free(&f[i]);
	dtls_engine_free(e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_records_each_aead),
		cmocka_unit_test(test_fatal_alert_and_close),
		cmocka_unit_test(test_memory_per_leg),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
