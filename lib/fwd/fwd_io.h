/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_FWD_IO_H
#define SRTPFWD_FWD_IO_H

/*
 * What the stages send on: the per-port TX buffers and the punt ring to
 * the control lcore (token bucket, sequence numbers). Worker-private.
 */

#include <rte_cycles.h>
#include <rte_ethdev.h>

#include "fwd_worker.h"
#include "punt.h"

void fwd_flush_port(struct fwd_worker *w, uint16_t port);

static inline void
fwd_tx(struct fwd_worker *w, uint16_t port, struct rte_mbuf *m)
{
	struct fwd_txbuf *b = &w->tx[port];

	b->pkts[b->n++] = m;
	w->tx_pending |= 1ULL << port;
	if (unlikely(b->n == FWD_BURST_MAX))
		fwd_flush_port(w, port);
}

static inline bool
fwd_punt_allowed(struct fwd_worker *w)
{
	if (w->punt_tokens == 0) {
		uint64_t now = rte_get_tsc_cycles();
		uint64_t earned = (now - w->punt_last_tsc) / w->punt_tsc_per_token;

		if (earned == 0)
			return false;
		w->punt_tokens = RTE_MIN(earned, w->punt_burst);
		w->punt_last_tsc = now;
	}
	w->punt_tokens--;
	return true;
}

/*
 * Hand m to the control lcore (the control lcore's own instance has no
 * ring: what it would punt is stale). DROP_NONE when it went.
 */
static inline enum drop_reason
fwd_punt(struct fwd_worker *w, struct rte_mbuf *m, uint16_t iface, uint32_t leg_id,
	 enum punt_reason why)
{
	struct punt_meta *pm;
	enum drop_reason d = DROP_NONE;

	if (unlikely(w->punt_ring == NULL))
		d = DROP_STALE_PUNT;
	else if (!fwd_punt_allowed(w))
		d = DROP_PUNT_RATE;
	if (d != DROP_NONE) {
		drop_pkt(&w->drops, m, leg_id, d);
		return d;
	}
	pm = punt_meta(m, w->plane->punt_meta_offset);
	pm->leg = leg_id;
	pm->iface = iface;
	pm->reason = (uint8_t)why;
	pm->reserved = 0;
	if (rte_ring_sp_enqueue(w->punt_ring, m) != 0) {
		drop_pkt(&w->drops, m, leg_id, DROP_PUNT_RING_FULL);
		return DROP_PUNT_RING_FULL;
	}
	w->punt_seq++;
	w->stats->punted++;
	return DROP_NONE;
}

/*
 * A learning leg's packet for the control lcore, which latches the leg.
 * Until it has handled this one, the leg's later packets are not ours.
 */
static inline void
fwd_punt_for_latch(struct fwd_worker *w, struct rte_mbuf *m, uint16_t iface, uint32_t leg_id)
{
	if (fwd_punt(w, m, iface, leg_id, PUNT_LATCH) == DROP_NONE)
		w->drops.legs[leg_id].last_latch_punt = w->punt_seq;
}

/*
 * Is a packet of leg_id the control lcore's still? Yes while it has not
 * handled every packet of the leg we punted for latching: handling this one
 * here could reorder the leg's packets and would give its SRTP state a
 * second writer. Costs one compare while nothing is outstanding.
 */
static inline bool
fwd_latch_pending(const struct fwd_worker *w, uint32_t leg_id)
{
	return unlikely(w->punt_seq != w->burst.punt_done) &&
	       w->drops.legs[leg_id].last_latch_punt > w->burst.punt_done;
}

/* The leg's traffic counters this lcore writes. */
static inline struct leg_traffic *
fwd_traffic(const struct fwd_worker *w, struct leg *leg)
{
	return w->ctl == NULL ? &leg->counters.fast : &leg->counters.slow;
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

#endif /* SRTPFWD_FWD_IO_H */
