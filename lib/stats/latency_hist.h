/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_LATENCY_HIST_H
#define SRTPFWD_LATENCY_HIST_H

/*
 * A log-bucketed histogram of durations in TSC cycles, written by one
 * lcore with plain adds (no allocation, no lock): four buckets per power of
 * two (a value's bucket is its highest bit and the two bits below it), so
 * a bucket is at most 25 % wide and 160 of them reach 2^40 cycles (minutes).
 * Readers sum the blocks like the other lcore counters and turn buckets
 * into nanoseconds with the TSC rate only when they print.
 */

#include <stdint.h>

#define LATENCY_SUB_BITS 2
#define LATENCY_SUB (1u << LATENCY_SUB_BITS)
#define LATENCY_BUCKETS 160

struct latency_hist {
	uint64_t count[LATENCY_BUCKETS];
};

/* The bucket of a duration of c cycles. */
static inline unsigned int
latency_bucket(uint64_t c)
{
	unsigned int msb, b;

	if (c < LATENCY_SUB)
		return (unsigned int)c;
	msb = 63u - (unsigned int)__builtin_clzll(c);
	b = (msb - LATENCY_SUB_BITS + 1u) * LATENCY_SUB +
	    (unsigned int)((c >> (msb - LATENCY_SUB_BITS)) & (LATENCY_SUB - 1u));
	return b < LATENCY_BUCKETS ? b : LATENCY_BUCKETS - 1u;
}

/* n packets that took c cycles each. */
static inline void
latency_hist_add(struct latency_hist *h, uint64_t c, uint32_t n)
{
	h->count[latency_bucket(c)] += n;
}

/* The smallest and the largest duration bucket b holds (cycles). */
uint64_t latency_bucket_low(unsigned int b);
uint64_t latency_bucket_high(unsigned int b);

/* Durations recorded. */
uint64_t latency_hist_total(const struct latency_hist *h);

/*
 * The q-quantile (0 < q <= 1) in cycles: the upper bound of the bucket
 * where the q * total-th duration lies (a value at most 25 % above the
 * true one), 0 when the histogram is empty.
 */
uint64_t latency_hist_quantile(const struct latency_hist *h, double q);

/* total += h - base (base NULL: nothing). */
void latency_hist_accumulate(struct latency_hist *total, const struct latency_hist *h,
			     const struct latency_hist *base);

#endif /* SRTPFWD_LATENCY_HIST_H */
