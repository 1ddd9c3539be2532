/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <rte_errno.h>

#include "dtls_cookie.h"

#define SECRET_LEN 32

struct dtls_cookie_jar {
	uint32_t slot_ms;
	bool have_slot;
	uint64_t slot;			/* what secret[0] is for; secret[1] is slot - 1's */
	uint8_t secret[2][SECRET_LEN];
};

struct dtls_cookie_jar *
dtls_cookie_jar_create(uint32_t slot_ms)
{
	struct dtls_cookie_jar *j = calloc(1, sizeof(*j));

	if (j == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	j->slot_ms = slot_ms != 0 ? slot_ms : DTLS_COOKIE_SLOT_MS_DEFAULT;
	/* Fail at start rather than on the first ClientHello when there is no entropy. */
	if (RAND_priv_bytes(j->secret[0], SECRET_LEN) != 1) {
		dtls_cookie_jar_free(j);
		rte_errno = EIO;
		return NULL;
	}
	return j;
}

void
dtls_cookie_jar_free(struct dtls_cookie_jar *j)
{
	if (j == NULL)
		return;
	OPENSSL_cleanse(j, sizeof(*j));
	free(j);
}

/* Move the secrets on to slot; 0 or -EIO. */
static int
rotate(struct dtls_cookie_jar *j, uint64_t slot)
{
	if (j->have_slot && slot == j->slot)
		return 0;
	if (j->have_slot && slot == j->slot + 1) {
		memcpy(j->secret[1], j->secret[0], SECRET_LEN);
	} else if (RAND_priv_bytes(j->secret[1], SECRET_LEN) != 1) {
		/* A jump (or the first use): no cookie of the slot before is valid. */
		return -EIO;
	}
	if (RAND_priv_bytes(j->secret[0], SECRET_LEN) != 1) {
		j->have_slot = false;
		return -EIO;
	}
	j->slot = slot;
	j->have_slot = true;
	return 0;
}

static int
mac(const uint8_t *secret, uint64_t slot, const void *peer, size_t peer_len,
    uint8_t out[DTLS_COOKIE_LEN])
{
	uint8_t msg[8 + 64], md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;

	if (peer_len > sizeof(msg) - 8)
		return -EIO;
	for (int i = 0; i < 8; i++)
		msg[i] = (uint8_t)(slot >> (56 - 8 * i));
	memcpy(msg + 8, peer, peer_len);
	if (HMAC(EVP_sha256(), secret, SECRET_LEN, msg, 8 + peer_len, md, &md_len) == NULL ||
	    md_len < DTLS_COOKIE_LEN)
		return -EIO;
	memcpy(out, md, DTLS_COOKIE_LEN);
	OPENSSL_cleanse(md, sizeof(md));
	return 0;
}

int
dtls_cookie_make(struct dtls_cookie_jar *j, uint64_t now_ms, const void *peer,
		 size_t peer_len, uint8_t out[DTLS_COOKIE_LEN])
{
	uint64_t slot = now_ms / j->slot_ms;

	if (rotate(j, slot) != 0)
		return -EIO;
	return mac(j->secret[0], slot, peer, peer_len, out);
}

bool
dtls_cookie_check(struct dtls_cookie_jar *j, uint64_t now_ms, const void *peer,
		  size_t peer_len, const uint8_t *cookie, size_t cookie_len)
{
	uint64_t slot = now_ms / j->slot_ms;
	uint8_t want[DTLS_COOKIE_LEN];
	bool ok = false;

	if (cookie_len != DTLS_COOKIE_LEN || rotate(j, slot) != 0)
		return false;
	/* Both compared every time: how long a check takes says nothing about which matched. */
	if (mac(j->secret[0], slot, peer, peer_len, want) == 0)
		ok |= CRYPTO_memcmp(want, cookie, DTLS_COOKIE_LEN) == 0;
	if (slot > 0 && mac(j->secret[1], slot - 1, peer, peer_len, want) == 0)
		ok |= CRYPTO_memcmp(want, cookie, DTLS_COOKIE_LEN) == 0;
	OPENSSL_cleanse(want, sizeof(want));
	return ok;
}
