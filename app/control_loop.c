/* SPDX-License-Identifier: BSD-3-Clause */
#include <cmdline.h>
#include <cmdline_rdline.h>
#include <rte_cycles.h>
#include <rte_ring.h>

#include "console/console.h"
#include "control_loop.h"
#include "stats_line.h"
#include "ctl_tx.h"
#include "telemetry.h"

#define CTL_BURST 32
/* ng requests per pass: a burst of signalling delays ARP/DTLS by little. */
#define NG_BUDGET 16
/*
 * An idle pass sleeps, twice as long as the last one up to the maximum: a
 * sleep costs a wake-up (about 15 µs of CPU on a VM), so 100 µs sleeps
 * alone took 15-20% of a CPU from an idle control lcore; after four empty
 * passes (100, 200, 400, 800 µs) it wakes 1000 times a second. Work starts
 * again at the next pass (1 ms at most; the punt rings hold far more).
 */
#define IDLE_SLEEP_MIN_US 100
#define IDLE_SLEEP_MAX_US 1000

/*
 * A new generated certificate for legs created from now on; existing
 * legs keep theirs. On failure the old one stays and we retry in an hour.
 */
static void
renew_dtls_cert(struct srtpfwd_app *app, uint64_t now)
{
	uint32_t days = app->opts.dtls_cert_days ? app->opts.dtls_cert_days :
						   DTLS_CERT_VALIDITY_DAYS_DEFAULT;

	if (dtls_engine_renew_cert(app->dtls, 0) == 0)
		app->dtls_renew_tsc = now + rte_get_tsc_hz() * 86400ull * days / 2;
	else
		app->dtls_renew_tsc = now + rte_get_tsc_hz() * 3600ull;
}

/* Up to CTL_BURST packets of one class from each worker's ring of it. */
static unsigned int
drain_class(struct srtpfwd_app *app, enum punt_class c)
{
	struct rte_mbuf *pkts[CTL_BURST];
	unsigned int total = 0;

	for (uint16_t w = 0; w < app->n_workers; w++) {
		unsigned int n = rte_ring_sc_dequeue_burst(app->punt_rings[w][c], (void **)pkts,
							   CTL_BURST, NULL);

		for (unsigned int i = 0; i < n; i++)
			slow_path_input(&app->slow, pkts[i]);
		total += n;
	}
	return total;
}

/*
 * Each pass takes a bounded share of every class, ARP/ND first: a flood of
 * DTLS (OpenSSL's work per record) delays the neighbours' answers by one
 * pass at most, never by a ring full of handshakes.
 */
static unsigned int
drain_punt_rings(struct srtpfwd_app *app)
{
	unsigned int total = drain_class(app, PUNT_CLASS_ARP_ND);

	for (uint16_t w = 0; w < app->n_workers; w++)
		total += slow_path_latch_requests(&app->slow, app->latch_rings[w]);
	total += drain_class(app, PUNT_CLASS_OTHER);
	return total + drain_class(app, PUNT_CLASS_DTLS);
}

void
control_loop(struct srtpfwd_app *app)
{
	uint64_t hz = rte_get_tsc_hz();
	uint64_t tick = hz / 100;	/* timers and console every 10 ms */
	uint64_t next_tick = rte_get_tsc_cycles();
	uint64_t next_calls = next_tick;
	uint64_t next_stats = app->opts.stats_period ? next_tick + app->opts.stats_period * hz : 0;
	uint64_t deadline = app->opts.duration ? app->start_tsc + app->opts.duration * hz : 0;
	unsigned int idle_us = 0;

	while (!__atomic_load_n(&app->quit, __ATOMIC_ACQUIRE)) {
		unsigned int busy = drain_punt_rings(app);

		/* Waiting requests keep the loop awake: no sleep while signalling comes. */
		if (app->ng != NULL)
			busy += ng_server_poll(app->ng, NG_BUDGET);
		/* Copies of intercepted media: one bounded burst per ring a pass. */
		busy += li_service_poll(app->li);
		uint64_t now = rte_get_tsc_cycles();

		if (now >= next_tick) {
			next_tick = now + tick;
			session_reclaim(app->sessions);
			neigh_resolver_timer(&app->resolver, now);
			dtls_legs_timer(app->dtls_legs, now);
			ice_legs_timer(app->ice_legs, now);
			if (app->ng_calls != NULL && now >= next_calls) {
				next_calls = now + hz;
				ng_calls_timer(app->ng_calls, ng_now_ms());
			}
			if (app->dtls_renew_tsc != 0 && now >= app->dtls_renew_tsc)
				renew_dtls_cert(app, now);
			if (!console_poll(app))
				app_request_quit(app);
			if (next_stats != 0 && now >= next_stats) {
				next_stats = now + app->opts.stats_period * hz;
				if (app->opts.stats_lines)
					stats_lines_print(app, stdout);
				else
					console_print_stats(app, stdout);
			}
			if (deadline != 0 && now >= deadline)
				app_request_quit(app);
		}
		telemetry_serve(app);
		slow_path_flush(&app->slow);
		ctl_tx_flush(app);
		/* The control lcore may sleep: workers never wait for it. */
		if (busy != 0) {
			idle_us = 0;
			continue;
		}
		idle_us = idle_us == 0 ? IDLE_SLEEP_MIN_US : RTE_MIN(2 * idle_us, (unsigned int)IDLE_SLEEP_MAX_US);
		rte_delay_us_sleep(idle_us);
	}
}
