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
#include "dtls_keys.h"

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

/* The AEADs of the engine's cipher suites, as the connected state needs them. */
enum dtls_aead_id {
	DTLS_AEAD_AES_128_GCM = 0,
	DTLS_AEAD_AES_256_GCM,
	DTLS_AEAD_CHACHA20_POLY1305,
	DTLS_AEAD_MAX
};

struct dtls_aead {
	const char *name;		/* for EVP_CIPHER_fetch() */
	uint8_t key_len;
	uint8_t iv_len;			/* fixed (implicit) part of the nonce */
	uint8_t explicit_len;		/* nonce bytes carried in each record */
};

const struct dtls_aead *dtls_aead_info(enum dtls_aead_id id);

struct dtls_engine {
	OSSL_LIB_CTX *libctx;		/* dtls_libctx_get(); NULL: OpenSSL's default */
	SSL_CTX *ctx;
	EVP_CIPHER *aead[DTLS_AEAD_MAX];	/* fetched once: the connected state's records */
	EVP_CIPHER_CTX *aead_ctx;		/* one for all connections: one thread */
	EVP_KDF *prf;				/* TLS1-PRF, for the connected state's keys */
	struct dtls_cert *cert;
	BIO_METHOD *out_method;
	uint16_t mtu;
	uint32_t handshake_timeout_ms;
	uint32_t rtx_initial_ms;
	uint32_t cert_validity_days;
	struct dtls_stats stats;
};

/*
 * A connected association once OpenSSL's object is gone (dtls_post.c): the
 * peer's epoch-1 read key, a replay window, our close_notify and (server)
 * our last flight.
 */
#define DTLS_POST_CLOSE_MAX 48		/* header 13 + nonce 8 + alert 2 + tag 16 */

struct dtls_post {
	const SSL_CIPHER *cipher;	/* libssl's static table */
	uint16_t version;
	uint8_t aead;			/* enum dtls_aead_id */
	uint8_t close_len;
	uint64_t rd_top;		/* highest authenticated sequence number + 1 */
	uint64_t rd_window;		/* bit i: rd_top - 1 - i seen */
	uint8_t rd_key[32];
	uint8_t rd_iv[12];
	uint8_t close_rec[DTLS_POST_CLOSE_MAX];
	uint16_t flight_len;
	uint8_t flight[];		/* datagrams as in struct dtls_dgram_q */
};

struct dtls_conn {
	struct dtls_engine *e;
	/*
	 * Only while a handshake runs: created on the first datagram (server)
	 * or at start (client), freed once connected, failed or closed.
	 */
	SSL *ssl;
	BIO *rbio;			/* memory BIO, owned by ssl */
	struct dtls_cert *cert;		/* ours for this leg (a reference) */
	struct dtls_post *post;		/* connected: what is left of the association */
	struct dtls_post *capture;	/* dtls_post_setup(): OpenSSL's close_notify goes here */
	uint8_t km[DTLS_SRTP_KEYING_MAX];	/* exported at connect, until handed out */
	uint8_t km_len;
	enum dtls_role role;
	enum dtls_state state;
	enum dtls_fail_reason fail_reason;
	/* Set by OpenSSL callbacks during a handshake step, read after it. */
	enum dtls_fail_reason cb_reason;
	bool fp_verified;
	bool fatal_alert_rx;
	bool have_peer_fp;
	bool flight_open;		/* this call already started a new flight */
	bool cookie_verified;		/* dtls_conn_input_verified(): OpenSSL's cookie callback says yes */
	bool wrote;			/* OpenSSL wrote during this call */
	struct dtls_fingerprint peer_fp;
	enum srtp_profile profile;
	int last_alert_rx;
	int last_alert_tx;
	uint32_t hs_timeout_ms;
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

/* dtls_conn.c: state changes the connected state shares. Events. */
unsigned int dtls_conn_fail(struct dtls_conn *c, enum dtls_fail_reason r);
unsigned int dtls_conn_closed_by_peer(struct dtls_conn *c);
unsigned int dtls_conn_drop(struct dtls_conn *c);

/* dtls_post.c: the connected state without OpenSSL. */
/* From c->ssl, just connected: 0, -ENOTSUP (not an AEAD suite), -ENOMEM, -EIO. */
int dtls_post_setup(struct dtls_conn *c);
void dtls_post_capture(struct dtls_post *p, const uint8_t *d, size_t len);
/* A datagram whose records passed dtls_record_check(); events. */
unsigned int dtls_post_input(struct dtls_conn *c, const uint8_t *d, size_t len);
/* Queues our close_notify. */
void dtls_post_send_close(struct dtls_conn *c);
void dtls_post_free(struct dtls_post *p);

/*
 * dtls_libctx.c: the engines' library context (the default provider with
 * only the certificate decoders), one per process; NULL if it cannot be made.
 */
OSSL_LIB_CTX *dtls_libctx_get(void);
void dtls_libctx_put(void);

/* dtls_engine.c: the SSL_CTX callbacks find their connection here. */
static inline struct dtls_conn *
dtls_conn_of(const SSL *ssl)
{
	return SSL_get_app_data(ssl);
}

#endif /* SRTPFWD_DTLS_PRIV_H */
