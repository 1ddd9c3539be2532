/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_SRTP_RTP_H
#define SRTPFWD_SRTP_RTP_H

/*
 * The few RTP/RTCP header fields SRTP needs (RFC 3550 §5.1, §6.4), read
 * without assuming alignment: packets sit at any offset in an mbuf.
 */

#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>

#define RTP_HDR_LEN 12
#define RTCP_HDR_LEN 8			/* V/P/RC, PT, length, sender SSRC */
#define SRTCP_E_FLAG UINT32_C(0x80000000)
#define SRTCP_IDX_MASK UINT32_C(0x7fffffff)

static inline uint32_t
srtp_load_be32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return rte_be_to_cpu_32(v);
}

static inline uint16_t
srtp_load_be16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return rte_be_to_cpu_16(v);
}

static inline void
srtp_store_be32(uint8_t *p, uint32_t v)
{
	v = rte_cpu_to_be_32(v);
	memcpy(p, &v, 4);
}

/*
 * Length of the RTP header incl. CSRCs and header extension (the part SRTP
 * leaves in clear and GCM authenticates), or 0 if it does not fit in len
 * or the version is not 2.
 */
static inline uint32_t
srtp_rtp_hdr_len(const uint8_t *p, uint32_t len)
{
	uint32_t hl;

	if (len < RTP_HDR_LEN || (p[0] >> 6) != 2)
		return 0;
	hl = RTP_HDR_LEN + 4u * (p[0] & 0x0f);
	if (p[0] & 0x10) {
		if (hl + 4 > len)
			return 0;
		hl += 4 + 4u * srtp_load_be16(p + hl + 2);
	}
	return hl <= len ? hl : 0;
}

#endif /* SRTPFWD_SRTP_RTP_H */
