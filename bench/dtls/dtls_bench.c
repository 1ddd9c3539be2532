/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DTLS-SRTP handshakes per second on one core: lib/dtls (the box) against
 * a plain OpenSSL browser (tests/dtls/dtls_test_peer.c), both in this
 * process and thread, datagrams carried in memory. Each side's calls are
 * timed with CLOCK_MONOTONIC, so the box's share of the CPU, and the rate
 * one core would reach doing only the box's side, can be told apart.
 * Every handshake: new leg (fingerprint parsed), full handshake with
 * ECDSA P-256 certificates on both sides and ECDHE (X25519 chosen),
 * keys exported and wiped, leg freed.
 * Usage: dtls_bench [--ms N] [--role server|client]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/ssl.h>

#include "dtls_conn.h"
#include "dtls_engine.h"
#include "dtls_keys.h"
#include "dtls_test_peer.h"

static uint64_t
ns_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

struct acc {
	uint64_t box_ns;
	uint64_t peer_ns;
};

/* One handshake; 0 when both ends finished with the same keys. */
static int
one_handshake(struct dtls_engine *e, struct test_peer *p, enum dtls_role role, const char *fp,
	      uint64_t now_ms, struct acc *a)
{
	struct dtls_conn_conf cc = { .role = role, .peer_fp_hash = "sha-256", .peer_fp = fp };
	struct dtls_srtp_keys keys;
	struct dtls_conn *c;
	uint8_t buf[2048], km[60];
	unsigned int rounds = 0;
	bool moved;
	uint64_t t0, t1;
	int len, ok;

	t0 = ns_now();
	test_peer_restart(p);
	t1 = ns_now();
	a->peer_ns += t1 - t0;
	c = dtls_conn_create(e, &cc);
	if (c == NULL)
		return -1;
	dtls_conn_start(c, now_ms);
	t0 = ns_now();
	a->box_ns += t0 - t1;
	test_peer_step(p);
	a->peer_ns += ns_now() - t0;
	do {
		unsigned int i, n;

		moved = false;
		for (;;) {
			t0 = ns_now();
			len = dtls_conn_pop_output(c, buf, sizeof(buf));
			t1 = ns_now();
			a->box_ns += t1 - t0;
			if (len <= 0)
				break;
			moved = true;
			test_peer_input(p, buf, (size_t)len);
			a->peer_ns += ns_now() - t1;
		}
		n = p->n_out;
		p->n_out = 0;
		t0 = ns_now();
		for (i = 0; i < n; i++) {
			moved = true;
			dtls_conn_input(c, p->out[i], p->out_len[i], now_ms);
		}
		a->box_ns += ns_now() - t0;
	} while (moved && ++rounds < 20);

	t0 = ns_now();
	ok = dtls_conn_state(c) == DTLS_STATE_CONNECTED && dtls_conn_export_keys(c, &keys) == 0;
	t1 = ns_now();
	a->box_ns += t1 - t0;
	/* The browser's export: checked outside the timed parts of either side. */
	if (ok && (SSL_export_keying_material(p->ssl, km, sizeof(km), "EXTRACTOR-dtls_srtp", 19,
					      NULL, 0, 0) != 1 ||
		   memcmp(keys.remote_key, role == DTLS_ROLE_SERVER ? km : km + 16, 16) != 0))
		ok = 0;
	t0 = ns_now();
	dtls_srtp_keys_wipe(&keys);
	dtls_conn_free(c);
	a->box_ns += ns_now() - t0;
	return ok ? 0 : -1;
}

int
main(int argc, char **argv)
{
	struct dtls_engine_conf conf = { 0 };
	enum dtls_role role = DTLS_ROLE_SERVER;
	uint64_t ms = 2000, start, wall, n = 0, fails = 0;
	struct acc a = { 0, 0 };
	struct dtls_engine *e;
	struct test_peer *p;
	char fp[DTLS_FP_STR_MAX];
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--ms") == 0 && i + 1 < argc)
			ms = strtoull(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--role") == 0 && i + 1 < argc)
			role = strcmp(argv[++i], "client") == 0 ? DTLS_ROLE_CLIENT : DTLS_ROLE_SERVER;
		else {
			fprintf(stderr, "usage: %s [--ms N] [--role server|client]\n", argv[0]);
			return 2;
		}
	}
	e = dtls_engine_create(&conf);
	if (e == NULL)
		return 1;
	p = test_peer_new(role == DTLS_ROLE_CLIENT, "SRTP_AES128_CM_SHA1_80");
	test_peer_fingerprint(p, "sha-256", fp, sizeof(fp));
	/* Warm up: first-use costs of OpenSSL (method tables, precomputation). */
	for (i = 0; i < 20; i++)
		fails += one_handshake(e, p, role, fp, 1000, &a) != 0;
	a.box_ns = a.peer_ns = 0;
	start = ns_now();
	do {
		fails += one_handshake(e, p, role, fp, 1000 + n, &a) != 0;
		n++;
	} while (ns_now() - start < ms * 1000000u);
	wall = ns_now() - start;
	printf("box-%s handshakes %lu failed %lu wall_s %.3f both_sides_hs_per_s %.0f "
	       "box_us_per_hs %.1f browser_us_per_hs %.1f box_share %.1f%% box_only_hs_per_s %.0f\n",
	       dtls_role_name(role), n, fails, wall / 1e9, n / (wall / 1e9),
	       a.box_ns / 1e3 / n, a.peer_ns / 1e3 / n,
	       100.0 * a.box_ns / (a.box_ns + a.peer_ns), n / (a.box_ns / 1e9));
	test_peer_free(p);
	dtls_engine_free(e);
	return fails != 0;
}
