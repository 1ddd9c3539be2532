/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_NG_CALLS_H
#define SRTPFWD_NG_CALLS_H

/*
 * ng calls: rtpengine's offer / answer / delete / query / list / statistics
 * on top of the call layer (REQUIREMENTS items 27-28). An ng call is found
 * by its call-id; its offerer (from-tag) and answerer (to-tag) are its two
 * sides, each on one interface; each m= section of the offer is one
 * session of the call layer joining a leg on the offerer's side and one on
 * the answerer's side, each with a port of its interface's media range.
 *
 * What a session is follows from the two parties' profiles: when both
 * protect media the same way (plain RTP, SDES, DTLS-SRTP) it is e2e, the
 * box relaying it untouched; otherwise it is e2ae, the box terminating
 * each side's protection (DTLS-SRTP with its certificate, SDES with keys it
 * makes from a CSPRNG). Wherever a party speaks ICE the box is its ICE-lite
 * agent (lib/call/ice_legs.h).
 *
 * Commands answer exactly once per request (the server's reply cache
 * stops retransmissions); an answer repeated with the same SDP (Kamailio
 * sends one per 200 OK retransmission) gets the same SDP back and changes
 * nothing. Everything runs on the control lcore.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "call/call.h"
#include "dtls/dtls_engine.h"
#include "iface/iface.h"
#include "li/li_service.h"
#include "ng_server.h"

#define NG_MEDIA_TIMEOUT_S_DEFAULT 60

struct ng_calls_params {
	struct call_layer *calls;
	struct session_table *sessions;
	struct ice_legs *ice;		/* the legs' ICE-lite credentials */
	struct dtls_engine *dtls;	/* the box's certificate; NULL: no DTLS-SRTP termination */
	struct dtls_legs *dtls_legs;	/* the legs' endpoints (a far side's fingerprint) */
	const struct iface *ifaces;
	uint16_t n_ifaces;
	uint32_t max_calls;
	uint32_t media_timeout_s;	/* a call with no media this long ends; 0: never */
	struct li_service *li;		/* lawful interception; NULL: intercept keys refused */
	FILE *log;			/* where task starts and stops are logged; NULL: nowhere */
};

struct ng_calls_stats {
	uint64_t current;		/* calls now */
	uint64_t managed;		/* calls made since start */
	uint64_t rejected;		/* offers refused (ports, sessions, bad SDP) */
	uint64_t timeout;		/* calls ended for lack of media */
	uint64_t deleted;		/* calls ended by delete */
	uint64_t offers, answers, answers_repeated, deletes, queries;
};

struct ng_calls;

/* NULL with errno set. */
struct ng_calls *ng_calls_create(const struct ng_calls_params *p);
/* Ends every call (their sessions go) and frees. NULL is fine. */
void ng_calls_free(struct ng_calls *nc);

/* The commands for ng_server_create (arg: nc). */
void ng_calls_commands(struct ng_calls *nc, struct ng_command_table *t);

/* Delayed deletes and media timeouts; call about once a second (now_ms: ng_now_ms()). */
void ng_calls_timer(struct ng_calls *nc, uint64_t now_ms);
/* The monotonic clock in milliseconds. */
uint64_t ng_now_ms(void);

void ng_calls_stats(const struct ng_calls *nc, struct ng_calls_stats *out);

/*
 * A lawful interception task on every session of the call (the console's
 * `li start ... call`): side 0 intercepts the from-tag's party, 1 the
 * to-tag's. 0, or -errno with a one-line reason in err.
 */
int ng_calls_li_start(struct ng_calls *nc, const char *call_id, int side,
		      const struct li_task_spec *spec, char *err, size_t errlen);

/* `show call all`: one line per call. `show call ID`: its streams; -ENOENT. */
void ng_calls_print_all(const struct ng_calls *nc, FILE *out);
int ng_calls_print(const struct ng_calls *nc, const char *call_id, FILE *out);

#endif /* SRTPFWD_NG_CALLS_H */
