/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_SRTP_PRIV_H
#define SRTPFWD_SRTP_PRIV_H

/* What the engine front and its back ends share; not a public API. */

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_mbuf.h>

#include "srtp_engine.h"
#include "srtp_kdf.h"
#include "srtp_replay.h"
#include "srtp_rtp.h"

struct srtp_backend_ops {
	int (*engine_init)(struct srtp_engine *e, const struct srtp_engine_conf *conf);
	void (*engine_fini)(struct srtp_engine *e);
	bool (*supports)(const struct srtp_engine *e, enum srtp_profile p);
	/* keys is NULL unless a test installs session keys directly. */
	int (*ctx_init)(struct srtp_ctx *ctx, const struct srtp_ctx_conf *conf,
			const struct srtp_session_keys *keys);
	void (*ctx_fini)(struct srtp_ctx *ctx);
	/* Bytes of back-end state the engine allocates with each context (ctx->be). */
	size_t ctx_be_size;
	/* The engine allocates ctx->streams (per-SSRC state the back end keeps in ctx). */
	bool ctx_streams;
	/* Optional: per-lcore set-up on the worker's own lcore (srtp_worker_start). */
	void (*worker_start)(struct srtp_worker *w);
	/* n <= SRTP_BURST_MAX; sets every result; counts nothing. */
	void (*burst)(struct srtp_worker *w, struct srtp_pkt *pkts, uint16_t n);
};

extern const struct srtp_backend_ops srtp_libsrtp_ops;
extern const struct srtp_backend_ops srtp_cdev_ops;
extern const struct srtp_backend_ops srtp_mb_ops;

struct srtp_worker {
	struct srtp_engine *e;
	uint16_t id;
	uint32_t gen;		/* burst (cryptodev: round) generation, per-burst stream state */
	void *be;
};

struct srtp_engine {
	enum srtp_backend backend;
	const struct srtp_backend_ops *ops;
	uint16_t nb_workers;
	uint32_t nb_ctx;
	int socket;
	struct srtp_worker *workers;
	void *be;
	struct rte_mempool *ctx_pool;	/* srtp_ctx_mem.c */
	size_t ctx_block;		/* its blocks' size */
};

/*
 * Per-SSRC state of one context (cryptodev back end): a slot exists only
 * for an SSRC that was sent (outbound) or authenticated (inbound).
 */
struct srtp_stream {
	uint32_t ssrc;
	uint32_t gen;		/* worker gen when tent was last set */
	uint64_t tent;		/* highest index estimated in this round, before auth */
	uint64_t tx_index;	/* outbound SRTCP: last index sent */
	struct srtp_window win;	/* last: its bitmap follows */
};

struct srtp_ctx {
	struct srtp_counters cnt;	/* first: the worker's hot counters */
	struct srtp_engine *e;
	const struct srtp_profile_info *pi;
	enum srtp_profile profile;
	enum srtp_dir dir;
	enum srtp_kind kind;
	uint8_t tag_len;
	uint8_t no_replay;
	uint16_t window;
	uint16_t max_ssrc;
	uint16_t nb_streams;		/* slots taken so far, each for good */
	uint32_t stream_stride;
	uint8_t *streams;		/* max_ssrc slots of stream_stride bytes */
	void *be;
	uint32_t mem_len;		/* srtp_ctx_mem.c: the block */
	bool pooled;
};

#define SRTP_CTX_SSRC_DEFAULT 8

/* srtp_ctx_mem.c: a context's block (struct, streams, back end part), zeroed. */
int srtp_ctx_mem_init(struct srtp_engine *e, uint32_t max_contexts);
void srtp_ctx_mem_fini(struct srtp_engine *e);
size_t srtp_ctx_stream_stride(uint16_t window);
struct srtp_ctx *srtp_ctx_mem_alloc(struct srtp_engine *e, uint16_t window, uint16_t max_ssrc);
void srtp_ctx_mem_free(struct srtp_engine *e, struct srtp_ctx *ctx);

static inline struct srtp_stream *
srtp_ctx_stream(const struct srtp_ctx *ctx, unsigned int i)
{
	return (struct srtp_stream *)(ctx->streams + (size_t)i * ctx->stream_stride);
}

/* Test hook: a context from session keys instead of a master key (RFC vectors). */
struct srtp_ctx *srtp_ctx_create_with_keys(struct srtp_engine *e, const struct srtp_ctx_conf *conf,
					   const struct srtp_session_keys *keys);

/*
 * The length checks both back ends make before any crypto, so that a
 * truncated packet is a bad_length drop on either, never an auth failure.
 * Returns the length of the header SRTP leaves in clear (RTP: with CSRCs
 * and extension; RTCP: 8), or 0 when the packet is too short or malformed.
 */
static inline uint32_t
srtp_check_length(const struct srtp_ctx *ctx, const struct rte_mbuf *m, const uint8_t *p,
		  uint32_t len)
{
	if (ctx->kind == SRTP_KIND_RTP) {
		uint32_t hl = srtp_rtp_hdr_len(p, len);

		if (hl == 0)
			return 0;
		if (ctx->dir == SRTP_DIR_INBOUND)
			return len >= hl + ctx->tag_len ? hl : 0;
		return rte_pktmbuf_tailroom(m) >= ctx->tag_len ? hl : 0;
	}
	if (ctx->dir == SRTP_DIR_INBOUND)
		return len >= RTCP_HDR_LEN + 4u + ctx->tag_len ? RTCP_HDR_LEN : 0;
	return len >= RTCP_HDR_LEN && rte_pktmbuf_tailroom(m) >= ctx->tag_len + 4u ?
	       RTCP_HDR_LEN : 0;
}

#endif /* SRTPFWD_SRTP_PRIV_H */
