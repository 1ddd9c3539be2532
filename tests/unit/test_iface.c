/* SPDX-License-Identifier: BSD-3-Clause */
/* iface: own addresses, next hops, remotes refused. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "iface/iface.h"
#include "test_inet.h"

static struct iface ifc;

static int
setup(void **state)
{
	static const char *const addrs[] = {
		"198.18.0.1/24", "2001:2::1/64", "198.18.8.1/30", "2001:2:0:9::1/127",
	};

	(void)state;
	memset(&ifc, 0, sizeof(ifc));
	for (unsigned int i = 0; i < 4; i++)
		assert_int_equal(inet_prefix_parse(addrs[i], &ifc.addrs[ifc.n_addrs++]), 0);
	return 0;
}

static void
assert_hop(const char *dst, const char *want)
{
	struct inet_addr d = test_addr(dst), hop, w = test_addr(want);

	memset(&hop, 0xee, sizeof(hop));
	assert_int_equal(iface_next_hop(&ifc, &d, &hop), 0);
	assert_true(inet_addr_equal(&hop, &w));
}

static void
assert_unreachable(const char *dst)
{
	struct inet_addr d = test_addr(dst), hop;

	assert_int_equal(iface_next_hop(&ifc, &d, &hop), -ENETUNREACH);
}

static void
test_next_hop(void **state)
{
	(void)state;
	/* No gateways: only on-link destinations. */
	assert_hop("198.18.0.77", "198.18.0.77");
	assert_hop("198.18.0.255", "198.18.0.255");
	assert_hop("198.18.8.3", "198.18.8.3");
	assert_hop("2001:2::ffff", "2001:2::ffff");
	assert_hop("2001:2:0:9::", "2001:2:0:9::");
	assert_unreachable("198.18.1.1");
	assert_unreachable("198.18.8.4");
	assert_unreachable("2001:2:0:9::2");
	assert_unreachable("2001:2:0:1::1");

	/* An IPv4 gateway serves IPv4 only. */
	ifc.gateway4 = test_addr("198.18.0.254");
	assert_hop("198.18.1.1", "198.18.0.254");
	assert_hop("8.8.8.8", "198.18.0.254");
	assert_hop("198.18.0.9", "198.18.0.9");
	assert_unreachable("2001:2:0:1::1");
	ifc.gateway6 = test_addr("2001:2::fe");
	assert_hop("2001:2:0:1::1", "2001:2::fe");
	assert_hop("2001:2::5", "2001:2::5");
	assert_hop("198.18.1.1", "198.18.0.254");
}

static void
test_addr_by_family(void **state)
{
	struct inet_addr a;

	(void)state;
	a = test_addr("198.18.0.1");
	assert_true(inet_addr_equal(iface_addr(&ifc, INET_FAMILY_V4, 0), &a));
	a = test_addr("198.18.8.1");
	assert_true(inet_addr_equal(iface_addr(&ifc, INET_FAMILY_V4, 1), &a));
	assert_null(iface_addr(&ifc, INET_FAMILY_V4, 2));
	a = test_addr("2001:2::1");
	assert_true(inet_addr_equal(iface_addr(&ifc, INET_FAMILY_V6, 0), &a));
	a = test_addr("2001:2:0:9::1");
	assert_true(inet_addr_equal(iface_addr(&ifc, INET_FAMILY_V6, 1), &a));
	assert_null(iface_addr(&ifc, INET_FAMILY_V6, 2));
	assert_null(iface_addr(&ifc, 0, 0));
	/* Pointers into the interface, not copies. */
	assert_ptr_equal(iface_addr(&ifc, INET_FAMILY_V6, 1), &ifc.addrs[3].addr);
}

static void
test_owns_addr(void **state)
{
	struct inet_addr a;

	(void)state;
	a = test_addr("198.18.0.1");
	assert_true(iface_owns_addr(&ifc, &a));
	a = test_addr("198.18.0.2");
	assert_false(iface_owns_addr(&ifc, &a));
	a = test_addr("2001:2:0:9::1");
	assert_true(iface_owns_addr(&ifc, &a));
	/* Same bytes, other family. */
	memset(&a, 0, sizeof(a));
	a.bytes[0] = 198;
	a.bytes[1] = 18;
	a.bytes[3] = 1;
	a.family = INET_FAMILY_V6;
	assert_false(iface_owns_addr(&ifc, &a));
}

/* Martians, our own addresses, our subnets' broadcasts: never a remote; the rest may be. */
static void
test_remote_refused(void **state)
{
	static const struct {
		const char *addr;
		const char *why;	/* NULL: accepted */
	} cases[] = {
		{ "198.18.0.2", NULL },
		{ "198.19.0.255", NULL },	/* another subnet's .255 is a host for all we know */
		{ "2001:2::ff", NULL },
		{ "198.18.0.1", "an address of this box" },
		{ "2001:2:0:9::1", "an address of this box" },
		{ "198.18.0.255", "a subnet broadcast address" },
		{ "198.18.8.3", "a subnet broadcast address" },	/* of the /30 */
		{ "255.255.255.255", "the limited broadcast address" },
		{ "224.0.0.1", "multicast" },
		{ "ff02::1", "multicast" },
		{ "127.0.0.1", "loopback" },
		{ "::1", "loopback" },
		{ "0.0.0.0", "unspecified" },
		{ "::", "unspecified" },
		{ "::ffff:198.18.0.2", "IPv4-mapped (use the IPv4 address)" },
	};

	(void)state;
	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct inet_addr a = test_addr(cases[i].addr);
		const char *why = iface_remote_refused(&ifc, 1, &a);

		if (cases[i].why == NULL)
			assert_null(why);
		else
			assert_string_equal(why, cases[i].why);
	}
	/* No interfaces: only the martians are refused. */
	{
		struct inet_addr own = test_addr("198.18.0.1");

		assert_null(iface_remote_refused(&ifc, 0, &own));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_next_hop, setup),
		cmocka_unit_test_setup(test_addr_by_family, setup),
		cmocka_unit_test_setup(test_owns_addr, setup),
		cmocka_unit_test_setup(test_remote_refused, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
