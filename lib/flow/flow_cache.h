/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_FLOW_CACHE_H
#define SRTPFWD_FLOW_CACHE_H

/*
 * A worker's exact-match cache in front of the flow table (the idea of
 * OVS-DPDK's EMC): a direct-mapped array of leg ids indexed by a cheap hash
 * of the flow key. A hit is confirmed against the leg's own local endpoint,
 * which the control lcore never changes while the leg is in use, so a stale
 * or colliding slot only costs a flow-table lookup, never a wrong leg.
 * Written and read by one worker only.
 */

#include <stdint.h>
#include <string.h>

#include <rte_hash_crc.h>

#include "../net/inet_addr.h"

#define FLOW_CACHE_BITS 12
#define FLOW_CACHE_SLOTS (1u << FLOW_CACHE_BITS)	/* 32 KiB: stays in L1/L2 */
#define FLOW_CACHE_EMPTY UINT32_MAX

/*
 * The signature tells most collisions apart without touching the leg:
 * with many more flows than slots, confirming against the leg's memory
 * would cost a cache miss per packet.
 */
struct flow_cache_entry {
	uint32_t leg;
	uint32_t sig;
};

struct flow_cache {
	struct flow_cache_entry e[FLOW_CACHE_SLOTS];
};

static inline void
flow_cache_init(struct flow_cache *fc)
{
	for (unsigned int i = 0; i < FLOW_CACHE_SLOTS; i++) {
		fc->e[i].leg = FLOW_CACHE_EMPTY;
		fc->e[i].sig = 0;
	}
}

/*
 * A 32-bit hash of the key (CRC32 of its words); its top bits pick the
 * slot, the whole of it is the signature.
 */
static inline uint32_t
flow_cache_hash(const struct inet_endpoint *k)
{
	uint64_t a, b;
	uint32_t c;

	memcpy(&a, k, 8);
	memcpy(&b, (const uint8_t *)k + 8, 8);
	memcpy(&c, (const uint8_t *)k + 16, 4);
	return rte_hash_crc_4byte(c, rte_hash_crc_8byte(b, rte_hash_crc_8byte(a, 0)));
}

static inline uint32_t
flow_cache_slot(uint32_t hash)
{
	return hash >> (32 - FLOW_CACHE_BITS);
}

#endif /* SRTPFWD_FLOW_CACHE_H */
