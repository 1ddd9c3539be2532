/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>

#include <rte_ip.h>

#include "eth_hdr.h"
#include "nd.h"

#define IPPROTO_ICMPV6_ 58
#define ND_HOP_LIMIT 255
#define ND_MSG_LEN 24		/* type, code, cksum, flags/reserved, target */
#define ND_OPT_SRC_LLADDR 1
#define ND_OPT_TGT_LLADDR 2
#define ND_OPT_LLADDR_LEN 8

/* ICMPv6 checksum over pseudo-header and message; 0xffff when right. */
static uint16_t
icmp6_cksum_fold(const uint8_t *src, const uint8_t *dst, const void *msg, uint16_t len)
{
	uint32_t sum = __rte_raw_cksum(src, 16, 0);

	sum = __rte_raw_cksum(dst, 16, sum);
	sum += rte_cpu_to_be_16(len) + rte_cpu_to_be_16(IPPROTO_ICMPV6_);
	sum = __rte_raw_cksum(msg, len, sum);
	return __rte_raw_cksum_reduce(sum);
}

int
nd_parse(const struct rte_mbuf *m, const struct pkt_info *pi, struct nd_info *nd)
{
	static const uint8_t unspecified[16];
	const struct rte_ipv6_hdr *ip;
	const uint8_t *msg, *opt;
	uint16_t len = pi->payload_len, off;

	memset(nd, 0, sizeof(*nd));
	if (m->nb_segs != 1 || (uint32_t)pi->l4_off + len > rte_pktmbuf_data_len(m) || len < 4)
		return -EINVAL;
	ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv6_hdr *, pi->l3_off);
	msg = rte_pktmbuf_mtod_offset(m, const uint8_t *, pi->l4_off);
	if (icmp6_cksum_fold(ip->src_addr, ip->dst_addr, msg, len) != 0xffff)
		return -EINVAL;
	if (msg[0] != ND_TYPE_NS && msg[0] != ND_TYPE_NA)
		return -ENOTSUP;
	/* Off-link forgeries cannot arrive with hop limit 255 (RFC 4861 §7.1). */
	if (ip->hop_limits != ND_HOP_LIMIT || msg[1] != 0 || len < ND_MSG_LEN)
		return -EINVAL;
	nd->type = msg[0];
	nd->na_flags = msg[0] == ND_TYPE_NA ? msg[4] : 0;
	memcpy(nd->target.bytes, msg + 8, 16);
	nd->target.family = INET_FAMILY_V6;
	memcpy(nd->src.bytes, ip->src_addr, 16);
	nd->src.family = INET_FAMILY_V6;
	if (nd->target.bytes[0] == 0xff)
		return -EINVAL;
	for (off = ND_MSG_LEN; off + 2 <= len;) {
		uint16_t olen;

		opt = msg + off;
		olen = (uint16_t)(opt[1] * 8);
		if (olen == 0 || off + olen > len)
			return -EINVAL;
		if (olen == ND_OPT_LLADDR_LEN &&
		    ((nd->type == ND_TYPE_NS && opt[0] == ND_OPT_SRC_LLADDR) ||
		     (nd->type == ND_TYPE_NA && opt[0] == ND_OPT_TGT_LLADDR))) {
			memcpy(nd->lladdr.addr_bytes, opt + 2, RTE_ETHER_ADDR_LEN);
			nd->has_lladdr = true;
		}
		off = (uint16_t)(off + olen);
	}
	if (off != len)
		return -EINVAL;
	/* RFC 4861 §7.1.1: a DAD probe (from ::) goes to a solicited-node group, no option. */
	if (nd->type == ND_TYPE_NS && memcmp(nd->src.bytes, unspecified, 16) == 0 &&
	    (nd->has_lladdr || ip->dst_addr[0] != 0xff || ip->dst_addr[1] != 0x02 ||
	     ip->dst_addr[11] != 0x01 || ip->dst_addr[12] != 0xff))
		return -EINVAL;
	/* §7.1.2: an advertisement to a multicast group is never solicited. */
	if (nd->type == ND_TYPE_NA && ip->dst_addr[0] == 0xff &&
	    (nd->na_flags & ND_NA_FLAG_SOLICITED))
		return -EINVAL;
	return 0;
}

void
nd_solicited_node(const struct inet_addr *target, struct inet_addr *group)
{
	static const uint8_t prefix[13] = { 0xff, 0x02, [11] = 0x01, [12] = 0xff };

	memset(group, 0, sizeof(*group));
	memcpy(group->bytes, prefix, sizeof(prefix));
	memcpy(group->bytes + 13, target->bytes + 13, 3);
	group->family = INET_FAMILY_V6;
}

/* Ethernet (+VLAN) + IPv6 + the 24-byte message + one link-layer option. */
static uint8_t *
nd_frame(struct rte_mbuf *m, uint16_t vlan_id, const struct rte_ether_addr *src_mac,
	 const struct rte_ether_addr *dst_mac, const uint8_t *src_ip, const uint8_t *dst_ip)
{
	uint16_t icmp_len = ND_MSG_LEN + ND_OPT_LLADDR_LEN;
	struct rte_ipv6_hdr *ip;
	void *frame;

	frame = rte_pktmbuf_append(m, (uint16_t)(eth_hdr_len(vlan_id) + sizeof(*ip) + icmp_len));
	if (frame == NULL)
		return NULL;
	ip = eth_hdr_write(frame, dst_mac, src_mac, vlan_id, RTE_ETHER_TYPE_IPV6);
	ip->vtc_flow = rte_cpu_to_be_32(6u << 28);
	ip->payload_len = rte_cpu_to_be_16(icmp_len);
	ip->proto = IPPROTO_ICMPV6_;
	ip->hop_limits = ND_HOP_LIMIT;
	memcpy(ip->src_addr, src_ip, 16);
	memcpy(ip->dst_addr, dst_ip, 16);
	memset(ip + 1, 0, icmp_len);
	return (uint8_t *)(ip + 1);
}

static void
nd_finish(uint8_t *msg, const uint8_t *src_ip, const uint8_t *dst_ip)
{
	uint16_t len = ND_MSG_LEN + ND_OPT_LLADDR_LEN;
	uint16_t ck = (uint16_t)~icmp6_cksum_fold(src_ip, dst_ip, msg, len);

	memcpy(msg + 2, &ck, 2);
}

int
nd_build_ns(struct rte_mbuf *m, uint16_t vlan_id, const struct rte_ether_addr *src_mac,
	    const struct inet_addr *src_ip, const struct inet_addr *target)
{
	struct rte_ether_addr group_mac;
	struct inet_addr group;
	uint8_t *msg;

	nd_solicited_node(target, &group);
	/* 33:33 + low 32 bits of the group (RFC 2464 §7). */
	group_mac.addr_bytes[0] = 0x33;
	group_mac.addr_bytes[1] = 0x33;
	memcpy(&group_mac.addr_bytes[2], group.bytes + 12, 4);
	msg = nd_frame(m, vlan_id, src_mac, &group_mac, src_ip->bytes, group.bytes);
	if (msg == NULL)
		return -ENOSPC;
	msg[0] = ND_TYPE_NS;
	memcpy(msg + 8, target->bytes, 16);
	msg[24] = ND_OPT_SRC_LLADDR;
	msg[25] = 1;
	memcpy(msg + 26, src_mac->addr_bytes, RTE_ETHER_ADDR_LEN);
	nd_finish(msg, src_ip->bytes, group.bytes);
	return 0;
}

int
nd_build_na(struct rte_mbuf *m, uint16_t vlan_id, const struct rte_ether_addr *src_mac,
	    const struct rte_ether_addr *dst_mac, const struct inet_addr *target,
	    const struct inet_addr *dst_ip, uint8_t flags)
{
	uint8_t *msg = nd_frame(m, vlan_id, src_mac, dst_mac, target->bytes, dst_ip->bytes);

	if (msg == NULL)
		return -ENOSPC;
	msg[0] = ND_TYPE_NA;
	msg[4] = flags;
	memcpy(msg + 8, target->bytes, 16);
	msg[24] = ND_OPT_TGT_LLADDR;
	msg[25] = 1;
	memcpy(msg + 26, src_mac->addr_bytes, RTE_ETHER_ADDR_LEN);
	nd_finish(msg, target->bytes, dst_ip->bytes);
	return 0;
}
