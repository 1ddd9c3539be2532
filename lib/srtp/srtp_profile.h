/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_SRTP_PROFILE_H
#define SRTPFWD_SRTP_PROFILE_H

/*
 * SRTP protection profiles: names as signalled (SDES crypto suites of
 * RFC 4568 / RFC 7714, and the DTLS-SRTP names of RFC 5764 / RFC 7714),
 * key, salt and tag lengths, and the SDES "inline:" key parameter.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum srtp_profile {
	SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80 = 0,
	SRTP_PROFILE_AES_CM_128_HMAC_SHA1_32,
	SRTP_PROFILE_AEAD_AES_128_GCM,
	SRTP_PROFILE_AEAD_AES_256_GCM,
	SRTP_PROFILE_NULL_HMAC_SHA1_80,
	SRTP_PROFILE_MAX
};

#define SRTP_MASTER_KEY_MAX 32
#define SRTP_MASTER_SALT_MAX 14
#define SRTP_TAG_MAX 16
/* Most bytes protect adds to a packet: tag plus the SRTCP E||index word. */
#define SRTP_TRAILER_MAX (SRTP_TAG_MAX + 4)

struct srtp_profile_info {
	const char *sdes_name;		/* RFC 4568 / RFC 7714 crypto suite */
	const char *dtls_name;		/* RFC 5764 / RFC 7714 protection profile */
	uint8_t master_key_len;
	uint8_t master_salt_len;	/* 14 for AES-CM, 12 for GCM (RFC 7714 §12) */
	uint8_t rtp_tag_len;
	uint8_t rtcp_tag_len;		/* 80-bit for the _32 profile too (RFC 5764 §4.1.2) */
	bool aead;			/* AES-GCM: tag is the GCM tag, no HMAC */
	bool encrypts;			/* false for the NULL cipher */
};

/* NULL for an out-of-range profile. */
const struct srtp_profile_info *srtp_profile_info(enum srtp_profile p);

/* Accepts the SDES and the DTLS-SRTP spelling; 0 or -EINVAL. */
int srtp_profile_from_name(const char *name, enum srtp_profile *p);
/* The SDES name. */
const char *srtp_profile_name(enum srtp_profile p);

/*
 * Parses an SDES key parameter "inline:<base64 key||salt>[|lifetime][|MKI:len]"
 * for profile p into key[master_key_len] and salt[master_salt_len].
 * Lifetime is accepted and ignored; an MKI is refused (srtpfwd sends none).
 * 0, or -EINVAL on malformed input or a wrong length.
 */
int srtp_parse_inline_key(enum srtp_profile p, const char *param, uint8_t *key, uint8_t *salt);

/*
 * Standard base64 (RFC 4648 §4) decoding, padding optional. Returns the
 * number of bytes written, or -EINVAL (bad character) / -ENOSPC.
 */
int srtp_base64_decode(const char *in, size_t in_len, uint8_t *out, size_t out_size);

#endif /* SRTPFWD_SRTP_PROFILE_H */
