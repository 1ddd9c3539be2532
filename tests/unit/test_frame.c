/* SPDX-License-Identifier: BSD-3-Clause */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "test_frame.h"

const uint8_t tf_mac_us[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
const uint8_t tf_mac_peer[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };

uint32_t
ref_sum(uint32_t acc, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2) {
		acc += (uint32_t)(p[i] << 8 | p[i + 1]);
		acc = (acc & 0xffff) + (acc >> 16);
	}
	if (n & 1) {
		acc += (uint32_t)p[n - 1] << 8;
		acc = (acc & 0xffff) + (acc >> 16);
	}
	return acc;
}

uint16_t
ref_fold(uint32_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)acc;
}

uint16_t
ref_l4_sum(int family, const uint8_t *src, const uint8_t *dst, uint8_t proto,
	   const uint8_t *l4, uint16_t len)
{
	size_t alen = family == 4 ? 4 : 16;
	uint8_t tail[4] = { 0, 0, 0, proto };
	uint8_t l[4] = { 0, 0, (uint8_t)(len >> 8), (uint8_t)len };
	uint32_t acc = 0;

	acc = ref_sum(acc, src, alen);
	acc = ref_sum(acc, dst, alen);
	acc = ref_sum(acc, l, 4);
	acc = ref_sum(acc, tail, 4);
	acc = ref_sum(acc, l4, len);
	return ref_fold(acc);
}

void
tf_addr(int family, const char *s, uint8_t *out)
{
	assert_int_equal(inet_pton(family == 4 ? AF_INET : AF_INET6, s, out), 1);
}

void
tf_fix_ipv4_cksum(struct tf_frame *f)
{
	uint8_t *ip = f->b + f->l3_off;
	unsigned int ihl = (ip[0] & 0x0f) * 4u;

	tf_put16(ip + 10, 0);
	tf_put16(ip + 10, (uint16_t)~ref_fold(ref_sum(0, ip, ihl)));
}

void
tf_fix_udp_cksum(struct tf_frame *f)
{
	uint8_t *ip = f->b + f->l3_off;
	uint8_t *udp = f->b + f->l4_off;
	uint16_t len = tf_get16(udp + 4);
	uint16_t ck;

	tf_put16(udp + 6, 0);
	if (f->family == 4)
		ck = (uint16_t)~ref_l4_sum(4, ip + 12, ip + 16, 17, udp, len);
	else
		ck = (uint16_t)~ref_l4_sum(6, ip + 8, ip + 24, 17, udp, len);
	tf_put16(udp + 6, ck == 0 ? 0xffff : ck);
}

void
tf_build(struct tf_frame *f, const struct tf_spec *s)
{
	uint8_t *p = f->b, *ip, *udp;
	uint16_t l4_len = (uint16_t)(8 + s->plen);
	unsigned int i;

	memset(f, 0, sizeof(*f));
	f->family = s->family;
	memcpy(p, tf_mac_us, 6);
	memcpy(p + 6, tf_mac_peer, 6);
	f->l3_off = 14;
	if (s->vlan != 0) {
		tf_put16(p + 12, 0x8100);
		tf_put16(p + 14, s->vlan);
		f->l3_off = 18;
	}
	tf_put16(p + f->l3_off - 2, s->family == 4 ? 0x0800 : 0x86dd);
	ip = p + f->l3_off;
	if (s->family == 4) {
		unsigned int ihl = 20u + 4u * s->ipv4_opt_words;

		ip[0] = (uint8_t)(0x40 | ihl / 4);
		ip[1] = s->tos;
		tf_put16(ip + 2, (uint16_t)(ihl + l4_len));
		tf_put16(ip + 4, 0x1234);
		tf_put16(ip + 6, 0x4000);	/* DF */
		ip[8] = s->ttl ? s->ttl : 64;
		ip[9] = 17;
		tf_addr(4, s->src, ip + 12);
		tf_addr(4, s->dst, ip + 16);
		for (i = 0; i < s->ipv4_opt_words; i++) {
			memset(ip + 20 + 4 * i, 1, 3);	/* NOP */
			ip[20 + 4 * i + 3] = i + 1 == s->ipv4_opt_words ? 0 : 1;
		}
		f->l4_off = (uint16_t)(f->l3_off + ihl);
	} else {
		ip[0] = (uint8_t)(0x60 | s->tos >> 4);
		ip[1] = (uint8_t)(s->tos << 4 | 0x0a);	/* flow label 0xabcde */
		ip[2] = 0xbc;
		ip[3] = 0xde;
		tf_put16(ip + 4, (uint16_t)(s->ext_len + l4_len));
		ip[6] = s->ext_len ? s->ext_first : 17;
		ip[7] = s->ttl ? s->ttl : 64;
		tf_addr(6, s->src, ip + 8);
		tf_addr(6, s->dst, ip + 24);
		if (s->ext_len)
			memcpy(ip + 40, s->ext, s->ext_len);
		f->l4_off = (uint16_t)(f->l3_off + 40 + s->ext_len);
	}
	udp = p + f->l4_off;
	tf_put16(udp, s->sport);
	tf_put16(udp + 2, s->dport);
	tf_put16(udp + 4, l4_len);
	for (i = 0; i < s->plen; i++)
		udp[8 + i] = tf_payload_byte(i);
	f->len = (uint16_t)(f->l4_off + l4_len + s->pad);
	assert_true(f->len <= TF_MAX);
	if (s->family == 4)
		tf_fix_ipv4_cksum(f);
	if (s->zero_cksum)
		tf_put16(udp + 6, 0);
	else
		tf_fix_udp_cksum(f);
}
