/* SPDX-License-Identifier: BSD-3-Clause */
#include <inttypes.h>
#include <stdio.h>

#include <cmdline_parse_num.h>
#include <cmdline_parse_string.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>

#include "console.h"
#include "console_cmds.h"
#include "timing_report.h"

/* ---- show port stats all ---- */

void
show_port_stats(struct srtpfwd_app *app, FILE *out)
{
	uint64_t now = rte_get_tsc_cycles(), hz = rte_get_tsc_hz();

	for (uint16_t i = 0; i < app->n_ports; i++) {
		uint16_t port = app->ports[i];
		struct port_rate_snapshot *snap = &app->rate[port];
		struct rte_eth_stats st;
		uint64_t rx_pps = 0, tx_pps = 0, dt;

		if (rte_eth_stats_get(port, &st) != 0)
			continue;
		dt = now - snap->tsc;
		if (snap->tsc != 0 && dt > 0) {
			rx_pps = (uint64_t)((double)(st.ipackets - snap->ipackets) * hz / dt);
			tx_pps = (uint64_t)((double)(st.opackets - snap->opackets) * hz / dt);
		}
		snap->tsc = now;
		snap->ipackets = st.ipackets;
		snap->opackets = st.opackets;
		fprintf(out,
			"  ######## port %u statistics ########\n"
			"  RX-packets: %-12" PRIu64 " RX-missed: %-10" PRIu64 " RX-bytes: %" PRIu64 "\n"
			"  RX-errors: %-13" PRIu64 " RX-nombuf: %" PRIu64 "\n"
			"  TX-packets: %-12" PRIu64 " TX-errors: %-10" PRIu64 " TX-bytes: %" PRIu64 "\n"
			"  Rx-pps: %16" PRIu64 "\n"
			"  Tx-pps: %16" PRIu64 "\n",
			port, st.ipackets, st.imissed, st.ibytes, st.ierrors, st.rx_nombuf,
			st.opackets, st.oerrors, st.obytes, rx_pps, tx_pps);
	}
}

static void
print_drops(FILE *out, const struct lcore_stats *s, const char *indent)
{
	for (unsigned int r = 0; r < DROP_REASON_MAX; r++)
		if (s->drops[r] != 0)
			fprintf(out, "%s%-20s %" PRIu64 "\n", indent,
				drop_reason_name((enum drop_reason)r), s->drops[r]);
}

void
show_worker_stats(struct srtpfwd_app *app, FILE *out)
{
	struct lcore_stats total, one;

	for (uint16_t i = 0; i <= app->n_workers; i++) {
		const struct lcore_stats *s = &one;
		const char *what = i == app->n_workers ? "control" : "worker";

		app_lcore_stats(app, i, &one);
		fprintf(out,
			"  %s %u: rx %" PRIu64 " tx %" PRIu64 " punted %" PRIu64
			" handed_off %" PRIu64 " latched %" PRIu64 " dropped %" PRIu64
			" stun_answered %" PRIu64 " stun_errors %" PRIu64 " (limited %" PRIu64 ")"
			" busy %.1f%%\n",
			what, i == app->n_workers ? 0 : i, s->rx_pkts, s->tx_pkts, s->punted,
			s->handed_off, s->latched, lcore_stats_drops_total(s), s->stun_answered,
			s->stun_errors, s->stun_errors_limited,
			s->polls ? 100.0 * (double)s->busy_polls / (double)s->polls : 0.0);
		timing_print_stages(out, &s->stages);
	}
	app_stats_total(app, &total);
	fprintf(out, "  drops by reason (all lcores):\n");
	print_drops(out, &total, "    ");
}

struct cmd_show_stats_result {
	cmdline_fixed_string_t show;
	cmdline_fixed_string_t what;
	cmdline_fixed_string_t stats;
	cmdline_fixed_string_t all;
};

static void
cmd_show_port_stats_parsed(void *res, struct cmdline *cl, void *data)
{
	RTE_SET_USED(res);
	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	show_port_stats(console_app(), stdout);
	fflush(stdout);
}

static cmdline_parse_token_string_t tok_show =
	TOKEN_STRING_INITIALIZER(struct cmd_show_stats_result, show, "show");
static cmdline_parse_token_string_t tok_port =
	TOKEN_STRING_INITIALIZER(struct cmd_show_stats_result, what, "port");
static cmdline_parse_token_string_t tok_stats =
	TOKEN_STRING_INITIALIZER(struct cmd_show_stats_result, stats, "stats");
static cmdline_parse_token_string_t tok_all =
	TOKEN_STRING_INITIALIZER(struct cmd_show_stats_result, all, "all");

cmdline_parse_inst_t cmd_show_port_stats = {
	.f = cmd_show_port_stats_parsed,
	.help_str = "show port stats all: packets, bytes, errors and rates of every port",
	.tokens = { (void *)&tok_show, (void *)&tok_port, (void *)&tok_stats, (void *)&tok_all,
		    NULL },
};

/* ---- show worker stats ---- */

static void
cmd_show_worker_stats_parsed(void *res, struct cmdline *cl, void *data)
{
	RTE_SET_USED(res);
	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	show_worker_stats(console_app(), stdout);
	fflush(stdout);
}

static cmdline_parse_token_string_t tok_worker =
	TOKEN_STRING_INITIALIZER(struct cmd_show_stats_result, what, "worker");

cmdline_parse_inst_t cmd_show_worker_stats = {
	.f = cmd_show_worker_stats_parsed,
	.help_str = "show worker stats: per-lcore packets and every drop reason",
	.tokens = { (void *)&tok_show, (void *)&tok_worker, (void *)&tok_stats, NULL },
};

/* ---- show session all | show session <id> ---- */

static void
print_leg_brief(FILE *out, struct srtpfwd_app *app, const struct leg *leg)
{
	char local[INET_ENDPOINT_STRLEN], remote[INET_ENDPOINT_STRLEN] = "-";
	const struct leg_path *path = leg_path(leg);
	struct leg_stats ls;

	session_leg_stats(app->sessions, leg->id, &ls);
	inet_endpoint_format(&leg->local, local, sizeof(local));
	if (path != NULL)
		inet_endpoint_format(&path->remote, remote, sizeof(remote));
	fprintf(out, " %s %s<->%s rx %" PRIu64 " fwd %" PRIu64, app->cfg.ifaces[leg->iface].name,
		local, remote, ls.traffic.rx_pkts, ls.traffic.fwd_pkts);
}

static void
cmd_show_session_all_parsed(void *res, struct cmdline *cl, void *data)
{
	struct srtpfwd_app *app = console_app();
	struct leg *legs = session_table_legs(app->sessions);
	uint32_t id, shown = 0;

	RTE_SET_USED(res);
	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	printf("  %u sessions (max %u)\n", session_count(app->sessions),
	       session_max(app->sessions));
	for (id = session_next(app->sessions, 0); id != SESSION_NONE && shown < 1000;
	     id = session_next(app->sessions, id + 1), shown++) {
		const struct session *s = session_get(app->sessions, id);

		printf("  session %u %s:", id, session_mode_name((enum session_mode)s->mode));
		print_leg_brief(stdout, app, &legs[s->leg[0]]);
		printf(" |");
		print_leg_brief(stdout, app, &legs[s->leg[1]]);
		printf("\n");
	}
	if (id != SESSION_NONE)
		printf("  ... (first 1000 shown; 'show session <id>' for one)\n");
	fflush(stdout);
}

struct cmd_show_session_result {
	cmdline_fixed_string_t show;
	cmdline_fixed_string_t session;
	cmdline_fixed_string_t all;
	uint32_t id;
};

static cmdline_parse_token_string_t tok_ss_show =
	TOKEN_STRING_INITIALIZER(struct cmd_show_session_result, show, "show");
static cmdline_parse_token_string_t tok_ss_session =
	TOKEN_STRING_INITIALIZER(struct cmd_show_session_result, session, "session");
static cmdline_parse_token_string_t tok_ss_all =
	TOKEN_STRING_INITIALIZER(struct cmd_show_session_result, all, "all");
static cmdline_parse_token_num_t tok_ss_id =
	TOKEN_NUM_INITIALIZER(struct cmd_show_session_result, id, RTE_UINT32);

cmdline_parse_inst_t cmd_show_session_all = {
	.f = cmd_show_session_all_parsed,
	.help_str = "show session all: every session, one line each",
	.tokens = { (void *)&tok_ss_show, (void *)&tok_ss_session, (void *)&tok_ss_all, NULL },
};

static void
print_streams(FILE *out, const struct srtp_ctx *ctx, bool rtcp)
{
	struct srtp_stream_info si[8];
	int n = srtp_ctx_streams(ctx, si, RTE_DIM(si));

	for (int i = 0; i < n; i++) {
		if (rtcp)
			fprintf(out, "        ssrc 0x%08x index %u\n", si[i].ssrc,
				si[i].srtcp_index);
		else
			fprintf(out, "        ssrc 0x%08x roc %u seq %u\n", si[i].ssrc, si[i].roc,
				si[i].seq);
	}
}

/* Profile and counters of one direction's SRTP/SRTCP contexts; never keys. */
static void
print_leg_crypto(FILE *out, const char *dir, struct srtp_ctx *const ctx[2])
{
	static const char *const kind[2] = { "srtp", "srtcp" };

	if (ctx[0] == NULL) {
		fprintf(out, "    %s: rtp (plain)\n", dir);
		return;
	}
	fprintf(out, "    %s: %s\n", dir, srtp_profile_name(srtp_ctx_profile(ctx[0])));
	for (int k = 0; k < 2; k++) {
		struct srtp_counters c;

		srtp_ctx_counters(ctx[k], &c);
		fprintf(out,
			"      %-5s packets %" PRIu64 " bytes %" PRIu64 " auth_fail %" PRIu64
			" replay %" PRIu64 " bad_length %" PRIu64 " other %" PRIu64
			" crypto_stall %" PRIu64 "\n",
			kind[k], c.pkts, c.bytes, c.auth_fail, c.replay, c.bad_length, c.other,
			c.crypto_stall);
		print_streams(out, ctx[k], k == 1);
	}
}

static void
print_leg_detail(FILE *out, struct srtpfwd_app *app, const char *name, const struct leg *leg)
{
	char local[INET_ENDPOINT_STRLEN], remote[INET_ENDPOINT_STRLEN] = "-";
	char hop[INET_ADDR_STRLEN] = "-";
	const struct leg_path *path = leg_path(leg);
	const struct call_leg *cl_leg;
	const struct leg_traffic *c;
	const char *nh_state = "-";
	struct leg_stats ls;

	session_leg_stats(app->sessions, leg->id, &ls);
	c = &ls.traffic;
	inet_endpoint_format(&leg->local, local, sizeof(local));
	if (path != NULL) {
		inet_endpoint_format(&path->remote, remote, sizeof(remote));
		inet_addr_format(&path->next_hop->ip, hop, sizeof(hop));
		nh_state = neigh_state_name((enum neigh_state)path->next_hop->state);
	}
	fprintf(out,
		"  leg %s (id %u): interface %s local %s remote %s latch %s%s\n"
		"    next hop %s (%s)\n"
		"    rx %" PRIu64 " packets %" PRIu64 " bytes, forwarded %" PRIu64 " packets %" PRIu64
		" bytes\n    classes:",
		name, leg->id, app->cfg.ifaces[leg->iface].name, local, remote,
		latch_policy_name((enum latch_policy)leg->latch), path == NULL ? " (waiting)" : "",
		hop, nh_state, c->rx_pkts, c->rx_bytes, c->fwd_pkts, c->fwd_bytes);
	for (unsigned int k = 1; k < PKT_CLASS_MAX; k++)
		fprintf(out, " %s %" PRIu64, pkt_class_name((enum pkt_class)k), c->class_pkts[k]);
	fprintf(out, "\n    drops:");
	for (unsigned int d = 0; d < LEG_DROP_MAX; d++)
		fprintf(out, " %s %" PRIu64, leg_drop_name((enum leg_drop)d), ls.drops[d]);
	fprintf(out, "\n");
	/* The leg's parts, as the call layer has them. */
	cl_leg = call_leg_get(app->calls, leg->id);
	if (cl_leg != NULL && cl_leg->dtls)
		dtls_legs_print(app->dtls_legs, leg->id, out);
	/* Never the password here: `show ice <id> credentials` asks for it by name. */
	if (cl_leg != NULL && cl_leg->ice.enabled)
		ice_legs_print(app->ice_legs, leg->id, false, out);
	/* The console runs on the control lcore, the only one that frees SRTP sets. */
	if (leg->srtp != NULL) {
		print_leg_crypto(out, "rx", leg->srtp->in);
		print_leg_crypto(out, "tx", leg->srtp->out);
	} else if (leg->dtls) {
		fprintf(out, "    rx, tx: no SRTP keys (media dropped)\n");
	}
}

static void
cmd_show_session_one_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_show_session_result *r = res;
	struct srtpfwd_app *app = console_app();
	struct leg *legs = session_table_legs(app->sessions);
	const struct session *s = session_get(app->sessions, r->id);

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	if (s == NULL) {
		printf("show session: no session %u\n", r->id);
	} else {
		printf("  session %u mode %s, up %.1f s\n", s->id,
		       session_mode_name((enum session_mode)s->mode),
		       (double)(rte_get_tsc_cycles() - s->created_tsc) / (double)rte_get_tsc_hz());
		print_leg_detail(stdout, app, "a", &legs[s->leg[0]]);
		print_leg_detail(stdout, app, "b", &legs[s->leg[1]]);
	}
	fflush(stdout);
}

cmdline_parse_inst_t cmd_show_session_one = {
	.f = cmd_show_session_one_parsed,
	.help_str = "show session <id>: legs, remotes, counters, drops by reason",
	.tokens = { (void *)&tok_ss_show, (void *)&tok_ss_session, (void *)&tok_ss_id, NULL },
};

/* ---- show interface all ---- */

static void
cmd_show_interface_parsed(void *res, struct cmdline *cl, void *data)
{
	struct srtpfwd_app *app = console_app();
	char buf[INET_ADDR_STRLEN];

	RTE_SET_USED(res);
	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	for (uint16_t i = 0; i < app->cfg.n_ifaces; i++) {
		const struct iface *ifc = &app->cfg.ifaces[i];

		printf("  interface %s: port %u (%s) vlan %u mac " RTE_ETHER_ADDR_PRT_FMT
		       " media-ports %u-%u ttl %u\n",
		       ifc->name, ifc->port_id, ifc->port_name, ifc->vlan_id,
		       RTE_ETHER_ADDR_BYTES(&ifc->mac), ifc->media_port_min, ifc->media_port_max,
		       ifc->ttl);
		for (uint16_t a = 0; a < ifc->n_addrs; a++)
			printf("    address %s/%u\n",
			       inet_addr_format(&ifc->addrs[a].addr, buf, sizeof(buf)),
			       ifc->addrs[a].len);
		if (ifc->gateway4.family != 0)
			printf("    gateway4 %s\n", inet_addr_format(&ifc->gateway4, buf, sizeof(buf)));
		if (ifc->gateway6.family != 0)
			printf("    gateway6 %s\n", inet_addr_format(&ifc->gateway6, buf, sizeof(buf)));
	}
	fflush(stdout);
}

struct cmd_show_what_result {
	cmdline_fixed_string_t show;
	cmdline_fixed_string_t what;
	cmdline_fixed_string_t all;
};

static cmdline_parse_token_string_t tok_sw_show =
	TOKEN_STRING_INITIALIZER(struct cmd_show_what_result, show, "show");
static cmdline_parse_token_string_t tok_sw_iface =
	TOKEN_STRING_INITIALIZER(struct cmd_show_what_result, what, "interface");
static cmdline_parse_token_string_t tok_sw_neigh =
	TOKEN_STRING_INITIALIZER(struct cmd_show_what_result, what, "neigh");
static cmdline_parse_token_string_t tok_sw_all =
	TOKEN_STRING_INITIALIZER(struct cmd_show_what_result, all, "all");

cmdline_parse_inst_t cmd_show_interface = {
	.f = cmd_show_interface_parsed,
	.help_str = "show interface all: ports, VLANs, MACs, addresses, gateways",
	.tokens = { (void *)&tok_sw_show, (void *)&tok_sw_iface, (void *)&tok_sw_all, NULL },
};

/* ---- show neigh all ---- */

static void
cmd_show_neigh_parsed(void *res, struct cmdline *cl, void *data)
{
	struct srtpfwd_app *app = console_app();
	uint32_t slots = neigh_slots(app->neigh);
	char buf[INET_ADDR_STRLEN];
	struct neigh_stats ns;

	RTE_SET_USED(res);
	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	neigh_table_stats(app->neigh, &ns);
	printf("  %u neighbours (max %u): created %" PRIu64 " expired %" PRIu64 " evicted %" PRIu64
	       " failed %" PRIu64 " table_full %" PRIu64 "\n", neigh_count(app->neigh),
	       app->cfg.neigh_max, ns.created, ns.expired, ns.evicted, ns.failed, ns.table_full);
	for (uint32_t i = 0; i < slots; i++) {
		const struct neigh_entry *e = neigh_at(app->neigh, i);
		struct rte_ether_addr mac;
		char macbuf[RTE_ETHER_ADDR_FMT_SIZE] = "-";

		if (e == NULL)
			continue;
		if (neigh_entry_mac(e, &mac))
			rte_ether_format_addr(macbuf, sizeof(macbuf), &mac);
		printf("  %-40s %-17s %-10s interface %s pins %u probes %u\n",
		       inet_addr_format(&e->ip, buf, sizeof(buf)), macbuf,
		       neigh_state_name((enum neigh_state)e->state),
		       app->cfg.ifaces[e->iface].name, e->refs, e->probes);
	}
	fflush(stdout);
}

cmdline_parse_inst_t cmd_show_neigh = {
	.f = cmd_show_neigh_parsed,
	.help_str = "show neigh all: next hops and their MAC resolution state",
	.tokens = { (void *)&tok_sw_show, (void *)&tok_sw_neigh, (void *)&tok_sw_all, NULL },
};
