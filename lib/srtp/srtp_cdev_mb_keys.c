/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ipsec-mb back end, control path: the job managers (one per worker,
 * one for the control lcore's key set-up), allocated when the engine is
 * made, and each context's precomputed keys.
 *
 * A worker's manager is made here, on the control lcore, not on its first
 * burst: nothing is allocated on the packet path (crypto_aesni_mb's CPU
 * crypto mode makes its per-lcore one with malloc on first use).
 */
#include <errno.h>
#include <string.h>

#include <rte_malloc.h>

#include "srtp_cdev_mb.h"

static IMB_MGR *
mgr_new(void)
{
	IMB_MGR *m = alloc_mb_mgr(0);

	if (m == NULL)
		return NULL;
	/* The widest code the CPU runs (AVX-512 and VAES here). */
	init_mb_mgr_auto(m, NULL);
	if (imb_get_errno(m) != 0) {
		free_mb_mgr(m);
		return NULL;
	}
	return m;
}

int
srtp_mb_engine_init(struct srtp_engine *e, struct srtp_cdev_engine *ce)
{
	unsigned int p;
	uint16_t i;

	ce->mb = true;
	ce->mb_ctl = mgr_new();
	if (ce->mb_ctl == NULL)
		return -ENOMEM;
	for (i = 0; i < e->nb_workers; i++) {
		struct srtp_cdev_worker *cw = e->workers[i].be;

		cw->mb_mgr = mgr_new();
		if (cw->mb_mgr == NULL)
			return -ENOMEM;
	}
	/* Every profile: AES-CTR, HMAC-SHA1, AES-GCM 128/256 and the NULL cipher. */
	for (p = 0; p < SRTP_PROFILE_MAX; p++)
		ce->supported[p] = true;
	return 0;
}

void
srtp_mb_engine_release(struct srtp_engine *e, struct srtp_cdev_engine *ce)
{
	uint16_t i;

	for (i = 0; i < e->nb_workers; i++) {
		struct srtp_cdev_worker *cw = e->workers[i].be;

		if (cw != NULL && cw->mb_mgr != NULL) {
			free_mb_mgr(cw->mb_mgr);
			cw->mb_mgr = NULL;
		}
	}
	if (ce->mb_ctl != NULL)
		free_mb_mgr(ce->mb_ctl);
	ce->mb_ctl = NULL;
}

/* RFC 2104: the hash states after one block of key XOR ipad and key XOR opad. */
static void
hmac_pads(IMB_MGR *m, const uint8_t *key, uint8_t len, uint8_t *ipad, uint8_t *opad)
{
	uint8_t block[IMB_SHA1_BLOCK_SIZE] __rte_aligned(16);
	unsigned int i;

	memset(block, 0x36, sizeof(block));
	for (i = 0; i < len; i++)
		block[i] ^= key[i];
	IMB_SHA1_ONE_BLOCK(m, block, ipad);
	memset(block, 0x5c, sizeof(block));
	for (i = 0; i < len; i++)
		block[i] ^= key[i];
	IMB_SHA1_ONE_BLOCK(m, block, opad);
	srtp_wipe(block, sizeof(block));
}

int
srtp_mb_ctx_keys(struct srtp_ctx *ctx, struct srtp_cdev_ctx *cc,
		 const struct srtp_session_keys *k)
{
	struct srtp_cdev_engine *ce = ctx->e->be;
	struct srtp_mb_keys *mk = srtp_mb_keys_of(cc);
	IMB_MGR *m = ce->mb_ctl;
	unsigned int i;

	mk->key_len = k->enc_key_len;
	mk->tag_len = ctx->tag_len;
	mk->out = ctx->dir == SRTP_DIR_OUTBOUND;
	if (ctx->pi->aead) {
		if (k->enc_key_len == 16)
			IMB_AES128_GCM_PRE(m, k->enc_key, &mk->gcm);
		else if (k->enc_key_len == 32)
			IMB_AES256_GCM_PRE(m, k->enc_key, &mk->gcm);
		else
			return -EINVAL;
	} else {
		uint32_t dec[4 * 11] __rte_aligned(16);

		if (k->auth_key_len > IMB_SHA1_BLOCK_SIZE)
			return -EINVAL;
		if (ctx->pi->encrypts) {
			if (k->enc_key_len != 16)
				return -EINVAL;
			/* Counter mode runs the cipher forward both ways: the decryption schedule is not kept. */
			IMB_AES_KEYEXP_128(m, k->enc_key, mk->hmac.aes, dec);
			srtp_wipe(dec, sizeof(dec));
		}
		hmac_pads(m, k->auth_key, k->auth_key_len, mk->hmac.ipad, mk->hmac.opad);
	}
	if (imb_get_errno(m) != 0)
		return -EINVAL;
	/* What the burst puts in op->sym->session: the key block, whatever the header length. */
	cc->sess = mk;
	for (i = 0; i < SRTP_CDEV_GCM_AAD_SLOTS; i++)
		cc->gcm_sess[i] = mk;
	return 0;
}
