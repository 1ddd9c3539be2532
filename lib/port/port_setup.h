/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_PORT_SETUP_H
#define SRTPFWD_PORT_SETUP_H

/*
 * Bring DPDK ports up for the forwarder: one RX queue per worker where the
 * device has them (RSS spreads flows), one TX queue per worker plus one for
 * the control lcore.
 */

#include <stddef.h>
#include <stdint.h>

#include <rte_mempool.h>

struct port_setup_params {
	uint16_t rxq_wanted;	/* usually the number of workers */
	uint16_t txq;		/* workers + 1 */
	uint16_t rx_desc;
	uint16_t tx_desc;
	struct rte_mempool *pool;
};

/* A port id from "3" or a device name such as "net_pcap0". 0 or -ENODEV. */
int port_resolve(const char *name, uint16_t *port_id);

/*
 * Configure and start port; *rxq set to the RX queues it got.
 * 0 or -errno with a one-line reason in err.
 */
int port_setup(uint16_t port, const struct port_setup_params *p, uint16_t *rxq, char *err,
	       size_t errlen);

/* Stop and close (flushes capture files of net_pcap). */
void port_teardown(uint16_t port);

#endif /* SRTPFWD_PORT_SETUP_H */
