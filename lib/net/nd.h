/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_ND_H
#define SRTPFWD_ND_H

/*
 * IPv6 neighbour discovery (RFC 4861): neighbour solicitations and
 * advertisements only, which is all a host needs to be reachable and to
 * reach its next hops.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_mbuf.h>

#include "inet_addr.h"
#include "pkt_parse.h"

#define ND_TYPE_NS 135
#define ND_TYPE_NA 136

#define ND_NA_FLAG_ROUTER 0x80
#define ND_NA_FLAG_SOLICITED 0x40
#define ND_NA_FLAG_OVERRIDE 0x20

struct nd_info {
	uint8_t type;			/* ND_TYPE_NS or ND_TYPE_NA; 0: other ICMPv6 */
	uint8_t na_flags;
	bool has_lladdr;		/* source (NS) or target (NA) link-layer option */
	struct rte_ether_addr lladdr;
	struct inet_addr target;
	struct inet_addr src;		/* IPv6 source of the message */
};

/*
 * Validate and parse the ICMPv6 message described by pi (RFC 4861 §7.1.1,
 * §7.1.2: hop limit 255, code 0, checksum, length, options). Returns 0 for
 * an NS/NA, -ENOTSUP for any other valid ICMPv6 type, -EINVAL when invalid.
 */
int nd_parse(const struct rte_mbuf *m, const struct pkt_info *pi, struct nd_info *nd);

/* Solicited-node multicast address of target (RFC 4291 §2.7.1). */
void nd_solicited_node(const struct inet_addr *target, struct inet_addr *group);

/*
 * Write a neighbour solicitation for target into the empty mbuf m, sent
 * from (src_mac, src_ip) to target's solicited-node group. 0 or -ENOSPC.
 */
int nd_build_ns(struct rte_mbuf *m, uint16_t vlan_id, const struct rte_ether_addr *src_mac,
		const struct inet_addr *src_ip, const struct inet_addr *target);

/*
 * Write a neighbour advertisement for target (ours, at src_mac) into the
 * empty mbuf m, to (dst_mac, dst_ip). 0 or -ENOSPC.
 */
int nd_build_na(struct rte_mbuf *m, uint16_t vlan_id, const struct rte_ether_addr *src_mac,
		const struct rte_ether_addr *dst_mac, const struct inet_addr *target,
		const struct inet_addr *dst_ip, uint8_t flags);

#endif /* SRTPFWD_ND_H */
