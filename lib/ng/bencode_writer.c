/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The bencode encoder (see bencode.h): bounded writes into a caller buffer
 * with a sticky error, and a check that dictionaries get string keys.
 */
#include <errno.h>
#include <string.h>

#include "bencode.h"

void
bencode_writer_init(struct bencode_writer *w, char *buf, size_t cap)
{
	memset(w, 0, sizeof(*w));
	w->buf = buf;
	w->cap = cap;
}

static void
set_err(struct bencode_writer *w, int err)
{
	if (w->err == 0)
		w->err = err;
}

static void
put_bytes(struct bencode_writer *w, const void *p, size_t n)
{
	if (w->err != 0)
		return;
	if (n > w->cap - w->len) {
		set_err(w, -ENOSPC);
		return;
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

static bool
in_dict(const struct bencode_writer *w)
{
	return w->depth > 0 && (w->dict_mask >> (w->depth - 1) & 1);
}

static bool
dict_wants_value(const struct bencode_writer *w)
{
	return w->value_mask >> (w->depth - 1) & 1;
}

/* Before any value: in a dictionary, keys and values alternate. */
static void
before_value(struct bencode_writer *w, bool is_string)
{
	if (!in_dict(w))
		return;
	if (!dict_wants_value(w) && !is_string)
		set_err(w, -EINVAL);
	w->value_mask ^= 1u << (w->depth - 1);
}

static void
open_container(struct bencode_writer *w, char c)
{
	before_value(w, false);
	if (w->depth >= BENCODE_MAX_DEPTH) {
		set_err(w, -EINVAL);
		return;
	}
	w->dict_mask &= ~(1u << w->depth);
	w->value_mask &= ~(1u << w->depth);
	if (c == 'd')
		w->dict_mask |= 1u << w->depth;
	w->depth++;
	put_bytes(w, &c, 1);
}

void
bencode_put_dict(struct bencode_writer *w)
{
	open_container(w, 'd');
}

void
bencode_put_list(struct bencode_writer *w)
{
	open_container(w, 'l');
}

void
bencode_put_end(struct bencode_writer *w)
{
	if (w->depth == 0 || (in_dict(w) && dict_wants_value(w))) {
		set_err(w, -EINVAL);
		return;
	}
	w->depth--;
	put_bytes(w, "e", 1);
}

/* Decimal digits of v into the end of tmp; returns where they start. */
static char *
format_u64(uint64_t v, char *end)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	return end;
}

void
bencode_put_str(struct bencode_writer *w, const char *s, size_t len)
{
	char tmp[24];
	char *p;

	before_value(w, true);
	p = format_u64(len, tmp + sizeof(tmp) - 1);
	tmp[sizeof(tmp) - 1] = ':';
	put_bytes(w, p, (size_t)(tmp + sizeof(tmp) - p));
	put_bytes(w, s, len);
}

void
bencode_put_cstr(struct bencode_writer *w, const char *s)
{
	bencode_put_str(w, s, strlen(s));
}

void
bencode_put_int(struct bencode_writer *w, int64_t v)
{
	char tmp[24];
	char *end = tmp + sizeof(tmp) - 1;
	char *p;
	/* The magnitude in unsigned arithmetic: INT64_MIN has no positive twin. */
	uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	before_value(w, false);
	*end = 'e';
	p = format_u64(mag, end);
	if (v < 0)
		*--p = '-';
	*--p = 'i';
	put_bytes(w, p, (size_t)(tmp + sizeof(tmp) - p));
}

void
bencode_put_key_str(struct bencode_writer *w, const char *key, const char *s, size_t len)
{
	bencode_put_cstr(w, key);
	bencode_put_str(w, s, len);
}

void
bencode_put_key_cstr(struct bencode_writer *w, const char *key, const char *s)
{
	bencode_put_cstr(w, key);
	bencode_put_cstr(w, s);
}

void
bencode_put_key_int(struct bencode_writer *w, const char *key, int64_t v)
{
	bencode_put_cstr(w, key);
	bencode_put_int(w, v);
}

/* Recursion bounded by the writer's own depth limit (BENCODE_MAX_DEPTH). */
void
bencode_put_node(struct bencode_writer *w, const struct bencode_doc *doc,
	const struct bencode_node *node)
{
	const struct bencode_node *c;

	if (node == NULL) {
		set_err(w, -EINVAL);
		return;
	}
	switch (node->type) {
	case BENCODE_STRING:
		bencode_put_str(w, node->str, node->len);
		return;
	case BENCODE_INTEGER:
		bencode_put_int(w, node->num);
		return;
	case BENCODE_DICT:
	case BENCODE_LIST:
		open_container(w, node->type == BENCODE_DICT ? 'd' : 'l');
		for (c = bencode_child(doc, node); c != NULL && w->err == 0; c = bencode_next(doc, c))
			bencode_put_node(w, doc, c);
		bencode_put_end(w);
		return;
	default:
		set_err(w, -EINVAL);
	}
}

int
bencode_writer_finish(const struct bencode_writer *w)
{
	if (w->err != 0)
		return w->err;
	if (w->depth != 0)
		return -EINVAL;
	return (int)w->len;
}
