/* SPDX-License-Identifier: BSD-3-Clause */
#include <rte_errno.h>
#include <rte_ring_elem.h>

#include "punt.h"

int
punt_meta_register(void)
{
	static const struct rte_mbuf_dynfield desc = {
		.name = "srtpfwd_punt_meta",
		.size = sizeof(struct punt_meta),
		.align = __alignof__(struct punt_meta),
	};
	int off = rte_mbuf_dynfield_register(&desc);

	return off >= 0 ? off : -rte_errno;
}

struct rte_ring *
latch_ring_create(const char *name, unsigned int count, int socket)
{
	return rte_ring_create_elem(name, sizeof(struct latch_request), count, socket,
				    RING_F_SP_ENQ | RING_F_SC_DEQ);
}
