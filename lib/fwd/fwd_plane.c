/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>

#include <rte_malloc.h>

#include "fwd_plane.h"
#include "punt.h"

/* Every interface's addresses and IPv4 subnet broadcasts: no packet comes from them. */
static int
martian_src_init(struct fwd_plane *fp)
{
	uint32_t n = 0;
	int ret;

	for (uint16_t i = 0; i < fp->n_ifaces; i++)
		n += 2u * fp->ifaces[i].n_addrs;
	ret = inet_addr_set_create(&fp->martian_src, n);
	for (uint16_t i = 0; ret == 0 && i < fp->n_ifaces; i++)
		for (uint16_t a = 0; ret == 0 && a < fp->ifaces[i].n_addrs; a++) {
			const struct inet_prefix *p = &fp->ifaces[i].addrs[a];
			struct inet_addr bcast;

			ret = inet_addr_set_add(&fp->martian_src, &p->addr);
			if (ret == 0 && inet_prefix_broadcast(p, &bcast))
				ret = inet_addr_set_add(&fp->martian_src, &bcast);
		}
	return ret;
}

int
fwd_plane_init(struct fwd_plane *fp, const struct iface *ifaces, uint16_t n_ifaces,
	       struct leg *legs, struct flow_table *flows)
{
	memset(fp, 0, sizeof(*fp));
	fp->ifaces = ifaces;
	fp->n_ifaces = n_ifaces;
	fp->legs = legs;
	fp->flows = flows;
	fp->flow_index = flow_table_index(flows);
	fp->timing = 1;
	fp->punt_meta_offset = punt_meta_register();
	if (fp->punt_meta_offset < 0)
		return fp->punt_meta_offset;
	for (uint16_t i = 0; i < n_ifaces; i++) {
		uint16_t port = ifaces[i].port_id;

		if (port >= RTE_MAX_ETHPORTS)
			return -EINVAL;
		if (fp->iface_of_vlan[port] == NULL) {
			fp->iface_of_vlan[port] = rte_malloc("iface_of_vlan",
							     sizeof(uint16_t) * FWD_VLAN_IDS, 0);
			if (fp->iface_of_vlan[port] == NULL) {
				fwd_plane_fini(fp);
				return -ENOMEM;
			}
			for (unsigned int v = 0; v < FWD_VLAN_IDS; v++)
				fp->iface_of_vlan[port][v] = IFACE_NONE;
		}
		fp->iface_of_vlan[port][ifaces[i].vlan_id] = i;
	}
	if (martian_src_init(fp) != 0) {
		fwd_plane_fini(fp);
		return -ENOMEM;
	}
	return 0;
}

void
fwd_plane_fini(struct fwd_plane *fp)
{
	for (unsigned int p = 0; p < RTE_MAX_ETHPORTS; p++) {
		rte_free(fp->iface_of_vlan[p]);
		fp->iface_of_vlan[p] = NULL;
	}
	inet_addr_set_free(&fp->martian_src);
}
