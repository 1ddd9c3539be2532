/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_STUN_H
#define SRTPFWD_STUN_H

/*
 * STUN (RFC 8489) as an ICE-lite agent needs it: check a Binding request,
 * authenticate it with the leg's short-term password, and answer it in place
 * in the packet buffer. Pure code: no allocation, no syscalls, no tables, no
 * locks, so a worker lcore can call all of it; only stun_key_init() is meant
 * for the control lcore (it turns a password into the precomputed HMAC state
 * the workers use).
 *
 * Every check is strict and every failure is silent except where RFC 8489
 * asks for an answer (400, 420) and the caller decides to send one:
 * a malformed message is never answered, although RFC 8489 §6.3 would let
 * us answer 400, because a reply to garbage helps only an attacker.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STUN_HDR_LEN 20
#define STUN_MAGIC_COOKIE 0x2112A442u
#define STUN_TXID_LEN 12
#define STUN_UFRAG_MAX 32	/* bytes of one ufrag */
#define STUN_PWD_MAX 64
#define STUN_HMAC_LEN 20
#define STUN_FINGERPRINT_XOR 0x5354554eu
/* A walk stops (STUN_MALFORMED) after this many attributes: bounded work per packet. */
#define STUN_MAX_ATTRS 32
#define STUN_MAX_UNKNOWN 8

/* Message types (method and class, RFC 8489 §5). */
#define STUN_BINDING_REQUEST 0x0001
#define STUN_BINDING_INDICATION 0x0011
#define STUN_BINDING_SUCCESS 0x0101
#define STUN_BINDING_ERROR 0x0111

/* Attribute types. Below 0x8000: comprehension-required. */
#define STUN_ATTR_MAPPED_ADDRESS 0x0001
#define STUN_ATTR_USERNAME 0x0006
#define STUN_ATTR_MESSAGE_INTEGRITY 0x0008
#define STUN_ATTR_ERROR_CODE 0x0009
#define STUN_ATTR_UNKNOWN_ATTRIBUTES 0x000A
#define STUN_ATTR_MESSAGE_INTEGRITY_SHA256 0x001C
#define STUN_ATTR_XOR_MAPPED_ADDRESS 0x0020
#define STUN_ATTR_PRIORITY 0x0024
#define STUN_ATTR_USE_CANDIDATE 0x0025
#define STUN_ATTR_SOFTWARE 0x8022
#define STUN_ATTR_FINGERPRINT 0x8028
#define STUN_ATTR_ICE_CONTROLLED 0x8029
#define STUN_ATTR_ICE_CONTROLLING 0x802A
#define STUN_ATTR_NOMINATION 0xC001
#define STUN_ATTR_GOOG_NETWORK_INFO 0xC057

/* Error codes an ICE-lite agent sends (RFC 8489 §14.8, RFC 8445 §7.3.1.1). */
#define STUN_ERR_BAD_REQUEST 400
#define STUN_ERR_UNAUTHORIZED 401
#define STUN_ERR_UNKNOWN_ATTRIBUTE 420
#define STUN_ERR_ROLE_CONFLICT 487

/* stun_parse() outcome, also what the worker counts. */
enum stun_status {
	STUN_OK = 0,		/* a Binding request, well formed, FINGERPRINT (if any) right */
	STUN_NOT_STUN,		/* header: first two bits, cookie, length % 4, length != datagram */
	STUN_BAD_FINGERPRINT,	/* silent drop */
	STUN_NOT_REQUEST,	/* a response, an indication or another method: silent drop */
	STUN_MALFORMED,		/* attribute walk failed (see stun_parse()): silent drop */
	STUN_UNKNOWN_REQUIRED,	/* comprehension-required attribute we do not know: 420 */
	STUN_NO_CREDENTIALS,	/* no USERNAME or no MESSAGE-INTEGRITY: 400 */
	STUN_STATUS_MAX
};

/* What stun_parse() found; pointers into the parsed buffer. */
struct stun_msg {
	uint16_t method_class;	/* the raw message type */
	uint16_t length;	/* header length field */
	const uint8_t *txid;	/* 12 bytes */
	const uint8_t *username;
	uint16_t username_len;
	uint16_t mi_off;	/* offset of the MESSAGE-INTEGRITY attribute header, 0: none */
	uint16_t fp_off;	/* offset of the FINGERPRINT attribute header, 0: none */
	uint32_t priority;
	bool has_priority;
	bool use_candidate;
	bool controlling, controlled;
	uint64_t tiebreaker;
	bool has_nomination;
	uint32_t nomination;	/* NOMINATION 0xC001 (draft-thatcher-ice-renomination) */
	uint8_t n_unknown;	/* unknown comprehension-required types, for 420 */
	uint16_t unknown[STUN_MAX_UNKNOWN];
	/* Found in responses: decode with stun_xor_mapped_decode(); code 0: none. */
	uint16_t xma_off;	/* offset of the XOR-MAPPED-ADDRESS attribute header, 0: none */
	uint16_t error_code;	/* ERROR-CODE class * 100 + number */
};

/*
 * Quick first test for the classifier path: len >= 20, the first two bits
 * zero, the magic cookie, a length field that is a multiple of 4 and fits in
 * len bytes. stun_parse() demands more (length field == len - 20).
 */
bool stun_header_ok(const uint8_t *buf, uint16_t len);

/*
 * Check a datagram (the UDP payload, len bytes) as a Binding request, in
 * this order, first failure wins:
 *  1. header (STUN_NOT_STUN); 2. type is Binding request (STUN_NOT_REQUEST,
 *  before any attribute is read); 3. attribute walk (STUN_MALFORMED):
 *  at most STUN_MAX_ATTRS attributes, each within the message (padding
 *  included), fixed lengths of the attributes we know, no duplicate of one we
 *  use, both ICE-CONTROLLING and ICE-CONTROLLED, after MESSAGE-INTEGRITY only
 *  FINGERPRINT (or, as RFC 8489 §14.6 allows, MESSAGE-INTEGRITY-SHA256, which
 *  is then ignored), nothing after FINGERPRINT; 4. FINGERPRINT value
 *  (STUN_BAD_FINGERPRINT); 5. USERNAME and MESSAGE-INTEGRITY present
 *  (STUN_NO_CREDENTIALS: RFC 8489 §9.1.3 does this check before looking at
 *  unknown attributes, §6.3.1); 6. no unknown comprehension-required
 *  attribute (STUN_UNKNOWN_REQUIRED).
 * With STUN_UNKNOWN_REQUIRED all of msg is filled in, so the caller can check
 * USERNAME and MESSAGE-INTEGRITY before it answers 420 (RFC 8489 §6.3.1 wants
 * authentication first). MESSAGE-INTEGRITY-SHA256 before MESSAGE-INTEGRITY
 * (or alone) is unknown to us, like to an RFC 5389 agent, so a client that
 * uses it learns that from the 420 and falls back to MESSAGE-INTEGRITY.
 * Whatever the outcome, msg holds what the walk found before it stopped, each
 * field set only from an attribute that passed its checks.
 */
enum stun_status stun_parse(const uint8_t *buf, uint16_t len, struct stun_msg *msg);

/*
 * Steps 1, 3, 4 and 6 of stun_parse() for a message of any type (a response,
 * say): STUN_OK, STUN_NOT_STUN, STUN_MALFORMED, STUN_BAD_FINGERPRINT or
 * STUN_UNKNOWN_REQUIRED. For tests and for checking the box's own answers.
 */
enum stun_status stun_parse_message(const uint8_t *buf, uint16_t len, struct stun_msg *msg);

/* "ok", "not_stun", ... for counters. */
const char *stun_status_name(enum stun_status s);

/* HMAC-SHA1 key state, precomputed once by the control lcore from a password. */
struct stun_key {
	uint32_t inner[5], outer[5];
};

/* Any password length (longer than 64 bytes: hashed first, as HMAC says). */
void stun_key_init(struct stun_key *k, const uint8_t *pwd, size_t pwd_len);

/* HMAC-SHA1(k, p[0..n)) into out: the primitive, for tests and benchmarks. */
void stun_hmac_sha1(const struct stun_key *k, const uint8_t *p, size_t n,
		    uint8_t out[STUN_HMAC_LEN]);

/*
 * MESSAGE-INTEGRITY of msg (parsed from buf) right for key k? The HMAC covers
 * the message up to the attribute with the length field as if the attribute
 * were the last one (computed on a copy of the header, buf is not written);
 * the 20 bytes are compared in constant time. False when msg has no MI.
 */
bool stun_integrity_ok(const uint8_t *buf, const struct stun_msg *msg, const struct stun_key *k);

/*
 * USERNAME == "local:remote"? remote_len 0 means the box does not know the
 * peer's ufrag: any non-empty remote part after "local:" matches. Compares
 * lengths first, never assumes a NUL.
 */
bool stun_username_match(const struct stun_msg *msg, const uint8_t *local, uint8_t local_len,
			 const uint8_t *remote, uint8_t remote_len);

struct stun_addr {
	uint8_t family;		/* 4 or 6 */
	uint16_t port;		/* host order */
	uint8_t addr[16];	/* network order, first 4 for v4 */
};

/*
 * Build in place over the request in buf (the transaction id at buf[8..20] is
 * kept): success response = header + XOR-MAPPED-ADDRESS(src) +
 * MESSAGE-INTEGRITY(k) + FINGERPRINT. Returns the response length, 0 when cap
 * is too small (or src's family is neither 4 nor 6). 64 bytes for IPv4, 76 for
 * IPv6.
 */
uint16_t stun_build_success(uint8_t *buf, uint16_t cap, const struct stun_addr *src,
			    const struct stun_key *k);

/*
 * Error response in place: header + ERROR-CODE(code, short reason)
 * [+ UNKNOWN-ATTRIBUTES(req->unknown) for 420] [+ MESSAGE-INTEGRITY when
 * k != NULL, used for 487] + FINGERPRINT. Never longer than max_len (pass the
 * request's length: an error never amplifies; buf must hold max_len bytes);
 * returns 0 when it cannot fit (then send nothing), or for a code outside
 * 300..699. The reason phrase is shortened, down to empty, to fit. The
 * transaction id is req->txid (it may point into buf).
 */
uint16_t stun_build_error(uint8_t *buf, uint16_t max_len, uint16_t code,
			  const struct stun_msg *req, const struct stun_key *k);

/*
 * Decode the XOR-MAPPED-ADDRESS found by stun_parse_message() in buf
 * (msg->xma_off). False when there is none or its family is unknown.
 */
bool stun_xor_mapped_decode(const uint8_t *buf, const struct stun_msg *msg,
			    struct stun_addr *out);

/* Plain CRC-32 (IEEE 802.3, reflected, as zlib): FINGERPRINT is it xor 0x5354554e. */
uint32_t stun_crc32(const uint8_t *p, size_t n);

/*
 * Writing a message attribute by attribute (the responses are built with it;
 * tests, benchmarks and a future full agent build requests with it). Errors
 * are sticky: after one, every call fails and stun_writer_end() returns 0.
 */
struct stun_writer {
	uint8_t *buf;
	uint16_t cap;
	uint16_t len;
	bool failed;
};

/* Header of type at buf; txid NULL keeps the 12 bytes already at buf[8..20]. */
void stun_writer_init(struct stun_writer *w, uint8_t *buf, uint16_t cap, uint16_t type,
		      const uint8_t *txid);
/* One attribute, value padded with zeroes to a multiple of 4. */
bool stun_writer_attr(struct stun_writer *w, uint16_t type, const void *val, uint16_t len);
bool stun_writer_attr_u32(struct stun_writer *w, uint16_t type, uint32_t v);
bool stun_writer_attr_u64(struct stun_writer *w, uint16_t type, uint64_t v);
bool stun_writer_xor_mapped(struct stun_writer *w, const struct stun_addr *a);
bool stun_writer_integrity(struct stun_writer *w, const struct stun_key *k);
bool stun_writer_fingerprint(struct stun_writer *w);
/* The message's length, 0 after a failure. */
uint16_t stun_writer_end(const struct stun_writer *w);

#endif /* SRTPFWD_STUN_H */
