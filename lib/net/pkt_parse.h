/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_PKT_PARSE_H
#define SRTPFWD_PKT_PARSE_H

/*
 * Parse one received frame: Ethernet, one optional 802.1Q tag, ARP, IPv4
 * (options allowed), IPv6 (extension headers walked), UDP and ICMPv6.
 * Every malformed case maps to a drop reason; nothing is trusted before
 * it has been bounds-checked against the frame.
 *
 * A frame may be longer than its IP datagram (Ethernet pads short frames
 * to 60 bytes; some senders leave a trailer): lengths come from the IP and
 * UDP headers, and an accepted UDP datagram's mbuf is cut where the
 * datagram ends, so that no later stage sees those bytes.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "inet_addr.h"
#include "inet_cksum.h"
#include "ip_cksum.h"
#include "../stats/drop_reason.h"

enum pkt_kind {
	PKT_KIND_DROP = 0,	/* info->drop says why */
	PKT_KIND_UDP,		/* src/dst endpoints, l4_off, payload_len valid; m trimmed */
	PKT_KIND_ARP,		/* l3_off valid */
	PKT_KIND_ICMP6,		/* src/dst addresses (port 0), l4_off, payload_len valid */
};

#define PKT_UDP_HDR_LEN 8

/* IP protocol numbers (IANA); <netinet/in.h> would bring the socket API along. */
#define PKT_IPPROTO_HOPOPTS 0
#define PKT_IPPROTO_UDP 17
#define PKT_IPPROTO_ROUTING 43
#define PKT_IPPROTO_FRAGMENT 44
#define PKT_IPPROTO_ICMPV6 58
#define PKT_IPPROTO_DSTOPTS 60
#define PKT_MAX_IPV6_EXT_HEADERS 4

struct pkt_info {
	struct inet_endpoint src;	/* the remote: source address and port */
	struct inet_endpoint dst;	/* the local side: flow-table key */
	uint16_t vlan_id;		/* 0 when untagged */
	uint16_t l3_off;
	uint16_t l4_off;
	uint16_t payload_len;		/* UDP payload (ICMPv6: whole message) */
	rte_be16_t udp_cksum;		/* as received; 0 = none (IPv4 only) */
	uint8_t tos;			/* IPv4 TOS / IPv6 traffic class */
	uint8_t l2_multicast;		/* destination MAC is group (incl. broadcast) */
	uint8_t drop;			/* enum drop_reason when PKT_KIND_DROP */
};

static inline uint16_t
pkt_payload_off(const struct pkt_info *pi)
{
	return (uint16_t)(pi->l4_off + PKT_UDP_HDR_LEN);
}

/*
 * Accept the UDP datagram of l4_len bytes at pi->l4_off: its payload length,
 * and m cut to end with it. Whatever follows in the frame (padding to the
 * Ethernet minimum, a trailer) is no part of the datagram, yet every later
 * stage takes the datagram's end from the mbuf: the SRTP engines would
 * authenticate and encrypt it, the output headers would carry it. Cut here,
 * where both parsers accept, and no later stage has to know. The mbuf is
 * one segment (both parsers check): the trim is a couple of stores, taken
 * only by such frames.
 */
static inline void
pkt_udp_accept(struct rte_mbuf *m, struct pkt_info *pi, uint16_t l4_len)
{
	uint32_t end = (uint32_t)pi->l4_off + l4_len;

	pi->payload_len = (uint16_t)(l4_len - PKT_UDP_HDR_LEN);
	if (unlikely(rte_pktmbuf_pkt_len(m) > end))
		(void)rte_pktmbuf_trim(m, (uint16_t)(rte_pktmbuf_pkt_len(m) - end));
}

/*
 * Do not sum the UDP payload in software when the NIC gave no verdict:
 * the checksum is then carried through re-addressing by an RFC 1624
 * update, so a corrupted datagram still arrives with a bad checksum and
 * its receiver drops it (what a NAT does). Hardware verdicts still apply.
 */
#define PKT_PARSE_UDP_CKSUM_PRESERVE (1u << 0)

/*
 * Parse m into pi, every case: the reference the inline fast path below
 * falls back to. Checksums are taken as good or bad from the RX offload
 * flags where the NIC set them and computed in software otherwise.
 * Returns the packet's kind; PKT_KIND_DROP sets pi->drop. PKT_KIND_UDP
 * trims m to the end of the datagram (pkt_udp_accept); nothing else
 * changes m.
 */
enum pkt_kind pkt_parse_full(struct rte_mbuf *m, struct pkt_info *pi, uint32_t flags);

/* pkt_parse_full() without flags. */
enum pkt_kind pkt_parse(struct rte_mbuf *m, struct pkt_info *pi);

/*
 * The UDP checksum of a packet pkt_parse accepted: true when it is absent
 * (IPv4), verified by the NIC, or right when summed now.
 */
bool pkt_udp_cksum_ok(const struct rte_mbuf *m, const struct pkt_info *pi);

/* Ones' complement sum of the UDP pseudo-header and datagram: 0xffff when right. */
static inline uint16_t
pkt_udp_sum(const uint8_t *src, const uint8_t *dst, size_t addr_len,
	    const struct rte_udp_hdr *udp, uint16_t l4_len)
{
	uint64_t sum = inet_sum(src, addr_len, 0);

	sum = inet_sum(dst, addr_len, sum);
	sum += rte_cpu_to_be_16(PKT_IPPROTO_UDP) + rte_cpu_to_be_16(l4_len);
	return inet_sum_fold(inet_sum(udp, l4_len, sum));
}

/* Not 0/8, 127/8, 224/4 nor 240/4 (broadcast included): inet_v4_martian(). */
static inline bool
pkt_ipv4_source_valid(rte_be32_t src)
{
	return inet_v4_martian(src) == INET_ADDR_OK;
}

/*
 * Plain stores, address and the family/port word each in one go: a memset
 * of the 20-byte key compiles to `rep stos`, which costs more than the rest
 * of the IPv4 parse on some CPUs.
 */
static inline void
pkt_endpoint_v4(struct inet_endpoint *ep, rte_be32_t addr, rte_be16_t port)
{
	uint64_t lo = (uint64_t)addr, zero = 0;

	memcpy(ep->addr, &lo, sizeof(lo));
	memcpy(ep->addr + 8, &zero, sizeof(zero));
	ep->family = INET_FAMILY_V4;
	ep->reserved = 0;
	ep->port = port;
}

/*
 * Parse m into pi (PKT_PARSE_* flags): what pkt_parse_full() does, with the
 * frames nearly all traffic is made of, Ethernet (one 802.1Q tag or none),
 * IPv4 without options, unfragmented UDP, a single segment, handled inline
 * in one pass of checks. Anything else, and anything one of those checks
 * refuses, goes to pkt_parse_full(), which decides the drop reason: the two
 * agree on every frame (the unit tests run both).
 */
static inline enum pkt_kind
pkt_parse_flags(struct rte_mbuf *m, struct pkt_info *pi, uint32_t flags)
{
	const uint8_t *frame = rte_pktmbuf_mtod(m, const uint8_t *);
	const uint64_t ol = m->ol_flags;
	const uint64_t ip_flags = ol & RTE_MBUF_F_RX_IP_CKSUM_MASK;
	const uint64_t l4_flags = ol & RTE_MBUF_F_RX_L4_CKSUM_MASK;
	const struct rte_ipv4_hdr *ip;
	const struct rte_udp_hdr *udp;
	uint16_t l3 = RTE_ETHER_HDR_LEN, vlan = 0, total, l4_len;
	rte_be16_t type;

	if (unlikely(m->nb_segs != 1 ||
		     m->data_len < RTE_ETHER_HDR_LEN + sizeof(*ip) + sizeof(*udp)))
		return pkt_parse_full(m, pi, flags);
	memcpy(&type, frame + 2 * RTE_ETHER_ADDR_LEN, sizeof(type));
	if (type == rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN)) {
		rte_be16_t tci;

		if (unlikely(m->data_len < RTE_ETHER_HDR_LEN + 4 + sizeof(*ip) + sizeof(*udp)))
			return pkt_parse_full(m, pi, flags);
		memcpy(&tci, frame + RTE_ETHER_HDR_LEN, sizeof(tci));
		memcpy(&type, frame + RTE_ETHER_HDR_LEN + 2, sizeof(type));
		vlan = rte_be_to_cpu_16(tci) & 0x0fff;
		l3 += 4;
	}
	ip = (const struct rte_ipv4_hdr *)(frame + l3);
	udp = (const struct rte_udp_hdr *)(ip + 1);
	total = rte_be_to_cpu_16(ip->total_length);
	l4_len = (uint16_t)(total - sizeof(*ip));
	if (unlikely(type != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4) ||
		     ip->version_ihl != RTE_IPV4_VHL_DEF ||
		     total < sizeof(*ip) + sizeof(*udp) || (uint32_t)l3 + total > m->data_len ||
		     (ip->fragment_offset &
		      rte_cpu_to_be_16(RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)) ||
		     ip->next_proto_id != PKT_IPPROTO_UDP ||
		     rte_be_to_cpu_16(udp->dgram_len) != l4_len ||
		     !pkt_ipv4_source_valid(ip->src_addr) ||
		     ip_flags == RTE_MBUF_F_RX_IP_CKSUM_BAD ||
		     (ip_flags != RTE_MBUF_F_RX_IP_CKSUM_GOOD && ipv4_hdr20_sum(ip) != 0xffff)))
		return pkt_parse_full(m, pi, flags);
	if (udp->dgram_cksum != 0 && l4_flags != RTE_MBUF_F_RX_L4_CKSUM_GOOD &&
	    (l4_flags == RTE_MBUF_F_RX_L4_CKSUM_BAD ||
	     (!(flags & PKT_PARSE_UDP_CKSUM_PRESERVE) &&
	      pkt_udp_sum((const uint8_t *)&ip->src_addr, (const uint8_t *)&ip->dst_addr, 4, udp,
			  l4_len) != 0xffff)))
		return pkt_parse_full(m, pi, flags);

	pkt_endpoint_v4(&pi->src, ip->src_addr, udp->src_port);
	pkt_endpoint_v4(&pi->dst, ip->dst_addr, udp->dst_port);
	pi->vlan_id = vlan;
	pi->l3_off = l3;
	pi->l4_off = (uint16_t)(l3 + sizeof(*ip));
	pkt_udp_accept(m, pi, l4_len);
	pi->udp_cksum = udp->dgram_cksum;
	pi->tos = ip->type_of_service;
	pi->l2_multicast = frame[0] & 1;
	pi->drop = 0;
	return PKT_KIND_UDP;
}

#endif /* SRTPFWD_PKT_PARSE_H */
