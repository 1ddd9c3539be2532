/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_LEG_ICE_H
#define SRTPFWD_LEG_ICE_H

/*
 * ICE-lite of a leg (RFC 8445 §2.5): the box is always controlled and never
 * sends checks; it answers Binding requests on the leg's home worker, and
 * nothing else of the leg is accepted from a source before that source
 * proved it knows the leg's password.
 *
 * Two pieces with one writer each:
 *  - struct leg_ice, the credentials: written by the control lcore,
 *    published whole through leg->ice and replaced whole (ICE restart),
 *    freed after an RCU grace period;
 *  - struct leg_ice_state, the checks: valid pairs, the nominated one,
 *    consent. Written only by the leg's home worker (every STUN packet of
 *    the leg goes there); the control lcore reads the two fields that say
 *    when consent was last refreshed and which credentials authenticated.
 *    A new life of the leg slot (leg->epoch) is seen by the home worker,
 *    which starts the state over itself: the control lcore never writes it.
 */

#include <stdint.h>

#include <rte_common.h>

#include "../fwd/punt_budget.h"	/* struct rate_bucket: the bucket of checks from strangers */
#include "../net/inet_addr.h"
#include "../stats/rate_bucket.h"
#include "../stun/stun.h"

/* One set of credentials: ours (ufrag, password as an HMAC key) and the peer's ufrag. */
struct ice_cred {
	uint8_t ufrag_len;
	uint8_t remote_ufrag_len;	/* 0: not signalled, any remote part accepted */
	uint8_t ufrag[STUN_UFRAG_MAX];
	uint8_t remote_ufrag[STUN_UFRAG_MAX];
	struct stun_key key;
};

#define ICE_CRED_CURRENT 0
#define ICE_CRED_PREVIOUS 1

/*
 * Published credentials. After an ICE restart the previous set stays valid
 * until a check authenticates with the new one (RFC 8445 §9: the old
 * session keeps media flowing meanwhile).
 */
struct leg_ice {
	struct ice_cred cred[2];	/* [ICE_CRED_CURRENT], [ICE_CRED_PREVIOUS] */
	uint8_t n_cred;			/* 1, or 2 while a restart is pending */
	uint32_t generation;		/* of cred[ICE_CRED_CURRENT] */
};

#define ICE_PAIRS_MAX 4
#define ICE_PAIR_NONE UINT8_MAX

/* A valid pair: our leg's address and a source that authenticated (peer-reflexive). */
struct ice_pair {
	struct inet_endpoint src;
	uint32_t priority;		/* PRIORITY of its last check */
	uint64_t last_check_tsc;	/* last authenticated check */
};

struct leg_ice_state {
	uint32_t epoch;			/* the leg life this state is of */
	/*
	 * Odd while the home worker changes pair[] or nominated: the console's
	 * reader (show ice) retries until it reads one even value around its copy.
	 */
	uint32_t seq;
	uint8_t n_pairs;
	uint8_t nominated;		/* index in pair[], ICE_PAIR_NONE */
	/* Read by the control lcore (atomic loads). */
	uint32_t authenticated_gen;	/* generation of the newest set that authenticated */
	uint64_t consent_tsc;		/* last authenticated check on the nominated pair */
	uint64_t nominations;		/* times a pair was (re)nominated */
	/*
	 * Checks from sources that are no valid pair yet: what a flood of forged
	 * checks would make the worker hash. A budget a leg, so that a flood
	 * costs the worker a compare a packet, not a CRC and an HMAC; valid
	 * pairs (consent checks of a running call) never wait for it.
	 */
	struct rate_bucket stranger_checks;
	struct ice_pair pair[ICE_PAIRS_MAX];
} __rte_cache_aligned;

static inline const struct leg_ice *
leg_ice_load(const struct leg_ice *const *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

#endif /* SRTPFWD_LEG_ICE_H */
