/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/ng/ng_frame: ng-over-TCP message boundaries. Bencode and JSON
 * messages fed whole, one byte at a time and cut at every offset end at the
 * same place; two messages in one buffer come apart; SDP with 'e', braces
 * and quotes inside strings does not end a message early; garbage (no
 * cookie, a bad cookie byte, a body that is no value) fails; a message past
 * 64 KiB or a string length claiming more fails as too long; nesting is
 * bounded.
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
#include "ng/ng_frame.h"

static char big[NG_FRAME_MAX + 64];

static const char *const messages[] = {
	"5323_1 d7:command4:pinge",
	"c2 d7:command5:offer3:sdp24:v=0\r\ns=e}{\"\\\r\nm=audio 9e5:flagsl13:trust-addressee",
	"c3 d1:ai-30e1:bli0ei7eee",
	"c4 {\"command\":\"ping\"}",
	"c5 {\"sdp\":\"v=0\\r\\n}{]\\\"x\",\"a\":[1,{\"b\":[]}],\"t\":true}",
	"c6 l4:pinge",
	"c7 i5e",
	"c8 0:",
	"c9 {\"a\":\"\\\\\"}",
};

/* Feed s in pieces of step bytes (0: all at once); the result of the last scan. */
static int
feed(const char *s, size_t len, size_t step)
{
	struct ng_frame f;
	size_t have = step == 0 ? len : 0;
	int rc;

	ng_frame_reset(&f);
	for (;;) {
		if (have > len)
			have = len;
		rc = ng_frame_scan(&f, s, have);
		if (rc != 0 || have == len)
			return rc;
		have += step;
	}
}

static void
test_whole_and_split(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(messages) / sizeof(messages[0]); i++) {
		size_t len = strlen(messages[i]);

		assert_int_equal(feed(messages[i], len, 0), (int)len);
		assert_int_equal(feed(messages[i], len, 1), (int)len);
		assert_int_equal(feed(messages[i], len, 3), (int)len);
		/* Every proper prefix: more bytes needed, not an error. */
		for (size_t n = 0; n < len; n++)
			assert_int_equal(feed(messages[i], n, 0), 0);
		/* Cut in two at every offset. */
		for (size_t cut = 1; cut < len; cut++) {
			struct ng_frame f;

			ng_frame_reset(&f);
			assert_int_equal(ng_frame_scan(&f, messages[i], cut), 0);
			assert_int_equal(ng_frame_scan(&f, messages[i], len), (int)len);
		}
	}
}

static void
test_two_in_one_buffer(void **state)
{
	char buf[256];
	struct ng_frame f;
	int n1, n2;

	(void)state;
	snprintf(buf, sizeof(buf), "%s%s", messages[1], messages[4]);
	ng_frame_reset(&f);
	n1 = ng_frame_scan(&f, buf, strlen(buf));
	assert_int_equal(n1, (int)strlen(messages[1]));
	ng_frame_reset(&f);
	n2 = ng_frame_scan(&f, buf + n1, strlen(buf) - (size_t)n1);
	assert_int_equal(n2, (int)strlen(messages[4]));
	/* And a third that is only begun. */
	snprintf(buf, sizeof(buf), "%s%s", messages[0], "c2 d7:comm");
	ng_frame_reset(&f);
	n1 = ng_frame_scan(&f, buf, strlen(buf));
	assert_int_equal(n1, (int)strlen(messages[0]));
	ng_frame_reset(&f);
	assert_int_equal(ng_frame_scan(&f, buf + n1, strlen(buf) - (size_t)n1), 0);
}

static void
assert_garbage(const char *s)
{
	if (feed(s, strlen(s), 0) != -EINVAL)
		fail_msg("'%s' was not refused", s);
}

static void
test_garbage(void **state)
{
	char cookie[80];

	(void)state;
	assert_garbage(" d7:command4:pinge");		/* no cookie */
	assert_garbage("GET / HTTP/1.1\r\n");		/* a cookie, then no value */
	assert_garbage("c\x01 d7:command4:pinge");	/* a control byte in the cookie */
	assert_garbage("c1 x");
	assert_garbage("c1 e");				/* an 'e' with nothing open */
	assert_garbage("c1 d7:command4:pingx");
	assert_garbage("c1 di5xe");
	assert_garbage("c1 d7x");
	assert_garbage("c1 i123456789012345678901234e");
	/* A cookie of 64 bytes is one; 65 bytes with no space are none. */
	memset(cookie, 'k', 64);
	strcpy(cookie + 64, " i1e");
	assert_int_equal(feed(cookie, strlen(cookie), 0), 68);
	memset(cookie, 'k', 65);
	strcpy(cookie + 65, " i1e");
	assert_garbage(cookie);
}

static void
test_too_long(void **state)
{
	struct ng_frame f;
	size_t n;

	(void)state;
	/* A string length past any message. */
	assert_int_equal(feed("c1 d3:sdp70000:", 15, 0), -EMSGSIZE);
	/* A list that never ends, 64 KiB of it. */
	n = (size_t)sprintf(big, "c1 l");
	while (n + 3 <= sizeof(big))
		n += (size_t)sprintf(big + n, "i1e");
	ng_frame_reset(&f);
	assert_int_equal(ng_frame_scan(&f, big, NG_FRAME_MAX), 0);
	assert_int_equal(ng_frame_scan(&f, big, NG_FRAME_MAX + 1), -EMSGSIZE);
	/* A JSON object just as long. */
	memset(big, ' ', sizeof(big));
	memcpy(big, "c1 {\"a\":", 8);
	assert_int_equal(feed(big, NG_FRAME_MAX + 1, 0), -EMSGSIZE);
	/* Exactly NG_FRAME_MAX bytes: a message. */
	memcpy(big + NG_FRAME_MAX - 1, "}", 1);
	assert_int_equal(feed(big, NG_FRAME_MAX, 0), (int)NG_FRAME_MAX);
}

static void
test_nesting(void **state)
{
	char s[128];
	int i, n;

	(void)state;
	n = sprintf(s, "c1 ");
	for (i = 0; i < BENCODE_MAX_DEPTH; i++)
		s[n++] = 'l';
	for (i = 0; i < BENCODE_MAX_DEPTH; i++)
		s[n++] = 'e';
	s[n] = '\0';
	assert_int_equal(feed(s, (size_t)n, 0), n);
	memmove(s + 4, s + 3, (size_t)n - 2);
	s[3] = 'l';
	assert_garbage(s);
	n = sprintf(s, "c1 ");
	for (i = 0; i <= BENCODE_MAX_DEPTH; i++)
		s[n++] = i == 0 ? '{' : '[';
	s[n] = '\0';
	assert_garbage(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_and_split),
		cmocka_unit_test(test_two_in_one_buffer),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_nesting),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
