/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * leg_bundle: which member of a BUNDLE transport a packet goes to (RFC 8843
 * §9.2: SSRC, then the MID header extension, then the payload type), and
 * that malformed extensions or unknown RTP name no member.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "session/leg_bundle.h"

#define AUDIO_RTP 10u
#define AUDIO_RTCP 11u
#define VIDEO_RTP 20u
#define MID_EXT 4

static void
table(struct leg_bundle *b)
{
	memset(b, 0, sizeof(*b));
	memset(b->pt_member, LEG_BUNDLE_NONE, sizeof(b->pt_member));
	b->n_members = 2;
	b->member[0] = (struct leg_bundle_member){ .rtp_leg = AUDIO_RTP, .rtcp_leg = AUDIO_RTCP,
						   .mid_len = 1, .mid = "0" };
	b->member[1] = (struct leg_bundle_member){ .rtp_leg = VIDEO_RTP, .rtcp_leg = VIDEO_RTP,
						   .mid_len = 1, .mid = "1" };
	b->pt_member[111] = 0;
	b->pt_member[96] = 1;
	b->ssrc[0] = 0x11111111;
	b->ssrc_member[0] = 1;	/* an SSRC wins over its payload type */
	b->n_ssrc = 1;
	b->mid_ext_id = MID_EXT;
}

/* An RTP header: version 2, payload type pt, ssrc; ext: extension elements after 0xBEDE. */
static unsigned int
rtp(uint8_t *p, uint8_t pt, uint32_t ssrc, uint16_t profile, const uint8_t *ext, unsigned int ext_len)
{
	memset(p, 0, 64);
	p[0] = 0x80;
	p[1] = pt;
	p[8] = (uint8_t)(ssrc >> 24);
	p[9] = (uint8_t)(ssrc >> 16);
	p[10] = (uint8_t)(ssrc >> 8);
	p[11] = (uint8_t)ssrc;
	if (ext == NULL)
		return 12 + 20;
	p[0] |= 0x10;
	p[12] = (uint8_t)(profile >> 8);
	p[13] = (uint8_t)profile;
	p[15] = (uint8_t)((ext_len + 3) / 4);
	memcpy(p + 16, ext, ext_len);
	return 16 + 4 * p[15] + 20;
}

static void
test_ssrc_then_pt(void **state)
{
	struct leg_bundle b;
	uint8_t p[64];
	unsigned int n;

	(void)state;
	table(&b);
	n = rtp(p, 111, 0x11111111, 0, NULL, 0);
	assert_int_equal(leg_bundle_pick(&b, PKT_CLASS_RTP, p, n), VIDEO_RTP);
	n = rtp(p, 111, 0x22222222, 0, NULL, 0);
	assert_int_equal(leg_bundle_pick(&b, PKT_CLASS_RTP, p, n), AUDIO_RTP);
	n = rtp(p, 96 | 0x80, 0x22222222, 0, NULL, 0);	/* the marker bit is no part of the PT */
	assert_int_equal(leg_bundle_pick(&b, PKT_CLASS_RTP, p, n), VIDEO_RTP);
	n = rtp(p, 8, 0x22222222, 0, NULL, 0);
	assert_int_equal(leg_bundle_pick(&b, PKT_CLASS_RTP, p, n), UINT32_MAX);
	assert_int_equal(leg_bundle_pick(&b, PKT_CLASS_RTP, p, 11), UINT32_MAX);
}

static void
test_mid_extension(void **state)
{
	/* One-byte: audio level (id 1, 1 byte), then MID "1" (id 4, 1 byte). */
	static const uint8_t one[] = { 0x10, 0x7f, 0x40, '1' };
	/* Two-byte (0x1000): id 4, length 1, "0". */
	static const uint8_t two[] = { 4, 1, '0', 0 };
	/* Claims more bytes than the block has. */
	static const uint8_t bad[] = { 0x4f, '1', 0, 0 };
	struct leg_bundle b;
	uint8_t p[64];
	unsigned int n;

	(void)state;
	table(&b);
	n = rtp(p, 111, 0x33333333, 0xBEDE, one, sizeof(one));
	assert_int_equal(leg_bundle_pick(&b, PKT_CLASS_RTP, p, n), VIDEO_RTP);
	n = rtp(p, 96, 0x33333333, 0x1000, two, sizeof(two));
	assert_int_equal(leg_bundle_pick(&b, PKT_CLASS_RTP, p, n), AUDIO_RTP);
	/* A malformed block is no MID: the payload type decides. */
	n = rtp(p, 111, 0x33333333, 0xBEDE, bad, sizeof(bad));
	assert_int_equal(leg_bundle_pick(&b, PKT_CLASS_RTP, p, n), AUDIO_RTP);
	/* An extension length past the packet: not read, the payload type decides. */
	n = rtp(p, 96, 0x33333333, 0xBEDE, one, sizeof(one));
	p[15] = 200;
	assert_int_equal(leg_bundle_pick(&b, PKT_CLASS_RTP, p, n), VIDEO_RTP);
	/* A MID no member has, and no payload type: nobody's. */
	n = rtp(p, 8, 0x33333333, 0xBEDE, (const uint8_t[]){ 0x40, '7', 0, 0 }, 4);
	assert_int_equal(leg_bundle_pick(&b, PKT_CLASS_RTP, p, n), UINT32_MAX);
}

static void
test_rtcp(void **state)
{
	struct leg_bundle b;
	uint8_t p[16] = { 0x80, 200, 0, 6, 0x11, 0x11, 0x11, 0x11 };

	(void)state;
	table(&b);
	assert_int_equal(leg_bundle_pick(&b, PKT_CLASS_RTCP, p, sizeof(p)), VIDEO_RTP);
	p[4] = 0x99;	/* an unknown sender: the first member's RTCP leg */
	assert_int_equal(leg_bundle_pick(&b, PKT_CLASS_RTCP, p, sizeof(p)), AUDIO_RTCP);
	assert_int_equal(leg_bundle_pick(&b, PKT_CLASS_RTCP, p, 4), AUDIO_RTCP);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ssrc_then_pt),
		cmocka_unit_test(test_mid_extension),
		cmocka_unit_test(test_rtcp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
