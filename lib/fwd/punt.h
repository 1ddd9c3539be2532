/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_PUNT_H
#define SRTPFWD_PUNT_H

/*
 * Packets a worker hands to the control lcore carry why, from which
 * interface and for which leg, in an mbuf dynamic field.
 */

#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>

#include "../net/inet_addr.h"

enum punt_reason {
	PUNT_LATCH = 1,		/* a learning e2e leg's packet, until the leg is latched */
	PUNT_ARP,
	PUNT_ICMP6,
	PUNT_DTLS,		/* a DTLS record for a leg the box terminates */
};

/*
 * A media leg is latched after its packet authenticated on the leg's home
 * worker and went on from there: the worker only asks, on a ring of
 * fixed-size elements of its own (no mbuf, nothing allocated).
 */
enum latch_request_kind {
	LATCH_REQ_MEDIA = 0,		/* an unlatched leg's first authenticated media */
	LATCH_REQ_ICE,			/* an ICE leg's nominated pair (may move a latched leg) */
};

struct latch_request {
	struct inet_endpoint local;	/* the leg, as the worker saw it */
	struct inet_endpoint remote;	/* the authenticated source */
	uint32_t leg;
	uint32_t epoch;			/* the leg's life it was for */
	uint32_t kind;			/* enum latch_request_kind */
};

/* Ring of struct latch_request elements, one producer (a worker). NULL with rte_errno. */
struct rte_ring *latch_ring_create(const char *name, unsigned int count, int socket);

struct punt_meta {
	uint32_t leg;		/* LEG_NONE when not leg-specific */
	uint16_t iface;
	uint8_t reason;		/* enum punt_reason */
	uint8_t reserved;
};

/* Register (or find) the dynfield; its offset or -errno. */
int punt_meta_register(void);

static inline struct punt_meta *
punt_meta(struct rte_mbuf *m, int offset)
{
	return RTE_MBUF_DYNFIELD(m, offset, struct punt_meta *);
}

#endif /* SRTPFWD_PUNT_H */
