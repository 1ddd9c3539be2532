/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>

#include "../srtp/srtp_profile.h"
#include "li_service_priv.h"
#include "li_tap.h"

/*
 * Interception tasks, their taps on sessions and the delivery of the keys
 * the box knows for a tapped leg (see li_service_priv.h for the layout).
 */

/* The IANA DTLS-SRTP protection profile of p (RFC 5764 §4.1.2, RFC 7714 §14.2). */
static uint16_t
iana_profile(enum srtp_profile p)
{
	static const uint16_t ids[SRTP_PROFILE_MAX] = {
		[SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80] = 0x0001,
		[SRTP_PROFILE_AES_CM_128_HMAC_SHA1_32] = 0x0002,
		[SRTP_PROFILE_AEAD_AES_128_GCM] = 0x0007,
		[SRTP_PROFILE_AEAD_AES_256_GCM] = 0x0008,
		[SRTP_PROFILE_NULL_HMAC_SHA1_80] = 0x0005,
	};

	return (unsigned int)p < SRTP_PROFILE_MAX ? ids[p] : 0;
}

/* One direction's keys of a leg: rx what its remote sends, else what it receives. */
static void
send_key(struct li_service *li, struct li_task *t, uint32_t target_leg, uint32_t leg_id,
	 const struct leg_crypto_spec *k, bool rx)
{
	const struct leg *leg = &session_table_legs(li->sessions)[leg_id];
	const struct leg_path *path = leg_path(leg);
	const struct srtp_profile_info *pi = srtp_profile_info(k->profile);
	struct inet_endpoint remote = { .family = leg->local.family };
	uint8_t payload[LI_KEYS_PAYLOAD_MAX];
	struct li_key_info ki;
	struct li_pdu_meta m = { .type = LI_PDU_X2, .format = LI_FORMAT_PROPRIETARY };
	bool from_target = (leg_id == target_leg) == rx;

	if (!k->srtp || pi == NULL)
		return;
	if (path != NULL)
		remote = path->remote;
	ki = (struct li_key_info){ .profile = iana_profile(k->profile), .key_len = pi->master_key_len,
				   .salt_len = pi->master_salt_len, .key = k->master_key,
				   .salt = k->master_salt };
	m.direction = from_target ? LI_DIR_FROM_TARGET : LI_DIR_TO_TARGET;
	li_pdu_meta_fill(li, t, &m, rte_get_tsc_cycles());
	li_pdu_addr_of(&m.src, rx ? &remote : &leg->local);
	li_pdu_addr_of(&m.dst, rx ? &leg->local : &remote);
	if (li_task_send(li, t, &m, payload, (uint32_t)li_pdu_write_keys(payload, &ki)))
		t->keys++;
	explicit_bzero(payload, sizeof(payload));
}

static void
send_leg_keys(struct li_service *li, struct li_task *t, uint32_t target_leg, uint32_t leg_id)
{
	const struct li_leg_keys *k = li->keys[leg_id];

	if (k == NULL)
		return;
	send_key(li, t, target_leg, leg_id, &k->rx, true);
	send_key(li, t, target_leg, leg_id, &k->tx, false);
}

static int
task_index(const struct li_service *li, const uint8_t xid[16])
{
	for (unsigned int i = 0; i < LI_TASKS_MAX; i++)
		if (li->tasks[i].state != LI_TASK_FREE && memcmp(li->tasks[i].spec.xid, xid, 16) == 0)
			return (int)i;
	return -1;
}

/*
 * (Re)publish the tap word of session s's legs: its taps, a new generation
 * each time, so the copies made under the old one are dropped.
 */
static void
retap_session(struct li_service *li, uint32_t session)
{
	const struct session *s = session_get(li->sessions, session);
	struct li_tap_slot *prev = NULL;
	uint32_t word = 0;
	bool dtls = false;

	for (unsigned int i = 0; i < LI_TAPS_MAX; i++) {
		struct li_tap_slot *tap = &li->taps[i];

		if (tap->task < 0 || tap->session != session)
			continue;
		if (prev == NULL)
			word = i + 1;
		else
			prev->next = (int16_t)i;
		tap->next = -1;
		prev = tap;
		dtls |= li->tasks[tap->task].spec.dtls;
	}
	if (word != 0) {
		if (++li->tap_gen == 0)
			li->tap_gen = 1;
		word |= (uint32_t)li->tap_gen << 16 | (dtls ? LI_TAP_DTLS : 0);
	}
	if (s == NULL)
		return;
	session_leg_set_li(li->sessions, s->leg[0], word);
	session_leg_set_li(li->sessions, s->leg[1], word);
}

/* The slot's tap goes; the task's last tap of a session-bound task ends it. */
static void
untap(struct li_service *li, struct li_tap_slot *tap)
{
	struct li_task *t = &li->tasks[tap->task];

	tap->task = -1;
	tap->next = -1;
	if (--t->n_taps == 0 && t->spec.call[0] == '\0' && t->state == LI_TASK_ACTIVE)
		t->state = LI_TASK_ENDED;
}

static int
mf_index(const struct li_service *li, const char *name)
{
	for (uint16_t i = 0; i < li->n_mfs; i++)
		if (strcmp(li->mfs[i].conf->name, name) == 0)
			return i;
	return -1;
}

int
li_task_check(const struct li_service *li, const struct li_task_spec *spec, char *err,
	      size_t errlen)
{
	int i = task_index(li, spec->xid);

	if (mf_index(li, spec->mf) < 0)
		return session_set_err(err, errlen, -ENOENT, "no mediation function '%s'%s", spec->mf,
				       li->n_mfs == 0 ? " (none configured)" : "");
	if (spec->correlation_id == 0)
		return session_set_err(err, errlen, -EINVAL, "correlation id must not be 0");
	if (i >= 0 && (spec->call[0] == '\0' || strcmp(li->tasks[i].spec.call, spec->call) != 0))
		return session_set_err(err, errlen, -EEXIST, "a task with this XID exists");
	for (unsigned int k = 0; k < LI_TASKS_MAX && i < 0; k++)
		if (li->tasks[k].state == LI_TASK_FREE)
			return 0;
	if (i < 0)
		return session_set_err(err, errlen, -ENOSPC, "%u tasks already", LI_TASKS_MAX);
	return 0;
}

int
li_task_start(struct li_service *li, const struct li_task_spec *spec, char *err, size_t errlen)
{
	struct li_task *t = NULL;
	int ret = li_task_check(li, spec, err, errlen);

	if (ret != 0)
		return ret;
	if (task_index(li, spec->xid) >= 0)
		return session_set_err(err, errlen, -EEXIST, "a task with this XID exists");
	for (unsigned int i = 0; i < LI_TASKS_MAX && t == NULL; i++)
		if (li->tasks[i].state == LI_TASK_FREE)
			t = &li->tasks[i];
	memset(t, 0, sizeof(*t));
	t->state = LI_TASK_ACTIVE;
	t->spec = *spec;
	t->mf = (uint16_t)mf_index(li, spec->mf);
	return 0;
}

int
li_task_tap(struct li_service *li, const uint8_t xid[16], uint32_t session, uint32_t target_leg,
	    char *err, size_t errlen)
{
	int ti = task_index(li, xid);
	const struct session *s = session_get(li->sessions, session);
	struct li_tap_slot *tap = NULL;
	struct li_task *t;

	if (ti < 0)
		return session_set_err(err, errlen, -ENOENT, "no task with this XID");
	if (s == NULL)
		return session_set_err(err, errlen, -ENOENT, "no session %u", session);
	if (target_leg != s->leg[0] && target_leg != s->leg[1])
		return session_set_err(err, errlen, -EINVAL, "leg %u is not one of session %u's",
				       target_leg, session);
	t = &li->tasks[ti];
	if (t->state != LI_TASK_ACTIVE)
		return session_set_err(err, errlen, -ESRCH, "the task has ended");
	for (unsigned int i = 0; i < LI_TAPS_MAX; i++) {
		if (li->taps[i].task == ti && li->taps[i].session == session)
			return 0;
		if (tap == NULL && li->taps[i].task < 0)
			tap = &li->taps[i];
	}
	if (tap == NULL)
		return session_set_err(err, errlen, -ENOSPC, "%u session taps already", LI_TAPS_MAX);
	*tap = (struct li_tap_slot){ .task = (int16_t)ti, .next = -1, .session = session,
				     .target_leg = target_leg };
	t->n_taps++;
	send_leg_keys(li, t, target_leg, s->leg[0]);
	send_leg_keys(li, t, target_leg, s->leg[1]);
	retap_session(li, session);
	return 0;
}

int
li_task_stop(struct li_service *li, const uint8_t xid[16], char *err, size_t errlen)
{
	int ti = task_index(li, xid);

	if (ti < 0)
		return session_set_err(err, errlen, -ENOENT, "no task with this XID");
	for (unsigned int i = 0; i < LI_TAPS_MAX; i++) {
		struct li_tap_slot *tap = &li->taps[i];
		uint32_t session = tap->session;

		if (tap->task != ti)
			continue;
		untap(li, tap);
		retap_session(li, session);
	}
	li->tasks[ti].state = LI_TASK_FREE;
	return 0;
}

const struct li_task_spec *
li_task_get(const struct li_service *li, const uint8_t xid[16])
{
	int ti = li != NULL ? task_index(li, xid) : -1;

	return ti >= 0 ? &li->tasks[ti].spec : NULL;
}

void
li_leg_keys(struct li_service *li, uint32_t leg_id, const struct leg_crypto_spec *rx,
	    const struct leg_crypto_spec *tx)
{
	struct li_leg_keys *k;
	const struct leg *leg;

	if (li == NULL || leg_id >= li->max_legs)
		return;
	k = li->keys[leg_id];
	if (k == NULL && (k = li->keys[leg_id] = calloc(1, sizeof(*k))) == NULL)
		return;
	explicit_bzero(k, sizeof(*k));
	if (rx != NULL)
		k->rx = *rx;
	if (tx != NULL)
		k->tx = *tx;
	/* Keys that change under an active task go to its mediation function. */
	leg = &session_table_legs(li->sessions)[leg_id];
	for (unsigned int i = 0; i < LI_TAPS_MAX; i++) {
		const struct li_tap_slot *tap = &li->taps[i];
		const struct session *s;

		if (tap->task < 0 || tap->session != leg->session)
			continue;
		s = session_get(li->sessions, tap->session);
		if (s != NULL && (s->leg[0] == leg_id || s->leg[1] == leg_id)) {
			send_key(li, &li->tasks[tap->task], tap->target_leg, leg_id, &k->rx, true);
			send_key(li, &li->tasks[tap->task], tap->target_leg, leg_id, &k->tx, false);
		}
	}
}

void
li_leg_gone(struct li_service *li, uint32_t leg_id)
{
	const struct leg *leg;
	const struct session *s;
	bool tapped = false;

	if (li == NULL || leg_id >= li->max_legs)
		return;
	if (li->keys[leg_id] != NULL) {
		explicit_bzero(li->keys[leg_id], sizeof(*li->keys[leg_id]));
		free(li->keys[leg_id]);
		li->keys[leg_id] = NULL;
	}
	leg = &session_table_legs(li->sessions)[leg_id];
	s = session_get(li->sessions, leg->session);
	if (s == NULL || (s->leg[0] != leg_id && s->leg[1] != leg_id))
		return;
	for (unsigned int i = 0; i < LI_TAPS_MAX; i++)
		if (li->taps[i].task >= 0 && li->taps[i].session == s->id) {
			untap(li, &li->taps[i]);
			tapped = true;
		}
	if (tapped) {
		session_leg_set_li(li->sessions, s->leg[0], 0);
		session_leg_set_li(li->sessions, s->leg[1], 0);
	}
}
