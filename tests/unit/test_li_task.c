/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Interception tasks and their taps (lib/li/li_task.c) over the worker
 * fixture's session table: the tap words legs publish, several tasks on a
 * session, one task on several sessions, what a leg leaving does, and the
 * copies a worker makes reaching each task of the session as X3 PDUs on a
 * plain-TCP mediation function of the test's own (a loopback listener).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "fwd_fixture.h"
#include "li/li_pdu.h"
#include "li/li_service.h"
#include "li/li_tap.h"
#include "test_eal.h"
#include "test_frame.h"

static struct li_service *li;
static struct srtpfwd_config li_cfg;
static int listener = -1;

static const uint8_t XID1[16] = { 0x11, 1 }, XID2[16] = { 0x22, 2 }, XID3[16] = { 0x33, 3 };

/* e2e access PORT <-> core PORT + 10000 -> 198.19.0.2:6000, a's remote 198.18.0.2:5000. */
static uint32_t
add_session(uint16_t port)
{
	struct session_spec spec = { .mode = SESSION_MODE_E2E };
	char err[SESSION_ERR_LEN];
	uint32_t id;

	spec.leg[0].iface = 0;
	spec.leg[0].local_port = port;
	assert_int_equal(inet_endpoint_parse("198.18.0.2:5000", &spec.leg[0].remote), 0);
	spec.leg[0].latch = LATCH_STRICT;
	spec.leg[1].iface = 1;
	spec.leg[1].local_port = (uint16_t)(port + 10000);
	assert_int_equal(inet_endpoint_parse("198.19.0.2:6000", &spec.leg[1].remote), 0);
	spec.leg[1].latch = LATCH_STRICT;
	assert_int_equal(session_add(t.st, &spec, &id, err, sizeof(err)), 0);
	return id;
}

static uint32_t
leg_of(uint32_t session, int i)
{
	return session_get(t.st, session)->leg[i];
}

static uint32_t
tap_word(uint32_t leg_id)
{
	return session_table_legs(t.st)[leg_id].li_tap;
}

static struct li_task_spec
spec_of(const uint8_t xid[16], uint64_t cid, const char *call)
{
	struct li_task_spec s = { .correlation_id = cid };

	memcpy(s.xid, xid, 16);
	snprintf(s.mf, sizeof(s.mf), "mf1");
	snprintf(s.call, sizeof(s.call), "%s", call);
	return s;
}

static void
start_tapped(const uint8_t xid[16], uint32_t session, int target)
{
	struct li_task_spec s = spec_of(xid, 7, "");
	char err[256];

	assert_int_equal(li_task_start(li, &s, err, sizeof(err)), 0);
	assert_int_equal(li_task_tap(li, xid, session, leg_of(session, target), err, sizeof(err)), 0);
}

/* `show li` into buf. */
static const char *
show(void)
{
	static char buf[8192];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	li_service_show(li, f);
	fclose(f);
	return buf;
}

/* A plain-TCP MF on a loopback port of the test's own; li is made for it. */
static int
li_setup(void **state)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sa);
	char err[256];

	fwd_fixture_test_setup(state);
	listener = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(listener >= 0);
	assert_int_equal(bind(listener, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(listener, 1), 0);
	assert_int_equal(getsockname(listener, (struct sockaddr *)&sa, &len), 0);
	memset(&li_cfg, 0, sizeof(li_cfg));
	li_cfg.n_mfs = 1;
	li_cfg.li_mbufs = 511;
	snprintf(li_cfg.mfs[0].name, sizeof(li_cfg.mfs[0].name), "mf1");
	assert_int_equal(inet_endpoint_parse("127.0.0.1:1", &li_cfg.mfs[0].addr), 0);
	li_cfg.mfs[0].addr.port = sa.sin_port;
	li_cfg.mfs[0].queue_bytes = 1 << 20;
	li = li_service_create(&li_cfg, t.st, N_LCORES, 0, err, sizeof(err));
	assert_non_null(li);
	for (int w = 0; w < N_WORKERS; w++) {
		t.w[w]->li.ring = li_service_ring(li, (uint16_t)w);
		t.w[w]->li.pool = li_service_pool(li);
	}
	return 0;
}

static int
li_teardown(void **state)
{
	(void)state;
	for (int w = 0; w < N_WORKERS; w++) {
		t.w[w]->li.ring = NULL;
		t.w[w]->li.pool = NULL;
	}
	for (uint32_t s = session_next(t.st, 0); s != SESSION_NONE; s = session_next(t.st, s + 1)) {
		li_leg_gone(li, leg_of(s, 0));
		li_leg_gone(li, leg_of(s, 1));
	}
	li_service_free(li);
	li = NULL;
	close(listener);
	listener = -1;
	return 0;
}

static void
test_tap_words(void **state)
{
	uint32_t s = add_session(20000);
	uint32_t w1, w2;
	char err[256];

	(void)state;
	assert_int_equal(tap_word(leg_of(s, 0)), 0);
	start_tapped(XID1, s, 0);
	w1 = tap_word(leg_of(s, 0));
	assert_int_not_equal(w1, 0);
	assert_int_equal(w1, tap_word(leg_of(s, 1)));	/* both legs of the session */
	assert_true(session_table_legs(t.st)[leg_of(s, 0)].li);
	/* A second task: the word changes (a new generation), the first task stays. */
	start_tapped(XID2, s, 1);
	w2 = tap_word(leg_of(s, 0));
	assert_int_not_equal(w2, w1);
	assert_int_equal(LI_TAP_INDEX(w2), LI_TAP_INDEX(w1));	/* chained from the lowest tap */
	/* Tapping again changes nothing. */
	assert_int_equal(li_task_tap(li, XID2, s, leg_of(s, 1), err, sizeof(err)), 0);
	assert_int_equal(tap_word(leg_of(s, 0)), w2);
	assert_int_equal(li_task_stop(li, XID1, err, sizeof(err)), 0);
	assert_int_not_equal(tap_word(leg_of(s, 0)), 0);
	assert_int_not_equal(tap_word(leg_of(s, 0)), w2);
	assert_int_equal(li_task_stop(li, XID2, err, sizeof(err)), 0);
	assert_int_equal(tap_word(leg_of(s, 0)), 0);
	assert_false(session_table_legs(t.st)[leg_of(s, 1)].li);
	assert_int_equal(li_task_stop(li, XID2, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "no task"));
}

static void
test_checks(void **state)
{
	uint32_t s = add_session(20002), other = add_session(20004);
	struct li_task_spec sp = spec_of(XID1, 5, "call-1");
	char err[256];

	(void)state;
	assert_int_equal(li_task_start(li, &sp, err, sizeof(err)), 0);
	/* The same call may repeat the XID (a re-offer); another call or the console may not. */
	assert_int_equal(li_task_check(li, &sp, err, sizeof(err)), 0);
	sp = spec_of(XID1, 5, "call-2");
	assert_int_equal(li_task_check(li, &sp, err, sizeof(err)), -EEXIST);
	sp = spec_of(XID1, 5, "");
	assert_int_equal(li_task_check(li, &sp, err, sizeof(err)), -EEXIST);
	sp = spec_of(XID2, 0, "");
	assert_int_equal(li_task_check(li, &sp, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "correlation"));
	sp = spec_of(XID2, 1, "");
	snprintf(sp.mf, sizeof(sp.mf), "nope");
	assert_int_equal(li_task_start(li, &sp, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "nope"));
	/* A leg of another session is no target of this one; an unknown session none at all. */
	assert_int_equal(li_task_tap(li, XID1, s, leg_of(other, 0), err, sizeof(err)), -EINVAL);
	assert_int_equal(li_task_tap(li, XID1, 4000, leg_of(s, 0), err, sizeof(err)), -ENOENT);
	assert_int_equal(li_task_tap(li, XID3, s, leg_of(s, 0), err, sizeof(err)), -ENOENT);
	assert_int_equal(tap_word(leg_of(s, 0)), 0);
	assert_non_null(li_task_get(li, XID1));
	assert_string_equal(li_task_get(li, XID1)->call, "call-1");
	assert_null(li_task_get(li, XID2));
}

static void
test_call_task_sessions(void **state)
{
	uint32_t s1 = add_session(20006), s2 = add_session(20008), s3;
	struct li_task_spec sp = spec_of(XID1, 9, "call-9");
	char err[256];
	const char *out;

	(void)state;
	assert_int_equal(li_task_start(li, &sp, err, sizeof(err)), 0);
	assert_non_null(strstr(show(), "waiting (no session yet), sessions 0"));
	assert_int_equal(li_task_tap(li, XID1, s1, leg_of(s1, 0), err, sizeof(err)), 0);
	assert_int_equal(li_task_tap(li, XID1, s2, leg_of(s2, 1), err, sizeof(err)), 0);
	assert_int_not_equal(tap_word(leg_of(s1, 0)), 0);
	assert_int_not_equal(tap_word(leg_of(s2, 0)), 0);
	assert_int_not_equal(LI_TAP_INDEX(tap_word(leg_of(s1, 0))), LI_TAP_INDEX(tap_word(leg_of(s2, 0))));
	out = show();
	assert_non_null(strstr(out, " call call-9: active, sessions 2,"));
	assert_non_null(strstr(out, "target a\n"));
	assert_non_null(strstr(out, "target b\n"));
	/* Session 1 goes: its taps go; a call's task waits for the call's other sessions. */
	li_leg_gone(li, leg_of(s1, 0));
	assert_int_equal(tap_word(leg_of(s1, 0)), 0);
	assert_int_equal(tap_word(leg_of(s1, 1)), 0);
	assert_int_not_equal(tap_word(leg_of(s2, 0)), 0);
	li_leg_gone(li, leg_of(s2, 1));
	assert_non_null(strstr(show(), "waiting (no session yet), sessions 0"));
	/* A console task ends with its last session. */
	s3 = add_session(20010);
	start_tapped(XID2, s3, 0);
	li_leg_gone(li, leg_of(s3, 0));
	assert_non_null(strstr(show(), "ended (session gone), sessions 0"));
}

/* RTP from 198.18.0.2:5000 to the box's access port, received by worker 0. */
static void
rx_rtp(uint16_t dport, uint16_t seq)
{
	rx(0, fixture_rtp("198.18.0.2", dport, seq, RTE_PKTMBUF_HEADROOM));
}

/* The service polled until the MF (our listener) has a connection; its fd. */
static int
accept_mf(void)
{
	int fd = -1;

	fcntl(listener, F_SETFL, O_NONBLOCK);
	for (int i = 0; i < 200 && fd < 0; i++) {
		li_service_poll(li);
		fd = accept(listener, NULL, NULL);
		if (fd < 0)
			usleep(5000);
	}
	assert_true(fd >= 0);
	for (int i = 0; i < 20; i++) {
		li_service_poll(li);
		usleep(2000);
	}
	return fd;
}

/* X3 PDUs read from fd (for about 100 ms): how many carried xid, in direction dir. */
static unsigned int
x3_count(int fd, const uint8_t xid[16], uint16_t dir, unsigned int *others)
{
	static uint8_t buf[1 << 16];
	size_t n = 0, len;
	unsigned int count = 0;
	uint16_t type;
	ssize_t r;

	fcntl(fd, F_SETFL, O_NONBLOCK);
	for (int i = 0; i < 50; i++) {
		li_service_poll(li);
		r = read(fd, buf + n, sizeof(buf) - n);
		if (r > 0)
			n += (size_t)r;
		usleep(2000);
	}
	for (size_t off = 0; li_pdu_parse(buf + off, n - off, &type, &len) == LI_PDU_OK; off += len) {
		const uint8_t *p = buf + off;

		if (type != 2)
			continue;
		if (memcmp(p + 16, xid, 16) == 0 && ((p[14] << 8) | p[15]) == dir)
			count++;
		else if (others != NULL)
			(*others)++;
	}
	return count;
}

static void
test_copies_reach_each_task(void **state)
{
	uint32_t s = add_session(20012), quiet = add_session(20014);
	unsigned int others = 0;
	int fd;

	(void)state;
	start_tapped(XID1, s, 0);
	start_tapped(XID2, s, 1);
	start_tapped(XID3, quiet, 0);
	fd = accept_mf();
	for (uint16_t i = 0; i < 5; i++)
		rx_rtp(20012, i);
	/* From party a: from the target of task 1, to the target of task 2. */
	assert_int_equal(x3_count(fd, XID1, LI_DIR_FROM_TARGET, &others), 5);
	assert_int_equal(t.stats[0].li_copies, 5);
	for (uint16_t i = 0; i < 3; i++)
		rx_rtp(20012, (uint16_t)(10 + i));
	assert_int_equal(x3_count(fd, XID2, LI_DIR_TO_TARGET, NULL), 3);
	assert_int_equal(others, 5);	/* the first round's copies for task 2; nothing for task 3 */
	close(fd);
}

static void
test_copies_of_a_stopped_task_are_stale(void **state)
{
	uint32_t s = add_session(20016);
	char err[256];
	int fd;

	(void)state;
	start_tapped(XID1, s, 0);
	fd = accept_mf();
	rx_rtp(20016, 1);	/* copied under the task's tap ... */
	assert_int_equal(li_task_stop(li, XID1, err, sizeof(err)), 0);
	start_tapped(XID2, s, 0);	/* ... which changed before the drain */
	assert_int_equal(x3_count(fd, XID1, LI_DIR_FROM_TARGET, NULL), 0);
	assert_non_null(strstr(show(), "li stale copies: 1\n"));
	rx_rtp(20016, 2);
	assert_int_equal(x3_count(fd, XID2, LI_DIR_FROM_TARGET, NULL), 1);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tap_words, li_setup, li_teardown),
		cmocka_unit_test_setup_teardown(test_checks, li_setup, li_teardown),
		cmocka_unit_test_setup_teardown(test_call_task_sessions, li_setup, li_teardown),
		cmocka_unit_test_setup_teardown(test_copies_reach_each_task, li_setup, li_teardown),
		cmocka_unit_test_setup_teardown(test_copies_of_a_stopped_task_are_stale, li_setup,
						li_teardown),
	};

	return cmocka_run_group_tests(tests, fwd_fixture_group_setup, fwd_fixture_group_teardown);
}
