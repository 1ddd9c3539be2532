/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * li_pdu: X2/X3 PDUs of ETSI TS 103 221-2 against bytes written out by hand
 * from the specification (§5.2 header, §5.3 attributes), the keepalive, the
 * key-delivery payload, the stream parser's verdicts and the UUID reader.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "li/li_pdu.h"

static const uint8_t XID[16] = { 0x6f, 0x1c, 0x2d, 0x3e, 0x00, 0x00, 0x40, 0x00,
				 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01 };

static void
test_x3_header_bytes(void **state)
{
	struct li_pdu_meta m = {
		.type = LI_PDU_X3, .format = LI_FORMAT_RTP, .direction = LI_DIR_FROM_TARGET,
		.correlation_id = 0x1122334455667788ull, .seq = 7, .time_s = 0x5f000001,
		.time_ns = 999,
		.src = { .family = 4, .addr = { 198, 18, 0, 2 }, .port = 5000 },
		.dst = { .family = 4, .addr = { 198, 18, 0, 1 }, .port = 20000 },
	};
	static const uint8_t want[] = {
		0x00, 0x05, 0x00, 0x02,			/* version 0.5, X3 */
		0x00, 0x00, 0x00, 0x5d,			/* header length 40 + 53 */
		0x00, 0x00, 0x00, 0xa0,			/* payload length 160 */
		0x00, 0x08, 0x00, 0x03,			/* RTP packet, from the target */
		0x6f, 0x1c, 0x2d, 0x3e, 0x00, 0x00, 0x40, 0x00,
		0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
		0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
		0x00, 0x08, 0x00, 0x04, 0x00, 0x00, 0x00, 0x07,	/* sequence number 7 */
		0x00, 0x09, 0x00, 0x08, 0x5f, 0x00, 0x00, 0x01, 0x00, 0x00, 0x03, 0xe7,
		0x00, 0x0a, 0x00, 0x04, 198, 18, 0, 2,		/* source IPv4 */
		0x00, 0x0b, 0x00, 0x04, 198, 18, 0, 1,		/* destination IPv4 */
		0x00, 0x0e, 0x00, 0x02, 0x13, 0x88,		/* source port 5000 */
		0x00, 0x0f, 0x00, 0x02, 0x4e, 0x20,		/* destination port 20000 */
		0x00, 0x10, 0x00, 0x01, 0x11,			/* UDP */
	};
	uint8_t out[LI_PDU_HEADER_MAX];
	size_t n;

	(void)state;
	memcpy(m.xid, XID, 16);
	n = li_pdu_write_header(out, &m, 160);
	assert_int_equal(n, sizeof(want));
	assert_memory_equal(out, want, sizeof(want));
}

static void
test_ipv6_attributes(void **state)
{
	struct li_pdu_meta m = { .type = LI_PDU_X3, .format = LI_FORMAT_RTP,
				 .direction = LI_DIR_TO_TARGET, .correlation_id = 1 };
	uint8_t out[LI_PDU_HEADER_MAX];
	size_t n;

	(void)state;
	m.src.family = m.dst.family = 6;
	m.src.addr[15] = 2;
	m.dst.addr[15] = 1;
	n = li_pdu_write_header(out, &m, 0);
	assert_int_equal(n, 40 + 8 + 12 + 20 + 20 + 6 + 6 + 5);
	assert_int_equal(n, LI_PDU_HEADER_MAX - 3);
	/* Source IPv6 is attribute 12 with 16 bytes, after sequence and timestamp. */
	assert_int_equal(out[40 + 20 + 1], 12);
	assert_int_equal(out[40 + 20 + 3], 16);
	assert_int_equal(out[40 + 20 + 4 + 15], 2);
}

static void
test_keepalive_and_parse(void **state)
{
	static const uint8_t want[40] = { 0x00, 0x05, 0x00, 0x03, 0x00, 0x00, 0x00, 0x28 };
	uint8_t ka[80];
	uint16_t type;
	size_t len;

	(void)state;
	assert_int_equal(li_pdu_write_keepalive(ka, false), 40);
	assert_memory_equal(ka, want, 40);
	li_pdu_write_keepalive(ka + 40, true);
	assert_int_equal(ka[43], LI_PDU_KEEPALIVE_ACK);
	assert_int_equal(li_pdu_parse(ka, 39, &type, &len), LI_PDU_NEED_MORE);
	assert_int_equal(li_pdu_parse(ka, 80, &type, &len), LI_PDU_OK);
	assert_int_equal(type, LI_PDU_KEEPALIVE);
	assert_int_equal(len, 40);
	ka[1] = 4;		/* version 0.4 */
	assert_int_equal(li_pdu_parse(ka, 2, &type, &len), LI_PDU_BAD);
	ka[1] = 5;
	ka[3] = 9;		/* no such type */
	assert_int_equal(li_pdu_parse(ka, 80, &type, &len), LI_PDU_BAD);
	ka[3] = 3;
	ka[7] = 39;		/* header shorter than the fixed part */
	assert_int_equal(li_pdu_parse(ka, 80, &type, &len), LI_PDU_BAD);
	ka[7] = 0x2c;		/* 4 bytes of attributes ... */
	ka[40] = 0;
	ka[41] = 8;
	ka[42] = 0;
	ka[43] = 4;		/* ... whose TLV claims 4 more than the header holds */
	assert_int_equal(li_pdu_parse(ka, 80, &type, &len), LI_PDU_BAD);
	ka[11] = 0xff;
	ka[10] = 0xff;		/* payload past LI_PDU_IN_MAX */
	assert_int_equal(li_pdu_parse(ka, 80, &type, &len), LI_PDU_BAD);
}

static void
test_keys_payload(void **state)
{
	uint8_t key[16], salt[14], out[LI_KEYS_PAYLOAD_MAX];
	struct li_key_info k = { .profile = 1, .ssrc = 0xa0b0c0d0, .key_len = 16, .salt_len = 14,
				 .key = key, .salt = salt };
	static const uint8_t head[14] = { 'S', 'K', 'E', 'Y', 1, 0, 0x00, 0x01,
					  0xa0, 0xb0, 0xc0, 0xd0, 16, 14 };

	(void)state;
	memset(key, 0x11, sizeof(key));
	memset(salt, 0x22, sizeof(salt));
	assert_int_equal(li_pdu_write_keys(out, &k), 14 + 16 + 14);
	assert_memory_equal(out, head, sizeof(head));
	assert_memory_equal(out + 14, key, 16);
	assert_memory_equal(out + 30, salt, 14);
}

static void
test_uuid(void **state)
{
	uint8_t u[16];
	char s[37];

	(void)state;
	assert_int_equal(li_uuid_parse("6f1c2d3e-0000-4000-8000-000000000001", u), 0);
	assert_memory_equal(u, XID, 16);
	li_uuid_format(u, s);
	assert_string_equal(s, "6f1c2d3e-0000-4000-8000-000000000001");
	assert_int_equal(li_uuid_parse("6F1C2D3E-0000-4000-8000-000000000001", u), 0);
	assert_int_equal(li_uuid_parse("6f1c2d3e-0000-4000-8000-00000000000", u), -1);
	assert_int_equal(li_uuid_parse("6f1c2d3e-0000-4000-8000-0000000000011", u), -1);
	assert_int_equal(li_uuid_parse("6f1c2d3e00000-4000-8000-000000000001", u), -1);
	assert_int_equal(li_uuid_parse("6f1c2d3e-0000-4000-8000-00000000000g", u), -1);
	assert_int_equal(li_uuid_parse("", u), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_x3_header_bytes),
		cmocka_unit_test(test_ipv6_attributes),
		cmocka_unit_test(test_keepalive_and_parse),
		cmocka_unit_test(test_keys_payload),
		cmocka_unit_test(test_uuid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
