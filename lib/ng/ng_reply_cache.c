/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>

#include "ng_reply_cache.h"

void
ng_reply_cache_init(struct ng_reply_cache *c, uint64_t ttl_ms)
{
	c->ttl_ms = ttl_ms;
	c->next = 0;
	for (uint32_t i = 0; i < NG_REPLY_CACHE_ENTRIES; i++)
		c->e[i].cookie_len = 0;
}

static int
source_equal(const struct ng_source *a, const struct ng_source *b)
{
	return a->family == b->family && a->port == b->port &&
	       memcmp(a->addr, b->addr, sizeof(a->addr)) == 0;
}

const char *
ng_reply_cache_find(const struct ng_reply_cache *c, const char *cookie, size_t cookie_len,
	const struct ng_source *src, uint64_t now_ms, size_t *len)
{
	if (cookie_len == 0 || cookie_len > BENCODE_COOKIE_MAX)
		return NULL;
	for (uint32_t i = 0; i < NG_REPLY_CACHE_ENTRIES; i++) {
		const struct ng_reply_entry *e = &c->e[i];

		if (e->cookie_len != cookie_len || memcmp(e->cookie, cookie, cookie_len) != 0 ||
		    !source_equal(&e->src, src))
			continue;
		/* Expired: a later slot may hold the same key stored again. */
		if (now_ms >= e->stamp_ms && now_ms - e->stamp_ms >= c->ttl_ms)
			continue;
		*len = e->reply_len;
		return e->reply;
	}
	return NULL;
}

int
ng_reply_cache_add(struct ng_reply_cache *c, const char *cookie, size_t cookie_len,
	const struct ng_source *src, uint64_t now_ms, const char *reply, size_t len)
{
	struct ng_reply_entry *e;

	if (cookie_len == 0 || cookie_len > BENCODE_COOKIE_MAX)
		return -EINVAL;
	if (len > NG_REPLY_CACHE_REPLY_MAX)
		return -ENOSPC;
	e = &c->e[c->next];
	c->next = (c->next + 1) % NG_REPLY_CACHE_ENTRIES;
	e->stamp_ms = now_ms;
	e->src = *src;
	e->cookie_len = (uint8_t)cookie_len;
	memcpy(e->cookie, cookie, cookie_len);
	e->reply_len = (uint16_t)len;
	memcpy(e->reply, reply, len);
	return 0;
}
