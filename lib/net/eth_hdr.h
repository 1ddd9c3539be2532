/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_ETH_HDR_H
#define SRTPFWD_ETH_HDR_H

/* Writing an Ethernet header, with one 802.1Q tag when vlan_id is not 0. */

#include <stdint.h>

#include <rte_ether.h>

static inline uint16_t
eth_hdr_len(uint16_t vlan_id)
{
	return (uint16_t)(RTE_ETHER_HDR_LEN + (vlan_id ? sizeof(struct rte_vlan_hdr) : 0));
}

/* Write the header at frame; returns where the L3 header goes. */
static inline void *
eth_hdr_write(void *frame, const struct rte_ether_addr *dst, const struct rte_ether_addr *src,
	      uint16_t vlan_id, uint16_t ether_type)
{
	struct rte_ether_hdr *eth = frame;

	rte_ether_addr_copy(dst, &eth->dst_addr);
	rte_ether_addr_copy(src, &eth->src_addr);
	if (vlan_id == 0) {
		eth->ether_type = rte_cpu_to_be_16(ether_type);
		return eth + 1;
	}
	struct rte_vlan_hdr *vlan = (struct rte_vlan_hdr *)(eth + 1);

	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN);
	vlan->vlan_tci = rte_cpu_to_be_16(vlan_id);
	vlan->eth_proto = rte_cpu_to_be_16(ether_type);
	return vlan + 1;
}

#endif /* SRTPFWD_ETH_HDR_H */
