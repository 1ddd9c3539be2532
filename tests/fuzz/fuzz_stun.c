/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for lib/stun: any bytes as a UDP payload. The first input
 * byte is a control byte: bit 0 recomputes a trailing FINGERPRINT and bit 1 a
 * MESSAGE-INTEGRITY (with the harness's key) before parsing, so that the
 * fuzzer gets past both checks and explores what follows them. Checked:
 * stun_parse() and stun_parse_message() agree with each other and with
 * stun_header_ok(); what a successful parse reports lies inside the message;
 * a success response built over an accepted request parses back, verifies and
 * carries the source; an error response is never longer than the request and
 * parses back with its code. The message sits at the end of a heap buffer of
 * its own size, so ASan catches any read past it.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stun/stun.h"
#include "stun/stun_internal.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct stun_key key;

/* Make the trailing FINGERPRINT and/or the MESSAGE-INTEGRITY right, as ctl asks. */
static void
fix_checks(uint8_t *buf, uint16_t len, uint8_t ctl)
{
	struct stun_msg m;

	/* Where the walk found them; their values do not change the walk. */
	if (stun_parse_message(buf, len, &m) == STUN_NOT_STUN)
		return;
	if ((ctl & 2) && m.mi_off != 0)
		stun_integrity_compute(buf, m.mi_off, &key, buf + m.mi_off + 4);
	if ((ctl & 1) && m.fp_off != 0)
		stun_put32(buf + m.fp_off + 4, stun_fingerprint_value(buf, m.fp_off));
}

/* Everything a parse reported points inside the message. */
static void
check_msg(const uint8_t *buf, uint16_t len, const struct stun_msg *m, enum stun_status st)
{
	CHECK(m->length == len - STUN_HDR_LEN);
	CHECK(m->txid == buf + 8);
	if (st != STUN_OK && st != STUN_UNKNOWN_REQUIRED && st != STUN_NO_CREDENTIALS)
		return;
	CHECK(m->username == NULL ||
	      (m->username >= buf + 24 && m->username + m->username_len <= buf + len));
	CHECK(m->mi_off == 0 || (m->mi_off >= STUN_HDR_LEN && m->mi_off + 24u <= len));
	CHECK(m->fp_off == 0 || m->fp_off + 8u == len);
	CHECK(m->n_unknown <= STUN_MAX_UNKNOWN);
	CHECK(!(m->controlling && m->controlled));
}

static void
check_success(const uint8_t *req, uint16_t len, const struct stun_addr *src)
{
	uint16_t need = src->family == 4 ? 64 : 76;
	uint8_t *buf = malloc(need);
	struct stun_msg m;
	struct stun_addr got;

	memcpy(buf, req, len < need ? len : need);
	CHECK(stun_build_success(buf, need - 1, src, &key) == 0);
	CHECK(stun_build_success(buf, need, src, &key) == need);
	CHECK(memcmp(buf + 8, req + 8, STUN_TXID_LEN) == 0);
	CHECK(stun_parse_message(buf, need, &m) == STUN_OK);
	CHECK(m.method_class == STUN_BINDING_SUCCESS && m.fp_off == need - 8);
	CHECK(stun_integrity_ok(buf, &m, &key));
	CHECK(stun_xor_mapped_decode(buf, &m, &got));
	CHECK(got.family == src->family && got.port == src->port &&
	      memcmp(got.addr, src->addr, 16) == 0);
	free(buf);
}

/* An error built over a copy of the request, in exactly the request's bytes. */
static void
check_error(const uint8_t *req, uint16_t len, const struct stun_msg *rm, uint16_t code,
	    const struct stun_key *k)
{
	uint8_t *buf = malloc(len);
	struct stun_msg m;
	uint16_t n;

	memcpy(buf, req, len);
	n = stun_build_error(buf, len, code, rm, k);
	CHECK(n <= len && n % 4 == 0);
	if (n != 0) {
		CHECK(stun_parse_message(buf, n, &m) == STUN_OK);
		CHECK(m.method_class == STUN_BINDING_ERROR && m.error_code == code);
		CHECK(memcmp(buf + 8, req + 8, STUN_TXID_LEN) == 0);
		CHECK((m.mi_off != 0) == (k != NULL));
		CHECK(k == NULL || stun_integrity_ok(buf, &m, k));
	}
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stun_addr v4 = { .family = 4, .port = 5000, .addr = { 198, 18, 0, 2 } };
	struct stun_addr v6 = { .family = 6, .port = 1, .addr = { 0x20, 0x01, 0x00, 0x02, 9 } };
	struct stun_msg m, any;
	enum stun_status st, st_any;
	uint16_t len;
	uint8_t *buf;

	if (size < 1 || size > 1 + 1500)
		return 0;
	if (key.inner[0] == 0)
		stun_key_init(&key, (const uint8_t *)"fuzz-password-0123456789", 24);
	len = (uint16_t)(size - 1);
	buf = malloc(len > 0 ? len : 1);
	memcpy(buf, data + 1, len);
	fix_checks(buf, len, data[0]);

	st = stun_parse(buf, len, &m);
	st_any = stun_parse_message(buf, len, &any);
	CHECK(st < STUN_STATUS_MAX && st_any < STUN_STATUS_MAX);
	CHECK((st == STUN_NOT_STUN) == (st_any == STUN_NOT_STUN));
	CHECK(st != STUN_NOT_STUN || !stun_header_ok(buf, len) ||
	      stun_get16(buf + 2) != len - STUN_HDR_LEN);
	if (st != STUN_NOT_STUN) {
		CHECK(stun_header_ok(buf, len));
		check_msg(buf, len, &m, st);
		check_msg(buf, len, &any, st_any);
	}
	if (st == STUN_NOT_REQUEST)
		CHECK(m.method_class != STUN_BINDING_REQUEST);
	/* For a request both walk alike; only the credentials check is stun_parse()'s own. */
	if (st != STUN_NOT_STUN && st != STUN_NOT_REQUEST)
		CHECK(st == st_any || (st == STUN_NO_CREDENTIALS &&
				       (st_any == STUN_OK || st_any == STUN_UNKNOWN_REQUIRED)));
	if (st == STUN_OK) {
		CHECK(m.username != NULL && m.mi_off != 0);
		(void)stun_username_match(&m, (const uint8_t *)"ab", 2, NULL, 0);
		if (data[0] & 2)
			CHECK(stun_integrity_ok(buf, &m, &key));
		check_success(buf, len, &v4);
		check_success(buf, len, &v6);
	}
	if (st == STUN_OK || st == STUN_UNKNOWN_REQUIRED || st == STUN_NO_CREDENTIALS) {
		check_error(buf, len, &m, STUN_ERR_BAD_REQUEST, NULL);
		check_error(buf, len, &m, STUN_ERR_UNKNOWN_ATTRIBUTE, NULL);
		check_error(buf, len, &m, STUN_ERR_ROLE_CONFLICT, &key);
	}
	free(buf);
	return 0;
}
