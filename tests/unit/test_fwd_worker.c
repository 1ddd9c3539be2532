/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The worker stages (tests/unit/fwd_fixture.h), plain RTP legs: what is
 * tested is who handles a packet and where it is counted, not the crypto.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "fwd_fixture.h"
#include "test_eal.h"
#include "test_frame.h"

/* e2ae access 20000 <-> core 30000 -> 198.19.0.2:6000, plain RTP; a's remote given or learned. */
static uint32_t
add_session(const char *a_remote)
{
	struct session_spec spec = { .mode = SESSION_MODE_E2AE };
	char err[SESSION_ERR_LEN];
	uint32_t id;

	spec.leg[0].iface = 0;
	spec.leg[0].local_port = 20000;
	if (a_remote != NULL) {
		assert_int_equal(inet_endpoint_parse(a_remote, &spec.leg[0].remote), 0);
		spec.leg[0].latch = LATCH_STRICT;
	}
	spec.leg[1].iface = 1;
	spec.leg[1].local_port = 30000;
	assert_int_equal(inet_endpoint_parse("198.19.0.2:6000", &spec.leg[1].remote), 0);
	spec.leg[1].latch = LATCH_STRICT;
	assert_int_equal(session_add(t.st, &spec, &id, err, sizeof(err)), 0);
	return session_get(t.st, id)->leg[0];
}

/* RTP seq from src (198.18.0.x:5000) to 198.18.0.1:20000, received on the access port. */
static struct rte_mbuf *
rtp_frame(const char *src, uint16_t seq, uint16_t headroom)
{
	return fixture_rtp(src, 20000, seq, headroom);
}

/* The RTP sequence numbers of what left on the core port's TX queue q, in order. */
static unsigned int
core_out(uint16_t q, uint16_t *seqs, unsigned int max)
{
	struct rte_mbuf *m;
	unsigned int n = 0;

	while (rte_ring_dequeue(t.tx[1][q], (void **)&m) == 0) {
		/* 14 + 4 (VLAN) + 20 + 8, then the RTP header. */
		const uint8_t *rtp = rte_pktmbuf_mtod_offset(m, const uint8_t *, 46);

		if (n < max)
			seqs[n] = tf_get16(rtp + 2);
		n++;
		rte_pktmbuf_free(m);
	}
	return n;
}

/* ---- one drop list ---- */

/* Every LEG reason has its own slot inside the leg's array, and names agree. */
static void
test_leg_slots(void **state)
{
	bool used[LEG_DROP_MAX] = { false };
	unsigned int n = 0;

	(void)state;
	for (unsigned int r = 0; r <= DROP_REASON_MAX; r++) {
		enum leg_drop slot = drop_reason_leg_slot((enum drop_reason)r);

		if (slot == LEG_DROP_NONE)
			continue;
		assert_true(slot < LEG_DROP_MAX);
		assert_false(used[slot]);
		used[slot] = true;
		n++;
		assert_int_equal(leg_drop_reason(slot), r);
		assert_string_equal(leg_drop_name(slot), drop_reason_name((enum drop_reason)r));
	}
	assert_int_equal(n, LEG_DROP_MAX);
	assert_true(drop_reason_leg_slot(DROP_NO_HEADROOM) < LEG_DROP_MAX);
	assert_int_equal(drop_reason_leg_slot(DROP_NONE), LEG_DROP_NONE);
}

/* Counting every reason on one leg touches that leg's block of this lcore only. */
static void
test_drop_count_bounds(void **state)
{
	struct leg_lcore *legs = session_table_leg_lcore(t.st, 0);
	struct drop_counters dc = { .lcore = &t.stats[0], .legs = legs };
	static const struct leg_lcore zero;

	(void)state;
	for (unsigned int r = 0; r < DROP_REASON_MAX; r++)
		drop_count(&dc, 5, (enum drop_reason)r);
	drop_count(&dc, DROP_NO_LEG, DROP_SOURCE_MISMATCH);
	for (unsigned int d = 0; d < LEG_DROP_MAX; d++)
		assert_int_equal(legs[5].drops[d], 1);
	assert_memory_equal(&legs[4], &zero, sizeof(zero));
	assert_memory_equal(&legs[6], &zero, sizeof(zero));
	assert_memory_equal(&session_table_leg_lcore(t.st, 1)[5], &zero, sizeof(zero));
	assert_int_equal(t.stats[0].drops[DROP_SOURCE_MISMATCH], 2);
	memset(&legs[5], 0, sizeof(legs[5]));
}

/*
 * Media that cannot get its headers written (no headroom for the tagged
 * output) is counted once, as no_headroom, on the lcore and on the leg,
 * and nothing else of the leg moves (6e1b95d counted it one past the
 * leg's drop array, into the control lcore's rx counter).
 */
static void
test_media_no_headroom(void **state)
{
	uint32_t a = add_session("198.18.0.2:5000");
	struct leg_stats ls;
	uint16_t seq[4];

	(void)state;
	rx(0, rtp_frame("198.18.0.2", 1, 0));
	assert_int_equal(t.stats[0].drops[DROP_NO_HEADROOM], 1);
	assert_int_equal(leg_drop(a, DROP_NO_HEADROOM), 1);
	assert_int_equal(leg_drops_total(a), 1);
	assert_int_equal(leg_drops_total(a + 1), 0);
	session_leg_stats(t.st, a, &ls);
	assert_int_equal(ls.traffic.rx_pkts, 1);
	assert_int_equal(ls.traffic.fwd_pkts, 0);
	assert_int_equal(session_table_legs(t.st)[a].counters.slow.rx_pkts, 0);
	assert_int_equal(core_out(0, seq, 4), 0);
	/* With room, the same packet leaves. */
	rx(0, rtp_frame("198.18.0.2", 2, RTE_PKTMBUF_HEADROOM));
	assert_int_equal(core_out(0, seq, 4), 1);
	assert_int_equal(seq[0], 2);
}

/* ---- one place per unlatched leg ---- */

/* The control lcore's part: latch what the worker asked for. */
static unsigned int
latch_requested(uint16_t worker)
{
	struct latch_request req;
	unsigned int n = 0;

	while (rte_ring_dequeue_elem(t.latch[worker], &req, sizeof(req)) == 0) {
		if (leg_path(&session_table_legs(t.st)[req.leg]) == NULL)
			assert_int_equal(session_leg_set_remote(t.st, req.leg, &req.remote), 0);
		n++;
	}
	return n;
}

/*
 * Two sources for an unlatched learning leg in one burst, on its home
 * worker: the first that gets through is the leg's, the other's packets
 * are dropped before any state of the leg moves, before and after the
 * latch is published; only the first is asked to be latched.
 */
static void
test_prelatch_one_source(void **state)
{
	uint32_t a = add_session(NULL);
	uint16_t home = session_table_legs(t.st)[a].home;
	struct rte_mbuf *burst[4];
	const struct leg_path *path;
	uint16_t seq[8];

	(void)state;
	assert_true(home < N_WORKERS);
	burst[0] = rtp_frame("198.18.0.2", 10, RTE_PKTMBUF_HEADROOM);
	burst[1] = rtp_frame("198.18.0.3", 5000, RTE_PKTMBUF_HEADROOM);
	burst[2] = rtp_frame("198.18.0.2", 11, RTE_PKTMBUF_HEADROOM);
	burst[3] = rtp_frame("198.18.0.3", 5001, RTE_PKTMBUF_HEADROOM);
	fwd_worker_rx(t.w[home], t.port[0], burst, 4);
	fwd_worker_flush(t.w[home]);
	assert_int_equal(core_out(home, seq, 8), 2);
	assert_int_equal(seq[0], 10);
	assert_int_equal(seq[1], 11);
	assert_int_equal(leg_drop(a, DROP_SOURCE_MISMATCH), 2);
	assert_int_equal(latch_requested(home), 2);
	path = leg_path(&session_table_legs(t.st)[a]);
	assert_non_null(path);
	assert_int_equal(path->remote.addr[3], 2);
	rx(home, rtp_frame("198.18.0.3", 5002, RTE_PKTMBUF_HEADROOM));
	rx(home, rtp_frame("198.18.0.2", 12, RTE_PKTMBUF_HEADROOM));
	assert_int_equal(core_out(home, seq, 8), 1);
	assert_int_equal(seq[0], 12);
	assert_int_equal(leg_drop(a, DROP_SOURCE_MISMATCH), 3);
}

/*
 * The genuine source on the worker that is not the leg's home: its packets
 * are handed over until the leg is latched and, after that, for as long as
 * the home worker has not handled what it was given; then the worker takes
 * the leg back. Nothing is lost or reordered, and the two workers never
 * both hold packets of the leg.
 */
static void
test_handoff_takeback(void **state)
{
	uint32_t a = add_session(NULL);
	uint16_t home = session_table_legs(t.st)[a].home, other = (uint16_t)(1 - home);
	struct inet_endpoint src;
	uint16_t seq[8];

	(void)state;
	rx(other, rtp_frame("198.18.0.2", 20, RTE_PKTMBUF_HEADROOM));
	assert_int_equal(t.stats[other].handed_off, 1);
	assert_int_equal(rte_ring_count(t.handoff[other * N_WORKERS + home]), 1);
	/* Latched meanwhile (as if an earlier packet at the home worker had asked). */
	assert_int_equal(inet_endpoint_parse("198.18.0.2:5000", &src), 0);
	assert_int_equal(session_leg_set_remote(t.st, a, &src), 0);
	/* Still at the home worker: this one follows it there. */
	rx(other, rtp_frame("198.18.0.2", 21, RTE_PKTMBUF_HEADROOM));
	assert_int_equal(t.stats[other].handed_off, 2);
	assert_int_equal(core_out(other, seq, 8), 0);
	fwd_worker_handoff_poll(t.w[home]);
	fwd_worker_flush(t.w[home]);
	assert_int_equal(core_out(home, seq, 8), 2);
	assert_int_equal(seq[0], 20);
	assert_int_equal(seq[1], 21);
	/* The home worker has handled them all: the other worker has the leg now. */
	rx(other, rtp_frame("198.18.0.2", 22, RTE_PKTMBUF_HEADROOM));
	assert_int_equal(t.stats[other].handed_off, 2);
	assert_int_equal(core_out(other, seq, 8), 1);
	assert_int_equal(seq[0], 22);
	assert_int_equal(leg_drops_total(a), 0);
	/* Handed-over packets are counted as received once, where they came in. */
	assert_int_equal(t.stats[home].rx_pkts, 0);
	assert_int_equal(t.stats[other].rx_pkts, 3);
	latch_requested(home);
}

/*
 * A flood for an unlatched leg on the worker that is not its home: what the
 * handoff ring cannot take is dropped and counted (handoff_full, on the lcore
 * and the leg), nothing waits, and what it took is handled at home.
 */
static void
test_handoff_full(void **state)
{
	uint32_t a = add_session(NULL);
	uint16_t home = session_table_legs(t.st)[a].home, other = (uint16_t)(1 - home);
	unsigned int cap = rte_ring_get_capacity(t.handoff[other * N_WORKERS + home]);
	uint16_t seq[RING_SIZE];

	(void)state;
	for (uint16_t i = 0; i < cap + 5; i++)
		rx(other, rtp_frame("198.18.0.3", (uint16_t)(100 + i), RTE_PKTMBUF_HEADROOM));
	assert_int_equal(t.stats[other].handed_off, cap);
	assert_int_equal(t.stats[other].drops[DROP_HANDOFF_FULL], 5);
	assert_int_equal(leg_drop(a, DROP_HANDOFF_FULL), 5);
	assert_int_equal(core_out(other, seq, RING_SIZE), 0);
	fwd_worker_handoff_poll(t.w[home]);
	fwd_worker_flush(t.w[home]);
	/* Plain RTP in: the first source is the leg's (as a learning leg's is). */
	assert_int_equal(core_out(home, seq, RING_SIZE), cap);
	assert_int_equal(seq[0], 100);
	assert_int_equal(seq[cap - 1], 100 + cap - 1);
	assert_int_equal(rte_ring_count(t.handoff[other * N_WORKERS + home]), 0);
	latch_requested(home);
}

/* ---- readers never write counters ---- */

/* clear: the readers' zero moves; the lcores' counters are untouched and go on. */
static void
test_clear_is_a_baseline(void **state)
{
	uint32_t a = add_session("198.18.0.2:5000");
	const struct leg *leg = &session_table_legs(t.st)[a];
	const uint64_t *mismatch = &session_table_leg_lcore(t.st, 0)[a].drops[
		drop_reason_leg_slot(DROP_SOURCE_MISMATCH)];
	uint64_t rx_raw, mismatch_raw;
	struct leg_stats ls;
	uint16_t seq[4];

	(void)state;
	rx(0, rtp_frame("198.18.0.2", 1, RTE_PKTMBUF_HEADROOM));
	rx(0, rtp_frame("198.18.0.3", 1, RTE_PKTMBUF_HEADROOM));
	session_leg_stats(t.st, a, &ls);
	assert_int_equal(ls.traffic.rx_pkts, 1);
	assert_int_equal(leg_drop(a, DROP_SOURCE_MISMATCH), 1);
	rx_raw = leg->counters.fast.rx_pkts;
	mismatch_raw = *mismatch;
	session_clear_counters(t.st);
	session_leg_stats(t.st, a, &ls);
	assert_int_equal(ls.traffic.rx_pkts, 0);
	assert_int_equal(leg_drops_total(a), 0);
	/* Nobody but the worker wrote its counters. */
	assert_int_equal(leg->counters.fast.rx_pkts, rx_raw);
	assert_int_equal(*mismatch, mismatch_raw);
	rx(0, rtp_frame("198.18.0.2", 2, RTE_PKTMBUF_HEADROOM));
	session_leg_stats(t.st, a, &ls);
	assert_int_equal(ls.traffic.rx_pkts, 1);
	assert_int_equal(ls.traffic.fwd_pkts, 1);
	assert_int_equal(core_out(0, seq, 4), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_leg_slots, fwd_fixture_test_setup),
		cmocka_unit_test_setup(test_drop_count_bounds, fwd_fixture_test_setup),
		cmocka_unit_test_setup(test_media_no_headroom, fwd_fixture_test_setup),
		cmocka_unit_test_setup(test_prelatch_one_source, fwd_fixture_test_setup),
		cmocka_unit_test_setup(test_handoff_takeback, fwd_fixture_test_setup),
		cmocka_unit_test_setup(test_handoff_full, fwd_fixture_test_setup),
		cmocka_unit_test_setup(test_clear_is_a_baseline, fwd_fixture_test_setup),
	};

	return cmocka_run_group_tests(tests, fwd_fixture_group_setup, fwd_fixture_group_teardown);
}
