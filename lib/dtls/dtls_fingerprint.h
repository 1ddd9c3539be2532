/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_DTLS_FINGERPRINT_H
#define SRTPFWD_DTLS_FINGERPRINT_H

/*
 * Certificate fingerprints as SDP carries them (RFC 8122 §5):
 * a=fingerprint:<hash> <HEX:HEX:...>, hash spelled "sha-256" etc.
 * Accepted hashes: sha-1, sha-224, sha-256, sha-384, sha-512; md5 and md2
 * are refused (RFC 8122 §5 lets them go, RFC 8827 §6.5 wants SHA-256 or
 * better from us; we still check a peer's sha-1).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

enum dtls_fp_hash {
	DTLS_FP_SHA1 = 0,
	DTLS_FP_SHA224,
	DTLS_FP_SHA256,
	DTLS_FP_SHA384,
	DTLS_FP_SHA512,
	DTLS_FP_HASH_MAX
};

#define DTLS_FP_MD_MAX 64
/* "AB:" per byte, the last without ':', plus NUL. */
#define DTLS_FP_STR_MAX (DTLS_FP_MD_MAX * 3)

struct dtls_fingerprint {
	enum dtls_fp_hash hash;
	uint8_t len;
	uint8_t md[DTLS_FP_MD_MAX];
};

/* "sha-256" → DTLS_FP_SHA256 (case-insensitive); 0 or -EINVAL / -ENOTSUP (md5, md2). */
int dtls_fp_hash_from_name(const char *name, enum dtls_fp_hash *h);
const char *dtls_fp_hash_name(enum dtls_fp_hash h);

/*
 * Parses the value of a=fingerprint for hash name ("sha-256") and value
 * ("AB:CD:..", either case). 0, -EINVAL (malformed, wrong length for the
 * hash) or -ENOTSUP (hash not accepted).
 */
int dtls_fingerprint_parse(const char *hash_name, const char *value, struct dtls_fingerprint *fp);

/* Digest of the DER certificate; 0 or -EIO. */
int dtls_fingerprint_of_x509(X509 *x, enum dtls_fp_hash h, struct dtls_fingerprint *fp);

/* Upper-case "AB:CD:.." into buf; the string length, or -ENOSPC. */
int dtls_fingerprint_format(const struct dtls_fingerprint *fp, char *buf, size_t size);

/* Same hash and same digest; the digest compared in constant time. */
bool dtls_fingerprint_equal(const struct dtls_fingerprint *a, const struct dtls_fingerprint *b);

#endif /* SRTPFWD_DTLS_FINGERPRINT_H */
