/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_NEIGH_TABLE_H
#define SRTPFWD_NEIGH_TABLE_H

/*
 * Next-hop MAC addresses learned by ARP / IPv6 ND or configured statically.
 *
 * Only next hops the box needs have an entry: static ones and those a path
 * pins (neigh_hold: a leg's remote, given or latched, or its gateway; a
 * DTLS handshake's peer while it has a path). An entry nobody pins any
 * more goes: at once while unresolved, after an idle time once resolved
 * (a cache for the next latch), or earlier when a pinned one needs its
 * slot. So sources that never authenticate cannot fill the table.
 *
 * The control lcore is the only writer. Entries are never moved, and one
 * is freed (its slot reused) only when no path pins it; paths that workers
 * read release their pin after an RCU grace period, so a worker may keep
 * the pointer a path holds and read its MAC with one atomic load.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>

#include "../net/inet_addr.h"

#define NEIGH_MAC_VALID (1ULL << 63)

enum neigh_state {
	NEIGH_INCOMPLETE = 0,	/* probing, no MAC yet */
	NEIGH_REACHABLE,	/* answered */
	NEIGH_STALE,		/* had a MAC, stopped answering refreshes */
	NEIGH_STATIC,		/* from the config, never probed */
	NEIGH_FAILED,		/* never answered its probes: given up, retried rarely */
};

struct neigh_entry {
	uint64_t mac_word;	/* MAC in bits 0..47, NEIGH_MAC_VALID; atomic */
	struct inet_addr ip;
	uint16_t iface;
	uint8_t state;		/* enum neigh_state */
	uint8_t probes;		/* unanswered requests in a row */
	uint32_t refs;		/* pins (neigh_hold); 0: unused by any path */
	uint8_t in_use;		/* 0: a free slot */
	uint64_t next_probe_tsc;
	uint64_t updated_tsc;	/* created, or last answer */
	uint64_t idle_tsc;	/* when refs dropped to 0 */
};

/* What became of entries; control lcore's. */
struct neigh_stats {
	uint64_t created;
	uint64_t expired;	/* unpinned and idle, or unpinned and never resolved */
	uint64_t evicted;	/* unpinned, its slot taken for a pinned one */
	uint64_t failed;	/* probes all unanswered */
	uint64_t table_full;	/* a pin refused: every entry pinned */
};

struct neigh_table;

/* Any lcore: the entry's MAC, false while unresolved. */
static inline bool
neigh_entry_mac(const struct neigh_entry *n, struct rte_ether_addr *mac)
{
	uint64_t w = __atomic_load_n(&n->mac_word, __ATOMIC_ACQUIRE);

	if (!(w & NEIGH_MAC_VALID))
		return false;
	/* Byte i of the MAC is bits 8i..8i+7: the word's little-endian bytes. */
	w = rte_cpu_to_le_64(w);
	memcpy(mac->addr_bytes, &w, RTE_ETHER_ADDR_LEN);
	return true;
}

struct neigh_table *neigh_table_create(uint32_t max_entries, int socket);
void neigh_table_free(struct neigh_table *t);

/* Control lcore. The entry for (iface, ip) or NULL. */
struct neigh_entry *neigh_find(struct neigh_table *t, uint16_t iface, const struct inet_addr *ip);
/*
 * Control lcore. Pin the entry for (iface, ip), creating it INCOMPLETE
 * (*created) when there is none, if need be in the slot of the least
 * recently idle unpinned entry. NULL (counted) when every entry is pinned.
 */
struct neigh_entry *neigh_hold(struct neigh_table *t, uint16_t iface, const struct inet_addr *ip,
			       bool *created);
/*
 * Control lcore. Drop one pin. The last one frees an unresolved entry at
 * once; a resolved one stays until neigh_expire() or a slot is needed.
 * Workers must no longer be able to read n through the pin's path.
 */
void neigh_release(struct neigh_table *t, struct neigh_entry *n, uint64_t now_tsc);
/* Control lcore. Install a static entry (pinned for good). 0, -ENOSPC. */
int neigh_add_static(struct neigh_table *t, uint16_t iface, const struct inet_addr *ip,
		     const struct rte_ether_addr *mac);
/*
 * Control lcore. An ARP/NA told us ip is at mac: update an existing dynamic
 * entry (unsolicited answers never create entries: no table filling from
 * the internet). Returns true when an entry was updated.
 */
bool neigh_learn(struct neigh_table *t, uint16_t iface, const struct inet_addr *ip,
		 const struct rte_ether_addr *mac, uint64_t now_tsc);
/*
 * Control lcore. Free n if nobody pins it (counted as expired; a static or
 * pinned entry stays). True when it went.
 */
bool neigh_expire(struct neigh_table *t, struct neigh_entry *n);
/* Control lcore. Probes of n all went unanswered (counted). */
void neigh_failed(struct neigh_table *t, struct neigh_entry *n);

/* Entries in use; slots (in use or free) for walking with neigh_at. */
uint32_t neigh_count(const struct neigh_table *t);
uint32_t neigh_slots(const struct neigh_table *t);
/* The entry in slot i, NULL when the slot is free or past the end. */
struct neigh_entry *neigh_at(struct neigh_table *t, uint32_t i);
void neigh_table_stats(const struct neigh_table *t, struct neigh_stats *out);

const char *neigh_state_name(enum neigh_state s);

#endif /* SRTPFWD_NEIGH_TABLE_H */
