/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The cryptodev back end's queue pair, one per worker: a burst's ops grouped
 * by crypto session, enqueued, and polled back with a bound on the wait.
 *
 * A device that keeps an op past the poll timeout (a hung or lost hardware
 * queue) must not hang the worker: the burst gives up on what is still out
 * and its packets are dropped as crypto stalls. An op the device took may
 * still be written by it later, so its slot stays out of use and a
 * reference on its mbuf is kept (the caller's drop does not free it) until
 * the device returns it, in a later burst's poll; the worker's spare slots
 * bound how many can be held. Ops it never took go straight back.
 */
#include <rte_branch_prediction.h>
#include <rte_cryptodev.h>
#include <rte_cycles.h>
#include <rte_mbuf.h>

#include "srtp_cdev.h"

void
srtp_cdev_qp_recycle(struct srtp_cdev_worker *cw, struct rte_crypto_op *op)
{
	struct srtp_op_priv *pr = srtp_op_priv(op);

	/* Only a held op can come back late; anything else (a PMD returning twice) is ignored. */
	if (!pr->held)
		return;
	pr->held = 0;
	cw->held--;
	rte_pktmbuf_free(op->sym->m_src);
	cw->free[cw->nb_free++] = op;
}

/* The burst gives up: the ops the device took and kept are held from now on. */
static void
stall(struct srtp_cdev_worker *cw, uint16_t sent)
{
	uint16_t i;

	for (i = 0; i < sent; i++) {
		struct rte_crypto_op *op = cw->enq[i];
		struct srtp_op_priv *pr = srtp_op_priv(op);

		if (pr->done)
			continue;
		rte_mbuf_refcnt_update(op->sym->m_src, 1);
		pr->held = 1;
		cw->held++;
	}
}

void
srtp_cdev_qp_reap(struct srtp_cdev_engine *ce, struct srtp_cdev_worker *cw)
{
	uint16_t i, k = rte_cryptodev_dequeue_burst(ce->dev_id, cw->qp, cw->deq, SRTP_BURST_MAX);

	for (i = 0; i < k; i++)
		srtp_cdev_qp_recycle(cw, cw->deq[i]);
}

void
srtp_cdev_qp_run(struct srtp_cdev_engine *ce, struct srtp_cdev_worker *cw, uint16_t nb)
{
	uint16_t sent = 0, recv = 0, i;
	uint64_t deadline = 0;

	srtp_cdev_group_by_session(cw, nb);
	while (recv < nb) {
		uint16_t took = 0, k;

		if (sent < nb) {
			took = rte_cryptodev_enqueue_burst(ce->dev_id, cw->qp, cw->enq + sent,
							   nb - sent);
			sent += took;
		}
		/* Room for a whole burst: late ops of earlier bursts may come too. */
		k = rte_cryptodev_dequeue_burst(ce->dev_id, cw->qp, cw->deq, SRTP_BURST_MAX);
		for (i = 0; i < k; i++) {
			struct rte_crypto_op *op = cw->deq[i];
			struct srtp_op_priv *pr = srtp_op_priv(op);

			if (likely(pr->gen == cw->gen && !pr->held && !pr->done)) {
				pr->done = 1;
				recv++;
			} else {
				/* Late (held) ones are recycled; one returned twice is ignored. */
				srtp_cdev_qp_recycle(cw, op);
			}
		}
		if (likely(took != 0 || k != 0))
			continue;
		/* Nothing moved: start the clock, or stop when it ran out. */
		if (deadline == 0) {
			deadline = rte_get_tsc_cycles() + cw->poll_tsc;
		} else if (rte_get_tsc_cycles() >= deadline) {
			stall(cw, sent);
			return;
		}
	}
}
