/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_DTLS_CONN_H
#define SRTPFWD_DTLS_CONN_H

/*
 * One DTLS-SRTP association per leg, OpenSSL on memory BIOs: the caller
 * feeds received UDP payloads (those the RFC 7983 demux calls DTLS, from
 * the leg's ICE-validated 5-tuple only, RFC 8826 §4.2) and sends what
 * dtls_conn_pop_output() hands out, each datagram at most the engine's
 * MTU. Time is the caller's: every call takes now_ms from one monotonic
 * millisecond clock, and dtls_conn_next_timeout() says when to call
 * dtls_conn_timer() at the latest.
 *
 * Typical use on the control lcore:
 *   c = dtls_conn_create(engine, &conf);       role + peer a=fingerprint
 *   dtls_conn_start(c, now);                   client: ClientHello queued
 *   loop: ev = dtls_conn_input(c, pkt, len, now) or dtls_conn_timer(c, now);
 *         while ((n = dtls_conn_pop_output(c, buf, sizeof(buf))) > 0) send;
 *         ev & DTLS_EV_CONNECTED: dtls_conn_export_keys() → SRTP contexts,
 *                                 dtls_srtp_keys_wipe();
 *         ev & (DTLS_EV_FAILED | DTLS_EV_CLOSED): dtls_conn_info() says why;
 *         ev & DTLS_EV_CLIENT_HELLO: see below.
 *
 * Retransmission (RFC 6347 §4.2.4) runs on the caller's clock: OpenSSL's
 * own timer is parked far in the future (DTLS_set_timer_cb), and on expiry
 * the library sends its last flight again, byte for byte, doubling the
 * timeout up to 60 s. A resent datagram is a duplicate to a peer that got
 * the first copy (dropped by its replay check) and the missing flight to a
 * peer that did not. OpenSSL still answers a retransmitted client Finished
 * with our last flight by itself.
 *
 * Restart (browser reload, ICE restart, a=tls-id change, RFC 8842 §5):
 * a ClientHello arriving on a server-role connection that is connected,
 * failed or closed is not fed to OpenSSL; dtls_conn_input() returns
 * DTLS_EV_CLIENT_HELLO and leaves the connection as it was. The caller
 * decides (rate limit, signalling state) and, to accept, calls
 * dtls_conn_reset() and then dtls_conn_input() again with the same
 * datagram; the SRTP contexts already installed keep working until the new
 * handshake exports new keys. lib/call/dtls_legs.c does not reset: it runs
 * the new handshake on a second connection and keeps this one (RFC 6347
 * §4.2.8) until the new one connects. For a client-role leg the caller
 * resets when signalling says so (new tls-id) and calls dtls_conn_start().
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "srtp_profile.h"
#include "dtls_engine.h"
#include "dtls_fingerprint.h"

struct dtls_conn;

/* RFC 5763 §5 / RFC 4145: remote a=setup:active → we serve; passive → we connect. */
enum dtls_role {
	DTLS_ROLE_SERVER = 0,
	DTLS_ROLE_CLIENT,
};

enum dtls_state {
	DTLS_STATE_NEW = 0,
	DTLS_STATE_HANDSHAKING,
	DTLS_STATE_CONNECTED,
	DTLS_STATE_FAILED,
	DTLS_STATE_CLOSED,
};

/* Events returned by dtls_conn_start/input/timer, OR-ed. */
#define DTLS_EV_OUTPUT		(1u << 0)	/* datagrams to send: dtls_conn_pop_output() */
#define DTLS_EV_CONNECTED	(1u << 1)	/* handshake done: keys can be exported */
#define DTLS_EV_FAILED		(1u << 2)
#define DTLS_EV_CLOSED		(1u << 3)	/* close_notify received */
#define DTLS_EV_DROPPED		(1u << 4)	/* the datagram was not DTLS, or late */
#define DTLS_EV_CLIENT_HELLO	(1u << 5)	/* peer restarts; not consumed, see above */

struct dtls_conn_conf {
	enum dtls_role role;
	/* The peer's a=fingerprint: hash name ("sha-256") and "AB:CD:.." value. */
	const char *peer_fp_hash;
	const char *peer_fp;
	/* From the start to connected at the latest; 0: the engine's handshake timeout. */
	uint32_t handshake_timeout_ms;
};

/*
 * A connection in state NEW with the engine's current certificate. A NULL
 * peer fingerprint is allowed (answer not yet there) but the handshake
 * then fails when the peer's certificate arrives unless
 * dtls_conn_set_peer_fingerprint() was called before. NULL with rte_errno set.
 */
struct dtls_conn *dtls_conn_create(struct dtls_engine *e, const struct dtls_conn_conf *conf);
void dtls_conn_free(struct dtls_conn *c);

/* Replace the expected fingerprint (answer arrived, re-offer). 0, -EINVAL, -ENOTSUP. */
int dtls_conn_set_peer_fingerprint(struct dtls_conn *c, const char *hash, const char *value);

/*
 * NEW → HANDSHAKING; starts the handshake timeout. A client queues its
 * ClientHello. A server also starts on its first input. Events, or -EALREADY.
 */
int dtls_conn_start(struct dtls_conn *c, uint64_t now_ms);

/* One received UDP payload. Events (≥ 0), or -EINVAL. */
int dtls_conn_input(struct dtls_conn *c, const uint8_t *dgram, size_t len, uint64_t now_ms);

/*
 * A server connection in NEW starts from a ClientHello whose cookie the
 * caller has checked (dtls_cookie.h) after its own stateless
 * HelloVerifyRequest (RFC 6347 §4.2.1): OpenSSL takes it through
 * DTLSv1_listen(), so it continues the handshake as after a cookie
 * exchange (message_seq 1, the ClientHello's record sequence number; the
 * first ClientHello and the HelloVerifyRequest are not in the transcript).
 * Events, or -EINVAL (not a server in NEW).
 */
int dtls_conn_input_verified(struct dtls_conn *c, const uint8_t *dgram, size_t len,
			     uint64_t now_ms);

/* Retransmission and handshake timeout. Events. */
int dtls_conn_timer(struct dtls_conn *c, uint64_t now_ms);

/* When dtls_conn_timer() wants to run next; UINT64_MAX when nothing is pending. */
uint64_t dtls_conn_next_timeout(const struct dtls_conn *c);

/*
 * Pops the oldest queued datagram into buf: its length, 0 when none is
 * queued, -ENOSPC (datagram kept) when size is too small (the MTU always fits).
 */
int dtls_conn_pop_output(struct dtls_conn *c, uint8_t *buf, size_t size);

/*
 * Back to NEW with a fresh OpenSSL object, same role and expected
 * fingerprint, the engine's current certificate; queued output dropped.
 */
int dtls_conn_reset(struct dtls_conn *c);

/* Sends close_notify (queued as output) and moves to CLOSED. Events. */
int dtls_conn_close(struct dtls_conn *c);

/* What the console may show: never keys. */
struct dtls_conn_info {
	enum dtls_state state;
	enum dtls_role role;
	enum srtp_profile profile;	/* SRTP_PROFILE_MAX until connected */
	enum dtls_fail_reason fail_reason;
	uint16_t version;		/* DTLS1_2_VERSION once connected, else 0 */
	int last_alert_rx;		/* (level << 8) | description, -1: none */
	int last_alert_tx;
	char cipher[64];		/* "ECDHE-ECDSA-AES128-GCM-SHA256" once connected */
	char local_fp[DTLS_FP_STR_MAX];	/* sha-256 of our certificate for this leg */
	char peer_fp[DTLS_FP_STR_MAX];	/* sha-256 of the peer's, "" until seen */
	uint64_t records_dropped;
	uint64_t retransmits;
	uint32_t handshakes;		/* completed on this leg, restarts included */
};

void dtls_conn_info(const struct dtls_conn *c, struct dtls_conn_info *out);
enum dtls_state dtls_conn_state(const struct dtls_conn *c);

const char *dtls_state_name(enum dtls_state s);
const char *dtls_role_name(enum dtls_role r);

#endif /* SRTPFWD_DTLS_CONN_H */
