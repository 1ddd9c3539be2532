/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A leg's SRTP contexts as one RCU-published set (struct leg_srtp): made
 * from SDES keys or a DTLS-SRTP export, replaced whole, the old set freed
 * after a grace period.
 */
#include <errno.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_malloc.h>

#include "session_priv.h"

/* Free an SRTP set and its contexts; no worker may reach them any more. */
void
leg_srtp_free(struct leg_srtp *ls)
{
	if (ls == NULL)
		return;
	for (int k = 0; k < 2; k++) {
		if (ls->in[k] != NULL)
			srtp_ctx_free(ls->in[k]);
		if (ls->out[k] != NULL)
			srtp_ctx_free(ls->out[k]);
	}
	rte_free(ls);
}

void
leg_free_crypto(struct leg *leg)
{
	leg_srtp_free((struct leg_srtp *)(uintptr_t)leg->srtp);
	leg->srtp = NULL;
}

static int
crypto_ctx(struct session_table *st, const struct leg_crypto_spec *cs, enum srtp_dir dir,
	   enum srtp_kind kind, const struct session *s, struct srtp_ctx **out)
{
	struct srtp_ctx_conf conf = {
		.profile = cs->profile,
		.dir = dir,
		.kind = kind,
		.replay_window = s->replay_window,
		.no_replay_check = s->no_replay_check,
	};

	*out = NULL;
	if (!cs->srtp)
		return 0;
	if (st->p.srtp == NULL)
		return -ENOTSUP;
	memcpy(conf.master_key, cs->master_key, sizeof(conf.master_key));
	memcpy(conf.master_salt, cs->master_salt, sizeof(conf.master_salt));
	*out = srtp_ctx_create(st->p.srtp, &conf);
	/* The engine derived its session keys: wipe our copy of the master. */
	explicit_bzero(conf.master_key, sizeof(conf.master_key));
	explicit_bzero(conf.master_salt, sizeof(conf.master_salt));
	return *out != NULL ? 0 : -rte_errno;
}

/* A new SRTP set for rx (what the remote sends) and tx (what we send); NULL with rte_errno. */
struct leg_srtp *
leg_srtp_create(struct session_table *st, const struct leg_crypto_spec *rx,
		const struct leg_crypto_spec *tx, const struct session *s)
{
	static const enum srtp_kind kinds[2] = { SRTP_KIND_RTP, SRTP_KIND_RTCP };
	struct leg_srtp *ls;
	int ret;

	ls = rte_zmalloc_socket("leg_srtp", sizeof(*ls), RTE_CACHE_LINE_SIZE, st->p.socket);
	if (ls == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	for (int k = 0; k < 2; k++) {
		ret = crypto_ctx(st, rx, SRTP_DIR_INBOUND, kinds[k], s, &ls->in[k]);
		if (ret == 0)
			ret = crypto_ctx(st, tx, SRTP_DIR_OUTBOUND, kinds[k], s, &ls->out[k]);
		if (ret != 0) {
			leg_srtp_free(ls);
			rte_errno = -ret;
			return NULL;
		}
	}
	return ls;
}

/* Publish ls (NULL: the leg passes no media) and free the set it replaces later. */
static void
leg_srtp_publish(struct session_table *st, struct leg *leg, struct leg_srtp *ls)
{
	struct leg_srtp *old = (struct leg_srtp *)(uintptr_t)leg->srtp;

	__atomic_store_n(&leg->srtp, ls, __ATOMIC_RELEASE);
	if (old != NULL)
		session_defer_free(st, (struct deferred){ .kind = DEFERRED_SRTP, .srtp = old });
}

int
session_leg_install_srtp(struct session_table *st, uint32_t leg_id,
			 const struct leg_crypto_spec *rx, const struct leg_crypto_spec *tx)
{
	struct leg_srtp *ls;
	struct leg *leg;

	if (leg_id >= st->max_legs || !st->legs[leg_id].in_use)
		return -ENOENT;
	leg = &st->legs[leg_id];
	ls = leg_srtp_create(st, rx, tx, &st->sessions[leg->session]);
	if (ls == NULL)
		return -rte_errno;
	leg_srtp_publish(st, leg, ls);
	return 0;
}

int
session_leg_clear_srtp(struct session_table *st, uint32_t leg_id)
{
	if (leg_id >= st->max_legs || !st->legs[leg_id].in_use)
		return -ENOENT;
	leg_srtp_publish(st, &st->legs[leg_id], NULL);
	return 0;
}

