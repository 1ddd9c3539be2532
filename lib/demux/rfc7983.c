/* SPDX-License-Identifier: BSD-3-Clause */
#include "rfc7983.h"

#define RANGE(lo, hi, cls) [lo ... hi] = cls

/* Zero is PKT_CLASS_UNKNOWN: every byte not listed. */
const uint8_t rfc7983_first_byte[256] = {
	RANGE(0, 3, PKT_CLASS_STUN),
	RANGE(16, 19, PKT_CLASS_ZRTP),
	RANGE(20, 63, PKT_CLASS_DTLS),
	RANGE(64, 79, PKT_CLASS_TURN_CHANNEL),
	RANGE(128, 191, PKT_CLASS_RTP),
};

static const char *const class_names[PKT_CLASS_MAX] = {
	[PKT_CLASS_STUN] = "stun",
	[PKT_CLASS_ZRTP] = "zrtp",
	[PKT_CLASS_DTLS] = "dtls",
	[PKT_CLASS_TURN_CHANNEL] = "turn_channel",
	[PKT_CLASS_RTP] = "rtp",
	[PKT_CLASS_RTCP] = "rtcp",
	[PKT_CLASS_UNKNOWN] = "unknown",
};

const char *
pkt_class_name(enum pkt_class c)
{
	return (unsigned int)c < PKT_CLASS_MAX ? class_names[c] : "invalid";
}
