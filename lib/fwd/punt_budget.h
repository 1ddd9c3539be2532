/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_PUNT_BUDGET_H
#define SRTPFWD_PUNT_BUDGET_H

/*
 * How much a worker may hand to the control lcore: a token bucket per punt
 * class (ARP/ND, DTLS, latch and the rest) and, per class, a fixed array of
 * buckets hashed by source. A flood of one class cannot take another's
 * budget, and a flood from one source cannot take its class's: a punt needs
 * a token from both. Each class has a punt ring of its own (fwd_worker.h),
 * so no class can fill the ring another one needs; a class's burst is at
 * most half its ring, so a full burst still fits while the control lcore
 * sleeps (1 ms at most, control_loop.c).
 *
 * Sources collide in the hashed array (they then share a bucket); the
 * hash is seeded per worker at random, so a sender cannot choose whose
 * bucket it drains. Nothing is allocated per packet. Worker-private.
 */

#include <stdint.h>
#include <string.h>

#include <rte_common.h>
#include <rte_hash_crc.h>

#include "../stats/drop_reason.h"
#include "../stats/rate_bucket.h"

enum punt_class {
	PUNT_CLASS_ARP_ND = 0,	/* ARP, neighbour solicitations and advertisements */
	PUNT_CLASS_DTLS,	/* DTLS records of legs the box terminates */
	PUNT_CLASS_OTHER,	/* a learning leg's packets until it is latched, latch requests */
	PUNT_CLASS_MAX,
};

#define PUNT_SOURCE_BUCKETS 1024	/* per class, power of two */
/*
 * A source's burst is at least one RX burst (FWD_BURST_MAX): a learning
 * leg's first packets, all punted until the latch is published, reach the
 * control lcore whole; its rate is what bounds a flooding source.
 */
#define PUNT_SOURCE_BURST_MIN 64

struct punt_budget {
	struct rate_limit rate[PUNT_CLASS_MAX];
	struct rate_limit source_rate;
	uint32_t seed;
	struct rate_bucket class_bucket[PUNT_CLASS_MAX];
	struct rate_bucket source[PUNT_CLASS_MAX][PUNT_SOURCE_BUCKETS];
};

struct punt_budget_conf {
	uint32_t rate[PUNT_CLASS_MAX];	/* punts per second of each class */
	uint32_t source_rate;		/* punts per second of one source in one class */
	uint32_t ring_capacity;		/* of each class's ring; 0: no ring (no cap) */
	uint64_t tsc_hz;
	uint32_t seed;			/* of the source hash */
};

/* Defaults (per worker) when the configuration gives none. */
#define PUNT_RATE_ARP_ND_DEFAULT 2000
#define PUNT_RATE_DTLS_DEFAULT 5000
#define PUNT_RATE_OTHER_DEFAULT 10000
#define PUNT_RATE_SOURCE_DEFAULT 100

void punt_budget_init(struct punt_budget *b, const struct punt_budget_conf *c);

/* Name of a class, for messages: "arp_nd", "dtls", "other". */
const char *punt_class_name(enum punt_class c);

/* The bucket of a source: key is its address (and port), or a MAC for ARP/ND. */
static inline uint32_t
punt_source_hash(const struct punt_budget *b, const void *key, uint32_t len)
{
	/* rte_hash_crc() reads 8 bytes at a time: an aligned copy (keys are 20 bytes at most). */
	uint64_t k[3] = { 0, 0, 0 };

	len = RTE_MIN(len, (uint32_t)sizeof(k));
	memcpy(k, key, len);
	return rte_hash_crc(k, len, b->seed) & (PUNT_SOURCE_BUCKETS - 1);
}

/*
 * May a packet of class cls from the source in bucket src go to the
 * control lcore now? DROP_NONE (both tokens taken) or the drop reason:
 * the class's rate, or the source's.
 */
static inline enum drop_reason
punt_budget_take(struct punt_budget *b, enum punt_class cls, uint32_t src, uint64_t now)
{
	static const enum drop_reason class_drop[PUNT_CLASS_MAX] = {
		[PUNT_CLASS_ARP_ND] = DROP_PUNT_RATE_ARP_ND,
		[PUNT_CLASS_DTLS] = DROP_PUNT_RATE_DTLS,
		[PUNT_CLASS_OTHER] = DROP_PUNT_RATE_OTHER,
	};
	struct rate_bucket *s = &b->source[cls][src & (PUNT_SOURCE_BUCKETS - 1)];
	struct rate_bucket *c = &b->class_bucket[cls];

	if (!rate_bucket_has(s, &b->source_rate, now))
		return DROP_PUNT_RATE_SOURCE;
	if (!rate_bucket_has(c, &b->rate[cls], now))
		return class_drop[cls];
	s->tokens--;
	c->tokens--;
	return DROP_NONE;
}

#endif /* SRTPFWD_PUNT_BUDGET_H */
