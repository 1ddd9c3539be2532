/* SPDX-License-Identifier: BSD-3-Clause */
#include "fwd_media.h"

static enum drop_reason
srtp_drop_reason(enum srtp_result r)
{
	switch (r) {
	case SRTP_RES_AUTH_FAIL:
		return DROP_SRTP_AUTH;
	case SRTP_RES_REPLAY:
		return DROP_SRTP_REPLAY;
	case SRTP_RES_BAD_LENGTH:
		return DROP_SRTP_LENGTH;
	case SRTP_RES_CRYPTO_STALL:
		return DROP_SRTP_CRYPTO_STALL;
	default:
		return DROP_SRTP_OTHER;
	}
}

/*
 * One SRTP pass over the media batch: packets whose context for this pass
 * is set go through the engine in one burst; failures are dropped and
 * leave the batch as NULL.
 */
static void
media_crypto_pass(struct fwd_worker *w, bool outbound)
{
	struct srtp_pkt sp[FWD_BURST_MAX];
	uint16_t idx[FWD_BURST_MAX];
	uint16_t n = 0;

	for (uint16_t i = 0; i < w->n_media; i++) {
		struct fwd_media *fm = &w->media[i];
		struct srtp_ctx *ctx;

		if (w->media_pkts[i] == NULL)
			continue;
		ctx = outbound ? fm->protect : fm->unprotect;
		if (ctx == NULL)
			continue;
		sp[n].m = w->media_pkts[i];
		sp[n].ctx = ctx;
		sp[n].off = pkt_payload_off(fm->pi);
		idx[n++] = i;
	}
	if (n == 0 || w->srtp == NULL)
		return;
	if (srtp_process_burst(w->srtp, sp, n) == n)
		return;
	for (uint16_t j = 0; j < n; j++) {
		if (sp[j].result == SRTP_RES_OK)
			continue;
		drop_pkt(&w->drops, w->media_pkts[idx[j]], w->media[idx[j]].in->id,
			 srtp_drop_reason((enum srtp_result)sp[j].result));
		w->media_pkts[idx[j]] = NULL;
	}
}

/* One packet of the batch after its crypto: latch asked (home worker), headers, TX. */
static inline void
media_out(struct fwd_worker *w, struct rte_mbuf *m, struct fwd_media *fm)
{
	const struct pkt_info *pi = fm->pi;
	struct leg *leg = fm->in;
	struct leg_traffic *t = fwd_traffic(w, leg);
	bool rewritten = fm->unprotect != NULL || fm->protect != NULL;
	uint16_t len = (uint16_t)(rte_pktmbuf_pkt_len(m) - pkt_payload_off(pi));
	enum drop_reason d;

	if (unlikely(fm->latch))
		fwd_prelatch_claim(w, leg, pi);
	leg_traffic_rx(t, fm->kind == SRTP_KIND_RTCP ? PKT_CLASS_RTCP : PKT_CLASS_RTP,
		       pi->payload_len);
	d = fwd_route_write(m, pi, len, &fm->route, rewritten);
	if (unlikely(d != DROP_NONE)) {
		drop_pkt(&w->drops, m, leg->id, d);
		return;
	}
	leg_traffic_fwd(t, len);
	fwd_tx(w, fm->route.path->port_id, m);
}

void
fwd_media_flush(struct fwd_worker *w)
{
	w->stats->media_pkts += w->n_media;
	media_crypto_pass(w, false);
	/* Between the passes the media is clear both ways: what interception copies. */
	for (uint16_t i = 0; i < w->n_media; i++)
		if (unlikely(w->media[i].in->li) && w->media_pkts[i] != NULL)
			fwd_li_copy(w, w->media[i].in, w->media_pkts[i], w->media[i].pi,
				    w->media[i].kind == SRTP_KIND_RTCP ? PKT_CLASS_RTCP :
									 PKT_CLASS_RTP);
	media_crypto_pass(w, true);
	for (uint16_t i = 0; i < w->n_media; i++)
		if (w->media_pkts[i] != NULL)
			media_out(w, w->media_pkts[i], &w->media[i]);
	w->n_media = 0;
}
