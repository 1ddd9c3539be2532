/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The cryptodev back end's synchronous crypto pass (--srtp-engine
 * cpu-crypto): the burst's ops go to rte_cryptodev_sym_cpu_crypto_process
 * as vectors instead of through a queue pair.
 *
 * Everything around the crypto is the cryptodev back end's own: the same
 * prepare and commit passes (srtp_cdev_burst.c), the same sessions, the same
 * constant-time tag check. What goes is the enqueue, the PMD's translation
 * of each op into a job, its completion ring and the dequeue polls: the PMD
 * fills its multi-buffer manager straight from the vectors and returns when
 * they are done, so nothing can be left out and there is no stall to handle.
 * The op slots stay as the per-packet scratch the two passes share (IV, the
 * generated and the received tag, SRTCP-GCM's AAD, the ranges).
 *
 * One call takes one session and one set of offsets, the cipher range
 * within the authenticated one: a session's ops are cut into runs of equal
 * offsets. A stream's RTP headers have one length, so a session is usually
 * one run.
 */
#include <errno.h>

#include <rte_branch_prediction.h>
#include <rte_cryptodev.h>
#include <rte_mbuf.h>

#include "srtp_cdev.h"
#include "srtp_priv.h"

/* Vector k of the burst from op; returns its offsets (union rte_crypto_sym_ofs). */
static inline uint64_t
vec_fill(struct srtp_cdev_vecs *v, unsigned int k, struct rte_crypto_op *op)
{
	const struct rte_crypto_sym_op *sym = op->sym;
	struct srtp_op_priv *pr = srtp_op_priv(op);
	uint8_t *base = rte_pktmbuf_mtod(sym->m_src, uint8_t *);
	union rte_crypto_sym_ofs ofs = { .raw = 0 };
	uint32_t auth_end;

	v->sgl[k].vec = &v->data[k];
	v->sgl[k].num = 1;
	v->iv[k].va = pr->iv;
	/* Whatever the PMD leaves unset reads as a failure, never as success. */
	v->status[k] = EIO;
	if (pr->layout == SRTP_OP_AEAD) {
		v->data[k].base = base + sym->aead.data.offset;
		v->data[k].len = sym->aead.data.length;
		v->aad[k].va = sym->aead.aad.data;
		v->digest[k].va = sym->aead.digest.data;
	} else {
		v->data[k].base = base + sym->auth.data.offset;
		v->data[k].len = sym->auth.data.length;
		v->aad[k].va = NULL;
		v->digest[k].va = sym->auth.digest.data;
		if (pr->layout == SRTP_OP_HMAC_CTR) {
			auth_end = sym->auth.data.offset + sym->auth.data.length;
			ofs.ofs.cipher.head = (uint16_t)(sym->cipher.data.offset -
							 sym->auth.data.offset);
			ofs.ofs.cipher.tail = (uint16_t)(auth_end - sym->cipher.data.offset -
							 sym->cipher.data.length);
		}
	}
	v->data[k].tot_len = v->data[k].len;
	return ofs.raw;
}

/* Vectors [from, from + n): one session, one set of offsets. */
static inline void
vec_run(const struct srtp_cdev_engine *ce, struct srtp_cdev_vecs *v, void *sess,
	uint16_t from, uint16_t n)
{
	union rte_crypto_sym_ofs ofs = { .raw = v->ofs[from] };
	struct rte_crypto_sym_vec vec = {
		.num = n,
		.src_sgl = &v->sgl[from],
		.iv = &v->iv[from],
		.digest = &v->digest[from],
		.aad = &v->aad[from],
		.status = &v->status[from],
	};

	rte_cryptodev_sym_cpu_crypto_process(ce->dev_id, sess, ofs, &vec);
}

/* The status the commit pass reads, as a queue pair would have returned it. */
static inline uint8_t
op_status(int32_t st)
{
	if (likely(st == 0))
		return RTE_CRYPTO_OP_STATUS_SUCCESS;
	/* AES-GCM's tag, the only one the PMD verifies (see srtp_cdev_burst.c). */
	return st == EBADMSG ? RTE_CRYPTO_OP_STATUS_AUTH_FAILED : RTE_CRYPTO_OP_STATUS_ERROR;
}

void
srtp_cdev_cpu_run(struct srtp_cdev_engine *ce, struct srtp_cdev_worker *cw, uint16_t nb)
{
	struct srtp_cdev_vecs *v = &cw->vecs;
	uint16_t a, b, k;

	srtp_cdev_group_by_session(cw, nb);
	for (k = 0; k < nb; k++)
		v->ofs[k] = vec_fill(v, k, cw->enq[k]);
	for (a = 0; a < nb; a = b) {
		void *sess = cw->enq[a]->sym->session;

		for (b = a + 1; b < nb; b++)
			if (cw->enq[b]->sym->session != sess || v->ofs[b] != v->ofs[a])
				break;
		vec_run(ce, v, sess, a, b - a);
	}
	for (k = 0; k < nb; k++) {
		struct rte_crypto_op *op = cw->enq[k];

		op->status = op_status(v->status[k]);
		srtp_op_priv(op)->done = 1;
	}
}

/*
 * A call of no vectors: the PMD makes the lcore's job manager before it
 * looks at the count (crypto_ipsec_mb's get_per_thread_mb_mgr), and the
 * session is a valid one of its own, keyless.
 */
void
srtp_cdev_cpu_start(struct srtp_worker *w)
{
	struct srtp_cdev_engine *ce = w->e->be;
	union rte_crypto_sym_ofs ofs = { .raw = 0 };
	struct rte_crypto_sym_vec none = { .num = 0 };

	if (ce->cpu && ce->warm_sess != NULL)
		rte_cryptodev_sym_cpu_crypto_process(ce->dev_id, ce->warm_sess, ofs, &none);
}
