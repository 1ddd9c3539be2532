/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_LI_TAP_H
#define SRTPFWD_LI_TAP_H

/*
 * The workers' side of lawful interception: a packet of a tapped leg is
 * copied (its UDP payload and where it came from) into an mbuf of the LI
 * pool, a pool of its own so that interception can never take a buffer
 * forwarding needs, and the burst's copies go to this worker's LI ring in
 * one enqueue; the control lcore turns them into X3 PDUs (li_service.h).
 * A full ring or an empty pool costs the copy, counted, never the packet.
 * The forwarded packet is not touched: nothing the parties see changes.
 *
 * A leg is tapped when its first-line byte li is set; its tap word
 * (li_tap: tap index + 1 in bits 0-11, LI_TAP_DTLS, generation in bits
 * 16-31) travels with the copy, so a copy made before a task stopped is
 * recognised and discarded by the control lcore.
 */

#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_ring.h>

#include "../net/inet_addr.h"
#include "../net/pkt_parse.h"
#include "../stats/lcore_stats.h"
#include "li_pdu.h"

#define LI_TAP_DTLS (1u << 12)	/* also DTLS records (e2e) */
#define LI_TAP_INDEX(w) (((w) & 0xfffu) - 1)
#define LI_COPY_BURST 64

/* At the start of a copy's data, the payload after it. */
struct li_copy {
	uint64_t tsc;			/* when its burst was received */
	uint32_t tap;			/* the leg's tap word then */
	uint32_t leg_id;
	struct inet_endpoint src, dst;	/* as the box received it */
	uint16_t len;			/* payload bytes */
	uint8_t format;			/* enum li_payload_format */
};

struct li_worker {
	struct rte_ring *ring;		/* single producer: us; NULL: no LI */
	struct rte_mempool *pool;
	uint16_t n;
	struct rte_mbuf *pending[LI_COPY_BURST];
};

/* Copy payload_len bytes of m's UDP payload (at off) for the control lcore. */
static inline void
li_tap_copy(struct li_worker *lw, struct lcore_stats *st, uint32_t tap, uint32_t leg_id,
	    const struct rte_mbuf *m, uint16_t off, const struct pkt_info *pi, uint8_t format,
	    uint64_t tsc)
{
	uint16_t len = (uint16_t)(rte_pktmbuf_pkt_len(m) - off);
	struct rte_mbuf *c;
	struct li_copy *lc;

	if (lw->ring == NULL || lw->n == LI_COPY_BURST) {
		st->li_ring_full++;
		return;
	}
	c = rte_pktmbuf_alloc(lw->pool);
	if (unlikely(c == NULL)) {
		st->li_no_mbuf++;
		return;
	}
	lc = (struct li_copy *)rte_pktmbuf_append(c, (uint16_t)(sizeof(*lc) + len));
	if (unlikely(lc == NULL)) {
		rte_pktmbuf_free(c);
		st->li_no_mbuf++;
		return;
	}
	lc->tsc = tsc;
	lc->tap = tap;
	lc->leg_id = leg_id;
	lc->src = pi->src;
	lc->dst = pi->dst;
	lc->len = len;
	lc->format = format;
	rte_memcpy(lc + 1, rte_pktmbuf_mtod_offset(m, const void *, off), len);
	lw->pending[lw->n++] = c;
}

/* The burst's copies into the ring; what does not fit is freed and counted. */
static inline void
li_tap_flush(struct li_worker *lw, struct lcore_stats *st)
{
	unsigned int sent;

	if (lw->n == 0)
		return;
	sent = rte_ring_sp_enqueue_burst(lw->ring, (void **)lw->pending, lw->n, NULL);
	st->li_copies += sent;
	if (unlikely(sent < lw->n)) {
		rte_pktmbuf_free_bulk(&lw->pending[sent], lw->n - sent);
		st->li_ring_full += lw->n - sent;
	}
	lw->n = 0;
}

#endif /* SRTPFWD_LI_TAP_H */
