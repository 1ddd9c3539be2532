/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_NEIGH_TABLE_H
#define SRTPFWD_NEIGH_TABLE_H

/*
 * Next-hop MAC addresses learned by ARP / IPv6 ND or configured statically.
 *
 * The control lcore is the only writer. Entries are never moved or freed
 * while the table lives, so a worker may keep a pointer to one (a leg's
 * path does) and read its MAC with one atomic load.
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
};

struct neigh_entry {
	uint64_t mac_word;	/* MAC in bits 0..47, NEIGH_MAC_VALID; atomic */
	struct inet_addr ip;
	uint16_t iface;
	uint8_t state;		/* enum neigh_state */
	uint8_t probes;		/* unanswered requests in a row */
	uint64_t next_probe_tsc;
	uint64_t updated_tsc;
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
 * Control lcore. Find or create an INCOMPLETE entry; *created tells which.
 * NULL when the table is full.
 */
struct neigh_entry *neigh_get(struct neigh_table *t, uint16_t iface, const struct inet_addr *ip,
			      bool *created);
/* Control lcore. Install a static entry. 0, -ENOSPC. */
int neigh_add_static(struct neigh_table *t, uint16_t iface, const struct inet_addr *ip,
		     const struct rte_ether_addr *mac);
/*
 * Control lcore. An ARP/NA told us ip is at mac: update an existing dynamic
 * entry (unsolicited answers never create entries: no table filling from
 * the internet). Returns true when an entry was updated.
 */
bool neigh_learn(struct neigh_table *t, uint16_t iface, const struct inet_addr *ip,
		 const struct rte_ether_addr *mac, uint64_t now_tsc);

/* Entries in creation order, for timers and the console. */
uint32_t neigh_count(const struct neigh_table *t);
struct neigh_entry *neigh_at(struct neigh_table *t, uint32_t i);

const char *neigh_state_name(enum neigh_state s);

#endif /* SRTPFWD_NEIGH_TABLE_H */
