/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_DTLS_LEGS_H
#define SRTPFWD_DTLS_LEGS_H

/*
 * The control lcore's DTLS-SRTP endpoints (RFC 5763/5764), one per e2ae leg
 * whose keys come from a handshake: workers punt the leg's DTLS records
 * here (PUNT_DTLS), lib/dtls runs OpenSSL on them, flights leave on the
 * control lcore's TX queue from the leg's local address, and a finished
 * handshake installs the leg's SRTP contexts (call_leg_install_srtp)
 * and latches the leg to the peer it ran with: a DTLS leg is latched only
 * by an authenticated handshake (the signalled fingerprint matched).
 *
 * A close_notify, a fatal alert or a failed handshake stop the leg's media
 * (its SRTP set is withdrawn; media is dropped as srtp_no_keys). A new
 * ClientHello on a server leg (browser reload, ICE restart) starts a new
 * handshake, at most one per restart interval, while the old keys keep
 * working until the new ones are installed.
 *
 * Everything here runs on the control lcore; nothing here logs keys.
 */

#include <stdint.h>
#include <stdio.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "../dtls/dtls_conn.h"
#include "../fwd/fwd_plane.h"
#include "../net/pkt_parse.h"
#include "../session/session_table.h"
#include "../stats/drop.h"

#define DTLS_LEGS_RESTART_INTERVAL_MS 1000

struct call_layer;

struct dtls_legs_params {
	struct dtls_engine *engine;
	struct call_layer *calls;	/* keys and latches go through the call layer */
	const struct fwd_plane *plane;
	struct leg_path_builder paths;	/* towards a handshake peer not latched yet */
	struct rte_mempool *pool;	/* flights are built here */
	struct drop_counters drops;	/* the control lcore's blocks */
	/* Send m on port from the control lcore's queue; consumes m. 0 or -errno. */
	int (*tx)(void *arg, uint16_t port, struct rte_mbuf *m);
	void *tx_arg;
	uint32_t max_legs;
};

/* What the legs' endpoints did, beside the engine's own struct dtls_stats. */
struct dtls_legs_stats {
	uint64_t keys_installed;	/* handshakes whose keys reached the fast path */
	uint64_t install_failed;	/* exporter or SRTP context creation failed */
	uint64_t media_stopped;		/* keys withdrawn: close_notify, alert, failure */
	uint64_t restarts;		/* new handshakes on a used leg */
	uint64_t restarts_refused;	/* ClientHellos inside the restart interval */
	uint64_t datagrams_tx;
	uint64_t datagrams_rx;
	uint64_t output_waiting;	/* flights held back: next hop not resolved yet */
};

/* How a leg's endpoint is set up (from signalling: a=setup, a=fingerprint). */
struct dtls_leg_conf {
	enum dtls_role role;
	const char *fp_hash;		/* "sha-256"; NULL: none yet */
	const char *fp;			/* "AB:CD:.." */
};

struct dtls_legs;

/* NULL with rte_errno set. */
struct dtls_legs *dtls_legs_create(const struct dtls_legs_params *p);
void dtls_legs_free(struct dtls_legs *dl);

/*
 * Give leg (in use, dtls set) its endpoint. A client starts at once towards
 * the leg's remote, which it must have. 0, or -errno with a one-line reason.
 */
int dtls_legs_attach(struct dtls_legs *dl, uint32_t leg_id, const struct dtls_leg_conf *conf,
		     char *err, size_t errlen);
/* The leg is going away: free its endpoint (no-op for other legs). */
void dtls_legs_detach(struct dtls_legs *dl, uint32_t leg_id);

/* A punted DTLS datagram (parsed as pi) for leg_id; consumes m. */
void dtls_legs_input(struct dtls_legs *dl, struct rte_mbuf *m, const struct pkt_info *pi,
		     uint32_t leg_id);

/* Retransmissions, handshake timeouts, flights waiting for ARP/ND. */
void dtls_legs_timer(struct dtls_legs *dl, uint64_t now_tsc);

/* "    dtls: STATE role ROLE profile P ..." for show session; never keys. */
void dtls_legs_print(const struct dtls_legs *dl, uint32_t leg_id, FILE *out);

void dtls_legs_stats(const struct dtls_legs *dl, struct dtls_legs_stats *out);

#endif /* SRTPFWD_DTLS_LEGS_H */
