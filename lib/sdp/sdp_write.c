/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sdp_write(): every line of a parsed description out again, in order, with
 * CRLF; the lines an edit touches are rebuilt from their parsed fields, all
 * others are copied from the input byte for byte. Output goes through a
 * bounded writer whose first error sticks, so the line code never checks.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "sdp.h"
#include "sdp_token.h"

struct out {
	char *buf;
	size_t cap;	/* room for text, the NUL excluded */
	size_t len;
	int err;
};

static void
put(struct out *o, const char *p, size_t n)
{
	if (o->err != 0)
		return;
	if (n > o->cap - o->len) {
		o->err = -ENOSPC;
		return;
	}
	memcpy(o->buf + o->len, p, n);
	o->len += n;
}

static void
put_s(struct out *o, struct sdp_str s)
{
	put(o, s.p, s.len);
}

static void
put_c(struct out *o, const char *c)
{
	put(o, c, strlen(c));
}

static void
put_u32(struct out *o, uint32_t v)
{
	char num[12];

	put(o, num, (size_t)snprintf(num, sizeof(num), "%u", v));
}

static void
put_crlf(struct out *o)
{
	put(o, "\r\n", 2);
}

static struct sdp_str
cstr(const char *c)
{
	return (struct sdp_str){ c, strlen(c) };
}

/* sess-version + 1 in decimal, at most 21 digits (the parser allows 20). */
static void
put_bumped(struct out *o, struct sdp_str v)
{
	char num[24];
	size_t i = v.len;

	memcpy(num + 1, v.p, v.len);
	num[0] = '0';
	for (; i > 0; i--) {
		if (num[i] != '9') {
			num[i]++;
			break;
		}
		num[i] = '0';
	}
	if (i == 0)
		num[0] = '1';
	put(o, num + (i == 0 ? 0 : 1), v.len + (i == 0 ? 1 : 0));
}

static void
put_origin(struct out *o, const struct sdp *sdp, const struct sdp_edits *e)
{
	const struct sdp_origin *og = &sdp->origin;

	put_c(o, "o=");
	put_s(o, og->username);
	put_c(o, " ");
	put_s(o, og->sess_id);
	put_c(o, " ");
	if (e->bump_version)
		put_bumped(o, og->sess_version);
	else
		put_s(o, og->sess_version);
	put_c(o, " ");
	put_s(o, og->nettype);
	put_c(o, " ");
	put_s(o, e->origin_addr != NULL && e->origin_addr_type != NULL ?
		cstr(e->origin_addr_type) : og->addrtype);
	put_c(o, " ");
	put_s(o, e->origin_addr != NULL ? cstr(e->origin_addr) : og->addr);
	put_crlf(o);
}

/* c=<nettype> <addrtype> <addr>: the parsed one with the edit's address, or a new one. */
static void
put_conn(struct out *o, const struct sdp_section *sec, const struct sdp_section_edit *ed)
{
	struct sdp_str type;

	if (ed->addr_type != NULL)
		type = cstr(ed->addr_type);
	else if (sec->c_line >= 0)
		type = sec->conn.addrtype;
	else
		type = cstr(strchr(ed->addr, ':') != NULL ? "IP6" : "IP4");
	put_c(o, "c=");
	put_s(o, sec->c_line >= 0 ? sec->conn.nettype : cstr("IN"));
	put_c(o, " ");
	put_s(o, type);
	put_c(o, " ");
	put_c(o, ed->addr);
	put_crlf(o);
}

static void
put_media_line(struct out *o, const struct sdp_media *m, const struct sdp_section_edit *ed)
{
	put_c(o, "m=");
	put_s(o, m->media);
	put_c(o, " ");
	put_u32(o, ed->set_port ? ed->port : m->port);
	if (m->port_count != 0) {
		put_c(o, "/");
		put_u32(o, m->port_count);
	}
	put_c(o, " ");
	put_s(o, ed->proto != NULL ? cstr(ed->proto) : m->proto);
	put_c(o, " ");
	put_s(o, m->fmt_list);
	put_crlf(o);
}

static bool
removed(const struct sdp_section_edit *ed, const struct sdp_line *l)
{
	unsigned int i;

	if (l->type != 'a')
		return false;
	for (i = 0; i < ed->n_remove; i++)
		if (sdp_str_eq(l->name, ed->remove[i]))
			return true;
	return false;
}

/*
 * One section's lines. A section without c= that gets an address gets a c=
 * where RFC 8866 §5 puts it: in a media section after m= and i=, at the
 * session level before the first t= (every session level has one).
 */
static void
put_section(struct out *o, const struct sdp *sdp, const struct sdp_section *sec,
		const struct sdp_media *m, const struct sdp_section_edit *ed,
		const struct sdp_edits *e)
{
	bool c_pending = ed->addr != NULL && sec->c_line < 0;
	unsigned int i;

	for (i = sec->first; i < (unsigned int)sec->first + sec->n_lines; i++) {
		const struct sdp_line *l = &sdp->lines[i];

		if (c_pending && (m != NULL ? i != sec->first && l->type != 'i' : l->type == 't')) {
			put_conn(o, sec, ed);
			c_pending = false;
		}
		if (removed(ed, l))
			continue;
		if (m != NULL && i == sec->first && (ed->set_port || ed->proto != NULL))
			put_media_line(o, m, ed);
		else if (m == NULL && i == sdp->o_line &&
				(e->origin_addr != NULL || e->bump_version))
			put_origin(o, sdp, e);
		else if ((int)i == sec->c_line && ed->addr != NULL)
			put_conn(o, sec, ed);
		else {
			put_s(o, l->raw);
			put_crlf(o);
		}
	}
	if (c_pending)
		put_conn(o, sec, ed);
	for (i = 0; i < ed->n_append; i++) {
		put_c(o, ed->append[i]);
		put_crlf(o);
	}
}

/* A value an edit puts in a field: non-empty, no space, no control byte. */
static bool
field_ok(const char *c)
{
	return c == NULL || (strlen(c) <= SDP_MAX_LINE_LEN && sdp_tok_is_field(cstr(c)));
}

static bool
line_ok(const char *c)
{
	size_t n, i;

	if (c == NULL)
		return false;
	n = strlen(c);
	if (n < 2 || n > SDP_MAX_LINE_LEN || c[0] < 'a' || c[0] > 'z' || c[1] != '=')
		return false;
	for (i = 0; i < n; i++)
		if (c[i] == '\r' || c[i] == '\n')
			return false;
	return true;
}

static bool
section_edit_ok(const struct sdp_section_edit *ed)
{
	unsigned int i;

	if (!field_ok(ed->proto) ||
			!field_ok(ed->addr) || !field_ok(ed->addr_type) ||
			(ed->n_remove != 0 && ed->remove == NULL) ||
			(ed->n_append != 0 && ed->append == NULL))
		return false;
	for (i = 0; i < ed->n_remove; i++)
		if (ed->remove[i] == NULL)
			return false;
	for (i = 0; i < ed->n_append; i++)
		if (!line_ok(ed->append[i]))
			return false;
	return true;
}

static bool
edits_ok(const struct sdp_edits *e)
{
	unsigned int i;

	if (!field_ok(e->origin_addr) || !field_ok(e->origin_addr_type) ||
			!section_edit_ok(&e->session) || (e->n_media != 0 && e->media == NULL))
		return false;
	for (i = 0; i < e->n_media; i++)
		if (!section_edit_ok(&e->media[i]))
			return false;
	return true;
}

int
sdp_write(const struct sdp *sdp, const struct sdp_edits *edits, char *buf, size_t cap)
{
	static const struct sdp_section_edit none;
	static const struct sdp_edits no_edits;
	const struct sdp_edits *e = edits != NULL ? edits : &no_edits;
	struct out o = { .buf = buf };
	unsigned int i;

	if (cap == 0)
		return -ENOSPC;
	o.cap = cap - 1 < INT_MAX ? cap - 1 : INT_MAX;
	if (!edits_ok(e))
		return -EINVAL;
	put_section(&o, sdp, &sdp->session, NULL, &e->session, e);
	for (i = 0; i < sdp->n_media; i++)
		put_section(&o, sdp, &sdp->media[i].sec, &sdp->media[i],
			i < e->n_media ? &e->media[i] : &none, e);
	if (o.err != 0)
		return o.err;
	buf[o.len] = '\0';
	return (int)o.len;
}
