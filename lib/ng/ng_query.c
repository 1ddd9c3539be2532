/* SPDX-License-Identifier: BSD-3-Clause */
/* ng delete, query, list and statistics, shaped as rtpengine mr10.5 shapes them; show call. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "ng_calls_priv.h"

#define NG_LIST_DEFAULT 32

/* What a call's media did: rtpengine's totals {RTP, RTCP}. */
struct ng_totals {
	uint64_t pkts[2], bytes[2], errors[2];	/* [0] RTP, [1] RTCP */
};

static uint64_t
leg_errors(const struct leg_stats *s)
{
	uint64_t n = 0;

	for (unsigned int d = 0; d < LEG_DROP_MAX; d++)
		n += s->drops[d];
	return n;
}

static void
add_leg(const struct ng_calls *nc, uint32_t leg, struct ng_totals *t)
{
	struct leg_stats s;
	const struct leg_traffic *tr = &s.traffic;
	uint64_t rtp, rtcp;

	session_leg_stats(nc->p.sessions, leg, &s);
	rtp = tr->class_pkts[PKT_CLASS_RTP];
	rtcp = tr->class_pkts[PKT_CLASS_RTCP];
	t->pkts[0] += rtp;
	t->pkts[1] += rtcp;
	/* Bytes are per leg, not per class: shared out by packet count. */
	if (rtp + rtcp > 0) {
		t->bytes[0] += tr->rx_bytes * rtp / (rtp + rtcp);
		t->bytes[1] += tr->rx_bytes * rtcp / (rtp + rtcp);
	}
	t->errors[0] += leg_errors(&s);
}

static void
call_totals(const struct ng_calls *nc, const struct ng_call *c, struct ng_totals *t)
{
	memset(t, 0, sizeof(*t));
	for (unsigned int i = 0; i < c->n_streams; i++)
		if (c->streams[i].session != SESSION_NONE)
			for (int s = 0; s < 2; s++)
				add_leg(nc, c->streams[i].end[s].leg, t);
}

uint64_t
ng_call_rx_pkts(const struct ng_calls *nc, const struct ng_call *c)
{
	struct ng_totals t;

	call_totals(nc, c, &t);
	return t.pkts[0] + t.pkts[1];
}

static void
put_counts(struct bencode_writer *w, const char *key, uint64_t pkts, uint64_t bytes,
	   uint64_t errors)
{
	bencode_put_cstr(w, key);
	bencode_put_dict(w);
	bencode_put_key_int(w, "packets", (int64_t)pkts);
	bencode_put_key_int(w, "bytes", (int64_t)bytes);
	bencode_put_key_int(w, "errors", (int64_t)errors);
	bencode_put_end(w);
}

static void
put_endpoint(struct bencode_writer *w, const char *key, const struct inet_endpoint *ep)
{
	char addr[INET_ADDR_STRLEN];
	struct inet_addr a;

	bencode_put_cstr(w, key);
	bencode_put_dict(w);
	if (ep->family != 0) {
		inet_endpoint_addr(ep, &a);
		inet_addr_format(&a, addr, sizeof(addr));
		bencode_put_key_cstr(w, "family", ep->family == INET_FAMILY_V6 ? "IPv6" : "IPv4");
		bencode_put_key_cstr(w, "address", addr);
		bencode_put_key_int(w, "port", rte_be_to_cpu_16(ep->port));
	}
	bencode_put_end(w);
}

static const char *
crypto_suite(const struct ng_stream *st, const struct ng_end *e)
{
	if (!st->e2ae || e->sec == NG_SEC_RTP)
		return NULL;
	if (e->sec == NG_SEC_SDES && e->n_keys > 0)
		return srtp_profile_name(e->keys[e->chosen].profile);
	return e->sec == NG_SEC_DTLS ? "DTLS-SRTP" : NULL;
}

/* One stream of a tag: rtpengine's streams[] entry (one per leg: RTP and RTCP ride on it). */
static void
put_stream(const struct ng_calls *nc, struct bencode_writer *w, const struct ng_stream *st,
	   const struct ng_end *e)
{
	const struct leg *leg = &session_table_legs(nc->p.sessions)[e->leg];
	const struct leg_path *path = leg_path(leg);
	const char *suite = crypto_suite(st, e);
	struct inet_endpoint none = { 0 };
	struct leg_stats s;

	session_leg_stats(nc->p.sessions, e->leg, &s);
	bencode_put_dict(w);
	bencode_put_key_int(w, "local port", rte_be_to_cpu_16(leg->local.port));
	put_endpoint(w, "endpoint", path != NULL ? &path->remote : &none);
	if (suite != NULL)
		bencode_put_key_cstr(w, "crypto suite", suite);
	bencode_put_key_cstr(w, "status", path != NULL ? "confirmed peer address" : "unconfirmed");
	put_counts(w, "stats", s.traffic.rx_pkts, s.traffic.rx_bytes, leg_errors(&s));
	bencode_put_end(w);
}

static void
put_tag(const struct ng_calls *nc, struct bencode_writer *w, const struct ng_call *c, int side)
{
	bencode_put_cstr(w, c->tag[side]);
	bencode_put_dict(w);
	bencode_put_key_cstr(w, "tag", c->tag[side]);
	bencode_put_key_int(w, "created", (int64_t)c->created_s);
	bencode_put_key_cstr(w, "in dialogue with", c->tag[!side]);
	bencode_put_cstr(w, "medias");
	bencode_put_list(w);
	for (unsigned int i = 0; i < c->n_streams; i++) {
		const struct ng_stream *st = &c->streams[i];

		bencode_put_dict(w);
		bencode_put_key_int(w, "index", i + 1);
		bencode_put_key_cstr(w, "type", st->media);
		bencode_put_key_cstr(w, "protocol", st->end[side].proto);
		bencode_put_cstr(w, "streams");
		bencode_put_list(w);
		if (st->session != SESSION_NONE)
			put_stream(nc, w, st, &st->end[side]);
		bencode_put_end(w);
		bencode_put_end(w);
	}
	bencode_put_end(w);
	bencode_put_end(w);
}

static void
put_call(const struct ng_calls *nc, struct bencode_writer *w, const struct ng_call *c)
{
	struct ng_totals t;

	call_totals(nc, c, &t);
	bencode_put_key_int(w, "created", (int64_t)c->created_s);
	bencode_put_key_int(w, "last signal", (int64_t)c->last_signal_s);
	bencode_put_cstr(w, "tags");
	bencode_put_dict(w);
	put_tag(nc, w, c, NG_SIDE_OFFER);
	if (c->answered)
		put_tag(nc, w, c, NG_SIDE_ANSWER);
	bencode_put_end(w);
	bencode_put_cstr(w, "totals");
	bencode_put_dict(w);
	put_counts(w, "RTP", t.pkts[0], t.bytes[0], t.errors[0]);
	put_counts(w, "RTCP", t.pkts[1], t.bytes[1], t.errors[1]);
	bencode_put_end(w);
}

struct ng_call *
ng_call_of(struct ng_calls *nc, const struct bencode_doc *doc, const struct bencode_node *req,
	struct ng_params *p, const char **reason)
{
	struct ng_call *c;

	if (ng_params_parse(doc, req, p, reason) != 0)
		return NULL;
	if (p->call_id.len == 0) {
		*reason = "No call-id in message";
		return NULL;
	}
	c = ng_call_find(nc, p->call_id);
	if (c == NULL)
		*reason = "Unknown call-id";
	return c;
}

/* result ok and the call's figures as they are now. */
static void
put_call_reply(const struct ng_calls *nc, struct bencode_writer *w, const struct ng_call *c)
{
	bencode_put_dict(w);
	bencode_put_key_cstr(w, "result", "ok");
	put_call(nc, w, c);
	bencode_put_end(w);
}

int
ng_cmd_query(void *arg, const struct bencode_doc *doc, const struct bencode_node *req,
	     struct bencode_writer *w, const char **reason)
{
	struct ng_calls *nc = arg;
	struct ng_params p;
	struct ng_call *c;

	nc->stats.queries++;
	c = ng_call_of(nc, doc, req, &p, reason);
	if (c == NULL)
		return -ENOENT;
	put_call_reply(nc, w, c);
	return 0;
}

int
ng_cmd_delete(void *arg, const struct bencode_doc *doc, const struct bencode_node *req,
	      struct bencode_writer *w, const char **reason)
{
	struct ng_calls *nc = arg;
	struct ng_params p;
	struct ng_call *c;

	nc->stats.deletes++;
	c = ng_call_of(nc, doc, req, &p, reason);
	if (c == NULL)
		return -ENOENT;
	/* Kamailio logs the figures of the delete's reply. */
	put_call_reply(nc, w, c);
	if (p.delete_delay > 0)
		c->delete_at_ms = ng_now_ms() + (uint64_t)p.delete_delay * 1000u;
	else
		ng_call_end(nc, c, &nc->stats.deleted);
	return 0;
}

int
ng_cmd_list(void *arg, const struct bencode_doc *doc, const struct bencode_node *req,
	    struct bencode_writer *w, const char **reason)
{
	struct ng_calls *nc = arg;
	struct ng_params p;
	int64_t n = 0, limit;

	if (ng_params_parse(doc, req, &p, reason) != 0)
		return -EINVAL;
	limit = p.limit >= 0 ? p.limit : NG_LIST_DEFAULT;
	bencode_put_dict(w);
	bencode_put_key_cstr(w, "result", "ok");
	bencode_put_cstr(w, "calls");
	bencode_put_list(w);
	for (const struct ng_call *c = nc->first; c != NULL && n < limit; c = c->next, n++)
		bencode_put_cstr(w, c->call_id);
	bencode_put_end(w);
	bencode_put_end(w);
	return 0;
}

int
ng_cmd_statistics(void *arg, const struct bencode_doc *doc, const struct bencode_node *req,
		  struct bencode_writer *w, const char **reason)
{
	const struct ng_calls *nc = arg;
	const struct ng_calls_stats *s = &nc->stats;

	(void)doc, (void)req, (void)reason;
	bencode_put_dict(w);
	bencode_put_key_cstr(w, "result", "ok");
	bencode_put_cstr(w, "statistics");
	bencode_put_dict(w);
	bencode_put_cstr(w, "currentstatistics");
	bencode_put_dict(w);
	bencode_put_key_int(w, "sessionsown", (int64_t)s->current);
	bencode_put_key_int(w, "sessionsforeign", 0);
	bencode_put_key_int(w, "sessionstotal", (int64_t)s->current);
	bencode_put_key_int(w, "transcodedmedia", 0);
	bencode_put_end(w);
	bencode_put_cstr(w, "totalstatistics");
	bencode_put_dict(w);
	bencode_put_key_int(w, "uptime", (int64_t)(ng_now_s() - nc->start_s));
	bencode_put_key_int(w, "managedsessions", (int64_t)s->managed);
	bencode_put_key_int(w, "rejectedsessions", (int64_t)s->rejected);
	bencode_put_key_int(w, "timeoutsessions", (int64_t)s->timeout);
	bencode_put_key_int(w, "regularterminatedsessions", (int64_t)s->deleted);
	bencode_put_end(w);
	bencode_put_end(w);
	bencode_put_end(w);
	return 0;
}

static void
print_call(const struct ng_calls *nc, const struct ng_call *c, FILE *out)
{
	struct ng_totals t;

	call_totals(nc, c, &t);
	fprintf(out, "call %s: %s, %u media, from-tag %s to-tag %s, rtp %" PRIu64
		" rtcp %" PRIu64 " errors %" PRIu64 "%s\n", c->call_id,
		c->answered ? "answered" : "offered", c->n_streams, c->tag[0],
		c->tag[1][0] ? c->tag[1] : "-", t.pkts[0], t.pkts[1], t.errors[0],
		c->delete_at_ms ? ", deleting" : "");
}

void
ng_calls_print_all(const struct ng_calls *nc, FILE *out)
{
	fprintf(out, "%" PRIu64 " calls\n", nc->stats.current);
	for (const struct ng_call *c = nc->first; c != NULL; c = c->next)
		print_call(nc, c, out);
}

int
ng_calls_print(const struct ng_calls *nc, const char *call_id, FILE *out)
{
	const struct ng_call *c = ng_call_find(nc, (struct ng_str){ call_id, strlen(call_id) });

	if (c == NULL)
		return -ENOENT;
	print_call(nc, c, out);
	for (unsigned int i = 0; i < c->n_streams; i++) {
		const struct ng_stream *st = &c->streams[i];

		if (st->session == SESSION_NONE) {
			fprintf(out, "  %u %s: rejected\n", i, st->media);
			continue;
		}
		fprintf(out, "  %u %s: session %u %s, offerer leg %u %s%s, answerer leg %u %s%s\n", i,
			st->media, st->session, st->e2ae ? "e2ae" : "e2e", st->end[0].leg,
			st->end[0].proto, st->end[0].ice ? " ice" : "", st->end[1].leg,
			st->end[1].proto, st->end[1].ice ? " ice" : "");
	}
	return 0;
}
