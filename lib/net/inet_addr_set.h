/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_INET_ADDR_SET_H
#define SRTPFWD_INET_ADDR_SET_H

/*
 * A fixed set of addresses, built once and then only read (any lcore, no
 * locks): open addressing at most half full, one CRC and usually one slot
 * compare per lookup. The workers ask it whether a source is one of the
 * box's own addresses or a subnet broadcast before any flow lookup.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_hash_crc.h>

#include "inet_addr.h"

struct inet_addr_set_slot {
	uint64_t lo, hi;
	uint8_t family;		/* 0: empty */
};

struct inet_addr_set {
	uint32_t mask;		/* slots - 1 */
	uint32_t count;
	struct inet_addr_set_slot *slot;
};

/* Room for n addresses. 0 or -ENOMEM. */
int inet_addr_set_create(struct inet_addr_set *s, uint32_t n);
void inet_addr_set_free(struct inet_addr_set *s);
/* Add a (once; again is a no-op). 0 or -ENOSPC past the size given. */
int inet_addr_set_add(struct inet_addr_set *s, const struct inet_addr *a);

/* Is the address of family at addr (16 bytes, IPv4 in the first 4) in s? */
static inline bool
inet_addr_set_has(const struct inet_addr_set *s, const uint8_t *addr, uint8_t family)
{
	uint64_t lo, hi;
	uint32_t h;

	if (s->count == 0)
		return false;
	memcpy(&lo, addr, 8);
	memcpy(&hi, addr + 8, 8);
	h = rte_hash_crc_8byte(lo ^ (hi >> 1), family) & s->mask;
	for (;;) {
		const struct inet_addr_set_slot *e = &s->slot[h];

		if (e->family == 0)
			return false;
		if (((e->lo ^ lo) | (e->hi ^ hi)) == 0 && e->family == family)
			return true;
		h = (h + 1) & s->mask;
	}
}

#endif /* SRTPFWD_INET_ADDR_SET_H */
