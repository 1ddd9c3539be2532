/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_DTLS_HELLO_H
#define SRTPFWD_DTLS_HELLO_H

/*
 * What a datagram from a source the box has no handshake with must be before
 * anything is kept for it or sent to it: the first fragment of a DTLS 1.0/1.2
 * ClientHello (RFC 6347 §4.1, §4.2.2, §4.2.3). Checked without state or
 * allocation: every record header sane (dtls_record_check()); the first
 * record a handshake record of epoch 0; its one handshake message a
 * client_hello whose fragment fills the record and lies inside the message;
 * the body's client_version DTLS, its session id (at most 32 bytes) and
 * cookie inside the fragment; and, when the message is not fragmented,
 * cipher suites, compression methods and extensions that add up exactly.
 *
 * And the stateless answer to a ClientHello without a valid cookie: a
 * HelloVerifyRequest (RFC 6347 §4.2.1), built from the ClientHello alone,
 * always smaller than it. Pure: no OpenSSL, no DPDK.
 */

#include <stddef.h>
#include <stdint.h>

#include "dtls_record.h"

enum dtls_hello_check {
	DTLS_HELLO_OK = 0,
	DTLS_HELLO_RECORD,		/* records not sane (dtls_record_check()) */
	DTLS_HELLO_NOT_HANDSHAKE,	/* first record not a handshake record */
	DTLS_HELLO_EPOCH,		/* first record not of epoch 0 */
	DTLS_HELLO_NOT_CLIENT_HELLO,	/* a handshake message, another type */
	DTLS_HELLO_LENGTH,		/* message length out of bounds, or not what the record holds */
	DTLS_HELLO_FRAGMENT,		/* fragment beyond its message */
	DTLS_HELLO_NOT_FIRST,		/* a sound fragment, but not the first: no body to check */
	DTLS_HELLO_BODY,		/* version, session id, cookie or lists do not add up */
	DTLS_HELLO_MAX
};

/* Smallest body: version 2, random 32, three empty lengths 1+1+2, a suite 2, a method 1+1. */
#define DTLS_HELLO_BODY_MIN 42
/* Largest ClientHello taken: two MTU-sized fragments with post-quantum key shares fit. */
#define DTLS_HELLO_MSG_MAX 16384
#define DTLS_COOKIE_MAX 255

/* What the answer needs of a ClientHello; pointers into the datagram. */
struct dtls_hello {
	uint8_t rec_seq[6];		/* record sequence number: the HelloVerifyRequest's */
	uint16_t msg_seq;
	uint16_t client_version;
	uint32_t msg_len;
	uint32_t frag_len;
	const uint8_t *cookie;
	uint8_t cookie_len;
};

/* Checks d as described above; DTLS_HELLO_OK fills out (else out is undefined). */
enum dtls_hello_check dtls_hello_parse(const uint8_t *d, size_t len, struct dtls_hello *out);

const char *dtls_hello_check_name(enum dtls_hello_check r);

/* Bytes of a HelloVerifyRequest carrying a cookie of cookie_len bytes. */
#define DTLS_HVR_LEN(cookie_len) (DTLS_RECORD_HDR_LEN + DTLS_HS_HDR_LEN + 3 + (cookie_len))

/*
 * The HelloVerifyRequest answering h: record version DTLS 1.0 and h's record
 * sequence number (§4.2.1), message_seq 0, server_version DTLS 1.0, cookie.
 * Its length, or 0 when size is too small.
 */
size_t dtls_hvr_build(const struct dtls_hello *h, const uint8_t *cookie, uint8_t cookie_len,
		      uint8_t *out, size_t size);

#endif /* SRTPFWD_DTLS_HELLO_H */
