/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_malloc.h>

#include "srtp_priv.h"

static const struct srtp_backend_ops *
backend_ops(enum srtp_backend b)
{
	switch (b) {
	case SRTP_BACKEND_LIBSRTP:
		return &srtp_libsrtp_ops;
	case SRTP_BACKEND_CRYPTODEV:
	case SRTP_BACKEND_CPU_CRYPTO:
		/* One back end, two ways to run its crypto pass (srtp_cdev_cpu.c). */
		return &srtp_cdev_ops;
	case SRTP_BACKEND_IPSEC_MB:
		/* The same again, its crypto and keys its own (srtp_cdev_mb*.c). */
		return &srtp_mb_ops;
	case SRTP_BACKEND_MAX:
		break;
	}
	return NULL;
}

struct srtp_engine *
srtp_engine_create(const struct srtp_engine_conf *conf)
{
	const struct srtp_backend_ops *ops = backend_ops(conf->backend);
	struct srtp_engine *e;
	uint16_t i;
	int ret;

	if (ops == NULL || conf->nb_workers == 0) {
		rte_errno = EINVAL;
		return NULL;
	}
	e = rte_zmalloc_socket("srtp_engine", sizeof(*e), 0, conf->socket);
	if (e == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	e->backend = conf->backend;
	e->ops = ops;
	e->nb_workers = conf->nb_workers;
	e->socket = conf->socket;
	e->workers = rte_zmalloc_socket("srtp_workers", sizeof(*e->workers) * conf->nb_workers,
					RTE_CACHE_LINE_SIZE, conf->socket);
	if (e->workers == NULL) {
		rte_free(e);
		rte_errno = ENOMEM;
		return NULL;
	}
	for (i = 0; i < conf->nb_workers; i++) {
		e->workers[i].e = e;
		e->workers[i].id = i;
	}
	ret = ops->engine_init(e, conf);
	if (ret != 0) {
		rte_free(e->workers);
		rte_free(e);
		rte_errno = -ret;
		return NULL;
	}
	ret = srtp_ctx_mem_init(e, conf->max_contexts);
	if (ret != 0) {
		srtp_engine_free(e);
		rte_errno = -ret;
		return NULL;
	}
	return e;
}

void
srtp_engine_free(struct srtp_engine *e)
{
	if (e == NULL)
		return;
	e->ops->engine_fini(e);
	srtp_ctx_mem_fini(e);
	rte_free(e->workers);
	rte_free(e);
}

void
srtp_worker_start(struct srtp_worker *w)
{
	if (w != NULL && w->e->ops->worker_start != NULL)
		w->e->ops->worker_start(w);
}

enum srtp_backend
srtp_engine_backend(const struct srtp_engine *e)
{
	return e->backend;
}

int
srtp_engine_supports(const struct srtp_engine *e, enum srtp_profile p)
{
	return srtp_profile_info(p) != NULL && e->ops->supports(e, p);
}

struct srtp_worker *
srtp_engine_worker(struct srtp_engine *e, uint16_t i)
{
	return i < e->nb_workers ? &e->workers[i] : NULL;
}

static struct srtp_ctx *
ctx_create(struct srtp_engine *e, const struct srtp_ctx_conf *conf,
	   const struct srtp_session_keys *keys)
{
	const struct srtp_profile_info *pi = srtp_profile_info(conf->profile);
	uint16_t window = conf->replay_window == 0 ? SRTP_REPLAY_WINDOW_DEFAULT :
						     conf->replay_window;
	uint16_t max_ssrc = conf->max_ssrc == 0 ? SRTP_CTX_SSRC_DEFAULT : conf->max_ssrc;
	struct srtp_ctx *ctx;
	int ret;

	if (pi == NULL || window < SRTP_REPLAY_WINDOW_MIN || window > SRTP_REPLAY_WINDOW_MAX ||
	    window % 64 != 0 || max_ssrc > 1024 ||
	    (conf->dir != SRTP_DIR_INBOUND && conf->dir != SRTP_DIR_OUTBOUND) ||
	    (conf->kind != SRTP_KIND_RTP && conf->kind != SRTP_KIND_RTCP)) {
		rte_errno = EINVAL;
		return NULL;
	}
	if (!e->ops->supports(e, conf->profile)) {
		rte_errno = ENOTSUP;
		return NULL;
	}
	ctx = srtp_ctx_mem_alloc(e, window, max_ssrc);
	if (ctx == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	ctx->e = e;
	ctx->pi = pi;
	ctx->profile = conf->profile;
	ctx->dir = conf->dir;
	ctx->kind = conf->kind;
	ctx->tag_len = conf->kind == SRTP_KIND_RTP ? pi->rtp_tag_len : pi->rtcp_tag_len;
	ctx->no_replay = conf->no_replay_check != 0;
	ctx->window = window;
	ctx->max_ssrc = max_ssrc;
	ctx->stream_stride = (uint32_t)srtp_ctx_stream_stride(window);
	ret = e->ops->ctx_init(ctx, conf, keys);
	if (ret != 0) {
		srtp_ctx_mem_free(e, ctx);
		rte_errno = -ret;
		return NULL;
	}
	e->nb_ctx++;
	return ctx;
}

struct srtp_ctx *
srtp_ctx_create(struct srtp_engine *e, const struct srtp_ctx_conf *conf)
{
	return ctx_create(e, conf, NULL);
}

struct srtp_ctx *
srtp_ctx_create_with_keys(struct srtp_engine *e, const struct srtp_ctx_conf *conf,
			  const struct srtp_session_keys *keys)
{
	return ctx_create(e, conf, keys);
}

void
srtp_ctx_free(struct srtp_ctx *ctx)
{
	if (ctx == NULL)
		return;
	ctx->e->ops->ctx_fini(ctx);
	ctx->e->nb_ctx--;
	srtp_ctx_mem_free(ctx->e, ctx);
}

void
srtp_ctx_counters(const struct srtp_ctx *ctx, struct srtp_counters *out)
{
	*out = ctx->cnt;
}

enum srtp_dir
srtp_ctx_dir(const struct srtp_ctx *ctx)
{
	return ctx->dir;
}

enum srtp_kind
srtp_ctx_kind(const struct srtp_ctx *ctx)
{
	return ctx->kind;
}

enum srtp_profile
srtp_ctx_profile(const struct srtp_ctx *ctx)
{
	return ctx->profile;
}

static uint16_t
count_results(struct srtp_pkt *pkts, uint16_t n)
{
	uint16_t i, ok = 0;

	for (i = 0; i < n; i++) {
		struct srtp_counters *c = &pkts[i].ctx->cnt;

		switch (pkts[i].result) {
		case SRTP_RES_OK:
			c->pkts++;
			c->bytes += pkts[i].m->pkt_len - pkts[i].off;
			ok++;
			break;
		case SRTP_RES_AUTH_FAIL:
			c->auth_fail++;
			break;
		case SRTP_RES_REPLAY:
			c->replay++;
			break;
		case SRTP_RES_BAD_LENGTH:
			c->bad_length++;
			break;
		case SRTP_RES_CRYPTO_STALL:
			c->crypto_stall++;
			break;
		default:
			c->other++;
			break;
		}
	}
	return ok;
}

uint16_t
srtp_process_burst(struct srtp_worker *w, struct srtp_pkt *pkts, uint16_t n)
{
	uint16_t done = 0, ok = 0;

	while (done < n) {
		uint16_t k = RTE_MIN(n - done, SRTP_BURST_MAX);

		w->gen++;
		w->e->ops->burst(w, pkts + done, k);
		ok += count_results(pkts + done, k);
		done += k;
	}
	return ok;
}

uint16_t
srtp_reencrypt_burst(struct srtp_worker *w, struct srtp_pkt *pkts, struct srtp_ctx *const *out,
		     uint16_t n)
{
	struct srtp_pkt fwd[SRTP_BURST_MAX];
	uint16_t idx[SRTP_BURST_MAX];
	uint16_t done = 0, ok = 0;

	while (done < n) {
		uint16_t k = RTE_MIN(n - done, SRTP_BURST_MAX), i, nf = 0;
		struct srtp_pkt *p = pkts + done;

		srtp_process_burst(w, p, k);
		for (i = 0; i < k; i++) {
			if (p[i].result != SRTP_RES_OK)
				continue;
			fwd[nf] = p[i];
			fwd[nf].ctx = out[done + i];
			idx[nf++] = i;
		}
		ok += srtp_process_burst(w, fwd, nf);
		for (i = 0; i < nf; i++)
			p[idx[i]] = fwd[i];
		done += k;
	}
	return ok;
}

const char *
srtp_result_name(enum srtp_result r)
{
	static const char *const names[SRTP_RES_MAX] = {
		[SRTP_RES_OK] = "ok",
		[SRTP_RES_AUTH_FAIL] = "auth_fail",
		[SRTP_RES_REPLAY] = "replay",
		[SRTP_RES_BAD_LENGTH] = "bad_length",
		[SRTP_RES_OTHER] = "other",
		[SRTP_RES_CRYPTO_STALL] = "crypto_stall",
	};

	return (unsigned int)r < SRTP_RES_MAX ? names[r] : "unknown";
}

static const char *const backend_names[SRTP_BACKEND_MAX] = {
	[SRTP_BACKEND_LIBSRTP] = "libsrtp2",
	[SRTP_BACKEND_CRYPTODEV] = "cryptodev",
	[SRTP_BACKEND_CPU_CRYPTO] = "cpu-crypto",
	[SRTP_BACKEND_IPSEC_MB] = "ipsec-mb",
};
/* What --srtp-engine says: the library's name is not what the option ever took. */
static const char *const backend_options[SRTP_BACKEND_MAX] = {
	[SRTP_BACKEND_LIBSRTP] = "libsrtp",
	[SRTP_BACKEND_CRYPTODEV] = "cryptodev",
	[SRTP_BACKEND_CPU_CRYPTO] = "cpu-crypto",
	[SRTP_BACKEND_IPSEC_MB] = "ipsec-mb",
};

const char *
srtp_backend_name(enum srtp_backend b)
{
	return (unsigned int)b < SRTP_BACKEND_MAX ? backend_names[b] : "unknown";
}

enum srtp_backend
srtp_backend_by_name(const char *name)
{
	unsigned int b;

	for (b = 0; b < SRTP_BACKEND_MAX; b++)
		if (strcmp(name, backend_options[b]) == 0)
			return (enum srtp_backend)b;
	return SRTP_BACKEND_MAX;
}

int
srtp_ctx_streams(const struct srtp_ctx *ctx, struct srtp_stream_info *out, unsigned int max)
{
	unsigned int n = 0;

	if (ctx->e->backend == SRTP_BACKEND_LIBSRTP)
		return -ENOTSUP;
	for (unsigned int i = 0; i < ctx->nb_streams && n < max; i++) {
		const struct srtp_stream *s = srtp_ctx_stream(ctx, i);
		uint64_t top = s->win.top;

		out[n].ssrc = s->ssrc;
		out[n].roc = (uint32_t)(top >> 16);
		out[n].seq = (uint16_t)top;
		out[n].srtcp_index = (uint32_t)(ctx->kind == SRTP_KIND_RTCP && ctx->dir == SRTP_DIR_OUTBOUND ?
						s->tx_index : top);
		n++;
	}
	return (int)n;
}
