/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_DROP_H
#define SRTPFWD_DROP_H

/*
 * The one way a packet is dropped, on workers and the control lcore alike:
 * the lcore's counter of the reason, the leg's slot of it when the reason
 * is per leg (drop_reason.h, third column) and the leg is known, then the
 * mbuf is freed. Per-leg counters are per lcore too (struct leg_lcore, an
 * array indexed by leg id that only its lcore writes): a spoofing flood
 * spread over every queue costs each worker its own cache line, never a
 * shared atomic. Readers sum the lcores.
 */

#include <stdint.h>

#include <rte_mbuf.h>

#include "../net/inet_addr.h"
#include "drop_reason.h"
#include "lcore_stats.h"

#define DROP_NO_LEG UINT32_MAX

/* What one lcore keeps of one leg; written by that lcore only. */
struct leg_lcore {
	uint64_t drops[LEG_DROP_MAX];
	/*
	 * Worker (fwd_worker.h): its handoff sequence number of the last packet
	 * of this leg it handed to the leg's home worker.
	 */
	uint64_t last_handoff;
	/*
	 * The leg's home worker, before the leg is latched: the source whose
	 * packet authenticated first (the latch asked for), valid while
	 * prelatch_epoch is the leg's epoch.
	 */
	struct inet_endpoint prelatch_src;
	uint32_t prelatch_epoch;
};

struct drop_counters {
	struct lcore_stats *lcore;	/* the lcore's own block */
	struct leg_lcore *legs;		/* the lcore's per-leg array; NULL: not counted per leg */
};

static inline void
drop_count(const struct drop_counters *dc, uint32_t leg_id, enum drop_reason r)
{
	enum leg_drop slot = drop_reason_leg_slot(r);

	dc->lcore->drops[r]++;
	if (slot != LEG_DROP_NONE && leg_id != DROP_NO_LEG && dc->legs != NULL)
		dc->legs[leg_id].drops[slot]++;
}

static inline void
drop_pkt(const struct drop_counters *dc, struct rte_mbuf *m, uint32_t leg_id, enum drop_reason r)
{
	drop_count(dc, leg_id, r);
	rte_pktmbuf_free(m);
}

#endif /* SRTPFWD_DROP_H */
