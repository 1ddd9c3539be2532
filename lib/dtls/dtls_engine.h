/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_DTLS_ENGINE_H
#define SRTPFWD_DTLS_ENGINE_H

/*
 * The DTLS-SRTP engine of the control lcore (RFC 5763, RFC 5764, RFC 8842):
 * one OpenSSL context shared by every leg, holding the box's certificate,
 * the SRTP protection profiles in the operator's order, the ECDHE groups
 * and the counters. Legs are struct dtls_conn (dtls_conn.h).
 *
 * Version: DTLS 1.2 only. OpenSSL 3.0 has no DTLS 1.3, and the record check
 * in front of OpenSSL (dtls_record.h) knows only the 1.0/1.2 header; both
 * would have to change together to allow 1.3.
 *
 * Cipher suites: ECDHE with ECDSA (our certificate) or RSA (a peer server's),
 * AES-GCM first; groups X25519 and P-256. No session resumption, tickets or
 * renegotiation: every leg is a full handshake.
 *
 * Threads: one thread (the control lcore) owns an engine and its connections;
 * nothing here locks. Nothing here logs or prints key material.
 */

#include <stdint.h>

#include "srtp_profile.h"
#include "dtls_fingerprint.h"

struct dtls_engine;

#define DTLS_MTU_DEFAULT 1200
#define DTLS_MTU_MIN 256		/* OpenSSL's floor for a DTLS MTU */
#define DTLS_HANDSHAKE_TIMEOUT_MS_DEFAULT 30000
#define DTLS_RTX_INITIAL_MS_DEFAULT 1000	/* RFC 6347 §4.2.4.1 */
#define DTLS_RTX_MAX_MS 60000
#define DTLS_CERT_VALIDITY_DAYS_DEFAULT 30

/* Why a handshake or a connection failed; counted per reason. */
enum dtls_fail_reason {
	DTLS_FAIL_NONE = 0,
	DTLS_FAIL_FINGERPRINT_MISMATCH,	/* peer certificate ≠ signalled a=fingerprint */
	DTLS_FAIL_NO_FINGERPRINT,	/* none signalled when the certificate came */
	DTLS_FAIL_NO_CERTIFICATE,	/* peer sent none */
	DTLS_FAIL_HANDSHAKE_TIMEOUT,
	DTLS_FAIL_ALERT_RECEIVED,	/* fatal alert from the peer */
	DTLS_FAIL_NO_SRTP_PROFILE,	/* no use_srtp, or no profile in common */
	DTLS_FAIL_PROTOCOL_ERROR,	/* anything else OpenSSL refused */
	DTLS_FAIL_INTERNAL,		/* out of memory, exporter failed */
	DTLS_FAIL_MAX
};

struct dtls_engine_conf {
	/*
	 * Offered (client) or chosen from (server) in this order. n_profiles 0:
	 * AES_CM_128_HMAC_SHA1_80, AEAD_AES_128_GCM, AEAD_AES_256_GCM,
	 * AES_CM_128_HMAC_SHA1_32. SRTP_PROFILE_NULL_HMAC_SHA1_80 is refused
	 * (-ENOTSUP): OpenSSL does not implement DTLS-SRTP's NULL profiles.
	 */
	enum srtp_profile profiles[SRTP_PROFILE_MAX];
	unsigned int n_profiles;
	uint16_t mtu;			/* largest UDP payload sent; 0: 1200 */
	uint32_t handshake_timeout_ms;	/* 0: 30 s */
	uint32_t rtx_initial_ms;	/* first retransmission timeout; 0: 1 s */
	uint32_t cert_validity_days;	/* generated certificate; 0: 30 */
	/* Both set: certificate and key from PEM files instead of generating. */
	const char *cert_file;
	const char *key_file;
};

struct dtls_stats {
	uint64_t conns_created;
	uint64_t handshakes_started;
	uint64_t handshakes_completed;
	uint64_t failures[DTLS_FAIL_MAX];	/* index DTLS_FAIL_NONE unused */
	uint64_t closed;		/* close_notify received */
	uint64_t fatal_alerts_rx;
	uint64_t alerts_tx;
	uint64_t records_dropped;	/* not DTLS 1.0/1.2, truncated, late */
	uint64_t app_data_dropped;	/* application data: no data channels here */
	uint64_t retransmits;		/* flights sent again on timeout */
	uint64_t restarts;		/* dtls_conn_reset() on a used connection */
	uint64_t output_dropped;	/* datagrams the output queue had no room for */
};

/* NULL with rte_errno set (EINVAL, ENOTSUP, ENOMEM, EIO, or errno of the PEM files). */
struct dtls_engine *dtls_engine_create(const struct dtls_engine_conf *conf);
void dtls_engine_free(struct dtls_engine *e);

/*
 * A new self-signed certificate for connections created from now on
 * (existing ones keep theirs). validity_days 0: the configured one.
 * Signalling must take the new fingerprint from then on. 0 or -errno.
 */
int dtls_engine_renew_cert(struct dtls_engine *e, uint32_t validity_days);

/* The current certificate's sha-256 fingerprint, "AB:CD:.." (a=fingerprint:sha-256 ...). */
const char *dtls_engine_fingerprint(const struct dtls_engine *e);

void dtls_engine_stats(const struct dtls_engine *e, struct dtls_stats *out);

const char *dtls_fail_reason_name(enum dtls_fail_reason r);

#endif /* SRTPFWD_DTLS_ENGINE_H */
