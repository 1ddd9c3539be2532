/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_TEST_FWD_FIXTURE_H
#define SRTPFWD_TEST_FWD_FIXTURE_H

/*
 * The worker stages driven directly: two workers over ring-backed ports
 * (every TX queue a ring the test reads), one session table, no SRTP
 * engine. The control lcore's part is done by the test itself, in the
 * order it chooses. Shared by the worker and ICE tests.
 */
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>

#include "config/config.h"
#include "fwd/fwd_worker.h"
#include "fwd/punt.h"
#include "session/session_table.h"

#define N_WORKERS 2
#define N_LCORES (N_WORKERS + 1)
#define CTL N_WORKERS
#define RING_SIZE 64

struct fwd_fixture {
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
	struct rte_rcu_qsbr *rcu;		/* no reader registered: grace periods end at once */
};


extern struct fwd_fixture t;

int fwd_fixture_group_setup(void **state);
int fwd_fixture_group_teardown(void **state);
/* Every test starts with no session, empty rings and zero counters. */
int fwd_fixture_test_setup(void **state);
void fwd_fixture_free_ring(struct rte_ring *r);
/* RTP seq from src:5000 to 198.18.0.1:dport, as the access port receives it. */
struct rte_mbuf *fixture_rtp(const char *src, uint16_t dport, uint16_t seq, uint16_t headroom);
/* m received on the access port by worker, then the worker's TX flushed. */
void rx(uint16_t worker, struct rte_mbuf *m);
uint64_t leg_drop(uint32_t leg_id, enum drop_reason r);
uint64_t leg_drops_total(uint32_t leg_id);

#endif /* SRTPFWD_TEST_FWD_FIXTURE_H */
