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
