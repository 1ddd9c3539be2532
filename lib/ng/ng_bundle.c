/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * BUNDLE towards IMS (TS 23.228 U.1.1) and RTCP on a port of its own: the
 * sessions a call's sections need beyond one each, and the demux tables
 * (lib/session/leg_bundle.h) that send a muxed flow's packets to them.
 *
 * The offerer's BUNDLE group (a browser's) becomes one transport: its first
 * section's leg; every other section of the group gets a member session
 * whose offerer side is a shadow of it, and whose answerer side is a leg of
 * its own towards IMS, which does not bundle. Where one party muxes RTCP
 * and the other does not (a SIP phone answering RTP/AVP without
 * a=rtcp-mux), the non-muxing party's RTCP gets a leg on its side's RTP
 * port + 1, a member of the muxing party's leg; where neither muxes, a
 * plain session on both ports + 1.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ng_calls_priv.h"

#define MID_EXT_URI "urn:ietf:params:rtp-hdrext:sdes:mid"

static bool
sdp_str_same(struct sdp_str a, struct sdp_str b)
{
	return a.len == b.len && memcmp(a.p, b.p, a.len) == 0;
}

bool
ng_bundle_has_mid(const struct sdp *sdp, struct sdp_str mid)
{
	struct sdp_group g;

	if (mid.len == 0 || sdp_bundle(sdp, &g) != 0)
		return false;
	for (unsigned int i = 0; i < g.n_mids; i++)
		if (sdp_str_same(g.mids[i], mid))
			return true;
	return false;
}

int
ng_bundle_transport(const struct ng_call *c, unsigned int i)
{
	for (unsigned int t = 0; t < i; t++) {
		const struct ng_stream *st = &c->streams[t];

		if (st->session != SESSION_NONE && st->in_bundle && !st->member && st->e2ae)
			return (int)t;
	}
	return -1;
}

/* ---- RTCP sessions ---- */

/* The RTCP remote of a party whose RTP remote is rtp: a=rtcp's port, else RTP's + 1. */
static struct inet_endpoint
rtcp_remote(const struct inet_endpoint *rtp, uint16_t rtcp_port)
{
	struct inet_endpoint ep = *rtp;
	uint16_t port = rtcp_port != 0 ? rtcp_port : (uint16_t)(rte_be_to_cpu_16(rtp->port) + 1);

	ep.port = rte_cpu_to_be_16(port);
	return ep;
}

/* ls becomes the RTCP leg beside leg_id: the same interface and address, port + 1. */
static void
rtcp_leg_spec(const struct ng_calls *nc, const struct leg_spec *rtp, uint32_t leg_id,
	      struct leg_spec *ls)
{
	uint16_t port;

	*ls = *rtp;
	ls->ice = false;
	ls->dtls = false;
	ng_box_addr(nc, leg_id, &ls->local_addr, &port);
	ls->local_port = (uint16_t)(port + 1);
	if (ls->remote.family != 0)
		ls->remote = rtcp_remote(&ls->remote, 0);
}

static bool
end_plain(const struct ng_end *e)
{
	return !e->ice && e->sec != NG_SEC_DTLS;
}

static int
rtcp_session_add(struct ng_calls *nc, struct ng_call *c, struct ng_stream *st,
		 struct call_spec *cs, const char **reason)
{
	static char err[SESSION_ERR_LEN];
	const struct session *s;
	int ret;

	ret = call_session_add(nc->p.calls, c->call, cs, &st->rtcp_session, err, sizeof(err));
	explicit_bzero(cs, sizeof(*cs));
	if (ret != 0) {
		st->rtcp_session = SESSION_NONE;
		*reason = ret == -EADDRINUSE ? "Ran out of ports" :
			  ret == -ENOSPC ? "Parallel session limit reached" : err;
		return ret;
	}
	s = session_get(nc->p.sessions, st->rtcp_session);
	if (st->rtcp_mixed) {
		st->rtcp_leg[st->rtcp_side] = s->leg[1];	/* leg[0]: the shadow */
	} else {
		st->rtcp_leg[NG_SIDE_OFFER] = s->leg[0];
		st->rtcp_leg[NG_SIDE_ANSWER] = s->leg[1];
	}
	return 0;
}

int
ng_rtcp_add(struct ng_calls *nc, struct ng_call *c, struct ng_stream *st,
	    const struct ng_media_in *in, const struct call_spec *main, const char **reason)
{
	const struct ng_end *near = &st->end[NG_SIDE_OFFER], *far = &st->end[NG_SIDE_ANSWER];
	struct call_spec cs;
	int side;

	st->rtcp_session = SESSION_NONE;
	st->rtcp_leg[0] = st->rtcp_leg[1] = LEG_NONE;
	st->rtcp_mixed = false;
	memset(&cs, 0, sizeof(cs));
	if (!near->mux && !far->mux) {
		/* Neither muxes: RTCP is a session of its own, beside RTP's, on ports + 1. */
		if (!end_plain(near) || !end_plain(far))
			return 0;
		cs.session = main->session;
		for (int i = 0; i < 2; i++)
			rtcp_leg_spec(nc, &main->session.leg[i], st->end[i].leg, &cs.session.leg[i]);
		if (in->rtcp_port != 0 && in->has_remote && cs.session.leg[0].latch != LATCH_LEARN)
			cs.session.leg[0].remote = rtcp_remote(&in->remote, in->rtcp_port);
		return rtcp_session_add(nc, c, st, &cs, reason);
	}
	if (near->mux == far->mux || !st->e2ae)
		return 0;
	side = near->mux ? NG_SIDE_ANSWER : NG_SIDE_OFFER;
	if (!end_plain(&st->end[side]))
		return 0;	/* ICE and DTLS parties get RTCP on the RTP port (one component) */
	/* The muxing party's leg sends the other's RTCP to this leg: a member of it. */
	st->rtcp_mixed = true;
	st->rtcp_side = (int8_t)side;
	cs.session.mode = SESSION_MODE_E2AE;
	cs.session.bundled = true;
	cs.session.bundle_transport = side == NG_SIDE_ANSWER ?
		(st->member ? c->streams[st->transport].end[NG_SIDE_OFFER].leg : near->leg) :
		far->leg;
	rtcp_leg_spec(nc, &main->session.leg[side], st->end[side].leg, &cs.session.leg[1]);
	if (side == NG_SIDE_OFFER && in->rtcp_port != 0 && in->has_remote &&
	    cs.session.leg[1].latch != LATCH_LEARN)
		cs.session.leg[1].remote = rtcp_remote(&in->remote, in->rtcp_port);
	return rtcp_session_add(nc, c, st, &cs, reason);
}

int
ng_rtcp_answer(struct ng_calls *nc, struct ng_stream *st, const struct ng_media_in *in)
{
	uint32_t leg = st->rtcp_leg[NG_SIDE_ANSWER];
	struct inet_endpoint ep;

	if (leg == LEG_NONE || !in->has_remote)
		return 0;
	ep = rtcp_remote(&in->remote, in->rtcp_port);
	return call_leg_set_remote(nc->p.calls, leg, &ep);
}

uint16_t
ng_rtcp_port(const struct ng_calls *nc, const struct ng_stream *st, int side)
{
	struct inet_addr a;
	uint16_t port;

	if (st->rtcp_leg[side] == LEG_NONE)
		return 0;
	ng_box_addr(nc, st->rtcp_leg[side], &a, &port);
	return port;
}

/* ---- demux tables ---- */

/* The MID header extension's id in a section (or the session), 0: none. */
static uint8_t
mid_ext_id(const struct sdp *sdp, const struct sdp_section *sec)
{
	for (int l = sdp_attr_find(sdp, sec, "extmap", 0); l >= 0;
	     l = sdp_attr_find(sdp, sec, "extmap", l + 1)) {
		struct sdp_str v = sdp->lines[l].value;
		const char *uri = memchr(v.p, ' ', v.len);
		unsigned long id = strtoul(v.p, NULL, 10);
		size_t rest;

		if (uri == NULL || id == 0 || id > 255)
			continue;
		rest = v.len - (size_t)(uri + 1 - v.p);
		if (rest >= strlen(MID_EXT_URI) && memcmp(uri + 1, MID_EXT_URI, strlen(MID_EXT_URI)) == 0)
			return (uint8_t)id;
	}
	return 0;
}

/* What section m says the member mi is: its payload types, SSRCs, MID. */
static void
table_add_section(struct leg_bundle *b, const struct sdp *sdp, const struct sdp_media *m,
		  uint8_t mi, struct sdp_str mid)
{
	struct sdp_ssrc ss;

	for (unsigned int f = 0; f < m->n_fmt; f++) {
		char *end;
		unsigned long pt = strtoul(m->fmt[f].p, &end, 10);

		/* The first section to name a payload type keeps it. */
		if (end == m->fmt[f].p + m->fmt[f].len && pt < 128 && b->pt_member[pt] == LEG_BUNDLE_NONE)
			b->pt_member[pt] = mi;
	}
	for (int l = sdp_attr_find(sdp, &m->sec, "ssrc", 0); l >= 0;
	     l = sdp_attr_find(sdp, &m->sec, "ssrc", l + 1)) {
		if (sdp_parse_ssrc(sdp->lines[l].value, &ss) != 0 || b->n_ssrc == LEG_BUNDLE_SSRCS ||
		    leg_bundle_ssrc_member(b, ss.ssrc) != LEG_BUNDLE_NONE)
			continue;
		b->ssrc[b->n_ssrc] = ss.ssrc;
		b->ssrc_member[b->n_ssrc++] = mi;
	}
	if (mid.len > 0 && mid.len <= LEG_BUNDLE_MID_MAX) {
		memcpy(b->member[mi].mid, mid.p, mid.len);
		b->member[mi].mid_len = (uint8_t)mid.len;
	}
	if (b->mid_ext_id == 0)
		b->mid_ext_id = mid_ext_id(sdp, &m->sec);
}

static uint32_t
member_rtcp_leg(const struct ng_stream *st, uint32_t rtp_leg)
{
	return st->rtcp_mixed && st->rtcp_side == NG_SIDE_ANSWER ? st->rtcp_leg[NG_SIDE_ANSWER] :
								    rtp_leg;
}

/* The table of the offerer's BUNDLE transport (stream t) from the offer in sdp. */
static int
publish_bundle(struct ng_calls *nc, const struct ng_call *c, unsigned int t, const struct sdp *sdp)
{
	struct leg_bundle b;
	struct sdp_str mid;

	memset(&b, 0, sizeof(b));
	memset(b.pt_member, LEG_BUNDLE_NONE, sizeof(b.pt_member));
	for (unsigned int i = t; i < c->n_streams && b.n_members < LEG_BUNDLE_MEMBERS; i++) {
		const struct ng_stream *st = &c->streams[i];
		uint32_t rtp_leg = st->end[NG_SIDE_ANSWER].leg;

		if (st->session == SESSION_NONE || (i != t && (!st->member || st->transport != t)))
			continue;
		mid = (struct sdp_str){ 0 };
		(void)sdp_mid(sdp, &sdp->media[i].sec, &mid);
		b.member[b.n_members] = (struct leg_bundle_member){
			.rtp_leg = rtp_leg, .rtcp_leg = member_rtcp_leg(st, rtp_leg),
		};
		table_add_section(&b, sdp, &sdp->media[i], b.n_members, mid);
		b.n_members++;
	}
	if (b.n_members == 1 && b.member[0].rtcp_leg == b.member[0].rtp_leg)
		return 0;	/* one section and its RTCP with it: the peer is enough */
	if (b.n_members == 1)
		memset(b.pt_member, 0, sizeof(b.pt_member));
	return call_leg_set_bundle(nc->p.calls, c->streams[t].end[NG_SIDE_OFFER].leg, &b);
}

/* A section whose RTCP leg faces the offerer: the answerer's leg demuxes RTCP to it. */
static int
publish_rtcp_only(struct ng_calls *nc, const struct ng_stream *st)
{
	struct leg_bundle b;

	memset(&b, 0, sizeof(b));
	b.n_members = 1;
	b.member[0].rtp_leg = st->end[NG_SIDE_OFFER].leg;
	b.member[0].rtcp_leg = st->rtcp_leg[NG_SIDE_OFFER];
	return call_leg_set_bundle(nc->p.calls, st->end[NG_SIDE_ANSWER].leg, &b);
}

int
ng_bundle_publish(struct ng_calls *nc, const struct ng_call *c, const struct sdp *offer)
{
	for (unsigned int i = 0; i < c->n_streams; i++) {
		const struct ng_stream *st = &c->streams[i];
		int ret = 0;

		if (st->session == SESSION_NONE || st->member)
			continue;
		if (st->rtcp_mixed && st->rtcp_side == NG_SIDE_OFFER)
			ret = publish_rtcp_only(nc, st);
		else if (st->e2ae)
			ret = publish_bundle(nc, c, i, offer);
		if (ret != 0)
			return ret;
	}
	return 0;
}

/* ---- the group towards the offerer ---- */

void
ng_bundle_group(const struct ng_call *c, char *buf, size_t cap)
{
	size_t n = (size_t)snprintf(buf, cap, "BUNDLE");

	for (unsigned int i = 0; i < c->n_streams && n < cap; i++) {
		const struct ng_stream *st = &c->streams[i];

		if (!st->in_bundle || st->session == SESSION_NONE || st->end[0].rejected ||
		    st->end[1].rejected || st->end[NG_SIDE_OFFER].mid[0] == '\0')
			continue;
		n += (size_t)snprintf(buf + n, cap - n, " %s", st->end[NG_SIDE_OFFER].mid);
	}
}
