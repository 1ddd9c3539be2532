/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_RATE_BUCKET_H
#define SRTPFWD_RATE_BUCKET_H

/*
 * A token bucket of one lcore (no atomics) and the rate it refills at:
 * the slow path's budgets (lib/fwd/punt_budget.h), the STUN error limits
 * and a leg's budget of strangers' checks (lib/fwd/fwd_ice.c). The TSC is
 * the caller's, so that a burst reads it once and tests can choose it.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>

struct rate_bucket {
	uint64_t last_tsc;	/* when it was last refilled */
	uint32_t tokens;
	uint32_t reserved;
};

struct rate_limit {
	uint64_t tsc_per_token;
	uint32_t burst;
};

/*
 * Is a token there? An empty bucket is refilled from the time passed (the
 * division only once the cheap compare says a token is due); the caller
 * takes the token (tokens--) when it goes ahead.
 */
static inline bool
rate_bucket_has(struct rate_bucket *k, const struct rate_limit *r, uint64_t now)
{
	uint64_t earned;

	if (likely(k->tokens != 0))
		return true;
	if (now - k->last_tsc < r->tsc_per_token)
		return false;
	earned = (now - k->last_tsc) / r->tsc_per_token;
	k->tokens = (uint32_t)RTE_MIN(earned, (uint64_t)r->burst);
	k->last_tsc = now;
	return true;
}

#endif /* SRTPFWD_RATE_BUCKET_H */
