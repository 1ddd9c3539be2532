/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_SRTP_STREAM_H
#define SRTPFWD_SRTP_STREAM_H

/*
 * Per-SSRC streams of one context: a small array scanned linearly (a leg
 * carries a handful of SSRCs: audio, video, RTX, simulcast layers).
 *
 * Only SSRCs that earned it hold a slot: an outbound SSRC when it is first
 * sent, an inbound one when one of its packets has authenticated. Until
 * then an inbound SSRC lives in the burst's scratch (srtp_cdev_burst.c), so
 * forged packets of made-up SSRCs cannot take the slots a genuine new SSRC
 * needs. Slots are never freed: forgetting an authenticated SSRC would
 * forget its replay window.
 */

#include "srtp_priv.h"

/* Where a stream's window starts: SRTCP's as [0, size), like libsrtp2's rdb. */
static inline uint64_t
srtp_stream_top0(const struct srtp_ctx *ctx)
{
	return ctx->kind == SRTP_KIND_RTCP ? ctx->window - 1u : 0;
}

/* The stream of ssrc, NULL if it has none; its burst estimate restarts with each gen. */
static inline struct srtp_stream *
srtp_stream_find(struct srtp_ctx *ctx, uint32_t ssrc, uint32_t gen)
{
	struct srtp_stream *s;
	unsigned int i;

	for (i = 0; i < ctx->nb_streams; i++) {
		s = srtp_ctx_stream(ctx, i);
		if (s->ssrc != ssrc)
			continue;
		if (s->gen != gen) {
			s->gen = gen;
			s->tent = s->win.top;
		}
		return s;
	}
	return NULL;
}

static inline bool
srtp_stream_table_full(const struct srtp_ctx *ctx)
{
	return ctx->nb_streams == ctx->max_ssrc;
}

/* A slot for ssrc, which has none; NULL when the table is full. */
static inline struct srtp_stream *
srtp_stream_claim(struct srtp_ctx *ctx, uint32_t ssrc, uint32_t gen)
{
	struct srtp_stream *s;

	if (srtp_stream_table_full(ctx))
		return NULL;
	s = srtp_ctx_stream(ctx, ctx->nb_streams);
	s->ssrc = ssrc;
	s->gen = gen;
	s->tx_index = 0;
	srtp_window_init(&s->win, ctx->window, srtp_stream_top0(ctx));
	s->tent = s->win.top;
	/* Counted once set up: srtp_ctx_streams() on the control lcore reads up to it. */
	__atomic_store_n(&ctx->nb_streams, (uint16_t)(ctx->nb_streams + 1), __ATOMIC_RELEASE);
	return s;
}

/* Outbound: the stream of ssrc, claimed on its first packet; NULL when the table is full. */
static inline struct srtp_stream *
srtp_stream_get(struct srtp_ctx *ctx, uint32_t ssrc, uint32_t gen)
{
	struct srtp_stream *s = srtp_stream_find(ctx, ssrc, gen);

	return s != NULL ? s : srtp_stream_claim(ctx, ssrc, gen);
}

#endif /* SRTPFWD_SRTP_STREAM_H */
