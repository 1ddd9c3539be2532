/* SPDX-License-Identifier: BSD-3-Clause */
/* Writing a STUN message attribute by attribute, the header's length kept current. */
#include <string.h>

#include "stun_internal.h"

void
stun_writer_init(struct stun_writer *w, uint8_t *buf, uint16_t cap, uint16_t type,
		 const uint8_t *txid)
{
	w->buf = buf;
	w->cap = cap;
	w->len = 0;
	w->failed = cap < STUN_HDR_LEN;
	if (w->failed)
		return;
	stun_put16(buf, type);
	stun_put16(buf + 2, 0);
	stun_put32(buf + 4, STUN_MAGIC_COOKIE);
	if (txid != NULL && txid != buf + 8)
		memmove(buf + 8, txid, STUN_TXID_LEN);
	w->len = STUN_HDR_LEN;
}

/* Room for one attribute of alen bytes: its header written, padding zeroed; NULL: no room. */
static uint8_t *
reserve(struct stun_writer *w, uint16_t type, uint16_t alen)
{
	uint32_t end = (uint32_t)w->len + 4 + stun_pad4(alen);
	uint8_t *a = w->buf + w->len;

	if (w->failed || end > w->cap) {
		w->failed = true;
		return NULL;
	}
	stun_put16(a, type);
	stun_put16(a + 2, alen);
	memset(a + 4 + alen, 0, stun_pad4(alen) - alen);
	w->len = (uint16_t)end;
	stun_put16(w->buf + 2, (uint16_t)(end - STUN_HDR_LEN));
	return a + 4;
}

bool
stun_writer_attr(struct stun_writer *w, uint16_t type, const void *val, uint16_t len)
{
	uint8_t *v = reserve(w, type, len);

	if (v == NULL)
		return false;
	if (len > 0)
		memcpy(v, val, len);
	return true;
}

bool
stun_writer_attr_u32(struct stun_writer *w, uint16_t type, uint32_t x)
{
	uint8_t v[4];

	stun_put32(v, x);
	return stun_writer_attr(w, type, v, sizeof(v));
}

bool
stun_writer_attr_u64(struct stun_writer *w, uint16_t type, uint64_t x)
{
	uint8_t v[8];

	stun_put64(v, x);
	return stun_writer_attr(w, type, v, sizeof(v));
}

bool
stun_writer_integrity(struct stun_writer *w, const struct stun_key *k)
{
	uint16_t off = w->len;
	uint8_t *v = reserve(w, STUN_ATTR_MESSAGE_INTEGRITY, STUN_HMAC_LEN);

	if (v == NULL)
		return false;
	stun_integrity_compute(w->buf, off, k, v);
	return true;
}

bool
stun_writer_fingerprint(struct stun_writer *w)
{
	uint16_t off = w->len;
	uint8_t *v = reserve(w, STUN_ATTR_FINGERPRINT, 4);

	if (v == NULL)
		return false;
	stun_put32(v, stun_fingerprint_value(w->buf, off));
	return true;
}

uint16_t
stun_writer_end(const struct stun_writer *w)
{
	return w->failed ? 0 : w->len;
}
