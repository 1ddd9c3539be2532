/* SPDX-License-Identifier: BSD-3-Clause */
/* Short-term credentials (RFC 8489 §9.1): USERNAME and MESSAGE-INTEGRITY (HMAC-SHA1, RFC 2104). */
#include <string.h>

#include "stun_internal.h"
#include "stun_sha1.h"

void
stun_key_init(struct stun_key *k, const uint8_t *pwd, size_t pwd_len)
{
	uint8_t key[STUN_SHA1_BLOCK] = { 0 }, pad[STUN_SHA1_BLOCK];
	struct stun_sha1_ctx c;

	if (pwd_len > STUN_SHA1_BLOCK)
		stun_sha1(pwd, pwd_len, key);
	else
		memcpy(key, pwd, pwd_len);
	/* The state after the one block of (key ^ ipad) and of (key ^ opad): all an HMAC needs. */
	for (unsigned int i = 0; i < STUN_SHA1_BLOCK; i++)
		pad[i] = key[i] ^ 0x36;
	stun_sha1_init(&c);
	stun_sha1_blocks(c.h, pad, 1);
	memcpy(k->inner, c.h, sizeof(k->inner));
	for (unsigned int i = 0; i < STUN_SHA1_BLOCK; i++)
		pad[i] = key[i] ^ 0x5c;
	stun_sha1_init(&c);
	stun_sha1_blocks(c.h, pad, 1);
	memcpy(k->outer, c.h, sizeof(k->outer));
}

/* The outer hash over the inner digest, finishing an HMAC whose inner part is in c. */
static void
hmac_finish(struct stun_sha1_ctx *c, const struct stun_key *k, uint8_t out[STUN_HMAC_LEN])
{
	uint8_t inner[STUN_SHA1_LEN];

	stun_sha1_final(c, inner);
	stun_sha1_resume(c, k->outer);
	stun_sha1_update(c, inner, sizeof(inner));
	stun_sha1_final(c, out);
}

void
stun_hmac_sha1(const struct stun_key *k, const uint8_t *p, size_t n, uint8_t out[STUN_HMAC_LEN])
{
	struct stun_sha1_ctx c;

	stun_sha1_resume(&c, k->inner);
	stun_sha1_update(&c, p, n);
	hmac_finish(&c, k, out);
}

/*
 * The MESSAGE-INTEGRITY value for an attribute at mi_off: the header's length
 * field counts up to the end of that attribute (RFC 8489 §14.5), whatever
 * follows it. The header is patched in a copy; buf is not written.
 */
void
stun_integrity_compute(const uint8_t *buf, uint16_t mi_off, const struct stun_key *k,
		       uint8_t out[STUN_HMAC_LEN])
{
	struct stun_sha1_ctx c;
	uint8_t hdr[STUN_HDR_LEN];

	memcpy(hdr, buf, STUN_HDR_LEN);
	stun_put16(hdr + 2, (uint16_t)(mi_off + 4 + STUN_HMAC_LEN - STUN_HDR_LEN));
	stun_sha1_resume(&c, k->inner);
	stun_sha1_update(&c, hdr, STUN_HDR_LEN);
	stun_sha1_update(&c, buf + STUN_HDR_LEN, mi_off - STUN_HDR_LEN);
	hmac_finish(&c, k, out);
}

bool
stun_integrity_ok(const uint8_t *buf, const struct stun_msg *msg, const struct stun_key *k)
{
	uint8_t mac[STUN_HMAC_LEN], diff = 0;

	/* stun_parse() vouches for this; checked again since a wrong one would read past buf. */
	if (msg->mi_off < STUN_HDR_LEN ||
	    msg->mi_off + 4 + STUN_HMAC_LEN > STUN_HDR_LEN + msg->length)
		return false;
	stun_integrity_compute(buf, msg->mi_off, k, mac);
	/* Constant time: how many leading bytes of a forged MAC were right must not show. */
	for (unsigned int i = 0; i < STUN_HMAC_LEN; i++)
		diff |= mac[i] ^ buf[msg->mi_off + 4 + i];
	return diff == 0;
}

bool
stun_username_match(const struct stun_msg *msg, const uint8_t *local, uint8_t local_len,
		    const uint8_t *remote, uint8_t remote_len)
{
	const uint8_t *u = msg->username;
	uint16_t n = msg->username_len;

	if (u == NULL || local_len == 0 || n < local_len + 2u)
		return false;
	if (memcmp(u, local, local_len) != 0 || u[local_len] != ':')
		return false;
	if (remote_len == 0)
		return true;	/* the box was not told the peer's ufrag: any non-empty one */
	return n == local_len + 1u + remote_len && memcmp(u + local_len + 1, remote, remote_len) == 0;
}
