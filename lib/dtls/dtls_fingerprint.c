/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "dtls_fingerprint.h"

static const struct {
	const char *name;
	uint8_t len;
} hashes[DTLS_FP_HASH_MAX] = {
	[DTLS_FP_SHA1] = { "sha-1", 20 },
	[DTLS_FP_SHA224] = { "sha-224", 28 },
	[DTLS_FP_SHA256] = { "sha-256", 32 },
	[DTLS_FP_SHA384] = { "sha-384", 48 },
	[DTLS_FP_SHA512] = { "sha-512", 64 },
};

static const EVP_MD *
hash_md(enum dtls_fp_hash h)
{
	switch (h) {
	case DTLS_FP_SHA1: return EVP_sha1();
	case DTLS_FP_SHA224: return EVP_sha224();
	case DTLS_FP_SHA256: return EVP_sha256();
	case DTLS_FP_SHA384: return EVP_sha384();
	case DTLS_FP_SHA512: return EVP_sha512();
	default: return NULL;
	}
}

int
dtls_fp_hash_from_name(const char *name, enum dtls_fp_hash *h)
{
	unsigned int i;

	if (name == NULL)
		return -EINVAL;
	for (i = 0; i < DTLS_FP_HASH_MAX; i++) {
		if (strcasecmp(name, hashes[i].name) == 0) {
			*h = (enum dtls_fp_hash)i;
			return 0;
		}
	}
	/* Legal in RFC 8122 but too weak to bind a DTLS identity. */
	if (strcasecmp(name, "md5") == 0 || strcasecmp(name, "md2") == 0)
		return -ENOTSUP;
	return -EINVAL;
}

const char *
dtls_fp_hash_name(enum dtls_fp_hash h)
{
	return (unsigned int)h < DTLS_FP_HASH_MAX ? hashes[h].name : "unknown";
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
dtls_fingerprint_parse(const char *hash_name, const char *value, struct dtls_fingerprint *fp)
{
	enum dtls_fp_hash h;
	size_t i, n = 0;
	int ret;

	ret = dtls_fp_hash_from_name(hash_name, &h);
	if (ret < 0)
		return ret;
	if (value == NULL)
		return -EINVAL;
	/* RFC 8122 §5: 2UHEX *(":" 2UHEX); lower case tolerated on input. */
	for (i = 0;; i += 3) {
		int hi = hex_value(value[i]), lo;

		if (hi < 0)
			return -EINVAL;
		lo = hex_value(value[i + 1]);
		if (lo < 0 || n == hashes[h].len)
			return -EINVAL;
		fp->md[n++] = (uint8_t)(hi << 4 | lo);
		if (value[i + 2] == '\0')
			break;
		if (value[i + 2] != ':')
			return -EINVAL;
	}
	if (n != hashes[h].len)
		return -EINVAL;
	fp->hash = h;
	fp->len = (uint8_t)n;
	return 0;
}

int
dtls_fingerprint_of_x509(X509 *x, enum dtls_fp_hash h, struct dtls_fingerprint *fp)
{
	const EVP_MD *md = hash_md(h);
	unsigned int len = 0;

	if (md == NULL || x == NULL)
		return -EINVAL;
	if (X509_digest(x, md, fp->md, &len) != 1 || len != hashes[h].len)
		return -EIO;
	fp->hash = h;
	fp->len = (uint8_t)len;
	return 0;
}

int
dtls_fingerprint_format(const struct dtls_fingerprint *fp, char *buf, size_t size)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i, o = 0;

	if (fp->len == 0 || size < (size_t)fp->len * 3)
		return -ENOSPC;
	for (i = 0; i < fp->len; i++) {
		if (i != 0)
			buf[o++] = ':';
		buf[o++] = hex[fp->md[i] >> 4];
		buf[o++] = hex[fp->md[i] & 0xf];
	}
	buf[o] = '\0';
	return (int)o;
}

bool
dtls_fingerprint_equal(const struct dtls_fingerprint *a, const struct dtls_fingerprint *b)
{
	if (a->hash != b->hash || a->len != b->len || a->len == 0)
		return false;
	return CRYPTO_memcmp(a->md, b->md, a->len) == 0;
}
