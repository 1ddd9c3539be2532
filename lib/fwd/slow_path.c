/* SPDX-License-Identifier: BSD-3-Clause */
#include "fwd_to_peer.h"
#include "punt.h"
#include "slow_path.h"

static void
drop(struct slow_path *sp, struct rte_mbuf *m, enum drop_reason r)
{
	sp->stats->drops[r]++;
	rte_pktmbuf_free(m);
}

/*
 * First packet of a learning leg. The worker saw no path; by now another
 * punted packet may have latched the leg, or the session may be gone.
 */
static void
latch_input(struct slow_path *sp, struct rte_mbuf *m, const struct pkt_info *pi, uint32_t leg_id)
{
	struct leg *leg = &sp->plane->legs[leg_id];
	const struct leg_path *path;
	enum drop_reason r;
	uint16_t port;
	int ret;

	if (!leg->in_use || !inet_endpoint_equal(&leg->local, &pi->dst)) {
		drop(sp, m, DROP_STALE_PUNT);
		return;
	}
	path = leg_path(leg);
	if (path == NULL) {
		ret = session_leg_set_remote(sp->sessions, leg_id, &pi->src);
		if (ret != 0) {
			leg_count_drop(leg, LEG_DROP_UNLATCHED);
			drop(sp, m, ret == -ENOSPC ? DROP_NEIGH_TABLE_FULL : DROP_UNLATCHED);
			return;
		}
		sp->stats->latched++;
		path = leg_path(leg);
	} else if (!inet_endpoint_equal(&path->remote, &pi->src)) {
		leg_count_drop(leg, LEG_DROP_SOURCE_MISMATCH);
		drop(sp, m, DROP_SOURCE_MISMATCH);
		return;
	}
	/* The worker owns the leg's other counters: count in our own fields. */
	leg->counters.slow_rx_pkts++;
	leg->counters.slow_rx_bytes += pi->payload_len;
	leg->counters.slow_class_pkts[rfc7983_classify(
		rte_pktmbuf_mtod_offset(m, const uint8_t *, pkt_payload_off(pi)),
		pi->payload_len)]++;
	r = fwd_to_peer(sp->plane, leg, path, m, pi, &port);
	if (r != DROP_REASON_MAX) {
		enum leg_drop ld = leg_drop_of(r);

		if (ld != LEG_DROP_MAX)
			leg_count_drop(leg, ld);
		drop(sp, m, r);
		return;
	}
	leg->counters.slow_fwd_pkts++;
	leg->counters.slow_fwd_bytes += pi->payload_len;
	sp->stats->tx_bytes += rte_pktmbuf_pkt_len(m);
	if (sp->tx(sp->tx_arg, port, m) == 0)
		sp->stats->tx_pkts++;
	else
		sp->stats->drops[DROP_TX_FULL]++;
}

/* A media leg's authenticated source, to latch. The packet itself went on. */
static void
latch_request(struct slow_path *sp, struct rte_mbuf *msg, uint32_t leg_id)
{
	const struct latch_request *req = rte_pktmbuf_mtod(msg, const struct latch_request *);
	struct leg *leg;
	int ret;

	if (rte_pktmbuf_data_len(msg) != sizeof(*req) || leg_id >= session_max(sp->sessions) * 2) {
		drop(sp, msg, DROP_STALE_PUNT);
		return;
	}
	leg = &sp->plane->legs[leg_id];
	if (!leg->in_use || !inet_endpoint_equal(&leg->local, &req->local)) {
		drop(sp, msg, DROP_STALE_PUNT);
		return;
	}
	/* Several requests can be in flight: the first one latches. */
	if (leg_path(leg) == NULL) {
		ret = session_leg_set_remote(sp->sessions, leg_id, &req->remote);
		if (ret == 0)
			sp->stats->latched++;
		else
			sp->stats->drops[ret == -ENOSPC ? DROP_NEIGH_TABLE_FULL : DROP_UNLATCHED]++;
	}
	rte_pktmbuf_free(msg);
}

void
slow_path_input(struct slow_path *sp, struct rte_mbuf *m)
{
	struct punt_meta pm = *punt_meta(m, sp->plane->punt_meta_offset);
	struct pkt_info pi;
	enum pkt_kind kind;

	if (pm.reason == PUNT_LATCH_REQUEST) {
		latch_request(sp, m, pm.leg);
		return;
	}

	sp->stats->rx_pkts++;
	sp->stats->rx_bytes += rte_pktmbuf_pkt_len(m);
	/* Parsed again: the worker's parse results did not travel with the mbuf. */
	kind = pkt_parse_flags(m, &pi, sp->plane->parse_flags);
	if (kind == PKT_KIND_DROP || pm.iface >= sp->plane->n_ifaces) {
		drop(sp, m, DROP_STALE_PUNT);
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
	case PUNT_LATCH:
		if (kind == PKT_KIND_UDP && pm.leg < session_max(sp->sessions) * 2) {
			latch_input(sp, m, &pi, pm.leg);
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
	drop(sp, m, DROP_STALE_PUNT);
}
