/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_LI_SERVICE_PRIV_H
#define SRTPFWD_LI_SERVICE_PRIV_H

/*
 * Inside lib/li: the service's state, shared by the drain (li_service.c)
 * and the tasks and their taps (li_task.c). Control lcore only.
 *
 * A task is one XID towards one mediation function; it intercepts one or
 * more sessions through taps, one (task, session) pair each, so a task of
 * a call covers its audio, video and separate-RTCP sessions, and several
 * tasks may share a session. A session's taps are chained from its lowest
 * slot; that slot's index is what the session's legs publish in their tap
 * word, so the drain visits exactly the taps of the copy's session.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mempool.h>
#include <rte_ring.h>

#include "li_mf.h"
#include "li_pdu.h"
#include "li_service.h"

#define LI_PRODUCERS_MAX 65
#define LI_TAPS_MAX 1024	/* (task, session) pairs; the tap word holds slot + 1 in 12 bits */

enum li_task_state { LI_TASK_FREE = 0, LI_TASK_ACTIVE, LI_TASK_ENDED };

struct li_task {
	uint8_t state;			/* enum li_task_state */
	struct li_task_spec spec;
	uint16_t mf;
	uint16_t n_taps;
	uint32_t seq;			/* next PDU's sequence number */
	uint64_t copies, keys, dropped;
};

struct li_tap_slot {
	int16_t task;			/* index into tasks[]; -1: the slot is free */
	int16_t next;			/* the next tap of the session, -1: none */
	uint32_t session;
	uint32_t target_leg;		/* the leg facing the target */
};

/* What a leg's keys are, as the box knows them. */
struct li_leg_keys {
	struct leg_crypto_spec rx, tx;
};

struct li_service {
	struct session_table *sessions;
	uint32_t max_legs;
	struct li_leg_keys **keys;	/* per leg id, NULL: none known */
	struct rte_mempool *pool;
	uint16_t n_rings;
	struct rte_ring *rings[LI_PRODUCERS_MAX];
	uint16_t n_mfs;
	struct li_mf mfs[CONFIG_MF_MAX];
	struct li_task tasks[LI_TASKS_MAX];
	struct li_tap_slot taps[LI_TAPS_MAX];
	uint16_t tap_gen;		/* tells a copy made under an old tap word */
	uint64_t stale;			/* copies of a tap that changed since */
	/* Wall clock at one TSC reading: copies carry their burst's TSC. */
	uint64_t anchor_tsc, anchor_ns, tsc_hz;
};

/* XID, correlation ID and the wall-clock time of TSC tsc into m. */
void li_pdu_meta_fill(const struct li_service *li, const struct li_task *t,
		      struct li_pdu_meta *m, uint64_t tsc);
/* One PDU of task t to its mediation function; its sequence number is taken only if it fits. */
bool li_task_send(struct li_service *li, struct li_task *t, struct li_pdu_meta *m,
		  const void *payload, uint32_t len);
void li_pdu_addr_of(struct li_pdu_addr *a, const struct inet_endpoint *ep);


#endif /* SRTPFWD_LI_SERVICE_PRIV_H */
