/* SPDX-License-Identifier: BSD-3-Clause */
#include <stddef.h>

#include "latency_hist.h"

uint64_t
latency_bucket_low(unsigned int b)
{
	unsigned int g;

	if (b < LATENCY_SUB)
		return b;
	g = b / LATENCY_SUB;
	return (uint64_t)(LATENCY_SUB + b % LATENCY_SUB) << (g - 1u);
}

uint64_t
latency_bucket_high(unsigned int b)
{
	if (b < LATENCY_SUB)
		return b;
	if (b >= LATENCY_BUCKETS - 1u)
		return UINT64_MAX;
	return latency_bucket_low(b + 1u) - 1u;
}

uint64_t
latency_hist_total(const struct latency_hist *h)
{
	uint64_t n = 0;

	for (unsigned int b = 0; b < LATENCY_BUCKETS; b++)
		n += h->count[b];
	return n;
}

uint64_t
latency_hist_quantile(const struct latency_hist *h, double q)
{
	uint64_t total = latency_hist_total(h), rank, seen = 0;

	if (total == 0 || !(q > 0.0))
		return 0;
	rank = total;
	if (q < 1.0) {
		double r = q * (double)total;

		rank = (uint64_t)r;
		if ((double)rank < r)
			rank++;		/* the ceiling: no libm */
	}
	for (unsigned int b = 0; b < LATENCY_BUCKETS; b++) {
		seen += h->count[b];
		if (seen >= rank)
			return latency_bucket_high(b);
	}
	return latency_bucket_high(LATENCY_BUCKETS - 1u);
}

void
latency_hist_accumulate(struct latency_hist *total, const struct latency_hist *h,
			const struct latency_hist *base)
{
	for (unsigned int b = 0; b < LATENCY_BUCKETS; b++)
		total->count[b] += h->count[b] - (base != NULL ? base->count[b] : 0);
}
