/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_FWD_RTP_SEQ_H
#define SRTPFWD_FWD_RTP_SEQ_H

/*
 * Plain RTP about to be protected: is its sequence number one its sender
 * could have sent next (RFC 3550 A.1)? A late packet passes (the protect
 * context refuses a true replay); a jump of more than RTP_SEQ_MAX_DROPOUT
 * only when the packet after it follows on (the sender restarted): one
 * packet's word is not enough to move the index of what the box sends.
 * Per SSRC, as the protect context keeps its index: another SSRC's packets
 * neither move nor reset a stream's state. Written by the worker that
 * handles the leg's media (like its traffic counters).
 */

#include <rte_mbuf.h>

#include "../net/pkt_parse.h"
#include "../session/leg.h"

#define RTP_SEQ_MAX_DROPOUT 3000
#define RTP_SEQ_MAX_MISORDER 100
#define RTP_SEQ_IDLE_S 2		/* a stream's slot is free for another after this */

/* The slot of ssrc: found, free, or an idle one's; NULL: every slot is in use. */
static inline struct leg_rtp_seq_ssrc *
fwd_rtp_seq_slot(struct leg_rtp_seq *s, uint32_t epoch, uint32_t ssrc, uint64_t now,
		 uint64_t idle, bool *fresh)
{
	*fresh = false;
	if (unlikely(s->epoch != epoch)) {
		s->epoch = epoch;
		s->n = 0;
	}
	for (uint8_t i = 0; i < s->n; i++)
		if (s->s[i].ssrc == ssrc)
			return &s->s[i];
	*fresh = true;
	if (s->n < LEG_RTP_SEQ_SSRCS)
		return &s->s[s->n++];
	for (uint8_t i = 0; i < s->n; i++)
		if (now - s->s[i].last_tsc > idle)
			return &s->s[i];
	return NULL;
}

/* now: the burst's TSC; idle: RTP_SEQ_IDLE_S in TSC cycles. */
static inline bool
fwd_rtp_seq_ok(struct leg_rtp_seq *s, uint32_t epoch, const struct rte_mbuf *m,
	       const struct pkt_info *pi, uint64_t now, uint64_t idle)
{
	const uint8_t *rtp = rte_pktmbuf_mtod_offset(m, const uint8_t *, pkt_payload_off(pi));
	struct leg_rtp_seq_ssrc *st;
	uint16_t seq, delta;
	uint32_t ssrc;
	bool fresh;

	if (pi->payload_len < 12)
		return true;	/* the protect context refuses it */
	seq = (uint16_t)(rtp[2] << 8 | rtp[3]);
	ssrc = (uint32_t)rtp[8] << 24 | (uint32_t)rtp[9] << 16 | (uint32_t)rtp[10] << 8 | rtp[11];
	st = fwd_rtp_seq_slot(s, epoch, ssrc, now, idle, &fresh);
	/* Every slot busy: a new stream is not followed; the active ones stay guarded. */
	if (st == NULL)
		return true;
	delta = (uint16_t)(seq - st->max_seq);
	if (fresh || delta < RTP_SEQ_MAX_DROPOUT || (st->jumped && seq == st->bad_seq)) {
		st->ssrc = ssrc;
		st->max_seq = seq;
		st->jumped = 0;
		st->last_tsc = now;
		return true;
	}
	if (delta >= UINT16_MAX + 1 - RTP_SEQ_MAX_MISORDER)
		return true;
	st->bad_seq = (uint16_t)(seq + 1);
	st->jumped = 1;
	return false;
}

#endif /* SRTPFWD_FWD_RTP_SEQ_H */
