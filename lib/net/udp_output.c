/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>

#include <rte_ip.h>
#include <rte_udp.h>

#include "eth_hdr.h"
#include "udp_output.h"

#define IPPROTO_UDP_ 17
#define IPV4_DF rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG)

static inline size_t
addr_len(uint8_t family)
{
	return family == INET_FAMILY_V4 ? 4 : 16;
}

/*
 * Unreduced ones' complement sum (native-endian 16-bit words, like
 * rte_raw_cksum) of an endpoint's address and port: fixed-size loads
 * instead of the generic byte loop.
 */
static inline uint32_t
endpoint_sum(const struct inet_endpoint *ep)
{
	uint64_t lo, hi = 0, sum;

	memcpy(&lo, ep->addr, sizeof(lo));
	if (ep->family == INET_FAMILY_V4)
		lo &= 0xffffffff;
	else
		memcpy(&hi, ep->addr + 8, sizeof(hi));
	/* Four 16-bit words per 64-bit half, summed without carries lost. */
	sum = (lo & 0xffffffff) + (lo >> 32) + (hi & 0xffffffff) + (hi >> 32);
	sum = (sum & 0xffffffff) + (sum >> 32);
	return (uint32_t)((sum & 0xffff) + (sum >> 16)) + ep->port;
}

/* Unreduced ones' complement sum of the fields a re-addressing changes. */
static inline uint32_t
endpoints_sum(const struct inet_endpoint *src, const struct inet_endpoint *dst)
{
	return endpoint_sum(src) + endpoint_sum(dst);
}

/*
 * RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'). The pseudo-header's protocol and
 * length words contribute the same to IPv4 and IPv6 sums, so only addresses
 * and ports change, even across families.
 */
static inline rte_be16_t
udp_cksum_update(rte_be16_t old, const struct inet_endpoint *in_src,
		 const struct inet_endpoint *in_dst, const struct inet_endpoint *out_src,
		 const struct inet_endpoint *out_dst)
{
	uint32_t sum = (uint16_t)~old;
	uint16_t res;

	sum += (uint16_t)~__rte_raw_cksum_reduce(endpoints_sum(in_src, in_dst));
	sum += __rte_raw_cksum_reduce(endpoints_sum(out_src, out_dst));
	res = (uint16_t)~__rte_raw_cksum_reduce(sum);
	/* 0 means "no checksum" on the wire: send its ones' complement twin. */
	return res == 0 ? 0xffff : res;
}

static inline rte_be16_t
udp_cksum_full(const struct inet_endpoint *src, const struct inet_endpoint *dst,
	       const struct rte_udp_hdr *udp, uint16_t l4_len)
{
	uint32_t sum = __rte_raw_cksum(src->addr, addr_len(src->family), 0);
	uint16_t res;

	sum = __rte_raw_cksum(dst->addr, addr_len(dst->family), sum);
	sum += rte_cpu_to_be_16(IPPROTO_UDP_) + rte_cpu_to_be_16(l4_len);
	sum = __rte_raw_cksum(udp, l4_len, sum);
	res = (uint16_t)~__rte_raw_cksum_reduce(sum);
	return res == 0 ? 0xffff : res;
}

int
udp_output_write(struct rte_mbuf *m, uint16_t payload_off, uint16_t payload_len,
		 const struct inet_endpoint *in_src, const struct inet_endpoint *in_dst,
		 rte_be16_t in_cksum, const struct udp_output *out)
{
	uint16_t hdr_len = udp_output_hdr_len(out->vlan_id, out->src->family);
	uint16_t l4_len = (uint16_t)(payload_len + sizeof(struct rte_udp_hdr));
	uint32_t frame_len = (uint32_t)hdr_len + payload_len;
	struct rte_udp_hdr *udp;
	uint8_t *p;

	if (payload_off >= hdr_len) {
		rte_pktmbuf_adj(m, (uint16_t)(payload_off - hdr_len));
	} else if (rte_pktmbuf_prepend(m, (uint16_t)(hdr_len - payload_off)) == NULL) {
		return -ENOSPC;
	}
	/* Drop Ethernet padding and anything after the datagram. */
	if (rte_pktmbuf_pkt_len(m) > frame_len)
		rte_pktmbuf_trim(m, (uint16_t)(rte_pktmbuf_pkt_len(m) - frame_len));

	p = eth_hdr_write(rte_pktmbuf_mtod(m, void *), &out->dst_mac, &out->src_mac, out->vlan_id,
			  out->src->family == INET_FAMILY_V4 ? RTE_ETHER_TYPE_IPV4 :
							       RTE_ETHER_TYPE_IPV6);

	if (out->src->family == INET_FAMILY_V4) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)p;
		uint16_t total = (uint16_t)(l4_len + sizeof(*ip));
		uint32_t src, dst, sum;

		/*
		 * The checksum is summed from values in registers (host-order
		 * 16-bit words of the header): reading the header back right
		 * after writing it stalls on store forwarding.
		 */
		memcpy(&src, out->src->addr, 4);
		memcpy(&dst, out->dst->addr, 4);
		sum = (0x4500u | out->tos) + total + RTE_IPV4_HDR_DF_FLAG +
		      ((uint32_t)out->ttl << 8 | IPPROTO_UDP_);
		sum += (rte_be_to_cpu_32(src) >> 16) + (rte_be_to_cpu_32(src) & 0xffff);
		sum += (rte_be_to_cpu_32(dst) >> 16) + (rte_be_to_cpu_32(dst) & 0xffff);
		sum = (sum & 0xffff) + (sum >> 16);
		sum = (sum & 0xffff) + (sum >> 16);

		ip->version_ihl = RTE_IPV4_VHL_DEF;
		ip->type_of_service = out->tos;
		ip->total_length = rte_cpu_to_be_16(total);
		/* Atomic datagram (DF set): the ID carries no meaning (RFC 6864). */
		ip->packet_id = 0;
		ip->fragment_offset = IPV4_DF;
		ip->time_to_live = out->ttl;
		ip->next_proto_id = IPPROTO_UDP_;
		ip->hdr_checksum = rte_cpu_to_be_16((uint16_t)~sum);
		ip->src_addr = src;
		ip->dst_addr = dst;
		p += sizeof(*ip);
	} else {
		struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)p;

		ip->vtc_flow = rte_cpu_to_be_32((6u << 28) | ((uint32_t)out->tos << 20));
		ip->payload_len = rte_cpu_to_be_16(l4_len);
		ip->proto = IPPROTO_UDP_;
		ip->hop_limits = out->ttl;
		memcpy(ip->src_addr, out->src->addr, 16);
		memcpy(ip->dst_addr, out->dst->addr, 16);
		p += sizeof(*ip);
	}

	udp = (struct rte_udp_hdr *)p;
	udp->src_port = out->src->port;
	udp->dst_port = out->dst->port;
	udp->dgram_len = rte_cpu_to_be_16(l4_len);
	if (out->payload_rewritten) {
		udp->dgram_cksum = 0;
		udp->dgram_cksum = udp_cksum_full(out->src, out->dst, udp, l4_len);
	} else if (in_cksum != 0) {
		udp->dgram_cksum = udp_cksum_update(in_cksum, in_src, in_dst, out->src, out->dst);
	} else if (out->src->family == INET_FAMILY_V4) {
		udp->dgram_cksum = 0;
	} else {
		udp->dgram_cksum = 0;
		udp->dgram_cksum = udp_cksum_full(out->src, out->dst, udp, l4_len);
	}
	m->ol_flags &= ~(RTE_MBUF_F_TX_OFFLOAD_MASK);
	return 0;
}
