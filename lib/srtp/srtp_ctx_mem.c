/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Where contexts live: one block per context (the struct, its SSRC slots,
 * the back end's part), taken from a pool made with the engine for
 * max_contexts contexts of the usual shape (replay window 128, 8 SSRCs),
 * from the heap for other shapes or once the pool is empty.
 *
 * A DTLS-SRTP handshake creates four contexts on the control lcore; from
 * rte_zmalloc() that meant a heap search and lock per block and, the first
 * time a block's memory is used, page faults (most of the time SRTP set-up
 * took in the handshake storm). The pool's memory is reserved and touched
 * when the engine is made.
 */
#include <string.h>

#include <rte_malloc.h>
#include <rte_mempool.h>

#include "srtp_priv.h"

#define CTX_HDR RTE_ALIGN_CEIL(sizeof(struct srtp_ctx), RTE_CACHE_LINE_SIZE)

static unsigned int pool_seq;	/* unique pool names; control lcore only */

size_t
srtp_ctx_stream_stride(uint16_t window)
{
	/* struct srtp_stream ends with the window; its bitmap follows. */
	return RTE_ALIGN_CEIL(sizeof(struct srtp_stream) + (size_t)window / 8, RTE_CACHE_LINE_SIZE);
}

static size_t
block_size(const struct srtp_engine *e, size_t streams_len)
{
	return CTX_HDR + RTE_ALIGN_CEIL(streams_len, RTE_CACHE_LINE_SIZE) +
	       RTE_ALIGN_CEIL(e->ops->ctx_be_size, RTE_CACHE_LINE_SIZE);
}

static size_t
streams_len_of(const struct srtp_engine *e, uint16_t window, uint16_t max_ssrc)
{
	return e->ops->ctx_streams ? srtp_ctx_stream_stride(window) * max_ssrc : 0;
}

int
srtp_ctx_mem_init(struct srtp_engine *e, uint32_t max_contexts)
{
	char name[RTE_MEMPOOL_NAMESIZE];

	if (max_contexts == 0)
		return 0;
	e->ctx_block = block_size(e, streams_len_of(e, SRTP_REPLAY_WINDOW_DEFAULT,
						     SRTP_CTX_SSRC_DEFAULT));
	snprintf(name, sizeof(name), "srtp_ctx_%u", pool_seq++);
	/* Created, used and freed by the control lcore alone. */
	e->ctx_pool = rte_mempool_create(name, max_contexts, (unsigned int)e->ctx_block, 0, 0,
					 NULL, NULL, NULL, NULL, e->socket,
					 RTE_MEMPOOL_F_SP_PUT | RTE_MEMPOOL_F_SC_GET);
	return e->ctx_pool != NULL ? 0 : -ENOMEM;
}

void
srtp_ctx_mem_fini(struct srtp_engine *e)
{
	rte_mempool_free(e->ctx_pool);
	e->ctx_pool = NULL;
}

struct srtp_ctx *
srtp_ctx_mem_alloc(struct srtp_engine *e, uint16_t window, uint16_t max_ssrc)
{
	size_t streams_len = streams_len_of(e, window, max_ssrc);
	size_t size = block_size(e, streams_len);
	struct srtp_ctx *ctx = NULL;
	bool pooled = false;
	uint8_t *b;

	if (e->ctx_pool != NULL && size <= e->ctx_block &&
	    rte_mempool_get(e->ctx_pool, (void **)&ctx) == 0) {
		memset(ctx, 0, size);
		pooled = true;
	} else {
		ctx = rte_zmalloc_socket("srtp_ctx", size, RTE_CACHE_LINE_SIZE, e->socket);
		if (ctx == NULL)
			return NULL;
	}
	b = (uint8_t *)ctx + CTX_HDR;
	ctx->pooled = pooled;
	ctx->mem_len = (uint32_t)size;
	ctx->streams = streams_len != 0 ? b : NULL;
	b += RTE_ALIGN_CEIL(streams_len, RTE_CACHE_LINE_SIZE);
	ctx->be = e->ops->ctx_be_size != 0 ? b : NULL;
	return ctx;
}

void
srtp_ctx_mem_free(struct srtp_engine *e, struct srtp_ctx *ctx)
{
	bool pooled = ctx->pooled;

	/* Session salts and stream state: nothing of a context outlives it. */
	srtp_wipe(ctx, ctx->mem_len);
	if (pooled)
		rte_mempool_put(e->ctx_pool, ctx);
	else
		rte_free(ctx);
}
