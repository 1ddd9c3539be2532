/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * inet_addr: parse and format addresses, prefixes and endpoints; prefix
 * matching; the martian classifier and subnet broadcasts.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <rte_common.h>

#include "net/inet_addr.h"

static void
test_addr_parse_format(void **state)
{
	static const struct {
		const char *in;
		uint8_t family;
		const char *out;
	} ok[] = {
		{ "198.18.0.1", 4, "198.18.0.1" },
		{ "0.0.0.0", 4, "0.0.0.0" },
		{ "255.255.255.255", 4, "255.255.255.255" },
		{ "2001:2::1", 6, "2001:2::1" },
		{ "2001:0002:0000:0000:0000:0000:0000:0001", 6, "2001:2::1" },
		{ "::", 6, "::" },
		{ "::ffff:198.18.0.1", 6, "::ffff:198.18.0.1" },
		{ "FE80::A", 6, "fe80::a" },
	};
	static const uint8_t v4[16] = { 198, 18, 0, 1 };
	static const uint8_t v6[16] = { 0x20, 0x01, 0x00, 0x02, [15] = 1 };
	struct inet_addr a;
	char buf[INET_ADDR_STRLEN];

	(void)state;
	for (unsigned int i = 0; i < RTE_DIM(ok); i++) {
		memset(&a, 0xee, sizeof(a));
		assert_int_equal(inet_addr_parse(ok[i].in, &a), 0);
		assert_int_equal(a.family, ok[i].family);
		assert_string_equal(inet_addr_format(&a, buf, sizeof(buf)), ok[i].out);
	}
	/* IPv4 sits in the first 4 bytes, the rest zero. */
	assert_int_equal(inet_addr_parse("198.18.0.1", &a), 0);
	assert_memory_equal(a.bytes, v4, 16);
	assert_int_equal(inet_addr_parse("2001:2::1", &a), 0);
	assert_memory_equal(a.bytes, v6, 16);
	/* No family formats as "-". */
	memset(&a, 0, sizeof(a));
	assert_string_equal(inet_addr_format(&a, buf, sizeof(buf)), "-");
}

static void
test_addr_parse_bad(void **state)
{
	static const char *const bad[] = {
		"", " ", "198.18.0", "198.18.0.256", "198.18.0.1 ", " 198.18.0.1", "198.18.0.1/24",
		"198.18.0.1:80", "1.2.3.4.5", "2001:2::1::1", "2001:2::g", "[2001:2::1]",
		"2001:2::1%eth0", "localhost", "0x01020304", "12345:: ",
	};
	struct inet_addr a;

	(void)state;
	for (unsigned int i = 0; i < RTE_DIM(bad); i++) {
		memset(&a, 0xee, sizeof(a));
		assert_int_equal(inet_addr_parse(bad[i], &a), -EINVAL);
		assert_int_equal(a.family, 0);
	}
	assert_int_equal(inet_addr_parse(NULL, &a), -EINVAL);
}

/* Formatting into a short buffer truncates and always terminates. */
static void
test_format_short_buffer(void **state)
{
	struct inet_addr a;
	struct inet_endpoint ep;
	char buf[8];

	(void)state;
	assert_int_equal(inet_addr_parse("198.18.100.200", &a), 0);
	memset(buf, 'x', sizeof(buf));
	inet_addr_format(&a, buf, 5);
	assert_int_equal(buf[4], '\0');
	assert_string_equal(buf, "198.");
	assert_int_equal(inet_addr_parse("2001:2::1234", &a), 0);
	memset(buf, 'x', sizeof(buf));
	inet_addr_format(&a, buf, sizeof(buf));
	assert_string_equal(buf, "2001:2:");
	memset(buf, 'x', sizeof(buf));
	assert_ptr_equal(inet_addr_format(&a, buf, 0), buf);
	assert_int_equal(buf[0], 'x');	/* nothing written */
	assert_int_equal(inet_endpoint_parse("[2001:2::1]:5004", &ep), 0);
	memset(buf, 'x', sizeof(buf));
	inet_endpoint_format(&ep, buf, sizeof(buf));
	assert_string_equal(buf, "[2001:2");
}

static void
test_prefix_parse(void **state)
{
	static const struct {
		const char *in;
		uint8_t family;
		uint8_t len;
	} ok[] = {
		{ "198.18.0.0/15", 4, 15 }, { "0.0.0.0/0", 4, 0 }, { "198.18.0.1/32", 4, 32 },
		{ "2001:2::/48", 6, 48 }, { "::/0", 6, 0 }, { "2001:2::1/128", 6, 128 },
		{ "198.18.0.1/24", 4, 24 },	/* host bits allowed: an interface address */
	};
	static const char *const bad[] = {
		"198.18.0.0", "198.18.0.0/", "198.18.0.0/33", "198.18.0.0/-1", "198.18.0.0/8x",
		"198.18.0.0/ 8", "198.18.0.0/+8", "/8", "2001:2::/129", "2001:2::/1000",
		"2001:2::/4294967304", "x/8", "198.18.0.0//8", "198.18.0.0/8/8",
		"2001:2:0:0:0:0:0:0:0000000000000000000000000000/64",
	};
	struct inet_prefix p;
	char buf[INET_ADDR_STRLEN];

	(void)state;
	for (unsigned int i = 0; i < RTE_DIM(ok); i++) {
		assert_int_equal(inet_prefix_parse(ok[i].in, &p), 0);
		assert_int_equal(p.addr.family, ok[i].family);
		assert_int_equal(p.len, ok[i].len);
	}
	assert_int_equal(inet_prefix_parse("2001:2::5/64", &p), 0);
	assert_string_equal(inet_addr_format(&p.addr, buf, sizeof(buf)), "2001:2::5");
	for (unsigned int i = 0; i < RTE_DIM(bad); i++)
		assert_int_equal(inet_prefix_parse(bad[i], &p), -EINVAL);
	assert_int_equal(inet_prefix_parse(NULL, &p), -EINVAL);
}

static void
test_endpoint_parse_format(void **state)
{
	static const struct {
		const char *in;
		uint8_t family;
		uint16_t port;
		const char *out;
	} ok[] = {
		{ "198.18.0.1:5004", 4, 5004, "198.18.0.1:5004" },
		{ "198.18.0.1:1", 4, 1, "198.18.0.1:1" },
		{ "198.18.0.1:65535", 4, 65535, "198.18.0.1:65535" },
		{ "[2001:2::1]:5004", 6, 5004, "[2001:2::1]:5004" },
		{ "[::]:65535", 6, 65535, "[::]:65535" },
		{ "[2001:2:ffff:ffff:ffff:ffff:ffff:ffff]:1", 6, 1,
		  "[2001:2:ffff:ffff:ffff:ffff:ffff:ffff]:1" },
	};
	struct inet_endpoint ep;
	char buf[INET_ENDPOINT_STRLEN];

	(void)state;
	for (unsigned int i = 0; i < RTE_DIM(ok); i++) {
		memset(&ep, 0xee, sizeof(ep));
		assert_int_equal(inet_endpoint_parse(ok[i].in, &ep), 0);
		assert_int_equal(ep.family, ok[i].family);
		assert_int_equal(ep.reserved, 0);
		assert_int_equal(rte_be_to_cpu_16(ep.port), ok[i].port);
		assert_string_equal(inet_endpoint_format(&ep, buf, sizeof(buf)), ok[i].out);
	}
	/* The key layout: v4 bytes then zeros, family, reserved, port (network order). */
	assert_int_equal(inet_endpoint_parse("198.18.0.1:5004", &ep), 0);
	assert_int_equal(sizeof(ep), 20);
	assert_memory_equal(&ep, ((const uint8_t[20]){ 198, 18, 0, 1, [16] = 4, [17] = 0,
						       [18] = 0x13, [19] = 0x8c }), 20);
	memset(&ep, 0, sizeof(ep));
	assert_string_equal(inet_endpoint_format(&ep, buf, sizeof(buf)), "-");
	/* The longest endpoint fits INET_ENDPOINT_STRLEN. */
	assert_int_equal(inet_endpoint_parse("[ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255]:65535",
					     &ep), 0);
	inet_endpoint_format(&ep, buf, sizeof(buf));
	assert_string_equal(buf, "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:65535");
}

static void
test_endpoint_parse_bad(void **state)
{
	static const char *const bad[] = {
		"198.18.0.1:0", "198.18.0.1:65536", "198.18.0.1:99999999999999999999",
		"198.18.0.1:-1", "198.18.0.1:+80", "198.18.0.1: 80", "198.18.0.1:80 ",
		"198.18.0.1:", "198.18.0.1", "198.18.0.1:80x", "198.18.0.1:0x50",
		"[198.18.0.1]:80", "2001:2::1:80", "2001:2::1", "[2001:2::1]", "[2001:2::1]:",
		"[2001:2::1:80", "2001:2::1]:80", "[2001:2::1]80", "[2001:2::1]:0",
		"[2001:2::1]:65536", "[]:80", ":80", "[", "]", "", "garbage", "host:80",
		"[2001:2::1]:80]", "[[2001:2::1]]:80",
		"[2001:0002:0000:0000:0000:0000:0000:0000:0001]:80",
		"[2001:2:0:0:0:0:0:0:0000000000000000000000000000]:80",
	};
	struct inet_endpoint ep;

	(void)state;
	for (unsigned int i = 0; i < RTE_DIM(bad); i++) {
		memset(&ep, 0xee, sizeof(ep));
		if (inet_endpoint_parse(bad[i], &ep) != -EINVAL)
			fail_msg("accepted '%s'", bad[i]);
		assert_int_equal(ep.family, 0);
	}
	assert_int_equal(inet_endpoint_parse(NULL, &ep), -EINVAL);
}

static bool
contains(const char *prefix, const char *addr)
{
	struct inet_prefix p;
	struct inet_addr a;

	assert_int_equal(inet_prefix_parse(prefix, &p), 0);
	assert_int_equal(inet_addr_parse(addr, &a), 0);
	return inet_prefix_contains(&p, &a);
}

static void
test_prefix_contains(void **state)
{
	(void)state;
	/* /0 holds its whole family and nothing of the other. */
	assert_true(contains("0.0.0.0/0", "255.255.255.255"));
	assert_true(contains("0.0.0.0/0", "0.0.0.0"));
	assert_false(contains("0.0.0.0/0", "::"));
	assert_true(contains("::/0", "ffff::1"));
	assert_false(contains("::/0", "0.0.0.0"));
	/* Host routes. */
	assert_true(contains("198.18.0.1/32", "198.18.0.1"));
	assert_false(contains("198.18.0.1/32", "198.18.0.0"));
	assert_false(contains("198.18.0.1/32", "198.18.0.3"));
	assert_true(contains("2001:2::1/128", "2001:2::1"));
	assert_false(contains("2001:2::1/128", "2001:2::"));
	assert_false(contains("2001:2::1/128", "2001:2::3"));
	/* Byte boundaries. */
	assert_true(contains("198.18.0.0/24", "198.18.0.255"));
	assert_false(contains("198.18.0.0/24", "198.18.1.0"));
	assert_true(contains("2001:2::/48", "2001:2:0:ffff:ffff:ffff:ffff:ffff"));
	assert_false(contains("2001:2::/48", "2001:2:1::"));
	/* Odd lengths: the last partial byte is masked. */
	assert_true(contains("198.18.0.0/15", "198.19.255.255"));
	assert_false(contains("198.18.0.0/15", "198.20.0.0"));
	assert_false(contains("198.18.0.0/15", "198.17.255.255"));
	assert_true(contains("198.18.0.1/15", "198.19.0.0"));	/* host bits ignored */
	assert_true(contains("128.0.0.0/1", "255.0.0.0"));
	assert_false(contains("128.0.0.0/1", "127.255.255.255"));
	assert_true(contains("198.18.0.128/25", "198.18.0.255"));
	assert_false(contains("198.18.0.128/25", "198.18.0.127"));
	assert_true(contains("198.18.0.0/31", "198.18.0.1"));
	assert_false(contains("198.18.0.0/31", "198.18.0.2"));
	assert_true(contains("2001:2::/127", "2001:2::1"));
	assert_false(contains("2001:2::/127", "2001:2::2"));
	assert_true(contains("2001:2::/33", "2001:2:7fff::"));
	assert_false(contains("2001:2::/33", "2001:2:8000::"));
	assert_true(contains("fe80::/10", "febf::1"));
	assert_false(contains("fe80::/10", "fec0::1"));
	/* Same bytes, other family. */
	assert_false(contains("198.18.0.0/15", "c612::"));
}

static void
test_martian(void **state)
{
	static const struct {
		const char *addr;
		enum inet_martian want;
	} cases[] = {
		{ "198.18.0.1", INET_ADDR_OK },
		{ "1.0.0.0", INET_ADDR_OK },
		{ "223.255.255.255", INET_ADDR_OK },
		{ "10.0.0.1", INET_ADDR_OK },		/* private: behind a NAT, still a peer */
		{ "169.254.1.1", INET_ADDR_OK },	/* link-local: an on-link peer */
		{ "0.0.0.0", INET_MARTIAN_UNSPECIFIED },
		{ "0.1.2.3", INET_MARTIAN_THIS_NETWORK },
		{ "127.0.0.1", INET_MARTIAN_LOOPBACK },
		{ "127.255.255.254", INET_MARTIAN_LOOPBACK },
		{ "224.0.0.1", INET_MARTIAN_MULTICAST },
		{ "239.255.255.255", INET_MARTIAN_MULTICAST },
		{ "240.0.0.1", INET_MARTIAN_RESERVED },
		{ "255.255.255.254", INET_MARTIAN_RESERVED },
		{ "255.255.255.255", INET_MARTIAN_BROADCAST },
		{ "2001:2::1", INET_ADDR_OK },
		{ "fe80::1", INET_ADDR_OK },
		{ "64:ff9b::198.18.0.1", INET_ADDR_OK },
		{ "::1:0:0:1", INET_ADDR_OK },
		{ "::", INET_MARTIAN_UNSPECIFIED },
		{ "::1", INET_MARTIAN_LOOPBACK },
		{ "ff02::1", INET_MARTIAN_MULTICAST },
		{ "ff0e::1:2", INET_MARTIAN_MULTICAST },
		{ "::ffff:198.18.0.1", INET_MARTIAN_V4_MAPPED },
		{ "::ffff:0.0.0.0", INET_MARTIAN_V4_MAPPED },
		{ "::198.18.0.1", INET_MARTIAN_V4_COMPAT },
		{ "::2", INET_MARTIAN_V4_COMPAT },
	};
	struct inet_addr none = { .family = 0 };

	(void)state;
	for (unsigned int i = 0; i < RTE_DIM(cases); i++) {
		struct inet_addr a;

		assert_int_equal(inet_addr_parse(cases[i].addr, &a), 0);
		if (inet_addr_martian(&a) != cases[i].want)
			fail_msg("%s: %s, expected %s", cases[i].addr,
				 inet_martian_name(inet_addr_martian(&a)),
				 inet_martian_name(cases[i].want));
	}
	assert_int_equal(inet_addr_martian(&none), INET_MARTIAN_UNSPECIFIED);
	assert_string_equal(inet_martian_name(INET_MARTIAN_MULTICAST), "multicast");
	assert_string_equal(inet_martian_name((enum inet_martian)99), "invalid");
}

static void
test_prefix_broadcast(void **state)
{
	static const struct {
		const char *prefix;
		const char *bcast;	/* NULL: none */
	} cases[] = {
		{ "198.18.0.1/24", "198.18.0.255" },
		{ "198.18.8.1/30", "198.18.8.3" },
		{ "198.19.0.0/15", "198.19.255.255" },
		{ "10.0.0.0/8", "10.255.255.255" },
		{ "198.18.0.4/31", NULL },	/* RFC 3021: both addresses are hosts */
		{ "198.18.0.4/32", NULL },
		{ "2001:2::1/64", NULL },
	};
	char buf[INET_ADDR_STRLEN];

	(void)state;
	for (unsigned int i = 0; i < RTE_DIM(cases); i++) {
		struct inet_prefix p;
		struct inet_addr b;

		assert_int_equal(inet_prefix_parse(cases[i].prefix, &p), 0);
		if (cases[i].bcast == NULL) {
			assert_false(inet_prefix_broadcast(&p, &b));
			continue;
		}
		assert_true(inet_prefix_broadcast(&p, &b));
		assert_string_equal(inet_addr_format(&b, buf, sizeof(buf)), cases[i].bcast);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addr_parse_format),
		cmocka_unit_test(test_addr_parse_bad),
		cmocka_unit_test(test_format_short_buffer),
		cmocka_unit_test(test_prefix_parse),
		cmocka_unit_test(test_endpoint_parse_format),
		cmocka_unit_test(test_endpoint_parse_bad),
		cmocka_unit_test(test_prefix_contains),
		cmocka_unit_test(test_martian),
		cmocka_unit_test(test_prefix_broadcast),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
