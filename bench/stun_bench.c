/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/stun alone on one core: STUN Binding answers per second for a
 * Chrome-like request (USERNAME, GOOG-NETWORK-INFO, ICE-CONTROLLING,
 * USE-CANDIDATE, PRIORITY, MESSAGE-INTEGRITY, FINGERPRINT: 100 bytes), for
 * each SHA-1 path (portable C, SHA-NI where the CPU has it), in three steps
 * that add up: parse (header, walk, FINGERPRINT), + USERNAME match and
 * MESSAGE-INTEGRITY check, + the 64-byte success response built in place
 * (its own MI and FINGERPRINT). Every iteration first copies the 100-byte
 * request into the working buffer (as a worker answers over the packet), and
 * that copy is timed too. The median of --runs runs of --ms each.
 *
 * Usage: srtpfwd-stun-bench [--runs N] [--ms N]
 * Output: the command, then "impl step Mops/s(median) min max" lines.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "stun.h"
#include "stun_sha1.h"

#define MAX_RUNS 101

enum step { STEP_PARSE, STEP_VERIFY, STEP_ANSWER, STEP_MAX };
static const char *const step_names[STEP_MAX] = { "parse", "parse+verify", "parse+verify+answer" };

static struct stun_key key;
static uint8_t request[128];
static uint16_t request_len;

static void
make_request(void)
{
	static const uint8_t txid[12] = { 0x5a, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };
	static const uint8_t net_info[4] = { 0, 1, 0, 10 };
	struct stun_writer w;

	stun_key_init(&key, (const uint8_t *)"bench-password-0123456789abcdef", 31);
	stun_writer_init(&w, request, sizeof(request), STUN_BINDING_REQUEST, txid);
	stun_writer_attr(&w, STUN_ATTR_USERNAME, "Lx7Q:r9Zt", 9);
	stun_writer_attr(&w, STUN_ATTR_GOOG_NETWORK_INFO, net_info, 4);
	stun_writer_attr_u64(&w, STUN_ATTR_ICE_CONTROLLING, 0x0123456789abcdefull);
	stun_writer_attr(&w, STUN_ATTR_USE_CANDIDATE, NULL, 0);
	stun_writer_attr_u32(&w, STUN_ATTR_PRIORITY, 0x6e7f1eff);
	stun_writer_integrity(&w, &key);
	stun_writer_fingerprint(&w);
	request_len = stun_writer_end(&w);
}

/* One worker's answer to one request, as far as step; false if it went wrong. */
static inline int
one(uint8_t *buf, enum step step)
{
	static const struct stun_addr src = { .family = 4, .port = 50000,
					       .addr = { 198, 18, 0, 2 } };
	struct stun_msg m;

	memcpy(buf, request, request_len);
	if (stun_parse(buf, request_len, &m) != STUN_OK)
		return 0;
	if (step == STEP_PARSE)
		return 1;
	if (!stun_username_match(&m, (const uint8_t *)"Lx7Q", 4, (const uint8_t *)"r9Zt", 4) ||
	    !stun_integrity_ok(buf, &m, &key))
		return 0;
	if (step == STEP_VERIFY)
		return 1;
	return stun_build_success(buf, 128, &src, &key) == 64;
}

static double
now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Operations per second over about ms milliseconds. */
static double
run_once(enum step step, unsigned int ms)
{
	uint8_t buf[128];
	uint64_t ops = 0;
	double t0 = now_s(), t;

	do {
		for (int i = 0; i < 4096; i++) {
			if (!one(buf, step)) {
				fprintf(stderr, "stun-bench: %s failed\n", step_names[step]);
				exit(1);
			}
		}
		ops += 4096;
		t = now_s();
	} while (t - t0 < ms / 1000.0);
	return (double)ops / (t - t0);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void
measure(enum stun_sha1_impl impl, unsigned int runs, unsigned int ms)
{
	double r[MAX_RUNS];

	stun_sha1_select(impl);
	for (int s = 0; s < STEP_MAX; s++) {
		for (unsigned int i = 0; i < runs; i++)
			r[i] = run_once((enum step)s, ms);
		qsort(r, runs, sizeof(r[0]), cmp_double);
		printf("%-8s %-20s %7.3f Mops/s (min %.3f, max %.3f)\n", stun_sha1_impl_name(impl),
		       step_names[s], r[runs / 2] / 1e6, r[0] / 1e6, r[runs - 1] / 1e6);
	}
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "runs", required_argument, NULL, 'r' },
		{ "ms", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned int runs = 7, ms = 200;
	int c;

	printf("#");
	for (int i = 0; i < argc; i++)
		printf(" %s", argv[i]);
	printf("\n");
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'r')
			runs = (unsigned int)atoi(optarg);
		else if (c == 'm')
			ms = (unsigned int)atoi(optarg);
		else
			return 2;
	}
	if (runs < 1 || runs > MAX_RUNS || ms < 1) {
		fprintf(stderr, "usage: %s [--runs 1..%d] [--ms N]\n", argv[0], MAX_RUNS);
		return 2;
	}
	make_request();
	printf("# request %u bytes, answer 64 bytes, %u runs of %u ms, median\n",
	       request_len, runs, ms);
	measure(STUN_SHA1_PORTABLE, runs, ms);
	if (stun_sha1_shani_supported())
		measure(STUN_SHA1_SHANI, runs, ms);
	else
		printf("# this CPU has no SHA-NI\n");
	return 0;
}
