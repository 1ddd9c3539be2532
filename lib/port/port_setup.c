/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ethdev.h>

#include "port_setup.h"

int
port_resolve(const char *name, uint16_t *port_id)
{
	char *end;
	unsigned long id;

	id = strtoul(name, &end, 10);
	if (*name != '\0' && *end == '\0') {
		if (id >= RTE_MAX_ETHPORTS || !rte_eth_dev_is_valid_port((uint16_t)id))
			return -ENODEV;
		*port_id = (uint16_t)id;
		return 0;
	}
	return rte_eth_dev_get_port_by_name(name, port_id) == 0 ? 0 : -ENODEV;
}

int
port_setup(uint16_t port, const struct port_setup_params *p, struct port_setup_result *res,
	   char *err, size_t errlen)
{
	const uint64_t rx_cksum = RTE_ETH_RX_OFFLOAD_IPV4_CKSUM | RTE_ETH_RX_OFFLOAD_UDP_CKSUM;
	struct rte_eth_conf conf = { 0 };
	struct rte_eth_dev_info info;
	uint16_t nrx, rx_desc = p->rx_desc, tx_desc = p->tx_desc;
	int socket = rte_eth_dev_socket_id(port);
	int ret;

	ret = rte_eth_dev_info_get(port, &info);
	if (ret != 0) {
		snprintf(err, errlen, "port %u: cannot read device info (%d)", port, ret);
		return ret;
	}
	if (info.max_tx_queues < p->txq) {
		snprintf(err, errlen,
			 "port %u (%s): needs %u TX queues (one per worker and one for the control lcore), device has %u",
			 port, info.driver_name, p->txq, info.max_tx_queues);
		return -EINVAL;
	}
	nrx = RTE_MIN(p->rxq_wanted, info.max_rx_queues);
	/*
	 * These virtual devices open one socket/file/ring per queue their
	 * devargs name (af_packet's qpairs spread by fanout hash): a queue left
	 * unconfigured would be a hole that silently eats packets.
	 */
	if (strcmp(info.driver_name, "net_af_packet") == 0 ||
	    strcmp(info.driver_name, "net_pcap") == 0 || strcmp(info.driver_name, "net_ring") == 0)
		nrx = RTE_MAX(nrx, info.max_rx_queues);
	/* net_tap takes only as many RX queues as TX queues (all are polled). */
	if (strcmp(info.driver_name, "net_tap") == 0)
		nrx = p->txq;
	if (nrx > 1) {
		conf.rx_adv_conf.rss_conf.rss_hf =
			(RTE_ETH_RSS_IP | RTE_ETH_RSS_UDP) & info.flow_type_rss_offloads;
		/* Devices without RSS spread queues themselves (af_packet fanout). */
		if (conf.rx_adv_conf.rss_conf.rss_hf != 0)
			conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
	}
	/*
	 * Checksums: a device's RX verdict spares the software sum (a bad one
	 * is still a counted drop); on TX it sums what SRTP rewrote. Virtual
	 * devices here have neither and everything is summed in software.
	 */
	conf.rxmode.offloads = info.rx_offload_capa & rx_cksum;
	conf.txmode.offloads = info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_UDP_CKSUM;
	ret = rte_eth_dev_configure(port, nrx, p->txq, &conf);
	if (ret != 0) {
		snprintf(err, errlen, "port %u: configure %u RX / %u TX queues failed (%d)", port,
			 nrx, p->txq, ret);
		return ret;
	}
	ret = rte_eth_dev_adjust_nb_rx_tx_desc(port, &rx_desc, &tx_desc);
	if (ret != 0) {
		snprintf(err, errlen, "port %u: descriptor counts refused (%d)", port, ret);
		return ret;
	}
	for (uint16_t q = 0; q < nrx; q++) {
		ret = rte_eth_rx_queue_setup(port, q, rx_desc, socket, NULL, p->pool);
		if (ret != 0) {
			snprintf(err, errlen, "port %u: RX queue %u setup failed (%d)", port, q, ret);
			return ret;
		}
	}
	for (uint16_t q = 0; q < p->txq; q++) {
		ret = rte_eth_tx_queue_setup(port, q, tx_desc, socket, NULL);
		if (ret != 0) {
			snprintf(err, errlen, "port %u: TX queue %u setup failed (%d)", port, q, ret);
			return ret;
		}
	}
	ret = rte_eth_dev_start(port);
	if (ret != 0) {
		snprintf(err, errlen, "port %u: start failed (%d)", port, ret);
		return ret;
	}
	/* ND solicitations go to multicast groups; not every virtual device can. */
	rte_eth_allmulticast_enable(port);
	res->rxq = nrx;
	res->tx_udp_cksum = conf.txmode.offloads != 0;
	return 0;
}

void
port_teardown(uint16_t port)
{
	rte_eth_dev_stop(port);
	rte_eth_dev_close(port);
}
