/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_DTLS_KEYS_H
#define SRTPFWD_DTLS_KEYS_H

/*
 * SRTP master keys out of a finished DTLS-SRTP handshake (RFC 5764 §4.2):
 * exporter label "EXTRACTOR-dtls_srtp", no context, 2 × (key + salt) bytes
 * laid out client_key | server_key | client_salt | server_salt (60 bytes
 * for AES-CM-128, 56 for AES-128-GCM, 88 for AES-256-GCM). Mapped to our
 * role: "local" is what we send with (outbound SRTP context), "remote" what
 * the peer sends with (inbound). Key derivation rate 0.
 * The material is exported when the handshake completes and kept in the
 * connection until dtls_conn_export_keys() takes it (or a reset or free
 * wipes it); the OpenSSL object and the DTLS master secret are gone by then.
 */

#include <stdint.h>

#include "srtp_profile.h"
#include "dtls_conn.h"

#define DTLS_SRTP_EXPORTER_LABEL "EXTRACTOR-dtls_srtp"
#define DTLS_SRTP_KEYING_MAX (2 * (SRTP_MASTER_KEY_MAX + SRTP_MASTER_SALT_MAX))

struct dtls_srtp_keys {
	enum srtp_profile profile;
	uint8_t key_len;
	uint8_t salt_len;
	uint8_t local_key[SRTP_MASTER_KEY_MAX];
	uint8_t local_salt[SRTP_MASTER_SALT_MAX];
	uint8_t remote_key[SRTP_MASTER_KEY_MAX];
	uint8_t remote_salt[SRTP_MASTER_SALT_MAX];
};

/*
 * Splits exported keying material km (2 × (key + salt) of profile p) for
 * role. The caller wipes km. 0 or -EINVAL.
 */
int dtls_srtp_keys_split(enum srtp_profile p, enum dtls_role role, const uint8_t *km,
			 size_t km_len, struct dtls_srtp_keys *out);

/*
 * The keys of a connected connection into out, once per handshake: the
 * connection's copy is wiped here, a second call returns -ENOTCONN. The
 * caller wipes out with dtls_srtp_keys_wipe() once its SRTP contexts hold
 * the keys. 0, -ENOTCONN.
 */
int dtls_conn_export_keys(struct dtls_conn *c, struct dtls_srtp_keys *out);

void dtls_srtp_keys_wipe(struct dtls_srtp_keys *k);

#endif /* SRTPFWD_DTLS_KEYS_H */
