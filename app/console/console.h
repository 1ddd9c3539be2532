/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_CONSOLE_H
#define SRTPFWD_CONSOLE_H

/*
 * The testpmd-style console (rte_cmdline): verb first, one file per area
 * (show, session, control). Runs on the control lcore only.
 */

#include <stdio.h>

#include <cmdline.h>
#include <cmdline_parse.h>

#include "../app_ctx.h"

/* Run the commands in path; 0, or -errno if it cannot be opened. */
int console_run_file(struct srtpfwd_app *app, const char *path);
/* Open the interactive console on stdin; polled by the control loop. */
int console_open_interactive(struct srtpfwd_app *app);
void console_close(struct srtpfwd_app *app);
/* Run what the interactive console has typed or piped in; false once it has quit. */
#define CONSOLE_POLL_MAX_CHARS 4096
bool console_poll(struct srtpfwd_app *app);

/* Port rates and totals, as the periodic stats and the final summary print them. */
void console_print_stats(struct srtpfwd_app *app, FILE *out);

/* For the command files. */
struct srtpfwd_app *console_app(void);
extern cmdline_parse_ctx_t console_ctx[];

#endif /* SRTPFWD_CONSOLE_H */
