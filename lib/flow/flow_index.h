/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_FLOW_INDEX_H
#define SRTPFWD_FLOW_INDEX_H

/*
 * The flow table's direct index: for each of the box's own addresses, an
 * array over its interface's media port range holding the leg id of every
 * flow (local address, local port) in it. A media relay's flow key is its
 * own endpoint, so the port is a perfect index: a worker's lookup is one
 * load, with no hash to compute, no bucket to search and no key to compare,
 * and one cache line holds the legs of sixteen neighbouring ports.
 *
 * The control lcore registers the addresses before the workers start and
 * is the only writer of the arrays (a 32-bit store each, release); workers
 * read them without locks. A leg id read here may belong to a leg being
 * deleted: its in_use flag says so, and its memory stays valid until every
 * worker has passed a quiescent state (RCU), as for the hash table.
 *
 * Keys outside every registered range (another address, a port outside the
 * media range) are answered "not indexed": the caller asks the hash table.
 */

#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_hash_crc.h>

#include "../net/inet_addr.h"

#define FLOW_INDEX_SLOTS 256		/* addresses at most (power of two), 8 KiB */
#define FLOW_INDEX_NONE UINT32_MAX	/* indexed, no flow */
#define FLOW_INDEX_MISS (UINT32_MAX - 1) /* not indexed: ask the hash table */

struct flow_index_slot {
	uint8_t addr[16];
	uint8_t family;			/* 0: empty slot */
	uint8_t reserved;
	uint16_t port_min;		/* host order */
	uint32_t n_ports;
	uint32_t *legs;			/* n_ports leg ids, FLOW_INDEX_NONE when free */
};

struct flow_index {
	uint32_t n_addrs;
	struct flow_index_slot slot[FLOW_INDEX_SLOTS];
};

/* The slot an address hashes to: one CRC of its two halves folded. */
static inline uint32_t
flow_index_hash(uint64_t lo, uint64_t hi)
{
	return rte_hash_crc_8byte(lo ^ (hi >> 1), 0) & (FLOW_INDEX_SLOTS - 1);
}

/* The slot of key's address, NULL when it is not registered. */
static inline const struct flow_index_slot *
flow_index_slot_of(const struct flow_index *fi, const struct inet_endpoint *key)
{
	uint64_t lo, hi;
	uint32_t h;

	memcpy(&lo, key->addr, 8);
	memcpy(&hi, key->addr + 8, 8);
	h = flow_index_hash(lo, hi);
	/* Linear probing; registration keeps the table at most half full. */
	for (;;) {
		const struct flow_index_slot *s = &fi->slot[h];
		uint64_t slo, shi;

		if (s->family == 0)
			return NULL;
		memcpy(&slo, s->addr, 8);
		memcpy(&shi, s->addr + 8, 8);
		if (((slo ^ lo) | (shi ^ hi)) == 0 && s->family == key->family)
			return s;
		h = (h + 1) & (FLOW_INDEX_SLOTS - 1);
	}
}

/* Any lcore: where key's leg id is kept, NULL when key is not indexed. */
static inline const uint32_t *
flow_index_entry(const struct flow_index *fi, const struct inet_endpoint *key)
{
	const struct flow_index_slot *s = flow_index_slot_of(fi, key);
	uint32_t i;

	if (s == NULL)
		return NULL;
	i = (uint32_t)rte_be_to_cpu_16(key->port) - s->port_min;
	return i < s->n_ports ? &s->legs[i] : NULL;
}

/* Any lcore: the leg id of key, FLOW_INDEX_NONE, or FLOW_INDEX_MISS. */
static inline uint32_t
flow_index_lookup(const struct flow_index *fi, const struct inet_endpoint *key)
{
	const uint32_t *e = flow_index_entry(fi, key);

	return e == NULL ? FLOW_INDEX_MISS : __atomic_load_n(e, __ATOMIC_ACQUIRE);
}

#endif /* SRTPFWD_FLOW_INDEX_H */
