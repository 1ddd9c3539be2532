/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>
#include <rte_cycles.h>
#include <rte_errno.h>

#include "ice_legs.h"

#define ICE_UFRAG_GEN 8		/* characters of 6 bits: 48 bits */
#define ICE_PWD_GEN 24		/* 144 bits */
/* Legs visited per timer call: all of a small table, a tenth of a large one. */
#define ICE_TIMER_SLICE_MIN 256

struct ice_leg {
	bool active;
	bool consent_lost;
	bool move_pending;
	uint32_t epoch;			/* the leg life it was attached to */
	uint32_t pos;			/* in il->active */
	struct leg_ice pub;		/* what is published */
	char pwd[2][STUN_PWD_MAX + 1];	/* for `show ice .. credentials` only */
	struct inet_endpoint pending;	/* the move's new remote */
	uint64_t pending_token;		/* RCU token of the withdrawal */
};

struct ice_legs {
	struct ice_legs_params p;
	struct ice_leg *legs;		/* max_legs */
	uint32_t *active;		/* ids of the legs with ICE */
	uint32_t n_active;
	uint64_t consent_tsc;		/* the timeout in TSC cycles */
	uint32_t cursor;		/* next in active[] for the timer */
	struct ice_legs_stats stats;
};

struct ice_legs *
ice_legs_create(const struct ice_legs_params *p)
{
	struct ice_legs *il = calloc(1, sizeof(*il));
	uint32_t ms;

	if (il == NULL)
		goto nomem;
	il->p = *p;
	il->legs = calloc(p->max_legs, sizeof(*il->legs));
	il->active = calloc(p->max_legs, sizeof(*il->active));
	if (il->legs == NULL || il->active == NULL)
		goto nomem;
	ms = p->consent_timeout_ms ? p->consent_timeout_ms : ICE_CONSENT_TIMEOUT_MS_DEFAULT;
	il->consent_tsc = rte_get_tsc_hz() / 1000 * ms;
	return il;
nomem:
	ice_legs_free(il);
	rte_errno = ENOMEM;
	return NULL;
}

void
ice_legs_free(struct ice_legs *il)
{
	if (il == NULL)
		return;
	if (il->legs != NULL)
		memset(il->legs, 0, sizeof(*il->legs) * il->p.max_legs);	/* passwords */
	free(il->legs);
	free(il->active);
	free(il);
}

/* RFC 8839 ice-char: ALPHA / DIGIT / "+" / "/". */
static const char ice_chars[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static bool
ice_string_ok(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s);

	return n >= min && n <= max && strspn(s, ice_chars) == n;
}

/* n random ice-chars: 64 of them, so a byte's low 6 bits pick one evenly. */
static int
ice_random(char *out, size_t n)
{
	uint8_t r[STUN_PWD_MAX];

	if (n > sizeof(r) || RAND_bytes(r, (int)n) != 1)
		return -EIO;
	for (size_t i = 0; i < n; i++)
		out[i] = ice_chars[r[i] & 63];
	out[n] = '\0';
	memset(r, 0, sizeof(r));
	return 0;
}

/* conf's credentials, checked, or made here; into cred (and the password into pwd). */
static int
make_cred(const struct ice_leg_conf *conf, struct ice_cred *cred, char *pwd, char *err,
	  size_t errlen)
{
	char ufrag[STUN_UFRAG_MAX + 1];

	if (conf->ufrag[0] != '\0') {
		if (!ice_string_ok(conf->ufrag, ICE_UFRAG_MIN, STUN_UFRAG_MAX))
			return session_set_err(err, errlen, -EINVAL,
					       "ice ufrag must be %u-%u of A-Za-z0-9+/",
					       ICE_UFRAG_MIN, STUN_UFRAG_MAX);
		strcpy(ufrag, conf->ufrag);
	} else if (ice_random(ufrag, ICE_UFRAG_GEN) != 0) {
		return session_set_err(err, errlen, -EIO, "no randomness for an ICE ufrag");
	}
	if (conf->pwd[0] != '\0') {
		if (!ice_string_ok(conf->pwd, ICE_PWD_MIN, STUN_PWD_MAX))
			return session_set_err(err, errlen, -EINVAL,
					       "ice pwd must be %u-%u of A-Za-z0-9+/",
					       ICE_PWD_MIN, STUN_PWD_MAX);
		strcpy(pwd, conf->pwd);
	} else if (ice_random(pwd, ICE_PWD_GEN) != 0) {
		return session_set_err(err, errlen, -EIO, "no randomness for an ICE password");
	}
	if (conf->remote_ufrag[0] != '\0' &&
	    !ice_string_ok(conf->remote_ufrag, 1, STUN_UFRAG_MAX))
		return session_set_err(err, errlen, -EINVAL,
				       "ice remote ufrag must be 1-%u of A-Za-z0-9+/", STUN_UFRAG_MAX);
	memset(cred, 0, sizeof(*cred));
	cred->ufrag_len = (uint8_t)strlen(ufrag);
	memcpy(cred->ufrag, ufrag, cred->ufrag_len);
	cred->remote_ufrag_len = (uint8_t)strlen(conf->remote_ufrag);
	memcpy(cred->remote_ufrag, conf->remote_ufrag, cred->remote_ufrag_len);
	stun_key_init(&cred->key, (const uint8_t *)pwd, strlen(pwd));
	return 0;
}

static struct ice_leg *
ice_leg_of(const struct ice_legs *il, uint32_t leg_id)
{
	if (leg_id >= il->p.max_legs || !il->legs[leg_id].active)
		return NULL;
	return &il->legs[leg_id];
}

static int
publish(struct ice_legs *il, uint32_t leg_id, struct ice_leg *l, char *err, size_t errlen)
{
	int ret = session_leg_set_ice(il->p.sessions, leg_id, &l->pub);

	if (ret != 0)
		return session_set_err(err, errlen, ret, "cannot publish ICE credentials: %s",
				       strerror(-ret));
	return 0;
}

int
ice_legs_attach(struct ice_legs *il, uint32_t leg_id, const struct ice_leg_conf *conf,
		char *err, size_t errlen)
{
	struct ice_leg *l;
	int ret;

	if (leg_id >= il->p.max_legs || il->legs[leg_id].active)
		return session_set_err(err, errlen, -EINVAL, "leg %u cannot take ICE", leg_id);
	l = &il->legs[leg_id];
	memset(l, 0, sizeof(*l));
	ret = make_cred(conf, &l->pub.cred[ICE_CRED_CURRENT], l->pwd[0], err, errlen);
	if (ret != 0)
		return ret;
	l->pub.n_cred = 1;
	l->pub.generation = 1;
	l->epoch = il->p.plane->legs[leg_id].epoch;
	ret = publish(il, leg_id, l, err, errlen);
	if (ret != 0) {
		memset(l, 0, sizeof(*l));
		return ret;
	}
	l->active = true;
	l->pos = il->n_active;
	il->active[il->n_active++] = leg_id;
	il->stats.legs++;
	return 0;
}

void
ice_legs_detach(struct ice_legs *il, uint32_t leg_id)
{
	struct ice_leg *l = ice_leg_of(il, leg_id);
	uint32_t last;

	if (l == NULL)
		return;
	last = il->active[--il->n_active];
	il->active[l->pos] = last;
	il->legs[last].pos = l->pos;
	memset(l, 0, sizeof(*l));
	il->stats.legs--;
	/* The published credentials go with the leg (session table, after a grace period). */
}

int
ice_legs_restart(struct ice_legs *il, uint32_t leg_id, const struct ice_leg_conf *conf,
		 char *err, size_t errlen)
{
	struct ice_leg *l = ice_leg_of(il, leg_id);
	struct ice_leg saved;
	int ret;

	if (l == NULL)
		return session_set_err(err, errlen, -ENOENT, "leg %u has no ICE", leg_id);
	saved = *l;
	l->pub.cred[ICE_CRED_PREVIOUS] = l->pub.cred[ICE_CRED_CURRENT];
	memcpy(l->pwd[1], l->pwd[0], sizeof(l->pwd[1]));
	ret = make_cred(conf, &l->pub.cred[ICE_CRED_CURRENT], l->pwd[0], err, errlen);
	if (ret == 0) {
		l->pub.n_cred = 2;
		l->pub.generation++;
		ret = publish(il, leg_id, l, err, errlen);
	}
	if (ret != 0) {
		*l = saved;
		return ret;
	}
	il->stats.restarts++;
	return 0;
}

int
ice_legs_credentials(const struct ice_legs *il, uint32_t leg_id, struct ice_leg_conf *out)
{
	const struct ice_leg *l = ice_leg_of(il, leg_id);
	const struct ice_cred *c;

	if (l == NULL)
		return -ENOENT;
	c = &l->pub.cred[ICE_CRED_CURRENT];
	memset(out, 0, sizeof(*out));
	memcpy(out->ufrag, c->ufrag, c->ufrag_len);
	memcpy(out->remote_ufrag, c->remote_ufrag, c->remote_ufrag_len);
	strcpy(out->pwd, l->pwd[0]);
	return 0;
}

int
ice_legs_set_remote_ufrag(struct ice_legs *il, uint32_t leg_id, const char *remote_ufrag,
			  char *err, size_t errlen)
{
	struct ice_leg *l = ice_leg_of(il, leg_id);
	struct ice_cred *c, saved;
	size_t n = strlen(remote_ufrag);
	int ret;

	if (l == NULL)
		return session_set_err(err, errlen, -ENOENT, "leg %u has no ICE", leg_id);
	if (!ice_string_ok(remote_ufrag, 1, STUN_UFRAG_MAX))
		return session_set_err(err, errlen, -EINVAL,
				       "ice remote ufrag must be 1-%u of A-Za-z0-9+/", STUN_UFRAG_MAX);
	c = &l->pub.cred[ICE_CRED_CURRENT];
	saved = *c;
	c->remote_ufrag_len = (uint8_t)n;
	memcpy(c->remote_ufrag, remote_ufrag, n);
	ret = publish(il, leg_id, l, err, errlen);
	if (ret != 0)
		*c = saved;
	return ret;
}

static const struct leg *
live_leg(const struct ice_legs *il, uint32_t leg_id, const struct ice_leg *l)
{
	const struct leg *leg = &il->p.plane->legs[leg_id];

	return leg->in_use && leg->epoch == l->epoch ? leg : NULL;
}

static void
latch(struct ice_legs *il, uint32_t leg_id, struct ice_leg *l, const struct inet_endpoint *remote)
{
	if (session_leg_set_remote(il->p.sessions, leg_id, remote) != 0) {
		il->stats.latch_failed++;
		return;
	}
	if (l->consent_lost)
		il->stats.consent_resumed++;
	l->consent_lost = false;
}

void
ice_legs_nominated(struct ice_legs *il, uint32_t leg_id, uint32_t epoch,
		   const struct inet_endpoint *remote)
{
	struct ice_leg *l = ice_leg_of(il, leg_id);
	const struct leg *leg;
	const struct leg_path *path;

	if (l == NULL || l->epoch != epoch || (leg = live_leg(il, leg_id, l)) == NULL)
		return;
	if (l->move_pending) {
		l->pending = *remote;	/* the latest nomination wins */
		return;
	}
	path = leg_path(leg);
	if (path == NULL) {
		if (!l->consent_lost)
			il->stats.latched++;
		latch(il, leg_id, l, remote);
		return;
	}
	if (inet_endpoint_equal(&path->remote, remote))
		return;
	/* A move: nothing of the leg's media on any worker until no one holds the old pair. */
	session_leg_clear_remote(il->p.sessions, leg_id);
	l->pending = *remote;
	l->pending_token = rte_rcu_qsbr_start(il->p.rcu);
	l->move_pending = true;
	il->stats.moved++;
}

/* One leg's timers: a move whose grace period ended, consent, a finished restart. */
static void
leg_timer(struct ice_legs *il, uint32_t leg_id, struct ice_leg *l, uint64_t now)
{
	const struct leg_ice_state *st = &il->p.plane->ice_state[leg_id];
	const struct leg *leg = live_leg(il, leg_id, l);
	uint64_t consent;

	if (leg == NULL)
		return;
	if (l->move_pending && rte_rcu_qsbr_check(il->p.rcu, l->pending_token, false) == 1) {
		l->move_pending = false;
		latch(il, leg_id, l, &l->pending);
	}
	if (__atomic_load_n(&st->epoch, __ATOMIC_ACQUIRE) != l->epoch)
		return;
	consent = __atomic_load_n(&st->consent_tsc, __ATOMIC_ACQUIRE);
	if (leg_path(leg) != NULL && now > consent && now - consent > il->consent_tsc) {
		session_leg_clear_remote(il->p.sessions, leg_id);
		l->consent_lost = true;
		il->stats.consent_expired++;
	}
	if (l->pub.n_cred == 2 &&
	    __atomic_load_n(&st->authenticated_gen, __ATOMIC_ACQUIRE) == l->pub.generation) {
		l->pub.n_cred = 1;
		memset(&l->pub.cred[ICE_CRED_PREVIOUS], 0, sizeof(l->pub.cred[0]));
		memset(l->pwd[1], 0, sizeof(l->pwd[1]));
		if (session_leg_set_ice(il->p.sessions, leg_id, &l->pub) == 0)
			il->stats.restarts_done++;
		else
			l->pub.n_cred = 2;	/* try again next time */
	}
}

/*
 * Called every 10 ms tick: a slice of the legs each time, so that every leg
 * is visited at least every 100 ms and a big table costs a tick no more
 * than a tenth of itself.
 */
void
ice_legs_timer(struct ice_legs *il, uint64_t now_tsc)
{
	uint32_t n = RTE_MIN(il->n_active, RTE_MAX((uint32_t)ICE_TIMER_SLICE_MIN,
						    il->n_active / 10 + 1));

	for (uint32_t i = 0; i < n; i++) {
		uint32_t id;

		if (il->cursor >= il->n_active)
			il->cursor = 0;
		id = il->active[il->cursor++];
		leg_timer(il, id, &il->legs[id], now_tsc);
	}
}

/* A consistent copy of the home worker's state (it may be writing it). */
static bool
read_state(const struct leg_ice_state *st, struct leg_ice_state *copy)
{
	for (int tries = 0; tries < 1000; tries++) {
		uint32_t seq = __atomic_load_n(&st->seq, __ATOMIC_ACQUIRE);

		if (seq & 1)
			continue;
		memcpy(copy, st, sizeof(*copy));
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (__atomic_load_n(&st->seq, __ATOMIC_RELAXED) == seq)
			return true;
	}
	return false;
}

static double
age_s(uint64_t now, uint64_t then)
{
	return (double)(now - then) / (double)rte_get_tsc_hz();
}

static void
print_pairs(const struct ice_legs *il, uint32_t leg_id, const struct ice_leg *l, FILE *out)
{
	const struct leg *leg = live_leg(il, leg_id, l);
	uint64_t now = rte_get_tsc_cycles();
	struct leg_ice_state st;
	char buf[INET_ENDPOINT_STRLEN];

	if (leg == NULL || !read_state(&il->p.plane->ice_state[leg_id], &st) ||
	    st.epoch != l->epoch || st.n_pairs == 0) {
		fprintf(out, "    ice pairs: none (no authenticated check yet)\n");
		return;
	}
	for (uint8_t i = 0; i < st.n_pairs && i < ICE_PAIRS_MAX; i++)
		fprintf(out, "    ice pair %s%s priority %" PRIu32 " last check %.1f s ago\n",
			inet_endpoint_format(&st.pair[i].src, buf, sizeof(buf)),
			i == st.nominated ? " nominated" : "", st.pair[i].priority,
			age_s(now, st.pair[i].last_check_tsc));
	if (st.nominated == ICE_PAIR_NONE)
		fprintf(out, "    ice consent: nothing nominated\n");
	else
		fprintf(out, "    ice consent: %s, last %.1f s ago (nominations %" PRIu64 ")%s\n",
			l->consent_lost ? "expired" : "fresh", age_s(now, st.consent_tsc),
			st.nominations, l->move_pending ? ", moving" : "");
}

void
ice_legs_print(const struct ice_legs *il, uint32_t leg_id, bool secrets, FILE *out)
{
	const struct ice_leg *l = ice_leg_of(il, leg_id);
	const struct ice_cred *c;

	if (l == NULL) {
		fprintf(out, "    ice: none\n");
		return;
	}
	c = &l->pub.cred[ICE_CRED_CURRENT];
	fprintf(out, "    ice: lite ufrag %.*s remote-ufrag %.*s generation %" PRIu32 "%s\n",
		c->ufrag_len, (const char *)c->ufrag, c->remote_ufrag_len ? c->remote_ufrag_len : 3,
		c->remote_ufrag_len ? (const char *)c->remote_ufrag : "any", l->pub.generation,
		l->pub.n_cred == 2 ? " (restart: old credentials still valid)" : "");
	if (secrets)
		fprintf(out, "    ice pwd %s\n", l->pwd[0]);
	print_pairs(il, leg_id, l, out);
}

void
ice_legs_stats(const struct ice_legs *il, struct ice_legs_stats *out)
{
	*out = il->stats;
}
