/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "sdp_token.h"

bool
sdp_tok_next(struct sdp_str *rest, struct sdp_str *field)
{
	const char *sp;

	if (rest->len == 0 || rest->p[0] == ' ')
		return false;
	sp = memchr(rest->p, ' ', rest->len);
	field->p = rest->p;
	if (sp == NULL) {
		field->len = rest->len;
		rest->p += rest->len;
		rest->len = 0;
		return true;
	}
	field->len = (size_t)(sp - rest->p);
	rest->p = sp + 1;
	rest->len -= field->len + 1;
	return true;
}

bool
sdp_tok_split(struct sdp_str s, char c, struct sdp_str *head, struct sdp_str *tail)
{
	const char *at = s.len != 0 ? memchr(s.p, c, s.len) : NULL;

	if (at == NULL) {
		*head = s;
		tail->p = s.p + s.len;
		tail->len = 0;
		return false;
	}
	head->p = s.p;
	head->len = (size_t)(at - s.p);
	tail->p = at + 1;
	tail->len = s.len - head->len - 1;
	return true;
}

bool
sdp_tok_u32(struct sdp_str s, uint32_t max, uint32_t *v)
{
	uint64_t n = 0;
	size_t i;

	if (s.len == 0 || s.len > 10)
		return false;
	for (i = 0; i < s.len; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return false;
		n = n * 10 + (uint64_t)(s.p[i] - '0');
	}
	if (n > max)
		return false;
	*v = (uint32_t)n;
	return true;
}

bool
sdp_tok_is_field(struct sdp_str s)
{
	size_t i;

	if (s.len == 0)
		return false;
	for (i = 0; i < s.len; i++)
		if ((unsigned char)s.p[i] <= ' ' || s.p[i] == 0x7f)
			return false;
	return true;
}
