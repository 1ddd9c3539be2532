/* SPDX-License-Identifier: BSD-3-Clause */
#include <pthread.h>
#include <stdlib.h>

#include <rte_cycles.h>
#include <rte_mempool.h>
#include <rte_telemetry.h>

#include "telemetry.h"
#include "timing_report.h"

#define TELEMETRY_MAX_SESSIONS 512
#define TELEMETRY_WAIT_US 2000000

/* Telemetry callbacks take no context argument. */
static struct srtpfwd_app *tel_app;

/*
 * Telemetry runs on threads of its own; what it shows is the control
 * lcore's (tables it alone writes and frees, a certificate it renews). So
 * a request is handed to the control lcore, which answers it between two
 * loop passes: telemetry reads nothing but the answer published for it.
 */
enum mailbox_state { MB_IDLE, MB_POSTED, MB_RUNNING, MB_DONE };

static struct {
	pthread_mutex_t lock;		/* between telemetry threads only */
	telemetry_cb fn;
	const char *cmd;
	const char *params;
	struct rte_tel_data *d;
	int ret;
	uint32_t state;			/* enum mailbox_state, atomic */
} mailbox = { .lock = PTHREAD_MUTEX_INITIALIZER };

void
telemetry_serve(struct srtpfwd_app *app)
{
	uint32_t posted = MB_POSTED;

	RTE_SET_USED(app);
	if (__atomic_load_n(&mailbox.state, __ATOMIC_ACQUIRE) != MB_POSTED ||
	    !__atomic_compare_exchange_n(&mailbox.state, &posted, MB_RUNNING, false,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return;
	mailbox.ret = mailbox.fn(mailbox.cmd, mailbox.params, mailbox.d);
	__atomic_store_n(&mailbox.state, MB_DONE, __ATOMIC_RELEASE);
}

/* On a telemetry thread: have the control lcore run fn, wait for its answer. */
static int
ask_control(telemetry_cb fn, const char *cmd, const char *params, struct rte_tel_data *d)
{
	uint32_t posted = MB_POSTED;
	int ret = -EAGAIN;

	pthread_mutex_lock(&mailbox.lock);
	mailbox.fn = fn;
	mailbox.cmd = cmd;
	mailbox.params = params;
	mailbox.d = d;
	__atomic_store_n(&mailbox.state, MB_POSTED, __ATOMIC_RELEASE);
	for (unsigned int waited = 0;; waited += 100) {
		uint32_t st = __atomic_load_n(&mailbox.state, __ATOMIC_ACQUIRE);

		if (st == MB_DONE) {
			ret = mailbox.ret;
			break;
		}
		/* No answer (stopping, or stuck): take the request back unless it runs. */
		if ((waited >= TELEMETRY_WAIT_US || __atomic_load_n(&tel_app->quit, __ATOMIC_ACQUIRE)) &&
		    __atomic_compare_exchange_n(&mailbox.state, &posted, MB_IDLE, false,
						__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			break;
		posted = MB_POSTED;
		rte_delay_us_sleep(100);
	}
	__atomic_store_n(&mailbox.state, MB_IDLE, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&mailbox.lock);
	return ret;
}

static int
tel_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct lcore_stats t;

	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	app_stats_total(tel_app, &t);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "rx_pkts", t.rx_pkts);
	rte_tel_data_add_dict_u64(d, "rx_bytes", t.rx_bytes);
	rte_tel_data_add_dict_u64(d, "tx_pkts", t.tx_pkts);
	rte_tel_data_add_dict_u64(d, "tx_bytes", t.tx_bytes);
	rte_tel_data_add_dict_u64(d, "punted", t.punted);
	rte_tel_data_add_dict_u64(d, "handed_off", t.handed_off);
	rte_tel_data_add_dict_u64(d, "latched", t.latched);
	rte_tel_data_add_dict_u64(d, "stun_answered", t.stun_answered);
	rte_tel_data_add_dict_u64(d, "stun_errors", t.stun_errors);
	rte_tel_data_add_dict_u64(d, "stun_errors_limited", t.stun_errors_limited);
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
	app_stats_total(tel_app, &t);
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
	struct leg_stats ls;

	session_leg_stats(tel_app->sessions, leg->id, &ls);
	rte_tel_data_start_dict(ld);
	rte_tel_data_add_dict_string(ld, "local",
				     inet_endpoint_format(&leg->local, buf, sizeof(buf)));
	if (path != NULL)
		rte_tel_data_add_dict_string(ld, "remote",
					     inet_endpoint_format(&path->remote, buf, sizeof(buf)));
	rte_tel_data_add_dict_u64(ld, "rx_pkts", ls.traffic.rx_pkts);
	rte_tel_data_add_dict_u64(ld, "rx_bytes", ls.traffic.rx_bytes);
	rte_tel_data_add_dict_u64(ld, "fwd_pkts", ls.traffic.fwd_pkts);
	for (unsigned int k = 0; k < LEG_DROP_MAX; k++)
		rte_tel_data_add_dict_u64(ld, leg_drop_name((enum leg_drop)k), ls.drops[k]);
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

/* name with '-' as '_' (the console's spelling is "fingerprint-mismatch"). */
static const char *
tel_name(const char *in, char *buf, size_t len)
{
	size_t i;

	for (i = 0; in[i] != '\0' && i + 1 < len; i++)
		buf[i] = in[i] == '-' ? '_' : in[i];
	buf[i] = '\0';
	return buf;
}

static int
tel_dtls(const char *cmd, const char *params, struct rte_tel_data *d)
{
	char name[RTE_TEL_MAX_STRING_LEN];
	struct dtls_stats e;
	struct dtls_legs_stats l;

	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	dtls_engine_stats(tel_app->dtls, &e);
	dtls_legs_stats(tel_app->dtls_legs, &l);
	rte_tel_data_start_dict(d);
	/* Telemetry names are [A-Za-z0-9_/]: a '-' makes the entry vanish. */
	rte_tel_data_add_dict_string(d, "fingerprint_sha256", dtls_engine_fingerprint(tel_app->dtls));
	rte_tel_data_add_dict_u64(d, "handshakes_started", e.handshakes_started);
	rte_tel_data_add_dict_u64(d, "handshakes_completed", e.handshakes_completed);
	rte_tel_data_add_dict_u64(d, "keys_installed", l.keys_installed);
	rte_tel_data_add_dict_u64(d, "install_failed", l.install_failed);
	rte_tel_data_add_dict_u64(d, "media_stopped", l.media_stopped);
	rte_tel_data_add_dict_u64(d, "restarts", l.restarts);
	rte_tel_data_add_dict_u64(d, "restarts_refused", l.restarts_refused);
	rte_tel_data_add_dict_u64(d, "restarts_completed", l.restarts_completed);
	rte_tel_data_add_dict_u64(d, "restart_failed", l.restart_failed);
	rte_tel_data_add_dict_u64(d, "hvr_sent", l.hvr_sent);
	rte_tel_data_add_dict_u64(d, "cookies_verified", l.cookies_verified);
	rte_tel_data_add_dict_u64(d, "not_hello", l.not_hello);
	rte_tel_data_add_dict_u64(d, "peer_timeouts", l.peer_timeouts);
	rte_tel_data_add_dict_u64(d, "closed", e.closed);
	rte_tel_data_add_dict_u64(d, "fatal_alerts_rx", e.fatal_alerts_rx);
	rte_tel_data_add_dict_u64(d, "retransmits", e.retransmits);
	rte_tel_data_add_dict_u64(d, "records_dropped", e.records_dropped);
	rte_tel_data_add_dict_u64(d, "output_dropped", e.output_dropped);
	for (unsigned int r = DTLS_FAIL_NONE + 1; r < DTLS_FAIL_MAX; r++)
		rte_tel_data_add_dict_u64(d, tel_name(dtls_fail_reason_name((enum dtls_fail_reason)r),
						      name, sizeof(name)), e.failures[r]);
	return 0;
}

static int
tel_ice(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct ice_legs_stats s;

	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	ice_legs_stats(tel_app->ice_legs, &s);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "legs", s.legs);
	rte_tel_data_add_dict_u64(d, "latched", s.latched);
	rte_tel_data_add_dict_u64(d, "moved", s.moved);
	rte_tel_data_add_dict_u64(d, "latch_failed", s.latch_failed);
	rte_tel_data_add_dict_u64(d, "consent_expired", s.consent_expired);
	rte_tel_data_add_dict_u64(d, "consent_resumed", s.consent_resumed);
	rte_tel_data_add_dict_u64(d, "restarts", s.restarts);
	rte_tel_data_add_dict_u64(d, "restarts_done", s.restarts_done);
	return 0;
}

/* The ng calls: how many, what became of them, the commands run. */
static int
tel_calls(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct ng_calls_stats s = { 0 };

	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	if (tel_app->ng_calls != NULL)
		ng_calls_stats(tel_app->ng_calls, &s);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "current", s.current);
	rte_tel_data_add_dict_u64(d, "managed", s.managed);
	rte_tel_data_add_dict_u64(d, "rejected", s.rejected);
	rte_tel_data_add_dict_u64(d, "timeout", s.timeout);
	rte_tel_data_add_dict_u64(d, "deleted", s.deleted);
	rte_tel_data_add_dict_u64(d, "offers", s.offers);
	rte_tel_data_add_dict_u64(d, "answers", s.answers);
	rte_tel_data_add_dict_u64(d, "answers_repeated", s.answers_repeated);
	rte_tel_data_add_dict_u64(d, "deletes", s.deletes);
	rte_tel_data_add_dict_u64(d, "queries", s.queries);
	return 0;
}

static void
tel_mempool(struct rte_mempool *mp, void *arg)
{
	rte_tel_data_add_dict_u64(arg, mp->name, rte_mempool_in_use_count(mp));
}

/* Elements in use per mempool (DPDK's /mempool/info has sizes, not use). */
static int
tel_mempools(const char *cmd, const char *params, struct rte_tel_data *d)
{
	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	rte_tel_data_start_dict(d);
	rte_mempool_walk(tel_mempool, d);
	return 0;
}

/* RX -> TX latency of all lcores: packets recorded and quantiles in nanoseconds. */
static int
tel_latency(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct lcore_stats t;
	char key[32];

	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	app_stats_total(tel_app, &t);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "timing", __atomic_load_n(&tel_app->plane.timing,
							       __ATOMIC_RELAXED));
	rte_tel_data_add_dict_u64(d, "packets", latency_hist_total(&t.latency));
	for (unsigned int i = 0; i < TIMING_QUANTILES; i++) {
		snprintf(key, sizeof(key), "%s_ns", timing_quantile_names[i]);
		rte_tel_data_add_dict_u64(d, key, (uint64_t)timing_quantile_ns(&t.latency,
									      timing_quantiles[i]));
	}
	rte_tel_data_add_dict_u64(d, "max_ns", (uint64_t)timing_max_ns(&t.latency));
	return 0;
}

/* Cycles per packet per worker stage (all lcores, sampled passes). */
static int
tel_stages(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct lcore_stats t;

	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	app_stats_total(tel_app, &t);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "sampled_packets", t.stages.pkts);
	for (unsigned int s = 0; s < STAGE_MAX; s++)
		rte_tel_data_add_dict_u64(d, stage_name((enum worker_stage)s),
					  (uint64_t)(timing_stage_per_pkt(&t.stages,
									  (enum worker_stage)s) + 0.5));
	return 0;
}

/* What telemetry calls: each answer is made on the control lcore. */
#define ON_CONTROL(name) \
static int \
name##_on_control(const char *cmd, const char *params, struct rte_tel_data *d) \
{ \
	return ask_control(name, cmd, params, d); \
}
ON_CONTROL(tel_stats)
ON_CONTROL(tel_drops)
ON_CONTROL(tel_sessions)
ON_CONTROL(tel_session)
ON_CONTROL(tel_dtls)
ON_CONTROL(tel_ice)
ON_CONTROL(tel_mempools)
ON_CONTROL(tel_calls)
ON_CONTROL(tel_latency)
ON_CONTROL(tel_stages)
#undef ON_CONTROL

int
telemetry_register(struct srtpfwd_app *app)
{
	tel_app = app;
	if (rte_telemetry_register_cmd("/srtpfwd/stats", tel_stats_on_control,
				       "Packet totals of all lcores. No parameters") != 0 ||
	    rte_telemetry_register_cmd("/srtpfwd/drops", tel_drops_on_control,
				       "Every drop counter, summed over lcores. No parameters") != 0 ||
	    rte_telemetry_register_cmd("/srtpfwd/sessions", tel_sessions_on_control,
				       "Session ids (first 512). No parameters") != 0 ||
	    rte_telemetry_register_cmd("/srtpfwd/session", tel_session_on_control,
				       "One session's legs and counters. Parameter: session id") != 0 ||
	    rte_telemetry_register_cmd("/srtpfwd/dtls", tel_dtls_on_control,
				       "DTLS-SRTP fingerprint, handshakes, failures by reason") != 0 ||
	    rte_telemetry_register_cmd("/srtpfwd/ice", tel_ice_on_control,
				       "ICE-lite legs, nominations, consent, restarts. No parameters") != 0 ||
	    rte_telemetry_register_cmd("/srtpfwd/mempools", tel_mempools_on_control,
				       "Elements in use per mempool. No parameters") != 0 ||
	    rte_telemetry_register_cmd("/srtpfwd/calls", tel_calls_on_control,
				       "ng calls: current, made, rejected, timed out, commands") != 0 ||
	    rte_telemetry_register_cmd("/srtpfwd/latency", tel_latency_on_control,
				       "RX -> TX per packet, all lcores: quantiles in ns") != 0 ||
	    rte_telemetry_register_cmd("/srtpfwd/stages", tel_stages_on_control,
				       "Worker cycles per packet per stage (sampled)") != 0)
		return -EINVAL;
	return 0;
}
