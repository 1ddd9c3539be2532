/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The worker stages driven directly: two workers over ring-backed ports
 * (every TX queue a ring the test reads), one session table, no SRTP
 * engine (plain RTP legs: what is tested is who handles a packet and
 * where it is counted, not the crypto). The control lcore's part is done
 * by the test itself, in the order it chooses.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "config/config.h"
#include "fwd/fwd_worker.h"
#include "fwd/punt.h"
#include "session/session_table.h"
#include "test_eal.h"
#include "test_frame.h"

#define N_WORKERS 2
#define N_LCORES (N_WORKERS + 1)
#define CTL N_WORKERS
#define RING_SIZE 64

static const char config_text[] =
	"[general]\n"
	"max-sessions = 16\n"
	"[interface access]\n"
	"port = ring_acc\n"
	"mac = 02:00:00:00:00:01\n"
	"ipv4 = 198.18.0.1/24\n"
	"neighbour = 198.18.0.2 02:00:00:00:00:02\n"
	"neighbour = 198.18.0.3 02:00:00:00:00:03\n"
	"media-ports = 20000-20099\n"
	"[interface core]\n"
	"port = ring_core\n"
	"mac = 02:00:00:00:01:01\n"
	/* Tagged: what leaves here needs 4 bytes more than what came in. */
	"vlan = 100\n"
	"ipv4 = 198.19.0.1/24\n"
	"neighbour = 198.19.0.2 02:00:00:00:01:02\n"
	"media-ports = 30000-30099\n";

static struct {
	struct srtpfwd_config cfg;
	struct neigh_table *neigh;
	struct session_table *st;
	struct fwd_plane plane;
	struct lcore_stats *stats;		/* N_LCORES */
	struct fwd_worker *w[N_WORKERS];
	struct rte_ring *punt[N_WORKERS][PUNT_CLASS_MAX];
	struct rte_ring *latch[N_WORKERS];
	struct rte_ring *handoff[N_WORKERS * N_WORKERS];
	struct rte_ring *tx[2][N_LCORES];	/* [iface][queue] */
	uint16_t port[2];
} t;

/* A ring port: one RX ring (unused), a TX ring per lcore the test reads. */
static uint16_t
ring_port(const char *name, struct rte_ring **tx)
{
	static const struct rte_eth_conf conf;
	char rname[RTE_RING_NAMESIZE];
	struct rte_ring *rx;
	int port;

	snprintf(rname, sizeof(rname), "%s_rx", name);
	rx = rte_ring_create(rname, RING_SIZE, SOCKET_ID_ANY, RING_F_SP_ENQ | RING_F_SC_DEQ);
	assert_non_null(rx);
	for (int q = 0; q < N_LCORES; q++) {
		snprintf(rname, sizeof(rname), "%s_tx%d", name, q);
		tx[q] = rte_ring_create(rname, RING_SIZE, SOCKET_ID_ANY,
					RING_F_SP_ENQ | RING_F_SC_DEQ);
		assert_non_null(tx[q]);
	}
	port = rte_eth_from_rings(name, &rx, 1, tx, N_LCORES, SOCKET_ID_ANY);
	assert_true(port >= 0);
	assert_int_equal(rte_eth_dev_configure((uint16_t)port, 1, N_LCORES, &conf), 0);
	assert_int_equal(rte_eth_rx_queue_setup((uint16_t)port, 0, 64, SOCKET_ID_ANY, NULL,
						test_pool()), 0);
	for (uint16_t q = 0; q < N_LCORES; q++)
		assert_int_equal(rte_eth_tx_queue_setup((uint16_t)port, q, 64, SOCKET_ID_ANY, NULL),
				 0);
	assert_int_equal(rte_eth_dev_start((uint16_t)port), 0);
	return (uint16_t)port;
}

static void
make_workers(void)
{
	char name[RTE_RING_NAMESIZE];

	for (uint16_t i = 0; i < N_WORKERS; i++) {
		for (int c = 0; c < PUNT_CLASS_MAX; c++) {
			snprintf(name, sizeof(name), "punt_%d_%u", c, i);
			t.punt[i][c] = rte_ring_create(name, RING_SIZE, SOCKET_ID_ANY,
						       RING_F_SP_ENQ | RING_F_SC_DEQ);
			assert_non_null(t.punt[i][c]);
		}
		snprintf(name, sizeof(name), "latch_%u", i);
		t.latch[i] = latch_ring_create(name, RING_SIZE, SOCKET_ID_ANY);
		t.w[i] = rte_zmalloc(NULL, sizeof(*t.w[i]), RTE_CACHE_LINE_SIZE);
		assert_non_null(t.latch[i]);
		assert_non_null(t.w[i]);
		fwd_worker_init(t.w[i], &(struct fwd_worker_conf){
			.plane = &t.plane,
			.stats = &t.stats[i],
			.leg_lcore = session_table_leg_lcore(t.st, i),
			.punt_ring = { t.punt[i][0], t.punt[i][1], t.punt[i][2] },
			.latch_ring = t.latch[i],
			.index = i,
			.n_workers = N_WORKERS,
			.txq = i,
			.punt_rate = { 1000000, 1000000, 1000000 },
			.punt_rate_source = 1000000,
		});
		for (uint16_t h = 0; h < N_WORKERS; h++) {
			if (h == i)
				continue;
			snprintf(name, sizeof(name), "handoff_%u_%u", i, h);
			t.handoff[i * N_WORKERS + h] = rte_ring_create(name, RING_SIZE, SOCKET_ID_ANY,
								       RING_F_SP_ENQ |
								       RING_F_SC_DEQ);
			assert_non_null(t.handoff[i * N_WORKERS + h]);
		}
	}
	fwd_workers_handoff_init(t.w, N_WORKERS, t.handoff);
}

static int
group_setup(void **state)
{
	char err[CONFIG_ERR_LEN];
	struct session_table_params sp = { 0 };

	if (test_eal_setup(state) != 0)
		return -1;
	if (config_parse(config_text, "test", &t.cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "config: %s\n", err);
		return -1;
	}
	t.port[0] = ring_port("ring_acc", t.tx[0]);
	t.port[1] = ring_port("ring_core", t.tx[1]);
	t.cfg.ifaces[0].port_id = t.port[0];
	t.cfg.ifaces[1].port_id = t.port[1];
	t.neigh = neigh_table_create(64, SOCKET_ID_ANY);
	assert_non_null(t.neigh);
	for (uint16_t i = 0; i < t.cfg.n_ifaces; i++)
		for (uint16_t n = 0; n < t.cfg.ifaces[i].n_static_neigh; n++)
			assert_int_equal(neigh_add_static(t.neigh, i, &t.cfg.ifaces[i].static_neigh[n].ip,
							  &t.cfg.ifaces[i].static_neigh[n].mac), 0);
	sp.max_sessions = t.cfg.max_sessions;
	sp.socket = SOCKET_ID_ANY;
	sp.ifaces = t.cfg.ifaces;
	sp.n_ifaces = t.cfg.n_ifaces;
	sp.paths = (struct leg_path_builder){ .ifaces = t.cfg.ifaces, .neigh = t.neigh };
	sp.n_lcores = N_LCORES;
	sp.n_workers = N_WORKERS;
	t.st = session_table_create(&sp);
	assert_non_null(t.st);
	assert_int_equal(fwd_plane_init(&t.plane, t.cfg.ifaces, t.cfg.n_ifaces,
					session_table_legs(t.st), session_table_flows(t.st)), 0);
	t.stats = rte_zmalloc(NULL, sizeof(*t.stats) * N_LCORES, RTE_CACHE_LINE_SIZE);
	assert_non_null(t.stats);
	make_workers();
	return 0;
}

static int
group_teardown(void **state)
{
	for (uint16_t i = 0; i < N_WORKERS; i++)
		rte_free(t.w[i]);
	session_table_free(t.st);
	neigh_table_free(t.neigh);
	return test_eal_teardown(state);
}

static void
free_ring(struct rte_ring *r)
{
	struct rte_mbuf *m;

	while (rte_ring_dequeue(r, (void **)&m) == 0)
		rte_pktmbuf_free(m);
}

/* Every test starts with no session, empty rings and zero counters. */
static int
test_setup(void **state)
{
	(void)state;
	for (uint32_t s = session_next(t.st, 0); s != SESSION_NONE; s = session_next(t.st, s + 1))
		session_del(t.st, s);
	session_reclaim(t.st);
	for (int i = 0; i < 2; i++)
		for (int q = 0; q < N_LCORES; q++)
			free_ring(t.tx[i][q]);
	for (int i = 0; i < N_WORKERS; i++) {
		struct latch_request req;

		for (int c = 0; c < PUNT_CLASS_MAX; c++)
			free_ring(t.punt[i][c]);
		while (rte_ring_dequeue_elem(t.latch[i], &req, sizeof(req)) == 0)
			;
	}
	memset(t.stats, 0, sizeof(*t.stats) * N_LCORES);
	return 0;
}

/* e2ae access 20000 <-> core 30000 -> 198.19.0.2:6000, plain RTP; a's remote given or learned. */
static uint32_t
add_session(const char *a_remote)
{
	struct session_spec spec = { .mode = SESSION_MODE_E2AE };
	char err[SESSION_ERR_LEN];
	uint32_t id;

	spec.leg[0].iface = 0;
	spec.leg[0].local_port = 20000;
	if (a_remote != NULL) {
		assert_int_equal(inet_endpoint_parse(a_remote, &spec.leg[0].remote), 0);
		spec.leg[0].latch = LATCH_STRICT;
	}
	spec.leg[1].iface = 1;
	spec.leg[1].local_port = 30000;
	assert_int_equal(inet_endpoint_parse("198.19.0.2:6000", &spec.leg[1].remote), 0);
	spec.leg[1].latch = LATCH_STRICT;
	assert_int_equal(session_add(t.st, &spec, &id, err, sizeof(err)), 0);
	return session_get(t.st, id)->leg[0];
}

/* RTP seq from src (198.18.0.x:5000) to 198.18.0.1:20000, received on the access port. */
static struct rte_mbuf *
rtp_frame(const char *src, uint16_t seq, uint16_t headroom)
{
	struct tf_spec s = {
		.family = 4, .src = src, .dst = "198.18.0.1", .sport = 5000, .dport = 20000,
		.plen = 40,
	};
	struct tf_frame f;
	struct rte_mbuf *m;
	uint8_t *rtp;

	tf_build(&f, &s);
	memcpy(f.b, (const uint8_t[]){ 0x02, 0, 0, 0, 0, 0x01 }, 6);	/* access' MAC */
	rtp = f.b + f.l4_off + 8;
	rtp[0] = 0x80;
	rtp[1] = 0;
	tf_put16(rtp + 2, seq);
	tf_fix_udp_cksum(&f);
	m = test_mbuf_headroom(f.b, f.len, headroom);
	m->port = t.port[0];
	return m;
}

static void
rx(uint16_t worker, struct rte_mbuf *m)
{
	fwd_worker_rx(t.w[worker], t.port[0], &m, 1);
	fwd_worker_flush(t.w[worker]);
}

/* The RTP sequence numbers of what left on the core port's TX queue q, in order. */
static unsigned int
core_out(uint16_t q, uint16_t *seqs, unsigned int max)
{
	struct rte_mbuf *m;
	unsigned int n = 0;

	while (rte_ring_dequeue(t.tx[1][q], (void **)&m) == 0) {
		/* 14 + 4 (VLAN) + 20 + 8, then the RTP header. */
		const uint8_t *rtp = rte_pktmbuf_mtod_offset(m, const uint8_t *, 46);

		if (n < max)
			seqs[n] = tf_get16(rtp + 2);
		n++;
		rte_pktmbuf_free(m);
	}
	return n;
}

static uint64_t
leg_drop(uint32_t leg_id, enum drop_reason r)
{
	struct leg_stats ls;

	session_leg_stats(t.st, leg_id, &ls);
	return ls.drops[drop_reason_leg_slot(r)];
}

static uint64_t
leg_drops_total(uint32_t leg_id)
{
	struct leg_stats ls;
	uint64_t sum = 0;

	session_leg_stats(t.st, leg_id, &ls);
	for (unsigned int d = 0; d < LEG_DROP_MAX; d++)
		sum += ls.drops[d];
	return sum;
}

/* ---- one drop list ---- */

/* Every LEG reason has its own slot inside the leg's array, and names agree. */
static void
test_leg_slots(void **state)
{
	bool used[LEG_DROP_MAX] = { false };
	unsigned int n = 0;

	(void)state;
	for (unsigned int r = 0; r <= DROP_REASON_MAX; r++) {
		enum leg_drop slot = drop_reason_leg_slot((enum drop_reason)r);

		if (slot == LEG_DROP_NONE)
			continue;
		assert_true(slot < LEG_DROP_MAX);
		assert_false(used[slot]);
		used[slot] = true;
		n++;
		assert_int_equal(leg_drop_reason(slot), r);
		assert_string_equal(leg_drop_name(slot), drop_reason_name((enum drop_reason)r));
	}
	assert_int_equal(n, LEG_DROP_MAX);
	assert_true(drop_reason_leg_slot(DROP_NO_HEADROOM) < LEG_DROP_MAX);
	assert_int_equal(drop_reason_leg_slot(DROP_NONE), LEG_DROP_NONE);
}

/* Counting every reason on one leg touches that leg's block of this lcore only. */
static void
test_drop_count_bounds(void **state)
{
	struct leg_lcore *legs = session_table_leg_lcore(t.st, 0);
	struct drop_counters dc = { .lcore = &t.stats[0], .legs = legs };
	static const struct leg_lcore zero;

	(void)state;
	for (unsigned int r = 0; r < DROP_REASON_MAX; r++)
		drop_count(&dc, 5, (enum drop_reason)r);
	drop_count(&dc, DROP_NO_LEG, DROP_SOURCE_MISMATCH);
	for (unsigned int d = 0; d < LEG_DROP_MAX; d++)
		assert_int_equal(legs[5].drops[d], 1);
	assert_memory_equal(&legs[4], &zero, sizeof(zero));
	assert_memory_equal(&legs[6], &zero, sizeof(zero));
	assert_memory_equal(&session_table_leg_lcore(t.st, 1)[5], &zero, sizeof(zero));
	assert_int_equal(t.stats[0].drops[DROP_SOURCE_MISMATCH], 2);
	memset(&legs[5], 0, sizeof(legs[5]));
}

/*
 * Media that cannot get its headers written (no headroom for the tagged
 * output) is counted once, as no_headroom, on the lcore and on the leg,
 * and nothing else of the leg moves (6e1b95d counted it one past the
 * leg's drop array, into the control lcore's rx counter).
 */
static void
test_media_no_headroom(void **state)
{
	uint32_t a = add_session("198.18.0.2:5000");
	struct leg_stats ls;
	uint16_t seq[4];

	(void)state;
	rx(0, rtp_frame("198.18.0.2", 1, 0));
	assert_int_equal(t.stats[0].drops[DROP_NO_HEADROOM], 1);
	assert_int_equal(leg_drop(a, DROP_NO_HEADROOM), 1);
	assert_int_equal(leg_drops_total(a), 1);
	assert_int_equal(leg_drops_total(a + 1), 0);
	session_leg_stats(t.st, a, &ls);
	assert_int_equal(ls.traffic.rx_pkts, 1);
	assert_int_equal(ls.traffic.fwd_pkts, 0);
	assert_int_equal(session_table_legs(t.st)[a].counters.slow.rx_pkts, 0);
	assert_int_equal(core_out(0, seq, 4), 0);
	/* With room, the same packet leaves. */
	rx(0, rtp_frame("198.18.0.2", 2, RTE_PKTMBUF_HEADROOM));
	assert_int_equal(core_out(0, seq, 4), 1);
	assert_int_equal(seq[0], 2);
}

/* ---- one place per unlatched leg ---- */

/* The control lcore's part: latch what the worker asked for. */
static unsigned int
latch_requested(uint16_t worker)
{
	struct latch_request req;
	unsigned int n = 0;

	while (rte_ring_dequeue_elem(t.latch[worker], &req, sizeof(req)) == 0) {
		if (leg_path(&session_table_legs(t.st)[req.leg]) == NULL)
			assert_int_equal(session_leg_set_remote(t.st, req.leg, &req.remote), 0);
		n++;
	}
	return n;
}

/*
 * Two sources for an unlatched learning leg in one burst, on its home
 * worker: the first that gets through is the leg's, the other's packets
 * are dropped before any state of the leg moves, before and after the
 * latch is published; only the first is asked to be latched.
 */
static void
test_prelatch_one_source(void **state)
{
	uint32_t a = add_session(NULL);
	uint16_t home = session_table_legs(t.st)[a].home;
	struct rte_mbuf *burst[4];
	const struct leg_path *path;
	uint16_t seq[8];

	(void)state;
	assert_true(home < N_WORKERS);
	burst[0] = rtp_frame("198.18.0.2", 10, RTE_PKTMBUF_HEADROOM);
	burst[1] = rtp_frame("198.18.0.3", 5000, RTE_PKTMBUF_HEADROOM);
	burst[2] = rtp_frame("198.18.0.2", 11, RTE_PKTMBUF_HEADROOM);
	burst[3] = rtp_frame("198.18.0.3", 5001, RTE_PKTMBUF_HEADROOM);
	fwd_worker_rx(t.w[home], t.port[0], burst, 4);
	fwd_worker_flush(t.w[home]);
	assert_int_equal(core_out(home, seq, 8), 2);
	assert_int_equal(seq[0], 10);
	assert_int_equal(seq[1], 11);
	assert_int_equal(leg_drop(a, DROP_SOURCE_MISMATCH), 2);
	assert_int_equal(latch_requested(home), 2);
	path = leg_path(&session_table_legs(t.st)[a]);
	assert_non_null(path);
	assert_int_equal(path->remote.addr[3], 2);
	rx(home, rtp_frame("198.18.0.3", 5002, RTE_PKTMBUF_HEADROOM));
	rx(home, rtp_frame("198.18.0.2", 12, RTE_PKTMBUF_HEADROOM));
	assert_int_equal(core_out(home, seq, 8), 1);
	assert_int_equal(seq[0], 12);
	assert_int_equal(leg_drop(a, DROP_SOURCE_MISMATCH), 3);
}

/*
 * The genuine source on the worker that is not the leg's home: its packets
 * are handed over until the leg is latched and, after that, for as long as
 * the home worker has not handled what it was given; then the worker takes
 * the leg back. Nothing is lost or reordered, and the two workers never
 * both hold packets of the leg.
 */
static void
test_handoff_takeback(void **state)
{
	uint32_t a = add_session(NULL);
	uint16_t home = session_table_legs(t.st)[a].home, other = (uint16_t)(1 - home);
	struct inet_endpoint src;
	uint16_t seq[8];

	(void)state;
	rx(other, rtp_frame("198.18.0.2", 20, RTE_PKTMBUF_HEADROOM));
	assert_int_equal(t.stats[other].handed_off, 1);
	assert_int_equal(rte_ring_count(t.handoff[other * N_WORKERS + home]), 1);
	/* Latched meanwhile (as if an earlier packet at the home worker had asked). */
	assert_int_equal(inet_endpoint_parse("198.18.0.2:5000", &src), 0);
	assert_int_equal(session_leg_set_remote(t.st, a, &src), 0);
	/* Still at the home worker: this one follows it there. */
	rx(other, rtp_frame("198.18.0.2", 21, RTE_PKTMBUF_HEADROOM));
	assert_int_equal(t.stats[other].handed_off, 2);
	assert_int_equal(core_out(other, seq, 8), 0);
	fwd_worker_handoff_poll(t.w[home]);
	fwd_worker_flush(t.w[home]);
	assert_int_equal(core_out(home, seq, 8), 2);
	assert_int_equal(seq[0], 20);
	assert_int_equal(seq[1], 21);
	/* The home worker has handled them all: the other worker has the leg now. */
	rx(other, rtp_frame("198.18.0.2", 22, RTE_PKTMBUF_HEADROOM));
	assert_int_equal(t.stats[other].handed_off, 2);
	assert_int_equal(core_out(other, seq, 8), 1);
	assert_int_equal(seq[0], 22);
	assert_int_equal(leg_drops_total(a), 0);
	/* Handed-over packets are counted as received once, where they came in. */
	assert_int_equal(t.stats[home].rx_pkts, 0);
	assert_int_equal(t.stats[other].rx_pkts, 3);
	latch_requested(home);
}

/*
 * A flood for an unlatched leg on the worker that is not its home: what the
 * handoff ring cannot take is dropped and counted (handoff_full, on the lcore
 * and the leg), nothing waits, and what it took is handled at home.
 */
static void
test_handoff_full(void **state)
{
	uint32_t a = add_session(NULL);
	uint16_t home = session_table_legs(t.st)[a].home, other = (uint16_t)(1 - home);
	unsigned int cap = rte_ring_get_capacity(t.handoff[other * N_WORKERS + home]);
	uint16_t seq[RING_SIZE];

	(void)state;
	for (uint16_t i = 0; i < cap + 5; i++)
		rx(other, rtp_frame("198.18.0.3", (uint16_t)(100 + i), RTE_PKTMBUF_HEADROOM));
	assert_int_equal(t.stats[other].handed_off, cap);
	assert_int_equal(t.stats[other].drops[DROP_HANDOFF_FULL], 5);
	assert_int_equal(leg_drop(a, DROP_HANDOFF_FULL), 5);
	assert_int_equal(core_out(other, seq, RING_SIZE), 0);
	fwd_worker_handoff_poll(t.w[home]);
	fwd_worker_flush(t.w[home]);
	/* Plain RTP in: the first source is the leg's (as a learning leg's is). */
	assert_int_equal(core_out(home, seq, RING_SIZE), cap);
	assert_int_equal(seq[0], 100);
	assert_int_equal(seq[cap - 1], 100 + cap - 1);
	assert_int_equal(rte_ring_count(t.handoff[other * N_WORKERS + home]), 0);
	latch_requested(home);
}

/* ---- readers never write counters ---- */

/* clear: the readers' zero moves; the lcores' counters are untouched and go on. */
static void
test_clear_is_a_baseline(void **state)
{
	uint32_t a = add_session("198.18.0.2:5000");
	const struct leg *leg = &session_table_legs(t.st)[a];
	const uint64_t *mismatch = &session_table_leg_lcore(t.st, 0)[a].drops[
		drop_reason_leg_slot(DROP_SOURCE_MISMATCH)];
	uint64_t rx_raw, mismatch_raw;
	struct leg_stats ls;
	uint16_t seq[4];

	(void)state;
	rx(0, rtp_frame("198.18.0.2", 1, RTE_PKTMBUF_HEADROOM));
	rx(0, rtp_frame("198.18.0.3", 1, RTE_PKTMBUF_HEADROOM));
	session_leg_stats(t.st, a, &ls);
	assert_int_equal(ls.traffic.rx_pkts, 1);
	assert_int_equal(leg_drop(a, DROP_SOURCE_MISMATCH), 1);
	rx_raw = leg->counters.fast.rx_pkts;
	mismatch_raw = *mismatch;
	session_clear_counters(t.st);
	session_leg_stats(t.st, a, &ls);
	assert_int_equal(ls.traffic.rx_pkts, 0);
	assert_int_equal(leg_drops_total(a), 0);
	/* Nobody but the worker wrote its counters. */
	assert_int_equal(leg->counters.fast.rx_pkts, rx_raw);
	assert_int_equal(*mismatch, mismatch_raw);
	rx(0, rtp_frame("198.18.0.2", 2, RTE_PKTMBUF_HEADROOM));
	session_leg_stats(t.st, a, &ls);
	assert_int_equal(ls.traffic.rx_pkts, 1);
	assert_int_equal(ls.traffic.fwd_pkts, 1);
	assert_int_equal(core_out(0, seq, 4), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_leg_slots, test_setup),
		cmocka_unit_test_setup(test_drop_count_bounds, test_setup),
		cmocka_unit_test_setup(test_media_no_headroom, test_setup),
		cmocka_unit_test_setup(test_prelatch_one_source, test_setup),
		cmocka_unit_test_setup(test_handoff_takeback, test_setup),
		cmocka_unit_test_setup(test_handoff_full, test_setup),
		cmocka_unit_test_setup(test_clear_is_a_baseline, test_setup),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
