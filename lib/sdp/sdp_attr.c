/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The attribute lookups and the typed readers of the attributes the box acts
 * on. Each reader checks its value's whole grammar: an attribute it accepts
 * has every field the struct promises, in range.
 */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "sdp.h"
#include "sdp_token.h"

bool
sdp_str_eq(struct sdp_str s, const char *c)
{
	return strlen(c) == s.len && memcmp(s.p, c, s.len) == 0;
}

bool
sdp_str_caseeq(struct sdp_str s, const char *c)
{
	return strlen(c) == s.len && strncasecmp(s.p, c, s.len) == 0;
}

int
sdp_attr_find(const struct sdp *sdp, const struct sdp_section *sec, const char *name, int from)
{
	int i = from > sec->first ? from : sec->first;

	for (; i < sec->first + sec->n_lines; i++)
		if (sdp->lines[i].type == 'a' && sdp_str_eq(sdp->lines[i].name, name))
			return i;
	return -ENOENT;
}

bool
sdp_attr_has(const struct sdp *sdp, const struct sdp_section *sec, const char *name)
{
	return sdp_attr_find(sdp, sec, name, 0) >= 0;
}

int
sdp_attr_value(const struct sdp *sdp, const struct sdp_section *sec, const char *name,
		struct sdp_str *value)
{
	int i = sdp_attr_find(sdp, sec, name, 0);

	if (i < 0)
		return i;
	*value = sdp->lines[i].value;
	return 0;
}

/* RFC 8839 §5.4: ice-char = ALPHA / DIGIT / "+" / "/", min..256 of them. */
static int
ice_chars(const struct sdp *sdp, const struct sdp_section *sec, const char *name, size_t min,
		struct sdp_str *out)
{
	int rc = sdp_attr_value(sdp, sec, name, out);
	size_t i;

	if (rc < 0)
		return rc;
	if (out->len < min || out->len > 256)
		return -EINVAL;
	for (i = 0; i < out->len; i++) {
		char c = out->p[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
				(c >= '0' && c <= '9') || c == '+' || c == '/'))
			return -EINVAL;
	}
	return 0;
}

int
sdp_ice_ufrag(const struct sdp *sdp, const struct sdp_section *sec, struct sdp_str *ufrag)
{
	return ice_chars(sdp, sec, "ice-ufrag", 4, ufrag);
}

int
sdp_ice_pwd(const struct sdp *sdp, const struct sdp_section *sec, struct sdp_str *pwd)
{
	return ice_chars(sdp, sec, "ice-pwd", 22, pwd);
}

/* A value that is one or more fields separated by single spaces. */
static int
field_list(const struct sdp *sdp, const struct sdp_section *sec, const char *name,
		struct sdp_str *out)
{
	int rc = sdp_attr_value(sdp, sec, name, out);
	struct sdp_str rest, f;

	if (rc < 0)
		return rc;
	rest = *out;
	do {
		if (!sdp_tok_next(&rest, &f) || !sdp_tok_is_field(f))
			return -EINVAL;
	} while (rest.len != 0);
	return rest.p[-1] == ' ' ? -EINVAL : 0;
}

int
sdp_ice_options(const struct sdp *sdp, const struct sdp_section *sec, struct sdp_str *opts)
{
	return field_list(sdp, sec, "ice-options", opts);
}

int
sdp_mid(const struct sdp *sdp, const struct sdp_section *sec, struct sdp_str *mid)
{
	int rc = sdp_attr_value(sdp, sec, "mid", mid);

	if (rc < 0)
		return rc;
	return sdp_tok_is_field(*mid) ? 0 : -EINVAL;
}

/* The next field of rest, which must be there and hold no control byte. */
static bool
next_field(struct sdp_str *rest, struct sdp_str *f)
{
	return sdp_tok_next(rest, f) && sdp_tok_is_field(*f);
}

static bool
next_u32(struct sdp_str *rest, uint32_t max, uint32_t *v)
{
	struct sdp_str f;

	return next_field(rest, &f) && sdp_tok_u32(f, max, v);
}

/* A value may not end in a space: "a b " is not two fields. */
static bool
ends_clean(struct sdp_str value, struct sdp_str rest)
{
	return rest.len != 0 || value.len == 0 || value.p[value.len - 1] != ' ';
}

int
sdp_parse_candidate(struct sdp_str value, struct sdp_candidate *c)
{
	struct sdp_str rest = value, f;
	uint32_t n;

	memset(c, 0, sizeof(*c));
	if (!next_field(&rest, &c->foundation) || c->foundation.len > 32)
		return -EINVAL;
	if (!next_u32(&rest, 256, &n) || n == 0)
		return -EINVAL;
	c->component = (uint16_t)n;
	if (!next_field(&rest, &c->transport) || !next_u32(&rest, UINT32_MAX, &c->priority) ||
			!next_field(&rest, &c->addr) || !next_u32(&rest, UINT16_MAX, &n))
		return -EINVAL;
	c->port = (uint16_t)n;
	if (!next_field(&rest, &f) || !sdp_str_eq(f, "typ") || !next_field(&rest, &c->type))
		return -EINVAL;
	if (rest.len >= 6 && memcmp(rest.p, "raddr ", 6) == 0) {
		rest.p += 6;
		rest.len -= 6;
		if (!next_field(&rest, &c->rel_addr) || !next_field(&rest, &f) ||
				!sdp_str_eq(f, "rport") || !next_u32(&rest, UINT16_MAX, &n))
			return -EINVAL;
		c->rel_port = (uint16_t)n;
	}
	c->extensions = rest;
	return ends_clean(value, rest) ? 0 : -EINVAL;
}

static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
sdp_parse_fingerprint(struct sdp_str value, struct sdp_fingerprint *fp)
{
	struct sdp_str rest = value;
	size_t i;

	memset(fp, 0, sizeof(*fp));
	if (!next_field(&rest, &fp->hash) || !next_field(&rest, &fp->value) || rest.len != 0)
		return -EINVAL;
	/* "XX:XX:...:XX": 3 bytes a digest byte but the last. */
	if ((fp->value.len + 1) % 3 != 0 || (fp->value.len + 1) / 3 > SDP_FINGERPRINT_MAX)
		return -EINVAL;
	for (i = 0; i < fp->value.len; i += 3) {
		int hi = hex_digit(fp->value.p[i]), lo = hex_digit(fp->value.p[i + 1]);

		if (hi < 0 || lo < 0 || (i + 2 < fp->value.len && fp->value.p[i + 2] != ':'))
			return -EINVAL;
		fp->digest[fp->n++] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

int
sdp_fingerprint(const struct sdp *sdp, const struct sdp_section *sec, struct sdp_fingerprint *fp)
{
	struct sdp_str v;
	int rc = sdp_attr_value(sdp, sec, "fingerprint", &v);

	return rc < 0 ? rc : sdp_parse_fingerprint(v, fp);
}

int
sdp_parse_setup(struct sdp_str value, enum sdp_setup *setup)
{
	static const char *const names[] = {
		[SDP_SETUP_ACTPASS] = "actpass",
		[SDP_SETUP_ACTIVE] = "active",
		[SDP_SETUP_PASSIVE] = "passive",
		[SDP_SETUP_HOLDCONN] = "holdconn",
	};
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (sdp_str_caseeq(value, names[i])) {
			*setup = (enum sdp_setup)i;
			return 0;
		}
	}
	return -EINVAL;
}

int
sdp_setup(const struct sdp *sdp, const struct sdp_section *sec, enum sdp_setup *setup)
{
	struct sdp_str v;
	int rc = sdp_attr_value(sdp, sec, "setup", &v);

	return rc < 0 ? rc : sdp_parse_setup(v, setup);
}

/* base64 key||salt: non-empty, base64 alphabet with '=' padding. */
static bool
is_base64(struct sdp_str s)
{
	size_t i;

	if (s.len == 0)
		return false;
	for (i = 0; i < s.len; i++) {
		char c = s.p[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
				(c >= '0' && c <= '9') || c == '+' || c == '/' || c == '='))
			return false;
	}
	return true;
}

/* "inline:<key||salt>[|<lifetime>][|<mki>:<length>]" */
static int
parse_key_param(struct sdp_str kp, struct sdp_crypto *c, bool first)
{
	struct sdp_str method, info, key, a, b;
	bool bar1, bar2;

	if (!sdp_tok_split(kp, ':', &method, &info) || !sdp_str_caseeq(method, "inline"))
		return -EINVAL;
	bar1 = sdp_tok_split(info, '|', &key, &a);
	bar2 = sdp_tok_split(a, '|', &a, &b);
	if (!is_base64(key) || (bar1 && a.len == 0) || (bar2 && b.len == 0) ||
			(b.len != 0 && memchr(b.p, '|', b.len) != NULL))
		return -EINVAL;
	/* With one '|' part, it is the MKI when it holds a ':', else the lifetime. */
	if (!bar2 && a.len != 0 && memchr(a.p, ':', a.len) != NULL) {
		b = a;
		a.len = 0;
	}
	if (b.len != 0 && memchr(b.p, ':', b.len) == NULL)
		return -EINVAL;
	if (first) {
		c->key = key;
		c->lifetime = a;
		c->mki = b;
	}
	return 0;
}

int
sdp_parse_crypto(struct sdp_str value, struct sdp_crypto *c)
{
	struct sdp_str rest = value, params, kp;
	int rc;

	memset(c, 0, sizeof(*c));
	if (!next_u32(&rest, 999999999, &c->tag) || !next_field(&rest, &c->suite) ||
			!next_field(&rest, &c->key_params))
		return -EINVAL;
	c->session_params = rest;
	if (!ends_clean(value, rest))
		return -EINVAL;
	params = c->key_params;
	do {
		bool more = sdp_tok_split(params, ';', &kp, &params);

		rc = parse_key_param(kp, c, c->n_keys == 0);
		if (rc < 0 || c->n_keys == UINT8_MAX)
			return -EINVAL;
		c->n_keys++;
		if (more && params.len == 0)
			return -EINVAL;
	} while (params.len != 0);
	return 0;
}

int
sdp_parse_rtcp(struct sdp_str value, struct sdp_rtcp *r)
{
	struct sdp_str rest = value;
	uint32_t port;

	memset(r, 0, sizeof(*r));
	if (!next_u32(&rest, UINT16_MAX, &port))
		return -EINVAL;
	r->port = (uint16_t)port;
	if (rest.len == 0)
		return ends_clean(value, rest) ? 0 : -EINVAL;
	if (!next_field(&rest, &r->conn.nettype) || !next_field(&rest, &r->conn.addrtype) ||
			!next_field(&rest, &r->conn.addr) || rest.len != 0)
		return -EINVAL;
	return 0;
}

int
sdp_rtcp(const struct sdp *sdp, const struct sdp_section *sec, struct sdp_rtcp *rtcp)
{
	struct sdp_str v;
	int rc = sdp_attr_value(sdp, sec, "rtcp", &v);

	return rc < 0 ? rc : sdp_parse_rtcp(v, rtcp);
}

int
sdp_parse_group(struct sdp_str value, struct sdp_group *g)
{
	struct sdp_str rest = value;

	memset(g, 0, sizeof(*g));
	if (!next_field(&rest, &g->semantics))
		return -EINVAL;
	while (rest.len != 0) {
		if (g->n_mids == SDP_MAX_GROUP)
			return -E2BIG;
		if (!next_field(&rest, &g->mids[g->n_mids]))
			return -EINVAL;
		g->n_mids++;
	}
	return ends_clean(value, rest) ? 0 : -EINVAL;
}

int
sdp_bundle(const struct sdp *sdp, struct sdp_group *g)
{
	int i;

	for (i = sdp_attr_find(sdp, &sdp->session, "group", 0); i >= 0;
			i = sdp_attr_find(sdp, &sdp->session, "group", i + 1)) {
		int rc = sdp_parse_group(sdp->lines[i].value, g);

		if (rc < 0)
			return rc;
		if (sdp_str_caseeq(g->semantics, "BUNDLE"))
			return 0;
	}
	return -ENOENT;
}

int
sdp_parse_ssrc(struct sdp_str value, struct sdp_ssrc *s)
{
	struct sdp_str rest = value, attr;

	memset(s, 0, sizeof(*s));
	if (!next_u32(&rest, UINT32_MAX, &s->ssrc) || rest.len == 0)
		return -EINVAL;
	/* The value (after the attribute's ':') may hold spaces: "msid:stream track". */
	sdp_tok_split(rest, ':', &attr, &s->value);
	if (!sdp_tok_is_field(attr))
		return -EINVAL;
	s->attr = attr;
	return 0;
}

int
sdp_parse_rtpmap(struct sdp_str value, struct sdp_rtpmap *r)
{
	struct sdp_str rest = value, enc, clock, channels;
	uint32_t n;

	memset(r, 0, sizeof(*r));
	if (!next_u32(&rest, 127, &n) || !next_field(&rest, &enc) || rest.len != 0)
		return -EINVAL;
	r->pt = (uint8_t)n;
	sdp_tok_split(enc, '/', &r->encoding, &clock);
	if (r->encoding.len == 0)
		return -EINVAL;
	if (sdp_tok_split(clock, '/', &clock, &channels)) {
		if (!sdp_tok_u32(channels, UINT16_MAX, &n) || n == 0)
			return -EINVAL;
		r->channels = (uint16_t)n;
	}
	if (!sdp_tok_u32(clock, UINT32_MAX, &r->clock_rate) || r->clock_rate == 0)
		return -EINVAL;
	return 0;
}

int
sdp_rtpmap(const struct sdp *sdp, const struct sdp_media *m, uint8_t pt,
		struct sdp_rtpmap *rtpmap)
{
	int i;

	for (i = sdp_attr_find(sdp, &m->sec, "rtpmap", 0); i >= 0;
			i = sdp_attr_find(sdp, &m->sec, "rtpmap", i + 1)) {
		struct sdp_str v = sdp->lines[i].value, head, tail;
		uint32_t n;

		sdp_tok_split(v, ' ', &head, &tail);
		if (sdp_tok_u32(head, 127, &n) && n == pt)
			return sdp_parse_rtpmap(v, rtpmap);
	}
	return -ENOENT;
}
