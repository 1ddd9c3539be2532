/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>

#include "arp.h"

int
arp_parse(const struct rte_mbuf *m, uint16_t l3_off, struct arp_info *a)
{
	const struct rte_arp_hdr *arp;

	if ((uint32_t)l3_off + sizeof(*arp) > rte_pktmbuf_data_len(m))
		return -EINVAL;
	arp = rte_pktmbuf_mtod_offset(m, const struct rte_arp_hdr *, l3_off);
	if (arp->arp_hardware != rte_cpu_to_be_16(RTE_ARP_HRD_ETHER) ||
	    arp->arp_protocol != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4) ||
	    arp->arp_hlen != RTE_ETHER_ADDR_LEN || arp->arp_plen != 4)
		return -EINVAL;
	a->op = rte_be_to_cpu_16(arp->arp_opcode);
	if (a->op != RTE_ARP_OP_REQUEST && a->op != RTE_ARP_OP_REPLY)
		return -EINVAL;
	rte_ether_addr_copy(&arp->arp_data.arp_sha, &a->sha);
	memset(&a->spa, 0, sizeof(a->spa));
	memset(&a->tpa, 0, sizeof(a->tpa));
	memcpy(a->spa.bytes, &arp->arp_data.arp_sip, 4);
	memcpy(a->tpa.bytes, &arp->arp_data.arp_tip, 4);
	a->spa.family = INET_FAMILY_V4;
	a->tpa.family = INET_FAMILY_V4;
	/* A sender must be a unicast host. */
	if (!rte_is_unicast_ether_addr(&a->sha) || rte_is_zero_ether_addr(&a->sha))
		return -EINVAL;
	return 0;
}

int
arp_build(struct rte_mbuf *m, uint16_t op, uint16_t vlan_id, const struct rte_ether_addr *sha,
	  const struct inet_addr *spa, const struct rte_ether_addr *tha,
	  const struct inet_addr *tpa)
{
	uint16_t l2 = (uint16_t)(RTE_ETHER_HDR_LEN + (vlan_id ? 4 : 0));
	struct rte_ether_hdr *eth;
	struct rte_arp_hdr *arp;

	eth = (struct rte_ether_hdr *)rte_pktmbuf_append(m, (uint16_t)(l2 + sizeof(*arp)));
	if (eth == NULL)
		return -ENOSPC;
	if (op == RTE_ARP_OP_REQUEST)
		memset(&eth->dst_addr, 0xff, RTE_ETHER_ADDR_LEN);
	else
		rte_ether_addr_copy(tha, &eth->dst_addr);
	rte_ether_addr_copy(sha, &eth->src_addr);
	if (vlan_id != 0) {
		struct rte_vlan_hdr *vlan = (struct rte_vlan_hdr *)(eth + 1);

		eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN);
		vlan->vlan_tci = rte_cpu_to_be_16(vlan_id);
		vlan->eth_proto = rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP);
	} else {
		eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP);
	}
	arp = rte_pktmbuf_mtod_offset(m, struct rte_arp_hdr *, l2);
	arp->arp_hardware = rte_cpu_to_be_16(RTE_ARP_HRD_ETHER);
	arp->arp_protocol = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	arp->arp_hlen = RTE_ETHER_ADDR_LEN;
	arp->arp_plen = 4;
	arp->arp_opcode = rte_cpu_to_be_16(op);
	rte_ether_addr_copy(sha, &arp->arp_data.arp_sha);
	memcpy(&arp->arp_data.arp_sip, spa->bytes, 4);
	if (op == RTE_ARP_OP_REQUEST)
		memset(&arp->arp_data.arp_tha, 0, RTE_ETHER_ADDR_LEN);
	else
		rte_ether_addr_copy(tha, &arp->arp_data.arp_tha);
	memcpy(&arp->arp_data.arp_tip, tpa->bytes, 4);
	return 0;
}
