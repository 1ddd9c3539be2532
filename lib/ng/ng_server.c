/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ng_reply_cache.h"
#include "ng_server.h"

/* Values in one request: an offer with its flags and SDP needs a few dozen. */
#define NG_MAX_NODES 4096
/* rtpengine keeps replies for 30 s; a client's retries come within seconds. */
#define NG_CACHE_TTL_MS 30000
/* Room for the cookie, its space and the largest reply. */
#define NG_REPLY_MAX (BENCODE_COOKIE_MAX + 1 + BENCODE_MAX_INPUT)

struct ng_server {
	int fd;
	struct ng_command_table cmds;
	struct ng_stats stats;
	struct bencode_node nodes[NG_MAX_NODES];
	/* One more than the largest datagram, so MSG_TRUNC shows a longer one. */
	char rx[BENCODE_MAX_INPUT + 1];
	char tx[NG_REPLY_MAX];
	struct ng_reply_cache cache;
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

/* The reply to one body into buf: its length. */
static size_t
run_request(struct ng_server *srv, const char *body, size_t body_len, char *buf, size_t cap)
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

	if (bencode_decode(&doc, srv->nodes, NG_MAX_NODES, body, body_len) != 0) {
		reason = bencode_strerror(&doc, why, sizeof(why));
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

static void
handle_datagram(struct ng_server *srv, size_t len, const struct sockaddr_storage *from,
		socklen_t fromlen)
{
	const char *cookie, *body, *cached;
	size_t cookie_len, body_len, reply_len;
	struct ng_source src;
	uint64_t now = now_ms();

	if (bencode_split_cookie(srv->rx, len, &cookie, &cookie_len, &body, &body_len) != 0) {
		srv->stats.dropped++;
		return;
	}
	source_of(from, &src);
	memcpy(srv->tx, cookie, cookie_len);
	srv->tx[cookie_len] = ' ';
	cached = ng_reply_cache_find(&srv->cache, cookie, cookie_len, &src, now, &reply_len);
	if (cached != NULL) {
		memcpy(srv->tx + cookie_len + 1, cached, reply_len);
		send_reply(srv, from, fromlen, srv->tx, cookie_len + 1 + reply_len,
			   &srv->stats.cached_replies);
		return;
	}
	reply_len = run_request(srv, body, body_len, srv->tx + cookie_len + 1,
				sizeof(srv->tx) - cookie_len - 1);
	if (reply_len == 0) {
		srv->stats.dropped++;
		return;
	}
	/* Too long for a slot: answered, not cached (a retry runs it again). */
	(void)ng_reply_cache_add(&srv->cache, cookie, cookie_len, &src, now,
				 srv->tx + cookie_len + 1, reply_len);
	send_reply(srv, from, fromlen, srv->tx, cookie_len + 1 + reply_len, &srv->stats.replied);
}

unsigned int
ng_server_poll(struct ng_server *srv, unsigned int budget)
{
	unsigned int n;

	for (n = 0; n < budget; n++) {
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
	socklen_t sslen = sockaddr_of(listen, &ss);
	struct ng_server *srv = calloc(1, sizeof(*srv));

	inet_endpoint_format(listen, addr, sizeof(addr));
	if (srv == NULL) {
		snprintf(err, errlen, "ng-listen %s: out of memory", addr);
		return NULL;
	}
	if (cmds != NULL)
		srv->cmds = *cmds;
	ng_reply_cache_init(&srv->cache, NG_CACHE_TTL_MS);
	srv->fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (srv->fd < 0 || bind(srv->fd, (struct sockaddr *)&ss, sslen) != 0) {
		snprintf(err, errlen, "ng-listen %s: %s", addr, strerror(errno));
		ng_server_free(srv);
		return NULL;
	}
	return srv;
}

void
ng_server_stats(const struct ng_server *srv, struct ng_stats *out)
{
	*out = srv->stats;
}

void
ng_server_free(struct ng_server *srv)
{
	if (srv == NULL)
		return;
	if (srv->fd >= 0)
		close(srv->fd);
	free(srv);
}
