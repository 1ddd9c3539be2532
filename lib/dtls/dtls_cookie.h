/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_DTLS_COOKIE_H
#define SRTPFWD_DTLS_COOKIE_H

/*
 * HelloVerifyRequest cookies (RFC 6347 §4.2.1): proof that a ClientHello's
 * source receives what is sent to it, kept without any per-peer state.
 *
 *   cookie = first 16 bytes of HMAC-SHA256(secret[slot], slot || peer)
 *
 * where slot is the time divided by the slot length and peer the caller's
 * bytes naming the datagram's 5-tuple. Each slot has its own secret from
 * the CSPRNG (RAND_priv_bytes); the previous slot's is kept, so a cookie
 * is valid for one to two slots and secrets rotate by themselves. Checks
 * compare in constant time. Control lcore only (one thread); nothing here
 * prints a secret.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DTLS_COOKIE_LEN 16
#define DTLS_COOKIE_SLOT_MS_DEFAULT 30000

struct dtls_cookie_jar;

/* slot_ms 0: 30 s. NULL with rte_errno set (ENOMEM, EIO: no random bytes). */
struct dtls_cookie_jar *dtls_cookie_jar_create(uint32_t slot_ms);
void dtls_cookie_jar_free(struct dtls_cookie_jar *j);

/* The cookie for peer now. 0, or -EIO (no random bytes for a new slot, HMAC failed). */
int dtls_cookie_make(struct dtls_cookie_jar *j, uint64_t now_ms, const void *peer,
		     size_t peer_len, uint8_t out[DTLS_COOKIE_LEN]);

/* Whether cookie is one made for peer in this slot or the previous one. */
bool dtls_cookie_check(struct dtls_cookie_jar *j, uint64_t now_ms, const void *peer,
		       size_t peer_len, const uint8_t *cookie, size_t cookie_len);

#endif /* SRTPFWD_DTLS_COOKIE_H */
