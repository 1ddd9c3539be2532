/* SPDX-License-Identifier: BSD-3-Clause */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "inet_addr.h"

bool
inet_prefix_contains(const struct inet_prefix *p, const struct inet_addr *a)
{
	unsigned int full = p->len / 8, rest = p->len % 8;

	if (p->addr.family != a->family)
		return false;
	if (memcmp(p->addr.bytes, a->bytes, full) != 0)
		return false;
	if (rest == 0)
		return true;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));

	return (p->addr.bytes[full] & mask) == (a->bytes[full] & mask);
}

bool
inet_prefix_broadcast(const struct inet_prefix *p, struct inet_addr *b)
{
	uint32_t a;

	if (p->addr.family != INET_FAMILY_V4 || p->len > 30)
		return false;
	memcpy(&a, p->addr.bytes, sizeof(a));
	a = rte_be_to_cpu_32(a) | (UINT32_MAX >> p->len);
	a = rte_cpu_to_be_32(a);
	memset(b, 0, sizeof(*b));
	memcpy(b->bytes, &a, sizeof(a));
	b->family = INET_FAMILY_V4;
	return true;
}

enum inet_martian
inet_addr_martian(const struct inet_addr *a)
{
	rte_be32_t v4;

	if (a->family == INET_FAMILY_V6)
		return inet_v6_martian(a->bytes);
	if (a->family != INET_FAMILY_V4)
		return INET_MARTIAN_UNSPECIFIED;
	memcpy(&v4, a->bytes, sizeof(v4));
	return inet_v4_martian(v4);
}

const char *
inet_martian_name(enum inet_martian m)
{
	switch (m) {
	case INET_ADDR_OK:
		return "a valid address";
	case INET_MARTIAN_UNSPECIFIED:
		return "unspecified";
	case INET_MARTIAN_THIS_NETWORK:
		return "in 0.0.0.0/8 (this network)";
	case INET_MARTIAN_LOOPBACK:
		return "loopback";
	case INET_MARTIAN_MULTICAST:
		return "multicast";
	case INET_MARTIAN_BROADCAST:
		return "the limited broadcast address";
	case INET_MARTIAN_RESERVED:
		return "in 240.0.0.0/4 (reserved)";
	case INET_MARTIAN_V4_MAPPED:
		return "IPv4-mapped (use the IPv4 address)";
	case INET_MARTIAN_V4_COMPAT:
		return "IPv4-compatible (deprecated)";
	}
	return "invalid";
}

/*
 * A decimal number of digits only, min..max. strtol alone also takes
 * leading blanks and a sign: "1.2.3.4: +80" must not parse.
 */
static int
parse_decimal(const char *s, long min, long max, long *out)
{
	char *end;
	long x;

	if (!isdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	x = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || x < min || x > max)
		return -EINVAL;
	*out = x;
	return 0;
}

int
inet_addr_parse(const char *s, struct inet_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (s == NULL)
		return -EINVAL;
	if (inet_pton(AF_INET, s, a->bytes) == 1) {
		a->family = INET_FAMILY_V4;
		return 0;
	}
	if (inet_pton(AF_INET6, s, a->bytes) == 1) {
		a->family = INET_FAMILY_V6;
		return 0;
	}
	return -EINVAL;
}

int
inet_prefix_parse(const char *s, struct inet_prefix *p)
{
	char buf[INET_ADDR_STRLEN + 8];
	const char *slash;
	long len;

	memset(p, 0, sizeof(*p));
	if (s == NULL || strlen(s) >= sizeof(buf))
		return -EINVAL;
	slash = strchr(s, '/');
	if (slash == NULL)
		return -EINVAL;
	memcpy(buf, s, (size_t)(slash - s));
	buf[slash - s] = '\0';
	if (inet_addr_parse(buf, &p->addr) != 0)
		return -EINVAL;
	if (parse_decimal(slash + 1, 0, p->addr.family == INET_FAMILY_V4 ? 32 : 128, &len) != 0) {
		memset(p, 0, sizeof(*p));
		return -EINVAL;
	}
	p->len = (uint8_t)len;
	return 0;
}

int
inet_endpoint_parse(const char *s, struct inet_endpoint *ep)
{
	char host[INET_ADDR_STRLEN];
	const char *port_str;
	struct inet_addr a;
	size_t hlen;
	long port;

	memset(ep, 0, sizeof(*ep));
	if (s == NULL)
		return -EINVAL;
	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (close == NULL || close[1] != ':')
			return -EINVAL;
		hlen = (size_t)(close - s - 1);
		if (hlen >= sizeof(host))
			return -EINVAL;
		memcpy(host, s + 1, hlen);
		port_str = close + 2;
	} else {
		const char *colon = strrchr(s, ':');

		if (colon == NULL || strchr(s, ':') != colon)
			return -EINVAL;	/* IPv6 needs brackets */
		hlen = (size_t)(colon - s);
		if (hlen >= sizeof(host))
			return -EINVAL;
		memcpy(host, s, hlen);
		port_str = colon + 1;
	}
	host[hlen] = '\0';
	if (inet_addr_parse(host, &a) != 0)
		return -EINVAL;
	if (s[0] == '[' && a.family != INET_FAMILY_V6)
		return -EINVAL;
	if (parse_decimal(port_str, 1, 65535, &port) != 0)
		return -EINVAL;
	inet_endpoint_set(ep, &a, rte_cpu_to_be_16((uint16_t)port));
	return 0;
}

const char *
inet_addr_format(const struct inet_addr *a, char *buf, size_t len)
{
	char tmp[INET_ADDR_STRLEN];
	const char *s = NULL;

	if (len == 0)
		return buf;
	/* inet_ntop leaves a too short buffer unterminated: truncate like snprintf. */
	if (a->family == INET_FAMILY_V4)
		s = inet_ntop(AF_INET, a->bytes, tmp, sizeof(tmp));
	else if (a->family == INET_FAMILY_V6)
		s = inet_ntop(AF_INET6, a->bytes, tmp, sizeof(tmp));
	snprintf(buf, len, "%s", s != NULL ? s : "-");
	return buf;
}

const char *
inet_endpoint_format(const struct inet_endpoint *ep, char *buf, size_t len)
{
	char host[INET_ADDR_STRLEN];
	struct inet_addr a;

	inet_endpoint_addr(ep, &a);
	if (a.family == INET_FAMILY_V4)
		snprintf(buf, len, "%s:%u", inet_addr_format(&a, host, sizeof(host)),
			 rte_be_to_cpu_16(ep->port));
	else if (a.family == INET_FAMILY_V6)
		snprintf(buf, len, "[%s]:%u", inet_addr_format(&a, host, sizeof(host)),
			 rte_be_to_cpu_16(ep->port));
	else
		snprintf(buf, len, "-");
	return buf;
}
