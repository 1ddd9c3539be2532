/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "dtls_test_peer.h"

static BIO_METHOD *peer_method;

static int
peer_bio_write(BIO *b, const char *d, int len)
{
	struct test_peer *p = BIO_get_data(b);

	if (p->n_out < PEER_DGRAMS_MAX && (size_t)len <= sizeof(p->out[0])) {
		memcpy(p->out[p->n_out], d, (size_t)len);
		p->out_len[p->n_out++] = (size_t)len;
	}
	return len;
}

static long
peer_bio_ctrl(BIO *b, int cmd, long num, void *ptr)
{
	(void)b;
	(void)num;
	(void)ptr;
	if (cmd == BIO_CTRL_FLUSH)
		return 1;
	if (cmd == BIO_CTRL_DGRAM_QUERY_MTU)
		return 1200;
	return 0;
}

static int
peer_bio_create(BIO *b)
{
	BIO_set_init(b, 1);
	return 1;
}

/* Accepts any certificate (or none, if reject_cert): the tests check the box side. */
static int
peer_verify(X509_STORE_CTX *xs, void *arg)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(xs, SSL_get_ex_data_X509_STORE_CTX_idx());
	struct test_peer *p = SSL_get_app_data(ssl);

	(void)arg;
	if (p->reject_cert) {
		X509_STORE_CTX_set_error(xs, X509_V_ERR_CERT_REJECTED);
		return 0;
	}
	return 1;
}

static void
peer_make_cert(struct test_peer *p)
{
	X509_NAME *n;

	X509_free(p->x509);
	EVP_PKEY_free(p->pkey);
	p->pkey = test_key_new(p->key_type);
	p->x509 = X509_new();
	X509_set_version(p->x509, X509_VERSION_3);
	ASN1_INTEGER_set(X509_get_serialNumber(p->x509), rand() & 0x7fffffff);
	X509_gmtime_adj(X509_getm_notBefore(p->x509), -3600);
	X509_gmtime_adj(X509_getm_notAfter(p->x509), 86400);
	n = X509_get_subject_name(p->x509);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)"browser", -1, -1, 0);
	X509_set_issuer_name(p->x509, n);
	X509_set_pubkey(p->x509, p->pkey);
	/* Ed25519 signs without a separate digest. */
	X509_sign(p->x509, p->pkey, p->key_type == TEST_KEY_ED25519 ? NULL : EVP_sha256());
	SSL_CTX_use_certificate(p->ctx, p->x509);
	SSL_CTX_use_PrivateKey(p->ctx, p->pkey);
}

static void
peer_ssl_new(struct test_peer *p)
{
	BIO *w;

	SSL_free(p->ssl);
	p->ssl = SSL_new(p->ctx);
	/* The context keeps a certificate per key type: this one only. */
	SSL_certs_clear(p->ssl);
	SSL_use_certificate(p->ssl, p->x509);
	SSL_use_PrivateKey(p->ssl, p->pkey);
	SSL_set_app_data(p->ssl, p);
	p->rbio = BIO_new(BIO_s_mem());
	BIO_set_mem_eof_return(p->rbio, -1);
	w = BIO_new(peer_method);
	BIO_set_data(w, p);
	SSL_set_bio(p->ssl, p->rbio, w);
	SSL_set_options(p->ssl, SSL_OP_NO_QUERY_MTU);
	SSL_set_mtu(p->ssl, 1200);
	if (p->is_server)
		SSL_set_accept_state(p->ssl);
	else
		SSL_set_connect_state(p->ssl);
	p->n_out = 0;
}

struct test_peer *
test_peer_new(bool is_server, const char *srtp_profiles)
{
	struct test_peer *p = calloc(1, sizeof(*p));

	if (peer_method == NULL) {
		peer_method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "peer");
		BIO_meth_set_write(peer_method, peer_bio_write);
		BIO_meth_set_ctrl(peer_method, peer_bio_ctrl);
		BIO_meth_set_create(peer_method, peer_bio_create);
	}
	p->is_server = is_server;
	p->ctx = SSL_CTX_new(DTLS_method());
	SSL_CTX_set_min_proto_version(p->ctx, DTLS1_2_VERSION);
	SSL_CTX_set_tlsext_use_srtp(p->ctx, srtp_profiles);
	SSL_CTX_set_verify(p->ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
	SSL_CTX_set_cert_verify_callback(p->ctx, peer_verify, NULL);
	peer_make_cert(p);
	peer_ssl_new(p);
	return p;
}

void
test_peer_restart(struct test_peer *p)
{
	peer_ssl_new(p);
}

void
test_peer_new_cert(struct test_peer *p)
{
	peer_make_cert(p);
	peer_ssl_new(p);
}

void
test_peer_new_cert_type(struct test_peer *p, enum test_key_type t)
{
	p->key_type = t;
	test_peer_new_cert(p);
}

EVP_PKEY *
test_key_new(enum test_key_type t)
{
	switch (t) {
	case TEST_KEY_RSA:
		return EVP_RSA_gen(2048);
	case TEST_KEY_ED25519:
		return EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	case TEST_KEY_EC_P256:
	default:
		return EVP_EC_gen("P-256");
	}
}

void
test_peer_free(struct test_peer *p)
{
	if (p == NULL)
		return;
	SSL_free(p->ssl);
	SSL_CTX_free(p->ctx);
	X509_free(p->x509);
	EVP_PKEY_free(p->pkey);
	free(p);
}

void
test_peer_fingerprint(const struct test_peer *p, const char *hash, char *buf, size_t size)
{
	const EVP_MD *md = strcmp(hash, "sha-1") == 0 ? EVP_sha1() :
		strcmp(hash, "sha-224") == 0 ? EVP_sha224() :
		strcmp(hash, "sha-384") == 0 ? EVP_sha384() :
		strcmp(hash, "sha-512") == 0 ? EVP_sha512() : EVP_sha256();
	uint8_t d[64];
	unsigned int n = 0, i;
	size_t o = 0;

	X509_digest(p->x509, md, d, &n);
	for (i = 0; i < n && o + 4 <= size; i++)
		o += (size_t)snprintf(buf + o, size - o, i == 0 ? "%02X" : ":%02X", d[i]);
}

void
test_peer_step(struct test_peer *p)
{
	uint8_t buf[2048];
	int r;

	if (!SSL_is_init_finished(p->ssl)) {
		r = SSL_do_handshake(p->ssl);
		if (r != 1)
			ERR_clear_error();
		if (r != 1 || !SSL_is_init_finished(p->ssl))
			return;
	}
	while (SSL_read(p->ssl, buf, sizeof(buf)) > 0)
		;
	ERR_clear_error();
}

void
test_peer_input(struct test_peer *p, const uint8_t *d, size_t len)
{
	BIO_write(p->rbio, d, (int)len);
	test_peer_step(p);
	(void)BIO_reset(p->rbio);
}

bool
test_peer_done(const struct test_peer *p)
{
	return SSL_is_init_finished(p->ssl);
}

size_t
test_peer_take(struct test_peer *p, uint8_t *buf)
{
	size_t len;

	if (p->n_out != 1) {
		fprintf(stderr, "test_peer_take: %u datagrams queued, not 1\n", p->n_out);
		abort();
	}
	len = p->out_len[0];
	memcpy(buf, p->out[0], len);
	p->n_out = 0;
	return len;
}

void
pump(struct dtls_conn *box, struct test_peer *p, uint64_t now, pump_drop_fn drop, void *arg,
     struct pump_result *res)
{
	unsigned int n_box = 0, n_peer = 0;
	uint8_t buf[2048];
	bool moved;

	memset(res, 0, sizeof(*res));
	do {
		unsigned int i, n;
		int len;

		moved = false;
		res->rounds++;
		while ((len = dtls_conn_pop_output(box, buf, sizeof(buf))) > 0) {
			moved = true;
			res->box_dgrams++;
			if ((size_t)len > res->box_max_len)
				res->box_max_len = (size_t)len;
			if (drop != NULL && drop(0, n_box++, buf, (size_t)len, arg))
				continue;
			test_peer_input(p, buf, (size_t)len);
		}
		n = p->n_out;
		p->n_out = 0;
		for (i = 0; i < n; i++) {
			int ev;

			moved = true;
			if (drop != NULL && drop(1, n_peer++, p->out[i], p->out_len[i], arg))
				continue;
			ev = dtls_conn_input(box, p->out[i], p->out_len[i], now);
			if (ev > 0)
				res->box_events |= (unsigned int)ev;
		}
	} while (moved && res->rounds < 100);
}
