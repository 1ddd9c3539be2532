/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * srtpfwd: the media plane of a WebRTC access gateway. This file only wires
 * the areas under lib/ together: EAL, configuration, ports, tables, worker
 * and control lcores, console and telemetry, and a clean shutdown.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "config/config.h"
#include "fwd/punt.h"
#include "port/port_setup.h"

#include "app_ctx.h"
#include "console/console.h"
#include "control_loop.h"
#include "ctl_tx.h"
#include "telemetry.h"
#include "worker_loop.h"

#define MBUF_CACHE 256

static struct srtpfwd_app *signal_app;

static void
on_signal(int sig)
{
	RTE_SET_USED(sig);
	if (signal_app != NULL)
		app_request_quit(signal_app);
}

static int
fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "srtpfwd: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	return -1;
}

static int
load_config(struct srtpfwd_app *app)
{
	char err[CONFIG_ERR_LEN];
	int ret;

	if (app->opts.config_file != NULL)
		ret = config_load_file(app->opts.config_file, &app->cfg, err, sizeof(err));
	else
		ret = config_parse(config_embedded_default(), "embedded-default", &app->cfg, err,
				   sizeof(err));
	return ret == 0 ? 0 : fail("%s", err);
}

static int
setup_ports(struct srtpfwd_app *app)
{
	struct port_setup_params pp = {
		.rxq_wanted = app->opts.rxq ? app->opts.rxq : app->n_workers,
		.txq = (uint16_t)(app->n_workers + 1),
		.rx_desc = app->cfg.rx_desc,
		.tx_desc = app->cfg.tx_desc,
		.pool = app->pool,
	};
	char err[256];

	for (uint16_t i = 0; i < app->cfg.n_ifaces; i++) {
		struct iface *ifc = &app->cfg.ifaces[i];
		uint16_t port;

		if (port_resolve(ifc->port_name, &port) != 0)
			return fail("interface %s: no DPDK port '%s' (%u ports; add --vdev or check the PCI device)",
				    ifc->name, ifc->port_name, rte_eth_dev_count_avail());
		ifc->port_id = port;
		if (!app->port_started[port]) {
			struct port_setup_result res;

			if (port_setup(port, &pp, &res, err, sizeof(err)) != 0)
				return fail("interface %s: %s", ifc->name, err);
			app->port_rxq[port] = res.rxq;
			app->port_tx_udp_cksum[port] = res.tx_udp_cksum;
			app->port_started[port] = true;
			app->ports[app->n_ports++] = port;
		}
		ifc->tx_udp_cksum = app->port_tx_udp_cksum[port];
		if (!ifc->mac_configured)
			rte_eth_macaddr_get(port, &ifc->mac);
	}
	return 0;
}

/*
 * A ring from each worker to each other one: an unlatched media leg's
 * packets go to its home worker (fwd_worker.h).
 */
static int
setup_handoff(struct srtpfwd_app *app)
{
	uint16_t n = app->n_workers;
	struct fwd_worker *ws[FWD_WORKERS_MAX];
	char name[RTE_RING_NAMESIZE];

	if (n > FWD_WORKERS_MAX)
		return fail("at most %d workers", FWD_WORKERS_MAX);
	app->handoff_rings = rte_zmalloc("handoff_rings", sizeof(struct rte_ring *) * n * n, 0);
	if (app->handoff_rings == NULL)
		return fail("out of memory for the handoff rings");
	for (uint16_t s = 0; s < n; s++) {
		ws[s] = &app->workers[s]->fw;
		for (uint16_t h = 0; h < n && n > 1; h++) {
			if (s == h)
				continue;
			snprintf(name, sizeof(name), "handoff_%u_%u", s, h);
			app->handoff_rings[s * n + h] = rte_ring_create(name, app->cfg.punt_ring_size,
				(int)rte_lcore_to_socket_id(app->workers[h]->lcore),
				RING_F_SP_ENQ | RING_F_SC_DEQ);
			if (app->handoff_rings[s * n + h] == NULL)
				return fail("handoff ring %u->%u: %s", s, h, rte_strerror(rte_errno));
		}
	}
	fwd_workers_handoff_init(ws, n, app->handoff_rings);
	return 0;
}

/* Spread every (port, RX queue) over the workers. */
static int
setup_workers(struct srtpfwd_app *app)
{
	unsigned int lcore, w = 0;
	char name[RTE_RING_NAMESIZE];

	RTE_LCORE_FOREACH_WORKER(lcore) {
		struct worker_ctx *wc = rte_zmalloc_socket("worker", sizeof(*wc),
							   RTE_CACHE_LINE_SIZE,
							   (int)rte_lcore_to_socket_id(lcore));

		if (wc == NULL)
			return fail("out of memory for worker %u", w);
		for (int c = 0; c < PUNT_CLASS_MAX; c++) {
			snprintf(name, sizeof(name), "punt_%s_%u", punt_class_name(c), w);
			app->punt_rings[w][c] = rte_ring_create(name, app->cfg.punt_ring_size,
								(int)rte_lcore_to_socket_id(lcore),
								RING_F_SP_ENQ | RING_F_SC_DEQ);
			if (app->punt_rings[w][c] == NULL)
				return fail("punt ring %s %u: %s", punt_class_name(c), w,
					    rte_strerror(rte_errno));
		}
		snprintf(name, sizeof(name), "latch_%u", w);
		app->latch_rings[w] = latch_ring_create(name, app->cfg.punt_ring_size,
							(int)rte_lcore_to_socket_id(lcore));
		if (app->latch_rings[w] == NULL)
			return fail("latch ring %u: %s", w, rte_strerror(rte_errno));
		wc->app = app;
		wc->lcore = lcore;
		wc->index = (uint16_t)w;
		fwd_worker_init(&wc->fw, &(struct fwd_worker_conf){
			.plane = &app->plane,
			.stats = &app->stats[w],
			.leg_lcore = session_table_leg_lcore(app->sessions, (uint16_t)w),
			.punt_ring = { app->punt_rings[w][PUNT_CLASS_ARP_ND],
				       app->punt_rings[w][PUNT_CLASS_DTLS],
				       app->punt_rings[w][PUNT_CLASS_OTHER] },
			.latch_ring = app->latch_rings[w],
			.index = (uint16_t)w,
			.n_workers = app->n_workers,
			.txq = (uint16_t)w,
			.punt_rate = { app->cfg.punt_rate_arp_nd, app->cfg.punt_rate_dtls,
				       app->cfg.punt_rate_other },
			.punt_rate_source = app->cfg.punt_rate_source,
			.srtp = srtp_engine_worker(app->srtp, (uint16_t)w),
			.li_ring = li_service_ring(app->li, (uint16_t)w),
			.li_pool = li_service_pool(app->li),
		});
		app->workers[w++] = wc;
	}
	for (uint16_t i = 0; i < app->n_ports; i++) {
		uint16_t port = app->ports[i];

		for (uint16_t q = 0; q < app->port_rxq[port]; q++) {
			struct worker_ctx *wc = app->workers[q % app->n_workers];

			if (wc->n_rxq == APP_MAX_RXQ_PER_WORKER)
				return fail("more than %d RX queues for one worker",
					    APP_MAX_RXQ_PER_WORKER);
			wc->rxq[wc->n_rxq].port = port;
			wc->rxq[wc->n_rxq].queue = q;
			wc->n_rxq++;
		}
	}
	return setup_handoff(app);
}

/* The SRTP engine, one queue pair per worker. */
static int
setup_srtp(struct srtpfwd_app *app)
{
	const char *dev = app->opts.crypto_dev ? app->opts.crypto_dev : "crypto_aesni_mb";
	enum srtp_backend b = app->opts.srtp_backend;
	bool uses_dev = b == SRTP_BACKEND_CRYPTODEV || b == SRTP_BACKEND_CPU_CRYPTO;
	struct srtp_engine_conf ec = {
		.backend = app->opts.srtp_backend,
		.cdev_name = dev,
		.vdev_args = NULL,
		.nb_workers = app->n_workers,
		.max_contexts = app->cfg.srtp_contexts,
		.socket = (int)rte_socket_id(),
	};

	app->srtp = srtp_engine_create(&ec);
	if (app->srtp == NULL)
		return fail("SRTP engine (%s%s%s): %s", srtp_backend_name(ec.backend),
			    uses_dev ? " on " : "", uses_dev ? dev : "", rte_strerror(rte_errno));
	return 0;
}

/* The control lcore's latch, for its run of the worker stages. */
static int
ctl_latch(void *arg, uint32_t leg_id, const struct inet_endpoint *remote)
{
	return call_leg_set_remote(arg, leg_id, remote);
}

/*
 * The slow path, with the worker stages run on the control lcore for
 * learning e2e legs (its TX queue, its counters; no SRTP).
 */
/* Lawful interception: the mediation functions, a copy ring per worker and the control lcore. */
static int
setup_li(struct srtpfwd_app *app)
{
	struct call_part part;
	char err[256];

	app->li = li_service_create(&app->cfg, app->sessions, (uint16_t)(app->n_workers + 1),
				    (int)rte_socket_id(), err, sizeof(err));
	if (app->li == NULL)
		return fail("%s", err);
	call_li_part(app->li, &part);
	return call_layer_add_part(app->calls, &part);
}

static int
setup_slow_path(struct srtpfwd_app *app)
{
	struct drop_counters drops = {
		.lcore = app_ctl_stats(app),
		.legs = session_table_leg_lcore(app->sessions, app->n_workers),
	};

	app->ctl_fwd = rte_zmalloc("ctl_fwd", sizeof(*app->ctl_fwd), RTE_CACHE_LINE_SIZE);
	if (app->ctl_fwd == NULL)
		return fail("no memory for the control lcore's stages");
	app->ctl_latch = (struct fwd_ctl){ .latch = ctl_latch, .latch_arg = app->calls };
	fwd_worker_init(app->ctl_fwd, &(struct fwd_worker_conf){
		.plane = &app->plane,
		.stats = drops.lcore,
		.leg_lcore = drops.legs,
		.txq = app->ctl_txq,
		.ctl = &app->ctl_latch,
		.li_ring = li_service_ring(app->li, app->n_workers),
		.li_pool = li_service_pool(app->li),
	});
	app->slow = (struct slow_path){
		.plane = &app->plane,
		.sessions = app->sessions,
		.resolver = &app->resolver,
		.drops = drops,
		.fwd = app->ctl_fwd,
		.latch = ctl_latch,
		.latch_arg = app->calls,
	};
	return 0;
}

/* The DTLS-SRTP engine (certificate, profiles) and the legs' endpoints. */
static int
setup_dtls(struct srtpfwd_app *app)
{
	struct dtls_engine_conf dc = {
		.n_profiles = app->opts.n_dtls_profiles,
		.mtu = app->opts.dtls_mtu,
		.handshake_timeout_ms = app->opts.dtls_timeout_ms,
		.cert_validity_days = app->opts.dtls_cert_days,
		.cert_file = app->opts.dtls_cert,
		.key_file = app->opts.dtls_key,
	};
	struct dtls_legs_params lp = {
		.calls = app->calls,
		.plane = &app->plane,
		.paths = { .ifaces = app->cfg.ifaces, .neigh = app->neigh, .resolver = &app->resolver },
		.pool = app->pool,
		.drops = app->slow.drops,
		.tx = app_ctl_tx,
		.tx_arg = app,
		.max_legs = session_max(app->sessions) * 2,
		.peer_timeout_ms = app->opts.dtls_peer_timeout_ms,
	};
	struct call_part part;
	uint32_t days;

	memcpy(dc.profiles, app->opts.dtls_profiles, sizeof(dc.profiles));
	app->dtls = dtls_engine_create(&dc);
	if (app->dtls == NULL)
		return fail("DTLS: %s%s", app->opts.dtls_cert != NULL ?
			    "cannot load --dtls-cert/--dtls-key: " : "cannot set up OpenSSL: ",
			    strerror(rte_errno));
	lp.engine = app->dtls;
	app->dtls_legs = dtls_legs_create(&lp);
	if (app->dtls_legs == NULL)
		return fail("DTLS: %s for %u endpoints", rte_errno == EIO ? "no random bytes" :
			    "no memory", lp.max_legs);
	/* A generated certificate is renewed at half its validity; a loaded one is the operator's. */
	if (app->opts.dtls_cert == NULL) {
		days = dc.cert_validity_days ? dc.cert_validity_days :
					       DTLS_CERT_VALIDITY_DAYS_DEFAULT;
		app->dtls_renew_tsc = rte_get_tsc_cycles() + rte_get_tsc_hz() * 86400ull * days / 2;
	}
	app->slow.dtls = app->dtls_legs;
	call_dtls_part(app->dtls_legs, &part);
	return call_layer_add_part(app->calls, &part);
}

/* ICE-lite: the control lcore's side (nominations, consent, restarts). */
/* ng signalling: the calls it makes and the server that takes its requests. */
static int
setup_ng(struct srtpfwd_app *app)
{
	struct ng_calls_params np = {
		.calls = app->calls,
		.sessions = app->sessions,
		.ice = app->ice_legs,
		.dtls = app->dtls,
		.dtls_legs = app->dtls_legs,
		.ifaces = app->cfg.ifaces,
		.n_ifaces = app->cfg.n_ifaces,
		.max_calls = app->cfg.max_sessions,
		.media_timeout_s = app->cfg.media_timeout_s,
		.li = app->li,
		.log = stdout,
	};
	const struct inet_endpoint *udp = app->cfg.ng_enabled ? &app->cfg.ng_listen : NULL;
	struct ng_command_table cmds;
	char err[128];

	if (udp == NULL && !app->cfg.ng_tcp_enabled)
		return 0;
	app->ng_calls = ng_calls_create(&np);
	if (app->ng_calls == NULL)
		return fail("no memory for %u ng calls", np.max_calls);
	ng_calls_commands(app->ng_calls, &cmds);
	app->ng = ng_server_create(udp, &cmds, err, sizeof(err));
	/*
	 * An address the operator chose must work; the default may be
	 * taken (rtpengine, another srtpfwd): say so and go on without.
	 */
	if (app->ng == NULL && app->cfg.ng_listen_given)
		return fail("%s", err);
	if (app->ng == NULL)
		printf("srtpfwd: %s: no ng server (set ng-listen in [general], or off)\n", err);
	if (!app->cfg.ng_tcp_enabled)
		return 0;
	/* ng-listen-tcp is always the operator's choice: it must bind. */
	if (app->ng == NULL)
		app->ng = ng_server_create(NULL, &cmds, err, sizeof(err));
	if (app->ng == NULL)
		return fail("%s", err);
	if (ng_server_listen_tcp(app->ng, &app->cfg.ng_listen_tcp, err, sizeof(err)) != 0)
		return fail("%s", err);
	return 0;
}

static int
setup_ice(struct srtpfwd_app *app)
{
	struct ice_legs_params ip = {
		.sessions = app->sessions,
		.plane = &app->plane,
		.rcu = app->rcu,
		.max_legs = session_max(app->sessions) * 2,
		.consent_timeout_ms = app->opts.ice_consent_ms,
	};
	struct call_part part;

	app->ice_legs = ice_legs_create(&ip);
	if (app->ice_legs == NULL)
		return fail("ICE: no memory for %u legs", ip.max_legs);
	app->slow.ice = app->ice_legs;
	call_ice_part(app->ice_legs, &part);
	return call_layer_add_part(app->calls, &part);
}

static int
setup(struct srtpfwd_app *app)
{
	struct session_table_params sp;
	size_t rcu_size;

	if (rte_lcore_count() < 2)
		return fail("needs a control lcore and at least one worker lcore (EAL -l 0-1)");
	app->n_workers = (uint16_t)(rte_lcore_count() - 1);
	app->ctl_txq = app->n_workers;
	app->stats = rte_zmalloc("lcore_stats", sizeof(struct lcore_stats) * (app->n_workers + 1u),
				 RTE_CACHE_LINE_SIZE);
	app->stats_base = rte_zmalloc("lcore_stats_base",
				      sizeof(struct lcore_stats) * (app->n_workers + 1u), 0);
	app->pool = rte_pktmbuf_pool_create("mbufs", app->cfg.mbufs, MBUF_CACHE, 0,
					    app->cfg.mbuf_data_room, (int)rte_socket_id());
	if (app->stats == NULL || app->stats_base == NULL || app->pool == NULL)
		return fail("cannot allocate %u mbufs of %u bytes (raise EAL -m): %s",
			    app->cfg.mbufs, app->cfg.mbuf_data_room, rte_strerror(rte_errno));
	if (setup_ports(app) != 0)
		return -1;
	if (ctl_tx_init(app) != 0)
		return fail("no memory for the control lcore's TX buffers");

	rcu_size = rte_rcu_qsbr_get_memsize(RTE_MAX_LCORE);
	app->rcu = rte_zmalloc("rcu", rcu_size, RTE_CACHE_LINE_SIZE);
	if (app->rcu == NULL || rte_rcu_qsbr_init(app->rcu, RTE_MAX_LCORE) != 0)
		return fail("cannot set up RCU");

	app->neigh = neigh_table_create(app->cfg.neigh_max, (int)rte_socket_id());
	if (app->neigh == NULL)
		return fail("cannot create the neighbour table");
	neigh_resolver_init(&app->resolver, app->neigh, app->cfg.ifaces, app->cfg.n_ifaces,
			    app->pool, app_ctl_stats(app), app_ctl_tx, app);
	neigh_resolver_set_limits(&app->resolver, app->cfg.neigh_idle,
				  (uint8_t)app->cfg.neigh_probes);
	for (uint16_t i = 0; i < app->cfg.n_ifaces; i++) {
		const struct iface *ifc = &app->cfg.ifaces[i];

		for (uint16_t n = 0; n < ifc->n_static_neigh; n++)
			if (neigh_add_static(app->neigh, i, &ifc->static_neigh[n].ip,
					     &ifc->static_neigh[n].mac) != 0)
				return fail("neighbour table full (neigh-max %u)",
					    app->cfg.neigh_max);
	}

	if (setup_srtp(app) != 0)
		return -1;
	memset(&sp, 0, sizeof(sp));
	sp.srtp = app->srtp;
	sp.max_sessions = app->cfg.max_sessions;
	sp.socket = (int)rte_socket_id();
	sp.rcu = app->rcu;
	sp.ifaces = app->cfg.ifaces;
	sp.n_ifaces = app->cfg.n_ifaces;
	sp.paths = (struct leg_path_builder){
		.ifaces = app->cfg.ifaces, .neigh = app->neigh, .resolver = &app->resolver,
	};
	sp.n_lcores = (uint16_t)(app->n_workers + 1);
	sp.n_workers = app->n_workers;
	app->sessions = session_table_create(&sp);
	if (app->sessions == NULL)
		return fail("cannot create tables for %u sessions (raise EAL -m): %s",
			    app->cfg.max_sessions, rte_strerror(rte_errno));
	app->calls = call_layer_create(app->sessions);
	if (app->calls == NULL)
		return fail("no memory for the call layer of %u sessions", app->cfg.max_sessions);
	if (fwd_plane_init(&app->plane, app->cfg.ifaces, app->cfg.n_ifaces,
			   session_table_legs(app->sessions),
			   session_table_flows(app->sessions)) != 0)
		return fail("cannot set up the forwarding plane");
	/*
	 * udp-checksum auto: where the payload is carried through, the RFC 1624
	 * update keeps a bad checksum bad for the receiver; where it is
	 * rewritten, SRTP authentication or a software check (plain RTP in,
	 * media path) stands in. The NIC's verdict always counts.
	 */
	if (!app->cfg.udp_cksum_verify)
		app->plane.parse_flags |= PKT_PARSE_UDP_CKSUM_PRESERVE;
	app->plane.ice_state = session_table_ice_state(app->sessions);
	if (setup_li(app) != 0 || setup_slow_path(app) != 0 || setup_dtls(app) != 0 || setup_ice(app) != 0 ||
	    setup_ng(app) != 0)
		return -1;
	return setup_workers(app);
}

static void
teardown(struct srtpfwd_app *app)
{
	ctl_tx_fini(app);
	for (uint16_t i = 0; i < app->n_ports; i++)
		port_teardown(app->ports[i]);
	if (app->handoff_rings != NULL)
		for (uint32_t r = 0; r < (uint32_t)app->n_workers * app->n_workers; r++) {
			struct rte_mbuf *m;

			/* What a worker handed over as the workers stopped. */
			while (app->handoff_rings[r] != NULL &&
			       rte_ring_sc_dequeue(app->handoff_rings[r], (void **)&m) == 0)
				rte_pktmbuf_free(m);
			rte_ring_free(app->handoff_rings[r]);
		}
	rte_free(app->handoff_rings);
	for (uint16_t w = 0; w < app->n_workers; w++) {
		rte_free(app->workers[w]);
		for (int c = 0; c < PUNT_CLASS_MAX; c++)
			rte_ring_free(app->punt_rings[w][c]);
		rte_ring_free(app->latch_rings[w]);
	}
	fwd_plane_fini(&app->plane);
	/* Calls and endpoints first: session_table_free() frees legs without the call layer. */
	ng_calls_free(app->ng_calls);
	app->ng_calls = NULL;
	dtls_legs_free(app->dtls_legs);
	app->dtls_legs = NULL;
	ice_legs_free(app->ice_legs);
	app->ice_legs = NULL;
	ng_server_free(app->ng);
	app->ng = NULL;
	ng_calls_free(app->ng_calls);
	app->ng_calls = NULL;
	call_layer_free(app->calls);
	li_service_free(app->li);
	app->li = NULL;
	rte_free(app->ctl_fwd);
	session_table_free(app->sessions);
	dtls_engine_free(app->dtls);
	if (app->srtp != NULL)
		srtp_engine_free(app->srtp);
	neigh_table_free(app->neigh);
	rte_free(app->rcu);
	rte_mempool_free(app->pool);
	rte_free(app->stats);
	rte_free(app->stats_base);
}

int
main(int argc, char **argv)
{
	static struct srtpfwd_app app;
	int ret, status = EXIT_FAILURE;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fail("EAL initialisation failed: %s", rte_strerror(rte_errno));
		return EXIT_FAILURE;
	}
	argc -= ret;
	argv += ret;
	argv[0] = (char *)"srtpfwd";
	if (app_options_parse(argc, argv, &app.opts) != 0 || load_config(&app) != 0 ||
	    setup(&app) != 0)
		goto out;
	if (telemetry_register(&app) != 0)
		fail("telemetry commands not registered (continuing)");

	signal_app = &app;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	printf("srtpfwd: %u worker(s), %u port(s), %u interface(s), up to %u sessions\n",
	       app.n_workers, app.n_ports, app.cfg.n_ifaces, app.cfg.max_sessions);
	for (uint16_t i = 0; i < app.n_ports; i++) {
		uint16_t port = app.ports[i];
		char name[RTE_ETH_NAME_MAX_LEN] = "?";

		rte_eth_dev_get_name_by_port(port, name);
		printf("srtpfwd: port %u (%s): %u RX queue(s), "
		       "UDP checksums of rewritten payloads summed by the %s\n",
		       port, name, app.port_rxq[port], app.port_tx_udp_cksum[port] ? "device" : "CPU");
	}
	fflush(stdout);
	app.start_tsc = rte_get_tsc_cycles();
	__atomic_store_n(&app.forwarding, true, __ATOMIC_RELEASE);
	/* Provisioning from the file is in place before the first packet is read. */
	if (app.opts.cmdline_file != NULL) {
		ret = console_run_file(&app, app.opts.cmdline_file);
		if (ret != 0)
			fail("--cmdline-file %s: %s", app.opts.cmdline_file, strerror(-ret));
	}
	for (uint16_t w = 0; w < app.n_workers; w++)
		rte_eal_remote_launch(worker_loop, app.workers[w], app.workers[w]->lcore);
	if (app.opts.interactive && console_open_interactive(&app) != 0)
		fail("cannot open the console on stdin");
	control_loop(&app);
	console_close(&app);

	rte_eal_mp_wait_lcore();
	/* Hand over what is still punted, so the counters add up. */
	for (uint16_t w = 0; w < app.n_workers; w++) {
		struct rte_mbuf *m;

		for (int c = 0; c < PUNT_CLASS_MAX; c++)
			while (rte_ring_sc_dequeue(app.punt_rings[w][c], (void **)&m) == 0)
				rte_pktmbuf_free(m);
	}
	printf("srtpfwd: stopping; final counters:\n");
	console_print_stats(&app, stdout);
	status = EXIT_SUCCESS;
out:
	signal_app = NULL;
	teardown(&app);
	rte_eal_cleanup();
	return status;
}
