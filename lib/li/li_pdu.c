/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <string.h>

#include "li_pdu.h"

static uint8_t *
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
	return p + 2;
}

static uint8_t *
put32(uint8_t *p, uint32_t v)
{
	p = put16(p, (uint16_t)(v >> 16));
	return put16(p, (uint16_t)v);
}

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

static uint8_t *
put_attr(uint8_t *p, uint16_t type, const void *value, uint16_t len)
{
	p = put16(p, type);
	p = put16(p, len);
	memcpy(p, value, len);
	return p + len;
}

static uint8_t *
put_fixed(uint8_t *p, const struct li_pdu_meta *m, uint32_t header_len, uint32_t payload_len)
{
	p = put16(p, LI_PDU_VERSION);
	p = put16(p, m->type);
	p = put32(p, header_len);
	p = put32(p, payload_len);
	p = put16(p, m->format);
	p = put16(p, m->direction);
	memcpy(p, m->xid, 16);
	p += 16;
	p = put32(p, (uint32_t)(m->correlation_id >> 32));
	return put32(p, (uint32_t)m->correlation_id);
}

static uint8_t *
put_addr(uint8_t *p, const struct li_pdu_addr *a, uint16_t v4_type)
{
	if (a->family == 6)
		return put_attr(p, v4_type + 2, a->addr, 16);
	return put_attr(p, v4_type, a->addr, 4);
}

size_t
li_pdu_write_header(uint8_t *out, const struct li_pdu_meta *m, uint32_t payload_len)
{
	uint8_t *p = out + LI_PDU_HEADER_LEN;
	uint8_t v[8], proto = 17;

	put32(v, m->seq);
	p = put_attr(p, LI_ATTR_SEQ, v, 4);
	put32(v, (uint32_t)m->time_s);	/* §5.3: POSIX seconds (u32) and nanoseconds */
	put32(v + 4, m->time_ns);
	p = put_attr(p, LI_ATTR_TIMESTAMP, v, 8);
	p = put_addr(p, &m->src, LI_ATTR_SRC_V4);
	p = put_addr(p, &m->dst, LI_ATTR_DST_V4);
	put16(v, m->src.port);
	p = put_attr(p, LI_ATTR_SRC_PORT, v, 2);
	put16(v, m->dst.port);
	p = put_attr(p, LI_ATTR_DST_PORT, v, 2);
	p = put_attr(p, LI_ATTR_IP_PROTO, &proto, 1);
	put_fixed(out, m, (uint32_t)(p - out), payload_len);
	return (size_t)(p - out);
}

size_t
li_pdu_write_keepalive(uint8_t *out, bool ack)
{
	struct li_pdu_meta m = { .type = ack ? LI_PDU_KEEPALIVE_ACK : LI_PDU_KEEPALIVE };

	put_fixed(out, &m, LI_PDU_HEADER_LEN, 0);
	return LI_PDU_HEADER_LEN;
}

/* The attributes of a header must tile it exactly. */
static bool
attrs_ok(const uint8_t *p, size_t len)
{
	while (len > 0) {
		size_t l;

		if (len < 4)
			return false;
		l = 4u + get16(p + 2);
		if (l > len)
			return false;
		p += l;
		len -= l;
	}
	return true;
}

enum li_pdu_verdict
li_pdu_parse(const uint8_t *buf, size_t n, uint16_t *type, size_t *len)
{
	uint32_t hl, pl;

	if (n < LI_PDU_HEADER_LEN)
		return n >= 2 && get16(buf) != LI_PDU_VERSION ? LI_PDU_BAD : LI_PDU_NEED_MORE;
	hl = get32(buf + 4);
	pl = get32(buf + 8);
	*type = get16(buf + 2);
	if (get16(buf) != LI_PDU_VERSION || *type < LI_PDU_X2 || *type > LI_PDU_KEEPALIVE_ACK ||
	    hl < LI_PDU_HEADER_LEN || hl > LI_PDU_IN_MAX || pl > LI_PDU_IN_MAX)
		return LI_PDU_BAD;
	if (n < (size_t)hl + pl)
		return LI_PDU_NEED_MORE;
	if (!attrs_ok(buf + LI_PDU_HEADER_LEN, hl - LI_PDU_HEADER_LEN))
		return LI_PDU_BAD;
	*len = (size_t)hl + pl;
	return LI_PDU_OK;
}

/*
 * Key delivery, srtpfwd's documented proprietary X2 payload (big-endian):
 *   "SKEY" | version 1 | 0 | profile u16 (IANA DTLS-SRTP: 0x0001 AES_CM_128_HMAC_SHA1_80,
 *   0x0002 _32, 0x0005 NULL_HMAC_SHA1_80, 0x0007 AEAD_AES_128_GCM, 0x0008 AEAD_AES_256_GCM)
 *   | SSRC u32 (0: any) | key length u8 | salt length u8 | master key | master salt
 */
size_t
li_pdu_write_keys(uint8_t *out, const struct li_key_info *k)
{
	uint8_t *p = out;

	memcpy(p, "SKEY", 4);
	p[4] = 1;
	p[5] = 0;
	p = put16(p + 6, k->profile);
	p = put32(p, k->ssrc);
	*p++ = k->key_len;
	*p++ = k->salt_len;
	memcpy(p, k->key, k->key_len);
	p += k->key_len;
	memcpy(p, k->salt, k->salt_len);
	return (size_t)(p + k->salt_len - out);
}

static int
hex_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
li_uuid_parse(const char *s, uint8_t uuid[16])
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < 36; i++) {
		int hi, lo;

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return -1;
			continue;
		}
		hi = hex_nibble(s[i]);
		lo = hi < 0 ? -1 : hex_nibble(s[i + 1]);
		if (lo < 0)
			return -1;
		uuid[n++] = (uint8_t)(hi << 4 | lo);
		i++;
	}
	return s[36] == '\0' ? 0 : -1;
}

void
li_uuid_format(const uint8_t u[16], char *out)
{
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12],
		 u[13], u[14], u[15]);
}
