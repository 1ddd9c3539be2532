/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_INET_ADDR_H
#define SRTPFWD_INET_ADDR_H

/*
 * IPv4 and IPv6 addresses and UDP endpoints in one fixed layout, so that an
 * endpoint can be a hash key and be compared with a few loads.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_byteorder.h>

#define INET_FAMILY_V4 4
#define INET_FAMILY_V6 6

/* Room for "[ffff:...:ffff]:65535" plus the terminator. */
#define INET_ENDPOINT_STRLEN 56
#define INET_ADDR_STRLEN 46

/* An IPv4 address sits in the first 4 bytes; the other 12 stay zero. */
struct inet_addr {
	uint8_t bytes[16];
	uint8_t family;
};

/* 20 bytes, no padding: used as the flow-table key. */
struct inet_endpoint {
	uint8_t addr[16];
	uint8_t family;
	uint8_t reserved;	/* always zero, part of the key */
	rte_be16_t port;
};

struct inet_prefix {
	struct inet_addr addr;
	uint8_t len;
};

static inline bool
inet_endpoint_equal(const struct inet_endpoint *a, const struct inet_endpoint *b)
{
	uint64_t a0, a1, b0, b1;
	uint32_t a2, b2;

	memcpy(&a0, a, 8);
	memcpy(&a1, (const uint8_t *)a + 8, 8);
	memcpy(&a2, (const uint8_t *)a + 16, 4);
	memcpy(&b0, b, 8);
	memcpy(&b1, (const uint8_t *)b + 8, 8);
	memcpy(&b2, (const uint8_t *)b + 16, 4);
	return ((a0 ^ b0) | (a1 ^ b1) | (a2 ^ b2)) == 0;
}

static inline void
inet_endpoint_set(struct inet_endpoint *ep, const struct inet_addr *a, rte_be16_t port)
{
	memcpy(ep->addr, a->bytes, sizeof(ep->addr));
	ep->family = a->family;
	ep->reserved = 0;
	ep->port = port;
}

static inline void
inet_endpoint_addr(const struct inet_endpoint *ep, struct inet_addr *a)
{
	memcpy(a->bytes, ep->addr, sizeof(a->bytes));
	a->family = ep->family;
}

static inline bool
inet_addr_equal(const struct inet_addr *a, const struct inet_addr *b)
{
	return a->family == b->family && memcmp(a->bytes, b->bytes, 16) == 0;
}

/*
 * Addresses that are never a remote nor a source on the internet side
 * (RFC 6890 and its registries): what each is, INET_ADDR_OK for the rest.
 * The box's own addresses and subnet broadcasts depend on the interfaces:
 * iface.h. Link-local and private ranges are valid (on-link peers, NAT).
 */
enum inet_martian {
	INET_ADDR_OK = 0,
	INET_MARTIAN_UNSPECIFIED,	/* 0.0.0.0, :: */
	INET_MARTIAN_THIS_NETWORK,	/* 0.0.0.0/8 */
	INET_MARTIAN_LOOPBACK,		/* 127.0.0.0/8, ::1 */
	INET_MARTIAN_MULTICAST,		/* 224.0.0.0/4, ff00::/8 */
	INET_MARTIAN_BROADCAST,		/* 255.255.255.255 */
	INET_MARTIAN_RESERVED,		/* 240.0.0.0/4 */
	INET_MARTIAN_V4_MAPPED,		/* ::ffff:0:0/96 (RFC 4291 §2.5.5.2) */
	INET_MARTIAN_V4_COMPAT,		/* ::/96, deprecated (RFC 4291 §2.5.5.1) */
};

/* An IPv4 address in network order: a few compares of its first byte. */
static inline enum inet_martian
inet_v4_martian(rte_be32_t a)
{
	uint32_t h = rte_be_to_cpu_32(a);
	uint8_t first = (uint8_t)(h >> 24);

	if (likely(first != 0 && first != 127 && first < 224))
		return INET_ADDR_OK;
	if (h == 0)
		return INET_MARTIAN_UNSPECIFIED;
	if (first == 0)
		return INET_MARTIAN_THIS_NETWORK;
	if (first == 127)
		return INET_MARTIAN_LOOPBACK;
	if (first < 240)
		return INET_MARTIAN_MULTICAST;
	return h == UINT32_MAX ? INET_MARTIAN_BROADCAST : INET_MARTIAN_RESERVED;
}

/* An IPv6 address (16 bytes). */
static inline enum inet_martian
inet_v6_martian(const uint8_t *a)
{
	uint64_t hi;
	uint32_t w2, w3;

	if (a[0] == 0xff)
		return INET_MARTIAN_MULTICAST;
	memcpy(&hi, a, 8);
	if (likely(hi != 0))
		return INET_ADDR_OK;
	memcpy(&w2, a + 8, 4);
	memcpy(&w3, a + 12, 4);
	if (w2 == rte_cpu_to_be_32(0x0000ffff))
		return INET_MARTIAN_V4_MAPPED;
	if (w2 != 0)
		return INET_ADDR_OK;
	if (w3 == 0)
		return INET_MARTIAN_UNSPECIFIED;
	return w3 == rte_cpu_to_be_32(1) ? INET_MARTIAN_LOOPBACK : INET_MARTIAN_V4_COMPAT;
}

/* Either family; a family that is neither is unspecified. */
enum inet_martian inet_addr_martian(const struct inet_addr *a);

/* "multicast", "loopback", ...: for one-line errors. */
const char *inet_martian_name(enum inet_martian m);

/* True when a lies inside prefix p (same family). */
bool inet_prefix_contains(const struct inet_prefix *p, const struct inet_addr *a);

/*
 * An IPv4 prefix of /30 or shorter: its subnet broadcast (host bits all
 * ones) into b, true. False for IPv6 (no broadcast) and /31, /32 (RFC 3021).
 */
bool inet_prefix_broadcast(const struct inet_prefix *p, struct inet_addr *b);

/* Parse "198.18.0.1" or "2001:2::1". Returns 0 or -EINVAL. */
int inet_addr_parse(const char *s, struct inet_addr *a);
/* Parse "198.18.0.0/15" or "2001:2::/48". Returns 0 or -EINVAL. */
int inet_prefix_parse(const char *s, struct inet_prefix *p);
/* Parse "198.18.0.1:5004" or "[2001:2::1]:5004". Returns 0 or -EINVAL. */
int inet_endpoint_parse(const char *s, struct inet_endpoint *ep);

/* Format into buf; always terminated. Return buf. */
const char *inet_addr_format(const struct inet_addr *a, char *buf, size_t len);
const char *inet_endpoint_format(const struct inet_endpoint *ep, char *buf, size_t len);

#endif /* SRTPFWD_INET_ADDR_H */
