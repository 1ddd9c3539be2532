/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE	/* accept4 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ng_frame.h"
#include "ng_json.h"
#include "ng_reply_cache.h"
#include "ng_server.h"

/* Values in one request: an offer with its flags and SDP needs a few dozen. */
#define NG_MAX_NODES 4096
/* rtpengine keeps replies for 30 s; a client's retries come within seconds. */
#define NG_CACHE_TTL_MS 30000
/* Room for the cookie, its space and the largest reply. */
#define NG_REPLY_MAX (BENCODE_COOKIE_MAX + 1 + BENCODE_MAX_INPUT)

/* TCP (listen-tcp-ng): connections at once, and how long one may stay silent. */
#define NG_TCP_CONNS 64
#define NG_TCP_IDLE_MS 60000
/* Connections accepted per poll. */
#define NG_TCP_ACCEPT_BURST 8

/*
 * One TCP connection: a message's bytes until it is complete, and one reply
 * at a time (no further message is read while a reply waits to be sent).
 * The buffers are in the server's one allocation: pages a connection never
 * fills are never touched.
 */
struct ng_conn {
	int fd;			/* -1: a free slot */
	struct ng_source peer;
	uint64_t last_ms;	/* last byte received */
	struct ng_frame frame;
	uint32_t in_len;
	uint32_t out_off;
	uint32_t out_len;
	char in[NG_FRAME_MAX];
	char out[NG_REPLY_MAX];
};

struct ng_server {
	int fd;			/* UDP, or -1 */
	int tcp_fd;		/* the TCP listener, or -1 */
	bool tcp_first;		/* which transport the next poll serves first */
	unsigned int tcp_next;	/* the connection the next poll serves first */
	struct ng_command_table cmds;
	struct ng_stats stats;
	struct bencode_node nodes[NG_MAX_NODES];
	/* One more than the largest datagram, so MSG_TRUNC shows a longer one. */
	char rx[BENCODE_MAX_INPUT + 1];
	char tx[NG_REPLY_MAX];
	/* A JSON request's bencode reply before it is written as JSON. */
	char benc[NG_REPLY_MAX];
	/* A JSON request's strings, escapes decoded. */
	char scratch[BENCODE_MAX_INPUT];
	struct ng_reply_cache cache;
	struct ng_conn conns[NG_TCP_CONNS];
};

static int
cmd_ping(void *arg, const struct bencode_doc *doc, const struct bencode_node *req,
	 struct bencode_writer *w, const char **reason)
{
	(void)arg, (void)doc, (void)req, (void)reason;
	bencode_put_dict(w);
	bencode_put_key_cstr(w, "result", "pong");
	bencode_put_end(w);
	return 0;
}

static const struct ng_command ng_ping = { "ping", cmd_ping };

static const struct ng_command *
find_command(const struct ng_command_table *t, const char *name, size_t len)
{
	if (bencode_key_eq(ng_ping.name, strlen(ng_ping.name), name, len))
		return &ng_ping;
	for (unsigned int i = 0; i < t->n; i++)
		if (bencode_key_eq(t->cmds[i].name, strlen(t->cmds[i].name), name, len))
			return &t->cmds[i];
	return NULL;
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void
write_error(struct bencode_writer *w, char *buf, size_t cap, const char *reason)
{
	bencode_writer_init(w, buf, cap);
	bencode_put_dict(w);
	bencode_put_key_cstr(w, "result", "error");
	bencode_put_key_cstr(w, "error-reason", reason);
	bencode_put_end(w);
}

/* Decode a body: JSON when it starts with '{' (as rtpengine), else bencode. NULL or why. */
static const char *
decode_body(struct ng_server *srv, const char *body, size_t len, struct bencode_doc *doc,
	    char *why, size_t whylen)
{
	int rc;

	if (body[0] == '{')
		rc = ng_json_decode(doc, srv->nodes, NG_MAX_NODES, body, len, srv->scratch,
				    sizeof(srv->scratch));
	else
		rc = bencode_decode(doc, srv->nodes, NG_MAX_NODES, body, len);
	return rc == 0 ? NULL : bencode_strerror(doc, why, whylen);
}

/* The bencode reply to one body into buf: its length. */
static size_t
run_command(struct ng_server *srv, const char *body, size_t body_len, char *buf, size_t cap)
{
	struct bencode_writer w;
	struct bencode_doc doc;
	const struct bencode_node *req;
	const struct ng_command *cmd;
	const char *reason = NULL;
	const char *name;
	char why[128];
	size_t name_len;
	int ret;

	if ((reason = decode_body(srv, body, body_len, &doc, why, sizeof(why))) != NULL) {
		/* reason says why */
	} else if ((req = bencode_root(&doc))->type != BENCODE_DICT) {
		reason = "request is not a dictionary";
	} else if ((name = bencode_dict_get_str(&doc, req, "command", &name_len)) == NULL) {
		reason = "no command";
	} else if ((cmd = find_command(&srv->cmds, name, name_len)) == NULL) {
		reason = "unknown command";
	} else {
		bencode_writer_init(&w, buf, cap);
		if (cmd->run(srv->cmds.arg, &doc, req, &w, &reason) == 0) {
			ret = bencode_writer_finish(&w);
			if (ret >= 0)
				return (size_t)ret;
			reason = "reply too long";
		} else if (reason == NULL) {
			reason = "command failed";
		}
	}
	srv->stats.errors++;
	write_error(&w, buf, cap, reason);
	ret = bencode_writer_finish(&w);
	return ret > 0 ? (size_t)ret : 0;
}

/* The bencode reply in srv->benc as JSON into buf: its length, or 0. */
static size_t
bencode_to_json(struct ng_server *srv, size_t len, char *buf, size_t cap)
{
	struct bencode_doc doc;
	int ret;

	if (bencode_decode(&doc, srv->nodes, NG_MAX_NODES, srv->benc, len) != 0)
		return 0;
	ret = ng_json_write(&doc, bencode_root(&doc), buf, cap);
	return ret > 0 ? (size_t)ret : 0;
}

/*
 * The reply to one body into buf: its length. A JSON request is answered
 * in JSON, as rtpengine mr10.5 does (control_ng.c: bencode_collapse_str_json).
 */
static size_t
run_request(struct ng_server *srv, const char *body, size_t body_len, char *buf, size_t cap)
{
	struct bencode_writer w;
	size_t len;
	int ret;

	if (body[0] != '{')
		return run_command(srv, body, body_len, buf, cap);
	len = run_command(srv, body, body_len, srv->benc, sizeof(srv->benc));
	if (len == 0)
		return 0;
	len = bencode_to_json(srv, len, buf, cap);
	if (len > 0)
		return len;
	/* Escapes made it longer than a reply may be (or it has too many values). */
	srv->stats.errors++;
	write_error(&w, srv->benc, sizeof(srv->benc), "reply too long");
	ret = bencode_writer_finish(&w);
	return ret > 0 ? bencode_to_json(srv, (size_t)ret, buf, cap) : 0;
}

static void
source_of(const struct sockaddr_storage *ss, struct ng_source *src)
{
	memset(src, 0, sizeof(*src));
	src->family = (uint8_t)ss->ss_family;
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)ss;

		memcpy(src->addr, &in->sin_addr, 4);
		src->port = in->sin_port;
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;

		memcpy(src->addr, &in6->sin6_addr, 16);
		src->port = in6->sin6_port;
	}
}

static void
send_reply(struct ng_server *srv, const struct sockaddr_storage *to, socklen_t tolen,
	   const char *msg, size_t len, uint64_t *counter)
{
	if (sendto(srv->fd, msg, len, MSG_DONTWAIT, (const struct sockaddr *)to, tolen) < 0) {
		srv->stats.dropped++;
		return;
	}
	(*counter)++;
}

/*
 * The reply to one message from src into out (cookie, space, body): its
 * length, or 0 when there is none. *counter: the statistic a sent reply adds to.
 */
static size_t
answer(struct ng_server *srv, const char *msg, size_t len, const struct ng_source *src,
       char *out, size_t cap, uint64_t **counter)
{
	const char *cookie, *body, *cached;
	size_t cookie_len, body_len, reply_len;
	uint64_t now = now_ms();

	if (bencode_split_cookie(msg, len, &cookie, &cookie_len, &body, &body_len) != 0)
		return 0;
	memcpy(out, cookie, cookie_len);
	out[cookie_len] = ' ';
	cached = ng_reply_cache_find(&srv->cache, cookie, cookie_len, src, now, &reply_len);
	if (cached != NULL) {
		memcpy(out + cookie_len + 1, cached, reply_len);
		*counter = &srv->stats.cached_replies;
		return cookie_len + 1 + reply_len;
	}
	reply_len = run_request(srv, body, body_len, out + cookie_len + 1, cap - cookie_len - 1);
	if (reply_len == 0)
		return 0;
	/* Too long for a slot: answered, not cached (a retry runs it again). */
	(void)ng_reply_cache_add(&srv->cache, cookie, cookie_len, src, now,
				 out + cookie_len + 1, reply_len);
	*counter = &srv->stats.replied;
	return cookie_len + 1 + reply_len;
}

static void
handle_datagram(struct ng_server *srv, size_t len, const struct sockaddr_storage *from,
		socklen_t fromlen)
{
	struct ng_source src;
	uint64_t *counter;
	size_t n;

	source_of(from, &src);
	n = answer(srv, srv->rx, len, &src, srv->tx, sizeof(srv->tx), &counter);
	if (n == 0) {
		srv->stats.dropped++;
		return;
	}
	send_reply(srv, from, fromlen, srv->tx, n, counter);
}

static unsigned int
poll_udp(struct ng_server *srv, unsigned int budget)
{
	unsigned int n;

	for (n = 0; n < budget && srv->fd >= 0; n++) {
		struct sockaddr_storage from;
		socklen_t fromlen = sizeof(from);
		ssize_t len = recvfrom(srv->fd, srv->rx, sizeof(srv->rx), MSG_DONTWAIT | MSG_TRUNC,
				       (struct sockaddr *)&from, &fromlen);

		if (len < 0)
			break;	/* EAGAIN: nothing waiting; other errors: try next pass */
		srv->stats.received++;
		if ((size_t)len > BENCODE_MAX_INPUT) {
			srv->stats.dropped++;
			continue;
		}
		handle_datagram(srv, (size_t)len, &from, fromlen);
	}
	return n;
}

/* ---- TCP: rtpengine's listen-tcp-ng, messages framed by ng_frame.h ---- */

static void
conn_close(struct ng_server *srv, struct ng_conn *c, uint64_t *why)
{
	close(c->fd);
	c->fd = -1;
	srv->stats.tcp_closed++;
	if (why != NULL)
		(*why)++;
}

/* Send what is left of the reply. 0: all sent; 1: the rest waits; <0: closed. */
static int
conn_flush(struct ng_server *srv, struct ng_conn *c)
{
	while (c->out_off < c->out_len) {
		ssize_t k = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
				 MSG_DONTWAIT | MSG_NOSIGNAL);

		if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 1;
		if (k <= 0) {
			srv->stats.dropped++;
			conn_close(srv, c, NULL);
			return -1;
		}
		c->out_off += (uint32_t)k;
	}
	c->out_off = c->out_len = 0;
	return 0;
}

/* Bytes between messages (a client's line ends): not part of a cookie. */
static void
conn_skip_gap(struct ng_conn *c)
{
	uint32_t i = 0;

	while (i < c->in_len && (c->in[i] == '\r' || c->in[i] == '\n' || c->in[i] == ' ' ||
				 c->in[i] == '\t'))
		i++;
	if (i > 0) {
		memmove(c->in, c->in + i, c->in_len - i);
		c->in_len -= i;
	}
}

/* Answer the complete message of len bytes at the front and drop it from the buffer. */
static void
conn_message(struct ng_server *srv, struct ng_conn *c, uint32_t len)
{
	uint64_t *counter;
	size_t n;

	srv->stats.received++;
	n = answer(srv, c->in, len, &c->peer, c->out, sizeof(c->out), &counter);
	if (n == 0) {
		srv->stats.dropped++;
	} else {
		c->out_len = (uint32_t)n;
		c->out_off = 0;
		(*counter)++;
	}
	memmove(c->in, c->in + len, c->in_len - len);
	c->in_len -= len;
	ng_frame_reset(&c->frame);
}

/* One recv into the free end of the buffer. 1: bytes came; 0: none yet; <0: closed. */
static int
conn_read(struct ng_server *srv, struct ng_conn *c, uint64_t now)
{
	ssize_t k;

	if (c->in_len >= sizeof(c->in)) {	/* a message longer than any may be */
		conn_close(srv, c, &srv->stats.tcp_bad);
		return -1;
	}
	k = recv(c->fd, c->in + c->in_len, sizeof(c->in) - c->in_len, MSG_DONTWAIT);
	if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return 0;
	if (k <= 0) {
		conn_close(srv, c, NULL);	/* the peer closed, or reset */
		return -1;
	}
	c->in_len += (uint32_t)k;
	c->last_ms = now;
	return 1;
}

/* A connection's turn: its waiting reply, then messages, one read. Returns messages run. */
static unsigned int
conn_poll(struct ng_server *srv, struct ng_conn *c, unsigned int budget, uint64_t now)
{
	unsigned int n = 0;
	bool have_read = false;
	int rc;

	while (n < budget) {
		if (c->out_len > 0 && conn_flush(srv, c) != 0)
			return n;
		if (c->frame.pos == 0)
			conn_skip_gap(c);
		rc = ng_frame_scan(&c->frame, c->in, c->in_len);
		if (rc < 0) {
			conn_close(srv, c, &srv->stats.tcp_bad);
			return n;
		}
		if (rc > 0) {
			conn_message(srv, c, (uint32_t)rc);
			n++;
			continue;
		}
		if (have_read || conn_read(srv, c, now) <= 0)
			return n;
		have_read = true;
	}
	return n;
}

static struct ng_conn *
free_conn(struct ng_server *srv)
{
	for (unsigned int i = 0; i < NG_TCP_CONNS; i++)
		if (srv->conns[i].fd < 0)
			return &srv->conns[i];
	return NULL;
}

static void
tcp_accept(struct ng_server *srv, uint64_t now)
{
	int one = 1;

	for (unsigned int i = 0; i < NG_TCP_ACCEPT_BURST; i++) {
		struct sockaddr_storage from;
		socklen_t fromlen = sizeof(from);
		struct ng_conn *c;
		int fd = accept4(srv->tcp_fd, (struct sockaddr *)&from, &fromlen,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0)
			return;
		c = free_conn(srv);
		if (c == NULL) {
			close(fd);
			srv->stats.tcp_refused++;
			continue;
		}
		/* One write per reply: no reason to hold it back. */
		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		c->fd = fd;
		source_of(&from, &c->peer);
		c->last_ms = now;
		c->in_len = c->out_len = c->out_off = 0;
		ng_frame_reset(&c->frame);
		srv->stats.tcp_accepted++;
	}
}

static unsigned int
poll_tcp(struct ng_server *srv, unsigned int budget)
{
	uint64_t now;
	unsigned int n = 0;

	if (srv->tcp_fd < 0)
		return 0;
	now = now_ms();
	tcp_accept(srv, now);
	/* Start one further each poll: a busy connection cannot keep the others waiting. */
	srv->tcp_next = (srv->tcp_next + 1) % NG_TCP_CONNS;
	for (unsigned int i = 0; i < NG_TCP_CONNS; i++) {
		struct ng_conn *c = &srv->conns[(srv->tcp_next + i) % NG_TCP_CONNS];

		if (c->fd < 0)
			continue;
		if (n < budget)
			n += conn_poll(srv, c, budget - n, now);
		if (c->fd >= 0 && now - c->last_ms > NG_TCP_IDLE_MS)
			conn_close(srv, c, &srv->stats.tcp_idle);
	}
	return n;
}

unsigned int
ng_server_poll(struct ng_server *srv, unsigned int budget)
{
	unsigned int n;

	/* Alternate which transport goes first, so a flood on one cannot starve the other. */
	srv->tcp_first = !srv->tcp_first;
	if (srv->tcp_first) {
		n = poll_tcp(srv, budget);
		return n + poll_udp(srv, budget - n);
	}
	n = poll_udp(srv, budget);
	return n + poll_tcp(srv, budget - n);
}

static socklen_t
sockaddr_of(const struct inet_endpoint *ep, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (ep->family == INET_FAMILY_V6) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

		in6->sin6_family = AF_INET6;
		memcpy(&in6->sin6_addr, ep->addr, 16);
		in6->sin6_port = ep->port;
		return sizeof(*in6);
	}
	struct sockaddr_in *in = (struct sockaddr_in *)ss;

	in->sin_family = AF_INET;
	memcpy(&in->sin_addr, ep->addr, 4);
	in->sin_port = ep->port;
	return sizeof(*in);
}

struct ng_server *
ng_server_create(const struct inet_endpoint *listen, const struct ng_command_table *cmds,
		 char *err, size_t errlen)
{
	char addr[INET_ENDPOINT_STRLEN];
	struct sockaddr_storage ss;
	socklen_t sslen;
	struct ng_server *srv = calloc(1, sizeof(*srv));

	if (srv == NULL) {
		snprintf(err, errlen, "ng: out of memory");
		return NULL;
	}
	srv->fd = -1;
	srv->tcp_fd = -1;
	for (unsigned int i = 0; i < NG_TCP_CONNS; i++)
		srv->conns[i].fd = -1;
	if (cmds != NULL)
		srv->cmds = *cmds;
	ng_reply_cache_init(&srv->cache, NG_CACHE_TTL_MS);
	if (listen == NULL)
		return srv;
	sslen = sockaddr_of(listen, &ss);
	inet_endpoint_format(listen, addr, sizeof(addr));
	srv->fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (srv->fd < 0 || bind(srv->fd, (struct sockaddr *)&ss, sslen) != 0) {
		snprintf(err, errlen, "ng-listen %s: %s", addr, strerror(errno));
		ng_server_free(srv);
		return NULL;
	}
	return srv;
}

int
ng_server_listen_tcp(struct ng_server *srv, const struct inet_endpoint *ep, char *err,
		     size_t errlen)
{
	char addr[INET_ENDPOINT_STRLEN];
	struct sockaddr_storage ss;
	socklen_t sslen = sockaddr_of(ep, &ss);
	int one = 1;
	int fd, ret;

	inet_endpoint_format(ep, addr, sizeof(addr));
	if (srv->tcp_fd >= 0) {
		snprintf(err, errlen, "ng-listen-tcp %s: already listening", addr);
		return -EBUSY;
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(fd, (struct sockaddr *)&ss, sslen) != 0 || listen(fd, NG_TCP_CONNS) != 0) {
		ret = -errno;
		snprintf(err, errlen, "ng-listen-tcp %s: %s", addr, strerror(errno));
		if (fd >= 0)
			close(fd);
		return ret;
	}
	srv->tcp_fd = fd;
	return 0;
}

void
ng_server_stats(const struct ng_server *srv, struct ng_stats *out)
{
	*out = srv->stats;
	out->tcp_open = 0;
	for (unsigned int i = 0; i < NG_TCP_CONNS; i++)
		out->tcp_open += srv->conns[i].fd >= 0;
}

void
ng_server_free(struct ng_server *srv)
{
	if (srv == NULL)
		return;
	for (unsigned int i = 0; i < NG_TCP_CONNS; i++)
		if (srv->conns[i].fd >= 0)
			close(srv->conns[i].fd);
	if (srv->tcp_fd >= 0)
		close(srv->tcp_fd);
	if (srv->fd >= 0)
		close(srv->fd);
	free(srv);
}
