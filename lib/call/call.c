/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>

#include "../li/li_service.h"
#include "call.h"

#define CALL_PARTS_MAX 6

struct call {
	bool in_use;
	uint32_t n_sessions;
	uint32_t sessions[CALL_MAX_SESSIONS];
	char label[CALL_LABEL_MAX];
};

struct call_layer {
	struct session_table *sessions;
	struct call *calls;		/* max_calls */
	uint32_t *call_free;		/* stack of free call ids */
	uint32_t n_call_free, max_calls;
	uint32_t *session_call;		/* call of each session id */
	struct call_leg *legs;		/* aggregate of each leg id */
	uint32_t max_legs;
	struct call_part parts[CALL_PARTS_MAX];
	unsigned int n_parts;
};

struct call_layer *
call_layer_create(struct session_table *sessions)
{
	uint32_t max = session_max(sessions);
	struct call_layer *cl = calloc(1, sizeof(*cl));

	if (cl == NULL)
		goto nomem;
	cl->sessions = sessions;
	cl->max_calls = max;
	cl->max_legs = 2 * max;
	cl->calls = calloc(max, sizeof(*cl->calls));
	cl->call_free = calloc(max, sizeof(*cl->call_free));
	cl->session_call = calloc(max, sizeof(*cl->session_call));
	cl->legs = calloc(cl->max_legs, sizeof(*cl->legs));
	if (cl->calls == NULL || cl->call_free == NULL || cl->session_call == NULL ||
	    cl->legs == NULL)
		goto nomem;
	for (uint32_t i = 0; i < max; i++) {
		cl->call_free[i] = max - 1 - i;
		cl->session_call[i] = CALL_NONE;
	}
	cl->n_call_free = max;
	for (uint32_t i = 0; i < cl->max_legs; i++)
		cl->legs[i].session = SESSION_NONE;
	return cl;
nomem:
	call_layer_free(cl);
	rte_errno = ENOMEM;
	return NULL;
}

void
call_layer_free(struct call_layer *cl)
{
	if (cl == NULL)
		return;
	free(cl->calls);
	free(cl->call_free);
	free(cl->session_call);
	free(cl->legs);
	free(cl);
}

int
call_layer_add_part(struct call_layer *cl, const struct call_part *part)
{
	if (cl->n_parts == CALL_PARTS_MAX)
		return -ENOSPC;
	cl->parts[cl->n_parts++] = *part;
	return 0;
}

int
call_create(struct call_layer *cl, const char *label, uint32_t *call_id)
{
	struct call *c;

	if (cl->n_call_free == 0)
		return -ENOSPC;
	*call_id = cl->call_free[--cl->n_call_free];
	c = &cl->calls[*call_id];
	memset(c, 0, sizeof(*c));
	c->in_use = true;
	if (label != NULL)
		snprintf(c->label, sizeof(c->label), "%s", label);
	return 0;
}

/* The parts let go of the session's legs, then the table removes them. */
static void
session_teardown(struct call_layer *cl, uint32_t session_id)
{
	const struct session *s = session_get(cl->sessions, session_id);

	for (int i = 0; i < 2; i++) {
		for (unsigned int p = cl->n_parts; p-- > 0;)
			cl->parts[p].leg_gone(cl->parts[p].arg, s->leg[i]);
		memset(&cl->legs[s->leg[i]], 0, sizeof(cl->legs[0]));
		cl->legs[s->leg[i]].session = SESSION_NONE;
	}
	session_del(cl->sessions, session_id);
	cl->session_call[session_id] = CALL_NONE;
}

static void
call_end(struct call_layer *cl, uint32_t call_id)
{
	cl->calls[call_id].in_use = false;
	cl->call_free[cl->n_call_free++] = call_id;
}

int
call_delete(struct call_layer *cl, uint32_t call_id)
{
	struct call *c;

	if (call_id >= cl->max_calls || !cl->calls[call_id].in_use)
		return -ENOENT;
	c = &cl->calls[call_id];
	while (c->n_sessions > 0)
		session_teardown(cl, c->sessions[--c->n_sessions]);
	call_end(cl, call_id);
	return 0;
}

/* Each part sets the new session's legs up; the first error undoes them all. */
static void
parts_keys(struct call_layer *cl, uint32_t leg_id, const struct leg_crypto_spec *rx,
	   const struct leg_crypto_spec *tx)
{
	for (unsigned int p = 0; p < cl->n_parts; p++)
		if (cl->parts[p].leg_keys != NULL)
			cl->parts[p].leg_keys(cl->parts[p].arg, leg_id, rx, tx);
}

static int
parts_attach(struct call_layer *cl, const struct session *s, const struct call_spec *spec,
	     char *err, size_t errlen)
{
	for (int i = 0; i < 2; i++) {
		cl->legs[s->leg[i]].session = s->id;
		cl->legs[s->leg[i]].dtls = spec->leg[i].dtls;
		cl->legs[s->leg[i]].ice.enabled = spec->leg[i].ice;
	}
	for (int i = 0; i < 2; i++)
		for (unsigned int p = 0; p < cl->n_parts; p++) {
			int ret = cl->parts[p].leg_created(cl->parts[p].arg, s->leg[i],
							   &spec->leg[i], err, errlen);

			if (ret != 0)
				return ret;
		}
	for (int i = 0; i < 2; i++) {
		const struct leg_spec *ls = &spec->session.leg[i];
		const struct call_leg_conf *lc = &spec->leg[i];

		if (spec->session.mode == SESSION_MODE_E2AE && !ls->dtls && (ls->rx.srtp || ls->tx.srtp))
			parts_keys(cl, s->leg[i], &ls->rx, &ls->tx);
		else if (spec->session.mode == SESSION_MODE_E2E &&
			 (lc->known_rx.srtp || lc->known_tx.srtp))
			parts_keys(cl, s->leg[i], &lc->known_rx, &lc->known_tx);
	}
	return 0;
}

int
call_session_add(struct call_layer *cl, uint32_t call_id, const struct call_spec *spec,
		 uint32_t *session_id, char *err, size_t errlen)
{
	struct call *c;
	int ret;

	if (call_id >= cl->max_calls || !cl->calls[call_id].in_use)
		return session_set_err(err, errlen, -ENOENT, "no call %u", call_id);
	c = &cl->calls[call_id];
	if (c->n_sessions == CALL_MAX_SESSIONS)
		return session_set_err(err, errlen, -ENOSPC, "call %u has %u sessions already",
				       call_id, CALL_MAX_SESSIONS);
	ret = session_add(cl->sessions, &spec->session, session_id, err, errlen);
	if (ret != 0)
		return ret;
	cl->session_call[*session_id] = call_id;
	c->sessions[c->n_sessions++] = *session_id;
	ret = parts_attach(cl, session_get(cl->sessions, *session_id), spec, err, errlen);
	if (ret != 0)
		call_session_del(cl, *session_id);
	return ret;
}

int
call_session_del(struct call_layer *cl, uint32_t session_id)
{
	uint32_t call_id;
	struct call *c;

	if (session_get(cl->sessions, session_id) == NULL)
		return -ENOENT;
	call_id = cl->session_call[session_id];
	session_teardown(cl, session_id);
	if (call_id == CALL_NONE)
		return 0;
	c = &cl->calls[call_id];
	for (uint32_t i = 0; i < c->n_sessions; i++)
		if (c->sessions[i] == session_id) {
			c->sessions[i] = c->sessions[--c->n_sessions];
			break;
		}
	if (c->n_sessions == 0)
		call_end(cl, call_id);
	return 0;
}

const struct call_leg *
call_leg_get(const struct call_layer *cl, uint32_t leg_id)
{
	if (leg_id >= cl->max_legs || cl->legs[leg_id].session == SESSION_NONE)
		return NULL;
	return &cl->legs[leg_id];
}

int
call_leg_set_remote(struct call_layer *cl, uint32_t leg_id, const struct inet_endpoint *remote)
{
	return session_leg_set_remote(cl->sessions, leg_id, remote);
}

int
call_leg_install_srtp(struct call_layer *cl, uint32_t leg_id, const struct leg_crypto_spec *rx,
		      const struct leg_crypto_spec *tx)
{
	int ret = session_leg_install_srtp(cl->sessions, leg_id, rx, tx);

	if (ret == 0)
		parts_keys(cl, leg_id, rx, tx);
	return ret;
}

int
call_leg_clear_srtp(struct call_layer *cl, uint32_t leg_id)
{
	int ret = session_leg_clear_srtp(cl->sessions, leg_id);

	if (ret == 0)
		parts_keys(cl, leg_id, NULL, NULL);
	return ret;
}

int
call_leg_known_keys(struct call_layer *cl, uint32_t leg_id, const struct leg_crypto_spec *rx,
		    const struct leg_crypto_spec *tx)
{
	if (call_leg_get(cl, leg_id) == NULL)
		return -ENOENT;
	parts_keys(cl, leg_id, rx, tx);
	return 0;
}

int
call_leg_set_bundle(struct call_layer *cl, uint32_t leg_id, const struct leg_bundle *b)
{
	return session_leg_set_bundle(cl->sessions, leg_id, b);
}

/* ---- the DTLS endpoints as a part ---- */

static int
dtls_leg_created(void *arg, uint32_t leg_id, const struct call_leg_conf *conf, char *err,
		 size_t errlen)
{
	struct dtls_leg_conf dc;

	if (!conf->dtls)
		return 0;
	/* On an ICE leg the workers punt DTLS from valid pairs only, and the latch is ICE's. */
	dc = conf->dtls_conf;
	dc.ice = conf->ice;
	return dtls_legs_attach(arg, leg_id, &dc, err, errlen);
}

static void
dtls_leg_gone(void *arg, uint32_t leg_id)
{
	dtls_legs_detach(arg, leg_id);
}

void
call_dtls_part(struct dtls_legs *dl, struct call_part *part)
{
	*part = (struct call_part){
		.name = "dtls",
		.leg_created = dtls_leg_created,
		.leg_gone = dtls_leg_gone,
		.arg = dl,
	};
}

/* ---- ICE-lite as a part ---- */

static int
ice_leg_created(void *arg, uint32_t leg_id, const struct call_leg_conf *conf, char *err,
		size_t errlen)
{
	if (!conf->ice)
		return 0;
	return ice_legs_attach(arg, leg_id, &conf->ice_conf, err, errlen);
}

static void
ice_leg_gone(void *arg, uint32_t leg_id)
{
	ice_legs_detach(arg, leg_id);
}

void
call_ice_part(struct ice_legs *il, struct call_part *part)
{
	*part = (struct call_part){
		.name = "ice",
		.leg_created = ice_leg_created,
		.leg_gone = ice_leg_gone,
		.arg = il,
	};
}

/* ---- lawful interception as a part ---- */

static int
li_leg_created(void *arg, uint32_t leg_id, const struct call_leg_conf *conf, char *err,
	       size_t errlen)
{
	RTE_SET_USED(arg);
	RTE_SET_USED(leg_id);
	RTE_SET_USED(conf);
	RTE_SET_USED(err);
	RTE_SET_USED(errlen);
	return 0;
}

static void
li_part_leg_gone(void *arg, uint32_t leg_id)
{
	li_leg_gone(arg, leg_id);
}

static void
li_part_leg_keys(void *arg, uint32_t leg_id, const struct leg_crypto_spec *rx,
		 const struct leg_crypto_spec *tx)
{
	li_leg_keys(arg, leg_id, rx, tx);
}

void
call_li_part(struct li_service *li, struct call_part *part)
{
	*part = (struct call_part){
		.name = "li",
		.leg_created = li_leg_created,
		.leg_gone = li_part_leg_gone,
		.leg_keys = li_part_leg_keys,
		.arg = li,
	};
}
