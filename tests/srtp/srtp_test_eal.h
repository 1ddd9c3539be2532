/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_TEST_SRTP_EAL_H
#define SRTPFWD_TEST_SRTP_EAL_H

/* EAL, mbufs and engines for the SRTP tests. */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "srtp_engine.h"

/* Where the SRTP packet starts in test mbufs: after Ethernet/IPv4/UDP. */
#define TEST_PKT_OFF 42

/* rte_eal_init with the no-hugepage options of this machine class; 0 or -1. */
int srtp_test_eal_init(const char *prog);
struct rte_mempool *srtp_test_pool(void);

/*
 * An engine of back end b with one worker. For the cryptodev back end the
 * crypto_aesni_mb vdev given on the EAL command line is used; NULL and
 * *why set when it cannot be had (the caller skips).
 */
struct srtp_engine *srtp_test_engine(enum srtp_backend b, const char **why);
/* The same with the cryptodev poll timeout given (0: the default). */
struct srtp_engine *srtp_test_engine_poll(enum srtp_backend b, uint32_t poll_timeout_us,
					  const char **why);
/*
 * One engine of each batched back end (cryptodev, cpu-crypto, ipsec-mb) into
 * e[b], NULL and why[b] set where one cannot be had; e[SRTP_BACKEND_LIBSRTP]
 * is left alone. srtp_test_engines_free frees every e[b].
 */
void srtp_test_engines_batched(struct srtp_engine *e[SRTP_BACKEND_MAX],
			       const char *why[SRTP_BACKEND_MAX], uint32_t poll_timeout_us);
void srtp_test_engines_free(struct srtp_engine *e[SRTP_BACKEND_MAX]);

/* An mbuf holding data[0..len) at TEST_PKT_OFF. */
struct rte_mbuf *srtp_test_mbuf(const uint8_t *data, uint16_t len);
/* The SRTP/RTP packet of m and its length. */
uint8_t *srtp_test_data(struct rte_mbuf *m, uint16_t *len);

struct srtp_ctx *srtp_test_ctx(struct srtp_engine *e, enum srtp_profile p, enum srtp_dir d,
			       enum srtp_kind k, const uint8_t *key, const uint8_t *salt,
			       uint16_t window);

/* One packet through srtp_process_burst; returns its result. */
enum srtp_result srtp_test_one(struct srtp_engine *e, struct srtp_ctx *ctx, struct rte_mbuf *m);

/* An RTP packet: 12-byte header (+ csrc CSRCs, + ext words of extension) + payload. */
uint16_t srtp_test_rtp(uint8_t *buf, uint16_t seq, uint32_t ssrc, unsigned int csrc,
		       unsigned int ext_words, const uint8_t *payload, uint16_t plen);
/* An RTCP SR-like packet: 8-byte header + payload (a multiple of 4). */
uint16_t srtp_test_rtcp(uint8_t *buf, uint32_t ssrc, const uint8_t *payload, uint16_t plen);

#endif /* SRTPFWD_TEST_SRTP_EAL_H */
