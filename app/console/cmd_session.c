/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmdline_parse_string.h>

#include "dtls/dtls_fingerprint.h"
#include "console.h"
#include "console_cmds.h"

#define SESSION_ADD_MAX_COUNT (1u << 22)

/*
 * session add e2e|e2ae <a-iface> <a-port|auto> <b-iface> <b-port|auto> [key=value ...]
 *   a-remote=IP:PORT  b-remote=IP:PORT   ([v6]:port for IPv6)
 *   a-latch=learn|strict  b-latch=learn|strict
 *   a-ip=IP  b-ip=IP      local address (default: the interface's first)
 *   count=N               N sessions on consecutive ports (explicit ports only);
 *                         past the media range, the next address of the interface
 * e2ae (media terminated here), per leg and direction, default rtp (on e2e
 * the parties' SDES keys, which the box does not use: lawful interception
 * delivers them to a task's mediation function):
 *   a-rx=rtp|PROFILE:inline:KEY   what a's remote sends (we unprotect)
 *   a-tx=rtp|PROFILE:inline:KEY   what we send a's remote (we protect)
 *   b-rx=..., b-tx=...
 *   a-dtls=passive|active         the leg's keys come from DTLS-SRTP terminated here
 *                                 (passive: we are the server; active: the client,
 *                                 a-remote needed); no a-rx/a-tx then
 *   a-fingerprint=HASH:HEX:HEX..  the peer's a=fingerprint, e.g. sha-256:AB:CD:..
 *   b-dtls=..., b-fingerprint=...
 * ICE-lite (either mode), per leg:
 *   a-ice=lite                    the box answers the peer's checks on leg a and takes
 *                                 nothing else from a source before one authenticated;
 *                                 the leg is latched to the pair the peer nominates
 *   a-ice-ufrag=U a-ice-pwd=P     the box's credentials (default: made from a CSPRNG)
 *   a-ice-remote-ufrag=R          the peer's ufrag (its SDP's): USERNAME must be U:R
 *   replay-window=N               SRTP/SRTCP replay window, 64..4096 step 64 (128)
 *   replay-check=off              benchmarks looping a capture only: no replay drops
 */

/* A DTLS-SRTP leg's endpoint as signalling describes it. */
struct dtls_leg_args {
	enum dtls_role role;
	char fp_hash[16];
	char fp[DTLS_FP_STR_MAX];
};

struct session_add_args {
	struct session_spec spec;
	struct dtls_leg_args dtls[2];
	struct ice_leg_conf ice[2];
	/* e2e: the parties' SDES keys, for lawful interception's key delivery only. */
	struct leg_crypto_spec known_rx[2], known_tx[2];
	uint32_t count;
};

static int
parse_port(const char *s, uint16_t *port)
{
	char *end;
	unsigned long v;

	if (strcmp(s, "auto") == 0) {
		*port = 0;
		return 0;
	}
	v = strtoul(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < 1 || v > 65535)
		return -EINVAL;
	*port = (uint16_t)v;
	return 0;
}

/* "rtp" or "PROFILE:inline:base64[|lifetime]" (the SDES crypto attribute's parts). */
static int
parse_crypto(const char *value, struct leg_crypto_spec *cs)
{
	char name[48];
	const char *colon;

	memset(cs, 0, sizeof(*cs));
	if (strcmp(value, "rtp") == 0)
		return 0;
	colon = strchr(value, ':');
	if (colon == NULL || (size_t)(colon - value) >= sizeof(name)) {
		printf("session add: '%s' is neither 'rtp' nor PROFILE:inline:KEY\n", value);
		return -EINVAL;
	}
	memcpy(name, value, (size_t)(colon - value));
	name[colon - value] = '\0';
	if (srtp_profile_from_name(name, &cs->profile) != 0) {
		printf("session add: unknown SRTP profile '%s'\n", name);
		return -EINVAL;
	}
	/* Never echo the key: say only what is wrong with it. */
	if (srtp_parse_inline_key(cs->profile, colon + 1, cs->master_key, cs->master_salt) != 0) {
		printf("session add: %s key is not inline:BASE64 of the profile's key+salt length\n",
		       name);
		return -EINVAL;
	}
	cs->srtp = true;
	return 0;
}

/* "sha-256:AB:CD:.." (a=fingerprint with ':' for the space); checked by the DTLS code too. */
static int
parse_fingerprint(const char *value, struct dtls_leg_args *d)
{
	const char *colon = strchr(value, ':');
	struct dtls_fingerprint fp;
	size_t hlen;

	hlen = colon != NULL ? (size_t)(colon - value) : 0;
	if (hlen == 0 || hlen >= sizeof(d->fp_hash) || strlen(colon + 1) >= sizeof(d->fp)) {
		printf("session add: fingerprint is HASH:HEX:HEX:.. (e.g. sha-256:AB:..)\n");
		return -EINVAL;
	}
	memcpy(d->fp_hash, value, hlen);
	d->fp_hash[hlen] = '\0';
	strcpy(d->fp, colon + 1);
	switch (dtls_fingerprint_parse(d->fp_hash, d->fp, &fp)) {
	case 0:
		return 0;
	case -ENOTSUP:
		printf("session add: fingerprint hash '%s' not accepted (sha-1, sha-224, sha-256, sha-384, sha-512)\n",
		       d->fp_hash);
		return -EINVAL;
	default:
		printf("session add: fingerprint is not %s's length of HEX:HEX:..\n", d->fp_hash);
		return -EINVAL;
	}
}

/* a-ice=lite, a-ice-ufrag=, a-ice-pwd=, a-ice-remote-ufrag= (key without "a-"). */
static int
parse_ice(const char *key, const char *value, struct leg_spec *ls, struct ice_leg_conf *ic)
{
	char *dst = NULL;
	size_t max = 0;

	if (strcmp(key, "ice") == 0) {
		if (strcmp(value, "lite") != 0) {
			printf("session add: %c-ice is 'lite' (the box is an ICE-lite agent), not '%s'\n",
			       key[-2], value);
			return -EINVAL;
		}
		ls->ice = true;
		return 0;
	}
	if (strcmp(key, "ice-ufrag") == 0) {
		dst = ic->ufrag;
		max = sizeof(ic->ufrag);
	} else if (strcmp(key, "ice-pwd") == 0) {
		dst = ic->pwd;
		max = sizeof(ic->pwd);
	} else if (strcmp(key, "ice-remote-ufrag") == 0) {
		dst = ic->remote_ufrag;
		max = sizeof(ic->remote_ufrag);
	} else {
		printf("session add: unknown option '%c-%s'\n", key[-2], key);
		return -EINVAL;
	}
	if (strlen(value) >= max) {
		printf("session add: %c-%s is longer than %zu characters\n", key[-2], key, max - 1);
		return -EINVAL;
	}
	strcpy(dst, value);
	return 0;
}

static int
parse_option(struct srtpfwd_app *app, struct session_add_args *a, const char *key,
	     const char *value)
{
	struct leg_spec *ls;
	char *end;

	if (strcmp(key, "replay-check") == 0) {
		if (strcmp(value, "off") != 0 && strcmp(value, "on") != 0) {
			printf("session add: replay-check is 'on' or 'off'\n");
			return -EINVAL;
		}
		a->spec.no_replay_check = strcmp(value, "off") == 0;
		return 0;
	}
	if (strcmp(key, "replay-window") == 0) {
		unsigned long v = strtoul(value, &end, 10);

		if (*end != '\0' || v < 64 || v > 4096 || v % 64 != 0) {
			printf("session add: replay-window must be 64..4096 in steps of 64\n");
			return -EINVAL;
		}
		a->spec.replay_window = (uint16_t)v;
		return 0;
	}

	if (strcmp(key, "count") == 0) {
		unsigned long v = strtoul(value, &end, 10);

		if (*end != '\0' || v < 1 || v > SESSION_ADD_MAX_COUNT) {
			printf("session add: count must be 1..%u\n", SESSION_ADD_MAX_COUNT);
			return -EINVAL;
		}
		a->count = (uint32_t)v;
		return 0;
	}
	if ((key[0] != 'a' && key[0] != 'b') || key[1] != '-') {
		printf("session add: unknown option '%s'\n", key);
		return -EINVAL;
	}
	ls = &a->spec.leg[key[0] - 'a'];
	key += 2;
	if (strcmp(key, "remote") == 0) {
		if (inet_endpoint_parse(value, &ls->remote) != 0) {
			printf("session add: '%s' is not IP:PORT or [IPv6]:PORT\n", value);
			return -EINVAL;
		}
	} else if (strcmp(key, "latch") == 0) {
		if (strcmp(value, "learn") == 0) {
			ls->latch = LATCH_LEARN;
		} else if (strcmp(value, "strict") == 0) {
			ls->latch = LATCH_STRICT;
		} else {
			printf("session add: latch is 'learn' or 'strict', not '%s'\n", value);
			return -EINVAL;
		}
	} else if (strcmp(key, "rx") == 0 || strcmp(key, "tx") == 0) {
		return parse_crypto(value, key[0] == 'r' ? &ls->rx : &ls->tx);
	} else if (strcmp(key, "dtls") == 0) {
		/* SDP a=setup from the box's side: passive answers, active connects. */
		if (strcmp(value, "passive") == 0) {
			a->dtls[key[-2] - 'a'].role = DTLS_ROLE_SERVER;
		} else if (strcmp(value, "active") == 0) {
			a->dtls[key[-2] - 'a'].role = DTLS_ROLE_CLIENT;
		} else {
			printf("session add: dtls is 'passive' (we serve) or 'active' (we connect), not '%s'\n",
			       value);
			return -EINVAL;
		}
		ls->dtls = true;
	} else if (strcmp(key, "fingerprint") == 0) {
		return parse_fingerprint(value, &a->dtls[key[-2] - 'a']);
	} else if (strncmp(key, "ice", 3) == 0) {
		return parse_ice(key, value, ls, &a->ice[key[-2] - 'a']);
	} else if (strcmp(key, "ip") == 0) {
		if (inet_addr_parse(value, &ls->local_addr) != 0) {
			printf("session add: '%s' is not an IP address\n", value);
			return -EINVAL;
		}
	} else {
		printf("session add: unknown option '%c-%s'\n", key[-2], key);
		return -EINVAL;
	}
	RTE_SET_USED(app);
	return 0;
}

static int
parse_session_add(struct srtpfwd_app *app, char *line, struct session_add_args *a)
{
	char *words[16], *save = NULL, *w;
	unsigned int n = 0;
	int idx;

	memset(a, 0, sizeof(*a));
	a->count = 1;
	for (w = strtok_r(line, " \t", &save); w != NULL; w = strtok_r(NULL, " \t", &save)) {
		if (n == RTE_DIM(words)) {
			printf("session add: too many arguments\n");
			return -EINVAL;
		}
		words[n++] = w;
	}
	if (n < 5) {
		printf("session add: usage: session add e2e|e2ae <a-iface> <a-port|auto> <b-iface> <b-port|auto> [options]\n");
		return -EINVAL;
	}
	if (strcmp(words[0], "e2e") == 0) {
		a->spec.mode = SESSION_MODE_E2E;
	} else if (strcmp(words[0], "e2ae") == 0) {
		a->spec.mode = SESSION_MODE_E2AE;
	} else {
		printf("session add: mode '%s' unknown (e2e or e2ae)\n", words[0]);
		return -EINVAL;
	}
	for (int l = 0; l < 2; l++) {
		idx = config_iface_by_name(&app->cfg, words[1 + 2 * l]);
		if (idx < 0) {
			printf("session add: no interface '%s'\n", words[1 + 2 * l]);
			return -EINVAL;
		}
		a->spec.leg[l].iface = (uint16_t)idx;
		if (parse_port(words[2 + 2 * l], &a->spec.leg[l].local_port) != 0) {
			printf("session add: '%s' is not a port (1-65535) or 'auto'\n",
			       words[2 + 2 * l]);
			return -EINVAL;
		}
	}
	for (unsigned int i = 5; i < n; i++) {
		char *eq = strchr(words[i], '=');

		if (eq == NULL || eq[1] == '\0') {
			printf("session add: '%s' is not key=value\n", words[i]);
			return -EINVAL;
		}
		*eq = '\0';
		if (parse_option(app, a, words[i], eq + 1) != 0)
			return -EINVAL;
	}
	/* e2e passes SRTP through untouched: keys given are the parties', known for LI only. */
	for (int l = 0; l < 2 && a->spec.mode == SESSION_MODE_E2E; l++) {
		a->known_rx[l] = a->spec.leg[l].rx;
		a->known_tx[l] = a->spec.leg[l].tx;
		explicit_bzero(&a->spec.leg[l].rx, sizeof(a->spec.leg[l].rx));
		explicit_bzero(&a->spec.leg[l].tx, sizeof(a->spec.leg[l].tx));
	}
	for (int l = 0; l < 2; l++) {
		const struct leg_spec *ls = &a->spec.leg[l];
		const struct ice_leg_conf *ic = &a->ice[l];

		if (!ls->ice && (ic->ufrag[0] || ic->pwd[0] || ic->remote_ufrag[0])) {
			printf("session add: %c-ice-* credentials need %c-ice=lite\n", 'a' + l, 'a' + l);
			return -EINVAL;
		}
		if (ls->ice && (ls->remote.family != 0 || ls->latch != LATCH_DEFAULT)) {
			printf("session add: %c-ice=lite latches to the pair the peer nominates: no %c-remote or %c-latch\n",
			       'a' + l, 'a' + l, 'a' + l);
			return -EINVAL;
		}
		if (a->dtls[l].fp_hash[0] != '\0' && !ls->dtls) {
			printf("session add: %c-fingerprint needs %c-dtls\n", 'a' + l, 'a' + l);
			return -EINVAL;
		}
		if (!ls->dtls)
			continue;
		if (a->spec.mode != SESSION_MODE_E2AE) {
			printf("session add: e2e passes DTLS through: %c-dtls needs e2ae\n", 'a' + l);
			return -EINVAL;
		}
		if (ls->rx.srtp || ls->tx.srtp) {
			printf("session add: %c-dtls takes its keys from the handshake: no %c-rx/%c-tx keys\n",
			       'a' + l, 'a' + l, 'a' + l);
			return -EINVAL;
		}
		if (a->dtls[l].role == DTLS_ROLE_CLIENT && ls->remote.family == 0) {
			printf("session add: %c-dtls=active connects to %c-remote: give one\n", 'a' + l,
			       'a' + l);
			return -EINVAL;
		}
	}
	if (a->count > 1 && (a->spec.leg[0].local_port == 0 || a->spec.leg[1].local_port == 0)) {
		printf("session add: count needs explicit ports\n");
		return -EINVAL;
	}
	return 0;
}

/*
 * The i-th leg of a counted add: port base+i, moving on to the interface's
 * next address (same family) when the media range runs out.
 */
static int
counted_leg(struct srtpfwd_app *app, const struct leg_spec *base, uint32_t i,
	    struct leg_spec *out)
{
	const struct iface *ifc = &app->cfg.ifaces[base->iface];
	uint32_t per_addr = (uint32_t)ifc->media_port_max - base->local_port + 1;
	uint8_t family = base->local_addr.family ? base->local_addr.family :
			 base->remote.family ? base->remote.family : INET_FAMILY_V4;
	unsigned int first = 0;
	const struct inet_addr *addr;

	*out = *base;
	if (base->local_port > ifc->media_port_max)
		per_addr = 1;
	if (base->local_addr.family != 0)
		while ((addr = iface_addr(ifc, family, first)) != NULL &&
		       !inet_addr_equal(addr, &base->local_addr))
			first++;
	addr = iface_addr(ifc, family, first + i / per_addr);
	if (addr == NULL)
		return -ENOSPC;
	out->local_addr = *addr;
	out->local_port = (uint16_t)(base->local_port + i % per_addr);
	return 0;
}

/* What the call layer takes: the session and what its legs' parts need. */
static void
call_spec_of(const struct session_add_args *a, const struct session_spec *spec,
	     struct call_spec *cs)
{
	memset(cs, 0, sizeof(*cs));
	cs->session = *spec;
	for (int l = 0; l < 2; l++) {
		cs->leg[l].dtls = spec->leg[l].dtls;
		cs->leg[l].ice = spec->leg[l].ice;
		cs->leg[l].ice_conf = a->ice[l];
		cs->leg[l].known_rx = a->known_rx[l];
		cs->leg[l].known_tx = a->known_tx[l];
		cs->leg[l].dtls_conf = (struct dtls_leg_conf){
			.role = a->dtls[l].role,
			.fp_hash = a->dtls[l].fp_hash[0] != '\0' ? a->dtls[l].fp_hash : NULL,
			.fp = a->dtls[l].fp[0] != '\0' ? a->dtls[l].fp : NULL,
		};
	}
}

/* One console session is one call of one session. */
static int
add_one(struct srtpfwd_app *app, const struct session_add_args *a,
	const struct session_spec *spec, uint32_t *id, char *err, size_t errlen)
{
	struct call_spec cs;
	uint32_t call;
	int ret;

	if (call_create(app->calls, NULL, &call) != 0)
		return session_set_err(err, errlen, -ENOSPC, "call table full");
	call_spec_of(a, spec, &cs);
	ret = call_session_add(app->calls, call, &cs, id, err, errlen);
	explicit_bzero(&cs, sizeof(cs));	/* master keys */
	if (ret != 0)
		call_delete(app->calls, call);
	return ret;
}

struct cmd_session_add_result {
	cmdline_fixed_string_t session;
	cmdline_fixed_string_t add;
	cmdline_multi_string_t args;
};

static void
cmd_session_add_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_session_add_result *r = res;
	struct srtpfwd_app *app = console_app();
	struct session_add_args a;
	char err[SESSION_ERR_LEN] = "";
	uint32_t id = 0, first = 0, made, count;
	int ret;

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	if (parse_session_add(app, r->args, &a) != 0) {
		explicit_bzero(&a, sizeof(a));
		fflush(stdout);
		return;
	}
	for (made = 0; made < a.count; made++) {
		struct session_spec spec = a.spec;

		if (a.count > 1 &&
		    (counted_leg(app, &a.spec.leg[0], made, &spec.leg[0]) != 0 ||
		     counted_leg(app, &a.spec.leg[1], made, &spec.leg[1]) != 0))
			ret = session_set_err(err, sizeof(err), -ENOSPC,
					      "interface addresses exhausted");
		else
			ret = add_one(app, &a, &spec, &id, err, sizeof(err));
		explicit_bzero(&spec, sizeof(spec));
		if (ret != 0)
			break;
		if (made == 0)
			first = id;
	}
	count = a.count;
	explicit_bzero(&a, sizeof(a));	/* master keys */
	if (made == count && count == 1)
		printf("session %u created\n", id);
	else if (made == count)
		printf("%u sessions created (%u..%u)\n", made, first, id);
	else
		printf("session add: %s (%u of %u created)\n", err, made, count);
	fflush(stdout);
}

static cmdline_parse_token_string_t tok_sa_session =
	TOKEN_STRING_INITIALIZER(struct cmd_session_add_result, session, "session");
static cmdline_parse_token_string_t tok_sa_add =
	TOKEN_STRING_INITIALIZER(struct cmd_session_add_result, add, "add");
static cmdline_parse_token_string_t tok_sa_args =
	TOKEN_STRING_INITIALIZER(struct cmd_session_add_result, args, TOKEN_STRING_MULTI);

cmdline_parse_inst_t cmd_session_add = {
	.f = cmd_session_add_parsed,
	.help_str = "session add e2e|e2ae <a-iface> <a-port|auto> <b-iface> <b-port|auto> "
		    "[a-remote=IP:PORT] [b-remote=IP:PORT] [a-latch=learn|strict] "
		    "[b-latch=...] [a-ip=IP] [b-ip=IP] [count=N] "
		    "[a-rx|a-tx|b-rx|b-tx=rtp|PROFILE:inline:KEY] "
		    "[a-dtls|b-dtls=passive|active] [a-fingerprint|b-fingerprint=HASH:HEX:..] "
		    "[a-ice|b-ice=lite] [a-ice-ufrag|a-ice-pwd|a-ice-remote-ufrag=..] "
		    "[replay-window=N]",
	.tokens = { (void *)&tok_sa_session, (void *)&tok_sa_add, (void *)&tok_sa_args, NULL },
};

/* ---- session del <id>|all ---- */

struct cmd_session_del_result {
	cmdline_fixed_string_t session;
	cmdline_fixed_string_t del;
	cmdline_fixed_string_t which;
};

static void
cmd_session_del_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_session_del_result *r = res;
	struct srtpfwd_app *app = console_app();
	char *end;
	unsigned long id;

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	if (strcmp(r->which, "all") == 0) {
		uint32_t n = 0;

		for (uint32_t s = session_next(app->sessions, 0); s != SESSION_NONE;
		     s = session_next(app->sessions, s + 1), n++)
			call_session_del(app->calls, s);
		printf("%u sessions deleted\n", n);
	} else {
		id = strtoul(r->which, &end, 10);
		if (*end != '\0' || r->which[0] == '\0' || id > UINT32_MAX)
			printf("session del: '%s' is not a session id or 'all'\n", r->which);
		else if (call_session_del(app->calls, (uint32_t)id) != 0)
			printf("session del: no session %lu\n", id);
		else
			printf("session %lu deleted\n", id);
	}
	fflush(stdout);
}

static cmdline_parse_token_string_t tok_sd_session =
	TOKEN_STRING_INITIALIZER(struct cmd_session_del_result, session, "session");
static cmdline_parse_token_string_t tok_sd_del =
	TOKEN_STRING_INITIALIZER(struct cmd_session_del_result, del, "del");
static cmdline_parse_token_string_t tok_sd_which =
	TOKEN_STRING_INITIALIZER(struct cmd_session_del_result, which, NULL);

cmdline_parse_inst_t cmd_session_del = {
	.f = cmd_session_del_parsed,
	.help_str = "session del <id>|all: remove sessions, their flows and legs",
	.tokens = { (void *)&tok_sd_session, (void *)&tok_sd_del, (void *)&tok_sd_which, NULL },
};
