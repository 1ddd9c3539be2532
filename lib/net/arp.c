/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>

#include "arp.h"
#include "eth_hdr.h"

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
	static const struct rte_ether_addr broadcast = {
		.addr_bytes = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } };
	uint16_t l2 = eth_hdr_len(vlan_id);
	struct rte_arp_hdr *arp;
	void *frame;

	frame = rte_pktmbuf_append(m, (uint16_t)(l2 + sizeof(*arp)));
	if (frame == NULL)
		return -ENOSPC;
	arp = eth_hdr_write(frame, op == RTE_ARP_OP_REQUEST ? &broadcast : tha, sha, vlan_id,
			    RTE_ETHER_TYPE_ARP);
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
