/* SPDX-License-Identifier: BSD-3-Clause */
/* udp_output_write: re-addressed frames checked byte by byte and by a reference checksum. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <rte_mbuf.h>

#include "net/udp_output.h"
#include "test_eal.h"
#include "test_frame.h"

static const struct rte_ether_addr out_src_mac = { { 0x02, 0x00, 0x00, 0x00, 0x01, 0x01 } };
static const struct rte_ether_addr out_dst_mac = { { 0x02, 0x00, 0x00, 0x00, 0x02, 0x02 } };

/* Input: remote -> box leg A. Output: box leg B -> other remote. */
struct out_case {
	struct tf_spec in;
	int out_family;
	uint16_t out_vlan;
	uint8_t ttl;
	uint8_t tos;
};

static void
endpoint(struct inet_endpoint *ep, int family, const char *addr, uint16_t port)
{
	memset(ep, 0, sizeof(*ep));
	tf_addr(family, addr, ep->addr);
	ep->family = (uint8_t)family;
	ep->port = rte_cpu_to_be_16(port);
}

static void
out_endpoints(int family, struct inet_endpoint *src, struct inet_endpoint *dst)
{
	if (family == 4) {
		endpoint(src, 4, "198.19.0.1", 30002);
		endpoint(dst, 4, "198.19.7.9", 40000);
	} else {
		endpoint(src, 6, "2001:2:0:1::1", 30002);
		endpoint(dst, 6, "2001:2:0:1:aaaa:bbbb:cccc:dddd", 40000);
	}
}

/* Check every byte of the output frame in m against c. */
static void
check_output(struct rte_mbuf *m, const struct out_case *c, bool expect_zero_cksum)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	struct inet_endpoint src, dst;
	uint16_t l3 = c->out_vlan ? 18 : 14;
	uint16_t l4 = (uint16_t)(l3 + (c->out_family == 4 ? 20 : 40));
	uint16_t plen = c->in.plen;
	uint16_t udp_len = (uint16_t)(8 + plen);
	const uint8_t *ip = p + l3, *udp = p + l4;

	out_endpoints(c->out_family, &src, &dst);
	assert_int_equal(m->nb_segs, 1);
	assert_int_equal(rte_pktmbuf_pkt_len(m), l4 + udp_len);
	assert_int_equal(rte_pktmbuf_data_len(m), l4 + udp_len);
	assert_int_equal(m->ol_flags & RTE_MBUF_F_TX_OFFLOAD_MASK, 0);

	assert_memory_equal(p, out_dst_mac.addr_bytes, 6);
	assert_memory_equal(p + 6, out_src_mac.addr_bytes, 6);
	if (c->out_vlan) {
		assert_int_equal(tf_get16(p + 12), 0x8100);
		assert_int_equal(tf_get16(p + 14), c->out_vlan);
	}
	assert_int_equal(tf_get16(p + l3 - 2), c->out_family == 4 ? 0x0800 : 0x86dd);

	if (c->out_family == 4) {
		assert_int_equal(ip[0], 0x45);
		assert_int_equal(ip[1], c->tos);
		assert_int_equal(tf_get16(ip + 2), 20 + udp_len);
		assert_int_equal(tf_get16(ip + 4), 0);
		assert_int_equal(tf_get16(ip + 6), 0x4000);	/* DF, offset 0 */
		assert_int_equal(ip[8], c->ttl);
		assert_int_equal(ip[9], 17);
		assert_memory_equal(ip + 12, src.addr, 4);
		assert_memory_equal(ip + 16, dst.addr, 4);
		assert_int_equal(ref_fold(ref_sum(0, ip, 20)), 0xffff);
	} else {
		assert_int_equal(ip[0], 0x60 | c->tos >> 4);
		assert_int_equal(ip[1], (uint8_t)(c->tos << 4));	/* flow label 0 */
		assert_int_equal(ip[2], 0);
		assert_int_equal(ip[3], 0);
		assert_int_equal(tf_get16(ip + 4), udp_len);
		assert_int_equal(ip[6], 17);
		assert_int_equal(ip[7], c->ttl);
		assert_memory_equal(ip + 8, src.addr, 16);
		assert_memory_equal(ip + 24, dst.addr, 16);
	}

	assert_int_equal(tf_get16(udp), 30002);
	assert_int_equal(tf_get16(udp + 2), 40000);
	assert_int_equal(tf_get16(udp + 4), udp_len);
	if (expect_zero_cksum) {
		assert_int_equal(tf_get16(udp + 6), 0);
	} else {
		assert_int_not_equal(tf_get16(udp + 6), 0);
		if (c->out_family == 4)
			assert_int_equal(ref_l4_sum(4, ip + 12, ip + 16, 17, udp, udp_len), 0xffff);
		else
			assert_int_equal(ref_l4_sum(6, ip + 8, ip + 24, 17, udp, udp_len), 0xffff);
	}
}

static int
write_frame(struct rte_mbuf *m, const struct tf_frame *f, const struct out_case *c)
{
	struct inet_endpoint in_src, in_dst, src, dst;
	struct udp_output out;
	rte_be16_t in_cksum;

	endpoint(&in_src, c->in.family, c->in.src, c->in.sport);
	endpoint(&in_dst, c->in.family, c->in.dst, c->in.dport);
	memcpy(&in_cksum, f->b + f->l4_off + 6, 2);
	out_endpoints(c->out_family, &src, &dst);
	memset(&out, 0, sizeof(out));
	out.src_mac = out_src_mac;
	out.dst_mac = out_dst_mac;
	out.vlan_id = c->out_vlan;
	out.ttl = c->ttl;
	out.tos = c->tos;
	out.src = &src;
	out.dst = &dst;
	m->ol_flags |= RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_UDP_CKSUM;
	return udp_output_write(m, (uint16_t)(f->l4_off + 8), c->in.plen, &in_src, &in_dst,
				in_cksum, &out);
}

static void
run_case(const struct out_case *c, bool expect_zero_cksum)
{
	struct tf_frame f;
	struct rte_mbuf *m;

	tf_build(&f, &c->in);
	m = test_mbuf(f.b, f.len);
	assert_int_equal(write_frame(m, &f, c), 0);
	check_output(m, c, expect_zero_cksum);
	for (unsigned int i = 0; i < c->in.plen; i++)
		assert_int_equal(rte_pktmbuf_mtod(m, uint8_t *)[m->pkt_len - c->in.plen + i],
				 tf_payload_byte(i));
	rte_pktmbuf_free(m);
}

static struct tf_spec
in_spec(int family, uint16_t vlan, uint16_t plen)
{
	struct tf_spec s = {
		.family = family, .vlan = vlan, .sport = 5004, .dport = 20000, .tos = 0x88,
		.ttl = 3, .plen = plen,
	};

	s.src = family == 4 ? "198.18.3.4" : "2001:2::3:4";
	s.dst = family == 4 ? "198.18.0.1" : "2001:2::1";
	return s;
}

/* Both families in and out, each tagged or not, odd and even payloads. */
static void
test_readdress_matrix(void **state)
{
	static const uint16_t plens[] = { 0, 1, 2, 13, 160, 1200 };

	(void)state;
	for (int fin = 4; fin <= 6; fin += 2)
		for (int fout = 4; fout <= 6; fout += 2)
			for (int vi = 0; vi < 2; vi++)
				for (int vo = 0; vo < 2; vo++)
					for (unsigned int p = 0; p < RTE_DIM(plens); p++) {
						struct out_case c = {
							.in = in_spec(fin, vi ? 100 : 0, plens[p]),
							.out_family = fout,
							.out_vlan = vo ? 4000 : 0,
							.ttl = 64,
							.tos = 0xb8,
						};

						run_case(&c, false);
					}
}

static void
test_ipv4_options_in(void **state)
{
	struct out_case c = { .in = in_spec(4, 0, 50), .ttl = 255, .tos = 0x01 };

	(void)state;
	c.in.ipv4_opt_words = 10;
	c.out_family = 4;
	run_case(&c, false);
	c.out_family = 6;
	c.out_vlan = 1;
	run_case(&c, false);
}

static void
test_padding_trimmed(void **state)
{
	struct out_case c = { .in = in_spec(4, 0, 4), .ttl = 64 };

	(void)state;
	c.in.pad = 14;	/* a 60-byte minimum frame */
	for (c.out_family = 4; c.out_family <= 6; c.out_family += 2) {
		c.out_vlan = 0;
		run_case(&c, false);
		c.out_vlan = 9;
		run_case(&c, false);
	}
	c.in = in_spec(6, 7, 1);
	c.in.pad = 7;
	c.out_family = 4;
	run_case(&c, false);
}

/*
 * A payload rewritten after it arrived (SRTP protected or unprotected it):
 * the checksum is summed afresh over what is there now, whatever the stale
 * one that came in, for every length around the summing loop's steps.
 */
/*
 * What a device that sums UDP on transmit does with an mbuf that asks for it:
 * sums the datagram (its checksum field holds the pseudo-header's sum) and
 * stores the complement. The request itself is checked first.
 */
static void
device_sums_udp(struct rte_mbuf *m, const struct out_case *c)
{
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);
	uint16_t l3 = c->out_vlan ? 18 : 14;
	uint16_t l3_len = c->out_family == 4 ? 20 : 40;
	uint8_t *udp = p + l3 + l3_len;
	uint16_t udp_len = (uint16_t)(m->pkt_len - l3 - l3_len);
	uint16_t sum;

	assert_int_equal(m->ol_flags & RTE_MBUF_F_TX_OFFLOAD_MASK,
			 RTE_MBUF_F_TX_UDP_CKSUM |
				 (c->out_family == 4 ? RTE_MBUF_F_TX_IPV4 : RTE_MBUF_F_TX_IPV6));
	assert_int_equal(m->l2_len, l3);
	assert_int_equal(m->l3_len, l3_len);
	sum = (uint16_t)~ref_fold(ref_sum(0, udp, udp_len));
	sum = sum == 0 ? 0xffff : sum;
	udp[6] = (uint8_t)(sum >> 8);
	udp[7] = (uint8_t)sum;
	m->ol_flags &= ~RTE_MBUF_F_TX_OFFLOAD_MASK;
}

/* offload: the output port sums UDP on transmit (device_sums_udp stands in for it). */
static void
payload_rewritten(bool offload)
{
	static const uint16_t plens[] = { 0, 1, 2, 3, 7, 8, 15, 16, 31, 32, 33, 63, 64, 172, 1200 };

	for (int fout = 4; fout <= 6; fout += 2)
		for (int vo = 0; vo < 2; vo++)
			for (unsigned int p = 0; p < RTE_DIM(plens); p++) {
				struct out_case c = {
					.in = in_spec(4, 0, plens[p]), .out_family = fout,
					.out_vlan = vo ? 7 : 0, .ttl = 64, .tos = 0x2e,
				};
				struct inet_endpoint in_src, in_dst, src, dst;
				struct udp_output out = {
					.src_mac = out_src_mac, .dst_mac = out_dst_mac,
					.vlan_id = c.out_vlan, .ttl = c.ttl, .tos = c.tos,
					.tx_cksum_offload = offload, .src = &src, .dst = &dst,
				};
				struct udp_template t;
				struct tf_frame f;
				struct rte_mbuf *m;
				uint8_t *pl;

				tf_build(&f, &c.in);
				m = test_mbuf(f.b, f.len);
				pl = rte_pktmbuf_mtod_offset(m, uint8_t *, f.l4_off + 8);
				for (unsigned int i = 0; i < c.in.plen; i++)
					pl[i] ^= (uint8_t)(0x5a + 7 * i);
				endpoint(&in_src, 4, c.in.src, c.in.sport);
				endpoint(&in_dst, 4, c.in.dst, c.in.dport);
				out_endpoints(fout, &src, &dst);
				udp_template_init(&t, &out);
				assert_int_equal(udp_template_write(m, (uint16_t)(f.l4_off + 8),
								    c.in.plen,
								    udp_endpoints_sum(&in_src, &in_dst),
								    rte_cpu_to_be_16(0x1234), &t,
								    &out_dst_mac, c.tos, true), 0);
				if (offload)
					device_sums_udp(m, &c);
				check_output(m, &c, false);
				pl = rte_pktmbuf_mtod_offset(m, uint8_t *, m->pkt_len - c.in.plen);
				for (unsigned int i = 0; i < c.in.plen; i++)
					assert_int_equal(pl[i], (uint8_t)(tf_payload_byte(i) ^
									  (uint8_t)(0x5a + 7 * i)));
				rte_pktmbuf_free(m);
			}
}

static void
test_payload_rewritten(void **state)
{
	(void)state;
	payload_rewritten(false);
}

/*
 * A port that sums UDP on transmit: the mbuf asks for it (flags, header
 * lengths, the pseudo-header's sum in the field) and what the device then
 * computes is the right checksum.
 */
static void
test_payload_rewritten_offload(void **state)
{
	(void)state;
	payload_rewritten(true);
}

/* Incoming "no checksum" stays so towards IPv4 and is computed towards IPv6. */
static void
test_zero_cksum_in(void **state)
{
	struct out_case c = { .in = in_spec(4, 0, 33), .ttl = 64 };

	(void)state;
	c.in.zero_cksum = true;
	c.out_family = 4;
	run_case(&c, true);
	c.out_vlan = 5;
	run_case(&c, true);
	c.out_family = 6;
	run_case(&c, false);
	c.out_vlan = 0;
	c.in.plen = 0;
	run_case(&c, false);
}

/* Sum of the output datagram with checksum 0, for choosing payload bytes. */
static uint16_t
out_sum(int family, const uint8_t *payload, uint16_t plen)
{
	struct inet_endpoint src, dst;
	uint8_t udp[64];

	out_endpoints(family, &src, &dst);
	tf_put16(udp, 30002);
	tf_put16(udp + 2, 40000);
	tf_put16(udp + 4, (uint16_t)(8 + plen));
	tf_put16(udp + 6, 0);
	memcpy(udp + 8, payload, plen);
	return ref_l4_sum(family, src.addr, dst.addr, 17, udp, (uint16_t)(8 + plen));
}

/*
 * The checksum's two zeros: an output whose sum is 0 must go out as 0xffff,
 * and an input sent as 0xffff must update like any other.
 */
static void
test_cksum_zero_twins(void **state)
{
	struct out_case c = { .in = in_spec(4, 0, 16), .ttl = 64 };
	struct tf_frame f;
	struct rte_mbuf *m;
	uint8_t payload[16];
	uint16_t x;

	(void)state;
	for (c.out_family = 4; c.out_family <= 6; c.out_family += 2) {
		for (unsigned int i = 0; i < 16; i++)
			payload[i] = tf_payload_byte(i);
		payload[14] = payload[15] = 0;
		x = (uint16_t)~out_sum(c.out_family, payload, 16);
		tf_build(&f, &c.in);
		tf_put16(f.b + f.l4_off + 8 + 14, x);
		tf_fix_udp_cksum(&f);
		m = test_mbuf(f.b, f.len);
		assert_int_equal(write_frame(m, &f, &c), 0);
		assert_int_equal(tf_get16(rte_pktmbuf_mtod_offset(m, uint8_t *,
								   c.out_family == 4 ? 40 : 60)),
				 0xffff);
		check_output(m, &c, false);
		rte_pktmbuf_free(m);
	}

	/* Input whose checksum is 0xffff (its sum is 0). */
	tf_build(&f, &c.in);
	tf_put16(f.b + f.l4_off + 6, 0);
	tf_put16(f.b + f.l4_off + 8 + 14, 0);
	x = ref_l4_sum(4, f.b + 14 + 12, f.b + 14 + 16, 17, f.b + f.l4_off, 24);
	tf_put16(f.b + f.l4_off + 8 + 14, (uint16_t)~x);
	tf_put16(f.b + f.l4_off + 6, 0xffff);
	assert_int_equal(ref_l4_sum(4, f.b + 14 + 12, f.b + 14 + 16, 17, f.b + f.l4_off, 24),
			 0xffff);
	for (c.out_family = 4; c.out_family <= 6; c.out_family += 2) {
		m = test_mbuf(f.b, f.len);
		assert_int_equal(write_frame(m, &f, &c), 0);
		check_output(m, &c, false);
		rte_pktmbuf_free(m);
	}
}

/* Many payloads and addresses: the incremental update never drifts. */
static void
test_cksum_update_sweep(void **state)
{
	static const char *const v4[] = { "198.18.0.1", "198.18.255.255", "1.2.3.4",
					  "223.255.255.254" };
	static const char *const v6[] = { "2001:2::1", "2001:2:ffff:ffff:ffff:ffff:ffff:ffff",
					  "fe80::1", "2001:2::" };
	struct out_case c = { .ttl = 64 };

	(void)state;
	for (unsigned int i = 0; i < 256; i++) {
		c.in = in_spec(i & 1 ? 6 : 4, 0, (uint16_t)(i % 37));
		c.in.sport = (uint16_t)(1 + i * 251);
		c.in.dport = (uint16_t)(65535 - i * 13);
		c.in.src = (i & 1 ? v6 : v4)[i / 2 % 4];
		c.in.dst = (i & 1 ? v6 : v4)[i / 8 % 4];
		c.out_family = i & 2 ? 6 : 4;
		run_case(&c, false);
	}
}

/* -ENOSPC when the headers grow past the headroom; the mbuf is untouched. */
static void
test_no_headroom(void **state)
{
	struct out_case c = { .in = in_spec(4, 0, 20), .out_family = 6, .out_vlan = 3,
			      .ttl = 64 };
	struct tf_frame f;
	struct rte_mbuf *m;

	(void)state;
	/* 42 bytes of headers in, 66 out: 24 bytes needed in front. */
	tf_build(&f, &c.in);
	m = test_mbuf_headroom(f.b, f.len, 23);
	assert_int_equal(write_frame(m, &f, &c), -ENOSPC);
	assert_int_equal(m->data_off, 23);
	assert_int_equal(rte_pktmbuf_pkt_len(m), f.len);
	assert_memory_equal(rte_pktmbuf_mtod(m, uint8_t *), f.b, f.len);
	rte_pktmbuf_free(m);

	m = test_mbuf_headroom(f.b, f.len, 24);
	assert_int_equal(write_frame(m, &f, &c), 0);
	assert_int_equal(m->data_off, 0);
	check_output(m, &c, false);
	rte_pktmbuf_free(m);

	/* Shrinking headers need no headroom at all. */
	c.in = in_spec(6, 100, 20);
	c.out_family = 4;
	c.out_vlan = 0;
	tf_build(&f, &c.in);
	m = test_mbuf_headroom(f.b, f.len, 0);
	assert_int_equal(write_frame(m, &f, &c), 0);
	check_output(m, &c, false);
	rte_pktmbuf_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_readdress_matrix),
		cmocka_unit_test(test_ipv4_options_in),
		cmocka_unit_test(test_padding_trimmed),
		cmocka_unit_test(test_zero_cksum_in),
		cmocka_unit_test(test_payload_rewritten),
		cmocka_unit_test(test_payload_rewritten_offload),
		cmocka_unit_test(test_cksum_zero_twins),
		cmocka_unit_test(test_cksum_update_sweep),
		cmocka_unit_test(test_no_headroom),
	};

	return cmocka_run_group_tests(tests, test_eal_setup, test_eal_teardown);
}
