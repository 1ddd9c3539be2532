/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_APP_CTX_H
#define SRTPFWD_APP_CTX_H

/*
 * Everything the application wires together. Owned by the control lcore;
 * workers get their own struct worker_ctx and read-only pointers.
 */

#include <stdbool.h>
#include <stdint.h>

#include <cmdline.h>
#include <rte_ethdev.h>
#include <rte_mempool.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>

#include "call/call.h"
#include "call/dtls_legs.h"
#include "call/ice_legs.h"
#include "call/slow_path.h"
#include "config/config.h"
#include "dtls/dtls_engine.h"
#include "fwd/fwd_plane.h"
#include "fwd/fwd_worker.h"
#include "li/li_service.h"
#include "neigh/neigh_resolver.h"
#include "neigh/neigh_table.h"
#include "ng/ng_calls.h"
#include "ng/ng_server.h"
#include "session/session_table.h"
#include "srtp/srtp_engine.h"
#include "stats/lcore_stats.h"

#include "app_options.h"

#define APP_MAX_RXQ_PER_WORKER 64

struct rxq_ref {
	uint16_t port;
	uint16_t queue;
};

struct worker_ctx {
	struct fwd_worker fw;
	struct srtpfwd_app *app;
	unsigned int lcore;
	uint16_t index;			/* also its TX queue on every port */
	uint16_t n_rxq;
	struct rxq_ref rxq[APP_MAX_RXQ_PER_WORKER];
} __rte_cache_aligned;

/* Last counters seen by `show port stats`, for rates like testpmd's. */
struct port_rate_snapshot {
	uint64_t tsc;
	uint64_t ipackets;
	uint64_t opackets;
};

struct srtpfwd_app {
	struct app_options opts;
	struct srtpfwd_config cfg;
	struct rte_mempool *pool;
	struct rte_rcu_qsbr *rcu;
	struct neigh_table *neigh;
	struct session_table *sessions;
	struct call_layer *calls;	/* the one owner of legs' lives */
	struct srtp_engine *srtp;
	struct dtls_engine *dtls;	/* the box's DTLS-SRTP certificate and OpenSSL context */
	struct dtls_legs *dtls_legs;	/* endpoints of the legs that terminate DTLS */
	struct ice_legs *ice_legs;	/* ICE-lite legs: credentials, nominations, consent */
	struct ng_server *ng;		/* the ng control protocol, or NULL (ng-listen = off) */
	struct ng_calls *ng_calls;	/* the calls ng made, or NULL */
	struct li_service *li;		/* lawful interception: tasks, copies, mediation functions */
	uint64_t dtls_renew_tsc;	/* generated certificate renewed then; 0: never */
	struct fwd_plane plane;
	struct neigh_resolver resolver;
	struct slow_path slow;
	struct fwd_worker *ctl_fwd;	/* the worker stages, run on the control lcore */
	struct fwd_ctl ctl_latch;	/* what lets ctl_fwd latch */
	uint16_t n_workers;
	struct worker_ctx *workers[RTE_MAX_LCORE];
	struct rte_ring *punt_rings[RTE_MAX_LCORE][PUNT_CLASS_MAX];	/* per worker and class */
	struct rte_ring *latch_rings[RTE_MAX_LCORE];	/* struct latch_request, per worker */
	struct rte_ring **handoff_rings;	/* [s * n_workers + h]: worker s to worker h */
	struct lcore_stats *stats;	/* n_workers + 1 blocks; the last is the control lcore's */
	/* What `clear worker stats` saw: readers subtract it (the lcores own stats). */
	struct lcore_stats *stats_base;
	uint16_t n_ports;
	uint16_t ports[RTE_MAX_ETHPORTS];
	uint16_t port_rxq[RTE_MAX_ETHPORTS];
	bool port_started[RTE_MAX_ETHPORTS];
	bool port_tx_udp_cksum[RTE_MAX_ETHPORTS];	/* the device sums UDP on TX */
	struct port_rate_snapshot rate[RTE_MAX_ETHPORTS];
	uint16_t ctl_txq;
	struct rte_eth_dev_tx_buffer *ctl_txb[RTE_MAX_ETHPORTS];	/* ctl_tx.h */
	bool quit;			/* atomic: control loop ends */
	bool forwarding;		/* atomic: workers poll RX */
	uint64_t start_tsc;
	struct cmdline *cl;		/* interactive console, or NULL */
};

static inline struct lcore_stats *
app_ctl_stats(struct srtpfwd_app *app)
{
	return &app->stats[app->n_workers];
}

/* Lcore i's counters since the last clear (i == n_workers: the control lcore). */
static inline void
app_lcore_stats(const struct srtpfwd_app *app, uint16_t i, struct lcore_stats *out)
{
	lcore_stats_sum(&app->stats[i], &app->stats_base[i], 1, out);
}

/* Every lcore's counters since the last clear, added up. */
static inline void
app_stats_total(const struct srtpfwd_app *app, struct lcore_stats *total)
{
	lcore_stats_sum(app->stats, app->stats_base, app->n_workers + 1u, total);
}

/*
 * Send one packet from the control lcore's TX queue; consumes m. 0 (it goes
 * out when the loop pass ends, ctl_tx.h) or -EAGAIN.
 */
int app_ctl_tx(void *arg, uint16_t port, struct rte_mbuf *m);

/* Ask the control loop to end (console quit, signals, --duration). */
static inline void
app_request_quit(struct srtpfwd_app *app)
{
	__atomic_store_n(&app->quit, true, __ATOMIC_RELEASE);
}

#endif /* SRTPFWD_APP_CTX_H */
