/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_DTLS_CERT_H
#define SRTPFWD_DTLS_CERT_H

/*
 * The box's DTLS identity: a certificate and its private key, either
 * generated at start (self-signed ECDSA P-256, as browsers do, RFC 8827
 * §6.5) or loaded from PEM files. Its sha-256 fingerprint is what
 * signalling puts in a=fingerprint. Reference counted (by the engine's
 * thread only): connections made with an old certificate keep it after a
 * renewal.
 */

#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "dtls_fingerprint.h"

struct dtls_cert {
	X509 *x509;
	EVP_PKEY *pkey;
	struct dtls_fingerprint fp;		/* sha-256 */
	char fp_str[DTLS_FP_STR_MAX];		/* "AB:CD:.." */
	unsigned int refcnt;
};

/*
 * A fresh self-signed ECDSA P-256 certificate, subject CN=cn, valid from a
 * day ago (peer clock skew) for validity_days. NULL with rte_errno set.
 */
struct dtls_cert *dtls_cert_generate(const char *cn, uint32_t validity_days);

/* Certificate and key from PEM files; the key must match. NULL with rte_errno set. */
struct dtls_cert *dtls_cert_load_pem(const char *cert_file, const char *key_file);

/* Another reference to c. */
struct dtls_cert *dtls_cert_ref(struct dtls_cert *c);
/* Drops a reference; the last one frees. */
void dtls_cert_free(struct dtls_cert *c);

#endif /* SRTPFWD_DTLS_CERT_H */
