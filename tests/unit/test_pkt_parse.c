/* SPDX-License-Identifier: BSD-3-Clause */
/* pkt_parse: every header, every drop reason, every truncation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <rte_mbuf.h>

#include "net/pkt_parse.h"
#include "test_eal.h"
#include "test_frame.h"

#define V4_REMOTE "198.18.0.2"
#define V4_LOCAL "198.18.0.1"
#define V6_REMOTE "2001:2::2"
#define V6_LOCAL "2001:2::1"

static const struct tf_spec v4_spec = {
	.family = 4, .src = V4_REMOTE, .dst = V4_LOCAL, .sport = 5004, .dport = 20000,
	.tos = 0xb8, .plen = 100,
};
static const struct tf_spec v6_spec = {
	.family = 6, .src = V6_REMOTE, .dst = V6_LOCAL, .sport = 5006, .dport = 30000,
	.tos = 0x2e, .plen = 101,
};

/* The first len bytes of f in an mbuf; bytes past the end stay in the buffer. */
static struct rte_mbuf *
frame_mbuf(const struct tf_frame *f, uint16_t len, uint64_t ol_flags)
{
	struct rte_mbuf *m = test_mbuf(f->b, f->len);

	/* Reading the bytes left in the buffer would parse: only the mbuf's length counts. */
	rte_pktmbuf_trim(m, (uint16_t)(f->len - len));
	m->ol_flags = ol_flags;
	return m;
}

/*
 * Both parsers, each on its own mbuf of the first len bytes of f: same kind,
 * same pkt_info, same mbuf length after. An accepted datagram's mbuf ends
 * with the datagram; anything else leaves it as it was. *out_len (if not
 * NULL): the mbuf's length after the parse.
 */
static enum pkt_kind
parse_len(const struct tf_frame *f, uint16_t len, uint64_t ol_flags, uint32_t flags,
	  struct pkt_info *pi, uint32_t *out_len)
{
	struct rte_mbuf *m = frame_mbuf(f, len, ol_flags);
	struct rte_mbuf *mf = frame_mbuf(f, len, ol_flags);
	struct pkt_info full;
	enum pkt_kind k;

	memset(pi, 0xa5, sizeof(*pi));
	k = pkt_parse_flags(m, pi, flags);
	/* The inline fast path and the full parser agree on every frame. */
	memset(&full, 0xa5, sizeof(full));
	assert_int_equal(pkt_parse_full(mf, &full, flags), k);
	assert_memory_equal(&full, pi, sizeof(full));
	assert_int_equal(rte_pktmbuf_pkt_len(mf), rte_pktmbuf_pkt_len(m));
	assert_int_equal(rte_pktmbuf_data_len(mf), rte_pktmbuf_data_len(m));
	assert_int_equal(rte_pktmbuf_data_len(m), rte_pktmbuf_pkt_len(m));
	if (k == PKT_KIND_UDP)
		assert_int_equal(rte_pktmbuf_pkt_len(m), pkt_payload_off(pi) + pi->payload_len);
	else
		assert_int_equal(rte_pktmbuf_pkt_len(m), len);
	if (out_len != NULL)
		*out_len = rte_pktmbuf_pkt_len(m);
	rte_pktmbuf_free(m);
	rte_pktmbuf_free(mf);
	if (k == PKT_KIND_DROP)
		assert_true(pi->drop < DROP_REASON_MAX);
	return k;
}

static enum pkt_kind
parse_flags(const struct tf_frame *f, uint16_t len, uint64_t ol_flags, uint32_t flags,
	    struct pkt_info *pi)
{
	return parse_len(f, len, ol_flags, flags, pi, NULL);
}

static enum pkt_kind
parse(const struct tf_frame *f, struct pkt_info *pi)
{
	return parse_flags(f, f->len, 0, 0, pi);
}

static void
assert_drop(const struct tf_frame *f, enum drop_reason r)
{
	struct pkt_info pi;

	assert_int_equal(parse(f, &pi), PKT_KIND_DROP);
	assert_int_equal(pi.drop, r);
}

static void
assert_endpoint(const struct inet_endpoint *ep, int family, const char *addr, uint16_t port)
{
	uint8_t want[16] = { 0 };

	tf_addr(family, addr, want);
	assert_int_equal(ep->family, family);
	assert_int_equal(ep->reserved, 0);
	assert_memory_equal(ep->addr, want, 16);
	assert_int_equal(rte_be_to_cpu_16(ep->port), port);
}

static void
test_ipv4_udp(void **state)
{
	struct tf_frame f;
	struct pkt_info pi;

	(void)state;
	tf_build(&f, &v4_spec);
	assert_int_equal(parse(&f, &pi), PKT_KIND_UDP);
	assert_endpoint(&pi.src, 4, V4_REMOTE, 5004);
	assert_endpoint(&pi.dst, 4, V4_LOCAL, 20000);
	assert_int_equal(pi.vlan_id, 0);
	assert_int_equal(pi.l3_off, 14);
	assert_int_equal(pi.l4_off, 34);
	assert_int_equal(pkt_payload_off(&pi), 42);
	assert_int_equal(pi.payload_len, 100);
	assert_int_equal(pi.tos, 0xb8);
	assert_int_equal(pi.l2_multicast, 0);
	assert_int_equal(pi.drop, 0);
	assert_int_equal(rte_be_to_cpu_16(pi.udp_cksum), tf_get16(f.b + 34 + 6));
	assert_int_not_equal(pi.udp_cksum, 0);
}

static void
test_vlan(void **state)
{
	struct tf_spec s = v4_spec;
	struct tf_frame f;
	struct pkt_info pi;

	(void)state;
	s.vlan = 0xa064;	/* PCP 5, DEI 0, VID 100 */
	tf_build(&f, &s);
	assert_int_equal(parse(&f, &pi), PKT_KIND_UDP);
	assert_int_equal(pi.vlan_id, 100);
	assert_int_equal(pi.l3_off, 18);
	assert_int_equal(pi.l4_off, 38);
	assert_int_equal(pi.payload_len, 100);

	s = v6_spec;
	s.vlan = 4094;
	tf_build(&f, &s);
	assert_int_equal(parse(&f, &pi), PKT_KIND_UDP);
	assert_int_equal(pi.vlan_id, 4094);
	assert_int_equal(pi.l3_off, 18);
	assert_int_equal(pi.l4_off, 58);
	assert_endpoint(&pi.dst, 6, V6_LOCAL, 30000);
}

static void
test_l2_multicast(void **state)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t mcast[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
	struct tf_frame f;
	struct pkt_info pi;

	(void)state;
	tf_build(&f, &v4_spec);
	memcpy(f.b, bcast, 6);
	assert_int_equal(parse(&f, &pi), PKT_KIND_UDP);
	assert_int_equal(pi.l2_multicast, 1);
	memcpy(f.b, mcast, 6);
	assert_int_equal(parse(&f, &pi), PKT_KIND_UDP);
	assert_int_equal(pi.l2_multicast, 1);
	f.b[0] = 0x02;	/* locally administered unicast */
	assert_int_equal(parse(&f, &pi), PKT_KIND_UDP);
	assert_int_equal(pi.l2_multicast, 0);
}

static void
test_arp_kind(void **state)
{
	struct tf_frame f;
	struct pkt_info pi;

	(void)state;
	memset(&f, 0, sizeof(f));
	memset(f.b, 0xff, 6);
	memcpy(f.b + 6, tf_mac_peer, 6);
	tf_put16(f.b + 12, 0x0806);
	f.len = 60;
	assert_int_equal(parse(&f, &pi), PKT_KIND_ARP);
	assert_int_equal(pi.l3_off, 14);
	assert_int_equal(pi.vlan_id, 0);
	assert_int_equal(pi.l2_multicast, 1);

	tf_put16(f.b + 12, 0x8100);
	tf_put16(f.b + 14, 7);
	tf_put16(f.b + 16, 0x0806);
	assert_int_equal(parse(&f, &pi), PKT_KIND_ARP);
	assert_int_equal(pi.l3_off, 18);
	assert_int_equal(pi.vlan_id, 7);
}

static void
test_unknown_ethertype(void **state)
{
	struct tf_frame f;

	(void)state;
	tf_build(&f, &v4_spec);
	tf_put16(f.b + 12, 0x88cc);	/* LLDP */
	assert_drop(&f, DROP_ETHERTYPE);
	tf_put16(f.b + 12, 0x88a8);	/* QinQ outer tag: not supported */
	assert_drop(&f, DROP_ETHERTYPE);
	/* Inside a VLAN tag too. */
	tf_build(&f, &(struct tf_spec){ .family = 4, .src = V4_REMOTE, .dst = V4_LOCAL,
					.sport = 1, .dport = 2, .vlan = 5 });
	tf_put16(f.b + 16, 0x8863);	/* PPPoE discovery */
	assert_drop(&f, DROP_ETHERTYPE);
}

static void
test_ipv4_options(void **state)
{
	struct tf_spec s = v4_spec;
	struct tf_frame f;
	struct pkt_info pi;

	(void)state;
	for (uint8_t w = 1; w <= 10; w++) {
		s.ipv4_opt_words = w;
		tf_build(&f, &s);
		assert_int_equal(parse(&f, &pi), PKT_KIND_UDP);
		assert_int_equal(pi.l4_off, 14 + 20 + 4 * w);
		assert_int_equal(pi.payload_len, 100);
		assert_endpoint(&pi.src, 4, V4_REMOTE, 5004);
		/* The options are summed too. */
		f.b[14 + 20]++;
		assert_drop(&f, DROP_IPV4_CHECKSUM);
	}
}

static void
test_ipv4_fragment(void **state)
{
	struct tf_frame f;
	struct pkt_info pi;

	(void)state;
	tf_build(&f, &v4_spec);
	tf_put16(f.b + 14 + 6, 0x2000);	/* MF, offset 0: first fragment */
	tf_fix_ipv4_cksum(&f);
	assert_drop(&f, DROP_IPV4_FRAGMENT);
	tf_put16(f.b + 14 + 6, 0x0001);	/* last fragment, offset 8 */
	tf_fix_ipv4_cksum(&f);
	assert_drop(&f, DROP_IPV4_FRAGMENT);
	tf_put16(f.b + 14 + 6, 0x1fff);	/* largest offset */
	tf_fix_ipv4_cksum(&f);
	assert_drop(&f, DROP_IPV4_FRAGMENT);
	tf_put16(f.b + 14 + 6, 0x0000);	/* neither DF nor fragment */
	tf_fix_ipv4_cksum(&f);
	assert_int_equal(parse(&f, &pi), PKT_KIND_UDP);
}

static void
test_ipv4_header(void **state)
{
	struct tf_frame f;

	(void)state;
	tf_build(&f, &v4_spec);
	f.b[14] = 0x55;	/* version 5 */
	tf_fix_ipv4_cksum(&f);
	assert_drop(&f, DROP_IPV4_HEADER);
	f.b[14] = 0x65;
	assert_drop(&f, DROP_IPV4_HEADER);
	for (uint8_t ihl = 0; ihl < 5; ihl++) {
		f.b[14] = (uint8_t)(0x40 | ihl);
		assert_drop(&f, DROP_IPV4_HEADER);
	}
}

static void
test_ipv4_length(void **state)
{
	struct tf_spec s = v4_spec;
	struct tf_frame f;
	struct pkt_info pi;

	(void)state;
	tf_build(&f, &s);
	/* Longer than the frame. */
	tf_put16(f.b + 16, (uint16_t)(tf_get16(f.b + 16) + 1));
	tf_fix_ipv4_cksum(&f);
	assert_drop(&f, DROP_IPV4_LENGTH);
	/* Shorter than its own header. */
	tf_put16(f.b + 16, 19);
	tf_fix_ipv4_cksum(&f);
	assert_drop(&f, DROP_IPV4_LENGTH);
	/* Shorter than the frame, UDP length not: the UDP length disagrees. */
	tf_build(&f, &s);
	tf_put16(f.b + 16, (uint16_t)(tf_get16(f.b + 16) - 1));
	tf_fix_ipv4_cksum(&f);
	assert_drop(&f, DROP_UDP_LENGTH);
	/* Room for the IP header only: no UDP header. */
	tf_put16(f.b + 16, 20);
	tf_fix_ipv4_cksum(&f);
	assert_drop(&f, DROP_UDP_LENGTH);

	/* Ethernet padding after a short datagram is accepted and not payload. */
	s.plen = 4;
	s.pad = 14;
	tf_build(&f, &s);
	assert_int_equal(f.len, 60);
	memset(f.b + f.len - 14, 0x5a, 14);	/* padding is not always zero */
	assert_int_equal(parse(&f, &pi), PKT_KIND_UDP);
	assert_int_equal(pi.payload_len, 4);
}

static void
test_ipv4_checksum(void **state)
{
	struct tf_frame f;

	(void)state;
	tf_build(&f, &v4_spec);
	f.b[14 + 10] ^= 0x01;
	assert_drop(&f, DROP_IPV4_CHECKSUM);
	tf_build(&f, &v4_spec);
	f.b[14 + 8]--;	/* TTL decremented without the checksum */
	assert_drop(&f, DROP_IPV4_CHECKSUM);
}

static void
test_ipv4_source(void **state)
{
	static const char *const bad[] = {
		"0.0.0.0", "0.1.2.3", "127.0.0.1", "127.255.255.254", "224.0.0.1",
		"239.255.255.255", "240.0.0.1", "255.255.255.255",
	};
	static const char *const good[] = {
		"1.0.0.0", "126.255.255.255", "128.0.0.1", "223.255.255.255", "10.0.0.1",
	};
	struct tf_spec s = v4_spec;
	struct tf_frame f;
	struct pkt_info pi;

	(void)state;
	for (unsigned int i = 0; i < RTE_DIM(bad); i++) {
		s.src = bad[i];
		tf_build(&f, &s);
		assert_drop(&f, DROP_IPV4_SOURCE);
	}
	for (unsigned int i = 0; i < RTE_DIM(good); i++) {
		s.src = good[i];
		tf_build(&f, &s);
		assert_int_equal(parse(&f, &pi), PKT_KIND_UDP);
		assert_endpoint(&pi.src, 4, good[i], 5004);
	}
}

static void
test_ipv4_not_udp(void **state)
{
	struct tf_frame f;

	(void)state;
	tf_build(&f, &v4_spec);
	f.b[14 + 9] = 6;	/* TCP */
	tf_fix_ipv4_cksum(&f);
	assert_drop(&f, DROP_L4_PROTO);
	f.b[14 + 9] = 1;	/* ICMP */
	tf_fix_ipv4_cksum(&f);
	assert_drop(&f, DROP_L4_PROTO);
}

static void
test_ipv6_udp(void **state)
{
	struct tf_frame f;
	struct pkt_info pi;

	(void)state;
	tf_build(&f, &v6_spec);
	assert_int_equal(parse(&f, &pi), PKT_KIND_UDP);
	assert_endpoint(&pi.src, 6, V6_REMOTE, 5006);
	assert_endpoint(&pi.dst, 6, V6_LOCAL, 30000);
	assert_int_equal(pi.l3_off, 14);
	assert_int_equal(pi.l4_off, 54);
	assert_int_equal(pi.payload_len, 101);
	assert_int_equal(pi.tos, 0x2e);
	assert_int_equal(rte_be_to_cpu_16(pi.udp_cksum), tf_get16(f.b + 54 + 6));
}

/* An extension header of 8 * (len8 + 1) bytes. */
static uint16_t
ext_hdr(uint8_t *p, uint8_t next, uint8_t len8, uint8_t seg_left)
{
	uint16_t n = (uint16_t)(8 * (len8 + 1));

	memset(p, 0, n);
	p[0] = next;
	p[1] = len8;
	p[2] = 0;	/* routing type 0 when a routing header; PadN otherwise */
	p[3] = seg_left;
	if (seg_left == 0xff) {
		p[2] = 1;	/* PadN of the rest: an options header */
		p[3] = (uint8_t)(n - 4);
	}
	return n;
}

static void
build_v6_ext(struct tf_frame *f, uint8_t first, const uint8_t *ext, uint16_t len)
{
	struct tf_spec s = v6_spec;

	s.ext = ext;
	s.ext_len = len;
	s.ext_first = first;
	tf_build(f, &s);
}

static void
test_ipv6_ext_accepted(void **state)
{
	uint8_t ext[256];
	struct tf_frame f;
	struct pkt_info pi;
	uint16_t n;

	(void)state;
	/* Hop-by-hop alone. */
	n = ext_hdr(ext, 17, 0, 0xff);
	build_v6_ext(&f, 0, ext, n);
	assert_int_equal(parse(&f, &pi), PKT_KIND_UDP);
	assert_int_equal(pi.l4_off, 54 + 8);
	assert_int_equal(pi.payload_len, 101);
	/* Destination options, 24 bytes. */
	n = ext_hdr(ext, 17, 2, 0xff);
	build_v6_ext(&f, 60, ext, n);
	assert_int_equal(parse(&f, &pi), PKT_KIND_UDP);
	assert_int_equal(pi.l4_off, 54 + 24);
	/* Routing with no segments left. */
	n = ext_hdr(ext, 17, 0, 0);
	build_v6_ext(&f, 43, ext, n);
	assert_int_equal(parse(&f, &pi), PKT_KIND_UDP);
	assert_int_equal(pi.l4_off, 54 + 8);
	/* The longest chain accepted: hop-by-hop, dest-opts, routing, dest-opts. */
	n = ext_hdr(ext, 60, 0, 0xff);
	n += ext_hdr(ext + n, 43, 1, 0xff);
	n += ext_hdr(ext + n, 60, 0, 0);
	n += ext_hdr(ext + n, 17, 0, 0xff);
	assert_int_equal(n, 40);
	build_v6_ext(&f, 0, ext, n);
	assert_int_equal(PKT_MAX_IPV6_EXT_HEADERS, 4);
	assert_int_equal(parse(&f, &pi), PKT_KIND_UDP);
	assert_int_equal(pi.l4_off, 54 + 40);
	assert_int_equal(pi.payload_len, 101);
	assert_endpoint(&pi.src, 6, V6_REMOTE, 5006);
}

static void
test_ipv6_ext_rejected(void **state)
{
	uint8_t ext[256];
	struct tf_frame f;
	uint16_t n;

	(void)state;
	/* Routing header with segments left. */
	n = ext_hdr(ext, 17, 0, 1);
	build_v6_ext(&f, 43, ext, n);
	assert_drop(&f, DROP_IPV6_EXT_HEADER);
	/* Fragment header, first or after another. */
	n = ext_hdr(ext, 17, 0, 0);
	build_v6_ext(&f, 44, ext, n);
	assert_drop(&f, DROP_IPV6_FRAGMENT);
	n = ext_hdr(ext, 44, 0, 0xff);
	n += ext_hdr(ext + n, 17, 0, 0);
	build_v6_ext(&f, 60, ext, n);
	assert_drop(&f, DROP_IPV6_FRAGMENT);
	/* Five headers: one too many. */
	n = 0;
	for (int i = 0; i < 5; i++)
		n += ext_hdr(ext + n, i == 4 ? 17 : 60, 0, 0xff);
	build_v6_ext(&f, 60, ext, n);
	assert_drop(&f, DROP_IPV6_EXT_HEADER);
	/* Hop-by-hop anywhere but first. */
	n = ext_hdr(ext, 0, 0, 0xff);
	n += ext_hdr(ext + n, 17, 0, 0xff);
	build_v6_ext(&f, 60, ext, n);
	assert_drop(&f, DROP_IPV6_EXT_HEADER);
	/* A header claiming more bytes than the payload has. */
	n = ext_hdr(ext, 17, 0, 0xff);
	ext[1] = 30;
	build_v6_ext(&f, 60, ext, n);
	assert_drop(&f, DROP_IPV6_EXT_HEADER);
	/* Unknown next header (TCP) and No Next Header. */
	n = ext_hdr(ext, 6, 0, 0xff);
	build_v6_ext(&f, 60, ext, n);
	assert_drop(&f, DROP_L4_PROTO);
	n = ext_hdr(ext, 59, 0, 0xff);
	build_v6_ext(&f, 60, ext, n);
	assert_drop(&f, DROP_L4_PROTO);
}

static void
test_ipv6_header(void **state)
{
	struct tf_spec s = v6_spec;
	struct tf_frame f;
	struct pkt_info pi;

	(void)state;
	tf_build(&f, &s);
	f.b[14] = (uint8_t)((f.b[14] & 0x0f) | 0x40);
	assert_drop(&f, DROP_IPV6_HEADER);
	/* Payload length longer than the frame, and 0 (jumbogram). */
	tf_build(&f, &s);
	tf_put16(f.b + 18, (uint16_t)(tf_get16(f.b + 18) + 1));
	assert_drop(&f, DROP_IPV6_LENGTH);
	tf_put16(f.b + 18, 0);
	assert_drop(&f, DROP_IPV6_LENGTH);
	/* Shorter than the frame: UDP length disagrees. */
	tf_build(&f, &s);
	tf_put16(f.b + 18, (uint16_t)(tf_get16(f.b + 18) - 1));
	assert_drop(&f, DROP_UDP_LENGTH);
	/* Padding after a short datagram is accepted. */
	s.plen = 2;
	s.pad = 30;
	tf_build(&f, &s);
	assert_int_equal(parse(&f, &pi), PKT_KIND_UDP);
	assert_int_equal(pi.payload_len, 2);
}

static void
test_ipv6_source(void **state)
{
	/* Multicast, loopback, unspecified, IPv4-mapped, IPv4-compatible (deprecated). */
	static const char *const bad[] = { "ff02::1", "ff0e::1", "::1", "::", "::ffff:198.18.0.5",
					   "::2", "::198.18.0.5" };
	struct tf_spec s = v6_spec;
	struct tf_frame f;
	struct pkt_info pi;

	(void)state;
	for (unsigned int i = 0; i < RTE_DIM(bad); i++) {
		s.src = bad[i];
		tf_build(&f, &s);
		assert_drop(&f, DROP_IPV6_SOURCE);
	}
	s.src = "fe80::1";
	tf_build(&f, &s);
	assert_int_equal(parse(&f, &pi), PKT_KIND_UDP);
	s.src = "::1:0:0:2";
	tf_build(&f, &s);
	assert_int_equal(parse(&f, &pi), PKT_KIND_UDP);
	s.src = "64:ff9b::198.18.0.5";	/* NAT64 (RFC 6052): a real remote */
	tf_build(&f, &s);
	assert_int_equal(parse(&f, &pi), PKT_KIND_UDP);
}

static void
test_icmp6_kind(void **state)
{
	struct tf_spec s = v6_spec;
	struct tf_frame f;
	struct pkt_info pi;

	(void)state;
	s.plen = 24;
	tf_build(&f, &s);
	f.b[14 + 6] = 58;
	assert_int_equal(parse(&f, &pi), PKT_KIND_ICMP6);
	assert_int_equal(pi.l4_off, 54);
	assert_int_equal(pi.payload_len, 32);	/* the whole message */
	assert_int_equal(pi.src.family, 6);
	assert_int_equal(pi.src.port, 0);
	assert_endpoint(&pi.dst, 6, V6_LOCAL, 0);
	/* After an extension header. */
	uint8_t ext[8];

	ext_hdr(ext, 58, 0, 0xff);
	s.ext = ext;
	s.ext_len = 8;
	s.ext_first = 0;
	tf_build(&f, &s);
	assert_int_equal(parse(&f, &pi), PKT_KIND_ICMP6);
	assert_int_equal(pi.l4_off, 62);
	assert_int_equal(pi.payload_len, 32);
	/* Unspecified source (duplicate address detection) is the handler's call. */
	s.ext_len = 0;
	s.src = "::";
	tf_build(&f, &s);
	f.b[14 + 6] = 58;
	assert_int_equal(parse(&f, &pi), PKT_KIND_ICMP6);
	/* Multicast source never. */
	s.src = "ff02::1";
	tf_build(&f, &s);
	f.b[14 + 6] = 58;
	assert_drop(&f, DROP_IPV6_SOURCE);
}

static void
test_udp_length(void **state)
{
	struct tf_frame f;

	(void)state;
	tf_build(&f, &v4_spec);
	tf_put16(f.b + 34 + 4, 107);	/* one less than the IP datagram holds */
	tf_fix_udp_cksum(&f);
	assert_drop(&f, DROP_UDP_LENGTH);
	tf_put16(f.b + 34 + 4, 109);
	assert_drop(&f, DROP_UDP_LENGTH);
	tf_put16(f.b + 34 + 4, 0);
	assert_drop(&f, DROP_UDP_LENGTH);
	tf_build(&f, &v6_spec);
	tf_put16(f.b + 54 + 4, 108);
	tf_fix_udp_cksum(&f);
	assert_drop(&f, DROP_UDP_LENGTH);
}

static void
test_udp_checksum(void **state)
{
	struct tf_spec s = v4_spec;
	struct tf_frame f;
	struct pkt_info pi;

	(void)state;
	/* Any flipped bit, header or payload, v4 and v6. */
	tf_build(&f, &s);
	f.b[f.len - 1] ^= 0x10;
	assert_drop(&f, DROP_UDP_CHECKSUM);
	tf_build(&f, &s);
	f.b[34 + 6] ^= 0x80;
	assert_drop(&f, DROP_UDP_CHECKSUM);
	tf_build(&f, &v6_spec);
	f.b[60] ^= 0x01;
	assert_drop(&f, DROP_UDP_CHECKSUM);
	/* The pseudo-header counts: a changed destination address. */
	tf_build(&f, &v6_spec);
	f.b[14 + 24 + 15] ^= 0x04;
	assert_drop(&f, DROP_UDP_CHECKSUM);

	/* Zero: no checksum over IPv4, forbidden over IPv6. */
	s.zero_cksum = true;
	tf_build(&f, &s);
	assert_int_equal(parse(&f, &pi), PKT_KIND_UDP);
	assert_int_equal(pi.udp_cksum, 0);
	s = v6_spec;
	s.zero_cksum = true;
	tf_build(&f, &s);
	assert_drop(&f, DROP_UDP_ZERO_CHECKSUM);
}

/* A datagram whose sum is 0 goes out with 0xffff (RFC 768): accepted. */
static void
test_udp_checksum_ffff(void **state)
{
	struct tf_spec s = v4_spec;
	struct tf_frame f;
	struct pkt_info pi;
	uint8_t *udp;

	(void)state;
	for (int fam = 4; fam <= 6; fam += 2) {
		s = fam == 4 ? v4_spec : v6_spec;
		s.plen = 20;
		tf_build(&f, &s);
		udp = f.b + f.l4_off;
		tf_put16(udp + 6, 0);
		tf_put16(udp + 8 + 18, 0);
		uint8_t *ip = f.b + f.l3_off;
		uint16_t sum = fam == 4 ? ref_l4_sum(4, ip + 12, ip + 16, 17, udp, 28) :
					  ref_l4_sum(6, ip + 8, ip + 24, 17, udp, 28);

		/* Make the sum 0xffff with the checksum field 0: its checksum is 0. */
		tf_put16(udp + 8 + 18, (uint16_t)~sum);
		assert_int_equal(fam == 4 ? ref_l4_sum(4, ip + 12, ip + 16, 17, udp, 28) :
					    ref_l4_sum(6, ip + 8, ip + 24, 17, udp, 28), 0xffff);
		tf_put16(udp + 6, 0xffff);
		assert_int_equal(parse(&f, &pi), PKT_KIND_UDP);
		assert_int_equal(pi.udp_cksum, 0xffff);
	}
}

static void
test_offload_flags(void **state)
{
	struct tf_frame f;
	struct pkt_info pi;

	(void)state;
	/* The NIC's verdict wins over the bytes, both ways. */
	tf_build(&f, &v4_spec);
	assert_int_equal(parse_flags(&f, f.len, RTE_MBUF_F_RX_IP_CKSUM_BAD, 0, &pi),
			 PKT_KIND_DROP);
	assert_int_equal(pi.drop, DROP_IPV4_CHECKSUM);
	assert_int_equal(parse_flags(&f, f.len, RTE_MBUF_F_RX_L4_CKSUM_BAD, 0, &pi),
			 PKT_KIND_DROP);
	assert_int_equal(pi.drop, DROP_UDP_CHECKSUM);
	f.b[14 + 10] ^= 0xff;	/* bad IP checksum ... */
	f.b[f.len - 1] ^= 0xff;	/* ... and bad UDP checksum */
	assert_int_equal(parse_flags(&f, f.len, 0, 0, &pi), PKT_KIND_DROP);
	assert_int_equal(pi.drop, DROP_IPV4_CHECKSUM);
	assert_int_equal(parse_flags(&f, f.len, RTE_MBUF_F_RX_IP_CKSUM_GOOD, 0, &pi),
			 PKT_KIND_DROP);
	assert_int_equal(pi.drop, DROP_UDP_CHECKSUM);
	assert_int_equal(parse_flags(&f, f.len,
				     RTE_MBUF_F_RX_IP_CKSUM_GOOD | RTE_MBUF_F_RX_L4_CKSUM_GOOD, 0,
				     &pi), PKT_KIND_UDP);
	/* NONE (both bits) and UNKNOWN mean "check in software". */
	assert_int_equal(parse_flags(&f, f.len,
				     RTE_MBUF_F_RX_IP_CKSUM_NONE | RTE_MBUF_F_RX_L4_CKSUM_GOOD, 0,
				     &pi), PKT_KIND_DROP);
	assert_int_equal(pi.drop, DROP_IPV4_CHECKSUM);
	assert_int_equal(parse_flags(&f, f.len,
				     RTE_MBUF_F_RX_IP_CKSUM_GOOD | RTE_MBUF_F_RX_L4_CKSUM_NONE, 0,
				     &pi), PKT_KIND_DROP);
	assert_int_equal(pi.drop, DROP_UDP_CHECKSUM);

	/* IPv6: L4 flags only. */
	tf_build(&f, &v6_spec);
	assert_int_equal(parse_flags(&f, f.len, RTE_MBUF_F_RX_L4_CKSUM_BAD, 0, &pi),
			 PKT_KIND_DROP);
	assert_int_equal(pi.drop, DROP_UDP_CHECKSUM);
	f.b[f.len - 1] ^= 0xff;
	assert_int_equal(parse_flags(&f, f.len, RTE_MBUF_F_RX_L4_CKSUM_GOOD, 0, &pi),
			 PKT_KIND_UDP);
	/* Zero over IPv6 stays forbidden whatever the NIC says. */
	tf_put16(f.b + 54 + 6, 0);
	assert_int_equal(parse_flags(&f, f.len, RTE_MBUF_F_RX_L4_CKSUM_GOOD, 0, &pi),
			 PKT_KIND_DROP);
	assert_int_equal(pi.drop, DROP_UDP_ZERO_CHECKSUM);
}

static void
test_cksum_preserve(void **state)
{
	struct tf_frame f;
	struct pkt_info pi;

	(void)state;
	tf_build(&f, &v4_spec);
	f.b[f.len - 1] ^= 0xff;
	assert_int_equal(parse_flags(&f, f.len, 0, PKT_PARSE_UDP_CKSUM_PRESERVE, &pi),
			 PKT_KIND_UDP);
	assert_int_equal(pi.payload_len, 100);
	/* A hardware verdict still applies; the IP header is still checked. */
	assert_int_equal(parse_flags(&f, f.len, RTE_MBUF_F_RX_L4_CKSUM_BAD,
				     PKT_PARSE_UDP_CKSUM_PRESERVE, &pi), PKT_KIND_DROP);
	assert_int_equal(pi.drop, DROP_UDP_CHECKSUM);
	f.b[14 + 10] ^= 1;
	assert_int_equal(parse_flags(&f, f.len, 0, PKT_PARSE_UDP_CKSUM_PRESERVE, &pi),
			 PKT_KIND_DROP);
	assert_int_equal(pi.drop, DROP_IPV4_CHECKSUM);
}

static void
test_multi_segment(void **state)
{
	struct rte_mbuf *head, *tail;
	struct tf_frame f;
	struct pkt_info pi;

	(void)state;
	tf_build(&f, &v4_spec);
	head = test_mbuf(f.b, 50);
	tail = test_mbuf(f.b + 50, (uint16_t)(f.len - 50));
	assert_int_equal(rte_pktmbuf_chain(head, tail), 0);
	assert_int_equal(pkt_parse(head, &pi), PKT_KIND_DROP);
	assert_int_equal(pi.drop, DROP_MULTI_SEGMENT);
	rte_pktmbuf_free(head);
	/* Headers cut inside the first segment: a runt, not a crash. */
	head = test_mbuf(f.b, 30);
	tail = test_mbuf(f.b + 30, (uint16_t)(f.len - 30));
	assert_int_equal(rte_pktmbuf_chain(head, tail), 0);
	assert_int_equal(pkt_parse(head, &pi), PKT_KIND_DROP);
	assert_int_equal(pi.drop, DROP_RUNT);
	rte_pktmbuf_free(head);
}

/* Every prefix of a good frame is dropped; the cut below L3 is a runt. */
static void
truncate_all(const struct tf_frame *f)
{
	struct pkt_info pi;

	for (uint16_t len = 0; len < f->len; len++) {
		assert_int_equal(parse_flags(f, len, 0, 0, &pi), PKT_KIND_DROP);
		if (len < f->l3_off || len < f->l4_off)
			assert_true(pi.drop == DROP_RUNT || pi.drop == DROP_IPV4_LENGTH ||
				    pi.drop == DROP_IPV6_LENGTH ||
				    pi.drop == DROP_IPV6_EXT_HEADER);
		if (len < f->l3_off)
			assert_int_equal(pi.drop, DROP_RUNT);
	}
	assert_int_equal(parse_flags(f, f->len, 0, 0, &pi), PKT_KIND_UDP);
}

static void
test_runts(void **state)
{
	uint8_t ext[32];
	struct tf_spec s;
	struct tf_frame f;

	(void)state;
	s = v4_spec;
	s.plen = 12;
	tf_build(&f, &s);
	truncate_all(&f);
	s.vlan = 10;
	s.ipv4_opt_words = 3;
	tf_build(&f, &s);
	truncate_all(&f);
	s = v6_spec;
	s.plen = 12;
	tf_build(&f, &s);
	truncate_all(&f);
	s.vlan = 10;
	s.ext = ext;
	s.ext_len = ext_hdr(ext, 60, 0, 0xff);
	s.ext_len += ext_hdr(ext + s.ext_len, 17, 1, 0xff);
	s.ext_first = 0;
	tf_build(&f, &s);
	truncate_all(&f);
}

/*
 * Bytes after the datagram (issue 10, item 7): Ethernet padding of a short
 * frame to 60 bytes, or a trailer. Lengths come from the IP and UDP
 * headers, and the mbuf is cut to the datagram's end so that no later
 * stage (SRTP authenticates and encrypts to the mbuf's end) sees them.
 */
static void
assert_trimmed(const struct tf_spec *s, uint8_t fill)
{
	struct tf_frame f;
	struct pkt_info pi;
	struct rte_mbuf *m;
	uint32_t len;

	tf_build(&f, s);
	memset(f.b + f.len - s->pad, fill, s->pad);
	assert_int_equal(parse_len(&f, f.len, 0, 0, &pi, &len), PKT_KIND_UDP);
	assert_int_equal(pi.payload_len, s->plen);
	assert_int_equal(len, f.len - s->pad);
	assert_int_equal(pkt_payload_off(&pi) + s->plen, f.len - s->pad);
	/* The checksum is the datagram's, whatever follows: checked after the cut too. */
	m = frame_mbuf(&f, f.len, 0);
	assert_int_equal(pkt_parse_flags(m, &pi, PKT_PARSE_UDP_CKSUM_PRESERVE), PKT_KIND_UDP);
	assert_int_equal(rte_pktmbuf_pkt_len(m), f.len - s->pad);
	assert_true(pkt_udp_cksum_ok(m, &pi));
	if (s->plen > 0)
		assert_int_equal(*rte_pktmbuf_mtod_offset(m, uint8_t *, rte_pktmbuf_pkt_len(m) - 1),
				 tf_payload_byte(s->plen - 1u));
	rte_pktmbuf_free(m);
}

static void
test_padding_trailer(void **state)
{
	uint8_t ext[8];
	struct tf_spec s;
	struct tf_frame f;
	struct pkt_info pi;
	uint32_t len;

	(void)state;
	/* A 12-byte RTP header and 1..4 bytes: under 60 bytes, padded to 60. */
	for (uint16_t plen = 12; plen <= 16; plen++) {
		s = v4_spec;
		s.plen = plen;
		s.pad = (uint16_t)(60 - (14 + 20 + 8 + plen));
		assert_trimmed(&s, 0);
		assert_trimmed(&s, 0x5a);	/* padding is not always zero */
		s.vlan = 100;			/* 64 with the tag: 4 bytes more of padding */
		s.pad = (uint16_t)(s.pad + 4);
		assert_trimmed(&s, 0);
	}
	/* Trailers: IPv4 (fast path, options: full parser), IPv6 (with an extension header). */
	s = v4_spec;
	s.pad = 23;
	assert_trimmed(&s, 0xa5);
	s.ipv4_opt_words = 2;
	assert_trimmed(&s, 0xa5);
	s = v4_spec;
	s.zero_cksum = true;
	s.pad = 1;
	assert_trimmed(&s, 0xff);
	s = v6_spec;
	s.pad = 23;
	assert_trimmed(&s, 0xa5);
	s.vlan = 7;
	s.plen = 1;
	s.pad = 3;
	assert_trimmed(&s, 0x5a);
	s = v6_spec;
	s.ext = ext;
	s.ext_len = ext_hdr(ext, 17, 0, 0xff);
	s.ext_first = 60;
	s.pad = 40;
	assert_trimmed(&s, 0x33);

	/* A datagram refused with a trailer leaves the mbuf as it was (parse_len checks). */
	s = v4_spec;
	s.pad = 10;
	tf_build(&f, &s);
	f.b[14 + 20 + 8] ^= 0x01;
	assert_int_equal(parse_len(&f, f.len, 0, 0, &pi, &len), PKT_KIND_DROP);
	assert_int_equal(pi.drop, DROP_UDP_CHECKSUM);
	assert_int_equal(len, f.len);
	/* A frame without bytes after the datagram is not touched either. */
	tf_build(&f, &v6_spec);
	assert_int_equal(parse_len(&f, f.len, 0, 0, &pi, &len), PKT_KIND_UDP);
	assert_int_equal(len, f.len);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4_udp),
		cmocka_unit_test(test_vlan),
		cmocka_unit_test(test_l2_multicast),
		cmocka_unit_test(test_arp_kind),
		cmocka_unit_test(test_unknown_ethertype),
		cmocka_unit_test(test_ipv4_options),
		cmocka_unit_test(test_ipv4_fragment),
		cmocka_unit_test(test_ipv4_header),
		cmocka_unit_test(test_ipv4_length),
		cmocka_unit_test(test_ipv4_checksum),
		cmocka_unit_test(test_ipv4_source),
		cmocka_unit_test(test_ipv4_not_udp),
		cmocka_unit_test(test_ipv6_udp),
		cmocka_unit_test(test_ipv6_ext_accepted),
		cmocka_unit_test(test_ipv6_ext_rejected),
		cmocka_unit_test(test_ipv6_header),
		cmocka_unit_test(test_ipv6_source),
		cmocka_unit_test(test_icmp6_kind),
		cmocka_unit_test(test_udp_length),
		cmocka_unit_test(test_udp_checksum),
		cmocka_unit_test(test_udp_checksum_ffff),
		cmocka_unit_test(test_offload_flags),
		cmocka_unit_test(test_cksum_preserve),
		cmocka_unit_test(test_multi_segment),
		cmocka_unit_test(test_runts),
		cmocka_unit_test(test_padding_trailer),
	};

	return cmocka_run_group_tests(tests, test_eal_setup, test_eal_teardown);
}
