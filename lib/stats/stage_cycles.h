/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_STAGE_CYCLES_H
#define SRTPFWD_STAGE_CYCLES_H

/*
 * Where a worker's cycles go, per stage of its loop, measured on one loop
 * pass in STAGE_SAMPLE_EVERY (at random) that received packets (a TSC read at each
 * stage boundary costs too much on every burst; a sample of them costs
 * nothing measurable and converges within a second at any real rate).
 * Readers divide by the sampled packets: cycles per packet per stage.
 */

#include <stdint.h>

#define STAGE_SAMPLE_EVERY 32	/* a power of two; 8 cost about 1 % of the e2e rate more */

enum worker_stage {
	STAGE_RX,		/* rte_eth_rx_burst */
	STAGE_PARSE,		/* Ethernet/IP/UDP parse, index lookup, prefetch */
	STAGE_LOOKUP,		/* leg ids, hash misses, paths prefetched */
	STAGE_LEGS,		/* per leg: class, source, action (e2e out, STUN answered) */
	STAGE_STUN,		/* ... of which STUN checks and answers */
	STAGE_CRYPTO,		/* SRTP passes of the burst's media and its rewrite */
	STAGE_TX,		/* rte_eth_tx_burst of what is buffered */
	STAGE_MAX,
};

struct stage_cycles {
	uint64_t samples;		/* loop passes sampled */
	uint64_t pkts;			/* packets they received */
	uint64_t cycles[STAGE_MAX];
};

/* The stage's name in `show worker stats` and telemetry. */
const char *stage_name(enum worker_stage s);

/* total += s - base (base NULL: nothing). */
void stage_cycles_accumulate(struct stage_cycles *total, const struct stage_cycles *s,
			     const struct stage_cycles *base);

#endif /* SRTPFWD_STAGE_CYCLES_H */
