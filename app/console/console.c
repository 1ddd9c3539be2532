/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cmdline_socket.h>

#include "console.h"
#include "console_cmds.h"

#define PROMPT "srtpfwd> "

static struct srtpfwd_app *the_app;

cmdline_parse_ctx_t console_ctx[] = {
	&cmd_help,
	&cmd_help_section,
	&cmd_start,
	&cmd_stop,
	&cmd_quit,
	&cmd_show_port_stats,
	&cmd_show_worker_stats,
	&cmd_show_session_all,
	&cmd_show_session_one,
	&cmd_show_interface,
	&cmd_show_neigh,
	&cmd_show_dtls,
	&cmd_show_ng,
	&cmd_show_call,
	&cmd_show_ice,
	&cmd_session_ice_restart,
	&cmd_show_mempool,
	&cmd_clear_port_stats,
	&cmd_clear_worker_stats,
	&cmd_clear_session_stats,
	&cmd_session_add,
	&cmd_li_start,
	&cmd_li_stop,
	&cmd_show_li,
	&cmd_set_timing,
	&cmd_show_worker_latency,
	&cmd_session_del,
	NULL,
};

struct srtpfwd_app *
console_app(void)
{
	return the_app;
}

int
console_run_file(struct srtpfwd_app *app, const char *path)
{
	struct cmdline *cl;

	the_app = app;
	if (access(path, R_OK) != 0)
		return -errno;
	cl = cmdline_file_new(console_ctx, "", path);
	if (cl == NULL)
		return -EINVAL;
	cmdline_interact(cl);
	cmdline_quit(cl);
	cmdline_free(cl);
	fflush(stdout);
	return 0;
}

int
console_open_interactive(struct srtpfwd_app *app)
{
	the_app = app;
	app->cl = cmdline_stdin_new(console_ctx, PROMPT);
	return app->cl != NULL ? 0 : -ENOMEM;
}

/*
 * cmdline_poll() takes one character a call: at one call a tick, a pasted
 * or piped block of commands would run at about two lines a second. Take
 * what stdin has now (bounded, so the loop's other work waits little).
 */
bool
console_poll(struct srtpfwd_app *app)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };

	if (app->cl == NULL)
		return true;
	for (unsigned int n = 0; n < CONSOLE_POLL_MAX_CHARS; n++) {
		int st = cmdline_poll(app->cl);

		if (st == RDLINE_EXITED)
			return false;
		if (st != RDLINE_RUNNING || poll(&pfd, 1, 0) <= 0 || !(pfd.revents & POLLIN))
			break;
	}
	return true;
}

void
console_close(struct srtpfwd_app *app)
{
	if (app->cl == NULL)
		return;
	cmdline_stdin_exit(app->cl);
	app->cl = NULL;
}

void
console_print_stats(struct srtpfwd_app *app, FILE *out)
{
	show_port_stats(app, out);
	show_worker_stats(app, out);
	fflush(out);
}
