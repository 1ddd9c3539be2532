/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_ETH_HDR_H
#define SRTPFWD_ETH_HDR_H

/* Writing an Ethernet header, with one 802.1Q tag when vlan_id is not 0. */

#include <stdint.h>
#include <string.h>

#include <rte_ether.h>

static inline uint16_t
eth_hdr_len(uint16_t vlan_id)
{
	return (uint16_t)(RTE_ETHER_HDR_LEN + (vlan_id ? sizeof(struct rte_vlan_hdr) : 0));
}

/*
 * Write the header at frame; returns where the L3 header goes. Byte copies
 * only: frame may sit at any address (a header is built wherever a caller's
 * buffer leaves room).
 */
static inline void *
eth_hdr_write(void *frame, const struct rte_ether_addr *dst, const struct rte_ether_addr *src,
	      uint16_t vlan_id, uint16_t ether_type)
{
	uint8_t *p = frame;
	rte_be16_t w;

	memcpy(p, dst, RTE_ETHER_ADDR_LEN);
	memcpy(p + RTE_ETHER_ADDR_LEN, src, RTE_ETHER_ADDR_LEN);
	p += 2 * RTE_ETHER_ADDR_LEN;
	if (vlan_id != 0) {
		w = rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN);
		memcpy(p, &w, sizeof(w));
		w = rte_cpu_to_be_16(vlan_id);
		memcpy(p + 2, &w, sizeof(w));
		p += 4;
	}
	w = rte_cpu_to_be_16(ether_type);
	memcpy(p, &w, sizeof(w));
	return p + 2;
}

#endif /* SRTPFWD_ETH_HDR_H */
