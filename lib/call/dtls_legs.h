/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_DTLS_LEGS_H
#define SRTPFWD_DTLS_LEGS_H

/*
 * The control lcore's DTLS-SRTP endpoints (RFC 5763/5764), one per e2ae leg
 * whose keys come from a handshake: workers punt the leg's DTLS records
 * here (PUNT_DTLS), lib/dtls runs OpenSSL on them, flights leave on the
 * control lcore's TX queue from the leg's local address, and a finished
 * handshake (the signalled fingerprint matched) installs the leg's SRTP
 * contexts (call_leg_install_srtp) and, on a leg without ICE, latches the
 * leg to the peer it ran with. On an ICE leg latching is ICE's (nomination):
 * the keys are installed, the remote is left alone.
 *
 * Nobody can knock a leg over from a spoofed or unproven source:
 *  - A source becomes a handshake's peer only with the first fragment of a
 *    valid ClientHello (dtls_hello.h); anything else from a source with no
 *    handshake is dropped (dtls_not_hello).
 *  - A server leg without ICE answers a ClientHello without a valid cookie
 *    with a stateless HelloVerifyRequest, smaller than the request and sent
 *    once (dtls_hvr.h); only a valid cookie creates handshake state. On an
 *    ICE leg the worker punts DTLS only from ICE-validated pairs, so the
 *    ClientHello's source counts as validated.
 *  - Flights and retransmissions go only to a validated source: the
 *    cookie-proven or ICE-validated peer, or the signalled remote (client).
 *  - A server leg's handshake must finish within the peer timeout from the
 *    ClientHello that started it; then the leg is free for the next peer.
 *  - A ClientHello on a connected leg (browser reload, ICE restart, RFC 6347
 *    §4.2.8) starts a second handshake beside the connected association, at
 *    most one per restart interval: the old keys and association stay
 *    until the new handshake completes, and a failed or abandoned one
 *    leaves them untouched (restart_failed).
 * A close_notify, a fatal alert (both authenticated by the association) or a
 * failed first handshake stop the leg's media (its SRTP set is withdrawn;
 * media is dropped as srtp_no_keys).
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
#define DTLS_LEGS_PEER_TIMEOUT_MS_DEFAULT 10000

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
	/* A server leg's handshake, from its ClientHello to connected; 0: 10 s. */
	uint32_t peer_timeout_ms;
};

/* What the legs' endpoints did, beside the engine's own struct dtls_stats. */
struct dtls_legs_stats {
	uint64_t keys_installed;	/* handshakes whose keys reached the fast path */
	uint64_t install_failed;	/* exporter or SRTP context creation failed */
	uint64_t media_stopped;		/* keys withdrawn: close_notify, alert, failure */
	uint64_t restarts;		/* new handshakes on a used leg */
	uint64_t restarts_refused;	/* ClientHellos inside the restart interval */
	uint64_t restarts_completed;	/* a connected leg's new handshake replaced its keys */
	uint64_t restart_failed;	/* ... failed or timed out: the old keys and association kept */
	uint64_t hvr_sent;		/* ClientHellos without a valid cookie, answered statelessly */
	uint64_t cookies_verified;	/* ClientHellos with a valid cookie: handshake state made */
	uint64_t not_hello;		/* from a source with no handshake, not a ClientHello: dropped */
	uint64_t peer_timeouts;		/* a server leg's half-started handshake given up */
	uint64_t datagrams_tx;
	uint64_t datagrams_rx;
	uint64_t output_waiting;	/* flights held back: next hop not resolved yet */
};

/* How a leg's endpoint is set up (from signalling: a=setup, a=fingerprint). */
struct dtls_leg_conf {
	enum dtls_role role;
	const char *fp_hash;		/* "sha-256"; NULL: none yet */
	const char *fp;			/* "AB:CD:.." */
	/*
	 * The leg has ICE: the workers punt its DTLS only from ICE-validated
	 * pairs, so no cookie exchange, and a handshake does not latch the leg.
	 */
	bool ice;
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
/*
 * The peer's fingerprint became known (an ng answer): its certificate must
 * match it. 0, -ENOENT (no endpoint), -EINVAL, -ENOTSUP (hash).
 */
int dtls_legs_set_peer_fingerprint(struct dtls_legs *dl, uint32_t leg_id, const char *fp_hash,
				   const char *fp);
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
