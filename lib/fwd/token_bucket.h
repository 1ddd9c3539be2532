/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_TOKEN_BUCKET_H
#define SRTPFWD_TOKEN_BUCKET_H

/*
 * A token bucket of one lcore (no atomics): rate tokens a second, at most
 * burst at once. The TSC is read only when the bucket is empty.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_cycles.h>

struct token_bucket {
	uint64_t tokens;
	uint64_t burst;
	uint64_t last_tsc;
	uint64_t tsc_per_token;
};

static inline void
token_bucket_init(struct token_bucket *b, uint32_t rate, uint32_t burst)
{
	b->tsc_per_token = rte_get_tsc_hz() / (rate ? rate : 1);
	if (b->tsc_per_token == 0)
		b->tsc_per_token = 1;
	b->burst = burst ? burst : 1;
	b->tokens = b->burst;
	b->last_tsc = rte_get_tsc_cycles();
}

static inline bool
token_bucket_take(struct token_bucket *b)
{
	if (b->tokens == 0) {
		uint64_t now = rte_get_tsc_cycles();
		uint64_t earned = (now - b->last_tsc) / b->tsc_per_token;

		if (earned == 0)
			return false;
		b->tokens = RTE_MIN(earned, b->burst);
		b->last_tsc = now;
	}
	b->tokens--;
	return true;
}

#endif /* SRTPFWD_TOKEN_BUCKET_H */
