/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>

#include <rte_malloc.h>

#include "inet_addr_set.h"

int
inet_addr_set_create(struct inet_addr_set *s, uint32_t n)
{
	uint32_t slots = 16;

	while (slots < 2 * n)
		slots *= 2;
	memset(s, 0, sizeof(*s));
	s->slot = rte_zmalloc("inet_addr_set", sizeof(*s->slot) * slots, RTE_CACHE_LINE_SIZE);
	if (s->slot == NULL)
		return -ENOMEM;
	s->mask = slots - 1;
	return 0;
}

void
inet_addr_set_free(struct inet_addr_set *s)
{
	rte_free(s->slot);
	memset(s, 0, sizeof(*s));
}

int
inet_addr_set_add(struct inet_addr_set *s, const struct inet_addr *a)
{
	struct inet_addr_set_slot *e;
	uint64_t lo, hi;
	uint32_t h;

	if (inet_addr_set_has(s, a->bytes, a->family))
		return 0;
	/* Keep it at most half full: every probe ends at an empty slot. */
	if (s->slot == NULL || 2 * (s->count + 1) > s->mask + 1)
		return -ENOSPC;
	memcpy(&lo, a->bytes, 8);
	memcpy(&hi, a->bytes + 8, 8);
	h = rte_hash_crc_8byte(lo ^ (hi >> 1), a->family) & s->mask;
	while (s->slot[h].family != 0)
		h = (h + 1) & s->mask;
	e = &s->slot[h];
	e->lo = lo;
	e->hi = hi;
	e->family = a->family;
	s->count++;
	return 0;
}
