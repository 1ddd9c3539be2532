/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_LCORE_STATS_H
#define SRTPFWD_LCORE_STATS_H

/*
 * Counters of one lcore. Each lcore writes only its own block with plain
 * adds; readers (console, telemetry) sum the blocks and may see a value a
 * few packets old, never a torn one (aligned 64-bit stores).
 */

#include <stdint.h>

#include <rte_common.h>

#include "drop_reason.h"
#include "latency_hist.h"
#include "stage_cycles.h"

struct lcore_stats {
	uint64_t rx_pkts;
	uint64_t rx_bytes;
	uint64_t tx_pkts;
	uint64_t tx_bytes;
	uint64_t punted;	/* handed to the control lcore */
	uint64_t handed_off;	/* handed to another worker (a leg's home) */
	uint64_t latched;	/* remotes learned (control lcore) */
	uint64_t stun_answered;	/* Binding success responses sent (authenticated checks) */
	uint64_t stun_errors;	/* Binding error responses sent (400, 401, 420, 487) */
	uint64_t stun_errors_limited;	/* error responses not sent: rate limit */
	uint64_t polls;		/* loop iterations */
	uint64_t busy_polls;	/* iterations that received something */
	uint64_t media_pkts;	/* e2ae media through the SRTP passes (kept or dropped there) */
	/* Lawful interception: copies handed to the control lcore, and copies lost (never packets). */
	uint64_t li_copies;
	uint64_t li_ring_full;
	uint64_t li_no_mbuf;
	uint64_t drops[DROP_REASON_MAX];
	/* Worker timing (`set timing on`): RX -> TX per packet, and cycles per stage. */
	struct latency_hist latency;
	struct stage_cycles stages;
} __rte_cache_aligned;

/*
 * Sum of every block in stats[0..n), less base[0..n) (what a clear saw;
 * NULL: nothing). Readers never write the blocks: their lcores own them.
 */
void lcore_stats_sum(const struct lcore_stats *stats, const struct lcore_stats *base,
		     unsigned int n, struct lcore_stats *total);
/* Sum of all drop counters of one block. */
uint64_t lcore_stats_drops_total(const struct lcore_stats *s);

#endif /* SRTPFWD_LCORE_STATS_H */
