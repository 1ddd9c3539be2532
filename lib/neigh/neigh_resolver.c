/* SPDX-License-Identifier: BSD-3-Clause */
#include <rte_cycles.h>

#include "../net/arp.h"
#include "../net/nd.h"
#include "neigh_resolver.h"

#define RETRY_SECONDS 1
#define REFRESH_SECONDS 60
#define IDLE_SECONDS 300
#define MAX_PROBES 3

void
neigh_resolver_init(struct neigh_resolver *r, struct neigh_table *table,
		    const struct iface *ifaces, uint16_t n_ifaces, struct rte_mempool *pool,
		    struct lcore_stats *stats,
		    int (*tx)(void *arg, uint16_t port, struct rte_mbuf *m), void *tx_arg)
{
	memset(r, 0, sizeof(*r));
	r->table = table;
	r->ifaces = ifaces;
	r->n_ifaces = n_ifaces;
	r->pool = pool;
	r->stats = stats;
	r->drops = (struct drop_counters){ .lcore = stats };
	r->tx = tx;
	r->tx_arg = tx_arg;
	r->retry_tsc = rte_get_tsc_hz() * RETRY_SECONDS;
	r->refresh_tsc = rte_get_tsc_hz() * REFRESH_SECONDS;
	r->idle_tsc = rte_get_tsc_hz() * IDLE_SECONDS;
	r->max_probes = MAX_PROBES;
}

void
neigh_resolver_set_limits(struct neigh_resolver *r, uint32_t idle_s, uint8_t max_probes)
{
	r->idle_tsc = rte_get_tsc_hz() * (idle_s != 0 ? idle_s : IDLE_SECONDS);
	r->max_probes = max_probes != 0 ? max_probes : MAX_PROBES;
}

static void
resolver_send(struct neigh_resolver *r, const struct iface *ifc, struct rte_mbuf *m)
{
	if (r->tx(r->tx_arg, ifc->port_id, m) == 0) {
		r->stats->tx_pkts++;
		r->stats->tx_bytes += rte_pktmbuf_pkt_len(m);
	} else {
		drop_count(&r->drops, DROP_NO_LEG, DROP_TX_FULL);
	}
}

void
neigh_resolver_arp_input(struct neigh_resolver *r, uint16_t iface, struct rte_mbuf *m,
			 const struct pkt_info *pi)
{
	const struct iface *ifc = &r->ifaces[iface];
	struct arp_info a;
	struct rte_mbuf *reply;

	if (arp_parse(m, pi->l3_off, &a) != 0) {
		drop_pkt(&r->drops, m, DROP_NO_LEG, DROP_ARP_INVALID);
		return;
	}
	/* Any ARP from a host we are resolving tells us its MAC. */
	neigh_learn(r->table, iface, &a.spa, &a.sha, rte_get_tsc_cycles());
	if (a.op != RTE_ARP_OP_REQUEST || !iface_owns_addr(ifc, &a.tpa)) {
		rte_pktmbuf_free(m);
		if (a.op == RTE_ARP_OP_REQUEST)
			drop_count(&r->drops, DROP_NO_LEG, DROP_ARP_INVALID);	/* not for us */
		return;
	}
	rte_pktmbuf_free(m);
	reply = rte_pktmbuf_alloc(r->pool);
	if (reply == NULL) {
		drop_count(&r->drops, DROP_NO_LEG, DROP_NO_MBUF);
		return;
	}
	if (arp_build(reply, RTE_ARP_OP_REPLY, ifc->vlan_id, &ifc->mac, &a.tpa, &a.sha,
		      &a.spa) != 0) {
		drop_pkt(&r->drops, reply, DROP_NO_LEG, DROP_NO_MBUF);
		return;
	}
	resolver_send(r, ifc, reply);
}

void
neigh_resolver_icmp6_input(struct neigh_resolver *r, uint16_t iface, struct rte_mbuf *m,
			   const struct pkt_info *pi)
{
	static const uint8_t unspecified[16];
	const struct iface *ifc = &r->ifaces[iface];
	struct rte_ether_addr dst_mac;
	struct rte_mbuf *reply;
	struct nd_info nd;
	int ret;

	ret = nd_parse(m, pi, &nd);
	if (ret != 0) {
		drop_pkt(&r->drops, m, DROP_NO_LEG, ret == -ENOTSUP ? DROP_ICMP6_OTHER : DROP_ND_INVALID);
		return;
	}
	if (nd.type == ND_TYPE_NA) {
		if (nd.has_lladdr)
			neigh_learn(r->table, iface, &nd.target, &nd.lladdr, rte_get_tsc_cycles());
		rte_pktmbuf_free(m);
		return;
	}
	/* NS: answer only for our own addresses; DAD probes (from ::) stay silent. */
	if (!iface_owns_addr(ifc, &nd.target) || memcmp(nd.src.bytes, unspecified, 16) == 0) {
		drop_pkt(&r->drops, m, DROP_NO_LEG, DROP_ND_INVALID);
		return;
	}
	if (nd.has_lladdr) {
		neigh_learn(r->table, iface, &nd.src, &nd.lladdr, rte_get_tsc_cycles());
		dst_mac = nd.lladdr;
	} else {
		rte_ether_addr_copy(&rte_pktmbuf_mtod(m, struct rte_ether_hdr *)->src_addr,
				    &dst_mac);
	}
	rte_pktmbuf_free(m);
	reply = rte_pktmbuf_alloc(r->pool);
	if (reply == NULL) {
		drop_count(&r->drops, DROP_NO_LEG, DROP_NO_MBUF);
		return;
	}
	if (nd_build_na(reply, ifc->vlan_id, &ifc->mac, &dst_mac, &nd.target, &nd.src,
			ND_NA_FLAG_SOLICITED | ND_NA_FLAG_OVERRIDE) != 0) {
		drop_pkt(&r->drops, reply, DROP_NO_LEG, DROP_NO_MBUF);
		return;
	}
	resolver_send(r, ifc, reply);
}

/* Probe n, the next one scheduled from now. */
static void
probe_at(struct neigh_resolver *r, struct neigh_entry *n, uint64_t now_tsc)
{
	const struct iface *ifc = &r->ifaces[n->iface];
	const struct inet_addr *src = iface_addr(ifc, n->ip.family, 0);
	struct rte_ether_addr bcast;
	struct rte_mbuf *m;
	int ret;

	/* Unresolved: 1, 2, 4 ... retry periods apart (the shift is bounded by max_probes). */
	if (n->probes < UINT8_MAX)
		n->probes++;
	n->next_probe_tsc = now_tsc +
			    (n->state == NEIGH_INCOMPLETE ?
			     r->retry_tsc << RTE_MIN(n->probes - 1, 16) : r->refresh_tsc);
	if (src == NULL)
		return;
	m = rte_pktmbuf_alloc(r->pool);
	if (m == NULL) {
		drop_count(&r->drops, DROP_NO_LEG, DROP_NO_MBUF);
		return;
	}
	memset(&bcast, 0xff, sizeof(bcast));
	if (n->ip.family == INET_FAMILY_V4)
		ret = arp_build(m, RTE_ARP_OP_REQUEST, ifc->vlan_id, &ifc->mac, src, &bcast,
				&n->ip);
	else
		ret = nd_build_ns(m, ifc->vlan_id, &ifc->mac, src, &n->ip);
	if (ret != 0) {
		drop_pkt(&r->drops, m, DROP_NO_LEG, DROP_NO_MBUF);
		return;
	}
	resolver_send(r, ifc, m);
}

void
neigh_resolver_probe(struct neigh_resolver *r, struct neigh_entry *n)
{
	probe_at(r, n, rte_get_tsc_cycles());
}

/*
 * What is due for n now: expire it (unpinned and idle), give up on it
 * (unresolved, probes spent), or probe it.
 */
static void
entry_due(struct neigh_resolver *r, struct neigh_entry *n, uint64_t now_tsc)
{
	/* Nobody pins it: it goes once idle long enough, or unanswered. */
	if (n->refs == 0 && (now_tsc - n->idle_tsc >= r->idle_tsc ||
			     (n->state == NEIGH_STALE && now_tsc >= n->next_probe_tsc))) {
		neigh_expire(r->table, n);
		return;
	}
	if (now_tsc < n->next_probe_tsc)
		return;
	if (n->state == NEIGH_INCOMPLETE && n->probes >= r->max_probes) {
		neigh_failed(r->table, n);
		if (!neigh_expire(r->table, n)) {
			n->probes = 0;
			n->next_probe_tsc = now_tsc + r->refresh_tsc;
		}
		return;
	}
	/*
	 * A resolved entry keeps its MAC when refreshes go unanswered
	 * (STALE): media keeps flowing to the last known next hop.
	 */
	if (n->state == NEIGH_REACHABLE && n->probes >= r->max_probes)
		n->state = NEIGH_STALE;
	probe_at(r, n, now_tsc);
}

void
neigh_resolver_timer(struct neigh_resolver *r, uint64_t now_tsc)
{
	uint32_t slots = neigh_slots(r->table);

	for (uint32_t i = 0; i < slots; i++) {
		struct neigh_entry *n = neigh_at(r->table, i);

		if (n != NULL && n->state != NEIGH_STATIC)
			entry_due(r, n, now_tsc);
	}
}
