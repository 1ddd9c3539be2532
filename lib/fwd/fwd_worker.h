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

#include "../net/pkt_parse.h"
#include "../srtp/srtp_engine.h"
#include "../stats/lcore_stats.h"
#include "fwd_plane.h"
#include "fwd_to_peer.h"

#define FWD_BURST_MAX 64

struct fwd_txbuf {
	uint16_t n;
	struct rte_mbuf *pkts[FWD_BURST_MAX];
};

/* Media of one RX burst waiting for SRTP, with what it needs afterwards. */
struct fwd_media {
	struct leg *in;
	struct fwd_route route;		/* checked before any crypto is spent */
	const struct pkt_info *pi;
	/* Loaded once: a DTLS re-key may publish new ones during the burst. */
	struct srtp_ctx *unprotect;	/* in's inbound context, NULL: plain RTP */
	struct srtp_ctx *protect;	/* the peer leg's outbound context, NULL: plain RTP */
	uint8_t kind;			/* SRTP_KIND_RTP or SRTP_KIND_RTCP */
	uint8_t latch;			/* ask the control lcore to latch in's remote */
};

struct fwd_worker {
	const struct fwd_plane *plane;
	struct lcore_stats *stats;
	struct rte_ring *punt_ring;	/* single producer: this worker */
	struct srtp_worker *srtp;	/* this worker's SRTP engine handle, or NULL */
	struct rte_mempool *pool;	/* for latch requests */
	uint16_t txq;			/* this worker's TX queue on every port */
	/* Token bucket for the slow path (punts per second). */
	uint64_t punt_tokens;
	uint64_t punt_burst;
	uint64_t punt_last_tsc;
	uint64_t punt_tsc_per_token;
	uint64_t tx_pending;		/* bit per port with buffered packets */
	uint16_t n_media;
	struct rte_mbuf *media_pkts[FWD_BURST_MAX];
	struct fwd_media media[FWD_BURST_MAX];
	struct fwd_txbuf tx[RTE_MAX_ETHPORTS];
};

/* Set up w; punt_rate in packets per second; srtp may be NULL (no e2ae). */
void fwd_worker_init(struct fwd_worker *w, const struct fwd_plane *plane,
		     struct lcore_stats *stats, struct rte_ring *punt_ring, uint16_t txq,
		     uint32_t punt_rate, struct srtp_worker *srtp, struct rte_mempool *pool);

/* Process n <= FWD_BURST_MAX packets received on port; every mbuf is consumed. */
void fwd_worker_rx(struct fwd_worker *w, uint16_t port, struct rte_mbuf **pkts, uint16_t n);

/* Transmit everything buffered; what a queue refuses is freed and counted. */
void fwd_worker_flush(struct fwd_worker *w);

#endif /* SRTPFWD_FWD_WORKER_H */
