/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The cryptodev back end, packet path. A burst goes through three passes:
 *  1. prepare, in packet order: check lengths, find the SSRC's stream,
 *     estimate the index (RFC 3711 §3.3.1), check the replay window, fill
 *     a free op slot (IV, AAD, ROC, digest location); outbound state is
 *     committed here, there is nothing to authenticate. An inbound SSRC
 *     without a stream gets a candidate in the burst's scratch instead of
 *     a slot, and is treated as a fresh stream;
 *  2. crypto: ops grouped by session, enqueued, polled back within the
 *     poll timeout (srtp_cdev_qp.c); or, on the CPU crypto back end, run
 *     synchronously as vectors (srtp_cdev_cpu.c); or, on the ipsec-mb back
 *     end, as jobs of the worker's multi-buffer manager (srtp_cdev_mb.c);
 *  3. commit, in packet order: an inbound AES-CM/HMAC packet's tag is
 *     compared in constant time with the one the PMD generated (AES-GCM
 *     tags are verified by the PMD itself: a cryptodev has no GHASH-only
 *     operation to generate them with); one that authenticated is
 *     checked against the window again (a duplicate in the same burst) and
 *     only then moves ROC, highest index and window (RFC 3711 §3.3); a
 *     candidate's first such packet claims its SSRC slot.
 * A forged packet costs one authentication and changes no state: forged
 * SSRCs take no slot from a genuine new one, in the same burst or later.
 *
 * The same holds for the index estimate of an inbound SRTP packet: it is
 * made from the stream's committed highest index only, never from what
 * earlier packets of the burst would commit if they authenticated (a forged
 * one reading as "a wrap ahead" would move the ROC of the genuine ones after
 * it). What an earlier packet of the round can change is known at prepare:
 * the estimate is monotonic in the highest index, so if the committed index
 * and the round's highest estimate so far (forged ones included) give the
 * same estimate, so does every state commit can leave in between. A packet
 * for which they differ ends the round (only near a jump of half the
 * sequence space); the rest of the burst is a new round, estimated from the
 * state its predecessors committed, as libsrtp2 estimates one packet at a
 * time. Each packet still goes through the crypto once; a forged packet
 * that reads as far ahead can cost the burst a round (one more enqueue and
 * poll), never a genuine packet's verdict.
 *
 * Only per-packet fields of an op are written here; what never changes
 * (op type, session type, no m_dst) was set when the slots were made.
 */
#include <string.h>

#include <rte_byteorder.h>
#include <rte_cryptodev.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

#include "srtp_cdev.h"
#include "srtp_cdev_mb.h"
#include "srtp_stream.h"
#include "srtp_tag.h"

/* How far ahead the prepare pass asks for contexts, and then for their state. */
#define PREFETCH_CTX 4
#define PREFETCH_STATE 2

/* Prepare's internal verdict: the packet starts the next round; never left as a result. */
#define RES_NEXT_ROUND SRTP_RES_MAX

static inline uint64_t
load_be64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return rte_be_to_cpu_64(v);
}

/*
 * The 16-byte IV as two big-endian words written at once: byte-wise XORs
 * into the op, read back as words a few instructions later, stalled on
 * store forwarding.
 */
static inline void
iv_store(uint8_t *iv, uint64_t hi, uint64_t lo)
{
	uint64_t w[2] = { rte_cpu_to_be_64(hi), rte_cpu_to_be_64(lo) };

	memcpy(iv, w, sizeof(w));
}

/*
 * RFC 3711 §4.1.1: IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16). The
 * salt is zero-padded to 16 bytes, so bytes 14 and 15 come out zero.
 */
static inline void
iv_aes_cm(uint8_t *iv, const uint8_t *salt, uint32_t ssrc, uint64_t index)
{
	iv_store(iv, load_be64(salt) ^ ssrc, load_be64(salt + 8) ^ (index << 16));
}

/*
 * RFC 7714 §8.1: IV = (0x0000 || SSRC || ROC || SEQ) XOR salt; §9.1 for
 * SRTCP: (0x0000 || SSRC || 0x0000 || 0 || index) XOR salt. With the 48-bit
 * SRTP index (ROC || SEQ) both are the same 6 trailing bytes. The PMD reads
 * 12 bytes; the last 4 of the 16 written are zero.
 */
static inline void
iv_gcm(uint8_t *iv, const uint8_t *salt, uint32_t ssrc, uint64_t index)
{
	iv_store(iv, load_be64(salt) ^ ((uint64_t)ssrc << 16) ^ (index >> 32),
		 load_be64(salt + 8) ^ (index << 32));
}

/* Protect grows the packet by its trailer; the tailroom was checked, the mbuf is one segment. */
static inline void
grow(struct rte_mbuf *m, uint16_t len)
{
	m->data_len = (uint16_t)(m->data_len + len);
	m->pkt_len += len;
}

static inline void
op_start(struct rte_crypto_op *op, struct rte_mbuf *m, void *sess)
{
	op->status = RTE_CRYPTO_OP_STATUS_NOT_PROCESSED;
	op->sym->m_src = m;
	op->sym->session = sess;
}

/* The PMD writes the AES-CM/HMAC tag into the op, the burst compares or places it. */
static inline void
op_digest_in_op(struct rte_crypto_op *op, struct srtp_op_priv *pr)
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

/* The burst's candidate for (ctx, ssrc), made on its first packet: the slow path of a new SSRC. */
static struct srtp_cdev_cand *
cand_get(struct srtp_cdev_worker *cw, struct srtp_ctx *ctx, uint32_t ssrc)
{
	struct srtp_cdev_cand *c;
	unsigned int i;

	for (i = 0; i < cw->nb_cand; i++) {
		c = &cw->cand[i];
		if (c->ctx == ctx && c->ssrc == ssrc)
			return c;
	}
	/* At most one new candidate per packet: a burst's worth always fits. */
	c = &cw->cand[cw->nb_cand++];
	c->ctx = ctx;
	c->ssrc = ssrc;
	c->tent = srtp_stream_top0(ctx);
	c->s = NULL;
	return c;
}

/*
 * Inbound: the packet's stream (cp->s) or, for an SSRC without a slot, its
 * candidate (cp->cand). Returns where this burst's highest estimated index
 * for the SSRC is kept; NULL when the SSRC can never have a slot (every one
 * is held by an authenticated SSRC, as slots are for good): refused before
 * any crypto, as the table full of genuine streams leaves nothing to win.
 */
static inline uint64_t *
rx_stream(struct srtp_worker *w, struct srtp_cdev_pkt *cp, struct srtp_ctx *ctx, uint32_t ssrc)
{
	cp->s = srtp_stream_find(ctx, ssrc, w->gen);
	cp->cand = NULL;
	if (likely(cp->s != NULL))
		return &cp->s->tent;
	if (srtp_stream_table_full(ctx))
		return NULL;
	cp->cand = cand_get(w->be, ctx, ssrc);
	return &cp->cand->tent;
}

/* The highest index committed for the packet's SSRC: a candidate's is a fresh stream's. */
static inline uint64_t
rx_committed_top(const struct srtp_ctx *ctx, const struct srtp_cdev_pkt *cp)
{
	return likely(cp->s != NULL) ? cp->s->win.top : srtp_stream_top0(ctx);
}

/*
 * A candidate's window is a fresh stream's (RTP from 0, SRTCP [0, size), no
 * index seen), which rejects nothing: it is only checked at commit.
 */
static inline bool
rx_replayed(const struct srtp_ctx *ctx, const struct srtp_cdev_pkt *cp, uint64_t index)
{
	return cp->s != NULL && replayed(ctx, cp->s, index);
}

/* The stream an authenticated packet commits to; NULL when its SSRC found the table full. */
static inline struct srtp_stream *
rx_commit_stream(struct srtp_worker *w, struct srtp_cdev_pkt *cp)
{
	struct srtp_cdev_cand *c = cp->cand;

	if (likely(cp->s != NULL))
		return cp->s;
	/* Other SSRCs authenticated earlier in this burst may have taken the last slots. */
	if (c->s == NULL)
		c->s = srtp_stream_claim(c->ctx, c->ssrc, w->gen);
	return c->s;
}

static inline enum srtp_result
prep_rtp(struct srtp_worker *w, struct srtp_pkt *pkt, struct srtp_cdev_pkt *cp,
	 struct rte_crypto_op *op)
{
	struct srtp_ctx *ctx = pkt->ctx;
	const struct srtp_profile_info *pi = ctx->pi;
	struct srtp_cdev_ctx *cc = ctx->be;
	struct rte_mbuf *m = pkt->m;
	struct rte_crypto_sym_op *sym = op->sym;
	struct srtp_op_priv *pr = srtp_op_priv(op);
	uint8_t *p = rte_pktmbuf_mtod_offset(m, uint8_t *, pkt->off);
	uint32_t len = m->pkt_len - pkt->off;
	uint32_t hl = srtp_check_length(ctx, m, p, len);
	uint32_t body, ssrc;
	struct srtp_stream *s;
	uint64_t index;
	void *sess = cc->sess;

	if (hl == 0)
		return SRTP_RES_BAD_LENGTH;
	if (pi->aead) {
		if (hl - RTP_HDR_LEN >= 4 * SRTP_CDEV_GCM_AAD_SLOTS)
			return SRTP_RES_OTHER;
		sess = cc->gcm_sess[(hl - RTP_HDR_LEN) / 4];
	}
	ssrc = srtp_load_be32(p + 8);

	if (ctx->dir == SRTP_DIR_OUTBOUND) {
		s = srtp_stream_get(ctx, ssrc, w->gen);
		if (s == NULL)
			return SRTP_RES_OTHER;
		index = srtp_estimate_index(s->win.top, srtp_load_be16(p + 2));
		if (replayed(ctx, s, index))
			return SRTP_RES_REPLAY;
		srtp_window_add(&s->win, index);
		body = len - hl;
		grow(m, ctx->tag_len);
		cp->s = s;
		cp->cand = NULL;
	} else {
		uint64_t *tent = rx_stream(w, cp, ctx, ssrc);
		uint16_t seq = srtp_load_be16(p + 2);

		if (tent == NULL)
			return SRTP_RES_OTHER;
		/*
		 * Estimated from the committed state; valid at commit only if
		 * the earlier packets of the round, authenticated or not, cannot
		 * change it (see the top of the file). The first packet of an
		 * SSRC in a round has tent at the committed index.
		 */
		index = srtp_estimate_index(rx_committed_top(ctx, cp), seq);
		if (unlikely(index != srtp_estimate_index(*tent, seq)))
			return RES_NEXT_ROUND;
		if (rx_replayed(ctx, cp, index))
			return SRTP_RES_REPLAY;
		if (index > *tent)
			*tent = index;
		body = len - hl - ctx->tag_len;
	}
	cp->index = index;
	op_start(op, m, sess);

	if (pi->aead) {
		sym->aead.data.offset = pkt->off + hl;
		sym->aead.data.length = body;
		sym->aead.aad.data = p;
		sym->aead.aad.phys_addr = rte_pktmbuf_iova_offset(m, pkt->off);
		sym->aead.digest.data = p + hl + body;
		sym->aead.digest.phys_addr = rte_pktmbuf_iova_offset(m, pkt->off + hl + body);
		iv_gcm(pr->iv, cc->salt, ssrc, index);
		pr->layout = SRTP_OP_AEAD;
		pr->aad_len = (uint8_t)hl;
		return SRTP_RES_OK;
	}
	/*
	 * RFC 3711 §4.2: the tag covers header || payload || ROC. The ROC goes
	 * where the tag goes (inbound: after saving the tag), the tag itself
	 * lives in the op while the PMD works.
	 */
	if (ctx->dir == SRTP_DIR_INBOUND)
		srtp_tag_copy(pr->rx_tag, p + hl + body, ctx->tag_len);
	srtp_store_be32(p + hl + body, (uint32_t)(index >> 16));
	sym->auth.data.offset = pkt->off;
	sym->auth.data.length = hl + body + 4;
	op_digest_in_op(op, pr);
	pr->layout = SRTP_OP_HMAC;
	if (pi->encrypts) {
		sym->cipher.data.offset = pkt->off + hl;
		sym->cipher.data.length = body;
		iv_aes_cm(pr->iv, cc->salt, ssrc, index);
		pr->layout = SRTP_OP_HMAC_CTR;
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
	struct rte_crypto_sym_op *sym = op->sym;
	struct srtp_op_priv *pr = srtp_op_priv(op);
	uint8_t *p = rte_pktmbuf_mtod_offset(m, uint8_t *, pkt->off);
	uint32_t len = m->pkt_len - pkt->off;
	uint32_t ssrc, trailer, body;
	uint8_t *tp, *tag;
	struct srtp_stream *s;
	uint64_t index;

	if (srtp_check_length(ctx, m, p, len) == 0)
		return SRTP_RES_BAD_LENGTH;
	ssrc = srtp_load_be32(p + 4);

	if (ctx->dir == SRTP_DIR_OUTBOUND) {
		s = srtp_stream_get(ctx, ssrc, w->gen);
		if (s == NULL)
			return SRTP_RES_OTHER;
		cp->s = s;
		cp->cand = NULL;
		/* libsrtp2 sends index 1 first; 2^31 - 1 is the last (§3.4, §9.2). */
		if (s->tx_index >= SRTCP_IDX_MASK)
			return SRTP_RES_OTHER;
		index = ++s->tx_index;
		body = len - RTCP_HDR_LEN;
		trailer = (uint32_t)index | (ctx->pi->encrypts ? SRTCP_E_FLAG : 0);
		grow(m, ctx->tag_len + 4);
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
		if (rx_stream(w, cp, ctx, ssrc) == NULL)
			return SRTP_RES_OTHER;
		if (rx_replayed(ctx, cp, index))
			return SRTP_RES_REPLAY;
		/* An unencrypted SRTCP-GCM packet needs another AAD layout; not sent by peers. */
		if (ctx->pi->aead && !(trailer & SRTCP_E_FLAG))
			return SRTP_RES_OTHER;
	}
	cp->index = index;
	op_start(op, m, cc->sess);

	if (ctx->pi->aead) {
		memcpy(pr->aad, p, RTCP_HDR_LEN);
		srtp_store_be32(pr->aad + RTCP_HDR_LEN, trailer);
		sym->aead.data.offset = pkt->off + RTCP_HDR_LEN;
		sym->aead.data.length = body;
		sym->aead.aad.data = pr->aad;
		sym->aead.aad.phys_addr = rte_crypto_op_ctophys_offset(op,
			SRTP_OP_PRIV_OFFSET + offsetof(struct srtp_op_priv, aad));
		sym->aead.digest.data = tag;
		sym->aead.digest.phys_addr = rte_pktmbuf_iova_offset(m,
			pkt->off + (uint32_t)(tag - p));
		iv_gcm(pr->iv, cc->salt, ssrc, index);
		pr->layout = SRTP_OP_AEAD;
		pr->aad_len = RTCP_HDR_LEN + 4;
		return SRTP_RES_OK;
	}
	/* RFC 3711 §3.4: the tag covers header || payload || E||index. */
	sym->auth.data.offset = pkt->off;
	sym->auth.data.length = (uint32_t)(tp + 4 - p);
	if (ctx->dir == SRTP_DIR_INBOUND) {
		srtp_tag_copy(pr->rx_tag, tag, ctx->tag_len);
		op_digest_in_op(op, pr);
	} else {
		sym->auth.digest.data = tag;
		sym->auth.digest.phys_addr = rte_pktmbuf_iova_offset(m,
			pkt->off + (uint32_t)(tag - p));
	}
	pr->layout = SRTP_OP_HMAC;
	if (ctx->pi->encrypts) {
		sym->cipher.data.offset = pkt->off + RTCP_HDR_LEN;
		/* E clear: authenticated only, as libsrtp2 accepts it. */
		sym->cipher.data.length = (trailer & SRTCP_E_FLAG) ? body : 0;
		iv_aes_cm(pr->iv, cc->salt, ssrc, index);
		pr->layout = SRTP_OP_HMAC_CTR;
	}
	return SRTP_RES_OK;
}

static inline enum srtp_result
commit(struct srtp_worker *w, struct srtp_pkt *pkt, struct srtp_cdev_pkt *cp,
       struct rte_crypto_op *op)
{
	struct srtp_ctx *ctx = pkt->ctx;
	struct srtp_op_priv *pr = srtp_op_priv(op);
	struct rte_mbuf *m = pkt->m;
	struct srtp_stream *s;

	if (op->status != RTE_CRYPTO_OP_STATUS_SUCCESS)
		return op->status == RTE_CRYPTO_OP_STATUS_AUTH_FAILED ? SRTP_RES_AUTH_FAIL :
									SRTP_RES_OTHER;
	if (ctx->dir == SRTP_DIR_OUTBOUND) {
		/* AES-CM/HMAC SRTP: the tag replaces the ROC that was authenticated. */
		if (ctx->kind == SRTP_KIND_RTP && !ctx->pi->aead)
			srtp_tag_copy(rte_pktmbuf_mtod_offset(m, uint8_t *,
							      m->pkt_len - ctx->tag_len),
				      pr->digest, ctx->tag_len);
		return SRTP_RES_OK;
	}
	if (!ctx->pi->aead && !srtp_tag_equal(pr->digest, pr->rx_tag, ctx->tag_len))
		return SRTP_RES_AUTH_FAIL;
	s = rx_commit_stream(w, cp);
	if (unlikely(s == NULL))
		return SRTP_RES_OTHER;
	if (replayed(ctx, s, cp->index))
		return SRTP_RES_REPLAY;
	srtp_window_add(&s->win, cp->index);
	rte_pktmbuf_trim(m, ctx->tag_len + (ctx->kind == SRTP_KIND_RTCP ? 4 : 0));
	return SRTP_RES_OK;
}

/*
 * One round: packets [from, n) are prepared until one needs the state this
 * round commits (RES_NEXT_ROUND), those before it go through the crypto and
 * are committed. Returns where the next round starts, n when none is needed.
 */
static uint16_t
burst_round(struct srtp_worker *w, struct srtp_pkt *pkts, uint16_t from, uint16_t n)
{
	struct srtp_cdev_engine *ce = w->e->be;
	struct srtp_cdev_worker *cw = w->be;
	uint16_t i, end = n, nb = 0;

	/* Per-round state: op and group generations, stream estimates, candidates. */
	cw->gen++;
	if (from != 0)
		w->gen++;
	cw->nb_cand = 0;
	if (unlikely(cw->held != 0))
		srtp_cdev_qp_reap(ce, cw);
	for (i = from; i < n && i < from + PREFETCH_CTX; i++)
		rte_prefetch0(pkts[i].ctx);
	for (i = from; i < n; i++) {
		struct srtp_pkt *pkt = &pkts[i];
		struct srtp_cdev_pkt *cp = &cw->pkt[i];
		struct srtp_op_priv *pr;
		struct rte_crypto_op *op;
		enum srtp_result r;

		/*
		 * With many legs a packet's context, its crypto half and its
		 * streams are three dependent cache misses: ask for them ahead.
		 */
		if (i + PREFETCH_CTX < n)
			rte_prefetch0(pkts[i + PREFETCH_CTX].ctx);
		if (i + PREFETCH_STATE < n) {
			const struct srtp_ctx *ahead = pkts[i + PREFETCH_STATE].ctx;

			rte_prefetch0(ahead->be);
			rte_prefetch0(ahead->streams);
		}
		cp->op = NULL;
		if (unlikely(cw->nb_free == 0)) {
			/* Every spare slot is still held by a stalled device. */
			pkt->result = SRTP_RES_CRYPTO_STALL;
			continue;
		}
		op = cw->free[cw->nb_free - 1];
		if (!rte_pktmbuf_is_contiguous(pkt->m) || pkt->off > pkt->m->pkt_len)
			r = SRTP_RES_BAD_LENGTH;
		else if (pkt->ctx->kind == SRTP_KIND_RTP)
			r = prep_rtp(w, pkt, cp, op);
		else
			r = prep_rtcp(w, pkt, cp, op);
		if (unlikely(r == RES_NEXT_ROUND)) {
			end = i;
			break;
		}
		pkt->result = (uint8_t)r;
		if (r != SRTP_RES_OK)
			continue;
		cw->nb_free--;
		pr = srtp_op_priv(op);
		pr->gen = cw->gen;
		pr->pkt = i;
		pr->done = 0;
		cp->op = op;
		cw->used[nb++] = op;
	}
	if (nb == 0)
		return end;

	if (ce->mb)
		srtp_cdev_mb_run(cw, nb);
	else if (ce->cpu)
		srtp_cdev_cpu_run(ce, cw, nb);
	else
		srtp_cdev_qp_run(ce, cw, nb);

	for (i = from; i < end; i++) {
		struct rte_crypto_op *op = cw->pkt[i].op;
		struct srtp_op_priv *pr;

		if (op == NULL)
			continue;
		pr = srtp_op_priv(op);
		pkts[i].result = (uint8_t)(likely(pr->done) ? commit(w, &pkts[i], &cw->pkt[i], op) :
							      SRTP_RES_CRYPTO_STALL);
		if (likely(!pr->held))
			cw->free[cw->nb_free++] = op;
	}
	return end;
}

void
srtp_cdev_burst(struct srtp_worker *w, struct srtp_pkt *pkts, uint16_t n)
{
	uint16_t i = 0;

	RTE_BUILD_BUG_ON(SRTP_BURST_MAX > UINT8_MAX);
	/* Usually one round; each round commits at least its first packet's verdict. */
	while (i < n)
		i = burst_round(w, pkts, i, n);
}
