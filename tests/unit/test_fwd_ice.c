/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ICE-lite on the workers (lib/fwd/fwd_ice.c) and its control-lcore side
 * (lib/call/ice_legs.c), over the worker fixture: Binding requests built
 * with lib/stun's writer, answers checked byte for byte (addresses, ports,
 * checksums, XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY with the leg's password,
 * FINGERPRINT), the gate in front of media and DTLS, nominations, moves,
 * consent, restarts, and what a spoofed source gets: nothing latched,
 * nothing forwarded, never more bytes back than it sent.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <rte_cycles.h>
#include <rte_ring_elem.h>

#include "call/ice_legs.h"
#include "call/slow_path.h"
#include "fwd/fwd_ice.h"
#include "fwd_fixture.h"
#include "test_eal.h"
#include "test_frame.h"

#define BOX_UFRAG "boxU"
#define BOX_PWD "boxpasswordboxpassword"
#define PEER_UFRAG "peer"
#define CONSENT_MS 200

static struct ice_legs *il;
static struct stun_key box_key;

static int
group_setup(void **state)
{
	struct ice_legs_params ip;

	if (fwd_fixture_group_setup(state) != 0)
		return -1;
	ip = (struct ice_legs_params){
		.sessions = t.st, .plane = &t.plane, .rcu = t.rcu,
		.max_legs = session_max(t.st) * 2, .consent_timeout_ms = CONSENT_MS,
	};
	il = ice_legs_create(&ip);
	assert_non_null(il);
	stun_key_init(&box_key, (const uint8_t *)BOX_PWD, strlen(BOX_PWD));
	return 0;
}

static int
group_teardown(void **state)
{
	ice_legs_free(il);
	return fwd_fixture_group_teardown(state);
}

static int
test_setup(void **state)
{
	for (uint32_t s = session_next(t.st, 0); s != SESSION_NONE; s = session_next(t.st, s + 1))
		ice_legs_detach(il, session_get(t.st, s)->leg[0]);
	return fwd_fixture_test_setup(state);
}

/*
 * access 20000 with ICE-lite <-> core 30000 -> 198.19.0.2:6000: e2ae with
 * plain RTP, or e2e (DTLS passed on: what the DTLS gate is seen by).
 */
static uint32_t
add_session_mode(enum session_mode mode)
{
	struct session_spec spec = { .mode = mode };
	struct ice_leg_conf ic = { .ufrag = BOX_UFRAG, .pwd = BOX_PWD, .remote_ufrag = PEER_UFRAG };
	char err[SESSION_ERR_LEN];
	uint32_t id, leg;

	spec.leg[0].iface = 0;
	spec.leg[0].local_port = 20000;
	spec.leg[0].ice = true;
	spec.leg[1].iface = 1;
	spec.leg[1].local_port = 30000;
	assert_int_equal(inet_endpoint_parse("198.19.0.2:6000", &spec.leg[1].remote), 0);
	assert_int_equal(session_add(t.st, &spec, &id, err, sizeof(err)), 0);
	leg = session_get(t.st, id)->leg[0];
	assert_int_equal(ice_legs_attach(il, leg, &ic, err, sizeof(err)), 0);
	return leg;
}

static uint32_t
add_ice_session(void)
{
	return add_session_mode(SESSION_MODE_E2AE);
}

struct check {
	const char *username;
	const char *pwd;		/* NULL: no MESSAGE-INTEGRITY */
	bool use_candidate;
	bool controlled;		/* ICE-CONTROLLED instead of ICE-CONTROLLING */
	bool no_fingerprint;
	uint16_t type;			/* 0: Binding request */
};

/* A UDP frame from src:sport to the box's access leg 198.18.0.1:20000 carrying payload. */
static struct rte_mbuf *
frame_to_leg(const char *src, uint16_t sport, const uint8_t *payload, uint16_t len)
{
	struct tf_spec s = {
		.family = 4, .src = src, .dst = "198.18.0.1", .sport = sport, .dport = 20000,
		.plen = len,
	};
	struct tf_frame f;
	struct rte_mbuf *m;

	tf_build(&f, &s);
	memcpy(f.b + f.l4_off + 8, payload, len);
	tf_fix_udp_cksum(&f);
	m = test_mbuf_headroom(f.b, f.len, 128);
	m->port = t.port[0];
	return m;
}

/* A Binding request as Chrome sends one, into buf; its length. */
static uint16_t
check_bytes(const struct check *c, uint8_t *buf, uint16_t cap)
{
	static const uint8_t txid[STUN_TXID_LEN] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
	static const uint8_t net_info[4] = { 0, 1, 0, 10 };
	struct stun_writer w;
	struct stun_key k;
	uint16_t len;

	stun_writer_init(&w, buf, cap, c->type ? c->type : STUN_BINDING_REQUEST, txid);
	stun_writer_attr(&w, STUN_ATTR_USERNAME, c->username, (uint16_t)strlen(c->username));
	stun_writer_attr(&w, STUN_ATTR_GOOG_NETWORK_INFO, net_info, sizeof(net_info));
	stun_writer_attr_u64(&w, c->controlled ? STUN_ATTR_ICE_CONTROLLED :
						 STUN_ATTR_ICE_CONTROLLING, 0x1122334455667788ull);
	if (c->use_candidate)
		stun_writer_attr(&w, STUN_ATTR_USE_CANDIDATE, NULL, 0);
	stun_writer_attr_u32(&w, STUN_ATTR_PRIORITY, 0x6e7f1eff);
	if (c->pwd != NULL) {
		stun_key_init(&k, (const uint8_t *)c->pwd, strlen(c->pwd));
		stun_writer_integrity(&w, &k);
	}
	if (!c->no_fingerprint)
		stun_writer_fingerprint(&w);
	len = stun_writer_end(&w);
	assert_true(len > 0);
	return len;
}

static struct rte_mbuf *
check_frame(const char *src, uint16_t sport, const struct check *c, uint16_t *len)
{
	uint8_t buf[256];

	*len = check_bytes(c, buf, sizeof(buf));
	return frame_to_leg(src, sport, buf, *len);
}

static const struct check good = { .username = BOX_UFRAG ":" PEER_UFRAG, .pwd = BOX_PWD };
static const struct check nominate = {
	.username = BOX_UFRAG ":" PEER_UFRAG, .pwd = BOX_PWD, .use_candidate = true,
};

/* What left on the access port's TX queue q: count, the last one kept in *last. */
static unsigned int
access_out(uint16_t q, struct rte_mbuf **last)
{
	struct rte_mbuf *m;
	unsigned int n = 0;

	*last = NULL;
	while (rte_ring_dequeue(t.tx[0][q], (void **)&m) == 0) {
		rte_pktmbuf_free(*last);
		*last = m;
		n++;
	}
	return n;
}

static unsigned int
tx_total(int iface)
{
	unsigned int n = 0;

	for (int q = 0; q < N_LCORES; q++) {
		struct rte_mbuf *m;

		while (rte_ring_dequeue(t.tx[iface][q], (void **)&m) == 0) {
			rte_pktmbuf_free(m);
			n++;
		}
	}
	return n;
}

/* The STUN response in m, parsed; checks the headers it came back with (to src:sport). */
static const uint8_t *
response_of(struct rte_mbuf *m, const char *src, uint16_t sport, struct stun_msg *msg)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	uint8_t src_ip[4];
	static const uint8_t box_ip[4] = { 198, 18, 0, 1 };
	const uint16_t l3 = 14, l4 = 34;

	assert_memory_equal(p, tf_mac_peer, 6);		/* back to the frame's source */
	assert_memory_equal(p + 6, tf_mac_us, 6);
	assert_int_equal(inet_pton(AF_INET, src, src_ip), 1);
	assert_memory_equal(p + l3 + 16, src_ip, 4);
	assert_memory_equal(p + l3 + 12, box_ip, 4);
	assert_int_equal(ref_fold(ref_sum(0, p + l3, 20)), 0xffff);
	assert_int_equal(tf_get16(p + l4), 20000);
	assert_int_equal(tf_get16(p + l4 + 2), sport);
	assert_int_equal(tf_get16(p + l4 + 4), rte_pktmbuf_pkt_len(m) - l4);
	assert_int_equal(ref_l4_sum(4, p + l3 + 12, p + l3 + 16, 17, p + l4,
				    (uint16_t)(rte_pktmbuf_pkt_len(m) - l4)), 0xffff);
	assert_int_equal(stun_parse_message(p + l4 + 8, (uint16_t)(rte_pktmbuf_pkt_len(m) - l4 - 8),
					    msg), STUN_OK);
	return p + l4 + 8;
}

static unsigned int
latch_requests(uint16_t worker, struct latch_request *req, unsigned int max)
{
	return rte_ring_dequeue_burst_elem(t.latch[worker], req, sizeof(*req), max, NULL);
}

/* The control lcore's part: the home worker's nominations, handed to ice_legs. */
static unsigned int
control_nominations(uint16_t worker)
{
	struct latch_request req[8];
	unsigned int n = latch_requests(worker, req, RTE_DIM(req));

	for (unsigned int i = 0; i < n; i++) {
		assert_int_equal(req[i].kind, LATCH_REQ_ICE);
		ice_legs_nominated(il, req[i].leg, req[i].epoch, &req[i].remote);
	}
	return n;
}

static struct rte_mbuf *
rtp_from(const char *src, uint16_t sport, uint16_t seq)
{
	uint8_t rtp[40] = { 0x80, 0 };

	tf_put16(rtp + 2, seq);
	return frame_to_leg(src, sport, rtp, sizeof(rtp));
}

static uint16_t
home_of(uint32_t leg)
{
	return session_table_legs(t.st)[leg].home;
}

static const struct leg_path *
path_of(uint32_t leg)
{
	return leg_path(&session_table_legs(t.st)[leg]);
}

/* ---- answers ---- */

/* An authenticated check gets a 64-byte success response, to its source, from the leg. */
static void
test_binding_success(void **state)
{
	static const uint8_t txid[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
	static const uint8_t peer_ip[4] = { 198, 18, 0, 2 };
	uint32_t a = add_ice_session();
	uint16_t home = home_of(a), len;
	struct rte_mbuf *m = check_frame("198.18.0.2", 5000, &good, &len), *out;
	struct stun_addr mapped;
	struct latch_request req;
	struct stun_msg msg;
	const uint8_t *resp;

	(void)state;
	rx(home, m);
	assert_int_equal(access_out(home, &out), 1);
	resp = response_of(out, "198.18.0.2", 5000, &msg);
	assert_int_equal(msg.method_class, STUN_BINDING_SUCCESS);
	assert_int_equal(rte_pktmbuf_pkt_len(out) - 42, 64);
	assert_memory_equal(resp + 8, txid, sizeof(txid));
	assert_true(stun_integrity_ok(resp, &msg, &box_key));
	assert_true(msg.fp_off != 0);
	assert_true(stun_xor_mapped_decode(resp, &msg, &mapped));
	assert_int_equal(mapped.family, 4);
	assert_int_equal(mapped.port, 5000);
	assert_memory_equal(mapped.addr, peer_ip, sizeof(peer_ip));
	rte_pktmbuf_free(out);
	assert_int_equal(t.stats[home].stun_answered, 1);
	/* A check without USE-CANDIDATE makes a valid pair, nominates nothing. */
	assert_int_equal(latch_requests(home, &req, 1), 0);
	assert_null(path_of(a));
	assert_int_equal(leg_drops_total(a), 0);
}

/* A check on another worker is answered by the leg's home worker, which owns the pairs. */
static void
test_check_handed_home(void **state)
{
	uint32_t a = add_ice_session();
	uint16_t home = home_of(a), other = (uint16_t)(1 - home), len;
	struct rte_mbuf *out;

	(void)state;
	rx(other, check_frame("198.18.0.2", 5000, &good, &len));
	assert_int_equal(t.stats[other].handed_off, 1);
	assert_int_equal(access_out(other, &out), 0);
	fwd_worker_handoff_poll(t.w[home]);
	fwd_worker_flush(t.w[home]);
	assert_int_equal(access_out(home, &out), 1);
	rte_pktmbuf_free(out);
	assert_int_equal(t.stats[home].stun_answered, 1);
}

/*
 * What an unauthenticated source gets: an error no larger than its request
 * (400 without credentials, 401 for a wrong ufrag or password), nothing for
 * what is not a Binding request or fails FINGERPRINT; every case counted.
 */
static void
test_binding_refused(void **state)
{
	static const struct {
		struct check c;
		uint16_t code;		/* 0: no answer */
		enum drop_reason why;
	} cases[] = {
		{ { .username = "nobody:" PEER_UFRAG, .pwd = BOX_PWD }, 401, DROP_STUN_USERNAME },
		{ { .username = BOX_UFRAG ":other", .pwd = BOX_PWD }, 401, DROP_STUN_USERNAME },
		{ { .username = BOX_UFRAG ":" PEER_UFRAG, .pwd = "wrongpasswordwrongpassword" }, 401,
		  DROP_STUN_INTEGRITY },
		{ { .username = BOX_UFRAG ":" PEER_UFRAG, .pwd = NULL }, 400,
		  DROP_STUN_NO_CREDENTIALS },
		{ { .username = BOX_UFRAG ":" PEER_UFRAG, .pwd = BOX_PWD,
		    .type = STUN_BINDING_INDICATION }, 0, DROP_STUN_NOT_REQUEST },
		{ { .username = BOX_UFRAG ":" PEER_UFRAG, .pwd = BOX_PWD,
		    .type = STUN_BINDING_SUCCESS }, 0, DROP_STUN_NOT_REQUEST },
	};
	uint32_t a = add_ice_session();
	uint16_t home = home_of(a);

	(void)state;
	for (unsigned int i = 0; i < RTE_DIM(cases); i++) {
		uint64_t before = t.stats[home].drops[cases[i].why];
		uint16_t len;
		struct rte_mbuf *out;
		struct stun_msg msg;

		rx(home, check_frame("198.18.0.9", 7000, &cases[i].c, &len));
		if (cases[i].code == 0) {
			assert_int_equal(access_out(home, &out), 0);
		} else {
			assert_int_equal(access_out(home, &out), 1);
			response_of(out, "198.18.0.9", 7000, &msg);
			assert_int_equal(msg.method_class, STUN_BINDING_ERROR);
			assert_int_equal(msg.error_code, cases[i].code);
			assert_true(rte_pktmbuf_pkt_len(out) - 42 <= len);
			rte_pktmbuf_free(out);
		}
		assert_int_equal(t.stats[home].drops[cases[i].why] - before, 1);
	}
	assert_int_equal(t.stats[home].stun_answered, 0);
	assert_null(path_of(a));
	assert_int_equal(tx_total(1), 0);
}

/* A corrupted FINGERPRINT, and a peer that says it is controlled too (487, authenticated). */
static void
test_binding_fingerprint_and_role(void **state)
{
	static const struct check controlled = {
		.username = BOX_UFRAG ":" PEER_UFRAG, .pwd = BOX_PWD, .controlled = true,
	};
	uint32_t a = add_ice_session();
	uint16_t home = home_of(a), len;
	struct rte_mbuf *m, *out;
	struct stun_msg msg;
	const uint8_t *resp;
	uint8_t buf[256];

	(void)state;
	len = check_bytes(&good, buf, sizeof(buf));
	buf[len - 1] ^= 1;		/* FINGERPRINT's last byte */
	m = frame_to_leg("198.18.0.2", 5000, buf, len);
	rx(home, m);
	assert_int_equal(access_out(home, &out), 0);
	assert_int_equal(t.stats[home].drops[DROP_STUN_FINGERPRINT], 1);
	rx(home, check_frame("198.18.0.2", 5000, &controlled, &len));
	assert_int_equal(access_out(home, &out), 1);
	resp = response_of(out, "198.18.0.2", 5000, &msg);
	assert_int_equal(msg.error_code, 487);
	assert_true(stun_integrity_ok(resp, &msg, &box_key));
	rte_pktmbuf_free(out);
	assert_int_equal(leg_drop(a, DROP_STUN_ROLE_CONFLICT), 1);
	assert_null(path_of(a));
}

/* A flood of bad checks: errors only up to the rate's burst, the rest counted, not sent. */
static void
test_error_rate_limit(void **state)
{
	static const struct check bad = { .username = "nobody:x", .pwd = BOX_PWD };
	uint32_t a = add_ice_session();
	uint16_t home = home_of(a), len;
	const unsigned int n = FWD_STUN_ERROR_RATE_DEFAULT;
	unsigned int sent = 0;
	struct rte_mbuf *out;

	(void)state;
	fwd_ice_init(t.w[home], 0);
	/* Past the leg's budget of strangers' checks (test_stranger_budget): the errors' limits. */
	rx(home, check_frame("198.18.0.9", 6999, &bad, &len));
	sent = access_out(home, &out);
	rte_pktmbuf_free(out);
	t.plane.ice_state[a].stranger_checks.tokens = UINT32_MAX;
	for (unsigned int i = 1; i < n; i++) {
		rx(home, check_frame("198.18.0.9", (uint16_t)(7000 + i % 100), &bad, &len));
		sent += access_out(home, &out);
		rte_pktmbuf_free(out);
	}
	/* A tenth of a second's worth, plus what the test's own time earned. */
	assert_true(sent >= FWD_STUN_ERROR_RATE_DEFAULT / 10);
	assert_true(sent < n / 2);
	assert_int_equal(t.stats[home].stun_errors, sent);
	assert_int_equal(t.stats[home].stun_errors_limited, n - sent);
	assert_int_equal(leg_drop(a, DROP_STUN_USERNAME), n);
	/* One source alone gets its own share only. */
	fwd_ice_init(t.w[home], 0);
	t.plane.ice_state[a].stranger_checks.tokens = UINT32_MAX;
	sent = 0;
	for (unsigned int i = 0; i < 100; i++) {
		rx(home, check_frame("198.18.0.8", 7000, &bad, &len));
		sent += access_out(home, &out);
		rte_pktmbuf_free(out);
	}
	assert_true(sent >= FWD_STUN_ERROR_SOURCE_RATE && sent <= FWD_STUN_ERROR_SOURCE_RATE + 2);
}

/*
 * A flood of forged checks from many strangers: the leg parses (CRC, HMAC)
 * only its budget of them, the rest are a compare each; the running call's
 * pair is never made to wait.
 */
static void
test_stranger_budget(void **state)
{
	static const struct check bad = { .username = BOX_UFRAG ":" PEER_UFRAG,
					  .pwd = "forgedpasswordforgedpass" };
	uint32_t a = add_ice_session();
	uint16_t home = home_of(a), len;
	uint64_t parsed;
	struct rte_mbuf *out;

	(void)state;
	rx(home, check_frame("198.18.0.2", 5000, &nominate, &len));
	assert_int_equal(access_out(home, &out), 1);
	rte_pktmbuf_free(out);
	for (uint16_t i = 0; i < 400; i++) {
		rx(home, check_frame("198.18.0.9", (uint16_t)(10000 + i), &bad, &len));
		while (access_out(home, &out) != 0)
			rte_pktmbuf_free(out);
	}
	parsed = leg_drop(a, DROP_STUN_INTEGRITY);
	/* The burst (the first check above took one), plus what the test's own time earned. */
	assert_true(parsed >= FWD_STUN_STRANGER_BURST - 1 && parsed < 100);
	assert_int_equal(leg_drop(a, DROP_STUN_CHECK_RATE), 400 - parsed);
	rx(home, check_frame("198.18.0.2", 5000, &good, &len));
	assert_int_equal(access_out(home, &out), 1);
	rte_pktmbuf_free(out);
	assert_int_equal(t.stats[home].stun_answered, 2);
}

/* ---- the gate ---- */

/*
 * Before any check nothing of the leg passes, from anyone: media, DTLS,
 * a one-byte datagram. Nothing is latched, punted or forwarded.
 */
static void
test_gate_before_checks(void **state)
{
	static const uint8_t one[1] = { 0x80 }, hello[13] = { 22, 0xfe, 0xfd };
	uint32_t a = add_ice_session();
	uint16_t home = home_of(a), other = (uint16_t)(1 - home);
	struct latch_request req;

	(void)state;
	rx(home, rtp_from("198.18.0.2", 5000, 1));
	rx(other, rtp_from("198.18.0.2", 5000, 2));
	rx(home, frame_to_leg("198.18.0.2", 5000, one, sizeof(one)));
	rx(home, frame_to_leg("198.18.0.2", 5000, hello, sizeof(hello)));
	assert_int_equal(leg_drop(a, DROP_ICE_UNCHECKED), 4);
	assert_int_equal(latch_requests(home, &req, 1) + latch_requests(other, &req, 1), 0);
	for (int c = 0; c < PUNT_CLASS_MAX; c++)
		assert_int_equal(rte_ring_count(t.punt[home][c]) + rte_ring_count(t.punt[other][c]), 0);
	assert_int_equal(tx_total(0) + tx_total(1), 0);
	assert_null(path_of(a));
}

/*
 * The nominated pair latches the leg: its media goes to the core side,
 * anyone else's (the same SSRC from another source) stays out; DTLS from a
 * valid, unnominated pair is punted on the home worker, from anyone else not.
 */
static void
test_nomination_latches(void **state)
{
	static const uint8_t hello[13] = { 22, 0xfe, 0xfd };
	uint32_t a = add_session_mode(SESSION_MODE_E2E);
	uint16_t home = home_of(a), other = (uint16_t)(1 - home), len;
	struct inet_endpoint nominated;
	struct rte_mbuf *out;

	(void)state;
	rx(home, check_frame("198.18.0.3", 5002, &good, &len));	/* a valid pair only */
	rx(home, check_frame("198.18.0.2", 5000, &nominate, &len));
	assert_int_equal(access_out(home, &out), 2);
	rte_pktmbuf_free(out);
	assert_int_equal(control_nominations(home), 1);
	assert_int_equal(inet_endpoint_parse("198.18.0.2:5000", &nominated), 0);
	assert_non_null(path_of(a));
	assert_true(inet_endpoint_equal(&path_of(a)->remote, &nominated));

	rx(other, rtp_from("198.18.0.2", 5000, 10));
	assert_int_equal(tx_total(1), 1);
	rx(other, rtp_from("198.18.0.4", 5000, 11));
	rx(home, rtp_from("198.18.0.3", 5002, 12));		/* valid, not nominated */
	assert_int_equal(tx_total(1), 0);
	assert_int_equal(leg_drop(a, DROP_ICE_UNCHECKED), 2);

	rx(home, frame_to_leg("198.18.0.3", 5002, hello, sizeof(hello)));
	assert_int_equal(tx_total(1), 1);
	rx(home, frame_to_leg("198.18.0.4", 5002, hello, sizeof(hello)));
	rx(other, frame_to_leg("198.18.0.4", 5002, hello, sizeof(hello)));
	fwd_worker_handoff_poll(t.w[home]);
	fwd_worker_flush(t.w[home]);
	assert_int_equal(tx_total(1), 0);
	assert_int_equal(leg_drop(a, DROP_ICE_UNCHECKED), 4);
}

/*
 * Chrome renominates: a later USE-CANDIDATE on another pair moves the leg.
 * The old path goes at once, the new one after a grace period.
 */
static void
test_renomination_moves(void **state)
{
	uint32_t a = add_ice_session();
	uint16_t home = home_of(a), len;
	struct inet_endpoint second;
	struct ice_legs_stats s;
	struct rte_mbuf *out;

	(void)state;
	rx(home, check_frame("198.18.0.2", 5000, &nominate, &len));
	assert_int_equal(control_nominations(home), 1);
	rx(home, check_frame("198.18.0.3", 5002, &nominate, &len));
	assert_int_equal(access_out(home, &out), 2);
	rte_pktmbuf_free(out);
	assert_int_equal(control_nominations(home), 1);
	assert_null(path_of(a));
	ice_legs_timer(il, rte_get_tsc_cycles());
	assert_non_null(path_of(a));
	assert_int_equal(inet_endpoint_parse("198.18.0.3:5002", &second), 0);
	assert_true(inet_endpoint_equal(&path_of(a)->remote, &second));
	ice_legs_stats(il, &s);
	assert_int_equal(s.moved, 1);
	rx(home, rtp_from("198.18.0.2", 5000, 1));
	assert_int_equal(tx_total(1), 0);
	rx(home, rtp_from("198.18.0.3", 5002, 2));
	assert_int_equal(tx_total(1), 1);
}

/*
 * Consent (RFC 7675): no authenticated check on the nominated pair for the
 * timeout and the box stops sending to it (and taking from it); a check
 * without USE-CANDIDATE (aiortc's consent check) brings it back.
 */
static void
test_consent_expires_and_resumes(void **state)
{
	uint32_t a = add_ice_session();
	uint16_t home = home_of(a), len;
	struct ice_legs_stats before, after;
	struct rte_mbuf *out;

	(void)state;
	ice_legs_stats(il, &before);
	rx(home, check_frame("198.18.0.2", 5000, &nominate, &len));
	assert_int_equal(access_out(home, &out), 1);
	rte_pktmbuf_free(out);
	assert_int_equal(control_nominations(home), 1);
	ice_legs_timer(il, rte_get_tsc_cycles());
	assert_non_null(path_of(a));
	rte_delay_ms(CONSENT_MS + 150);
	ice_legs_timer(il, rte_get_tsc_cycles());
	assert_null(path_of(a));
	rx(home, rtp_from("198.18.0.2", 5000, 1));
	assert_int_equal(tx_total(1), 0);
	rx(home, check_frame("198.18.0.2", 5000, &good, &len));
	assert_int_equal(access_out(home, &out), 1);
	rte_pktmbuf_free(out);
	assert_int_equal(control_nominations(home), 1);
	assert_non_null(path_of(a));
	rx(home, rtp_from("198.18.0.2", 5000, 2));
	assert_int_equal(tx_total(1), 1);
	ice_legs_stats(il, &after);
	assert_int_equal(after.consent_expired - before.consent_expired, 1);
	assert_int_equal(after.consent_resumed - before.consent_resumed, 1);
}

/* ICE restart: the old credentials work until a check authenticates with the new ones. */
static void
test_restart_keeps_old_until_new(void **state)
{
	static const struct check old_check = { .username = BOX_UFRAG ":" PEER_UFRAG,
						.pwd = BOX_PWD };
	static const struct check new_check = { .username = "newU:peer2",
						.pwd = "newpasswordnewpassword" };
	struct ice_leg_conf ic = { .ufrag = "newU", .pwd = "newpasswordnewpassword",
				   .remote_ufrag = "peer2" };
	uint32_t a = add_ice_session();
	uint16_t home = home_of(a), len;
	char err[SESSION_ERR_LEN];
	struct rte_mbuf *out;
	struct stun_msg msg;

	(void)state;
	assert_int_equal(ice_legs_restart(il, a, &ic, err, sizeof(err)), 0);
	rx(home, check_frame("198.18.0.2", 5000, &old_check, &len));
	assert_int_equal(access_out(home, &out), 1);
	response_of(out, "198.18.0.2", 5000, &msg);
	assert_int_equal(msg.method_class, STUN_BINDING_SUCCESS);
	rte_pktmbuf_free(out);
	ice_legs_timer(il, rte_get_tsc_cycles());		/* old ones still in use: kept */
	rx(home, check_frame("198.18.0.2", 5000, &new_check, &len));
	assert_int_equal(access_out(home, &out), 1);
	response_of(out, "198.18.0.2", 5000, &msg);
	assert_int_equal(msg.method_class, STUN_BINDING_SUCCESS);
	rte_pktmbuf_free(out);
	ice_legs_timer(il, rte_get_tsc_cycles());
	session_reclaim(t.st);
	rx(home, check_frame("198.18.0.2", 5000, &old_check, &len));
	assert_int_equal(access_out(home, &out), 1);
	response_of(out, "198.18.0.2", 5000, &msg);
	assert_int_equal(msg.error_code, 401);
	rte_pktmbuf_free(out);
}

/* Many sources authenticate: at most ICE_PAIRS_MAX pairs, the nominated one kept. */
static void
test_pairs_bounded(void **state)
{
	static const uint8_t hello[13] = { 22, 0xfe, 0xfd };
	uint32_t a = add_session_mode(SESSION_MODE_E2E);
	uint16_t home = home_of(a), len;
	struct rte_mbuf *out;

	(void)state;
	rx(home, check_frame("198.18.0.2", 5000, &nominate, &len));
	for (uint16_t i = 0; i < 3 * ICE_PAIRS_MAX; i++)
		rx(home, check_frame("198.18.0.3", (uint16_t)(6000 + i), &good, &len));
	while (access_out(home, &out) != 0)
		rte_pktmbuf_free(out);
	assert_true(t.plane.ice_state[a].n_pairs <= ICE_PAIRS_MAX);
	/* The nominated pair survived: its DTLS is still accepted before the latch is published. */
	rx(home, frame_to_leg("198.18.0.2", 5000, hello, sizeof(hello)));
	assert_int_equal(tx_total(1), 1);
	/* The first unnominated ones gave way, the last ones are there. */
	rx(home, frame_to_leg("198.18.0.3", 6000, hello, sizeof(hello)));
	assert_int_equal(tx_total(1), 0);
	rx(home, frame_to_leg("198.18.0.3", (uint16_t)(6000 + 3 * ICE_PAIRS_MAX - 1), hello,
			      sizeof(hello)));
	assert_int_equal(tx_total(1), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_binding_success, test_setup),
		cmocka_unit_test_setup(test_check_handed_home, test_setup),
		cmocka_unit_test_setup(test_binding_refused, test_setup),
		cmocka_unit_test_setup(test_binding_fingerprint_and_role, test_setup),
		cmocka_unit_test_setup(test_error_rate_limit, test_setup),
		cmocka_unit_test_setup(test_stranger_budget, test_setup),
		cmocka_unit_test_setup(test_gate_before_checks, test_setup),
		cmocka_unit_test_setup(test_nomination_latches, test_setup),
		cmocka_unit_test_setup(test_renomination_moves, test_setup),
		cmocka_unit_test_setup(test_consent_expires_and_resumes, test_setup),
		cmocka_unit_test_setup(test_restart_keeps_old_until_new, test_setup),
		cmocka_unit_test_setup(test_pairs_bounded, test_setup),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
