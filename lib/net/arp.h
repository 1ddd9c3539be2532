/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_ARP_H
#define SRTPFWD_ARP_H

/* ARP for IPv4 over Ethernet (RFC 826): parse, and build requests/replies. */

#include <stdint.h>

#include <rte_arp.h>
#include <rte_ether.h>
#include <rte_mbuf.h>

#include "inet_addr.h"

struct arp_info {
	uint16_t op;			/* RTE_ARP_OP_REQUEST or RTE_ARP_OP_REPLY */
	struct rte_ether_addr sha;	/* sender hardware address */
	struct inet_addr spa;		/* sender IPv4 address */
	struct inet_addr tpa;		/* target IPv4 address */
};

/* Parse the ARP packet at l3_off. 0, or -EINVAL when it is not Ethernet/IPv4 ARP. */
int arp_parse(const struct rte_mbuf *m, uint16_t l3_off, struct arp_info *a);

/*
 * Write an ARP packet into the empty mbuf m: Ethernet (+VLAN) header, then
 * op with sender (sha, spa) and target (tha, tpa). A request goes to the
 * broadcast MAC, a reply to tha. Returns 0 or -ENOSPC.
 */
int arp_build(struct rte_mbuf *m, uint16_t op, uint16_t vlan_id,
	      const struct rte_ether_addr *sha, const struct inet_addr *spa,
	      const struct rte_ether_addr *tha, const struct inet_addr *tpa);

#endif /* SRTPFWD_ARP_H */
