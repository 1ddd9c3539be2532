/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/kdf.h>
#include <openssl/srtp.h>
#include <openssl/ssl.h>
#include <openssl/tls1.h>
#include <openssl/x509_vfy.h>

#include <rte_common.h>
#include <rte_errno.h>

#include "dtls_priv.h"

/* WebRTC's mandatory profile first, then AEAD, the short tag last (RFC 8827 §6.5). */
static const enum srtp_profile default_profiles[] = {
	SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80,
	SRTP_PROFILE_AEAD_AES_128_GCM,
	SRTP_PROFILE_AEAD_AES_256_GCM,
	SRTP_PROFILE_AES_CM_128_HMAC_SHA1_32,
};

/* DTLS 1.2 suites browsers offer; ECDSA ones for our certificate, RSA for a peer server's. */
static const char cipher_list[] =
	"ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
	"ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-GCM-SHA256:"
	"ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305";
static const char groups_list[] = "X25519:P-256";

static const char *const fail_names[DTLS_FAIL_MAX] = {
	[DTLS_FAIL_NONE] = "none",
	[DTLS_FAIL_FINGERPRINT_MISMATCH] = "fingerprint-mismatch",
	[DTLS_FAIL_NO_FINGERPRINT] = "no-fingerprint",
	[DTLS_FAIL_NO_CERTIFICATE] = "no-certificate",
	[DTLS_FAIL_HANDSHAKE_TIMEOUT] = "handshake-timeout",
	[DTLS_FAIL_ALERT_RECEIVED] = "alert-received",
	[DTLS_FAIL_NO_SRTP_PROFILE] = "no-srtp-profile",
	[DTLS_FAIL_PROTOCOL_ERROR] = "protocol-error",
	[DTLS_FAIL_INTERNAL] = "internal",
};

const char *
dtls_fail_reason_name(enum dtls_fail_reason r)
{
	return (unsigned int)r < DTLS_FAIL_MAX ? fail_names[r] : "unknown";
}

/*
 * The peer's certificate is self-signed and vouched for by signalling only:
 * no chain is built, the leaf is compared with the leg's a=fingerprint
 * (RFC 8122 §5, RFC 8842 §5). Possession of its key is what the
 * handshake itself proves (CertificateVerify / ServerKeyExchange).
 */
static int
verify_cb(X509_STORE_CTX *xs, void *arg)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(xs, SSL_get_ex_data_X509_STORE_CTX_idx());
	struct dtls_conn *c = ssl != NULL ? dtls_conn_of(ssl) : NULL;
	X509 *peer = X509_STORE_CTX_get0_cert(xs);
	struct dtls_fingerprint fp;

	(void)arg;
	if (c == NULL || peer == NULL)
		return 0;
	if (dtls_fingerprint_of_x509(peer, DTLS_FP_SHA256, &fp) == 0)
		dtls_fingerprint_format(&fp, c->peer_fp_seen, sizeof(c->peer_fp_seen));
	if (!c->have_peer_fp) {
		c->cb_reason = DTLS_FAIL_NO_FINGERPRINT;
		goto reject;
	}
	if (dtls_fingerprint_of_x509(peer, c->peer_fp.hash, &fp) < 0 ||
	    !dtls_fingerprint_equal(&fp, &c->peer_fp)) {
		c->cb_reason = DTLS_FAIL_FINGERPRINT_MISMATCH;
		goto reject;
	}
	c->fp_verified = true;
	X509_STORE_CTX_set_error(xs, X509_V_OK);
	return 1;
reject:
	/* bad_certificate is the alert OpenSSL maps this to. */
	X509_STORE_CTX_set_error(xs, X509_V_ERR_CERT_REJECTED);
	return 0;
}

/* Does the ClientHello's use_srtp (RFC 5764 §4.1.1) share a profile with ours? */
static bool
srtp_offer_matches(SSL *ssl, const uint8_t *ext, size_t len)
{
	STACK_OF(SRTP_PROTECTION_PROFILE) *ours = SSL_get_srtp_profiles(ssl);
	size_t plen, i;
	int j;

	if (ours == NULL || len < 2)
		return false;
	plen = (size_t)ext[0] << 8 | ext[1];
	if (plen == 0 || plen % 2 != 0 || plen + 3 > len)	/* + 1: the MKI length */
		return false;
	for (i = 0; i < plen; i += 2) {
		unsigned long id = (unsigned long)ext[2 + i] << 8 | ext[3 + i];

		for (j = 0; j < sk_SRTP_PROTECTION_PROFILE_num(ours); j++)
			if (sk_SRTP_PROTECTION_PROFILE_value(ours, j)->id == id)
				return true;
	}
	return false;
}

/*
 * Refuse a ClientHello without a profile in common right away: OpenSSL
 * would otherwise complete a handshake without SRTP (RFC 5764 §4.1.3 has
 * the server just leave the extension out).
 */
static int
client_hello_cb(SSL *ssl, int *al, void *arg)
{
	struct dtls_conn *c = dtls_conn_of(ssl);
	const unsigned char *ext;
	size_t len;

	(void)arg;
	if (SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_use_srtp, &ext, &len) != 1 ||
	    !srtp_offer_matches(ssl, ext, len)) {
		if (c != NULL)
			c->cb_reason = DTLS_FAIL_NO_SRTP_PROFILE;
		*al = SSL_AD_HANDSHAKE_FAILURE;
		return SSL_CLIENT_HELLO_ERROR;
	}
	return SSL_CLIENT_HELLO_SUCCESS;
}

/*
 * Cookies are made and checked before OpenSSL sees a ClientHello
 * (dtls_cookie.h): DTLSv1_listen() and the handshake only ask whether the
 * caller checked this one.
 */
static int
cookie_verify_cb(SSL *ssl, const unsigned char *cookie, unsigned int len)
{
	struct dtls_conn *c = dtls_conn_of(ssl);

	(void)cookie;
	(void)len;
	return c != NULL && c->cookie_verified;
}

/* Never asked for: DTLSv1_listen() only runs on a checked cookie. */
static int
cookie_gen_cb(SSL *ssl, unsigned char *cookie, unsigned int *len)
{
	(void)ssl;
	(void)cookie;
	*len = 0;
	return 0;
}

static void
info_cb(const SSL *ssl, int where, int ret)
{
	struct dtls_conn *c = dtls_conn_of(ssl);

	/* The close_notify dtls_post_setup() keeps for later is not sent yet. */
	if ((where & SSL_CB_ALERT) == 0 || c == NULL || c->capture != NULL)
		return;
	if (where & SSL_CB_READ) {
		c->last_alert_rx = ret;
		if ((ret >> 8) == SSL3_AL_FATAL) {
			c->fatal_alert_rx = true;
			c->e->stats.fatal_alerts_rx++;
		}
	} else {
		c->last_alert_tx = ret;
		c->e->stats.alerts_tx++;
	}
}

static int
srtp_list(const struct dtls_engine_conf *conf, char *buf, size_t size)
{
	const enum srtp_profile *p = conf->profiles;
	unsigned int n = conf->n_profiles, i, j;
	size_t off = 0;

	if (n == 0) {
		p = default_profiles;
		n = RTE_DIM(default_profiles);
	}
	if (n > SRTP_PROFILE_MAX)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		const struct srtp_profile_info *pi = srtp_profile_info(p[i]);
		int w;

		if (pi == NULL)
			return -EINVAL;
		/* OpenSSL knows no SRTP_NULL_* profile (checked by the tests). */
		if (!pi->encrypts)
			return -ENOTSUP;
		for (j = 0; j < i; j++)
			if (p[j] == p[i])
				return -EINVAL;
		w = snprintf(buf + off, size - off, "%s%s", i == 0 ? "" : ":", pi->dtls_name);
		if (w < 0 || (size_t)w >= size - off)
			return -ENOSPC;
		off += (size_t)w;
	}
	return 0;
}

static int
ctx_use_cert(SSL_CTX *ctx, const struct dtls_cert *cert)
{
	if (SSL_CTX_use_certificate(ctx, cert->x509) != 1 ||
	    SSL_CTX_use_PrivateKey(ctx, cert->pkey) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		ERR_clear_error();
		return -EINVAL;
	}
	return 0;
}

static int
ctx_setup(struct dtls_engine *e, const char *srtp)
{
	SSL_CTX *ctx = e->ctx;

	/* DTLS 1.2 only: see dtls_engine.h. */
	if (SSL_CTX_set_min_proto_version(ctx, DTLS1_2_VERSION) != 1 ||
	    SSL_CTX_set_max_proto_version(ctx, DTLS1_2_VERSION) != 1)
		return -EIO;
	/* Path MTU is configured, not probed; nothing here is resumed or renegotiated. */
	SSL_CTX_set_options(ctx, SSL_OP_NO_QUERY_MTU | SSL_OP_NO_TICKET |
			    SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	if (SSL_CTX_set_cipher_list(ctx, cipher_list) != 1 ||
	    SSL_CTX_set1_groups_list(ctx, groups_list) != 1)
		return -EIO;
	/* Returns 0 on success. */
	if (SSL_CTX_set_tlsext_use_srtp(ctx, srtp) != 0)
		return -ENOTSUP;
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
	SSL_CTX_set_cert_verify_callback(ctx, verify_cb, NULL);
	SSL_CTX_set_client_hello_cb(ctx, client_hello_cb, NULL);
	SSL_CTX_set_cookie_verify_cb(ctx, cookie_verify_cb);
	SSL_CTX_set_cookie_generate_cb(ctx, cookie_gen_cb);
	SSL_CTX_set_info_callback(ctx, info_cb);
	return ctx_use_cert(ctx, e->cert);
}

/* What the connected state (dtls_post.c) decrypts and derives with, fetched once. */
static int
post_setup(struct dtls_engine *e)
{
	for (int i = 0; i < DTLS_AEAD_MAX; i++) {
		e->aead[i] = EVP_CIPHER_fetch(e->libctx, dtls_aead_info(i)->name, NULL);
		if (e->aead[i] == NULL)
			return -ENOTSUP;
	}
	e->aead_ctx = EVP_CIPHER_CTX_new();
	e->prf = EVP_KDF_fetch(e->libctx, OSSL_KDF_NAME_TLS1_PRF, NULL);
	return e->aead_ctx != NULL && e->prf != NULL ? 0 : -ENOTSUP;
}

struct dtls_engine *
dtls_engine_create(const struct dtls_engine_conf *conf)
{
	struct dtls_engine *e;
	char srtp[256];
	int err;

	if (conf == NULL || (conf->mtu != 0 && conf->mtu < DTLS_MTU_MIN) ||
	    (conf->cert_file == NULL) != (conf->key_file == NULL)) {
		rte_errno = EINVAL;
		return NULL;
	}
	err = srtp_list(conf, srtp, sizeof(srtp));
	if (err < 0) {
		rte_errno = -err;
		return NULL;
	}
	e = calloc(1, sizeof(*e));
	if (e == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	e->mtu = conf->mtu != 0 ? conf->mtu : DTLS_MTU_DEFAULT;
	e->handshake_timeout_ms = conf->handshake_timeout_ms != 0 ?
		conf->handshake_timeout_ms : DTLS_HANDSHAKE_TIMEOUT_MS_DEFAULT;
	e->rtx_initial_ms = conf->rtx_initial_ms != 0 ?
		conf->rtx_initial_ms : DTLS_RTX_INITIAL_MS_DEFAULT;
	e->cert_validity_days = conf->cert_validity_days != 0 ?
		conf->cert_validity_days : DTLS_CERT_VALIDITY_DAYS_DEFAULT;
	if (conf->cert_file != NULL)
		e->cert = dtls_cert_load_pem(conf->cert_file, conf->key_file);
	else
		e->cert = dtls_cert_generate("srtpfwd", e->cert_validity_days);
	if (e->cert == NULL) {
		err = -rte_errno;
		goto fail;
	}
	e->out_method = dtls_out_method_new();
	/* Without it OpenSSL's default context does the same, slower (dtls_libctx.c). */
	e->libctx = dtls_libctx_get();
	e->ctx = SSL_CTX_new_ex(e->libctx, NULL, DTLS_method());
	if (e->out_method == NULL || e->ctx == NULL) {
		err = -ENOMEM;
		goto fail;
	}
	err = post_setup(e);
	if (err < 0)
		goto fail;
	err = ctx_setup(e, srtp);
	if (err < 0)
		goto fail;
	return e;
fail:
	ERR_clear_error();
	dtls_engine_free(e);
	rte_errno = -err;
	return NULL;
}

void
dtls_engine_free(struct dtls_engine *e)
{
	if (e == NULL)
		return;
	for (int i = 0; i < DTLS_AEAD_MAX; i++)
		EVP_CIPHER_free(e->aead[i]);
	EVP_CIPHER_CTX_free(e->aead_ctx);
	EVP_KDF_free(e->prf);
	SSL_CTX_free(e->ctx);
	if (e->libctx != NULL)
		dtls_libctx_put();
	BIO_meth_free(e->out_method);
	dtls_cert_free(e->cert);
	free(e);
}

int
dtls_engine_renew_cert(struct dtls_engine *e, uint32_t validity_days)
{
	struct dtls_cert *c;
	int ret;

	c = dtls_cert_generate("srtpfwd", validity_days != 0 ? validity_days : e->cert_validity_days);
	if (c == NULL)
		return -rte_errno;
	/* SSL_new() copies the CTX's certificate: live connections keep the old one. */
	ret = ctx_use_cert(e->ctx, c);
	if (ret < 0) {
		dtls_cert_free(c);
		return ret;
	}
	dtls_cert_free(e->cert);
	e->cert = c;
	return 0;
}

const char *
dtls_engine_fingerprint(const struct dtls_engine *e)
{
	return e->cert->fp_str;
}

void
dtls_engine_stats(const struct dtls_engine *e, struct dtls_stats *out)
{
	*out = e->stats;
}
