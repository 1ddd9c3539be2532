/* SPDX-License-Identifier: BSD-3-Clause */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <cmdline_parse_string.h>
#include <rte_cycles.h>

#include "console.h"
#include "console_cmds.h"
#include "timing_report.h"

/*
 * Worker timing (lib/fwd/fwd_timing.h):
 *   set timing on|off        latency histogram and stage cycles on the workers
 *   show worker latency      RX -> TX per lcore: p50, p90, p99, p99.9, max
 * The stage cycles are a line per lcore of `show worker stats`.
 */

void
show_worker_latency(struct srtpfwd_app *app, FILE *out)
{
	struct lcore_stats one, total;

	fprintf(out, "worker latency (RX burst -> TX burst, per packet; timing %s):\n",
		__atomic_load_n(&app->plane.timing, __ATOMIC_RELAXED) ? "on" : "off");
	for (uint16_t i = 0; i <= app->n_workers; i++) {
		app_lcore_stats(app, i, &one);
		timing_print_latency(out, i == app->n_workers ? "control" : "worker",
				     i == app->n_workers ? 0 : i, &one.latency);
	}
	app_stats_total(app, &total);
	timing_print_latency(out, "all", 0, &total.latency);
}

struct cmd_timing_result {
	cmdline_fixed_string_t set;
	cmdline_fixed_string_t timing;
	cmdline_fixed_string_t onoff;
};

static void
cmd_set_timing_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_timing_result *r = res;
	struct srtpfwd_app *app = console_app();
	bool on = strcmp(r->onoff, "on") == 0;

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	__atomic_store_n(&app->plane.timing, on ? 1 : 0, __ATOMIC_RELAXED);
	printf("timing %s\n", on ? "on" : "off");
	fflush(stdout);
}

static cmdline_parse_token_string_t tok_set =
	TOKEN_STRING_INITIALIZER(struct cmd_timing_result, set, "set");
static cmdline_parse_token_string_t tok_timing =
	TOKEN_STRING_INITIALIZER(struct cmd_timing_result, timing, "timing");
static cmdline_parse_token_string_t tok_onoff =
	TOKEN_STRING_INITIALIZER(struct cmd_timing_result, onoff, "on#off");

cmdline_parse_inst_t cmd_set_timing = {
	.f = cmd_set_timing_parsed,
	.help_str = "set timing on|off: the workers' latency histogram and stage cycles",
	.tokens = { (void *)&tok_set, (void *)&tok_timing, (void *)&tok_onoff, NULL },
};

struct cmd_show_latency_result {
	cmdline_fixed_string_t show;
	cmdline_fixed_string_t worker;
	cmdline_fixed_string_t latency;
};

static void
cmd_show_latency_parsed(void *res, struct cmdline *cl, void *data)
{
	RTE_SET_USED(res);
	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	show_worker_latency(console_app(), stdout);
	fflush(stdout);
}

static cmdline_parse_token_string_t tok_sl_show =
	TOKEN_STRING_INITIALIZER(struct cmd_show_latency_result, show, "show");
static cmdline_parse_token_string_t tok_sl_worker =
	TOKEN_STRING_INITIALIZER(struct cmd_show_latency_result, worker, "worker");
static cmdline_parse_token_string_t tok_sl_latency =
	TOKEN_STRING_INITIALIZER(struct cmd_show_latency_result, latency, "latency");

cmdline_parse_inst_t cmd_show_worker_latency = {
	.f = cmd_show_latency_parsed,
	.help_str = "show worker latency: RX -> TX time per packet, percentiles per lcore",
	.tokens = { (void *)&tok_sl_show, (void *)&tok_sl_worker, (void *)&tok_sl_latency, NULL },
};
