/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>

#include <rte_ether.h>

#include "../net/udp_output.h"
#include "dtls_hvr.h"

/* What a cookie is bound to: the datagram's 5-tuple (UDP is implied). */
struct cookie_peer {
	struct inet_endpoint src;
	struct inet_endpoint dst;
};

static void
cookie_peer_of(const struct pkt_info *pi, struct cookie_peer *cp)
{
	/* inet_endpoint has no padding (its reserved byte is zero): hashed as bytes. */
	cp->src = pi->src;
	cp->dst = pi->dst;
}

bool
dtls_hvr_cookie_ok(struct dtls_cookie_jar *j, const struct pkt_info *pi,
		   const struct dtls_hello *h, uint64_t now_ms)
{
	struct cookie_peer cp;

	if (h->cookie_len == 0)
		return false;
	cookie_peer_of(pi, &cp);
	return dtls_cookie_check(j, now_ms, &cp, sizeof(cp), h->cookie, h->cookie_len);
}

int
dtls_hvr_reflect(struct dtls_cookie_jar *j, struct rte_mbuf *m, const struct pkt_info *pi,
		 const struct dtls_hello *h, const struct iface *ifc, uint64_t now_ms)
{
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	uint8_t cookie[DTLS_COOKIE_LEN], hvr[DTLS_HVR_LEN(DTLS_COOKIE_LEN)];
	struct inet_endpoint to = pi->src, from = pi->dst;
	struct cookie_peer cp;
	struct udp_output o;
	size_t n;

	/* A broadcast request, or a group source (never a host's), gets nothing. */
	if (pi->l2_multicast || rte_is_multicast_ether_addr(&eth->src_addr))
		return -EINVAL;
	cookie_peer_of(pi, &cp);
	if (dtls_cookie_make(j, now_ms, &cp, sizeof(cp), cookie) != 0)
		return -EIO;
	n = dtls_hvr_build(h, cookie, sizeof(cookie), hvr, sizeof(hvr));
	/* The ClientHello check makes it at least 67 bytes; never answer with more. */
	if (n == 0 || n >= pi->payload_len)
		return -EINVAL;
	o = (struct udp_output){
		.src_mac = ifc->mac,
		.dst_mac = eth->src_addr,
		.vlan_id = ifc->vlan_id,
		.ttl = ifc->ttl,
		.payload_rewritten = 1,
		.src = &from,
		.dst = &to,
	};
	memcpy(rte_pktmbuf_mtod_offset(m, uint8_t *, pkt_payload_off(pi)), hvr, n);
	return udp_output_write(m, pkt_payload_off(pi), (uint16_t)n, &to, &from, 0, &o) == 0 ?
		       0 : -ENOSPC;
}
