/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/stun: the RFC 5769 test vectors, MESSAGE-INTEGRITY and FINGERPRINT
 * failures, the limits of the attribute walk, and the sizes of the answers
 * (a success is 64/76 bytes, an error never longer than the request).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "stun/stun.h"

#define PWD "VOkJxbRl1RmTxUk/WvJxBt"

static size_t
unhex(const char *hex, uint8_t *out)
{
	size_t n = 0;

	for (; hex[0] != '\0'; hex++) {
		unsigned int b;

		if (hex[0] == ' ' || hex[0] == '\n')
			continue;
		assert_int_equal(sscanf(hex, "%2x", &b), 1);
		out[n++] = (uint8_t)b;
		hex++;
	}
	return n;
}

/* RFC 5769 §2.1, §2.2, §2.3, byte for byte (checked against Python's hmac and zlib). */
static const char rfc5769_request[] =
	"000100582112a442b7e7a701bc34d686fa87dfae"
	"802200105354554e207465737420636c69656e74"	/* SOFTWARE "STUN test client" */
	"002400046e0001ff"				/* PRIORITY */
	"80290008932ff9b151263b36"			/* ICE-CONTROLLED */
	"000600096576746a3a68367659202020"		/* USERNAME "evtj:h6vY" */
	"000800149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2"
	"80280004e57a3bcf";
static const char rfc5769_v4[] =
	"0101003c2112a442b7e7a701bc34d686fa87dfae"
	"8022000b7465737420766563746f7220"
	"002000080001a147e112a643"
	"000800142b91f599fd9e90c38c7489f92af9ba53f06be7d7"
	"80280004c07d4c96";
static const char rfc5769_v6[] =
	"010100482112a442b7e7a701bc34d686fa87dfae"
	"8022000b7465737420766563746f7220"
	"002000140002a1470113a9faa5d3f179bc25f4b5bed2b9d9"
	"00080014a382954e4be67bf11784c97c8292c275bfe3ed41"
	"80280004c8fb0b4c";

static struct stun_key rfc_key;

static int
setup_key(void **state)
{
	(void)state;
	stun_key_init(&rfc_key, (const uint8_t *)PWD, strlen(PWD));
	return 0;
}

static void
test_rfc5769_request(void **state)
{
	uint8_t buf[128], copy[128];
	uint16_t len = (uint16_t)unhex(rfc5769_request, buf);
	struct stun_msg m;
	struct stun_key wrong;

	(void)state;
	assert_int_equal(len, 108);
	memcpy(copy, buf, len);
	assert_true(stun_header_ok(buf, len));
	assert_int_equal(stun_parse(buf, len, &m), STUN_OK);
	assert_int_equal(m.method_class, STUN_BINDING_REQUEST);
	assert_int_equal(m.length, 88);
	assert_ptr_equal(m.txid, buf + 8);
	assert_int_equal(m.username_len, 9);
	assert_memory_equal(m.username, "evtj:h6vY", 9);
	assert_true(m.has_priority);
	assert_int_equal(m.priority, 0x6e0001ff);
	assert_true(m.controlled);
	assert_false(m.controlling);
	assert_true(m.tiebreaker == 0x932ff9b151263b36ull);
	assert_false(m.use_candidate);
	assert_int_equal(m.mi_off, 76);
	assert_int_equal(m.fp_off, 100);
	assert_int_equal(m.n_unknown, 0);
	assert_true(stun_integrity_ok(buf, &m, &rfc_key));
	assert_memory_equal(buf, copy, len);	/* the HMAC left the buffer alone */
	stun_key_init(&wrong, (const uint8_t *)PWD, strlen(PWD) - 1);
	assert_false(stun_integrity_ok(buf, &m, &wrong));
	assert_true(stun_username_match(&m, (const uint8_t *)"evtj", 4, (const uint8_t *)"h6vY", 4));
	assert_true(stun_username_match(&m, (const uint8_t *)"evtj", 4, NULL, 0));
	assert_false(stun_username_match(&m, (const uint8_t *)"evtj", 4, (const uint8_t *)"h6v", 3));
	assert_false(stun_username_match(&m, (const uint8_t *)"evtj", 4, (const uint8_t *)"h6vZ", 4));
	assert_false(stun_username_match(&m, (const uint8_t *)"evt", 3, (const uint8_t *)"h6vY", 4));
	assert_false(stun_username_match(&m, (const uint8_t *)"h6vY", 4, (const uint8_t *)"evtj", 4));
	assert_false(stun_username_match(&m, (const uint8_t *)"evtj:h6vY", 9, NULL, 0));
}

/* The message in buf verifies with the RFC key and maps to want. */
static void
assert_success_of(const uint8_t *buf, const struct stun_msg *m, const struct stun_addr *want)
{
	struct stun_addr got;

	assert_int_equal(m->method_class, STUN_BINDING_SUCCESS);
	assert_true(stun_integrity_ok(buf, m, &rfc_key));
	assert_true(stun_xor_mapped_decode(buf, m, &got));
	assert_int_equal(got.family, want->family);
	assert_int_equal(got.port, want->port);
	assert_memory_equal(got.addr, want->addr, 16);
}

static void
check_response(const char *hex, uint16_t want_len, const struct stun_addr *want)
{
	uint8_t buf[128];
	uint16_t len = (uint16_t)unhex(hex, buf);
	struct stun_msg m;

	assert_int_equal(len, want_len);
	/* A response is no request: dropped before its attributes are read. */
	assert_int_equal(stun_parse(buf, len, &m), STUN_NOT_REQUEST);
	assert_int_equal(m.mi_off, 0);
	assert_int_equal(stun_parse_message(buf, len, &m), STUN_OK);
	assert_int_not_equal(m.fp_off, 0);
	assert_success_of(buf, &m, want);
}

static void
test_rfc5769_responses(void **state)
{
	struct stun_addr v4 = { .family = 4, .port = 32853, .addr = { 192, 0, 2, 1 } };
	struct stun_addr v6 = { .family = 6, .port = 32853, .addr = {
		0x20, 0x01, 0x0d, 0xb8, 0x12, 0x34, 0x56, 0x78,
		0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77 } };

	(void)state;
	check_response(rfc5769_v4, 80, &v4);
	check_response(rfc5769_v6, 92, &v6);
}

/* Recompute a trailing FINGERPRINT after a test changed the message. */
static void
refresh_fingerprint(uint8_t *buf, uint16_t len)
{
	uint32_t fp = stun_crc32(buf, len - 8u) ^ STUN_FINGERPRINT_XOR;

	buf[len - 4] = (uint8_t)(fp >> 24);
	buf[len - 3] = (uint8_t)(fp >> 16);
	buf[len - 2] = (uint8_t)(fp >> 8);
	buf[len - 1] = (uint8_t)fp;
}

/* Every single-bit change of what MESSAGE-INTEGRITY covers is caught, FINGERPRINT fixed or not. */
static void
test_integrity_bit_flips(void **state)
{
	uint8_t orig[128], buf[128];
	uint16_t len = (uint16_t)unhex(rfc5769_request, orig);
	unsigned int verified = 0;
	struct stun_msg m;

	(void)state;
	for (unsigned int byte = 0; byte < 96; byte++) {	/* header to end of the MI value */
		for (unsigned int bit = 0; bit < 8; bit++) {
			memcpy(buf, orig, len);
			buf[byte] ^= (uint8_t)(1u << bit);
			/* Unfixed, FINGERPRINT (or the header, or the walk) catches it. */
			assert_int_not_equal(stun_parse(buf, len, &m), STUN_OK);
			refresh_fingerprint(buf, len);
			if (stun_parse(buf, len, &m) != STUN_OK)
				continue;	/* header, type or walk refuse it first */
			assert_false(stun_integrity_ok(buf, &m, &rfc_key));
			verified++;
		}
	}
	/* Most flips (the transaction id, every attribute value) reach the HMAC. */
	assert_true(verified > 500);
}

static void
test_fingerprint(void **state)
{
	uint8_t buf[128];
	uint16_t len = (uint16_t)unhex(rfc5769_request, buf);
	struct stun_msg m;

	(void)state;
	buf[len - 1] ^= 1;
	assert_int_equal(stun_parse(buf, len, &m), STUN_BAD_FINGERPRINT);
	buf[len - 1] ^= 1;
	buf[30] ^= 0x80;	/* inside SOFTWARE: covered by FINGERPRINT alone */
	assert_int_equal(stun_parse(buf, len, &m), STUN_BAD_FINGERPRINT);
	assert_int_equal(stun_parse_message(buf, len, &m), STUN_BAD_FINGERPRINT);
	refresh_fingerprint(buf, len);
	assert_int_equal(stun_parse(buf, len, &m), STUN_OK);
	assert_false(stun_integrity_ok(buf, &m, &rfc_key));
	assert_string_equal(stun_status_name(STUN_BAD_FINGERPRINT), "bad_fingerprint");
}

static void
test_header(void **state)
{
	uint8_t orig[140], buf[140];
	uint16_t len = (uint16_t)unhex(rfc5769_request, orig);
	struct stun_msg m;

	(void)state;
	memcpy(buf, orig, len);
	buf[0] |= 0x80;
	assert_false(stun_header_ok(buf, len));
	assert_int_equal(stun_parse(buf, len, &m), STUN_NOT_STUN);
	buf[0] = 0x40;
	assert_int_equal(stun_parse(buf, len, &m), STUN_NOT_STUN);
	memcpy(buf, orig, len);
	buf[7] ^= 1;	/* magic cookie */
	assert_false(stun_header_ok(buf, len));
	assert_int_equal(stun_parse(buf, len, &m), STUN_NOT_STUN);
	memcpy(buf, orig, len);
	buf[3] = 0x5a;	/* length 90: not a multiple of 4 */
	assert_false(stun_header_ok(buf, 110));
	assert_int_equal(stun_parse(buf, 110, &m), STUN_NOT_STUN);
	memcpy(buf, orig, len);
	/* Datagram shorter than the length field, or longer (a trailer). */
	assert_false(stun_header_ok(buf, len - 4));
	assert_int_equal(stun_parse(buf, len - 4, &m), STUN_NOT_STUN);
	memset(buf + len, 0, 4);
	assert_true(stun_header_ok(buf, len + 4));	/* fits: the classifier's test */
	assert_int_equal(stun_parse(buf, len + 4, &m), STUN_NOT_STUN);
	assert_false(stun_header_ok(buf, 19));
	assert_int_equal(stun_parse(buf, 19, &m), STUN_NOT_STUN);
	assert_int_equal(stun_parse(buf, 0, &m), STUN_NOT_STUN);
	/* Indication, success, another method: no request, no answer. */
	for (unsigned int t = 0; t < 4; t++) {
		static const uint16_t types[] = { 0x0011, 0x0101, 0x0111, 0x0003 };

		memcpy(buf, orig, len);
		buf[0] = (uint8_t)(types[t] >> 8);
		buf[1] = (uint8_t)types[t];
		refresh_fingerprint(buf, len);
		assert_int_equal(stun_parse(buf, len, &m), STUN_NOT_REQUEST);
	}
}

/* A Binding request of the test's own making: header with a fixed transaction id. */
static void
req_begin(struct stun_writer *w, uint8_t *buf, uint16_t cap)
{
	static const uint8_t txid[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };

	stun_writer_init(w, buf, cap, STUN_BINDING_REQUEST, txid);
}

#define LOCAL "Lx7Q"
#define REMOTE "r9Zt"

/* What Chrome sends (TESTING.md): about 100 bytes. */
static uint16_t
chrome_request(uint8_t *buf, uint16_t cap, bool use_candidate)
{
	static const uint8_t net_info[4] = { 0x00, 0x01, 0x00, 0x0a };
	struct stun_writer w;

	req_begin(&w, buf, cap);
	stun_writer_attr(&w, STUN_ATTR_USERNAME, LOCAL ":" REMOTE, 9);
	stun_writer_attr(&w, STUN_ATTR_GOOG_NETWORK_INFO, net_info, 4);
	stun_writer_attr_u64(&w, STUN_ATTR_ICE_CONTROLLING, 0x0123456789abcdefull);
	if (use_candidate)
		stun_writer_attr(&w, STUN_ATTR_USE_CANDIDATE, NULL, 0);
	stun_writer_attr_u32(&w, STUN_ATTR_PRIORITY, 0x6e7f1eff);
	stun_writer_integrity(&w, &rfc_key);
	stun_writer_fingerprint(&w);
	return stun_writer_end(&w);
}

static void
test_chrome_like(void **state)
{
	uint8_t buf[128];
	uint16_t len = chrome_request(buf, sizeof(buf), true);
	struct stun_msg m;

	(void)state;
	assert_int_equal(len, 100);
	assert_int_equal(stun_parse(buf, len, &m), STUN_OK);
	assert_true(m.use_candidate);
	assert_true(m.controlling);
	assert_false(m.controlled);
	assert_true(m.tiebreaker == 0x0123456789abcdefull);
	assert_true(m.has_priority);
	assert_int_equal(m.priority, 0x6e7f1eff);
	assert_false(m.has_nomination);
	assert_true(stun_integrity_ok(buf, &m, &rfc_key));
	assert_true(stun_username_match(&m, (const uint8_t *)LOCAL, 4, (const uint8_t *)REMOTE, 4));
	len = chrome_request(buf, sizeof(buf), false);
	assert_int_equal(len, 96);
	assert_int_equal(stun_parse(buf, len, &m), STUN_OK);
	assert_false(m.use_candidate);
	/* The writer refuses to overflow its buffer. */
	assert_int_equal(chrome_request(buf, 99, true), 0);
}

/* Header plus raw attribute bytes (the test writes them itself), length field = n. */
static uint16_t
raw_request(uint8_t *buf, const uint8_t *attrs, uint16_t n)
{
	struct stun_writer w;

	req_begin(&w, buf, 20);
	memcpy(buf + 20, attrs, n);
	buf[2] = (uint8_t)(n >> 8);
	buf[3] = (uint8_t)n;
	return (uint16_t)(20 + n);
}

static enum stun_status
parse_raw(const char *hex, struct stun_msg *m)
{
	/* Static: msg points into it after the call. */
	static uint8_t buf[300];
	uint8_t attrs[256];
	uint16_t n = (uint16_t)unhex(hex, attrs);
	uint16_t len = raw_request(buf, attrs, n);

	return stun_parse(buf, len, m);
}

#define A_USER "0006 0005 61 3a 62 63 64 000000 "	/* USERNAME "a:bcd", padded */
#define A_MI "0008 0014 0000000000000000000000000000000000000000 "
#define A_FP_ZERO "8028 0004 00000000 "

static void
test_walk_limits(void **state)
{
	struct stun_msg m;

	(void)state;
	/* Odd length, padded: fine; the MI is wrong but that is not the parser's business. */
	assert_int_equal(parse_raw(A_USER A_MI, &m), STUN_OK);
	assert_int_equal(m.username_len, 5);
	assert_memory_equal(m.username, "a:bcd", 5);
	assert_int_equal(m.mi_off, 32);
	assert_true(stun_username_match(&m, (const uint8_t *)"a", 1, (const uint8_t *)"bcd", 3));
	assert_false(stun_integrity_ok((const uint8_t *)m.txid - 8, &m, &rfc_key));
	/* Attribute length past the end of the message; the same by the padding alone. */
	assert_int_equal(parse_raw("0006 0009 61 3a 62 63", &m), STUN_MALFORMED);
	assert_int_equal(parse_raw(A_USER "8022 0005 41424344", &m), STUN_MALFORMED);
	assert_int_equal(parse_raw(A_USER "8022 fff0 41424344", &m), STUN_MALFORMED);
	assert_int_equal(parse_raw(A_USER "8022 0004 41424344" A_MI, &m), STUN_OK);
	/* Truncated: an odd-length USERNAME without its padding (length field not % 4). */
	assert_int_equal(parse_raw("0006 0005 61 3a 62 63 64", &m), STUN_NOT_STUN);
	/* Fixed lengths of what we read. */
	assert_int_equal(parse_raw(A_USER "0024 0003 00000000" A_MI, &m), STUN_MALFORMED);
	assert_int_equal(parse_raw(A_USER "0025 0004 00000000" A_MI, &m), STUN_MALFORMED);
	assert_int_equal(parse_raw(A_USER "802a 0004 00000000" A_MI, &m), STUN_MALFORMED);
	assert_int_equal(parse_raw(A_USER "c001 0008 0000000000000000" A_MI, &m), STUN_MALFORMED);
	assert_int_equal(parse_raw(A_USER "0008 0010 00000000000000000000000000000000", &m),
			 STUN_MALFORMED);
	assert_int_equal(parse_raw(A_USER A_MI "8028 0008 0000000000000000", &m), STUN_MALFORMED);
	assert_int_equal(parse_raw("0006 0000" A_MI, &m), STUN_MALFORMED);
	/* A PRIORITY of length 0 as the last attribute is refused, not read past the end. */
	assert_int_equal(parse_raw(A_USER "0024 0000", &m), STUN_MALFORMED);
	assert_int_equal(parse_raw(A_USER "802a 0000", &m), STUN_MALFORMED);
	assert_int_equal(parse_raw(A_USER "c001 0000", &m), STUN_MALFORMED);
	assert_int_equal(parse_raw(A_USER "0020 0000", &m), STUN_MALFORMED);
	/* NOMINATION read. */
	assert_int_equal(parse_raw(A_USER "c001 0004 00000007" A_MI, &m), STUN_OK);
	assert_true(m.has_nomination);
	assert_int_equal(m.nomination, 7);
}

static void
test_duplicates_and_order(void **state)
{
	struct stun_msg m;

	(void)state;
	assert_int_equal(parse_raw(A_USER A_USER A_MI, &m), STUN_MALFORMED);
	assert_int_equal(parse_raw(A_USER "0024 0004 00000001 0024 0004 00000002" A_MI, &m),
			 STUN_MALFORMED);
	assert_int_equal(parse_raw(A_USER "0025 0000 0025 0000" A_MI, &m), STUN_MALFORMED);
	assert_int_equal(parse_raw(A_USER "802a 0008 0000000000000001 8029 0008 0000000000000002"
				   A_MI, &m), STUN_MALFORMED);
	assert_int_equal(parse_raw(A_USER "802a 0008 0000000000000001 802a 0008 0000000000000002"
				   A_MI, &m), STUN_MALFORMED);
	assert_int_equal(parse_raw(A_USER A_MI A_MI, &m), STUN_MALFORMED);
	/* After FINGERPRINT nothing (FINGERPRINT values left zero: the walk refuses first). */
	assert_int_equal(parse_raw(A_USER A_MI A_FP_ZERO A_FP_ZERO, &m), STUN_MALFORMED);
	assert_int_equal(parse_raw(A_USER A_MI A_FP_ZERO "8022 0004 41424344", &m),
			 STUN_MALFORMED);
	assert_int_equal(parse_raw(A_USER A_FP_ZERO A_MI, &m), STUN_MALFORMED);
	/* Between MESSAGE-INTEGRITY and FINGERPRINT nothing, optional or not... */
	assert_int_equal(parse_raw(A_USER A_MI "8022 0004 41424344" A_FP_ZERO, &m), STUN_MALFORMED);
	assert_int_equal(parse_raw(A_USER A_MI "0025 0000", &m), STUN_MALFORMED);
	/* ...but MESSAGE-INTEGRITY-SHA256 (RFC 8489 §14.6), ignored as RFC 5389 agents do. */
	assert_int_equal(parse_raw(A_USER A_MI "001c 0020 "
				   "0000000000000000000000000000000000000000000000000000000000000000",
				   &m), STUN_OK);
	assert_int_equal(m.n_unknown, 0);
}

static void
test_unknown_attributes(void **state)
{
	struct stun_msg m;

	(void)state;
	/* Comprehension-optional: ignored. */
	assert_int_equal(parse_raw(A_USER "8123 0004 01020304 c057 0004 00010005" A_MI, &m),
			 STUN_OK);
	assert_int_equal(m.n_unknown, 0);
	/* Comprehension-required and unknown: 420, listing each once. */
	assert_int_equal(parse_raw(A_USER "0030 0000 7fff 0004 01020304 0030 0000" A_MI, &m),
			 STUN_UNKNOWN_REQUIRED);
	assert_int_equal(m.n_unknown, 2);
	assert_int_equal(m.unknown[0], 0x0030);
	assert_int_equal(m.unknown[1], 0x7fff);
	/* Filled in for the caller to authenticate before it answers. */
	assert_int_equal(m.username_len, 5);
	assert_int_not_equal(m.mi_off, 0);
	/* MESSAGE-INTEGRITY-SHA256 before MI, or alone, is unknown to us. */
	assert_int_equal(parse_raw(A_USER "001c 0020 "
				   "0000000000000000000000000000000000000000000000000000000000000000"
				   A_MI, &m), STUN_UNKNOWN_REQUIRED);
	assert_int_equal(m.unknown[0], STUN_ATTR_MESSAGE_INTEGRITY_SHA256);
	/* Credentials first (RFC 8489 §6.3.1 after §9.1.3): 400 wins over 420. */
	assert_int_equal(parse_raw(A_USER "0030 0000", &m), STUN_NO_CREDENTIALS);
	assert_int_equal(parse_raw(A_MI, &m), STUN_NO_CREDENTIALS);
	assert_int_equal(parse_raw(A_USER, &m), STUN_NO_CREDENTIALS);
	assert_int_equal(parse_raw("", &m), STUN_NO_CREDENTIALS);
}

static void
test_attribute_count(void **state)
{
	char hex[2048] = A_USER;
	struct stun_msg m;

	(void)state;
	/* USERNAME + 30 optional + MI = 32 attributes: the limit. */
	for (int i = 0; i < 30; i++)
		strcat(hex, "8123 0000 ");
	strcat(hex, A_MI);
	assert_int_equal(parse_raw(hex, &m), STUN_OK);
	/* One more: 33, refused whatever they are. */
	strcpy(hex, A_USER);
	for (int i = 0; i < 31; i++)
		strcat(hex, "8123 0000 ");
	strcat(hex, A_MI);
	assert_int_equal(parse_raw(hex, &m), STUN_MALFORMED);
}

static void
check_success(uint8_t *buf, uint16_t req_len, const struct stun_addr *src, uint16_t want)
{
	uint8_t txid[12], before[128];
	struct stun_msg m;

	memcpy(txid, buf + 8, 12);
	memcpy(before, buf, req_len);
	/* Too small a buffer: 0, and the request untouched. */
	assert_int_equal(stun_build_success(buf, want - 1, src, &rfc_key), 0);
	assert_memory_equal(buf, before, req_len);
	assert_int_equal(stun_build_success(buf, 128, src, &rfc_key), want);
	assert_int_equal(stun_parse_message(buf, want, &m), STUN_OK);
	assert_memory_equal(buf + 8, txid, 12);
	assert_int_equal(m.fp_off, want - 8);
	assert_success_of(buf, &m, src);
}

static void
test_build_success(void **state)
{
	struct stun_addr v4 = { .family = 4, .port = 50123, .addr = { 198, 18, 0, 2 } };
	struct stun_addr v6 = { .family = 6, .port = 9, .addr = {
		0x20, 0x01, 0x00, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xab, 0xcd } };
	struct stun_addr bad = { .family = 5 };
	uint8_t buf[128];
	uint16_t len;

	(void)state;
	len = chrome_request(buf, sizeof(buf), true);
	check_success(buf, len, &v4, 64);
	len = chrome_request(buf, sizeof(buf), true);
	check_success(buf, len, &v6, 76);
	len = (uint16_t)unhex(rfc5769_request, buf);
	check_success(buf, len, &v4, 64);
	assert_int_equal(stun_build_success(buf, 128, &bad, &rfc_key), 0);
}

/* Error answer of code to the request in req_buf: never longer than it, 0 when it cannot fit. */
static void
check_error(const uint8_t *req_buf, uint16_t req_len, uint16_t code, const struct stun_key *k)
{
	uint8_t buf[256];
	struct stun_msg req, m;
	uint16_t min = 0;

	/* Every limit, also those that are no multiple of 4. */
	for (uint16_t max = req_len; max > 0; max--) {
		uint16_t n;

		memcpy(buf, req_buf, req_len);
		stun_parse(buf, req_len, &req);
		n = stun_build_error(buf, max, code, &req, k);
		if (n == 0)
			break;
		min = n;
		assert_true(n <= max);
		assert_int_equal(n % 4, 0);
		assert_int_equal(stun_parse_message(buf, n, &m), STUN_OK);
		assert_int_equal(m.method_class, STUN_BINDING_ERROR);
		assert_int_equal(m.error_code, code);
		assert_memory_equal(buf + 8, req_buf + 8, 12);
		assert_int_equal(m.mi_off != 0, k != NULL);
		if (k != NULL)
			assert_true(stun_integrity_ok(buf, &m, k));
		if (code == STUN_ERR_UNKNOWN_ATTRIBUTE) {
			/* UNKNOWN-ATTRIBUTES right after ERROR-CODE lists what the request had. */
			uint16_t off = (uint16_t)(20 + 4 + ((buf[22] << 8 | buf[23]) + 3) / 4 * 4);

			assert_int_equal(buf[off] << 8 | buf[off + 1], STUN_ATTR_UNKNOWN_ATTRIBUTES);
			assert_int_equal(buf[off + 2] << 8 | buf[off + 3], 2 * req.n_unknown);
			for (unsigned int i = 0; i < req.n_unknown; i++)
				assert_int_equal(buf[off + 4 + 2 * i] << 8 | buf[off + 5 + 2 * i],
						 req.unknown[i]);
		}
	}
	/* The smallest that fits has an empty reason: header, ERROR-CODE(4), [UA], [MI], FP. */
	if (min != 0) {
		uint16_t ua = code == STUN_ERR_UNKNOWN_ATTRIBUTE ?
			      4 + (2 * req.n_unknown + 3) / 4 * 4 : 0;

		assert_int_equal(min, 20 + 8 + ua + (k != NULL ? 24 : 0) + 8);
	}
}

static void
test_build_error(void **state)
{
	static const uint16_t codes[] = { 400, 401, 420, 487 };
	uint8_t chrome[128], rfc[128], unk[128], tiny[64], buf[128];
	uint16_t chrome_len = chrome_request(chrome, sizeof(chrome), true);
	uint16_t rfc_len = (uint16_t)unhex(rfc5769_request, rfc);
	uint8_t attrs[64];
	uint16_t unk_len = raw_request(unk, attrs, (uint16_t)unhex(
		A_USER "0031 0000 0032 0000 0033 0000" A_MI, attrs));
	uint16_t tiny_len = raw_request(tiny, attrs, (uint16_t)unhex(A_USER "8123 0000", attrs));
	struct stun_msg req;

	(void)state;
	for (unsigned int c = 0; c < 4; c++) {
		check_error(chrome, chrome_len, codes[c], NULL);
		check_error(chrome, chrome_len, codes[c], &rfc_key);
		check_error(rfc, rfc_len, codes[c], NULL);
		check_error(unk, unk_len, codes[c], &rfc_key);
	}
	/* A 420 lists the three unknown types. */
	memcpy(buf, unk, unk_len);
	assert_int_equal(stun_parse(buf, unk_len, &req), STUN_UNKNOWN_REQUIRED);
	assert_int_equal(req.n_unknown, 3);
	assert_int_equal(unk_len, 68);
	/* Header, ERROR-CODE with "Unknown Attribute" cut to 16 bytes, UNKNOWN-ATTRIBUTES, FP. */
	assert_int_equal(stun_build_error(buf, 64, 420, &req, NULL), 20 + (4 + 4 + 16) + (4 + 8) + 8);
	assert_int_equal(buf[23], 4 + 16);
	assert_memory_equal(buf + 28, "Unknown Attribut", 16);
	/* The smallest error is 36 bytes: a 36-byte request gets one, a shorter datagram none. */
	assert_int_equal(tiny_len, 36);
	assert_int_equal(stun_parse(tiny, tiny_len, &req), STUN_NO_CREDENTIALS);
	assert_int_equal(stun_build_error(tiny, 35, 400, &req, NULL), 0);
	assert_int_equal(stun_build_error(tiny, tiny_len, 400, &req, NULL), 36);
	assert_int_equal(stun_parse_message(tiny, 36, &req), STUN_OK);
	assert_int_equal(req.error_code, 400);
	assert_int_equal(stun_build_error(tiny, tiny_len, 400, &req, &rfc_key), 0);
	/* Codes outside 300..699 are refused. */
	memcpy(buf, chrome, chrome_len);
	stun_parse(buf, chrome_len, &req);
	assert_int_equal(stun_build_error(buf, chrome_len, 200, &req, NULL), 0);
	assert_int_equal(stun_build_error(buf, chrome_len, 700, &req, NULL), 0);
}

static void
test_status_names(void **state)
{
	(void)state;
	assert_string_equal(stun_status_name(STUN_OK), "ok");
	assert_string_equal(stun_status_name(STUN_NOT_STUN), "not_stun");
	assert_string_equal(stun_status_name(STUN_NOT_REQUEST), "not_request");
	assert_string_equal(stun_status_name(STUN_MALFORMED), "malformed");
	assert_string_equal(stun_status_name(STUN_UNKNOWN_REQUIRED), "unknown_required");
	assert_string_equal(stun_status_name(STUN_NO_CREDENTIALS), "no_credentials");
	assert_string_equal(stun_status_name(STUN_STATUS_MAX), "invalid");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc5769_request),
		cmocka_unit_test(test_rfc5769_responses),
		cmocka_unit_test(test_integrity_bit_flips),
		cmocka_unit_test(test_fingerprint),
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_chrome_like),
		cmocka_unit_test(test_walk_limits),
		cmocka_unit_test(test_duplicates_and_order),
		cmocka_unit_test(test_unknown_attributes),
		cmocka_unit_test(test_attribute_count),
		cmocka_unit_test(test_build_success),
		cmocka_unit_test(test_build_error),
		cmocka_unit_test(test_status_names),
	};

	return cmocka_run_group_tests(tests, setup_key, NULL);
}
