/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_PKT_PARSE_H
#define SRTPFWD_PKT_PARSE_H

/*
 * Parse one received frame: Ethernet, one optional 802.1Q tag, ARP, IPv4
 * (options allowed), IPv6 (extension headers walked), UDP and ICMPv6.
 * Every malformed case maps to a drop reason; nothing is trusted before
 * it has been bounds-checked against the frame.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "inet_addr.h"
#include "../stats/drop_reason.h"

enum pkt_kind {
	PKT_KIND_DROP = 0,	/* info->drop says why */
	PKT_KIND_UDP,		/* src/dst endpoints, l4_off, payload_len valid */
	PKT_KIND_ARP,		/* l3_off valid */
	PKT_KIND_ICMP6,		/* src/dst addresses (port 0), l4_off, payload_len valid */
};

#define PKT_UDP_HDR_LEN 8
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
 * Parse m into pi. Checksums are taken as good or bad from the RX offload
 * flags where the NIC set them and computed in software otherwise.
 * Returns the packet's kind; PKT_KIND_DROP sets pi->drop.
 */
enum pkt_kind pkt_parse(const struct rte_mbuf *m, struct pkt_info *pi);

/*
 * Do not sum the UDP payload in software when the NIC gave no verdict:
 * the checksum is then carried through re-addressing by an RFC 1624
 * update, so a corrupted datagram still arrives with a bad checksum and
 * its receiver drops it (what a NAT does). Hardware verdicts still apply.
 */
#define PKT_PARSE_UDP_CKSUM_PRESERVE (1u << 0)

/*
 * The UDP checksum of a packet pkt_parse accepted: true when it is absent
 * (IPv4), verified by the NIC, or right when summed now.
 */
bool pkt_udp_cksum_ok(const struct rte_mbuf *m, const struct pkt_info *pi);

/* pkt_parse with PKT_PARSE_* flags. */
enum pkt_kind pkt_parse_flags(const struct rte_mbuf *m, struct pkt_info *pi, uint32_t flags);

#endif /* SRTPFWD_PKT_PARSE_H */
