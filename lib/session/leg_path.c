/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>

#include <rte_cycles.h>

#include "leg_path.h"

int
leg_path_build(const struct leg_path_builder *pb, const struct leg *leg,
	       const struct inet_endpoint *remote, struct leg_path *path)
{
	const struct iface *ifc = &pb->ifaces[leg->iface];
	struct inet_addr dst, hop;
	struct neigh_entry *nh;
	struct udp_output out;
	bool created;

	inet_endpoint_addr(remote, &dst);
	if (iface_next_hop(ifc, &dst, &hop) != 0)
		return -ENETUNREACH;
	nh = neigh_hold(pb->neigh, leg->iface, &hop, &created);
	if (nh == NULL)
		return -ENOSPC;
	if (created && pb->resolver != NULL)
		neigh_resolver_probe(pb->resolver, nh);
	path->remote = *remote;
	path->in_sum = udp_endpoints_sum(remote, &leg->local);
	path->next_hop = nh;
	path->port_id = ifc->port_id;
	out = (struct udp_output){
		.src_mac = ifc->mac,
		.vlan_id = ifc->vlan_id,
		.ttl = ifc->ttl,
		.tx_cksum_offload = ifc->tx_udp_cksum,
		.src = &leg->local,
		.dst = &path->remote,
	};
	udp_template_init(&path->out_hdr, &out);
	return 0;
}

void
leg_path_release(const struct leg_path_builder *pb, struct leg_path *path)
{
	if (path->next_hop != NULL)
		neigh_release(pb->neigh, path->next_hop, rte_get_tsc_cycles());
	path->next_hop = NULL;
	memset(&path->remote, 0, sizeof(path->remote));
}
