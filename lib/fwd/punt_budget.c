/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "punt_budget.h"

/* A tenth of a second's worth at once, at least min, at most cap (0: none). */
static void
rate_init(struct rate_limit *r, uint32_t per_s, uint64_t hz, uint32_t min, uint32_t cap)
{
	uint32_t burst = RTE_MAX(per_s / 10, min);

	if (per_s == 0)
		per_s = 1;
	r->tsc_per_token = hz / per_s != 0 ? hz / per_s : 1;
	if (cap != 0 && burst > cap)
		burst = cap;
	r->burst = burst;
}

void
punt_budget_init(struct punt_budget *b, const struct punt_budget_conf *c)
{
	uint32_t cap = c->ring_capacity / 2 != 0 ? c->ring_capacity / 2 : c->ring_capacity;

	/* Zero buckets are full ones: their first take refills them to the burst. */
	memset(b, 0, sizeof(*b));
	for (int i = 0; i < PUNT_CLASS_MAX; i++)
		rate_init(&b->rate[i], c->rate[i], c->tsc_hz, 1, cap);
	rate_init(&b->source_rate, c->source_rate, c->tsc_hz, PUNT_SOURCE_BURST_MIN, cap);
	b->seed = c->seed;
}

const char *
punt_class_name(enum punt_class c)
{
	switch (c) {
	case PUNT_CLASS_ARP_ND:
		return "arp_nd";
	case PUNT_CLASS_DTLS:
		return "dtls";
	case PUNT_CLASS_OTHER:
		return "other";
	case PUNT_CLASS_MAX:
		break;
	}
	return "invalid";
}
