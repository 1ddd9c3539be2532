/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_NG_SERVER_H
#define SRTPFWD_NG_SERVER_H

/*
 * rtpengine's ng control protocol over a kernel UDP socket, on the control
 * lcore (REQUIREMENTS item 27): `COOKIE SP BENCODE-DICT` in, `COOKIE SP
 * BENCODE-DICT` back to the sender. The socket is non-blocking and each poll
 * reads a bounded number of datagrams, so signalling never delays the
 * control lcore's other work by more than that. Replies are cached by cookie
 * and source (ng_reply_cache.h): a retransmitted request gets the first
 * reply again and the command does not run twice.
 *
 * A BODY that starts with `{` is JSON (ng_json.h) and gets its reply in
 * JSON, as rtpengine mr10.5 does; the commands see the same tree either way.
 *
 * TCP (rtpengine's listen-tcp-ng, optional): a non-blocking listener and at
 * most 64 connections, each a stream of `COOKIE SP BODY` messages with no
 * length prefix (ng_frame.h), answered on the same connection in order. A
 * connection is closed on bytes that cannot be framed, on a message longer
 * than a datagram may be (64 KiB), after 60 s without a byte from its peer,
 * or when its peer does not take a reply. Polled with the UDP socket under
 * one budget (messages run), never blocking; replies are cached by cookie and
 * the connection's peer address, as for UDP.
 *
 * Commands are the caller's table (ng_commands.h for the call commands): a
 * name and a handler that writes the whole reply dictionary. `ping` is the
 * server's own. Unknown request keys are ignored by the handlers.
 */

#include <stddef.h>
#include <stdint.h>

#include "bencode.h"
#include "net/inet_addr.h"

struct ng_server;

struct ng_stats {
	uint64_t received;		/* datagrams read, TCP messages framed */
	uint64_t replied;		/* replies sent by running a command (errors too) */
	uint64_t cached_replies;	/* replies sent again from the cache */
	uint64_t errors;		/* replies with result "error" */
	uint64_t dropped;		/* no reply: too long, no cookie, send failed */
	uint64_t tcp_accepted;		/* TCP connections taken */
	uint64_t tcp_refused;		/* closed at once: all connection slots in use */
	uint64_t tcp_closed;		/* connections closed, for any reason */
	uint64_t tcp_bad;		/* of those: bytes that cannot be framed, or too long */
	uint64_t tcp_idle;		/* of those: silent for 60 s */
	uint64_t tcp_open;		/* connections open now */
};

/*
 * A command: on 0 it has written the whole reply dictionary into w; on a
 * negative return the server answers `result: error` with *reason (static).
 */
struct ng_command {
	const char *name;
	int (*run)(void *arg, const struct bencode_doc *doc, const struct bencode_node *req,
		   struct bencode_writer *w, const char **reason);
};

/* The commands a server runs beside ping; arg is handed to every one. */
struct ng_command_table {
	const struct ng_command *cmds;
	unsigned int n;
	void *arg;
};

/*
 * Bind a UDP socket to listen (NULL: no UDP socket, for a server on TCP
 * only). The table is copied (its entries must outlive the server). NULL on
 * failure, with a one-line reason (naming the address) in err.
 */
struct ng_server *
ng_server_create(const struct inet_endpoint *listen, const struct ng_command_table *cmds,
		 char *err, size_t errlen);

/*
 * Listen on TCP too (ng-listen-tcp). 0, or a negative errno with a one-line
 * reason (naming the address) in err.
 */
int
ng_server_listen_tcp(struct ng_server *srv, const struct inet_endpoint *ep, char *err,
		     size_t errlen);

/*
 * Handle up to budget datagrams and TCP messages that are waiting, accept
 * new connections, close idle ones; never blocks. Returns how many messages.
 */
unsigned int
ng_server_poll(struct ng_server *srv, unsigned int budget);

void
ng_server_stats(const struct ng_server *srv, struct ng_stats *out);

/* Close the sockets and free; NULL is fine. */
void
ng_server_free(struct ng_server *srv);

#endif /* SRTPFWD_NG_SERVER_H */
