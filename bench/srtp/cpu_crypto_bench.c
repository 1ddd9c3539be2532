/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The synchronous CPU-crypto API of cryptodev against the op path, for SRTP
 * on one core, no packet I/O (issue 15, first step). Bursts of 32 SRTP
 * packets, 12-byte RTP header + 160-byte payload, one SSRC, protected
 * (RTP -> SRTP) or unprotected (SRTP -> RTP), through:
 *   engine   srtpfwd's cryptodev back end (srtp_process_burst), what runs
 *            today: op path plus index, replay window (off here, the input
 *            repeats), stream lookup and grouping by session;
 *   op       the op path alone: preallocated rte_crypto_ops, per-packet op
 *            set-up, enqueue_burst + dequeue_burst on one queue pair of
 *            crypto_aesni_mb, the tag placed or compared as srtpfwd does;
 *   cpu      rte_cryptodev_sym_cpu_crypto_process() on crypto_aesni_mb,
 *            one struct rte_crypto_sym_vec of 32, same session, same framing;
 *   cpu-gcm  the same on crypto_aesni_gcm (GCM profiles only).
 * op and cpu share the per-packet SRTP framing (IV, ROC word, tag) and the
 * crypto session, so their difference is the API. Only the call is timed
 * (TSC around each burst); the input is copied back in before every burst,
 * untimed, so every burst works on valid packets.
 *
 * Before timing, for every profile and path: protect gives the bytes
 * libsrtp2 gives (srtpfwd's libsrtp back end, i.e. srtp_protect with the
 * same master key), unprotect of libsrtp2's packets gives the plain packets
 * back, and a burst with a payload bit, a tag bit and a header bit flipped
 * in three packets fails exactly those three. The burst crosses a sequence
 * number wrap (ROC 0 then 1), so the ROC in the tag and IV is checked too.
 * Any difference prints "FAIL ..." and exits 1; --break flips one bit of the
 * session salt the op and cpu paths use, to show that the check fails.
 *
 * Usage: cpu_crypto_bench [EAL options] -- [--ms N] [--runs N]
 *        [--profiles P,P,...] [--paths engine,op,cpu,cpu-gcm] [--break]
 * Output: "check PROFILE PATH ok", then per run and cell "result RUN PROFILE
 *        protect|unprotect PATH MPPS CYCLES_PER_PKT MEDIAN_BURST_CYCLES_PER_PKT"
 *        (TSC cycles: the mean over the run, and the median burst's / 32).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_bus_vdev.h>
#include <rte_cryptodev.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "srtp_engine.h"
#include "srtp_kdf.h"
#include "srtp_rtp.h"
#include "srtp_tag.h"

#define BURST 32
#define PAYLOAD 160
#define SSRC UINT32_C(0x5eed1234)
/* The burst's 48-bit indices: 16 packets before a sequence wrap, 16 after. */
#define INDEX0 (UINT64_C(0x10000) - BURST / 2)
#define PKT_MAX 256
#define MB_DEV "crypto_aesni_mb_bench"
#define GCM_DEV "crypto_aesni_gcm_bench"
#define ENG_DEV "crypto_aesni_mb_engine"

enum path { BP_ENGINE = 0, BP_OP, BP_CPU, BP_CPU_GCM, BP_MAX };
static const char *const path_names[BP_MAX] = { "engine", "op", "cpu", "cpu-gcm" };

/* Per-op scratch after the sym op, as srtpfwd's struct srtp_op_priv. */
struct op_priv {
	uint8_t iv[16];
	uint8_t digest[SRTP_TAG_MAX];
	uint8_t rx_tag[SRTP_TAG_MAX];
};
#define OP_PRIV_OFF (sizeof(struct rte_crypto_op) + sizeof(struct rte_crypto_sym_op))

/* One profile and direction, for every path. */
struct cell {
	enum srtp_profile prof;
	const struct srtp_profile_info *pi;
	bool out;			/* protect */
	uint8_t tag_len;
	uint8_t salt[16];		/* session salt, zero-padded */
	void *sess;			/* crypto_aesni_mb: op and cpu paths */
	void *sess_gcm;			/* crypto_aesni_gcm */
	struct srtp_ctx *ctx;		/* engine path */
};

/* A burst's packets as bytes: what is copied into the mbufs before each call. */
struct pkts {
	uint8_t b[BURST][PKT_MAX];
	uint16_t len[BURST];
};

static struct rte_mempool *mbuf_pool, *sess_pool, *op_pool;
static struct rte_mbuf *mbufs[BURST];
static struct rte_crypto_op *ops[BURST];
static uint8_t dev_mb, dev_gcm;
static bool have_gcm;
static struct srtp_engine *eng, *ref;
static const uint8_t master_key[32] = { 0xe1, 0xf9, 0x7a, 0x0d, 0x3e, 0x01, 0x8b, 0xe0,
					0xd6, 0x4f, 0xa3, 0x2c, 0x06, 0xde, 0x41, 0x39,
					0x0e, 0xc6, 0x75, 0xad, 0x49, 0x8a, 0xfe, 0xeb,
					0xb6, 0x96, 0x0b, 0x3a, 0xab, 0xe6, 0xc1, 0x73 };
static const uint8_t master_salt[14] = { 0x0e, 0xc6, 0x75, 0xad, 0x49, 0x8a, 0xfe, 0xeb,
					 0xb6, 0x96, 0x0b, 0x3a, 0xab, 0xe6 };

/* Per-burst scratch of the cpu path. */
static struct rte_crypto_vec cvec[BURST];
static struct rte_crypto_sgl csgl[BURST];
static struct rte_crypto_va_iova_ptr civ[BURST], cdig[BURST], caad[BURST];
static int32_t cstat[BURST];
static uint8_t civ_buf[BURST][16], cdig_buf[BURST][SRTP_TAG_MAX], crx_tag[BURST][SRTP_TAG_MAX];

/* The bench knows each packet's index; srtpfwd estimates it (RFC 3711 §3.3.1). */
static inline uint64_t
pkt_index(unsigned int i)
{
	return INDEX0 + i;
}

/*
 * The salt XOR SSRC XOR index, the 48-bit index right after the SSRC:
 * RFC 3711 §4.1.1, IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16), has
 * the SSRC at byte 4 (salt zero-padded to 16 bytes); RFC 7714 §8.1,
 * IV = (0x0000 || SSRC || ROC || SEQ) XOR salt, at byte 2 (12 bytes used).
 */
#define IV_SSRC_AT_CM 4
#define IV_SSRC_AT_GCM 2
static void
iv_srtp(uint8_t *iv, const uint8_t *salt, unsigned int ssrc_at, uint64_t index)
{
	unsigned int k;

	memcpy(iv, salt, 16);
	for (k = 0; k < 4; k++)
		iv[ssrc_at + k] ^= (uint8_t)(SSRC >> (24 - 8 * k));
	for (k = 0; k < 6; k++)
		iv[ssrc_at + 4 + k] ^= (uint8_t)(index >> (40 - 8 * k));
}

static void
make_plain(struct pkts *pl)
{
	unsigned int i, k;

	for (i = 0; i < BURST; i++) {
		uint64_t idx = INDEX0 + i;
		uint8_t *p = pl->b[i];

		memset(p, 0, PKT_MAX);
		p[0] = 0x80;
		p[1] = 111;
		p[2] = (uint8_t)(idx >> 8);
		p[3] = (uint8_t)idx;
		srtp_store_be32(p + 4, (uint32_t)idx * 160);
		srtp_store_be32(p + 8, SSRC);
		for (k = 0; k < PAYLOAD; k++)
			p[RTP_HDR_LEN + k] = (uint8_t)(k * 7 + i);
		pl->len[i] = RTP_HDR_LEN + PAYLOAD;
	}
}

static void
load(const struct pkts *in)
{
	unsigned int i;

	for (i = 0; i < BURST; i++) {
		struct rte_mbuf *m = mbufs[i];

		rte_pktmbuf_reset(m);
		memcpy(rte_pktmbuf_append(m, in->len[i]), in->b[i], in->len[i]);
	}
}

static void
save(struct pkts *out)
{
	unsigned int i;

	for (i = 0; i < BURST; i++) {
		out->len[i] = (uint16_t)rte_pktmbuf_pkt_len(mbufs[i]);
		memcpy(out->b[i], rte_pktmbuf_mtod(mbufs[i], uint8_t *), out->len[i]);
	}
}

/* srtpfwd's engine (either back end) over the burst in the mbufs. */
static unsigned int
engine_burst(struct srtp_engine *e, struct srtp_ctx *ctx, uint8_t *res)
{
	struct srtp_pkt pk[BURST];
	unsigned int i, ok;

	for (i = 0; i < BURST; i++)
		pk[i] = (struct srtp_pkt){ .m = mbufs[i], .ctx = ctx, .off = 0 };
	ok = srtp_process_burst(srtp_engine_worker(e, 0), pk, BURST);
	for (i = 0; i < BURST; i++)
		res[i] = pk[i].result;
	return ok;
}

/*
 * SRTP framing shared by the op and cpu paths, before the crypto: where the
 * body ends, and for AES-CM/HMAC the ROC word that the tag covers (RFC 3711
 * §4.2), put where the tag goes once the received tag is saved.
 */
static uint32_t
frame(const struct cell *c, struct rte_mbuf *m, uint8_t *rx_tag, uint64_t index)
{
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);
	uint32_t body = rte_pktmbuf_pkt_len(m) - RTP_HDR_LEN - (c->out ? 0 : c->tag_len);

	if (!c->pi->aead) {
		if (!c->out)
			srtp_tag_copy(rx_tag, p + RTP_HDR_LEN + body, c->tag_len);
		srtp_store_be32(p + RTP_HDR_LEN + body, (uint32_t)(index >> 16));
	}
	if (c->out) {
		m->data_len = (uint16_t)(m->data_len + c->tag_len);
		m->pkt_len += c->tag_len;
	}
	return body;
}

/* After the crypto: the verdict, the tag compared in constant time, the trailer trimmed. */
static uint8_t
finish(const struct cell *c, struct rte_mbuf *m, bool crypto_ok, bool auth_fail,
       const uint8_t *digest, const uint8_t *rx_tag)
{
	if (!crypto_ok)
		return auth_fail ? SRTP_RES_AUTH_FAIL : SRTP_RES_OTHER;
	if (c->out)
		return SRTP_RES_OK;
	if (!c->pi->aead && !srtp_tag_equal(digest, rx_tag, c->tag_len))
		return SRTP_RES_AUTH_FAIL;
	rte_pktmbuf_trim(m, c->tag_len);
	return SRTP_RES_OK;
}

static unsigned int
op_burst(const struct cell *c, uint8_t *res)
{
	struct rte_crypto_op *deq[BURST];
	unsigned int i, sent = 0, got = 0, ok = 0;
	uint64_t spins = 0;

	for (i = 0; i < BURST; i++) {
		struct rte_crypto_op *op = ops[i];
		struct rte_crypto_sym_op *sym = op->sym;
		struct op_priv *pr = rte_crypto_op_ctod_offset(op, struct op_priv *, OP_PRIV_OFF);
		struct rte_mbuf *m = mbufs[i];
		uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);
		uint64_t index = pkt_index(i);
		uint32_t body = frame(c, m, pr->rx_tag, index);

		op->status = RTE_CRYPTO_OP_STATUS_NOT_PROCESSED;
		sym->m_src = m;
		sym->session = c->sess;
		if (c->pi->aead) {
			sym->aead.data.offset = RTP_HDR_LEN;
			sym->aead.data.length = body;
			sym->aead.aad.data = p;
			sym->aead.aad.phys_addr = rte_pktmbuf_iova(m);
			sym->aead.digest.data = p + RTP_HDR_LEN + body;
			sym->aead.digest.phys_addr = rte_pktmbuf_iova_offset(m, RTP_HDR_LEN + body);
			iv_srtp(pr->iv, c->salt, IV_SSRC_AT_GCM, index);
			continue;
		}
		sym->auth.data.offset = 0;
		sym->auth.data.length = RTP_HDR_LEN + body + 4;
		sym->auth.digest.data = pr->digest;
		sym->auth.digest.phys_addr = rte_crypto_op_ctophys_offset(op,
			OP_PRIV_OFF + offsetof(struct op_priv, digest));
		sym->cipher.data.offset = RTP_HDR_LEN;
		sym->cipher.data.length = body;
		iv_srtp(pr->iv, c->salt, IV_SSRC_AT_CM, index);
	}
	while (got < BURST) {
		if (sent < BURST)
			sent += rte_cryptodev_enqueue_burst(dev_mb, 0, ops + sent, BURST - sent);
		got += rte_cryptodev_dequeue_burst(dev_mb, 0, deq, BURST);
		if (++spins > 100000000) {
			printf("FAIL op path: the PMD kept %u ops\n", BURST - got);
			exit(1);
		}
	}
	for (i = 0; i < BURST; i++) {
		struct rte_crypto_op *op = ops[i];
		struct op_priv *pr = rte_crypto_op_ctod_offset(op, struct op_priv *, OP_PRIV_OFF);
		struct rte_mbuf *m = mbufs[i];

		/* AES-CM/HMAC protect: the tag replaces the ROC it covered. */
		if (c->out && !c->pi->aead && op->status == RTE_CRYPTO_OP_STATUS_SUCCESS)
			srtp_tag_copy(rte_pktmbuf_mtod_offset(m, uint8_t *,
							      m->pkt_len - c->tag_len),
				      pr->digest, c->tag_len);
		res[i] = finish(c, m, op->status == RTE_CRYPTO_OP_STATUS_SUCCESS,
				op->status == RTE_CRYPTO_OP_STATUS_AUTH_FAILED, pr->digest, pr->rx_tag);
		ok += res[i] == SRTP_RES_OK;
	}
	return ok;
}

static unsigned int
cpu_burst(const struct cell *c, uint8_t dev, void *sess, uint8_t *res)
{
	struct rte_crypto_sym_vec v = {
		.num = BURST, .src_sgl = csgl, .iv = civ, .digest = cdig, .aad = caad,
		.status = cstat,
	};
	union rte_crypto_sym_ofs ofs = { .raw = 0 };
	unsigned int i, ok = 0;

	for (i = 0; i < BURST; i++) {
		struct rte_mbuf *m = mbufs[i];
		uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);
		uint64_t index = pkt_index(i);
		uint32_t body = frame(c, m, crx_tag[i], index);

		csgl[i].vec = &cvec[i];
		csgl[i].num = 1;
		civ[i].va = civ_buf[i];
		if (c->pi->aead) {
			/* The payload only; AAD and tag by pointer. */
			cvec[i].base = p + RTP_HDR_LEN;
			cvec[i].len = body;
			caad[i].va = p;
			cdig[i].va = p + RTP_HDR_LEN + body;
			iv_srtp(civ_buf[i], c->salt, IV_SSRC_AT_GCM, index);
			continue;
		}
		/*
		 * header || payload || ROC, the auth range; the PMD copies the tag
		 * out only after the whole vector is done, so protect can have it
		 * written over the ROC.
		 */
		cvec[i].base = p;
		cvec[i].len = RTP_HDR_LEN + body + 4;
		cdig[i].va = c->out ? p + RTP_HDR_LEN + body : cdig_buf[i];
		iv_srtp(civ_buf[i], c->salt, IV_SSRC_AT_CM, index);
	}
	if (!c->pi->aead) {
		/* The cipher range inside the auth range: not the header, not the ROC. */
		ofs.ofs.cipher.head = RTP_HDR_LEN;
		ofs.ofs.cipher.tail = 4;
	}
	rte_cryptodev_sym_cpu_crypto_process(dev, sess, ofs, &v);
	for (i = 0; i < BURST; i++) {
		res[i] = finish(c, mbufs[i], cstat[i] == 0, cstat[i] == EBADMSG, cdig_buf[i],
				crx_tag[i]);
		ok += res[i] == SRTP_RES_OK;
	}
	return ok;
}

static unsigned int
run_path(const struct cell *c, enum path pa, uint8_t *res)
{
	switch (pa) {
	case BP_ENGINE:
		return engine_burst(eng, c->ctx, res);
	case BP_OP:
		return op_burst(c, res);
	case BP_CPU:
		return cpu_burst(c, dev_mb, c->sess, res);
	default:
		return cpu_burst(c, dev_gcm, c->sess_gcm, res);
	}
}

static bool
path_applies(const struct cell *c, enum path pa)
{
	return pa != BP_CPU_GCM || (have_gcm && c->pi->aead);
}

static void *
make_session(uint8_t dev, const struct cell *c, const struct srtp_session_keys *k)
{
	/* The xforms of srtpfwd's cryptodev back end (lib/srtp/srtp_cdev.c). */
	struct rte_crypto_sym_xform cipher = {
		.type = RTE_CRYPTO_SYM_XFORM_CIPHER,
		.cipher = { .op = RTE_CRYPTO_CIPHER_OP_ENCRYPT, .algo = RTE_CRYPTO_CIPHER_AES_CTR,
			    .key = { .data = k->enc_key, .length = k->enc_key_len },
			    .iv = { .offset = OP_PRIV_OFF, .length = 16 } },
	};
	struct rte_crypto_sym_xform auth = {
		.type = RTE_CRYPTO_SYM_XFORM_AUTH,
		.auth = { .op = RTE_CRYPTO_AUTH_OP_GENERATE, .algo = RTE_CRYPTO_AUTH_SHA1_HMAC,
			  .key = { .data = k->auth_key, .length = k->auth_key_len },
			  .digest_length = c->tag_len },
	};
	struct rte_crypto_sym_xform aead = {
		.type = RTE_CRYPTO_SYM_XFORM_AEAD,
		.aead = { .op = c->out ? RTE_CRYPTO_AEAD_OP_ENCRYPT : RTE_CRYPTO_AEAD_OP_DECRYPT,
			  .algo = RTE_CRYPTO_AEAD_AES_GCM,
			  .key = { .data = k->enc_key, .length = k->enc_key_len },
			  .iv = { .offset = OP_PRIV_OFF, .length = 12 },
			  .digest_length = 16, .aad_length = RTP_HDR_LEN },
	};
	struct rte_crypto_sym_xform *first;

	if (c->pi->aead) {
		first = &aead;
	} else if (!c->pi->encrypts) {
		first = &auth;
	} else if (c->out) {
		cipher.next = &auth;
		first = &cipher;
	} else {
		auth.next = &cipher;
		first = &auth;
	}
	return rte_cryptodev_sym_session_create(dev, first, sess_pool);
}

static struct srtp_ctx *
make_ctx(struct srtp_engine *e, enum srtp_profile p, bool out)
{
	struct srtp_ctx_conf cf = {
		.profile = p, .dir = out ? SRTP_DIR_OUTBOUND : SRTP_DIR_INBOUND,
		.kind = SRTP_KIND_RTP, .no_replay_check = 1,
	};

	memcpy(cf.master_key, master_key, sizeof(cf.master_key));
	memcpy(cf.master_salt, master_salt, sizeof(cf.master_salt));
	return srtp_ctx_create(e, &cf);
}

static int
cell_init(struct cell *c, enum srtp_profile p, bool out, int brk)
{
	struct srtp_session_keys k;

	memset(c, 0, sizeof(*c));
	c->prof = p;
	c->pi = srtp_profile_info(p);
	c->out = out;
	c->tag_len = c->pi->rtp_tag_len;
	if (srtp_kdf_derive(p, master_key, master_salt, false, &k) != 0)
		return -1;
	memcpy(c->salt, k.salt, k.salt_len);
	if (brk)
		c->salt[5] ^= 0x10;
	c->sess = make_session(dev_mb, c, &k);
	if (have_gcm && c->pi->aead)
		c->sess_gcm = make_session(dev_gcm, c, &k);
	c->ctx = make_ctx(eng, p, out);
	srtp_wipe(&k, sizeof(k));
	return c->sess == NULL || c->ctx == NULL || (have_gcm && c->pi->aead && !c->sess_gcm) ?
	       -1 : 0;
}

static void
cell_fini(struct cell *c)
{
	if (c->sess != NULL)
		rte_cryptodev_sym_session_free(dev_mb, c->sess);
	if (c->sess_gcm != NULL)
		rte_cryptodev_sym_session_free(dev_gcm, c->sess_gcm);
	srtp_ctx_free(c->ctx);
}

/* The libsrtp2 reference: srtpfwd's libsrtp back end, srtp_protect per packet. */
static int
ref_protect(enum srtp_profile p, const struct pkts *plain, struct pkts *out)
{
	struct srtp_ctx *ctx = make_ctx(ref, p, true);
	uint8_t res[BURST];
	unsigned int ok;

	if (ctx == NULL)
		return -1;
	load(plain);
	ok = engine_burst(ref, ctx, res);
	save(out);
	srtp_ctx_free(ctx);
	return ok == BURST ? 0 : -1;
}

static bool
same(const struct pkts *a, const struct pkts *b, const char *what, const struct cell *c,
     enum path pa)
{
	unsigned int i;

	for (i = 0; i < BURST; i++)
		if (a->len[i] != b->len[i] || memcmp(a->b[i], b->b[i], a->len[i]) != 0) {
			printf("FAIL %s %s %s: packet %u differs (length %u, expected %u)\n",
			       srtp_profile_name(c->prof), path_names[pa], what, i, a->len[i],
			       b->len[i]);
			return false;
		}
	return true;
}

/*
 * Protect gives libsrtp2's bytes, unprotect gives the plain packets back,
 * and a tampered burst fails exactly its three tampered packets.
 */
static bool
check(struct cell *out, struct cell *in, enum path pa, const struct pkts *plain,
      const struct pkts *srtp)
{
	static const unsigned int bad[3] = { 3, 17, 29 };
	struct pkts got, tampered = *srtp;
	uint8_t res[BURST];
	unsigned int i, j, ok;

	load(plain);
	ok = run_path(out, pa, res);
	save(&got);
	if (ok != BURST) {
		printf("FAIL %s %s protect: %u of %u ok\n", srtp_profile_name(out->prof),
		       path_names[pa], ok, BURST);
		return false;
	}
	if (!same(&got, srtp, "protect vs libsrtp2", out, pa))
		return false;
	load(srtp);
	ok = run_path(in, pa, res);
	save(&got);
	if (ok != BURST) {
		printf("FAIL %s %s unprotect of libsrtp2's packets: %u of %u ok\n",
		       srtp_profile_name(in->prof), path_names[pa], ok, BURST);
		return false;
	}
	if (!same(&got, plain, "unprotect vs plain", in, pa))
		return false;
	/* A payload bit, a tag bit, a header (timestamp) bit. */
	tampered.b[bad[0]][RTP_HDR_LEN + 40] ^= 0x01;
	tampered.b[bad[1]][tampered.len[bad[1]] - 1] ^= 0x80;
	tampered.b[bad[2]][5] ^= 0x04;
	load(&tampered);
	run_path(in, pa, res);
	for (i = 0; i < BURST; i++) {
		bool want_bad = false;

		for (j = 0; j < RTE_DIM(bad); j++)
			want_bad |= i == bad[j];
		if ((res[i] == SRTP_RES_AUTH_FAIL) != want_bad ||
		    (!want_bad && res[i] != SRTP_RES_OK)) {
			printf("FAIL %s %s tampered burst: packet %u gave %s\n",
			       srtp_profile_name(in->prof), path_names[pa], i,
			       srtp_result_name((enum srtp_result)res[i]));
			return false;
		}
	}
	printf("check %s %s ok\n", srtp_profile_name(out->prof), path_names[pa]);
	return true;
}

/*
 * One path's timed total over a run: TSC cycles and packets, and a histogram
 * of per-burst cycles (HIST_STEP-cycle buckets) for a median that a
 * preempted burst (the VM's host, other processes) does not move.
 */
#define HIST_STEP 8
#define HIST_BUCKETS 8192
struct tally {
	uint64_t spent, bursts;
	uint32_t hist[HIST_BUCKETS];
};

/* ms milliseconds of timed calls added to t; the input is reloaded, untimed, before each. */
static void
measure(const struct cell *c, enum path pa, const struct pkts *input, unsigned int ms,
	struct tally *t)
{
	uint64_t budget = rte_get_tsc_hz() / 1000 * ms, spent = 0;
	uint8_t res[BURST];

	while (spent < budget) {
		uint64_t t0, dt;
		unsigned int ok;

		load(input);
		t0 = rte_rdtsc_precise();
		ok = run_path(c, pa, res);
		dt = rte_rdtsc_precise() - t0;
		if (ok != BURST) {
			printf("FAIL %s %s timed burst: %u of %u ok\n", srtp_profile_name(c->prof),
			       path_names[pa], ok, BURST);
			exit(1);
		}
		spent += dt;
		t->hist[RTE_MIN(dt / HIST_STEP, (uint64_t)HIST_BUCKETS - 1)]++;
		t->bursts++;
	}
	t->spent += spent;
}

static double
tally_median_cycles(const struct tally *t)
{
	uint64_t seen = 0;
	unsigned int b;

	for (b = 0; b < HIST_BUCKETS; b++) {
		seen += t->hist[b];
		if (2 * seen >= t->bursts)
			return ((double)b + 0.5) * HIST_STEP / BURST;
	}
	return 0;
}

static int
dev_start(uint8_t d)
{
	struct rte_cryptodev_config dc = { .socket_id = (int)rte_socket_id(), .nb_queue_pairs = 1 };
	struct rte_cryptodev_qp_conf qc = { .nb_descriptors = 2048, .mp_session = sess_pool };

	return rte_cryptodev_configure(d, &dc) != 0 ||
	       rte_cryptodev_queue_pair_setup(d, 0, &qc, (int)rte_socket_id()) != 0 ||
	       rte_cryptodev_start(d) != 0 ? -1 : 0;
}

static int
dev_create(const char *name, uint8_t *id)
{
	int d;

	if (rte_vdev_init(name, NULL) != 0)
		return -1;
	d = rte_cryptodev_get_dev_id(name);
	if (d < 0)
		return -1;
	*id = (uint8_t)d;
	return 0;
}

/* The devices, pools sized for the sessions of both, the engines. */
static int
setup(void)
{
	struct srtp_engine_conf ec = { .backend = SRTP_BACKEND_CRYPTODEV, .cdev_name = ENG_DEV,
				       .nb_workers = 1, .max_contexts = 16,
				       .socket = (int)rte_socket_id() };
	struct srtp_engine_conf rc = { .backend = SRTP_BACKEND_LIBSRTP, .nb_workers = 1,
				       .max_contexts = 16, .socket = (int)rte_socket_id() };
	unsigned int sz, i;

	if (dev_create(MB_DEV, &dev_mb) != 0)
		return -1;
	have_gcm = dev_create(GCM_DEV, &dev_gcm) == 0;
	sz = rte_cryptodev_sym_get_private_session_size(dev_mb);
	if (have_gcm)
		sz = RTE_MAX(sz, rte_cryptodev_sym_get_private_session_size(dev_gcm));
	sess_pool = rte_cryptodev_sym_session_pool_create("ccb_sess", 64, sz, 0, 0,
							  (int)rte_socket_id());
	op_pool = rte_crypto_op_pool_create("ccb_ops", RTE_CRYPTO_OP_TYPE_SYMMETRIC, 64, 0,
					    sizeof(struct op_priv), (int)rte_socket_id());
	mbuf_pool = rte_pktmbuf_pool_create("ccb_mbuf", 128, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
					    (int)rte_socket_id());
	if (sess_pool == NULL || op_pool == NULL || mbuf_pool == NULL || dev_start(dev_mb) != 0)
		return -1;
	if (have_gcm && dev_start(dev_gcm) != 0)
		return -1;
	if (rte_pktmbuf_alloc_bulk(mbuf_pool, mbufs, BURST) != 0 ||
	    rte_crypto_op_bulk_alloc(op_pool, RTE_CRYPTO_OP_TYPE_SYMMETRIC, ops, BURST) != BURST)
		return -1;
	/* What no packet changes, set once, as srtpfwd does. */
	for (i = 0; i < BURST; i++) {
		ops[i]->sess_type = RTE_CRYPTO_OP_WITH_SESSION;
		ops[i]->sym->m_dst = NULL;
	}
	eng = srtp_engine_create(&ec);
	ref = srtp_engine_create(&rc);
	return eng == NULL || ref == NULL ? -1 : 0;
}

#define SLICES 10

static void
run_cell(const struct cell *c, unsigned int run, const bool *want_a, const struct pkts *input,
	 unsigned int ms)
{
	static struct tally t[BP_MAX];
	unsigned int s, a;

	memset(t, 0, sizeof(t));
	for (s = 0; s < SLICES; s++)
		for (a = 0; a < BP_MAX; a++)
			if (want_a[a] && path_applies(c, (enum path)a))
				measure(c, (enum path)a, input, RTE_MAX(ms / SLICES, 1u), &t[a]);
	for (a = 0; a < BP_MAX; a++) {
		double pkts = (double)t[a].bursts * BURST;

		if (t[a].bursts == 0)
			continue;
		printf("result %u %s %s %s %.3f %.1f %.1f\n", run, srtp_profile_name(c->prof),
		       c->out ? "protect" : "unprotect", path_names[a],
		       pkts / ((double)t[a].spent / (double)rte_get_tsc_hz()) / 1e6,
		       (double)t[a].spent / pkts, tally_median_cycles(&t[a]));
	}
	fflush(stdout);
}

static int
parse_list(const char *arg, bool *want, unsigned int max, int (*from)(const char *, unsigned int *))
{
	char buf[256], *tok, *save;
	unsigned int v;

	snprintf(buf, sizeof(buf), "%s", arg);
	memset(want, 0, max * sizeof(*want));
	for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		if (from(tok, &v) != 0 || v >= max)
			return -1;
		want[v] = true;
	}
	return 0;
}

static int
profile_from(const char *s, unsigned int *v)
{
	enum srtp_profile p;

	if (srtp_profile_from_name(s, &p) != 0)
		return -1;
	*v = (unsigned int)p;
	return 0;
}

static int
path_from(const char *s, unsigned int *v)
{
	for (*v = 0; *v < BP_MAX; (*v)++)
		if (strcmp(s, path_names[*v]) == 0)
			return 0;
	return -1;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ms", required_argument, NULL, 't' },
		{ "runs", required_argument, NULL, 'r' },
		{ "profiles", required_argument, NULL, 'p' },
		{ "paths", required_argument, NULL, 'a' },
		{ "break", no_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 },
	};
	bool want_p[SRTP_PROFILE_MAX] = { [SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80] = true,
					  [SRTP_PROFILE_AEAD_AES_128_GCM] = true };
	bool want_a[BP_MAX] = { true, true, true, true };
	static struct cell cells[SRTP_PROFILE_MAX][2];
	static struct pkts plain, srtp[SRTP_PROFILE_MAX];
	unsigned int ms = 1000, runs = 5, r, p, d, a;
	int ret, opt, brk = 0;

	ret = rte_eal_init(argc, argv);
	if (ret < 0)
		return 1;
	argc -= ret;
	argv += ret;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 't':
			ms = (unsigned int)atoi(optarg);
			break;
		case 'r':
			runs = (unsigned int)atoi(optarg);
			break;
		case 'p':
			if (parse_list(optarg, want_p, SRTP_PROFILE_MAX, profile_from) != 0)
				return 2;
			break;
		case 'a':
			if (parse_list(optarg, want_a, BP_MAX, path_from) != 0)
				return 2;
			break;
		case 'b':
			brk = 1;
			break;
		default:
			return 2;
		}
	}
	if (setup() != 0) {
		printf("FAIL set-up (devices, pools, engines)\n");
		return 1;
	}
	printf("tsc-hz %" PRIu64 "\ncrypto_aesni_gcm %s\n", rte_get_tsc_hz(),
	       have_gcm ? "yes" : "absent");

	make_plain(&plain);
	for (p = 0; p < SRTP_PROFILE_MAX; p++) {
		if (!want_p[p])
			continue;
		if (ref_protect((enum srtp_profile)p, &plain, &srtp[p]) != 0 ||
		    cell_init(&cells[p][0], (enum srtp_profile)p, true, brk) != 0 ||
		    cell_init(&cells[p][1], (enum srtp_profile)p, false, brk) != 0) {
			printf("FAIL %s: set-up\n", srtp_profile_name((enum srtp_profile)p));
			return 1;
		}
		for (a = 0; a < BP_MAX; a++)
			if (want_a[a] && path_applies(&cells[p][0], (enum path)a) &&
			    !check(&cells[p][0], &cells[p][1], (enum path)a, &plain, &srtp[p]))
				return 1;
	}
	fflush(stdout);

	/*
	 * Every cell once per run; inside a cell the paths take turns in
	 * SLICES slices of ms / SLICES each, so that what the machine does
	 * meanwhile (a 2-CPU VM) falls on all of them alike.
	 */
	for (r = 1; r <= runs; r++)
		for (p = 0; p < SRTP_PROFILE_MAX; p++)
			for (d = 0; want_p[p] && d < 2; d++)
				run_cell(&cells[p][d], r, want_a, d == 0 ? &plain : &srtp[p], ms);
	for (p = 0; p < SRTP_PROFILE_MAX; p++)
		for (d = 0; want_p[p] && d < 2; d++)
			cell_fini(&cells[p][d]);
	return 0;
}
