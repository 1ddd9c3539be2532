/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_DTLS_RECORD_H
#define SRTPFWD_DTLS_RECORD_H

/*
 * A look at DTLS 1.2 record headers (RFC 6347 §4.1) before OpenSSL sees a
 * datagram: what cannot be a DTLS 1.0/1.2 datagram is dropped and counted
 * here, since OpenSSL discards bad records silently (§4.1.2.7) and so
 * cannot count them; and a ClientHello is recognised, which is how the
 * caller learns that the peer started over (browser or ICE restart).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DTLS_RECORD_HDR_LEN 13
#define DTLS_HS_HDR_LEN 12

enum dtls_record_check {
	DTLS_REC_OK = 0,
	DTLS_REC_BAD_TYPE,	/* content type not 20..25 */
	DTLS_REC_BAD_VERSION,	/* not DTLS 1.0 (0xfeff) or 1.2 (0xfefd) */
	DTLS_REC_TRUNCATED,	/* header or length beyond the datagram */
};

/*
 * Walks every record of the datagram (records are packed back to back,
 * §4.1.1). DTLS_REC_OK only if all headers are sane and the lengths add
 * up exactly.
 */
enum dtls_record_check dtls_record_check(const uint8_t *d, size_t len);

/*
 * The datagram's first record is an epoch-0 handshake record holding a
 * ClientHello, by its type bytes only; dtls_hello_parse() checks the rest.
 */
bool dtls_record_is_client_hello(const uint8_t *d, size_t len);

#endif /* SRTPFWD_DTLS_RECORD_H */
