/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_CALL_H
#define SRTPFWD_CALL_H

/*
 * The call layer: the one owner of a leg's life, on the control lcore.
 * A call (a console id now, an ng call-id with tags next) owns sessions; a
 * session joins two legs; each leg is an aggregate of the leg the workers
 * read (lib/session), its DTLS endpoint, and room for its ICE credentials
 * and valid pairs and an LI tap. The console and signalling are thin
 * callers of create / update / delete here; each part of a leg (DTLS now,
 * ICE and LI next) plugs in as a struct call_part instead of through main.
 * Every state change of a leg goes through here; workers see only what the
 * session table publishes (paths, SRTP sets) through RCU.
 */

#include <stdbool.h>
#include <stdint.h>

#include "../session/session_table.h"
#include "dtls_legs.h"
#include "ice_legs.h"

#define CALL_NONE UINT32_MAX
/* Sessions of one call: a media section's, and its RTCP's where one party has no rtcp-mux. */
#define CALL_MAX_SESSIONS 16
#define CALL_LABEL_MAX 128

/* What signalling says of one leg, for its parts. */
struct call_leg_conf {
	bool dtls;			/* the leg's keys come from DTLS-SRTP terminated here */
	struct dtls_leg_conf dtls_conf;
	bool ice;			/* ICE-lite (set session.leg[].ice too) */
	struct ice_leg_conf ice_conf;
	/*
	 * e2e: the parties' SDES keys seen in signalling (rx: what the remote
	 * sends, tx: what it receives); the box does not use them, lawful
	 * interception delivers them.
	 */
	struct leg_crypto_spec known_rx, known_tx;
};

struct call_spec {
	struct session_spec session;
	struct call_leg_conf leg[2];
};

/* ICE-lite state of a leg (filled by the ICE part). */
struct call_leg_ice {
	bool enabled;
};

/* Lawful interception tap of a leg (filled by the LI part). */
struct call_leg_li {
	bool active;
};

/* The leg aggregate: what the control lcore keeps of a leg beside the table's leg. */
struct call_leg {
	uint32_t session;		/* SESSION_NONE: the slot is free */
	bool dtls;			/* has a DTLS endpoint (dtls_legs.h) */
	struct call_leg_ice ice;
	struct call_leg_li li;
};

/*
 * A part of a leg. leg_created runs once the leg is in the tables (and
 * maybe not latched); an error undoes the session. leg_gone runs before
 * the leg leaves the tables.
 */
struct call_part {
	const char *name;
	int (*leg_created)(void *arg, uint32_t leg_id, const struct call_leg_conf *conf,
			   char *err, size_t errlen);
	void (*leg_gone)(void *arg, uint32_t leg_id);
	/* Optional: the keys of a leg are known or changed (NULL: none that way). */
	void (*leg_keys)(void *arg, uint32_t leg_id, const struct leg_crypto_spec *rx,
			 const struct leg_crypto_spec *tx);
	void *arg;
};

struct call_layer;

/* NULL with rte_errno set. */
struct call_layer *call_layer_create(struct session_table *sessions);
void call_layer_free(struct call_layer *cl);
/* 0, or -ENOSPC (too many parts). */
int call_layer_add_part(struct call_layer *cl, const struct call_part *part);

/* A call owning no session yet; label: signalling's call-id, or NULL. 0 or -ENOSPC. */
int call_create(struct call_layer *cl, const char *label, uint32_t *call_id);
/* Delete a call and its sessions. 0 or -ENOENT. */
int call_delete(struct call_layer *cl, uint32_t call_id);
/*
 * A session of call_id: legs made, parts set up, flows in. On failure
 * nothing of it is left; -errno with a one-line reason in err.
 */
int call_session_add(struct call_layer *cl, uint32_t call_id, const struct call_spec *spec,
		     uint32_t *session_id, char *err, size_t errlen);
/* Delete one session; its call ends with its last one. 0 or -ENOENT. */
int call_session_del(struct call_layer *cl, uint32_t session_id);
/* The leg's aggregate, or NULL when no session has it. */
const struct call_leg *call_leg_get(const struct call_layer *cl, uint32_t leg_id);

/* Updates of a leg (session table semantics, see session_table.h). */
int call_leg_set_remote(struct call_layer *cl, uint32_t leg_id,
			const struct inet_endpoint *remote);
int call_leg_install_srtp(struct call_layer *cl, uint32_t leg_id,
			  const struct leg_crypto_spec *rx, const struct leg_crypto_spec *tx);
int call_leg_clear_srtp(struct call_layer *cl, uint32_t leg_id);
/*
 * e2e: the parties' keys of a leg learnt from signalling after its session
 * was made (the answer's a=crypto); the box does not use them, the parts
 * hear of them (lawful interception delivers them). 0 or -ENOENT.
 */
int call_leg_known_keys(struct call_layer *cl, uint32_t leg_id, const struct leg_crypto_spec *rx,
			const struct leg_crypto_spec *tx);
int call_leg_set_bundle(struct call_layer *cl, uint32_t leg_id, const struct leg_bundle *b);

/* The DTLS endpoints as a part of legs. */
void call_dtls_part(struct dtls_legs *dl, struct call_part *part);
struct li_service;
/* Lawful interception as a part of legs: keys for delivery, taps removed when a leg goes. */
void call_li_part(struct li_service *li, struct call_part *part);
/* ICE-lite as a part of legs. */
void call_ice_part(struct ice_legs *il, struct call_part *part);

#endif /* SRTPFWD_CALL_H */
