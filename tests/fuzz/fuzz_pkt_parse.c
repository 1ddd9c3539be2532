/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the packet parser: any bytes as a received frame,
 * with any RX checksum verdicts and parse flags. The inline fast path and
 * the full parser must return the same kind and the same pkt_info and leave
 * the mbuf the same length (an accepted UDP datagram's mbuf ends where the
 * datagram does: padding and trailers cut), a drop must name a reason and
 * leave the mbuf as it was, and nothing may read outside the frame (ASan: the
 * frame sits at the end of its buffer, so an overread past it is caught).
 * No EAL: the mbuf is built by hand, as a PMD would leave it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <rte_mbuf.h>

#include "net/pkt_parse.h"

#define FRAME_MAX 2048

static const uint64_t ip_verdicts[4] = {
	RTE_MBUF_F_RX_IP_CKSUM_UNKNOWN, RTE_MBUF_F_RX_IP_CKSUM_BAD,
	RTE_MBUF_F_RX_IP_CKSUM_GOOD, RTE_MBUF_F_RX_IP_CKSUM_NONE,
};
static const uint64_t l4_verdicts[4] = {
	RTE_MBUF_F_RX_L4_CKSUM_UNKNOWN, RTE_MBUF_F_RX_L4_CKSUM_BAD,
	RTE_MBUF_F_RX_L4_CKSUM_GOOD, RTE_MBUF_F_RX_L4_CKSUM_NONE,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rte_mbuf m, mf;
	struct pkt_info fast, full;
	enum pkt_kind kf, kr;
	uint8_t *buf;
	uint8_t ctl;
	size_t len;

	if (size < 1)
		return 0;
	ctl = data[0];
	data++;
	len = size - 1 > FRAME_MAX ? FRAME_MAX : size - 1;
	/* The frame ends the allocation: ASan sees one byte too far. */
	buf = malloc(RTE_PKTMBUF_HEADROOM + len);
	if (buf == NULL)
		return 0;
	memcpy(buf + RTE_PKTMBUF_HEADROOM, data, len);

	memset(&m, 0, sizeof(m));
	m.buf_addr = buf;
	m.buf_len = (uint16_t)(RTE_PKTMBUF_HEADROOM + len);
	m.data_off = RTE_PKTMBUF_HEADROOM;
	m.data_len = (uint16_t)len;
	m.pkt_len = (uint32_t)len;
	/* A chain the parser must refuse now and then. */
	m.nb_segs = (ctl & 0x40) ? 2 : 1;
	m.ol_flags = ip_verdicts[ctl & 3] | l4_verdicts[(ctl >> 2) & 3];

	/* Each parser on its own mbuf over the same bytes: either may trim. */
	mf = m;
	memset(&fast, 0xa5, sizeof(fast));
	memset(&full, 0xa5, sizeof(full));
	kf = pkt_parse_flags(&m, &fast, (ctl & 0x10) ? PKT_PARSE_UDP_CKSUM_PRESERVE : 0);
	kr = pkt_parse_full(&mf, &full, (ctl & 0x10) ? PKT_PARSE_UDP_CKSUM_PRESERVE : 0);
	if (kf != kr || memcmp(&fast, &full, sizeof(fast)) != 0)
		abort();
	if (m.pkt_len != mf.pkt_len || m.data_len != mf.data_len || m.data_off != mf.data_off)
		abort();
	if (kf == PKT_KIND_DROP && fast.drop >= DROP_REASON_MAX)
		abort();
	if (kf != PKT_KIND_UDP && (m.pkt_len != len || m.data_len != len))
		abort();
	if (kf == PKT_KIND_UDP) {
		/* The mbuf is the datagram, to its last byte: no padding, no trailer. */
		if ((uint32_t)pkt_payload_off(&fast) + fast.payload_len != m.pkt_len ||
		    m.pkt_len != m.data_len || m.pkt_len > len)
			abort();
		/* Whatever it answers, it stays inside the frame. */
		(void)pkt_udp_cksum_ok(&m, &fast);
	}
	free(buf);
	return 0;
}
