/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_FWD_MEDIA_H
#define SRTPFWD_FWD_MEDIA_H

/*
 * The media action (e2ae RTP/RTCP): each packet is checked and routed as
 * it comes (fwd_media_input), then the burst's media is (un)protected in
 * batches and sent (fwd_media_flush, once per burst).
 */

#include "fwd_io.h"

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
 * RTP/RTCP of an e2ae leg whose source check passed (path NULL: a learning
 * leg not latched yet). A packet that could not leave is dropped before any
 * crypto is spent on it; a learning leg's first packets go to the control
 * lcore, which latches the leg once one has authenticated.
 */
static inline void
fwd_media_input(struct fwd_worker *w, struct leg *leg, struct rte_mbuf *m,
		const struct pkt_info *pi, uint16_t iface, enum pkt_class cls,
		const struct leg_path *path)
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

	d = fwd_route_to_peer(w->plane, leg, fwd_in_sum(path, pi), &fm->route);
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
	if (unlikely(path == NULL) && w->ctl == NULL) {
		fwd_punt_for_latch(w, m, iface, leg->id);
		return;
	}
	if (unlikely(fwd_plain_cksum_bad(w, in_keys, out_keys, kind, m, pi))) {
		drop_pkt(&w->drops, m, leg->id, DROP_UDP_CHECKSUM);
		return;
	}
	fm->in = leg;
	fm->pi = pi;
	fm->unprotect = in_keys->in[kind];
	fm->protect = out_keys->out[kind];
	fm->kind = kind;
	fm->latch = path == NULL;
	w->media_pkts[w->n_media++] = m;
}

/* The burst's media: unprotect, protect, new headers, TX. */
void fwd_media_flush(struct fwd_worker *w);

#endif /* SRTPFWD_FWD_MEDIA_H */
