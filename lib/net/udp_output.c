/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include <rte_ip.h>
#include <rte_udp.h>

#include "inet_cksum.h"
#include "udp_output.h"

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

uint32_t
udp_endpoints_sum(const struct inet_endpoint *src, const struct inet_endpoint *dst)
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
		ip->next_proto_id = IPPROTO_UDP;
		memcpy(&ip->src_addr, o->src->addr, 4);
		memcpy(&ip->dst_addr, o->dst->addr, 4);
		/* Host-order words: TOS and total length are added per packet. */
		src = rte_be_to_cpu_32(ip->src_addr);
		dst = rte_be_to_cpu_32(ip->dst_addr);
		t->ip_sum = 0x4500u + RTE_IPV4_HDR_DF_FLAG + ((uint32_t)o->ttl << 8 | IPPROTO_UDP) +
			    (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff);
		p += IPV4_HDR_LEN;
	} else {
		struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)p;

		ip->vtc_flow = rte_cpu_to_be_32(6u << 28);
		ip->proto = IPPROTO_UDP;
		ip->hop_limits = o->ttl;
		memcpy(ip->src_addr, o->src->addr, 16);
		memcpy(ip->dst_addr, o->dst->addr, 16);
		p += IPV6_HDR_LEN;
	}
	((struct rte_udp_hdr *)p)->src_port = o->src->port;
	((struct rte_udp_hdr *)p)->dst_port = o->dst->port;
	t->ep_sum = udp_endpoints_sum(o->src, o->dst);
	t->addr_sum = fold((uint64_t)addr_sum(o->src) + addr_sum(o->dst));
	t->tx_cksum_offload = o->tx_cksum_offload;
}

rte_be16_t
udp_cksum_compute(uint32_t ep_sum, const struct rte_udp_hdr *udp, uint16_t l4_len)
{
	/*
	 * The UDP header's words are known: ports (in ep_sum), length (also the
	 * pseudo-header's), checksum 0. Summing them rather than reading them
	 * back matters: the header was just written in small stores, and a
	 * 32-byte load across them waits for a failed store forward.
	 */
	uint64_t sum = (uint64_t)ep_sum + rte_cpu_to_be_16(IPPROTO_UDP) +
		       2u * rte_cpu_to_be_16(l4_len);
	uint16_t res;

	res = (uint16_t)~inet_sum_fold(inet_sum(udp + 1, l4_len - sizeof(*udp), sum));
	return res == 0 ? 0xffff : res;
}

int
udp_output_write(struct rte_mbuf *m, uint16_t payload_off, uint16_t payload_len,
		 const struct inet_endpoint *in_src, const struct inet_endpoint *in_dst,
		 rte_be16_t in_cksum, const struct udp_output *out)
{
	struct udp_template t;

	udp_template_init(&t, out);
	return udp_template_write(m, payload_off, payload_len, udp_endpoints_sum(in_src, in_dst),
				  in_cksum, &t, &out->dst_mac, out->tos, out->payload_rewritten);
}
