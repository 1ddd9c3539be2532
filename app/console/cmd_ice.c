/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmdline_parse_string.h>

#include "call/ice_legs.h"
#include "console.h"
#include "console_cmds.h"

void
show_ice_stats(struct srtpfwd_app *app, FILE *out)
{
	struct ice_legs_stats s;

	ice_legs_stats(app->ice_legs, &s);
	fprintf(out,
		"  ######## ICE-lite ########\n"
		"  legs %" PRIu64 " latched %" PRIu64 " moved %" PRIu64 " latch_failed %" PRIu64 "\n"
		"  consent_expired %" PRIu64 " consent_resumed %" PRIu64 " restarts %" PRIu64
		" restarts_done %" PRIu64 "\n",
		s.legs, s.latched, s.moved, s.latch_failed, s.consent_expired, s.consent_resumed,
		s.restarts, s.restarts_done);
}

/* A session id from s, or SESSION_NONE after printing why not. */
static uint32_t
session_arg(struct srtpfwd_app *app, const char *cmd, const char *s)
{
	char *end;
	unsigned long id = strtoul(s, &end, 10);

	if (*s == '\0' || *end != '\0' || id > UINT32_MAX ||
	    session_get(app->sessions, (uint32_t)id) == NULL) {
		printf("%s: no session '%s'\n", cmd, s);
		return SESSION_NONE;
	}
	return (uint32_t)id;
}

static void
show_ice_session(struct srtpfwd_app *app, uint32_t id, bool secrets, FILE *out)
{
	const struct session *s = session_get(app->sessions, id);

	fprintf(out, "session %u\n", id);
	for (int l = 0; l < 2; l++) {
		fprintf(out, "  leg %c (%u)\n", 'a' + l, s->leg[l]);
		ice_legs_print(app->ice_legs, s->leg[l], secrets, out);
	}
}

/* ---- show ice stats | show ice <session> [credentials] ---- */

struct cmd_show_ice_result {
	cmdline_fixed_string_t show;
	cmdline_fixed_string_t ice;
	cmdline_multi_string_t args;
};

static void
cmd_show_ice_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_show_ice_result *r = res;
	struct srtpfwd_app *app = console_app();
	char *save = NULL, *which, *more;
	uint32_t id;

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	which = strtok_r(r->args, " \t", &save);
	more = which != NULL ? strtok_r(NULL, " \t", &save) : NULL;
	if (which == NULL || strcmp(which, "stats") == 0) {
		show_ice_stats(app, stdout);
	} else if (more != NULL && strcmp(more, "credentials") != 0) {
		printf("show ice: usage: show ice stats | show ice <session> [credentials]\n");
	} else if ((id = session_arg(app, "show ice", which)) != SESSION_NONE) {
		/* The password only when asked for by name: it is the leg's secret. */
		show_ice_session(app, id, more != NULL, stdout);
	}
	fflush(stdout);
}

static cmdline_parse_token_string_t tok_si_show =
	TOKEN_STRING_INITIALIZER(struct cmd_show_ice_result, show, "show");
static cmdline_parse_token_string_t tok_si_ice =
	TOKEN_STRING_INITIALIZER(struct cmd_show_ice_result, ice, "ice");
static cmdline_parse_token_string_t tok_si_args =
	TOKEN_STRING_INITIALIZER(struct cmd_show_ice_result, args, TOKEN_STRING_MULTI);

cmdline_parse_inst_t cmd_show_ice = {
	.f = cmd_show_ice_parsed,
	.help_str = "show ice stats | show ice <session> [credentials]: ICE-lite counters; a "
		    "session's legs: ufrag, valid pairs, nominated pair, consent age (the "
		    "password only with 'credentials')",
	.tokens = { (void *)&tok_si_show, (void *)&tok_si_ice, (void *)&tok_si_args, NULL },
};

/* ---- session ice-restart <session> a|b [ufrag=U] [pwd=P] [remote-ufrag=R] ---- */

static int
parse_restart_option(char *word, struct ice_leg_conf *c)
{
	char *eq = strchr(word, '=');
	char *dst;
	size_t max;

	if (eq == NULL) {
		printf("session ice-restart: '%s' is not key=value\n", word);
		return -EINVAL;
	}
	*eq = '\0';
	if (strcmp(word, "ufrag") == 0) {
		dst = c->ufrag;
		max = sizeof(c->ufrag);
	} else if (strcmp(word, "pwd") == 0) {
		dst = c->pwd;
		max = sizeof(c->pwd);
	} else if (strcmp(word, "remote-ufrag") == 0) {
		dst = c->remote_ufrag;
		max = sizeof(c->remote_ufrag);
	} else {
		printf("session ice-restart: unknown option '%s' (ufrag, pwd, remote-ufrag)\n", word);
		return -EINVAL;
	}
	if (strlen(eq + 1) >= max) {
		printf("session ice-restart: %s is longer than %zu characters\n", word, max - 1);
		return -EINVAL;
	}
	strcpy(dst, eq + 1);
	return 0;
}

struct cmd_ice_restart_result {
	cmdline_fixed_string_t session;
	cmdline_fixed_string_t restart;
	cmdline_multi_string_t args;
};

static void
cmd_ice_restart_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_ice_restart_result *r = res;
	struct srtpfwd_app *app = console_app();
	char *save = NULL, *sid, *leg, *w;
	struct ice_leg_conf conf = { 0 };
	char err[SESSION_ERR_LEN] = "";
	uint32_t id;

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	sid = strtok_r(r->args, " \t", &save);
	leg = sid != NULL ? strtok_r(NULL, " \t", &save) : NULL;
	if (leg == NULL || (strcmp(leg, "a") != 0 && strcmp(leg, "b") != 0)) {
		printf("session ice-restart: usage: session ice-restart <session> a|b [ufrag=U] [pwd=P] [remote-ufrag=R]\n");
		goto out;
	}
	if ((id = session_arg(app, "session ice-restart", sid)) == SESSION_NONE)
		goto out;
	while ((w = strtok_r(NULL, " \t", &save)) != NULL)
		if (parse_restart_option(w, &conf) != 0)
			goto out;
	if (ice_legs_restart(app->ice_legs, session_get(app->sessions, id)->leg[leg[0] - 'a'],
			     &conf, err, sizeof(err)) != 0)
		printf("session ice-restart: %s\n", err);
	else
		printf("session %u leg %s: new ICE credentials\n", id, leg);
out:
	explicit_bzero(&conf, sizeof(conf));
	fflush(stdout);
}

static cmdline_parse_token_string_t tok_ir_session =
	TOKEN_STRING_INITIALIZER(struct cmd_ice_restart_result, session, "session");
static cmdline_parse_token_string_t tok_ir_restart =
	TOKEN_STRING_INITIALIZER(struct cmd_ice_restart_result, restart, "ice-restart");
static cmdline_parse_token_string_t tok_ir_args =
	TOKEN_STRING_INITIALIZER(struct cmd_ice_restart_result, args, TOKEN_STRING_MULTI);

cmdline_parse_inst_t cmd_session_ice_restart = {
	.f = cmd_ice_restart_parsed,
	.help_str = "session ice-restart <session> a|b [ufrag=U] [pwd=P] [remote-ufrag=R]: new "
		    "ICE credentials for a leg (made by the box when not given); the old ones "
		    "work until a check authenticates with the new",
	.tokens = { (void *)&tok_ir_session, (void *)&tok_ir_restart, (void *)&tok_ir_args, NULL },
};
