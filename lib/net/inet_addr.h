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

/* True when a lies inside prefix p (same family). */
bool inet_prefix_contains(const struct inet_prefix *p, const struct inet_addr *a);

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
