/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Full DTLS-SRTP handshakes between lib/dtls (the box) and a plain OpenSSL
 * peer (the browser), datagrams carried in memory: every profile in both
 * roles, fingerprints, loss and retransmission on the test's clock,
 * garbage, alerts, close_notify, restart, timeout.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <rte_common.h>

#include <openssl/pem.h>
#include <openssl/ssl.h>

#include "dtls_conn.h"
#include "dtls_engine.h"
#include "dtls_keys.h"
#include "dtls_test_fixture.h"
#include "dtls_test_peer.h"

static void
test_all_profiles_both_roles(void **state)
{
	static const struct {
		const char *name;
		enum srtp_profile p;
		size_t km_len;
	} cases[] = {
		{ "SRTP_AES128_CM_SHA1_80", SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80, 60 },
		{ "SRTP_AES128_CM_SHA1_32", SRTP_PROFILE_AES_CM_128_HMAC_SHA1_32, 60 },
		{ "SRTP_AEAD_AES_128_GCM", SRTP_PROFILE_AEAD_AES_128_GCM, 56 },
		{ "SRTP_AEAD_AES_256_GCM", SRTP_PROFILE_AEAD_AES_256_GCM, 88 },
	};
	struct dtls_engine *e = engine_new(0);
	unsigned int i, role;
	struct dtls_stats st;

	(void)state;
	for (i = 0; i < RTE_DIM(cases); i++) {
		for (role = 0; role < 2; role++) {
			struct dtls_conn_info info;
			struct pump_result r;
			struct fixture f;
			char fp[DTLS_FP_STR_MAX];

			fixture_new(&f, e, role, cases[i].name, "sha-256");
			run_handshake(&f, T0, NULL, NULL, &r);
			assert_true(r.box_events & DTLS_EV_CONNECTED);
			assert_true(test_peer_done(f.peer));
			assert_int_equal(dtls_conn_state(f.box), DTLS_STATE_CONNECTED);
			assert_true(r.box_max_len <= DTLS_MTU_DEFAULT);
			dtls_conn_info(f.box, &info);
			assert_int_equal(info.role, role);
			assert_int_equal(info.profile, cases[i].p);
			assert_int_equal(info.version, DTLS1_2_VERSION);
			assert_string_equal(info.local_fp, dtls_engine_fingerprint(e));
			test_peer_fingerprint(f.peer, "sha-256", fp, sizeof(fp));
			assert_string_equal(info.peer_fp, fp);
			assert_true(strstr(info.cipher, "ECDHE-ECDSA") == info.cipher);
			assert_int_equal(2 * (srtp_profile_info(cases[i].p)->master_key_len +
					      srtp_profile_info(cases[i].p)->master_salt_len),
					 cases[i].km_len);
			check_keys(&f, cases[i].p);
			/* Nothing of a connected leg is timed. */
			assert_true(dtls_conn_next_timeout(f.box) == UINT64_MAX);
			fixture_free(&f);
		}
	}
	dtls_engine_stats(e, &st);
	assert_int_equal(st.handshakes_completed, 8);
	assert_int_equal(st.retransmits, 0);
	dtls_engine_free(e);
}

/* As server the box picks by the operator's order, whatever the browser's order. */
static void
test_operator_preference(void **state)
{
	struct dtls_engine_conf conf = {
		.profiles = { SRTP_PROFILE_AEAD_AES_128_GCM, SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80 },
		.n_profiles = 2,
	};
	struct dtls_engine *e = dtls_engine_create(&conf);
	struct pump_result r;
	struct fixture f;

	(void)state;
	assert_non_null(e);
	fixture_new(&f, e, DTLS_ROLE_SERVER, "SRTP_AEAD_AES_256_GCM:SRTP_AES128_CM_SHA1_80:"
		    "SRTP_AEAD_AES_128_GCM", "sha-256");
	run_handshake(&f, T0, NULL, NULL, &r);
	assert_int_equal(dtls_conn_state(f.box), DTLS_STATE_CONNECTED);
	check_keys(&f, SRTP_PROFILE_AEAD_AES_128_GCM);
	fixture_free(&f);
	dtls_engine_free(e);
}

static void
test_no_common_profile(void **state)
{
	struct dtls_engine_conf conf = {
		.profiles = { SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80 },
		.n_profiles = 1,
	};
	struct dtls_engine *e = dtls_engine_create(&conf);
	struct dtls_conn_info info;
	struct dtls_stats st;
	struct pump_result r;
	unsigned int role;
	struct fixture f;

	(void)state;
	assert_non_null(e);
	for (role = 0; role < 2; role++) {
		fixture_new(&f, e, role, "SRTP_AEAD_AES_256_GCM", "sha-256");
		run_handshake(&f, T0, NULL, NULL, &r);
		assert_true(r.box_events & DTLS_EV_FAILED);
		dtls_conn_info(f.box, &info);
		assert_int_equal(info.state, DTLS_STATE_FAILED);
		assert_int_equal(info.fail_reason, DTLS_FAIL_NO_SRTP_PROFILE);
		fixture_free(&f);
	}
	dtls_engine_stats(e, &st);
	assert_int_equal(st.failures[DTLS_FAIL_NO_SRTP_PROFILE], 2);
	assert_int_equal(st.handshakes_completed, 0);
	dtls_engine_free(e);
}

static void
test_wrong_fingerprint(void **state)
{
	struct dtls_engine *e = engine_new(0);
	struct dtls_srtp_keys keys;
	struct dtls_conn_info info;
	struct dtls_stats st;
	struct pump_result r;
	unsigned int role;
	struct fixture f;
	char fp[DTLS_FP_STR_MAX];

	(void)state;
	for (role = 0; role < 2; role++) {
		fixture_new(&f, e, role, all_profiles, "sha-256");
		/* Flip the last hex digit of the signalled fingerprint. */
		test_peer_fingerprint(f.peer, "sha-256", fp, sizeof(fp));
		fp[strlen(fp) - 1] = fp[strlen(fp) - 1] == '0' ? '1' : '0';
		assert_int_equal(dtls_conn_set_peer_fingerprint(f.box, "sha-256", fp), 0);
		run_handshake(&f, T0, NULL, NULL, &r);
		assert_true(r.box_events & DTLS_EV_FAILED);
		assert_false(r.box_events & DTLS_EV_CONNECTED);
		dtls_conn_info(f.box, &info);
		assert_int_equal(info.state, DTLS_STATE_FAILED);
		assert_int_equal(info.fail_reason, DTLS_FAIL_FINGERPRINT_MISMATCH);
		/* bad_certificate (42), fatal, went out. */
		assert_int_equal(info.last_alert_tx, 2 << 8 | 42);
		assert_false(test_peer_done(f.peer));
		assert_int_equal(dtls_conn_export_keys(f.box, &keys), -ENOTCONN);
		fixture_free(&f);
	}
	/* No fingerprint signalled at all. */
	f.peer = test_peer_new(false, all_profiles);
	f.box = dtls_conn_create(e, &(struct dtls_conn_conf){ .role = DTLS_ROLE_SERVER });
	assert_non_null(f.box);
	run_handshake(&f, T0, NULL, NULL, &r);
	dtls_conn_info(f.box, &info);
	assert_int_equal(info.fail_reason, DTLS_FAIL_NO_FINGERPRINT);
	fixture_free(&f);
	dtls_engine_stats(e, &st);
	assert_int_equal(st.failures[DTLS_FAIL_FINGERPRINT_MISMATCH], 2);
	assert_int_equal(st.failures[DTLS_FAIL_NO_FINGERPRINT], 1);
	dtls_engine_free(e);
}

static void
test_fingerprint_hashes(void **state)
{
	static const char *const hashes[] = { "sha-1", "sha-224", "sha-384", "sha-512", "sha-256" };
	struct dtls_engine *e = engine_new(0);
	struct pump_result r;
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(hashes); i++) {
		struct fixture f;

		fixture_new(&f, e, i % 2, all_profiles, hashes[i]);
		run_handshake(&f, T0, NULL, NULL, &r);
		assert_int_equal(dtls_conn_state(f.box), DTLS_STATE_CONNECTED);
		fixture_free(&f);
	}
	dtls_engine_free(e);
}

/* Drops the box's datagrams number *arg (counted from 0) in direction 0. */
struct drop_spec {
	int dir;
	unsigned int first;
	unsigned int count;
	unsigned int dropped;
};

static int
drop_some(int dir, unsigned int n, const uint8_t *d, size_t len, void *arg)
{
	struct drop_spec *s = arg;

	(void)d;
	(void)len;
	if (dir == s->dir && n >= s->first && n < s->first + s->count) {
		s->dropped++;
		return 1;
	}
	return 0;
}

static int
drop_all(int dir, unsigned int n, const uint8_t *d, size_t len, void *arg)
{
	(void)dir;
	(void)n;
	(void)d;
	(void)len;
	(void)arg;
	return 1;
}

/* Drops the box's first flight; the test clock passes the timeout; the flight goes again. */
static void
test_retransmit_lost_flight(void **state)
{
	struct dtls_engine *e = engine_new(0);
	unsigned int role;

	(void)state;
	for (role = 0; role < 2; role++) {
		struct drop_spec ds = { .dir = 0, .first = 0, .count = 1 };
		struct dtls_conn_info info;
		struct pump_result r;
		struct fixture f;
		uint64_t now = T0, t;
		int ev;

		fixture_new(&f, e, role, all_profiles, "sha-256");
		run_handshake(&f, now, drop_some, &ds, &r);
		assert_int_equal(ds.dropped, 1);
		assert_int_equal(dtls_conn_state(f.box), DTLS_STATE_HANDSHAKING);
		if (role == DTLS_ROLE_SERVER) {
			/* The box sent its first flight only after a ClientHello. */
			assert_true(dtls_conn_next_timeout(f.box) == now + DTLS_RTX_INITIAL_MS_DEFAULT);
		}
		t = dtls_conn_next_timeout(f.box);
		assert_true(t == now + DTLS_RTX_INITIAL_MS_DEFAULT);
		/* Not yet. */
		assert_int_equal(dtls_conn_timer(f.box, t - 1), 0);
		ev = dtls_conn_timer(f.box, t);
		assert_true(ev & DTLS_EV_OUTPUT);
		/* Backed off: the next one is twice as far. */
		assert_true(dtls_conn_next_timeout(f.box) == t + 2 * DTLS_RTX_INITIAL_MS_DEFAULT);
		pump(f.box, f.peer, t, NULL, NULL, &r);
		assert_int_equal(dtls_conn_state(f.box), DTLS_STATE_CONNECTED);
		assert_true(test_peer_done(f.peer));
		dtls_conn_info(f.box, &info);
		assert_int_equal(info.retransmits, 1);
		check_keys(&f, SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80);
		fixture_free(&f);
	}
	dtls_engine_free(e);
}

static unsigned int
short_timer(SSL *ssl, unsigned int prev)
{
	(void)ssl;
	(void)prev;
	/* 30 ms of the wall clock (the browser's timer is real); OpenSSL counts under 15 ms as expired. */
	return 30000;
}

/*
 * The box as server loses its last flight (CCS + Finished): it is connected,
 * the browser is not. The browser retransmits its Finished flight; OpenSSL
 * answers with the box's last flight again.
 */
static void
test_retransmit_last_flight(void **state)
{
	struct dtls_engine *e = engine_new(0);
	struct drop_spec ds = { .dir = 0, .first = 1, .count = 100 };
	struct pump_result r;
	struct fixture f;

	(void)state;
	fixture_new(&f, e, DTLS_ROLE_SERVER, all_profiles, "sha-256");
	DTLS_set_timer_cb(f.peer->ssl, short_timer);
	run_handshake(&f, T0, drop_some, &ds, &r);
	assert_int_equal(dtls_conn_state(f.box), DTLS_STATE_CONNECTED);
	assert_false(test_peer_done(f.peer));
	usleep(60000);
	assert_int_equal(DTLSv1_handle_timeout(f.peer->ssl), 1);
	pump(f.box, f.peer, T0 + 20, NULL, NULL, &r);
	assert_true(test_peer_done(f.peer));
	assert_int_equal(dtls_conn_state(f.box), DTLS_STATE_CONNECTED);
	check_keys(&f, SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80);
	fixture_free(&f);
	dtls_engine_free(e);
}

static void
test_handshake_timeout(void **state)
{
	struct dtls_engine *e = engine_new(0);
	struct dtls_conn_info info;
	struct dtls_stats st;
	struct pump_result r;
	struct fixture f;
	uint64_t t, last = 0;
	unsigned int n = 0;
	int ev = 0;

	(void)state;
	fixture_new(&f, e, DTLS_ROLE_CLIENT, all_profiles, "sha-256");
	run_handshake(&f, T0, drop_all, NULL, &r);
	/* Retransmits at +1, +3, +7, +15 s (RFC 6347 doubling); fails at +30 s. */
	while ((t = dtls_conn_next_timeout(f.box)) != UINT64_MAX && n < 100) {
		assert_true(t > last);
		last = t;
		ev = dtls_conn_timer(f.box, t);
		pump(f.box, f.peer, t, drop_all, NULL, &r);
		n++;
	}
	assert_true(ev & DTLS_EV_FAILED);
	assert_true(last == T0 + DTLS_HANDSHAKE_TIMEOUT_MS_DEFAULT);
	dtls_conn_info(f.box, &info);
	assert_int_equal(info.state, DTLS_STATE_FAILED);
	assert_int_equal(info.fail_reason, DTLS_FAIL_HANDSHAKE_TIMEOUT);
	assert_int_equal(info.retransmits, 4);
	dtls_engine_stats(e, &st);
	assert_int_equal(st.failures[DTLS_FAIL_HANDSHAKE_TIMEOUT], 1);
	/* A failed leg takes nothing more. */
	assert_int_equal(dtls_conn_start(f.box, t), -EALREADY);
	fixture_free(&f);
	/* A server that never hears a ClientHello times out as well, once started. */
	fixture_new(&f, e, DTLS_ROLE_SERVER, all_profiles, "sha-256");
	assert_int_equal(dtls_conn_start(f.box, T0), 0);
	assert_true(dtls_conn_next_timeout(f.box) == T0 + DTLS_HANDSHAKE_TIMEOUT_MS_DEFAULT);
	assert_int_equal(dtls_conn_timer(f.box, T0 + DTLS_HANDSHAKE_TIMEOUT_MS_DEFAULT),
			 DTLS_EV_FAILED);
	fixture_free(&f);
	dtls_engine_free(e);
}

/*
 * Garbage handed to the box at some point of the handshake, and after it.
 * During the handshake OpenSSL discards a record it cannot authenticate
 * silently; once connected the box checks records itself and counts it.
 */
static void
feed_garbage(struct dtls_conn *box, uint64_t now, const uint8_t *valid, size_t vlen)
{
	bool connected = dtls_conn_state(box) == DTLS_STATE_CONNECTED;
	uint8_t rnd[300], rec[64];
	unsigned int i;

	for (i = 0; i < sizeof(rnd); i++)
		rnd[i] = (uint8_t)rand();
	rnd[0] = 0x80;	/* not a content type */
	assert_int_equal(dtls_conn_input(box, rnd, sizeof(rnd), now), DTLS_EV_DROPPED);
	/* Random bytes behind a believable header. */
	rnd[0] = 23;
	rnd[1] = 0xfe;
	rnd[2] = 0xfd;
	rnd[11] = (uint8_t)((sizeof(rnd) - 13) >> 8);
	rnd[12] = (uint8_t)(sizeof(rnd) - 13);
	assert_int_equal(dtls_conn_input(box, rnd, sizeof(rnd), now) & ~DTLS_EV_OUTPUT,
			 connected ? DTLS_EV_DROPPED : 0);
	/* The same as an epoch-1 record: its tag does not verify. */
	rnd[3] = 0;
	rnd[4] = 1;
	assert_int_equal(dtls_conn_input(box, rnd, sizeof(rnd), now) & ~DTLS_EV_OUTPUT,
			 connected ? DTLS_EV_DROPPED : 0);
	/* A truncated copy of a real datagram, and one with a TLS version. */
	memcpy(rec, valid, RTE_MIN(vlen, sizeof(rec)));
	assert_int_equal(dtls_conn_input(box, rec, RTE_MIN(vlen, sizeof(rec)) - 1, now),
			 DTLS_EV_DROPPED);
	rec[1] = 0x03;
	rec[2] = 0x03;
	assert_int_equal(dtls_conn_input(box, rec, RTE_MIN(vlen, sizeof(rec)), now), DTLS_EV_DROPPED);
	assert_int_equal(dtls_conn_input(box, rec, 3, now), DTLS_EV_DROPPED);
}

static int
garbage_mid(int dir, unsigned int n, const uint8_t *d, size_t len, void *arg)
{
	struct dtls_conn *box = arg;

	/* Before the box sees the peer's second flight. */
	if (dir == 1 && n == 1)
		feed_garbage(box, T0, d, len);
	return 0;
}

static void
test_garbage(void **state)
{
	struct dtls_engine *e = engine_new(0);
	struct dtls_conn_info info;
	struct dtls_stats st;
	struct pump_result r;
	unsigned int role;

	(void)state;
	for (role = 0; role < 2; role++) {
		struct fixture f;

		fixture_new(&f, e, role, all_profiles, "sha-256");
		run_handshake(&f, T0, garbage_mid, f.box, &r);
		assert_int_equal(dtls_conn_state(f.box), DTLS_STATE_CONNECTED);
		assert_true(test_peer_done(f.peer));
		dtls_conn_info(f.box, &info);
		assert_int_equal(info.records_dropped, 4);
		/* And once established. */
		feed_garbage(f.box, T0, f.peer->out[0], 60);
		assert_int_equal(dtls_conn_state(f.box), DTLS_STATE_CONNECTED);
		dtls_conn_info(f.box, &info);
		assert_int_equal(info.records_dropped, 4 + 6);
		check_keys(&f, SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80);
		/* Application data (a data channel) is dropped and counted, the leg lives. */
		assert_int_equal(SSL_write(f.peer->ssl, "hello", 5), 5);
		pump(f.box, f.peer, T0, NULL, NULL, &r);
		assert_int_equal(dtls_conn_state(f.box), DTLS_STATE_CONNECTED);
		fixture_free(&f);
	}
	dtls_engine_stats(e, &st);
	assert_int_equal(st.records_dropped, 2 * (4 + 6));
	assert_int_equal(st.app_data_dropped, 2);
	dtls_engine_free(e);
}

static void
test_close_notify(void **state)
{
	struct dtls_engine *e = engine_new(0);
	struct dtls_conn_info info;
	struct dtls_stats st;
	struct pump_result r;
	struct fixture f;
	uint8_t buf[256];

	(void)state;
	fixture_new(&f, e, DTLS_ROLE_SERVER, all_profiles, "sha-256");
	run_handshake(&f, T0, NULL, NULL, &r);
	assert_int_equal(dtls_conn_state(f.box), DTLS_STATE_CONNECTED);
	assert_int_equal(SSL_shutdown(f.peer->ssl), 0);
	assert_int_equal(f.peer->n_out, 1);
	f.peer->n_out = 0;
	assert_int_equal(dtls_conn_input(f.box, f.peer->out[0], f.peer->out_len[0], T0),
			 DTLS_EV_CLOSED | DTLS_EV_OUTPUT);
	/* Our close_notify in answer. */
	assert_true(dtls_conn_pop_output(f.box, buf, sizeof(buf)) > 0);
	dtls_conn_info(f.box, &info);
	assert_int_equal(info.state, DTLS_STATE_CLOSED);
	assert_int_equal(info.last_alert_rx, 1 << 8 | 0);
	/* A closed leg drops what comes. */
	assert_int_equal(dtls_conn_input(f.box, f.peer->out[0], f.peer->out_len[0], T0),
			 DTLS_EV_DROPPED);
	fixture_free(&f);
	/* Our own close. */
	fixture_new(&f, e, DTLS_ROLE_CLIENT, all_profiles, "sha-256");
	run_handshake(&f, T0, NULL, NULL, &r);
	assert_int_equal(dtls_conn_close(f.box), DTLS_EV_OUTPUT);
	assert_int_equal(dtls_conn_state(f.box), DTLS_STATE_CLOSED);
	pump(f.box, f.peer, T0, NULL, NULL, &r);
	assert_int_equal(SSL_get_shutdown(f.peer->ssl) & SSL_RECEIVED_SHUTDOWN, SSL_RECEIVED_SHUTDOWN);
	fixture_free(&f);
	dtls_engine_stats(e, &st);
	assert_int_equal(st.closed, 1);
	dtls_engine_free(e);
}

/* The browser refuses the box's certificate: its fatal alert fails the leg. */
static void
test_fatal_alert(void **state)
{
	struct dtls_engine *e = engine_new(0);
	struct dtls_conn_info info;
	struct dtls_stats st;
	struct pump_result r;
	unsigned int role;

	(void)state;
	for (role = 0; role < 2; role++) {
		struct fixture f;

		fixture_new(&f, e, role, all_profiles, "sha-256");
		f.peer->reject_cert = true;
		run_handshake(&f, T0, NULL, NULL, &r);
		assert_true(r.box_events & DTLS_EV_FAILED);
		dtls_conn_info(f.box, &info);
		assert_int_equal(info.state, DTLS_STATE_FAILED);
		assert_int_equal(info.fail_reason, DTLS_FAIL_ALERT_RECEIVED);
		assert_int_equal(info.last_alert_rx >> 8, 2);
		fixture_free(&f);
	}
	dtls_engine_stats(e, &st);
	assert_int_equal(st.failures[DTLS_FAIL_ALERT_RECEIVED], 2);
	assert_int_equal(st.fatal_alerts_rx, 2);
	dtls_engine_free(e);
}

/* Browser reload: a new ClientHello on a connected server leg, new keys after it. */
static void
test_restart(void **state)
{
	struct dtls_engine *e = engine_new(0);
	struct dtls_srtp_keys k1, k2;
	struct dtls_conn_info info;
	struct dtls_stats st;
	struct pump_result r;
	struct fixture f;
	char fp[DTLS_FP_STR_MAX];
	uint8_t ch[2048];
	size_t ch_len;
	int ev;

	(void)state;
	fixture_new(&f, e, DTLS_ROLE_SERVER, all_profiles, "sha-256");
	run_handshake(&f, T0, NULL, NULL, &r);
	assert_int_equal(dtls_conn_export_keys(f.box, &k1), 0);
	/* Same tab, new certificate, new handshake (RFC 8842: new tls-id). */
	test_peer_new_cert(f.peer);
	test_peer_step(f.peer);
	assert_int_equal(f.peer->n_out, 1);
	ch_len = f.peer->out_len[0];
	memcpy(ch, f.peer->out[0], ch_len);
	f.peer->n_out = 0;
	ev = dtls_conn_input(f.box, ch, ch_len, T0 + 5000);
	assert_int_equal(ev, DTLS_EV_CLIENT_HELLO);
	assert_int_equal(dtls_conn_state(f.box), DTLS_STATE_CONNECTED);
	/* The caller accepts: the new fingerprint from signalling, reset, same datagram. */
	test_peer_fingerprint(f.peer, "sha-256", fp, sizeof(fp));
	assert_int_equal(dtls_conn_set_peer_fingerprint(f.box, "sha-256", fp), 0);
	assert_int_equal(dtls_conn_reset(f.box), 0);
	assert_int_equal(dtls_conn_state(f.box), DTLS_STATE_NEW);
	ev = dtls_conn_input(f.box, ch, ch_len, T0 + 5000);
	assert_true(ev & DTLS_EV_OUTPUT);
	pump(f.box, f.peer, T0 + 5000, NULL, NULL, &r);
	assert_int_equal(dtls_conn_state(f.box), DTLS_STATE_CONNECTED);
	check_keys_out(&f, SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80, &k2);
	assert_memory_not_equal(k1.remote_key, k2.remote_key, k1.key_len);
	dtls_conn_info(f.box, &info);
	assert_int_equal(info.handshakes, 2);
	assert_string_equal(info.peer_fp, fp);
	dtls_srtp_keys_wipe(&k1);
	dtls_srtp_keys_wipe(&k2);
	fixture_free(&f);

	/* The box as client restarts when signalling says so. */
	fixture_new(&f, e, DTLS_ROLE_CLIENT, all_profiles, "sha-256");
	run_handshake(&f, T0, NULL, NULL, &r);
	assert_int_equal(dtls_conn_state(f.box), DTLS_STATE_CONNECTED);
	test_peer_restart(f.peer);
	assert_int_equal(dtls_conn_reset(f.box), 0);
	run_handshake(&f, T0 + 9000, NULL, NULL, &r);
	assert_int_equal(dtls_conn_state(f.box), DTLS_STATE_CONNECTED);
	check_keys(&f, SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80);
	fixture_free(&f);
	dtls_engine_stats(e, &st);
	assert_int_equal(st.restarts, 2);
	assert_int_equal(st.handshakes_completed, 4);
	dtls_engine_free(e);
}

/*
 * The browser's certificate: ECDSA (every other test) or RSA completes,
 * in both roles; Ed25519, which no browser uses, is not in the engine's
 * library context (dtls_libctx.c): the handshake fails (the box cannot read
 * the key, or offers no signature algorithm for it and the browser gives up).
 */
static void
test_peer_key_types(void **state)
{
	struct dtls_engine *e = engine_new(0);
	struct dtls_stats st;
	unsigned int role;

	(void)state;
	for (role = 0; role < 2; role++) {
		struct dtls_conn_info info;
		struct pump_result r;
		struct fixture f;
		char fp[DTLS_FP_STR_MAX];

		fixture_new(&f, e, role, all_profiles, "sha-256");
		test_peer_new_cert_type(f.peer, TEST_KEY_RSA);
		test_peer_fingerprint(f.peer, "sha-256", fp, sizeof(fp));
		assert_int_equal(dtls_conn_set_peer_fingerprint(f.box, "sha-256", fp), 0);
		run_handshake(&f, T0, NULL, NULL, &r);
		assert_int_equal(dtls_conn_state(f.box), DTLS_STATE_CONNECTED);
		check_keys(&f, SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80);
		fixture_free(&f);

		fixture_new(&f, e, role, all_profiles, "sha-256");
		test_peer_new_cert_type(f.peer, TEST_KEY_ED25519);
		test_peer_fingerprint(f.peer, "sha-256", fp, sizeof(fp));
		assert_int_equal(dtls_conn_set_peer_fingerprint(f.box, "sha-256", fp), 0);
		run_handshake(&f, T0, NULL, NULL, &r);
		dtls_conn_info(f.box, &info);
		assert_int_equal(info.state, DTLS_STATE_FAILED);
		assert_true(info.fail_reason == DTLS_FAIL_PROTOCOL_ERROR ||
			    info.fail_reason == DTLS_FAIL_ALERT_RECEIVED);
		assert_false(test_peer_done(f.peer));
		assert_int_equal(dtls_conn_export_keys(f.box, &(struct dtls_srtp_keys){ 0 }),
				 -ENOTCONN);
		fixture_free(&f);
	}
	dtls_engine_stats(e, &st);
	assert_int_equal(st.handshakes_completed, 2);
	assert_int_equal(st.failures[DTLS_FAIL_PROTOCOL_ERROR] +
			 st.failures[DTLS_FAIL_ALERT_RECEIVED], 2);
	dtls_engine_free(e);
}

/* A small MTU: flights are fragmented, every datagram fits. */
static void
test_small_mtu(void **state)
{
	struct dtls_engine *e = engine_new(300);
	unsigned int role;

	(void)state;
	for (role = 0; role < 2; role++) {
		struct pump_result r;
		struct fixture f;

		fixture_new(&f, e, role, all_profiles, "sha-256");
		run_handshake(&f, T0, NULL, NULL, &r);
		assert_int_equal(dtls_conn_state(f.box), DTLS_STATE_CONNECTED);
		assert_true(r.box_max_len <= 300);
		assert_true(r.box_dgrams >= 3);
		check_keys(&f, SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80);
		fixture_free(&f);
	}
	dtls_engine_free(e);
}

/* Certificate from PEM files; renewal affects new legs only. */
static void
test_cert_pem_and_renew(void **state)
{
	char dir[] = "/tmp/dtls_test_XXXXXX", cf[64], kf[64], old_fp[DTLS_FP_STR_MAX];
	struct test_peer *p = test_peer_new(true, all_profiles);
	struct dtls_engine_conf conf = { .cert_file = cf, .key_file = kf };
	struct dtls_conn_info info;
	struct dtls_engine *e;
	struct pump_result r;
	struct fixture f, g;
	char fp[DTLS_FP_STR_MAX];
	FILE *fh;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(cf, sizeof(cf), "%s/c.pem", dir);
	snprintf(kf, sizeof(kf), "%s/k.pem", dir);
	fh = fopen(cf, "w");
	PEM_write_X509(fh, p->x509);
	fclose(fh);
	fh = fopen(kf, "w");
	PEM_write_PrivateKey(fh, p->pkey, NULL, NULL, 0, NULL, NULL);
	fclose(fh);
	e = dtls_engine_create(&conf);
	assert_non_null(e);
	test_peer_fingerprint(p, "sha-256", fp, sizeof(fp));
	assert_string_equal(dtls_engine_fingerprint(e), fp);
	test_peer_free(p);
	unlink(cf);
	/* A missing file says so. */
	assert_null(dtls_engine_create(&conf));
	unlink(kf);
	rmdir(dir);

	fixture_new(&f, e, DTLS_ROLE_SERVER, all_profiles, "sha-256");
	snprintf(old_fp, sizeof(old_fp), "%s", dtls_engine_fingerprint(e));
	assert_int_equal(dtls_engine_renew_cert(e, 1), 0);
	assert_string_not_equal(dtls_engine_fingerprint(e), old_fp);
	fixture_new(&g, e, DTLS_ROLE_CLIENT, all_profiles, "sha-256");
	run_handshake(&f, T0, NULL, NULL, &r);
	run_handshake(&g, T0, NULL, NULL, &r);
	assert_int_equal(dtls_conn_state(f.box), DTLS_STATE_CONNECTED);
	assert_int_equal(dtls_conn_state(g.box), DTLS_STATE_CONNECTED);
	dtls_conn_info(f.box, &info);
	assert_string_equal(info.local_fp, old_fp);
	dtls_conn_info(g.box, &info);
	assert_string_equal(info.local_fp, dtls_engine_fingerprint(e));
	/* The peer sees the certificate the fingerprint names. */
	{
		X509 *x = SSL_get1_peer_certificate(g.peer->ssl);
		struct dtls_fingerprint xf;
		char s[DTLS_FP_STR_MAX];

		assert_non_null(x);
		assert_int_equal(dtls_fingerprint_of_x509(x, DTLS_FP_SHA256, &xf), 0);
		dtls_fingerprint_format(&xf, s, sizeof(s));
		assert_string_equal(s, dtls_engine_fingerprint(e));
		X509_free(x);
	}
	fixture_free(&f);
	fixture_free(&g);
	dtls_engine_free(e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_profiles_both_roles),
		cmocka_unit_test(test_operator_preference),
		cmocka_unit_test(test_no_common_profile),
		cmocka_unit_test(test_wrong_fingerprint),
		cmocka_unit_test(test_fingerprint_hashes),
		cmocka_unit_test(test_retransmit_lost_flight),
		cmocka_unit_test(test_retransmit_last_flight),
		cmocka_unit_test(test_handshake_timeout),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_close_notify),
		cmocka_unit_test(test_fatal_alert),
		cmocka_unit_test(test_restart),
		cmocka_unit_test(test_peer_key_types),
		cmocka_unit_test(test_small_mtu),
		cmocka_unit_test(test_cert_pem_and_renew),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
