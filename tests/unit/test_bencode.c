/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/ng/bencode: rtpengine-ng-client style messages decoded and looked up
 * with ng's key spellings, byte-exact round trips, and every way a datagram
 * can be wrong (each prefix of a valid message, huge lengths, leading zeros,
 * "-0", int64 overflow, trailing data, nesting, node limit) failing with its
 * reason; the encoder's bounds and checks; the cookie split.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ng/bencode.h"

#define NODES 256

static struct bencode_node nodes[NODES];

/* What rtpengine-ng-client and Kamailio send. */
static const char ping[] = "d7:command4:pinge";
static const char offer[] =
	"d7:command5:offer7:call-id12:a84b4c76e6678:from-tag10:1928301774"
	"3:sdp89:v=0\r\no=- 1 1 IN IP4 198.18.0.2\r\ns=-\r\nc=IN IP4 198.18.0.2\r\nt=0 0\r\n"
	"m=audio 4000 RTP/AVP 0\r\n"
	"13:received-froml3:IP410:198.18.0.2e"
	"5:flagsl13:trust-address9:symmetrice"
	"7:replacel6:origin18:session-connectione"
	"8:rtcp-muxl5:offere"
	"3:ICE6:remove"
	"8:supportsl10:load limite"
	"e";

static int
decode(struct bencode_doc *doc, const char *s)
{
	return bencode_decode(doc, nodes, NODES, s, strlen(s));
}

static void
assert_str(const char *p, size_t len, const char *want)
{
	assert_non_null(p);
	assert_int_equal(len, strlen(want));
	assert_memory_equal(p, want, len);
}

static void
assert_dict_str(const struct bencode_doc *doc, const struct bencode_node *dict,
	const char *key, const char *want)
{
	size_t len = 0;
	const char *p = bencode_dict_get_str(doc, dict, key, &len);

	assert_str(p, len, want);
}

/* Decode, re-encode: the very same bytes. */
static void
assert_round_trip(const char *s)
{
	struct bencode_doc doc;
	struct bencode_writer w;
	char out[1024];

	assert_int_equal(decode(&doc, s), 0);
	bencode_writer_init(&w, out, sizeof(out));
	bencode_put_node(&w, &doc, bencode_root(&doc));
	assert_int_equal(bencode_writer_finish(&w), (int)strlen(s));
	assert_memory_equal(out, s, strlen(s));
}

static void
assert_fails(const char *s, size_t len, int err, const char *reason, size_t off)
{
	struct bencode_doc doc;

	assert_int_equal(bencode_decode(&doc, nodes, NODES, s, len), err);
	assert_string_equal(doc.reason, reason);
	assert_int_equal(doc.err_off, off);
	assert_null(bencode_root(&doc));
}

static void
test_ping(void **state)
{
	struct bencode_doc doc;
	const struct bencode_node *root;

	(void)state;
	assert_int_equal(decode(&doc, ping), 0);
	assert_int_equal(doc.count, 3);
	root = bencode_root(&doc);
	assert_int_equal(root->type, BENCODE_DICT);
	assert_int_equal(root->num, 1);
	assert_int_equal(root->len, strlen(ping));
	assert_dict_str(&doc, root, "command", "ping");
	assert_null(bencode_dict_get(&doc, root, "call-id"));
	assert_null(bencode_dict_get(&doc, root, "Command"));	/* case counts */
	assert_round_trip(ping);
}

static void
test_offer(void **state)
{
	struct bencode_doc doc;
	const struct bencode_node *root, *rf, *e;
	size_t len;
	const char *sdp;

	(void)state;
	assert_int_equal(decode(&doc, offer), 0);
	root = bencode_root(&doc);
	assert_int_equal(root->num, 10);
	assert_dict_str(&doc, root, "command", "offer");
	assert_dict_str(&doc, root, "call-id", "a84b4c76e667");
	assert_dict_str(&doc, root, "from-tag", "1928301774");
	sdp = bencode_dict_get_str(&doc, root, "sdp", &len);
	assert_int_equal(len, 89);
	assert_memory_equal(sdp, "v=0\r\n", 5);
	assert_memory_equal(sdp + len - 2, "\r\n", 2);
	/* received-from [IP4, addr] */
	rf = bencode_dict_get(&doc, root, "received-from");
	assert_non_null(rf);
	assert_int_equal(rf->type, BENCODE_LIST);
	assert_int_equal(rf->num, 2);
	e = bencode_child(&doc, rf);
	assert_true(bencode_str_is(e, "IP4"));
	e = bencode_next(&doc, e);
	assert_str(e->str, e->len, "198.18.0.2");
	assert_null(bencode_next(&doc, e));
	/* flag lists, with ng's spellings */
	assert_true(bencode_list_has(&doc, bencode_dict_get(&doc, root, "flags"), "trust-address"));
	assert_true(bencode_list_has(&doc, bencode_dict_get(&doc, root, "flags"), "trust_address"));
	assert_true(bencode_list_has(&doc, bencode_dict_get(&doc, root, "flags"), "trust address"));
	assert_false(bencode_list_has(&doc, bencode_dict_get(&doc, root, "flags"), "trust-addres"));
	assert_false(bencode_list_has(&doc, bencode_dict_get(&doc, root, "flags"), "Symmetric"));
	assert_true(bencode_list_has(&doc, bencode_dict_get(&doc, root, "replace"),
		"session_connection"));
	assert_true(bencode_list_has(&doc, bencode_dict_get(&doc, root, "rtcp mux"), "offer"));
	assert_true(bencode_list_has(&doc, bencode_dict_get(&doc, root, "supports"), "load-limit"));
	assert_dict_str(&doc, root, "ICE", "remove");
	assert_null(bencode_dict_get(&doc, root, "ice"));
	/* list_has on a non-list, dict_get on a non-dict */
	assert_false(bencode_list_has(&doc, bencode_dict_get(&doc, root, "ICE"), "remove"));
	assert_null(bencode_dict_get(&doc, rf, "IP4"));
	assert_round_trip(offer);
}

static void
test_key_normalisation(void **state)
{
	struct bencode_doc doc;
	const struct bencode_node *root;
	int64_t v = 0;

	(void)state;
	assert_int_equal(decode(&doc, "d12:delete_delayi30e8:to tag x1:ae"), 0);
	root = bencode_root(&doc);
	assert_int_equal(bencode_dict_get_int(&doc, root, "delete-delay", &v), 0);
	assert_int_equal(v, 30);
	assert_int_equal(bencode_dict_get_int(&doc, root, "delete delay", &v), 0);
	assert_int_equal(bencode_dict_get_int(&doc, root, "to-tag-x", &v), -EINVAL);
	assert_int_equal(bencode_dict_get_int(&doc, root, "to-tag", &v), -ENOENT);
	assert_int_equal(bencode_dict_get_int(&doc, root, "delete-dela", &v), -ENOENT);
	assert_true(bencode_key_eq("a-b_c d", 7, "a b-c_d", 7));
	assert_false(bencode_key_eq("a-b", 3, "a.b", 3));
	assert_false(bencode_key_eq("ab", 2, "ab ", 3));
	/* Duplicates: the first one wins. */
	assert_int_equal(decode(&doc, "d7:call-id1:a7:call_id1:be"), 0);
	assert_true(bencode_str_is(bencode_dict_get(&doc, bencode_root(&doc), "call-id"), "a"));
}

static void
test_values(void **state)
{
	struct bencode_doc doc;

	(void)state;
	assert_int_equal(decode(&doc, "i0e"), 0);
	assert_int_equal(bencode_root(&doc)->num, 0);
	assert_int_equal(decode(&doc, "i-42e"), 0);
	assert_int_equal(bencode_root(&doc)->num, -42);
	assert_int_equal(decode(&doc, "i9223372036854775807e"), 0);
	assert_int_equal(bencode_root(&doc)->num, INT64_MAX);
	assert_int_equal(decode(&doc, "i-9223372036854775808e"), 0);
	assert_int_equal(bencode_root(&doc)->num, INT64_MIN);
	assert_int_equal(decode(&doc, "0:"), 0);
	assert_int_equal(bencode_root(&doc)->len, 0);
	assert_int_equal(decode(&doc, "le"), 0);
	assert_int_equal(bencode_root(&doc)->num, 0);
	assert_null(bencode_child(&doc, bencode_root(&doc)));
	/* A NUL inside a string is just a byte. */
	assert_int_equal(bencode_decode(&doc, nodes, NODES, "3:a\0b", 5), 0);
	assert_int_equal(bencode_root(&doc)->len, 3);
	assert_round_trip("i-9223372036854775808e");
	assert_round_trip("d0:0:1:ali0ei-1e0:ldeee1:bdee");
}

/* Malformed bodies: each fails with its errno, its reason and where. */
static const struct bad_case {
	const char *in;
	int err;
	const char *reason;
	size_t off;
} bad_cases[] = {
	{ "i03e", -EINVAL, "leading zero in integer", 0 },
	{ "i00e", -EINVAL, "leading zero in integer", 0 },
	{ "i-0e", -EINVAL, "negative zero", 0 },
	{ "i-01e", -EINVAL, "leading zero in integer", 0 },
	{ "ie", -EINVAL, "integer without digits", 0 },
	{ "i-e", -EINVAL, "integer without digits", 0 },
	{ "i1-2e", -EINVAL, "bad byte in integer", 2 },
	{ "i+1e", -EINVAL, "bad byte in integer", 1 },
	{ "i 1e", -EINVAL, "bad byte in integer", 1 },
	{ "i9223372036854775808e", -ERANGE, "integer out of range", 0 },
	{ "i-9223372036854775809e", -ERANGE, "integer out of range", 0 },
	{ "li99999999999999999999999ee", -ERANGE, "integer out of range", 1 },
	{ "99999999999:", -EINVAL, "string longer than the input", 0 },
	{ "d7:command99999999999999999999:pinge", -EINVAL, "string longer than the input", 10 },
	{ "5:abcd", -EINVAL, "truncated string", 0 },
	{ "03:abc", -EINVAL, "leading zero in string length", 0 },
	{ "00:", -EINVAL, "leading zero in string length", 0 },
	{ "3-abc", -EINVAL, "bad byte in string length", 1 },
	{ "1", -EINVAL, "truncated string length", 0 },
	{ "12", -EINVAL, "string longer than the input", 0 },
	{ "di1ei2ee", -EINVAL, "dictionary key is not a string", 1 },
	{ "dlee", -EINVAL, "dictionary key is not a string", 1 },
	{ "d1:ae", -EINVAL, "dictionary key without a value", 4 },
	{ "x", -EINVAL, "unexpected byte", 0 },
	{ "e", -EINVAL, "unexpected byte", 0 },
	{ "", -EINVAL, "empty input", 0 },
};

static void
test_malformed(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		print_message("%s\n", bad_cases[i].in);
		assert_fails(bad_cases[i].in, strlen(bad_cases[i].in), bad_cases[i].err,
			bad_cases[i].reason, bad_cases[i].off);
	}
}

static void
test_trailing_data(void **state)
{
	char buf[64];

	(void)state;
	snprintf(buf, sizeof(buf), "%s ", ping);
	assert_fails(buf, strlen(buf), -EINVAL, "trailing data after the top value", strlen(ping));
	snprintf(buf, sizeof(buf), "%s%s", ping, ping);
	assert_fails(buf, strlen(buf), -EINVAL, "trailing data after the top value", strlen(ping));
	assert_fails("i1ee", 4, -EINVAL, "trailing data after the top value", 3);
	assert_fails("d7:command4:pinge\0", 18, -EINVAL, "trailing data after the top value", 17);
}

/* Every proper prefix of a valid message fails, with a reason inside the prefix. */
static void
test_truncation_everywhere(void **state)
{
	const char *msgs[] = { ping, offer, "d0:0:1:ali0ei-1e0:ldeee1:bdee", "i-123e" };
	struct bencode_doc doc;
	size_t m, n;

	(void)state;
	for (m = 0; m < sizeof(msgs) / sizeof(msgs[0]); m++) {
		for (n = 0; n < strlen(msgs[m]); n++) {
			int rc = bencode_decode(&doc, nodes, NODES, msgs[m], n);

			assert_int_equal(rc, -EINVAL);
			assert_non_null(doc.reason);
			assert_true(doc.err_off <= n);
			assert_null(bencode_root(&doc));
		}
		assert_int_equal(bencode_decode(&doc, nodes, NODES, msgs[m], n), 0);
	}
}

static void
test_nesting_limit(void **state)
{
	char buf[2 * (BENCODE_MAX_DEPTH + 1) + 1];
	struct bencode_doc doc;
	int d;

	(void)state;
	/* 32 lists deep: fine. */
	memset(buf, 'l', BENCODE_MAX_DEPTH);
	memset(buf + BENCODE_MAX_DEPTH, 'e', BENCODE_MAX_DEPTH);
	assert_int_equal(bencode_decode(&doc, nodes, NODES, buf, 2 * BENCODE_MAX_DEPTH), 0);
	assert_int_equal(doc.count, BENCODE_MAX_DEPTH);
	/* 33: refused at the 33rd opening byte. */
	memset(buf, 'l', BENCODE_MAX_DEPTH + 1);
	memset(buf + BENCODE_MAX_DEPTH + 1, 'e', BENCODE_MAX_DEPTH + 1);
	assert_fails(buf, 2 * (BENCODE_MAX_DEPTH + 1), -EINVAL, "nesting deeper than 32",
		BENCODE_MAX_DEPTH);
	/* Dictionaries count the same: 32 deep "d1:a" ... "de" ... "e", then 33. */
	for (d = 0; d < 2; d++) {
		int depth = BENCODE_MAX_DEPTH + d;
		char dicts[4 * (BENCODE_MAX_DEPTH + 1) + 2 + BENCODE_MAX_DEPTH + 1];
		size_t n = 0;
		int i;

		for (i = 0; i < depth - 1; i++, n += 4)
			memcpy(dicts + n, "d1:a", 4);
		memcpy(dicts + n, "de", 2);
		n += 2;
		memset(dicts + n, 'e', depth - 1);
		n += depth - 1;
		if (d == 0)
			assert_int_equal(bencode_decode(&doc, nodes, NODES, dicts, n), 0);
		else
			assert_fails(dicts, n, -EINVAL, "nesting deeper than 32",
				4 * BENCODE_MAX_DEPTH);
	}
}

static void
test_node_and_size_limits(void **state)
{
	static char big[BENCODE_MAX_INPUT + 1];
	struct bencode_doc doc;
	struct bencode_node few[3];

	(void)state;
	assert_int_equal(bencode_decode(&doc, few, 3, ping, strlen(ping)), 0);
	assert_int_equal(bencode_decode(&doc, few, 2, ping, strlen(ping)), -ENOBUFS);
	assert_string_equal(doc.reason, "more values than nodes");
	assert_int_equal(doc.err_off, 10);
	assert_int_equal(bencode_decode(&doc, few, 0, "0:", 2), -ENOBUFS);
	/* 64 KiB exactly: one string. */
	memcpy(big, "65530:", 6);
	memset(big + 6, 'x', BENCODE_MAX_INPUT - 6);
	assert_int_equal(bencode_decode(&doc, few, 1, big, BENCODE_MAX_INPUT - 1), -EINVAL);
	assert_string_equal(doc.reason, "truncated string");
	assert_int_equal(bencode_decode(&doc, few, 1, big, BENCODE_MAX_INPUT), 0);
	assert_int_equal(few[0].len, 65530);
	assert_int_equal(bencode_decode(&doc, few, 1, big, BENCODE_MAX_INPUT + 1), -EMSGSIZE);
	assert_string_equal(doc.reason, "input longer than 64 KiB");
}

static void
test_strerror(void **state)
{
	struct bencode_doc doc;
	char msg[64];

	(void)state;
	assert_int_equal(decode(&doc, "d3:sdp9:v=0e"), -EINVAL);
	assert_string_equal(bencode_strerror(&doc, msg, sizeof(msg)),
		"truncated string at offset 6");
	assert_int_equal(decode(&doc, "d3:sdp99:v=0e"), -EINVAL);
	assert_string_equal(bencode_strerror(&doc, msg, sizeof(msg)),
		"string longer than the input at offset 6");
	assert_string_equal(bencode_strerror(&doc, msg, 10), "string lo");
	assert_int_equal(decode(&doc, ping), 0);
	assert_string_equal(bencode_strerror(&doc, msg, sizeof(msg)), "ok");
}

/* A reply as the ng server will build it. */
static void
test_encoder(void **state)
{
	static const char want[] =
		"d6:result2:ok3:sdp3:v=06:totalsd3:RTPd7:packetsi10e5:bytesi-1eeee";
	struct bencode_writer w;
	char out[128];

	(void)state;
	bencode_writer_init(&w, out, sizeof(out));
	bencode_put_dict(&w);
	bencode_put_key_cstr(&w, "result", "ok");
	bencode_put_key_str(&w, "sdp", "v=0\r\n", 3);
	bencode_put_cstr(&w, "totals");
	bencode_put_dict(&w);
	bencode_put_cstr(&w, "RTP");
	bencode_put_dict(&w);
	bencode_put_key_int(&w, "packets", 10);
	bencode_put_key_int(&w, "bytes", -1);
	bencode_put_end(&w);
	bencode_put_end(&w);
	bencode_put_end(&w);
	assert_int_equal(bencode_writer_finish(&w), strlen(want));
	assert_memory_equal(out, want, strlen(want));
	assert_round_trip(want);
}

static void
test_encoder_overflow(void **state)
{
	static const char want[] = "d6:result4:ponge";
	struct bencode_writer w;
	char out[32];
	size_t cap;

	(void)state;
	/* Every buffer shorter than the reply: -ENOSPC, and never a byte past cap. */
	for (cap = 0; cap <= strlen(want); cap++) {
		memset(out, '#', sizeof(out));
		bencode_writer_init(&w, out, cap);
		bencode_put_dict(&w);
		bencode_put_key_cstr(&w, "result", "pong");
		bencode_put_end(&w);
		assert_int_equal(bencode_writer_finish(&w),
			cap < strlen(want) ? -ENOSPC : (int)strlen(want));
		assert_int_equal(out[cap], '#');
		assert_true(w.len <= cap);
	}
}

static void
test_encoder_misuse(void **state)
{
	struct bencode_writer w;
	char out[64];
	int d;

	(void)state;
	bencode_writer_init(&w, out, sizeof(out));
	bencode_put_end(&w);				/* nothing open */
	assert_int_equal(bencode_writer_finish(&w), -EINVAL);
	bencode_writer_init(&w, out, sizeof(out));
	bencode_put_dict(&w);
	bencode_put_int(&w, 1);				/* key is no string */
	bencode_put_end(&w);
	assert_int_equal(bencode_writer_finish(&w), -EINVAL);
	bencode_writer_init(&w, out, sizeof(out));
	bencode_put_dict(&w);
	bencode_put_cstr(&w, "k");
	bencode_put_end(&w);				/* key without value */
	assert_int_equal(bencode_writer_finish(&w), -EINVAL);
	bencode_writer_init(&w, out, sizeof(out));
	bencode_put_list(&w);				/* left open */
	assert_int_equal(bencode_writer_finish(&w), -EINVAL);
	bencode_writer_init(&w, out, sizeof(out));
	for (d = 0; d <= BENCODE_MAX_DEPTH; d++)
		bencode_put_list(&w);
	assert_int_equal(w.err, -EINVAL);
	/* A list in a dictionary's value position is fine, and so is the INT64_MIN value. */
	bencode_writer_init(&w, out, sizeof(out));
	bencode_put_dict(&w);
	bencode_put_cstr(&w, "l");
	bencode_put_list(&w);
	bencode_put_int(&w, INT64_MIN);
	bencode_put_end(&w);
	bencode_put_end(&w);
	assert_int_equal(bencode_writer_finish(&w), 29);
	assert_memory_equal(out, "d1:lli-9223372036854775808eee", 29);
}

static void
test_split_cookie(void **state)
{
	static const char dgram[] = "5323_1 d7:command4:pinge";
	char cookie65[80];
	const char *c, *b;
	size_t cl, bl;

	(void)state;
	assert_int_equal(bencode_split_cookie(dgram, strlen(dgram), &c, &cl, &b, &bl), 0);
	assert_str(c, cl, "5323_1");
	assert_str(b, bl, ping);
	assert_int_equal(bencode_split_cookie(" d7:command4:pinge", 18, &c, &cl, &b, &bl),
		-EINVAL);					/* empty cookie */
	assert_int_equal(bencode_split_cookie("abc", 3, &c, &cl, &b, &bl), -EINVAL);
	assert_int_equal(bencode_split_cookie("abc ", 4, &c, &cl, &b, &bl), -EINVAL);
	assert_int_equal(bencode_split_cookie("a\tb de", 6, &c, &cl, &b, &bl), -EINVAL);
	assert_int_equal(bencode_split_cookie("a\x80 de", 5, &c, &cl, &b, &bl), -EINVAL);
	assert_int_equal(bencode_split_cookie("", 0, &c, &cl, &b, &bl), -EINVAL);
	/* 64 bytes of cookie: fine; 65: refused. */
	memset(cookie65, 'k', 64);
	memcpy(cookie65 + 64, " le", 4);
	assert_int_equal(bencode_split_cookie(cookie65, 67, &c, &cl, &b, &bl), 0);
	assert_int_equal(cl, 64);
	assert_str(b, bl, "le");
	memset(cookie65, 'k', 65);
	memcpy(cookie65 + 65, " le", 4);
	assert_int_equal(bencode_split_cookie(cookie65, 68, &c, &cl, &b, &bl), -EINVAL);
	assert_int_equal(bencode_split_cookie(dgram, BENCODE_MAX_INPUT + 1, &c, &cl, &b, &bl),
		-EMSGSIZE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ping),
		cmocka_unit_test(test_offer),
		cmocka_unit_test(test_key_normalisation),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_trailing_data),
		cmocka_unit_test(test_truncation_everywhere),
		cmocka_unit_test(test_nesting_limit),
		cmocka_unit_test(test_node_and_size_limits),
		cmocka_unit_test(test_strerror),
		cmocka_unit_test(test_encoder),
		cmocka_unit_test(test_encoder_overflow),
		cmocka_unit_test(test_encoder_misuse),
		cmocka_unit_test(test_split_cookie),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
