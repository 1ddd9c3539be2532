/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_SESSION_PRIV_H
#define SRTPFWD_SESSION_PRIV_H

/* The session table's inside, shared by its files (table, SRTP sets, counters). */

#include <rte_rcu_qsbr.h>

#include "session_table.h"

/* What the RCU defer queue holds: a leg, a path or a leg's SRTP set to free later. */
enum deferred_kind {
	DEFERRED_LEG = 1, DEFERRED_PATH = 2, DEFERRED_SRTP = 3, DEFERRED_ICE = 4, DEFERRED_BUNDLE = 5,
};
struct deferred {
	uint32_t kind;
	uint32_t index;
	union {
		struct leg_srtp *srtp;		/* DEFERRED_SRTP */
		const struct leg_ice *ice;	/* DEFERRED_ICE */
		const struct leg_bundle *bundle;	/* DEFERRED_BUNDLE */
	};
};

/*
 * A leg's counters as they were when it was created or last cleared: the
 * readers' zero. Nobody but the lcore that owns a counter ever writes it,
 * so `clear` cannot lose a worker's increment (nor a worker undo a clear).
 */
struct leg_baseline {
	struct leg_counters counters;
	uint64_t drops[LEG_DROP_MAX];
};

/*
 * A leg's place in a BUNDLE, control only: a transport chains the members
 * whose peer it is (beside its own session's other leg); a shadow stands
 * for the transport in a member's session and owns no flow.
 */
struct leg_link {
	uint32_t transport;	/* member, shadow: the transport; LEG_NONE otherwise */
	uint32_t next;		/* transport: first member; member: the next one */
	bool shadow;
};

struct session_table {
	struct leg *legs;		/* max_legs, read by workers */
	struct leg_path *paths;		/* max_paths, read by workers */
	struct session *sessions;	/* max_sessions, control only */
	struct leg_lcore *leg_lcore;	/* n_lcores x max_legs; lcore i writes block i */
	struct leg_ice_state *ice_state;	/* max_legs; each written by its leg's home worker */
	struct leg_baseline *baseline;	/* max_legs, control only */
	struct leg_link *links;		/* max_legs, control only */
	uint32_t *leg_free;		/* stack of free leg ids */
	uint32_t *path_free;		/* stack of free path indexes */
	uint32_t *session_free;		/* stack of free session ids */
	uint32_t n_leg_free, n_path_free, n_session_free;
	uint32_t max_sessions, max_legs, max_paths;
	uint32_t n_sessions;
	uint32_t epoch;			/* of the last leg made */
	struct flow_table *flows;
	struct rte_rcu_qsbr_dq *dq;
	struct session_table_params p;
};

/* Hand an object back now (nobody could have seen it) or after a grace period. */
void session_defer_free(struct session_table *st, struct deferred d);

/* leg_srtp_set.c */
struct leg_srtp *leg_srtp_create(struct session_table *st, const struct leg_crypto_spec *rx,
				 const struct leg_crypto_spec *tx, const struct session *s);
void leg_srtp_free(struct leg_srtp *ls);
/* Free the leg's SRTP set at once: no worker can reach the leg any more. */
void leg_free_crypto(struct leg *leg);

/* leg_ice_set.c: free the leg's ICE credentials at once (no worker can reach the leg). */
void leg_free_ice(struct leg *leg);

/* leg_bundle_set.c */
void leg_free_bundle(struct leg *leg);
/* Make member (of a session whose other leg is a shadow of transport) a member of transport. */
void bundle_join(struct session_table *st, struct leg *transport, struct leg *member);
/* The leg leaves the tables: out of any BUNDLE it is in (members of a transport fall back to their shadow). */
void bundle_leave(struct session_table *st, struct leg *leg);
/* Publish path as the peer path of every member of transport. */
void bundle_publish_peer_path(struct session_table *st, const struct leg *transport,
			      const struct leg_path *path);

/* leg_stats.c: the new leg's counters read as zero from now on. */
void leg_stats_rebase(struct session_table *st, uint32_t leg_id);

#endif /* SRTPFWD_SESSION_PRIV_H */
