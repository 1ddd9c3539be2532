/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_SRTP_KDF_H
#define SRTPFWD_SRTP_KDF_H

/*
 * SRTP key derivation (RFC 3711 §4.3) with key derivation rate 0, the only
 * rate DTLS-SRTP and WebRTC use (RFC 5764 §4.2). Control path only: it uses
 * OpenSSL's AES-CTR and may allocate.
 */

#include <stdbool.h>
#include <stdint.h>

#include "srtp_profile.h"

/* RFC 3711 §4.3.1 / §4.3.2 labels. */
enum srtp_kdf_label {
	SRTP_LABEL_RTP_ENC = 0x00,
	SRTP_LABEL_RTP_AUTH = 0x01,
	SRTP_LABEL_RTP_SALT = 0x02,
	SRTP_LABEL_RTCP_ENC = 0x03,
	SRTP_LABEL_RTCP_AUTH = 0x04,
	SRTP_LABEL_RTCP_SALT = 0x05,
};

#define SRTP_SESSION_AUTH_KEY_LEN 20	/* HMAC-SHA1 key, RFC 3711 §4.2.1 */

/* The session keys of one direction of SRTP or SRTCP. */
struct srtp_session_keys {
	uint8_t enc_key[SRTP_MASTER_KEY_MAX];
	uint8_t enc_key_len;
	uint8_t salt[SRTP_MASTER_SALT_MAX];	/* 14 bytes AES-CM, 12 GCM */
	uint8_t salt_len;
	uint8_t auth_key[SRTP_SESSION_AUTH_KEY_LEN];	/* unused with GCM */
	uint8_t auth_key_len;
};

/*
 * One PRF output: AES-CM keyed with master_key over IV = (master_salt XOR
 * label<<48) * 2^16, keystream of out_len bytes. A 12-byte GCM master salt is
 * padded with two zero bytes on the right (RFC 7714 §11, errata 4938).
 * 0 or -EINVAL / -ENOMEM.
 */
int srtp_kdf_prf(const uint8_t *master_key, uint8_t key_len, const uint8_t *master_salt,
		 uint8_t salt_len, uint8_t label, uint8_t *out, uint16_t out_len);

/* Session keys for profile p, SRTP (rtcp false) or SRTCP. 0 or -errno. */
int srtp_kdf_derive(enum srtp_profile p, const uint8_t *master_key, const uint8_t *master_salt,
		    bool rtcp, struct srtp_session_keys *out);

/* Wipes key material so the compiler cannot drop the stores. */
void srtp_wipe(void *p, size_t len);

#endif /* SRTPFWD_SRTP_KDF_H */
