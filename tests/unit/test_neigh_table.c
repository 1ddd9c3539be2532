/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * neigh_table: entries, static immunity, learning only what we asked for;
 * pins, expiry and eviction of what nobody needs; the resolver giving up
 * on next hops that never answer.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "neigh/neigh_resolver.h"
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
	n = neigh_hold(t, 0, &a, &created);
	assert_non_null(n);
	assert_true(created);
	assert_int_equal(n->state, NEIGH_INCOMPLETE);
	assert_int_equal(n->iface, 0);
	assert_true(inet_addr_equal(&n->ip, &a));
	assert_false(neigh_entry_mac(n, &m));
	assert_int_equal(n->mac_word, 0);
	assert_int_equal(n->refs, 1);
	/* Found again, not created again: pinned twice. */
	created = true;
	assert_ptr_equal(neigh_hold(t, 0, &a, &created), n);
	assert_false(created);
	assert_int_equal(n->refs, 2);
	assert_ptr_equal(neigh_find(t, 0, &a), n);
	/* Another interface or family is another entry. */
	n2 = neigh_hold(t, 1, &a, &created);
	assert_true(created);
	assert_ptr_not_equal(n2, n);
	assert_int_equal(n2->iface, 1);
	assert_null(neigh_find(t, 2, &a));
	assert_null(neigh_find(t, 0, &b));
	assert_non_null(neigh_hold(t, 0, &b, &created));
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
	struct neigh_stats st;
	struct inet_addr a;
	bool created;

	(void)state;
	assert_non_null(t);
	for (int i = 0; i < 3; i++) {
		a = test_addr("198.18.0.1");
		a.bytes[3] = (uint8_t)(i + 1);
		assert_non_null(neigh_hold(t, 0, &a, &created));
		assert_true(created);
	}
	a.bytes[3] = 9;
	created = true;
	assert_null(neigh_hold(t, 0, &a, &created));
	assert_false(created);
	assert_int_equal(neigh_add_static(t, 0, &a, &mac1), -ENOSPC);
	assert_int_equal(neigh_count(t), 3);
	neigh_table_stats(t, &st);
	assert_int_equal(st.table_full, 2);
	assert_int_equal(st.evicted, 0);
	/* Existing entries are still found and may still turn static. */
	a.bytes[3] = 2;
	assert_non_null(neigh_hold(t, 0, &a, &created));
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
	n = neigh_hold(t, 0, &a, &created);
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

/* The last pin of an unresolved entry frees it; a resolved one stays, unpinned, until expired. */
static void
test_release(void **state)
{
	struct neigh_table *t = neigh_table_create(4, SOCKET_ID_ANY);
	struct inet_addr a = test_addr("2001:2::10"), b = test_addr("2001:2::11");
	struct neigh_entry *n, *m;
	struct neigh_stats st;
	bool created;

	(void)state;
	n = neigh_hold(t, 0, &a, &created);
	assert_ptr_equal(neigh_hold(t, 0, &a, &created), n);
	neigh_release(t, n, 100);
	assert_ptr_equal(neigh_find(t, 0, &a), n);	/* still pinned once */
	neigh_release(t, n, 100);
	assert_null(neigh_find(t, 0, &a));
	assert_int_equal(neigh_count(t), 0);
	assert_null(neigh_at(t, 0));
	neigh_release(t, n, 100);			/* a free slot: nothing happens */
	assert_int_equal(neigh_count(t), 0);
	/* The slot is reused, not a new one taken. */
	m = neigh_hold(t, 0, &b, &created);
	assert_ptr_equal(m, n);
	assert_int_equal(neigh_slots(t), 1);
	assert_true(neigh_learn(t, 0, &b, &mac1, 200));
	neigh_release(t, m, 300);
	assert_ptr_equal(neigh_find(t, 0, &b), m);	/* resolved: kept as a cache */
	assert_int_equal(m->refs, 0);
	assert_int_equal(m->idle_tsc, 300);
	/* Pinned again by the next path, then expired once unpinned. */
	assert_ptr_equal(neigh_hold(t, 0, &b, &created), m);
	assert_false(created);
	assert_false(neigh_expire(t, m));
	neigh_release(t, m, 400);
	assert_true(neigh_expire(t, m));
	assert_null(neigh_find(t, 0, &b));
	neigh_table_stats(t, &st);
	assert_int_equal(st.created, 2);
	assert_int_equal(st.expired, 2);
	neigh_table_free(t);
}

/* Full of pinned entries: refused. Unpinned ones give their slot, longest idle first. */
static void
test_evict(void **state)
{
	struct neigh_table *t = neigh_table_create(3, SOCKET_ID_ANY);
	struct neigh_entry *e[3], *n;
	struct inet_addr a = test_addr("198.18.0.1");
	struct neigh_stats st;
	bool created;

	(void)state;
	for (int i = 0; i < 3; i++) {
		a.bytes[3] = (uint8_t)(10 + i);
		e[i] = neigh_hold(t, 0, &a, &created);
		assert_true(neigh_learn(t, 0, &a, &mac1, 1));
	}
	a.bytes[3] = 99;
	assert_null(neigh_hold(t, 0, &a, &created));
	neigh_release(t, e[2], 50);
	neigh_release(t, e[1], 40);
	n = neigh_hold(t, 0, &a, &created);
	assert_ptr_equal(n, e[1]);			/* idle since 40: the oldest */
	assert_true(created);
	assert_int_equal(n->state, NEIGH_INCOMPLETE);
	assert_false(neigh_entry_mac(n, &(struct rte_ether_addr){ { 0 } }));
	a.bytes[3] = 12;
	assert_ptr_equal(neigh_find(t, 0, &a), e[2]);
	a.bytes[3] = 11;
	assert_null(neigh_find(t, 0, &a));
	neigh_table_stats(t, &st);
	assert_int_equal(st.evicted, 1);
	assert_int_equal(st.table_full, 1);
	neigh_table_free(t);
}

static unsigned int probes_sent;

static int
count_tx(void *arg, uint16_t port, struct rte_mbuf *m)
{
	(void)arg;
	(void)port;
	probes_sent++;
	rte_pktmbuf_free(m);
	return 0;
}

static struct iface test_ifc = {
	.name = "access",
	.n_addrs = 1,
	.addrs = { { .addr = { .bytes = { 0x20, 0x01, 0, 2, [15] = 1 }, .family = 6 }, .len = 64 } },
};

/* Run the resolver's timer every 10 ms of TSC time for seconds; probes sent meanwhile. */
static unsigned int
run_timer(struct neigh_resolver *r, uint64_t *now, unsigned int seconds)
{
	unsigned int before = probes_sent;

	for (unsigned int i = 0; i < seconds * 100; i++) {
		*now += rte_get_tsc_hz() / 100;
		neigh_resolver_timer(r, *now);
	}
	return probes_sent - before;
}

/*
 * A next hop that never answers: three probes (1 s, then 2 s apart), then
 * given up. Unpinned it goes; pinned it stays FAILED, probed once a minute.
 */
static void
test_resolver_gives_up(void **state)
{
	struct neigh_table *t = neigh_table_create(8, SOCKET_ID_ANY);
	struct inet_addr a = test_addr("2001:2::20"), b = test_addr("2001:2::21");
	struct neigh_resolver r;
	struct neigh_entry *n, *p;
	struct neigh_stats st;
	uint64_t now = rte_get_tsc_cycles();
	bool created;

	(void)state;
	neigh_resolver_init(&r, t, &test_ifc, 1, test_pool(), &(struct lcore_stats){ 0 },
			    count_tx, NULL);
	neigh_resolver_set_limits(&r, 30, 3);
	probes_sent = 0;
	/* What leg_path_build does: pin, first probe. */
	n = neigh_hold(t, 0, &a, &created);
	neigh_resolver_probe(&r, n);
	p = neigh_hold(t, 0, &b, &created);
	neigh_resolver_probe(&r, p);
	assert_int_equal(probes_sent, 2);
	neigh_release(t, n, now);	/* unresolved, unpinned: gone at once */
	assert_null(neigh_find(t, 0, &a));
	assert_int_equal(run_timer(&r, &now, 10), 2);	/* p: at 1 s and 3 s, none at 7 s */
	assert_int_equal(p->state, NEIGH_FAILED);
	assert_ptr_equal(neigh_find(t, 0, &b), p);
	assert_int_equal(run_timer(&r, &now, 45), 0);
	assert_int_equal(run_timer(&r, &now, 20), 1);	/* a minute after giving up */
	neigh_table_stats(t, &st);
	assert_int_equal(st.failed, 1);
	/* It answers at last: resolved, refreshed no more often than once a minute. */
	assert_true(neigh_learn(t, 0, &b, &mac1, now));
	assert_int_equal(p->state, NEIGH_REACHABLE);
	/* Unpinned and resolved, it expires after the idle time (30 s here). */
	neigh_release(t, p, now);
	run_timer(&r, &now, 29);
	assert_ptr_equal(neigh_find(t, 0, &b), p);
	run_timer(&r, &now, 2);
	assert_null(neigh_find(t, 0, &b));
	assert_int_equal(neigh_count(t), 0);
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
	assert_string_equal(neigh_state_name(NEIGH_FAILED), "failed");
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
		cmocka_unit_test(test_release),
		cmocka_unit_test(test_evict),
		cmocka_unit_test(test_resolver_gives_up),
		cmocka_unit_test(test_entry_mac_valid_bit),
		cmocka_unit_test(test_state_names),
	};

	return cmocka_run_group_tests(tests, test_eal_setup, test_eal_teardown);
}
