/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <rte_errno.h>

#include "dtls_cert.h"

static int
cert_finish(struct dtls_cert *c)
{
	if (dtls_fingerprint_of_x509(c->x509, DTLS_FP_SHA256, &c->fp) < 0)
		return -EIO;
	return dtls_fingerprint_format(&c->fp, c->fp_str, sizeof(c->fp_str)) < 0 ? -EIO : 0;
}

/* A positive random 63-bit serial: unique enough for self-signed identities. */
static int
set_random_serial(X509 *x)
{
	uint8_t b[8];
	BIGNUM *bn;
	int ok;

	if (RAND_bytes(b, sizeof(b)) != 1)
		return -EIO;
	b[0] &= 0x7f;
	bn = BN_bin2bn(b, sizeof(b), NULL);
	if (bn == NULL)
		return -ENOMEM;
	ok = BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) != NULL;
	BN_free(bn);
	return ok ? 0 : -EIO;
}

struct dtls_cert *
dtls_cert_generate(const char *cn, uint32_t validity_days)
{
	struct dtls_cert *c;
	X509_NAME *name;
	int err = -EIO;

	if (cn == NULL || validity_days == 0) {
		rte_errno = EINVAL;
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	c->refcnt = 1;
	c->pkey = EVP_EC_gen("P-256");
	c->x509 = X509_new();
	if (c->pkey == NULL || c->x509 == NULL)
		goto fail;
	if (X509_set_version(c->x509, X509_VERSION_3) != 1 || set_random_serial(c->x509) < 0)
		goto fail;
	if (X509_gmtime_adj(X509_getm_notBefore(c->x509), -86400L) == NULL ||
	    X509_gmtime_adj(X509_getm_notAfter(c->x509), (long)validity_days * 86400L) == NULL)
		goto fail;
	name = X509_get_subject_name(c->x509);
	if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
				       (const unsigned char *)cn, -1, -1, 0) != 1 ||
	    X509_set_issuer_name(c->x509, name) != 1 ||
	    X509_set_pubkey(c->x509, c->pkey) != 1 ||
	    X509_sign(c->x509, c->pkey, EVP_sha256()) == 0)
		goto fail;
	err = cert_finish(c);
	if (err < 0)
		goto fail;
	return c;
fail:
	ERR_clear_error();
	dtls_cert_free(c);
	rte_errno = -err;
	return NULL;
}

struct dtls_cert *
dtls_cert_load_pem(const char *cert_file, const char *key_file)
{
	struct dtls_cert *c;
	FILE *f;
	int err = -EINVAL;

	if (cert_file == NULL || key_file == NULL) {
		rte_errno = EINVAL;
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	c->refcnt = 1;
	f = fopen(cert_file, "r");
	if (f == NULL) {
		err = -errno;
		goto fail;
	}
	c->x509 = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	f = fopen(key_file, "r");
	if (f == NULL) {
		err = -errno;
		goto fail;
	}
	c->pkey = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	if (c->x509 == NULL || c->pkey == NULL || X509_check_private_key(c->x509, c->pkey) != 1)
		goto fail;
	err = cert_finish(c);
	if (err < 0)
		goto fail;
	return c;
fail:
	ERR_clear_error();
	dtls_cert_free(c);
	rte_errno = -err;
	return NULL;
}

struct dtls_cert *
dtls_cert_ref(struct dtls_cert *c)
{
	c->refcnt++;
	return c;
}

void
dtls_cert_free(struct dtls_cert *c)
{
	if (c == NULL || --c->refcnt != 0)
		return;
	X509_free(c->x509);
	EVP_PKEY_free(c->pkey);
	free(c);
}
