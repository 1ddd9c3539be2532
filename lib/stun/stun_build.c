/* SPDX-License-Identifier: BSD-3-Clause */
/* The Binding responses of an ICE-lite agent, written over the request they answer. */
#include <string.h>

#include "stun_internal.h"

uint16_t
stun_build_success(uint8_t *buf, uint16_t cap, const struct stun_addr *src,
		   const struct stun_key *k)
{
	struct stun_writer w;
	/* Header, XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY, FINGERPRINT: 64 or 76 bytes. */
	uint16_t need = STUN_HDR_LEN + 4 + (src->family == 4 ? 8 : 20) + 4 + STUN_HMAC_LEN + 8;

	/* Refuse before writing: a request we cannot answer stays as it was. */
	if ((src->family != 4 && src->family != 6) || cap < need)
		return 0;
	stun_writer_init(&w, buf, cap, STUN_BINDING_SUCCESS, NULL);
	stun_writer_xor_mapped(&w, src);
	stun_writer_integrity(&w, k);
	stun_writer_fingerprint(&w);
	return stun_writer_end(&w);
}

static const char *
reason_phrase(uint16_t code)
{
	switch (code) {
	case STUN_ERR_BAD_REQUEST:
		return "Bad Request";
	case STUN_ERR_UNAUTHORIZED:
		return "Unauthorized";
	case STUN_ERR_UNKNOWN_ATTRIBUTE:
		return "Unknown Attribute";
	case STUN_ERR_ROLE_CONFLICT:
		return "Role Conflict";
	default:
		return "";
	}
}

/* ERROR-CODE (RFC 8489 §14.8): class and number, then a reason of reason_len bytes. */
static void
write_error_code(struct stun_writer *w, uint16_t code, const char *reason, uint16_t reason_len)
{
	uint8_t v[4 + 20];

	v[0] = 0;
	v[1] = 0;
	v[2] = (uint8_t)(code / 100);
	v[3] = (uint8_t)(code % 100);
	memcpy(v + 4, reason, reason_len);
	stun_writer_attr(w, STUN_ATTR_ERROR_CODE, v, (uint16_t)(4 + reason_len));
}

static void
write_unknown(struct stun_writer *w, const struct stun_msg *req)
{
	uint8_t v[2 * STUN_MAX_UNKNOWN];
	unsigned int n = req->n_unknown < STUN_MAX_UNKNOWN ? req->n_unknown : STUN_MAX_UNKNOWN;

	for (unsigned int i = 0; i < n; i++)
		stun_put16(v + 2 * i, req->unknown[i]);
	stun_writer_attr(w, STUN_ATTR_UNKNOWN_ATTRIBUTES, v, (uint16_t)(2 * n));
}

uint16_t
stun_build_error(uint8_t *buf, uint16_t max_len, uint16_t code, const struct stun_msg *req,
		 const struct stun_key *k)
{
	const char *reason = reason_phrase(code);
	unsigned int n_unknown = req->n_unknown < STUN_MAX_UNKNOWN ? req->n_unknown :
				 STUN_MAX_UNKNOWN;
	uint32_t fixed = STUN_HDR_LEN + 4 + 4 + (k != NULL ? 4 + STUN_HMAC_LEN : 0) + 4 + 4;
	struct stun_writer w;
	uint32_t room, reason_len;

	if (code < 300 || code > 699 || req->txid == NULL)
		return 0;
	if (code == STUN_ERR_UNKNOWN_ATTRIBUTE)
		fixed += 4 + stun_pad4(2 * n_unknown);
	if (fixed > max_len)
		return 0;
	/* Whole words of the reason that fit (a padded phrase takes as many bytes as this). */
	room = (max_len - fixed) & ~3u;
	reason_len = strlen(reason) < room ? strlen(reason) : room;
	stun_writer_init(&w, buf, max_len, STUN_BINDING_ERROR, req->txid);
	write_error_code(&w, code, reason, (uint16_t)reason_len);
	if (code == STUN_ERR_UNKNOWN_ATTRIBUTE)
		write_unknown(&w, req);
	if (k != NULL)
		stun_writer_integrity(&w, k);
	stun_writer_fingerprint(&w);
	return stun_writer_end(&w);
}
