/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>

#include <rte_malloc.h>

#include "fwd_plane.h"
#include "punt.h"

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
	return 0;
}

void
fwd_plane_fini(struct fwd_plane *fp)
{
	for (unsigned int p = 0; p < RTE_MAX_ETHPORTS; p++) {
		rte_free(fp->iface_of_vlan[p]);
		fp->iface_of_vlan[p] = NULL;
	}
}
