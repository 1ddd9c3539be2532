/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Readers of a leg's counters. Each counter has one writer (the worker that
 * owns the leg's 5-tuple, the control lcore for its own fields, or each
 * lcore for its per-leg drop block); readers add them up and subtract the
 * baseline taken when the leg was made or cleared.
 */
#include <string.h>

#include "session_priv.h"

/* sum += now - base, counter by counter. */
static void
traffic_add_since(struct leg_traffic *sum, const struct leg_traffic *now,
		  const struct leg_traffic *base)
{
	sum->rx_pkts += now->rx_pkts - base->rx_pkts;
	sum->rx_bytes += now->rx_bytes - base->rx_bytes;
	sum->fwd_pkts += now->fwd_pkts - base->fwd_pkts;
	sum->fwd_bytes += now->fwd_bytes - base->fwd_bytes;
	for (unsigned int c = 0; c < PKT_CLASS_MAX; c++)
		sum->class_pkts[c] += now->class_pkts[c] - base->class_pkts[c];
}

/* The counters as they are now, not rebased. */
static void
leg_stats_raw(const struct session_table *st, uint32_t leg_id, struct leg_baseline *raw)
{
	const struct leg *leg = &st->legs[leg_id];

	/* Aligned 64-bit loads: a value a few packets old, never a torn one. */
	raw->counters = leg->counters;
	memset(raw->drops, 0, sizeof(raw->drops));
	for (uint16_t l = 0; l < RTE_MAX(st->p.n_lcores, 1u); l++) {
		const struct leg_lcore *ll = &st->leg_lcore[(size_t)l * st->max_legs + leg_id];

		for (unsigned int d = 0; d < LEG_DROP_MAX; d++)
			raw->drops[d] += ll->drops[d];
	}
}

void
leg_stats_rebase(struct session_table *st, uint32_t leg_id)
{
	leg_stats_raw(st, leg_id, &st->baseline[leg_id]);
}

void
session_leg_stats(const struct session_table *st, uint32_t leg_id, struct leg_stats *out)
{
	const struct leg_baseline *base;
	struct leg_baseline raw;

	memset(out, 0, sizeof(*out));
	if (leg_id >= st->max_legs)
		return;
	base = &st->baseline[leg_id];
	leg_stats_raw(st, leg_id, &raw);
	/* The workers' and the control lcore's, each since the baseline. */
	traffic_add_since(&out->traffic, &raw.counters.fast, &base->counters.fast);
	traffic_add_since(&out->traffic, &raw.counters.slow, &base->counters.slow);
	for (unsigned int d = 0; d < LEG_DROP_MAX; d++)
		out->drops[d] = raw.drops[d] - base->drops[d];
}

void
session_clear_counters(struct session_table *st)
{
	for (uint32_t i = 0; i < st->max_legs; i++)
		if (st->legs[i].in_use)
			leg_stats_rebase(st, i);
}

struct leg_lcore *
session_table_leg_lcore(const struct session_table *st, uint16_t lcore)
{
	if (lcore >= RTE_MAX(st->p.n_lcores, 1u))
		return NULL;
	return &st->leg_lcore[(size_t)lcore * st->max_legs];
}
