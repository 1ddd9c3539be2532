/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_UDP_REPLY_H
#define SRTPFWD_UDP_REPLY_H

/*
 * Turn a received UDP datagram around in place: the reply leaves to the
 * Ethernet and IP source the request came from, from the address and port
 * it came to, carrying the payload_len bytes the caller wrote at the
 * payload offset. Answering the frame's own source MAC needs no neighbour
 * entry, so an unvalidated source never makes the box resolve or remember
 * anything. Requests with IPv4 options or IPv6 extension headers are not
 * answered: their headers would have to be rebuilt, and no ICE agent sends
 * them.
 */

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "pkt_parse.h"

/* Room for a reply's payload at pi's payload offset in m (one segment). */
static inline uint16_t
udp_reply_room(const struct rte_mbuf *m, const struct pkt_info *pi)
{
	uint32_t room = (uint32_t)m->buf_len - m->data_off - pkt_payload_off(pi);

	return (uint16_t)RTE_MIN(room, (uint32_t)UINT16_MAX);
}

static inline void
udp_reply_swap(void *a, void *b, size_t len)
{
	uint8_t tmp[16];

	memcpy(tmp, a, len);
	memcpy(a, b, len);
	memcpy(b, tmp, len);
}

/* 0, or -ENOTSUP when the request's IP header has options / extension headers. */
static inline int
udp_reply_in_place(struct rte_mbuf *m, const struct pkt_info *pi, uint16_t payload_len,
		   uint8_t ttl)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_udp_hdr *udp = rte_pktmbuf_mtod_offset(m, struct rte_udp_hdr *, pi->l4_off);
	uint16_t l4_len = (uint16_t)(sizeof(*udp) + payload_len);
	uint16_t frame_len = (uint16_t)(pi->l4_off + l4_len);

	if (pi->src.family == INET_FAMILY_V4 ? pi->l4_off - pi->l3_off != 20 :
					       pi->l4_off - pi->l3_off != 40)
		return -ENOTSUP;
	m->data_len = frame_len;
	m->pkt_len = frame_len;
	udp_reply_swap(&eth->src_addr, &eth->dst_addr, RTE_ETHER_ADDR_LEN);
	udp_reply_swap(&udp->src_port, &udp->dst_port, sizeof(udp->src_port));
	udp->dgram_len = rte_cpu_to_be_16(l4_len);
	udp->dgram_cksum = 0;
	if (pi->src.family == INET_FAMILY_V4) {
		struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *,
								  pi->l3_off);

		udp_reply_swap(&ip->src_addr, &ip->dst_addr, sizeof(ip->src_addr));
		ip->total_length = rte_cpu_to_be_16((uint16_t)(sizeof(*ip) + l4_len));
		ip->time_to_live = ttl;
		ip->fragment_offset = 0;
		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
		udp->dgram_cksum = rte_ipv4_udptcp_cksum(ip, udp);
	} else {
		struct rte_ipv6_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv6_hdr *,
								  pi->l3_off);

		udp_reply_swap(ip->src_addr, ip->dst_addr, sizeof(ip->src_addr));
		ip->payload_len = rte_cpu_to_be_16(l4_len);
		ip->hop_limits = ttl;
		udp->dgram_cksum = rte_ipv6_udptcp_cksum(ip, udp);
	}
	m->ol_flags = 0;
	return 0;
}

#endif /* SRTPFWD_UDP_REPLY_H */
