/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_PORT_SETUP_H
#define SRTPFWD_PORT_SETUP_H

/*
 * Bring DPDK ports up for the forwarder: one RX queue per worker where the
 * device has them (RSS spreads flows), one TX queue per worker plus one for
 * the control lcore.
 */

#include <stdbool.h>
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

/* What a started port gave us. */
struct port_setup_result {
	uint16_t rxq;		/* RX queues */
	/*
	 * The device sums UDP checksums on transmit (RTE_ETH_TX_OFFLOAD_UDP_CKSUM
	 * enabled): rewritten payloads need not be summed in software.
	 */
	bool tx_udp_cksum;
};

/*
 * Configure and start port. IPv4 and UDP checksum verdicts on receive and
 * UDP checksums on transmit are asked of the device where it has them.
 * 0 or -errno with a one-line reason in err.
 */
int port_setup(uint16_t port, const struct port_setup_params *p, struct port_setup_result *res,
	       char *err, size_t errlen);

/* Stop and close (flushes capture files of net_pcap). */
void port_teardown(uint16_t port);

#endif /* SRTPFWD_PORT_SETUP_H */
