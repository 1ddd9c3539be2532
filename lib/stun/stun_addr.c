/* SPDX-License-Identifier: BSD-3-Clause */
/* XOR-MAPPED-ADDRESS (RFC 8489 §14.2): the address xor'd with the cookie and transaction id. */
#include <string.h>

#include "stun_internal.h"

/* The 16 bytes an address is xor'd with: cookie then transaction id (IPv4 uses the first 4). */
static void
xor_pad(const uint8_t *hdr, uint8_t pad[16])
{
	stun_put32(pad, STUN_MAGIC_COOKIE);
	memcpy(pad + 4, hdr + 8, STUN_TXID_LEN);
}

bool
stun_writer_xor_mapped(struct stun_writer *w, const struct stun_addr *a)
{
	uint8_t v[20], pad[16];
	unsigned int n = a->family == 4 ? 4 : 16;

	if (a->family != 4 && a->family != 6) {
		w->failed = true;
		return false;
	}
	if (w->failed)
		return false;
	xor_pad(w->buf, pad);
	v[0] = 0;
	v[1] = a->family == 4 ? 1 : 2;
	stun_put16(v + 2, a->port ^ (uint16_t)(STUN_MAGIC_COOKIE >> 16));
	for (unsigned int i = 0; i < n; i++)
		v[4 + i] = a->addr[i] ^ pad[i];
	return stun_writer_attr(w, STUN_ATTR_XOR_MAPPED_ADDRESS, v, (uint16_t)(4 + n));
}

bool
stun_xor_mapped_decode(const uint8_t *buf, const struct stun_msg *msg, struct stun_addr *out)
{
	const uint8_t *v = buf + msg->xma_off + 4;
	uint8_t pad[16];
	unsigned int n;

	if (msg->xma_off == 0)
		return false;
	/* stun_parse_message() checked the length against the family. */
	if (v[1] != 1 && v[1] != 2)
		return false;
	n = v[1] == 1 ? 4 : 16;
	xor_pad(buf, pad);
	memset(out, 0, sizeof(*out));
	out->family = v[1] == 1 ? 4 : 6;
	out->port = stun_get16(v + 2) ^ (uint16_t)(STUN_MAGIC_COOKIE >> 16);
	/* Written as one xor over whole addresses: n is 4 or 16. */
	for (unsigned int i = 0; i < 16; i++)
		out->addr[i] = i < n ? v[4 + i] ^ pad[i] : 0;
	return true;
}
