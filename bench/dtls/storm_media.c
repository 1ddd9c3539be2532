/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * storm_media: the established media stream of bench/dtls/storm.sh.
 *
 *   storm_media send --src IP:PORT --dst IP:PORT --pps N --seconds S
 *                    [--key HEX60] [--start-at EPOCH]
 *       RTP (PT 0, 160-byte payload whose first 4 bytes are a 32-bit packet
 *       index), SRTP AES_CM_128_HMAC_SHA1_80 with the 30-byte master
 *       key+salt HEX60 if given (libsrtp2), paced in 1 ms batches.
 *       Prints "storm_media send: sent N ...".
 *   storm_media recv --bind IP:PORT --seconds MAX [--idle S] [--pps N] [--verbose]
 *       Counts distinct indexes (plain RTP expected: the forwarder
 *       decrypted it), duplicates and reordering; quits after MAX seconds
 *       or S seconds (default 2) without a packet once one came.
 *       Prints "storm_media recv: received N unique U ..." and, given the
 *       sender's --pps, the missing indexes by the second they were sent in
 *       ("lost_by_second 3:120 4:7", seconds from the sender's start);
 *       --verbose: the first 20 late packets, with their arrival time.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <srtp2/srtp.h>

#define PAYLOAD 160
#define MAX_INDEX (1u << 26)

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int
parse_ep(const char *s, struct sockaddr_in *sa)
{
	char host[64];
	const char *c = strrchr(s, ':');

	if (c == NULL || (size_t)(c - s) >= sizeof(host))
		return -1;
	memcpy(host, s, (size_t)(c - s));
	host[c - s] = '\0';
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)atoi(c + 1));
	return inet_pton(AF_INET, host, &sa->sin_addr) == 1 ? 0 : -1;
}

static void
sleep_until_epoch(double t)
{
	struct timespec ts = { .tv_sec = (time_t)t, .tv_nsec = (long)((t - (double)(time_t)t) * 1e9) };

	if (t > 0)
		while (clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &ts, NULL) == EINTR)
			;
}

static int
do_send(const char *src, const char *dst, uint32_t pps, double seconds, const char *keyhex,
	double start_at)
{
	struct sockaddr_in s, d;
	srtp_t srtp = NULL;
	uint8_t key[30];
	uint64_t total = (uint64_t)(pps * seconds), sent = 0, errors = 0, t0;
	uint32_t ssrc = 0x5704a001;
	int fd;

	if (parse_ep(src, &s) != 0 || parse_ep(dst, &d) != 0 || pps == 0 || total > MAX_INDEX)
		return 2;
	if (keyhex != NULL) {
		srtp_policy_t pol;

		if (strlen(keyhex) != 60)
			return 2;
		for (int i = 0; i < 30; i++)
			sscanf(keyhex + 2 * i, "%2hhx", &key[i]);
		srtp_init();
		memset(&pol, 0, sizeof(pol));
		srtp_crypto_policy_set_rtp_default(&pol.rtp);
		srtp_crypto_policy_set_rtcp_default(&pol.rtcp);
		pol.ssrc.type = ssrc_specific;
		pol.ssrc.value = ssrc;
		pol.key = key;
		pol.window_size = 1024;
		if (srtp_create(&srtp, &pol) != srtp_err_status_ok) {
			fprintf(stderr, "storm_media: srtp_create failed\n");
			return 1;
		}
	}
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&s, sizeof(s)) != 0 ||
	    connect(fd, (struct sockaddr *)&d, sizeof(d)) != 0) {
		perror("storm_media send: socket");
		return 1;
	}
	sleep_until_epoch(start_at);
	t0 = now_ns();
	while (sent < total) {
		/* Everything due by now (1 ms batches), then sleep to the next millisecond. */
		uint64_t due = (now_ns() - t0) * pps / 1000000000ull + 1;
		struct timespec ts;

		if (due > total)
			due = total;
		for (; sent < due; sent++) {
			uint8_t pkt[12 + PAYLOAD + SRTP_MAX_TRAILER_LEN];
			int len = 12 + PAYLOAD;
			uint32_t idx = htonl((uint32_t)sent), ts32 = htonl((uint32_t)sent * 160u);
			uint16_t seq = htons((uint16_t)sent);
			uint32_t ssrc_n = htonl(ssrc);

			pkt[0] = 0x80;
			pkt[1] = 0;
			memcpy(pkt + 2, &seq, 2);
			memcpy(pkt + 4, &ts32, 4);
			memcpy(pkt + 8, &ssrc_n, 4);
			memset(pkt + 12, 0xd5, PAYLOAD);
			memcpy(pkt + 12, &idx, 4);
			if (srtp != NULL && srtp_protect(srtp, pkt, &len) != srtp_err_status_ok) {
				errors++;
				continue;
			}
			if (send(fd, pkt, (size_t)len, 0) != len)
				errors++;
		}
		ts.tv_sec = 0;
		ts.tv_nsec = 1000000 - (long)((now_ns() - t0) % 1000000ull);
		nanosleep(&ts, NULL);
	}
	printf("storm_media send: sent %" PRIu64 " errors %" PRIu64 " pps %u seconds %.3f srtp %s\n",
	       sent - errors, errors, pps, (double)(now_ns() - t0) / 1e9, srtp ? "yes" : "no");
	return 0;
}

static int
do_recv(const char *bind_ep, double seconds, double idle, uint32_t pps, bool verbose)
{
	struct sockaddr_in b;
	uint8_t *seen = calloc(MAX_INDEX / 8, 1);
	uint64_t received = 0, unique = 0, dup = 0, reordered = 0, bad = 0;
	uint64_t t0, last = 0, first = 0, deadline;
	int64_t max_idx = -1;
	struct timeval tv = { .tv_sec = 0, .tv_usec = 100000 };
	int fd, rcvbuf = 4 << 20;

	if (seen == NULL || parse_ep(bind_ep, &b) != 0)
		return 2;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (fd < 0 || bind(fd, (struct sockaddr *)&b, sizeof(b)) != 0) {
		perror("storm_media recv: socket");
		return 1;
	}
	printf("storm_media recv: up\n");
	fflush(stdout);
	t0 = now_ns();
	deadline = t0 + (uint64_t)(seconds * 1e9);
	for (;;) {
		uint8_t pkt[2048];
		ssize_t n = recv(fd, pkt, sizeof(pkt), 0);
		uint64_t now = now_ns();
		uint32_t idx;

		if (now >= deadline || (last != 0 && now - last >= (uint64_t)(idle * 1e9)))
			break;
		if (n <= 0)
			continue;
		if (last == 0)
			first = now;
		last = now;
		received++;
		if (n != 12 + PAYLOAD || pkt[0] != 0x80) {
			bad++;
			continue;
		}
		memcpy(&idx, pkt + 12, 4);
		idx = ntohl(idx);
		if (idx >= MAX_INDEX) {
			bad++;
			continue;
		}
		if (seen[idx / 8] & (1u << (idx % 8))) {
			dup++;
			continue;
		}
		seen[idx / 8] |= (uint8_t)(1u << (idx % 8));
		unique++;
		if ((int64_t)idx < max_idx) {
			/* Late: the first few, for the report (ms from the first packet). */
			if (verbose && reordered < 20)
				printf("late index %u after %" PRId64 " at %.1f ms\n", idx, max_idx,
				       (double)(now - first) / 1e6);
			reordered++;
		} else
			max_idx = idx;
	}
	printf("storm_media recv: received %" PRIu64 " unique %" PRIu64 " dup %" PRIu64
	       " reordered %" PRIu64 " bad %" PRIu64 " max_index %" PRId64 " missing_below_max %" PRId64
	       "\n", received, unique, dup, reordered, bad, max_idx,
	       max_idx + 1 - (int64_t)unique);
	if (pps != 0 && max_idx >= 0) {
		/* Which second (of the sender's) each missing packet belongs to. */
		uint64_t sec_lost = 0, cur = 0;

		printf("lost_by_second");
		for (int64_t i = 0; i <= max_idx; i++) {
			uint64_t s = (uint64_t)i / pps;

			if (s != cur) {
				if (sec_lost)
					printf(" %" PRIu64 ":%" PRIu64, cur, sec_lost);
				cur = s;
				sec_lost = 0;
			}
			if (!(seen[i / 8] & (1u << (i % 8))))
				sec_lost++;
		}
		if (sec_lost)
			printf(" %" PRIu64 ":%" PRIu64, cur, sec_lost);
		printf("\n");
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "src", required_argument, NULL, 's' },
		{ "dst", required_argument, NULL, 'd' },
		{ "bind", required_argument, NULL, 'b' },
		{ "pps", required_argument, NULL, 'p' },
		{ "seconds", required_argument, NULL, 'S' },
		{ "idle", required_argument, NULL, 'I' },
		{ "key", required_argument, NULL, 'k' },
		{ "start-at", required_argument, NULL, 'A' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	const char *src = NULL, *dst = NULL, *bind_ep = NULL, *key = NULL;
	uint32_t pps = 0;
	double seconds = 10, idle = 2, start_at = 0;
	bool verbose = false;
	int o;

	if (argc < 2)
		goto usage;
	optind = 2;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 's': src = optarg; break;
		case 'd': dst = optarg; break;
		case 'b': bind_ep = optarg; break;
		case 'p': pps = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'S': seconds = strtod(optarg, NULL); break;
		case 'I': idle = strtod(optarg, NULL); break;
		case 'k': key = optarg; break;
		case 'A': start_at = strtod(optarg, NULL); break;
		case 'v': verbose = true; break;
		default: goto usage;
		}
	}
	if (strcmp(argv[1], "send") == 0 && src != NULL && dst != NULL)
		return do_send(src, dst, pps, seconds, key, start_at);
	if (strcmp(argv[1], "recv") == 0 && bind_ep != NULL)
		return do_recv(bind_ep, seconds, idle, pps, verbose);
usage:
	fprintf(stderr, "usage: storm_media send --src IP:PORT --dst IP:PORT --pps N --seconds S "
			"[--key HEX60] [--start-at EPOCH]\n"
			"       storm_media recv --bind IP:PORT --seconds MAX [--idle S] [--pps N] [--verbose]\n");
	return 2;
}
