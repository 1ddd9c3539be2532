/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_SLOW_PATH_H
#define SRTPFWD_SLOW_PATH_H

/*
 * The control lcore's side of the punt rings: ARP and ND go to the
 * neighbour resolver; DTLS of legs the box terminates to their endpoints
 * (dtls_legs.h); a learning e2e leg's packets to the control lcore's own
 * run of the worker stages (struct fwd_worker with .ctl), which latches the
 * leg on the first and forwards them; a media leg's home worker asks for
 * its authenticated source to be latched (struct latch_request, on a ring
 * of its own).
 */

#include <stdint.h>

#include <rte_mbuf.h>

#include "../fwd/fwd_worker.h"
#include "../neigh/neigh_resolver.h"
#include "../session/session_table.h"
#include "../stats/drop.h"
#include "dtls_legs.h"
#include "ice_legs.h"

struct slow_path {
	const struct fwd_plane *plane;
	struct session_table *sessions;
	struct neigh_resolver *resolver;
	struct drop_counters drops;	/* the control lcore's blocks */
	struct dtls_legs *dtls;		/* DTLS-SRTP endpoints; NULL: DTLS legs refused */
	struct ice_legs *ice;		/* ICE-lite legs: their nominations */
	struct fwd_worker *fwd;		/* the stages, run here for learning e2e legs */
	/* Latch leg_id to remote (the call layer). 0 or -errno. */
	int (*latch)(void *arg, uint32_t leg_id, const struct inet_endpoint *remote);
	void *latch_arg;
};

/* Handle one punted packet; consumes m. */
void slow_path_input(struct slow_path *sp, struct rte_mbuf *m);

/* Latch what a worker's latch ring asks for; how many requests it held. */
unsigned int slow_path_latch_requests(struct slow_path *sp, struct rte_ring *ring);

/* Send what the stages run here buffered (once per control loop pass). */
void slow_path_flush(struct slow_path *sp);

#endif /* SRTPFWD_SLOW_PATH_H */
