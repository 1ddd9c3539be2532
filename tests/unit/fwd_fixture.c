/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_ring_elem.h>

#include "fwd_fixture.h"
#include "test_eal.h"
#include "test_frame.h"

static const char config_text[] =
	"[general]\n"
	"max-sessions = 16\n"
	"[interface access]\n"
	"exposed = no\n"
	"port = ring_acc\n"
	"mac = 02:00:00:00:00:01\n"
	"ipv4 = 198.18.0.1/24\n"
	"neighbour = 198.18.0.2 02:00:00:00:00:02\n"
	"neighbour = 198.18.0.3 02:00:00:00:00:03\n"
	"media-ports = 20000-20099\n"
	"[interface core]\n"
	"exposed = no\n"
	"port = ring_core\n"
	"mac = 02:00:00:00:01:01\n"
	/* Tagged: what leaves here needs 4 bytes more than what came in. */
	"vlan = 100\n"
	"ipv4 = 198.19.0.1/24\n"
	"neighbour = 198.19.0.2 02:00:00:00:01:02\n"
	"media-ports = 30000-30099\n";

struct fwd_fixture t;

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

int
fwd_fixture_group_setup(void **state)
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
	t.plane.ice_state = session_table_ice_state(t.st);
	t.rcu = rte_zmalloc(NULL, rte_rcu_qsbr_get_memsize(RTE_MAX_LCORE), RTE_CACHE_LINE_SIZE);
	assert_non_null(t.rcu);
	assert_int_equal(rte_rcu_qsbr_init(t.rcu, RTE_MAX_LCORE), 0);
	t.stats = rte_zmalloc(NULL, sizeof(*t.stats) * N_LCORES, RTE_CACHE_LINE_SIZE);
	assert_non_null(t.stats);
	make_workers();
	return 0;
}

int
fwd_fixture_group_teardown(void **state)
{
	for (uint16_t i = 0; i < N_WORKERS; i++)
		rte_free(t.w[i]);
	session_table_free(t.st);
	rte_free(t.rcu);
	neigh_table_free(t.neigh);
	return test_eal_teardown(state);
}

void
fwd_fixture_free_ring(struct rte_ring *r)
{
	struct rte_mbuf *m;

	while (rte_ring_dequeue(r, (void **)&m) == 0)
		rte_pktmbuf_free(m);
}

int
fwd_fixture_test_setup(void **state)
{
	(void)state;
	for (uint32_t s = session_next(t.st, 0); s != SESSION_NONE; s = session_next(t.st, s + 1))
		session_del(t.st, s);
	session_reclaim(t.st);
	for (int i = 0; i < 2; i++)
		for (int q = 0; q < N_LCORES; q++)
			fwd_fixture_free_ring(t.tx[i][q]);
	for (int i = 0; i < N_WORKERS; i++) {
		struct latch_request req;

		for (int c = 0; c < PUNT_CLASS_MAX; c++)
			fwd_fixture_free_ring(t.punt[i][c]);
		while (rte_ring_dequeue_elem(t.latch[i], &req, sizeof(req)) == 0)
			;
	}
	memset(t.stats, 0, sizeof(*t.stats) * N_LCORES);
	return 0;
}


struct rte_mbuf *
fixture_rtp(const char *src, uint16_t dport, uint16_t seq, uint16_t headroom)
{
	struct tf_spec s = {
		.family = 4, .src = src, .dst = "198.18.0.1", .sport = 5000, .dport = dport,
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

void
rx(uint16_t worker, struct rte_mbuf *m)
{
	fwd_worker_rx(t.w[worker], t.port[0], &m, 1);
	fwd_worker_flush(t.w[worker]);
}

uint64_t
leg_drop(uint32_t leg_id, enum drop_reason r)
{
	struct leg_stats ls;

	session_leg_stats(t.st, leg_id, &ls);
	return ls.drops[drop_reason_leg_slot(r)];
}

uint64_t
leg_drops_total(uint32_t leg_id)
{
	struct leg_stats ls;
	uint64_t sum = 0;

	session_leg_stats(t.st, leg_id, &ls);
	for (unsigned int d = 0; d < LEG_DROP_MAX; d++)
		sum += ls.drops[d];
	return sum;
}

