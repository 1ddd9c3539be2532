/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_FWD_WORKER_H
#define SRTPFWD_FWD_WORKER_H

/*
 * The worker's packet path, one RX burst at a time, as named stages over a
 * per-burst scratch (struct fwd_burst), each a pass over the burst:
 *   parse    Ethernet/VLAN/IP/UDP, interface, our MAC, martian sources;
 *            ARP and ND for our addresses punted, other ICMPv6 dropped
 *   lookup   (address, port) -> leg: direct index, bulk hash for the rest
 *   legs     RFC 7983 class, source check, then one dispatch on the leg's
 *            action: forward | media | DTLS punt | refuse
 *   media    SRTP unprotect and protect of the burst's media in batches,
 *            then new headers and TX
 * ICE answers STUN; LI copies what a tapped leg receives (lib/li/li_tap.h):
 * e2e as it arrived, e2ae between unprotect and protect (the clear media).
 * No locks, no allocation, no syscalls; counters in the worker's own blocks.
 *
 * A learning leg has one place until its latch is published: the control
 * lcore. Workers punt such a leg's packets to it; the control lcore runs
 * these same stages on them (struct fwd_worker with .ctl set), latching
 * after authentication. A worker takes the leg's packets back only once the
 * control lcore has handled every packet of the leg the worker punted
 * (punt sequence numbers), so no SRTP state ever has two writers.
 */

#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_ring.h>

#include "../net/pkt_parse.h"
#include "../srtp/srtp_engine.h"
#include "../stats/drop.h"
#include "../stats/lcore_stats.h"
#include "../li/li_tap.h"
#include "fwd_plane.h"
#include "fwd_to_peer.h"
#include "punt_budget.h"

#define FWD_BURST_MAX 64
#define FWD_STUN_ERROR_RATE_DEFAULT 1000	/* per worker and second */
#define FWD_STUN_ERROR_SOURCE_RATE 10		/* per source and second */
#define FWD_STUN_ERROR_SOURCES 256		/* hashed source buckets, power of two */
/* Checks a leg parses per second from sources not yet valid pairs (a browser sends a few). */
#define FWD_STUN_STRANGER_RATE 500
#define FWD_STUN_STRANGER_BURST 50

/*
 * Packets waiting for rte_eth_tx_burst, in runs of one RX burst each (its
 * RX time): what the latency histogram records once they are sent.
 */
struct fwd_txbuf {
	uint16_t n;
	uint16_t n_runs;
	struct rte_mbuf *pkts[FWD_BURST_MAX];
	uint16_t run_start[FWD_BURST_MAX];
	uint64_t run_tsc[FWD_BURST_MAX];
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
	uint8_t latch;			/* control lcore: latch in's remote once authenticated */
};

/* The stages' scratch for one RX burst. */
struct fwd_burst {
	uint16_t port;
	uint16_t n;			/* UDP packets that go to the lookup */
	uint16_t n_miss;		/* of which the direct index did not cover */
	bool handed_over;		/* from another worker: received (and counted) there */
	uint64_t now_tsc;		/* read once a burst, for what keeps time per packet */
	struct rte_mbuf *pkts[FWD_BURST_MAX];
	struct pkt_info info[FWD_BURST_MAX];
	uint16_t iface[FWD_BURST_MAX];
	const uint32_t *entry[FWD_BURST_MAX];	/* direct index slot, NULL: ask the hash */
	uint32_t leg_id[FWD_BURST_MAX];
	const struct inet_endpoint *miss_key[FWD_BURST_MAX];
	uint16_t miss_idx[FWD_BURST_MAX];
};

/* What only the control lcore's instance has: it latches instead of punting. */
struct fwd_ctl {
	/* Latch leg_id to remote (publish its path). 0 or -errno (-ENOSPC: neighbour table). */
	int (*latch)(void *arg, uint32_t leg_id, const struct inet_endpoint *remote);
	void *latch_arg;
};

#define FWD_WORKERS_MAX 64

struct fwd_worker {
	const struct fwd_plane *plane;
	struct lcore_stats *stats;
	struct drop_counters drops;	/* stats and this lcore's per-leg blocks */
	/* Per punt class; single producer: this worker; NULL on the control lcore. */
	struct rte_ring *punt_ring[PUNT_CLASS_MAX];
	struct srtp_worker *srtp;	/* this lcore's SRTP engine handle, or NULL */
	struct rte_ring *latch_ring;	/* struct latch_request to the control lcore */
	const struct fwd_ctl *ctl;	/* NULL on workers */
	uint16_t txq;			/* this lcore's TX queue on every port */
	uint16_t index;			/* worker number (leg->home) */
	uint32_t traffic_off;		/* offset in struct leg of the traffic counters we write */
	uint16_t n_workers;
	/* Handoff: to[h] is ours to produce into, worker h's to consume. */
	struct rte_ring *handoff_to[FWD_WORKERS_MAX];
	struct rte_ring *handoff_from[FWD_WORKERS_MAX];
	const uint64_t *handoff_done_by[FWD_WORKERS_MAX];	/* worker h's count of ours */
	uint64_t handoff_seq[FWD_WORKERS_MAX];	/* packets enqueued to to[h] */
	uint64_t handoff_seen[FWD_WORKERS_MAX];	/* last *done_by[h] read */
	/* STUN error responses: per worker, and per source (hashed like the punt budget's). */
	struct rate_limit stun_error_rate;
	struct rate_limit stun_error_source_rate;
	struct rate_limit stranger_check_rate;	/* checks a leg takes from non-pairs */
	struct rate_bucket stun_errors;
	struct rate_bucket stun_error_source[FWD_STUN_ERROR_SOURCES];
	uint64_t rtp_seq_idle_tsc;	/* fwd_rtp_seq.h: a stream's slot is free after this */
	uint64_t tx_pending;		/* bit per port with buffered packets */
	/* Timing (fwd_timing.h): this pass is sampled, passes so far, when its RX began. */
	bool sampling;
	uint32_t timing_passes;		/* the sampling LCG's state */
	uint64_t rx_start_tsc;
	struct li_worker li;		/* copies of tapped legs' packets (lawful interception) */
	uint16_t n_media;
	struct rte_mbuf *media_pkts[FWD_BURST_MAX];
	struct fwd_media media[FWD_BURST_MAX];
	struct fwd_burst burst;
	struct fwd_txbuf tx[RTE_MAX_ETHPORTS];
	/* What it may punt, per class and per source (punt_budget.h). */
	struct punt_budget punt_budget;
	/* Ours, read by the others: how many of worker s's handoffs we handled. */
	uint64_t handoff_done[FWD_WORKERS_MAX] __rte_cache_aligned;
};

struct fwd_worker_conf {
	const struct fwd_plane *plane;
	struct lcore_stats *stats;
	struct leg_lcore *leg_lcore;	/* this lcore's per-leg blocks */
	struct rte_ring *punt_ring[PUNT_CLASS_MAX];	/* workers: one ring per class */
	struct rte_ring *latch_ring;	/* workers: struct latch_request elements */
	uint16_t index;			/* workers: 0..n_workers-1 */
	uint16_t n_workers;
	uint16_t txq;
	uint32_t punt_rate[PUNT_CLASS_MAX];	/* packets per second of each class */
	uint32_t punt_rate_source;	/* of one source in one class */
	uint32_t stun_error_rate;	/* STUN error responses per second (0: default) */
	struct srtp_worker *srtp;	/* NULL: no e2ae */
	const struct fwd_ctl *ctl;	/* the control lcore's instance only */
	struct rte_ring *li_ring;	/* copies to the control lcore; NULL: no LI */
	struct rte_mempool *li_pool;	/* what copies are made in */
};

void fwd_worker_init(struct fwd_worker *w, const struct fwd_worker_conf *conf);

/* Process n <= FWD_BURST_MAX packets received on port; every mbuf is consumed. */
void fwd_worker_rx(struct fwd_worker *w, uint16_t port, struct rte_mbuf **pkts, uint16_t n);

/* Transmit everything buffered; what a queue refuses is freed and counted. */
void fwd_worker_flush(struct fwd_worker *w);
/* The same at the end of a loop pass, its TX time counted when the pass is sampled. */
void fwd_worker_pass_end(struct fwd_worker *w);

/*
 * Connect the handoff rings of workers ws[0..n): ring[s * n + h] carries
 * worker s's packets for worker h (single producer, single consumer; NULL
 * on the diagonal).
 */
void fwd_workers_handoff_init(struct fwd_worker *const *ws, uint16_t n, struct rte_ring **ring);

/* Handle what the other workers handed over; call once per poll loop. */
void fwd_worker_handoff_poll(struct fwd_worker *w);

#endif /* SRTPFWD_FWD_WORKER_H */
