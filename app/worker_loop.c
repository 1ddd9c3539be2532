/* SPDX-License-Identifier: BSD-3-Clause */
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_pause.h>
#include <rte_rcu_qsbr.h>

#include "app_ctx.h"
#include "fwd/fwd_timing.h"
#include "worker_loop.h"

int
worker_loop(void *arg)
{
	struct worker_ctx *wc = arg;
	struct srtpfwd_app *app = wc->app;
	struct fwd_worker *w = &wc->fw;
	struct rte_mbuf *pkts[FWD_BURST_MAX];
	uint16_t burst = app->cfg.burst;
	unsigned int lcore = rte_lcore_id();

	srtp_worker_start(w->srtp);
	rte_rcu_qsbr_thread_register(app->rcu, lcore);
	rte_rcu_qsbr_thread_online(app->rcu, lcore);

	while (!__atomic_load_n(&app->quit, __ATOMIC_ACQUIRE)) {
		bool busy = false;

		w->stats->polls++;
		if (__atomic_load_n(&app->forwarding, __ATOMIC_RELAXED)) {
			bool sample = fwd_timing_pass(w);

			for (uint16_t i = 0; i < wc->n_rxq; i++) {
				uint16_t n;

				if (unlikely(sample))
					w->rx_start_tsc = rte_rdtsc();
				n = rte_eth_rx_burst(wc->rxq[i].port, wc->rxq[i].queue, pkts, burst);
				if (n == 0)
					continue;
				busy = true;
				fwd_worker_rx(w, wc->rxq[i].port, pkts, n);
			}
			fwd_worker_handoff_poll(w);
			fwd_worker_pass_end(w);
		}
		if (busy)
			w->stats->busy_polls++;
		else
			rte_pause();
		/* No flow or leg reference survives this point. */
		rte_rcu_qsbr_quiescent(app->rcu, lcore);
	}
	fwd_worker_flush(w);
	rte_rcu_qsbr_thread_offline(app->rcu, lcore);
	rte_rcu_qsbr_thread_unregister(app->rcu, lcore);
	return 0;
}
