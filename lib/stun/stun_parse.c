/* SPDX-License-Identifier: BSD-3-Clause */
/* STUN message checks (RFC 8489 §5, §6.3, §14): the header, then one bounded attribute walk. */
#include <string.h>

#include "stun_internal.h"

/* Attributes we read: each may appear once (a second one is STUN_MALFORMED). */
enum seen_bit {
	SEEN_USERNAME = 1u << 0,
	SEEN_PRIORITY = 1u << 1,
	SEEN_USE_CANDIDATE = 1u << 2,
	SEEN_ICE_ROLE = 1u << 3,	/* ICE-CONTROLLING or ICE-CONTROLLED: one of them, once */
	SEEN_NOMINATION = 1u << 4,
	SEEN_XOR_MAPPED = 1u << 5,
	SEEN_ERROR_CODE = 1u << 6,
	SEEN_MI_SHA256 = 1u << 7,	/* after MESSAGE-INTEGRITY */
};

/* RFC 8489 §14.3: USERNAME is less than 513 bytes. */
#define STUN_USERNAME_MAX 513
/* RFC 8489 §14.8: a reason phrase of at most 763 bytes. */
#define STUN_ERROR_CODE_MAX (4 + 763)

bool
stun_header_ok(const uint8_t *buf, uint16_t len)
{
	uint16_t mlen;

	if (len < STUN_HDR_LEN || (buf[0] & 0xc0) != 0 || stun_get32(buf + 4) != STUN_MAGIC_COOKIE)
		return false;
	mlen = stun_get16(buf + 2);
	return (mlen & 3) == 0 && mlen <= len - STUN_HDR_LEN;
}

/* Step 1: a STUN header whose length field is exactly the rest of the datagram. */
static bool
parse_header(const uint8_t *buf, uint16_t len, struct stun_msg *msg)
{
	memset(msg, 0, sizeof(*msg));
	if (!stun_header_ok(buf, len) || stun_get16(buf + 2) != len - STUN_HDR_LEN)
		return false;
	msg->method_class = stun_get16(buf);
	msg->length = stun_get16(buf + 2);
	msg->txid = buf + 8;
	return true;
}

/* Once only; false when seen before. */
static bool
first_time(uint32_t *seen, uint32_t bit)
{
	if (*seen & bit)
		return false;
	*seen |= bit;
	return true;
}

static void
note_unknown(struct stun_msg *msg, uint16_t type)
{
	for (unsigned int i = 0; i < msg->n_unknown; i++)
		if (msg->unknown[i] == type)
			return;
	/* More than fit: the 420 lists the first ones, enough for the client to give up. */
	if (msg->n_unknown < STUN_MAX_UNKNOWN)
		msg->unknown[msg->n_unknown++] = type;
}

static bool
take_address(const uint8_t *v, uint16_t alen)
{
	/* Family 1 (IPv4): 4 + 4 bytes; family 2 (IPv6): 4 + 16 (RFC 8489 §14.1). */
	return (alen == 8 && v[1] == 1) || (alen == 20 && v[1] == 2);
}

static bool
take_error_code(struct stun_msg *msg, const uint8_t *v, uint16_t alen)
{
	unsigned int cls, num;

	if (alen < 4 || alen > STUN_ERROR_CODE_MAX)
		return false;
	cls = v[2] & 7;
	num = v[3];
	if (cls < 3 || cls > 6 || num > 99)
		return false;
	msg->error_code = (uint16_t)(cls * 100 + num);
	return true;
}

/* The ICE attributes (RFC 8445 §16.1, NOMINATION from renomination): fixed lengths, once each. */
static bool
take_ice(struct stun_msg *msg, uint32_t *seen, uint16_t type, const uint8_t *v, uint16_t alen)
{
	switch (type) {
	case STUN_ATTR_PRIORITY:
		if (alen != 4 || !first_time(seen, SEEN_PRIORITY))
			return false;
		msg->priority = stun_get32(v);
		msg->has_priority = true;
		return true;
	case STUN_ATTR_USE_CANDIDATE:
		if (alen != 0 || !first_time(seen, SEEN_USE_CANDIDATE))
			return false;
		msg->use_candidate = true;
		return true;
	case STUN_ATTR_NOMINATION:
		if (alen != 4 || !first_time(seen, SEEN_NOMINATION))
			return false;
		msg->nomination = stun_get32(v);
		msg->has_nomination = true;
		return true;
	default:	/* ICE-CONTROLLING, ICE-CONTROLLED: one of them, once */
		if (alen != 8 || !first_time(seen, SEEN_ICE_ROLE))
			return false;
		msg->controlling = type == STUN_ATTR_ICE_CONTROLLING;
		msg->controlled = !msg->controlling;
		msg->tiebreaker = stun_get64(v);
		return true;
	}
}

/* One attribute before MESSAGE-INTEGRITY; false: STUN_MALFORMED. */
static bool
take_attr(struct stun_msg *msg, uint32_t *seen, const uint8_t *buf, uint16_t off)
{
	uint16_t type = stun_get16(buf + off), alen = stun_get16(buf + off + 2);
	const uint8_t *v = buf + off + 4;

	switch (type) {
	case STUN_ATTR_USERNAME:
		if (alen == 0 || alen >= STUN_USERNAME_MAX || !first_time(seen, SEEN_USERNAME))
			return false;
		msg->username = v;
		msg->username_len = alen;
		return true;
	case STUN_ATTR_MESSAGE_INTEGRITY:
		if (alen != STUN_HMAC_LEN)
			return false;
		msg->mi_off = off;
		return true;
	case STUN_ATTR_FINGERPRINT:
		if (alen != 4)
			return false;
		msg->fp_off = off;
		return true;
	case STUN_ATTR_PRIORITY:
	case STUN_ATTR_USE_CANDIDATE:
	case STUN_ATTR_NOMINATION:
	case STUN_ATTR_ICE_CONTROLLED:
	case STUN_ATTR_ICE_CONTROLLING:
		return take_ice(msg, seen, type, v, alen);
	case STUN_ATTR_XOR_MAPPED_ADDRESS:
		if (!take_address(v, alen) || !first_time(seen, SEEN_XOR_MAPPED))
			return false;
		msg->xma_off = off;
		return true;
	case STUN_ATTR_ERROR_CODE:
		return take_error_code(msg, v, alen) && first_time(seen, SEEN_ERROR_CODE);
	case STUN_ATTR_UNKNOWN_ATTRIBUTES:
		return (alen & 1) == 0;
	case STUN_ATTR_MAPPED_ADDRESS:
		return take_address(v, alen);
	default:
		if (type < 0x8000)
			note_unknown(msg, type);
		return true;	/* comprehension-optional (SOFTWARE, GOOG-NETWORK-INFO...): ignored */
	}
}

/*
 * Step 3: every attribute inside the message, padding included, at most
 * STUN_MAX_ATTRS of them; after MESSAGE-INTEGRITY only FINGERPRINT (or
 * MESSAGE-INTEGRITY-SHA256, ignored as an RFC 5389 agent ignores what follows
 * MI), after FINGERPRINT nothing.
 */
static enum stun_status
walk_attrs(const uint8_t *buf, uint16_t len, struct stun_msg *msg)
{
	uint32_t seen = 0;
	unsigned int n = 0;

	for (uint16_t off = STUN_HDR_LEN; off < len; ) {
		uint16_t type, alen;

		/* len and off are multiples of 4: an attribute header always fits. */
		type = stun_get16(buf + off);
		alen = stun_get16(buf + off + 2);
		if (++n > STUN_MAX_ATTRS || stun_pad4(alen) > (uint32_t)(len - off - 4u))
			return STUN_MALFORMED;
		if (msg->fp_off != 0)
			return STUN_MALFORMED;
		if (msg->mi_off != 0 && type != STUN_ATTR_FINGERPRINT) {
			if (type != STUN_ATTR_MESSAGE_INTEGRITY_SHA256 || alen < 16 || alen > 32 ||
			    (alen & 3) != 0 || !first_time(&seen, SEEN_MI_SHA256))
				return STUN_MALFORMED;
		} else if (!take_attr(msg, &seen, buf, off)) {
			return STUN_MALFORMED;
		}
		off = (uint16_t)(off + 4 + stun_pad4(alen));
	}
	return STUN_OK;
}

/* Steps 3, 4 and 6, after a header has passed. */
static enum stun_status
check_body(const uint8_t *buf, uint16_t len, struct stun_msg *msg, bool request)
{
	if (walk_attrs(buf, len, msg) != STUN_OK)
		return STUN_MALFORMED;
	if (msg->fp_off != 0 &&
	    stun_get32(buf + msg->fp_off + 4) != stun_fingerprint_value(buf, msg->fp_off))
		return STUN_BAD_FINGERPRINT;
	if (request && (msg->username == NULL || msg->mi_off == 0))
		return STUN_NO_CREDENTIALS;
	return msg->n_unknown != 0 ? STUN_UNKNOWN_REQUIRED : STUN_OK;
}

enum stun_status
stun_parse(const uint8_t *buf, uint16_t len, struct stun_msg *msg)
{
	if (!parse_header(buf, len, msg))
		return STUN_NOT_STUN;
	if (msg->method_class != STUN_BINDING_REQUEST)
		return STUN_NOT_REQUEST;
	return check_body(buf, len, msg, true);
}

enum stun_status
stun_parse_message(const uint8_t *buf, uint16_t len, struct stun_msg *msg)
{
	if (!parse_header(buf, len, msg))
		return STUN_NOT_STUN;
	return check_body(buf, len, msg, false);
}

static const char *const status_names[STUN_STATUS_MAX] = {
	[STUN_OK] = "ok",
	[STUN_NOT_STUN] = "not_stun",
	[STUN_BAD_FINGERPRINT] = "bad_fingerprint",
	[STUN_NOT_REQUEST] = "not_request",
	[STUN_MALFORMED] = "malformed",
	[STUN_UNKNOWN_REQUIRED] = "unknown_required",
	[STUN_NO_CREDENTIALS] = "no_credentials",
};

const char *
stun_status_name(enum stun_status s)
{
	return (unsigned int)s < STUN_STATUS_MAX ? status_names[s] : "invalid";
}
