/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>

#include <rte_ethdev.h>
#include <rte_malloc.h>

#include "ctl_tx.h"

#define CTL_TX_BURST 32

/*
 * The TX queue was full at flush time. The senders counted these packets as
 * sent when they were buffered: move them to the drop counter.
 */
static void
ctl_tx_unsent(struct rte_mbuf **pkts, uint16_t unsent, void *arg)
{
	struct lcore_stats *st = arg;

	for (uint16_t i = 0; i < unsent; i++)
		rte_pktmbuf_free(pkts[i]);
	st->tx_pkts -= unsent;
	st->drops[DROP_TX_FULL] += unsent;	/* no leg: the buffer does not know them */
}

int
ctl_tx_init(struct srtpfwd_app *app)
{
	for (uint16_t i = 0; i < app->n_ports; i++) {
		uint16_t port = app->ports[i];
		struct rte_eth_dev_tx_buffer *b;

		b = rte_zmalloc_socket("ctl_tx", RTE_ETH_TX_BUFFER_SIZE(CTL_TX_BURST), 0,
				       rte_eth_dev_socket_id(port));
		if (b == NULL || rte_eth_tx_buffer_init(b, CTL_TX_BURST) != 0 ||
		    rte_eth_tx_buffer_set_err_callback(b, ctl_tx_unsent, app_ctl_stats(app)) != 0) {
			rte_free(b);
			return -ENOMEM;
		}
		app->ctl_txb[port] = b;
	}
	return 0;
}

void
ctl_tx_flush(struct srtpfwd_app *app)
{
	for (uint16_t i = 0; i < app->n_ports; i++) {
		uint16_t port = app->ports[i];

		if (app->ctl_txb[port] != NULL && app->ctl_txb[port]->length != 0)
			rte_eth_tx_buffer_flush(port, app->ctl_txq, app->ctl_txb[port]);
	}
}

void
ctl_tx_fini(struct srtpfwd_app *app)
{
	ctl_tx_flush(app);
	for (uint16_t i = 0; i < app->n_ports; i++) {
		rte_free(app->ctl_txb[app->ports[i]]);
		app->ctl_txb[app->ports[i]] = NULL;
	}
}

int
app_ctl_tx(void *arg, uint16_t port, struct rte_mbuf *m)
{
	struct srtpfwd_app *app = arg;
	struct rte_eth_dev_tx_buffer *b = app->ctl_txb[port];

	if (b == NULL) {
		rte_pktmbuf_free(m);
		return -EAGAIN;
	}
	/* Sends the whole buffer when it is full; what the queue refused is counted there. */
	rte_eth_tx_buffer(port, app->ctl_txq, b, m);
	return 0;
}
