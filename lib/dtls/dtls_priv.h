/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_DTLS_PRIV_H
#define SRTPFWD_DTLS_PRIV_H

/* What the engine, the connections and the output BIO share; not a public API. */

#include <stdbool.h>
#include <stdint.h>

#include <openssl/ssl.h>

#include "dtls_cert.h"
#include "dtls_conn.h"
#include "dtls_engine.h"

/* Datagrams back to back, each behind a 16-bit length; a FIFO. */
struct dtls_dgram_q {
	uint8_t *buf;
	size_t head;
	size_t tail;
	size_t cap;
	uint32_t count;
};

/* Enough for several full flights; beyond it datagrams are dropped and counted. */
#define DTLS_DGRAM_Q_MAX (64 * 1024)

struct dtls_engine {
	SSL_CTX *ctx;
	struct dtls_cert *cert;
	BIO_METHOD *out_method;
	uint16_t mtu;
	uint32_t handshake_timeout_ms;
	uint32_t rtx_initial_ms;
	uint32_t cert_validity_days;
	struct dtls_stats stats;
};

struct dtls_conn {
	struct dtls_engine *e;
	SSL *ssl;
	BIO *rbio;			/* memory BIO, owned by ssl */
	enum dtls_role role;
	enum dtls_state state;
	enum dtls_fail_reason fail_reason;
	/* Set by OpenSSL callbacks during a handshake step, read after it. */
	enum dtls_fail_reason cb_reason;
	bool fp_verified;
	bool fatal_alert_rx;
	bool have_peer_fp;
	bool flight_open;		/* this call already started a new flight */
	bool wrote;			/* OpenSSL wrote during this call */
	struct dtls_fingerprint peer_fp;
	enum srtp_profile profile;
	int last_alert_rx;
	int last_alert_tx;
	uint64_t hs_deadline;
	uint64_t rtx_deadline;		/* UINT64_MAX: not armed */
	uint32_t rtx_ms;
	uint32_t handshakes;
	uint64_t records_dropped;
	uint64_t retransmits;
	struct dtls_dgram_q out;	/* to the caller */
	struct dtls_dgram_q flight;	/* our last flight, for retransmission */
	char local_fp[DTLS_FP_STR_MAX];
	char peer_fp_seen[DTLS_FP_STR_MAX];
};

/* dtls_bio.c: the output BIO and the datagram queue. */
BIO_METHOD *dtls_out_method_new(void);
BIO *dtls_out_bio_new(struct dtls_conn *c);
int dtls_dgram_q_push(struct dtls_dgram_q *q, const uint8_t *d, size_t len);
/* Length of the datagram popped into buf, 0 when empty, -ENOSPC when size is short. */
int dtls_dgram_q_pop(struct dtls_dgram_q *q, uint8_t *buf, size_t size);
/* Appends every datagram of src to dst; how many did not fit. */
unsigned int dtls_dgram_q_copy(struct dtls_dgram_q *dst, const struct dtls_dgram_q *src);
void dtls_dgram_q_clear(struct dtls_dgram_q *q);
void dtls_dgram_q_free(struct dtls_dgram_q *q);

/* dtls_engine.c: the SSL_CTX callbacks find their connection here. */
static inline struct dtls_conn *
dtls_conn_of(const SSL *ssl)
{
	return SSL_get_app_data(ssl);
}

#endif /* SRTPFWD_DTLS_PRIV_H */
