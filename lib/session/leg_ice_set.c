/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdlib.h>

#include "session_priv.h"

int
session_leg_set_ice(struct session_table *st, uint32_t leg_id, const struct leg_ice *ice)
{
	const struct leg_ice *old;
	struct leg_ice *copy;
	struct leg *leg;

	if (leg_id >= st->max_legs || !st->legs[leg_id].in_use)
		return -ENOENT;
	leg = &st->legs[leg_id];
	/* Control memory; workers only read it, through leg->ice. */
	copy = malloc(sizeof(*copy));
	if (copy == NULL)
		return -ENOMEM;
	*copy = *ice;
	old = leg->ice;
	__atomic_store_n(&leg->ice, copy, __ATOMIC_RELEASE);
	if (old != NULL)
		session_defer_free(st, (struct deferred){ .kind = DEFERRED_ICE, .ice = old });
	return 0;
}

void
leg_free_ice(struct leg *leg)
{
	free((void *)(uintptr_t)leg->ice);
	leg->ice = NULL;
}

struct leg_ice_state *
session_table_ice_state(const struct session_table *st)
{
	return st->ice_state;
}
