/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_LEG_BUNDLE_H
#define SRTPFWD_LEG_BUNDLE_H

/*
 * A BUNDLE transport (RFC 8843): one access leg carries the media of
 * several m-lines, which leave towards IMS on one core leg each (TS 23.228
 * U.1.1: BUNDLE is not carried into IMS). What arrives on the transport is
 * demultiplexed to a member by what the SDP said of each m-line, in the
 * order RFC 8843 §9.2 gives: the SSRC (a=ssrc), the MID header extension
 * (RFC 8843 §15), the payload type. RTCP goes by its first sender SSRC, else
 * to the first member. A member may also take a separate RTCP leg: the
 * IMS party did not accept rtcp-mux, so its RTCP has a port of its own.
 *
 * The table is immutable once published (RCU, like a leg's path): the
 * control lcore builds a new one and swaps the pointer. Nothing is learnt
 * on the workers, so a forged packet cannot move an SSRC to another member.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>

#include "../demux/rfc7983.h"

#define LEG_BUNDLE_MEMBERS 8	/* m-lines of one call (NG_STREAMS_MAX) */
#define LEG_BUNDLE_SSRCS 32	/* a=ssrc lines: audio, video, RTX, simulcast */
#define LEG_BUNDLE_MID_MAX 16	/* RFC 8843 MIDs the box demuxes on */
#define LEG_BUNDLE_NONE 0xff

struct leg_bundle_member {
	uint32_t rtp_leg;	/* the m-line's core leg */
	uint32_t rtcp_leg;	/* where its RTCP goes: rtp_leg, or its own RTCP leg */
	uint8_t mid_len;	/* 0: no MID */
	char mid[LEG_BUNDLE_MID_MAX];
};

struct leg_bundle {
	uint8_t n_members;
	uint8_t n_ssrc;
	uint8_t mid_ext_id;	/* one-byte/two-byte header extension id of the MID; 0: none */
	uint8_t pt_member[128];	/* LEG_BUNDLE_NONE: the payload type is no member's */
	uint8_t ssrc_member[LEG_BUNDLE_SSRCS];
	uint32_t ssrc[LEG_BUNDLE_SSRCS];
	struct leg_bundle_member member[LEG_BUNDLE_MEMBERS];
};

/* The member whose MID is mid[0..len), or LEG_BUNDLE_NONE. */
static inline uint8_t
leg_bundle_mid_member(const struct leg_bundle *b, const uint8_t *mid, unsigned int len)
{
	for (uint8_t i = 0; i < b->n_members; i++)
		if (b->member[i].mid_len == len && memcmp(b->member[i].mid, mid, len) == 0)
			return i;
	return LEG_BUNDLE_NONE;
}

/*
 * The MID in an RTP header extension block (RFC 8285: one-byte 0xBEDE or
 * two-byte 0x100x profile), ext[0..len) being the elements after the
 * 4-byte extension header; LEG_BUNDLE_NONE when absent or malformed.
 */
static inline uint8_t
leg_bundle_ext_member(const struct leg_bundle *b, uint16_t profile, const uint8_t *ext,
		      unsigned int len)
{
	bool one_byte = profile == 0xBEDE;
	unsigned int i = 0;

	if (!one_byte && (profile & 0xfff0) != 0x1000)
		return LEG_BUNDLE_NONE;
	while (i < len) {
		unsigned int id, elen, hdr = one_byte ? 1 : 2;

		if (ext[i] == 0) {	/* padding */
			i++;
			continue;
		}
		if (one_byte) {
			id = ext[i] >> 4;
			elen = (ext[i] & 0x0f) + 1u;
			if (id == 15)
				return LEG_BUNDLE_NONE;	/* reserved: stop (RFC 8285 §4.2) */
		} else {
			if (i + 1 >= len)
				return LEG_BUNDLE_NONE;
			id = ext[i];
			elen = ext[i + 1];
		}
		if (i + hdr + elen > len)
			return LEG_BUNDLE_NONE;
		if (id == b->mid_ext_id)
			return leg_bundle_mid_member(b, ext + i + hdr, elen);
		i += hdr + elen;
	}
	return LEG_BUNDLE_NONE;
}

static inline uint8_t
leg_bundle_ssrc_member(const struct leg_bundle *b, uint32_t ssrc)
{
	for (uint8_t i = 0; i < b->n_ssrc; i++)
		if (b->ssrc[i] == ssrc)
			return b->ssrc_member[i];
	return LEG_BUNDLE_NONE;
}

/* RTP: SSRC, then MID, then payload type. p[0..len) is the UDP payload (len >= 12). */
static inline uint8_t
leg_bundle_rtp_member(const struct leg_bundle *b, const uint8_t *p, unsigned int len)
{
	uint8_t m = leg_bundle_ssrc_member(b, rte_be_to_cpu_32(*(const rte_be32_t *)(p + 8)));
	unsigned int off = 12u + 4u * (p[0] & 0x0f);

	if (m != LEG_BUNDLE_NONE)
		return m;
	if (b->mid_ext_id != 0 && (p[0] & 0x10) && off + 4 <= len) {
		uint16_t profile = (uint16_t)(p[off] << 8 | p[off + 1]);
		unsigned int elen = 4u * (unsigned int)(p[off + 2] << 8 | p[off + 3]);

		if (off + 4 + elen <= len) {
			m = leg_bundle_ext_member(b, profile, p + off + 4, elen);
			if (m != LEG_BUNDLE_NONE)
				return m;
		}
	}
	return b->pt_member[p[1] & 0x7f];
}

/*
 * The leg a packet of class cls arriving on the transport goes to, or
 * UINT32_MAX when RTP names no member. p[0..len) is the UDP payload.
 */
static inline uint32_t
leg_bundle_pick(const struct leg_bundle *b, enum pkt_class cls, const uint8_t *p, unsigned int len)
{
	uint8_t m;

	if (cls == PKT_CLASS_RTCP) {
		m = len >= 8 ? leg_bundle_ssrc_member(b, rte_be_to_cpu_32(*(const rte_be32_t *)(p + 4))) :
			       LEG_BUNDLE_NONE;
		return b->member[m != LEG_BUNDLE_NONE ? m : 0].rtcp_leg;
	}
	if (len < 12)
		return UINT32_MAX;
	m = leg_bundle_rtp_member(b, p, len);
	return m != LEG_BUNDLE_NONE ? b->member[m].rtp_leg : UINT32_MAX;
}

#endif /* SRTPFWD_LEG_BUNDLE_H */
