/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "dtls_hello.h"

#define CT_HANDSHAKE 22
#define HS_CLIENT_HELLO 1
#define HS_HELLO_VERIFY_REQUEST 3
#define RANDOM_LEN 32
#define SESSION_ID_MAX 32

static const char *const check_names[DTLS_HELLO_MAX] = {
	[DTLS_HELLO_OK] = "ok",
	[DTLS_HELLO_RECORD] = "record",
	[DTLS_HELLO_NOT_HANDSHAKE] = "not-handshake",
	[DTLS_HELLO_EPOCH] = "epoch",
	[DTLS_HELLO_NOT_CLIENT_HELLO] = "not-client-hello",
	[DTLS_HELLO_LENGTH] = "length",
	[DTLS_HELLO_FRAGMENT] = "fragment",
	[DTLS_HELLO_NOT_FIRST] = "not-first-fragment",
	[DTLS_HELLO_BODY] = "body",
};

const char *
dtls_hello_check_name(enum dtls_hello_check r)
{
	return (unsigned int)r < DTLS_HELLO_MAX ? check_names[r] : "unknown";
}

static uint32_t
be24(const uint8_t *b)
{
	return (uint32_t)b[0] << 16 | (uint32_t)b[1] << 8 | b[2];
}

static uint16_t
be16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

/* A vector of 1 or 2 length bytes at *off inside n bytes: its length, or -1 past the end. */
static long
take_vector(const uint8_t *b, size_t n, size_t *off, unsigned int len_bytes)
{
	size_t vlen;

	if (n - *off < len_bytes)
		return -1;
	vlen = len_bytes == 1 ? b[*off] : be16(b + *off);
	*off += len_bytes;
	if (n - *off < vlen)
		return -1;
	*off += vlen;
	return (long)vlen;
}

/*
 * The body up to the cookie, always inside the first fragment (RFC 6347
 * §4.2.1 puts the cookie there; OpenSSL's DTLSv1_listen() asks the same);
 * the rest only when the whole message is here.
 */
static enum dtls_hello_check
parse_body(const uint8_t *b, size_t n, bool whole, struct dtls_hello *out)
{
	size_t off = 2 + RANDOM_LEN, cookie_off;
	long v;

	if (n < off)
		return DTLS_HELLO_BODY;
	out->client_version = be16(b);
	/* DTLS 1.0 or 1.2 (a DTLS 1.3 ClientHello says 1.2 here, RFC 9147 §5.3). */
	if (out->client_version != 0xfeff && out->client_version != 0xfefd)
		return DTLS_HELLO_BODY;
	v = take_vector(b, n, &off, 1);
	if (v < 0 || v > SESSION_ID_MAX)
		return DTLS_HELLO_BODY;
	cookie_off = off;
	if (take_vector(b, n, &off, 1) < 0)
		return DTLS_HELLO_BODY;
	out->cookie_len = b[cookie_off];
	out->cookie = b + cookie_off + 1;
	if (!whole)
		return DTLS_HELLO_OK;
	/* cipher_suites<2..2^16-2>, compression_methods<1..2^8-1>, extensions<0..2^16-1>. */
	v = take_vector(b, n, &off, 2);
	if (v < 2 || v % 2 != 0)
		return DTLS_HELLO_BODY;
	v = take_vector(b, n, &off, 1);
	if (v < 1)
		return DTLS_HELLO_BODY;
	if (off == n)
		return DTLS_HELLO_OK;
	v = take_vector(b, n, &off, 2);
	return v >= 0 && off == n ? DTLS_HELLO_OK : DTLS_HELLO_BODY;
}

enum dtls_hello_check
dtls_hello_parse(const uint8_t *d, size_t len, struct dtls_hello *out)
{
	const uint8_t *hs = d + DTLS_RECORD_HDR_LEN;
	uint32_t frag_off;
	size_t rlen;

	if (dtls_record_check(d, len) != DTLS_REC_OK)
		return DTLS_HELLO_RECORD;
	if (d[0] != CT_HANDSHAKE)
		return DTLS_HELLO_NOT_HANDSHAKE;
	if (d[3] != 0 || d[4] != 0)
		return DTLS_HELLO_EPOCH;
	rlen = (size_t)d[11] << 8 | d[12];
	if (rlen < DTLS_HS_HDR_LEN)
		return DTLS_HELLO_LENGTH;
	if (hs[0] != HS_CLIENT_HELLO)
		return DTLS_HELLO_NOT_CLIENT_HELLO;
	memcpy(out->rec_seq, d + 5, sizeof(out->rec_seq));
	out->msg_len = be24(hs + 1);
	out->msg_seq = be16(hs + 4);
	frag_off = be24(hs + 6);
	out->frag_len = be24(hs + 9);
	/* One message that fills its record, as every stack sends a ClientHello. */
	if (out->msg_len < DTLS_HELLO_BODY_MIN || out->msg_len > DTLS_HELLO_MSG_MAX ||
	    out->frag_len != rlen - DTLS_HS_HDR_LEN)
		return DTLS_HELLO_LENGTH;
	if (frag_off > out->msg_len || out->frag_len > out->msg_len - frag_off)
		return DTLS_HELLO_FRAGMENT;
	if (frag_off != 0)
		return DTLS_HELLO_NOT_FIRST;
	return parse_body(hs + DTLS_HS_HDR_LEN, out->frag_len, out->frag_len == out->msg_len, out);
}

size_t
dtls_hvr_build(const struct dtls_hello *h, const uint8_t *cookie, uint8_t cookie_len,
	       uint8_t *out, size_t size)
{
	size_t n = DTLS_HVR_LEN(cookie_len), body = 3 + (size_t)cookie_len;
	uint8_t *hs = out + DTLS_RECORD_HDR_LEN;

	if (size < n)
		return 0;
	/* Record: handshake, DTLS 1.0 (§4.2.1: "regardless of the version"), epoch 0. */
	out[0] = CT_HANDSHAKE;
	out[1] = 0xfe;
	out[2] = 0xff;
	out[3] = 0;
	out[4] = 0;
	memcpy(out + 5, h->rec_seq, sizeof(h->rec_seq));
	out[11] = (uint8_t)((n - DTLS_RECORD_HDR_LEN) >> 8);
	out[12] = (uint8_t)(n - DTLS_RECORD_HDR_LEN);
	/* Handshake header: one unfragmented message, message_seq 0. */
	hs[0] = HS_HELLO_VERIFY_REQUEST;
	hs[1] = 0;
	hs[2] = (uint8_t)(body >> 8);
	hs[3] = (uint8_t)body;
	hs[4] = 0;
	hs[5] = 0;
	memset(hs + 6, 0, 3);
	memcpy(hs + 9, hs + 1, 3);
	/* server_version DTLS 1.0, opaque cookie<0..2^8-1>. */
	hs[12] = 0xfe;
	hs[13] = 0xff;
	hs[14] = cookie_len;
	memcpy(hs + 15, cookie, cookie_len);
	return n;
}
