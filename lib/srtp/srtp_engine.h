/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_SRTP_ENGINE_H
#define SRTPFWD_SRTP_ENGINE_H

/*
 * The SRTP engine: protect and unprotect SRTP/SRTCP packets in mbufs, in
 * bursts, with one of three back ends chosen per engine:
 *  - SRTP_BACKEND_LIBSRTP: libsrtp2, one packet at a time (the reference);
 *  - SRTP_BACKEND_CRYPTODEV: rte_cryptodev bursts (crypto_aesni_mb or any
 *    PMD with AES-CTR + HMAC-SHA1 and AES-GCM), srtpfwd doing the SRTP
 *    framing, key derivation, ROC and replay window itself;
 *  - SRTP_BACKEND_CPU_CRYPTO: the same, but the crypto runs synchronously
 *    through rte_cryptodev_sym_cpu_crypto_process (software PMDs that offer
 *    RTE_CRYPTODEV_FF_SYM_CPU_CRYPTO: no queue pair, no enqueue and poll);
 *    one call per crypto session, so its multi-buffer lanes fill only with
 *    packets of one context;
 *  - SRTP_BACKEND_IPSEC_MB: the same framing, the crypto straight through
 *    Intel's multi-buffer library (libIPSec_MB, the library under
 *    crypto_aesni_mb) and its job API: one job manager per worker, every
 *    packet of the burst in its lanes whatever its key, no cryptodev.
 * All four produce the same bytes.
 *
 * Threads: the control lcore creates and frees engines and contexts. A
 * context is one direction (inbound = unprotect, outbound = protect) of SRTP
 * or SRTCP on one leg; its per-SSRC state (ROC, replay window, SRTCP index)
 * and counters are written by exactly one worker, the one that owns its
 * leg's traffic, so nothing on the packet path locks or uses atomics.
 * Each worker uses its own struct srtp_worker (its own cryptodev queue pair
 * and preallocated crypto ops).
 *
 * The burst calls are synchronous: they return when every packet of the
 * burst is done. Inside, the cryptodev back end enqueues the whole burst,
 * grouped by crypto session, and polls its queue pair until all ops are
 * back, or until the poll timeout: then the packets still out are dropped
 * as SRTP_RES_CRYPTO_STALL (a PMD that loses ops must not hang the worker).
 * No allocation, lock, syscall or log happens on that path.
 */

#include <stdint.h>

#include <rte_mbuf.h>

#include "srtp_profile.h"

struct srtp_engine;
struct srtp_worker;
struct srtp_ctx;

enum srtp_backend {
	SRTP_BACKEND_LIBSRTP = 0,
	SRTP_BACKEND_CRYPTODEV,
	SRTP_BACKEND_CPU_CRYPTO,
	SRTP_BACKEND_IPSEC_MB,
	SRTP_BACKEND_MAX
};

enum srtp_dir {
	SRTP_DIR_INBOUND = 0,	/* unprotect */
	SRTP_DIR_OUTBOUND,	/* protect */
};

enum srtp_kind {
	SRTP_KIND_RTP = 0,
	SRTP_KIND_RTCP,
};

/* Per-packet outcome; everything but OK means "drop it". */
enum srtp_result {
	SRTP_RES_OK = 0,
	SRTP_RES_AUTH_FAIL,	/* tag did not verify */
	SRTP_RES_REPLAY,	/* duplicate or older than the window */
	SRTP_RES_BAD_LENGTH,	/* truncated, malformed header, no tailroom */
	SRTP_RES_OTHER,		/* SSRC table full, key expired, unsupported, crypto error */
	SRTP_RES_CRYPTO_STALL,	/* the crypto device did not give the op back in time */
	SRTP_RES_MAX
};

/* Longest burst the calls take at once; longer ones are cut into these. */
#define SRTP_BURST_MAX 64

struct srtp_engine_conf {
	enum srtp_backend backend;
	/*
	 * Cryptodev back ends (not ipsec-mb): the device name. If no such device exists it is
	 * created as a vdev with vdev_args (e.g. "crypto_aesni_mb"). Ignored by
	 * libsrtp2.
	 */
	const char *cdev_name;
	const char *vdev_args;
	uint16_t nb_workers;		/* queue pairs / struct srtp_worker */
	uint32_t max_contexts;		/* crypto sessions pool sizing */
	/*
	 * Cryptodev back end: how long a burst waits for its ops before it
	 * gives up on the ones still out (SRTP_RES_CRYPTO_STALL). 0: 1000 us.
	 */
	uint32_t poll_timeout_us;
	int socket;
};

struct srtp_ctx_conf {
	enum srtp_profile profile;
	enum srtp_dir dir;
	enum srtp_kind kind;
	uint8_t master_key[SRTP_MASTER_KEY_MAX];	/* profile's master_key_len used */
	uint8_t master_salt[SRTP_MASTER_SALT_MAX];	/* profile's master_salt_len used */
	uint16_t replay_window;		/* 0: 128; else 64..4096, a multiple of 64 */
	uint16_t max_ssrc;		/* SSRCs per context; 0: 8 */
	/*
	 * Benchmarks only: no replay check (the index is still estimated and
	 * ROC still tracked). The cryptodev back end honours it; libsrtp2 can
	 * only allow repeated sends (allow_repeat_tx) on an outbound context.
	 */
	uint8_t no_replay_check;
};

/* Per-context counters; written by the owning worker, read by anyone. */
struct srtp_counters {
	uint64_t pkts;		/* protected or unprotected successfully */
	uint64_t bytes;		/* of those, packet bytes before processing */
	uint64_t auth_fail;
	uint64_t replay;
	uint64_t bad_length;
	uint64_t other;
	uint64_t crypto_stall;
};

/*
 * A packet in a burst: the SRTP/RTP packet is the mbuf's data from byte
 * `off` to pkt_len (one segment only). ctx says what to do with it; result
 * is written by the call. On success, protect has grown the mbuf by the
 * trailer (rte_pktmbuf_append) and unprotect has shrunk it (trim). On
 * failure the packet's bytes past `off` are unspecified: drop it.
 */
struct srtp_pkt {
	struct rte_mbuf *m;
	struct srtp_ctx *ctx;
	uint16_t off;
	uint8_t result;		/* enum srtp_result */
};

/*
 * NULL with rte_errno set (EINVAL, ENODEV, ENOTSUP: the device lacks the CPU
 * crypto API, ENOMEM). Control lcore.
 */
struct srtp_engine *srtp_engine_create(const struct srtp_engine_conf *conf);
/* All contexts must have been freed. Control lcore. */
void srtp_engine_free(struct srtp_engine *e);
enum srtp_backend srtp_engine_backend(const struct srtp_engine *e);
/* True when the engine can run profile p (cryptodev capabilities). */
int srtp_engine_supports(const struct srtp_engine *e, enum srtp_profile p);

/* Worker handle i, 0 <= i < nb_workers; NULL otherwise. */
struct srtp_worker *srtp_engine_worker(struct srtp_engine *e, uint16_t i);

/*
 * Once, on the worker's own lcore, before its first burst: what the back
 * end's library keeps per lcore is made now rather than while packets wait
 * (crypto_ipsec_mb makes its CPU crypto job manager, with malloc, on an
 * lcore's first call). NULL w is a no-op.
 */
void srtp_worker_start(struct srtp_worker *w);

/*
 * NULL with rte_errno set (EINVAL, ENOTSUP, ENOMEM). Derives the session
 * keys, creates the crypto sessions, then wipes the master key copy.
 * Control lcore.
 */
struct srtp_ctx *srtp_ctx_create(struct srtp_engine *e, const struct srtp_ctx_conf *conf);
/* Control lcore, once no worker can reach ctx any more (after RCU grace). */
void srtp_ctx_free(struct srtp_ctx *ctx);
/* A consistent-enough snapshot for a console (no locking, may lag). */
void srtp_ctx_counters(const struct srtp_ctx *ctx, struct srtp_counters *out);
enum srtp_dir srtp_ctx_dir(const struct srtp_ctx *ctx);
enum srtp_kind srtp_ctx_kind(const struct srtp_ctx *ctx);
enum srtp_profile srtp_ctx_profile(const struct srtp_ctx *ctx);

/*
 * Protects (outbound contexts) or unprotects (inbound contexts) pkts[0..n);
 * contexts may be mixed. Returns how many came out SRTP_RES_OK; every
 * pkts[i].result is set. Each packet is counted in its context.
 */
uint16_t srtp_process_burst(struct srtp_worker *w, struct srtp_pkt *pkts, uint16_t n);

/*
 * SRTP -> SRTP: unprotects pkts[i] with pkts[i].ctx (inbound), then, for
 * those that passed, protects with out[i] (outbound). On return pkts[i].ctx
 * is out[i] for the packets that went on. Returns how many came out OK.
 */
uint16_t srtp_reencrypt_burst(struct srtp_worker *w, struct srtp_pkt *pkts,
			      struct srtp_ctx *const *out, uint16_t n);

/* What the console shows of one SSRC of a context (never keys). */
struct srtp_stream_info {
	uint32_t ssrc;
	uint32_t roc;		/* SRTP: rollover counter of the highest index */
	uint16_t seq;		/* SRTP: highest sequence number */
	uint32_t srtcp_index;	/* SRTCP: highest (inbound) or last sent (outbound) index */
};

/*
 * Up to max streams of ctx, a snapshot that may lag the worker: the SSRCs
 * sent (outbound) or with an authenticated packet (inbound), never one that
 * only forged packets named. Returns how many, or -ENOTSUP for the libsrtp2
 * back end, which keeps its own.
 */
int srtp_ctx_streams(const struct srtp_ctx *ctx, struct srtp_stream_info *out, unsigned int max);

const char *srtp_result_name(enum srtp_result r);
/* "libsrtp2", "cryptodev", "cpu-crypto", "ipsec-mb". */
const char *srtp_backend_name(enum srtp_backend b);
/*
 * The back end --srtp-engine names ("libsrtp", "cryptodev", "cpu-crypto",
 * "ipsec-mb"); SRTP_BACKEND_MAX for none.
 */
enum srtp_backend srtp_backend_by_name(const char *name);

#endif /* SRTPFWD_SRTP_ENGINE_H */
