/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_CONTROL_LOOP_H
#define SRTPFWD_CONTROL_LOOP_H

#include "app_ctx.h"

/*
 * The main lcore's loop: punted packets, neighbour timers, RCU reclaim,
 * the console, periodic stats; returns when the app is told to quit.
 */
void control_loop(struct srtpfwd_app *app);

#endif /* SRTPFWD_CONTROL_LOOP_H */
