/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control lcore's DTLS endpoints (lib/call/dtls_legs.c) driven directly
 * with frames, against a real OpenSSL browser (dtls_test_peer.h): a session
 * table with libsrtp2, the call layer with its DTLS part, and a TX callback
 * that keeps what the box sends. What is checked is who gets answered with
 * what, what is kept, and whether the leg's keys and remote change:
 *  - a leg without ICE: a ClientHello gets one HelloVerifyRequest (smaller,
 *    no neighbour entry for its source, no handshake state); the cookie's
 *    ClientHello runs the handshake; keys installed, leg latched;
 *  - an ICE leg: no cookie exchange, keys installed, the leg not latched;
 *  - a connected leg keeps its SRTP set through ClientHello-shaped junk, a
 *    spoofed ClientHello and an abandoned restart (restart_failed), and a
 *    completed restart replaces it;
 *  - a waiting leg ignores junk and takes the next peer after a half-open
 *    handshake times out.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <rte_cycles.h>
#include <rte_ether.h>
#include <rte_malloc.h>

#include "call/call.h"
#include "call/dtls_legs.h"
#include "config/config.h"
#include "dtls/dtls_engine.h"
#include "fwd/fwd_plane.h"
#include "session/session_table.h"
#include "srtp/srtp_engine.h"
#include "dtls_test_peer.h"
#include "test_eal.h"
#include "test_frame.h"

#define PEER_TIMEOUT_MS 100
#define TX_MAX 64
#define LEG_PORT 20000

static const char config_text[] =
	"[general]\n"
	"max-sessions = 4\n"
	"[interface access]\n"
	"port = 0\n"
	"mac = 02:00:00:00:00:01\n"
	"ipv4 = 198.18.0.1/24\n"
	"neighbour = 198.18.0.2 02:00:00:00:00:02\n"
	"neighbour = 198.18.0.3 02:00:00:00:00:03\n"
	"media-ports = 20000-20099\n"
	"[interface core]\n"
	"port = 1\n"
	"mac = 02:00:00:00:01:01\n"
	"ipv4 = 198.19.0.1/24\n"
	"neighbour = 198.19.0.2 02:00:00:00:01:02\n"
	"media-ports = 30000-30099\n";

static struct {
	struct srtpfwd_config cfg;
	struct neigh_table *neigh;
	struct srtp_engine *srtp;
	struct session_table *st;
	struct fwd_plane plane;
	struct call_layer *calls;
	struct dtls_engine *engine;
	struct dtls_legs *dl;
	struct lcore_stats *stats;
	struct rte_mbuf *tx[TX_MAX];
	unsigned int n_tx;
} t;

static int
cap_tx(void *arg, uint16_t port, struct rte_mbuf *m)
{
	(void)arg;
	(void)port;
	if (t.n_tx == TX_MAX)
		return -ENOSPC;
	t.tx[t.n_tx++] = m;
	return 0;
}

static void
tx_clear(void)
{
	for (unsigned int i = 0; i < t.n_tx; i++)
		rte_pktmbuf_free(t.tx[i]);
	t.n_tx = 0;
}

static int
group_setup(void **state)
{
	struct srtp_engine_conf ec = { .backend = SRTP_BACKEND_LIBSRTP, .nb_workers = 1,
				       .max_contexts = 64, .socket = SOCKET_ID_ANY };
	struct dtls_engine_conf dc = { 0 };
	struct session_table_params sp = { 0 };
	struct dtls_legs_params lp = { 0 };
	char err[CONFIG_ERR_LEN];
	struct call_part part;

	if (test_eal_setup(state) != 0)
		return -1;
	if (config_parse(config_text, "test", &t.cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "config: %s\n", err);
		return -1;
	}
	t.neigh = neigh_table_create(64, SOCKET_ID_ANY);
	assert_non_null(t.neigh);
	for (uint16_t i = 0; i < t.cfg.n_ifaces; i++)
		for (uint16_t n = 0; n < t.cfg.ifaces[i].n_static_neigh; n++)
			assert_int_equal(neigh_add_static(t.neigh, i, &t.cfg.ifaces[i].static_neigh[n].ip,
							  &t.cfg.ifaces[i].static_neigh[n].mac), 0);
	t.srtp = srtp_engine_create(&ec);
	assert_non_null(t.srtp);
	sp.max_sessions = t.cfg.max_sessions;
	sp.socket = SOCKET_ID_ANY;
	sp.ifaces = t.cfg.ifaces;
	sp.n_ifaces = t.cfg.n_ifaces;
	sp.srtp = t.srtp;
	sp.paths = (struct leg_path_builder){ .ifaces = t.cfg.ifaces, .neigh = t.neigh };
	sp.n_lcores = 2;
	sp.n_workers = 1;
	t.st = session_table_create(&sp);
	assert_non_null(t.st);
	assert_int_equal(fwd_plane_init(&t.plane, t.cfg.ifaces, t.cfg.n_ifaces,
					session_table_legs(t.st), session_table_flows(t.st)), 0);
	t.calls = call_layer_create(t.st);
	assert_non_null(t.calls);
	t.engine = dtls_engine_create(&dc);
	assert_non_null(t.engine);
	t.stats = rte_zmalloc(NULL, sizeof(*t.stats), RTE_CACHE_LINE_SIZE);
	assert_non_null(t.stats);
	lp = (struct dtls_legs_params){
		.engine = t.engine,
		.calls = t.calls,
		.plane = &t.plane,
		.paths = sp.paths,
		.pool = test_pool(),
		.drops = { .lcore = t.stats, .legs = session_table_leg_lcore(t.st, 1) },
		.tx = cap_tx,
		.max_legs = t.cfg.max_sessions * 2,
		.peer_timeout_ms = PEER_TIMEOUT_MS,
	};
	t.dl = dtls_legs_create(&lp);
	assert_non_null(t.dl);
	call_dtls_part(t.dl, &part);
	assert_int_equal(call_layer_add_part(t.calls, &part), 0);
	return 0;
}

static int
group_teardown(void **state)
{
	tx_clear();
	call_layer_free(t.calls);
	dtls_legs_free(t.dl);
	session_table_free(t.st);
	srtp_engine_free(t.srtp);
	dtls_engine_free(t.engine);
	neigh_table_free(t.neigh);
	rte_free(t.stats);
	return test_eal_teardown(state);
}

/* One call, one session: leg a passive DTLS on access 20000 for peer p, leg b plain RTP. */
static uint32_t
add_dtls_session(const struct test_peer *p, bool ice, uint32_t *call)
{
	struct call_spec cs = { .session = { .mode = SESSION_MODE_E2AE } };
	char fp[DTLS_FP_STR_MAX], err[SESSION_ERR_LEN];
	uint32_t sid;

	test_peer_fingerprint(p, "sha-256", fp, sizeof(fp));
	cs.session.leg[0].iface = 0;
	cs.session.leg[0].local_port = LEG_PORT;
	/* Latched by the handshake (or, with ICE, by its checks). */
	cs.session.leg[0].latch = ice ? LATCH_DEFAULT : LATCH_LEARN;
	cs.session.leg[0].dtls = true;
	cs.session.leg[1].iface = 1;
	cs.session.leg[1].local_port = 30000;
	assert_int_equal(inet_endpoint_parse("198.19.0.2:6000", &cs.session.leg[1].remote), 0);
	cs.session.leg[1].latch = LATCH_STRICT;
	cs.session.leg[0].ice = ice;
	cs.leg[0].dtls = true;
	/* The call layer gives the endpoint the leg's ICE (no ICE part here: no credentials). */
	cs.leg[0].ice = ice;
	cs.leg[0].dtls_conf = (struct dtls_leg_conf){
		.role = DTLS_ROLE_SERVER, .fp_hash = "sha-256", .fp = fp,
	};
	assert_int_equal(call_create(t.calls, NULL, call), 0);
	if (call_session_add(t.calls, *call, &cs, &sid, err, sizeof(err)) != 0)
		fail_msg("session: %s", err);
	return session_get(t.st, sid)->leg[0];
}

static const struct leg *
leg_of(uint32_t leg_id)
{
	return &t.plane.legs[leg_id];
}

/* payload from src (198.18.0.x:sport) to the leg, as a received frame handed to the endpoints. */
static void
deliver(uint32_t leg_id, const char *src, uint16_t sport, const uint8_t *d, size_t len)
{
	struct tf_spec s = {
		.family = 4, .src = src, .dst = "198.18.0.1", .sport = sport, .dport = LEG_PORT,
		.plen = (uint16_t)len,
	};
	struct tf_frame f;
	struct pkt_info pi;
	struct rte_mbuf *m;

	tf_build(&f, &s);
	memcpy(f.b + f.l4_off + 8, d, len);
	tf_fix_udp_cksum(&f);
	m = test_mbuf(f.b, f.len);
	assert_int_equal(pkt_parse(m, &pi), PKT_KIND_UDP);
	dtls_legs_input(t.dl, m, &pi, leg_id);
}

/* The i-th datagram the box sent: its payload, length and destination port and address. */
static const uint8_t *
tx_dgram(unsigned int i, size_t *len, uint32_t *dst_ip, uint16_t *dport, uint8_t *dst_mac)
{
	const uint8_t *f = rte_pktmbuf_mtod(t.tx[i], const uint8_t *);

	/* Untagged Ethernet, IPv4 without options, UDP. */
	assert_int_equal(tf_get16(f + 12), RTE_ETHER_TYPE_IPV4);
	memcpy(dst_mac, f, 6);
	*dst_ip = (uint32_t)tf_get16(f + 30) << 16 | tf_get16(f + 32);
	*dport = tf_get16(f + 36);
	*len = tf_get16(f + 38) - 8u;
	assert_int_equal(rte_pktmbuf_pkt_len(t.tx[i]), 42 + *len);
	return f + 42;
}

static uint32_t
ip4(const char *s)
{
	struct inet_endpoint ep;
	char buf[32];

	snprintf(buf, sizeof(buf), "%s:1", s);
	assert_int_equal(inet_endpoint_parse(buf, &ep), 0);
	return (uint32_t)ep.addr[0] << 24 | ep.addr[1] << 16 | ep.addr[2] << 8 | ep.addr[3];
}

/* Box → browser (what the box sent to src:sport) and back, until quiet; datagrams the box sent. */
static unsigned int
pump_legs(uint32_t leg_id, struct test_peer *p, const char *src, uint16_t sport)
{
	unsigned int sent = 0;
	bool moved;

	for (int round = 0; round < 50; round++) {
		moved = false;
		for (unsigned int i = 0; i < t.n_tx; i++) {
			uint8_t mac[6];
			uint32_t ip;
			uint16_t port;
			size_t len;
			const uint8_t *d = tx_dgram(i, &len, &ip, &port, mac);

			assert_int_equal(ip, ip4(src));
			assert_int_equal(port, sport);
			test_peer_input(p, d, len);
			sent++;
			moved = true;
		}
		tx_clear();
		for (unsigned int i = 0; i < p->n_out; i++) {
			deliver(leg_id, src, sport, p->out[i], p->out_len[i]);
			moved = true;
		}
		p->n_out = 0;
		if (!moved)
			break;
	}
	return sent;
}

static void
stats(struct dtls_legs_stats *s)
{
	dtls_legs_stats(t.dl, s);
}

static void
remove_call(uint32_t call)
{
	assert_int_equal(call_delete(t.calls, call), 0);
	session_reclaim(t.st);
	tx_clear();
}

/* The box's handshake with p from src:sport through the cookie exchange; connected. */
static void
handshake_with_cookie(uint32_t leg_id, struct test_peer *p, const char *src, uint16_t sport)
{
	struct dtls_legs_stats s0, s1;

	stats(&s0);
	test_peer_step(p);
	pump_legs(leg_id, p, src, sport);
	assert_true(test_peer_done(p));
	stats(&s1);
	assert_int_equal(s1.hvr_sent, s0.hvr_sent + 1);
	assert_int_equal(s1.cookies_verified, s0.cookies_verified + 1);
	assert_int_equal(s1.keys_installed, s0.keys_installed + 1);
}

static void
test_cookie_first(void **state)
{
	struct test_peer *p = test_peer_new(false, "SRTP_AES128_CM_SHA1_80");
	struct dtls_legs_stats s0, s1;
	struct dtls_stats e0, e1;
	uint8_t ch[2048], mac[6];
	const uint8_t *d;
	uint32_t call, leg_id, ip, nn;
	uint16_t port;
	size_t n, len;

	(void)state;
	leg_id = add_dtls_session(p, false, &call);
	test_peer_step(p);
	n = test_peer_take(p, ch);
	/* From an address nobody resolved: one HVR to the frame's MAC, nothing kept. */
	stats(&s0);
	dtls_engine_stats(t.engine, &e0);
	nn = neigh_count(t.neigh);
	deliver(leg_id, "198.18.0.9", 4444, ch, n);
	assert_int_equal(t.n_tx, 1);
	d = tx_dgram(0, &len, &ip, &port, mac);
	assert_int_equal(ip, ip4("198.18.0.9"));
	assert_int_equal(port, 4444);
	assert_memory_equal(mac, tf_mac_peer, 6);
	assert_true(len < n);
	assert_int_equal(d[0], 22);
	assert_int_equal(d[13], 3);		/* hello_verify_request */
	tx_clear();
	stats(&s1);
	dtls_engine_stats(t.engine, &e1);
	assert_int_equal(s1.hvr_sent, s0.hvr_sent + 1);
	assert_int_equal(e1.handshakes_started, e0.handshakes_started);
	assert_int_equal(neigh_count(t.neigh), nn);
	/* Nothing comes again: no state, no timer. */
	usleep(2 * PEER_TIMEOUT_MS * 1000);
	dtls_legs_timer(t.dl, rte_get_tsc_cycles());
	assert_int_equal(t.n_tx, 0);
	/* The real browser: the cookie exchange, the handshake, keys, the latch. */
	deliver(leg_id, "198.18.0.2", 5000, ch, n);
	pump_legs(leg_id, p, "198.18.0.2", 5000);
	assert_true(test_peer_done(p));
	assert_non_null(leg_srtp(leg_of(leg_id)));
	assert_non_null(leg_path(leg_of(leg_id)));
	assert_int_equal(leg_path(leg_of(leg_id))->remote.port, rte_cpu_to_be_16(5000));
	stats(&s1);
	assert_int_equal(s1.hvr_sent, s0.hvr_sent + 2);
	assert_int_equal(s1.cookies_verified, s0.cookies_verified + 1);
	remove_call(call);
	test_peer_free(p);
}

static void
test_ice_leg(void **state)
{
	struct test_peer *p = test_peer_new(false, "SRTP_AES128_CM_SHA1_80");
	struct dtls_legs_stats s0, s1;
	uint8_t ch[2048], mac[6];
	const uint8_t *d;
	uint32_t call, leg_id, ip;
	uint16_t port;
	size_t n, len;

	(void)state;
	leg_id = add_dtls_session(p, true, &call);
	stats(&s0);
	test_peer_step(p);
	n = test_peer_take(p, ch);
	/* The source is ICE-validated: the answer is the server's flight, no cookie. */
	deliver(leg_id, "198.18.0.2", 5000, ch, n);
	assert_true(t.n_tx >= 1);
	d = tx_dgram(0, &len, &ip, &port, mac);
	assert_int_equal(d[13], 2);		/* server_hello */
	pump_legs(leg_id, p, "198.18.0.2", 5000);
	assert_true(test_peer_done(p));
	stats(&s1);
	assert_int_equal(s1.hvr_sent, s0.hvr_sent);
	assert_int_equal(s1.keys_installed, s0.keys_installed + 1);
	/* Keys in, and no latch: on an ICE leg that is nomination's job. */
	assert_non_null(leg_srtp(leg_of(leg_id)));
	assert_null(leg_path(leg_of(leg_id)));
	remove_call(call);
	test_peer_free(p);
}

/* ClientHello-shaped junk: a handshake record, epoch 0, type client_hello, nonsense lengths. */
static size_t
junk_hello(uint8_t *b)
{
	memset(b, 0x41, 100);
	memcpy(b, (const uint8_t[]){ 22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 1, 0, 87, 1 }, 14);
	return 100;
}

static void
test_restart(void **state)
{
	struct test_peer *p = test_peer_new(false, "SRTP_AES128_CM_SHA1_80");
	struct test_peer *q = test_peer_new(false, "SRTP_AES128_CM_SHA1_80");
	const struct leg_srtp *keys;
	struct dtls_legs_stats s0, s1;
	const uint8_t *d;
	uint8_t ch[2048];
	uint32_t call, leg_id;
	size_t n;

	(void)state;
	leg_id = add_dtls_session(p, false, &call);
	handshake_with_cookie(leg_id, p, "198.18.0.2", 5000);
	keys = leg_srtp(leg_of(leg_id));
	assert_non_null(keys);
	stats(&s0);
	/* Junk shaped like a ClientHello, and a spoofed ClientHello, from the peer's address. */
	n = junk_hello(ch);
	deliver(leg_id, "198.18.0.2", 5000, ch, n);
	assert_int_equal(t.n_tx, 0);
	test_peer_step(q);
	n = test_peer_take(q, ch);
	deliver(leg_id, "198.18.0.2", 5000, ch, n);
	assert_int_equal(t.n_tx, 1);		/* the HVR, nothing else */
	tx_clear();
	/* From another address: the leg is latched, not even an HVR. */
	deliver(leg_id, "198.18.0.3", 5000, ch, n);
	assert_int_equal(t.n_tx, 0);
	stats(&s1);
	assert_ptr_equal(leg_srtp(leg_of(leg_id)), keys);
	assert_int_equal(s1.media_stopped, s0.media_stopped);
	assert_int_equal(s1.restarts, s0.restarts);
	/* A restart that gets as far as the server's flight, then nothing: abandoned. */
	test_peer_restart(p);
	test_peer_step(p);
	n = test_peer_take(p, ch);
	deliver(leg_id, "198.18.0.2", 5000, ch, n);	/* HVR */
	assert_int_equal(t.n_tx, 1);
	d = tx_dgram(0, &n, &(uint32_t){ 0 }, &(uint16_t){ 0 }, (uint8_t[6]){ 0 });
	test_peer_input(p, d, n);
	tx_clear();
	n = test_peer_take(p, ch);
	deliver(leg_id, "198.18.0.2", 5000, ch, n);	/* with the cookie: the flight */
	assert_true(t.n_tx >= 1);
	tx_clear();
	stats(&s1);
	assert_int_equal(s1.restarts, s0.restarts + 1);
	usleep(2 * PEER_TIMEOUT_MS * 1000);
	dtls_legs_timer(t.dl, rte_get_tsc_cycles());
	tx_clear();
	stats(&s1);
	assert_int_equal(s1.restart_failed, s0.restart_failed + 1);
	assert_int_equal(s1.media_stopped, s0.media_stopped);
	assert_ptr_equal(leg_srtp(leg_of(leg_id)), keys);
	/* A completed restart (after the restart interval) replaces the keys. */
	usleep(DTLS_LEGS_RESTART_INTERVAL_MS * 1000);
	test_peer_restart(p);
	handshake_with_cookie(leg_id, p, "198.18.0.2", 5000);
	stats(&s1);
	assert_int_equal(s1.restarts_completed, s0.restarts_completed + 1);
	assert_int_equal(s1.media_stopped, s0.media_stopped);
	assert_non_null(leg_srtp(leg_of(leg_id)));
	remove_call(call);
	test_peer_free(q);
	test_peer_free(p);
}

static void
test_waiting_leg(void **state)
{
	struct test_peer *p = test_peer_new(false, "SRTP_AES128_CM_SHA1_80");
	struct dtls_legs_stats s0, s1;
	uint8_t ch[2048], hvr[64];
	uint32_t call, leg_id;
	const uint8_t *d;
	size_t n, hn;

	(void)state;
	leg_id = add_dtls_session(p, false, &call);
	stats(&s0);
	/* Junk and ClientHello-shaped junk: nothing answered, nobody adopted. */
	memset(ch, 0x20, 60);
	deliver(leg_id, "198.18.0.3", 5000, ch, 60);
	n = junk_hello(ch);
	deliver(leg_id, "198.18.0.3", 5001, ch, n);
	assert_int_equal(t.n_tx, 0);
	stats(&s1);
	assert_int_equal(s1.not_hello, s0.not_hello + 2);
	/* Half-open from .3: the cookie's ClientHello, then silence. */
	test_peer_step(p);
	n = test_peer_take(p, ch);
	deliver(leg_id, "198.18.0.3", 5000, ch, n);
	assert_int_equal(t.n_tx, 1);
	d = tx_dgram(0, &hn, &(uint32_t){ 0 }, &(uint16_t){ 0 }, (uint8_t[6]){ 0 });
	memcpy(hvr, d, hn);
	tx_clear();
	test_peer_input(p, hvr, hn);
	n = test_peer_take(p, ch);
	deliver(leg_id, "198.18.0.3", 5000, ch, n);
	assert_true(t.n_tx >= 1);
	tx_clear();
	/* Meanwhile another peer is refused (after its own cookie exchange). */
	test_peer_restart(p);
	test_peer_step(p);
	pump_legs(leg_id, p, "198.18.0.2", 5000);
	assert_false(test_peer_done(p));
	stats(&s1);
	assert_int_equal(s1.peer_timeouts, s0.peer_timeouts);
	/* The peer timeout frees the leg; the next peer completes. */
	usleep(2 * PEER_TIMEOUT_MS * 1000);
	dtls_legs_timer(t.dl, rte_get_tsc_cycles());
	tx_clear();
	stats(&s1);
	assert_int_equal(s1.peer_timeouts, s0.peer_timeouts + 1);
	test_peer_restart(p);
	handshake_with_cookie(leg_id, p, "198.18.0.2", 5000);
	assert_int_equal(leg_path(leg_of(leg_id))->remote.port, rte_cpu_to_be_16(5000));
	remove_call(call);
	test_peer_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cookie_first),
		cmocka_unit_test(test_ice_leg),
		cmocka_unit_test(test_restart),
		cmocka_unit_test(test_waiting_leg),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
