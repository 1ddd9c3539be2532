/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_CONSOLE_CMDS_H
#define SRTPFWD_CONSOLE_CMDS_H

/* Every command instance, listed once in console.c's context. */

#include <stdio.h>

#include <cmdline_parse.h>

#include "../app_ctx.h"

extern cmdline_parse_inst_t cmd_help;
extern cmdline_parse_inst_t cmd_help_section;
extern cmdline_parse_inst_t cmd_start;
extern cmdline_parse_inst_t cmd_stop;
extern cmdline_parse_inst_t cmd_quit;
extern cmdline_parse_inst_t cmd_clear_port_stats;
extern cmdline_parse_inst_t cmd_clear_worker_stats;
extern cmdline_parse_inst_t cmd_clear_session_stats;
extern cmdline_parse_inst_t cmd_show_port_stats;
extern cmdline_parse_inst_t cmd_show_worker_stats;
extern cmdline_parse_inst_t cmd_show_session_all;
extern cmdline_parse_inst_t cmd_show_session_one;
extern cmdline_parse_inst_t cmd_show_interface;
extern cmdline_parse_inst_t cmd_show_neigh;
extern cmdline_parse_inst_t cmd_show_dtls;
extern cmdline_parse_inst_t cmd_show_ng;
extern cmdline_parse_inst_t cmd_show_call;
extern cmdline_parse_inst_t cmd_show_ice;
extern cmdline_parse_inst_t cmd_session_ice_restart;
extern cmdline_parse_inst_t cmd_show_mempool;
extern cmdline_parse_inst_t cmd_session_add;
extern cmdline_parse_inst_t cmd_session_del;
extern cmdline_parse_inst_t cmd_li_start;
extern cmdline_parse_inst_t cmd_li_stop;
extern cmdline_parse_inst_t cmd_show_li;
extern cmdline_parse_inst_t cmd_set_timing;
extern cmdline_parse_inst_t cmd_show_worker_latency;

/* Shared by show and telemetry-like summaries. */
void show_port_stats(struct srtpfwd_app *app, FILE *out);
void show_worker_stats(struct srtpfwd_app *app, FILE *out);
void show_dtls_stats(struct srtpfwd_app *app, FILE *out);
void show_ng_stats(struct srtpfwd_app *app, FILE *out);
void show_ice_stats(struct srtpfwd_app *app, FILE *out);
void show_mempools(FILE *out);
void show_li(struct srtpfwd_app *app, FILE *out);
void show_worker_latency(struct srtpfwd_app *app, FILE *out);

#endif /* SRTPFWD_CONSOLE_CMDS_H */
