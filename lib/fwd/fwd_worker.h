/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_FWD_WORKER_H
#define SRTPFWD_FWD_WORKER_H

/*
 * The worker's packet path, one RX burst at a time:
 *   parse -> (port, VLAN) -> interface -> flow lookup (bulk) -> leg
 *   -> RFC 7983 class -> source check / latch -> action -> TX buffer
 * ARP, ND and first packets of learning legs go to the control lcore.
 * No locks, no allocation, no syscalls; counters in the worker's own block.
 */

#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_ring.h>

#include "../stats/lcore_stats.h"
#include "fwd_plane.h"

#define FWD_BURST_MAX 64

struct fwd_txbuf {
	uint16_t n;
	struct rte_mbuf *pkts[FWD_BURST_MAX];
};

struct fwd_worker {
	const struct fwd_plane *plane;
	struct lcore_stats *stats;
	struct rte_ring *punt_ring;	/* single producer: this worker */
	uint16_t txq;			/* this worker's TX queue on every port */
	/* Token bucket for the slow path (punts per second). */
	uint64_t punt_tokens;
	uint64_t punt_burst;
	uint64_t punt_last_tsc;
	uint64_t punt_tsc_per_token;
	uint64_t tx_pending;		/* bit per port with buffered packets */
	struct fwd_txbuf tx[RTE_MAX_ETHPORTS];
};

/* Set up w; punt_rate in packets per second. */
void fwd_worker_init(struct fwd_worker *w, const struct fwd_plane *plane,
		     struct lcore_stats *stats, struct rte_ring *punt_ring, uint16_t txq,
		     uint32_t punt_rate);

/* Process n <= FWD_BURST_MAX packets received on port; every mbuf is consumed. */
void fwd_worker_rx(struct fwd_worker *w, uint16_t port, struct rte_mbuf **pkts, uint16_t n);

/* Transmit everything buffered; what a queue refuses is freed and counted. */
void fwd_worker_flush(struct fwd_worker *w);

#endif /* SRTPFWD_FWD_WORKER_H */
