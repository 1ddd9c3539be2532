/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_TELEMETRY_H
#define SRTPFWD_TELEMETRY_H

#include "app_ctx.h"

/*
 * Register /srtpfwd/stats, /srtpfwd/drops, /srtpfwd/sessions and
 * /srtpfwd/session,<id> with rte_telemetry (dpdk-telemetry.py reads them).
 */
int telemetry_register(struct srtpfwd_app *app);

/*
 * Control lcore, every loop pass: answer the telemetry request waiting, if
 * any (telemetry threads read only the answers made here).
 */
void telemetry_serve(struct srtpfwd_app *app);

#endif /* SRTPFWD_TELEMETRY_H */
