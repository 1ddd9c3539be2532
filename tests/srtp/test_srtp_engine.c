/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Behaviour both back ends must share: ROC across the wrap, replay window
 * edges, state committed only after authentication, several SSRCs, and the
 * drops (tampered tag, truncated, replayed, wrong key) with their counters.
 * Each test runs once per back end (the prestate picks it).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <rte_mbuf.h>

#include "srtp_priv.h"
#include "srtp_test_eal.h"

static struct srtp_engine *engines[SRTP_BACKEND_MAX];
static const char *why_skip[SRTP_BACKEND_MAX];

static const uint8_t key[32] = { 0xe1, 0xf9, 0x7a, 0x0d, 0x3e, 0x01, 0x8b, 0xe0, 0xd6, 0x4f,
				 0xa3, 0x2c, 0x06, 0xde, 0x41, 0x39, 1, 2, 3, 4, 5, 6, 7, 8,
				 9, 10, 11, 12, 13, 14, 15, 16 };
static const uint8_t salt[14] = { 0x0e, 0xc6, 0x75, 0xad, 0x49, 0x8a, 0xfe, 0xeb, 0xb6, 0x96,
				  0x0b, 0x3a, 0xab, 0xe6 };
static const uint8_t other_key[32] = { 0x42 };

/* A protected packet kept as bytes, to be delivered in any order. */
struct wire {
	uint8_t b[256];
	uint16_t len;
};

static struct srtp_engine *
engine_of(void **state)
{
	enum srtp_backend b = (enum srtp_backend)(uintptr_t)*state;

	if (engines[b] == NULL) {
		print_message("SKIP: %s\n", why_skip[b]);
		skip();
	}
	return engines[b];
}

static void
protect_rtp(struct srtp_engine *e, struct srtp_ctx *out, uint32_t ssrc, uint16_t seq,
	    struct wire *w)
{
	uint8_t pl[40], pkt[64], *d;
	struct rte_mbuf *m;
	uint16_t len;

	memset(pl, (uint8_t)seq, sizeof(pl));
	len = srtp_test_rtp(pkt, seq, ssrc, 0, 0, pl, sizeof(pl));
	m = srtp_test_mbuf(pkt, len);
	assert_int_equal(srtp_test_one(e, out, m), SRTP_RES_OK);
	d = srtp_test_data(m, &w->len);
	memcpy(w->b, d, w->len);
	rte_pktmbuf_free(m);
}

static void
protect_rtcp(struct srtp_engine *e, struct srtp_ctx *out, uint32_t ssrc, struct wire *w)
{
	uint8_t pl[24] = { 1, 2, 3 }, pkt[64], *d;
	struct rte_mbuf *m;
	uint16_t len;

	len = srtp_test_rtcp(pkt, ssrc, pl, sizeof(pl));
	m = srtp_test_mbuf(pkt, len);
	assert_int_equal(srtp_test_one(e, out, m), SRTP_RES_OK);
	d = srtp_test_data(m, &w->len);
	memcpy(w->b, d, w->len);
	rte_pktmbuf_free(m);
}

static enum srtp_result
deliver(struct srtp_engine *e, struct srtp_ctx *in, const struct wire *w, uint16_t len)
{
	struct rte_mbuf *m = srtp_test_mbuf(w->b, len);
	enum srtp_result r = srtp_test_one(e, in, m);

	rte_pktmbuf_free(m);
	return r;
}

#define RECV(e, in, w) deliver(e, in, w, (w)->len)

static void
pair(struct srtp_engine *e, enum srtp_profile p, enum srtp_kind k, uint16_t window,
     struct srtp_ctx **out, struct srtp_ctx **in)
{
	*out = srtp_test_ctx(e, p, SRTP_DIR_OUTBOUND, k, key, salt, window);
	*in = srtp_test_ctx(e, p, SRTP_DIR_INBOUND, k, key, salt, window);
	assert_non_null(*out);
	assert_non_null(*in);
}

/* ROC across the wrap, with reordering around it. */
static void
test_roc_wrap(void **state)
{
	struct srtp_engine *e = engine_of(state);
	static const uint16_t order[] = { 65530, 65532, 0, 65531, 1, 65535, 2, 65533, 65534,
					  3, 4, 5 };
	struct wire w[20];
	struct srtp_ctx *out, *in;
	unsigned int i, p;

	for (p = 0; p < SRTP_PROFILE_MAX; p++) {
		pair(e, p, SRTP_KIND_RTP, 0, &out, &in);
		for (i = 0; i < 12; i++)
			protect_rtp(e, out, 0xabcdef01, (uint16_t)(65530 + i), &w[i]);
		/* 65530 + i wraps: w[i] is sequence (65530 + i) mod 2^16. */
		for (i = 0; i < RTE_DIM(order); i++)
			assert_int_equal(RECV(e, in, &w[(uint16_t)(order[i] - 65530)]), SRTP_RES_OK);
		assert_int_equal(RECV(e, in, &w[6]), SRTP_RES_REPLAY);	/* seq 0 again */
		assert_int_equal(RECV(e, in, &w[1]), SRTP_RES_REPLAY);	/* 65531 again */
		srtp_ctx_free(out);
		srtp_ctx_free(in);
	}
}

/* A fresh receiver gets a wrap, a duplicate and a forgery inside one burst. */
static void
test_one_burst(void **state)
{
	struct srtp_engine *e = engine_of(state);
	struct srtp_pkt pk[16];
	struct wire w[12], forged;
	struct srtp_ctx *out, *in;
	struct srtp_counters c;
	unsigned int i;

	pair(e, SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80, SRTP_KIND_RTP, 0, &out, &in);
	for (i = 0; i < 12; i++)
		protect_rtp(e, out, 7, (uint16_t)(65530 + i), &w[i]);
	/* Seq 30000 with a bad tag: would move the ROC guess if it counted. */
	protect_rtp(e, out, 7, 20000, &forged);
	forged.b[3] = 0x30;
	forged.b[forged.len - 1] ^= 1;
	for (i = 0; i < 12; i++)
		pk[i] = (struct srtp_pkt){ srtp_test_mbuf(w[i].b, w[i].len), in, TEST_PKT_OFF, 0xff };
	pk[12] = (struct srtp_pkt){ srtp_test_mbuf(w[3].b, w[3].len), in, TEST_PKT_OFF, 0xff };
	pk[13] = (struct srtp_pkt){ srtp_test_mbuf(forged.b, forged.len), in, TEST_PKT_OFF, 0xff };
	assert_int_equal(srtp_process_burst(srtp_engine_worker(e, 0), pk, 14), 12);
	for (i = 0; i < 12; i++)
		assert_int_equal(pk[i].result, SRTP_RES_OK);
	assert_int_equal(pk[12].result, SRTP_RES_REPLAY);
	assert_int_equal(pk[13].result, SRTP_RES_AUTH_FAIL);
	for (i = 0; i < 14; i++)
		rte_pktmbuf_free(pk[i].m);
	srtp_ctx_counters(in, &c);
	assert_int_equal(c.pkts, 12);
	assert_int_equal(c.replay, 1);
	assert_int_equal(c.auth_fail, 1);
	srtp_ctx_free(out);
	srtp_ctx_free(in);
}

static void
window_edges(struct srtp_engine *e, enum srtp_profile p, uint16_t window)
{
	uint16_t n = (uint16_t)(window + 200), top = (uint16_t)(n - 1);
	struct wire *w = calloc(n + 1u, sizeof(*w)), far;
	struct srtp_ctx *out, *in;
	uint16_t i;

	assert_non_null(w);
	pair(e, p, SRTP_KIND_RTP, window, &out, &in);
	for (i = 0; i < n; i++)
		protect_rtp(e, out, 99, i, &w[i]);
	assert_int_equal(RECV(e, in, &w[top]), SRTP_RES_OK);
	assert_int_equal(RECV(e, in, &w[top - (window - 1)]), SRTP_RES_OK);	/* oldest in window */
	assert_int_equal(RECV(e, in, &w[top - window]), SRTP_RES_REPLAY);	/* one too old */
	assert_int_equal(RECV(e, in, &w[top]), SRTP_RES_REPLAY);		/* duplicate */
	assert_int_equal(RECV(e, in, &w[top - 1]), SRTP_RES_OK);
	assert_int_equal(RECV(e, in, &w[top - 1]), SRTP_RES_REPLAY);
	assert_int_equal(RECV(e, in, &w[top - (window - 1)]), SRTP_RES_REPLAY);
	/* Far ahead (but inside the ROC guess): accepted, everything before is old. */
	protect_rtp(e, out, 99, (uint16_t)(top + 30000), &far);
	assert_int_equal(RECV(e, in, &far), SRTP_RES_OK);
	assert_int_equal(RECV(e, in, &w[top - 2]), SRTP_RES_REPLAY);
	srtp_ctx_free(out);
	srtp_ctx_free(in);
	free(w);
}

static void
test_window_edges(void **state)
{
	struct srtp_engine *e = engine_of(state);

	window_edges(e, SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80, 128);
	window_edges(e, SRTP_PROFILE_AEAD_AES_128_GCM, 128);
	window_edges(e, SRTP_PROFILE_AES_CM_128_HMAC_SHA1_32, 64);
	window_edges(e, SRTP_PROFILE_AEAD_AES_256_GCM, 1024);
}

/* SRTCP: explicit 31-bit index, window 128 as libsrtp2's. */
static void
test_srtcp_window(void **state)
{
	struct srtp_engine *e = engine_of(state);
	struct wire *w = calloc(301, sizeof(*w));
	struct srtp_ctx *out, *in;
	unsigned int i, p;

	assert_non_null(w);
	for (p = 0; p < SRTP_PROFILE_MAX; p++) {
		pair(e, p, SRTP_KIND_RTCP, 0, &out, &in);
		for (i = 1; i <= 300; i++)	/* SRTCP index i */
			protect_rtcp(e, out, 0x5555, &w[i]);
		assert_int_equal(RECV(e, in, &w[300]), SRTP_RES_OK);
		assert_int_equal(RECV(e, in, &w[300 - 127]), SRTP_RES_OK);
		assert_int_equal(RECV(e, in, &w[300 - 128]), SRTP_RES_REPLAY);
		assert_int_equal(RECV(e, in, &w[300]), SRTP_RES_REPLAY);
		assert_int_equal(RECV(e, in, &w[299]), SRTP_RES_OK);
		srtp_ctx_free(out);
		srtp_ctx_free(in);
	}
	free(w);
}

/* SSRCs are independent; an SSRC change starts a new stream. */
static void
test_ssrcs(void **state)
{
	struct srtp_engine *e = engine_of(state);
	struct wire a[4], b[4];
	struct srtp_ctx *out, *in;
	unsigned int i;

	pair(e, SRTP_PROFILE_AEAD_AES_128_GCM, SRTP_KIND_RTP, 0, &out, &in);
	for (i = 0; i < 4; i++) {
		protect_rtp(e, out, 0x1000, (uint16_t)(100 + i), &a[i]);
		protect_rtp(e, out, 0x2000, (uint16_t)(100 + i), &b[i]);	/* same seqs */
	}
	assert_memory_not_equal(a[0].b + 12, b[0].b + 12, 40);
	for (i = 0; i < 4; i++) {
		assert_int_equal(RECV(e, in, &a[i]), SRTP_RES_OK);
		assert_int_equal(RECV(e, in, &b[i]), SRTP_RES_OK);
	}
	assert_int_equal(RECV(e, in, &b[0]), SRTP_RES_REPLAY);
	srtp_ctx_free(out);
	srtp_ctx_free(in);
}

/* Drops, by reason, counted; none of them moves the stream state. */
static void
test_drops(void **state)
{
	struct srtp_engine *e = engine_of(state);
	unsigned int p, k;

	for (p = 0; p < SRTP_PROFILE_MAX; p++) {
		for (k = 0; k < 2; k++) {
			const struct srtp_profile_info *pi = srtp_profile_info(p);
			uint8_t tag = k == SRTP_KIND_RTP ? pi->rtp_tag_len : pi->rtcp_tag_len;
			struct srtp_ctx *out, *in, *wrong;
			struct wire w, w2, bad;
			struct srtp_counters c;

			pair(e, p, k, 0, &out, &in);
			wrong = srtp_test_ctx(e, p, SRTP_DIR_INBOUND, k, other_key, salt, 0);
			assert_non_null(wrong);
			if (k == SRTP_KIND_RTP) {
				protect_rtp(e, out, 1, 5000, &w);
				protect_rtp(e, out, 1, 5001, &w2);
			} else {
				protect_rtcp(e, out, 1, &w);
				protect_rtcp(e, out, 1, &w2);
			}
			/* Tampered tag, then a forged sequence number far ahead. */
			bad = w;
			bad.b[bad.len - 1] ^= 0x80;
			assert_int_equal(RECV(e, in, &bad), SRTP_RES_AUTH_FAIL);
			bad = w2;
			if (k == SRTP_KIND_RTP)
				bad.b[2] ^= 0x70;
			else
				bad.b[8] ^= 0x01;
			assert_int_equal(RECV(e, in, &bad), SRTP_RES_AUTH_FAIL);
			/* Truncated: one byte short of header + tag (+ SRTCP index). */
			assert_int_equal(deliver(e, in, &w, (uint16_t)(12 + tag - 1)), SRTP_RES_BAD_LENGTH);
			assert_int_equal(deliver(e, in, &w, 3), SRTP_RES_BAD_LENGTH);
			/* Wrong key. */
			assert_int_equal(RECV(e, wrong, &w), SRTP_RES_AUTH_FAIL);
			/* The genuine ones still pass: nothing above moved the state. */
			assert_int_equal(RECV(e, in, &w), SRTP_RES_OK);
			assert_int_equal(RECV(e, in, &w), SRTP_RES_REPLAY);
			assert_int_equal(RECV(e, in, &w2), SRTP_RES_OK);

			srtp_ctx_counters(in, &c);
			assert_int_equal(c.pkts, 2);
			assert_int_equal(c.auth_fail, 2);
			assert_int_equal(c.bad_length, 2);
			assert_int_equal(c.replay, 1);
			assert_int_equal(c.other, 0);
			srtp_ctx_counters(wrong, &c);
			assert_int_equal(c.auth_fail, 1);
			assert_int_equal(c.pkts, 0);
			srtp_ctx_counters(out, &c);
			assert_int_equal(c.pkts, 2);
			srtp_ctx_free(out);
			srtp_ctx_free(in);
			srtp_ctx_free(wrong);
		}
	}
}

/*
 * What an attacker can send an inbound context: every truncation of a
 * genuine packet, and random bytes of random lengths (half of them looking
 * like RTP/RTCP of the genuine SSRC). Every one is dropped and counted as
 * one drop, none is accepted, and none moves the state: the genuine packet
 * passes afterwards, once.
 */
static void
test_garbage(void **state)
{
	struct srtp_engine *e = engine_of(state);
	struct srtp_ctx *out, *in;
	struct srtp_counters c;
	struct wire w, junk;
	unsigned int p, k, i, sent;
	uint32_t rnd = 0x2545f491;

	for (p = 0; p < SRTP_PROFILE_MAX; p++) {
		for (k = 0; k <= SRTP_KIND_RTCP; k++) {
			pair(e, p, k, 0, &out, &in);
			if (k == SRTP_KIND_RTP)
				protect_rtp(e, out, 0x5eed, 100, &w);
			else
				protect_rtcp(e, out, 0x5eed, &w);
			sent = 0;
			for (i = 0; i < w.len; i++, sent++)
				assert_int_not_equal(deliver(e, in, &w, (uint16_t)i), SRTP_RES_OK);
			for (i = 0; i < 2000; i++, sent++) {
				unsigned int j;

				rnd = rnd * 1103515245u + 12345u;
				junk.len = (uint16_t)((rnd >> 8) % (sizeof(junk.b) + 1));
				for (j = 0; j < junk.len; j++) {
					rnd = rnd * 1103515245u + 12345u;
					junk.b[j] = (uint8_t)(rnd >> 16);
				}
				/* Half keep the genuine header: past the parse, into the crypto. */
				if ((i & 1) && junk.len >= 12)
					memcpy(junk.b, w.b, 12);
				assert_int_not_equal(RECV(e, in, &junk), SRTP_RES_OK);
			}
			srtp_ctx_counters(in, &c);
			assert_int_equal(c.pkts, 0);
			assert_int_equal(c.auth_fail + c.bad_length + c.replay + c.other, sent);
			assert_int_equal(RECV(e, in, &w), SRTP_RES_OK);
			assert_int_equal(RECV(e, in, &w), SRTP_RES_REPLAY);
			srtp_ctx_free(out);
			srtp_ctx_free(in);
		}
	}
}

/* An outbound context and an inbound one with 2 SSRC slots (cryptodev: libsrtp2 is unbounded). */
static void
small_table_pair(struct srtp_engine *e, struct srtp_ctx **out, struct srtp_ctx **in)
{
	struct srtp_ctx_conf c = { .profile = SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80,
				   .dir = SRTP_DIR_INBOUND, .kind = SRTP_KIND_RTP, .max_ssrc = 2 };

	if (srtp_engine_backend(e) == SRTP_BACKEND_LIBSRTP)
		skip();	/* libsrtp2 keeps its own unbounded stream list */
	memcpy(c.master_key, key, 16);
	memcpy(c.master_salt, salt, 14);
	*out = srtp_test_ctx(e, c.profile, SRTP_DIR_OUTBOUND, SRTP_KIND_RTP, key, salt, 0);
	*in = srtp_ctx_create(e, &c);
	assert_non_null(*out);
	assert_non_null(*in);
}

/* Forged packets from unknown SSRCs take no slot for good; a full table drops. */
static void
test_ssrc_table(void **state)
{
	struct srtp_engine *e = engine_of(state);
	struct srtp_ctx *out, *in;
	struct wire w[3], bad;
	uint32_t s;

	small_table_pair(e, &out, &in);
	for (s = 0; s < 3; s++)
		protect_rtp(e, out, 100 + s, 1, &w[s]);
	for (s = 0; s < 10; s++) {
		bad = w[0];
		bad.b[11] = (uint8_t)(200 + s);	/* unknown SSRC, bad tag */
		assert_int_equal(RECV(e, in, &bad), SRTP_RES_AUTH_FAIL);
	}
	assert_int_equal(RECV(e, in, &w[0]), SRTP_RES_OK);
	assert_int_equal(RECV(e, in, &w[1]), SRTP_RES_OK);
	assert_int_equal(RECV(e, in, &w[2]), SRTP_RES_OTHER);
	srtp_ctx_free(out);
	srtp_ctx_free(in);
}

/*
 * In one burst, new SSRCs race for the slots left: the ones whose packets
 * authenticate first get them, forgeries none; once every slot is held by
 * an authenticated SSRC, a new one is refused before any crypto.
 */
static void
test_ssrc_table_burst(void **state)
{
	struct srtp_engine *e = engine_of(state);
	/* SSRC 100 + n, seq 1 + n; SSRC 0: forged (SSRC 200 + slot). */
	static const struct { uint8_t ssrc, seq; enum srtp_result r; } burst[] = {
		{ 0, 1, SRTP_RES_AUTH_FAIL }, { 1, 1, SRTP_RES_OK }, { 0, 1, SRTP_RES_AUTH_FAIL },
		{ 2, 1, SRTP_RES_OK }, { 3, 1, SRTP_RES_OTHER }, { 1, 2, SRTP_RES_OK },
		{ 3, 2, SRTP_RES_OTHER }, { 0, 2, SRTP_RES_AUTH_FAIL },
	};
	struct srtp_pkt pk[RTE_DIM(burst)];
	struct srtp_stream_info si[4];
	struct srtp_ctx *out, *in;
	struct wire w, bad;
	unsigned int i;

	small_table_pair(e, &out, &in);
	for (i = 0; i < RTE_DIM(burst); i++) {
		protect_rtp(e, out, burst[i].ssrc != 0 ? 100u + burst[i].ssrc : 200u + i, burst[i].seq,
			    &w);
		if (burst[i].ssrc == 0)
			w.b[w.len - 1] ^= 0x5a;
		pk[i] = (struct srtp_pkt){ srtp_test_mbuf(w.b, w.len), in, TEST_PKT_OFF, 0xff };
	}
	assert_int_equal(srtp_process_burst(srtp_engine_worker(e, 0), pk, RTE_DIM(pk)), 3);
	for (i = 0; i < RTE_DIM(burst); i++) {
		assert_int_equal(pk[i].result, burst[i].r);
		rte_pktmbuf_free(pk[i].m);
	}
	assert_int_equal(srtp_ctx_streams(in, si, RTE_DIM(si)), 2);
	assert_int_equal(si[0].ssrc, 101);
	assert_int_equal(si[0].seq, 2);
	assert_int_equal(si[1].ssrc, 102);
	assert_int_equal(si[1].seq, 1);
	/* Full of authenticated SSRCs: a forgery of a new one is refused unauthenticated. */
	protect_rtp(e, out, 101, 3, &w);
	bad = w;
	bad.b[11] = 250;
	assert_int_equal(RECV(e, in, &bad), SRTP_RES_OTHER);
	assert_int_equal(RECV(e, in, &w), SRTP_RES_OK);
	srtp_ctx_free(out);
	srtp_ctx_free(in);
}

/*
 * Issue 10, item 6: forged packets of unknown SSRCs from the latched source,
 * in the same bursts as a genuine new SSRC. Each burst of 64 leads with 12
 * forgeries (more distinct SSRCs than the context has slots), then alternates
 * forgery and genuine packet; 40 genuine packets in two bursts, protected by
 * libsrtp2, RTP across the wrap. Every genuine packet comes out as its
 * plaintext, every forgery is an auth failure, and the stream state is the
 * genuine packets' alone.
 */
#define FORGE_BURST 64
#define FORGE_GENUINE 40
#define FORGE_LEAD 12
#define FORGE_SSRC 0x600dcafe
#define FORGE_SEQ0 65520

static uint32_t forge_rng = 0x7f4a7c15;

static uint32_t
forge_rnd(void)
{
	forge_rng = forge_rng * 1103515245u + 12345u;
	return forge_rng >> 8;
}

/* Genuine packet i of the new SSRC, plaintext and protected. */
static void
forge_genuine(struct srtp_ctx *lib_out, enum srtp_kind k, unsigned int i, struct wire *plain,
	      struct wire *prot)
{
	struct srtp_engine *lib = engines[SRTP_BACKEND_LIBSRTP];
	struct rte_mbuf *m;
	uint8_t pl[40];
	uint8_t *d;

	memset(pl, (uint8_t)(0xa0 + i), sizeof(pl));
	if (k == SRTP_KIND_RTP)
		plain->len = srtp_test_rtp(plain->b, (uint16_t)(FORGE_SEQ0 + i), FORGE_SSRC, 0, 0,
					   pl, sizeof(pl));
	else
		plain->len = srtp_test_rtcp(plain->b, FORGE_SSRC, pl, sizeof(pl));
	m = srtp_test_mbuf(plain->b, plain->len);
	assert_int_equal(srtp_test_one(lib, lib_out, m), SRTP_RES_OK);
	d = srtp_test_data(m, &prot->len);
	memcpy(prot->b, d, prot->len);
	rte_pktmbuf_free(m);
}

/*
 * A genuine packet with a random SSRC and a random tag (SRTCP-GCM: its tag
 * sits before the E||index word, which stays so the packet reaches the crypto).
 */
static void
forge_one(const struct wire *genuine, const struct srtp_profile_info *pi, enum srtp_kind k,
	  struct wire *f)
{
	uint8_t tag = k == SRTP_KIND_RTP ? pi->rtp_tag_len : pi->rtcp_tag_len;
	uint16_t end = (uint16_t)(genuine->len - (k == SRTP_KIND_RTCP && pi->aead ? 4 : 0));
	uint32_t ssrc;
	unsigned int j;

	*f = *genuine;
	do
		ssrc = forge_rnd() << 8 ^ forge_rnd();
	while (ssrc == FORGE_SSRC);
	for (j = 0; j < 4; j++)
		f->b[(k == SRTP_KIND_RTP ? 8 : 4) + j] = (uint8_t)(ssrc >> (24 - 8 * j));
	for (j = end - tag; j < end; j++)
		f->b[j] = (uint8_t)forge_rnd();
}

/* The burst: FORGE_LEAD forgeries, then forgery, genuine, forgery, ... */
static bool
forge_is_genuine(unsigned int slot, unsigned int genuine_left)
{
	return slot >= FORGE_LEAD && (slot - FORGE_LEAD) % 2 == 1 && genuine_left > 0;
}

static void
forged_ssrcs_case(struct srtp_engine *e, enum srtp_profile p, enum srtp_kind k)
{
	const struct srtp_profile_info *pi = srtp_profile_info(p);
	struct srtp_ctx *lib_out, *in;
	static struct wire plain[FORGE_GENUINE + 1], prot[FORGE_GENUINE + 1];
	struct srtp_stream_info si[4];
	struct srtp_pkt pk[FORGE_BURST];
	int16_t which[FORGE_BURST];	/* genuine packet number, -1: forged */
	struct srtp_counters c;
	unsigned int g = 0, forged = 0, per_burst, i;
	struct wire f;

	lib_out = srtp_test_ctx(engines[SRTP_BACKEND_LIBSRTP], p, SRTP_DIR_OUTBOUND, k, key, salt,
				0);
	in = srtp_test_ctx(e, p, SRTP_DIR_INBOUND, k, key, salt, 0);
	assert_non_null(lib_out);
	assert_non_null(in);
	/* One more than delivered in the bursts: it checks the state afterwards. */
	for (i = 0; i <= FORGE_GENUINE; i++)
		forge_genuine(lib_out, k, i, &plain[i], &prot[i]);

	per_burst = FORGE_GENUINE / 2;
	while (g < FORGE_GENUINE) {
		unsigned int left = per_burst;

		for (i = 0; i < FORGE_BURST; i++) {
			if (forge_is_genuine(i, left)) {
				which[i] = (int16_t)g;
				pk[i] = (struct srtp_pkt){ srtp_test_mbuf(prot[g].b, prot[g].len), in,
							   TEST_PKT_OFF, 0xff };
				g++;
				left--;
			} else {
				which[i] = -1;
				forge_one(&prot[forge_rnd() % FORGE_GENUINE], pi, k, &f);
				pk[i] = (struct srtp_pkt){ srtp_test_mbuf(f.b, f.len), in,
							   TEST_PKT_OFF, 0xff };
				forged++;
			}
			assert_non_null(pk[i].m);
		}
		assert_int_equal(srtp_process_burst(srtp_engine_worker(e, 0), pk, FORGE_BURST),
				 per_burst);
		for (i = 0; i < FORGE_BURST; i++) {
			uint16_t len;
			uint8_t *d = srtp_test_data(pk[i].m, &len);

			if (which[i] < 0) {
				assert_int_equal(pk[i].result, SRTP_RES_AUTH_FAIL);
			} else {
				assert_int_equal(pk[i].result, SRTP_RES_OK);
				assert_int_equal(len, plain[which[i]].len);
				assert_memory_equal(d, plain[which[i]].b, len);
			}
			rte_pktmbuf_free(pk[i].m);
		}
	}

	srtp_ctx_counters(in, &c);
	assert_int_equal(c.pkts, FORGE_GENUINE);
	assert_int_equal(c.auth_fail, forged);
	assert_int_equal(c.other + c.replay + c.bad_length + c.crypto_stall, 0);
	if (srtp_engine_backend(e) != SRTP_BACKEND_LIBSRTP) {
		/* The genuine SSRC alone holds a slot, at its last packet. */
		assert_int_equal(srtp_ctx_streams(in, si, RTE_DIM(si)), 1);
		assert_int_equal(si[0].ssrc, FORGE_SSRC);
		if (k == SRTP_KIND_RTP) {
			assert_int_equal(si[0].roc, (FORGE_SEQ0 + FORGE_GENUINE - 1) >> 16);
			assert_int_equal(si[0].seq, (uint16_t)(FORGE_SEQ0 + FORGE_GENUINE - 1));
		} else {
			/* Index 1..40 (libsrtp2 sends 1 first) inside the first window, [0, 128). */
			assert_int_equal(si[0].srtcp_index,
					 RTE_MAX(FORGE_GENUINE, SRTP_REPLAY_WINDOW_DEFAULT - 1));
		}
	}
	/* Either back end: a replay is one, and the next packet (ROC 1 for RTP) passes. */
	assert_int_equal(RECV(e, in, &prot[FORGE_GENUINE - 1]), SRTP_RES_REPLAY);
	assert_int_equal(RECV(e, in, &prot[FORGE_GENUINE]), SRTP_RES_OK);
	srtp_ctx_free(lib_out);
	srtp_ctx_free(in);
}

static void
test_forged_ssrcs_burst(void **state)
{
	struct srtp_engine *e = engine_of(state);
	unsigned int p, k;

	for (p = 0; p < SRTP_PROFILE_MAX; p++)
		for (k = 0; k <= SRTP_KIND_RTCP; k++)
			forged_ssrcs_case(e, p, k);
}

/*
 * The in-burst index estimate moves only by authenticated packets: a forged
 * packet of a known SSRC whose sequence number reads as "ahead by a wrap"
 * must not change the ROC a later genuine packet of the same burst gets.
 * The sender is libsrtp2 (the oracle); each case primes the receiver with
 * one packet, then sends one burst.
 */
struct est_pkt {
	uint16_t seq;
	bool forged;
};

struct est_case {
	uint16_t prime;
	const struct est_pkt *burst;
	unsigned int n;
	uint32_t roc;		/* stream state after the burst */
	uint16_t seq;
	uint16_t next;		/* a genuine packet accepted afterwards */
};

#define EST_SSRC 0x5eed0001
#define EST_MAX 16

/* Genuine packet seq, plaintext and protected by the libsrtp2 sender (in sending order). */
static void
est_genuine(struct srtp_ctx *lib_out, uint16_t seq, struct wire *plain, struct wire *prot)
{
	struct rte_mbuf *m;
	uint8_t pl[40];
	uint8_t *d;

	memset(pl, (uint8_t)(seq ^ 0x5a), sizeof(pl));
	plain->len = srtp_test_rtp(plain->b, seq, EST_SSRC, 0, 0, pl, sizeof(pl));
	m = srtp_test_mbuf(plain->b, plain->len);
	assert_int_equal(srtp_test_one(engines[SRTP_BACKEND_LIBSRTP], lib_out, m), SRTP_RES_OK);
	d = srtp_test_data(m, &prot->len);
	memcpy(prot->b, d, prot->len);
	rte_pktmbuf_free(m);
}

static void
forged_estimate_case(struct srtp_engine *e, enum srtp_profile p, const struct est_case *tc)
{
	static struct wire plain[EST_MAX + 2], prot[EST_MAX + 2];
	struct srtp_ctx *lib_out, *in;
	struct srtp_stream_info si[2];
	struct srtp_pkt pk[EST_MAX];
	struct srtp_counters c;
	unsigned int i, g = 0, forged = 0, genuine = 0;
	uint16_t len;
	uint8_t *d;

	assert_true(tc->n <= EST_MAX);
	lib_out = srtp_test_ctx(engines[SRTP_BACKEND_LIBSRTP], p, SRTP_DIR_OUTBOUND,
				SRTP_KIND_RTP, key, salt, 0);
	in = srtp_test_ctx(e, p, SRTP_DIR_INBOUND, SRTP_KIND_RTP, key, salt, 0);
	assert_non_null(lib_out);
	assert_non_null(in);
	/* Slot 0: the prime; 1..n: the burst's genuine ones (sent in order); n + 1: next. */
	est_genuine(lib_out, tc->prime, &plain[0], &prot[0]);
	for (i = 0; i < tc->n; i++)
		if (!tc->burst[i].forged)
			est_genuine(lib_out, tc->burst[i].seq, &plain[1 + i], &prot[1 + i]);
	est_genuine(lib_out, tc->next, &plain[EST_MAX + 1], &prot[EST_MAX + 1]);
	assert_int_equal(RECV(e, in, &prot[0]), SRTP_RES_OK);

	for (i = 0; i < tc->n; i++) {
		struct wire f;

		if (tc->burst[i].forged) {
			/* A genuine packet with another seq and a bad tag. */
			f = prot[0];
			f.b[2] = (uint8_t)(tc->burst[i].seq >> 8);
			f.b[3] = (uint8_t)tc->burst[i].seq;
			f.b[f.len - 1] ^= 0x5a;
			pk[i] = (struct srtp_pkt){ srtp_test_mbuf(f.b, f.len), in, TEST_PKT_OFF,
						   0xff };
			forged++;
		} else {
			pk[i] = (struct srtp_pkt){ srtp_test_mbuf(prot[1 + i].b, prot[1 + i].len),
						   in, TEST_PKT_OFF, 0xff };
			genuine++;
		}
		assert_non_null(pk[i].m);
	}
	g = srtp_process_burst(srtp_engine_worker(e, 0), pk, (uint16_t)tc->n);
	for (i = 0; i < tc->n; i++) {
		if (tc->burst[i].forged) {
			if (pk[i].result != SRTP_RES_AUTH_FAIL)
				print_error("%s prime %u: forged seq %u: %s\n", srtp_profile_name(p),
					    tc->prime, tc->burst[i].seq,
					    srtp_result_name(pk[i].result));
			assert_int_equal(pk[i].result, SRTP_RES_AUTH_FAIL);
		} else {
			if (pk[i].result != SRTP_RES_OK)
				print_error("%s prime %u: genuine seq %u: %s\n",
					    srtp_profile_name(p), tc->prime, tc->burst[i].seq,
					    srtp_result_name(pk[i].result));
			assert_int_equal(pk[i].result, SRTP_RES_OK);
			d = srtp_test_data(pk[i].m, &len);
			assert_int_equal(len, plain[1 + i].len);
			assert_memory_equal(d, plain[1 + i].b, len);
		}
		rte_pktmbuf_free(pk[i].m);
	}
	assert_int_equal(g, genuine);
	srtp_ctx_counters(in, &c);
	assert_int_equal(c.pkts, 1 + genuine);
	assert_int_equal(c.auth_fail, forged);
	assert_int_equal(c.other + c.replay + c.bad_length + c.crypto_stall, 0);
	if (srtp_engine_backend(e) != SRTP_BACKEND_LIBSRTP) {
		assert_int_equal(srtp_ctx_streams(in, si, RTE_DIM(si)), 1);
		assert_int_equal(si[0].ssrc, EST_SSRC);
		assert_int_equal(si[0].roc, tc->roc);
		assert_int_equal(si[0].seq, tc->seq);
	}
	/* Either back end: the state is the genuine ones'; the first of them again is a replay. */
	for (i = 0; tc->burst[i].forged; i++)
		;
	assert_int_equal(RECV(e, in, &prot[1 + i]), SRTP_RES_REPLAY);
	assert_int_equal(RECV(e, in, &prot[EST_MAX + 1]), SRTP_RES_OK);
	srtp_ctx_free(lib_out);
	srtp_ctx_free(in);
}

static void
test_forged_estimate(void **state)
{
	/* The probe: at 40000, forged 7231 reads as ROC 1; genuine 39990 is ROC 0. */
	static const struct est_pkt probe[] = { { 7231, true }, { 39990, false } };
	static const struct est_pkt probe_more[] = {
		{ 7231, true }, { 39990, false }, { 40001, false }, { 7100, true },
		{ 39995, false }, { 40002, false }, { 7000, true },
	};
	/* A genuine wrap inside the burst, forgeries that read as a wrap ahead among it. */
	static const struct est_pkt wrap[] = {
		{ 65531, false }, { 32760, true }, { 65532, false }, { 65533, false },
		{ 65534, false }, { 65535, false }, { 0, false }, { 32761, true },
		{ 1, false }, { 32000, true }, { 65529, false }, { 2, false },
	};
	/* Genuine only: the second packet's ROC depends on the first one committing. */
	static const struct est_pkt jump[] = { { 65000, false }, { 100, false }, { 101, false } };
	static const struct est_case cases[] = {
		{ 40000, probe, RTE_DIM(probe), 0, 40000, 40001 },
		{ 40000, probe_more, RTE_DIM(probe_more), 0, 40002, 40003 },
		{ 65530, wrap, RTE_DIM(wrap), 1, 2, 3 },
		{ 32000, jump, RTE_DIM(jump), 1, 101, 102 },
	};
	struct srtp_engine *e = engine_of(state);
	unsigned int p, i;

	for (p = 0; p < SRTP_PROFILE_MAX; p++)
		for (i = 0; i < RTE_DIM(cases); i++)
			forged_estimate_case(e, p, &cases[i]);
}

/* Re-encryption: in with key A, out with key B, read back with key B. */
static void
test_reencrypt(void **state)
{
	struct srtp_engine *e = engine_of(state);
	struct srtp_ctx *a_out, *a_in, *b_out, *b_in, *outs[4];
	struct srtp_pkt pk[4];
	struct wire w[4];
	unsigned int i;

	pair(e, SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80, SRTP_KIND_RTP, 0, &a_out, &a_in);
	b_out = srtp_test_ctx(e, SRTP_PROFILE_AEAD_AES_128_GCM, SRTP_DIR_OUTBOUND, SRTP_KIND_RTP,
			      other_key, salt, 0);
	b_in = srtp_test_ctx(e, SRTP_PROFILE_AEAD_AES_128_GCM, SRTP_DIR_INBOUND, SRTP_KIND_RTP,
			     other_key, salt, 0);
	assert_non_null(b_out);
	assert_non_null(b_in);
	for (i = 0; i < 4; i++) {
		protect_rtp(e, a_out, 3, (uint16_t)i, &w[i]);
		pk[i] = (struct srtp_pkt){ srtp_test_mbuf(w[i].b, w[i].len), a_in, TEST_PKT_OFF, 0 };
		outs[i] = b_out;
	}
	pk[2].m->pkt_len--;	/* one truncated: it must not go on */
	pk[2].m->data_len--;
	assert_int_equal(srtp_reencrypt_burst(srtp_engine_worker(e, 0), pk, outs, 4), 3);
	assert_int_equal(pk[2].result, SRTP_RES_AUTH_FAIL);
	for (i = 0; i < 4; i++) {
		if (i != 2) {
			assert_ptr_equal(pk[i].ctx, b_out);
			assert_int_equal(srtp_test_one(e, b_in, pk[i].m), SRTP_RES_OK);
			assert_int_equal(pk[i].m->pkt_len - TEST_PKT_OFF, 12 + 40);
		}
		rte_pktmbuf_free(pk[i].m);
	}
	srtp_ctx_free(a_out);
	srtp_ctx_free(a_in);
	srtp_ctx_free(b_out);
	srtp_ctx_free(b_in);
}

static int
setup(void **state)
{
	(void)state;
	engines[SRTP_BACKEND_LIBSRTP] = srtp_test_engine(SRTP_BACKEND_LIBSRTP, NULL);
	srtp_test_engines_batched(engines, why_skip, 0);
	return engines[SRTP_BACKEND_LIBSRTP] == NULL ? -1 : 0;
}

/*
 * Contexts come from the engine's pool (64 here) and from the heap beyond it
 * or for a larger shape; each one starts fresh, also a block used before.
 */
static void
test_ctx_memory(void **state)
{
	struct srtp_engine *e = engine_of(state);
	struct srtp_ctx *ctx[80], *out, *in;
	struct srtp_stream_info si[2];
	struct srtp_counters c;
	struct wire w;
	unsigned int i;

	for (i = 0; i < RTE_DIM(ctx); i += 2)
		pair(e, SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80, SRTP_KIND_RTP,
		     i == 70 ? 1024 : 0, &ctx[i], &ctx[i + 1]);
	/* The pool (sized by max_contexts, 64) is used up; the rest came from the heap. */
	assert_int_equal(rte_mempool_in_use_count(e->ctx_pool), 64);
	for (i = 0; i < RTE_DIM(ctx); i += 2) {
		protect_rtp(e, ctx[i], 0x1000 + i, 7, &w);
		assert_int_equal(RECV(e, ctx[i + 1], &w), SRTP_RES_OK);
	}
	for (i = 0; i < RTE_DIM(ctx); i++)
		srtp_ctx_free(ctx[i]);
	assert_int_equal(rte_mempool_in_use_count(e->ctx_pool), 0);
	/* Reused blocks: no counters, no SSRC, no replay state of the previous owner. */
	pair(e, SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80, SRTP_KIND_RTP, 0, &out, &in);
	srtp_ctx_counters(in, &c);
	assert_int_equal(c.pkts + c.replay + c.auth_fail, 0);
	if (srtp_engine_backend(e) != SRTP_BACKEND_LIBSRTP)
		assert_int_equal(srtp_ctx_streams(in, si, RTE_DIM(si)), 0);
	protect_rtp(e, out, 0x1000, 7, &w);
	assert_int_equal(RECV(e, in, &w), SRTP_RES_OK);
	srtp_ctx_free(out);
	srtp_ctx_free(in);
}

static int
teardown(void **state)
{
	(void)state;
	srtp_test_engines_free(engines);
	return 0;
}

/* Every test on every back end. */
#define ALL(fn) \
	{ #fn "/libsrtp2", fn, NULL, NULL, (void *)(uintptr_t)SRTP_BACKEND_LIBSRTP }, \
	{ #fn "/cryptodev", fn, NULL, NULL, (void *)(uintptr_t)SRTP_BACKEND_CRYPTODEV }, \
	{ #fn "/cpu-crypto", fn, NULL, NULL, (void *)(uintptr_t)SRTP_BACKEND_CPU_CRYPTO }, \
	{ #fn "/ipsec-mb", fn, NULL, NULL, (void *)(uintptr_t)SRTP_BACKEND_IPSEC_MB }

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		ALL(test_roc_wrap),
		ALL(test_one_burst),
		ALL(test_window_edges),
		ALL(test_srtcp_window),
		ALL(test_ssrcs),
		ALL(test_drops),
		ALL(test_garbage),
		ALL(test_ssrc_table),
		ALL(test_ssrc_table_burst),
		ALL(test_forged_ssrcs_burst),
		ALL(test_forged_estimate),
		ALL(test_reencrypt),
		ALL(test_ctx_memory),
	};

	(void)argc;
	if (srtp_test_eal_init(argv[0]) != 0) {
		print_message("SKIP: EAL cannot start\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, setup, teardown);
}
