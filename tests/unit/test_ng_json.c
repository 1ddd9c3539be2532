/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/ng/ng_json: JSON ng bodies decode to the very tree the bencode of the
 * same dictionary gives (an rtpengine-ng-client --json offer against its
 * bencode), escapes (\n, \", \/, \u, surrogate pairs) decoded, true/false as
 * 1/0, and every way a body can be wrong failing with its reason: each
 * prefix of a valid body, null, floats, int64 overflow, leading zeros,
 * unpaired surrogates, \u0000, control bytes, bad UTF-8, trailing data,
 * nesting past 32, the node and scratch limits. The writer: compact JSON,
 * escapes, bytes that are no UTF-8, its bounds; decode(write(tree)) is tree.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ng/bencode.h"
#include "ng/ng_json.h"

#define NODES 256

static struct bencode_node nodes[NODES];
static struct bencode_node other[NODES];
static char scratch[BENCODE_MAX_INPUT];
static char big[BENCODE_MAX_INPUT + 16];

static const char offer_json[] =
	"{ \"command\": \"offer\", \"call-id\": \"a84b4c76e667\", \"from-tag\": \"1928301774\",\n"
	"  \"sdp\": \"v=0\\r\\no=- 1 1 IN IP4 198.18.0.2\\r\\ns=-\\r\\nc=IN IP4 198.18.0.2\\r\\n"
	"t=0 0\\r\\nm=audio 4000 RTP/AVP 0\\r\\n\",\n"
	"  \"received-from\": [\"IP4\", \"198.18.0.2\"],\n"
	"  \"flags\": [\"trust-address\", \"symmetric\"],\n"
	"  \"replace\": [\"origin\", \"session-connection\"],\n"
	"  \"rtcp-mux\": [\"offer\"], \"ICE\": \"remove\", \"delete-delay\": -30,\n"
	"  \"supports\": [\"load limit\"], \"codec\": {} }";
static const char offer_bencode[] =
	"d7:command5:offer7:call-id12:a84b4c76e6678:from-tag10:1928301774"
	"3:sdp89:v=0\r\no=- 1 1 IN IP4 198.18.0.2\r\ns=-\r\nc=IN IP4 198.18.0.2\r\nt=0 0\r\n"
	"m=audio 4000 RTP/AVP 0\r\n"
	"13:received-froml3:IP410:198.18.0.2e"
	"5:flagsl13:trust-address9:symmetrice"
	"7:replacel6:origin18:session-connectione"
	"8:rtcp-muxl5:offere"
	"3:ICE6:remove12:delete-delayi-30e"
	"8:supportsl10:load limite5:codecde"
	"e";

static int
jdecode(struct bencode_doc *doc, const char *s, size_t len)
{
	return ng_json_decode(doc, nodes, NODES, s, len, scratch, sizeof(scratch));
}

static int
jdecode_str(struct bencode_doc *doc, const char *s)
{
	return jdecode(doc, s, strlen(s));
}

/* The decode fails with err and a reason containing want. */
static void
assert_fails(const char *s, int err, const char *want)
{
	struct bencode_doc doc;
	int rc = jdecode_str(&doc, s);

	if (rc != err || doc.reason == NULL || strstr(doc.reason, want) == NULL)
		fail_msg("'%s': rc %d reason '%s', want %d '%s'", s, rc,
			 doc.reason ? doc.reason : "(none)", err, want);
	assert_null(bencode_root(&doc));
}

/* Same types, counts, links, strings and integers (container spans differ). */
static void
assert_same_tree(const struct bencode_doc *a, const struct bencode_doc *b)
{
	assert_int_equal(a->count, b->count);
	for (uint32_t i = 0; i < a->count; i++) {
		const struct bencode_node *x = &a->nodes[i], *y = &b->nodes[i];

		assert_int_equal(x->type, y->type);
		assert_int_equal(x->num, y->num);
		assert_int_equal(x->child, y->child);
		assert_int_equal(x->next, y->next);
		if (x->type == BENCODE_STRING) {
			assert_int_equal(x->len, y->len);
			assert_memory_equal(x->str, y->str, x->len);
		}
	}
}

static void
assert_root_str(const char *json, const char *want, size_t want_len)
{
	struct bencode_doc doc;
	const struct bencode_node *v;

	assert_int_equal(jdecode_str(&doc, json), 0);
	v = bencode_dict_get(&doc, bencode_root(&doc), "k");
	assert_non_null(v);
	assert_int_equal(v->type, BENCODE_STRING);
	assert_int_equal(v->len, want_len);
	assert_memory_equal(v->str, want, want_len);
}

static void
test_same_tree_as_bencode(void **state)
{
	struct bencode_doc j, b;
	struct bencode_writer w;
	char out[1024];
	size_t len;

	(void)state;
	assert_int_equal(jdecode_str(&j, offer_json), 0);
	assert_int_equal(bencode_decode(&b, other, NODES, offer_bencode,
					strlen(offer_bencode)), 0);
	assert_same_tree(&j, &b);
	/* Re-encoded as bencode: the bencode of the same dictionary, byte for byte. */
	bencode_writer_init(&w, out, sizeof(out));
	bencode_put_node(&w, &j, bencode_root(&j));
	assert_int_equal(bencode_writer_finish(&w), (int)strlen(offer_bencode));
	assert_memory_equal(out, offer_bencode, strlen(offer_bencode));
	/* The lookups the commands use, with ng's spellings. */
	assert_non_null(bencode_dict_get_str(&j, bencode_root(&j), "call_id", &len));
	assert_true(bencode_list_has(&j, bencode_dict_get(&j, bencode_root(&j), "flags"),
				     "trust address"));
	/* The top object spans the whole body. */
	assert_int_equal(bencode_root(&j)->len, strlen(offer_json));
}

static void
test_values(void **state)
{
	struct bencode_doc doc;
	const struct bencode_node *r;
	int64_t v;

	(void)state;
	assert_int_equal(jdecode_str(&doc, "{\"t\":true,\"f\":false,\"z\":-0,"
				     "\"max\":9223372036854775807,\"min\":-9223372036854775808,"
				     "\"l\":[],\"d\":{\"x\":[[1]]}}"), 0);
	r = bencode_root(&doc);
	assert_int_equal(bencode_dict_get_int(&doc, r, "t", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(bencode_dict_get_int(&doc, r, "f", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(bencode_dict_get_int(&doc, r, "z", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(bencode_dict_get_int(&doc, r, "max", &v), 0);
	assert_true(v == INT64_MAX);
	assert_int_equal(bencode_dict_get_int(&doc, r, "min", &v), 0);
	assert_true(v == INT64_MIN);
	assert_int_equal(bencode_dict_get(&doc, r, "l")->num, 0);
	assert_int_equal(bencode_dict_get(&doc, r, "d")->num, 1);
	assert_int_equal(r->num, 7);
	/* A duplicate key: the first, as with bencode. */
	assert_int_equal(jdecode_str(&doc, "{\"command\":\"ping\",\"command\":\"bogus\"}"), 0);
	assert_true(bencode_str_is(bencode_dict_get(&doc, bencode_root(&doc), "command"),
				   "ping"));
	/* Top values other than objects decode (the server wants a dictionary). */
	assert_int_equal(jdecode_str(&doc, " [\"a\", 1] \r\n"), 0);
	assert_int_equal(bencode_root(&doc)->type, BENCODE_LIST);
	assert_int_equal(jdecode_str(&doc, "\"s\""), 0);
	assert_int_equal(jdecode_str(&doc, "42"), 0);
	assert_int_equal(bencode_root(&doc)->num, 42);
}

static void
test_escapes(void **state)
{
	(void)state;
	assert_root_str("{\"k\":\"a\\nb\\r\\t\\\"\\\\\\/\\b\\f\"}", "a\nb\r\t\"\\/\b\f", 10);
	assert_root_str("{\"k\":\"\\u0041\\u00e9\\u20AC\"}", "A\xc3\xa9\xe2\x82\xac", 6);
	/* U+1F600 as a surrogate pair, and raw in UTF-8. */
	assert_root_str("{\"k\":\"\\ud83d\\ude00\"}", "\xf0\x9f\x98\x80", 4);
	assert_root_str("{\"k\":\"\xf0\x9f\x98\x80\xc3\xa9\"}", "\xf0\x9f\x98\x80\xc3\xa9", 6);
	assert_root_str("{\"k\":\"\"}", "", 0);
	/* Escaped key names are keys all the same. */
	assert_root_str("{\"\\u006b\":\"v\"}", "v", 1);
	assert_fails("{\"k\":\"\\ud83d\"}", -EINVAL, "unpaired high surrogate");
	assert_fails("{\"k\":\"\\ud83d\\u0041\"}", -EINVAL, "unpaired high surrogate");
	assert_fails("{\"k\":\"\\ude00\"}", -EINVAL, "unpaired low surrogate");
	assert_fails("{\"k\":\"\\u12\"}", -EINVAL, "bad \\u escape");
	assert_fails("{\"k\":\"\\u12g4\"}", -EINVAL, "bad \\u escape");
	assert_fails("{\"k\":\"\\u0000\"}", -EINVAL, "\\u0000");
	assert_fails("{\"k\":\"\\x\"}", -EINVAL, "bad escape");
	assert_fails("{\"k\":\"a\nb\"}", -EINVAL, "control byte");
	assert_fails("{\"k\":\"\xc3\"}", -EINVAL, "no UTF-8");
	assert_fails("{\"k\":\"\xc0\xaf\"}", -EINVAL, "no UTF-8");		/* overlong '/' */
	assert_fails("{\"k\":\"\xed\xa0\x80\"}", -EINVAL, "no UTF-8");	/* raw surrogate */
	assert_fails("{\"k\":\"\xf4\x90\x80\x80\"}", -EINVAL, "no UTF-8");	/* past U+10FFFF */
}

static void
test_malformed(void **state)
{
	(void)state;
	assert_fails("", -EINVAL, "empty input");
	assert_fails("   ", -EINVAL, "empty input");
	assert_fails("{\"a\":null}", -EINVAL, "null");
	assert_fails("{\"a\":1.5}", -EINVAL, "fraction or exponent");
	assert_fails("{\"a\":1e3}", -EINVAL, "fraction or exponent");
	assert_fails("{\"a\":01}", -EINVAL, "leading zero");
	assert_fails("{\"a\":-}", -EINVAL, "without digits");
	assert_fails("{\"a\":+1}", -EINVAL, "unexpected byte");
	assert_fails("{\"a\":99999999999999999999}", -ERANGE, "out of range");
	assert_fails("{\"a\":9223372036854775808}", -ERANGE, "out of range");
	assert_fails("{\"a\":-9223372036854775809}", -ERANGE, "out of range");
	assert_fails("{\"a\":tru}", -EINVAL, "unexpected byte");
	assert_fails("{a:1}", -EINVAL, "key is not a string");
	assert_fails("{\"a\" 1}", -EINVAL, "expected ':'");
	assert_fails("{\"a\":1 \"b\":2}", -EINVAL, "expected ',' or '}'");
	assert_fails("[1 2]", -EINVAL, "expected ',' or ']'");
	assert_fails("{\"a\":1,}", -EINVAL, "key is not a string");
	assert_fails("[1,]", -EINVAL, "unexpected byte");
	assert_fails("{\"a\":[1}", -EINVAL, "expected ',' or ']'");
	assert_fails("{\"command\":\"ping\"} trailing", -EINVAL, "trailing data");
	assert_fails("{}{}", -EINVAL, "trailing data");
	/* A NUL after the object is data too. */
	{
		struct bencode_doc doc;

		assert_int_equal(jdecode(&doc, "{\"a\":1}\0", 8), -EINVAL);
		assert_string_equal(doc.reason, "trailing data after the top value");
	}
}

/* Every proper prefix of a valid body fails, as truncated, and never reads past it. */
static void
test_truncation_everywhere(void **state)
{
	size_t len = strlen(offer_json);
	struct bencode_doc doc;

	(void)state;
	for (size_t n = 0; n < len; n++) {
		/* The prefix at the end of a buffer of its own size. */
		char *end = big + sizeof(big) - n;

		memcpy(end, offer_json, n);
		if (jdecode(&doc, end, n) == 0) {
			/* Only whitespace may be missing at the end: the closing brace is last. */
			fail_msg("prefix of %zu bytes decoded", n);
		}
		assert_non_null(doc.reason);
		assert_true(doc.err_off <= n);
	}
}

static void
test_nesting_limit(void **state)
{
	char s[2 * (BENCODE_MAX_DEPTH + 1) + 1];
	struct bencode_doc doc;
	int i;

	(void)state;
	for (i = 0; i < BENCODE_MAX_DEPTH; i++) {
		s[i] = '[';
		s[BENCODE_MAX_DEPTH + i] = ']';
	}
	s[2 * BENCODE_MAX_DEPTH] = '\0';
	assert_int_equal(jdecode_str(&doc, s), 0);
	for (i = 0; i <= BENCODE_MAX_DEPTH; i++) {
		s[i] = '[';
		s[BENCODE_MAX_DEPTH + 1 + i] = ']';
	}
	s[2 * (BENCODE_MAX_DEPTH + 1)] = '\0';
	assert_fails(s, -EINVAL, "nesting deeper than 32");
	/* Objects count as containers too. */
	memset(big, 0, sizeof(big));
	for (i = 0; i <= BENCODE_MAX_DEPTH; i++)
		strcat(big, "{\"a\":");
	assert_fails(big, -EINVAL, "nesting deeper than 32");
}

static void
test_limits(void **state)
{
	struct bencode_doc doc;
	char small[4];
	size_t n;

	(void)state;
	/* 300 values for 256 nodes. */
	n = (size_t)sprintf(big, "[");
	for (int i = 0; i < 300; i++)
		n += (size_t)sprintf(big + n, "%s%d", i ? "," : "", i);
	big[n++] = ']';
	assert_int_equal(jdecode(&doc, big, n), -ENOBUFS);
	assert_string_equal(doc.reason, "more values than nodes");
	/* Strings longer than the scratch. */
	assert_int_equal(ng_json_decode(&doc, nodes, NODES, "[\"abcdef\"]", 10, small,
					sizeof(small)), -ENOBUFS);
	/* Longer than a datagram. */
	memset(big, ' ', sizeof(big));
	assert_int_equal(jdecode(&doc, big, BENCODE_MAX_INPUT + 1), -EMSGSIZE);
	/* Exactly 64 KiB: a string and whitespace. */
	big[0] = '"';
	memset(big + 1, 'x', 60000);
	big[60001] = '"';
	assert_int_equal(jdecode(&doc, big, BENCODE_MAX_INPUT), 0);
	assert_int_equal(bencode_root(&doc)->len, 60000);
}

static void
test_writer(void **state)
{
	static const char want[] =
		"{\"result\":\"ok\",\"sdp\":\"v=0\\r\\n\\\"q\\\"\\\\\\u0001\",\"n\":-5,"
		"\"l\":[1,\"\xc3\xa9\",[],{}],\"bin\":\"\\u00ff\\u00c3x\"}";
	struct bencode_writer w;
	struct bencode_doc doc, back;
	char benc[256], out[256];
	int len;

	(void)state;
	bencode_writer_init(&w, benc, sizeof(benc));
	bencode_put_dict(&w);
	bencode_put_key_cstr(&w, "result", "ok");
	bencode_put_key_cstr(&w, "sdp", "v=0\r\n\"q\"\\\x01");
	bencode_put_key_int(&w, "n", -5);
	bencode_put_cstr(&w, "l");
	bencode_put_list(&w);
	bencode_put_int(&w, 1);
	bencode_put_cstr(&w, "\xc3\xa9");
	bencode_put_list(&w);
	bencode_put_end(&w);
	bencode_put_dict(&w);
	bencode_put_end(&w);
	bencode_put_end(&w);
	bencode_put_key_str(&w, "bin", "\xff\xc3x", 3);
	bencode_put_end(&w);
	len = bencode_writer_finish(&w);
	assert_true(len > 0);
	assert_int_equal(bencode_decode(&doc, other, NODES, benc, (size_t)len), 0);
	len = ng_json_write(&doc, bencode_root(&doc), out, sizeof(out));
	assert_int_equal(len, (int)strlen(want));
	assert_memory_equal(out, want, (size_t)len);
	/* Every size short of it: -ENOSPC, never past cap. */
	for (int cap = 0; cap < len; cap++)
		assert_int_equal(ng_json_write(&doc, bencode_root(&doc), out, (size_t)cap), -ENOSPC);
	/* The offer: JSON out, JSON in, the same tree. */
	assert_int_equal(bencode_decode(&doc, other, NODES, offer_bencode,
					strlen(offer_bencode)), 0);
	len = ng_json_write(&doc, bencode_root(&doc), big, sizeof(big));
	assert_true(len > 0);
	assert_int_equal(jdecode(&back, big, (size_t)len), 0);
	assert_same_tree(&doc, &back);
	/* A scalar alone. */
	assert_int_equal(ng_json_write(&doc, &doc.nodes[2], out, sizeof(out)), 7);
	assert_memory_equal(out, "\"offer\"", 7);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_tree_as_bencode),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_truncation_everywhere),
		cmocka_unit_test(test_nesting_limit),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_writer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
