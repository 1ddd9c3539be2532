/* SPDX-License-Identifier: BSD-3-Clause */
#include "../fwd/punt.h"
#include "slow_path.h"

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
