/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "lcore_stats.h"

void
lcore_stats_sum(const struct lcore_stats *stats, unsigned int n, struct lcore_stats *total)
{
	unsigned int i, r;

	memset(total, 0, sizeof(*total));
	for (i = 0; i < n; i++) {
		const struct lcore_stats *s = &stats[i];

		total->rx_pkts += s->rx_pkts;
		total->rx_bytes += s->rx_bytes;
		total->tx_pkts += s->tx_pkts;
		total->tx_bytes += s->tx_bytes;
		total->punted += s->punted;
		total->latched += s->latched;
		total->polls += s->polls;
		total->busy_polls += s->busy_polls;
		for (r = 0; r < DROP_REASON_MAX; r++)
			total->drops[r] += s->drops[r];
	}
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
