/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_LEG_PATH_H
#define SRTPFWD_LEG_PATH_H

/*
 * The one path builder: from a leg and a remote to a struct leg_path
 * (next hop, the endpoints' checksum sum, the header template). The
 * session table publishes what it builds as the leg's path; the DTLS
 * endpoints build one for a handshake peer that is not latched yet.
 * Control lcore only.
 */

#include <stdint.h>

#include "../iface/iface.h"
#include "../neigh/neigh_resolver.h"
#include "../neigh/neigh_table.h"
#include "leg.h"

struct leg_path_builder {
	const struct iface *ifaces;
	struct neigh_table *neigh;
	/* Probes a next hop the first time it is needed; NULL: static neighbours only. */
	struct neigh_resolver *resolver;
};

/*
 * Fill path for what leg sends to (and accepts from) remote; a new next
 * hop starts resolving. The path pins its next hop's neighbour entry
 * (neigh_hold) until leg_path_release(): build paths only towards remotes
 * the box needs (given, latched, a handshake's peer). 0, -ENETUNREACH (no
 * route on the leg's interface) or -ENOSPC (neighbour table full).
 */
int leg_path_build(const struct leg_path_builder *pb, const struct leg *leg,
		   const struct inet_endpoint *remote, struct leg_path *path);

/*
 * Unpin path's next hop (none: nothing to do); the path is no path any
 * more. Only once no worker can read the path (RCU) if one could.
 */
void leg_path_release(const struct leg_path_builder *pb, struct leg_path *path);

#endif /* SRTPFWD_LEG_PATH_H */
