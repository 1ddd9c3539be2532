/* SPDX-License-Identifier: BSD-3-Clause */
#include <rte_ring_elem.h>

#include "../fwd/punt.h"
#include "slow_path.h"

/*
 * A media leg's source authenticated on its home worker: latch it. The
 * packet itself went on from there. Several requests can be in flight:
 * the first one latches, and none for an earlier life of the leg slot.
 */
static void
latch_request(struct slow_path *sp, const struct latch_request *req)
{
	const struct leg *leg;
	int ret;

	if (req->leg >= session_max(sp->sessions) * 2)
		return;
	leg = &sp->plane->legs[req->leg];
	/* An ICE leg moves only with its nominations, and only they latch it. */
	if (req->kind == LATCH_REQ_ICE || leg->latch == LATCH_ICE) {
		if (req->kind == LATCH_REQ_ICE && sp->ice != NULL && leg->in_use &&
		    inet_endpoint_equal(&leg->local, &req->local))
			ice_legs_nominated(sp->ice, req->leg, req->epoch, &req->remote);
		return;
	}
	if (!leg->in_use || leg->epoch != req->epoch ||
	    !inet_endpoint_equal(&leg->local, &req->local) || leg_path(leg) != NULL)
		return;
	ret = sp->latch(sp->latch_arg, req->leg, &req->remote);
	if (ret == 0)
		sp->drops.lcore->latched++;
	else
		drop_count(&sp->drops, req->leg,
			   ret == -ENOSPC ? DROP_NEIGH_TABLE_FULL : DROP_UNLATCHED);
}

unsigned int
slow_path_latch_requests(struct slow_path *sp, struct rte_ring *ring)
{
	struct latch_request req[16];
	unsigned int n = rte_ring_sc_dequeue_burst_elem(ring, req, sizeof(req[0]), RTE_DIM(req),
							 NULL);

	for (unsigned int i = 0; i < n; i++)
		latch_request(sp, &req[i]);
	return n;
}

void
slow_path_input(struct slow_path *sp, struct rte_mbuf *m)
{
	struct punt_meta pm = *punt_meta(m, sp->plane->punt_meta_offset);
	struct pkt_info pi;
	enum pkt_kind kind;

	/*
	 * The stages parse, look up and count it again: the leg may have
	 * changed (or been latched by an earlier packet) since it was punted.
	 */
	if (pm.reason == PUNT_LATCH) {
		fwd_worker_rx(sp->fwd, m->port, &m, 1);
		return;
	}
	sp->drops.lcore->rx_pkts++;
	sp->drops.lcore->rx_bytes += rte_pktmbuf_pkt_len(m);
	/* Parsed again: the worker's parse results did not travel with the mbuf. */
	kind = pkt_parse_flags(m, &pi, sp->plane->parse_flags);
	if (kind == PKT_KIND_DROP || pm.iface >= sp->plane->n_ifaces) {
		drop_pkt(&sp->drops, m, DROP_NO_LEG, DROP_STALE_PUNT);
		return;
	}
	switch (pm.reason) {
	case PUNT_ARP:
		if (kind == PKT_KIND_ARP) {
			neigh_resolver_arp_input(sp->resolver, pm.iface, m, &pi);
			return;
		}
		break;
	case PUNT_ICMP6:
		if (kind == PKT_KIND_ICMP6) {
			neigh_resolver_icmp6_input(sp->resolver, pm.iface, m, &pi);
			return;
		}
		break;
	case PUNT_DTLS:
		if (kind == PKT_KIND_UDP && sp->dtls != NULL) {
			dtls_legs_input(sp->dtls, m, &pi, pm.leg);
			return;
		}
		break;
	}
	drop_pkt(&sp->drops, m, DROP_NO_LEG, DROP_STALE_PUNT);
}

void
slow_path_flush(struct slow_path *sp)
{
	fwd_worker_flush(sp->fwd);
}
