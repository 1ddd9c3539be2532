/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include <rte_cycles.h>

#include "../net/udp_reply.h"
#include "fwd_ice.h"

/*
 * The leg's check state on its home worker (the only writer), started over
 * when the leg slot has a new life. The fields the control lcore reads are
 * stored whole; the epoch last, so that a reader that sees the new epoch
 * sees the state it belongs to.
 */
static struct leg_ice_state *
ice_state(const struct fwd_worker *w, const struct leg *leg)
{
	struct leg_ice_state *st = &w->plane->ice_state[leg->id];

	if (unlikely(st->epoch != leg->epoch)) {
		__atomic_store_n(&st->seq, st->seq + 1, __ATOMIC_RELAXED);
		__atomic_thread_fence(__ATOMIC_RELEASE);
		st->stranger_checks = (struct rate_bucket){
			.last_tsc = w->burst.now_tsc, .tokens = FWD_STUN_STRANGER_BURST,
		};
		st->n_pairs = 0;
		st->nominated = ICE_PAIR_NONE;
		st->nominations = 0;
		__atomic_store_n(&st->consent_tsc, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&st->authenticated_gen, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&st->epoch, leg->epoch, __ATOMIC_RELEASE);
		__atomic_store_n(&st->seq, st->seq + 1, __ATOMIC_RELEASE);
	}
	return st;
}

static bool
pair_known(const struct leg_ice_state *st, const struct inet_endpoint *src)
{
	for (uint8_t i = 0; i < st->n_pairs; i++)
		if (inet_endpoint_equal(&st->pair[i].src, src))
			return true;
	return false;
}

bool
fwd_ice_valid_pair(const struct fwd_worker *w, const struct leg *leg,
		   const struct inet_endpoint *src)
{
	const struct leg_ice_state *st = &w->plane->ice_state[leg->id];

	return st->epoch == leg->epoch && pair_known(st, src);
}

/*
 * May the home worker look at a check from src? A valid pair's always; a
 * stranger's within the leg's budget (before the CRC and the HMAC).
 */
static bool
check_allowed(struct fwd_worker *w, const struct leg *leg, const struct inet_endpoint *src)
{
	struct leg_ice_state *st = ice_state(w, leg);

	if (pair_known(st, src))
		return true;
	if (!rate_bucket_has(&st->stranger_checks, &w->stranger_check_rate, w->burst.now_tsc))
		return false;
	st->stranger_checks.tokens--;
	return true;
}

/* The pair of src, made (peer-reflexive) or refreshed; the oldest unnominated one gives way. */
static uint8_t
pair_touch(struct leg_ice_state *st, const struct inet_endpoint *src, uint32_t priority,
	   uint64_t now)
{
	uint8_t i, oldest = ICE_PAIR_NONE;

	for (i = 0; i < st->n_pairs; i++)
		if (inet_endpoint_equal(&st->pair[i].src, src))
			goto refresh;
	if (st->n_pairs < ICE_PAIRS_MAX) {
		i = st->n_pairs++;
	} else {
		for (uint8_t j = 0; j < st->n_pairs; j++)
			if (j != st->nominated &&
			    (oldest == ICE_PAIR_NONE ||
			     st->pair[j].last_check_tsc < st->pair[oldest].last_check_tsc))
				oldest = j;
		i = oldest;
	}
	st->pair[i].src = *src;
refresh:
	st->pair[i].priority = priority;
	st->pair[i].last_check_tsc = now;
	return i;
}

/*
 * An authenticated check from pi->src with credentials cred of ice: the
 * pair, its nomination, consent, and the latch of the nominated pair.
 */
static void
check_authenticated(struct fwd_worker *w, const struct leg *leg, const struct leg_ice *ice,
		    const struct ice_cred *cred, const struct stun_msg *msg,
		    const struct pkt_info *pi)
{
	struct leg_ice_state *st = ice_state(w, leg);
	uint64_t now = w->burst.now_tsc;
	const struct leg_path *path;
	uint8_t idx;

	__atomic_store_n(&st->seq, st->seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	idx = pair_touch(st, &pi->src, msg->priority, now);
	/* A later nomination moves the leg (renomination, RFC 8445 §8.1.1 as browsers do it). */
	if ((msg->use_candidate || msg->has_nomination) && st->nominated != idx) {
		st->nominated = idx;
		st->nominations++;
	}
	__atomic_store_n(&st->seq, st->seq + 1, __ATOMIC_RELEASE);
	if (cred == &ice->cred[ICE_CRED_CURRENT] && st->authenticated_gen != ice->generation)
		__atomic_store_n(&st->authenticated_gen, ice->generation, __ATOMIC_RELEASE);
	if (st->nominated != idx)
		return;
	/* Any authenticated check on the nominated pair keeps consent (RFC 7675 §5.1). */
	__atomic_store_n(&st->consent_tsc, now, __ATOMIC_RELEASE);
	path = leg_path(leg);
	if (path == NULL || !inet_endpoint_equal(&path->remote, &pi->src))
		fwd_latch_ask(w, leg, pi, LATCH_REQ_ICE);
}

static void
stun_addr_of(const struct inet_endpoint *ep, struct stun_addr *a)
{
	a->family = ep->family == INET_FAMILY_V4 ? 4 : 6;
	a->port = rte_be_to_cpu_16(ep->port);
	memcpy(a->addr, ep->addr, sizeof(a->addr));
}

/* Send the success response written over the request (len bytes) back where it came from. */
static void
stun_reply(struct fwd_worker *w, const struct leg *leg, struct rte_mbuf *m,
	   const struct pkt_info *pi, uint16_t iface, uint16_t len)
{
	const struct iface *ifc = &w->plane->ifaces[iface];

	if (len == 0 || udp_reply_in_place(m, pi, len, ifc->ttl) != 0) {
		drop_pkt(&w->drops, m, leg->id, DROP_STUN_NO_REPLY);
		return;
	}
	w->stats->stun_answered++;
	fwd_tx(w, ifc->port_id, m);
}

static void
rate_init(struct rate_limit *r, uint32_t per_second, uint32_t burst)
{
	r->tsc_per_token = RTE_MAX(rte_get_tsc_hz() / RTE_MAX(per_second, 1u), 1ul);
	r->burst = RTE_MAX(burst, 1u);
}

void
fwd_ice_init(struct fwd_worker *w, uint32_t error_rate)
{
	uint32_t rate = error_rate ? error_rate : FWD_STUN_ERROR_RATE_DEFAULT;
	uint64_t now = rte_get_tsc_cycles();

	/* Error answers are few by nature; a tenth of a second's worth at once. */
	rate_init(&w->stun_error_rate, rate, rate / 10);
	rate_init(&w->stun_error_source_rate, FWD_STUN_ERROR_SOURCE_RATE,
		  FWD_STUN_ERROR_SOURCE_RATE);
	rate_init(&w->stranger_check_rate, FWD_STUN_STRANGER_RATE, FWD_STUN_STRANGER_BURST);
	w->stun_errors = (struct rate_bucket){ .last_tsc = now, .tokens = rate / 10 };
	for (unsigned int i = 0; i < FWD_STUN_ERROR_SOURCES; i++)
		w->stun_error_source[i] = (struct rate_bucket){
			.last_tsc = now, .tokens = FWD_STUN_ERROR_SOURCE_RATE,
		};
}

/* May an error go back to src now? The worker's budget and src's (RFC 8445 §19.5.1). */
static bool
stun_error_allowed(struct fwd_worker *w, const struct inet_endpoint *src)
{
	uint32_t h = punt_source_hash(&w->punt_budget, src, sizeof(*src)) &
		     (FWD_STUN_ERROR_SOURCES - 1);
	struct rate_bucket *s = &w->stun_error_source[h];
	uint64_t now = w->burst.now_tsc;

	if (!rate_bucket_has(s, &w->stun_error_source_rate, now) ||
	    !rate_bucket_has(&w->stun_errors, &w->stun_error_rate, now))
		return false;
	s->tokens--;
	w->stun_errors.tokens--;
	return true;
}

/*
 * A request refused with an error response (code): counted as why; answered
 * when the rates allow, never with more bytes than the request had.
 */
static void
stun_refuse(struct fwd_worker *w, const struct leg *leg, struct rte_mbuf *m,
	    const struct pkt_info *pi, uint16_t iface, const struct stun_msg *req, uint16_t code,
	    const struct stun_key *key, enum drop_reason why)
{
	uint8_t *p = rte_pktmbuf_mtod_offset(m, uint8_t *, pkt_payload_off(pi));
	uint16_t len;

	drop_count(&w->drops, leg->id, why);
	if (!stun_error_allowed(w, &pi->src)) {
		w->stats->stun_errors_limited++;
		rte_pktmbuf_free(m);
		return;
	}
	len = stun_build_error(p, pi->payload_len, code, req, key);
	if (len == 0 || udp_reply_in_place(m, pi, len, w->plane->ifaces[iface].ttl) != 0) {
		w->stats->stun_errors_limited++;
		rte_pktmbuf_free(m);
		return;
	}
	w->stats->stun_errors++;
	fwd_tx(w, w->plane->ifaces[iface].port_id, m);
}

/* The credentials whose "local:remote" the request's USERNAME is, or NULL. */
static const struct ice_cred *
cred_of(const struct leg_ice *ice, const struct stun_msg *msg)
{
	for (uint8_t i = 0; i < ice->n_cred; i++) {
		const struct ice_cred *c = &ice->cred[i];

		if (stun_username_match(msg, c->ufrag, c->ufrag_len, c->remote_ufrag,
					c->remote_ufrag_len))
			return c;
	}
	return NULL;
}

static enum drop_reason
stun_drop_reason(enum stun_status s)
{
	switch (s) {
	case STUN_BAD_FINGERPRINT:
		return DROP_STUN_FINGERPRINT;
	case STUN_NOT_REQUEST:
		return DROP_STUN_NOT_REQUEST;
	case STUN_MALFORMED:
		return DROP_STUN_MALFORMED;
	default:
		return DROP_STUN_INVALID;
	}
}

void
fwd_ice_stun(struct fwd_worker *w, struct leg *leg, const struct leg_ice *ice,
	     struct rte_mbuf *m, const struct pkt_info *pi, uint16_t iface)
{
	uint8_t *p = rte_pktmbuf_mtod_offset(m, uint8_t *, pkt_payload_off(pi));
	const struct ice_cred *cred;
	struct stun_addr src;
	struct stun_msg msg;
	enum stun_status s;

	/* The home worker owns the leg's pairs: every check goes there. */
	if (leg->home != w->index) {
		fwd_handoff(w, m, leg);
		return;
	}
	if (unlikely(!check_allowed(w, leg, &pi->src))) {
		drop_pkt(&w->drops, m, leg->id, DROP_STUN_CHECK_RATE);
		return;
	}
	s = stun_parse(p, pi->payload_len, &msg);
	if (s == STUN_NO_CREDENTIALS) {
		stun_refuse(w, leg, m, pi, iface, &msg, 400, NULL, DROP_STUN_NO_CREDENTIALS);
		return;
	}
	if (s != STUN_OK && s != STUN_UNKNOWN_REQUIRED) {
		drop_pkt(&w->drops, m, leg->id, stun_drop_reason(s));
		return;
	}
	cred = cred_of(ice, &msg);
	if (cred == NULL) {
		stun_refuse(w, leg, m, pi, iface, &msg, 401, NULL, DROP_STUN_USERNAME);
		return;
	}
	if (!stun_integrity_ok(p, &msg, &cred->key)) {
		stun_refuse(w, leg, m, pi, iface, &msg, 401, NULL, DROP_STUN_INTEGRITY);
		return;
	}
	/* Authenticated first, then told what it asked for that we do not know (RFC 8489 §6.3.1). */
	if (s == STUN_UNKNOWN_REQUIRED) {
		stun_refuse(w, leg, m, pi, iface, &msg, 420, &cred->key, DROP_STUN_UNKNOWN_ATTR);
		return;
	}
	/* A lite agent is controlled; a peer that says it is too gets 487 (RFC 8445 §7.3.1.1). */
	if (msg.controlled) {
		stun_refuse(w, leg, m, pi, iface, &msg, 487, &cred->key, DROP_STUN_ROLE_CONFLICT);
		return;
	}
	check_authenticated(w, leg, ice, cred, &msg, pi);
	stun_addr_of(&pi->src, &src);
	stun_reply(w, leg, m, pi, iface,
		   stun_build_success(p, udp_reply_room(m, pi), &src, &cred->key));
}
