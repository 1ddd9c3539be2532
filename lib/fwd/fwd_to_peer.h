/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_FWD_TO_PEER_H
#define SRTPFWD_FWD_TO_PEER_H

/*
 * The e2e step shared by workers and the control lcore: a packet accepted
 * on a leg leaves from the session's other leg towards that leg's remote,
 * payload untouched, headers rewritten.
 */

#include <stdint.h>

#include <rte_mbuf.h>

#include "../net/pkt_parse.h"
#include "../net/udp_output.h"
#include "fwd_plane.h"

/*
 * Re-address m (parsed as pi, accepted on leg in). On success returns
 * DROP_REASON_MAX and sets *port to the DPDK port to send it on; otherwise
 * returns why it must be dropped (m untouched).
 */
static inline enum drop_reason
fwd_to_peer(const struct fwd_plane *fp, const struct leg *in, struct rte_mbuf *m,
	    const struct pkt_info *pi, uint16_t *port)
{
	const struct leg *out = &fp->legs[in->peer];
	const struct leg_path *path = leg_path(out);
	const struct iface *ifc;
	struct udp_output o;

	if (path == NULL)
		return DROP_PEER_UNLATCHED;
	if (!neigh_entry_mac(path->next_hop, &o.dst_mac))
		return DROP_NEIGH_UNRESOLVED;
	ifc = &fp->ifaces[out->iface];
	rte_ether_addr_copy(&ifc->mac, &o.src_mac);
	o.vlan_id = ifc->vlan_id;
	o.ttl = ifc->ttl;
	o.tos = pi->tos;
	o.src = &out->local;
	o.dst = &path->remote;
	if (udp_output_write(m, pkt_payload_off(pi), pi->payload_len, &pi->src, &pi->dst,
			     pi->udp_cksum, &o) != 0)
		return DROP_NO_HEADROOM;
	*port = ifc->port_id;
	return DROP_REASON_MAX;
}

#endif /* SRTPFWD_FWD_TO_PEER_H */
