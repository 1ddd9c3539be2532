/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_LI_MF_H
#define SRTPFWD_LI_MF_H

/*
 * One mediation function: a TCP connection (mutual TLS, or plain TCP for
 * tests) the control lcore keeps open to it, non-blocking throughout, and
 * the bounded queue of PDUs waiting for it. Down, the connection is tried
 * again with back-off (1 s doubling to 30 s); what is queued when it drops
 * is lost (counted) so a new connection starts at a PDU boundary. We send a
 * keepalive every keepalive_s and answer the mediation function's; three
 * unanswered, or anything it sends that is not a keepalive (ack), and the
 * connection is closed and made again.
 */

#include <stdbool.h>
#include <stdint.h>

#include <openssl/ssl.h>

#include "../config/config.h"
#include "li_pdu.h"

enum li_mf_state {
	LI_MF_BACKOFF = 0,
	LI_MF_CONNECTING,	/* TCP connect, then the TLS handshake */
	LI_MF_CONNECTED,
};

struct li_mf_stats {
	uint64_t connects;	/* connections made (handshake done) */
	uint64_t failures;	/* connects or handshakes that failed */
	uint64_t garbage;	/* connections closed for what the MF sent */
	uint64_t pdus;		/* X2/X3 taken into the queue (keepalives apart) */
	uint64_t bytes;		/* written to the connection */
	uint64_t dropped;	/* PDUs refused: queue full */
	uint64_t lost_bytes;	/* queued when a connection dropped */
	uint64_t keepalives_sent;
	uint64_t keepalives_acked;
};

struct li_mf {
	const struct config_mf *conf;
	SSL_CTX *ctx;			/* NULL: plain TCP */
	SSL *ssl;
	int fd;
	enum li_mf_state state;
	uint64_t next_try_ms;
	uint32_t backoff_ms;
	uint64_t last_keepalive_ms;
	uint32_t keepalives_unanswered;
	uint8_t *q;			/* queue: bytes [q_off, q_off + q_len) */
	uint32_t q_off, q_len, q_cap;
	uint8_t in[2 * LI_PDU_IN_MAX];
	uint32_t in_len;
	struct li_mf_stats st;
};

/* 0, or -errno with a one-line reason (certificate files, memory). */
int li_mf_init(struct li_mf *mf, const struct config_mf *conf, char *err, size_t errlen);
void li_mf_free(struct li_mf *mf);

/* Queue one PDU (header and payload); false when it does not fit (counted). */
bool li_mf_enqueue(struct li_mf *mf, const uint8_t *hdr, size_t hl, const void *payload,
		   size_t pl);

/* Connect, hand-shake, write, read and keep alive as far as it goes without waiting. */
void li_mf_poll(struct li_mf *mf, uint64_t now_ms);

const char *li_mf_state_name(enum li_mf_state s);

#endif /* SRTPFWD_LI_MF_H */
