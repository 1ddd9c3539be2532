/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The bencode decoder, its lookups and the ng datagram split (see bencode.h).
 * One iterative pass over the input; the open containers live on a fixed
 * stack of BENCODE_MAX_DEPTH entries.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bencode.h"

struct open_container {
	int32_t idx;		/* its node */
	int32_t last;		/* its last child so far, or BENCODE_NONE */
};

struct decoder {
	struct bencode_doc *doc;
	const char *buf;
	size_t len;
	size_t pos;
	unsigned int depth;
	struct open_container stack[BENCODE_MAX_DEPTH];
};

static int
fail(struct decoder *d, int err, const char *reason, size_t off)
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

/* "i" [-] digits "e", canonical, into node->num; d->pos is at the 'i'. */
static int
parse_integer(struct decoder *d, struct bencode_node *node)
{
	size_t start = d->pos;
	size_t p = start + 1;
	bool neg = false;
	uint64_t mag = 0;
	uint64_t limit = (uint64_t)INT64_MAX;
	size_t first;

	if (p < d->len && d->buf[p] == '-') {
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
	if (p >= d->len)
		return fail(d, -EINVAL, "truncated integer", start);
	if (d->buf[p] != 'e')
		return fail(d, -EINVAL, "bad byte in integer", p);
	if (p == first)
		return fail(d, -EINVAL, "integer without digits", start);
	if (d->buf[first] == '0' && p - first > 1)
		return fail(d, -EINVAL, "leading zero in integer", start);
	if (neg && mag == 0)
		return fail(d, -EINVAL, "negative zero", start);
	node->num = neg ? (int64_t)(0 - mag) : (int64_t)mag;
	d->pos = p + 1;
	return 0;
}

/* digits ":" bytes; d->pos is at the first digit. */
static int
parse_string(struct decoder *d, struct bencode_node *node)
{
	size_t start = d->pos;
	size_t p = start;
	size_t n = 0;

	for (; p < d->len && is_digit(d->buf[p]); p++) {
		n = n * 10 + (size_t)(d->buf[p] - '0');
		/* Never longer than the input: this also bounds n. */
		if (n > d->len)
			return fail(d, -EINVAL, "string longer than the input", start);
	}
	if (p >= d->len)
		return fail(d, -EINVAL, "truncated string length", start);
	if (d->buf[p] != ':')
		return fail(d, -EINVAL, "bad byte in string length", p);
	if (d->buf[start] == '0' && p - start > 1)
		return fail(d, -EINVAL, "leading zero in string length", start);
	p++;
	if (n > d->len - p)
		return fail(d, -EINVAL, "truncated string", start);
	node->str = d->buf + p;
	node->len = (uint32_t)n;
	d->pos = p + n;
	return 0;
}

/* A new node at d->pos, linked under the innermost open container. */
static int
new_node(struct decoder *d, int32_t *idx)
{
	struct bencode_doc *doc = d->doc;
	struct bencode_node *node;

	if (doc->count >= doc->cap)
		return fail(d, -ENOBUFS, "more values than nodes", d->pos);
	*idx = (int32_t)doc->count++;
	node = &doc->nodes[*idx];
	memset(node, 0, sizeof(*node));
	node->child = BENCODE_NONE;
	node->next = BENCODE_NONE;
	if (d->depth > 0) {
		struct open_container *top = &d->stack[d->depth - 1];
		struct bencode_node *parent = &doc->nodes[top->idx];

		if (top->last == BENCODE_NONE)
			parent->child = *idx;
		else
			doc->nodes[top->last].next = *idx;
		top->last = *idx;
		parent->num++;
	}
	return 0;
}

/* Whether the innermost container is a dictionary waiting for a key. */
static bool
wants_key(const struct decoder *d)
{
	const struct bencode_node *parent;

	if (d->depth == 0)
		return false;
	parent = &d->doc->nodes[d->stack[d->depth - 1].idx];
	return parent->type == BENCODE_DICT && (parent->num & 1) == 0;
}

/* The 'e' at d->pos closes the innermost container. */
static int
close_container(struct decoder *d)
{
	struct bencode_node *node = &d->doc->nodes[d->stack[d->depth - 1].idx];

	if (node->type == BENCODE_DICT) {
		if (node->num & 1)
			return fail(d, -EINVAL, "dictionary key without a value", d->pos);
		node->num /= 2;
	}
	d->pos++;
	node->len = (uint32_t)(d->buf + d->pos - node->str);
	d->depth--;
	return 0;
}

static const char *
truncated_reason(const struct decoder *d)
{
	if (d->depth == 0)
		return "empty input";
	if (d->doc->nodes[d->stack[d->depth - 1].idx].type == BENCODE_DICT)
		return "truncated dictionary";
	return "truncated list";
}

/* One value (or the 'e' of the innermost container) at d->pos. */
static int
parse_step(struct decoder *d)
{
	struct bencode_node *node;
	int32_t idx;
	char c;
	int rc;

	if (d->pos >= d->len)
		return fail(d, -EINVAL, truncated_reason(d), d->pos);
	c = d->buf[d->pos];
	if (c == 'e' && d->depth > 0)
		return close_container(d);
	if (wants_key(d) && !is_digit(c))
		return fail(d, -EINVAL, "dictionary key is not a string", d->pos);
	rc = new_node(d, &idx);
	if (rc < 0)
		return rc;
	node = &d->doc->nodes[idx];
	if (c == 'd' || c == 'l') {
		if (d->depth >= BENCODE_MAX_DEPTH)
			return fail(d, -EINVAL, "nesting deeper than 32", d->pos);
		node->type = c == 'd' ? BENCODE_DICT : BENCODE_LIST;
		node->str = d->buf + d->pos;
		d->stack[d->depth].idx = idx;
		d->stack[d->depth].last = BENCODE_NONE;
		d->depth++;
		d->pos++;
		return 0;
	}
	if (c == 'i') {
		node->type = BENCODE_INTEGER;
		return parse_integer(d, node);
	}
	if (is_digit(c)) {
		node->type = BENCODE_STRING;
		return parse_string(d, node);
	}
	return fail(d, -EINVAL, "unexpected byte", d->pos);
}

int
bencode_decode(struct bencode_doc *doc, struct bencode_node *nodes, uint32_t cap,
	const char *buf, size_t len)
{
	struct decoder d = { .doc = doc, .buf = buf, .len = len };
	int rc;

	doc->nodes = nodes;
	doc->cap = cap;
	doc->count = 0;
	doc->reason = NULL;
	doc->err_off = 0;
	if (len > BENCODE_MAX_INPUT)
		return fail(&d, -EMSGSIZE, "input longer than 64 KiB", BENCODE_MAX_INPUT);
	/* Until the top value is complete: each step consumes at least one byte. */
	do {
		rc = parse_step(&d);
		if (rc < 0)
			return rc;
	} while (d.depth > 0);
	if (d.pos != len)
		return fail(&d, -EINVAL, "trailing data after the top value", d.pos);
	return 0;
}

const struct bencode_node *
bencode_root(const struct bencode_doc *doc)
{
	return doc->count > 0 ? &doc->nodes[0] : NULL;
}

static const struct bencode_node *
node_at(const struct bencode_doc *doc, int32_t idx)
{
	if (idx < 0 || (uint32_t)idx >= doc->count)
		return NULL;
	return &doc->nodes[idx];
}

const struct bencode_node *
bencode_child(const struct bencode_doc *doc, const struct bencode_node *node)
{
	return node == NULL ? NULL : node_at(doc, node->child);
}

const struct bencode_node *
bencode_next(const struct bencode_doc *doc, const struct bencode_node *node)
{
	return node == NULL ? NULL : node_at(doc, node->next);
}

const char *
bencode_strerror(const struct bencode_doc *doc, char *out, size_t cap)
{
	if (cap == 0)
		return out;
	if (doc->reason == NULL)
		snprintf(out, cap, "ok");
	else
		snprintf(out, cap, "%s at offset %zu", doc->reason, doc->err_off);
	return out;
}

/* ng spells one key with space, hyphen or underscore alike. */
static char
key_char(char c)
{
	return c == '-' || c == '_' ? ' ' : c;
}

bool
bencode_key_eq(const char *a, size_t a_len, const char *b, size_t b_len)
{
	size_t i;

	if (a_len != b_len)
		return false;
	for (i = 0; i < a_len; i++)
		if (key_char(a[i]) != key_char(b[i]))
			return false;
	return true;
}

bool
bencode_str_is(const struct bencode_node *node, const char *key)
{
	return node != NULL && node->type == BENCODE_STRING &&
		bencode_key_eq(node->str, node->len, key, strlen(key));
}

const struct bencode_node *
bencode_dict_get(const struct bencode_doc *doc, const struct bencode_node *dict,
	const char *key)
{
	const struct bencode_node *k;

	if (dict == NULL || dict->type != BENCODE_DICT)
		return NULL;
	for (k = bencode_child(doc, dict); k != NULL; k = bencode_next(doc, bencode_next(doc, k)))
		if (bencode_str_is(k, key))
			return bencode_next(doc, k);
	return NULL;
}

const char *
bencode_dict_get_str(const struct bencode_doc *doc, const struct bencode_node *dict,
	const char *key, size_t *len)
{
	const struct bencode_node *v = bencode_dict_get(doc, dict, key);

	if (v == NULL || v->type != BENCODE_STRING)
		return NULL;
	*len = v->len;
	return v->str;
}

int
bencode_dict_get_int(const struct bencode_doc *doc, const struct bencode_node *dict,
	const char *key, int64_t *val)
{
	const struct bencode_node *v = bencode_dict_get(doc, dict, key);

	if (v == NULL)
		return -ENOENT;
	if (v->type != BENCODE_INTEGER)
		return -EINVAL;
	*val = v->num;
	return 0;
}

bool
bencode_list_has(const struct bencode_doc *doc, const struct bencode_node *list,
	const char *str)
{
	const struct bencode_node *e;

	if (list == NULL || list->type != BENCODE_LIST)
		return false;
	for (e = bencode_child(doc, list); e != NULL; e = bencode_next(doc, e))
		if (bencode_str_is(e, str))
			return true;
	return false;
}

int
bencode_split_cookie(const char *dgram, size_t len, const char **cookie, size_t *cookie_len,
	const char **body, size_t *body_len)
{
	size_t i;

	if (len > BENCODE_MAX_INPUT)
		return -EMSGSIZE;
	for (i = 0; i < len && i <= BENCODE_COOKIE_MAX; i++) {
		unsigned char c = (unsigned char)dgram[i];

		if (c == ' ')
			break;
		if (c < 0x21 || c > 0x7e)
			return -EINVAL;
	}
	if (i == 0 || i > BENCODE_COOKIE_MAX || i + 1 >= len || dgram[i] != ' ')
		return -EINVAL;
	*cookie = dgram;
	*cookie_len = i;
	*body = dgram + i + 1;
	*body_len = len - i - 1;
	return 0;
}
