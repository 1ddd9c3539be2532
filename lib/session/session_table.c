/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_random.h>

#include "session_priv.h"

int
session_set_err(char *err, size_t len, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return ret;
}

static void
free_deferred(void *arg, void *entries, unsigned int n)
{
	struct session_table *st = arg;
	struct deferred *d = entries;

	for (unsigned int i = 0; i < n; i++) {
		if (d[i].kind == DEFERRED_LEG) {
			leg_free_crypto(&st->legs[d[i].index]);
			leg_free_ice(&st->legs[d[i].index]);
			leg_free_bundle(&st->legs[d[i].index]);
			st->legs[d[i].index].in_use = 0;
			st->leg_free[st->n_leg_free++] = d[i].index;
		} else if (d[i].kind == DEFERRED_SRTP) {
			leg_srtp_free(d[i].srtp);
		} else if (d[i].kind == DEFERRED_ICE) {
			free((void *)(uintptr_t)d[i].ice);
		} else if (d[i].kind == DEFERRED_BUNDLE) {
			free((void *)(uintptr_t)d[i].bundle);
		} else {
			/* No worker reads the path now: its next hop may go. */
			leg_path_release(&st->p.paths, &st->paths[d[i].index]);
			st->path_free[st->n_path_free++] = d[i].index;
		}
	}
}

struct session_table *
session_table_create(const struct session_table_params *p)
{
	static unsigned int instance;
	char name[RTE_RCU_QSBR_DQ_NAMESIZE];
	struct session_table *st;
	uint32_t i;

	st = rte_zmalloc_socket("session_table", sizeof(*st), RTE_CACHE_LINE_SIZE, p->socket);
	if (st == NULL)
		goto nomem;
	st->p = *p;
	st->max_sessions = p->max_sessions;
	st->max_legs = p->max_sessions * 2;
	/* A path per leg, and some replaced ones waiting out a grace period. */
	st->max_paths = st->max_legs + st->max_legs / 8 + 64;
	st->legs = rte_zmalloc_socket("legs", sizeof(struct leg) * st->max_legs,
				      RTE_CACHE_LINE_SIZE, p->socket);
	st->paths = rte_zmalloc_socket("leg_paths", sizeof(struct leg_path) * st->max_paths,
				       RTE_CACHE_LINE_SIZE, p->socket);
	st->sessions = rte_zmalloc_socket("sessions", sizeof(struct session) * st->max_sessions,
					  RTE_CACHE_LINE_SIZE, p->socket);
	st->leg_free = rte_malloc_socket(NULL, sizeof(uint32_t) * st->max_legs, 0, p->socket);
	st->path_free = rte_malloc_socket(NULL, sizeof(uint32_t) * st->max_paths, 0, p->socket);
	st->session_free = rte_malloc_socket(NULL, sizeof(uint32_t) * st->max_sessions, 0,
					     p->socket);
	st->leg_lcore = rte_zmalloc_socket("leg_lcore", sizeof(struct leg_lcore) * st->max_legs *
					   RTE_MAX(p->n_lcores, 1u), RTE_CACHE_LINE_SIZE, p->socket);
	st->ice_state = rte_zmalloc_socket("leg_ice_state",
					   sizeof(struct leg_ice_state) * st->max_legs,
					   RTE_CACHE_LINE_SIZE, p->socket);
	/* Control memory, touched only where a leg is created or cleared. */
	st->baseline = calloc(st->max_legs, sizeof(*st->baseline));
	st->links = calloc(st->max_legs, sizeof(*st->links));
	if (st->legs == NULL || st->paths == NULL || st->sessions == NULL || st->links == NULL ||
	    st->leg_lcore == NULL || st->ice_state == NULL || st->baseline == NULL ||
	    st->leg_free == NULL || st->path_free == NULL || st->session_free == NULL)
		goto nomem;
	/* Stacks popped from the top: hand out low ids first. */
	for (i = 0; i < st->max_legs; i++) {
		st->leg_free[i] = st->max_legs - 1 - i;
		st->legs[i].id = i;
		st->links[i] = (struct leg_link){ .transport = LEG_NONE, .next = LEG_NONE };
	}
	for (i = 0; i < st->max_paths; i++)
		st->path_free[i] = st->max_paths - 1 - i;
	for (i = 0; i < st->max_sessions; i++)
		st->session_free[i] = st->max_sessions - 1 - i;
	st->n_leg_free = st->max_legs;
	st->n_path_free = st->max_paths;
	st->n_session_free = st->max_sessions;

	snprintf(name, sizeof(name), "flows_%u", instance);
	st->flows = flow_table_create(name, st->max_legs, p->socket, p->rcu);
	if (st->flows == NULL)
		goto fail;
	/*
	 * Every leg's port comes from its interface's media range: index those.
	 * Whatever cannot be (an address on two interfaces, no memory) is
	 * still found through the hash.
	 */
	for (i = 0; i < p->n_ifaces; i++)
		for (unsigned int a = 0; a < p->ifaces[i].n_addrs; a++)
			flow_table_index_addr(st->flows, &p->ifaces[i].addrs[a].addr,
					      p->ifaces[i].media_port_min,
					      p->ifaces[i].media_port_max);
	if (p->rcu != NULL) {
		struct rte_rcu_qsbr_dq_parameters dqp = {
			.name = name,
			/* Legs, their SRTP sets, ICE credentials (two each), BUNDLE tables, paths. */
			.size = 6 * st->max_legs + st->max_paths,
			.esize = sizeof(struct deferred),
			.trigger_reclaim_limit = 64,
			.max_reclaim_size = 1024,
			.free_fn = free_deferred,
			.p = st,
			.v = p->rcu,
		};
		snprintf(name, sizeof(name), "legdq_%u", instance);
		st->dq = rte_rcu_qsbr_dq_create(&dqp);
		if (st->dq == NULL)
			goto fail;
	}
	instance++;
	return st;
nomem:
	rte_errno = ENOMEM;
fail:
	if (st != NULL)
		session_table_free(st);
	return NULL;
}

void
session_table_free(struct session_table *st)
{
	if (st == NULL)
		return;
	if (st->dq != NULL)
		rte_rcu_qsbr_dq_delete(st->dq);
	if (st->legs != NULL)
		for (uint32_t i = 0; i < st->max_legs; i++) {
			leg_free_crypto(&st->legs[i]);
			leg_free_ice(&st->legs[i]);
			leg_free_bundle(&st->legs[i]);
		}
	flow_table_free(st->flows);
	rte_free(st->legs);
	rte_free(st->paths);
	rte_free(st->sessions);
	rte_free(st->leg_free);
	rte_free(st->path_free);
	rte_free(st->session_free);
	rte_free(st->leg_lcore);
	rte_free(st->ice_state);
	free(st->baseline);
	free(st->links);
	rte_free(st);
}

void
session_defer_free(struct session_table *st, struct deferred d)
{
	if (st->dq == NULL || rte_rcu_qsbr_dq_enqueue(st->dq, &d) != 0) {
		/* Only without RCU (unit tests) or a full queue: wait then free. */
		if (st->p.rcu != NULL)
			rte_rcu_qsbr_synchronize(st->p.rcu, RTE_QSBR_THRID_INVALID);
		free_deferred(st, &d, 1);
	}
}

static void
defer_free(struct session_table *st, enum deferred_kind kind, uint32_t index)
{
	session_defer_free(st, (struct deferred){ .kind = kind, .index = index });
}

/*
 * path is where the legs that send through leg send to: its peer (when
 * leg is that peer's peer too: a BUNDLE member's peer is the transport,
 * whose peer is another leg) and, for a transport, its members.
 */
static void
publish_peer_path(struct session_table *st, const struct leg *leg, const struct leg_path *path)
{
	struct leg *peer = &st->legs[leg->peer];

	if (peer->peer == leg->id)
		__atomic_store_n(&peer->peer_path, path, __ATOMIC_RELEASE);
	bundle_publish_peer_path(st, leg, path);
}

/* Build the leg's path to remote and publish it (its peer's peer_path too). */
static int
publish_path(struct session_table *st, struct leg *leg, const struct inet_endpoint *remote)
{
	const struct leg_path *old = leg->path;
	struct leg_path *path;
	uint32_t idx;
	int ret;

	if (st->n_path_free == 0) {
		session_reclaim(st);
		if (st->n_path_free == 0)
			return -ENOSPC;
	}
	idx = st->path_free[st->n_path_free - 1];
	path = &st->paths[idx];
	ret = leg_path_build(&st->p.paths, leg, remote, path);
	if (ret != 0)
		return ret;
	st->n_path_free--;
	__atomic_store_n(&leg->path, path, __ATOMIC_RELEASE);
	publish_peer_path(st, leg, path);
	if (old != NULL)
		defer_free(st, DEFERRED_PATH, (uint32_t)(old - st->paths));
	return 0;
}

void
session_reclaim(struct session_table *st)
{
	unsigned int freed, pending, avail;

	if (st->dq != NULL)
		rte_rcu_qsbr_dq_reclaim(st->dq, 1024, &freed, &pending, &avail);
}

/* Why remote may not be a leg's (iface_remote_refused()), NULL when it may. */
static const char *
remote_refused(const struct session_table *st, const struct inet_endpoint *remote)
{
	struct inet_addr a;

	inet_endpoint_addr(remote, &a);
	return iface_remote_refused(st->p.ifaces, st->p.n_ifaces, &a);
}

int
session_leg_set_li(struct session_table *st, uint32_t leg_id, uint32_t tap)
{
	struct leg *leg;

	if (leg_id >= st->max_legs || !st->legs[leg_id].in_use)
		return -ENOENT;
	leg = &st->legs[leg_id];
	/* The word first: a worker that sees the byte set reads it (and may find 0). */
	__atomic_store_n(&leg->li_tap, tap, __ATOMIC_RELEASE);
	__atomic_store_n(&leg->li, (uint8_t)(tap != 0), __ATOMIC_RELEASE);
	return 0;
}

int
session_leg_clear_remote(struct session_table *st, uint32_t leg_id)
{
	struct leg *leg;

	if (leg_id >= st->max_legs || !st->legs[leg_id].in_use)
		return -ENOENT;
	leg = &st->legs[leg_id];
	if (leg->path == NULL)
		return 0;
	defer_free(st, DEFERRED_PATH, (uint32_t)(leg->path - st->paths));
	__atomic_store_n(&leg->path, NULL, __ATOMIC_RELEASE);
	publish_peer_path(st, leg, NULL);
	return 0;
}

int
session_leg_set_remote(struct session_table *st, uint32_t leg_id,
		       const struct inet_endpoint *remote)
{
	if (leg_id >= st->max_legs || !st->legs[leg_id].in_use)
		return -ENOENT;
	if (remote->family != st->legs[leg_id].local.family)
		return -EAFNOSUPPORT;
	if (remote_refused(st, remote) != NULL)
		return -EADDRNOTAVAIL;
	return publish_path(st, &st->legs[leg_id], remote);
}

/* A free port of the interface's media range on addr, starting at random. */
static int
alloc_port(struct session_table *st, const struct iface *ifc, const struct inet_addr *addr,
	   uint16_t *port)
{
	/*
	 * Even ports only (RFC 3550 §11): RTP on the even port, and the odd
	 * one above left free, so a peer that ignores a=rtcp and sends RTCP to
	 * port + 1 reaches no other call's leg.
	 */
	uint32_t first = ifc->media_port_min + (ifc->media_port_min & 1u);
	uint32_t span = first <= ifc->media_port_max ? (ifc->media_port_max - first) / 2 + 1 : 0;
	uint32_t start = span ? (uint32_t)(rte_rand() % span) : 0;
	struct inet_endpoint ep;
	uint32_t unused;

	for (uint32_t i = 0; i < span; i++) {
		uint16_t candidate = (uint16_t)(first + 2 * ((start + i) % span));

		inet_endpoint_set(&ep, addr, rte_cpu_to_be_16(candidate));
		if (flow_table_lookup(st->flows, &ep, &unused) == -ENOENT) {
			*port = candidate;
			return 0;
		}
	}
	return -EADDRINUSE;
}

/*
 * The leg's latch policy: ICE legs are latched by their checks, DTLS legs
 * without a remote by their handshake, legs with a remote stick to it;
 * learning from the first packet only where asked for, or by default on an
 * interface that does not face the internet.
 */
static int
resolve_latch(const struct iface *ifc, const struct leg_spec *ls, enum latch_policy *latch,
	      char *err, size_t errlen)
{
	bool remote = ls->remote.family != 0;

	*latch = ls->latch;
	if (ls->ice) {
		if (ls->latch != LATCH_DEFAULT || remote)
			return session_set_err(err, errlen, -EINVAL,
					       "an ICE leg is latched by its checks: no remote, no latch policy");
		*latch = LATCH_ICE;
	} else if (ls->await_remote) {
		if (remote || ls->dtls || (ls->latch != LATCH_DEFAULT && ls->latch != LATCH_STRICT))
			return session_set_err(err, errlen, -EINVAL,
					       "a leg awaiting its remote has no remote, DTLS latch or learning");
		*latch = LATCH_STRICT;
	} else if (ls->latch == LATCH_STRICT && !remote) {
		return session_set_err(err, errlen, -EINVAL, "latch strict needs a remote");
	} else if (ls->latch == LATCH_DEFAULT) {
		if (remote)
			*latch = LATCH_STRICT;
		else if (ls->dtls)
			*latch = LATCH_DTLS;
		else if (ifc->exposed)
			return session_set_err(err, errlen, -EINVAL,
					       "%s is exposed: a leg there needs a remote, ICE, DTLS or latch=learn",
					       ifc->name);
		else
			*latch = LATCH_LEARN;
	}
	return 0;
}

static void
leg_set_actions(struct leg *leg, enum session_mode mode, bool dtls)
{
	memset(leg->action, LEG_ACTION_DROP, sizeof(leg->action));
	if (mode == SESSION_MODE_E2E) {
		/* e2e: end-to-end security stays end to end; ICE is ours (not yet). */
		leg->action[PKT_CLASS_DTLS] = LEG_ACTION_FORWARD;
		leg->action[PKT_CLASS_RTP] = LEG_ACTION_FORWARD;
		leg->action[PKT_CLASS_RTCP] = LEG_ACTION_FORWARD;
		leg->action[PKT_CLASS_ZRTP] = LEG_ACTION_FORWARD;
	} else {
		/* e2ae: media is ours to (un)protect; DTLS ours to terminate, if keyed so. */
		leg->action[PKT_CLASS_RTP] = LEG_ACTION_MEDIA;
		leg->action[PKT_CLASS_RTCP] = LEG_ACTION_MEDIA;
		if (dtls)
			leg->action[PKT_CLASS_DTLS] = LEG_ACTION_DTLS;
	}
}

/* A new life of the leg's slot: nothing published, a new epoch, counters from zero. */
static void
leg_start_life(struct session_table *st, struct leg *leg)
{
	leg->path = NULL;
	leg->peer_path = NULL;
	leg->srtp = NULL;
	leg->pinned = 0;
	leg->demux = 0;
	leg->bundle = NULL;
	leg->li = 0;
	leg->li_tap = 0;
	st->links[leg->id] = (struct leg_link){ .transport = LEG_NONE, .next = LEG_NONE };
	if (++st->epoch == 0)	/* 0 is no leg's: never a valid prelatch_epoch */
		st->epoch = 1;
	leg->epoch = st->epoch;
	leg_stats_rebase(st, leg->id);
}

/*
 * A shadow of transport t: it stands for t in a session of a BUNDLE member
 * (the member's media goes to t, t's comes back through its demux). It has
 * t's address but no flow, no path, no keys: no packet ever reaches it.
 */
static int
shadow_init(struct session_table *st, struct leg *leg, uint32_t t, enum session_mode mode,
	    char *err, size_t errlen)
{
	const struct leg *tl = &st->legs[t];

	if (t >= st->max_legs || !tl->in_use || st->links[t].shadow ||
	    st->links[t].transport != LEG_NONE)
		return session_set_err(err, errlen, -EINVAL, "BUNDLE transport leg %u is no leg of its own", t);
	if (mode != SESSION_MODE_E2AE || st->sessions[tl->session].mode != SESSION_MODE_E2AE)
		return session_set_err(err, errlen, -EINVAL, "BUNDLE demux is for e2ae sessions");
	leg->local = tl->local;
	leg->iface = tl->iface;
	leg->latch = LATCH_STRICT;
	leg->dtls = 0;
	leg_start_life(st, leg);
	leg->home = tl->home;
	memset(leg->action, LEG_ACTION_DROP, sizeof(leg->action));
	st->links[leg->id].transport = t;
	st->links[leg->id].shadow = true;
	return 0;
}

/* Fill leg from spec; the leg's flow is not inserted yet. */
static int
leg_init(struct session_table *st, struct leg *leg, const struct leg_spec *ls,
	 const struct session_spec *spec, const struct session *s, char *err, size_t errlen)
{
	const struct iface *ifc;
	const struct inet_addr *addr;
	uint16_t port = ls->local_port;
	char buf[INET_ENDPOINT_STRLEN];
	enum latch_policy latch;
	uint8_t family;
	int ret;

	if (ls->iface >= st->p.n_ifaces)
		return session_set_err(err, errlen, -EINVAL, "no interface %u", ls->iface);
	ifc = &st->p.ifaces[ls->iface];
	if (ls->local_addr.family != 0) {
		if (!iface_owns_addr(ifc, &ls->local_addr))
			return session_set_err(err, errlen, -EINVAL, "%s is not an address of %s",
				       inet_addr_format(&ls->local_addr, buf, sizeof(buf)),
				       ifc->name);
		addr = &ls->local_addr;
	} else {
		family = ls->remote.family != 0 ? ls->remote.family : INET_FAMILY_V4;
		addr = iface_addr(ifc, family, 0);
		if (addr == NULL && ls->remote.family == 0)
			addr = iface_addr(ifc, INET_FAMILY_V6, 0);
		if (addr == NULL)
			return session_set_err(err, errlen, -EINVAL, "%s has no IPv%u address", ifc->name,
				       family);
	}
	if (ls->remote.family != 0 && ls->remote.family != addr->family)
		return session_set_err(err, errlen, -EINVAL, "remote %s is not of the local address' family",
			       inet_endpoint_format(&ls->remote, buf, sizeof(buf)));
	if (ls->remote.family != 0 && remote_refused(st, &ls->remote) != NULL)
		return session_set_err(err, errlen, -EINVAL, "remote %s is %s",
			       inet_endpoint_format(&ls->remote, buf, sizeof(buf)),
			       remote_refused(st, &ls->remote));
	ret = resolve_latch(ifc, ls, &latch, err, errlen);
	if (ret != 0)
		return ret;
	if (port == 0) {
		if (alloc_port(st, ifc, addr, &port) != 0)
			return session_set_err(err, errlen, -EADDRINUSE, "no free media port on %s",
				       ifc->name);
	}
	enum session_mode mode = spec->mode;

	if (mode == SESSION_MODE_E2E && (ls->rx.srtp || ls->tx.srtp || ls->dtls))
		return session_set_err(err, errlen, -EINVAL, "e2e passes SRTP and DTLS through: no keys");
	if (ls->dtls && (ls->rx.srtp || ls->tx.srtp))
		return session_set_err(err, errlen, -EINVAL, "a DTLS-SRTP leg takes no SDES keys");
	inet_endpoint_set(&leg->local, addr, rte_cpu_to_be_16(port));
	leg->iface = ls->iface;
	leg->latch = (uint8_t)latch;
	leg->dtls = ls->dtls;
	leg_start_life(st, leg);
	/* Spread the legs' unlatched media over the workers (fwd_worker.h). */
	leg->home = (uint16_t)(leg->id % RTE_MAX(st->p.n_workers, 1u));
	leg_set_actions(leg, mode, ls->dtls);
	/* e2ae: SDES keys or plain RTP now; a DTLS leg gets its keys from the handshake. */
	if (mode == SESSION_MODE_E2AE && !ls->dtls) {
		leg->srtp = leg_srtp_create(st, &ls->rx, &ls->tx, s);
		if (leg->srtp == NULL) {
			ret = -rte_errno;
			return session_set_err(err, errlen, ret, "SRTP context for %s: %s",
				       inet_endpoint_format(&leg->local, buf, sizeof(buf)),
				       ret == -ENOTSUP ? "profile not supported by the SRTP engine" :
							 strerror(-ret));
		}
	}
	return 0;
}

int
session_add(struct session_table *st, const struct session_spec *spec, uint32_t *id,
	    char *err, size_t errlen)
{
	char buf[INET_ENDPOINT_STRLEN];
	struct session *s;
	struct leg *legs[2];
	int ret, inserted = 0;

	if (st->n_session_free == 0)
		return session_set_err(err, errlen, -ENOSPC, "session table full (%u)", st->max_sessions);
	if (st->n_leg_free < 2) {
		session_reclaim(st);
		if (st->n_leg_free < 2)
			return session_set_err(err, errlen, -ENOSPC, "no free legs (deletes pending)");
	}
	legs[0] = &st->legs[st->leg_free[st->n_leg_free - 1]];
	legs[1] = &st->legs[st->leg_free[st->n_leg_free - 2]];
	legs[0]->srtp = NULL;
	legs[1]->srtp = NULL;
	s = &st->sessions[st->session_free[st->n_session_free - 1]];
	s->replay_window = spec->replay_window;
	s->no_replay_check = spec->no_replay_check;
	for (int i = 0; i < 2; i++) {
		if (i == 0 && spec->bundled)
			ret = shadow_init(st, legs[0], spec->bundle_transport, spec->mode, err, errlen);
		else
			ret = leg_init(st, legs[i], &spec->leg[i], spec, s, err, errlen);
		if (ret != 0)
			goto undo;
	}
	if (inet_endpoint_equal(&legs[0]->local, &legs[1]->local)) {
		ret = session_set_err(err, errlen, -EADDRINUSE, "both legs on %s",
			      inet_endpoint_format(&legs[0]->local, buf, sizeof(buf)));
		goto undo;
	}
	st->n_leg_free -= 2;
	st->n_session_free--;
	s->id = (uint32_t)(s - st->sessions);
	s->leg[0] = legs[0]->id;
	s->leg[1] = legs[1]->id;
	s->mode = (uint8_t)spec->mode;
	s->created_tsc = rte_get_tsc_cycles();
	legs[0]->peer = legs[1]->id;
	legs[1]->peer = legs[0]->id;
	legs[0]->session = s->id;
	legs[1]->session = s->id;
	if (spec->bundled)
		bundle_join(st, &st->legs[spec->bundle_transport], legs[1]);
	for (int i = 0; i < 2; i++) {
		if (spec->leg[i].remote.family == 0 || (i == 0 && spec->bundled))
			continue;
		ret = publish_path(st, legs[i], &spec->leg[i].remote);
		if (ret != 0) {
			session_set_err(err, errlen, ret, "no route to %s on %s",
				inet_endpoint_format(&spec->leg[i].remote, buf, sizeof(buf)),
				st->p.ifaces[legs[i]->iface].name);
			goto undo_session;
		}
	}
	/*
	 * Workers can see the legs from here on (flow table, or a leg id an
	 * earlier user of the slot left in a worker's burst): everything above
	 * is set.
	 */
	__atomic_store_n(&legs[0]->in_use, 1, __ATOMIC_RELEASE);
	__atomic_store_n(&legs[1]->in_use, 1, __ATOMIC_RELEASE);
	for (inserted = spec->bundled ? 1 : 0; inserted < 2; inserted++) {
		ret = flow_table_add(st->flows, &legs[inserted]->local, legs[inserted]->id);
		if (ret != 0) {
			session_set_err(err, errlen, ret, "%s %s",
				inet_endpoint_format(&legs[inserted]->local, buf, sizeof(buf)),
				ret == -EEXIST ? "is in use" : "cannot be added to the flow table");
			goto undo_session;
		}
	}
	s->in_use = 1;
	st->n_sessions++;
	*id = s->id;
	return 0;

undo_session:
	while (inserted-- > (spec->bundled ? 1 : 0))
		flow_table_del(st->flows, &legs[inserted]->local);
	if (spec->bundled)
		bundle_leave(st, legs[1]);
	for (int i = 0; i < 2; i++) {
		__atomic_store_n(&legs[i]->in_use, 0, __ATOMIC_RELEASE);
		if (legs[i]->path != NULL) {
			uint32_t pidx = (uint32_t)(legs[i]->path - st->paths);

			__atomic_store_n(&legs[i]->path, NULL, __ATOMIC_RELEASE);
			__atomic_store_n(&legs[1 - i]->peer_path, NULL, __ATOMIC_RELEASE);
			defer_free(st, DEFERRED_PATH, pidx);
		}
		defer_free(st, DEFERRED_LEG, legs[i]->id);
	}
	st->session_free[st->n_session_free++] = s->id;
	return ret;
undo:
	/* No worker could see these legs: free at once. */
	for (int i = 0; i < 2; i++) {
		leg_free_crypto(legs[i]);
		leg_free_ice(legs[i]);
		legs[i]->in_use = 0;
	}
	return ret;
}

int
session_del(struct session_table *st, uint32_t id)
{
	struct session *s;

	if (id >= st->max_sessions || !st->sessions[id].in_use)
		return -ENOENT;
	s = &st->sessions[id];
	for (int i = 0; i < 2; i++) {
		struct leg *leg = &st->legs[s->leg[i]];

		/* A shadow's address is its transport's flow, not its own. */
		if (!st->links[leg->id].shadow)
			flow_table_del(st->flows, &leg->local);
		bundle_leave(st, leg);
		/* Workers check this before trusting a leg id they looked up. */
		__atomic_store_n(&leg->in_use, 0, __ATOMIC_RELEASE);
		if (leg->path != NULL)
			defer_free(st, DEFERRED_PATH, (uint32_t)(leg->path - st->paths));
		/* The leg (and path pointer) stay readable until the grace period ends. */
		defer_free(st, DEFERRED_LEG, leg->id);
	}
	s->in_use = 0;
	st->session_free[st->n_session_free++] = id;
	st->n_sessions--;
	return 0;
}

const char *
session_mode_name(enum session_mode m)
{
	return m == SESSION_MODE_E2AE ? "e2ae" : "e2e";
}

const struct session *
session_get(const struct session_table *st, uint32_t id)
{
	if (id >= st->max_sessions || !st->sessions[id].in_use)
		return NULL;
	return &st->sessions[id];
}

uint32_t
session_next(const struct session_table *st, uint32_t from)
{
	for (uint32_t i = from; i < st->max_sessions; i++)
		if (st->sessions[i].in_use)
			return i;
	return SESSION_NONE;
}

uint32_t
session_count(const struct session_table *st)
{
	return st->n_sessions;
}

uint32_t
session_max(const struct session_table *st)
{
	return st->max_sessions;
}

struct leg *
session_table_legs(const struct session_table *st)
{
	return st->legs;
}

struct flow_table *
session_table_flows(const struct session_table *st)
{
	return st->flows;
}
