/* SPDX-License-Identifier: BSD-3-Clause */
/* nd: NS/NA built, checked against an independent checksum, parsed back; bad ones refused. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <rte_mbuf.h>

#include "net/nd.h"
#include "net/pkt_parse.h"
#include "test_eal.h"
#include "test_frame.h"
#include "test_inet.h"

static const struct rte_ether_addr us = { { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 } };
static const struct rte_ether_addr peer = { { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 } };

/* The ICMPv6 message at l3 + 40 verifies against the reference sum. */
static void
assert_icmp6_cksum(const uint8_t *ip)
{
	uint16_t len = tf_get16(ip + 4);

	assert_int_equal(ref_l4_sum(6, ip + 8, ip + 24, 58, ip + 40, len), 0xffff);
}

static void
fix_icmp6_cksum(uint8_t *ip)
{
	uint16_t len = tf_get16(ip + 4);

	tf_put16(ip + 40 + 2, 0);
	tf_put16(ip + 40 + 2, (uint16_t)~ref_l4_sum(6, ip + 8, ip + 24, 58, ip + 40, len));
}

static void
test_solicited_node(void **state)
{
	struct inet_addr t = test_addr("2001:2::12:3456:789a"), g, want = test_addr("ff02::1:ff56:789a");

	(void)state;
	nd_solicited_node(&t, &g);
	assert_true(inet_addr_equal(&g, &want));
	t = test_addr("fe80::ffff:ffff");
	want = test_addr("ff02::1:ffff:ffff");
	nd_solicited_node(&t, &g);
	assert_true(inet_addr_equal(&g, &want));
}

static void
test_ns_build_parse(void **state)
{
	struct inet_addr src = test_addr("2001:2::1"), target = test_addr("2001:2::ab:cdef:1234");
	struct inet_addr group = test_addr("ff02::1:ffef:1234");

	(void)state;
	for (int vlan = 0; vlan <= 1; vlan++) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(test_pool());
		uint16_t l3 = vlan ? 18 : 14;
		struct pkt_info pi;
		struct nd_info nd;
		const uint8_t *p, *ip, *msg;

		assert_int_equal(nd_build_ns(m, vlan ? 42 : 0, &us, &src, &target), 0);
		p = rte_pktmbuf_mtod(m, const uint8_t *);
		ip = p + l3;
		msg = ip + 40;
		assert_int_equal(m->pkt_len, l3 + 40 + 32);
		assert_memory_equal(p, "\x33\x33\xff\xef\x12\x34", 6);
		assert_memory_equal(p + 6, us.addr_bytes, 6);
		if (vlan)
			assert_int_equal(tf_get16(p + 14), 42);
		assert_int_equal(tf_get16(p + l3 - 2), 0x86dd);
		assert_int_equal(ip[0], 0x60);
		assert_int_equal(tf_get16(ip + 4), 32);
		assert_int_equal(ip[6], 58);
		assert_int_equal(ip[7], 255);
		assert_memory_equal(ip + 8, src.bytes, 16);
		assert_memory_equal(ip + 24, group.bytes, 16);
		assert_int_equal(msg[0], 135);
		assert_int_equal(msg[1], 0);
		assert_memory_equal(msg + 4, "\0\0\0\0", 4);
		assert_memory_equal(msg + 8, target.bytes, 16);
		assert_int_equal(msg[24], 1);	/* source link-layer address */
		assert_int_equal(msg[25], 1);
		assert_memory_equal(msg + 26, us.addr_bytes, 6);
		assert_icmp6_cksum(ip);

		assert_int_equal(pkt_parse(m, &pi), PKT_KIND_ICMP6);
		assert_int_equal(pi.l2_multicast, 1);
		assert_int_equal(nd_parse(m, &pi, &nd), 0);
		assert_int_equal(nd.type, ND_TYPE_NS);
		assert_int_equal(nd.na_flags, 0);
		assert_true(nd.has_lladdr);
		assert_memory_equal(nd.lladdr.addr_bytes, us.addr_bytes, 6);
		assert_true(inet_addr_equal(&nd.target, &target));
		assert_true(inet_addr_equal(&nd.src, &src));
		rte_pktmbuf_free(m);
	}
}

static void
test_na_build_parse(void **state)
{
	struct inet_addr target = test_addr("2001:2::1"), dst = test_addr("2001:2::77");
	struct rte_mbuf *m = rte_pktmbuf_alloc(test_pool());
	uint8_t flags = ND_NA_FLAG_SOLICITED | ND_NA_FLAG_OVERRIDE;
	const uint8_t *p, *ip, *msg;
	struct pkt_info pi;
	struct nd_info nd;

	(void)state;
	assert_int_equal(nd_build_na(m, 0, &us, &peer, &target, &dst, flags), 0);
	p = rte_pktmbuf_mtod(m, const uint8_t *);
	ip = p + 14;
	msg = ip + 40;
	assert_int_equal(m->pkt_len, 14 + 40 + 32);
	assert_memory_equal(p, peer.addr_bytes, 6);
	assert_memory_equal(p + 6, us.addr_bytes, 6);
	assert_int_equal(ip[7], 255);
	assert_memory_equal(ip + 8, target.bytes, 16);
	assert_memory_equal(ip + 24, dst.bytes, 16);
	assert_int_equal(msg[0], 136);
	assert_int_equal(msg[4], 0x60);
	assert_memory_equal(msg + 5, "\0\0\0", 3);
	assert_memory_equal(msg + 8, target.bytes, 16);
	assert_int_equal(msg[24], 2);	/* target link-layer address */
	assert_int_equal(msg[25], 1);
	assert_memory_equal(msg + 26, us.addr_bytes, 6);
	assert_icmp6_cksum(ip);

	assert_int_equal(pkt_parse(m, &pi), PKT_KIND_ICMP6);
	assert_int_equal(nd_parse(m, &pi, &nd), 0);
	assert_int_equal(nd.type, ND_TYPE_NA);
	assert_int_equal(nd.na_flags, flags);
	assert_true(nd.has_lladdr);
	assert_memory_equal(nd.lladdr.addr_bytes, us.addr_bytes, 6);
	assert_true(inet_addr_equal(&nd.target, &target));
	assert_true(inet_addr_equal(&nd.src, &target));
	rte_pktmbuf_free(m);
}

/*
 * An NS frame in a byte array to edit: 14 + 40 + 24 + opt_len bytes;
 * the checksum is fixed after edit() unless keep_cksum.
 */
struct nd_case {
	uint8_t b[256];
	uint16_t len;
};

static void
ns_bytes(struct nd_case *c)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(test_pool());
	struct inet_addr src = test_addr("2001:2::2"), target = test_addr("2001:2::1");

	assert_int_equal(nd_build_ns(m, 0, &peer, &src, &target), 0);
	c->len = (uint16_t)m->pkt_len;
	memcpy(c->b, rte_pktmbuf_mtod(m, void *), c->len);
	rte_pktmbuf_free(m);
}

/* Replace the options (after the 24-byte message) with opts[0..n). */
static void
set_options(struct nd_case *c, const uint8_t *opts, uint16_t n)
{
	if (n != 0)
		memcpy(c->b + 14 + 40 + 24, opts, n);
	c->len = (uint16_t)(14 + 40 + 24 + n);
	tf_put16(c->b + 14 + 4, (uint16_t)(24 + n));
	fix_icmp6_cksum(c->b + 14);
}

static int
nd_parse_bytes(const struct nd_case *c, struct nd_info *nd)
{
	struct rte_mbuf *m = test_mbuf(c->b, c->len);
	struct pkt_info pi;
	int ret;

	assert_int_equal(pkt_parse(m, &pi), PKT_KIND_ICMP6);
	ret = nd_parse(m, &pi, nd);
	rte_pktmbuf_free(m);
	return ret;
}

static void
test_refused(void **state)
{
	struct nd_case c;
	struct nd_info nd;

	(void)state;
	ns_bytes(&c);
	assert_int_equal(nd_parse_bytes(&c, &nd), 0);

	/* Hop limit below 255: forwarded from off-link. */
	c.b[14 + 7] = 254;
	assert_int_equal(nd_parse_bytes(&c, &nd), -EINVAL);
	c.b[14 + 7] = 64;
	assert_int_equal(nd_parse_bytes(&c, &nd), -EINVAL);
	c.b[14 + 7] = 255;
	/* Checksum. */
	c.b[14 + 40 + 2] ^= 0x01;
	assert_int_equal(nd_parse_bytes(&c, &nd), -EINVAL);
	c.b[14 + 40 + 2] ^= 0x01;
	c.b[c.len - 1] ^= 0x80;
	assert_int_equal(nd_parse_bytes(&c, &nd), -EINVAL);
	c.b[c.len - 1] ^= 0x80;
	assert_int_equal(nd_parse_bytes(&c, &nd), 0);
	/* Code not 0. */
	c.b[14 + 40 + 1] = 1;
	fix_icmp6_cksum(c.b + 14);
	assert_int_equal(nd_parse_bytes(&c, &nd), -EINVAL);
	c.b[14 + 40 + 1] = 0;
	/* Multicast target. */
	c.b[14 + 40 + 8] = 0xff;
	fix_icmp6_cksum(c.b + 14);
	assert_int_equal(nd_parse_bytes(&c, &nd), -EINVAL);

	/* Options: zero length, running past the end, a stray byte. */
	ns_bytes(&c);
	set_options(&c, (const uint8_t[]){ 1, 0, 0, 0, 0, 0, 0, 0 }, 8);
	assert_int_equal(nd_parse_bytes(&c, &nd), -EINVAL);
	set_options(&c, (const uint8_t[]){ 1, 2, 2, 0, 0, 0, 0, 9 }, 8);
	assert_int_equal(nd_parse_bytes(&c, &nd), -EINVAL);
	set_options(&c, (const uint8_t[]){ 1, 1, 2, 0, 0, 0, 0, 9, 14 }, 9);
	assert_int_equal(nd_parse_bytes(&c, &nd), -EINVAL);
	set_options(&c, (const uint8_t[]){ 1, 1, 2, 0, 0, 0, 0, 9, 14, 1 }, 10);
	assert_int_equal(nd_parse_bytes(&c, &nd), -EINVAL);
	/* Shorter than the fixed message. */
	set_options(&c, NULL, 0);
	c.len = 14 + 40 + 20;
	tf_put16(c.b + 14 + 4, 20);
	fix_icmp6_cksum(c.b + 14);
	assert_int_equal(nd_parse_bytes(&c, &nd), -EINVAL);
}

static void
test_options_accepted(void **state)
{
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 9 };
	struct nd_case c;
	struct nd_info nd;

	(void)state;
	ns_bytes(&c);
	/* No option: valid, no link-layer address. */
	set_options(&c, NULL, 0);
	assert_int_equal(nd_parse_bytes(&c, &nd), 0);
	assert_false(nd.has_lladdr);
	/* An unknown option first, then the source link-layer address. */
	set_options(&c, (const uint8_t[]){ 14, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
					   1, 1, 2, 0, 0, 0, 0, 9 }, 24);
	assert_int_equal(nd_parse_bytes(&c, &nd), 0);
	assert_true(nd.has_lladdr);
	assert_memory_equal(nd.lladdr.addr_bytes, mac, 6);
	/* A target link-layer option in an NS is not the sender's address. */
	set_options(&c, (const uint8_t[]){ 2, 1, 2, 0, 0, 0, 0, 9 }, 8);
	assert_int_equal(nd_parse_bytes(&c, &nd), 0);
	assert_false(nd.has_lladdr);
}

static void
test_other_icmp6(void **state)
{
	struct nd_case c;
	struct nd_info nd;

	(void)state;
	ns_bytes(&c);
	c.b[14 + 40] = 128;	/* echo request */
	c.b[14 + 7] = 64;	/* other types need no hop limit 255 */
	fix_icmp6_cksum(c.b + 14);
	assert_int_equal(nd_parse_bytes(&c, &nd), -ENOTSUP);
	assert_int_equal(nd.type, 0);
	/* ... but a valid checksum. */
	c.b[14 + 40 + 3] ^= 1;
	assert_int_equal(nd_parse_bytes(&c, &nd), -EINVAL);
}

static void
test_no_room(void **state)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(test_pool());
	struct inet_addr src = test_addr("2001:2::1"), target = test_addr("2001:2::2");

	(void)state;
	m->data_off = (uint16_t)(m->buf_len - 85);	/* one short of 86 */
	assert_int_equal(nd_build_ns(m, 0, &us, &src, &target), -ENOSPC);
	assert_int_equal(nd_build_na(m, 0, &us, &peer, &src, &target, 0), -ENOSPC);
	assert_int_equal(m->pkt_len, 0);
	rte_pktmbuf_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_solicited_node),
		cmocka_unit_test(test_ns_build_parse),
		cmocka_unit_test(test_na_build_parse),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_options_accepted),
		cmocka_unit_test(test_other_icmp6),
		cmocka_unit_test(test_no_room),
	};

	return cmocka_run_group_tests(tests, test_eal_setup, test_eal_teardown);
}
