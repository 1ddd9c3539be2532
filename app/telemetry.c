/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdlib.h>

#include <rte_telemetry.h>

#include "telemetry.h"

#define TELEMETRY_MAX_SESSIONS 512

/* Telemetry callbacks take no context argument. */
static struct srtpfwd_app *tel_app;

static int
tel_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct lcore_stats t;

	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	lcore_stats_sum(tel_app->stats, tel_app->n_workers + 1u, &t);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "rx_pkts", t.rx_pkts);
	rte_tel_data_add_dict_u64(d, "rx_bytes", t.rx_bytes);
	rte_tel_data_add_dict_u64(d, "tx_pkts", t.tx_pkts);
	rte_tel_data_add_dict_u64(d, "tx_bytes", t.tx_bytes);
	rte_tel_data_add_dict_u64(d, "punted", t.punted);
	rte_tel_data_add_dict_u64(d, "latched", t.latched);
	rte_tel_data_add_dict_u64(d, "dropped", lcore_stats_drops_total(&t));
	rte_tel_data_add_dict_u64(d, "sessions", session_count(tel_app->sessions));
	rte_tel_data_add_dict_u64(d, "workers", tel_app->n_workers);
	return 0;
}

static int
tel_drops(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct lcore_stats t;

	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	lcore_stats_sum(tel_app->stats, tel_app->n_workers + 1u, &t);
	rte_tel_data_start_dict(d);
	for (unsigned int r = 0; r < DROP_REASON_MAX; r++)
		rte_tel_data_add_dict_u64(d, drop_reason_name((enum drop_reason)r), t.drops[r]);
	return 0;
}

static int
tel_sessions(const char *cmd, const char *params, struct rte_tel_data *d)
{
	unsigned int n = 0;

	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	rte_tel_data_start_array(d, RTE_TEL_INT_VAL);
	for (uint32_t id = session_next(tel_app->sessions, 0);
	     id != SESSION_NONE && n < TELEMETRY_MAX_SESSIONS;
	     id = session_next(tel_app->sessions, id + 1), n++)
		rte_tel_data_add_array_int(d, (int)id);
	return 0;
}

static void
leg_dict(struct rte_tel_data *ld, const struct leg *leg)
{
	char buf[INET_ENDPOINT_STRLEN];
	const struct leg_path *path = leg_path(leg);

	rte_tel_data_start_dict(ld);
	rte_tel_data_add_dict_string(ld, "local",
				     inet_endpoint_format(&leg->local, buf, sizeof(buf)));
	if (path != NULL)
		rte_tel_data_add_dict_string(ld, "remote",
					     inet_endpoint_format(&path->remote, buf, sizeof(buf)));
	rte_tel_data_add_dict_u64(ld, "rx_pkts",
				  leg->counters.rx_pkts + leg->counters.slow_rx_pkts);
	rte_tel_data_add_dict_u64(ld, "rx_bytes",
				  leg->counters.rx_bytes + leg->counters.slow_rx_bytes);
	rte_tel_data_add_dict_u64(ld, "fwd_pkts",
				  leg->counters.fwd_pkts + leg->counters.slow_fwd_pkts);
	for (unsigned int k = 0; k < LEG_DROP_MAX; k++)
		rte_tel_data_add_dict_u64(ld, leg_drop_name((enum leg_drop)k),
					  leg->counters.drops[k]);
}

static int
tel_session(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct leg *legs = session_table_legs(tel_app->sessions);
	const struct session *s;
	struct rte_tel_data *ld;
	char *end;
	unsigned long id;

	RTE_SET_USED(cmd);
	if (params == NULL || params[0] == '\0')
		return -EINVAL;
	id = strtoul(params, &end, 10);
	if (*end != '\0' || id > UINT32_MAX)
		return -EINVAL;
	s = session_get(tel_app->sessions, (uint32_t)id);
	if (s == NULL)
		return -ENOENT;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "id", s->id);
	rte_tel_data_add_dict_string(d, "mode", session_mode_name((enum session_mode)s->mode));
	for (int i = 0; i < 2; i++) {
		ld = rte_tel_data_alloc();
		if (ld == NULL)
			return -ENOMEM;
		leg_dict(ld, &legs[s->leg[i]]);
		rte_tel_data_add_dict_container(d, i == 0 ? "leg_a" : "leg_b", ld, 0);
	}
	return 0;
}

static int
tel_dtls(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct dtls_stats e;
	struct dtls_legs_stats l;

	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	dtls_engine_stats(tel_app->dtls, &e);
	dtls_legs_stats(tel_app->dtls_legs, &l);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "fingerprint_sha-256", dtls_engine_fingerprint(tel_app->dtls));
	rte_tel_data_add_dict_u64(d, "handshakes_started", e.handshakes_started);
	rte_tel_data_add_dict_u64(d, "handshakes_completed", e.handshakes_completed);
	rte_tel_data_add_dict_u64(d, "keys_installed", l.keys_installed);
	rte_tel_data_add_dict_u64(d, "install_failed", l.install_failed);
	rte_tel_data_add_dict_u64(d, "media_stopped", l.media_stopped);
	rte_tel_data_add_dict_u64(d, "restarts", l.restarts);
	rte_tel_data_add_dict_u64(d, "restarts_refused", l.restarts_refused);
	rte_tel_data_add_dict_u64(d, "closed", e.closed);
	rte_tel_data_add_dict_u64(d, "fatal_alerts_rx", e.fatal_alerts_rx);
	rte_tel_data_add_dict_u64(d, "retransmits", e.retransmits);
	rte_tel_data_add_dict_u64(d, "records_dropped", e.records_dropped);
	rte_tel_data_add_dict_u64(d, "output_dropped", e.output_dropped);
	for (unsigned int r = DTLS_FAIL_NONE + 1; r < DTLS_FAIL_MAX; r++)
		rte_tel_data_add_dict_u64(d, dtls_fail_reason_name((enum dtls_fail_reason)r),
					  e.failures[r]);
	return 0;
}

int
telemetry_register(struct srtpfwd_app *app)
{
	tel_app = app;
	if (rte_telemetry_register_cmd("/srtpfwd/stats", tel_stats,
				       "Packet totals of all lcores. No parameters") != 0 ||
	    rte_telemetry_register_cmd("/srtpfwd/drops", tel_drops,
				       "Every drop counter, summed over lcores. No parameters") != 0 ||
	    rte_telemetry_register_cmd("/srtpfwd/sessions", tel_sessions,
				       "Session ids (first 512). No parameters") != 0 ||
	    rte_telemetry_register_cmd("/srtpfwd/session", tel_session,
				       "One session's legs and counters. Parameter: session id") != 0 ||
	    rte_telemetry_register_cmd("/srtpfwd/dtls", tel_dtls,
				       "DTLS-SRTP fingerprint, handshakes, failures by reason") != 0)
		return -EINVAL;
	return 0;
}
