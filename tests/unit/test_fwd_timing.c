/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Worker timing (lib/fwd/fwd_timing.h) on the worker fixture: every packet
 * sent is in the latency histogram once, one pass in STAGE_SAMPLE_EVERY is
 * sampled for stage cycles, and `set timing off` stops both.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <rte_cycles.h>
#include <rte_ring.h>

#include "fwd/fwd_timing.h"
#include "fwd_fixture.h"
#include "test_eal.h"
#include "test_frame.h"

/* e2ae plain RTP access 20000 (from 198.18.0.2:5000) <-> core 30000 -> 198.19.0.2:6000. */
static void
add_session(void)
{
	struct session_spec spec = { .mode = SESSION_MODE_E2AE };
	char err[SESSION_ERR_LEN];
	uint32_t id;

	spec.leg[0].iface = 0;
	spec.leg[0].local_port = 20000;
	assert_int_equal(inet_endpoint_parse("198.18.0.2:5000", &spec.leg[0].remote), 0);
	spec.leg[0].latch = LATCH_STRICT;
	spec.leg[1].iface = 1;
	spec.leg[1].local_port = 30000;
	assert_int_equal(inet_endpoint_parse("198.19.0.2:6000", &spec.leg[1].remote), 0);
	spec.leg[1].latch = LATCH_STRICT;
	assert_int_equal(session_add(t.st, &spec, &id, err, sizeof(err)), 0);
}

static unsigned int
core_out(void)
{
	struct rte_mbuf *m;
	unsigned int n = 0;

	while (rte_ring_dequeue(t.tx[1][0], (void **)&m) == 0) {
		rte_pktmbuf_free(m);
		n++;
	}
	return n;
}

/* One loop pass of worker 0 as worker_loop runs it: `burst` packets in one RX burst. */
static void
pass(uint16_t seq, uint16_t burst)
{
	struct fwd_worker *w = t.w[0];
	struct rte_mbuf *m[8];

	for (uint16_t i = 0; i < burst; i++)
		m[i] = fixture_rtp("198.18.0.2", 20000, (uint16_t)(seq + i), RTE_PKTMBUF_HEADROOM);
	if (fwd_timing_pass(w))
		w->rx_start_tsc = rte_rdtsc();
	fwd_worker_rx(w, t.port[0], m, burst);
	fwd_worker_pass_end(w);
}

static void
test_every_sent_packet_once(void **state)
{
	const struct lcore_stats *s = &t.stats[0];
	unsigned int out = 0;

	(void)state;
	add_session();
	t.plane.timing = 1;
	for (uint16_t i = 0; i < 64 * STAGE_SAMPLE_EVERY; i++) {
		pass((uint16_t)(3 * i), 3);
		out += core_out();	/* the TX ring holds 64 */
	}
	assert_int_equal(out, 192 * STAGE_SAMPLE_EVERY);
	assert_int_equal(latency_hist_total(&s->latency), 192 * STAGE_SAMPLE_EVERY);
	/* A burst's packets share its RX time: one run, one bucket per pass at most. */
	assert_true(latency_hist_quantile(&s->latency, 1.0) > 0);
	/* One pass in STAGE_SAMPLE_EVERY at random: 64 expected, each with its 3 packets. */
	assert_in_range(s->stages.samples, 32, 96);
	assert_int_equal(s->stages.pkts, 3 * s->stages.samples);
	for (unsigned int st = 0; st < STAGE_MAX; st++)
		if (st != STAGE_STUN && st != STAGE_CRYPTO)
			assert_true(s->stages.cycles[st] > 0);
	assert_int_equal(s->stages.cycles[STAGE_STUN], 0);
}

static void
test_off_records_nothing(void **state)
{
	const struct lcore_stats *s = &t.stats[0];
	unsigned int out = 0;

	(void)state;
	add_session();
	t.plane.timing = 0;
	/* Enough passes that timing on would have sampled some; the TX ring drained as they go. */
	for (uint16_t i = 0; i < 2 * STAGE_SAMPLE_EVERY; i++) {
		pass(i, 1);
		out += core_out();
	}
	t.plane.timing = 1;
	assert_int_equal(out, 2 * STAGE_SAMPLE_EVERY);
	assert_int_equal(latency_hist_total(&s->latency), 0);
	assert_int_equal(s->stages.samples, 0);
	assert_int_equal(s->stages.pkts, 0);
}

/* Packets of two RX bursts sent in one TX burst: two runs, each with its own RX time. */
static void
test_runs_of_two_bursts(void **state)
{
	struct fwd_worker *w = t.w[0];
	const struct lcore_stats *s = &t.stats[0];
	struct rte_mbuf *m[2];

	(void)state;
	add_session();
	t.plane.timing = 1;
	m[0] = fixture_rtp("198.18.0.2", 20000, 1, RTE_PKTMBUF_HEADROOM);
	fwd_worker_rx(w, t.port[0], &m[0], 1);
	rte_delay_us_block(200);	/* the first burst waits 200 us longer */
	m[1] = fixture_rtp("198.18.0.2", 20000, 2, RTE_PKTMBUF_HEADROOM);
	fwd_worker_rx(w, t.port[0], &m[1], 1);
	assert_int_equal(w->tx[t.port[1]].n_runs, 2);
	fwd_worker_flush(w);
	assert_int_equal(w->tx[t.port[1]].n_runs, 0);
	assert_int_equal(core_out(), 2);
	assert_int_equal(latency_hist_total(&s->latency), 2);
	assert_true(latency_hist_quantile(&s->latency, 1.0) >= rte_get_tsc_hz() / 5000);
	assert_true(latency_hist_quantile(&s->latency, 0.5) < rte_get_tsc_hz() / 5000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_every_sent_packet_once, fwd_fixture_test_setup),
		cmocka_unit_test_setup(test_off_records_nothing, fwd_fixture_test_setup),
		cmocka_unit_test_setup(test_runs_of_two_bursts, fwd_fixture_test_setup),
	};

	return cmocka_run_group_tests(tests, fwd_fixture_group_setup, fwd_fixture_group_teardown);
}
