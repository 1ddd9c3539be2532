/* SPDX-License-Identifier: BSD-3-Clause */
/* flow_table: rte_hash under EAL, with and without an RCU QSBR variable. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>

#include "flow/flow_table.h"
#include "test_eal.h"
#include "test_inet.h"

static struct inet_endpoint
ep(const char *s)
{
	struct inet_endpoint e;

	assert_int_equal(inet_endpoint_parse(s, &e), 0);
	return e;
}

static struct inet_endpoint
ep_n(uint32_t i)
{
	char s[64];

	snprintf(s, sizeof(s), "198.18.%u.%u:%u", (i >> 8) & 0xff, i & 0xff, 20000 + i);
	return ep(s);
}

static struct flow_table *
create(uint32_t entries, struct rte_rcu_qsbr *rcu)
{
	static unsigned int n;
	char name[32];
	struct flow_table *ft;

	snprintf(name, sizeof(name), "ft_%u", n++);
	ft = flow_table_create(name, entries, SOCKET_ID_ANY, rcu);
	assert_non_null(ft);
	return ft;
}

static void
test_add_lookup_del(void **state)
{
	struct flow_table *ft = create(64, NULL);
	struct inet_endpoint a = ep("198.18.0.1:20000"), b = ep("[2001:2::1]:20000");
	uint32_t id;

	(void)state;
	assert_int_equal(flow_table_count(ft), 0);
	assert_int_equal(flow_table_lookup(ft, &a, &id), -ENOENT);
	assert_int_equal(flow_table_add(ft, &a, 7), 0);
	assert_int_equal(flow_table_add(ft, &a, 8), -EEXIST);
	id = 0;
	assert_int_equal(flow_table_lookup(ft, &a, &id), 0);
	assert_int_equal(id, 7);	/* the duplicate did not overwrite */
	assert_int_equal(flow_table_lookup(ft, &b, &id), -ENOENT);
	assert_int_equal(flow_table_add(ft, &b, 0xfffffffe), 0);
	assert_int_equal(flow_table_lookup(ft, &b, &id), 0);
	assert_int_equal(id, 0xfffffffe);
	assert_int_equal(flow_table_count(ft), 2);
	assert_int_equal(flow_table_del(ft, &a), 0);
	assert_int_equal(flow_table_del(ft, &a), -ENOENT);
	assert_int_equal(flow_table_lookup(ft, &a, &id), -ENOENT);
	assert_int_equal(flow_table_lookup(ft, &b, &id), 0);
	assert_int_equal(flow_table_count(ft), 1);
	flow_table_free(ft);
	flow_table_free(NULL);
}

static void
test_invalid(void **state)
{
	struct flow_table *ft = create(8, NULL);
	struct inet_endpoint e = ep("198.18.0.1:1");

	(void)state;
	e.reserved = 1;
	assert_int_equal(flow_table_add(ft, &e, 1), -EINVAL);
	e.reserved = 0;
	e.family = 0;
	assert_int_equal(flow_table_add(ft, &e, 1), -EINVAL);
	assert_int_equal(flow_table_count(ft), 0);
	flow_table_free(ft);
	rte_errno = 0;
	assert_null(flow_table_create("ft_small", 7, SOCKET_ID_ANY, NULL));
	assert_int_equal(rte_errno, EINVAL);
}

/* Same bytes and port, different family or port: different keys. */
static void
test_keys_distinct(void **state)
{
	struct flow_table *ft = create(64, NULL);
	struct inet_endpoint v4 = ep("198.18.0.1:5000"), v6 = v4, v4p = ep("198.18.0.1:5001");
	struct inet_endpoint v6real = ep("[2001:2::1]:5000");
	uint32_t id;

	(void)state;
	v6.family = INET_FAMILY_V6;	/* c612:1:: with the same port */
	assert_int_equal(flow_table_add(ft, &v4, 1), 0);
	assert_int_equal(flow_table_add(ft, &v6, 2), 0);
	assert_int_equal(flow_table_add(ft, &v4p, 3), 0);
	assert_int_equal(flow_table_add(ft, &v6real, 4), 0);
	assert_int_equal(flow_table_lookup(ft, &v4, &id), 0);
	assert_int_equal(id, 1);
	assert_int_equal(flow_table_lookup(ft, &v6, &id), 0);
	assert_int_equal(id, 2);
	assert_int_equal(flow_table_lookup(ft, &v4p, &id), 0);
	assert_int_equal(id, 3);
	assert_int_equal(flow_table_lookup(ft, &v6real, &id), 0);
	assert_int_equal(id, 4);
	flow_table_free(ft);
}

static void
test_lookup_bulk(void **state)
{
	struct flow_table *ft = create(256, NULL);
	struct inet_endpoint keys[FLOW_LOOKUP_BULK_MAX];
	const struct inet_endpoint *kp[FLOW_LOOKUP_BULK_MAX];
	uint32_t ids[FLOW_LOOKUP_BULK_MAX];
	uint64_t want = 0, hits;

	(void)state;
	for (uint32_t i = 0; i < FLOW_LOOKUP_BULK_MAX; i++) {
		keys[i] = ep_n(i);
		kp[i] = &keys[i];
		/* A mixed pattern: multiples of 3 and bit 63. */
		if (i % 3 == 0 || i == 63) {
			assert_int_equal(flow_table_add(ft, &keys[i], 1000 + i), 0);
			want |= 1ULL << i;
		}
	}
	memset(ids, 0xff, sizeof(ids));
	hits = flow_table_lookup_bulk(ft, kp, FLOW_LOOKUP_BULK_MAX, ids);
	assert_int_equal(hits, want);
	for (uint32_t i = 0; i < FLOW_LOOKUP_BULK_MAX; i++)
		if (want & (1ULL << i))
			assert_int_equal(ids[i], 1000 + i);
	/* Fewer keys, shifted: bit i follows keys[i]. */
	hits = flow_table_lookup_bulk(ft, kp + 1, 6, ids);
	assert_int_equal(hits, (1ULL << 2) | (1ULL << 5));	/* keys 3 and 6 */
	assert_int_equal(ids[2], 1003);
	assert_int_equal(flow_table_lookup_bulk(ft, kp, 0, ids), 0);
	hits = flow_table_lookup_bulk(ft, kp + 63, 1, ids);
	assert_int_equal(hits, 1);
	assert_int_equal(ids[0], 1063);
	flow_table_free(ft);
}

static void
test_capacity(void **state)
{
	struct flow_table *ft = create(64, NULL);
	struct inet_endpoint e;
	uint32_t id;

	(void)state;
	for (uint32_t i = 0; i < 64; i++) {
		e = ep_n(i);
		assert_int_equal(flow_table_add(ft, &e, i), 0);
	}
	assert_int_equal(flow_table_count(ft), 64);
	e = ep_n(64);
	assert_int_equal(flow_table_add(ft, &e, 64), -ENOSPC);
	for (uint32_t i = 0; i < 64; i++) {
		e = ep_n(i);
		assert_int_equal(flow_table_lookup(ft, &e, &id), 0);
		assert_int_equal(id, i);
	}
	flow_table_free(ft);
}

/* Without an RCU variable a deleted slot can be used again at once. */
static void
test_readd_without_rcu(void **state)
{
	struct flow_table *ft = create(16, NULL);
	struct inet_endpoint e;
	uint32_t id;

	(void)state;
	for (uint32_t round = 0; round < 4; round++) {
		for (uint32_t i = 0; i < 16; i++) {
			e = ep_n(round * 16 + i);
			assert_int_equal(flow_table_add(ft, &e, i), 0);
		}
		for (uint32_t i = 0; i < 16; i++) {
			e = ep_n(round * 16 + i);
			assert_int_equal(flow_table_del(ft, &e), 0);
		}
		assert_int_equal(flow_table_count(ft), 0);
	}
	e = ep_n(1000);
	assert_int_equal(flow_table_add(ft, &e, 5), 0);
	assert_int_equal(flow_table_lookup(ft, &e, &id), 0);
	assert_int_equal(id, 5);
	flow_table_free(ft);
}

/* With RCU a deleted slot returns only after the reader reported quiescent. */
static void
test_readd_with_rcu(void **state)
{
	size_t sz = rte_rcu_qsbr_get_memsize(1);
	struct rte_rcu_qsbr *v = rte_zmalloc("unit_rcu", sz, RTE_CACHE_LINE_SIZE);
	struct flow_table *ft;
	struct inet_endpoint e, fresh = ep("[2001:2::9]:40000");
	uint32_t id;

	(void)state;
	assert_non_null(v);
	assert_int_equal(rte_rcu_qsbr_init(v, 1), 0);
	assert_int_equal(rte_rcu_qsbr_thread_register(v, 0), 0);
	rte_rcu_qsbr_thread_online(v, 0);
	ft = create(16, v);
	for (uint32_t i = 0; i < 16; i++) {
		e = ep_n(i);
		assert_int_equal(flow_table_add(ft, &e, i), 0);
	}
	assert_int_equal(flow_table_add(ft, &fresh, 99), -ENOSPC);
	e = ep_n(3);
	assert_int_equal(flow_table_del(ft, &e), 0);
	assert_int_equal(flow_table_lookup(ft, &e, &id), -ENOENT);
	assert_int_equal(flow_table_count(ft), 15);
	/* The reader has not passed a quiescent state: the slot is still held. */
	assert_int_equal(flow_table_add(ft, &fresh, 99), -ENOSPC);
	rte_rcu_qsbr_quiescent(v, 0);
	assert_int_equal(flow_table_add(ft, &fresh, 99), 0);
	assert_int_equal(flow_table_lookup(ft, &fresh, &id), 0);
	assert_int_equal(id, 99);
	/* The deleted key itself comes back the same way. */
	assert_int_equal(flow_table_del(ft, &fresh), 0);
	rte_rcu_qsbr_quiescent(v, 0);
	assert_int_equal(flow_table_add(ft, &e, 33), 0);
	assert_int_equal(flow_table_lookup(ft, &e, &id), 0);
	assert_int_equal(id, 33);
	assert_int_equal(flow_table_count(ft), 16);
	flow_table_free(ft);
	rte_rcu_qsbr_thread_offline(v, 0);
	rte_free(v);
}

/*
 * The direct index: flows of an indexed address inside its port range are
 * found there (and only their leg id), ports outside it and other addresses
 * are "not indexed"; adds and deletes keep index and hash the same.
 */
static void
test_index(void **state)
{
	struct flow_table *ft = create(256, NULL);
	const struct flow_index *fi = flow_table_index(ft);
	struct inet_addr a4 = test_addr("198.18.0.1"), a6 = test_addr("2001:2::1");
	struct inet_endpoint in = ep("198.18.0.1:20000"), last = ep("198.18.0.1:20099");
	struct inet_endpoint below = ep("198.18.0.1:19999"), above = ep("198.18.0.1:20100");
	struct inet_endpoint other = ep("198.18.0.2:20000"), v6 = ep("[2001:2::1]:20050");
	struct inet_endpoint v4_bytes_v6 = in, next = ep("198.18.0.1:20001");
	struct inet_addr unindexed = test_addr("198.18.0.3");
	uint32_t id;

	(void)state;
	assert_int_equal(flow_table_index_addr(ft, &a4, 20000, 20099), 0);
	assert_int_equal(flow_table_index_addr(ft, &a4, 30000, 30099), -EEXIST);
	assert_int_equal(flow_table_index_addr(ft, &a6, 20000, 20099), 0);
	assert_int_equal(flow_table_index_addr(ft, &a6, 2, 1), -EINVAL);

	assert_int_equal(flow_index_lookup(fi, &in), FLOW_INDEX_NONE);
	assert_int_equal(flow_index_lookup(fi, &below), FLOW_INDEX_MISS);
	assert_int_equal(flow_index_lookup(fi, &above), FLOW_INDEX_MISS);
	assert_int_equal(flow_index_lookup(fi, &other), FLOW_INDEX_MISS);
	/* Same bytes, other family: not the indexed v4 address. */
	v4_bytes_v6.family = INET_FAMILY_V6;
	assert_int_equal(flow_index_lookup(fi, &v4_bytes_v6), FLOW_INDEX_MISS);

	assert_int_equal(flow_table_add(ft, &in, 7), 0);
	assert_int_equal(flow_table_add(ft, &last, 8), 0);
	assert_int_equal(flow_table_add(ft, &above, 9), 0);
	assert_int_equal(flow_table_add(ft, &v6, 10), 0);
	/* The index's markers are no leg ids where the index keeps them. */
	assert_int_equal(flow_table_add(ft, &below, FLOW_INDEX_MISS), 0);
	assert_int_equal(flow_table_add(ft, &next, FLOW_INDEX_NONE), -EINVAL);
	assert_int_equal(flow_index_lookup(fi, &in), 7);
	assert_int_equal(flow_index_lookup(fi, &last), 8);
	assert_int_equal(flow_index_lookup(fi, &above), FLOW_INDEX_MISS);
	assert_int_equal(flow_index_lookup(fi, &v6), 10);
	assert_int_equal(flow_table_lookup(ft, &above, &id), 0);
	assert_int_equal(id, 9);
	assert_int_equal(flow_table_lookup(ft, &in, &id), 0);
	assert_int_equal(id, 7);

	/* No index changes once flows exist. */
	assert_int_equal(flow_table_index_addr(ft, &unindexed, 1, 2), -EBUSY);

	assert_int_equal(flow_table_del(ft, &in), 0);
	assert_int_equal(flow_index_lookup(fi, &in), FLOW_INDEX_NONE);
	assert_int_equal(flow_table_lookup(ft, &in, &id), -ENOENT);
	assert_int_equal(flow_index_lookup(fi, &last), 8);
	assert_int_equal(flow_table_count(ft), 4);
	flow_table_free(ft);
}

/* More addresses than the index takes: the rest is left to the hash. */
static void
test_index_full(void **state)
{
	struct flow_table *ft = create(64, NULL);
	struct inet_addr a;
	char s[32];
	unsigned int i;
	int ret = 0;

	(void)state;
	for (i = 0; i < FLOW_INDEX_SLOTS; i++) {
		snprintf(s, sizeof(s), "198.18.%u.%u", i / 200, i % 200 + 1);
		a = test_addr(s);
		ret = flow_table_index_addr(ft, &a, 1024, 1024);
		if (ret != 0)
			break;
	}
	assert_int_equal(ret, -ENOSPC);
	assert_int_equal(i, FLOW_INDEX_SLOTS / 2);
	/* Every indexed address is still found: probe chains end. */
	for (i = 0; i < FLOW_INDEX_SLOTS / 2; i++) {
		struct inet_endpoint e;

		snprintf(s, sizeof(s), "198.18.%u.%u:1024", i / 200, i % 200 + 1);
		e = ep(s);
		assert_int_equal(flow_index_lookup(flow_table_index(ft), &e), FLOW_INDEX_NONE);
	}
	flow_table_free(ft);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_lookup_del),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_keys_distinct),
		cmocka_unit_test(test_lookup_bulk),
		cmocka_unit_test(test_capacity),
		cmocka_unit_test(test_readd_without_rcu),
		cmocka_unit_test(test_readd_with_rcu),
		cmocka_unit_test(test_index),
		cmocka_unit_test(test_index_full),
	};

	return cmocka_run_group_tests(tests, test_eal_setup, test_eal_teardown);
}
