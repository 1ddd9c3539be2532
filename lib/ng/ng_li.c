/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "li/li_pdu.h"
#include "ng_calls_priv.h"

/*
 * Lawful interception through ng. srtpfwd's own keys, flat strings so
 * that Kamailio's rtpengine module passes them as key=value flags:
 *
 *   intercept-xid             the task's UUID (required)
 *   intercept-correlation-id  non-zero, decimal or 0x-hex (required)
 *   intercept-mf              a [mediation-function] of the config (required)
 *   intercept-target          from-tag (default), to-tag, or the party's tag
 *   intercept-dtls            yes: e2e DTLS records too (default no)
 *
 * On an offer or answer they start a task that follows the call: every
 * session of the call is tapped, and the task stops when the call ends.
 * Later offers and answers with the same XID change nothing. The commands
 * "start intercept" (call-id and the keys) and "stop intercept" (call-id,
 * and intercept-xid or every task of the call) do the same at any time.
 * Nothing the parties get changes: not the SDP, not the media.
 */

static int
read_correlation(const struct ng_params *p, uint64_t *out, const char **reason)
{
	char tmp[24], *end;

	*reason = "intercept-correlation-id is not a non-zero 64-bit number (decimal or 0x-hex)";
	if (p->li_correlation_num > 0) {
		*out = (uint64_t)p->li_correlation_num;
		return 0;
	}
	if (p->li_correlation.len == 0 || p->li_correlation.len >= sizeof(tmp))
		return -EINVAL;
	memcpy(tmp, p->li_correlation.p, p->li_correlation.len);
	tmp[p->li_correlation.len] = '\0';
	if (tmp[0] == '-' || tmp[0] == '+')
		return -EINVAL;
	errno = 0;
	*out = strtoull(tmp, &end, strncmp(tmp, "0x", 2) == 0 ? 16 : 10);
	return *end != '\0' || errno != 0 || *out == 0 ? -EINVAL : 0;
}

/* intercept-target: from-tag / to-tag, or one of the call's tags. */
static int
read_target(const struct ng_params *p, const struct ng_call *c, int *side, const char **reason)
{
	*side = NG_SIDE_OFFER;
	if (p->li_target.len == 0 || ng_str_is(p->li_target, "from-tag"))
		return 0;
	if (ng_str_is(p->li_target, "to-tag")) {
		*side = NG_SIDE_ANSWER;
		return 0;
	}
	for (int s = 0; c != NULL && s < 2; s++)
		if (c->tag[s][0] != '\0' && p->li_target.len == strlen(c->tag[s]) &&
		    memcmp(p->li_target.p, c->tag[s], p->li_target.len) == 0) {
			*side = s;
			return 0;
		}
	if (p->from_tag.len == p->li_target.len &&
	    memcmp(p->from_tag.p, p->li_target.p, p->li_target.len) == 0)
		return 0;
	if (p->to_tag.len == p->li_target.len &&
	    memcmp(p->to_tag.p, p->li_target.p, p->li_target.len) == 0) {
		*side = NG_SIDE_ANSWER;
		return 0;
	}
	*reason = "intercept-target is not from-tag, to-tag or a tag of the call";
	return -EINVAL;
}

/* Is the task of this XID the call's (not stopped, its XID not taken since by another)? */
static bool
ours(const struct ng_calls *nc, const struct ng_call *c, const uint8_t xid[16])
{
	const struct li_task_spec *t = li_task_get(nc->p.li, xid);

	return t != NULL && strcmp(t->call, c->call_id) == 0;
}

static bool
follows(const struct ng_call *c, const uint8_t xid[16])
{
	for (unsigned int i = 0; c != NULL && i < c->n_li; i++)
		if (memcmp(c->li[i].xid, xid, 16) == 0)
			return true;
	return false;
}

/* intercept-xid as a UUID. 0, or -EINVAL with *reason. */
static int
read_xid(struct ng_str v, uint8_t out[16], const char **reason)
{
	char xid[40];

	if (v.len == 0 || v.len >= sizeof(xid)) {
		*reason = v.len == 0 ? "no intercept-xid" : "intercept-xid is not a UUID";
		return -EINVAL;
	}
	memcpy(xid, v.p, v.len);
	xid[v.len] = '\0';
	if (li_uuid_parse(xid, out) != 0) {
		*reason = "intercept-xid is not a UUID (8-4-4-4-12 hex digits)";
		return -EINVAL;
	}
	return 0;
}

/* Fill r from p's keys (no check against the tasks). 0, or -EINVAL with *reason. */
static int
read_spec(const struct ng_params *p, const struct ng_call *c, struct ng_li_req *r,
	  const char **reason)
{
	memset(r, 0, sizeof(*r));
	if (read_xid(p->li_xid, r->spec.xid, reason) != 0)
		return -EINVAL;
	if (read_correlation(p, &r->spec.correlation_id, reason) != 0)
		return -EINVAL;
	if (p->li_mf.len == 0 || p->li_mf.len >= sizeof(r->spec.mf)) {
		*reason = p->li_mf.len == 0 ? "no intercept-mf" : "intercept-mf is too long";
		return -EINVAL;
	}
	ng_copy_str(r->spec.mf, sizeof(r->spec.mf), p->li_mf);
	if (p->li_dtls.len != 0 && !ng_str_is(p->li_dtls, "yes") && !ng_str_is(p->li_dtls, "no")) {
		*reason = "intercept-dtls is not yes or no";
		return -EINVAL;
	}
	r->spec.dtls = ng_str_is(p->li_dtls, "yes");
	ng_copy_str(r->spec.call, sizeof(r->spec.call), p->call_id);
	return read_target(p, c, &r->side, reason);
}

int
ng_li_read(const struct ng_calls *nc, const struct ng_params *p, const struct ng_call *c,
	   struct ng_li_req *r, const char **reason)
{
	static char why[SESSION_ERR_LEN];
	bool any = p->li_xid.len || p->li_correlation.len || p->li_correlation_num > 0 ||
		   p->li_mf.len || p->li_target.len || p->li_dtls.len;

	if (!any)
		return 0;
	if (nc->p.li == NULL) {
		*reason = "lawful interception is not available";
		return -ENOTSUP;
	}
	if (read_spec(p, c, r, reason) != 0)
		return -EINVAL;
	if (!follows(c, r->spec.xid) && c != NULL && c->n_li == NG_LI_PER_CALL) {
		*reason = "the call has as many interception tasks as it may (4)";
		return -ENOSPC;
	}
	if (li_task_check(nc->p.li, &r->spec, why, sizeof(why)) != 0) {
		*reason = why;
		return -EINVAL;
	}
	return 1;
}

/* The leg of session facing side's party: RTP's, or the separate RTCP session's. */
static uint32_t
target_leg(const struct ng_calls *nc, const struct ng_stream *st, int side, bool rtcp)
{
	const struct session *s;

	if (!rtcp)
		return st->end[side].leg;
	if (st->rtcp_leg[side] != LEG_NONE)
		return st->rtcp_leg[side];
	s = session_get(nc->p.sessions, st->rtcp_session);
	return s == NULL ? LEG_NONE : s->leg[0] == st->rtcp_leg[!side] ? s->leg[1] : s->leg[0];
}

static void
log_li(const struct ng_calls *nc, const uint8_t xid[16], const char *what, const char *call,
       const char *detail)
{
	char text[37];

	if (nc->p.log == NULL)
		return;
	li_uuid_format(xid, text);
	fprintf(nc->p.log, "li: task %s %s: call %s%s\n", text, what, call, detail);
	fflush(nc->p.log);
}

/* Tap every session of the call for task i (sessions already tapped stay). */
static void
tap_call(struct ng_calls *nc, struct ng_call *c, unsigned int i)
{
	char err[SESSION_ERR_LEN], detail[SESSION_ERR_LEN + 40];

	for (unsigned int k = 0; k < c->n_streams; k++) {
		const struct ng_stream *st = &c->streams[k];
		const uint32_t sessions[2] = { st->session, st->rtcp_session };

		for (int r = 0; r < 2; r++) {
			uint32_t leg = target_leg(nc, st, c->li[i].side, r == 1);

			if (sessions[r] == SESSION_NONE || leg == LEG_NONE)
				continue;
			if (li_task_tap(nc->p.li, c->li[i].xid, sessions[r], leg, err, sizeof(err)) != 0) {
				snprintf(detail, sizeof(detail), ", session %u not tapped: %s",
					 sessions[r], err);
				log_li(nc, c->li[i].xid, "incomplete", c->call_id, detail);
			}
		}
	}
}

/* Forget task i of the call (stopped elsewhere, or now). */
static void
unfollow(struct ng_call *c, unsigned int i)
{
	c->li[i] = c->li[--c->n_li];
}

void
ng_li_follow(struct ng_calls *nc, struct ng_call *c, const struct ng_li_req *r)
{
	char err[SESSION_ERR_LEN], detail[64 + CONFIG_MF_NAME_LEN];
	unsigned int i;

	for (i = 0; i < c->n_li; i++)
		if (!ours(nc, c, c->li[i].xid))
			unfollow(c, i--);	/* stopped from the console */
	if (r != NULL && !follows(c, r->spec.xid) && c->n_li < NG_LI_PER_CALL) {
		if (li_task_start(nc->p.li, &r->spec, err, sizeof(err)) != 0) {
			snprintf(detail, sizeof(detail), ", not started: %.60s", err);
			log_li(nc, r->spec.xid, "refused", c->call_id, detail);
			return;
		}
		memcpy(c->li[c->n_li].xid, r->spec.xid, 16);
		c->li[c->n_li++].side = (uint8_t)r->side;
		snprintf(detail, sizeof(detail), " target %s, mediation function %s",
			 r->side == NG_SIDE_OFFER ? "from-tag" : "to-tag", r->spec.mf);
		log_li(nc, r->spec.xid, "started", c->call_id, detail);
	}
	for (i = 0; i < c->n_li; i++)
		tap_call(nc, c, i);
}

static void
stop_all(struct ng_calls *nc, struct ng_call *c, const char *why)
{
	while (c->n_li > 0) {
		c->n_li--;
		if (ours(nc, c, c->li[c->n_li].xid) &&
		    li_task_stop(nc->p.li, c->li[c->n_li].xid, NULL, 0) == 0)
			log_li(nc, c->li[c->n_li].xid, "stopped", c->call_id, why);
	}
}

void
ng_li_call_ended(struct ng_calls *nc, struct ng_call *c)
{
	stop_all(nc, c, " (the call ended)");
}

int
ng_calls_li_start(struct ng_calls *nc, const char *call_id, int side,
		  const struct li_task_spec *spec, char *err, size_t errlen)
{
	struct ng_call *c = ng_call_find(nc, (struct ng_str){ call_id, strlen(call_id) });
	struct ng_li_req r = { .spec = *spec, .side = side };
	int ret;

	if (c == NULL)
		return session_set_err(err, errlen, -ENOENT, "no ng call '%s'", call_id);
	if (nc->p.li == NULL)
		return session_set_err(err, errlen, -ENOTSUP, "lawful interception is not available");
	snprintf(r.spec.call, sizeof(r.spec.call), "%s", c->call_id);
	if (follows(c, spec->xid) || li_task_get(nc->p.li, spec->xid) != NULL)
		return session_set_err(err, errlen, -EEXIST, "a task with this XID exists");
	if (c->n_li == NG_LI_PER_CALL)
		return session_set_err(err, errlen, -ENOSPC, "the call has %u tasks already",
				       NG_LI_PER_CALL);
	ret = li_task_check(nc->p.li, &r.spec, err, errlen);
	if (ret != 0)
		return ret;
	ng_li_follow(nc, c, &r);
	return follows(c, spec->xid) ? 0 : session_set_err(err, errlen, -EIO, "not started");
}

/* ---- the commands ---- */

static void
put_ok(struct bencode_writer *w)
{
	bencode_put_dict(w);
	bencode_put_key_cstr(w, "result", "ok");
	bencode_put_end(w);
}

int
ng_cmd_start_intercept(void *arg, const struct bencode_doc *doc, const struct bencode_node *req,
		       struct bencode_writer *w, const char **reason)
{
	struct ng_calls *nc = arg;
	struct ng_params p;
	struct ng_li_req r;
	struct ng_call *c = ng_call_of(nc, doc, req, &p, reason);
	int ret;

	if (c == NULL)
		return -ENOENT;
	ret = ng_li_read(nc, &p, c, &r, reason);
	if (ret == 0) {
		*reason = "no intercept-xid";
		return -EINVAL;
	}
	if (ret < 0)
		return ret;
	if (follows(c, r.spec.xid)) {
		*reason = "the call already has a task with this intercept-xid";
		return -EEXIST;
	}
	ng_li_follow(nc, c, &r);
	if (!follows(c, r.spec.xid)) {
		*reason = "the task could not start";
		return -EIO;
	}
	put_ok(w);
	return 0;
}

int
ng_cmd_stop_intercept(void *arg, const struct bencode_doc *doc, const struct bencode_node *req,
		      struct bencode_writer *w, const char **reason)
{
	struct ng_calls *nc = arg;
	struct ng_params p;
	struct ng_li_req r;
	struct ng_call *c = ng_call_of(nc, doc, req, &p, reason);

	if (c == NULL)
		return -ENOENT;
	if (p.li_xid.len == 0) {
		if (c->n_li == 0) {
			*reason = "the call has no interception task";
			return -ENOENT;
		}
		stop_all(nc, c, " (stop intercept)");
		put_ok(w);
		return 0;
	}
	if (read_xid(p.li_xid, r.spec.xid, reason) != 0)
		return -EINVAL;
	for (unsigned int i = 0; i < c->n_li; i++)
		if (memcmp(c->li[i].xid, r.spec.xid, 16) == 0 && ours(nc, c, r.spec.xid)) {
			li_task_stop(nc->p.li, r.spec.xid, NULL, 0);
			log_li(nc, r.spec.xid, "stopped", c->call_id, " (stop intercept)");
			unfollow(c, i);
			put_ok(w);
			return 0;
		}
	*reason = "the call has no task with this intercept-xid";
	return -ENOENT;
}
