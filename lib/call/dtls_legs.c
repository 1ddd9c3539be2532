/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>

#include "../dtls/dtls_keys.h"
#include "../net/udp_output.h"
#include "call.h"
#include "dtls_legs.h"

#define DTLS_DGRAM_MAX 1500
#define NOT_TIMED UINT32_MAX

struct dtls_leg {
	struct dtls_conn *conn;		/* NULL: the leg has no endpoint */
	struct inet_endpoint peer;	/* whom the handshake runs with; family 0: nobody yet */
	/* Towards peer while it is not the leg's remote; remote.family 0: none built. */
	struct leg_path peer_path;
	uint64_t last_restart_ms;
	uint32_t timed_pos;		/* index in dl->timed, NOT_TIMED when absent */
	bool output_waiting;		/* datagrams queued, next hop unresolved */
};

struct dtls_legs {
	struct dtls_legs_params p;
	struct dtls_leg *legs;		/* p.max_legs */
	/*
	 * Legs with a timer running or a flight waiting for ARP/ND: what the
	 * 10 ms tick visits. Connected, idle legs (nearly all of them) are not.
	 */
	uint32_t *timed;
	uint32_t n_timed;
	uint64_t ms_div;		/* TSC cycles per millisecond */
	struct dtls_legs_stats stats;
	uint8_t buf[DTLS_DGRAM_MAX];
};

static uint64_t
now_ms(const struct dtls_legs *dl)
{
	return rte_get_tsc_cycles() / dl->ms_div;
}

struct dtls_legs *
dtls_legs_create(const struct dtls_legs_params *p)
{
	struct dtls_legs *dl;

	/* Control-plane memory: never touched by a worker. */
	dl = calloc(1, sizeof(*dl));
	if (dl == NULL)
		goto nomem;
	dl->p = *p;
	dl->legs = calloc(p->max_legs, sizeof(*dl->legs));
	dl->timed = calloc(p->max_legs, sizeof(*dl->timed));
	if (dl->legs == NULL || dl->timed == NULL)
		goto nomem;
	for (uint32_t i = 0; i < p->max_legs; i++)
		dl->legs[i].timed_pos = NOT_TIMED;
	dl->ms_div = rte_get_tsc_hz() / 1000;
	if (dl->ms_div == 0)
		dl->ms_div = 1;
	return dl;
nomem:
	dtls_legs_free(dl);
	rte_errno = ENOMEM;
	return NULL;
}

void
dtls_legs_free(struct dtls_legs *dl)
{
	if (dl == NULL)
		return;
	if (dl->legs != NULL)
		for (uint32_t i = 0; i < dl->p.max_legs; i++)
			dtls_conn_free(dl->legs[i].conn);
	free(dl->legs);
	free(dl->timed);
	free(dl);
}

/*
 * Where a datagram to the handshake's peer goes on the wire; false while
 * unresolved. The leg's path when the peer is its remote, else one built
 * for the peer by the same builder.
 */
static bool
peer_mac(struct dtls_legs *dl, const struct leg *leg, struct dtls_leg *dlg,
	 struct rte_ether_addr *mac)
{
	const struct leg_path *path = leg_path(leg);

	if (path != NULL && inet_endpoint_equal(&path->remote, &dlg->peer))
		return neigh_entry_mac(path->next_hop, mac);
	if (!inet_endpoint_equal(&dlg->peer_path.remote, &dlg->peer)) {
		/* The old peer's next hop is no longer needed (neighbour pins). */
		leg_path_release(&dl->p.paths, &dlg->peer_path);
		if (leg_path_build(&dl->p.paths, leg, &dlg->peer, &dlg->peer_path) != 0) {
			leg_path_release(&dl->p.paths, &dlg->peer_path);
			return false;
		}
	}
	return neigh_entry_mac(dlg->peer_path.next_hop, mac);
}

/* One datagram from leg's local address to dst. */
static void
send_datagram(struct dtls_legs *dl, const struct leg *leg, const struct inet_endpoint *dst,
	      const struct rte_ether_addr *mac, const uint8_t *data, uint16_t len)
{
	const struct iface *ifc = &dl->p.plane->ifaces[leg->iface];
	struct udp_output o = {
		.src_mac = ifc->mac,
		.dst_mac = *mac,
		.vlan_id = ifc->vlan_id,
		.ttl = ifc->ttl,
		.payload_rewritten = 1,
		.src = &leg->local,
		.dst = dst,
	};
	struct rte_mbuf *m = rte_pktmbuf_alloc(dl->p.pool);
	uint8_t *p;

	if (m == NULL) {
		drop_count(&dl->p.drops, leg->id, DROP_NO_MBUF);
		return;
	}
	p = (uint8_t *)rte_pktmbuf_append(m, len);
	if (p == NULL) {
		drop_pkt(&dl->p.drops, m, leg->id, DROP_NO_HEADROOM);
		return;
	}
	memcpy(p, data, len);
	if (udp_output_write(m, 0, len, dst, &leg->local, 0, &o) != 0) {
		drop_pkt(&dl->p.drops, m, leg->id, DROP_NO_HEADROOM);
		return;
	}
	dl->p.drops.lcore->tx_bytes += rte_pktmbuf_pkt_len(m);
	if (dl->p.tx(dl->p.tx_arg, ifc->port_id, m) == 0) {
		dl->p.drops.lcore->tx_pkts++;
		dl->stats.datagrams_tx++;
	} else {
		drop_count(&dl->p.drops, leg->id, DROP_TX_FULL);
	}
}

/*
 * Send what the endpoint has queued. While the peer's next hop is being
 * resolved the flight stays queued (the timer tries again) rather than
 * waiting a whole retransmission timeout.
 */
static void
flush_output(struct dtls_legs *dl, uint32_t leg_id)
{
	struct dtls_leg *dlg = &dl->legs[leg_id];
	const struct leg *leg = &dl->p.plane->legs[leg_id];
	struct rte_ether_addr mac;
	int n;

	if (dlg->peer.family == 0)
		return;
	if (!peer_mac(dl, leg, dlg, &mac)) {
		if (!dlg->output_waiting && dtls_conn_pop_output(dlg->conn, dl->buf, 0) == -ENOSPC)
			dl->stats.output_waiting++;
		dlg->output_waiting = true;
		return;
	}
	dlg->output_waiting = false;
	while ((n = dtls_conn_pop_output(dlg->conn, dl->buf, sizeof(dl->buf))) > 0)
		send_datagram(dl, leg, &dlg->peer, &mac, dl->buf, (uint16_t)n);
}

/* The handshake finished: its keys become the leg's SRTP, its peer the leg's remote. */
static void
install_keys(struct dtls_legs *dl, uint32_t leg_id)
{
	struct dtls_leg *dlg = &dl->legs[leg_id];
	const struct leg_path *path = leg_path(&dl->p.plane->legs[leg_id]);
	struct leg_crypto_spec rx = { .srtp = true }, tx = { .srtp = true };
	struct dtls_srtp_keys k;
	int ret;

	if (dtls_conn_export_keys(dlg->conn, &k) != 0) {
		dl->stats.install_failed++;
		return;
	}
	rx.profile = k.profile;
	tx.profile = k.profile;
	memcpy(rx.master_key, k.remote_key, k.key_len);
	memcpy(rx.master_salt, k.remote_salt, k.salt_len);
	memcpy(tx.master_key, k.local_key, k.key_len);
	memcpy(tx.master_salt, k.local_salt, k.salt_len);
	dtls_srtp_keys_wipe(&k);
	ret = call_leg_install_srtp(dl->p.calls, leg_id, &rx, &tx);
	explicit_bzero(&rx, sizeof(rx));
	explicit_bzero(&tx, sizeof(tx));
	if (ret != 0) {
		dl->stats.install_failed++;
		return;
	}
	dl->stats.keys_installed++;
	/* The peer proved it holds the signalled certificate: now it may be latched. */
	if (path == NULL || !inet_endpoint_equal(&path->remote, &dlg->peer)) {
		ret = call_leg_set_remote(dl->p.calls, leg_id, &dlg->peer);
		if (ret == 0)
			dl->p.drops.lcore->latched++;
		else
			drop_count(&dl->p.drops, leg_id,
				   ret == -ENOSPC ? DROP_NEIGH_TABLE_FULL : DROP_UNLATCHED);
	}
}

/* Put the leg on the tick's list, or take it off, as its endpoint needs. */
static void
update_timed(struct dtls_legs *dl, uint32_t leg_id)
{
	struct dtls_leg *dlg = &dl->legs[leg_id];
	bool want = dlg->conn != NULL &&
		    (dlg->output_waiting || dtls_conn_next_timeout(dlg->conn) != UINT64_MAX);
	uint32_t last;

	if (want && dlg->timed_pos == NOT_TIMED) {
		dlg->timed_pos = dl->n_timed;
		dl->timed[dl->n_timed++] = leg_id;
	} else if (!want && dlg->timed_pos != NOT_TIMED) {
		last = dl->timed[--dl->n_timed];
		dl->timed[dlg->timed_pos] = last;
		dl->legs[last].timed_pos = dlg->timed_pos;
		dlg->timed_pos = NOT_TIMED;
	}
}

static void
handle_events(struct dtls_legs *dl, uint32_t leg_id, int ev)
{
	if (ev <= 0) {
		update_timed(dl, leg_id);
		return;
	}
	if (ev & DTLS_EV_CONNECTED)
		install_keys(dl, leg_id);
	if (ev & (DTLS_EV_FAILED | DTLS_EV_CLOSED)) {
		const struct leg *leg = &dl->p.plane->legs[leg_id];

		if (leg->srtp != NULL) {
			call_leg_clear_srtp(dl->p.calls, leg_id);
			dl->stats.media_stopped++;
		}
	}
	if (ev & DTLS_EV_DROPPED)
		drop_count(&dl->p.drops, leg_id, DROP_DTLS_REFUSED);
	flush_output(dl, leg_id);
	/* A handshake that is over needs its peer's next hop no more (neighbour pins). */
	if ((ev & (DTLS_EV_FAILED | DTLS_EV_CLOSED)) && !dl->legs[leg_id].output_waiting)
		leg_path_release(&dl->p.paths, &dl->legs[leg_id].peer_path);
	update_timed(dl, leg_id);
}

int
dtls_legs_attach(struct dtls_legs *dl, uint32_t leg_id, const struct dtls_leg_conf *conf,
		 char *err, size_t errlen)
{
	const struct leg *leg;
	const struct leg_path *path;
	struct dtls_conn_conf cc = {
		.role = conf->role,
		.peer_fp_hash = conf->fp_hash,
		.peer_fp = conf->fp,
	};
	struct dtls_leg *dlg;

	if (leg_id >= dl->p.max_legs)
		return session_set_err(err, errlen, -EINVAL, "no leg %u", leg_id);
	leg = &dl->p.plane->legs[leg_id];
	path = leg_path(leg);
	if (!leg->in_use || !leg->dtls)
		return session_set_err(err, errlen, -EINVAL, "leg %u is not a DTLS-SRTP leg", leg_id);
	if (conf->role == DTLS_ROLE_CLIENT && path == NULL)
		return session_set_err(err, errlen, -EINVAL,
			       "the active (client) side needs the leg's remote");
	dtls_legs_detach(dl, leg_id);
	dlg = &dl->legs[leg_id];
	dlg->conn = dtls_conn_create(dl->p.engine, &cc);
	if (dlg->conn == NULL)
		return session_set_err(err, errlen, -rte_errno, "DTLS endpoint: %s",
			       rte_errno == ENOTSUP ? "fingerprint hash not supported" :
			       rte_errno == EINVAL ? "fingerprint is not HEX:HEX:.. of its hash" :
						     strerror(rte_errno));
	memset(&dlg->peer, 0, sizeof(dlg->peer));
	dlg->last_restart_ms = 0;
	dlg->output_waiting = false;
	if (conf->role == DTLS_ROLE_CLIENT) {
		dlg->peer = path->remote;
		handle_events(dl, leg_id, dtls_conn_start(dlg->conn, now_ms(dl)));
	}
	return 0;
}

void
dtls_legs_detach(struct dtls_legs *dl, uint32_t leg_id)
{
	struct dtls_leg *dlg;

	if (leg_id >= dl->p.max_legs || dl->legs[leg_id].conn == NULL)
		return;
	dlg = &dl->legs[leg_id];
	dtls_conn_free(dlg->conn);
	dlg->conn = NULL;
	dlg->output_waiting = false;
	leg_path_release(&dl->p.paths, &dlg->peer_path);
	update_timed(dl, leg_id);
}

/*
 * Whom this datagram's handshake runs with. Until the leg is latched the
 * first source owns the endpoint; another may take over only once that
 * handshake has failed or closed (no keys to lose).
 */
static bool
accept_source(struct dtls_legs *dl, struct dtls_leg *dlg, const struct leg *leg,
	      const struct inet_endpoint *src)
{
	const struct leg_path *path = leg_path(leg);
	enum dtls_state s;

	if (path != NULL)
		return inet_endpoint_equal(&path->remote, src);
	if (dlg->peer.family == 0 || inet_endpoint_equal(&dlg->peer, src)) {
		dlg->peer = *src;
		return true;
	}
	s = dtls_conn_state(dlg->conn);
	if (s != DTLS_STATE_FAILED && s != DTLS_STATE_CLOSED)
		return false;
	if (dtls_conn_reset(dlg->conn) != 0)
		return false;
	dl->stats.restarts++;
	dlg->peer = *src;
	return true;
}

void
dtls_legs_input(struct dtls_legs *dl, struct rte_mbuf *m, const struct pkt_info *pi,
		uint32_t leg_id)
{
	const uint8_t *payload = rte_pktmbuf_mtod_offset(m, const uint8_t *, pkt_payload_off(pi));
	struct dtls_leg *dlg;
	struct leg *leg;
	uint64_t now;
	int ev;

	if (leg_id >= dl->p.max_legs) {
		drop_pkt(&dl->p.drops, m, DROP_NO_LEG, DROP_STALE_PUNT);
		return;
	}
	leg = &dl->p.plane->legs[leg_id];
	dlg = &dl->legs[leg_id];
	if (!leg->in_use || !leg->dtls || dlg->conn == NULL ||
	    !inet_endpoint_equal(&leg->local, &pi->dst)) {
		drop_pkt(&dl->p.drops, m, DROP_NO_LEG, DROP_STALE_PUNT);
		return;
	}
	if (!accept_source(dl, dlg, leg, &pi->src)) {
		drop_pkt(&dl->p.drops, m, leg_id, DROP_DTLS_PEER);
		return;
	}
	leg_traffic_rx(&leg->counters.slow, PKT_CLASS_DTLS, pi->payload_len);
	dl->stats.datagrams_rx++;
	now = now_ms(dl);
	ev = dtls_conn_input(dlg->conn, payload, pi->payload_len, now);
	if (ev > 0 && (ev & DTLS_EV_CLIENT_HELLO)) {
		/* Browser reload or ICE restart: a new handshake, the old keys meanwhile. */
		if (dlg->last_restart_ms != 0 &&
		    now - dlg->last_restart_ms < DTLS_LEGS_RESTART_INTERVAL_MS) {
			dl->stats.restarts_refused++;
			drop_pkt(&dl->p.drops, m, leg_id, DROP_DTLS_REFUSED);
			return;
		}
		dlg->last_restart_ms = now;
		dl->stats.restarts++;
		if (dtls_conn_reset(dlg->conn) != 0) {
			drop_pkt(&dl->p.drops, m, leg_id, DROP_DTLS_REFUSED);
			return;
		}
		ev = dtls_conn_input(dlg->conn, payload, pi->payload_len, now);
	}
	if (ev < 0)
		drop_count(&dl->p.drops, leg_id, DROP_DTLS_REFUSED);
	handle_events(dl, leg_id, ev);
	rte_pktmbuf_free(m);
}

void
dtls_legs_timer(struct dtls_legs *dl, uint64_t now_tsc)
{
	uint64_t now = now_tsc / dl->ms_div;
	uint32_t i = 0;

	/* handle_events may take the visited leg off the list (swapped with the last). */
	while (i < dl->n_timed) {
		uint32_t leg_id = dl->timed[i];
		struct dtls_leg *dlg = &dl->legs[leg_id];

		if (dtls_conn_next_timeout(dlg->conn) <= now)
			handle_events(dl, leg_id, dtls_conn_timer(dlg->conn, now));
		else if (dlg->output_waiting)
			flush_output(dl, leg_id);
		update_timed(dl, leg_id);
		if (i < dl->n_timed && dl->timed[i] == leg_id)
			i++;
	}
}

void
dtls_legs_print(const struct dtls_legs *dl, uint32_t leg_id, FILE *out)
{
	struct dtls_conn_info ci;
	char peer[INET_ENDPOINT_STRLEN] = "-";

	if (leg_id >= dl->p.max_legs || dl->legs[leg_id].conn == NULL) {
		fprintf(out, "    dtls: no endpoint\n");
		return;
	}
	dtls_conn_info(dl->legs[leg_id].conn, &ci);
	if (dl->legs[leg_id].peer.family != 0)
		inet_endpoint_format(&dl->legs[leg_id].peer, peer, sizeof(peer));
	fprintf(out,
		"    dtls: %s role %s profile %s cipher %s peer %s handshakes %u"
		" retransmits %" PRIu64 " records_dropped %" PRIu64 "%s%s\n"
		"      local fingerprint sha-256 %s\n      peer fingerprint sha-256 %s\n",
		dtls_state_name(ci.state), dtls_role_name(ci.role),
		ci.profile < SRTP_PROFILE_MAX ? srtp_profile_name(ci.profile) : "-",
		ci.cipher[0] != '\0' ? ci.cipher : "-", peer, ci.handshakes, ci.retransmits,
		ci.records_dropped, ci.fail_reason != DTLS_FAIL_NONE ? " failed: " : "",
		ci.fail_reason != DTLS_FAIL_NONE ? dtls_fail_reason_name(ci.fail_reason) : "",
		ci.local_fp, ci.peer_fp[0] != '\0' ? ci.peer_fp : "-");
}

void
dtls_legs_stats(const struct dtls_legs *dl, struct dtls_legs_stats *out)
{
	*out = dl->stats;
}
