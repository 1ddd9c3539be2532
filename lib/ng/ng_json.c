/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * JSON (RFC 8259) into the bencode node arena, and back out (see ng_json.h).
 * One iterative pass; the open containers live on a fixed stack of
 * BENCODE_MAX_DEPTH entries, as in bencode.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ng_json.h"

struct open_container {
	int32_t idx;		/* its node */
	int32_t last;		/* its last child so far, or BENCODE_NONE */
};

struct jdec {
	struct bencode_doc *doc;
	const char *buf;
	size_t len;
	size_t pos;
	char *scratch;
	size_t scratch_cap;
	size_t scratch_used;
	unsigned int depth;
	struct open_container stack[BENCODE_MAX_DEPTH];
};

static int
fail(struct jdec *d, int err, const char *reason, size_t off)
{
	d->doc->reason = reason;
	d->doc->err_off = off;
	d->doc->count = 0;
	return err;
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static void
skip_ws(struct jdec *d)
{
	while (d->pos < d->len) {
		char c = d->buf[d->pos];

		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			return;
		d->pos++;
	}
}

/* A new node, linked under the innermost open container. */
static int
new_node(struct jdec *d, uint8_t type, struct bencode_node **out)
{
	struct bencode_doc *doc = d->doc;
	struct bencode_node *node;
	int32_t idx;

	if (doc->count >= doc->cap)
		return fail(d, -ENOBUFS, "more values than nodes", d->pos);
	idx = (int32_t)doc->count++;
	node = &doc->nodes[idx];
	memset(node, 0, sizeof(*node));
	node->type = type;
	node->child = BENCODE_NONE;
	node->next = BENCODE_NONE;
	if (d->depth > 0) {
		struct open_container *top = &d->stack[d->depth - 1];
		struct bencode_node *parent = &doc->nodes[top->idx];

		if (top->last == BENCODE_NONE)
			parent->child = idx;
		else
			doc->nodes[top->last].next = idx;
		top->last = idx;
		parent->num++;
	}
	*out = node;
	return 0;
}

/* -?(0|[1-9][0-9]*), no fraction, no exponent, inside int64_t. */
static int
parse_integer(struct jdec *d, struct bencode_node *node)
{
	size_t start = d->pos;
	size_t p = start;
	uint64_t limit = (uint64_t)INT64_MAX;
	uint64_t mag = 0;
	bool neg = false;
	size_t first;

	if (d->buf[p] == '-') {
		neg = true;
		limit += 1;
		p++;
	}
	first = p;
	for (; p < d->len && is_digit(d->buf[p]); p++) {
		unsigned int digit = (unsigned int)(d->buf[p] - '0');

		if (mag > (limit - digit) / 10)
			return fail(d, -ERANGE, "integer out of range", start);
		mag = mag * 10 + digit;
	}
	if (p == first)
		return fail(d, -EINVAL, "number without digits", start);
	if (d->buf[first] == '0' && p - first > 1)
		return fail(d, -EINVAL, "leading zero in number", start);
	if (p < d->len && (d->buf[p] == '.' || d->buf[p] == 'e' || d->buf[p] == 'E'))
		return fail(d, -EINVAL, "number with a fraction or exponent", start);
	node->num = neg ? (int64_t)(0 - mag) : (int64_t)mag;
	d->pos = p;
	return 0;
}

static int
hex4(const char *s, uint32_t *out)
{
	uint32_t v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		char c = s[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint32_t)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 (RFC 3629 §4). */
static size_t
utf8_seq(const unsigned char *s, size_t avail)
{
	uint32_t cp;
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (avail < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;	/* overlong, or past Unicode */
	if (cp >= 0xd800 && cp <= 0xdfff)
		return 0;	/* a surrogate */
	return n;
}

static size_t
utf8_put(char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* \uXXXX at p (the backslash), with a low surrogate after a high one: the code point. */
static int
parse_u_escape(struct jdec *d, size_t p, uint32_t *cp, size_t *used)
{
	uint32_t lo;

	if (d->len - p < 6 || hex4(d->buf + p + 2, cp) != 0)
		return fail(d, -EINVAL, "bad \\u escape", p);
	*used = 6;
	if (*cp >= 0xdc00 && *cp <= 0xdfff)
		return fail(d, -EINVAL, "unpaired low surrogate", p);
	if (*cp >= 0xd800 && *cp <= 0xdbff) {
		if (d->len - p < 12 || d->buf[p + 6] != '\\' || d->buf[p + 7] != 'u' ||
		    hex4(d->buf + p + 8, &lo) != 0 || lo < 0xdc00 || lo > 0xdfff)
			return fail(d, -EINVAL, "unpaired high surrogate", p);
		*cp = 0x10000 + ((*cp - 0xd800) << 10) + (lo - 0xdc00);
		*used = 12;
	}
	if (*cp == 0)
		return fail(d, -EINVAL, "\\u0000 in string", p);
	return 0;
}

/* The escape at p (the backslash) into out: bytes written, consumed in *used. */
static int
parse_escape(struct jdec *d, size_t p, char *out, size_t *used)
{
	static const char from[] = "\"\\/bfnrt";
	static const char to[] = "\"\\/\b\f\n\r\t";
	const char *e;
	uint32_t cp;
	int rc;

	if (p + 1 >= d->len)
		return fail(d, -EINVAL, "truncated string", p);
	if (d->buf[p + 1] == 'u') {
		rc = parse_u_escape(d, p, &cp, used);
		return rc < 0 ? rc : (int)utf8_put(out, cp);
	}
	e = d->buf[p + 1] != '\0' ? strchr(from, d->buf[p + 1]) : NULL;
	if (e == NULL)
		return fail(d, -EINVAL, "bad escape in string", p);
	out[0] = to[e - from];
	*used = 2;
	return 1;
}

/* One piece of a string at p (a plain run, an escape or a UTF-8 sequence). */
static int
string_piece(struct jdec *d, size_t p, char *out, size_t *used)
{
	unsigned char c = (unsigned char)d->buf[p];
	size_t n;

	if (c == '\\')
		return parse_escape(d, p, out, used);
	if (c < 0x20)
		return fail(d, -EINVAL, "control byte in string", p);
	n = utf8_seq((const unsigned char *)d->buf + p, d->len - p);
	if (n == 0)
		return fail(d, -EINVAL, "bytes that are no UTF-8 in string", p);
	memcpy(out, d->buf + p, n);
	*used = n;
	return (int)n;
}

/* "..." at d->pos into scratch. */
static int
parse_string(struct jdec *d, struct bencode_node *node)
{
	size_t start = d->pos;
	size_t p = start + 1;
	char *out = d->scratch + d->scratch_used;
	size_t n = 0;
	char piece[4];
	size_t used;
	int rc;

	for (;;) {
		if (p >= d->len)
			return fail(d, -EINVAL, "truncated string", start);
		if (d->buf[p] == '"')
			break;
		rc = string_piece(d, p, piece, &used);
		if (rc < 0)
			return rc;
		if (d->scratch_cap - d->scratch_used - n < (size_t)rc)
			return fail(d, -ENOBUFS, "strings longer than the scratch buffer", p);
		memcpy(out + n, piece, (size_t)rc);
		n += (size_t)rc;
		p += used;
	}
	node->str = out;
	node->len = (uint32_t)n;
	d->scratch_used += n;
	d->pos = p + 1;
	return 0;
}

static int
parse_literal(struct jdec *d, struct bencode_node *node)
{
	const char *s = d->buf + d->pos;
	size_t left = d->len - d->pos;

	if (left >= 4 && memcmp(s, "true", 4) == 0) {
		node->num = 1;
		d->pos += 4;
		return 0;
	}
	if (left >= 5 && memcmp(s, "false", 5) == 0) {
		node->num = 0;
		d->pos += 5;
		return 0;
	}
	if (left >= 4 && memcmp(s, "null", 4) == 0)
		return fail(d, -EINVAL, "null is not supported", d->pos);
	return fail(d, -EINVAL, "unexpected byte", d->pos);
}

static int
open_container(struct jdec *d, uint8_t type)
{
	struct bencode_node *node;
	int rc;

	if (d->depth >= BENCODE_MAX_DEPTH)
		return fail(d, -EINVAL, "nesting deeper than 32", d->pos);
	rc = new_node(d, type, &node);
	if (rc < 0)
		return rc;
	node->str = d->buf + d->pos;
	d->stack[d->depth].idx = (int32_t)(node - d->doc->nodes);
	d->stack[d->depth].last = BENCODE_NONE;
	d->depth++;
	d->pos++;
	return 0;
}

/* One value at d->pos; a container is only opened. */
static int
parse_value(struct jdec *d)
{
	struct bencode_node *node;
	char c;
	int rc;

	if (d->pos >= d->len)
		return fail(d, -EINVAL, d->depth == 0 ? "empty input" : "truncated value", d->pos);
	c = d->buf[d->pos];
	if (c == '{')
		return open_container(d, BENCODE_DICT);
	if (c == '[')
		return open_container(d, BENCODE_LIST);
	rc = new_node(d, c == '"' ? BENCODE_STRING : BENCODE_INTEGER, &node);
	if (rc < 0)
		return rc;
	if (c == '"')
		return parse_string(d, node);
	if (c == '-' || is_digit(c))
		return parse_integer(d, node);
	return parse_literal(d, node);
}

/* A key, its colon and its value, at d->pos. */
static int
parse_member(struct jdec *d)
{
	struct bencode_node *key;
	int rc;

	if (d->pos >= d->len)
		return fail(d, -EINVAL, "truncated object", d->pos);
	if (d->buf[d->pos] != '"')
		return fail(d, -EINVAL, "object key is not a string", d->pos);
	rc = new_node(d, BENCODE_STRING, &key);
	if (rc == 0)
		rc = parse_string(d, key);
	if (rc < 0)
		return rc;
	skip_ws(d);
	if (d->pos >= d->len || d->buf[d->pos] != ':')
		return fail(d, -EINVAL, d->pos >= d->len ? "truncated object" :
			    "expected ':' after an object key", d->pos);
	d->pos++;
	skip_ws(d);
	return parse_value(d);
}

static void
close_container(struct jdec *d)
{
	struct bencode_node *node = &d->doc->nodes[d->stack[d->depth - 1].idx];

	if (node->type == BENCODE_DICT)
		node->num /= 2;
	d->pos++;
	node->len = (uint32_t)(d->buf + d->pos - node->str);
	d->depth--;
}

/* Inside the innermost container: its end, or a ',' (not first) and the next element. */
static int
container_step(struct jdec *d)
{
	struct open_container *top = &d->stack[d->depth - 1];
	bool dict = d->doc->nodes[top->idx].type == BENCODE_DICT;
	char closer = dict ? '}' : ']';

	skip_ws(d);
	if (d->pos >= d->len)
		return fail(d, -EINVAL, dict ? "truncated object" : "truncated array", d->pos);
	if (d->buf[d->pos] == closer) {
		close_container(d);
		return 0;
	}
	if (top->last != BENCODE_NONE) {
		if (d->buf[d->pos] != ',')
			return fail(d, -EINVAL, dict ? "expected ',' or '}'" : "expected ',' or ']'",
				    d->pos);
		d->pos++;
		skip_ws(d);
	}
	return dict ? parse_member(d) : parse_value(d);
}

int
ng_json_decode(struct bencode_doc *doc, struct bencode_node *nodes, uint32_t cap,
	       const char *buf, size_t len, char *scratch, size_t scratch_cap)
{
	struct jdec d = {
		.doc = doc, .buf = buf, .len = len,
		.scratch = scratch, .scratch_cap = scratch_cap,
	};
	int rc;

	doc->nodes = nodes;
	doc->cap = cap;
	doc->count = 0;
	doc->reason = NULL;
	doc->err_off = 0;
	if (len > BENCODE_MAX_INPUT)
		return fail(&d, -EMSGSIZE, "input longer than 64 KiB", BENCODE_MAX_INPUT);
	skip_ws(&d);
	rc = parse_value(&d);
	/* Each step consumes at least one byte: linear in len. */
	while (rc == 0 && d.depth > 0)
		rc = container_step(&d);
	if (rc < 0)
		return rc;
	skip_ws(&d);
	if (d.pos != len)
		return fail(&d, -EINVAL, "trailing data after the top value", d.pos);
	return 0;
}

/* ---- writer ---- */

struct jout {
	char *buf;
	size_t cap;
	size_t len;
	int err;
};

static void
put(struct jout *w, const char *s, size_t n)
{
	if (w->err != 0)
		return;
	if (w->cap - w->len < n) {
		w->err = -ENOSPC;
		return;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

static void
put_escaped_byte(struct jout *w, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };

	switch (c) {
	case '"': put(w, "\\\"", 2); return;
	case '\\': put(w, "\\\\", 2); return;
	case '\b': put(w, "\\b", 2); return;
	case '\f': put(w, "\\f", 2); return;
	case '\n': put(w, "\\n", 2); return;
	case '\r': put(w, "\\r", 2); return;
	case '\t': put(w, "\\t", 2); return;
	default: put(w, e, 6);
	}
}

static void
put_string(struct jout *w, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run = 0, n;

	put(w, "\"", 1);
	while (i < len) {
		n = u[i] == '"' || u[i] == '\\' || u[i] < 0x20 ? 0 : utf8_seq(u + i, len - i);
		if (n > 0) {
			i += n;
			continue;
		}
		put(w, s + run, i - run);
		put_escaped_byte(w, u[i]);
		run = ++i;
	}
	put(w, s + run, len - run);
	put(w, "\"", 1);
}

static void
put_scalar(struct jout *w, const struct bencode_node *n)
{
	char num[24];
	int k;

	if (n->type == BENCODE_STRING) {
		put_string(w, n->str, n->len);
		return;
	}
	k = snprintf(num, sizeof(num), "%" PRId64, n->num);
	put(w, num, (size_t)k);
}

/* The separator before child number i of a container. */
static void
put_separator(struct jout *w, const struct bencode_node *parent, uint32_t i)
{
	if (parent->type == BENCODE_DICT && (i & 1))
		put(w, ":", 1);
	else if (i > 0)
		put(w, ",", 1);
}

static bool
is_container(const struct bencode_node *n)
{
	return n->type == BENCODE_DICT || n->type == BENCODE_LIST;
}

int
ng_json_write(const struct bencode_doc *doc, const struct bencode_node *node, char *out,
	      size_t cap)
{
	const struct bencode_node *stack[BENCODE_MAX_DEPTH];
	uint32_t index[BENCODE_MAX_DEPTH];
	struct jout w = { .buf = out, .cap = cap };
	const struct bencode_node *n = node;
	unsigned int depth = 0;

	if (node == NULL)
		return -EINVAL;
	while (w.err == 0) {
		if (n == NULL) {	/* the innermost container's children are done */
			depth--;
			put(&w, stack[depth]->type == BENCODE_DICT ? "}" : "]", 1);
			if (depth == 0)
				break;
			n = bencode_next(doc, stack[depth]);
			continue;
		}
		if (depth > 0) {
			const struct bencode_node *parent = stack[depth - 1];
			uint32_t i = index[depth - 1]++;

			if (parent->type == BENCODE_DICT && !(i & 1) && n->type != BENCODE_STRING)
				return -EINVAL;
			put_separator(&w, parent, i);
		}
		if (is_container(n)) {
			if (depth >= BENCODE_MAX_DEPTH)
				return -EINVAL;
			put(&w, n->type == BENCODE_DICT ? "{" : "[", 1);
			stack[depth] = n;
			index[depth++] = 0;
			n = bencode_child(doc, n);
			continue;
		}
		put_scalar(&w, n);
		if (depth == 0)
			break;
		n = bencode_next(doc, n);
	}
	return w.err != 0 ? w.err : (int)w.len;
}
