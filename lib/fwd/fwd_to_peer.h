/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_FWD_TO_PEER_H
#define SRTPFWD_FWD_TO_PEER_H

/*
 * The step shared by workers and the control lcore: a packet accepted on a
 * leg leaves from the session's other leg towards that leg's remote, with
 * new headers. Split in two so that media can be routed (and dropped early
 * when it cannot leave) before its SRTP is (un)protected.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "../net/pkt_parse.h"
#include "../net/udp_output.h"
#include "fwd_plane.h"

struct fwd_route {
	const struct leg *out;		/* the peer leg (not read: its path is in.peer_path) */
	const struct leg_path *path;	/* out's path: headers, next hop, port */
	uint32_t in_sum;		/* udp_endpoints_sum() of the packet as received */
	struct rte_ether_addr dst_mac;
};

/*
 * udp_endpoints_sum() of a packet accepted on a leg whose path is in_path
 * (NULL: not latched yet). A packet accepted on a latched leg came from the
 * path's remote to the leg's local endpoint, whose sum the path keeps.
 */
static inline uint32_t
fwd_in_sum(const struct leg_path *in_path, const struct pkt_info *pi)
{
	return in_path != NULL ? in_path->in_sum : udp_endpoints_sum(&pi->src, &pi->dst);
}

/*
 * Where a packet accepted on leg in, with endpoints sum in_sum (fwd_in_sum),
 * goes; DROP_NONE when it can go.
 */
static inline enum drop_reason
fwd_route_to_peer(const struct fwd_plane *fp, const struct leg *in, uint32_t in_sum,
		  struct fwd_route *r)
{
	r->in_sum = in_sum;
	r->out = &fp->legs[in->peer];
	r->path = leg_peer_path(in);
	if (r->path == NULL)
		return DROP_PEER_UNLATCHED;
	if (!neigh_entry_mac(r->path->next_hop, &r->dst_mac))
		return DROP_NEIGH_UNRESOLVED;
	return DROP_NONE;
}

/*
 * Where a packet of class cls arriving on BUNDLE transport in goes: the
 * member its SSRC, MID or payload type names (leg_bundle.h), which must
 * still be one of in's (a member deleted since the table was made is not).
 */
static inline enum drop_reason
fwd_route_bundle(const struct fwd_plane *fp, const struct leg *in, const struct rte_mbuf *m,
		 const struct pkt_info *pi, enum pkt_class cls, uint32_t in_sum,
		 struct fwd_route *r)
{
	const struct leg_bundle *b = leg_bundle(in);
	const struct leg *out;
	uint32_t target;

	if (unlikely(b == NULL))
		return fwd_route_to_peer(fp, in, in_sum, r);
	target = leg_bundle_pick(b, cls, rte_pktmbuf_mtod_offset(m, const uint8_t *,
								  pkt_payload_off(pi)),
				 pi->payload_len);
	if (unlikely(target == UINT32_MAX))
		return DROP_BUNDLE_UNMATCHED;
	out = &fp->legs[target];
	if (unlikely(!__atomic_load_n(&out->in_use, __ATOMIC_ACQUIRE) || out->peer != in->id))
		return DROP_BUNDLE_UNMATCHED;
	r->in_sum = in_sum;
	r->out = out;
	r->path = leg_path(out);
	if (r->path == NULL)
		return DROP_PEER_UNLATCHED;
	if (!neigh_entry_mac(r->path->next_hop, &r->dst_mac))
		return DROP_NEIGH_UNRESOLVED;
	return DROP_NONE;
}

/*
 * Write the headers of route r in front of m's UDP payload (payload_len
 * bytes at pkt_payload_off(pi)); payload_rewritten when SRTP changed it.
 * DROP_NONE on success.
 */
static inline enum drop_reason
fwd_route_write(struct rte_mbuf *m, const struct pkt_info *pi, uint16_t payload_len,
		const struct fwd_route *r, bool payload_rewritten)
{
	if (udp_template_write(m, pkt_payload_off(pi), payload_len, r->in_sum, pi->udp_cksum,
			       &r->path->out_hdr, &r->dst_mac, pi->tos, payload_rewritten) != 0)
		return DROP_NO_HEADROOM;
	return DROP_NONE;
}

/*
 * Route and re-address m (parsed as pi, accepted on leg in, whose path is
 * in_path) unchanged. DROP_NONE and *port set on success; m untouched
 * otherwise.
 */
static inline enum drop_reason
fwd_to_peer(const struct fwd_plane *fp, const struct leg *in, const struct leg_path *in_path,
	    struct rte_mbuf *m, const struct pkt_info *pi, uint16_t *port)
{
	struct fwd_route r;
	enum drop_reason d = fwd_route_to_peer(fp, in, fwd_in_sum(in_path, pi), &r);

	if (d == DROP_NONE)
		d = fwd_route_write(m, pi, pi->payload_len, &r, false);
	if (d == DROP_NONE)
		*port = r.path->port_id;
	return d;
}

#endif /* SRTPFWD_FWD_TO_PEER_H */
