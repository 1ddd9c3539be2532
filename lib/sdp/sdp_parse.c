/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sdp_parse(): one pass over the lines, each checked for the shape RFC 8866
 * §5 gives it, then filed into the session level or the current media
 * section. The order checks are the ones a rewriter relies on (v= o= s=
 * first, t= before any m=, one c= per section); the rest is kept verbatim.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sdp.h"
#include "sdp_token.h"

/* Type letters allowed at the session level and in a media section (RFC 8866 §5). */
#define SESSION_TYPES "iuepcbtrzka"
#define MEDIA_TYPES "icbka"

struct parse_state {
	struct sdp *sdp;
	struct sdp_section *sec;	/* the section lines go into */
	unsigned int line_no;	/* 1-based, for error reasons */
	bool have_t;
};

static int
fail(struct parse_state *st, int err, const char *fmt, ...)
{
	char what[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(st->sdp->error, sizeof(st->sdp->error), "line %u: %s", st->line_no, what);
	return err;
}

/* RFC 8866 §9 token-char: the characters an attribute name may hold. */
static bool
is_token_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		(c != '\0' && strchr("!#$%&'*+-.^_`{|}~", c) != NULL);
}

static bool
is_token(struct sdp_str s)
{
	size_t i;

	if (s.len == 0)
		return false;
	for (i = 0; i < s.len; i++)
		if (!is_token_char(s.p[i]))
			return false;
	return true;
}

/* Exactly n space-separated fields in v, each a field (no control bytes). */
static bool
split_fields(struct sdp_str v, struct sdp_str *f[], unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!sdp_tok_next(&v, f[i]) || !sdp_tok_is_field(*f[i]))
			return false;
	return v.len == 0 && v.p[-1] != ' ';
}

static int
parse_origin(struct parse_state *st, struct sdp_str v)
{
	struct sdp_origin *o = &st->sdp->origin;
	struct sdp_str *f[] = { &o->username, &o->sess_id, &o->sess_version,
		&o->nettype, &o->addrtype, &o->addr };
	size_t i;

	if (!split_fields(v, f, 6))
		return fail(st, -EINVAL, "o= needs 6 fields");
	if (o->sess_version.len > 20)
		return fail(st, -EINVAL, "o= sess-version too long");
	for (i = 0; i < o->sess_version.len; i++)
		if (o->sess_version.p[i] < '0' || o->sess_version.p[i] > '9')
			return fail(st, -EINVAL, "o= sess-version not a number");
	return 0;
}

static int
parse_conn(struct parse_state *st, struct sdp_str v, uint16_t idx)
{
	struct sdp_conn *c = &st->sec->conn;
	struct sdp_str *f[] = { &c->nettype, &c->addrtype, &c->addr };

	if (st->sec->c_line >= 0)
		return fail(st, -EINVAL, "second c= in a section");
	if (!split_fields(v, f, 3))
		return fail(st, -EINVAL, "c= needs 3 fields");
	st->sec->c_line = (int16_t)idx;
	return 0;
}

/* m=<media> <port>[/<count>] <proto> <fmt> ...: fills in a new media section. */
static int
parse_media(struct parse_state *st, struct sdp_str v, uint16_t idx)
{
	struct sdp *sdp = st->sdp;
	struct sdp_media *m;
	struct sdp_str port, count, fmt;
	uint32_t n;

	if (sdp->n_media == SDP_MAX_MEDIA)
		return fail(st, -E2BIG, "more than %u m= sections", SDP_MAX_MEDIA);
	m = &sdp->media[sdp->n_media++];
	memset(m, 0, sizeof(*m));
	m->sec.first = idx;
	m->sec.c_line = -1;
	st->sec = &m->sec;
	if (!sdp_tok_next(&v, &m->media) || !is_token(m->media))
		return fail(st, -EINVAL, "m= bad media");
	if (!sdp_tok_next(&v, &port))
		return fail(st, -EINVAL, "m= no port");
	if (sdp_tok_split(port, '/', &port, &count)) {
		if (!sdp_tok_u32(count, UINT16_MAX, &n) || n == 0)
			return fail(st, -EINVAL, "m= bad port count");
		m->port_count = (uint16_t)n;
	}
	if (!sdp_tok_u32(port, UINT16_MAX, &n))
		return fail(st, -EINVAL, "m= bad port");
	m->port = (uint16_t)n;
	if (!sdp_tok_next(&v, &m->proto) || !sdp_tok_is_field(m->proto))
		return fail(st, -EINVAL, "m= bad proto");
	m->fmt_list = v;
	while (v.len != 0) {
		if (!sdp_tok_next(&v, &fmt) || !sdp_tok_is_field(fmt) ||
				(v.len == 0 && v.p[-1] == ' '))
			return fail(st, -EINVAL, "m= bad format list");
		if (m->n_fmt == SDP_MAX_FORMATS)
			return fail(st, -E2BIG, "m= more than %u formats", SDP_MAX_FORMATS);
		m->fmt[m->n_fmt++] = fmt;
	}
	if (m->n_fmt == 0)
		return fail(st, -EINVAL, "m= no format");
	return 0;
}

/* a=<name>[:<value>] */
static int
parse_attr(struct parse_state *st, struct sdp_line *l)
{
	sdp_tok_split(l->value, ':', &l->name, &l->value);
	if (!is_token(l->name))
		return fail(st, -EINVAL, "a= bad attribute name");
	if (st->sec->n_attrs == SDP_MAX_ATTRS)
		return fail(st, -E2BIG, "more than %u attributes in a section", SDP_MAX_ATTRS);
	st->sec->n_attrs++;
	return 0;
}

/* Where a line of this type may stand, and its type-specific checks. */
static int
file_line(struct parse_state *st, struct sdp_line *l, uint16_t idx)
{
	static const char first[] = "vos";

	if (st->line_no <= 3) {
		if (l->type != first[st->line_no - 1])
			return fail(st, -EINVAL, "expected %c= here", first[st->line_no - 1]);
		if (l->type == 'v' && !sdp_str_eq(l->value, "0"))
			return fail(st, -EINVAL, "v= is not 0");
		if (l->type == 's')
			st->sdp->session_name = l->value;
		return l->type == 'o' ? parse_origin(st, l->value) : 0;
	}
	if (l->type == 'm') {
		if (!st->have_t)
			return fail(st, -EINVAL, "m= before t=");
		return parse_media(st, l->value, idx);
	}
	if (st->sec == &st->sdp->session) {
		if (strchr(SESSION_TYPES, l->type) == NULL)
			return fail(st, -EINVAL, "%c= not allowed at session level", l->type);
		if (l->type == 't')
			st->have_t = true;
	} else if (strchr(MEDIA_TYPES, l->type) == NULL) {
		return fail(st, -EINVAL, "%c= not allowed in a media section", l->type);
	}
	if (l->type == 'c')
		return parse_conn(st, l->value, idx);
	if (l->type == 'a')
		return parse_attr(st, l);
	return 0;
}

/* Check one line's bytes and shape, and add it to the pool. */
static int
add_line(struct parse_state *st, const char *p, size_t len)
{
	struct sdp *sdp = st->sdp;
	struct sdp_line *l;
	uint16_t idx;
	size_t i;
	int rc;

	if (len > SDP_MAX_LINE_LEN)
		return fail(st, -E2BIG, "longer than %u bytes", SDP_MAX_LINE_LEN);
	if (sdp->n_lines == SDP_MAX_LINES)
		return fail(st, -E2BIG, "more than %u lines", SDP_MAX_LINES);
	for (i = 0; i < len; i++)
		if (p[i] == '\0' || p[i] == '\r')
			return fail(st, -EINVAL, "NUL or bare CR");
	if (len < 2 || p[1] != '=' || p[0] < 'a' || p[0] > 'z')
		return fail(st, -EINVAL, "not <type>=<value>");
	idx = sdp->n_lines++;
	l = &sdp->lines[idx];
	memset(l, 0, sizeof(*l));
	l->type = p[0];
	l->raw = (struct sdp_str){ p, len };
	l->value = (struct sdp_str){ p + 2, len - 2 };
	l->name = (struct sdp_str){ p + 2, 0 };
	rc = file_line(st, l, idx);
	st->sec->n_lines++;
	return rc;
}

/* Only CR and LF from p to end: the blank lines the parser ignores at the end. */
static bool
only_blank(const char *p, const char *end)
{
	for (; p < end; p++)
		if (*p != '\r' && *p != '\n')
			return false;
	return true;
}

int
sdp_parse(struct sdp *sdp, const char *text, size_t len)
{
	struct parse_state st = { .sdp = sdp, .sec = &sdp->session };
	const char *p = text, *end = text + len;
	int rc;

	sdp->text = text;
	sdp->len = len;
	sdp->n_lines = 0;
	sdp->n_media = 0;
	sdp->error[0] = '\0';
	memset(&sdp->session, 0, sizeof(sdp->session));
	sdp->session.c_line = -1;
	if (len > SDP_MAX_LEN)
		return fail(&st, -E2BIG, "description longer than %u bytes", SDP_MAX_LEN);
	while (p < end) {
		const char *lf = memchr(p, '\n', (size_t)(end - p));
		const char *eol = lf != NULL ? lf : end;
		size_t n = (size_t)(eol - p);

		st.line_no++;
		/* CRLF, LF, or a last line cut after its CR. */
		if (n != 0 && p[n - 1] == '\r')
			n--;
		if (n == 0 && only_blank(p, end))
			break;
		rc = add_line(&st, p, n);
		if (rc < 0)
			return rc;
		p = lf != NULL ? lf + 1 : end;
	}
	if (sdp->n_lines < 3) {
		st.line_no = sdp->n_lines + 1;
		return fail(&st, -EINVAL, "no v=, o= and s=");
	}
	if (!st.have_t) {
		st.line_no = sdp->n_lines + 1;
		return fail(&st, -EINVAL, "no t= line");
	}
	sdp->o_line = 1;
	return 0;
}
