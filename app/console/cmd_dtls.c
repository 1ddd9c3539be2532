/* SPDX-License-Identifier: BSD-3-Clause */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <cmdline_parse_string.h>

#include "dtls/dtls_engine.h"
#include "console.h"
#include "console_cmds.h"

/* ---- show dtls fingerprint|stats ---- */

/* What signalling puts in a=fingerprint for legs created from now on. */
static void
show_dtls_fingerprint(struct srtpfwd_app *app, FILE *out)
{
	fprintf(out, "dtls fingerprint: sha-256 %s\n", dtls_engine_fingerprint(app->dtls));
}

void
show_dtls_stats(struct srtpfwd_app *app, FILE *out)
{
	struct dtls_stats e;
	struct dtls_legs_stats l;

	dtls_engine_stats(app->dtls, &e);
	dtls_legs_stats(app->dtls_legs, &l);
	fprintf(out,
		"  ######## DTLS-SRTP ########\n"
		"  conns_created %" PRIu64 " handshakes_started %" PRIu64
		" handshakes_completed %" PRIu64 "\n"
		"  keys_installed %" PRIu64 " install_failed %" PRIu64 " media_stopped %" PRIu64 "\n"
		"  restarts %" PRIu64 " restarts_refused %" PRIu64 " restarts_completed %" PRIu64
		" restart_failed %" PRIu64 "\n"
		"  hvr_sent %" PRIu64 " cookies_verified %" PRIu64 " not_hello %" PRIu64
		" peer_timeouts %" PRIu64 "\n"
		"  closed %" PRIu64 " fatal_alerts_rx %" PRIu64 " alerts_tx %" PRIu64 "\n"
		"  datagrams_rx %" PRIu64 " datagrams_tx %" PRIu64 " retransmits %" PRIu64
		" output_waiting %" PRIu64 " output_dropped %" PRIu64 "\n"
		"  records_dropped %" PRIu64 " app_data_dropped %" PRIu64 "\n"
		"  failures:",
		e.conns_created, e.handshakes_started, e.handshakes_completed, l.keys_installed,
		l.install_failed, l.media_stopped, l.restarts, l.restarts_refused,
		l.restarts_completed, l.restart_failed, l.hvr_sent, l.cookies_verified, l.not_hello,
		l.peer_timeouts, e.closed,
		e.fatal_alerts_rx, e.alerts_tx, l.datagrams_rx, l.datagrams_tx, e.retransmits,
		l.output_waiting, e.output_dropped, e.records_dropped, e.app_data_dropped);
	for (unsigned int r = DTLS_FAIL_NONE + 1; r < DTLS_FAIL_MAX; r++)
		fprintf(out, " %s %" PRIu64, dtls_fail_reason_name((enum dtls_fail_reason)r),
			e.failures[r]);
	fprintf(out, "\n");
}

struct cmd_show_dtls_result {
	cmdline_fixed_string_t show;
	cmdline_fixed_string_t dtls;
	cmdline_fixed_string_t what;
};

static void
cmd_show_dtls_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_show_dtls_result *r = res;
	struct srtpfwd_app *app = console_app();

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	if (strcmp(r->what, "fingerprint") == 0)
		show_dtls_fingerprint(app, stdout);
	else
		show_dtls_stats(app, stdout);
	fflush(stdout);
}

static cmdline_parse_token_string_t tok_sd_show =
	TOKEN_STRING_INITIALIZER(struct cmd_show_dtls_result, show, "show");
static cmdline_parse_token_string_t tok_sd_dtls =
	TOKEN_STRING_INITIALIZER(struct cmd_show_dtls_result, dtls, "dtls");
static cmdline_parse_token_string_t tok_sd_what =
	TOKEN_STRING_INITIALIZER(struct cmd_show_dtls_result, what, "fingerprint#stats");

cmdline_parse_inst_t cmd_show_dtls = {
	.f = cmd_show_dtls_parsed,
	.help_str = "show dtls fingerprint|stats: the box's certificate fingerprint (for "
		    "a=fingerprint), handshake counters and failures by reason",
	.tokens = { (void *)&tok_sd_show, (void *)&tok_sd_dtls, (void *)&tok_sd_what, NULL },
};
