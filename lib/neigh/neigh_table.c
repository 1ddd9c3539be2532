/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>

#include "neigh_table.h"

struct neigh_key {
	uint8_t addr[16];
	uint8_t family;
	uint8_t pad;
	uint16_t iface;
};

struct neigh_table {
	struct rte_hash *index;		/* neigh_key -> position in entries */
	uint32_t count;
	uint32_t max;
	struct neigh_entry entries[];
};

static void
key_of(struct neigh_key *k, uint16_t iface, const struct inet_addr *ip)
{
	memset(k, 0, sizeof(*k));
	memcpy(k->addr, ip->bytes, sizeof(k->addr));
	k->family = ip->family;
	k->iface = iface;
}

static uint64_t
mac_to_word(const struct rte_ether_addr *mac)
{
	uint64_t w = 0;

	for (int i = 0; i < RTE_ETHER_ADDR_LEN; i++)
		w |= (uint64_t)mac->addr_bytes[i] << (8 * i);
	return w | NEIGH_MAC_VALID;
}

struct neigh_table *
neigh_table_create(uint32_t max_entries, int socket)
{
	static unsigned int instance;
	char name[RTE_HASH_NAMESIZE];
	struct rte_hash_parameters params = {
		.entries = max_entries < 8 ? 8 : max_entries,
		.key_len = sizeof(struct neigh_key),
		.hash_func = rte_hash_crc,
		.socket_id = socket,
	};
	struct neigh_table *t;

	t = rte_zmalloc_socket("neigh_table",
			       sizeof(*t) + sizeof(struct neigh_entry) * max_entries,
			       RTE_CACHE_LINE_SIZE, socket);
	if (t == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	snprintf(name, sizeof(name), "neigh_%u", instance++);
	params.name = name;
	t->index = rte_hash_create(&params);
	if (t->index == NULL) {
		rte_free(t);
		return NULL;
	}
	t->max = max_entries;
	return t;
}

void
neigh_table_free(struct neigh_table *t)
{
	if (t == NULL)
		return;
	rte_hash_free(t->index);
	rte_free(t);
}

struct neigh_entry *
neigh_find(struct neigh_table *t, uint16_t iface, const struct inet_addr *ip)
{
	struct neigh_key k;
	void *pos;

	key_of(&k, iface, ip);
	if (rte_hash_lookup_data(t->index, &k, &pos) < 0)
		return NULL;
	return &t->entries[(uintptr_t)pos];
}

struct neigh_entry *
neigh_get(struct neigh_table *t, uint16_t iface, const struct inet_addr *ip, bool *created)
{
	struct neigh_entry *n = neigh_find(t, iface, ip);
	struct neigh_key k;

	*created = false;
	if (n != NULL)
		return n;
	if (t->count == t->max)
		return NULL;
	key_of(&k, iface, ip);
	if (rte_hash_add_key_data(t->index, &k, (void *)(uintptr_t)t->count) != 0)
		return NULL;
	n = &t->entries[t->count++];
	memset(n, 0, sizeof(*n));
	n->ip = *ip;
	n->iface = iface;
	n->state = NEIGH_INCOMPLETE;
	*created = true;
	return n;
}

int
neigh_add_static(struct neigh_table *t, uint16_t iface, const struct inet_addr *ip,
		 const struct rte_ether_addr *mac)
{
	bool created;
	struct neigh_entry *n = neigh_get(t, iface, ip, &created);

	if (n == NULL)
		return -ENOSPC;
	n->state = NEIGH_STATIC;
	n->updated_tsc = rte_get_tsc_cycles();
	__atomic_store_n(&n->mac_word, mac_to_word(mac), __ATOMIC_RELEASE);
	return 0;
}

bool
neigh_learn(struct neigh_table *t, uint16_t iface, const struct inet_addr *ip,
	    const struct rte_ether_addr *mac, uint64_t now_tsc)
{
	struct neigh_entry *n = neigh_find(t, iface, ip);

	if (n == NULL || n->state == NEIGH_STATIC)
		return false;
	n->state = NEIGH_REACHABLE;
	n->probes = 0;
	n->updated_tsc = now_tsc;
	__atomic_store_n(&n->mac_word, mac_to_word(mac), __ATOMIC_RELEASE);
	return true;
}

uint32_t
neigh_count(const struct neigh_table *t)
{
	return t->count;
}

struct neigh_entry *
neigh_at(struct neigh_table *t, uint32_t i)
{
	return i < t->count ? &t->entries[i] : NULL;
}

const char *
neigh_state_name(enum neigh_state s)
{
	switch (s) {
	case NEIGH_INCOMPLETE:
		return "incomplete";
	case NEIGH_REACHABLE:
		return "reachable";
	case NEIGH_STALE:
		return "stale";
	case NEIGH_STATIC:
		return "static";
	}
	return "invalid";
}
