/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The cryptodev back end, packet path. A burst goes through three passes:
 *  1. prepare, in packet order: check lengths, find the SSRC's stream,
 *     estimate the index (RFC 3711 §3.3.1), check the replay window, fill
 *     the packet's preallocated op (IV, AAD, ROC, digest location);
 *     outbound state is committed here, there is nothing to authenticate;
 *  2. crypto: ops grouped by session, enqueued, polled back;
 *  3. commit, in packet order: an inbound AES-CM/HMAC packet's tag is
 *     compared in constant time with the one the PMD generated (AES-GCM
 *     tags are verified by the PMD itself: a cryptodev has no GHASH-only
 *     operation to generate them with); one that authenticated is
 *     checked against the window again (a duplicate in the same burst) and
 *     only then moves ROC, highest index and window (RFC 3711 §3.3).
 * A forged packet costs one authentication and changes no state.
 */
#include <string.h>

#include <openssl/crypto.h>
#include <rte_cryptodev.h>
#include <rte_mbuf.h>

#include "srtp_cdev.h"
#include "srtp_stream.h"

/* RFC 3711 §4.1.1: IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16). */
static inline void
iv_aes_cm(uint8_t *iv, const uint8_t *salt, uint32_t ssrc, uint64_t index)
{
	unsigned int b;

	memcpy(iv, salt, 14);
	iv[14] = 0;
	iv[15] = 0;
	iv[4] ^= (uint8_t)(ssrc >> 24);
	iv[5] ^= (uint8_t)(ssrc >> 16);
	iv[6] ^= (uint8_t)(ssrc >> 8);
	iv[7] ^= (uint8_t)ssrc;
	for (b = 0; b < 6; b++)
		iv[8 + b] ^= (uint8_t)(index >> (40 - 8 * b));
}

/*
 * RFC 7714 §8.1: IV = (0x0000 || SSRC || ROC || SEQ) XOR salt; §9.1 for
 * SRTCP: (0x0000 || SSRC || 0x0000 || 0 || index) XOR salt. With the 48-bit
 * SRTP index (ROC || SEQ) both are the same 6 trailing bytes.
 */
static inline void
iv_gcm(uint8_t *iv, const uint8_t *salt, uint32_t ssrc, uint64_t index)
{
	unsigned int b;

	iv[0] = salt[0];
	iv[1] = salt[1];
	iv[2] = salt[2] ^ (uint8_t)(ssrc >> 24);
	iv[3] = salt[3] ^ (uint8_t)(ssrc >> 16);
	iv[4] = salt[4] ^ (uint8_t)(ssrc >> 8);
	iv[5] = salt[5] ^ (uint8_t)ssrc;
	for (b = 0; b < 6; b++)
		iv[6 + b] = salt[6 + b] ^ (uint8_t)(index >> (40 - 8 * b));
}

static inline void
op_reset(struct rte_crypto_op *op, struct rte_mbuf *m, void *sess)
{
	op->status = RTE_CRYPTO_OP_STATUS_NOT_PROCESSED;
	op->sym->m_src = m;
	op->sym->m_dst = NULL;
	rte_crypto_op_attach_sym_session(op, sess);
}

static inline void
op_digest(struct rte_crypto_op *op, struct srtp_op_priv *pr)
{
	op->sym->auth.digest.data = pr->digest;
	op->sym->auth.digest.phys_addr = rte_crypto_op_ctophys_offset(op,
		SRTP_OP_PRIV_OFFSET + offsetof(struct srtp_op_priv, digest));
}

/* Verdict of the window unless the context skips replay checks (benchmarks). */
static inline bool
replayed(const struct srtp_ctx *ctx, const struct srtp_stream *s, uint64_t index)
{
	return !ctx->no_replay && srtp_window_check(&s->win, index) != SRTP_REPLAY_OK;
}

static enum srtp_result
prep_rtp(struct srtp_worker *w, struct srtp_pkt *pkt, struct srtp_cdev_pkt *cp,
	 struct rte_crypto_op *op)
{
	struct srtp_ctx *ctx = pkt->ctx;
	struct srtp_cdev_ctx *cc = ctx->be;
	struct rte_mbuf *m = pkt->m;
	struct srtp_op_priv *pr = srtp_op_priv(op);
	uint8_t *p = rte_pktmbuf_mtod_offset(m, uint8_t *, pkt->off);
	uint32_t len = m->pkt_len - pkt->off;
	uint32_t hl, body, ssrc;
	struct srtp_stream *s;
	uint64_t index;
	void *sess = cc->sess;
	uint16_t seq;

	if (!srtp_length_ok(ctx, m, p, len))
		return SRTP_RES_BAD_LENGTH;
	hl = srtp_rtp_hdr_len(p, len);
	ssrc = srtp_load_be32(p + 8);
	seq = srtp_load_be16(p + 2);
	if (ctx->pi->aead) {
		if (hl - RTP_HDR_LEN >= 4 * SRTP_CDEV_GCM_AAD_SLOTS)
			return SRTP_RES_OTHER;
		sess = cc->gcm_sess[(hl - RTP_HDR_LEN) / 4];
	}
	s = srtp_stream_get(ctx, ssrc, w->gen);
	if (s == NULL)
		return SRTP_RES_OTHER;

	if (ctx->dir == SRTP_DIR_OUTBOUND) {
		index = srtp_estimate_index(s->win.top, seq);
		if (replayed(ctx, s, index))
			return SRTP_RES_REPLAY;
		srtp_window_add(&s->win, index);
		body = len - hl;
		rte_pktmbuf_append(m, ctx->tag_len);	/* tailroom checked */
	} else {
		/*
		 * Estimated against the highest index of this burst so far, as
		 * if the earlier packets authenticate: in-order packets across
		 * a wrap in one burst get the ROC libsrtp2 would give them.
		 */
		index = srtp_estimate_index(s->tent, seq);
		if (replayed(ctx, s, index))
			return SRTP_RES_REPLAY;
		if (index > s->tent)
			s->tent = index;
		body = len - hl - ctx->tag_len;
	}
	cp->s = s;
	cp->index = index;
	op_reset(op, m, sess);

	if (ctx->pi->aead) {
		op->sym->aead.data.offset = pkt->off + hl;
		op->sym->aead.data.length = body;
		op->sym->aead.aad.data = p;
		op->sym->aead.aad.phys_addr = rte_pktmbuf_iova_offset(m, pkt->off);
		op->sym->aead.digest.data = p + hl + body;
		op->sym->aead.digest.phys_addr = rte_pktmbuf_iova_offset(m, pkt->off + hl + body);
		iv_gcm(pr->iv, cc->salt, ssrc, index);
		return SRTP_RES_OK;
	}
	/*
	 * RFC 3711 §4.2: the tag covers header || payload || ROC. The ROC goes
	 * where the tag goes (inbound: after saving the tag), the tag itself
	 * lives in the op while the PMD works.
	 */
	if (ctx->dir == SRTP_DIR_INBOUND)
		memcpy(pr->rx_tag, p + hl + body, ctx->tag_len);
	srtp_store_be32(p + hl + body, (uint32_t)(index >> 16));
	op->sym->auth.data.offset = pkt->off;
	op->sym->auth.data.length = hl + body + 4;
	op_digest(op, pr);
	if (ctx->pi->encrypts) {
		op->sym->cipher.data.offset = pkt->off + hl;
		op->sym->cipher.data.length = body;
		iv_aes_cm(pr->iv, cc->salt, ssrc, index);
	}
	return SRTP_RES_OK;
}

static enum srtp_result
prep_rtcp(struct srtp_worker *w, struct srtp_pkt *pkt, struct srtp_cdev_pkt *cp,
	  struct rte_crypto_op *op)
{
	struct srtp_ctx *ctx = pkt->ctx;
	struct srtp_cdev_ctx *cc = ctx->be;
	struct rte_mbuf *m = pkt->m;
	struct srtp_op_priv *pr = srtp_op_priv(op);
	uint8_t *p = rte_pktmbuf_mtod_offset(m, uint8_t *, pkt->off);
	uint32_t len = m->pkt_len - pkt->off;
	uint32_t ssrc, trailer, body;
	uint8_t *tp, *tag;
	struct srtp_stream *s;
	uint64_t index;

	if (!srtp_length_ok(ctx, m, p, len))
		return SRTP_RES_BAD_LENGTH;
	ssrc = srtp_load_be32(p + 4);
	s = srtp_stream_get(ctx, ssrc, w->gen);
	if (s == NULL)
		return SRTP_RES_OTHER;

	if (ctx->dir == SRTP_DIR_OUTBOUND) {
		/* libsrtp2 sends index 1 first; 2^31 - 1 is the last (§3.4, §9.2). */
		if (s->tx_index >= SRTCP_IDX_MASK)
			return SRTP_RES_OTHER;
		index = ++s->tx_index;
		body = len - RTCP_HDR_LEN;
		trailer = (uint32_t)index | (ctx->pi->encrypts ? SRTCP_E_FLAG : 0);
		rte_pktmbuf_append(m, ctx->tag_len + 4);	/* tailroom checked */
		if (ctx->pi->aead) {
			tag = p + len;
			tp = tag + ctx->tag_len;
		} else {
			tp = p + len;
			tag = tp + 4;
		}
		srtp_store_be32(tp, trailer);
	} else {
		if (ctx->pi->aead) {
			tp = p + len - 4;
			tag = tp - ctx->tag_len;
		} else {
			tag = p + len - ctx->tag_len;
			tp = tag - 4;
		}
		trailer = srtp_load_be32(tp);
		index = trailer & SRTCP_IDX_MASK;
		body = (uint32_t)(len - RTCP_HDR_LEN - 4 - ctx->tag_len);
		if (replayed(ctx, s, index))
			return SRTP_RES_REPLAY;
		/* An unencrypted SRTCP-GCM packet needs another AAD layout; not sent by peers. */
		if (ctx->pi->aead && !(trailer & SRTCP_E_FLAG))
			return SRTP_RES_OTHER;
	}
	cp->s = s;
	cp->index = index;
	op_reset(op, m, cc->sess);

	if (ctx->pi->aead) {
		memcpy(pr->aad, p, RTCP_HDR_LEN);
		srtp_store_be32(pr->aad + RTCP_HDR_LEN, trailer);
		op->sym->aead.data.offset = pkt->off + RTCP_HDR_LEN;
		op->sym->aead.data.length = body;
		op->sym->aead.aad.data = pr->aad;
		op->sym->aead.aad.phys_addr = rte_crypto_op_ctophys_offset(op,
			SRTP_OP_PRIV_OFFSET + offsetof(struct srtp_op_priv, aad));
		op->sym->aead.digest.data = tag;
		op->sym->aead.digest.phys_addr = rte_pktmbuf_iova_offset(m,
			pkt->off + (uint32_t)(tag - p));
		iv_gcm(pr->iv, cc->salt, ssrc, index);
		return SRTP_RES_OK;
	}
	/* RFC 3711 §3.4: the tag covers header || payload || E||index. */
	op->sym->auth.data.offset = pkt->off;
	op->sym->auth.data.length = (uint32_t)(tp + 4 - p);
	if (ctx->dir == SRTP_DIR_INBOUND) {
		memcpy(pr->rx_tag, tag, ctx->tag_len);
		op_digest(op, pr);
	} else {
		op->sym->auth.digest.data = tag;
		op->sym->auth.digest.phys_addr = rte_pktmbuf_iova_offset(m,
			pkt->off + (uint32_t)(tag - p));
	}
	if (ctx->pi->encrypts) {
		op->sym->cipher.data.offset = pkt->off + RTCP_HDR_LEN;
		/* E clear: authenticated only, as libsrtp2 accepts it. */
		op->sym->cipher.data.length = (trailer & SRTCP_E_FLAG) ? body : 0;
		iv_aes_cm(pr->iv, cc->salt, ssrc, index);
	}
	return SRTP_RES_OK;
}

static void
commit(struct srtp_pkt *pkt, struct srtp_cdev_pkt *cp, struct rte_crypto_op *op)
{
	struct srtp_ctx *ctx = pkt->ctx;
	struct rte_mbuf *m = pkt->m;
	uint8_t *p;

	if (cp->status != RTE_CRYPTO_OP_STATUS_SUCCESS) {
		pkt->result = cp->status == RTE_CRYPTO_OP_STATUS_AUTH_FAILED ?
			      SRTP_RES_AUTH_FAIL : SRTP_RES_OTHER;
		return;
	}
	if (ctx->dir == SRTP_DIR_OUTBOUND) {
		/* AES-CM/HMAC SRTP: the tag replaces the ROC that was authenticated. */
		if (ctx->kind == SRTP_KIND_RTP && !ctx->pi->aead) {
			p = rte_pktmbuf_mtod(m, uint8_t *) + m->pkt_len - ctx->tag_len;
			memcpy(p, srtp_op_priv(op)->digest, ctx->tag_len);
		}
		pkt->result = SRTP_RES_OK;
		return;
	}
	if (!ctx->pi->aead) {
		struct srtp_op_priv *pr = srtp_op_priv(op);

		if (CRYPTO_memcmp(pr->digest, pr->rx_tag, ctx->tag_len) != 0) {
			pkt->result = SRTP_RES_AUTH_FAIL;
			return;
		}
	}
	if (replayed(ctx, cp->s, cp->index)) {
		pkt->result = SRTP_RES_REPLAY;
		return;
	}
	srtp_window_add(&cp->s->win, cp->index);
	cp->s->state = SRTP_STREAM_ACTIVE;
	rte_pktmbuf_trim(m, ctx->tag_len + (ctx->kind == SRTP_KIND_RTCP ? 4 : 0));
	pkt->result = SRTP_RES_OK;
}

/* Stable grouping by session: PMDs (and caches) like runs of one key. */
static void
group_by_session(struct rte_crypto_op **in, struct rte_crypto_op **out, uint16_t n)
{
	uint64_t taken = 0;
	uint16_t i, j, k = 0;

	for (i = 0; i < n; i++) {
		void *sess;

		if (taken & (UINT64_C(1) << i))
			continue;
		sess = in[i]->sym->session;
		for (j = i; j < n; j++) {
			if (!(taken & (UINT64_C(1) << j)) && in[j]->sym->session == sess) {
				taken |= UINT64_C(1) << j;
				out[k++] = in[j];
			}
		}
	}
}

void
srtp_cdev_burst(struct srtp_worker *w, struct srtp_pkt *pkts, uint16_t n)
{
	struct srtp_cdev_engine *ce = w->e->be;
	struct srtp_cdev_worker *cw = w->be;
	struct rte_crypto_op *used[SRTP_BURST_MAX];
	uint16_t i, nb = 0, sent = 0, recv = 0;

	RTE_BUILD_BUG_ON(SRTP_BURST_MAX > 64);
	for (i = 0; i < n; i++) {
		struct srtp_pkt *pkt = &pkts[i];
		struct srtp_cdev_pkt *cp = &cw->pkt[i];
		struct rte_crypto_op *op = cw->ops[nb];
		enum srtp_result r;

		cp->has_op = 0;
		if (!rte_pktmbuf_is_contiguous(pkt->m) || pkt->off > pkt->m->pkt_len)
			r = SRTP_RES_BAD_LENGTH;
		else if (pkt->ctx->kind == SRTP_KIND_RTP)
			r = prep_rtp(w, pkt, cp, op);
		else
			r = prep_rtcp(w, pkt, cp, op);
		pkt->result = (uint8_t)r;
		if (r != SRTP_RES_OK)
			continue;
		cp->has_op = 1;
		cp->status = RTE_CRYPTO_OP_STATUS_NOT_PROCESSED;
		srtp_op_priv(op)->pkt = i;
		used[nb++] = op;
	}
	if (nb == 0)
		return;

	group_by_session(used, cw->enq, nb);
	while (recv < nb) {
		uint16_t k;

		if (sent < nb)
			sent += rte_cryptodev_enqueue_burst(ce->dev_id, cw->qp, cw->enq + sent,
							    nb - sent);
		k = rte_cryptodev_dequeue_burst(ce->dev_id, cw->qp, cw->deq, nb - recv);
		for (i = 0; i < k; i++)
			cw->pkt[srtp_op_priv(cw->deq[i])->pkt].status = cw->deq[i]->status;
		recv += k;
	}

	for (i = 0, nb = 0; i < n; i++) {
		if (!cw->pkt[i].has_op)
			continue;
		commit(&pkts[i], &cw->pkt[i], used[nb++]);
	}
}
