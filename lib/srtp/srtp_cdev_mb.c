/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ipsec-mb back end's crypto pass: each op the prepare pass filled
 * becomes a job of the worker's multi-buffer manager, in packet order, and
 * the manager is flushed once at the end of the burst.
 *
 * Lanes are per algorithm, not per key: packets of every context of the
 * burst share them, so a burst of 32 packets of 32 sessions fills them as
 * well as 32 packets of one (a CPU crypto call takes one session; the queue
 * pair gets the same lanes but pays for ops, rings and polling). Jobs come
 * back in submission order, some while later ones are submitted.
 *
 * Tags: HMAC-SHA1 is generated into the op (12 bytes, the shortest the
 * library makes) and cut to the profile's length; an inbound one is compared
 * in constant time by the commit pass. AES-GCM's inbound tag is generated
 * too and compared here, in constant time: the library would not compare it
 * (the PMD compares it with memcmp).
 */
#include <rte_branch_prediction.h>
#include <rte_cryptodev.h>
#include <rte_mbuf.h>

#include "srtp_cdev_mb.h"
#include "srtp_tag.h"

static inline void
job_gcm(IMB_JOB *job, const struct rte_crypto_sym_op *sym, struct srtp_op_priv *pr,
	const struct srtp_mb_keys *k, uint8_t *base)
{
	job->cipher_mode = IMB_CIPHER_GCM;
	job->hash_alg = IMB_AUTH_AES_GMAC;
	job->enc_keys = &k->gcm;
	job->dec_keys = &k->gcm;
	job->key_len_in_bytes = k->key_len;
	job->dst = base + sym->aead.data.offset;
	job->cipher_start_src_offset_in_bytes = sym->aead.data.offset;
	job->msg_len_to_cipher_in_bytes = sym->aead.data.length;
	job->hash_start_src_offset_in_bytes = sym->aead.data.offset;
	job->msg_len_to_hash_in_bytes = sym->aead.data.length;
	job->iv_len_in_bytes = 12;
	job->u.GCM.aad = sym->aead.aad.data;
	job->u.GCM.aad_len_in_bytes = pr->aad_len;
	job->auth_tag_output = k->out ? sym->aead.digest.data : pr->digest;
	job->auth_tag_output_len_in_bytes = 16;
}

static inline void
job_hmac(IMB_JOB *job, const struct rte_crypto_sym_op *sym, struct srtp_op_priv *pr,
	 const struct srtp_mb_keys *k, uint8_t *base)
{
	job->hash_alg = IMB_AUTH_HMAC_SHA_1;
	job->hash_start_src_offset_in_bytes = sym->auth.data.offset;
	job->msg_len_to_hash_in_bytes = sym->auth.data.length;
	job->u.HMAC._hashed_auth_key_xor_ipad = k->hmac.ipad;
	job->u.HMAC._hashed_auth_key_xor_opad = k->hmac.opad;
	job->auth_tag_output = pr->digest;
	job->auth_tag_output_len_in_bytes = SRTP_MB_HMAC_TAG_LEN;
	/* The NULL cipher, and SRTCP sent with E clear (authenticated only). */
	if (pr->layout != SRTP_OP_HMAC_CTR || sym->cipher.data.length == 0) {
		job->cipher_mode = IMB_CIPHER_NULL;
		job->dst = base;
		job->cipher_start_src_offset_in_bytes = 0;
		job->msg_len_to_cipher_in_bytes = 0;
		return;
	}
	job->cipher_mode = IMB_CIPHER_CNTR;
	job->enc_keys = k->hmac.aes;
	job->dec_keys = k->hmac.aes;
	job->key_len_in_bytes = 16;
	job->dst = base + sym->cipher.data.offset;
	job->cipher_start_src_offset_in_bytes = sym->cipher.data.offset;
	job->msg_len_to_cipher_in_bytes = sym->cipher.data.length;
	job->iv_len_in_bytes = 16;
}

static inline void
job_fill(IMB_JOB *job, struct rte_crypto_op *op)
{
	const struct rte_crypto_sym_op *sym = op->sym;
	struct srtp_op_priv *pr = srtp_op_priv(op);
	const struct srtp_mb_keys *k = sym->session;
	uint8_t *base = rte_pktmbuf_mtod(sym->m_src, uint8_t *);

	job->user_data = op;
	job->src = base;
	job->iv = pr->iv;
	/* RFC 3711 §3.3, §3.4 and RFC 7714: encrypt then authenticate; check then decrypt. */
	job->cipher_direction = k->out ? IMB_DIR_ENCRYPT : IMB_DIR_DECRYPT;
	job->chain_order = k->out ? IMB_ORDER_CIPHER_HASH : IMB_ORDER_HASH_CIPHER;
	if (pr->layout == SRTP_OP_AEAD)
		job_gcm(job, sym, pr, k, base);
	else
		job_hmac(job, sym, pr, k, base);
}

/* A job is back: the status the commit pass reads, as a queue pair would have set it. */
static inline void
job_done(const IMB_JOB *job)
{
	struct rte_crypto_op *op = job->user_data;
	struct rte_crypto_sym_op *sym = op->sym;
	struct srtp_op_priv *pr = srtp_op_priv(op);
	const struct srtp_mb_keys *k = sym->session;

	pr->done = 1;
	if (unlikely(job->status != IMB_STATUS_COMPLETED)) {
		op->status = RTE_CRYPTO_OP_STATUS_ERROR;
		return;
	}
	op->status = RTE_CRYPTO_OP_STATUS_SUCCESS;
	if (pr->layout == SRTP_OP_AEAD) {
		if (!k->out && !srtp_tag_equal(pr->digest, sym->aead.digest.data, 16))
			op->status = RTE_CRYPTO_OP_STATUS_AUTH_FAILED;
	} else if (sym->auth.digest.data != pr->digest) {
		/* Outbound SRTCP: its tag goes after E||index in the packet. */
		srtp_tag_copy(sym->auth.digest.data, pr->digest, k->tag_len);
	}
}

void
srtp_cdev_mb_run(struct srtp_cdev_worker *cw, uint16_t nb)
{
	IMB_MGR *m = cw->mb_mgr;
	IMB_JOB *job;
	uint16_t i;

	/*
	 * Unchecked submission, as crypto_aesni_mb does: the prepare pass
	 * checked every length and the keys were made for these algorithms,
	 * and the library's checks of each job cost about 8 % of a re-encrypt.
	 */
	for (i = 0; i < nb; i++) {
		job = IMB_GET_NEXT_JOB(m);
		job_fill(job, cw->used[i]);
		for (job = IMB_SUBMIT_JOB_NOCHECK(m); job != NULL; job = IMB_GET_COMPLETED_JOB(m))
			job_done(job);
	}
	while ((job = IMB_FLUSH_JOB(m)) != NULL) {
		job_done(job);
		while ((job = IMB_GET_COMPLETED_JOB(m)) != NULL)
			job_done(job);
	}
}
