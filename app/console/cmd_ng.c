/* SPDX-License-Identifier: BSD-3-Clause */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <cmdline_parse_string.h>

#include "ng/ng_server.h"
#include "console.h"
#include "console_cmds.h"

/* ---- show ng stats ---- */
void
show_ng_stats(struct srtpfwd_app *app, FILE *out)
{
	struct ng_stats s;

	if (app->ng == NULL) {
		fprintf(out, "ng: off (ng-listen = off)\n");
		return;
	}
	ng_server_stats(app->ng, &s);
	fprintf(out, "ng: received %" PRIu64 " replied %" PRIu64 " cached_replies %" PRIu64
		" errors %" PRIu64 " dropped %" PRIu64 "\n", s.received, s.replied,
		s.cached_replies, s.errors, s.dropped);
	fprintf(out, "ng tcp: open %" PRIu64 " accepted %" PRIu64 " refused %" PRIu64
		" closed %" PRIu64 " bad %" PRIu64 " idle %" PRIu64 "\n", s.tcp_open,
		s.tcp_accepted, s.tcp_refused, s.tcp_closed, s.tcp_bad, s.tcp_idle);
	if (app->ng_calls != NULL) {
		struct ng_calls_stats c;

		ng_calls_stats(app->ng_calls, &c);
		fprintf(out, "ng calls: current %" PRIu64 " managed %" PRIu64 " rejected %" PRIu64
			" timeout %" PRIu64 " deleted %" PRIu64 " offers %" PRIu64 " answers %" PRIu64
			" (repeated %" PRIu64 ") deletes %" PRIu64 " queries %" PRIu64 "\n", c.current,
			c.managed, c.rejected, c.timeout, c.deleted, c.offers, c.answers,
			c.answers_repeated, c.deletes, c.queries);
	}
}

struct cmd_show_ng_result {
	cmdline_fixed_string_t show;
	cmdline_fixed_string_t ng;
	cmdline_fixed_string_t stats;
};

static void
cmd_show_ng_parsed(void *res, struct cmdline *cl, void *data)
{
	RTE_SET_USED(res);
	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	show_ng_stats(console_app(), stdout);
	fflush(stdout);
}

static cmdline_parse_token_string_t tok_sn_show =
	TOKEN_STRING_INITIALIZER(struct cmd_show_ng_result, show, "show");
static cmdline_parse_token_string_t tok_sn_ng =
	TOKEN_STRING_INITIALIZER(struct cmd_show_ng_result, ng, "ng");
static cmdline_parse_token_string_t tok_sn_stats =
	TOKEN_STRING_INITIALIZER(struct cmd_show_ng_result, stats, "stats");

cmdline_parse_inst_t cmd_show_ng = {
	.f = cmd_show_ng_parsed,
	.help_str = "show ng stats: ng control protocol requests, replies, cached replies, "
		    "errors and drops",
	.tokens = { (void *)&tok_sn_show, (void *)&tok_sn_ng, (void *)&tok_sn_stats, NULL },
};

/* ---- show call all|<call-id> ---- */

struct cmd_show_call_result {
	cmdline_fixed_string_t show;
	cmdline_fixed_string_t call;
	cmdline_fixed_string_t which;
};

static void
cmd_show_call_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_show_call_result *r = res;
	struct srtpfwd_app *app = console_app();

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	if (app->ng_calls == NULL)
		printf("show call: no ng calls (ng-listen = off)\n");
	else if (strcmp(r->which, "all") == 0)
		ng_calls_print_all(app->ng_calls, stdout);
	else if (ng_calls_print(app->ng_calls, r->which, stdout) != 0)
		printf("show call: no call '%s'\n", r->which);
	fflush(stdout);
}

static cmdline_parse_token_string_t tok_sc_show =
	TOKEN_STRING_INITIALIZER(struct cmd_show_call_result, show, "show");
static cmdline_parse_token_string_t tok_sc_call =
	TOKEN_STRING_INITIALIZER(struct cmd_show_call_result, call, "call");
static cmdline_parse_token_string_t tok_sc_which =
	TOKEN_STRING_INITIALIZER(struct cmd_show_call_result, which, NULL);

cmdline_parse_inst_t cmd_show_call = {
	.f = cmd_show_call_parsed,
	.help_str = "show call all|<call-id>: the calls ng signalling made, their media and counters",
	.tokens = { (void *)&tok_sc_show, (void *)&tok_sc_call, (void *)&tok_sc_which, NULL },
};
