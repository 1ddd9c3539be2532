/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>

#include <rte_ip.h>
#include <rte_udp.h>

#include "inet_cksum.h"
#include "udp_output.h"

#define IPPROTO_UDP_ 17
#define IPV4_HDR_LEN 20
#define IPV6_HDR_LEN 40

static inline uint32_t
fold(uint64_t sum)
{
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint32_t)((sum & 0xffff) + (sum >> 16));
}

/*
 * Ones' complement sum (native-endian 16-bit words, like rte_raw_cksum) of
 * an endpoint's address: fixed-size loads instead of the generic byte loop.
 */
static inline uint32_t
addr_sum(const struct inet_endpoint *ep)
{
	uint64_t lo, hi = 0;

	memcpy(&lo, ep->addr, sizeof(lo));
	if (ep->family == INET_FAMILY_V4)
		lo &= 0xffffffff;
	else
		memcpy(&hi, ep->addr + 8, sizeof(hi));
	return fold((lo & 0xffffffff) + (lo >> 32) + (hi & 0xffffffff) + (hi >> 32));
}

/* Addresses and ports of a datagram from src to dst, folded. */
static inline uint32_t
endpoints_sum(const struct inet_endpoint *src, const struct inet_endpoint *dst)
{
	return fold((uint64_t)addr_sum(src) + addr_sum(dst) + src->port + dst->port);
}

void
udp_template_init(struct udp_template *t, const struct udp_output *o)
{
	static const struct rte_ether_addr zero_mac;
	uint8_t *p;

	memset(t, 0, sizeof(*t));
	t->family = o->src->family;
	t->len = (uint8_t)udp_output_hdr_len(o->vlan_id, t->family);
	p = eth_hdr_write(t->hdr, &zero_mac, &o->src_mac, o->vlan_id,
			  t->family == INET_FAMILY_V4 ? RTE_ETHER_TYPE_IPV4 : RTE_ETHER_TYPE_IPV6);
	t->l3_off = (uint8_t)(p - t->hdr);
	if (t->family == INET_FAMILY_V4) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)p;
		uint32_t src, dst;

		ip->version_ihl = RTE_IPV4_VHL_DEF;
		/* Atomic datagram (DF set): the ID carries no meaning (RFC 6864). */
		ip->fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG);
		ip->time_to_live = o->ttl;
		ip->next_proto_id = IPPROTO_UDP_;
		memcpy(&ip->src_addr, o->src->addr, 4);
		memcpy(&ip->dst_addr, o->dst->addr, 4);
		/* Host-order words: TOS and total length are added per packet. */
		src = rte_be_to_cpu_32(ip->src_addr);
		dst = rte_be_to_cpu_32(ip->dst_addr);
		t->ip_sum = 0x4500u + RTE_IPV4_HDR_DF_FLAG + ((uint32_t)o->ttl << 8 | IPPROTO_UDP_) +
			    (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff);
		p += IPV4_HDR_LEN;
	} else {
		struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)p;

		ip->vtc_flow = rte_cpu_to_be_32(6u << 28);
		ip->proto = IPPROTO_UDP_;
		ip->hop_limits = o->ttl;
		memcpy(ip->src_addr, o->src->addr, 16);
		memcpy(ip->dst_addr, o->dst->addr, 16);
		p += IPV6_HDR_LEN;
	}
	((struct rte_udp_hdr *)p)->src_port = o->src->port;
	((struct rte_udp_hdr *)p)->dst_port = o->dst->port;
	t->addr_sum = fold((uint64_t)addr_sum(o->src) + addr_sum(o->dst));
	t->ep_sum = endpoints_sum(o->src, o->dst);
}

/*
 * RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'). The pseudo-header's protocol and
 * length words contribute the same to IPv4 and IPv6 sums, so only addresses
 * and ports change, even across families.
 */
static inline rte_be16_t
udp_cksum_update(rte_be16_t old, uint32_t in_sum, uint32_t out_sum)
{
	uint16_t res = (uint16_t)~fold((uint64_t)(uint16_t)~old + (uint16_t)~in_sum + out_sum);

	/* 0 means "no checksum" on the wire: send its ones' complement twin. */
	return res == 0 ? 0xffff : res;
}

static inline rte_be16_t
udp_cksum_full(uint32_t addr_sum_, const struct rte_udp_hdr *udp, uint16_t l4_len)
{
	uint64_t sum = (uint64_t)addr_sum_ + rte_cpu_to_be_16(IPPROTO_UDP_) +
		       rte_cpu_to_be_16(l4_len);
	uint16_t res = (uint16_t)~inet_sum_fold(inet_sum(udp, l4_len, sum));

	return res == 0 ? 0xffff : res;
}

int
udp_template_write(struct rte_mbuf *m, uint16_t payload_off, uint16_t payload_len,
		   const struct inet_endpoint *in_src, const struct inet_endpoint *in_dst,
		   rte_be16_t in_cksum, const struct udp_template *t,
		   const struct rte_ether_addr *dst_mac, uint8_t tos, bool payload_rewritten)
{
	uint16_t l4_len = (uint16_t)(payload_len + sizeof(struct rte_udp_hdr));
	uint32_t frame_len = (uint32_t)t->len + payload_len;
	struct rte_udp_hdr *udp;
	uint8_t *h, *ip;

	if (payload_off >= t->len) {
		rte_pktmbuf_adj(m, (uint16_t)(payload_off - t->len));
	} else if (rte_pktmbuf_prepend(m, (uint16_t)(t->len - payload_off)) == NULL) {
		return -ENOSPC;
	}
	/* Drop Ethernet padding and anything after the datagram. */
	if (rte_pktmbuf_pkt_len(m) > frame_len)
		rte_pktmbuf_trim(m, (uint16_t)(rte_pktmbuf_pkt_len(m) - frame_len));

	h = rte_pktmbuf_mtod(m, uint8_t *);
	/* Every shape is 42..66 bytes: overlapping fixed-size copies. */
	RTE_BUILD_BUG_ON(RTE_ETHER_HDR_LEN + IPV4_HDR_LEN + 8 < 32);
	RTE_BUILD_BUG_ON(UDP_TEMPLATE_MAX > 96);
	memcpy(h, t->hdr, 32);
	if (t->len > 64)
		memcpy(h + 32, t->hdr + 32, 32);
	memcpy(h + t->len - 32, t->hdr + t->len - 32, 32);
	rte_ether_addr_copy(dst_mac, (struct rte_ether_addr *)h);
	ip = h + t->l3_off;
	if (t->family == INET_FAMILY_V4) {
		struct rte_ipv4_hdr *ip4 = (struct rte_ipv4_hdr *)ip;
		uint16_t total = (uint16_t)(l4_len + IPV4_HDR_LEN);

		ip4->type_of_service = tos;
		ip4->total_length = rte_cpu_to_be_16(total);
		ip4->hdr_checksum =
			rte_cpu_to_be_16((uint16_t)~fold((uint64_t)t->ip_sum + tos + total));
		udp = (struct rte_udp_hdr *)(ip + IPV4_HDR_LEN);
	} else {
		struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)ip;

		ip6->vtc_flow = rte_cpu_to_be_32((6u << 28) | ((uint32_t)tos << 20));
		ip6->payload_len = rte_cpu_to_be_16(l4_len);
		udp = (struct rte_udp_hdr *)(ip + IPV6_HDR_LEN);
	}
	udp->dgram_len = rte_cpu_to_be_16(l4_len);
	if (payload_rewritten || (in_cksum == 0 && t->family == INET_FAMILY_V6)) {
		udp->dgram_cksum = 0;
		udp->dgram_cksum = udp_cksum_full(t->addr_sum, udp, l4_len);
	} else if (in_cksum != 0) {
		udp->dgram_cksum = udp_cksum_update(in_cksum, endpoints_sum(in_src, in_dst),
						    t->ep_sum);
	} else {
		udp->dgram_cksum = 0;
	}
	m->ol_flags &= ~(RTE_MBUF_F_TX_OFFLOAD_MASK);
	return 0;
}

int
udp_output_write(struct rte_mbuf *m, uint16_t payload_off, uint16_t payload_len,
		 const struct inet_endpoint *in_src, const struct inet_endpoint *in_dst,
		 rte_be16_t in_cksum, const struct udp_output *out)
{
	struct udp_template t;

	udp_template_init(&t, out);
	return udp_template_write(m, payload_off, payload_len, in_src, in_dst, in_cksum, &t,
				  &out->dst_mac, out->tos, out->payload_rewritten);
}
