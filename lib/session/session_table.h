/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_SESSION_TABLE_H
#define SRTPFWD_SESSION_TABLE_H

/*
 * Sessions (bridges of two legs), their legs and the flow table that finds
 * a leg from a packet. Every function here except the inline readers runs
 * on the control lcore: it is the single writer. Legs and paths that
 * workers may still hold are freed only after an RCU grace period.
 */

#include <stddef.h>
#include <stdint.h>

#include <rte_rcu_qsbr.h>

#include "../flow/flow_table.h"
#include "../iface/iface.h"
#include "../neigh/neigh_table.h"
#include "leg.h"
#include "leg_path.h"

#define SESSION_NONE UINT32_MAX
#define SESSION_ERR_LEN 160

enum session_mode {
	SESSION_MODE_E2E = 0,	/* DTLS, SRTP, ZRTP forwarded untouched */
	SESSION_MODE_E2AE,	/* media terminated here: SRTP or RTP per leg and direction */
};

/* One direction of a leg's media in e2ae: plain RTP, or SRTP with these keys. */
struct leg_crypto_spec {
	bool srtp;
	enum srtp_profile profile;
	uint8_t master_key[SRTP_MASTER_KEY_MAX];
	uint8_t master_salt[SRTP_MASTER_SALT_MAX];
};

struct session {
	uint32_t id;
	uint32_t leg[2];
	uint8_t mode;		/* enum session_mode */
	uint8_t in_use;
	bool no_replay_check;	/* for SRTP contexts made later (DTLS keys) */
	uint16_t replay_window;
	uint64_t created_tsc;
};

/* How to make one leg. Zero fields take defaults. */
struct leg_spec {
	uint16_t iface;
	struct inet_addr local_addr;	/* family 0: interface's first of the right family */
	uint16_t local_port;		/* 0: random free port of the media range */
	struct inet_endpoint remote;	/* family 0: none yet (learn) */
	enum latch_policy latch;
	struct leg_crypto_spec rx;	/* e2ae: what the remote sends */
	struct leg_crypto_spec tx;	/* e2ae: what we send the remote */
	/*
	 * e2ae: the keys come from a DTLS-SRTP handshake the box terminates
	 * (rx and tx unused); the leg passes no media until they are installed.
	 */
	bool dtls;
	/* ICE-lite: latched to the nominated pair only (credentials: the call layer's ICE part). */
	bool ice;
	/*
	 * No remote yet, and none to learn: signalling gives it later (an ng
	 * answer, session_leg_set_remote); until then the leg takes nothing.
	 */
	bool await_remote;
};

struct session_spec {
	enum session_mode mode;
	struct leg_spec leg[2];
	/*
	 * BUNDLE: leg[1] is a member of the transport leg bundle_transport (an
	 * e2ae leg of another session of the call): what arrives on leg[1]
	 * leaves by the transport, with its keys; leg[0]'s spec is unused (a
	 * shadow of the transport stands there). The transport's demux
	 * (session_leg_set_bundle) sends the member's media to leg[1].
	 */
	bool bundled;
	uint32_t bundle_transport;
	uint16_t replay_window;		/* SRTP/SRTCP; 0: the engine's default (128) */
	bool no_replay_check;		/* benchmarks replaying a looped capture only */
};

struct session_table_params {
	uint32_t max_sessions;
	int socket;
	struct rte_rcu_qsbr *rcu;	/* workers' QSBR variable */
	const struct iface *ifaces;
	uint16_t n_ifaces;
	struct srtp_engine *srtp;	/* e2ae sessions; NULL: e2e only */
	struct leg_path_builder paths;	/* the legs' paths are built with it */
	uint16_t n_lcores;		/* lcores that count per leg (workers + control) */
	uint16_t n_workers;		/* a leg's home worker is one of them (0: 1) */
};

/* A leg's counters since it was made or cleared: every lcore's added up. */
struct leg_stats {
	struct leg_traffic traffic;	/* the workers' and the control lcore's */
	uint64_t drops[LEG_DROP_MAX];
};

struct session_table;

struct session_table *session_table_create(const struct session_table_params *p);
/* Only once no worker runs any more. */
void session_table_free(struct session_table *st);

/* Writes a one-line reason into err (what the console prints); returns ret. */
int session_set_err(char *err, size_t len, int ret, const char *fmt, ...)
	__rte_format_printf(4, 5);

/* Create a session; *id set. 0 or -errno with a one-line reason in err. */
int session_add(struct session_table *st, const struct session_spec *spec, uint32_t *id,
		char *err, size_t errlen);
/*
 * Remove a session, its flows and legs (the call layer detaches the legs'
 * parts first). 0 or -ENOENT.
 */
int session_del(struct session_table *st, uint32_t id);

/* Withdraw the leg's remote (consent lost, a move pending): it sends and accepts nothing. */
/* Tap the leg for lawful interception (lib/li/li_tap.h's word; 0: untap). 0 or -ENOENT. */
int session_leg_set_li(struct session_table *st, uint32_t leg_id, uint32_t tap);
int session_leg_clear_remote(struct session_table *st, uint32_t leg_id);
/*
 * Publish the leg's ICE credentials (a copy of ice); the ones they replace
 * are freed after a grace period. 0 or -errno.
 */
int session_leg_set_ice(struct session_table *st, uint32_t leg_id, const struct leg_ice *ice);
/*
 * Latch leg to remote: publish a new path (and resolve its next hop).
 * 0, -ENETUNREACH (no route on the leg's interface), -ENOSPC, -EADDRNOTAVAIL (a martian
 * address, one of the box's own, a subnet broadcast: iface_remote_refused()).
 */
int session_leg_set_remote(struct session_table *st, uint32_t leg_id,
			   const struct inet_endpoint *remote);

/*
 * Replace the leg's SRTP contexts with new ones (keys of a finished DTLS
 * handshake): rx what the remote sends, tx what we send. Workers switch
 * from one set to the other between two packets; the old set is freed
 * after a grace period. 0, -ENOENT, or the SRTP engine's -errno.
 */
int session_leg_install_srtp(struct session_table *st, uint32_t leg_id,
			     const struct leg_crypto_spec *rx, const struct leg_crypto_spec *tx);
/* The leg passes no more media (its DTLS closed or failed). 0 or -ENOENT. */
int session_leg_clear_srtp(struct session_table *st, uint32_t leg_id);

/*
 * Publish the transport leg's BUNDLE demux (a copy of b; NULL: none, its
 * media goes to its peer); the members it names should be legs made with
 * session_spec.bundled (a packet for any other leg is dropped). 0 or -errno.
 */
int session_leg_set_bundle(struct session_table *st, uint32_t leg_id, const struct leg_bundle *b);

/* In-use session by id, or NULL. */
const struct session *session_get(const struct session_table *st, uint32_t id);
/* First in-use session with id >= from, or SESSION_NONE. */
uint32_t session_next(const struct session_table *st, uint32_t from);
uint32_t session_count(const struct session_table *st);
uint32_t session_max(const struct session_table *st);

const char *session_mode_name(enum session_mode m);

/*
 * Every leg's counters read as zero from now on (the console's clear). The
 * counters themselves are not written: their lcores own them.
 */
void session_clear_counters(struct session_table *st);
void session_leg_stats(const struct session_table *st, uint32_t leg_id, struct leg_stats *out);
/* Lcore i's per-leg block array (i < n_lcores), indexed by leg id. */
struct leg_lcore *session_table_leg_lcore(const struct session_table *st, uint16_t lcore);

/* Free what the grace period allows; call from the control loop. */
void session_reclaim(struct session_table *st);

/* The tables the workers read. */
struct leg *session_table_legs(const struct session_table *st);
struct leg_ice_state *session_table_ice_state(const struct session_table *st);
struct flow_table *session_table_flows(const struct session_table *st);

#endif /* SRTPFWD_SESSION_TABLE_H */
