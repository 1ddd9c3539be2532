/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmdline_parse_string.h>

#include "li/li_pdu.h"
#include "console.h"
#include "console_cmds.h"

/*
 * Lawful interception tasks:
 *   li start <XID> <CORRELATION-ID> <MF> session <ID> [target a|b] [dtls]
 *   li start <XID> <CORRELATION-ID> <MF> call <CALL-ID> [target from-tag|to-tag] [dtls]
 *   li stop <XID>
 *   show li
 * XID: the task's UUID; CORRELATION-ID: non-zero, decimal or 0x-hex (64 bits).
 * Starting and stopping are logged here, on the control lcore, without keys.
 */

static int
parse_correlation(const char *s, uint64_t *out)
{
	char *end;

	if (s[0] == '\0' || s[0] == '-' || s[0] == '+')
		return -EINVAL;
	errno = 0;
	*out = strtoull(s, &end, strncmp(s, "0x", 2) == 0 ? 16 : 10);
	return *end != '\0' || errno != 0 ? -EINVAL : 0;
}

/* What `li start` intercepts: a session of the console's, or an ng call. */
struct li_start_args {
	struct li_task_spec spec;
	bool call;
	uint32_t session;		/* !call */
	uint8_t target;			/* session: 0 leg a, 1 leg b; call: 0 from-tag, 1 to-tag */
	const char *call_id;		/* call */
};

static int
parse_li_target(struct li_start_args *a, const char *w)
{
	static const char *const names[2][2] = { { "a", "b" }, { "from-tag", "to-tag" } };

	for (uint8_t i = 0; i < 2; i++)
		if (strcmp(w, names[a->call][i]) == 0) {
			a->target = i;
			return 0;
		}
	return printf("li start: target '%s' unknown (%s)\n", w,
		      a->call ? "from-tag or to-tag" : "a or b"), -EINVAL;
}

/* What the call or session is followed by: target and dtls. */
static int
parse_li_options(struct li_start_args *a, char **w, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		if (strcmp(w[i], "dtls") == 0)
			a->spec.dtls = true;
		else if (strcmp(w[i], "target") == 0 && i + 1 < n) {
			if (parse_li_target(a, w[++i]) != 0)
				return -EINVAL;
		} else
			return printf("li start: '%s' unknown (target, dtls)\n", w[i]), -EINVAL;
	}
	return 0;
}

/* "li start" words after the verb into a; a one-line error and -EINVAL otherwise. */
static int
parse_li_start(char *args, struct li_start_args *a)
{
	char *w[8], *save = NULL, *end;
	unsigned int n = 0;
	unsigned long sid;

	for (char *t = strtok_r(args, " \t", &save); t != NULL; t = strtok_r(NULL, " \t", &save)) {
		if (n == RTE_DIM(w))
			return printf("li start: too many arguments\n"), -EINVAL;
		w[n++] = t;
	}
	if (n < 5 || (strcmp(w[3], "session") != 0 && strcmp(w[3], "call") != 0))
		return printf("li start: usage: li start <XID> <CORRELATION-ID> <MF> "
			      "session <ID> [target a|b] | call <CALL-ID> [target from-tag|to-tag] [dtls]\n"),
		       -EINVAL;
	memset(a, 0, sizeof(*a));
	if (li_uuid_parse(w[0], a->spec.xid) != 0)
		return printf("li start: XID '%s' is not a UUID (8-4-4-4-12 hex digits)\n", w[0]), -EINVAL;
	if (parse_correlation(w[1], &a->spec.correlation_id) != 0)
		return printf("li start: correlation id '%s' is not a 64-bit number (decimal or 0x-hex)\n",
			      w[1]), -EINVAL;
	if (strlen(w[2]) >= sizeof(a->spec.mf))
		return printf("li start: mediation function name '%s' too long\n", w[2]), -EINVAL;
	strcpy(a->spec.mf, w[2]);
	a->call = strcmp(w[3], "call") == 0;
	if (a->call) {
		a->call_id = w[4];
	} else {
		sid = strtoul(w[4], &end, 10);
		if (*end != '\0' || w[4][0] == '-' || sid >= UINT32_MAX)
			return printf("li start: session '%s' is not a session id\n", w[4]), -EINVAL;
		a->session = (uint32_t)sid;
	}
	return parse_li_options(a, w + 5, n - 5);
}

/* A console task on one session: started, tapped, or not there at all. */
static int
li_start_session(struct srtpfwd_app *app, const struct li_start_args *a, char *err, size_t errlen)
{
	const struct session *s = session_get(app->sessions, a->session);
	int ret;

	if (s == NULL)
		return session_set_err(err, errlen, -ENOENT, "no session %u", a->session);
	ret = li_task_start(app->li, &a->spec, err, errlen);
	if (ret == 0) {
		ret = li_task_tap(app->li, a->spec.xid, a->session, s->leg[a->target], err, errlen);
		if (ret != 0)
			li_task_stop(app->li, a->spec.xid, NULL, 0);
	}
	return ret;
}

struct cmd_li_result {
	cmdline_fixed_string_t li;
	cmdline_fixed_string_t verb;
	cmdline_multi_string_t args;
};

static void
cmd_li_start_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_li_result *r = res;
	struct srtpfwd_app *app = console_app();
	struct li_start_args a;
	char err[256], xid[37];
	int ret;

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	if (parse_li_start(r->args, &a) == 0) {
		if (!a.call)
			ret = li_start_session(app, &a, err, sizeof(err));
		else if (app->ng_calls == NULL)
			ret = session_set_err(err, sizeof(err), -ENOENT, "no ng calls (ng-listen is off)");
		else
			ret = ng_calls_li_start(app->ng_calls, a.call_id, a.target, &a.spec, err,
						sizeof(err));
		li_uuid_format(a.spec.xid, xid);
		if (ret != 0)
			printf("li start: %s\n", err);
		else if (!a.call)	/* a call's task is logged by ng_calls_li_start */
			printf("li: task %s started: session %u target %c, mediation function %s\n", xid,
			       a.session, 'a' + a.target, a.spec.mf);
	}
	fflush(stdout);
}

static void
cmd_li_stop_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_li_result *r = res;
	struct srtpfwd_app *app = console_app();
	uint8_t xid[16];
	char err[256], *save = NULL, *w = strtok_r(r->args, " \t", &save);

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	if (w == NULL || strtok_r(NULL, " \t", &save) != NULL)
		printf("li stop: usage: li stop <XID>\n");
	else if (li_uuid_parse(w, xid) != 0)
		printf("li stop: XID '%s' is not a UUID (8-4-4-4-12 hex digits)\n", w);
	else if (li_task_stop(app->li, xid, err, sizeof(err)) != 0)
		printf("li stop: %s\n", err);
	else
		printf("li: task %s stopped\n", w);
	fflush(stdout);
}

static cmdline_parse_token_string_t tok_li =
	TOKEN_STRING_INITIALIZER(struct cmd_li_result, li, "li");
static cmdline_parse_token_string_t tok_li_start =
	TOKEN_STRING_INITIALIZER(struct cmd_li_result, verb, "start");
static cmdline_parse_token_string_t tok_li_stop =
	TOKEN_STRING_INITIALIZER(struct cmd_li_result, verb, "stop");
static cmdline_parse_token_string_t tok_li_args =
	TOKEN_STRING_INITIALIZER(struct cmd_li_result, args, TOKEN_STRING_MULTI);

cmdline_parse_inst_t cmd_li_start = {
	.f = cmd_li_start_parsed,
	.help_str = "li start <XID> <CORRELATION-ID> <MF> session <ID> [target a|b] | "
		    "call <CALL-ID> [target from-tag|to-tag] [dtls]: "
		    "intercept a session or an ng call: X3 copies (clear media in e2ae, packets as they arrive "
		    "in e2e) and the keys the box knows, to mediation function MF",
	.tokens = { (void *)&tok_li, (void *)&tok_li_start, (void *)&tok_li_args, NULL },
};

cmdline_parse_inst_t cmd_li_stop = {
	.f = cmd_li_stop_parsed,
	.help_str = "li stop <XID>: end an interception task",
	.tokens = { (void *)&tok_li, (void *)&tok_li_stop, (void *)&tok_li_args, NULL },
};

/* ---- show li ---- */

void
show_li(struct srtpfwd_app *app, FILE *out)
{
	struct lcore_stats total;

	li_service_show(app->li, out);
	lcore_stats_sum(app->stats, app->stats_base, app->n_workers + 1u, &total);
	fprintf(out, "li workers: copies %" PRIu64 ", ring-full %" PRIu64 ", no-mbuf %" PRIu64 "\n",
		total.li_copies, total.li_ring_full, total.li_no_mbuf);
}

struct cmd_show_li_result {
	cmdline_fixed_string_t show;
	cmdline_fixed_string_t li;
};

static void
cmd_show_li_parsed(void *res, struct cmdline *cl, void *data)
{
	RTE_SET_USED(res);
	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	show_li(console_app(), stdout);
	fflush(stdout);
}

static cmdline_parse_token_string_t tok_sl_show =
	TOKEN_STRING_INITIALIZER(struct cmd_show_li_result, show, "show");
static cmdline_parse_token_string_t tok_sl_li =
	TOKEN_STRING_INITIALIZER(struct cmd_show_li_result, li, "li");

cmdline_parse_inst_t cmd_show_li = {
	.f = cmd_show_li_parsed,
	.help_str = "show li: interception tasks, mediation function connections, copy counters",
	.tokens = { (void *)&tok_sl_show, (void *)&tok_sl_li, NULL },
};
