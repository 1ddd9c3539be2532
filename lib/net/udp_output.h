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

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_mbuf.h>

#include "eth_hdr.h"
#include "inet_addr.h"

struct udp_output {
	struct rte_ether_addr src_mac;
	struct rte_ether_addr dst_mac;
	uint16_t vlan_id;		/* 0: untagged */
	uint8_t ttl;			/* IPv4 TTL or IPv6 hop limit */
	uint8_t tos;			/* IPv4 TOS or IPv6 traffic class */
	uint8_t payload_rewritten;	/* SRTP (un)protected it: sum the payload anew */
	const struct inet_endpoint *src;	/* the box's leg */
	const struct inet_endpoint *dst;	/* the remote; same family as src */
};

/* Ethernet + 802.1Q + IPv6 + UDP, rounded up. */
#define UDP_TEMPLATE_MAX 72

struct udp_template {
	uint8_t len;			/* header bytes in hdr */
	uint8_t l3_off;			/* IP header offset in hdr */
	uint8_t family;
	uint32_t ip_sum;		/* IPv4: header words but TOS, length, checksum */
	uint32_t addr_sum;		/* addresses (pseudo-header), folded */
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

/*
 * Rewrite m, whose UDP payload of payload_len bytes starts at payload_off and
 * which arrived from in_src to in_dst with UDP checksum in_cksum, to leave
 * with template t towards dst_mac.
 *
 * The new UDP checksum is derived from in_cksum in constant time (RFC 1624
 * incremental update over the changed addresses and ports), so a datagram
 * that arrived with a valid checksum leaves with a valid one without reading
 * the payload. in_cksum 0 (IPv4 "no checksum") stays 0 towards IPv4 and is
 * computed over the payload towards IPv6, where it is mandatory. With
 * payload_rewritten the checksum is computed over the new payload instead.
 *
 * Returns 0, or -ENOSPC when the mbuf lacks headroom for bigger headers.
 */
int udp_template_write(struct rte_mbuf *m, uint16_t payload_off, uint16_t payload_len,
		       const struct inet_endpoint *in_src, const struct inet_endpoint *in_dst,
		       rte_be16_t in_cksum, const struct udp_template *t,
		       const struct rte_ether_addr *dst_mac, uint8_t tos, bool payload_rewritten);

/* udp_template_init + udp_template_write, for one-off packets. */
int udp_output_write(struct rte_mbuf *m, uint16_t payload_off, uint16_t payload_len,
		     const struct inet_endpoint *in_src, const struct inet_endpoint *in_dst,
		     rte_be16_t in_cksum, const struct udp_output *out);

#endif /* SRTPFWD_UDP_OUTPUT_H */
