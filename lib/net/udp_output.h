/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_UDP_OUTPUT_H
#define SRTPFWD_UDP_OUTPUT_H

/*
 * Re-address a received UDP datagram: the payload stays where it is in the
 * mbuf, new Ethernet (+802.1Q), IPv4 or IPv6 and UDP headers are written in
 * front of it. srtpfwd terminates the UDP flow like a B2BUA, so the packet
 * leaves with the box's own TTL / hop limit; the DSCP/ECN byte is kept.
 *
 * What does not change from packet to packet (MACs but the destination,
 * VLAN, addresses, ports, TTL and their checksum sums) is prepared once in a
 * struct udp_template; per packet only lengths, TOS, the destination MAC and
 * checksums are patched into a copy of it.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "eth_hdr.h"
#include "inet_addr.h"

struct udp_output {
	struct rte_ether_addr src_mac;
	struct rte_ether_addr dst_mac;
	uint16_t vlan_id;		/* 0: untagged */
	uint8_t ttl;			/* IPv4 TTL or IPv6 hop limit */
	uint8_t tos;			/* IPv4 TOS or IPv6 traffic class */
	uint8_t payload_rewritten;	/* SRTP (un)protected it: sum the payload anew */
	uint8_t tx_cksum_offload;	/* the port sums UDP checksums on transmit */
	const struct inet_endpoint *src;	/* the box's leg */
	const struct inet_endpoint *dst;	/* the remote; same family as src */
};

/* Ethernet + 802.1Q + IPv6 + UDP, rounded up. */
#define UDP_TEMPLATE_MAX 72

struct udp_template {
	uint8_t len;			/* header bytes in hdr */
	uint8_t l3_off;			/* IP header offset in hdr */
	uint8_t family;
	uint8_t tx_cksum_offload;	/* udp_output's */
	uint32_t addr_sum;		/* addresses (pseudo-header), folded */
	uint32_t ip_sum;		/* IPv4: header words but TOS, length, checksum */
	uint32_t ep_sum;		/* addresses and ports, folded (RFC 1624 update) */
	uint8_t hdr[UDP_TEMPLATE_MAX];	/* destination MAC left zero */
};

/* Header bytes written for this output shape. */
static inline uint16_t
udp_output_hdr_len(uint16_t vlan_id, uint8_t family)
{
	return (uint16_t)(eth_hdr_len(vlan_id) + (family == INET_FAMILY_V4 ? 20 : 40) + 8);
}

/* Prepare t from o (o->dst_mac, tos and payload_rewritten are per packet). */
void udp_template_init(struct udp_template *t, const struct udp_output *o);

/* Fold a sum of 16-bit words below 2^32 to 16 bits (not complemented). */
static inline uint32_t
udp_fold32(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	return (sum & 0xffff) + (sum >> 16);
}

/*
 * The folded ones' complement sum (native-endian words, like rte_raw_cksum)
 * of what a UDP datagram from src to dst puts in its checksum besides
 * lengths, protocol and payload: both addresses and both ports. A leg's
 * path keeps it for the datagrams it accepts, so forwarding one needs no
 * per-packet address sums.
 */
uint32_t udp_endpoints_sum(const struct inet_endpoint *src, const struct inet_endpoint *dst);

/*
 * The checksum of the l4_len-byte datagram at udp (l4_len >= 8), summed in
 * full over the pseudo-header and the datagram, for a header whose ports
 * are those of ep_sum (udp_endpoints_sum()), whose length is l4_len and
 * whose checksum field counts as zero: only the payload is read. Never 0
 * (RFC 768: 0 is sent as 0xffff).
 */
rte_be16_t udp_cksum_compute(uint32_t ep_sum, const struct rte_udp_hdr *udp, uint16_t l4_len);

/*
 * The pseudo-header's sum (addresses folded in addr_sum, protocol, length),
 * folded, not complemented: what a device summing UDP on transmit expects
 * in the checksum field (as rte_ipv4_phdr_cksum() gives).
 */
static inline rte_be16_t
udp_pseudo_sum(uint32_t addr_sum, uint16_t l4_len)
{
	return (rte_be16_t)udp_fold32(addr_sum + rte_cpu_to_be_16(IPPROTO_UDP) +
				      rte_cpu_to_be_16(l4_len));
}

/*
 * RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'). The pseudo-header's protocol and
 * length words contribute the same to IPv4 and IPv6 sums, so only addresses
 * and ports change, even across families.
 */
static inline rte_be16_t
udp_cksum_update(rte_be16_t old, uint32_t in_sum, uint32_t out_sum)
{
	uint16_t res = (uint16_t)~udp_fold32((uint32_t)(uint16_t)~old + (uint16_t)~in_sum +
					     out_sum);

	/* 0 means "no checksum" on the wire: send its ones' complement twin. */
	return res == 0 ? 0xffff : res;
}

/*
 * Rewrite m, a single-segment mbuf whose UDP payload of payload_len bytes
 * starts at payload_off and which arrived with UDP checksum in_cksum from
 * the endpoints whose udp_endpoints_sum() is in_sum, to leave with template
 * t towards dst_mac.
 *
 * The new UDP checksum is derived from in_cksum in constant time (RFC 1624
 * incremental update over the changed addresses and ports), so a datagram
 * that arrived with a valid checksum leaves with a valid one without reading
 * the payload. in_cksum 0 (IPv4 "no checksum") stays 0 towards IPv4 and is
 * computed over the payload towards IPv6, where it is mandatory. With
 * payload_rewritten the checksum is computed over the new payload instead.
 *
 * Returns 0, or -ENOSPC when the mbuf lacks headroom for bigger headers.
 * Inline: it is most of what a worker does to a forwarded packet.
 */
static inline int
udp_template_write(struct rte_mbuf *m, uint16_t payload_off, uint16_t payload_len,
		   uint32_t in_sum, rte_be16_t in_cksum, const struct udp_template *t,
		   const struct rte_ether_addr *dst_mac, uint8_t tos, bool payload_rewritten)
{
	uint16_t l4_len = (uint16_t)(payload_len + sizeof(struct rte_udp_hdr));
	struct rte_udp_hdr *udp;
	uint8_t *h, *ip;

	/*
	 * The headers end where the payload starts; whatever follows the
	 * datagram (Ethernet padding) is cut. One segment: no chain to walk.
	 */
	if (unlikely((uint32_t)m->data_off + payload_off < t->len))
		return -ENOSPC;
	m->data_off = (uint16_t)(m->data_off + payload_off - t->len);
	m->data_len = (uint16_t)(t->len + payload_len);
	m->pkt_len = m->data_len;

	h = rte_pktmbuf_mtod(m, uint8_t *);
	/* Every shape is 42..66 bytes: overlapping fixed-size copies. */
	RTE_BUILD_BUG_ON(RTE_ETHER_HDR_LEN + sizeof(struct rte_ipv4_hdr) + 8 < 32);
	RTE_BUILD_BUG_ON(UDP_TEMPLATE_MAX > 96);
	memcpy(h, t->hdr, 32);
	if (t->len > 64)
		memcpy(h + 32, t->hdr + 32, 32);
	memcpy(h + t->len - 32, t->hdr + t->len - 32, 32);
	memcpy(h, dst_mac, RTE_ETHER_ADDR_LEN);
	ip = h + t->l3_off;
	if (t->family == INET_FAMILY_V4) {
		struct rte_ipv4_hdr *ip4 = (struct rte_ipv4_hdr *)ip;
		uint16_t total = (uint16_t)(l4_len + sizeof(*ip4));

		ip4->type_of_service = tos;
		ip4->total_length = rte_cpu_to_be_16(total);
		ip4->hdr_checksum =
			rte_cpu_to_be_16((uint16_t)~udp_fold32(t->ip_sum + tos + total));
		udp = (struct rte_udp_hdr *)(ip4 + 1);
	} else {
		struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)ip;

		ip6->vtc_flow = rte_cpu_to_be_32((6u << 28) | ((uint32_t)tos << 20));
		ip6->payload_len = rte_cpu_to_be_16(l4_len);
		udp = (struct rte_udp_hdr *)(ip6 + 1);
	}
	udp->dgram_len = rte_cpu_to_be_16(l4_len);
	m->ol_flags &= ~(RTE_MBUF_F_TX_OFFLOAD_MASK);
	if (likely(!payload_rewritten && in_cksum != 0)) {
		udp->dgram_cksum = udp_cksum_update(in_cksum, in_sum, t->ep_sum);
	} else if (payload_rewritten || t->family == INET_FAMILY_V6) {
		if (t->tx_cksum_offload) {
			/* The device sums the datagram onto the pseudo-header's sum. */
			udp->dgram_cksum = udp_pseudo_sum(t->addr_sum, l4_len);
			m->l2_len = t->l3_off;
			m->l3_len = (uint16_t)((uint8_t *)udp - ip);
			m->ol_flags |= RTE_MBUF_F_TX_UDP_CKSUM |
				       (t->family == INET_FAMILY_V4 ? RTE_MBUF_F_TX_IPV4 :
								      RTE_MBUF_F_TX_IPV6);
		} else {
			udp->dgram_cksum = udp_cksum_compute(t->ep_sum, udp, l4_len);
		}
	} else {
		udp->dgram_cksum = 0;
	}
	return 0;
}

/* udp_template_init + udp_template_write, for one-off packets. */
int udp_output_write(struct rte_mbuf *m, uint16_t payload_off, uint16_t payload_len,
		     const struct inet_endpoint *in_src, const struct inet_endpoint *in_dst,
		     rte_be16_t in_cksum, const struct udp_output *out);

#endif /* SRTPFWD_UDP_OUTPUT_H */
