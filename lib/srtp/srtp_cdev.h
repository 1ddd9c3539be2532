/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_SRTP_CDEV_H
#define SRTPFWD_SRTP_CDEV_H

/* The cryptodev back end's own state, shared by its set-up and burst halves. */

#include <stdbool.h>
#include <stdint.h>

#include <rte_crypto.h>
#include <rte_cryptodev.h>

#include "srtp_priv.h"

/*
 * Crypto sessions fix the GCM AAD length, and the AAD of SRTP-GCM is the
 * whole RTP header (RFC 7714 §8.2), 12 + 4k bytes. So a GCM SRTP context
 * holds one session per header length, 12 to 12 + 4 * (SLOTS - 1) bytes:
 * CSRCs and one-byte/two-byte header extensions of WebRTC fit well inside.
 * Longer headers are dropped as "other".
 */
#define SRTP_CDEV_GCM_AAD_SLOTS 16
#define SRTP_CDEV_QP_DESC 1024

/* Per-op scratch in the op's private area, right after the sym op. */
struct srtp_op_priv {
	uint8_t iv[16];
	uint8_t digest[SRTP_TAG_MAX];	/* tag the PMD computes (AES-CM/HMAC) */
	uint8_t rx_tag[SRTP_TAG_MAX];	/* inbound: the tag received, compared with digest */
	uint8_t aad[16];			/* SRTCP-GCM AAD: header || E||index */
	uint16_t pkt;				/* index in the burst */
};

#define SRTP_OP_PRIV_OFFSET (sizeof(struct rte_crypto_op) + sizeof(struct rte_crypto_sym_op))

static inline struct srtp_op_priv *
srtp_op_priv(struct rte_crypto_op *op)
{
	return rte_crypto_op_ctod_offset(op, struct srtp_op_priv *, SRTP_OP_PRIV_OFFSET);
}

struct srtp_cdev_engine {
	uint8_t dev_id;
	bool own_vdev;			/* created here, uninit on free */
	bool supported[SRTP_PROFILE_MAX];
	char name[64];
	struct rte_mempool *sess_pool;
	struct rte_mempool *op_pool;
};

struct srtp_cdev_ctx {
	void *sess;					/* AES-CM/NULL, or SRTCP-GCM */
	void *gcm_sess[SRTP_CDEV_GCM_AAD_SLOTS];	/* SRTP-GCM by header length */
	uint8_t salt[SRTP_MASTER_SALT_MAX];		/* session salt */
};

/* What the burst remembers about each packet between enqueue and commit. */
struct srtp_cdev_pkt {
	struct srtp_stream *s;
	uint64_t index;		/* SRTP 48-bit index or SRTCP 31-bit index */
	uint8_t has_op;
	uint8_t status;		/* rte_crypto_op_status on return */
};

struct srtp_cdev_worker {
	uint16_t qp;
	struct rte_crypto_op *ops[SRTP_BURST_MAX];	/* owned for the engine's life */
	struct rte_crypto_op *enq[SRTP_BURST_MAX];	/* this burst, grouped by session */
	struct rte_crypto_op *deq[SRTP_BURST_MAX];
	struct srtp_cdev_pkt pkt[SRTP_BURST_MAX];
} __rte_cache_aligned;

void srtp_cdev_burst(struct srtp_worker *w, struct srtp_pkt *pkts, uint16_t n);

#endif /* SRTPFWD_SRTP_CDEV_H */
