/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_SRTP_STREAM_H
#define SRTPFWD_SRTP_STREAM_H

/*
 * Per-SSRC streams of one context: a small array scanned linearly (a leg
 * carries a handful of SSRCs: audio, video, RTX, simulcast layers).
 *
 * An unknown SSRC on an inbound context only gets a provisional slot; it
 * becomes active when one of its packets authenticates. A provisional slot
 * left over from an earlier burst is reused by the next unknown SSRC, so
 * forged SSRCs cannot fill the table. Slots are never freed: forgetting an
 * authenticated SSRC would forget its replay window.
 */

#include "srtp_priv.h"

static inline void
srtp_stream_reset(const struct srtp_ctx *ctx, struct srtp_stream *s, uint32_t ssrc)
{
	s->ssrc = ssrc;
	s->tx_index = 0;
	/* SRTCP's window starts as [0, size), like libsrtp2's rdb. */
	srtp_window_init(&s->win, ctx->window, ctx->kind == SRTP_KIND_RTCP ? ctx->window - 1u : 0);
	s->tent = s->win.top;
}

/* The stream of ssrc, claiming a slot if needed; NULL when the table is full. */
static inline struct srtp_stream *
srtp_stream_get(struct srtp_ctx *ctx, uint32_t ssrc, uint32_t gen)
{
	struct srtp_stream *s, *reuse = NULL;
	unsigned int i;

	for (i = 0; i < ctx->nb_streams; i++) {
		s = srtp_ctx_stream(ctx, i);
		if (s->ssrc == ssrc && s->state != SRTP_STREAM_FREE) {
			if (s->gen != gen) {
				s->gen = gen;
				s->tent = s->win.top;
			}
			return s;
		}
		if (reuse == NULL && s->state == SRTP_STREAM_PROVISIONAL && s->gen != gen)
			reuse = s;
	}
	if (reuse == NULL) {
		if (ctx->nb_streams == ctx->max_ssrc)
			return NULL;
		reuse = srtp_ctx_stream(ctx, ctx->nb_streams++);
	}
	srtp_stream_reset(ctx, reuse, ssrc);
	reuse->gen = gen;
	reuse->state = ctx->dir == SRTP_DIR_OUTBOUND ? SRTP_STREAM_ACTIVE : SRTP_STREAM_PROVISIONAL;
	return reuse;
}

#endif /* SRTPFWD_SRTP_STREAM_H */
