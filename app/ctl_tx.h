/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_CTL_TX_H
#define SRTPFWD_CTL_TX_H

/*
 * What the control lcore sends (DTLS flights, ARP/ND, packets it latched
 * on) leaves from its own TX queue of each port. Packets wait in a small
 * buffer per port and go out in one burst when the loop pass ends (or the
 * buffer fills): one doorbell on a NIC, one sendto() on net_af_packet,
 * instead of one per packet.
 */

#include "app_ctx.h"

/* A buffer for every started port. 0, or -ENOMEM. */
int ctl_tx_init(struct srtpfwd_app *app);
/* Sends what is buffered, then frees the buffers. */
void ctl_tx_fini(struct srtpfwd_app *app);
/* Send what the loop pass buffered. */
void ctl_tx_flush(struct srtpfwd_app *app);

#endif /* SRTPFWD_CTL_TX_H */
