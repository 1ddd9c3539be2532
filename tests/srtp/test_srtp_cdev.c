/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What only the batched back ends do: bursts mixing many contexts (ops
 * grouped by session, and on the CPU crypto one cut into runs of equal
 * offsets, or jobs of many keys in one multi-buffer manager, must still land
 * on their own packets); and, the cryptodev queue
 * pair's alone, the poll
 * timeout: a device that keeps ops must not hang the worker, its packets are
 * dropped as crypto stalls without moving any stream state, the mbufs it
 * still holds stay alive until it gives them back, and the worker recovers.
 * A dequeue callback on the queue pair plays the device that keeps ops.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <rte_cryptodev.h>
#include <rte_mbuf.h>

#include "srtp_cdev.h"
#include "srtp_test_eal.h"

#define POLL_TIMEOUT_US 200

static struct srtp_engine *engines[SRTP_BACKEND_MAX];
static const char *why_skip[SRTP_BACKEND_MAX];
/* The engine the running test uses (its state names the back end), and the reference. */
static struct srtp_engine *cdev, *lib;
static enum srtp_backend cur;

static const uint8_t salt[14] = { 0x0e, 0xc6, 0x75, 0xad, 0x49, 0x8a, 0xfe, 0xeb, 0xb6, 0x96,
				  0x0b, 0x3a, 0xab, 0xe6 };

struct wire {
	uint8_t b[256];
	uint16_t len;
};

/* The device that keeps ops: swallow hides what it returns, release gives it back later. */
static struct {
	struct rte_crypto_op *ops[2 * SRTP_CDEV_OPS];
	unsigned int n;
	bool swallow;
	bool release;
} kept;

static uint16_t
deq_cb(uint16_t dev_id, uint16_t qp_id, struct rte_crypto_op **ops, uint16_t nb_ops, void *arg)
{
	uint16_t take;

	(void)dev_id;
	(void)qp_id;
	(void)arg;
	if (kept.swallow) {
		memcpy(kept.ops + kept.n, ops, nb_ops * sizeof(*ops));
		kept.n += nb_ops;
		return 0;
	}
	if (!kept.release || kept.n == 0)
		return nb_ops;
	/* The engine always asks for a whole burst. */
	take = (uint16_t)RTE_MIN(kept.n, (unsigned int)(SRTP_BURST_MAX - nb_ops));
	memcpy(ops + nb_ops, kept.ops, take * sizeof(*ops));
	kept.n -= take;
	memmove(kept.ops, kept.ops + take, kept.n * sizeof(*ops));
	return (uint16_t)(nb_ops + take);
}

static void
need_engines(void)
{
	if (cdev == NULL) {
		print_message("SKIP: %s\n", why_skip[cur]);
		skip();
	}
}

static struct srtp_ctx *
ctx_of(struct srtp_engine *e, enum srtp_profile p, enum srtp_dir d, uint8_t key_byte)
{
	uint8_t key[32];
	struct srtp_ctx *c;

	memset(key, key_byte, sizeof(key));
	c = srtp_test_ctx(e, p, d, SRTP_KIND_RTP, key, salt, 0);
	assert_non_null(c);
	return c;
}

static struct rte_mbuf *
rtp_mbuf(uint32_t ssrc, uint16_t seq, uint16_t plen, unsigned int ext_words)
{
	uint8_t pl[200], pkt[300];
	uint16_t len;

	memset(pl, (uint8_t)(seq ^ ssrc), plen);
	len = srtp_test_rtp(pkt, seq, ssrc, 0, ext_words, pl, plen);
	return srtp_test_mbuf(pkt, len);
}

static void
keep_wire(struct rte_mbuf *m, struct wire *w)
{
	uint8_t *d = srtp_test_data(m, &w->len);

	memcpy(w->b, d, w->len);
}

/*
 * 60 packets of 12 contexts (three profiles, own keys) interleaved in one
 * burst each way, each context's header lengths changing from packet to
 * packet (another GCM session, another AES-CM cipher offset): every packet
 * comes out as if it had been alone, checked by libsrtp2.
 */
static void
test_mixed_burst(void **state)
{
	static const enum srtp_profile prof[3] = {
		SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80, SRTP_PROFILE_AEAD_AES_128_GCM,
		SRTP_PROFILE_AES_CM_128_HMAC_SHA1_32,
	};
	struct srtp_ctx *out[12], *in[12], *lib_in[12];
	struct srtp_pkt pk[60];
	struct wire plain[60];
	unsigned int i, c;

	(void)state;
	need_engines();
	for (c = 0; c < 12; c++) {
		out[c] = ctx_of(cdev, prof[c % 3], SRTP_DIR_OUTBOUND, (uint8_t)(c + 1));
		in[c] = ctx_of(cdev, prof[c % 3], SRTP_DIR_INBOUND, (uint8_t)(c + 1));
		lib_in[c] = ctx_of(lib, prof[c % 3], SRTP_DIR_INBOUND, (uint8_t)(c + 1));
	}
	for (i = 0; i < 60; i++) {
		c = (i * 7) % 12;
		pk[i] = (struct srtp_pkt){ rtp_mbuf(0x100 + c, (uint16_t)(i / 12), (uint16_t)(i + 1),
						    (i / 12) % 3), out[c], TEST_PKT_OFF, 0xff };
		keep_wire(pk[i].m, &plain[i]);
	}
	assert_int_equal(srtp_process_burst(srtp_engine_worker(cdev, 0), pk, 60), 60);
	for (i = 0; i < 60; i++) {
		struct rte_mbuf *m = srtp_test_mbuf(srtp_test_data(pk[i].m, &(uint16_t){ 0 }),
						    (uint16_t)(pk[i].m->pkt_len - TEST_PKT_OFF));
		uint16_t len;
		uint8_t *d;

		c = (i * 7) % 12;
		assert_int_equal(srtp_test_one(lib, lib_in[c], m), SRTP_RES_OK);
		d = srtp_test_data(m, &len);
		assert_int_equal(len, plain[i].len);
		assert_memory_equal(d, plain[i].b, len);
		rte_pktmbuf_free(m);
		pk[i].ctx = in[c];
	}
	assert_int_equal(srtp_process_burst(srtp_engine_worker(cdev, 0), pk, 60), 60);
	for (i = 0; i < 60; i++) {
		uint16_t len;
		uint8_t *d = srtp_test_data(pk[i].m, &len);

		assert_int_equal(len, plain[i].len);
		assert_memory_equal(d, plain[i].b, len);
		rte_pktmbuf_free(pk[i].m);
	}
	for (c = 0; c < 12; c++) {
		srtp_ctx_free(out[c]);
		srtp_ctx_free(in[c]);
		srtp_ctx_free(lib_in[c]);
	}
}

/* n packets of wires w through ctx in one burst; their results in res[]. */
static void
burst_of(struct srtp_ctx *ctx, const struct wire *w, unsigned int n, struct rte_mbuf **m,
	 uint8_t *res)
{
	struct srtp_pkt pk[SRTP_BURST_MAX];
	unsigned int i;

	for (i = 0; i < n; i++) {
		m[i] = srtp_test_mbuf(w[i].b, w[i].len);
		pk[i] = (struct srtp_pkt){ m[i], ctx, TEST_PKT_OFF, 0xff };
	}
	srtp_process_burst(srtp_engine_worker(cdev, 0), pk, (uint16_t)n);
	for (i = 0; i < n; i++)
		res[i] = pk[i].result;
}

static void
free_all(struct rte_mbuf **m, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		rte_pktmbuf_free(m[i]);
}

#define NB_WIRES (3 * SRTP_BURST_MAX + 16)

static void
test_stall(void **state)
{
	static struct wire w[NB_WIRES];
	struct rte_mempool *pool = srtp_test_pool();
	struct srtp_ctx *out, *in;
	struct rte_cryptodev_cb *cb;
	struct rte_mbuf *m[SRTP_BURST_MAX], *mo;
	uint8_t res[SRTP_BURST_MAX];
	struct srtp_counters c;
	unsigned int i, k, avail;
	int dev;

	(void)state;
	need_engines();
	dev = rte_cryptodev_get_dev_id("crypto_aesni_mb");
	assert_true(dev >= 0);
	out = ctx_of(cdev, SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80, SRTP_DIR_OUTBOUND, 9);
	in = ctx_of(cdev, SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80, SRTP_DIR_INBOUND, 9);
	for (i = 0; i < NB_WIRES; i++) {
		mo = rtp_mbuf(0x77, (uint16_t)(100 + i), 40, 0);
		assert_int_equal(srtp_test_one(cdev, out, mo), SRTP_RES_OK);
		keep_wire(mo, &w[i]);
		rte_pktmbuf_free(mo);
	}
	memset(&kept, 0, sizeof(kept));
	cb = rte_cryptodev_add_deq_callback((uint8_t)dev, 0, deq_cb, NULL);
	assert_non_null(cb);
	avail = rte_mempool_avail_count(pool);

	/* The device keeps three ops: dropped as stalls, counted, mbufs kept alive. */
	kept.swallow = true;
	burst_of(in, w, 3, m, res);
	for (i = 0; i < 3; i++) {
		assert_int_equal(res[i], SRTP_RES_CRYPTO_STALL);
		assert_int_equal(rte_mbuf_refcnt_read(m[i]), 2);
	}
	srtp_ctx_counters(in, &c);
	assert_int_equal(c.crypto_stall, 3);
	assert_int_equal(c.pkts, 0);
	free_all(m, 3);
	assert_int_equal(rte_mempool_avail_count(pool), avail - 3);

	/* A stalled protect consumed its index: never sent twice under one IV. */
	mo = rtp_mbuf(0x77, 60000, 40, 0);
	assert_int_equal(srtp_test_one(cdev, out, mo), SRTP_RES_CRYPTO_STALL);
	rte_pktmbuf_free(mo);
	kept.swallow = false;
	mo = rtp_mbuf(0x77, 60000, 40, 0);
	assert_int_equal(srtp_test_one(cdev, out, mo), SRTP_RES_REPLAY);
	rte_pktmbuf_free(mo);

	/*
	 * It gives them back during the next burst: recycled, their mbufs
	 * freed. The stalled packets moved no state, so they pass now.
	 */
	kept.release = true;
	burst_of(in, w, 3, m, res);
	for (i = 0; i < 3; i++)
		assert_int_equal(res[i], SRTP_RES_OK);
	free_all(m, 3);
	assert_int_equal(kept.n, 0);
	assert_int_equal(rte_mempool_avail_count(pool), avail);

	/* Every op slot held: the next burst drops at once, without crypto. */
	kept.release = false;
	kept.swallow = true;
	for (k = 0; k < SRTP_CDEV_OPS / SRTP_BURST_MAX; k++) {
		burst_of(in, w + 3 + k * SRTP_BURST_MAX, SRTP_BURST_MAX, m, res);
		for (i = 0; i < SRTP_BURST_MAX; i++)
			assert_int_equal(res[i], SRTP_RES_CRYPTO_STALL);
		free_all(m, SRTP_BURST_MAX);
	}
	assert_int_equal(kept.n, SRTP_CDEV_OPS);
	kept.swallow = false;
	i = 3 + SRTP_CDEV_OPS;
	burst_of(in, w + i, 5, m, res);
	for (k = 0; k < 5; k++)
		assert_int_equal(res[k], SRTP_RES_CRYPTO_STALL);
	free_all(m, 5);
	srtp_ctx_counters(in, &c);
	assert_int_equal(c.crypto_stall, 3 + SRTP_CDEV_OPS + 5);

	/* The device gives them back: a burst's first poll takes them in, it recovers. */
	kept.release = true;
	while (kept.n != 0 && i < NB_WIRES) {
		burst_of(in, w + i, 1, m, res);
		assert_int_equal(res[0], SRTP_RES_OK);
		free_all(m, 1);
		i++;
	}
	assert_int_equal(kept.n, 0);
	k = RTE_MIN(NB_WIRES - i, (unsigned int)SRTP_BURST_MAX);
	burst_of(in, w + i, k, m, res);
	while (k-- > 0)
		assert_int_equal(res[k], SRTP_RES_OK);
	free_all(m, RTE_MIN(NB_WIRES - i, (unsigned int)SRTP_BURST_MAX));
	assert_int_equal(rte_mempool_avail_count(pool), avail);

	burst_of(in, w, 1, m, res);
	assert_int_equal(res[0], SRTP_RES_REPLAY);
	free_all(m, 1);
	assert_int_equal(rte_cryptodev_remove_deq_callback((uint8_t)dev, 0, cb), 0);
	srtp_ctx_free(out);
	srtp_ctx_free(in);
}

static int
setup(void **state)
{
	(void)state;
	lib = srtp_test_engine(SRTP_BACKEND_LIBSRTP, NULL);
	srtp_test_engines_batched(engines, why_skip, POLL_TIMEOUT_US);
	return lib == NULL ? -1 : 0;
}

static int
use_backend(void **state)
{
	cur = (enum srtp_backend)(uintptr_t)*state;
	cdev = engines[cur];
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	srtp_test_engines_free(engines);
	srtp_engine_free(lib);
	return 0;
}

#define ON(fn, b) { #fn "/" #b, fn, use_backend, NULL, (void *)(uintptr_t)(b) }

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		ON(test_mixed_burst, SRTP_BACKEND_CRYPTODEV),
		ON(test_mixed_burst, SRTP_BACKEND_CPU_CRYPTO),
		ON(test_mixed_burst, SRTP_BACKEND_IPSEC_MB),
		/* A CPU crypto call and a job manager's flush return with everything done: nothing can stall. */
		ON(test_stall, SRTP_BACKEND_CRYPTODEV),
	};

	(void)argc;
	if (srtp_test_eal_init(argv[0]) != 0) {
		print_message("SKIP: EAL cannot start\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, setup, teardown);
}
