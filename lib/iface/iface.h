/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_IFACE_H
#define SRTPFWD_IFACE_H

/*
 * An interface: one DPDK port (and VLAN) with the box's addresses on it,
 * a media port range, next hops and static neighbours. Read-only once the
 * forwarder runs; every lcore may read it.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>

#include "../net/inet_addr.h"

#define IFACE_MAX 16
#define IFACE_NAME_LEN 32
#define IFACE_PORT_NAME_LEN 64
#define IFACE_MAX_ADDRS 64
#define IFACE_MAX_STATIC_NEIGH 64
#define IFACE_NONE UINT16_MAX

struct iface_static_neigh {
	struct inet_addr ip;
	struct rte_ether_addr mac;
};

struct iface {
	char name[IFACE_NAME_LEN];
	char port_name[IFACE_PORT_NAME_LEN];	/* port id or device name */
	uint16_t port_id;			/* resolved at start */
	uint16_t vlan_id;			/* 0: untagged */
	bool mac_configured;			/* else the port's own MAC */
	struct rte_ether_addr mac;
	uint16_t n_addrs;
	struct inet_prefix addrs[IFACE_MAX_ADDRS];
	struct inet_addr gateway4;		/* family 0: none */
	struct inet_addr gateway6;
	uint16_t media_port_min;
	uint16_t media_port_max;
	uint8_t ttl;				/* also the IPv6 hop limit */
	bool tx_udp_cksum;			/* its port sums UDP on TX (set at start) */
	/* Faces the internet: no leg learns its remote from a first packet by default. */
	bool exposed;
	uint16_t n_static_neigh;
	struct iface_static_neigh static_neigh[IFACE_MAX_STATIC_NEIGH];
};

/* True when a is one of the interface's own addresses. */
bool iface_owns_addr(const struct iface *ifc, const struct inet_addr *a);

/* The n-th own address of this family, or NULL. */
const struct inet_addr *iface_addr(const struct iface *ifc, uint8_t family, unsigned int n);

/*
 * Why a may not be a leg's remote on any of these interfaces (a martian
 * address, one of the box's own, a subnet broadcast), as words that follow
 * "remote X is"; NULL when it may.
 */
const char *iface_remote_refused(const struct iface *ifaces, uint16_t n_ifaces,
				 const struct inet_addr *a);

/*
 * The next hop towards dst: dst itself when on-link (inside one of the
 * interface's prefixes), else the gateway of its family.
 * Returns 0 or -ENETUNREACH.
 */
int iface_next_hop(const struct iface *ifc, const struct inet_addr *dst, struct inet_addr *hop);

#endif /* SRTPFWD_IFACE_H */
