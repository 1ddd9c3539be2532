/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_FWD_IO_H
#define SRTPFWD_FWD_IO_H

/*
 * What the stages send on: the per-port TX buffers, the punt rings to the
 * control lcore (one per class, budgets per class and source; times are the
 * burst's TSC) and its latch ring, the handoff rings to the other workers
 * (sequence numbers); and the per-leg state a worker keeps for itself
 * (struct leg_lcore). Worker-private.
 */

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_ring_elem.h>

#include "fwd_worker.h"
#include "punt.h"

void fwd_flush_port(struct fwd_worker *w, uint16_t port);

static inline void
fwd_tx(struct fwd_worker *w, uint16_t port, struct rte_mbuf *m)
{
	struct fwd_txbuf *b = &w->tx[port];
	uint64_t rx_tsc = w->burst.now_tsc;

	/* Runs of one RX burst: the latency histogram takes a run at a time. */
	if (unlikely(b->n_runs == 0 || b->run_tsc[b->n_runs - 1] != rx_tsc)) {
		b->run_start[b->n_runs] = b->n;
		b->run_tsc[b->n_runs++] = rx_tsc;
	}
	b->pkts[b->n++] = m;
	w->tx_pending |= 1ULL << port;
	if (unlikely(b->n == FWD_BURST_MAX))
		fwd_flush_port(w, port);
}

static inline enum punt_class
punt_class_of(enum punt_reason why)
{
	switch (why) {
	case PUNT_ARP:
	case PUNT_ICMP6:
		return PUNT_CLASS_ARP_ND;
	case PUNT_DTLS:
		return PUNT_CLASS_DTLS;
	default:
		return PUNT_CLASS_OTHER;
	}
}

/*
 * May pi's source punt a packet of class cls now? Its bucket is chosen by
 * its address and port, or for ARP/ND (no UDP, no IP for ARP) by the
 * frame's source MAC. DROP_NONE or the rate it is over.
 */
static inline enum drop_reason
fwd_punt_budget(struct fwd_worker *w, const struct rte_mbuf *m, const struct pkt_info *pi,
		enum punt_class cls)
{
	struct punt_budget *b = &w->punt_budget;
	uint32_t src;

	if (cls == PUNT_CLASS_ARP_ND)
		src = punt_source_hash(b, rte_pktmbuf_mtod_offset(m, const uint8_t *,
								 RTE_ETHER_ADDR_LEN), RTE_ETHER_ADDR_LEN);
	else
		src = punt_source_hash(b, &pi->src, sizeof(pi->src));
	return punt_budget_take(b, cls, src, w->burst.now_tsc);
}

/*
 * Hand m to the control lcore on its class's ring (the control lcore's own
 * instance has no rings: what it would punt is stale). DROP_NONE when it went.
 */
static inline enum drop_reason
fwd_punt(struct fwd_worker *w, struct rte_mbuf *m, const struct pkt_info *pi, uint16_t iface,
	 uint32_t leg_id, enum punt_reason why)
{
	enum punt_class cls = punt_class_of(why);
	enum drop_reason d = DROP_NONE;
	struct punt_meta *pm;

	if (unlikely(w->punt_ring[cls] == NULL))
		d = DROP_STALE_PUNT;
	else
		d = fwd_punt_budget(w, m, pi, cls);
	if (d != DROP_NONE) {
		drop_pkt(&w->drops, m, leg_id, d);
		return d;
	}
	pm = punt_meta(m, w->plane->punt_meta_offset);
	pm->leg = leg_id;
	pm->iface = iface;
	pm->reason = (uint8_t)why;
	pm->reserved = 0;
	if (rte_ring_sp_enqueue(w->punt_ring[cls], m) != 0) {
		drop_pkt(&w->drops, m, leg_id, DROP_PUNT_RING_FULL);
		return DROP_PUNT_RING_FULL;
	}
	w->stats->punted++;
	return DROP_NONE;
}

/* Hand m (a packet of leg) over to the leg's home worker. */
static inline void
fwd_handoff(struct fwd_worker *w, struct rte_mbuf *m, const struct leg *leg)
{
	uint16_t home = leg->home;

	if (unlikely(home >= w->n_workers || w->handoff_to[home] == NULL ||
		     rte_ring_sp_enqueue(w->handoff_to[home], m) != 0)) {
		drop_pkt(&w->drops, m, leg->id, DROP_HANDOFF_FULL);
		return;
	}
	w->drops.legs[leg->id].last_handoff = ++w->handoff_seq[home];
	w->stats->handed_off++;
}

/*
 * Does the leg's home worker still hold packets of leg that we handed it?
 * Then this one goes there too: handling it here would give the leg's
 * SRTP state a second writer and could reorder its packets. One compare
 * while we have handed nothing over that it has not handled.
 */
static inline bool
fwd_handoff_pending(struct fwd_worker *w, const struct leg *leg)
{
	uint16_t home = leg->home;

	if (likely(home == w->index || w->handoff_seq[home] == w->handoff_seen[home]))
		return false;
	w->handoff_seen[home] = __atomic_load_n(w->handoff_done_by[home], __ATOMIC_ACQUIRE);
	return w->drops.legs[leg->id].last_handoff > w->handoff_seen[home];
}

/*
 * The home worker, for an unlatched leg: may this packet's source try?
 * Yes until one source authenticated; from then on only that one.
 */
static inline bool
fwd_prelatch_source_ok(const struct fwd_worker *w, const struct leg *leg,
		       const struct pkt_info *pi)
{
	const struct leg_lcore *ll = &w->drops.legs[leg->id];

	return ll->prelatch_epoch != leg->epoch || inet_endpoint_equal(&ll->prelatch_src, &pi->src);
}

/*
 * Ask the control lcore to latch leg to pi->src (punts allowing; a full
 * ring loses only the asking: the next packet or check asks again).
 */
static inline void
fwd_latch_ask(struct fwd_worker *w, const struct leg *leg, const struct pkt_info *pi,
	      enum latch_request_kind kind)
{
	struct latch_request req;

	if (w->latch_ring == NULL ||
	    fwd_punt_budget(w, NULL, pi, PUNT_CLASS_OTHER) != DROP_NONE)
		return;
	req = (struct latch_request){
		.local = pi->dst, .remote = pi->src, .leg = leg->id, .epoch = leg->epoch,
		.kind = kind,
	};
	if (rte_ring_sp_enqueue_elem(w->latch_ring, &req, sizeof(req)) == 0)
		w->stats->punted++;
}

/*
 * The home worker: pi->src authenticated first on the unlatched leg. It is
 * the leg's tentative remote here, and the latch is asked for with each of
 * its packets until it is published. The packet goes on from here.
 */
static inline void
fwd_prelatch_claim(struct fwd_worker *w, const struct leg *leg, const struct pkt_info *pi)
{
	struct leg_lcore *ll = &w->drops.legs[leg->id];

	ll->prelatch_src = pi->src;
	ll->prelatch_epoch = leg->epoch;
	fwd_latch_ask(w, leg, pi, LATCH_REQ_MEDIA);
}

/*
 * A learning leg learns only from an RTP/RTCP-shaped packet (version 2, a
 * whole fixed header): a one-byte datagram or a DTLS record is no claim
 * to be the leg's media source.
 */
static inline bool
fwd_learnable(const struct rte_mbuf *m, const struct pkt_info *pi, enum pkt_class cls)
{
	return (cls == PKT_CLASS_RTP || cls == PKT_CLASS_RTCP) &&
	       pi->payload_len >= (cls == PKT_CLASS_RTP ? 12 : 8) &&
	       (*rte_pktmbuf_mtod_offset(m, const uint8_t *, pkt_payload_off(pi)) >> 6) == 2;
}

/* The leg's traffic counters this lcore writes (fast: workers, slow: the control lcore). */
static inline struct leg_traffic *
fwd_traffic(const struct fwd_worker *w, struct leg *leg)
{
	return (struct leg_traffic *)((char *)leg + w->traffic_off);
}

/*
 * Control lcore: latch leg to the packet's source (it authenticated, or
 * the leg forwards what it learns from). False when m was dropped.
 */
static inline bool
fwd_latch_here(struct fwd_worker *w, struct leg *leg, struct rte_mbuf *m,
	       const struct pkt_info *pi)
{
	int ret = w->ctl->latch(w->ctl->latch_arg, leg->id, &pi->src);

	if (ret != 0) {
		drop_pkt(&w->drops, m, leg->id,
			 ret == -ENOSPC ? DROP_NEIGH_TABLE_FULL : DROP_UNLATCHED);
		return false;
	}
	w->stats->latched++;
	return true;
}

/*
 * A tapped leg's packet, copied for lawful interception: e2e RTP/RTCP (and
 * DTLS when the task asks), e2ae clear media. The tap word is read again:
 * the byte that sent us here may be a task's that just stopped.
 */
static inline void
fwd_li_copy(struct fwd_worker *w, const struct leg *leg, const struct rte_mbuf *m,
	    const struct pkt_info *pi, enum pkt_class cls)
{
	uint32_t tap = __atomic_load_n(&leg->li_tap, __ATOMIC_ACQUIRE);
	uint8_t format = LI_FORMAT_RTP;

	if (tap == 0)
		return;
	if (cls == PKT_CLASS_DTLS) {
		if (!(tap & LI_TAP_DTLS))
			return;
		format = LI_FORMAT_PROPRIETARY;
	} else if (cls != PKT_CLASS_RTP && cls != PKT_CLASS_RTCP) {
		return;
	}
	li_tap_copy(&w->li, w->stats, tap, leg->id, m, pkt_payload_off(pi), pi, format,
		    w->burst.now_tsc);
}

#endif /* SRTPFWD_FWD_IO_H */
