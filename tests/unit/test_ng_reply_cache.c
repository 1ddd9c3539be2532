/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/ng/ng_reply_cache: a retransmitted cookie from the same source finds
 * the first reply byte for byte; another source or another cookie does not;
 * entries expire after the TTL; the ring replaces the oldest slot once all
 * are taken; oversized replies and bad cookies are refused.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ng/ng_reply_cache.h"

static struct ng_reply_cache cache;

static const char pong[] = "d6:result4:ponge";

static struct ng_source
src_v4(uint8_t last, uint16_t port)
{
	struct ng_source s = { .addr = { 127, 0, 0, last }, .port = port, .family = 2 };

	return s;
}

static void
test_hit_same_source(void **state)
{
	struct ng_source a = src_v4(1, 4000);
	const char *r;
	size_t len = 0;

	(void)state;
	ng_reply_cache_init(&cache, 30000);
	assert_null(ng_reply_cache_find(&cache, "c1", 2, &a, 0, &len));
	assert_int_equal(ng_reply_cache_add(&cache, "c1", 2, &a, 0, pong, strlen(pong)), 0);
	r = ng_reply_cache_find(&cache, "c1", 2, &a, 1000, &len);
	assert_non_null(r);
	assert_int_equal(len, strlen(pong));
	assert_memory_equal(r, pong, len);
}

static void
test_miss_other_key(void **state)
{
	struct ng_source a = src_v4(1, 4000), port = src_v4(1, 4001), host = src_v4(2, 4000);
	struct ng_source v6 = a;
	size_t len;

	(void)state;
	v6.family = 10;
	ng_reply_cache_init(&cache, 30000);
	assert_int_equal(ng_reply_cache_add(&cache, "c1", 2, &a, 0, pong, strlen(pong)), 0);
	assert_null(ng_reply_cache_find(&cache, "c1", 2, &port, 0, &len));
	assert_null(ng_reply_cache_find(&cache, "c1", 2, &host, 0, &len));
	assert_null(ng_reply_cache_find(&cache, "c1", 2, &v6, 0, &len));
	assert_null(ng_reply_cache_find(&cache, "c2", 2, &a, 0, &len));
	assert_null(ng_reply_cache_find(&cache, "c", 1, &a, 0, &len));
	assert_null(ng_reply_cache_find(&cache, "c1x", 3, &a, 0, &len));
}

static void
test_expiry(void **state)
{
	struct ng_source a = src_v4(1, 4000);
	const char *r;
	size_t len;

	(void)state;
	ng_reply_cache_init(&cache, 30000);
	assert_int_equal(ng_reply_cache_add(&cache, "c1", 2, &a, 1000, "d1:ai1ee", 8), 0);
	assert_non_null(ng_reply_cache_find(&cache, "c1", 2, &a, 30999, &len));
	assert_null(ng_reply_cache_find(&cache, "c1", 2, &a, 31000, &len));
	/* Stored again after expiry: the newer slot answers, not the stale one. */
	assert_int_equal(ng_reply_cache_add(&cache, "c1", 2, &a, 40000, pong, strlen(pong)), 0);
	r = ng_reply_cache_find(&cache, "c1", 2, &a, 40001, &len);
	assert_non_null(r);
	assert_int_equal(len, strlen(pong));
	assert_memory_equal(r, pong, len);
}

static void
test_ring_replacement(void **state)
{
	struct ng_source a = src_v4(1, 4000);
	char cookie[16];
	size_t len;
	int n;

	(void)state;
	ng_reply_cache_init(&cache, 30000);
	for (int i = 0; i < NG_REPLY_CACHE_ENTRIES; i++) {
		n = snprintf(cookie, sizeof(cookie), "k%d", i);
		assert_int_equal(ng_reply_cache_add(&cache, cookie, (size_t)n, &a, 0, cookie,
						    (size_t)n), 0);
	}
	for (int i = 0; i < NG_REPLY_CACHE_ENTRIES; i++) {
		n = snprintf(cookie, sizeof(cookie), "k%d", i);
		assert_non_null(ng_reply_cache_find(&cache, cookie, (size_t)n, &a, 0, &len));
	}
	/* One more: the oldest (k0) goes, k1 stays. */
	assert_int_equal(ng_reply_cache_add(&cache, "new", 3, &a, 0, pong, strlen(pong)), 0);
	assert_null(ng_reply_cache_find(&cache, "k0", 2, &a, 0, &len));
	assert_non_null(ng_reply_cache_find(&cache, "k1", 2, &a, 0, &len));
	assert_non_null(ng_reply_cache_find(&cache, "new", 3, &a, 0, &len));
}

static void
test_refused(void **state)
{
	static char big[NG_REPLY_CACHE_REPLY_MAX + 1];
	char cookie[BENCODE_COOKIE_MAX + 1];
	struct ng_source a = src_v4(1, 4000);
	size_t len;

	(void)state;
	ng_reply_cache_init(&cache, 30000);
	memset(cookie, 'x', sizeof(cookie));
	memset(big, 'b', sizeof(big));
	assert_int_equal(ng_reply_cache_add(&cache, "c1", 2, &a, 0, big, sizeof(big)), -ENOSPC);
	assert_null(ng_reply_cache_find(&cache, "c1", 2, &a, 0, &len));
	assert_int_equal(ng_reply_cache_add(&cache, "c1", 2, &a, 0, big, sizeof(big) - 1), 0);
	assert_non_null(ng_reply_cache_find(&cache, "c1", 2, &a, 0, &len));
	assert_int_equal(len, NG_REPLY_CACHE_REPLY_MAX);
	assert_int_equal(ng_reply_cache_add(&cache, cookie, sizeof(cookie), &a, 0, pong, 4),
			 -EINVAL);
	assert_int_equal(ng_reply_cache_add(&cache, cookie, 0, &a, 0, pong, 4), -EINVAL);
	assert_null(ng_reply_cache_find(&cache, cookie, 0, &a, 0, &len));
	assert_int_equal(ng_reply_cache_add(&cache, cookie, BENCODE_COOKIE_MAX, &a, 0, pong, 4),
			 0);
	assert_non_null(ng_reply_cache_find(&cache, cookie, BENCODE_COOKIE_MAX, &a, 0, &len));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hit_same_source),
		cmocka_unit_test(test_miss_other_key),
		cmocka_unit_test(test_expiry),
		cmocka_unit_test(test_ring_replacement),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
