/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_RFC7983_H
#define SRTPFWD_RFC7983_H

/*
 * First-byte demultiplexing of one UDP flow carrying STUN, ZRTP, DTLS,
 * TURN channels and RTP/RTCP (RFC 7983 §7), with RTP told from RTCP by the
 * second byte under rtcp-mux (RFC 5761 §4). Bytes 80-127 and 192-255 are
 * QUIC territory (RFC 9443): nothing we accept.
 */

#include <stdint.h>

/*
 * Media first: arrays indexed by class (a leg's per-class counters) keep
 * what nearly every packet touches in one cache line.
 */
enum pkt_class {
	PKT_CLASS_UNKNOWN = 0,	/* any other first byte */
	PKT_CLASS_RTP,		/* 128..191, second byte not 192..223 */
	PKT_CLASS_RTCP,		/* 128..191, second byte 192..223 */
	PKT_CLASS_DTLS,		/* 20..63 */
	PKT_CLASS_STUN,		/* 0..3 */
	PKT_CLASS_ZRTP,		/* 16..19 */
	PKT_CLASS_TURN_CHANNEL,	/* 64..79 */
	PKT_CLASS_MAX
};

extern const uint8_t rfc7983_first_byte[256];

/* Class of a UDP payload of len >= 1 bytes. */
static inline enum pkt_class
rfc7983_classify(const uint8_t *payload, uint16_t len)
{
	enum pkt_class c = (enum pkt_class)rfc7983_first_byte[payload[0]];

	if (c == PKT_CLASS_RTP && len >= 2 && payload[1] >= 192 && payload[1] <= 223)
		c = PKT_CLASS_RTCP;
	return c;
}

/* "stun", "dtls", ... for the console. */
const char *pkt_class_name(enum pkt_class c);

#endif /* SRTPFWD_RFC7983_H */
