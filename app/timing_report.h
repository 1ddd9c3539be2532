/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_TIMING_REPORT_H
#define SRTPFWD_TIMING_REPORT_H

/*
 * The workers' timing as people and telemetry read it: latency quantiles
 * in microseconds, stage cycles per packet. Shared by the console and
 * telemetry so both say the same.
 */

#include <stdio.h>

#include "stats/lcore_stats.h"

#define TIMING_QUANTILES 4
extern const double timing_quantiles[TIMING_QUANTILES];	/* 0.5, 0.9, 0.99, 0.999 */
extern const char *const timing_quantile_names[TIMING_QUANTILES];	/* "p50" ... */

/* The q-quantile of h in nanoseconds (upper bucket bound). */
double timing_quantile_ns(const struct latency_hist *h, double q);
/* The largest duration recorded, in nanoseconds (upper bucket bound); 0: none. */
double timing_max_ns(const struct latency_hist *h);
/* Cycles per sampled packet of stage s; 0 when nothing was sampled. */
double timing_stage_per_pkt(const struct stage_cycles *c, enum worker_stage s);

/* "  worker 0: packets N, p50 X us, ..., max Y us" */
void timing_print_latency(FILE *out, const char *what, unsigned int idx,
			  const struct latency_hist *h);
/* "    cycles/pkt (sampled N packets): rx a, parse b, ..., total t" */
void timing_print_stages(FILE *out, const struct stage_cycles *c);

#endif /* SRTPFWD_TIMING_REPORT_H */
