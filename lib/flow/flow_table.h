/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_FLOW_TABLE_H
#define SRTPFWD_FLOW_TABLE_H

/*
 * The flow table: (local address, local UDP port) -> leg id.
 *
 * One writer (the control lcore) adds and deletes; any number of workers
 * look up without locks (rte_hash lock-free RW concurrency). A deleted
 * entry's slot is reused only after every worker has passed a quiescent
 * state on the RCU variable given at creation. Without one (rcu NULL) the
 * slot is reused at once: only for tables no lcore reads concurrently.
 *
 * Flows on the box's own addresses inside their media port ranges are
 * also kept in a direct index (flow_index.h) that workers read first; the
 * hash answers for everything else.
 */

#include <stdint.h>

#include <rte_rcu_qsbr.h>

#include "../net/inet_addr.h"
#include "flow_index.h"

struct flow_table;

/* Bulk lookups take at most this many keys (rte_hash's own limit). */
#define FLOW_LOOKUP_BULK_MAX 64

/* NULL with rte_errno set on failure. */
struct flow_table *flow_table_create(const char *name, uint32_t entries, int socket,
				     struct rte_rcu_qsbr *rcu);
void flow_table_free(struct flow_table *ft);

/*
 * Control lcore, while the table is empty: index the flows of addr's ports
 * port_min..port_max (host order). 0, -EBUSY (flows exist), -EEXIST
 * (addr already indexed), -ENOSPC (too many addresses), -ENOMEM or -EINVAL.
 */
int flow_table_index_addr(struct flow_table *ft, const struct inet_addr *addr,
			  uint16_t port_min, uint16_t port_max);

/* The direct index, for workers' lookups; never NULL. */
const struct flow_index *flow_table_index(const struct flow_table *ft);

/* Control lcore only. 0, -EEXIST, -ENOSPC or -EINVAL. */
int flow_table_add(struct flow_table *ft, const struct inet_endpoint *local, uint32_t leg_id);
/* Control lcore only. 0 or -ENOENT. */
int flow_table_del(struct flow_table *ft, const struct inet_endpoint *local);

/* Any lcore. 0 and *leg_id set, or -ENOENT. */
int flow_table_lookup(const struct flow_table *ft, const struct inet_endpoint *local,
		      uint32_t *leg_id);

/*
 * Any lcore. Looks up keys[0..n), n <= FLOW_LOOKUP_BULK_MAX; bit i of the
 * result is set when keys[i] was found, and leg_ids[i] is then valid.
 */
uint64_t flow_table_lookup_bulk(const struct flow_table *ft, const struct inet_endpoint **keys,
				uint32_t n, uint32_t *leg_ids);

uint32_t flow_table_count(const struct flow_table *ft);

#endif /* SRTPFWD_FLOW_TABLE_H */
