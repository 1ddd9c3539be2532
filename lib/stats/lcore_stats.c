/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "lcore_stats.h"

/* total += s - base (base NULL: zero). Aligned 64-bit loads: a value a few packets old. */
static void
accumulate(struct lcore_stats *total, const struct lcore_stats *s, const struct lcore_stats *base)
{
	static const struct lcore_stats zero;

	if (base == NULL)
		base = &zero;
	total->rx_pkts += s->rx_pkts - base->rx_pkts;
	total->rx_bytes += s->rx_bytes - base->rx_bytes;
	total->tx_pkts += s->tx_pkts - base->tx_pkts;
	total->tx_bytes += s->tx_bytes - base->tx_bytes;
	total->punted += s->punted - base->punted;
	total->handed_off += s->handed_off - base->handed_off;
	total->latched += s->latched - base->latched;
	total->stun_answered += s->stun_answered - base->stun_answered;
	total->stun_errors += s->stun_errors - base->stun_errors;
	total->stun_errors_limited += s->stun_errors_limited - base->stun_errors_limited;
	total->polls += s->polls - base->polls;
	total->busy_polls += s->busy_polls - base->busy_polls;
	total->media_pkts += s->media_pkts - base->media_pkts;
	total->li_copies += s->li_copies - base->li_copies;
	total->li_ring_full += s->li_ring_full - base->li_ring_full;
	total->li_no_mbuf += s->li_no_mbuf - base->li_no_mbuf;
	for (unsigned int r = 0; r < DROP_REASON_MAX; r++)
		total->drops[r] += s->drops[r] - base->drops[r];
	latency_hist_accumulate(&total->latency, &s->latency, &base->latency);
	stage_cycles_accumulate(&total->stages, &s->stages, &base->stages);
}

void
lcore_stats_sum(const struct lcore_stats *stats, const struct lcore_stats *base, unsigned int n,
		struct lcore_stats *total)
{
	memset(total, 0, sizeof(*total));
	for (unsigned int i = 0; i < n; i++)
		accumulate(total, &stats[i], base != NULL ? &base[i] : NULL);
}

uint64_t
lcore_stats_drops_total(const struct lcore_stats *s)
{
	uint64_t sum = 0;
	unsigned int r;

	for (r = 0; r < DROP_REASON_MAX; r++)
		sum += s->drops[r];
	return sum;
}
