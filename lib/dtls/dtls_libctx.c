/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The OpenSSL library context of the DTLS engines: the default provider's
 * algorithms, but of its decoders only those that read the public key of
 * an EC or RSA certificate (DER SubjectPublicKeyInfo), the only thing the
 * engine decodes, and of its key managers only the key types of the
 * engine's suites and certificates (and of libssl's own derivations).
 *
 * Why: OpenSSL 3.0 decodes a certificate's public key by building a chain
 * out of every decoder and key manager its library context has
 * (OSSL_DECODER_CTX_new_for_pkey() inside d2i_X509(), for the peer's
 * certificate of every handshake): about 95 µs on this machine class, a
 * third of the box's handshake; with two decoders and seven key managers,
 * about 30 µs. (OpenSSL 3.2 caches those chains; 3.0 does not.) Nothing
 * else changes: the same implementations of the same library, found in
 * shorter lists. A peer certificate of another key type (Ed25519, DSA)
 * has no public key here and fails the handshake; browsers use ECDSA or
 * RSA (RFC 8827 §6.5).
 *
 * How: a built-in provider whose algorithm tables and provider context are
 * the default provider's (loaded in the default library context), with
 * the decoder table filtered. One context per process, shared by the
 * engines, which live on the control lcore.
 */
#include <string.h>

#include <openssl/core_dispatch.h>
#include <openssl/crypto.h>
#include <openssl/provider.h>

#include "dtls_priv.h"

#define PROVIDER_NAME "srtpfwd-dtls"
#define PICKED_MAX 16

static struct {
	OSSL_LIB_CTX *libctx;
	OSSL_PROVIDER *inner;		/* the default provider, default library context */
	OSSL_PROVIDER *outer;		/* ours, in libctx */
	unsigned int users;
	OSSL_ALGORITHM decoders[PICKED_MAX + 1];
	OSSL_ALGORITHM keymgmt[PICKED_MAX + 1];
} lc;

/* "EC" of "EC:id-ecPublicKey:1.2.840.10045.2.1" is one of names[]. */
static bool
first_name_in(const char *names, const char *const *list)
{
	size_t len = strcspn(names, ":");

	for (; *list != NULL; list++)
		if (strlen(*list) == len && strncmp(names, *list, len) == 0)
			return true;
	return false;
}

/* DER SubjectPublicKeyInfo of an EC or RSA key: what d2i_X509() needs for a peer's certificate. */
static bool
decoder_wanted(const OSSL_ALGORITHM *a)
{
	static const char *const types[] = { "EC", "RSA", NULL };

	return first_name_in(a->algorithm_names, types) && a->property_definition != NULL &&
	       strstr(a->property_definition, "input=der") != NULL &&
	       strstr(a->property_definition, "structure=SubjectPublicKeyInfo") != NULL;
}

/*
 * Certificates and ECDHE (EC, X25519, RSA, RSA-PSS) and what libssl derives
 * and authenticates its own keys with (TLS1-PRF, HKDF, HMAC).
 */
static bool
keymgmt_wanted(const OSSL_ALGORITHM *a)
{
	static const char *const types[] = {
		"EC", "X25519", "RSA", "RSA-PSS", "TLS1-PRF", "HKDF", "HMAC", NULL
	};

	return first_name_in(a->algorithm_names, types);
}

/* The default provider's entries of operation op that want() keeps, into out. */
static unsigned int
pick(int op, bool (*want)(const OSSL_ALGORITHM *), OSSL_ALGORITHM *out)
{
	const OSSL_ALGORITHM *a;
	unsigned int n = 0;
	int no_cache = 0;

	a = OSSL_PROVIDER_query_operation(lc.inner, op, &no_cache);
	for (const OSSL_ALGORITHM *p = a; p != NULL && p->algorithm_names != NULL; p++)
		if (want(p) && n < PICKED_MAX)
			out[n++] = *p;
	memset(&out[n], 0, sizeof(out[n]));
	if (a != NULL)
		OSSL_PROVIDER_unquery_operation(lc.inner, op, a);
	return n;
}

static const OSSL_ALGORITHM *
outer_query(void *provctx, int op, int *no_cache)
{
	(void)provctx;
	if (op == OSSL_OP_DECODER || op == OSSL_OP_KEYMGMT) {
		*no_cache = 0;
		return op == OSSL_OP_DECODER ? lc.decoders : lc.keymgmt;
	}
	return OSSL_PROVIDER_query_operation(lc.inner, op, no_cache);
}

static void
outer_unquery(void *provctx, int op, const OSSL_ALGORITHM *algs)
{
	(void)provctx;
	if (op != OSSL_OP_DECODER && op != OSSL_OP_KEYMGMT)
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
	/* Seven key managers and two decoders; fewer: this OpenSSL names them otherwise. */
	if (lc.inner == NULL || pick(OSSL_OP_DECODER, decoder_wanted, lc.decoders) != 2 ||
	    pick(OSSL_OP_KEYMGMT, keymgmt_wanted, lc.keymgmt) != 7)
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
