/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_LI_SERVICE_H
#define SRTPFWD_LI_SERVICE_H

/*
 * Lawful interception on the control lcore: the tasks (XID, correlation
 * ID, mediation function, the session and which party is the target), the
 * taps they put on the session's legs, the drain of the workers' copy rings
 * into X3 PDUs, the key delivery (X2, srtpfwd's documented payload) of the
 * keys the box knows for a tapped leg, and the mediation functions'
 * connections. Nothing here runs on a worker; nothing here logs a key.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_mempool.h>
#include <rte_ring.h>

#include "../config/config.h"
#include "../session/session_table.h"

#define LI_TASKS_MAX 256
#define LI_RING_SIZE 4096

struct li_service;

#define LI_CALL_LABEL_MAX 257	/* an ng call-id (NG_STR_MAX) and its NUL */

struct li_task_spec {
	uint8_t xid[16];
	uint64_t correlation_id;	/* non-zero (TS 103 221-2 §6) */
	char mf[CONFIG_MF_NAME_LEN];
	bool dtls;			/* e2e: DTLS records too */
	/*
	 * "": the task taps the sessions it is given and ends with the last
	 * of them; else the ng call-id it follows: its signalling adds the
	 * call's sessions as they come and stops it when the call ends.
	 */
	char call[LI_CALL_LABEL_MAX];
};

/*
 * The service for cfg's mediation functions: its copy pool and one ring per
 * producer (the workers, then the control lcore's own instance). NULL with
 * a one-line reason in err when cfg has mediation functions it cannot set
 * up; a configuration without any gets a service that refuses tasks.
 */
struct li_service *li_service_create(const struct srtpfwd_config *cfg, struct session_table *st,
				     uint16_t n_producers, int socket, char *err, size_t errlen);
void li_service_free(struct li_service *li);

/* Producer p's ring and the copy pool (NULL, NULL: no LI configured). */
struct rte_ring *li_service_ring(const struct li_service *li, uint16_t p);
struct rte_mempool *li_service_pool(const struct li_service *li);

/*
 * Tasks. Each returns 0, or -errno with a one-line reason naming the
 * problem in err. Starting and stopping are logged by the caller.
 *
 * li_task_check: would li_task_start succeed (the mediation function, the
 * correlation ID, a free slot, the XID unused)? A task of the same call
 * passes: signalling repeats its keys on every re-offer.
 */
int li_task_check(const struct li_service *li, const struct li_task_spec *spec, char *err,
		  size_t errlen);
int li_task_start(struct li_service *li, const struct li_task_spec *spec, char *err, size_t errlen);
/*
 * Tap session for the task: target_leg is the session's leg facing the
 * target. The keys the box knows for its legs go out now. A session
 * already tapped by the task keeps its tap (0).
 */
int li_task_tap(struct li_service *li, const uint8_t xid[16], uint32_t session,
		uint32_t target_leg, char *err, size_t errlen);
int li_task_stop(struct li_service *li, const uint8_t xid[16], char *err, size_t errlen);
/* The task's spec, or NULL: no task has this XID. */
const struct li_task_spec *li_task_get(const struct li_service *li, const uint8_t xid[16]);

/* Drain the copy rings, move the mediation functions' bytes. Work done (0: idle). */
unsigned int li_service_poll(struct li_service *li);

/* The keys the box knows for a leg (NULL: none that way); a task delivers them. */
void li_leg_keys(struct li_service *li, uint32_t leg_id, const struct leg_crypto_spec *rx,
		 const struct leg_crypto_spec *tx);
/* The leg leaves: its keys are wiped, its session's taps go (a session's task ends with its last). */
void li_leg_gone(struct li_service *li, uint32_t leg_id);

void li_service_show(const struct li_service *li, FILE *out);

#endif /* SRTPFWD_LI_SERVICE_H */
