/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_TEST_FRAME_H
#define SRTPFWD_TEST_FRAME_H

/*
 * Hand-built frames for the parser and output tests, and a reference
 * ones' complement checksum written from RFC 1071 (byte pairs, big
 * endian) that shares no code with the library.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TF_MAX 2048

/* The box (destination of received frames) and the remote host. */
extern const uint8_t tf_mac_us[6];
extern const uint8_t tf_mac_peer[6];

/* RFC 1071 sum of n bytes added to acc (odd tail padded with zero). */
uint32_t ref_sum(uint32_t acc, const uint8_t *p, size_t n);
/* acc folded to 16 bits, not complemented: 0xffff over a correct header. */
uint16_t ref_fold(uint32_t acc);
/*
 * Folded sum of the pseudo-header (family 4 or 6) and l4[0..len): 0xffff
 * when the checksum inside l4 is right.
 */
uint16_t ref_l4_sum(int family, const uint8_t *src, const uint8_t *dst, uint8_t proto,
		    const uint8_t *l4, uint16_t len);

static inline uint16_t
tf_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline void
tf_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Payload byte i of every built frame. */
static inline uint8_t
tf_payload_byte(unsigned int i)
{
	return (uint8_t)(i * 7 + 3);
}

struct tf_spec {
	uint16_t vlan;			/* 0: untagged */
	int family;			/* 4 or 6 */
	const char *src;		/* source address, inet_pton form */
	const char *dst;
	uint16_t sport;
	uint16_t dport;
	uint8_t tos;
	uint8_t ttl;			/* 0: 64 */
	uint8_t ipv4_opt_words;		/* IPv4 options: 4 bytes each (NOP, NOP, NOP, EOL) */
	const uint8_t *ext;		/* IPv6 extension headers, raw */
	uint16_t ext_len;
	uint8_t ext_first;		/* next header naming the first of them */
	uint16_t plen;			/* UDP payload bytes, tf_payload_byte() */
	uint16_t pad;			/* zero bytes after the datagram (Ethernet padding) */
	bool zero_cksum;		/* UDP checksum 0 */
};

struct tf_frame {
	uint8_t b[TF_MAX];
	uint16_t len;
	uint16_t l3_off;
	uint16_t l4_off;
	int family;
};

/* Build an Ethernet/[802.1Q]/IPv4|IPv6/UDP frame with correct checksums. */
void tf_build(struct tf_frame *f, const struct tf_spec *s);

/* Recompute the IPv4 header checksum over the header as it now is. */
void tf_fix_ipv4_cksum(struct tf_frame *f);
/* Recompute the UDP checksum over the datagram as it now is (0 becomes 0xffff). */
void tf_fix_udp_cksum(struct tf_frame *f);

/* 16-byte (IPv6) or 4-byte (IPv4) address of a string; asserts it parses. */
void tf_addr(int family, const char *s, uint8_t *out);

#endif /* SRTPFWD_TEST_FRAME_H */
