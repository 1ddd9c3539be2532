/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ng_params.h"

static char
fold(char c)
{
	if (c == ' ' || c == '_')
		return '-';
	if (c >= 'A' && c <= 'Z')
		return (char)(c - 'A' + 'a');
	return c;
}

/*
 * Values and flags compare without case as well: Kamailio users write
 * "WebRTC", "webrtc", "trust-address", "trust_address" alike.
 */
static bool
word_eq(const char *a, size_t a_len, const char *c)
{
	size_t c_len = strlen(c);

	if (a_len != c_len)
		return false;
	for (size_t i = 0; i < a_len; i++)
		if (fold(a[i]) != fold(c[i]))
			return false;
	return true;
}

bool
ng_str_is(struct ng_str s, const char *c)
{
	return s.p != NULL && word_eq(s.p, s.len, c);
}

bool
ng_sdes_allows(const struct ng_sdes *s, const char *suite)
{
	bool only = s->n_only == 0;

	if (s->off)
		return false;
	for (unsigned int i = 0; i < s->n_no; i++)
		if (ng_str_is(s->no[i], suite))
			return false;
	for (unsigned int i = 0; i < s->n_only; i++)
		if (ng_str_is(s->only[i], suite))
			only = true;
	return only;
}

/* A string value of key into out (absent: left empty). */
static int
get_str(const struct bencode_doc *doc, const struct bencode_node *req, const char *key,
	struct ng_str *out, const char **reason, const char *why)
{
	const struct bencode_node *v = bencode_dict_get(doc, req, key);

	if (v == NULL)
		return 0;
	/* The SDP is bounded by the datagram; names and tags by NG_STR_MAX. */
	if (v->type != BENCODE_STRING || (v->len > NG_STR_MAX && strcmp(key, "sdp") != 0)) {
		*reason = why;
		return -EINVAL;
	}
	out->p = v->str;
	out->len = v->len;
	return 0;
}

/* Each string of a list value (or one string) through fn; other types are an error. */
typedef int (*word_fn)(struct ng_params *p, struct ng_str w, const char **reason);

static int
each_word(const struct bencode_doc *doc, const struct bencode_node *req, const char *key,
	  struct ng_params *p, word_fn fn, const char **reason, const char *why)
{
	const struct bencode_node *v = bencode_dict_get(doc, req, key);
	const struct bencode_node *c;
	int ret;

	if (v == NULL)
		return 0;
	if (v->type == BENCODE_STRING)
		return fn(p, (struct ng_str){ v->str, v->len }, reason);
	if (v->type != BENCODE_LIST) {
		*reason = why;
		return -EINVAL;
	}
	for (c = bencode_child(doc, v); c != NULL; c = bencode_next(doc, c)) {
		if (c->type != BENCODE_STRING) {
			*reason = why;
			return -EINVAL;
		}
		ret = fn(p, (struct ng_str){ c->str, c->len }, reason);
		if (ret != 0)
			return ret;
	}
	return 0;
}

static const struct {
	const char *name;
	uint32_t bit;
} ng_flag_names[] = {
	{ "trust-address", NG_FLAG_TRUST_ADDRESS },
	{ "symmetric", NG_FLAG_SYMMETRIC },
	{ "asymmetric", NG_FLAG_ASYMMETRIC },
	{ "strict-source", NG_FLAG_STRICT_SOURCE },
	{ "port-latching", NG_FLAG_PORT_LATCHING },
	{ "generate-mid", NG_FLAG_GENERATE_MID },
	{ "WebRTC", NG_FLAG_WEBRTC },
	{ "no-rtcp-attribute", NG_FLAG_NO_RTCP_ATTR },
	{ "loop-protect", NG_FLAG_LOOP_PROTECT },
	{ "all", NG_FLAG_ALL },
};

static int
flag_word(struct ng_params *p, struct ng_str w, const char **reason)
{
	(void)reason;
	for (size_t i = 0; i < sizeof(ng_flag_names) / sizeof(ng_flag_names[0]); i++)
		if (word_eq(w.p, w.len, ng_flag_names[i].name))
			p->flags |= ng_flag_names[i].bit;
	return 0;	/* unknown flags are ignored, as rtpengine does */
}

static int
rtcp_mux_word(struct ng_params *p, struct ng_str w, const char **reason)
{
	static const char *const names[] = { "offer", "require", "demux", "accept", "reject" };

	for (unsigned int i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (word_eq(w.p, w.len, names[i])) {
			p->rtcp_mux |= 1u << i;
			return 0;
		}
	*reason = "unknown rtcp-mux value";
	return -EINVAL;
}

static int
replace_word(struct ng_params *p, struct ng_str w, const char **reason)
{
	(void)reason;
	if (word_eq(w.p, w.len, "origin"))
		p->replace_origin = true;
	else if (word_eq(w.p, w.len, "session-connection") ||
		 word_eq(w.p, w.len, "session-name"))
		p->replace_session_connection |= word_eq(w.p, w.len, "session-connection");
	return 0;	/* others (username, zero-address...) change nothing here */
}

static int
sdes_word(struct ng_params *p, struct ng_str w, const char **reason)
{
	struct ng_sdes *s = &p->sdes;

	if (word_eq(w.p, w.len, "off")) {
		s->off = true;
	} else if (w.len > 3 && word_eq(w.p, 3, "no-")) {
		if (s->n_no == NG_SDES_SUITES_MAX)
			goto many;
		s->no[s->n_no++] = (struct ng_str){ w.p + 3, w.len - 3 };
	} else if (w.len > 5 && word_eq(w.p, 5, "only-")) {
		if (s->n_only == NG_SDES_SUITES_MAX)
			goto many;
		s->only[s->n_only++] = (struct ng_str){ w.p + 5, w.len - 5 };
	}
	return 0;	/* on, pad, unencrypted_srtp, ...: nothing the box changes */
many:
	*reason = "too many SDES suites";
	return -EINVAL;
}

static int
direction_word(struct ng_params *p, struct ng_str w, const char **reason)
{
	if (p->n_direction == NG_DIRECTION_MAX) {
		*reason = "direction has more than two interfaces";
		return -EINVAL;
	}
	p->direction[p->n_direction++] = w;
	return 0;
}

static int
get_choice(const struct bencode_doc *doc, const struct bencode_node *req, const char *key,
	   const char *const *names, unsigned int n, int *out, const char **reason,
	   const char *why)
{
	struct ng_str v = { NULL, 0 };

	if (get_str(doc, req, key, &v, reason, why) != 0)
		return -EINVAL;
	if (v.p == NULL)
		return 0;
	for (unsigned int i = 0; i < n; i++)
		if (word_eq(v.p, v.len, names[i])) {
			*out = (int)i;
			return 0;
		}
	*reason = why;
	return -EINVAL;
}

static int
get_ice_dtls(const struct bencode_doc *doc, const struct bencode_node *req,
	     struct ng_params *p, const char **reason)
{
	static const char *const ice[] = { "default", "remove", "force" };
	static const char *const dtls[] = { "default", "off", "passive", "active" };
	int ice_v = NG_ICE_DEFAULT, dtls_v = NG_DTLS_DEFAULT;

	if (get_choice(doc, req, "ICE", ice, 3, &ice_v, reason,
		       "ICE is default, remove or force") != 0)
		return -EINVAL;
	/* "no" is rtpengine's other spelling of off. */
	struct ng_str d = { NULL, 0 };

	if (get_str(doc, req, "DTLS", &d, reason, "DTLS is off, passive or active") != 0)
		return -EINVAL;
	if (d.p != NULL && word_eq(d.p, d.len, "no"))
		dtls_v = NG_DTLS_OFF;
	else if (get_choice(doc, req, "DTLS", dtls, 4, &dtls_v, reason,
			    "DTLS is off, passive or active") != 0)
		return -EINVAL;
	p->ice = (enum ng_ice)ice_v;
	p->dtls = (enum ng_dtls)dtls_v;
	return 0;
}

/* received-from: [ "IP4", "198.51.100.1" ]. */
static int
get_received_from(const struct bencode_doc *doc, const struct bencode_node *req,
		  struct ng_params *p, const char **reason)
{
	const struct bencode_node *v = bencode_dict_get(doc, req, "received-from");
	const struct bencode_node *fam, *addr;

	if (v == NULL)
		return 0;
	fam = v->type == BENCODE_LIST ? bencode_child(doc, v) : NULL;
	addr = fam != NULL ? bencode_next(doc, fam) : NULL;
	if (addr == NULL || fam->type != BENCODE_STRING || addr->type != BENCODE_STRING ||
	    addr->len > NG_STR_MAX) {
		*reason = "received-from is [family, address]";
		return -EINVAL;
	}
	p->received_from_family = (struct ng_str){ fam->str, fam->len };
	p->received_from_addr = (struct ng_str){ addr->str, addr->len };
	return 0;
}

static int
get_int(const struct bencode_doc *doc, const struct bencode_node *req, const char *key,
	int64_t *out, const char **reason, const char *why)
{
	const struct bencode_node *v = bencode_dict_get(doc, req, key);
	char *end;
	char tmp[24];

	*out = -1;
	if (v == NULL)
		return 0;
	if (v->type == BENCODE_INTEGER && v->num >= 0) {
		*out = v->num;
		return 0;
	}
	/* Kamailio sends some numbers as strings. */
	if (v->type == BENCODE_STRING && v->len > 0 && v->len < sizeof(tmp)) {
		memcpy(tmp, v->str, v->len);
		tmp[v->len] = '\0';
		*out = strtoll(tmp, &end, 10);
		if (*end == '\0' && *out >= 0)
			return 0;
	}
	*reason = why;
	return -EINVAL;
}

static int
get_strings(const struct bencode_doc *doc, const struct bencode_node *req,
	    struct ng_params *p, const char **reason)
{
	if (get_str(doc, req, "command", &p->command, reason, "command is not a string") ||
	    get_str(doc, req, "call-id", &p->call_id, reason, "call-id is not a string (256 bytes at most)") ||
	    get_str(doc, req, "from-tag", &p->from_tag, reason, "from-tag is not a string (256 bytes at most)") ||
	    get_str(doc, req, "to-tag", &p->to_tag, reason, "to-tag is not a string (256 bytes at most)") ||
	    get_str(doc, req, "via-branch", &p->via_branch, reason, "via-branch is not a string") ||
	    get_str(doc, req, "sdp", &p->sdp, reason, "sdp is not a string") ||
	    get_str(doc, req, "label", &p->label, reason, "label is not a string (256 bytes at most)") ||
	    get_str(doc, req, "transport-protocol", &p->transport_protocol, reason,
		    "transport-protocol is not a string"))
		return -EINVAL;
	if (ng_str_is(p->transport_protocol, "accept")) {
		p->transport_accept = true;
		p->transport_protocol = (struct ng_str){ NULL, 0 };
	}
	return 0;
}

/* intercept-*: strings (the correlation ID may be an integer). */
static int
get_li(const struct bencode_doc *doc, const struct bencode_node *req, struct ng_params *p,
       const char **reason)
{
	const struct bencode_node *v = bencode_dict_get(doc, req, "intercept-correlation-id");

	p->li_correlation_num = -1;
	if (v != NULL && v->type == BENCODE_INTEGER) {
		if (v->num <= 0) {
			*reason = "intercept-correlation-id must be a positive number";
			return -EINVAL;
		}
		p->li_correlation_num = v->num;
	} else if (get_str(doc, req, "intercept-correlation-id", &p->li_correlation, reason,
			   "intercept-correlation-id is not a number or a string")) {
		return -EINVAL;
	}
	if (get_str(doc, req, "intercept-xid", &p->li_xid, reason, "intercept-xid is not a string") ||
	    get_str(doc, req, "intercept-mf", &p->li_mf, reason, "intercept-mf is not a string") ||
	    get_str(doc, req, "intercept-target", &p->li_target, reason,
		    "intercept-target is not a string") ||
	    get_str(doc, req, "intercept-dtls", &p->li_dtls, reason, "intercept-dtls is not a string"))
		return -EINVAL;
	return 0;
}

int
ng_params_parse(const struct bencode_doc *doc, const struct bencode_node *req,
		struct ng_params *p, const char **reason)
{
	memset(p, 0, sizeof(*p));
	if (get_strings(doc, req, p, reason) != 0 || get_ice_dtls(doc, req, p, reason) != 0 ||
	    get_received_from(doc, req, p, reason) != 0 ||
	    each_word(doc, req, "flags", p, flag_word, reason, "flags is a list of strings") ||
	    each_word(doc, req, "rtcp-mux", p, rtcp_mux_word, reason,
		      "rtcp-mux is a list of strings") ||
	    each_word(doc, req, "replace", p, replace_word, reason,
		      "replace is a list of strings") ||
	    each_word(doc, req, "SDES", p, sdes_word, reason, "SDES is a list of strings") ||
	    each_word(doc, req, "direction", p, direction_word, reason,
		      "direction is a list of interface names") ||
	    get_int(doc, req, "delete-delay", &p->delete_delay, reason,
		    "delete-delay is not a number of seconds") ||
	    get_int(doc, req, "limit", &p->limit, reason, "limit is not a number") ||
	    get_li(doc, req, p, reason))
		return -EINVAL;
	return 0;
}
