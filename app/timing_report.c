/* SPDX-License-Identifier: BSD-3-Clause */
#include <inttypes.h>

#include <rte_cycles.h>

#include "timing_report.h"

const double timing_quantiles[TIMING_QUANTILES] = { 0.5, 0.9, 0.99, 0.999 };
const char *const timing_quantile_names[TIMING_QUANTILES] = { "p50", "p90", "p99", "p99.9" };

static double
cycles_ns(uint64_t c)
{
	return (double)c * 1e9 / (double)rte_get_tsc_hz();
}

double
timing_quantile_ns(const struct latency_hist *h, double q)
{
	return cycles_ns(latency_hist_quantile(h, q));
}

double
timing_max_ns(const struct latency_hist *h)
{
	for (unsigned int b = LATENCY_BUCKETS; b-- > 0;)
		if (h->count[b] != 0)
			return cycles_ns(latency_bucket_high(b));
	return 0;
}

double
timing_stage_per_pkt(const struct stage_cycles *c, enum worker_stage s)
{
	return c->pkts != 0 ? (double)c->cycles[s] / (double)c->pkts : 0.0;
}

void
timing_print_latency(FILE *out, const char *what, unsigned int idx, const struct latency_hist *h)
{
	uint64_t n = latency_hist_total(h);

	fprintf(out, "  %s %u: packets %" PRIu64, what, idx, n);
	if (n != 0) {
		for (unsigned int i = 0; i < TIMING_QUANTILES; i++)
			fprintf(out, ", %s %.2f us", timing_quantile_names[i],
				timing_quantile_ns(h, timing_quantiles[i]) / 1e3);
		fprintf(out, ", max %.2f us", timing_max_ns(h) / 1e3);
	}
	fprintf(out, "\n");
}

void
timing_print_stages(FILE *out, const struct stage_cycles *c)
{
	double total = 0;

	fprintf(out, "    cycles/pkt (1 pass in %u sampled, %" PRIu64 " packets):", STAGE_SAMPLE_EVERY,
		c->pkts);
	for (unsigned int s = 0; s < STAGE_MAX; s++) {
		double v = timing_stage_per_pkt(c, (enum worker_stage)s);

		fprintf(out, "%s %s %.1f", s == 0 ? "" : ",", stage_name((enum worker_stage)s), v);
		if (s != STAGE_STUN)	/* inside legs */
			total += v;
	}
	fprintf(out, ", total %.1f\n", total);
}
