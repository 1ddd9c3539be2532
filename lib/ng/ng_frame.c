/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ng-over-TCP message scanner (see ng_frame.h): a small state machine
 * over the bytes of one message, resumable after any byte.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "bencode.h"
#include "ng_frame.h"

enum frame_state {
	F_COOKIE,		/* cookie bytes, up to the space */
	F_BODY,			/* the body's first byte: bencode or JSON */
	F_B_VALUE,		/* bencode: a value or a container's 'e' */
	F_B_INT,		/* bencode: integer digits up to 'e' */
	F_B_LEN,		/* bencode: string length digits up to ':' */
	F_B_STR,		/* bencode: string bytes */
	F_J,			/* JSON: outside strings */
	F_J_STR,		/* JSON: inside a string */
	F_J_ESC,		/* JSON: the byte after a backslash */
};

/* A bencode integer's digits, sign included: int64_t has at most 20. */
#define INT_CHARS_MAX 20

#define F_MORE 0
#define F_DONE 1

void
ng_frame_reset(struct ng_frame *f)
{
	memset(f, 0, sizeof(*f));
	f->state = F_COOKIE;
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
cookie_byte(struct ng_frame *f, char c)
{
	unsigned char u = (unsigned char)c;

	if (c == ' ') {
		if (f->pos == 0)
			return -EINVAL;
		f->state = F_BODY;
		return F_MORE;
	}
	if (u < 0x21 || u > 0x7e || f->pos >= BENCODE_COOKIE_MAX)
		return -EINVAL;
	return F_MORE;
}

/* A bencode value ended: the message, when it was the top one. */
static int
value_done(struct ng_frame *f)
{
	f->state = F_B_VALUE;
	return f->depth == 0 ? F_DONE : F_MORE;
}

static int
bencode_value(struct ng_frame *f, char c)
{
	if (c == 'd' || c == 'l') {
		if (f->depth >= BENCODE_MAX_DEPTH)
			return -EINVAL;
		f->depth++;
		return F_MORE;
	}
	if (c == 'e' && f->depth > 0) {
		f->depth--;
		return value_done(f);
	}
	f->num_len = 1;
	if (c == 'i') {
		f->state = F_B_INT;
		return F_MORE;
	}
	if (!is_digit(c))
		return -EINVAL;
	f->left = (uint32_t)(c - '0');
	f->state = F_B_LEN;
	return F_MORE;
}

static int
bencode_int(struct ng_frame *f, char c)
{
	if (c == 'e')
		return value_done(f);
	if ((!is_digit(c) && c != '-') || ++f->num_len > INT_CHARS_MAX + 1)
		return -EINVAL;
	return F_MORE;
}

static int
bencode_len(struct ng_frame *f, char c)
{
	if (c == ':') {
		if (f->left == 0)
			return value_done(f);
		f->state = F_B_STR;
		return F_MORE;
	}
	if (!is_digit(c))
		return -EINVAL;
	f->left = f->left * 10 + (uint32_t)(c - '0');
	if (f->left > NG_FRAME_MAX)
		return -EMSGSIZE;
	return F_MORE;
}

static int
json_byte(struct ng_frame *f, char c)
{
	if (f->state == F_J_ESC) {
		f->state = F_J_STR;
		return F_MORE;
	}
	if (f->state == F_J_STR) {
		if (c == '\\')
			f->state = F_J_ESC;
		else if (c == '"')
			f->state = F_J;
		return F_MORE;
	}
	if (c == '"') {
		f->state = F_J_STR;
	} else if (c == '{' || c == '[') {
		if (f->depth >= BENCODE_MAX_DEPTH)
			return -EINVAL;
		f->depth++;
	} else if ((c == '}' || c == ']') && --f->depth == 0) {
		return F_DONE;
	}
	return F_MORE;
}

static int
body_start(struct ng_frame *f, char c)
{
	if (c == '{') {
		f->state = F_J;
		return json_byte(f, c);
	}
	f->state = F_B_VALUE;
	return bencode_value(f, c);
}

/* One byte (not inside a bencode string's bytes). */
static int
scan_byte(struct ng_frame *f, char c)
{
	switch (f->state) {
	case F_COOKIE:
		return cookie_byte(f, c);
	case F_BODY:
		return body_start(f, c);
	case F_B_VALUE:
		return bencode_value(f, c);
	case F_B_INT:
		return bencode_int(f, c);
	case F_B_LEN:
		return bencode_len(f, c);
	default:
		return json_byte(f, c);
	}
}

int
ng_frame_scan(struct ng_frame *f, const char *buf, size_t len)
{
	int rc;

	while (f->pos < len) {
		if (f->state == F_B_STR) {
			size_t take = len - f->pos < f->left ? len - f->pos : f->left;

			f->pos += (uint32_t)take;
			f->left -= (uint32_t)take;
			rc = f->left == 0 ? value_done(f) : F_MORE;
		} else {
			rc = scan_byte(f, buf[f->pos]);
			f->pos++;
		}
		if (f->pos > NG_FRAME_MAX)
			return -EMSGSIZE;
		if (rc < 0)
			return rc;
		if (rc == F_DONE)
			return (int)f->pos;
	}
	return 0;
}
