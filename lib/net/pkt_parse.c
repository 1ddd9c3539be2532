/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include "inet_cksum.h"
#include "ip_cksum.h"
#include "pkt_parse.h"

#define IPV4_FRAG_MASK (RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)

static inline enum pkt_kind
drop(struct pkt_info *pi, enum drop_reason r)
{
	pi->drop = (uint8_t)r;
	return PKT_KIND_DROP;
}

/* UDP at pi->l4_off, l4_len bytes: lengths, checksum, ports. */
static enum pkt_kind
parse_udp(struct rte_mbuf *m, struct pkt_info *pi, uint16_t l4_len, uint32_t flags)
{
	const struct rte_udp_hdr *udp;
	uint64_t l4_flags = m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK;
	bool ipv4 = pi->src.family == INET_FAMILY_V4;

	if (l4_len < PKT_UDP_HDR_LEN)
		return drop(pi, DROP_UDP_LENGTH);
	if ((uint32_t)pi->l4_off + PKT_UDP_HDR_LEN > rte_pktmbuf_data_len(m))
		return drop(pi, DROP_RUNT);
	udp = rte_pktmbuf_mtod_offset(m, const struct rte_udp_hdr *, pi->l4_off);
	if (rte_be_to_cpu_16(udp->dgram_len) != l4_len)
		return drop(pi, DROP_UDP_LENGTH);
	/* Later stages read and rewrite the payload in place: one segment only. */
	if (m->nb_segs != 1)
		return drop(pi, DROP_MULTI_SEGMENT);

	pi->udp_cksum = udp->dgram_cksum;
	if (udp->dgram_cksum == 0) {
		if (!ipv4)
			return drop(pi, DROP_UDP_ZERO_CHECKSUM);
	} else if (l4_flags == RTE_MBUF_F_RX_L4_CKSUM_BAD) {
		return drop(pi, DROP_UDP_CHECKSUM);
	} else if (l4_flags != RTE_MBUF_F_RX_L4_CKSUM_GOOD && !(flags & PKT_PARSE_UDP_CKSUM_PRESERVE) &&
		   pkt_udp_sum(pi->src.addr, pi->dst.addr, ipv4 ? 4 : 16, udp, l4_len) != 0xffff) {
		return drop(pi, DROP_UDP_CHECKSUM);
	}
	pi->src.port = udp->src_port;
	pi->dst.port = udp->dst_port;
	pkt_udp_accept(m, pi, l4_len);
	return PKT_KIND_UDP;
}

static enum pkt_kind
parse_ipv4(struct rte_mbuf *m, struct pkt_info *pi, uint32_t flags)
{
	const struct rte_ipv4_hdr *ip;
	uint16_t ihl, total;
	uint64_t l3_flags = m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK;

	if ((uint32_t)pi->l3_off + sizeof(*ip) > rte_pktmbuf_data_len(m))
		return drop(pi, DROP_RUNT);
	ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, pi->l3_off);
	ihl = (uint16_t)((ip->version_ihl & 0x0f) * 4);
	if ((ip->version_ihl >> 4) != 4 || ihl < sizeof(*ip))
		return drop(pi, DROP_IPV4_HEADER);
	if ((uint32_t)pi->l3_off + ihl > rte_pktmbuf_data_len(m))
		return drop(pi, DROP_RUNT);
	total = rte_be_to_cpu_16(ip->total_length);
	/* Ethernet may pad short frames: longer (cut on accept), never shorter. */
	if (total < ihl || (uint32_t)pi->l3_off + total > rte_pktmbuf_pkt_len(m))
		return drop(pi, DROP_IPV4_LENGTH);
	if (l3_flags == RTE_MBUF_F_RX_IP_CKSUM_BAD ||
	    (l3_flags != RTE_MBUF_F_RX_IP_CKSUM_GOOD &&
	     (ihl == sizeof(*ip) ? ipv4_hdr20_sum(ip) : rte_raw_cksum(ip, ihl)) != 0xffff))
		return drop(pi, DROP_IPV4_CHECKSUM);
	if (ip->fragment_offset & rte_cpu_to_be_16(IPV4_FRAG_MASK))
		return drop(pi, DROP_IPV4_FRAGMENT);
	if (!pkt_ipv4_source_valid(ip->src_addr))
		return drop(pi, DROP_IPV4_SOURCE);

	/* Ports: parse_udp. */
	pkt_endpoint_v4(&pi->src, ip->src_addr, 0);
	pkt_endpoint_v4(&pi->dst, ip->dst_addr, 0);
	pi->tos = ip->type_of_service;
	pi->l4_off = (uint16_t)(pi->l3_off + ihl);
	if (ip->next_proto_id != PKT_IPPROTO_UDP)
		return drop(pi, DROP_L4_PROTO);
	return parse_udp(m, pi, (uint16_t)(total - ihl), flags);
}

static enum pkt_kind
parse_ipv6(struct rte_mbuf *m, struct pkt_info *pi, uint32_t flags)
{
	const struct rte_ipv6_hdr *ip;
	const uint8_t *ext;
	uint32_t off, end;
	uint8_t next;
	unsigned int n;

	if ((uint32_t)pi->l3_off + sizeof(*ip) > rte_pktmbuf_data_len(m))
		return drop(pi, DROP_RUNT);
	ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv6_hdr *, pi->l3_off);
	if ((rte_be_to_cpu_32(ip->vtc_flow) >> 28) != 6)
		return drop(pi, DROP_IPV6_HEADER);
	end = pi->l3_off + (uint32_t)sizeof(*ip) + rte_be_to_cpu_16(ip->payload_len);
	/* Payload length 0 would mean a jumbogram: never media. */
	if (ip->payload_len == 0 || end > rte_pktmbuf_pkt_len(m))
		return drop(pi, DROP_IPV6_LENGTH);

	memcpy(pi->src.addr, ip->src_addr, 16);
	memcpy(pi->dst.addr, ip->dst_addr, 16);
	pi->src.family = INET_FAMILY_V6;
	pi->dst.family = INET_FAMILY_V6;
	pi->src.reserved = 0;
	pi->dst.reserved = 0;
	pi->src.port = 0;
	pi->dst.port = 0;
	pi->tos = (uint8_t)(rte_be_to_cpu_32(ip->vtc_flow) >> 20);

	off = pi->l3_off + (uint32_t)sizeof(*ip);
	next = ip->proto;
	for (n = 0;; n++) {
		if (next == PKT_IPPROTO_UDP || next == PKT_IPPROTO_ICMPV6)
			break;
		if (next == PKT_IPPROTO_FRAGMENT)
			return drop(pi, DROP_IPV6_FRAGMENT);
		if (next != PKT_IPPROTO_HOPOPTS && next != PKT_IPPROTO_DSTOPTS &&
		    next != PKT_IPPROTO_ROUTING)
			return drop(pi, DROP_L4_PROTO);
		/* Hop-by-hop is only valid first (RFC 8200 §4.1); chains stay short. */
		if (n >= PKT_MAX_IPV6_EXT_HEADERS || (next == PKT_IPPROTO_HOPOPTS && n != 0))
			return drop(pi, DROP_IPV6_EXT_HEADER);
		if (off + 8 > end || off + 8 > rte_pktmbuf_data_len(m))
			return drop(pi, DROP_IPV6_EXT_HEADER);
		ext = rte_pktmbuf_mtod_offset(m, const uint8_t *, off);
		/* A routing header with segments left would make us a router. */
		if (next == PKT_IPPROTO_ROUTING && ext[3] != 0)
			return drop(pi, DROP_IPV6_EXT_HEADER);
		next = ext[0];
		off += ((uint32_t)ext[1] + 1) * 8;
		if (off > end)
			return drop(pi, DROP_IPV6_EXT_HEADER);
	}
	pi->l4_off = (uint16_t)off;
	if (next == PKT_IPPROTO_ICMPV6) {
		/* Neighbour discovery is sourced from :: during DAD: checked by its handler. */
		if (ip->src_addr[0] == 0xff)
			return drop(pi, DROP_IPV6_SOURCE);
		pi->payload_len = (uint16_t)(end - off);
		return PKT_KIND_ICMP6;
	}
	if (inet_v6_martian(ip->src_addr) != INET_ADDR_OK)
		return drop(pi, DROP_IPV6_SOURCE);
	return parse_udp(m, pi, (uint16_t)(end - off), flags);
}

enum pkt_kind
pkt_parse_full(struct rte_mbuf *m, struct pkt_info *pi, uint32_t flags)
{
	const struct rte_ether_hdr *eth;
	uint16_t type;

	pi->vlan_id = 0;
	pi->drop = 0;
	pi->payload_len = 0;
	if (rte_pktmbuf_data_len(m) < sizeof(*eth))
		return drop(pi, DROP_RUNT);
	eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	pi->l2_multicast = rte_is_multicast_ether_addr(&eth->dst_addr);
	type = eth->ether_type;
	pi->l3_off = sizeof(*eth);
	if (type == rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN)) {
		const struct rte_vlan_hdr *vlan;

		if (rte_pktmbuf_data_len(m) < sizeof(*eth) + sizeof(*vlan))
			return drop(pi, DROP_RUNT);
		vlan = rte_pktmbuf_mtod_offset(m, const struct rte_vlan_hdr *, sizeof(*eth));
		pi->vlan_id = rte_be_to_cpu_16(vlan->vlan_tci) & 0x0fff;
		type = vlan->eth_proto;
		pi->l3_off = sizeof(*eth) + sizeof(*vlan);
	}
	if (type == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4))
		return parse_ipv4(m, pi, flags);
	if (type == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6))
		return parse_ipv6(m, pi, flags);
	if (type == rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP))
		return PKT_KIND_ARP;
	return drop(pi, DROP_ETHERTYPE);
}

enum pkt_kind
pkt_parse(struct rte_mbuf *m, struct pkt_info *pi)
{
	return pkt_parse_full(m, pi, 0);
}

bool
pkt_udp_cksum_ok(const struct rte_mbuf *m, const struct pkt_info *pi)
{
	uint64_t l4_flags = m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK;
	const struct rte_udp_hdr *udp;

	if (pi->udp_cksum == 0 || l4_flags == RTE_MBUF_F_RX_L4_CKSUM_GOOD)
		return true;
	if (l4_flags == RTE_MBUF_F_RX_L4_CKSUM_BAD)
		return false;
	udp = rte_pktmbuf_mtod_offset(m, const struct rte_udp_hdr *, pi->l4_off);
	return pkt_udp_sum(pi->src.addr, pi->dst.addr, pi->src.family == INET_FAMILY_V4 ? 4 : 16,
			   udp, (uint16_t)(pi->payload_len + PKT_UDP_HDR_LEN)) == 0xffff;
}
