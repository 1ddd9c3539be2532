/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_NEIGH_RESOLVER_H
#define SRTPFWD_NEIGH_RESOLVER_H

/*
 * ARP and IPv6 ND on the control lcore: answer for the box's own addresses,
 * learn next-hop MACs from replies, probe unresolved next hops and refresh
 * resolved ones. Replies are never larger than the request they answer.
 */

#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "../iface/iface.h"
#include "../net/pkt_parse.h"
#include "../stats/drop.h"
#include "neigh_table.h"

struct neigh_resolver {
	struct neigh_table *table;
	const struct iface *ifaces;
	uint16_t n_ifaces;
	struct rte_mempool *pool;
	struct lcore_stats *stats;	/* the control lcore's block */
	struct drop_counters drops;	/* its drops (none per leg) */
	/* Send m on port; consumes m. Returns 0 or -errno. */
	int (*tx)(void *arg, uint16_t port, struct rte_mbuf *m);
	void *tx_arg;
	uint64_t retry_tsc;		/* before the second probe of an unresolved entry, doubling */
	uint64_t refresh_tsc;		/* between refreshes of a resolved (or failed) entry */
	uint64_t idle_tsc;		/* an unpinned resolved entry lives this long */
	uint8_t max_probes;		/* unanswered ones before FAILED (or STALE) */
};

/*
 * Timers: the defaults, then neigh_resolver_set_limits(). An unresolved
 * entry gets max_probes probes, 1 s, 2 s, 4 s ... apart, then is given up
 * (FAILED, counted): freed when nobody pins it, else probed once per
 * refresh period until it answers.
 */
void neigh_resolver_init(struct neigh_resolver *r, struct neigh_table *table,
			 const struct iface *ifaces, uint16_t n_ifaces, struct rte_mempool *pool,
			 struct lcore_stats *stats,
			 int (*tx)(void *arg, uint16_t port, struct rte_mbuf *m), void *tx_arg);

/* Idle time of unpinned resolved entries (s, 0: default) and probes before giving up (0: default). */
void neigh_resolver_set_limits(struct neigh_resolver *r, uint32_t idle_s, uint8_t max_probes);

/* An ARP packet received on iface (parsed as pi). Consumes m. */
void neigh_resolver_arp_input(struct neigh_resolver *r, uint16_t iface, struct rte_mbuf *m,
			      const struct pkt_info *pi);
/* An ICMPv6 packet received on iface (parsed as pi). Consumes m. */
void neigh_resolver_icmp6_input(struct neigh_resolver *r, uint16_t iface, struct rte_mbuf *m,
				const struct pkt_info *pi);

/* Send one ARP request / NS for n now (counted in n->probes) and schedule the next. */
void neigh_resolver_probe(struct neigh_resolver *r, struct neigh_entry *n);

/* Re-probe what is due, give up and expire what is; call often (a walk over the table). */
void neigh_resolver_timer(struct neigh_resolver *r, uint64_t now_tsc);

#endif /* SRTPFWD_NEIGH_RESOLVER_H */
