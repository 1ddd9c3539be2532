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

#include "../net/inet_addr.h"

#define FLOW_CACHE_BITS 12
#define FLOW_CACHE_SLOTS (1u << FLOW_CACHE_BITS)	/* 16 KiB: stays in L1/L2 */
#define FLOW_CACHE_EMPTY UINT32_MAX

struct flow_cache {
	uint32_t leg[FLOW_CACHE_SLOTS];
};

static inline void
flow_cache_init(struct flow_cache *fc)
{
	for (unsigned int i = 0; i < FLOW_CACHE_SLOTS; i++)
		fc->leg[i] = FLOW_CACHE_EMPTY;
}

/* Slot of a key: the port and the address' last 32 bits, multiplicatively mixed. */
static inline uint32_t
flow_cache_slot(const struct inet_endpoint *k)
{
	uint32_t a;

	memcpy(&a, k->addr + (k->family == INET_FAMILY_V4 ? 0 : 12), sizeof(a));
	return ((a ^ ((uint32_t)k->port << 16 | k->port)) * 0x9e3779b1u) >> (32 - FLOW_CACHE_BITS);
}

#endif /* SRTPFWD_FLOW_CACHE_H */
