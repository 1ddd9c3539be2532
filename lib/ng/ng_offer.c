/* SPDX-License-Identifier: BSD-3-Clause */
/* ng offer and answer: a call's sessions made from the offer, completed by the answer. */
#include <errno.h>
#include <string.h>

#include "ng_calls_priv.h"

static bool
str_eq_c(struct ng_str s, const char *c)
{
	return s.len == strlen(c) && memcmp(s.p, c, s.len) == 0;
}

static int
iface_by_name(const struct ng_calls *nc, struct ng_str name)
{
	for (uint16_t i = 0; i < nc->p.n_ifaces; i++)
		if (str_eq_c(name, nc->p.ifaces[i].name))
			return i;
	return -1;
}

/* The interface whose subnet holds addr, or -1. */
static int
iface_of_addr(const struct ng_calls *nc, const struct inet_endpoint *ep)
{
	struct inet_addr a;

	inet_endpoint_addr(ep, &a);
	for (uint16_t i = 0; i < nc->p.n_ifaces; i++)
		for (uint16_t k = 0; k < nc->p.ifaces[i].n_addrs; k++)
			if (inet_prefix_contains(&nc->p.ifaces[i].addrs[k], &a))
				return i;
	return -1;
}

/* direction [offerer's, answerer's], else the offerer's by subnet and the first other one. */
static int
pick_ifaces(const struct ng_calls *nc, const struct ng_params *p, const struct ng_media_in *first,
	    uint16_t iface[2], const char **reason)
{
	int a = -1, b = -1;

	if (p->n_direction == 2) {
		a = iface_by_name(nc, p->direction[0]);
		b = iface_by_name(nc, p->direction[1]);
		if (a < 0 || b < 0) {
			*reason = "direction names an interface the box does not have";
			return -EINVAL;
		}
	} else {
		a = first->has_remote ? iface_of_addr(nc, &first->remote) : -1;
		if (a < 0)
			a = 0;
		b = nc->p.n_ifaces > 1 ? (a == 0 ? 1 : 0) : a;
	}
	iface[0] = (uint16_t)a;
	iface[1] = (uint16_t)b;
	return 0;
}

static int
parse_sdp(struct ng_calls *nc, const struct ng_params *p, const char **reason)
{
	if (p->sdp.p == NULL) {
		*reason = "No SDP body in message";
		return -EINVAL;
	}
	if (sdp_parse(&nc->sdp, p->sdp.p, p->sdp.len) != 0) {
		/* nc->sdp.error names the line; static storage until the next parse. */
		*reason = nc->sdp.error;
		return -EINVAL;
	}
	if (nc->sdp.n_media == 0) {
		*reason = "the SDP has no media section";
		return -EINVAL;
	}
	if (nc->sdp.n_media > NG_STREAMS_MAX) {
		*reason = "the SDP has more media sections than a call may have (8)";
		return -E2BIG;
	}
	return 0;
}

/* Kamailio fails over to the next box on exactly these two reasons. */
static const char *
add_failure_reason(int ret, const char *err, const char **reason)
{
	static char why[SESSION_ERR_LEN];

	if (ret == -EADDRINUSE)
		return "Ran out of ports";
	if (ret == -ENOSPC)
		return "Parallel session limit reached";
	snprintf(why, sizeof(why), "%s", err);
	(void)reason;
	return why;
}

/*
 * A section of the offerer's BUNDLE group after its first: its media rides
 * the first one's transport (the same port, ICE and DTLS), only its IMS
 * side is a leg of its own.
 */
static void
join_bundle(const struct ng_call *c, unsigned int i, struct ng_stream *st, struct call_spec *cs)
{
	int t = ng_bundle_transport(c, i);

	st->member = false;
	if (!st->in_bundle || !st->e2ae || t < 0)
		return;
	st->member = true;
	st->transport = (uint8_t)t;
	cs->session.bundled = true;
	cs->session.bundle_transport = c->streams[t].end[NG_SIDE_OFFER].leg;
	memset(&cs->leg[0], 0, sizeof(cs->leg[0]));
}

static int
add_stream(struct ng_calls *nc, const struct ng_params *p, struct ng_call *c, unsigned int i,
	   const char **reason)
{
	struct ng_stream *st = &c->streams[i];
	const struct session *s;
	struct ng_media_in in;
	struct ng_fp_text fp;
	struct call_spec cs;
	char err[SESSION_ERR_LEN] = "";
	int ret;

	st->session = SESSION_NONE;
	st->rtcp_session = SESSION_NONE;
	st->rtcp_leg[0] = st->rtcp_leg[1] = LEG_NONE;
	if (ng_media_read(&nc->sdp, i, &in, reason) != 0)
		return -EINVAL;
	st->in_bundle = in.port != 0 && ng_bundle_has_mid(&nc->sdp, in.mid);
	if (in.port == 0 || !ng_proto_known(in.proto)) {
		/* Disabled by the offerer, or not RTP (application/SCTP): rejected towards both. */
		st->end[0].rejected = st->end[1].rejected = true;
		return 0;
	}
	ret = ng_plan_offer(nc, p, c, &in, st, &cs, &fp, reason);
	if (ret == 0) {
		join_bundle(c, i, st, &cs);
		ret = call_session_add(nc->p.calls, c->call, &cs, &st->session, err, sizeof(err));
		if (ret != 0)
			*reason = add_failure_reason(ret, err, reason);
	}
	if (ret != 0) {
		explicit_bzero(&cs, sizeof(cs));	/* master keys */
		st->session = SESSION_NONE;
		return ret;
	}
	s = session_get(nc->p.sessions, st->session);
	st->end[NG_SIDE_OFFER].leg = s->leg[0];
	st->end[NG_SIDE_ANSWER].leg = s->leg[1];
	ret = ng_rtcp_add(nc, c, st, &in, &cs, reason);
	explicit_bzero(&cs, sizeof(cs));
	return ret;
}

/* The SDP in nc->sdp written towards side, into nc->sdp_out. Its length or -errno. */
static int
write_towards(struct ng_calls *nc, const struct ng_call *c, int side, const struct ng_params *p)
{
	static struct ng_media_out mo[NG_STREAMS_MAX];
	static struct ng_out_text text[NG_STREAMS_MAX];
	static char group[NG_BUNDLE_STR_MAX];
	struct ng_session_out so = { 0 };
	const struct leg *leg = NULL;
	bool ice = false;
	int ret;

	for (unsigned int i = 0; i < c->n_streams; i++) {
		ng_plan_out(nc, c, &c->streams[i], side, &mo[i], &text[i]);
		if (!mo[i].rejected) {
			ice |= c->streams[i].end[side].ice;
			leg = &session_table_legs(nc->p.sessions)[c->streams[i].end[side].leg];
		}
	}
	if (leg != NULL)
		inet_endpoint_addr(&leg->local, &so.addr);
	else
		so.addr = *iface_addr(&nc->p.ifaces[c->iface[side]], INET_FAMILY_V4, 0);
	so.origin = p->replace_origin;
	so.ice_lite = ice;
	so.strip_ice = true;
	so.strip_dtls = true;
	/*
	 * IMS does not bundle (TS 23.228 U.1.1): each section has a port of its
	 * own there. The offerer's group is kept towards it, on its transport.
	 */
	so.strip_bundle = true;
	if (side == NG_SIDE_OFFER && c->bundle) {
		ng_bundle_group(c, group, sizeof(group));
		if (strcmp(group, "BUNDLE") != 0)
			so.bundle = group;
	}
	ret = ng_sdp_write(&nc->sdp, &so, mo, c->n_streams, nc->sdp_out, sizeof(nc->sdp_out));
	for (unsigned int i = 0; i < c->n_streams; i++)
		explicit_bzero(mo[i].crypto, sizeof(mo[i].crypto));
	explicit_bzero(text, sizeof(text));
	return ret;
}

static void
put_sdp_reply(struct bencode_writer *w, const char *sdp, size_t len)
{
	bencode_put_dict(w);
	bencode_put_key_str(w, "sdp", sdp, len);
	bencode_put_key_cstr(w, "result", "ok");
	bencode_put_end(w);
}

static int
need_ids(const struct ng_params *p, bool to_tag, const char **reason)
{
	if (p->call_id.len == 0) {
		*reason = "No call-id in message";
		return -EINVAL;
	}
	if (p->from_tag.len == 0) {
		*reason = "No from-tag in message";
		return -EINVAL;
	}
	if (to_tag && p->to_tag.len == 0) {
		*reason = "No to-tag in message";
		return -EINVAL;
	}
	return 0;
}

/* A repeat of the last SDP the side sent: its reply again, nothing changed. */
static bool
repeated(const struct ng_call *c, int side, const struct ng_params *p)
{
	const char *in = c->sdp_in[side];

	return in != NULL && c->sdp_out[side] != NULL && strlen(in) == p->sdp.len &&
	       memcmp(in, p->sdp.p, p->sdp.len) == 0;
}

static int
new_call_offer(struct ng_calls *nc, const struct ng_params *p, struct ng_call **out,
	       const char **reason)
{
	struct ng_media_in first;
	struct ng_call *c;
	uint64_t rejected_ = 0;
	int ret;

	if (ng_media_read(&nc->sdp, 0, &first, reason) != 0)
		return -EINVAL;
	c = ng_call_new(nc, p->call_id, reason);
	if (c == NULL)
		return -ENOSPC;
	ng_copy_str(c->tag[NG_SIDE_OFFER], sizeof(c->tag[0]), p->from_tag);
	ng_copy_str(c->label, sizeof(c->label), p->label);
	ret = pick_ifaces(nc, p, &first, c->iface, reason);
	c->n_streams = (uint8_t)nc->sdp.n_media;
	for (unsigned int i = 0; ret == 0 && i < c->n_streams; i++)
		ret = add_stream(nc, p, c, i, reason);
	c->bundle = ng_bundle_transport(c, c->n_streams) >= 0;
	if (ret == 0 && ng_bundle_publish(nc, c, &nc->sdp) != 0) {
		*reason = "cannot publish the BUNDLE demux";
		ret = -ENOMEM;
	}
	if (ret != 0) {
		ng_call_end(nc, c, &rejected_);
		nc->stats.managed--;
		return ret;
	}
	*out = c;
	return 0;
}

/* A new offer on a known call (re-INVITE): the same legs, the offerer's new address. */
static int
re_offer(struct ng_calls *nc, struct ng_call *c, const char **reason)
{
	struct ng_media_in in;

	if (nc->sdp.n_media != c->n_streams) {
		*reason = "a re-offer must keep the media sections of the first offer";
		return -ENOTSUP;
	}
	for (unsigned int i = 0; i < c->n_streams; i++) {
		const struct ng_end *e = &c->streams[i].end[NG_SIDE_OFFER];

		if (ng_media_read(&nc->sdp, i, &in, reason) != 0)
			return -EINVAL;
		if (c->streams[i].session == SESSION_NONE || e->ice || !in.has_remote)
			continue;
		if (call_leg_set_remote(nc->p.calls, e->leg, &in.remote) != 0) {
			*reason = "the re-offer's address is not one the box may send to";
			return -EINVAL;
		}
	}
	return 0;
}

/* The request's interception task, if any, on the call it went to. */
static void
follow_li(struct ng_calls *nc, struct ng_call *c, int li, const struct ng_li_req *r)
{
	if (li > 0 || c->n_li > 0)
		ng_li_follow(nc, c, li > 0 ? r : NULL);
}

int
ng_cmd_offer(void *arg, const struct bencode_doc *doc, const struct bencode_node *req,
	     struct bencode_writer *w, const char **reason)
{
	struct ng_calls *nc = arg;
	struct ng_params p;
	struct ng_li_req r;
	struct ng_call *c;
	int len, li;

	nc->stats.offers++;
	if (ng_params_parse(doc, req, &p, reason) != 0 || need_ids(&p, false, reason) != 0)
		return -EINVAL;
	c = ng_call_find(nc, p.call_id);
	li = ng_li_read(nc, &p, c, &r, reason);
	if (li < 0)
		goto rejected;
	if (c != NULL && repeated(c, NG_SIDE_OFFER, &p)) {
		put_sdp_reply(w, c->sdp_out[NG_SIDE_OFFER], strlen(c->sdp_out[NG_SIDE_OFFER]));
		follow_li(nc, c, li, &r);
		return 0;
	}
	if (parse_sdp(nc, &p, reason) != 0)
		goto rejected;
	if (c != NULL ? re_offer(nc, c, reason) != 0 : new_call_offer(nc, &p, &c, reason) != 0)
		goto rejected;
	c->last_signal_s = ng_now_s();
	len = write_towards(nc, c, NG_SIDE_ANSWER, &p);
	if (len < 0) {
		*reason = "the SDP towards the answerer does not fit";
		return -EINVAL;
	}
	if (!ng_call_keep(&c->sdp_in[NG_SIDE_OFFER], p.sdp.p, p.sdp.len) ||
	    !ng_call_keep(&c->sdp_out[NG_SIDE_OFFER], nc->sdp_out, (size_t)len)) {
		*reason = "out of memory";
		return -ENOMEM;
	}
	put_sdp_reply(w, nc->sdp_out, (size_t)len);
	follow_li(nc, c, li, &r);
	return 0;
rejected:
	nc->stats.rejected++;
	return -EINVAL;
}

static int
apply_answer(struct ng_calls *nc, struct ng_call *c, const char **reason)
{
	struct ng_media_in in;

	if (nc->sdp.n_media != c->n_streams) {
		*reason = "the answer's media sections are not the offer's";
		return -EINVAL;
	}
	for (unsigned int i = 0; i < c->n_streams; i++) {
		if (ng_media_read(&nc->sdp, i, &in, reason) != 0 ||
		    ng_apply_answer(nc, &c->streams[i], &in, reason) != 0)
			return -EINVAL;
	}
	return 0;
}

int
ng_cmd_answer(void *arg, const struct bencode_doc *doc, const struct bencode_node *req,
	      struct bencode_writer *w, const char **reason)
{
	struct ng_calls *nc = arg;
	struct ng_params p;
	struct ng_li_req r;
	struct ng_call *c;
	int len, li;

	nc->stats.answers++;
	if (ng_params_parse(doc, req, &p, reason) != 0 || need_ids(&p, true, reason) != 0)
		return -EINVAL;
	c = ng_call_find(nc, p.call_id);
	if (c == NULL) {
		*reason = "Unknown call-id";
		return -ENOENT;
	}
	if (!str_eq_c(p.from_tag, c->tag[NG_SIDE_OFFER])) {
		*reason = "Unknown from-tag";
		return -ENOENT;
	}
	li = ng_li_read(nc, &p, c, &r, reason);
	if (li < 0)
		return li;
	/* Kamailio answers once per 200 OK retransmission, each with a new cookie. */
	if (c->answered && repeated(c, NG_SIDE_ANSWER, &p)) {
		nc->stats.answers_repeated++;
		put_sdp_reply(w, c->sdp_out[NG_SIDE_ANSWER], strlen(c->sdp_out[NG_SIDE_ANSWER]));
		follow_li(nc, c, li, &r);
		return 0;
	}
	if (parse_sdp(nc, &p, reason) != 0 || apply_answer(nc, c, reason) != 0)
		return -EINVAL;
	ng_copy_str(c->tag[NG_SIDE_ANSWER], sizeof(c->tag[1]), p.to_tag);
	c->answered = true;
	c->last_signal_s = ng_now_s();
	len = write_towards(nc, c, NG_SIDE_OFFER, &p);
	if (len < 0) {
		*reason = "the SDP towards the offerer does not fit";
		return -EINVAL;
	}
	if (!ng_call_keep(&c->sdp_in[NG_SIDE_ANSWER], p.sdp.p, p.sdp.len) ||
	    !ng_call_keep(&c->sdp_out[NG_SIDE_ANSWER], nc->sdp_out, (size_t)len)) {
		*reason = "out of memory";
		return -ENOMEM;
	}
	put_sdp_reply(w, nc->sdp_out, (size_t)len);
	follow_li(nc, c, li, &r);
	return 0;
}
