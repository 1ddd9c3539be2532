/* SPDX-License-Identifier: BSD-3-Clause */
/* arp: requests and replies built, checked byte by byte, parsed back; bad ones refused. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <rte_mbuf.h>

#include "net/arp.h"
#include "net/pkt_parse.h"
#include "test_eal.h"
#include "test_frame.h"
#include "test_inet.h"

static const struct rte_ether_addr us = { { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 } };
static const struct rte_ether_addr peer = { { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 } };

static struct rte_mbuf *
build(uint16_t op, uint16_t vlan)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(test_pool());
	struct inet_addr spa = test_addr("198.18.0.1"), tpa = test_addr("198.18.0.2");

	assert_non_null(m);
	assert_int_equal(arp_build(m, op, vlan, &us, &spa, &peer, &tpa), 0);
	return m;
}

static void
test_build_parse(void **state)
{
	static const uint8_t body_req[28] = {
		0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01,
		0x02, 0, 0, 0, 0, 0x01, 198, 18, 0, 1,
		0, 0, 0, 0, 0, 0, 198, 18, 0, 2,
	};
	static const uint8_t body_rep[28] = {
		0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x02,
		0x02, 0, 0, 0, 0, 0x01, 198, 18, 0, 1,
		0x02, 0, 0, 0, 0, 0x02, 198, 18, 0, 2,
	};
	struct inet_addr spa = test_addr("198.18.0.1"), tpa = test_addr("198.18.0.2");

	(void)state;
	for (int vlan = 0; vlan <= 1; vlan++) {
		for (uint16_t op = RTE_ARP_OP_REQUEST; op <= RTE_ARP_OP_REPLY; op++) {
			struct rte_mbuf *m = build(op, vlan ? 300 : 0);
			const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
			uint16_t l3 = vlan ? 18 : 14;
			struct pkt_info pi;
			struct arp_info a;

			assert_int_equal(m->pkt_len, l3 + 28);
			if (op == RTE_ARP_OP_REQUEST)
				assert_memory_equal(p, "\xff\xff\xff\xff\xff\xff", 6);
			else
				assert_memory_equal(p, peer.addr_bytes, 6);
			assert_memory_equal(p + 6, us.addr_bytes, 6);
			if (vlan) {
				assert_int_equal(tf_get16(p + 12), 0x8100);
				assert_int_equal(tf_get16(p + 14), 300);
			}
			assert_int_equal(tf_get16(p + l3 - 2), 0x0806);
			assert_memory_equal(p + l3, op == RTE_ARP_OP_REQUEST ? body_req : body_rep,
					    28);

			assert_int_equal(pkt_parse(m, &pi), PKT_KIND_ARP);
			assert_int_equal(pi.l3_off, l3);
			assert_int_equal(pi.vlan_id, vlan ? 300 : 0);
			memset(&a, 0xee, sizeof(a));
			assert_int_equal(arp_parse(m, pi.l3_off, &a), 0);
			assert_int_equal(a.op, op);
			assert_memory_equal(a.sha.addr_bytes, us.addr_bytes, 6);
			assert_true(inet_addr_equal(&a.spa, &spa));
			assert_true(inet_addr_equal(&a.tpa, &tpa));
			rte_pktmbuf_free(m);
		}
	}
}

/* Modify byte off of the ARP body (l3 = 14) and expect a refusal. */
static void
assert_refused(unsigned int off, const uint8_t *bytes, unsigned int n)
{
	struct rte_mbuf *m = build(RTE_ARP_OP_REQUEST, 0);
	struct arp_info a;

	memcpy(rte_pktmbuf_mtod_offset(m, uint8_t *, 14 + off), bytes, n);
	assert_int_equal(arp_parse(m, 14, &a), -EINVAL);
	rte_pktmbuf_free(m);
}

static void
test_refused(void **state)
{
	(void)state;
	assert_refused(0, (const uint8_t[]){ 0x00, 0x06 }, 2);	/* IEEE 802 hardware */
	assert_refused(0, (const uint8_t[]){ 0x00, 0x00 }, 2);
	assert_refused(2, (const uint8_t[]){ 0x86, 0xdd }, 2);	/* IPv6 protocol */
	assert_refused(4, (const uint8_t[]){ 8 }, 1);		/* hardware length */
	assert_refused(5, (const uint8_t[]){ 16 }, 1);		/* protocol length */
	assert_refused(6, (const uint8_t[]){ 0x00, 0x00 }, 2);	/* opcode 0 */
	assert_refused(6, (const uint8_t[]){ 0x00, 0x03 }, 2);	/* RARP request */
	assert_refused(6, (const uint8_t[]){ 0x01, 0x01 }, 2);
	/* Group or zero sender MAC. */
	assert_refused(8, (const uint8_t[]){ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, 6);
	assert_refused(8, (const uint8_t[]){ 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 }, 6);
	assert_refused(8, (const uint8_t[]){ 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 }, 6);
	assert_refused(8, (const uint8_t[]){ 0, 0, 0, 0, 0, 0 }, 6);
}

static void
test_truncated(void **state)
{
	struct rte_mbuf *m = build(RTE_ARP_OP_REPLY, 0);
	struct arp_info a;

	(void)state;
	rte_pktmbuf_trim(m, 1);
	assert_int_equal(arp_parse(m, 14, &a), -EINVAL);
	rte_pktmbuf_trim(m, 27);
	assert_int_equal(arp_parse(m, 14, &a), -EINVAL);
	rte_pktmbuf_free(m);
}

static void
test_no_room(void **state)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(test_pool());
	struct inet_addr spa = test_addr("198.18.0.1"), tpa = test_addr("198.18.0.2");

	(void)state;
	/*
	 * Leave 44 bytes of tailroom: room for an untagged ARP frame (42), not
	 * for a tagged one (46). Even, as every real frame start is.
	 */
	m->data_off = (uint16_t)(m->buf_len - 44);
	assert_int_equal(arp_build(m, RTE_ARP_OP_REQUEST, 5, &us, &spa, &peer, &tpa), -ENOSPC);
	assert_int_equal(m->pkt_len, 0);
	assert_int_equal(arp_build(m, RTE_ARP_OP_REQUEST, 0, &us, &spa, &peer, &tpa), 0);
	assert_int_equal(m->pkt_len, 42);
	rte_pktmbuf_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_parse),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_no_room),
	};

	return cmocka_run_group_tests(tests, test_eal_setup, test_eal_teardown);
}
