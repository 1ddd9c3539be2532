/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_ICE_LEGS_H
#define SRTPFWD_ICE_LEGS_H

/*
 * The control lcore's side of ICE-lite (the workers answer the checks,
 * lib/fwd/fwd_ice.h): per leg with ICE, its credentials (given by
 * signalling or made here from a CSPRNG: ufrag 48 bits, password 144 bits,
 * RFC 8445 §5.3 asks 24 and 128), the latch of the pair the peer
 * nominated, consent freshness (RFC 7675: no authenticated check on the
 * nominated pair for the consent timeout, and the box stops sending to it;
 * the next check resumes) and ICE restarts (the old credentials stay valid
 * until the new ones authenticate).
 *
 * A nomination that moves a latched leg first withdraws the old path and
 * publishes the new one only after an RCU grace period: no worker is then
 * still handling the old pair's packets while another takes the new one's,
 * so the leg's SRTP state keeps one writer.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_rcu_qsbr.h>

#include "../fwd/fwd_plane.h"
#include "../session/session_table.h"

#define ICE_CONSENT_TIMEOUT_MS_DEFAULT 30000
#define ICE_UFRAG_MIN 4		/* RFC 8839 §5.4 */
#define ICE_PWD_MIN 22

/* A leg's credentials as signalling gives them; "" for the box to make one. */
struct ice_leg_conf {
	char ufrag[STUN_UFRAG_MAX + 1];
	char pwd[STUN_PWD_MAX + 1];
	char remote_ufrag[STUN_UFRAG_MAX + 1];	/* "": any (the peer's is not known) */
};

struct ice_legs_params {
	struct session_table *sessions;
	const struct fwd_plane *plane;
	struct rte_rcu_qsbr *rcu;	/* the workers' */
	uint32_t max_legs;
	uint32_t consent_timeout_ms;	/* 0: ICE_CONSENT_TIMEOUT_MS_DEFAULT */
};

struct ice_legs_stats {
	uint64_t legs;			/* legs with ICE now */
	uint64_t latched;		/* first nominations latched */
	uint64_t moved;			/* renominations that moved a leg */
	uint64_t consent_expired;	/* nominated pairs that lost consent */
	uint64_t consent_resumed;	/* ... and got it back with a new check */
	uint64_t restarts;		/* new credentials given */
	uint64_t restarts_done;		/* new credentials authenticated, old ones dropped */
	uint64_t latch_failed;		/* nominated pair could not be latched (neighbour table) */
};

struct ice_legs;

/* NULL with rte_errno set. */
struct ice_legs *ice_legs_create(const struct ice_legs_params *p);
void ice_legs_free(struct ice_legs *il);

/* Give leg its ICE credentials (conf's, or new ones). 0 or -errno, one-line reason in err. */
int ice_legs_attach(struct ice_legs *il, uint32_t leg_id, const struct ice_leg_conf *conf,
		    char *err, size_t errlen);
void ice_legs_detach(struct ice_legs *il, uint32_t leg_id);
/* ICE restart: new credentials (conf's, or made here), the old ones valid until these work. */
int ice_legs_restart(struct ice_legs *il, uint32_t leg_id, const struct ice_leg_conf *conf,
		     char *err, size_t errlen);

/*
 * The leg's current credentials (the box's ufrag and password, the peer's
 * ufrag) for signalling to put in SDP. 0 or -ENOENT (no ICE on the leg).
 */
int ice_legs_credentials(const struct ice_legs *il, uint32_t leg_id, struct ice_leg_conf *out);
/* The peer's ufrag became known (an ng answer): checks must now carry it. 0 or -errno. */
int ice_legs_set_remote_ufrag(struct ice_legs *il, uint32_t leg_id, const char *remote_ufrag,
			      char *err, size_t errlen);

/*
 * The leg's home worker saw remote nominated (an authenticated check) for
 * the leg's life epoch: latch it, or move the leg to it.
 */
void ice_legs_nominated(struct ice_legs *il, uint32_t leg_id, uint32_t epoch,
			const struct inet_endpoint *remote);

/* Consent, moves and restarts; call every tick of the control loop. */
void ice_legs_timer(struct ice_legs *il, uint64_t now_tsc);

/* `show ice`: the leg's credentials (the password only when secrets), pairs and consent. */
void ice_legs_print(const struct ice_legs *il, uint32_t leg_id, bool secrets, FILE *out);
void ice_legs_stats(const struct ice_legs *il, struct ice_legs_stats *out);

#endif /* SRTPFWD_ICE_LEGS_H */
