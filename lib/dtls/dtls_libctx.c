/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The OpenSSL library context of the DTLS engines: the default provider's
 * algorithms, but only those a DTLS 1.2 handshake with the engine's suites
 * and certificates uses (ECDHE with X25519 or P-256, ECDSA or RSA
 * signatures, AES-GCM or ChaCha20-Poly1305 records, SHA-1/2 digests, the
 * TLS PRF), and of the decoders only those that read the public key of an
 * EC or RSA certificate (DER SubjectPublicKeyInfo).
 *
 * Why: OpenSSL 3.0 decodes a certificate's public key (d2i_X509() of the
 * peer's certificate, every handshake) by building a decoder chain from
 * every decoder and key manager its library context has, walking the
 * whole method store for each (OSSL_DECODER_CTX_new_for_pkey()): about
 * 110 µs here in OpenSSL's default context, 48 µs with the decoders and
 * key managers cut, 30 µs with every operation cut. (OpenSSL 3.2 caches
 * those chains; 3.0 does not.) Nothing else changes: the same
 * implementations of the same library, found in shorter lists; fewer
 * algorithms a peer can make the box run is no loss either. A peer
 * certificate of another key type (Ed25519, DSA) has no public key here
 * and fails the handshake; browsers use ECDSA or RSA (RFC 8827 §6.5).
 *
 * How: a built-in provider whose algorithm tables and provider context are
 * the default provider's (loaded in the default library context), the
 * tables filtered. One context per process, shared by the engines, which
 * live on the control lcore. Random numbers, encoders and stores are the
 * default provider's, unfiltered.
 */
#include <string.h>

#include <openssl/core_dispatch.h>
#include <openssl/crypto.h>
#include <openssl/provider.h>

#include <rte_common.h>

#include "dtls_priv.h"

#define PROVIDER_NAME "srtpfwd-dtls"
#define PICKED_MAX 8

/* An operation whose algorithms are cut to names[] (first names, exactly expect of them). */
struct op_filter {
	int op;
	const char *const *names;
	unsigned int expect;
	bool spki_decoders;		/* OSSL_OP_DECODER: DER SubjectPublicKeyInfo only */
	OSSL_ALGORITHM picked[PICKED_MAX + 1];
};

static const char *const digests[] = { "SHA1", "SHA2-224", "SHA2-256", "SHA2-384", "SHA2-512", NULL };
static const char *const ciphers[] = { "AES-128-GCM", "AES-256-GCM", "ChaCha20-Poly1305", NULL };
static const char *const macs[] = { "HMAC", NULL };
static const char *const kdfs[] = { "TLS1-PRF", "HKDF", NULL };
static const char *const keymgmts[] = {
	"EC", "X25519", "RSA", "RSA-PSS", "TLS1-PRF", "HKDF", "HMAC", NULL
};
static const char *const keyexchs[] = { "ECDH", "X25519", NULL };
static const char *const signatures[] = { "ECDSA", "RSA", NULL };
static const char *const none[] = { NULL };
static const char *const cert_keys[] = { "EC", "RSA", NULL };

static struct {
	OSSL_LIB_CTX *libctx;
	OSSL_PROVIDER *inner;		/* the default provider, default library context */
	OSSL_PROVIDER *outer;		/* ours, in libctx */
	unsigned int users;
} lc;

static struct op_filter filters[] = {
	{ OSSL_OP_DIGEST, digests, 5, false, { { 0 } } },
	{ OSSL_OP_CIPHER, ciphers, 3, false, { { 0 } } },
	{ OSSL_OP_MAC, macs, 1, false, { { 0 } } },
	{ OSSL_OP_KDF, kdfs, 2, false, { { 0 } } },
	{ OSSL_OP_KEYMGMT, keymgmts, 7, false, { { 0 } } },
	{ OSSL_OP_KEYEXCH, keyexchs, 2, false, { { 0 } } },
	{ OSSL_OP_SIGNATURE, signatures, 2, false, { { 0 } } },
	{ OSSL_OP_ASYM_CIPHER, none, 0, false, { { 0 } } },
	{ OSSL_OP_KEM, none, 0, false, { { 0 } } },
	{ OSSL_OP_DECODER, cert_keys, 2, true, { { 0 } } },
};

/* "EC" of "EC:id-ecPublicKey:1.2.840.10045.2.1" is one of list[]. */
static bool
first_name_in(const char *names, const char *const *list)
{
	size_t len = strcspn(names, ":");

	for (; *list != NULL; list++)
		if (strlen(*list) == len && strncmp(names, *list, len) == 0)
			return true;
	return false;
}

static bool
wanted(const struct op_filter *f, const OSSL_ALGORITHM *a)
{
	if (!first_name_in(a->algorithm_names, f->names))
		return false;
	return !f->spki_decoders ||
	       (a->property_definition != NULL &&
		strstr(a->property_definition, "input=der") != NULL &&
		strstr(a->property_definition, "structure=SubjectPublicKeyInfo") != NULL);
}

/* The default provider's entries f keeps; false if they are not the expected ones. */
static bool
pick(struct op_filter *f)
{
	const OSSL_ALGORITHM *a;
	unsigned int n = 0;
	int no_cache = 0;

	a = OSSL_PROVIDER_query_operation(lc.inner, f->op, &no_cache);
	for (const OSSL_ALGORITHM *p = a; p != NULL && p->algorithm_names != NULL; p++)
		if (wanted(f, p) && n < PICKED_MAX)
			f->picked[n++] = *p;
	memset(&f->picked[n], 0, sizeof(f->picked[n]));
	if (a != NULL)
		OSSL_PROVIDER_unquery_operation(lc.inner, f->op, a);
	return n == f->expect;
}

static struct op_filter *
filter_of(int op)
{
	for (unsigned int i = 0; i < RTE_DIM(filters); i++)
		if (filters[i].op == op)
			return &filters[i];
	return NULL;
}

static const OSSL_ALGORITHM *
outer_query(void *provctx, int op, int *no_cache)
{
	struct op_filter *f = filter_of(op);

	(void)provctx;
	if (f != NULL) {
		*no_cache = 0;
		return f->picked;
	}
	return OSSL_PROVIDER_query_operation(lc.inner, op, no_cache);
}

static void
outer_unquery(void *provctx, int op, const OSSL_ALGORITHM *algs)
{
	(void)provctx;
	if (filter_of(op) == NULL)
		OSSL_PROVIDER_unquery_operation(lc.inner, op, algs);
}

/* libssl finds the TLS groups (X25519, P-256) here. */
static int
outer_capabilities(void *provctx, const char *capability, OSSL_CALLBACK *cb, void *arg)
{
	(void)provctx;
	return OSSL_PROVIDER_get_capabilities(lc.inner, capability, cb, arg);
}

static const OSSL_PARAM *
outer_gettable(void *provctx)
{
	(void)provctx;
	return OSSL_PROVIDER_gettable_params(lc.inner);
}

static int
outer_get_params(void *provctx, OSSL_PARAM params[])
{
	(void)provctx;
	return OSSL_PROVIDER_get_params(lc.inner, params);
}

/* The default provider's context stays the default provider's: nothing to free here. */
static void
outer_teardown(void *provctx)
{
	(void)provctx;
}

static const OSSL_DISPATCH outer_dispatch[] = {
	{ OSSL_FUNC_PROVIDER_QUERY_OPERATION, (void (*)(void))outer_query },
	{ OSSL_FUNC_PROVIDER_UNQUERY_OPERATION, (void (*)(void))outer_unquery },
	{ OSSL_FUNC_PROVIDER_GET_CAPABILITIES, (void (*)(void))outer_capabilities },
	{ OSSL_FUNC_PROVIDER_GETTABLE_PARAMS, (void (*)(void))outer_gettable },
	{ OSSL_FUNC_PROVIDER_GET_PARAMS, (void (*)(void))outer_get_params },
	{ OSSL_FUNC_PROVIDER_TEARDOWN, (void (*)(void))outer_teardown },
	{ 0, NULL }
};

static int
outer_init(const OSSL_CORE_HANDLE *handle, const OSSL_DISPATCH *in, const OSSL_DISPATCH **out,
	   void **provctx)
{
	(void)handle;
	(void)in;
	/* The default provider's algorithms are called with the default provider's context. */
	*provctx = OSSL_PROVIDER_get0_provider_ctx(lc.inner);
	*out = outer_dispatch;
	return *provctx != NULL;
}

static void
libctx_teardown(void)
{
	OSSL_PROVIDER_unload(lc.outer);
	OSSL_LIB_CTX_free(lc.libctx);
	OSSL_PROVIDER_unload(lc.inner);
	memset(&lc, 0, sizeof(lc));
}

OSSL_LIB_CTX *
dtls_libctx_get(void)
{
	if (lc.users != 0) {
		lc.users++;
		return lc.libctx;
	}
	lc.inner = OSSL_PROVIDER_load(NULL, "default");
	if (lc.inner == NULL)
		goto fail;
	/* Not the expected algorithms: this OpenSSL names them otherwise; use its default. */
	for (unsigned int i = 0; i < RTE_DIM(filters); i++)
		if (!pick(&filters[i]))
			goto fail;
	lc.libctx = OSSL_LIB_CTX_new();
	if (lc.libctx == NULL ||
	    OSSL_PROVIDER_add_builtin(lc.libctx, PROVIDER_NAME, outer_init) != 1)
		goto fail;
	lc.outer = OSSL_PROVIDER_load(lc.libctx, PROVIDER_NAME);
	if (lc.outer == NULL)
		goto fail;
	lc.users = 1;
	return lc.libctx;
fail:
	libctx_teardown();
	return NULL;
}

void
dtls_libctx_put(void)
{
	if (lc.users == 0 || --lc.users != 0)
		return;
	libctx_teardown();
}
