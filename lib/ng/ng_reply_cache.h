/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_NG_REPLY_CACHE_H
#define SRTPFWD_NG_REPLY_CACHE_H

/*
 * The ng protocol's reply cache: a client that got no answer sends the same
 * `COOKIE SP BODY` again, and must get the first reply byte for byte, without
 * the command running twice (an offer allocating a second set of ports).
 *
 * Design: NG_REPLY_CACHE_ENTRIES fixed slots, replaced in ring order (the
 * oldest insert goes first), keyed by cookie and source address; a lookup
 * is a linear scan (256 short compares per datagram, on the control lcore).
 * An entry older than the caller's TTL no longer matches. A reply longer
 * than NG_REPLY_CACHE_REPLY_MAX is not cached. Pure code: no allocation
 * beyond the one struct the caller holds, no syscalls.
 */

#include <stddef.h>
#include <stdint.h>

#include "bencode.h"

#define NG_REPLY_CACHE_ENTRIES 256
/* Room for an answer with a few kilobytes of SDP. */
#define NG_REPLY_CACHE_REPLY_MAX 8192

/* Who sent a request: address bytes (IPv4 in the first 4), port, family. */
struct ng_source {
	uint8_t addr[16];
	uint16_t port;		/* as on the wire; only compared */
	uint8_t family;
};

struct ng_reply_entry {
	uint64_t stamp_ms;	/* when it was stored */
	struct ng_source src;
	uint8_t cookie_len;	/* 0: a free slot */
	char cookie[BENCODE_COOKIE_MAX];
	uint16_t reply_len;
	char reply[NG_REPLY_CACHE_REPLY_MAX];
};

struct ng_reply_cache {
	uint64_t ttl_ms;
	uint32_t next;		/* the slot the next insert takes */
	struct ng_reply_entry e[NG_REPLY_CACHE_ENTRIES];
};

/* Empty the cache; entries match for ttl_ms after they are stored. */
void
ng_reply_cache_init(struct ng_reply_cache *c, uint64_t ttl_ms);

/*
 * The cached reply to cookie from src, as *len bytes (the body after
 * `COOKIE SP`), or NULL when there is none younger than the TTL at now_ms.
 */
const char *
ng_reply_cache_find(const struct ng_reply_cache *c, const char *cookie, size_t cookie_len,
	const struct ng_source *src, uint64_t now_ms, size_t *len);

/*
 * Store a reply, replacing the oldest slot. Returns 0, or -EINVAL (cookie
 * empty or longer than BENCODE_COOKIE_MAX) or -ENOSPC (reply too long for a slot).
 */
int
ng_reply_cache_add(struct ng_reply_cache *c, const char *cookie, size_t cookie_len,
	const struct ng_source *src, uint64_t now_ms, const char *reply, size_t len);

#endif /* SRTPFWD_NG_REPLY_CACHE_H */
