/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_STATS_LINE_H
#define SRTPFWD_STATS_LINE_H

/*
 * `--stats-lines`: every stats period one line per worker, with what moved
 * since the last line: RX/TX and e2ae SRTP rates, drops (and the top
 * reason), busy share, and the RX -> TX latency of the period. Control
 * lcore only (it keeps the last period's counters).
 */

#include <stdio.h>

struct srtpfwd_app;

void stats_lines_print(struct srtpfwd_app *app, FILE *out);

#endif /* SRTPFWD_STATS_LINE_H */
