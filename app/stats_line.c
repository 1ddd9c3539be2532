/* SPDX-License-Identifier: BSD-3-Clause */
#include <inttypes.h>

#include <rte_cycles.h>

#include "app_ctx.h"
#include "stats_line.h"
#include "timing_report.h"

/* What the last line saw, per lcore; a line is about the period since. */
static struct lcore_stats last[FWD_WORKERS_MAX + 1];
static uint64_t last_tsc, start_tsc;

/* The drop reason that grew most in the period, or NULL. */
static const char *
top_drop(const struct lcore_stats *d, uint64_t *n)
{
	unsigned int top = DROP_REASON_MAX;

	*n = 0;
	for (unsigned int r = 0; r < DROP_REASON_MAX; r++)
		if (d->drops[r] > *n) {
			*n = d->drops[r];
			top = r;
		}
	return top < DROP_REASON_MAX ? drop_reason_name((enum drop_reason)top) : NULL;
}

static void
print_one(FILE *out, uint16_t w, const struct lcore_stats *d, double secs, double t)
{
	uint64_t drops = lcore_stats_drops_total(d), top_n;
	const char *top = top_drop(d, &top_n);

	fprintf(out, "[%6.1f s] worker %u: rx %.3f Mpps, tx %.3f Mpps, srtp %.3f Mpps, drops %.0f/s",
		t, w, (double)d->rx_pkts / secs / 1e6, (double)d->tx_pkts / secs / 1e6,
		(double)d->media_pkts / secs / 1e6, (double)drops / secs);
	if (top != NULL)
		fprintf(out, " (%s %" PRIu64 ")", top, top_n);
	fprintf(out, ", busy %.0f%%", d->polls ? 100.0 * (double)d->busy_polls / (double)d->polls : 0);
	if (latency_hist_total(&d->latency) != 0)
		fprintf(out, ", latency p50 %.1f us p99 %.1f us",
			timing_quantile_ns(&d->latency, 0.5) / 1e3,
			timing_quantile_ns(&d->latency, 0.99) / 1e3);
	fprintf(out, "\n");
}

void
stats_lines_print(struct srtpfwd_app *app, FILE *out)
{
	uint64_t now = rte_get_tsc_cycles();
	double secs;
	struct lcore_stats d;

	if (start_tsc == 0)
		start_tsc = last_tsc = app->start_tsc;
	secs = (double)(now - last_tsc) / (double)rte_get_tsc_hz();
	if (secs <= 0)
		return;
	for (uint16_t w = 0; w < app->n_workers && w < FWD_WORKERS_MAX; w++) {
		/* d = now - last, through the one summing routine. */
		lcore_stats_sum(&app->stats[w], &last[w], 1, &d);
		print_one(out, w, &d, secs, (double)(now - start_tsc) / (double)rte_get_tsc_hz());
		last[w] = app->stats[w];
	}
	last_tsc = now;
	fflush(out);
}
