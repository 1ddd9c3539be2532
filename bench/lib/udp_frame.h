/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_BENCH_UDP_FRAME_H
#define SRTPFWD_BENCH_UDP_FRAME_H

/*
 * Ethernet/IPv4 or IPv6/UDP frames for the benchmarks' capture generators
 * (srtpfwd-gen-flows, srtpfwd-gen-ice): the caller writes the UDP payload at
 * udp_frame_payload_off(), then udp_frame_finish() puts the headers in front
 * of it with correct checksums.
 */
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#define UDP_FRAME_ETH_HLEN 14
#define UDP_FRAME_IP4_HLEN 20
#define UDP_FRAME_IP6_HLEN 40
#define UDP_FRAME_UDP_HLEN 8

struct udp_frame_hdr {
	int v6;
	uint8_t dmac[6], smac[6];
	struct in_addr src4, dst4;	/* !v6 */
	struct in6_addr src6, dst6;	/* v6 */
	uint16_t sport, dport;		/* host order */
	uint16_t ip_id;			/* IPv4 identification */
	uint8_t dscp_ecn;		/* IPv4 TOS / IPv6 traffic class */
};

static inline void
udp_frame_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
udp_frame_put32(uint8_t *p, uint32_t v)
{
	udp_frame_put16(p, (uint16_t)(v >> 16));
	udp_frame_put16(p + 2, (uint16_t)v);
}

/* Where the UDP payload of a frame starts. */
static inline size_t
udp_frame_payload_off(int v6)
{
	return UDP_FRAME_ETH_HLEN + (v6 ? UDP_FRAME_IP6_HLEN : UDP_FRAME_IP4_HLEN) +
	       UDP_FRAME_UDP_HLEN;
}

/* Headers for the payload_len bytes already at pkt + udp_frame_payload_off(); the frame's length. */
size_t udp_frame_finish(uint8_t *pkt, const struct udp_frame_hdr *h, size_t payload_len);

#endif /* SRTPFWD_BENCH_UDP_FRAME_H */
