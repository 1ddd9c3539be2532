/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_DTLS_TEST_PEER_H
#define SRTPFWD_DTLS_TEST_PEER_H

/*
 * The "browser" of the DTLS tests and the benchmark: plain OpenSSL, its own
 * self-signed ECDSA P-256 certificate and its own use_srtp list, datagrams
 * kept apart by a small write BIO; none of lib/dtls is used on this side.
 * And the pump that carries datagrams between it and a struct dtls_conn.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>

#include "dtls_conn.h"

#define PEER_DGRAMS_MAX 64

/* The browser's key: ECDSA P-256 as browsers make by default, or RSA, or Ed25519. */
enum test_key_type {
	TEST_KEY_EC_P256 = 0,
	TEST_KEY_RSA,
	TEST_KEY_ED25519,
};

EVP_PKEY *test_key_new(enum test_key_type t);

struct test_peer {
	SSL_CTX *ctx;
	SSL *ssl;
	BIO *rbio;
	X509 *x509;
	EVP_PKEY *pkey;
	enum test_key_type key_type;
	bool is_server;
	bool reject_cert;		/* its verify callback refuses the box */
	unsigned int n_out;
	size_t out_len[PEER_DGRAMS_MAX];
	uint8_t out[PEER_DGRAMS_MAX][2048];
};

/* A shared SSL_CTX per (srtp list, role) is what a bench wants; tests make one each. */
struct test_peer *test_peer_new(bool is_server, const char *srtp_profiles);
/* New SSL on the same context (and certificate): a browser tab reloaded keeps its identity. */
void test_peer_restart(struct test_peer *p);
/* New certificate too. */
void test_peer_new_cert(struct test_peer *p);
/* New certificate with a key of type t from now on. */
void test_peer_new_cert_type(struct test_peer *p, enum test_key_type t);
void test_peer_free(struct test_peer *p);

/* "AB:.." fingerprint of the peer's certificate with an SDP hash name. */
void test_peer_fingerprint(const struct test_peer *p, const char *hash, char *buf, size_t size);

/* Feed one datagram; runs the handshake or reads. */
void test_peer_input(struct test_peer *p, const uint8_t *d, size_t len);
/* Kick the handshake (a client sends its ClientHello). */
void test_peer_step(struct test_peer *p);
bool test_peer_done(const struct test_peer *p);
/* The one datagram the browser has queued (the test fails unless exactly one), into buf. */
size_t test_peer_take(struct test_peer *p, uint8_t *buf);

/* Returns 1 to drop the datagram. dir 0: box → peer, 1: peer → box; n counts per dir. */
typedef int (*pump_drop_fn)(int dir, unsigned int n, const uint8_t *d, size_t len, void *arg);

struct pump_result {
	unsigned int rounds;
	unsigned int box_dgrams;
	size_t box_max_len;
	unsigned int box_events;	/* OR of every event seen */
};

/*
 * Carries datagrams both ways until neither side has anything to send.
 * Every datagram from the box is checked to be at most mtu bytes.
 */
void pump(struct dtls_conn *box, struct test_peer *p, uint64_t now, pump_drop_fn drop,
	  void *arg, struct pump_result *res);

#endif /* SRTPFWD_DTLS_TEST_PEER_H */
