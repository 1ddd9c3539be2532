/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_SLOW_PATH_H
#define SRTPFWD_SLOW_PATH_H

/*
 * The control lcore's side of the punt rings: ARP and ND go to the
 * neighbour resolver; a learning leg's first packet latches the leg's
 * remote (a state change, so only here) and is then forwarded from here;
 * DTLS of legs the box terminates goes to their endpoints (dtls_legs.h).
 */

#include <stdint.h>

#include <rte_mbuf.h>

#include "../neigh/neigh_resolver.h"
#include "../session/session_table.h"
#include "../stats/lcore_stats.h"
#include "dtls_legs.h"
#include "fwd_plane.h"

struct slow_path {
	const struct fwd_plane *plane;
	struct session_table *sessions;
	struct neigh_resolver *resolver;
	struct lcore_stats *stats;	/* the control lcore's block */
	struct dtls_legs *dtls;		/* DTLS-SRTP endpoints; NULL: DTLS legs refused */
	/* Send m on port from the control lcore's queue; consumes m. 0 or -errno. */
	int (*tx)(void *arg, uint16_t port, struct rte_mbuf *m);
	void *tx_arg;
};

/* Handle one punted packet; consumes m. */
void slow_path_input(struct slow_path *sp, struct rte_mbuf *m);

#endif /* SRTPFWD_SLOW_PATH_H */
