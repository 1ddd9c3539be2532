/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_SRTP_CDEV_MB_H
#define SRTPFWD_SRTP_CDEV_MB_H

/*
 * The ipsec-mb back end (--srtp-engine ipsec-mb): the cryptodev back end's
 * prepare and commit passes, with Intel's multi-buffer library called
 * directly through its job API (libIPSec_MB 1.3, the library under
 * crypto_aesni_mb). What a crypto session held for the PMD, the context now
 * holds itself: AES round keys, the HMAC inner and outer states, the GCM key
 * and its GHASH powers, all computed once when the context is made.
 */

#include <stdbool.h>
#include <stdint.h>

/* The library's pre-0.53 names (SHA1, GCM, DECRYPT...) would leak into every includer. */
#define NO_COMPAT_IMB_API_053
#include <intel-ipsec-mb.h>

#include <rte_common.h>

#include "srtp_cdev.h"

/* HMAC-SHA1 tags are made 12 bytes long (what the library takes) and cut to the profile's. */
#define SRTP_MB_HMAC_TAG_LEN 12

struct srtp_mb_keys {
	union {
		struct gcm_key_data gcm;	/* AES-GCM: round keys, GHASH key powers */
		struct {
			uint32_t aes[4 * 11] __rte_aligned(16);	/* AES-128 encryption round keys */
			uint8_t ipad[IMB_SHA1_DIGEST_SIZE_IN_BYTES] __rte_aligned(16);
			uint8_t opad[IMB_SHA1_DIGEST_SIZE_IN_BYTES] __rte_aligned(16);
		} hmac;
	};
	uint8_t key_len;	/* AES key bytes */
	uint8_t tag_len;	/* the SRTP/SRTCP tag's */
	bool out;		/* protect */
};

/* Where a context's keys live: after its struct srtp_cdev_ctx, in the same block. */
#define SRTP_MB_KEYS_OFFSET RTE_ALIGN_CEIL(sizeof(struct srtp_cdev_ctx), RTE_CACHE_LINE_SIZE)
#define SRTP_MB_CTX_BE_SIZE (SRTP_MB_KEYS_OFFSET + sizeof(struct srtp_mb_keys))

static inline struct srtp_mb_keys *
srtp_mb_keys_of(struct srtp_cdev_ctx *cc)
{
	return (struct srtp_mb_keys *)((uint8_t *)cc + SRTP_MB_KEYS_OFFSET);
}

/* Control lcore (srtp_cdev_mb_keys.c). */
int srtp_mb_engine_init(struct srtp_engine *e, struct srtp_cdev_engine *ce);
void srtp_mb_engine_release(struct srtp_engine *e, struct srtp_cdev_engine *ce);
int srtp_mb_ctx_keys(struct srtp_ctx *ctx, struct srtp_cdev_ctx *cc,
		     const struct srtp_session_keys *k);

/*
 * The crypto pass (srtp_cdev_mb.c), in place of srtp_cdev_qp_run: cw->used[0..nb)
 * as jobs of the worker's manager, flushed once; every op comes back done.
 */
void srtp_cdev_mb_run(struct srtp_cdev_worker *cw, uint16_t nb);

#endif /* SRTPFWD_SRTP_CDEV_MB_H */
