/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>

#include "../dtls/dtls_cookie.h"
#include "../dtls/dtls_hello.h"
#include "../dtls/dtls_keys.h"
#include "../net/udp_output.h"
#include "call.h"
#include "dtls_hvr.h"
#include "dtls_legs.h"

#define DTLS_DGRAM_MAX 1500
#define NOT_TIMED UINT32_MAX
#define FP_HASH_MAX 16

/* One association of a leg: its connection and whom it runs with. */
struct dtls_assoc {
	struct dtls_conn *conn;		/* NULL: none */
	struct inet_endpoint peer;	/* family 0: nobody yet */
	/* Towards peer while it is not the leg's remote; remote.family 0: none built. */
	struct leg_path peer_path;
	bool output_waiting;		/* datagrams queued, next hop unresolved */
};

struct dtls_leg {
	/* The association whose keys the leg has, or its first handshake. */
	struct dtls_assoc cur;
	/* A new handshake beside a connected cur (RFC 6347 §4.2.8); replaces it once connected. */
	struct dtls_assoc next;
	enum dtls_role role;
	bool ice;
	char fp_hash[FP_HASH_MAX];	/* the signalled fingerprint, for next's connection */
	char fp[DTLS_FP_STR_MAX];
	uint64_t last_restart_ms;
	uint32_t timed_pos;		/* index in dl->timed, NOT_TIMED when absent */
};

struct dtls_legs {
	struct dtls_legs_params p;
	struct dtls_leg *legs;		/* p.max_legs */
	struct dtls_cookie_jar *cookies;
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
	if (dl->p.peer_timeout_ms == 0)
		dl->p.peer_timeout_ms = DTLS_LEGS_PEER_TIMEOUT_MS_DEFAULT;
	dl->legs = calloc(p->max_legs, sizeof(*dl->legs));
	dl->timed = calloc(p->max_legs, sizeof(*dl->timed));
	if (dl->legs == NULL || dl->timed == NULL)
		goto nomem;
	dl->cookies = dtls_cookie_jar_create(0);
	if (dl->cookies == NULL) {
		dtls_legs_free(dl);
		rte_errno = EIO;
		return NULL;
	}
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

static void
assoc_free(struct dtls_legs *dl, struct dtls_assoc *a)
{
	leg_path_release(&dl->p.paths, &a->peer_path);
	dtls_conn_free(a->conn);
	memset(a, 0, sizeof(*a));
}

void
dtls_legs_free(struct dtls_legs *dl)
{
	if (dl == NULL)
		return;
	if (dl->legs != NULL)
		for (uint32_t i = 0; i < dl->p.max_legs; i++) {
			assoc_free(dl, &dl->legs[i].cur);
			assoc_free(dl, &dl->legs[i].next);
		}
	dtls_cookie_jar_free(dl->cookies);
	free(dl->legs);
	free(dl->timed);
	free(dl);
}

/* A live association: a handshake running, or connected. */
static bool
assoc_live(const struct dtls_assoc *a)
{
	enum dtls_state s;

	if (a->conn == NULL)
		return false;
	s = dtls_conn_state(a->conn);
	return s == DTLS_STATE_HANDSHAKING || s == DTLS_STATE_CONNECTED;
}

/*
 * Where a datagram to a's peer goes on the wire; false while unresolved.
 * The leg's path when the peer is its remote, else one built for the peer
 * by the same builder: only ever for a validated peer (see dtls_legs.h).
 */
static bool
peer_mac(struct dtls_legs *dl, const struct leg *leg, struct dtls_assoc *a,
	 struct rte_ether_addr *mac)
{
	const struct leg_path *path = leg_path(leg);

	if (path != NULL && inet_endpoint_equal(&path->remote, &a->peer))
		return neigh_entry_mac(path->next_hop, mac);
	if (!inet_endpoint_equal(&a->peer_path.remote, &a->peer)) {
		/* The old peer's next hop is no longer needed (neighbour pins). */
		leg_path_release(&dl->p.paths, &a->peer_path);
		if (leg_path_build(&dl->p.paths, leg, &a->peer, &a->peer_path) != 0) {
			leg_path_release(&dl->p.paths, &a->peer_path);
			return false;
		}
	}
	return neigh_entry_mac(a->peer_path.next_hop, mac);
}

/* Hand m to the control lcore's TX queue of port, counted. */
static void
transmit(struct dtls_legs *dl, uint32_t leg_id, uint16_t port, struct rte_mbuf *m)
{
	dl->p.drops.lcore->tx_bytes += rte_pktmbuf_pkt_len(m);
	if (dl->p.tx(dl->p.tx_arg, port, m) == 0) {
		dl->p.drops.lcore->tx_pkts++;
		dl->stats.datagrams_tx++;
	} else {
		drop_count(&dl->p.drops, leg_id, DROP_TX_FULL);
	}
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
	transmit(dl, leg->id, ifc->port_id, m);
}

/*
 * Send what a's endpoint has queued. While the peer's next hop is being
 * resolved the flight stays queued (the timer tries again) rather than
 * waiting a whole retransmission timeout.
 */
static void
flush_output(struct dtls_legs *dl, uint32_t leg_id, struct dtls_assoc *a)
{
	const struct leg *leg = &dl->p.plane->legs[leg_id];
	struct rte_ether_addr mac;
	int n;

	if (a->conn == NULL || a->peer.family == 0)
		return;
	if (!peer_mac(dl, leg, a, &mac)) {
		if (!a->output_waiting && dtls_conn_pop_output(a->conn, dl->buf, 0) == -ENOSPC)
			dl->stats.output_waiting++;
		a->output_waiting = true;
		return;
	}
	a->output_waiting = false;
	while ((n = dtls_conn_pop_output(a->conn, dl->buf, sizeof(dl->buf))) > 0)
		send_datagram(dl, leg, &a->peer, &mac, dl->buf, (uint16_t)n);
}

/*
 * a's handshake finished: its keys become the leg's SRTP and, without ICE,
 * its peer the leg's remote. false when the keys could not be installed.
 */
static bool
install_keys(struct dtls_legs *dl, uint32_t leg_id, struct dtls_assoc *a)
{
	const struct leg_path *path = leg_path(&dl->p.plane->legs[leg_id]);
	struct leg_crypto_spec rx = { .srtp = true }, tx = { .srtp = true };
	struct dtls_srtp_keys k;
	int ret;

	if (dtls_conn_export_keys(a->conn, &k) != 0) {
		dl->stats.install_failed++;
		return false;
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
		return false;
	}
	dl->stats.keys_installed++;
	/* On an ICE leg, where media goes is ICE's nomination, never the handshake's. */
	if (dl->legs[leg_id].ice)
		return true;
	/* The peer proved it holds the signalled certificate: now it may be latched. */
	if (path == NULL || !inet_endpoint_equal(&path->remote, &a->peer)) {
		ret = call_leg_set_remote(dl->p.calls, leg_id, &a->peer);
		if (ret == 0)
			dl->p.drops.lcore->latched++;
		else
			drop_count(&dl->p.drops, leg_id,
				   ret == -ENOSPC ? DROP_NEIGH_TABLE_FULL : DROP_UNLATCHED);
	}
	return true;
}

static uint64_t
leg_next_timeout(const struct dtls_leg *dlg)
{
	uint64_t t = UINT64_MAX;

	if (dlg->cur.conn != NULL)
		t = dtls_conn_next_timeout(dlg->cur.conn);
	if (dlg->next.conn != NULL)
		t = RTE_MIN(t, dtls_conn_next_timeout(dlg->next.conn));
	return t;
}

/* Put the leg on the tick's list, or take it off, as its endpoints need. */
static void
update_timed(struct dtls_legs *dl, uint32_t leg_id)
{
	struct dtls_leg *dlg = &dl->legs[leg_id];
	bool want = dlg->cur.output_waiting || dlg->next.output_waiting ||
		    leg_next_timeout(dlg) != UINT64_MAX;
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

/* What happened to the leg's connected association (or its first handshake). */
static void
cur_events(struct dtls_legs *dl, uint32_t leg_id, int ev)
{
	struct dtls_leg *dlg = &dl->legs[leg_id];
	struct dtls_conn_info ci;

	if (ev & DTLS_EV_CONNECTED)
		(void)install_keys(dl, leg_id, &dlg->cur);
	if ((ev & (DTLS_EV_FAILED | DTLS_EV_CLOSED)) == 0)
		return;
	if (dl->p.plane->legs[leg_id].srtp != NULL) {
		call_leg_clear_srtp(dl->p.calls, leg_id);
		dl->stats.media_stopped++;
	}
	dtls_conn_info(dlg->cur.conn, &ci);
	/* A server leg's peer that went quiet: the leg takes the next one now. */
	if (dlg->role == DTLS_ROLE_SERVER && ci.fail_reason == DTLS_FAIL_HANDSHAKE_TIMEOUT)
		dl->stats.peer_timeouts++;
}

/*
 * What happened to the new handshake beside a connected association: once
 * connected it replaces the old one (its keys are installed first); failed,
 * closed or timed out, it goes and the old one stays as it was.
 */
static void
next_events(struct dtls_legs *dl, uint32_t leg_id, int ev)
{
	struct dtls_leg *dlg = &dl->legs[leg_id];

	if (ev & DTLS_EV_CONNECTED) {
		if (install_keys(dl, leg_id, &dlg->next)) {
			assoc_free(dl, &dlg->cur);
			dlg->cur = dlg->next;
			memset(&dlg->next, 0, sizeof(dlg->next));
			dl->stats.restarts_completed++;
			return;
		}
		ev |= DTLS_EV_FAILED;
	}
	if (ev & (DTLS_EV_FAILED | DTLS_EV_CLOSED)) {
		assoc_free(dl, &dlg->next);
		dl->stats.restart_failed++;
	}
}

/* Events of a's endpoint: output first (a final flight, an alert), then the state. */
static void
handle_events(struct dtls_legs *dl, uint32_t leg_id, struct dtls_assoc *a, int ev)
{
	struct dtls_leg *dlg = &dl->legs[leg_id];

	if (ev > 0) {
		if (ev & DTLS_EV_DROPPED)
			drop_count(&dl->p.drops, leg_id, DROP_DTLS_REFUSED);
		flush_output(dl, leg_id, a);
		if (a == &dlg->next)
			next_events(dl, leg_id, ev);
		else
			cur_events(dl, leg_id, ev);
		/* A handshake that is over needs its peer's next hop no more (neighbour pins). */
		if (a == &dlg->cur && (ev & (DTLS_EV_FAILED | DTLS_EV_CLOSED)) &&
		    !a->output_waiting)
			leg_path_release(&dl->p.paths, &a->peer_path);
	}
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
	if ((conf->fp_hash != NULL && strlen(conf->fp_hash) >= FP_HASH_MAX) ||
	    (conf->fp != NULL && strlen(conf->fp) >= DTLS_FP_STR_MAX))
		return session_set_err(err, errlen, -EINVAL, "fingerprint too long");
	dtls_legs_detach(dl, leg_id);
	dlg = &dl->legs[leg_id];
	/* A server's peer is adopted from the network: it gets the (shorter) peer timeout. */
	if (conf->role == DTLS_ROLE_SERVER)
		cc.handshake_timeout_ms = dl->p.peer_timeout_ms;
	dlg->cur.conn = dtls_conn_create(dl->p.engine, &cc);
	if (dlg->cur.conn == NULL)
		return session_set_err(err, errlen, -rte_errno, "DTLS endpoint: %s",
			       rte_errno == ENOTSUP ? "fingerprint hash not supported" :
			       rte_errno == EINVAL ? "fingerprint is not HEX:HEX:.. of its hash" :
						     strerror(rte_errno));
	dlg->role = conf->role;
	dlg->ice = conf->ice;
	snprintf(dlg->fp_hash, sizeof(dlg->fp_hash), "%s", conf->fp_hash != NULL ? conf->fp_hash : "");
	snprintf(dlg->fp, sizeof(dlg->fp), "%s", conf->fp != NULL ? conf->fp : "");
	dlg->last_restart_ms = 0;
	if (conf->role == DTLS_ROLE_CLIENT) {
		dlg->cur.peer = path->remote;
		handle_events(dl, leg_id, &dlg->cur, dtls_conn_start(dlg->cur.conn, now_ms(dl)));
	}
	return 0;
}

int
dtls_legs_set_peer_fingerprint(struct dtls_legs *dl, uint32_t leg_id, const char *fp_hash,
			       const char *fp)
{
	struct dtls_leg *dlg;
	int ret;

	if (leg_id >= dl->p.max_legs || dl->legs[leg_id].cur.conn == NULL)
		return -ENOENT;
	dlg = &dl->legs[leg_id];
	if (strlen(fp_hash) >= sizeof(dlg->fp_hash) || strlen(fp) >= sizeof(dlg->fp))
		return -EINVAL;
	ret = dtls_conn_set_peer_fingerprint(dlg->cur.conn, fp_hash, fp);
	if (ret == 0 && dlg->next.conn != NULL)
		ret = dtls_conn_set_peer_fingerprint(dlg->next.conn, fp_hash, fp);
	if (ret != 0)
		return ret;
	strcpy(dlg->fp_hash, fp_hash);
	strcpy(dlg->fp, fp);
	return 0;
}

void
dtls_legs_detach(struct dtls_legs *dl, uint32_t leg_id)
{
	struct dtls_leg *dlg;

	if (leg_id >= dl->p.max_legs || dl->legs[leg_id].cur.conn == NULL)
		return;
	dlg = &dl->legs[leg_id];
	assoc_free(dl, &dlg->cur);
	assoc_free(dl, &dlg->next);
	update_timed(dl, leg_id);
}

/*
 * The live association a datagram from src belongs to, or NULL. While a new
 * handshake runs beside the connected one with the same peer, its epoch-0
 * records (flights, the ClientHello again) are the new handshake's.
 */
static struct dtls_assoc *
assoc_of(struct dtls_leg *dlg, const struct inet_endpoint *src, const uint8_t *d, size_t len)
{
	bool epoch0 = len >= DTLS_RECORD_HDR_LEN && d[3] == 0 && d[4] == 0;
	bool cur = assoc_live(&dlg->cur) && inet_endpoint_equal(&dlg->cur.peer, src);

	if (dlg->next.conn != NULL && inet_endpoint_equal(&dlg->next.peer, src) && (epoch0 || !cur))
		return &dlg->next;
	return cur ? &dlg->cur : NULL;
}

/*
 * A ClientHello that would start a handshake: the cookie gate of a server
 * leg without ICE. true: go on (ICE, or a valid cookie). false: m was
 * answered with a HelloVerifyRequest, or dropped.
 */
static bool
hello_gate(struct dtls_legs *dl, uint32_t leg_id, struct rte_mbuf *m, const struct pkt_info *pi,
	   const struct dtls_hello *h, uint64_t now)
{
	const struct leg *leg = &dl->p.plane->legs[leg_id];
	const struct iface *ifc = &dl->p.plane->ifaces[leg->iface];

	if (dl->legs[leg_id].ice)
		return true;
	if (dtls_hvr_cookie_ok(dl->cookies, pi, h, now)) {
		dl->stats.cookies_verified++;
		return true;
	}
	switch (dtls_hvr_reflect(dl->cookies, m, pi, h, ifc, now)) {
	case 0:
		dl->stats.hvr_sent++;
		transmit(dl, leg_id, ifc->port_id, m);
		break;
	case -ENOSPC:
		drop_pkt(&dl->p.drops, m, leg_id, DROP_NO_HEADROOM);
		break;
	default:
		drop_pkt(&dl->p.drops, m, leg_id, DROP_DTLS_REFUSED);
		break;
	}
	return false;
}

/*
 * A validated ClientHello from src that belongs to no live association:
 * which association its handshake runs in (made ready for it), or NULL with
 * the drop reason in *why: the leg is busy with another peer, or restarted
 * less than a restart interval ago.
 */
static struct dtls_assoc *
take_peer(struct dtls_legs *dl, uint32_t leg_id, const struct inet_endpoint *src, uint64_t now,
	  enum drop_reason *why)
{
	struct dtls_leg *dlg = &dl->legs[leg_id];
	struct dtls_conn_conf cc = {
		.role = DTLS_ROLE_SERVER,
		.peer_fp_hash = dlg->fp_hash[0] != '\0' ? dlg->fp_hash : NULL,
		.peer_fp = dlg->fp[0] != '\0' ? dlg->fp : NULL,
		.handshake_timeout_ms = dl->p.peer_timeout_ms,
	};
	struct dtls_assoc *a;

	*why = DROP_DTLS_PEER;
	/* A new handshake still runs beside a connection that has ended since: it goes first. */
	if (!assoc_live(&dlg->cur) && dlg->next.conn == NULL) {
		/* Nobody, or a handshake that failed or closed: no keys to lose. */
		if (dtls_conn_state(dlg->cur.conn) != DTLS_STATE_NEW) {
			dtls_conn_reset(dlg->cur.conn);
			dl->stats.restarts++;
		}
		a = &dlg->cur;
	} else if (dtls_conn_state(dlg->cur.conn) == DTLS_STATE_CONNECTED && dlg->next.conn == NULL) {
		if (dlg->last_restart_ms != 0 &&
		    now - dlg->last_restart_ms < DTLS_LEGS_RESTART_INTERVAL_MS) {
			dl->stats.restarts_refused++;
			*why = DROP_DTLS_REFUSED;
			return NULL;
		}
		a = &dlg->next;
		a->conn = dtls_conn_create(dl->p.engine, &cc);
		if (a->conn == NULL) {
			*why = DROP_DTLS_REFUSED;
			return NULL;
		}
		dlg->last_restart_ms = now;
		dl->stats.restarts++;
	} else {
		/* The first handshake, or a new one, runs with another peer. */
		return NULL;
	}
	a->peer = *src;
	leg_path_release(&dl->p.paths, &a->peer_path);
	a->output_waiting = false;
	return a;
}

/* A datagram for a server leg: the association it goes to, or NULL (m consumed). */
static struct dtls_assoc *
server_route(struct dtls_legs *dl, uint32_t leg_id, struct rte_mbuf *m,
	     const struct pkt_info *pi, const uint8_t *d, uint64_t now, bool *verified)
{
	struct dtls_leg *dlg = &dl->legs[leg_id];
	struct dtls_assoc *a = assoc_of(dlg, &pi->src, d, pi->payload_len);
	struct dtls_hello h;
	bool hello = dtls_hello_parse(d, pi->payload_len, &h) == DTLS_HELLO_OK;
	enum drop_reason why;

	*verified = false;
	/* A handshake's own records, or the peer's ClientHello again, go to it. */
	if (a != NULL && (!hello || dtls_conn_state(a->conn) == DTLS_STATE_HANDSHAKING)) {
		if (!hello || dlg->ice || dtls_hvr_cookie_ok(dl->cookies, pi, &h, now))
			return a;
		/* A ClientHello without the cookie (the peer started over): HVR, nothing kept. */
		(void)hello_gate(dl, leg_id, m, pi, &h, now);
		return NULL;
	}
	if (!hello) {
		dl->stats.not_hello++;
		drop_pkt(&dl->p.drops, m, leg_id, DROP_DTLS_NOT_HELLO);
		return NULL;
	}
	if (!hello_gate(dl, leg_id, m, pi, &h, now))
		return NULL;
	/* The connected peer's own restart is a new handshake too, beside the old one. */
	a = take_peer(dl, leg_id, &pi->src, now, &why);
	if (a == NULL) {
		drop_pkt(&dl->p.drops, m, leg_id, why);
		return NULL;
	}
	*verified = !dlg->ice;
	return a;
}

/* Feed d to a; an epoch-1 record the connected one cannot read may be the new handshake's. */
static void
assoc_input(struct dtls_legs *dl, uint32_t leg_id, struct dtls_assoc *a, const uint8_t *d,
	    uint16_t len, const struct inet_endpoint *src, bool verified, uint64_t now)
{
	struct dtls_leg *dlg = &dl->legs[leg_id];
	int ev;

	if (verified)
		ev = dtls_conn_input_verified(a->conn, d, len, now);
	else
		ev = dtls_conn_input(a->conn, d, len, now);
	/* A ClientHello-shaped datagram that is none (dtls_hello_parse()): a drop. */
	if (ev > 0 && (ev & DTLS_EV_CLIENT_HELLO))
		ev = (ev & ~DTLS_EV_CLIENT_HELLO) | DTLS_EV_DROPPED;
	if (ev > 0 && (ev & DTLS_EV_DROPPED) && a == &dlg->cur && dlg->next.conn != NULL &&
	    inet_endpoint_equal(&dlg->next.peer, src)) {
		handle_events(dl, leg_id, &dlg->next, dtls_conn_input(dlg->next.conn, d, len, now));
		return;
	}
	if (ev < 0)
		drop_count(&dl->p.drops, leg_id, DROP_DTLS_REFUSED);
	handle_events(dl, leg_id, a, ev);
}

void
dtls_legs_input(struct dtls_legs *dl, struct rte_mbuf *m, const struct pkt_info *pi,
		uint32_t leg_id)
{
	const uint8_t *payload = rte_pktmbuf_mtod_offset(m, const uint8_t *, pkt_payload_off(pi));
	struct dtls_leg *dlg;
	struct dtls_assoc *a;
	struct leg *leg;
	bool verified = false;
	uint64_t now;

	if (leg_id >= dl->p.max_legs) {
		drop_pkt(&dl->p.drops, m, DROP_NO_LEG, DROP_STALE_PUNT);
		return;
	}
	leg = &dl->p.plane->legs[leg_id];
	dlg = &dl->legs[leg_id];
	if (!leg->in_use || !leg->dtls || dlg->cur.conn == NULL ||
	    !inet_endpoint_equal(&leg->local, &pi->dst)) {
		drop_pkt(&dl->p.drops, m, DROP_NO_LEG, DROP_STALE_PUNT);
		return;
	}
	/* Latched without ICE: the remote only (the worker checks it too; the latch may be newer). */
	if (!dlg->ice && leg_path(leg) != NULL && !inet_endpoint_equal(&leg_path(leg)->remote, &pi->src)) {
		drop_pkt(&dl->p.drops, m, leg_id, DROP_DTLS_PEER);
		return;
	}
	leg_traffic_rx(&leg->counters.slow, PKT_CLASS_DTLS, pi->payload_len);
	dl->stats.datagrams_rx++;
	now = now_ms(dl);
	if (dlg->role == DTLS_ROLE_CLIENT) {
		/* The box connects: only the signalled remote is its peer. */
		a = inet_endpoint_equal(&dlg->cur.peer, &pi->src) ? &dlg->cur : NULL;
		if (a == NULL) {
			drop_pkt(&dl->p.drops, m, leg_id, DROP_DTLS_PEER);
			return;
		}
	} else {
		a = server_route(dl, leg_id, m, pi, payload, now, &verified);
		if (a == NULL)
			return;
	}
	assoc_input(dl, leg_id, a, payload, pi->payload_len, &pi->src, verified, now);
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
		struct dtls_assoc *as[2] = { &dlg->cur, &dlg->next };

		for (unsigned int k = 0; k < RTE_DIM(as); k++) {
			struct dtls_assoc *a = as[k];

			if (a->conn == NULL)
				continue;
			if (dtls_conn_next_timeout(a->conn) <= now)
				handle_events(dl, leg_id, a, dtls_conn_timer(a->conn, now));
			else if (a->output_waiting)
				flush_output(dl, leg_id, a);
		}
		update_timed(dl, leg_id);
		if (i < dl->n_timed && dl->timed[i] == leg_id)
			i++;
	}
}

static void
print_assoc(const struct dtls_assoc *a, const char *what, FILE *out)
{
	struct dtls_conn_info ci;
	char peer[INET_ENDPOINT_STRLEN] = "-";

	dtls_conn_info(a->conn, &ci);
	if (a->peer.family != 0)
		inet_endpoint_format(&a->peer, peer, sizeof(peer));
	fprintf(out,
		"    %s: %s role %s profile %s cipher %s peer %s handshakes %u"
		" retransmits %" PRIu64 " records_dropped %" PRIu64 "%s%s\n"
		"      local fingerprint sha-256 %s\n      peer fingerprint sha-256 %s\n",
		what, dtls_state_name(ci.state), dtls_role_name(ci.role),
		ci.profile < SRTP_PROFILE_MAX ? srtp_profile_name(ci.profile) : "-",
		ci.cipher[0] != '\0' ? ci.cipher : "-", peer, ci.handshakes, ci.retransmits,
		ci.records_dropped, ci.fail_reason != DTLS_FAIL_NONE ? " failed: " : "",
		ci.fail_reason != DTLS_FAIL_NONE ? dtls_fail_reason_name(ci.fail_reason) : "",
		ci.local_fp, ci.peer_fp[0] != '\0' ? ci.peer_fp : "-");
}

void
dtls_legs_print(const struct dtls_legs *dl, uint32_t leg_id, FILE *out)
{
	const struct dtls_leg *dlg;

	if (leg_id >= dl->p.max_legs || dl->legs[leg_id].cur.conn == NULL) {
		fprintf(out, "    dtls: no endpoint\n");
		return;
	}
	dlg = &dl->legs[leg_id];
	print_assoc(&dlg->cur, "dtls", out);
	/* A new handshake beside the connected association. */
	if (dlg->next.conn != NULL)
		print_assoc(&dlg->next, "dtls restart", out);
}

void
dtls_legs_stats(const struct dtls_legs *dl, struct dtls_legs_stats *out)
{
	*out = dl->stats;
}
