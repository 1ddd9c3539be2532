/* SPDX-License-Identifier: BSD-3-Clause */
/* rfc7983: the first-byte map of RFC 7983 §7 and RTCP by RFC 5761 §4. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "demux/rfc7983.h"

/* RFC 7983 §7, written out independently of the library's table. */
static enum pkt_class
expected(unsigned int b)
{
	if (b <= 3)
		return PKT_CLASS_STUN;
	if (b >= 16 && b <= 19)
		return PKT_CLASS_ZRTP;
	if (b >= 20 && b <= 63)
		return PKT_CLASS_DTLS;
	if (b >= 64 && b <= 79)
		return PKT_CLASS_TURN_CHANNEL;
	if (b >= 128 && b <= 191)
		return PKT_CLASS_RTP;
	return PKT_CLASS_UNKNOWN;
}

static void
test_every_first_byte(void **state)
{
	uint8_t p[2];
	unsigned int counts[PKT_CLASS_MAX] = { 0 };

	(void)state;
	for (unsigned int b = 0; b < 256; b++) {
		p[0] = (uint8_t)b;
		p[1] = 96;	/* an RTP payload type, marker clear */
		assert_int_equal(rfc7983_classify(p, 2), expected(b));
		assert_int_equal(rfc7983_classify(p, 1), expected(b));
		counts[rfc7983_classify(p, 2)]++;
	}
	assert_int_equal(counts[PKT_CLASS_STUN], 4);
	assert_int_equal(counts[PKT_CLASS_ZRTP], 4);
	assert_int_equal(counts[PKT_CLASS_DTLS], 44);
	assert_int_equal(counts[PKT_CLASS_TURN_CHANNEL], 16);
	assert_int_equal(counts[PKT_CLASS_RTP], 64);
	assert_int_equal(counts[PKT_CLASS_RTCP], 0);
	assert_int_equal(counts[PKT_CLASS_UNKNOWN], 256 - 4 - 4 - 44 - 16 - 64);
}

static void
test_rtcp_second_byte(void **state)
{
	uint8_t p[2];

	(void)state;
	for (unsigned int b = 128; b < 192; b++) {
		p[0] = (uint8_t)b;
		for (unsigned int s = 0; s < 256; s++) {
			p[1] = (uint8_t)s;
			assert_int_equal(rfc7983_classify(p, 2),
					 s >= 192 && s <= 223 ? PKT_CLASS_RTCP : PKT_CLASS_RTP);
		}
		/* One byte: no second byte to look at, so RTP. */
		p[1] = 200;
		assert_int_equal(rfc7983_classify(p, 1), PKT_CLASS_RTP);
	}
	/* The second byte never changes another class. */
	for (unsigned int b = 0; b < 256; b++) {
		if (b >= 128 && b < 192)
			continue;
		p[0] = (uint8_t)b;
		p[1] = 200;
		assert_int_equal(rfc7983_classify(p, 2), expected(b));
	}
}

static void
test_class_names(void **state)
{
	(void)state;
	assert_string_equal(pkt_class_name(PKT_CLASS_UNKNOWN), "unknown");
	assert_string_equal(pkt_class_name(PKT_CLASS_STUN), "stun");
	assert_string_equal(pkt_class_name(PKT_CLASS_ZRTP), "zrtp");
	assert_string_equal(pkt_class_name(PKT_CLASS_DTLS), "dtls");
	assert_string_equal(pkt_class_name(PKT_CLASS_TURN_CHANNEL), "turn_channel");
	assert_string_equal(pkt_class_name(PKT_CLASS_RTP), "rtp");
	assert_string_equal(pkt_class_name(PKT_CLASS_RTCP), "rtcp");
	assert_string_equal(pkt_class_name(PKT_CLASS_MAX), "invalid");
	assert_string_equal(pkt_class_name((enum pkt_class)-1), "invalid");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_first_byte),
		cmocka_unit_test(test_rtcp_second_byte),
		cmocka_unit_test(test_class_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
