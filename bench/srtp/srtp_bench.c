/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SRTP engine throughput on one lcore: Mpps for every profile, payload size
 * and mode (SRTP->SRTP re-encrypt, SRTP->RTP decrypt, RTP->SRTP encrypt)
 * of one back end, plus the replay window's own cost.
 *
 * Only the engine call is timed (TSC around each burst). Input packets are
 * made fresh for every burst, untimed, with increasing sequence numbers, so
 * replay checking stays on and every packet is new; the input SRTP is made
 * by the cryptodev back end when there is one (same bytes as libsrtp2).
 *
 * Which libsrtp2 build runs is the loader's choice (LD_LIBRARY_PATH picks the
 * bench-local OpenSSL build, bench/peers/): the first line names the file
 * actually loaded, so that a column can be checked against its build.
 *
 * Usage: srtp_bench [EAL options] -- --backend libsrtp|cryptodev [--ms N] [--no-replay]
 *        [--only PROFILE,MODE,PAYLOAD]   (one measurement: for profiling)
 * Output: "libsrtp2-loaded PATH VERSION", "window check+add ns/pkt NS", then one
 * line per measurement, "backend profile mode payload mpps".
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <getopt.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <srtp2/srtp.h>

#include "srtp_engine.h"
#include "srtp_replay.h"

#define BURST 32
#define OFF 42

enum mode { MODE_REENC = 0, MODE_DEC, MODE_ENC, MODE_MAX };
static const char *const mode_names[MODE_MAX] = { "reencrypt", "decrypt", "encrypt" };
static const uint16_t sizes[] = { 64, 160, 1200 };

static struct rte_mempool *pool;
static struct rte_mbuf *mbufs[BURST];
static uint8_t key_a[32] = { 1, 2, 3, 4 }, key_b[32] = { 5, 6, 7, 8 }, salt[14] = { 9 };

static struct srtp_ctx *
mkctx(struct srtp_engine *e, enum srtp_profile p, enum srtp_dir d, const uint8_t *key,
      int no_replay)
{
	struct srtp_ctx_conf c = { .profile = p, .dir = d, .kind = SRTP_KIND_RTP,
				   .no_replay_check = (uint8_t)no_replay };

	memcpy(c.master_key, key, sizeof(c.master_key));
	memcpy(c.master_salt, salt, sizeof(c.master_salt));
	return srtp_ctx_create(e, &c);
}

/* Plain RTP packets with the next sequence numbers into the burst's mbufs. */
static void
fill_rtp(struct srtp_pkt *pk, struct srtp_ctx *ctx, uint16_t payload, uint16_t *seq)
{
	unsigned int i;

	for (i = 0; i < BURST; i++) {
		struct rte_mbuf *m = mbufs[i];
		uint8_t *p;

		rte_pktmbuf_reset(m);
		p = (uint8_t *)rte_pktmbuf_append(m, OFF + 12 + payload);
		p += OFF;
		p[0] = 0x80;
		p[1] = 96;
		p[2] = (uint8_t)(*seq >> 8);
		p[3] = (uint8_t)*seq;
		memset(p + 4, 0x5a, 8);
		memset(p + 12, (uint8_t)*seq, payload);
		(*seq)++;
		pk[i] = (struct srtp_pkt){ .m = m, .ctx = ctx, .off = OFF };
	}
}

static double
measure(struct srtp_engine *e, struct srtp_engine *prep, enum srtp_profile p, enum mode mode,
	uint16_t payload, unsigned int ms, int no_replay)
{
	struct srtp_ctx *src = NULL, *in = NULL, *out = NULL, *outs[BURST];
	struct srtp_worker *w = srtp_engine_worker(e, 0), *pw = srtp_engine_worker(prep, 0);
	uint64_t budget = rte_get_tsc_hz() / 1000 * ms, spent = 0, pkts = 0;
	struct srtp_pkt pk[BURST];
	uint16_t seq = 1;
	unsigned int i;

	if (mode != MODE_ENC) {
		src = mkctx(prep, p, SRTP_DIR_OUTBOUND, key_a, 0);
		in = mkctx(e, p, SRTP_DIR_INBOUND, key_a, no_replay);
	}
	if (mode != MODE_DEC)
		out = mkctx(e, p, SRTP_DIR_OUTBOUND, key_b, no_replay);
	for (i = 0; i < BURST; i++)
		outs[i] = out;
	if ((mode != MODE_ENC && (src == NULL || in == NULL)) || (mode != MODE_DEC && out == NULL))
		return -1;

	while (spent < budget) {
		uint64_t t0, ok;

		if (mode == MODE_ENC) {
			fill_rtp(pk, out, payload, &seq);
		} else {
			fill_rtp(pk, src, payload, &seq);
			if (srtp_process_burst(pw, pk, BURST) != BURST)
				return -1;
			for (i = 0; i < BURST; i++)
				pk[i].ctx = in;
		}
		t0 = rte_rdtsc_precise();
		if (mode == MODE_REENC)
			ok = srtp_reencrypt_burst(w, pk, outs, BURST);
		else
			ok = srtp_process_burst(w, pk, BURST);
		spent += rte_rdtsc_precise() - t0;
		if (ok != BURST)
			return -1;
		pkts += BURST;
	}
	srtp_ctx_free(src);
	srtp_ctx_free(in);
	srtp_ctx_free(out);
	return (double)pkts / ((double)spent / (double)rte_get_tsc_hz()) / 1e6;
}

/* The window alone: check + add for in-order indices with 1 in 8 reordered. */
static double
window_ns(void)
{
	static uint64_t storage[2 + 128 / 64];
	struct srtp_window *win = (struct srtp_window *)storage;
	const uint64_t n = 20000000;
	uint64_t i, t0, dup = 0;

	srtp_window_init(win, 128, 0);
	t0 = rte_rdtsc_precise();
	for (i = 1; i <= n; i++) {
		uint64_t idx = (i & 7) == 0 ? i - 3 : i;

		if (srtp_window_check(win, idx) == SRTP_REPLAY_OK)
			srtp_window_add(win, idx);
		else
			dup++;
	}
	t0 = rte_rdtsc_precise() - t0;
	if (dup == n)
		printf("impossible\n");
	return (double)t0 * 1e9 / (double)rte_get_tsc_hz() / (double)n;
}

int
main(int argc, char **argv)
{
	struct srtp_engine_conf ec = { .backend = SRTP_BACKEND_CRYPTODEV,
				       .cdev_name = "crypto_aesni_mb", .nb_workers = 1,
				       .max_contexts = 16, .socket = SOCKET_ID_ANY };
	static const struct option opts[] = {
		{ "backend", required_argument, NULL, 'b' },
		{ "ms", required_argument, NULL, 't' },
		{ "no-replay", no_argument, NULL, 'n' },
		{ "only", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	struct srtp_engine *e, *cdev;
	unsigned int ms = 200, p, s, md;
	int ret, opt, no_replay = 0;
	char only[128] = "";
	enum srtp_backend b = SRTP_BACKEND_CRYPTODEV;
	struct link_map *lm = NULL;
	void *lib;

	ret = rte_eal_init(argc, argv);
	if (ret < 0)
		return 1;
	argc -= ret;
	argv += ret;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == 'b')
			b = strcmp(optarg, "libsrtp") == 0 ? SRTP_BACKEND_LIBSRTP :
							   SRTP_BACKEND_CRYPTODEV;
		else if (opt == 't')
			ms = (unsigned int)atoi(optarg);
		else if (opt == 'n')
			no_replay = 1;
		else if (opt == 'o')
			snprintf(only, sizeof(only), "%s", optarg);
		else
			return 2;
	}
	pool = rte_pktmbuf_pool_create("bench", 1024, 0, 0, 2048 + RTE_PKTMBUF_HEADROOM,
				       SOCKET_ID_ANY);
	if (pool == NULL || rte_pktmbuf_alloc_bulk(pool, mbufs, BURST) != 0)
		return 1;
	cdev = srtp_engine_create(&ec);
	if (cdev == NULL) {
		fprintf(stderr, "no cryptodev engine (crypto_aesni_mb)\n");
		return 1;
	}
	ec.backend = SRTP_BACKEND_LIBSRTP;
	e = b == SRTP_BACKEND_CRYPTODEV ? cdev : srtp_engine_create(&ec);
	if (e == NULL)
		return 1;

	/*
	 * The file the loader chose for the soname, the one the column is
	 * checked against (RTLD_NOLOAD: the copy already mapped, none other).
	 */
	lib = dlopen("libsrtp2.so.1", RTLD_LAZY | RTLD_NOLOAD);
	if (lib == NULL || dlinfo(lib, RTLD_DI_LINKMAP, &lm) != 0)
		lm = NULL;
	printf("libsrtp2-loaded %s %s\n", lm != NULL ? lm->l_name : "?",
	       srtp_get_version_string());
	if (lib != NULL)
		dlclose(lib);
	printf("window check+add ns/pkt %.2f\n", window_ns());
	for (p = 0; p < SRTP_PROFILE_MAX; p++)
		for (md = 0; md < MODE_MAX; md++)
			for (s = 0; s < RTE_DIM(sizes); s++) {
				char name[128];

				snprintf(name, sizeof(name), "%s,%s,%u", srtp_profile_name(p),
					 mode_names[md], sizes[s]);
				if (only[0] != '\0' && strcmp(only, name) != 0)
					continue;
				printf("%s %s %s %u %.3f\n", srtp_backend_name(b),
				       srtp_profile_name(p), mode_names[md], sizes[s],
				       measure(e, cdev, p, md, sizes[s], ms, no_replay));
			}
	fflush(stdout);
	if (e != cdev)
		srtp_engine_free(e);
	srtp_engine_free(cdev);
	rte_eal_cleanup();
	return 0;
}
