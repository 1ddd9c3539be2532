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
	uint32_t count;			/* in use */
	uint32_t slots;			/* ever used: entries[0..slots) */
	uint32_t max;
	uint32_t n_free;		/* free[0..n_free): slots below `slots` to reuse */
	uint32_t *free;
	struct neigh_stats stats;
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
	t->free = rte_malloc_socket("neigh_free", sizeof(uint32_t) * (max_entries + 1), 0, socket);
	if (t->index == NULL || t->free == NULL) {
		neigh_table_free(t);
		rte_errno = ENOMEM;
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
	rte_free(t->free);
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

/* Give n's slot back: nobody pins it, no worker can reach it. */
static void
entry_free(struct neigh_table *t, struct neigh_entry *n)
{
	struct neigh_key k;

	key_of(&k, n->iface, &n->ip);
	rte_hash_del_key(t->index, &k);
	__atomic_store_n(&n->mac_word, 0, __ATOMIC_RELEASE);
	n->in_use = 0;
	t->free[t->n_free++] = (uint32_t)(n - t->entries);
	t->count--;
}

/*
 * The unpinned entry that has been idle longest (a resolved one: the last
 * pin of an unresolved entry frees it), NULL when every entry is pinned.
 * A walk over the table, paid only when it is full.
 */
static struct neigh_entry *
evictable(struct neigh_table *t)
{
	struct neigh_entry *best = NULL;

	for (uint32_t i = 0; i < t->slots; i++) {
		struct neigh_entry *n = &t->entries[i];

		if (n->in_use && n->refs == 0 && n->state != NEIGH_STATIC &&
		    (best == NULL || n->idle_tsc < best->idle_tsc))
			best = n;
	}
	return best;
}

/* A free slot: never used, given back, or taken from an unpinned entry. */
static struct neigh_entry *
entry_slot(struct neigh_table *t)
{
	struct neigh_entry *victim;

	if (t->n_free != 0)
		return &t->entries[t->free[--t->n_free]];
	if (t->slots < t->max)
		return &t->entries[t->slots++];
	victim = evictable(t);
	if (victim == NULL)
		return NULL;
	t->stats.evicted++;
	entry_free(t, victim);
	return &t->entries[t->free[--t->n_free]];
}

struct neigh_entry *
neigh_hold(struct neigh_table *t, uint16_t iface, const struct inet_addr *ip, bool *created)
{
	struct neigh_entry *n = neigh_find(t, iface, ip);
	struct neigh_key k;

	*created = false;
	if (n != NULL) {
		n->refs++;
		return n;
	}
	n = entry_slot(t);
	if (n == NULL) {
		t->stats.table_full++;
		return NULL;
	}
	key_of(&k, iface, ip);
	if (rte_hash_add_key_data(t->index, &k, (void *)(uintptr_t)(n - t->entries)) != 0) {
		t->free[t->n_free++] = (uint32_t)(n - t->entries);
		t->stats.table_full++;
		return NULL;
	}
	memset(n, 0, sizeof(*n));
	n->ip = *ip;
	n->iface = iface;
	n->state = NEIGH_INCOMPLETE;
	n->refs = 1;
	n->in_use = 1;
	n->updated_tsc = rte_get_tsc_cycles();
	t->count++;
	t->stats.created++;
	*created = true;
	return n;
}

void
neigh_release(struct neigh_table *t, struct neigh_entry *n, uint64_t now_tsc)
{
	if (n == NULL || !n->in_use || n->refs == 0)
		return;
	if (--n->refs != 0)
		return;
	n->idle_tsc = now_tsc;
	if (n->state == NEIGH_INCOMPLETE || n->state == NEIGH_FAILED)
		neigh_expire(t, n);
}

bool
neigh_expire(struct neigh_table *t, struct neigh_entry *n)
{
	if (!n->in_use || n->refs != 0 || n->state == NEIGH_STATIC)
		return false;
	t->stats.expired++;
	entry_free(t, n);
	return true;
}

void
neigh_failed(struct neigh_table *t, struct neigh_entry *n)
{
	t->stats.failed++;
	n->state = NEIGH_FAILED;
}

int
neigh_add_static(struct neigh_table *t, uint16_t iface, const struct inet_addr *ip,
		 const struct rte_ether_addr *mac)
{
	bool created;
	struct neigh_entry *n = neigh_find(t, iface, ip);

	/* A second line for the same neighbour must not pin it twice. */
	if (n == NULL)
		n = neigh_hold(t, iface, ip, &created);
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

uint32_t
neigh_slots(const struct neigh_table *t)
{
	return t->slots;
}

struct neigh_entry *
neigh_at(struct neigh_table *t, uint32_t i)
{
	return i < t->slots && t->entries[i].in_use ? &t->entries[i] : NULL;
}

void
neigh_table_stats(const struct neigh_table *t, struct neigh_stats *out)
{
	*out = t->stats;
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
	case NEIGH_FAILED:
		return "failed";
	}
	return "invalid";
}
