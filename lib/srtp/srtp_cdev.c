/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The cryptodev back end, control path: device, pools, queue pairs, per
 * worker preallocated ops, and the crypto sessions of each context; for the
 * ipsec-mb back end the same without the device (srtp_cdev_mb_keys.c).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_malloc.h>

#include "srtp_cdev.h"
#include "srtp_cdev_mb.h"

static unsigned int engine_seq;	/* unique pool names; control lcore only */

static bool
cap_cipher(uint8_t dev, enum rte_crypto_cipher_algorithm algo, uint16_t key, uint16_t iv)
{
	struct rte_cryptodev_sym_capability_idx idx = {
		.type = RTE_CRYPTO_SYM_XFORM_CIPHER, .algo.cipher = algo,
	};
	const struct rte_cryptodev_symmetric_capability *c =
		rte_cryptodev_sym_capability_get(dev, &idx);

	return c != NULL && rte_cryptodev_sym_capability_check_cipher(c, key, iv) == 0;
}

static bool
cap_hmac(uint8_t dev, uint16_t digest)
{
	struct rte_cryptodev_sym_capability_idx idx = {
		.type = RTE_CRYPTO_SYM_XFORM_AUTH, .algo.auth = RTE_CRYPTO_AUTH_SHA1_HMAC,
	};
	const struct rte_cryptodev_symmetric_capability *c =
		rte_cryptodev_sym_capability_get(dev, &idx);

	return c != NULL && rte_cryptodev_sym_capability_check_auth(c, SRTP_SESSION_AUTH_KEY_LEN,
								     digest, 0) == 0;
}

static bool
cap_gcm(uint8_t dev, uint16_t key)
{
	struct rte_cryptodev_sym_capability_idx idx = {
		.type = RTE_CRYPTO_SYM_XFORM_AEAD, .algo.aead = RTE_CRYPTO_AEAD_AES_GCM,
	};
	const struct rte_cryptodev_symmetric_capability *c =
		rte_cryptodev_sym_capability_get(dev, &idx);
	uint16_t aad;

	if (c == NULL)
		return false;
	for (aad = 12; aad < 12 + 4 * SRTP_CDEV_GCM_AAD_SLOTS; aad += 4)
		if (rte_cryptodev_sym_capability_check_aead(c, key, 16, aad, 12) != 0)
			return false;
	return true;
}

static void
probe_caps(struct srtp_cdev_engine *ce)
{
	uint8_t d = ce->dev_id;
	bool ctr = cap_cipher(d, RTE_CRYPTO_CIPHER_AES_CTR, 16, 16);

	ce->supported[SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80] = ctr && cap_hmac(d, 10);
	ce->supported[SRTP_PROFILE_AES_CM_128_HMAC_SHA1_32] = ctr && cap_hmac(d, 4) &&
							       cap_hmac(d, 10);
	ce->supported[SRTP_PROFILE_AEAD_AES_128_GCM] = cap_gcm(d, 16);
	ce->supported[SRTP_PROFILE_AEAD_AES_256_GCM] = cap_gcm(d, 32);
	ce->supported[SRTP_PROFILE_NULL_HMAC_SHA1_80] = cap_hmac(d, 10);
}

/*
 * The device is stopped first: ops a stalled device still held are then
 * ours again, and so are the mbufs we kept a reference on for them.
 */
static void
cdev_engine_release(struct srtp_engine *e)
{
	struct srtp_cdev_engine *ce = e->be;
	uint16_t i, j;

	if (ce == NULL)
		return;
	if (ce->has_dev)
		rte_cryptodev_stop(ce->dev_id);
	srtp_mb_engine_release(e, ce);
	for (i = 0; i < e->nb_workers; i++) {
		struct srtp_cdev_worker *cw = e->workers[i].be;

		if (cw == NULL)
			continue;
		if (cw->all[0] != NULL && ce->op_pool != NULL) {
			for (j = 0; j < SRTP_CDEV_OPS; j++)
				if (srtp_op_priv(cw->all[j])->held)
					rte_pktmbuf_free(cw->all[j]->sym->m_src);
			rte_mempool_put_bulk(ce->op_pool, (void **)cw->all, SRTP_CDEV_OPS);
		}
		rte_free(cw);
		e->workers[i].be = NULL;
	}
	if (ce->warm_sess != NULL)
		rte_cryptodev_sym_session_free(ce->dev_id, ce->warm_sess);
	if (ce->has_dev)
		rte_cryptodev_close(ce->dev_id);
	if (ce->own_vdev)
		rte_vdev_uninit(ce->name);
	rte_mempool_free(ce->op_pool);
	rte_mempool_free(ce->sess_pool);
	rte_free(ce);
	e->be = NULL;
}

/*
 * A worker's op slots, allocated once: what no packet changes is set here,
 * the burst writes only per-packet fields.
 */
static int
cdev_worker_init(struct srtp_cdev_engine *ce, struct srtp_cdev_worker *cw, uint16_t qp,
		 uint32_t poll_timeout_us)
{
	uint16_t j;

	cw->qp = qp;
	cw->poll_tsc = rte_get_tsc_hz() / 1000000 *
		       (poll_timeout_us != 0 ? poll_timeout_us : SRTP_CDEV_POLL_TIMEOUT_US_DEFAULT);
	if (rte_crypto_op_bulk_alloc(ce->op_pool, RTE_CRYPTO_OP_TYPE_SYMMETRIC, cw->all,
				     SRTP_CDEV_OPS) != SRTP_CDEV_OPS) {
		cw->all[0] = NULL;
		return -ENOMEM;
	}
	for (j = 0; j < SRTP_CDEV_OPS; j++) {
		struct rte_crypto_op *op = cw->all[j];

		op->sess_type = RTE_CRYPTO_OP_WITH_SESSION;
		op->sym->m_dst = NULL;	/* in place */
		memset(srtp_op_priv(op), 0, sizeof(struct srtp_op_priv));
		cw->free[j] = op;
	}
	cw->nb_free = SRTP_CDEV_OPS;
	return 0;
}

/*
 * CPU crypto: a session that protects nothing (AES-CTR, a zero key), only
 * there for the workers' first, empty call (srtp_cdev_cpu_start).
 */
static int
warm_session(struct srtp_cdev_engine *ce)
{
	static const uint8_t zero_key[16];
	struct rte_crypto_sym_xform x = {
		.type = RTE_CRYPTO_SYM_XFORM_CIPHER,
		.cipher = {
			.op = RTE_CRYPTO_CIPHER_OP_ENCRYPT,
			.algo = RTE_CRYPTO_CIPHER_AES_CTR,
			.key = { .data = zero_key, .length = sizeof(zero_key) },
			.iv = { .offset = SRTP_OP_PRIV_OFFSET, .length = 16 },
		},
	};

	ce->warm_sess = rte_cryptodev_sym_session_create(ce->dev_id, &x, ce->sess_pool);
	return ce->warm_sess == NULL ? -ENOMEM : 0;
}

/* The device, found or created as a vdev: ce->dev_id; -errno. */
static int
device_find(struct srtp_cdev_engine *ce, const struct srtp_engine_conf *conf)
{
	int dev;

	if (conf->cdev_name == NULL || strlen(conf->cdev_name) >= sizeof(ce->name))
		return -EINVAL;
	snprintf(ce->name, sizeof(ce->name), "%s", conf->cdev_name);
	dev = rte_cryptodev_get_dev_id(ce->name);
	if (dev < 0) {
		if (rte_vdev_init(ce->name, conf->vdev_args) != 0)
			return -ENODEV;
		ce->own_vdev = true;
		dev = rte_cryptodev_get_dev_id(ce->name);
		if (dev < 0)
			return -ENODEV;
	}
	ce->dev_id = (uint8_t)dev;
	ce->has_dev = true;
	return 0;
}

/* Capabilities, the session pool, one queue pair per worker, started. */
static int
device_init(struct srtp_cdev_engine *ce, const struct srtp_engine_conf *conf, unsigned int seq)
{
	struct rte_cryptodev_config dconf = {
		.socket_id = conf->socket,
		.nb_queue_pairs = conf->nb_workers,
		.ff_disable = RTE_CRYPTODEV_FF_ASYMMETRIC_CRYPTO | RTE_CRYPTODEV_FF_SECURITY,
	};
	struct rte_cryptodev_qp_conf qconf = { .nb_descriptors = SRTP_CDEV_QP_DESC };
	struct rte_cryptodev_info info;
	char pname[RTE_MEMPOOL_NAMESIZE];
	uint32_t nb_sess;
	int ret;
	uint16_t i;

	ret = device_find(ce, conf);
	if (ret != 0)
		return ret;
	rte_cryptodev_info_get(ce->dev_id, &info);
	if (info.max_nb_queue_pairs < conf->nb_workers)
		return -ENOSPC;
	if (ce->cpu && !(info.feature_flags & RTE_CRYPTODEV_FF_SYM_CPU_CRYPTO))
		return -ENOTSUP;
	probe_caps(ce);

	/* Worst case every context is SRTP-GCM with all its header-length sessions. */
	nb_sess = (conf->max_contexts == 0 ? 64 : conf->max_contexts) *
		  (SRTP_CDEV_GCM_AAD_SLOTS + 1) + 1;	/* + warm_sess */
	snprintf(pname, sizeof(pname), "srtp_sess_%u", seq);
	ce->sess_pool = rte_cryptodev_sym_session_pool_create(pname, nb_sess,
			rte_cryptodev_sym_get_private_session_size(ce->dev_id), 0, 0,
			conf->socket);
	if (ce->sess_pool == NULL)
		return -ENOMEM;
	if (rte_cryptodev_configure(ce->dev_id, &dconf) != 0)
		return -EIO;
	qconf.mp_session = ce->sess_pool;
	for (i = 0; i < conf->nb_workers; i++)
		if (rte_cryptodev_queue_pair_setup(ce->dev_id, i, &qconf, conf->socket) != 0)
			return -EIO;
	if (rte_cryptodev_start(ce->dev_id) != 0)
		return -EIO;
	return ce->cpu ? warm_session(ce) : 0;
}

static int
cdev_engine_init(struct srtp_engine *e, const struct srtp_engine_conf *conf)
{
	struct srtp_cdev_engine *ce;
	char pname[RTE_MEMPOOL_NAMESIZE];
	unsigned int seq = engine_seq++;
	int ret = -ENOMEM;
	uint16_t i;

	ce = rte_zmalloc_socket("srtp_cdev", sizeof(*ce), 0, conf->socket);
	if (ce == NULL)
		return -ENOMEM;
	ce->cpu = conf->backend == SRTP_BACKEND_CPU_CRYPTO;
	e->be = ce;
	/* Each worker owns its queue pair (or job manager) and its ops: no mempool on the packet path. */
	for (i = 0; i < conf->nb_workers; i++) {
		e->workers[i].be = rte_zmalloc_socket("srtp_cdev_worker",
						      sizeof(struct srtp_cdev_worker),
						      RTE_CACHE_LINE_SIZE, conf->socket);
		if (e->workers[i].be == NULL)
			goto fail;
	}
	ret = conf->backend == SRTP_BACKEND_IPSEC_MB ? srtp_mb_engine_init(e, ce) :
						       device_init(ce, conf, seq);
	if (ret != 0)
		goto fail;
	snprintf(pname, sizeof(pname), "srtp_ops_%u", seq);
	ce->op_pool = rte_crypto_op_pool_create(pname, RTE_CRYPTO_OP_TYPE_SYMMETRIC,
			(unsigned int)conf->nb_workers * SRTP_CDEV_OPS, 0,
			sizeof(struct srtp_op_priv), conf->socket);
	ret = -ENOMEM;
	if (ce->op_pool == NULL)
		goto fail;
	for (i = 0; i < conf->nb_workers; i++) {
		ret = cdev_worker_init(ce, e->workers[i].be, i, conf->poll_timeout_us);
		if (ret != 0)
			goto fail;
	}
	return 0;
fail:
	cdev_engine_release(e);
	return ret;
}

static void
cdev_engine_fini(struct srtp_engine *e)
{
	cdev_engine_release(e);
}

static bool
cdev_supports(const struct srtp_engine *e, enum srtp_profile p)
{
	const struct srtp_cdev_engine *ce = e->be;

	return (unsigned int)p < SRTP_PROFILE_MAX && ce->supported[p];
}

static void *
session_create(struct srtp_cdev_engine *ce, struct rte_crypto_sym_xform *x)
{
	return rte_cryptodev_sym_session_create(ce->dev_id, x, ce->sess_pool);
}

/* AES-CM + HMAC-SHA1 (or HMAC alone for the NULL cipher), RFC 3711 §4.1.1, §4.2.1. */
static int
hmac_session(struct srtp_ctx *ctx, struct srtp_cdev_ctx *cc, const struct srtp_session_keys *k)
{
	bool out = ctx->dir == SRTP_DIR_OUTBOUND;
	struct rte_crypto_sym_xform cipher = {
		.type = RTE_CRYPTO_SYM_XFORM_CIPHER,
		.cipher = {
			/*
			 * Counter mode decrypts by encrypting; said so on both
			 * sides because PMDs accept "hash, then encrypt" but not
			 * "generate a hash, then decrypt" (see auth below).
			 */
			.op = RTE_CRYPTO_CIPHER_OP_ENCRYPT,
			.algo = RTE_CRYPTO_CIPHER_AES_CTR,
			.key = { .data = k->enc_key, .length = k->enc_key_len },
			.iv = { .offset = SRTP_OP_PRIV_OFFSET, .length = 16 },
		},
	};
	struct rte_crypto_sym_xform auth = {
		.type = RTE_CRYPTO_SYM_XFORM_AUTH,
		.auth = {
			/*
			 * Inbound too: PMDs verify with memcmp (crypto_ipsec_mb
			 * does), which leaks how many tag bytes matched. The
			 * burst code compares the generated tag in constant time.
			 */
			.op = RTE_CRYPTO_AUTH_OP_GENERATE,
			.algo = RTE_CRYPTO_AUTH_SHA1_HMAC,
			.key = { .data = k->auth_key, .length = k->auth_key_len },
			.digest_length = ctx->tag_len,
		},
	};
	struct rte_crypto_sym_xform *first;

	if (!ctx->pi->encrypts) {
		first = &auth;
	} else if (out) {
		/* Encrypt, then MAC the ciphertext. */
		cipher.next = &auth;
		first = &cipher;
	} else {
		/* MAC the ciphertext, then decrypt (kept only if the tag matches). */
		auth.next = &cipher;
		first = &auth;
	}
	cc->sess = session_create(ctx->e->be, first);
	return cc->sess == NULL ? -ENOMEM : 0;
}

/* AES-GCM, RFC 7714 §8-§10. */
static int
gcm_sessions(struct srtp_ctx *ctx, struct srtp_cdev_ctx *cc, const struct srtp_session_keys *k)
{
	struct rte_crypto_sym_xform x = {
		.type = RTE_CRYPTO_SYM_XFORM_AEAD,
		.aead = {
			.op = ctx->dir == SRTP_DIR_OUTBOUND ? RTE_CRYPTO_AEAD_OP_ENCRYPT :
							      RTE_CRYPTO_AEAD_OP_DECRYPT,
			.algo = RTE_CRYPTO_AEAD_AES_GCM,
			.key = { .data = k->enc_key, .length = k->enc_key_len },
			.iv = { .offset = SRTP_OP_PRIV_OFFSET, .length = 12 },
			.digest_length = 16,
		},
	};
	unsigned int i;

	if (ctx->kind == SRTP_KIND_RTCP) {
		/* 8-byte header || E||index (RFC 7714 §17). */
		x.aead.aad_length = 12;
		cc->sess = session_create(ctx->e->be, &x);
		return cc->sess == NULL ? -ENOMEM : 0;
	}
	for (i = 0; i < SRTP_CDEV_GCM_AAD_SLOTS; i++) {
		x.aead.aad_length = (uint16_t)(RTP_HDR_LEN + 4 * i);
		cc->gcm_sess[i] = session_create(ctx->e->be, &x);
		if (cc->gcm_sess[i] == NULL)
			return -ENOMEM;
	}
	return 0;
}

static void
cdev_ctx_fini(struct srtp_ctx *ctx)
{
	struct srtp_cdev_engine *ce = ctx->e->be;
	struct srtp_cdev_ctx *cc = ctx->be;
	unsigned int i;

	if (cc == NULL)
		return;
	if (ce->mb) {
		/* Not sessions: the keys in the context's block, wiped with it. */
		cc->sess = NULL;
		memset(cc->gcm_sess, 0, sizeof(cc->gcm_sess));
		return;
	}
	if (cc->sess != NULL)
		rte_cryptodev_sym_session_free(ce->dev_id, cc->sess);
	for (i = 0; i < SRTP_CDEV_GCM_AAD_SLOTS; i++)
		if (cc->gcm_sess[i] != NULL)
			rte_cryptodev_sym_session_free(ce->dev_id, cc->gcm_sess[i]);
	/* The block (salt included) is wiped when the context is freed. */
	cc->sess = NULL;
	memset(cc->gcm_sess, 0, sizeof(cc->gcm_sess));
}

static int
cdev_ctx_init(struct srtp_ctx *ctx, const struct srtp_ctx_conf *conf,
	      const struct srtp_session_keys *given)
{
	struct srtp_session_keys keys;
	/* The engine allocated it with the context (ctx_be_size), and the streams. */
	struct srtp_cdev_ctx *cc = ctx->be;
	int ret;

	if (given != NULL) {
		keys = *given;
	} else {
		ret = srtp_kdf_derive(conf->profile, conf->master_key, conf->master_salt,
				      conf->kind == SRTP_KIND_RTCP, &keys);
		if (ret != 0)
			goto fail;
	}
	memcpy(cc->salt, keys.salt, keys.salt_len);
	if (((struct srtp_cdev_engine *)ctx->e->be)->mb)
		ret = srtp_mb_ctx_keys(ctx, cc, &keys);
	else
		ret = ctx->pi->aead ? gcm_sessions(ctx, cc, &keys) : hmac_session(ctx, cc, &keys);
	if (ret != 0)
		goto fail;
	srtp_wipe(&keys, sizeof(keys));
	return 0;
fail:
	srtp_wipe(&keys, sizeof(keys));
	cdev_ctx_fini(ctx);
	return ret;
}

const struct srtp_backend_ops srtp_cdev_ops = {
	.engine_init = cdev_engine_init,
	.engine_fini = cdev_engine_fini,
	.supports = cdev_supports,
	.ctx_init = cdev_ctx_init,
	.ctx_fini = cdev_ctx_fini,
	.ctx_be_size = sizeof(struct srtp_cdev_ctx),
	.ctx_streams = true,
	.worker_start = srtp_cdev_cpu_start,
	.burst = srtp_cdev_burst,
};

/* The same back end without a cryptodev: each context also holds its keys. */
const struct srtp_backend_ops srtp_mb_ops = {
	.engine_init = cdev_engine_init,
	.engine_fini = cdev_engine_fini,
	.supports = cdev_supports,
	.ctx_init = cdev_ctx_init,
	.ctx_fini = cdev_ctx_fini,
	.ctx_be_size = SRTP_MB_CTX_BE_SIZE,
	.ctx_streams = true,
	.burst = srtp_cdev_burst,
};
