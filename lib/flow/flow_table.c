/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>

#include "flow_table.h"

struct flow_table {
	struct rte_hash *hash;
	bool has_rcu;
	/*
	 * Live keys. Not rte_hash_count(): with lock-free readers rte_hash keeps
	 * a deleted key's slot until it is freed (at once without RCU, after a
	 * grace period with it), and counts it until then.
	 */
	uint32_t count;
	struct flow_index index;
};

/*
 * rte_hash has vector compares for 16/32/48... byte keys only and falls
 * back to memcmp() for our 20 bytes: three loads and xors do it.
 */
static int
flow_key_cmp(const void *a, const void *b, size_t len)
{
	RTE_SET_USED(len);
	return !inet_endpoint_equal(a, b);
}

/*
 * CRC32 of the 20-byte key through copies: rte_hash_crc() loads 8-byte
 * words in place, and keys live wherever a parsed packet put them.
 */
static uint32_t
flow_key_hash(const void *key, uint32_t len, uint32_t init)
{
	uint64_t a, b;
	uint32_t c;

	RTE_SET_USED(len);
	RTE_BUILD_BUG_ON(sizeof(struct inet_endpoint) != 20);
	memcpy(&a, key, 8);
	memcpy(&b, (const uint8_t *)key + 8, 8);
	memcpy(&c, (const uint8_t *)key + 16, 4);
	init = rte_hash_crc_8byte(a, init);
	init = rte_hash_crc_8byte(b, init);
	return rte_hash_crc_4byte(c, init);
}

struct flow_table *
flow_table_create(const char *name, uint32_t entries, int socket, struct rte_rcu_qsbr *rcu)
{
	struct rte_hash_parameters params = {
		.name = name,
		.entries = entries,
		.key_len = sizeof(struct inet_endpoint),
		.hash_func = flow_key_hash,
		.socket_id = socket,
		/* Lock-free readers; the extendable table makes `entries` a guarantee. */
		.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF |
			      RTE_HASH_EXTRA_FLAGS_EXT_TABLE,
	};
	struct rte_hash_rcu_config rcu_cfg = {
		.v = rcu,
		.mode = RTE_HASH_QSBR_MODE_DQ,
	};
	struct flow_table *ft;

	if (entries < 8) {
		rte_errno = EINVAL;
		return NULL;
	}
	ft = rte_zmalloc_socket("flow_table", sizeof(*ft), 0, socket);
	if (ft == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	ft->hash = rte_hash_create(&params);
	if (ft->hash == NULL)
		goto fail;
	rte_hash_set_cmp_func(ft->hash, flow_key_cmp);
	if (rcu != NULL && rte_hash_rcu_qsbr_add(ft->hash, &rcu_cfg) != 0)
		goto fail;
	ft->has_rcu = rcu != NULL;
	return ft;
fail:
	rte_hash_free(ft->hash);
	rte_free(ft);
	if (rte_errno == 0)
		rte_errno = ENOMEM;
	return NULL;
}

void
flow_table_free(struct flow_table *ft)
{
	if (ft == NULL)
		return;
	for (unsigned int i = 0; i < FLOW_INDEX_SLOTS; i++)
		rte_free(ft->index.slot[i].legs);
	rte_hash_free(ft->hash);
	rte_free(ft);
}

int
flow_table_index_addr(struct flow_table *ft, const struct inet_addr *addr, uint16_t port_min,
		      uint16_t port_max)
{
	struct flow_index_slot *s;
	struct inet_endpoint key;
	uint64_t lo, hi;
	uint32_t n, h;

	if ((addr->family != INET_FAMILY_V4 && addr->family != INET_FAMILY_V6) ||
	    port_min > port_max)
		return -EINVAL;
	if (ft->count != 0)
		return -EBUSY;
	inet_endpoint_set(&key, addr, 0);
	if (flow_index_slot_of(&ft->index, &key) != NULL)
		return -EEXIST;
	/* At most half full: probe chains stay short and always end. */
	if (ft->index.n_addrs >= FLOW_INDEX_SLOTS / 2)
		return -ENOSPC;
	memcpy(&lo, key.addr, 8);
	memcpy(&hi, key.addr + 8, 8);
	for (h = flow_index_hash(lo, hi); ft->index.slot[h].family != 0;
	     h = (h + 1) & (FLOW_INDEX_SLOTS - 1))
		;
	s = &ft->index.slot[h];
	n = (uint32_t)port_max - port_min + 1;
	s->legs = rte_malloc("flow_index", sizeof(*s->legs) * n, RTE_CACHE_LINE_SIZE);
	if (s->legs == NULL)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++)
		s->legs[i] = FLOW_INDEX_NONE;
	memcpy(s->addr, key.addr, sizeof(s->addr));
	s->port_min = port_min;
	s->n_ports = n;
	/* Workers find the slot by its family: everything else first. */
	__atomic_store_n(&s->family, key.family, __ATOMIC_RELEASE);
	ft->index.n_addrs++;
	return 0;
}

const struct flow_index *
flow_table_index(const struct flow_table *ft)
{
	return &ft->index;
}

/* Control lcore: key's slot in the index, NULL when it is not indexed. */
static uint32_t *
index_entry(struct flow_table *ft, const struct inet_endpoint *key)
{
	return (uint32_t *)(uintptr_t)flow_index_entry(&ft->index, key);
}

int
flow_table_add(struct flow_table *ft, const struct inet_endpoint *local, uint32_t leg_id)
{
	uint32_t *entry;
	int ret;

	if (local->reserved != 0 ||
	    (local->family != INET_FAMILY_V4 && local->family != INET_FAMILY_V6))
		return -EINVAL;
	if (rte_hash_lookup(ft->hash, local) >= 0)
		return -EEXIST;
	entry = index_entry(ft, local);
	/* The index's two markers are no leg ids. */
	if (entry != NULL && leg_id >= FLOW_INDEX_MISS)
		return -EINVAL;
	ret = rte_hash_add_key_data(ft->hash, local, (void *)(uintptr_t)leg_id);
	if (ret != 0)
		return -ENOSPC;
	if (entry != NULL)
		__atomic_store_n(entry, leg_id, __ATOMIC_RELEASE);
	__atomic_store_n(&ft->count, ft->count + 1, __ATOMIC_RELAXED);
	return 0;
}

int
flow_table_del(struct flow_table *ft, const struct inet_endpoint *local)
{
	int32_t pos = rte_hash_del_key(ft->hash, local);
	uint32_t *entry;

	if (pos < 0)
		return -ENOENT;
	entry = index_entry(ft, local);
	if (entry != NULL)
		__atomic_store_n(entry, FLOW_INDEX_NONE, __ATOMIC_RELEASE);
	/*
	 * Lock-free mode never frees a slot on delete: the RCU defer queue does
	 * it after a grace period; without one the slot would leak, and a table
	 * that churns would fill for good.
	 */
	if (!ft->has_rcu)
		rte_hash_free_key_with_position(ft->hash, pos);
	__atomic_store_n(&ft->count, ft->count - 1, __ATOMIC_RELAXED);
	return 0;
}

int
flow_table_lookup(const struct flow_table *ft, const struct inet_endpoint *local,
		  uint32_t *leg_id)
{
	void *data;

	if (rte_hash_lookup_data(ft->hash, local, &data) < 0)
		return -ENOENT;
	*leg_id = (uint32_t)(uintptr_t)data;
	return 0;
}

uint64_t
flow_table_lookup_bulk(const struct flow_table *ft, const struct inet_endpoint **keys,
		       uint32_t n, uint32_t *leg_ids)
{
	void *data[FLOW_LOOKUP_BULK_MAX];
	uint64_t hits = 0;
	uint32_t i;

	if (n == 0)
		return 0;
	/* The hit mask has 64 bits: callers cut longer bursts. */
	if (n > FLOW_LOOKUP_BULK_MAX)
		n = FLOW_LOOKUP_BULK_MAX;
	rte_hash_lookup_bulk_data(ft->hash, (const void **)keys, n, &hits, data);
	for (i = 0; i < n; i++)
		leg_ids[i] = (uint32_t)(uintptr_t)data[i];
	return hits;
}

uint32_t
flow_table_count(const struct flow_table *ft)
{
	return __atomic_load_n(&ft->count, __ATOMIC_RELAXED);
}
