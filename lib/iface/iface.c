/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>

#include "iface.h"

bool
iface_owns_addr(const struct iface *ifc, const struct inet_addr *a)
{
	for (unsigned int i = 0; i < ifc->n_addrs; i++)
		if (inet_addr_equal(&ifc->addrs[i].addr, a))
			return true;
	return false;
}

const struct inet_addr *
iface_addr(const struct iface *ifc, uint8_t family, unsigned int n)
{
	for (unsigned int i = 0; i < ifc->n_addrs; i++) {
		if (ifc->addrs[i].addr.family != family)
			continue;
		if (n-- == 0)
			return &ifc->addrs[i].addr;
	}
	return NULL;
}

const char *
iface_remote_refused(const struct iface *ifaces, uint16_t n_ifaces, const struct inet_addr *a)
{
	enum inet_martian m = inet_addr_martian(a);
	struct inet_addr bcast;

	if (m != INET_ADDR_OK)
		return inet_martian_name(m);
	for (uint16_t i = 0; i < n_ifaces; i++) {
		if (iface_owns_addr(&ifaces[i], a))
			return "an address of this box";
		for (unsigned int k = 0; k < ifaces[i].n_addrs; k++)
			if (inet_prefix_broadcast(&ifaces[i].addrs[k], &bcast) &&
			    inet_addr_equal(&bcast, a))
				return "a subnet broadcast address";
	}
	return NULL;
}

int
iface_next_hop(const struct iface *ifc, const struct inet_addr *dst, struct inet_addr *hop)
{
	const struct inet_addr *gw;

	for (unsigned int i = 0; i < ifc->n_addrs; i++) {
		if (inet_prefix_contains(&ifc->addrs[i], dst)) {
			*hop = *dst;
			return 0;
		}
	}
	gw = dst->family == INET_FAMILY_V4 ? &ifc->gateway4 : &ifc->gateway6;
	if (gw->family == 0)
		return -ENETUNREACH;
	*hop = *gw;
	return 0;
}
