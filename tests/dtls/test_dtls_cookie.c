/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The stateless front of a DTLS server leg: the ClientHello pre-check
 * (dtls_hello.h) on a real OpenSSL ClientHello and on every way of spoiling
 * one, the HelloVerifyRequest built from it, cookies (dtls_cookie.h: bound
 * to the peer and the time slot, rotated), and a whole handshake through
 * the cookie exchange with a real OpenSSL client (keys checked).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dtls_cookie.h"
#include "dtls_hello.h"
#include "dtls_test_fixture.h"

#define PEER_A "198.18.0.2:5000->198.18.0.1:20000"
#define PEER_B "198.18.0.2:5001->198.18.0.1:20000"
#define SLOT 30000u

/* The browser's first datagram: its ClientHello without a cookie. */
static size_t
first_hello(struct fixture *f, uint8_t *ch)
{
	test_peer_step(f->peer);
	return test_peer_take(f->peer, ch);
}

static void
put24(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 16);
	b[1] = (uint8_t)(v >> 8);
	b[2] = (uint8_t)v;
}

/* A spoilt copy of ch: the check must name reason. */
static void
expect_spoilt(const uint8_t *ch, size_t n, size_t at, uint8_t val, enum dtls_hello_check reason)
{
	uint8_t d[2048];
	struct dtls_hello h;

	memcpy(d, ch, n);
	d[at] = val;
	assert_string_equal(dtls_hello_check_name(dtls_hello_parse(d, n, &h)),
			    dtls_hello_check_name(reason));
}

static void
test_hello_parse(void **state)
{
	struct dtls_engine *e = engine_new(0);
	uint8_t ch[2048], d[2048];
	struct dtls_hello h;
	struct fixture f;
	size_t n, i, sid;

	(void)state;
	fixture_new(&f, e, DTLS_ROLE_SERVER, all_profiles, "sha-256");
	n = first_hello(&f, ch);
	assert_int_equal(dtls_hello_parse(ch, n, &h), DTLS_HELLO_OK);
	assert_int_equal(h.cookie_len, 0);
	assert_int_equal(h.msg_seq, 0);
	assert_int_equal(h.client_version, 0xfefd);
	assert_int_equal(h.msg_len, n - DTLS_RECORD_HDR_LEN - DTLS_HS_HDR_LEN);
	/* Every prefix is refused: a record that does not add up is no ClientHello. */
	for (i = 0; i < n; i++)
		assert_int_not_equal(dtls_hello_parse(ch, i, &h), DTLS_HELLO_OK);
	expect_spoilt(ch, n, 0, 23, DTLS_HELLO_NOT_HANDSHAKE);
	expect_spoilt(ch, n, 0, 0x80, DTLS_HELLO_RECORD);
	expect_spoilt(ch, n, 2, 0xfc, DTLS_HELLO_RECORD);	/* DTLS 1.3's record version */
	expect_spoilt(ch, n, 4, 1, DTLS_HELLO_EPOCH);
	expect_spoilt(ch, n, 13, 2, DTLS_HELLO_NOT_CLIENT_HELLO);
	/* A fragment length that is not the record's; a message shorter than its fragment. */
	memcpy(d, ch, n);
	put24(d + 13 + 9, h.frag_len + 1);
	assert_int_equal(dtls_hello_parse(d, n, &h), DTLS_HELLO_LENGTH);
	memcpy(d, ch, n);
	put24(d + 13 + 1, (uint32_t)(n - 25 - 1));
	assert_int_equal(dtls_hello_parse(d, n, &h), DTLS_HELLO_FRAGMENT);
	put24(d + 13 + 1, 20);
	assert_int_equal(dtls_hello_parse(d, n, &h), DTLS_HELLO_LENGTH);
	assert_int_equal(dtls_hello_parse(ch, n, &h), DTLS_HELLO_OK);
	expect_spoilt(ch, n, 13 + 12, 0x03, DTLS_HELLO_BODY);	/* client_version TLS */
	sid = 13 + 12 + 2 + 32;
	expect_spoilt(ch, n, sid, 33, DTLS_HELLO_BODY);	/* session id longer than 32 */
	expect_spoilt(ch, n, sid + 1, 200, DTLS_HELLO_BODY);	/* cookie past the end */
	expect_spoilt(ch, n, sid + 2, 0x7f, DTLS_HELLO_BODY);	/* cipher suites past the end */
	/* Fragments: not the first one, and one reaching past its message. */
	memcpy(d, ch, n);
	put24(d + 13 + 6, 10);
	put24(d + 13 + 1, (uint32_t)(n - 25 + 10));
	assert_int_equal(dtls_hello_parse(d, n, &h), DTLS_HELLO_NOT_FIRST);
	put24(d + 13 + 1, (uint32_t)(n - 25));
	assert_int_equal(dtls_hello_parse(d, n, &h), DTLS_HELLO_FRAGMENT);
	/* A first fragment (message longer than the record) is checked up to the cookie. */
	memcpy(d, ch, n);
	put24(d + 13 + 1, (uint32_t)(n - 25 + 100));
	assert_int_equal(dtls_hello_parse(d, n, &h), DTLS_HELLO_OK);
	/* Trailing bytes after the extensions, inside the record. */
	memcpy(d, ch, n);
	d[n] = 0;
	d[12]++;
	put24(d + 13 + 1, (uint32_t)(n + 1 - 25));
	put24(d + 13 + 9, (uint32_t)(n + 1 - 25));
	assert_int_equal(dtls_hello_parse(d, n + 1, &h), DTLS_HELLO_BODY);
	/* A second record after the ClientHello is fine if it is a sane record. */
	memcpy(d, ch, n);
	memcpy(d + n, ch, 13);
	d[n + 11] = 0;
	d[n + 12] = 0;
	assert_int_equal(dtls_hello_parse(d, n + 13, &h), DTLS_HELLO_OK);
	assert_int_equal(dtls_hello_parse(d, n + 12, &h), DTLS_HELLO_RECORD);
	fixture_free(&f);
	dtls_engine_free(e);
}

static void
test_hvr_build(void **state)
{
	uint8_t ch[128] = { 0 }, hvr[128], cookie[DTLS_COOKIE_LEN];
	struct dtls_hello h;
	size_t n, body = 2 + 32 + 1 + 1 + 2 + 2 + 1 + 1;

	(void)state;
	/* The smallest ClientHello there is, record sequence number 5. */
	ch[0] = 22;
	ch[1] = 0xfe;
	ch[2] = 0xfd;
	ch[10] = 5;
	ch[12] = (uint8_t)(12 + body);
	ch[13] = 1;
	put24(ch + 14, (uint32_t)body);
	put24(ch + 22, (uint32_t)body);
	ch[25] = 0xfe;
	ch[26] = 0xfd;
	ch[25 + 34 + 2 + 1] = 2;	/* cipher suites length 2 */
	ch[25 + 34 + 2 + 4] = 1;	/* one compression method */
	n = 25 + body;
	assert_int_equal(dtls_hello_parse(ch, n, &h), DTLS_HELLO_OK);
	memset(cookie, 0xc5, sizeof(cookie));
	assert_int_equal(dtls_hvr_build(&h, cookie, sizeof(cookie), hvr, DTLS_HVR_LEN(16) - 1), 0);
	assert_int_equal(dtls_hvr_build(&h, cookie, sizeof(cookie), hvr, sizeof(hvr)),
			 DTLS_HVR_LEN(DTLS_COOKIE_LEN));
	/* Never larger than what it answers. */
	assert_true(DTLS_HVR_LEN(DTLS_COOKIE_LEN) < n);
	assert_int_equal(dtls_record_check(hvr, DTLS_HVR_LEN(16)), DTLS_REC_OK);
	assert_int_equal(hvr[0], 22);
	assert_int_equal(hvr[2], 0xff);		/* DTLS 1.0 record version */
	assert_int_equal(hvr[10], 5);		/* the ClientHello's sequence number */
	assert_int_equal(hvr[13], 3);		/* hello_verify_request */
	assert_int_equal(hvr[13 + 3], 3 + 16);	/* length */
	assert_int_equal(hvr[13 + 11], 3 + 16);	/* fragment length */
	assert_int_equal(hvr[27], 16);
	assert_memory_equal(hvr + 28, cookie, 16);
}

static void
test_cookie(void **state)
{
	struct dtls_cookie_jar *j = dtls_cookie_jar_create(SLOT), *k;
	uint8_t c[DTLS_COOKIE_LEN], c2[DTLS_COOKIE_LEN], other[DTLS_COOKIE_LEN];
	uint64_t t = 100 * (uint64_t)SLOT + 5;

	(void)state;
	assert_non_null(j);
	assert_int_equal(dtls_cookie_make(j, t, PEER_A, sizeof(PEER_A), c), 0);
	assert_true(dtls_cookie_check(j, t, PEER_A, sizeof(PEER_A), c, sizeof(c)));
	/* Another source port, a flipped bit, a short cookie: no. */
	assert_false(dtls_cookie_check(j, t, PEER_B, sizeof(PEER_B), c, sizeof(c)));
	for (unsigned int bit = 0; bit < 8 * sizeof(c); bit++) {
		memcpy(c2, c, sizeof(c));
		c2[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		assert_false(dtls_cookie_check(j, t, PEER_A, sizeof(PEER_A), c2, sizeof(c2)));
	}
	assert_false(dtls_cookie_check(j, t, PEER_A, sizeof(PEER_A), c, sizeof(c) - 1));
	/* Same slot, same cookie; the next slot still takes it and makes another. */
	assert_int_equal(dtls_cookie_make(j, t + SLOT - 10, PEER_A, sizeof(PEER_A), c2), 0);
	assert_memory_equal(c, c2, sizeof(c));
	assert_true(dtls_cookie_check(j, t + SLOT, PEER_A, sizeof(PEER_A), c, sizeof(c)));
	assert_int_equal(dtls_cookie_make(j, t + SLOT, PEER_A, sizeof(PEER_A), c2), 0);
	assert_memory_not_equal(c, c2, sizeof(c));
	/* Two slots on: expired (its secret is gone). */
	assert_false(dtls_cookie_check(j, t + 2 * SLOT, PEER_A, sizeof(PEER_A), c, sizeof(c)));
	assert_true(dtls_cookie_check(j, t + 2 * SLOT, PEER_A, sizeof(PEER_A), c2, sizeof(c2)));
	/* Another box (another secret) does not take ours. */
	k = dtls_cookie_jar_create(SLOT);
	assert_non_null(k);
	assert_int_equal(dtls_cookie_make(k, t + 2 * SLOT, PEER_A, sizeof(PEER_A), other), 0);
	assert_memory_not_equal(other, c2, sizeof(c2));
	assert_false(dtls_cookie_check(k, t + 2 * SLOT, PEER_A, sizeof(PEER_A), c2, sizeof(c2)));
	/* A clock jump forgets both secrets. */
	assert_false(dtls_cookie_check(j, t + 10 * SLOT, PEER_A, sizeof(PEER_A), c2, sizeof(c2)));
	dtls_cookie_jar_free(k);
	dtls_cookie_jar_free(j);
}

/*
 * The whole exchange with a real OpenSSL client: ClientHello, our
 * HelloVerifyRequest (smaller), the ClientHello again with the cookie,
 * checked, then the handshake from it; the keys are the client's.
 */
static void
test_cookie_handshake(void **state)
{
	struct dtls_engine *e = engine_new(0);
	struct dtls_cookie_jar *j = dtls_cookie_jar_create(SLOT);
	uint8_t ch[2048], hvr[64], cookie[DTLS_COOKIE_LEN];
	struct dtls_hello h;
	struct dtls_stats st;
	struct pump_result r;
	struct fixture f;
	size_t n, hn;
	int ev;

	(void)state;
	fixture_new(&f, e, DTLS_ROLE_SERVER, all_profiles, "sha-256");
	n = first_hello(&f, ch);
	assert_int_equal(dtls_hello_parse(ch, n, &h), DTLS_HELLO_OK);
	assert_false(dtls_cookie_check(j, T0, PEER_A, sizeof(PEER_A), h.cookie, h.cookie_len));
	assert_int_equal(dtls_cookie_make(j, T0, PEER_A, sizeof(PEER_A), cookie), 0);
	hn = dtls_hvr_build(&h, cookie, sizeof(cookie), hvr, sizeof(hvr));
	assert_true(hn > 0 && hn < n);
	test_peer_input(f.peer, hvr, hn);
	n = test_peer_take(f.peer, ch);
	assert_int_equal(dtls_hello_parse(ch, n, &h), DTLS_HELLO_OK);
	assert_int_equal(h.msg_seq, 1);
	assert_int_equal(h.cookie_len, DTLS_COOKIE_LEN);
	assert_true(dtls_cookie_check(j, T0 + 10, PEER_A, sizeof(PEER_A), h.cookie, h.cookie_len));
	assert_false(dtls_cookie_check(j, T0 + 10, PEER_B, sizeof(PEER_B), h.cookie, h.cookie_len));
	/* Until now the box's connection saw nothing: no OpenSSL object, state NEW. */
	assert_int_equal(dtls_conn_state(f.box), DTLS_STATE_NEW);
	dtls_engine_stats(e, &st);
	assert_int_equal(st.handshakes_started, 0);
	ev = dtls_conn_input_verified(f.box, ch, n, T0 + 10);
	assert_true(ev > 0 && (ev & DTLS_EV_OUTPUT));
	pump(f.box, f.peer, T0 + 20, NULL, NULL, &r);
	assert_int_equal(dtls_conn_state(f.box), DTLS_STATE_CONNECTED);
	assert_true(test_peer_done(f.peer));
	check_keys(&f, SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80);
	/* Only a server in NEW starts this way. */
	assert_int_equal(dtls_conn_input_verified(f.box, ch, n, T0 + 30), -EINVAL);
	fixture_free(&f);
	fixture_new(&f, e, DTLS_ROLE_CLIENT, all_profiles, "sha-256");
	assert_int_equal(dtls_conn_input_verified(f.box, ch, n, T0), -EINVAL);
	fixture_free(&f);
	dtls_cookie_jar_free(j);
	dtls_engine_free(e);
}

/* A connection's own handshake timeout (a server leg's peer gets less time than the engine's). */
static void
test_conn_timeout(void **state)
{
	struct dtls_engine *e = engine_new(0);
	struct dtls_conn_conf cc = { .role = DTLS_ROLE_SERVER, .handshake_timeout_ms = 2000 };
	struct dtls_conn *c = dtls_conn_create(e, &cc);

	(void)state;
	assert_non_null(c);
	assert_int_equal(dtls_conn_start(c, T0), 0);
	assert_true(dtls_conn_next_timeout(c) == T0 + 2000);
	assert_int_equal(dtls_conn_timer(c, T0 + 2000), DTLS_EV_FAILED);
	dtls_conn_free(c);
	dtls_engine_free(e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hello_parse),
		cmocka_unit_test(test_hvr_build),
		cmocka_unit_test(test_cookie),
		cmocka_unit_test(test_cookie_handshake),
		cmocka_unit_test(test_conn_timeout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
