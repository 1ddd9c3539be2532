/* SPDX-License-Identifier: BSD-3-Clause */
#include <arpa/inet.h>
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
	char *end;
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
	errno = 0;
	len = strtol(slash + 1, &end, 10);
	if (errno != 0 || *end != '\0' || end == slash + 1 || len < 0 ||
	    len > (p->addr.family == INET_FAMILY_V4 ? 32 : 128))
		return -EINVAL;
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
	char *end;
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
	errno = 0;
	port = strtol(port_str, &end, 10);
	if (errno != 0 || *end != '\0' || end == port_str || port < 1 || port > 65535)
		return -EINVAL;
	inet_endpoint_set(ep, &a, rte_cpu_to_be_16((uint16_t)port));
	return 0;
}

const char *
inet_addr_format(const struct inet_addr *a, char *buf, size_t len)
{
	if (len == 0)
		return buf;
	if (a->family == INET_FAMILY_V4)
		inet_ntop(AF_INET, a->bytes, buf, (socklen_t)len);
	else if (a->family == INET_FAMILY_V6)
		inet_ntop(AF_INET6, a->bytes, buf, (socklen_t)len);
	else
		snprintf(buf, len, "-");
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
