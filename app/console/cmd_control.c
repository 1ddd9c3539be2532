/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <string.h>

#include <cmdline_parse_string.h>
#include <rte_ethdev.h>

#include "console.h"
#include "console_cmds.h"

/* ---- help [section] ---- */

static const char help_show[] =
	"show:\n"
	"  show port stats all        packets, bytes, errors, Rx-pps/Tx-pps per port\n"
	"  show worker stats          per-lcore counters, cycles per stage, every drop reason\n"
	"  show worker latency        RX -> TX time per packet: p50, p90, p99, p99.9, max\n"
	"  show session all           every session, one line each\n"
	"  show session <id>          legs, remotes, next hops, counters, drops\n"
	"  show interface all         interfaces, ports, VLANs, addresses\n"
	"  show neigh all             next hops and ARP/ND state\n"
	"  show dtls fingerprint      the box's certificate, for a=fingerprint\n"
	"  show dtls stats            DTLS-SRTP handshakes, failures by reason\n"
	"  show ng stats              ng control protocol: requests, replies, errors\n"
	"  show ice stats             ICE-lite nominations, consent, restarts\n"
	"  show ice <id> [credentials] a session's ICE: ufrag, pairs, nominated, consent\n"
	"  show mempool all           mempools: size, elements in use, available\n";
static const char help_session[] =
	"session:\n"
	"  session add e2e|e2ae <a-iface> <a-port|auto> <b-iface> <b-port|auto> [options]\n"
	"      e2e: DTLS/SRTP pass through; e2ae: media (un)protected here\n"
	"      a-remote=IP:PORT b-remote=IP:PORT   remote of each leg ([v6]:port)\n"
	"      a-latch=learn|strict b-latch=...    learn: latch the first RTP source;\n"
	"                                          default: strict with a remote, else\n"
	"                                          learn unless the interface is exposed\n"
	"      a-ip=IP b-ip=IP                     local address (default: first)\n"
	"      count=N                             N sessions on consecutive ports\n"
	"      a-rx=rtp|PROFILE:inline:KEY         e2ae: what a's remote sends us\n"
	"      a-tx=rtp|PROFILE:inline:KEY         e2ae: what we send a's remote\n"
	"      b-rx=... b-tx=...                   likewise for b (default rtp)\n"
	"      a-dtls=passive|active               e2ae: a's keys from DTLS-SRTP here\n"
	"                                          (passive: we serve; active: we connect\n"
	"                                          to a-remote); b-dtls=... likewise\n"
	"      a-fingerprint=HASH:HEX:..           the peer's a=fingerprint (sha-256:AB:..)\n"
	"      a-ice=lite b-ice=lite               ICE-lite: answer checks, latch to the\n"
	"                                          nominated pair, nothing unauthenticated\n"
	"      a-ice-ufrag=U a-ice-pwd=P           our credentials (default: random)\n"
	"      a-ice-remote-ufrag=R                the peer's ufrag\n"
	"      replay-window=N                     SRTP replay window (128)\n"
	"      replay-check=off                    benchmarks looping a capture only\n"
	"      profiles: AES_CM_128_HMAC_SHA1_80 AES_CM_128_HMAC_SHA1_32\n"
	"                AEAD_AES_128_GCM AEAD_AES_256_GCM NULL_HMAC_SHA1_80\n"
	"  session del <id>|all\n"
	"  session ice-restart <id> a|b [ufrag=U] [pwd=P] [remote-ufrag=R]\n";
static const char help_control[] =
	"control:\n"
	"  start | stop               resume / pause forwarding on the workers\n"
	"  clear port stats all | clear worker stats | clear session stats all\n"
	"  set timing on|off          workers' latency histogram and stage cycles\n"
	"  help [show|session|control|drops]\n"
	"  quit                       stop ports, print counters, exit\n";

static void
print_drop_help(void)
{
	printf("drops (counter: meaning):\n");
	for (unsigned int r = 0; r < DROP_REASON_MAX; r++)
		printf("  %-20s %s\n", drop_reason_name((enum drop_reason)r),
		       drop_reason_help((enum drop_reason)r));
}

struct cmd_help_result {
	cmdline_fixed_string_t help;
	cmdline_fixed_string_t section;
};

static void
cmd_help_parsed(void *res, struct cmdline *cl, void *data)
{
	RTE_SET_USED(res);
	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	printf("%s%s%s'help drops' explains every drop counter.\n", help_show, help_session,
	       help_control);
	fflush(stdout);
}

static void
cmd_help_section_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_help_result *r = res;

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	if (strcmp(r->section, "show") == 0)
		fputs(help_show, stdout);
	else if (strcmp(r->section, "session") == 0)
		fputs(help_session, stdout);
	else if (strcmp(r->section, "control") == 0)
		fputs(help_control, stdout);
	else
		print_drop_help();
	fflush(stdout);
}

static cmdline_parse_token_string_t tok_help =
	TOKEN_STRING_INITIALIZER(struct cmd_help_result, help, "help");
static cmdline_parse_token_string_t tok_help_section =
	TOKEN_STRING_INITIALIZER(struct cmd_help_result, section, "show#session#control#drops");

cmdline_parse_inst_t cmd_help = {
	.f = cmd_help_parsed,
	.help_str = "help: all commands",
	.tokens = { (void *)&tok_help, NULL },
};

cmdline_parse_inst_t cmd_help_section = {
	.f = cmd_help_section_parsed,
	.help_str = "help show|session|control|drops",
	.tokens = { (void *)&tok_help, (void *)&tok_help_section, NULL },
};

/* ---- start | stop | quit ---- */

struct cmd_word_result {
	cmdline_fixed_string_t word;
};

static void
cmd_start_parsed(void *res, struct cmdline *cl, void *data)
{
	RTE_SET_USED(res);
	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	__atomic_store_n(&console_app()->forwarding, true, __ATOMIC_RELEASE);
	printf("forwarding started\n");
	fflush(stdout);
}

static void
cmd_stop_parsed(void *res, struct cmdline *cl, void *data)
{
	RTE_SET_USED(res);
	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	__atomic_store_n(&console_app()->forwarding, false, __ATOMIC_RELEASE);
	printf("forwarding stopped\n");
	show_port_stats(console_app(), stdout);
	fflush(stdout);
}

static void
cmd_quit_parsed(void *res, struct cmdline *cl, void *data)
{
	RTE_SET_USED(res);
	RTE_SET_USED(data);
	app_request_quit(console_app());
	cmdline_quit(cl);
}

static cmdline_parse_token_string_t tok_start =
	TOKEN_STRING_INITIALIZER(struct cmd_word_result, word, "start");
static cmdline_parse_token_string_t tok_stop =
	TOKEN_STRING_INITIALIZER(struct cmd_word_result, word, "stop");
static cmdline_parse_token_string_t tok_quit =
	TOKEN_STRING_INITIALIZER(struct cmd_word_result, word, "quit");

cmdline_parse_inst_t cmd_start = {
	.f = cmd_start_parsed,
	.help_str = "start: forward packets (the default at launch)",
	.tokens = { (void *)&tok_start, NULL },
};

cmdline_parse_inst_t cmd_stop = {
	.f = cmd_stop_parsed,
	.help_str = "stop: pause forwarding; ports stay up",
	.tokens = { (void *)&tok_stop, NULL },
};

cmdline_parse_inst_t cmd_quit = {
	.f = cmd_quit_parsed,
	.help_str = "quit: stop ports, print counters, exit",
	.tokens = { (void *)&tok_quit, NULL },
};

/* ---- clear port stats all | clear worker stats | clear session stats all ---- */

struct cmd_clear_result {
	cmdline_fixed_string_t clear;
	cmdline_fixed_string_t what;
	cmdline_fixed_string_t stats;
	cmdline_fixed_string_t all;
};

static void
cmd_clear_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_clear_result *r = res;
	struct srtpfwd_app *app = console_app();

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	if (strcmp(r->what, "port") == 0) {
		for (uint16_t i = 0; i < app->n_ports; i++) {
			rte_eth_stats_reset(app->ports[i]);
			memset(&app->rate[app->ports[i]], 0, sizeof(app->rate[0]));
		}
		printf("port stats cleared\n");
	} else if (strcmp(r->what, "worker") == 0) {
		/* The lcores own their counters: readers subtract what they were now. */
		for (uint16_t i = 0; i <= app->n_workers; i++)
			app->stats_base[i] = app->stats[i];
		printf("worker stats cleared\n");
	} else {
		session_clear_counters(app->sessions);
		printf("session stats cleared\n");
	}
	fflush(stdout);
}

static cmdline_parse_token_string_t tok_clear =
	TOKEN_STRING_INITIALIZER(struct cmd_clear_result, clear, "clear");
static cmdline_parse_token_string_t tok_clear_port =
	TOKEN_STRING_INITIALIZER(struct cmd_clear_result, what, "port");
static cmdline_parse_token_string_t tok_clear_worker =
	TOKEN_STRING_INITIALIZER(struct cmd_clear_result, what, "worker");
static cmdline_parse_token_string_t tok_clear_session =
	TOKEN_STRING_INITIALIZER(struct cmd_clear_result, what, "session");
static cmdline_parse_token_string_t tok_clear_stats =
	TOKEN_STRING_INITIALIZER(struct cmd_clear_result, stats, "stats");
static cmdline_parse_token_string_t tok_clear_all =
	TOKEN_STRING_INITIALIZER(struct cmd_clear_result, all, "all");

cmdline_parse_inst_t cmd_clear_port_stats = {
	.f = cmd_clear_parsed,
	.help_str = "clear port stats all",
	.tokens = { (void *)&tok_clear, (void *)&tok_clear_port, (void *)&tok_clear_stats,
		    (void *)&tok_clear_all, NULL },
};

cmdline_parse_inst_t cmd_clear_worker_stats = {
	.f = cmd_clear_parsed,
	.help_str = "clear worker stats",
	.tokens = { (void *)&tok_clear, (void *)&tok_clear_worker, (void *)&tok_clear_stats,
		    NULL },
};

cmdline_parse_inst_t cmd_clear_session_stats = {
	.f = cmd_clear_parsed,
	.help_str = "clear session stats all",
	.tokens = { (void *)&tok_clear, (void *)&tok_clear_session, (void *)&tok_clear_stats,
		    (void *)&tok_clear_all, NULL },
};
