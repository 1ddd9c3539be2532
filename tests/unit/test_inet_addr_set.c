/* SPDX-License-Identifier: BSD-3-Clause */
/* inet_addr_set: what was added is found, nothing else; bounded; both families. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "net/inet_addr_set.h"
#include "test_eal.h"
#include "test_inet.h"

static bool
has(const struct inet_addr_set *s, const char *addr)
{
	struct inet_addr a = test_addr(addr);

	return inet_addr_set_has(s, a.bytes, a.family);
}

static void
test_add_find(void **state)
{
	struct inet_addr_set s;
	struct inet_addr a;
	char buf[32];

	(void)state;
	assert_int_equal(inet_addr_set_create(&s, 200), 0);
	assert_false(has(&s, "198.18.0.1"));
	for (unsigned int i = 0; i < 100; i++) {
		snprintf(buf, sizeof(buf), "198.18.%u.%u", i / 10, i % 10);
		a = test_addr(buf);
		assert_int_equal(inet_addr_set_add(&s, &a), 0);
		snprintf(buf, sizeof(buf), "2001:2::%x", i);
		a = test_addr(buf);
		assert_int_equal(inet_addr_set_add(&s, &a), 0);
	}
	assert_int_equal(inet_addr_set_add(&s, &a), 0);	/* again: no second slot */
	assert_int_equal(s.count, 200);
	assert_true(has(&s, "198.18.9.9"));
	assert_true(has(&s, "2001:2::63"));
	assert_false(has(&s, "198.18.10.0"));
	assert_false(has(&s, "2001:2::64"));
	assert_false(has(&s, "::c612:0"));	/* 198.18.0.0's bytes, as IPv6 */
	/* The room asked for is the room there is (at most half full). */
	for (unsigned int i = 0; i < 1000; i++) {
		snprintf(buf, sizeof(buf), "198.19.%u.%u", i / 250, i % 250);
		a = test_addr(buf);
		if (inet_addr_set_add(&s, &a) != 0)
			break;
	}
	assert_int_equal(inet_addr_set_add(&s, &a), -ENOSPC);
	assert_true(s.count <= (s.mask + 1) / 2);
	assert_true(has(&s, "198.18.0.0"));
	inet_addr_set_free(&s);
	assert_false(has(&s, "198.18.0.0"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_find),
	};

	return cmocka_run_group_tests(tests, test_eal_setup, test_eal_teardown);
}
