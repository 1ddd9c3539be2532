/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "udp_frame.h"

/* One's-complement sum of a byte range, folded later. */
static uint32_t
sum16(const uint8_t *b, size_t len, uint32_t sum)
{
	for (; len > 1; len -= 2, b += 2)
		sum += (uint32_t)b[0] << 8 | b[1];
	if (len)
		sum += (uint32_t)b[0] << 8;
	return sum;
}

static uint16_t
fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

size_t
udp_frame_finish(uint8_t *pkt, const struct udp_frame_hdr *h, size_t payload_len)
{
	size_t l3 = h->v6 ? UDP_FRAME_IP6_HLEN : UDP_FRAME_IP4_HLEN;
	size_t udp_len = UDP_FRAME_UDP_HLEN + payload_len;
	uint8_t *ip = pkt + UDP_FRAME_ETH_HLEN, *udp = ip + l3;
	uint32_t sum;
	uint16_t c;

	memcpy(pkt, h->dmac, 6);
	memcpy(pkt + 6, h->smac, 6);
	udp_frame_put16(pkt + 12, h->v6 ? 0x86dd : 0x0800);
	udp_frame_put16(udp, h->sport);
	udp_frame_put16(udp + 2, h->dport);
	udp_frame_put16(udp + 4, (uint16_t)udp_len);
	udp_frame_put16(udp + 6, 0);
	if (!h->v6) {
		ip[0] = 0x45;
		ip[1] = h->dscp_ecn;
		udp_frame_put16(ip + 2, (uint16_t)(UDP_FRAME_IP4_HLEN + udp_len));
		udp_frame_put16(ip + 4, h->ip_id);
		udp_frame_put16(ip + 6, 0x4000); /* DF */
		ip[8] = 64;
		ip[9] = 17;
		udp_frame_put16(ip + 10, 0);
		memcpy(ip + 12, &h->src4, 4);
		memcpy(ip + 16, &h->dst4, 4);
		udp_frame_put16(ip + 10, fold(sum16(ip, UDP_FRAME_IP4_HLEN, 0)));
		sum = sum16(ip + 12, 8, 0) + 17 + (uint32_t)udp_len;
	} else {
		udp_frame_put32(ip, 0x60000000u | (uint32_t)h->dscp_ecn << 20);
		udp_frame_put16(ip + 4, (uint16_t)udp_len);
		ip[6] = 17;
		ip[7] = 64;
		memcpy(ip + 8, &h->src6, 16);
		memcpy(ip + 24, &h->dst6, 16);
		sum = sum16(ip + 8, 32, 0) + 17 + (uint32_t)udp_len;
	}
	c = fold(sum16(udp, udp_len, sum));
	udp_frame_put16(udp + 6, c == 0 ? 0xffff : c);
	return UDP_FRAME_ETH_HLEN + l3 + udp_len;
}
