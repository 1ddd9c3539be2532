/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_FWD_TIMING_H
#define SRTPFWD_FWD_TIMING_H

/*
 * Worker timing, on while the plane's timing flag is (`set timing on|off`):
 * - latency: every packet sent is recorded in this lcore's histogram with
 *   the time from its RX burst to the rte_eth_tx_burst that sent it (one
 *   TSC read per port flush, one add per run of one burst); a packet handed
 *   over by another worker counts from when this one polled it;
 * - stage cycles: one loop pass in STAGE_SAMPLE_EVERY reads the TSC at each
 *   stage boundary (stage_cycles.h); the others pay one branch per stage.
 * Only this lcore writes its counters: no lock, no allocation.
 */

#include <rte_cycles.h>

#include "fwd_worker.h"

/*
 * A loop pass begins: is it one to sample? One in STAGE_SAMPLE_EVERY at
 * random (an LCG's high bits), not every Nth: traffic with a period (a
 * looped capture, a pacer) would otherwise be sampled at one phase only.
 */
static inline bool
fwd_timing_pass(struct fwd_worker *w)
{
	w->timing_passes = w->timing_passes * 1103515245u + 12345u;
	w->sampling = __atomic_load_n(&w->plane->timing, __ATOMIC_RELAXED) &&
		      ((w->timing_passes >> 16) & (STAGE_SAMPLE_EVERY - 1)) == 0;
	if (unlikely(w->sampling))
		w->stats->stages.samples++;
	return w->sampling;
}

/* Stage s ended now, having begun at since: counted when sampling. Returns now (or since). */
static inline uint64_t
fwd_stage_end(struct fwd_worker *w, enum worker_stage s, uint64_t since)
{
	uint64_t now;

	if (likely(!w->sampling))
		return since;
	now = rte_rdtsc();
	w->stats->stages.cycles[s] += now - since;
	return now;
}

/* An RX burst of n packets begins processing at now (its RX began at w->rx_start_tsc). */
static inline void
fwd_timing_burst(struct fwd_worker *w, uint64_t now, uint16_t n, bool handed_over)
{
	if (likely(!w->sampling))
		return;
	w->stats->stages.pkts += n;
	if (!handed_over)
		w->stats->stages.cycles[STAGE_RX] += now - w->rx_start_tsc;
}

/* The first `sent` packets of b left: their RX -> TX times into the histogram. */
static inline void
fwd_latency_record(struct fwd_worker *w, const struct fwd_txbuf *b, uint16_t sent)
{
	uint64_t now = rte_rdtsc();

	for (uint16_t k = 0; k < b->n_runs && b->run_start[k] < sent; k++) {
		uint16_t end = k + 1 < b->n_runs ? b->run_start[k + 1] : b->n;

		if (end > sent)
			end = sent;
		latency_hist_add(&w->stats->latency, now - b->run_tsc[k],
				 (uint32_t)(end - b->run_start[k]));
	}
}

#endif /* SRTPFWD_FWD_TIMING_H */
