/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "srtp_test_eal.h"

static struct rte_mempool *pool;

int
srtp_test_eal_init(const char *prog)
{
	char prefix[64];
	char *argv[] = {
		(char *)prog, "--no-huge", "-m", "1024", "--no-pci", "--no-telemetry",
		"--file-prefix", prefix, "-l", "0", "--log-level", "lib.*:warning",
		"--vdev", "crypto_aesni_mb",
	};

	/* A unique prefix, not --in-memory: --no-huge implies legacy memory here. */
	snprintf(prefix, sizeof(prefix), "srtp_test_%d", (int)getpid());
	if (rte_eal_init(RTE_DIM(argv), argv) < 0)
		return -1;
	pool = rte_pktmbuf_pool_create("srtp_test", 8192, 256, 0, 2048 + RTE_PKTMBUF_HEADROOM,
				       SOCKET_ID_ANY);
	return pool == NULL ? -1 : 0;
}

struct rte_mempool *
srtp_test_pool(void)
{
	return pool;
}

struct srtp_engine *
srtp_test_engine(enum srtp_backend b, const char **why)
{
	return srtp_test_engine_poll(b, 0, why);
}

struct srtp_engine *
srtp_test_engine_poll(enum srtp_backend b, uint32_t poll_timeout_us, const char **why)
{
	struct srtp_engine_conf c = {
		.backend = b,
		/* Its own device: one engine configures and starts the one it uses. */
		.cdev_name = b == SRTP_BACKEND_CPU_CRYPTO ? "crypto_aesni_mb_cpu" : "crypto_aesni_mb",
		.nb_workers = 1,
		.max_contexts = 64,
		.poll_timeout_us = poll_timeout_us,
		.socket = SOCKET_ID_ANY,
	};
	struct srtp_engine *e = srtp_engine_create(&c);

	if (e == NULL && why != NULL)
		*why = b == SRTP_BACKEND_LIBSRTP ? "libsrtp2 init failed" :
		       b == SRTP_BACKEND_IPSEC_MB ? "no libIPSec_MB job manager" :
		       "crypto_aesni_mb vdev cannot be created (crypto_ipsec_mb PMD missing?)";
	return e;
}

void
srtp_test_engines_batched(struct srtp_engine *e[SRTP_BACKEND_MAX],
			  const char *why[SRTP_BACKEND_MAX], uint32_t poll_timeout_us)
{
	unsigned int b;

	for (b = 0; b < SRTP_BACKEND_MAX; b++)
		if (b != SRTP_BACKEND_LIBSRTP)
			e[b] = srtp_test_engine_poll((enum srtp_backend)b, poll_timeout_us, &why[b]);
}

void
srtp_test_engines_free(struct srtp_engine *e[SRTP_BACKEND_MAX])
{
	unsigned int b;

	for (b = 0; b < SRTP_BACKEND_MAX; b++) {
		srtp_engine_free(e[b]);
		e[b] = NULL;
	}
}

struct rte_mbuf *
srtp_test_mbuf(const uint8_t *data, uint16_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	uint8_t *p;

	if (m == NULL)
		return NULL;
	p = (uint8_t *)rte_pktmbuf_append(m, TEST_PKT_OFF + len);
	memset(p, 0xee, TEST_PKT_OFF);
	memcpy(p + TEST_PKT_OFF, data, len);
	return m;
}

uint8_t *
srtp_test_data(struct rte_mbuf *m, uint16_t *len)
{
	*len = (uint16_t)(m->pkt_len - TEST_PKT_OFF);
	return rte_pktmbuf_mtod_offset(m, uint8_t *, TEST_PKT_OFF);
}

struct srtp_ctx *
srtp_test_ctx(struct srtp_engine *e, enum srtp_profile p, enum srtp_dir d, enum srtp_kind k,
	      const uint8_t *key, const uint8_t *salt, uint16_t window)
{
	const struct srtp_profile_info *pi = srtp_profile_info(p);
	struct srtp_ctx_conf c = {
		.profile = p, .dir = d, .kind = k, .replay_window = window,
	};

	memcpy(c.master_key, key, pi->master_key_len);
	memcpy(c.master_salt, salt, pi->master_salt_len);
	return srtp_ctx_create(e, &c);
}

enum srtp_result
srtp_test_one(struct srtp_engine *e, struct srtp_ctx *ctx, struct rte_mbuf *m)
{
	struct srtp_pkt pk = { .m = m, .ctx = ctx, .off = TEST_PKT_OFF };

	srtp_process_burst(srtp_engine_worker(e, 0), &pk, 1);
	return pk.result;
}

uint16_t
srtp_test_rtp(uint8_t *buf, uint16_t seq, uint32_t ssrc, unsigned int csrc,
	      unsigned int ext_words, const uint8_t *payload, uint16_t plen)
{
	uint16_t n = 12;
	unsigned int i;

	buf[0] = (uint8_t)(0x80 | (ext_words ? 0x10 : 0) | (csrc & 0x0f));
	buf[1] = 96;
	buf[2] = (uint8_t)(seq >> 8);
	buf[3] = (uint8_t)seq;
	buf[4] = 0x11; buf[5] = 0x22; buf[6] = (uint8_t)(seq >> 3); buf[7] = 0x44;
	buf[8] = (uint8_t)(ssrc >> 24);
	buf[9] = (uint8_t)(ssrc >> 16);
	buf[10] = (uint8_t)(ssrc >> 8);
	buf[11] = (uint8_t)ssrc;
	for (i = 0; i < csrc; i++, n += 4)
		memset(buf + n, 0x30 + i, 4);
	if (ext_words) {
		/* One-byte header extension profile (RFC 8285). */
		buf[n] = 0xbe;
		buf[n + 1] = 0xde;
		buf[n + 2] = 0;
		buf[n + 3] = (uint8_t)ext_words;
		n += 4;
		for (i = 0; i < ext_words; i++, n += 4)
			memset(buf + n, 0x51 + i, 4);
	}
	memcpy(buf + n, payload, plen);
	return (uint16_t)(n + plen);
}

uint16_t
srtp_test_rtcp(uint8_t *buf, uint32_t ssrc, const uint8_t *payload, uint16_t plen)
{
	uint16_t words = (uint16_t)((8 + plen) / 4 - 1);

	buf[0] = 0x80;
	buf[1] = 200;
	buf[2] = (uint8_t)(words >> 8);
	buf[3] = (uint8_t)words;
	buf[4] = (uint8_t)(ssrc >> 24);
	buf[5] = (uint8_t)(ssrc >> 16);
	buf[6] = (uint8_t)(ssrc >> 8);
	buf[7] = (uint8_t)ssrc;
	memcpy(buf + 8, payload, plen);
	return (uint16_t)(8 + plen);
}
