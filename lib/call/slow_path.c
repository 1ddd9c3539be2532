/* SPDX-License-Identifier: BSD-3-Clause */
#include "../fwd/punt.h"
#include "slow_path.h"

/*
 * A media leg's source authenticated on its home worker: latch it. The
 * packet itself went on from there. Several requests can be in flight:
 * the first one latches, and none for an earlier life of the leg slot.
 */
static void
latch_request(struct slow_path *sp, struct rte_mbuf *msg, uint32_t leg_id)
{
	const struct latch_request *req = rte_pktmbuf_mtod(msg, const struct latch_request *);
	const struct leg *leg;
	int ret;

	if (rte_pktmbuf_data_len(msg) != sizeof(*req) || leg_id >= session_max(sp->sessions) * 2) {
		drop_pkt(&sp->drops, msg, DROP_NO_LEG, DROP_STALE_PUNT);
		return;
	}
	leg = &sp->plane->legs[leg_id];
	if (!leg->in_use || leg->epoch != req->epoch ||
	    !inet_endpoint_equal(&leg->local, &req->local)) {
		drop_pkt(&sp->drops, msg, DROP_NO_LEG, DROP_STALE_PUNT);
		return;
	}
	if (leg_path(leg) == NULL) {
		ret = sp->latch(sp->latch_arg, leg_id, &req->remote);
		if (ret == 0)
			sp->drops.lcore->latched++;
		else
			drop_count(&sp->drops, leg_id,
				   ret == -ENOSPC ? DROP_NEIGH_TABLE_FULL : DROP_UNLATCHED);
	}
	rte_pktmbuf_free(msg);
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
	if (pm.reason == PUNT_LATCH_REQUEST) {
		latch_request(sp, m, pm.leg);
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
