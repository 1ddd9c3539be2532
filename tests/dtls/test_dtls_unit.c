/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Pure logic of the DTLS area: fingerprints, record checks, the key split,
 * the engines' OpenSSL library context.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <rte_common.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "dtls_engine.h"
#include "dtls_fingerprint.h"
#include "dtls_keys.h"
#include "dtls_priv.h"
#include "dtls_record.h"

static void
test_fingerprint_parse(void **state)
{
	static const char v256[] =
		"AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:"
		"AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";
	struct dtls_fingerprint a, b;
	enum dtls_fp_hash h;
	char out[DTLS_FP_STR_MAX];

	(void)state;
	assert_int_equal(dtls_fingerprint_parse("sha-256", v256, &a), 0);
	assert_int_equal(a.hash, DTLS_FP_SHA256);
	assert_int_equal(a.len, 32);
	assert_int_equal(a.md[0], 0xab);
	assert_int_equal(dtls_fingerprint_format(&a, out, sizeof(out)), 95);
	assert_string_equal(out, v256);
	/* Lower case and an upper-case hash name are tolerated on input. */
	assert_int_equal(dtls_fingerprint_parse("SHA-256",
		"ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:"
		"ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89", &b), 0);
	assert_true(dtls_fingerprint_equal(&a, &b));
	b.md[31] ^= 1;
	assert_false(dtls_fingerprint_equal(&a, &b));
	/* Wrong length for the hash, bad separators, trailing junk. */
	assert_int_equal(dtls_fingerprint_parse("sha-1", v256, &b), -EINVAL);
	assert_int_equal(dtls_fingerprint_parse("sha-256", "AB:CD", &b), -EINVAL);
	assert_int_equal(dtls_fingerprint_parse("sha-256", "ABCD", &b), -EINVAL);
	assert_int_equal(dtls_fingerprint_parse("sha-256", "", &b), -EINVAL);
	assert_int_equal(dtls_fingerprint_parse("sha-256", "AB:", &b), -EINVAL);
	assert_int_equal(dtls_fingerprint_parse("sha-256", "AB-CD", &b), -EINVAL);
	assert_int_equal(dtls_fingerprint_parse("sha-256", "G0", &b), -EINVAL);
	assert_int_equal(dtls_fingerprint_parse("sha-256", NULL, &b), -EINVAL);
	/* Hash names of RFC 8122: md5 is refused, unknown ones are malformed. */
	assert_int_equal(dtls_fp_hash_from_name("md5", &h), -ENOTSUP);
	assert_int_equal(dtls_fp_hash_from_name("sha-3", &h), -EINVAL);
	assert_int_equal(dtls_fp_hash_from_name("sha-512", &h), 0);
	assert_int_equal(h, DTLS_FP_SHA512);
	assert_string_equal(dtls_fp_hash_name(DTLS_FP_SHA1), "sha-1");
	/* Same digest under another hash is not the same fingerprint. */
	b = a;
	b.hash = DTLS_FP_SHA1;
	assert_false(dtls_fingerprint_equal(&a, &b));
}

static void
test_record_check(void **state)
{
	/* ClientHello record header + handshake header (body elided). */
	uint8_t ch[DTLS_RECORD_HDR_LEN + DTLS_HS_HDR_LEN + 4] = {
		22, 0xfe, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, DTLS_HS_HDR_LEN + 4,
		1, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 4,
	};
	uint8_t two[2 * sizeof(ch)];

	(void)state;
	assert_int_equal(dtls_record_check(ch, sizeof(ch)), DTLS_REC_OK);
	assert_true(dtls_record_is_client_hello(ch, sizeof(ch)));
	memcpy(two, ch, sizeof(ch));
	memcpy(two + sizeof(ch), ch, sizeof(ch));
	two[sizeof(ch) + 2] = 0xfd;
	assert_int_equal(dtls_record_check(two, sizeof(two)), DTLS_REC_OK);
	assert_int_equal(dtls_record_check(ch, sizeof(ch) - 1), DTLS_REC_TRUNCATED);
	assert_int_equal(dtls_record_check(two, sizeof(two) - 1), DTLS_REC_TRUNCATED);
	assert_int_equal(dtls_record_check(ch, 5), DTLS_REC_TRUNCATED);
	assert_int_equal(dtls_record_check(ch, 0), DTLS_REC_TRUNCATED);
	ch[2] = 0x03;		/* TLS 1.2's version in a DTLS record */
	assert_int_equal(dtls_record_check(ch, sizeof(ch)), DTLS_REC_BAD_VERSION);
	ch[1] = 0x03;
	assert_int_equal(dtls_record_check(ch, sizeof(ch)), DTLS_REC_BAD_VERSION);
	ch[1] = 0xfe;
	ch[2] = 0xfc;		/* DTLS 1.3 is not spoken */
	assert_int_equal(dtls_record_check(ch, sizeof(ch)), DTLS_REC_BAD_VERSION);
	ch[2] = 0xfd;
	ch[0] = 0x80;		/* an RTP first byte */
	assert_int_equal(dtls_record_check(ch, sizeof(ch)), DTLS_REC_BAD_TYPE);
	ch[0] = 22;
	ch[4] = 1;		/* epoch 1: encrypted, not a new ClientHello */
	assert_false(dtls_record_is_client_hello(ch, sizeof(ch)));
	ch[4] = 0;
	ch[DTLS_RECORD_HDR_LEN] = 2;	/* ServerHello */
	assert_false(dtls_record_is_client_hello(ch, sizeof(ch)));
}

static void
test_keys_split(void **state)
{
	uint8_t km[DTLS_SRTP_KEYING_MAX];
	struct dtls_srtp_keys k;
	unsigned int p, i;

	(void)state;
	for (i = 0; i < sizeof(km); i++)
		km[i] = (uint8_t)i;
	for (p = 0; p < SRTP_PROFILE_MAX; p++) {
		const struct srtp_profile_info *pi = srtp_profile_info(p);
		size_t kl = pi->master_key_len, sl = pi->master_salt_len, n = 2 * (kl + sl);

		if (!pi->encrypts)
			continue;
		/* RFC 5764 §4.2 / RFC 7714 §12 lengths. */
		assert_int_equal(n, p == SRTP_PROFILE_AEAD_AES_128_GCM ? 56 :
				 p == SRTP_PROFILE_AEAD_AES_256_GCM ? 88 : 60);
		assert_int_equal(dtls_srtp_keys_split(p, DTLS_ROLE_CLIENT, km, n - 1, &k), -EINVAL);
		assert_int_equal(dtls_srtp_keys_split(p, DTLS_ROLE_CLIENT, km, n, &k), 0);
		assert_int_equal(k.key_len, kl);
		assert_int_equal(k.salt_len, sl);
		/* client_key | server_key | client_salt | server_salt */
		assert_memory_equal(k.local_key, km, kl);
		assert_memory_equal(k.remote_key, km + kl, kl);
		assert_memory_equal(k.local_salt, km + 2 * kl, sl);
		assert_memory_equal(k.remote_salt, km + 2 * kl + sl, sl);
		assert_int_equal(dtls_srtp_keys_split(p, DTLS_ROLE_SERVER, km, n, &k), 0);
		assert_memory_equal(k.local_key, km + kl, kl);
		assert_memory_equal(k.remote_key, km, kl);
		assert_memory_equal(k.local_salt, km + 2 * kl + sl, sl);
		assert_memory_equal(k.remote_salt, km + 2 * kl, sl);
		dtls_srtp_keys_wipe(&k);
		assert_int_equal(k.local_key[0] | k.remote_salt[0], 0);
	}
}

/* OpenSSL 3.0 has no DTLS-SRTP NULL profile under either spelling; the engine refuses it. */
static void
test_null_profile(void **state)
{
	struct dtls_engine_conf conf = {
		.profiles = { SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80, SRTP_PROFILE_NULL_HMAC_SHA1_80 },
		.n_profiles = 2,
	};
	SSL_CTX *ctx = SSL_CTX_new(DTLS_method());

	(void)state;
	/* SSL_CTX_set_tlsext_use_srtp() returns 1 on failure. */
	assert_int_equal(SSL_CTX_set_tlsext_use_srtp(ctx, "SRTP_NULL_HMAC_SHA1_80"), 1);
	assert_int_equal(SSL_CTX_set_tlsext_use_srtp(ctx, "SRTP_NULL_SHA1_80"), 1);
	assert_int_equal(SSL_CTX_set_tlsext_use_srtp(ctx, "SRTP_AEAD_AES_256_GCM"), 0);
	SSL_CTX_free(ctx);
	assert_null(dtls_engine_create(&conf));
	conf.profiles[1] = SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80;	/* duplicate */
	assert_null(dtls_engine_create(&conf));
	conf.n_profiles = 1;
	conf.mtu = 100;
	assert_null(dtls_engine_create(&conf));
}

/* A self-signed certificate of key k as DER, read back in libctx. */
static X509 *
cert_through(OSSL_LIB_CTX *libctx, EVP_PKEY *k, const EVP_MD *md)
{
	X509 *x = X509_new(), *y = X509_new_ex(libctx, NULL);
	unsigned char *der = NULL;
	const unsigned char *p;
	int n;

	assert_non_null(k);
	X509_set_version(x, X509_VERSION_3);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_set_pubkey(x, k);
	assert_true(X509_sign(x, k, md) > 0);
	n = i2d_X509(x, &der);
	p = der;
	assert_non_null(d2i_X509(&y, &p, n));
	OPENSSL_free(der);
	X509_free(x);
	EVP_PKEY_free(k);
	return y;
}

/*
 * One context for every engine; in it an EC or RSA certificate has its
 * public key and verifies, an Ed25519 one (outside the engine's suites)
 * does not; ECDHE keys are made there; the suites' algorithms are there,
 * others not.
 */
static void
test_libctx(void **state)
{
	OSSL_LIB_CTX *a = dtls_libctx_get(), *b = dtls_libctx_get();
	EVP_PKEY *k;
	X509 *x;

	(void)state;
	assert_non_null(a);
	assert_ptr_equal(a, b);
	x = cert_through(a, EVP_EC_gen("P-256"), EVP_sha256());
	assert_non_null(X509_get0_pubkey(x));
	assert_int_equal(X509_verify(x, X509_get0_pubkey(x)), 1);
	X509_free(x);
	x = cert_through(a, EVP_RSA_gen(2048), EVP_sha256());
	assert_non_null(X509_get0_pubkey(x));
	assert_int_equal(X509_verify(x, X509_get0_pubkey(x)), 1);
	X509_free(x);
	x = cert_through(a, EVP_PKEY_Q_keygen(NULL, NULL, "ED25519"), NULL);
	assert_null(X509_get0_pubkey(x));
	X509_free(x);
	ERR_clear_error();
	k = EVP_PKEY_Q_keygen(a, NULL, "X25519");
	assert_non_null(k);
	EVP_PKEY_free(k);
	k = EVP_PKEY_Q_keygen(a, NULL, "EC", "P-256");
	assert_non_null(k);
	EVP_PKEY_free(k);
	{
		static const char *const have_md[] = { "SHA1", "SHA256", "SHA384", "SHA512" };
		static const char *const have_ci[] = { "AES-128-GCM", "AES-256-GCM",
						       "ChaCha20-Poly1305" };
		EVP_MD *md;
		EVP_CIPHER *ci;
		EVP_KDF *kdf;

		for (unsigned int i = 0; i < RTE_DIM(have_md); i++) {
			md = EVP_MD_fetch(a, have_md[i], NULL);
			assert_non_null(md);
			EVP_MD_free(md);
		}
		for (unsigned int i = 0; i < RTE_DIM(have_ci); i++) {
			ci = EVP_CIPHER_fetch(a, have_ci[i], NULL);
			assert_non_null(ci);
			EVP_CIPHER_free(ci);
		}
		kdf = EVP_KDF_fetch(a, "TLS1-PRF", NULL);
		assert_non_null(kdf);
		EVP_KDF_free(kdf);
		assert_null(EVP_MD_fetch(a, "MD5", NULL));
		assert_null(EVP_CIPHER_fetch(a, "AES-128-CBC", NULL));
		assert_null(EVP_PKEY_Q_keygen(a, NULL, "X448"));
		ERR_clear_error();
	}
	dtls_libctx_put();
	dtls_libctx_put();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fingerprint_parse),
		cmocka_unit_test(test_record_check),
		cmocka_unit_test(test_keys_split),
		cmocka_unit_test(test_null_profile),
		cmocka_unit_test(test_libctx),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
