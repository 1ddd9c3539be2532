/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_UDP_OUTPUT_H
#define SRTPFWD_UDP_OUTPUT_H

/*
 * Re-address a received UDP datagram: the payload stays where it is in the
 * mbuf, new Ethernet (+802.1Q), IPv4 or IPv6 and UDP headers are written in
 * front of it. srtpfwd terminates the UDP flow like a B2BUA, so the packet
 * leaves with the box's own TTL / hop limit; the DSCP/ECN byte is kept.
 */

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

/* Header bytes written for this output shape. */
static inline uint16_t
udp_output_hdr_len(uint16_t vlan_id, uint8_t family)
{
	return (uint16_t)(eth_hdr_len(vlan_id) + (family == INET_FAMILY_V4 ? 20 : 40) + 8);
}

/*
 * Rewrite m, whose UDP payload of payload_len bytes starts at payload_off and
 * which arrived from in_src to in_dst with UDP checksum in_cksum.
 *
 * The new UDP checksum is derived from in_cksum in constant time (RFC 1624
 * incremental update over the changed addresses and ports), so a datagram
 * that arrived with a valid checksum leaves with a valid one without reading
 * the payload. in_cksum 0 (IPv4 "no checksum") stays 0 towards IPv4 and is
 * computed over the payload towards IPv6, where it is mandatory.
 *
 * When out->payload_rewritten is set the checksum is computed over the new
 * payload instead (in_cksum is ignored).
 *
 * Returns 0, or -ENOSPC when the mbuf lacks headroom for bigger headers.
 */
int udp_output_write(struct rte_mbuf *m, uint16_t payload_off, uint16_t payload_len,
		     const struct inet_endpoint *in_src, const struct inet_endpoint *in_dst,
		     rte_be16_t in_cksum, const struct udp_output *out);

#endif /* SRTPFWD_UDP_OUTPUT_H */
