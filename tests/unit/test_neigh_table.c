/* SPDX-License-Identifier: BSD-3-Clause */
/* neigh_table: entries, static immunity, learning only what we asked for. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "neigh/neigh_table.h"
#include "test_eal.h"
#include "test_inet.h"

static const struct rte_ether_addr mac1 = { { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 } };
static const struct rte_ether_addr mac2 = { { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee } };

static void
assert_mac(const struct neigh_entry *n, const struct rte_ether_addr *want)
{
	struct rte_ether_addr m;

	memset(&m, 0, sizeof(m));
	assert_true(neigh_entry_mac(n, &m));
	assert_memory_equal(m.addr_bytes, want->addr_bytes, 6);
}

static void
test_get_find(void **state)
{
	struct neigh_table *t = neigh_table_create(16, SOCKET_ID_ANY);
	struct inet_addr a = test_addr("198.18.0.1"), b = test_addr("2001:2::1");
	struct neigh_entry *n, *n2;
	struct rte_ether_addr m;
	bool created;

	(void)state;
	assert_non_null(t);
	assert_null(neigh_find(t, 0, &a));
	n = neigh_get(t, 0, &a, &created);
	assert_non_null(n);
	assert_true(created);
	assert_int_equal(n->state, NEIGH_INCOMPLETE);
	assert_int_equal(n->iface, 0);
	assert_true(inet_addr_equal(&n->ip, &a));
	assert_false(neigh_entry_mac(n, &m));
	assert_int_equal(n->mac_word, 0);
	/* Found again, not created again. */
	created = true;
	assert_ptr_equal(neigh_get(t, 0, &a, &created), n);
	assert_false(created);
	assert_ptr_equal(neigh_find(t, 0, &a), n);
	/* Another interface or family is another entry. */
	n2 = neigh_get(t, 1, &a, &created);
	assert_true(created);
	assert_ptr_not_equal(n2, n);
	assert_int_equal(n2->iface, 1);
	assert_null(neigh_find(t, 2, &a));
	assert_null(neigh_find(t, 0, &b));
	assert_non_null(neigh_get(t, 0, &b, &created));
	assert_true(created);
	/* Creation order. */
	assert_int_equal(neigh_count(t), 3);
	assert_ptr_equal(neigh_at(t, 0), n);
	assert_ptr_equal(neigh_at(t, 1), n2);
	assert_ptr_equal(neigh_at(t, 2), neigh_find(t, 0, &b));
	assert_null(neigh_at(t, 3));
	neigh_table_free(t);
	neigh_table_free(NULL);
}

static void
test_full(void **state)
{
	struct neigh_table *t = neigh_table_create(3, SOCKET_ID_ANY);
	struct inet_addr a;
	bool created;

	(void)state;
	assert_non_null(t);
	for (int i = 0; i < 3; i++) {
		a = test_addr("198.18.0.1");
		a.bytes[3] = (uint8_t)(i + 1);
		assert_non_null(neigh_get(t, 0, &a, &created));
		assert_true(created);
	}
	a.bytes[3] = 9;
	created = true;
	assert_null(neigh_get(t, 0, &a, &created));
	assert_false(created);
	assert_int_equal(neigh_add_static(t, 0, &a, &mac1), -ENOSPC);
	assert_int_equal(neigh_count(t), 3);
	/* Existing entries are still found and may still turn static. */
	a.bytes[3] = 2;
	assert_non_null(neigh_get(t, 0, &a, &created));
	assert_false(created);
	assert_int_equal(neigh_add_static(t, 0, &a, &mac1), 0);
	assert_int_equal(neigh_find(t, 0, &a)->state, NEIGH_STATIC);
	neigh_table_free(t);
}

static void
test_static_immune(void **state)
{
	struct neigh_table *t = neigh_table_create(8, SOCKET_ID_ANY);
	struct inet_addr a = test_addr("2001:2::fe");
	struct neigh_entry *n;

	(void)state;
	assert_int_equal(neigh_add_static(t, 3, &a, &mac1), 0);
	n = neigh_find(t, 3, &a);
	assert_non_null(n);
	assert_int_equal(n->state, NEIGH_STATIC);
	assert_true(n->mac_word & NEIGH_MAC_VALID);
	assert_mac(n, &mac1);
	assert_false(neigh_learn(t, 3, &a, &mac2, 1234));
	assert_int_equal(n->state, NEIGH_STATIC);
	assert_mac(n, &mac1);
	assert_int_not_equal(n->updated_tsc, 1234);
	neigh_table_free(t);
}

static void
test_learn(void **state)
{
	struct neigh_table *t = neigh_table_create(8, SOCKET_ID_ANY);
	struct inet_addr a = test_addr("198.18.0.254"), other = test_addr("198.18.0.253");
	struct neigh_entry *n;
	bool created;

	(void)state;
	/* Unsolicited: no entry, nothing learned, nothing created. */
	assert_false(neigh_learn(t, 0, &a, &mac1, 10));
	assert_int_equal(neigh_count(t), 0);
	assert_null(neigh_find(t, 0, &a));
	n = neigh_get(t, 0, &a, &created);
	n->probes = 3;
	/* Another interface's entry is not this one. */
	assert_false(neigh_learn(t, 1, &a, &mac1, 10));
	assert_false(neigh_learn(t, 0, &other, &mac1, 10));
	assert_int_equal(n->state, NEIGH_INCOMPLETE);
	assert_true(neigh_learn(t, 0, &a, &mac1, 10));
	assert_int_equal(n->state, NEIGH_REACHABLE);
	assert_int_equal(n->probes, 0);
	assert_int_equal(n->updated_tsc, 10);
	assert_mac(n, &mac1);
	/* The MAC word: bytes in bits 0..47, the valid bit on top. */
	assert_int_equal(n->mac_word, NEIGH_MAC_VALID | 0x554433221102ULL);
	/* A stale entry learns again, with a new MAC. */
	n->state = NEIGH_STALE;
	assert_true(neigh_learn(t, 0, &a, &mac2, 20));
	assert_int_equal(n->state, NEIGH_REACHABLE);
	assert_mac(n, &mac2);
	assert_int_equal(neigh_count(t), 1);
	neigh_table_free(t);
}

static void
test_entry_mac_valid_bit(void **state)
{
	struct neigh_entry n;
	struct rte_ether_addr m = { { 0 } };

	(void)state;
	memset(&n, 0, sizeof(n));
	n.mac_word = 0x0000ffffffffffffULL;	/* bytes without the valid bit */
	assert_false(neigh_entry_mac(&n, &m));
	assert_true(rte_is_zero_ether_addr(&m));
	n.mac_word |= NEIGH_MAC_VALID;
	assert_true(neigh_entry_mac(&n, &m));
	assert_true(rte_is_broadcast_ether_addr(&m));
	n.mac_word = NEIGH_MAC_VALID;	/* valid, all zero */
	assert_true(neigh_entry_mac(&n, &m));
	assert_true(rte_is_zero_ether_addr(&m));
}

static void
test_state_names(void **state)
{
	(void)state;
	assert_string_equal(neigh_state_name(NEIGH_INCOMPLETE), "incomplete");
	assert_string_equal(neigh_state_name(NEIGH_REACHABLE), "reachable");
	assert_string_equal(neigh_state_name(NEIGH_STALE), "stale");
	assert_string_equal(neigh_state_name(NEIGH_STATIC), "static");
	assert_string_equal(neigh_state_name((enum neigh_state)9), "invalid");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get_find),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_static_immune),
		cmocka_unit_test(test_learn),
		cmocka_unit_test(test_entry_mac_valid_bit),
		cmocka_unit_test(test_state_names),
	};

	return cmocka_run_group_tests(tests, test_eal_setup, test_eal_teardown);
}
