/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * BUNDLE transports and their members (leg_bundle.h), control lcore only:
 * who is whose member, their peer paths, the demux table the workers read.
 */
#include <errno.h>
#include <stdlib.h>

#include "session_priv.h"

void
bundle_join(struct session_table *st, struct leg *transport, struct leg *member)
{
	struct leg_link *tl = &st->links[transport->id];

	member->peer = transport->id;
	member->peer_path = transport->path;
	/* One worker for the whole bundle: the transport's SRTP state has one writer. */
	member->home = transport->home;
	member->pinned = 1;
	transport->pinned = 1;
	st->links[member->id] = (struct leg_link){ .transport = transport->id, .next = tl->next };
	tl->next = member->id;
}

/* Take member out of its transport's chain. */
static void
unlink_member(struct session_table *st, uint32_t member)
{
	uint32_t *at = &st->links[st->links[member].transport].next;

	while (*at != LEG_NONE && *at != member)
		at = &st->links[*at].next;
	if (*at == member)
		*at = st->links[member].next;
}

/* The transport goes: its members send nowhere (their shadow has no path) until they go too. */
static void
orphan_members(struct session_table *st, struct leg *transport)
{
	uint32_t m = st->links[transport->id].next;

	while (m != LEG_NONE) {
		struct leg *ml = &st->legs[m];
		const struct session *s = &st->sessions[ml->session];
		uint32_t next = st->links[m].next;

		__atomic_store_n(&ml->peer_path, NULL, __ATOMIC_RELEASE);
		ml->peer = s->leg[0] == m ? s->leg[1] : s->leg[0];
		st->links[m] = (struct leg_link){ .transport = LEG_NONE, .next = LEG_NONE };
		m = next;
	}
	st->links[transport->id].next = LEG_NONE;
}

void
bundle_leave(struct session_table *st, struct leg *leg)
{
	struct leg_link *l = &st->links[leg->id];

	if (l->shadow) {
		*l = (struct leg_link){ .transport = LEG_NONE, .next = LEG_NONE };
		return;
	}
	if (l->transport != LEG_NONE) {
		unlink_member(st, leg->id);
		*l = (struct leg_link){ .transport = LEG_NONE, .next = LEG_NONE };
		return;
	}
	orphan_members(st, leg);
	if (leg->bundle != NULL) {
		/* Workers may still read it until the grace period ends. */
		session_defer_free(st, (struct deferred){ .kind = DEFERRED_BUNDLE,
							  .bundle = leg->bundle });
		__atomic_store_n(&leg->demux, 0, __ATOMIC_RELEASE);
		__atomic_store_n(&leg->bundle, NULL, __ATOMIC_RELEASE);
	}
}

void
bundle_publish_peer_path(struct session_table *st, const struct leg *transport,
			 const struct leg_path *path)
{
	const struct leg_link *l = &st->links[transport->id];

	if (l->shadow || l->transport != LEG_NONE)
		return;
	for (uint32_t m = l->next; m != LEG_NONE; m = st->links[m].next)
		__atomic_store_n(&st->legs[m].peer_path, path, __ATOMIC_RELEASE);
}

int
session_leg_set_bundle(struct session_table *st, uint32_t leg_id, const struct leg_bundle *b)
{
	const struct leg_bundle *old;
	struct leg_bundle *copy = NULL;
	struct leg *leg;

	if (leg_id >= st->max_legs || !st->legs[leg_id].in_use)
		return -ENOENT;
	if (st->links[leg_id].shadow || st->links[leg_id].transport != LEG_NONE)
		return -EINVAL;
	if (b != NULL && (b->n_members == 0 || b->n_members > LEG_BUNDLE_MEMBERS ||
			  b->n_ssrc > LEG_BUNDLE_SSRCS))
		return -EINVAL;
	leg = &st->legs[leg_id];
	if (b != NULL) {
		/* Control memory; workers only read it, through leg->bundle. */
		copy = malloc(sizeof(*copy));
		if (copy == NULL)
			return -ENOMEM;
		*copy = *b;
		leg->pinned = 1;
	}
	old = leg->bundle;
	__atomic_store_n(&leg->bundle, copy, __ATOMIC_RELEASE);
	__atomic_store_n(&leg->demux, copy != NULL, __ATOMIC_RELEASE);
	if (old != NULL)
		session_defer_free(st, (struct deferred){ .kind = DEFERRED_BUNDLE, .bundle = old });
	return 0;
}

void
leg_free_bundle(struct leg *leg)
{
	free((void *)(uintptr_t)leg->bundle);
	leg->bundle = NULL;
	leg->demux = 0;
}
