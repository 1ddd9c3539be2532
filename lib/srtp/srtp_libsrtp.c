/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The libsrtp2 back end: one srtp_t per context, one call per packet. It is
 * the reference the cryptodev back end is checked against, and the fallback
 * where no crypto PMD is available.
 */
#include <errno.h>
#include <string.h>

#include <srtp2/srtp.h>

#include <rte_mbuf.h>

#include "srtp_priv.h"
#include "srtp_rtp.h"

/* srtp_init() is process-wide; engines are created on the control lcore only. */
static unsigned int libsrtp_users;

static int
libsrtp_engine_init(struct srtp_engine *e, const struct srtp_engine_conf *conf)
{
	RTE_SET_USED(e);
	RTE_SET_USED(conf);
	if (libsrtp_users == 0 && srtp_init() != srtp_err_status_ok)
		return -ENODEV;
	libsrtp_users++;
	return 0;
}

static void
libsrtp_engine_fini(struct srtp_engine *e)
{
	RTE_SET_USED(e);
	if (--libsrtp_users == 0)
		srtp_shutdown();
}

static bool
libsrtp_supports(const struct srtp_engine *e, enum srtp_profile p)
{
	RTE_SET_USED(e);
	return (unsigned int)p < SRTP_PROFILE_MAX;
}

static int
libsrtp_ctx_init(struct srtp_ctx *ctx, const struct srtp_ctx_conf *conf,
		 const struct srtp_session_keys *keys)
{
	uint8_t key[SRTP_MASTER_KEY_MAX + SRTP_MASTER_SALT_MAX];
	srtp_policy_t pol;
	srtp_t s = NULL;
	srtp_err_status_t st;

	/* libsrtp2 always derives its own keys. */
	if (keys != NULL)
		return -ENOTSUP;
	memset(&pol, 0, sizeof(pol));
	switch (conf->profile) {
	case SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80:
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&pol.rtp);
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&pol.rtcp);
		break;
	case SRTP_PROFILE_AES_CM_128_HMAC_SHA1_32:
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&pol.rtp);
		/* SRTCP keeps the 80-bit tag (RFC 5764 §4.1.2). */
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&pol.rtcp);
		break;
	case SRTP_PROFILE_AEAD_AES_128_GCM:
		srtp_crypto_policy_set_aes_gcm_128_16_auth(&pol.rtp);
		srtp_crypto_policy_set_aes_gcm_128_16_auth(&pol.rtcp);
		break;
	case SRTP_PROFILE_AEAD_AES_256_GCM:
		srtp_crypto_policy_set_aes_gcm_256_16_auth(&pol.rtp);
		srtp_crypto_policy_set_aes_gcm_256_16_auth(&pol.rtcp);
		break;
	case SRTP_PROFILE_NULL_HMAC_SHA1_80:
		srtp_crypto_policy_set_null_cipher_hmac_sha1_80(&pol.rtp);
		srtp_crypto_policy_set_null_cipher_hmac_sha1_80(&pol.rtcp);
		break;
	default:
		return -EINVAL;
	}
	memcpy(key, conf->master_key, ctx->pi->master_key_len);
	memcpy(key + ctx->pi->master_key_len, conf->master_salt, ctx->pi->master_salt_len);
	pol.ssrc.type = conf->dir == SRTP_DIR_INBOUND ? ssrc_any_inbound : ssrc_any_outbound;
	pol.key = key;
	pol.window_size = ctx->window;
	pol.allow_repeat_tx = conf->no_replay_check && conf->dir == SRTP_DIR_OUTBOUND;
	st = srtp_create(&s, &pol);
	srtp_wipe(key, sizeof(key));
	if (st != srtp_err_status_ok)
		return st == srtp_err_status_alloc_fail ? -ENOMEM : -ENOTSUP;
	ctx->be = s;
	return 0;
}

static void
libsrtp_ctx_fini(struct srtp_ctx *ctx)
{
	if (ctx->be != NULL)
		srtp_dealloc(ctx->be);
	ctx->be = NULL;
}

static enum srtp_result
map_status(srtp_err_status_t st)
{
	switch (st) {
	case srtp_err_status_ok:
		return SRTP_RES_OK;
	case srtp_err_status_auth_fail:
		return SRTP_RES_AUTH_FAIL;
	case srtp_err_status_replay_fail:
	case srtp_err_status_replay_old:
		return SRTP_RES_REPLAY;
	case srtp_err_status_bad_param:
	case srtp_err_status_parse_err:
		return SRTP_RES_BAD_LENGTH;
	default:
		return SRTP_RES_OTHER;
	}
}

static enum srtp_result
libsrtp_one(struct srtp_pkt *pkt)
{
	struct srtp_ctx *ctx = pkt->ctx;
	struct rte_mbuf *m = pkt->m;
	srtp_err_status_t st;
	uint8_t *p;
	int len, newlen;

	if (!rte_pktmbuf_is_contiguous(m) || pkt->off > m->pkt_len)
		return SRTP_RES_BAD_LENGTH;
	p = rte_pktmbuf_mtod_offset(m, uint8_t *, pkt->off);
	len = (int)(m->pkt_len - pkt->off);
	if (srtp_check_length(ctx, m, p, (uint32_t)len) == 0)
		return SRTP_RES_BAD_LENGTH;
	newlen = len;
	if (ctx->dir == SRTP_DIR_OUTBOUND) {
		st = ctx->kind == SRTP_KIND_RTP ? srtp_protect(ctx->be, p, &newlen) :
						  srtp_protect_rtcp(ctx->be, p, &newlen);
		if (st == srtp_err_status_ok &&
		    rte_pktmbuf_append(m, (uint16_t)(newlen - len)) == NULL)
			return SRTP_RES_OTHER;
	} else {
		st = ctx->kind == SRTP_KIND_RTP ? srtp_unprotect(ctx->be, p, &newlen) :
						  srtp_unprotect_rtcp(ctx->be, p, &newlen);
		if (st == srtp_err_status_ok)
			rte_pktmbuf_trim(m, (uint16_t)(len - newlen));
	}
	return map_status(st);
}

static void
libsrtp_burst(struct srtp_worker *w, struct srtp_pkt *pkts, uint16_t n)
{
	uint16_t i;

	RTE_SET_USED(w);
	for (i = 0; i < n; i++)
		pkts[i].result = (uint8_t)libsrtp_one(&pkts[i]);
}

const struct srtp_backend_ops srtp_libsrtp_ops = {
	.engine_init = libsrtp_engine_init,
	.engine_fini = libsrtp_engine_fini,
	.supports = libsrtp_supports,
	.ctx_init = libsrtp_ctx_init,
	.ctx_fini = libsrtp_ctx_fini,
	.burst = libsrtp_burst,
};
