/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_FWD_MEDIA_H
#define SRTPFWD_FWD_MEDIA_H

/*
 * The media action (e2ae RTP/RTCP): each packet is checked and routed as
 * it comes (fwd_media_input), then the burst's media is (un)protected in
 * batches and sent (fwd_media_flush, once per burst).
 */

#include "fwd_io.h"
#include "fwd_rtp_seq.h"

/* The media batch so far: unprotect, protect, new headers, TX. */
void fwd_media_flush(struct fwd_worker *w);

static inline bool
fwd_plain_cksum_bad(const struct fwd_worker *w, const struct leg_srtp *in,
		    const struct leg_srtp *out, enum srtp_kind kind, struct rte_mbuf *m,
		    const struct pkt_info *pi)
{
	/*
	 * Plain RTP in, payload rewritten (protected) out: SRTP would seal a
	 * corrupted packet with a good tag, so its checksum is checked here.
	 */
	return in->in[kind] == NULL && out->out[kind] != NULL &&
	       (w->plane->parse_flags & PKT_PARSE_UDP_CKSUM_PRESERVE) && !pkt_udp_cksum_ok(m, pi);
}

/*
 * Where the packet of a leg is handled: false when it went to the leg's
 * home worker (or was dropped). An unlatched leg's packets are the home
 * worker's, and from one source once one authenticated; a latched leg's
 * are here unless our earlier ones are still at the home worker.
 */
static inline bool
fwd_media_here(struct fwd_worker *w, struct leg *leg, struct rte_mbuf *m,
	       const struct pkt_info *pi, const struct leg_path *path)
{
	if (likely(path != NULL)) {
		/* A BUNDLE's legs share the transport's SRTP state: one worker for all. */
		if (unlikely(leg->pinned) && leg->home != w->index) {
			fwd_handoff(w, m, leg);
			return false;
		}
		if (likely(!fwd_handoff_pending(w, leg)))
			return true;
	} else if (leg->home == w->index) {
		if (fwd_prelatch_source_ok(w, leg, pi))
			return true;
		drop_pkt(&w->drops, m, leg->id, DROP_SOURCE_MISMATCH);
		return false;
	}
	fwd_handoff(w, m, leg);
	return false;
}

/*
 * RTP/RTCP of an e2ae leg whose source check passed (path NULL: a learning
 * leg not latched yet). A packet that could not leave is dropped before any
 * crypto is spent on it. An unlatched leg's packet is (un)protected alone,
 * so that the next one of the leg sees whether it authenticated.
 */
static inline void
fwd_media_input(struct fwd_worker *w, struct leg *leg, struct rte_mbuf *m,
		const struct pkt_info *pi, enum pkt_class cls, const struct leg_path *path)
{
	const struct leg_srtp *in_keys, *out_keys;
	/*
	 * The batch's next slot, filled in place (taken only at the end): a
	 * route built on the stack and copied in cost a store-forwarding stall
	 * a packet (two 8-byte stores read back as one 16-byte load).
	 */
	struct fwd_media *fm = &w->media[w->n_media];
	enum srtp_kind kind = cls == PKT_CLASS_RTCP ? SRTP_KIND_RTCP : SRTP_KIND_RTP;
	enum drop_reason d;

	if (likely(!leg->demux))
		d = fwd_route_to_peer(w->plane, leg, fwd_in_sum(path, pi), &fm->route);
	else
		d = fwd_route_bundle(w->plane, leg, m, pi, cls, fwd_in_sum(path, pi), &fm->route);
	if (unlikely(d != DROP_NONE)) {
		drop_pkt(&w->drops, m, leg->id, d);
		return;
	}
	/* A DTLS-SRTP leg without keys yet (or any more) passes nothing. */
	in_keys = leg_srtp(leg);
	out_keys = leg_srtp(fm->route.out);
	if (unlikely(in_keys == NULL || out_keys == NULL)) {
		drop_pkt(&w->drops, m, leg->id, DROP_SRTP_NO_KEYS);
		return;
	}
	if (unlikely(!fwd_media_here(w, leg, m, pi, path)))
		return;
	if (unlikely(path == NULL && !fwd_learnable(m, pi, cls))) {
		drop_pkt(&w->drops, m, leg->id, DROP_LATCH_NOT_RTP);
		return;
	}
	if (unlikely(fwd_plain_cksum_bad(w, in_keys, out_keys, kind, m, pi))) {
		drop_pkt(&w->drops, m, leg->id, DROP_UDP_CHECKSUM);
		return;
	}
	if (in_keys->in[kind] == NULL && out_keys->out[kind] != NULL && kind == SRTP_KIND_RTP &&
	    unlikely(!fwd_rtp_seq_ok(&leg->counters.plain_seq, leg->epoch, m, pi, w->burst.now_tsc,
				      w->rtp_seq_idle_tsc))) {
		drop_pkt(&w->drops, m, leg->id, DROP_RTP_SEQ_JUMP);
		return;
	}
	fm->in = leg;
	fm->pi = pi;
	fm->unprotect = in_keys->in[kind];
	fm->protect = out_keys->out[kind];
	fm->kind = kind;
	fm->latch = path == NULL;
	w->media_pkts[w->n_media++] = m;
	if (unlikely(fm->latch))
		fwd_media_flush(w);
}

#endif /* SRTPFWD_FWD_MEDIA_H */
