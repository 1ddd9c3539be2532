/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_FWD_PLANE_H
#define SRTPFWD_FWD_PLANE_H

/*
 * What every lcore on the packet path reads: the interfaces, the map from
 * (port, VLAN) to interface, the legs and the flow table. Built once by
 * the control lcore before workers start; the tables it points to change
 * underneath (lock-free), the plane itself does not.
 */

#include <stdint.h>

#include <rte_ethdev.h>

#include "../flow/flow_table.h"
#include "../iface/iface.h"
#include "../net/inet_addr_set.h"
#include "../session/leg.h"

#define FWD_VLAN_IDS 4096

struct fwd_plane {
	const struct iface *ifaces;
	uint16_t n_ifaces;
	/* Per port: interface index for each VLAN ID (0 = untagged), NULL if unused. */
	uint16_t *iface_of_vlan[RTE_MAX_ETHPORTS];
	struct leg *legs;
	struct leg_ice_state *ice_state;	/* per leg; each written by its leg's home worker */
	struct flow_table *flows;
	const struct flow_index *flow_index;	/* flows' direct index, read first */
	int punt_meta_offset;		/* mbuf dynfield of struct punt_meta */
	uint32_t parse_flags;		/* PKT_PARSE_* for every lcore's pkt_parse_flags() */
	/* Sources dropped before any lookup: our addresses, our subnets' broadcasts. */
	struct inet_addr_set martian_src;
	/* Worker timing on (latency histogram, stage cycles): the control lcore writes it. */
	uint8_t timing;
};

static inline uint16_t
fwd_iface_of(const struct fwd_plane *fp, uint16_t port, uint16_t vlan_id)
{
	const uint16_t *map = fp->iface_of_vlan[port];

	return map != NULL ? map[vlan_id] : IFACE_NONE;
}

/*
 * Build the VLAN maps for the interfaces' ports. The interfaces' port_id
 * must be resolved. Returns 0 or -ENOMEM.
 */
int fwd_plane_init(struct fwd_plane *fp, const struct iface *ifaces, uint16_t n_ifaces,
		   struct leg *legs, struct flow_table *flows);
void fwd_plane_fini(struct fwd_plane *fp);

#endif /* SRTPFWD_FWD_PLANE_H */
