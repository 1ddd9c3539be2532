/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_SRTP_CDEV_H
#define SRTPFWD_SRTP_CDEV_H

/*
 * The cryptodev back end's own state, shared by its set-up and burst halves,
 * and by the ipsec-mb back end, which is the same back end with its crypto
 * pass and its keys in srtp_cdev_mb*.c instead of a cryptodev.
 */

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
/*
 * Op slots per worker: a burst's worth, and as many again as spares for
 * ops a stalled device still holds (they come back to the stack if the
 * device ever returns them; a burst finding the stack empty drops).
 */
#define SRTP_CDEV_OPS (2 * SRTP_BURST_MAX)
#define SRTP_CDEV_POLL_TIMEOUT_US_DEFAULT 1000

/* What the op asks of the PMD: how the CPU crypto path reads its ranges. */
enum srtp_op_layout {
	SRTP_OP_AEAD = 0,	/* aead.data, AAD and digest by pointer */
	SRTP_OP_HMAC,		/* auth.data only (NULL cipher) */
	SRTP_OP_HMAC_CTR,	/* cipher.data inside auth.data */
};

/* Per-op scratch in the op's private area, right after the sym op. */
struct srtp_op_priv {
	uint8_t iv[16];
	uint8_t digest[SRTP_TAG_MAX];	/* tag the PMD computes (AES-CM/HMAC) */
	uint8_t rx_tag[SRTP_TAG_MAX];	/* inbound: the tag received, compared with digest */
	uint8_t aad[16];			/* SRTCP-GCM AAD: header || E||index */
	uint64_t gen;				/* the burst that enqueued it */
	uint16_t pkt;				/* its packet in that burst */
	uint8_t done;				/* came back within its burst */
	uint8_t held;				/* kept by a stalled device; we own a ref on m_src */
	uint8_t layout;				/* enum srtp_op_layout */
	uint8_t aad_len;			/* AEAD: the AAD's length (the session's, for a PMD) */
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
	bool has_dev;			/* dev_id is ours to stop and close */
	bool cpu;			/* SRTP_BACKEND_CPU_CRYPTO: srtp_cdev_cpu_run, no queue pair */
	void *warm_sess;		/* CPU crypto: a keyless session for srtp_cdev_cpu_start */
	bool mb;			/* SRTP_BACKEND_IPSEC_MB: no device, srtp_cdev_mb_run */
	void *mb_ctl;			/* ipsec-mb: the control lcore's IMB_MGR, for key set-up */
	bool supported[SRTP_PROFILE_MAX];
	char name[64];
	struct rte_mempool *sess_pool;
	struct rte_mempool *op_pool;
};

struct srtp_cdev_ctx {
	/* ipsec-mb: both point at the context's struct srtp_mb_keys (srtp_cdev_mb.h). */
	void *sess;					/* AES-CM/NULL, or SRTCP-GCM */
	void *gcm_sess[SRTP_CDEV_GCM_AAD_SLOTS];	/* SRTP-GCM by header length */
	/* Session salt, zero-padded to 16 bytes: the IV is built from two words. */
	uint8_t salt[16];
};

/*
 * An inbound SSRC without a slot, for one burst: its packets are estimated
 * and authenticated as a fresh stream's, and the first one that
 * authenticates claims a slot for it (s). One per (context, SSRC) per burst,
 * at most one new per packet, so a burst's worth never runs out, and a
 * forged SSRC costs nobody a slot.
 */
struct srtp_cdev_cand {
	struct srtp_ctx *ctx;
	uint32_t ssrc;
	uint64_t tent;		/* as struct srtp_stream's */
	struct srtp_stream *s;	/* NULL until one of its packets authenticated */
};

/* What the burst remembers about each packet between enqueue and commit. */
struct srtp_cdev_pkt {
	struct srtp_stream *s;		/* NULL: an SSRC without a slot yet, see cand */
	struct srtp_cdev_cand *cand;
	uint64_t index;		/* SRTP 48-bit index or SRTCP 31-bit index */
	struct rte_crypto_op *op;	/* NULL: no crypto (result already set) */
};

/* Grouping by session: open addressing, slots valid for one burst (gen). */
#define SRTP_CDEV_GROUP_SLOTS 128

struct srtp_cdev_group_slot {
	const void *sess;
	uint64_t gen;
	uint8_t tail;		/* last op of this session so far */
};

/*
 * The CPU crypto path's vectors, indexed like enq[]: a run of ops with one
 * session and one set of offsets is one call on a slice of these.
 */
struct srtp_cdev_vecs {
	struct rte_crypto_sgl sgl[SRTP_BURST_MAX];
	struct rte_crypto_vec data[SRTP_BURST_MAX];
	struct rte_crypto_va_iova_ptr iv[SRTP_BURST_MAX];
	struct rte_crypto_va_iova_ptr digest[SRTP_BURST_MAX];
	struct rte_crypto_va_iova_ptr aad[SRTP_BURST_MAX];
	uint64_t ofs[SRTP_BURST_MAX];		/* union rte_crypto_sym_ofs, raw */
	int32_t status[SRTP_BURST_MAX];
};

struct srtp_cdev_worker {
	uint16_t qp;
	uint16_t nb_free;
	uint64_t gen;			/* burst generation, tags ops and group slots */
	uint64_t poll_tsc;		/* how long a burst waits for its ops */
	uint32_t held;			/* ops a stalled device has not given back */
	struct rte_crypto_op *free[SRTP_CDEV_OPS];	/* slots not at the device */
	struct rte_crypto_op *all[SRTP_CDEV_OPS];	/* every slot, for release */
	struct rte_crypto_op *used[SRTP_BURST_MAX];	/* this burst's, packet order */
	struct rte_crypto_op *enq[SRTP_BURST_MAX];	/* the same, grouped by session */
	struct rte_crypto_op *deq[SRTP_BURST_MAX];
	uint8_t next[SRTP_BURST_MAX];			/* grouping: next op of its session */
	struct srtp_cdev_pkt pkt[SRTP_BURST_MAX];
	uint16_t nb_cand;				/* this burst's */
	struct srtp_cdev_cand cand[SRTP_BURST_MAX];
	struct srtp_cdev_group_slot group[SRTP_CDEV_GROUP_SLOTS];
	struct srtp_cdev_vecs vecs;			/* CPU crypto path only */
	void *mb_mgr;					/* ipsec-mb: this worker's IMB_MGR */
} __rte_cache_aligned;

void srtp_cdev_burst(struct srtp_worker *w, struct srtp_pkt *pkts, uint16_t n);

/*
 * cw->used[0..nb) into cw->enq[0..nb), grouped by session, packet order kept
 * within each group (srtp_cdev_group.c).
 */
void srtp_cdev_group_by_session(struct srtp_cdev_worker *cw, uint16_t nb);

/*
 * The CPU crypto path (srtp_cdev_cpu.c), in place of srtp_cdev_qp_run: the
 * same ops, processed synchronously; every one comes back done, with its
 * status set.
 */
void srtp_cdev_cpu_run(struct srtp_cdev_engine *ce, struct srtp_cdev_worker *cw, uint16_t nb);

/* The CPU crypto path's per-lcore set-up: an empty call on warm_sess. */
void srtp_cdev_cpu_start(struct srtp_worker *w);

/*
 * The worker's queue pair (srtp_cdev_qp.c): runs cw->used[0..nb) through
 * the device, grouped by session; returns when every op is back (each
 * marked done) or the poll timeout passed (those not done are kept as held
 * if the device has them, or returned to the free stack if it never took
 * them). Ops of earlier bursts that come back meanwhile are recycled.
 */
void srtp_cdev_qp_run(struct srtp_cdev_engine *ce, struct srtp_cdev_worker *cw, uint16_t nb);

/* An op held by a stalled device came back late: its slot and mbuf are released. */
void srtp_cdev_qp_recycle(struct srtp_cdev_worker *cw, struct rte_crypto_op *op);

/*
 * One poll for held ops, at the start of a burst while any is out: a burst
 * that finds no free slot would otherwise never poll and never get them back.
 */
void srtp_cdev_qp_reap(struct srtp_cdev_engine *ce, struct srtp_cdev_worker *cw);

#endif /* SRTPFWD_SRTP_CDEV_H */
