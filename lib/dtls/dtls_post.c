/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A connected association without its OpenSSL object. Once the SRTP keys
 * are exported, what a DTLS-SRTP leg still does with DTLS is small: notice
 * the peer's close_notify and fatal alerts, count (and drop) application
 * data, and answer a retransmitted client Finished with our last flight
 * again (RFC 6347 §4.2.4). OpenSSL keeps about 80 KB per connection for
 * that (a 16 KB handshake buffer, two 17 KB record buffers, the session,
 * the peer's certificate ...), 1.6 GB for 20000 legs; this keeps the
 * peer's epoch-1 key and IV, a replay window, our last flight and our
 * close_notify, which OpenSSL wrote at the end of the handshake.
 *
 * Only the AEAD suites the engine offers exist here: AES-GCM (RFC 5288,
 * nonce = 4-byte implicit salt || 8-byte explicit nonce from the record)
 * and ChaCha20-Poly1305 (RFC 7905, nonce = IV xor sequence number). The
 * additional data is epoch || sequence || type || version || plaintext
 * length (RFC 6347 §4.1.2.1, RFC 5246 §6.2.3.3). The key block comes from
 * the master secret as in RFC 5246 §6.3.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/ssl.h>

#include "dtls_priv.h"
#include "dtls_record.h"

#define CT_CHANGE_CIPHER_SPEC 20
#define CT_ALERT 21
#define CT_HANDSHAKE 22
#define CT_APPLICATION_DATA 23
#define HS_FINISHED 20
#define ALERT_FATAL 2
#define ALERT_CLOSE_NOTIFY 0
#define AEAD_TAG_LEN 16
#define GCM_EXPLICIT_NONCE_LEN 8
#define KEY_EXPANSION "key expansion"
/* Larger records are not what a DTLS-SRTP peer sends after the handshake. */
#define POST_RECORD_MAX 2048

static const struct dtls_aead aeads[DTLS_AEAD_MAX] = {
	[DTLS_AEAD_AES_128_GCM] = { "AES-128-GCM", 16, 4, GCM_EXPLICIT_NONCE_LEN },
	[DTLS_AEAD_AES_256_GCM] = { "AES-256-GCM", 32, 4, GCM_EXPLICIT_NONCE_LEN },
	[DTLS_AEAD_CHACHA20_POLY1305] = { "ChaCha20-Poly1305", 32, 12, 0 },
};

const struct dtls_aead *
dtls_aead_info(enum dtls_aead_id id)
{
	return (unsigned int)id < DTLS_AEAD_MAX ? &aeads[id] : NULL;
}

static int
aead_of(const SSL_CIPHER *ci, enum dtls_aead_id *id)
{
	switch (SSL_CIPHER_get_cipher_nid(ci)) {
	case NID_aes_128_gcm:
		*id = DTLS_AEAD_AES_128_GCM;
		return 0;
	case NID_aes_256_gcm:
		*id = DTLS_AEAD_AES_256_GCM;
		return 0;
	case NID_chacha20_poly1305:
		*id = DTLS_AEAD_CHACHA20_POLY1305;
		return 0;
	default:
		return -ENOTSUP;
	}
}

/*
 * key_block = PRF(master_secret, "key expansion", server_random ||
 * client_random): client_write_key | server_write_key | client_write_IV |
 * server_write_IV (no MAC keys with an AEAD). We keep the peer's half.
 */
static int
read_keys(struct dtls_conn *c, const SSL_CIPHER *ci, const struct dtls_aead *a,
	  struct dtls_post *p)
{
	uint8_t ms[SSL_MAX_MASTER_KEY_LENGTH];
	uint8_t seed[sizeof(KEY_EXPANSION) - 1 + 2 * SSL3_RANDOM_SIZE];
	uint8_t kb[2 * (32 + 12)];
	const EVP_MD *md = SSL_CIPHER_get_handshake_digest(ci);
	bool peer_is_client = c->role == DTLS_ROLE_SERVER;
	size_t ms_len, off = sizeof(KEY_EXPANSION) - 1, kb_len = 2 * ((size_t)a->key_len + a->iv_len);
	OSSL_PARAM params[4];
	EVP_KDF_CTX *kctx;
	int ret = -EIO;

	ms_len = SSL_SESSION_get_master_key(SSL_get_session(c->ssl), ms, sizeof(ms));
	memcpy(seed, KEY_EXPANSION, off);
	if (md == NULL || ms_len == 0 ||
	    SSL_get_server_random(c->ssl, seed + off, SSL3_RANDOM_SIZE) != SSL3_RANDOM_SIZE ||
	    SSL_get_client_random(c->ssl, seed + off + SSL3_RANDOM_SIZE, SSL3_RANDOM_SIZE) !=
		    SSL3_RANDOM_SIZE)
		goto out;
	kctx = EVP_KDF_CTX_new(c->e->prf);
	if (kctx == NULL)
		goto out;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
						     (char *)EVP_MD_get0_name(md), 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SECRET, ms, ms_len);
	params[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED, seed, sizeof(seed));
	params[3] = OSSL_PARAM_construct_end();
	if (EVP_KDF_derive(kctx, kb, kb_len, params) == 1) {
		memcpy(p->rd_key, kb + (peer_is_client ? 0 : a->key_len), a->key_len);
		memcpy(p->rd_iv, kb + 2 * a->key_len + (peer_is_client ? 0 : a->iv_len), a->iv_len);
		ret = 0;
	}
	EVP_KDF_CTX_free(kctx);
out:
	OPENSSL_cleanse(ms, sizeof(ms));
	OPENSSL_cleanse(kb, sizeof(kb));
	return ret;
}

int
dtls_post_setup(struct dtls_conn *c)
{
	const SSL_CIPHER *ci = SSL_get_current_cipher(c->ssl);
	/* A server answers a retransmitted client Finished with its last flight. */
	size_t flight = c->role == DTLS_ROLE_SERVER ? c->flight.tail - c->flight.head : 0;
	enum dtls_aead_id id;
	struct dtls_post *p;
	int ret;

	if (ci == NULL || aead_of(ci, &id) != 0 || c->e->aead[id] == NULL)
		return -ENOTSUP;
	p = calloc(1, sizeof(*p) + flight);
	if (p == NULL)
		return -ENOMEM;
	p->aead = id;
	p->cipher = ci;
	p->version = (uint16_t)SSL_version(c->ssl);
	/* The peer's Finished was sequence number 0 of epoch 1. */
	p->rd_top = 1;
	p->rd_window = 1;
	ret = read_keys(c, ci, &aeads[id], p);
	if (ret != 0) {
		dtls_post_free(p);
		return ret;
	}
	memcpy(p->flight, c->flight.buf + c->flight.head, flight);
	p->flight_len = (uint16_t)flight;
	/*
	 * Our close_notify for later (the peer's close, dtls_conn_close()):
	 * OpenSSL writes it now, epoch 1, the sequence number after our
	 * Finished. Nothing else is ever sent under these keys.
	 */
	c->capture = p;
	ERR_clear_error();
	(void)SSL_shutdown(c->ssl);
	ERR_clear_error();
	c->capture = NULL;
	if (p->close_len == 0) {
		dtls_post_free(p);
		return -EIO;
	}
	c->post = p;
	return 0;
}

void
dtls_post_capture(struct dtls_post *p, const uint8_t *d, size_t len)
{
	if (p->close_len == 0 && len <= sizeof(p->close_rec)) {
		memcpy(p->close_rec, d, len);
		p->close_len = (uint8_t)len;
	}
}

void
dtls_post_free(struct dtls_post *p)
{
	if (p == NULL)
		return;
	OPENSSL_cleanse(p, sizeof(*p));
	free(p);
}

static uint64_t
be48(const uint8_t *b)
{
	uint64_t v = 0;

	for (int i = 0; i < 6; i++)
		v = v << 8 | b[i];
	return v;
}

/* RFC 6347 §4.1.2.6: a 64-record window below the highest authenticated sequence number. */
static bool
replay_fresh(const struct dtls_post *p, uint64_t seq)
{
	if (seq >= p->rd_top)
		return true;
	if (p->rd_top - 1 - seq >= 64)
		return false;
	return (p->rd_window & (1ull << (p->rd_top - 1 - seq))) == 0;
}

static void
replay_mark(struct dtls_post *p, uint64_t seq)
{
	uint64_t shift;

	if (seq < p->rd_top) {
		p->rd_window |= 1ull << (p->rd_top - 1 - seq);
		return;
	}
	shift = seq + 1 - p->rd_top;
	p->rd_window = shift >= 64 ? 0 : p->rd_window << shift;
	p->rd_window |= 1;
	p->rd_top = seq + 1;
}

/* One epoch-1 record (header h, fragment of rlen bytes) into pt; plaintext length or -1. */
static int
open_record(struct dtls_conn *c, const uint8_t *h, size_t rlen, uint8_t *pt)
{
	const struct dtls_post *p = c->post;
	const struct dtls_aead *a = &aeads[p->aead];
	const uint8_t *frag = h + DTLS_RECORD_HDR_LEN, *ct = frag + a->explicit_len;
	EVP_CIPHER_CTX *x = c->e->aead_ctx;
	uint8_t nonce[12], aad[13];
	int n, ct_len = (int)rlen - a->explicit_len - AEAD_TAG_LEN, ok;

	if (ct_len < 0 || rlen > POST_RECORD_MAX)
		return -1;
	if (a->explicit_len != 0) {
		memcpy(nonce, p->rd_iv, a->iv_len);
		memcpy(nonce + a->iv_len, frag, a->explicit_len);
	} else {
		/* The 64-bit epoch || sequence, left-padded, xor the IV. */
		memcpy(nonce, p->rd_iv, sizeof(nonce));
		for (int i = 0; i < 8; i++)
			nonce[4 + i] ^= h[3 + i];
	}
	memcpy(aad, h + 3, 8);
	aad[8] = h[0];
	aad[9] = h[1];
	aad[10] = h[2];
	aad[11] = (uint8_t)(ct_len >> 8);
	aad[12] = (uint8_t)ct_len;
	ok = EVP_DecryptInit_ex(x, c->e->aead[p->aead], NULL, p->rd_key, nonce) == 1 &&
	     EVP_DecryptUpdate(x, NULL, &n, aad, sizeof(aad)) == 1 &&
	     EVP_DecryptUpdate(x, pt, &n, ct, ct_len) == 1 &&
	     EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_AEAD_SET_TAG, AEAD_TAG_LEN,
				 (void *)(ct + ct_len)) == 1 &&
	     EVP_DecryptFinal_ex(x, pt + n, &n) == 1;
	ERR_clear_error();
	return ok ? ct_len : -1;
}

static void
resend_flight(struct dtls_conn *c)
{
	const struct dtls_post *p = c->post;
	size_t off = 0;

	while (off + 2 <= p->flight_len) {
		size_t len = (size_t)p->flight[off] << 8 | p->flight[off + 1];

		if (dtls_dgram_q_push(&c->out, p->flight + off + 2, len) < 0)
			c->e->stats.output_dropped++;
		off += 2 + len;
	}
	c->retransmits++;
	c->e->stats.retransmits++;
}

/* An authenticated record's plaintext; events. */
static unsigned int
on_record(struct dtls_conn *c, uint8_t type, const uint8_t *pt, int len)
{
	switch (type) {
	case CT_ALERT:
		if (len != 2)
			break;
		c->last_alert_rx = pt[0] << 8 | pt[1];
		if (pt[1] == ALERT_CLOSE_NOTIFY)
			return dtls_conn_closed_by_peer(c);
		if (pt[0] == ALERT_FATAL) {
			c->fatal_alert_rx = true;
			c->e->stats.fatal_alerts_rx++;
			return dtls_conn_fail(c, DTLS_FAIL_ALERT_RECEIVED);
		}
		return 0;	/* a warning: nothing to do */
	case CT_APPLICATION_DATA:
		/* Data channels (SCTP over DTLS) are not terminated here. */
		c->e->stats.app_data_dropped++;
		return 0;
	case CT_HANDSHAKE:
		/* Renegotiation is refused; a retransmitted Finished wants our last flight. */
		if (len >= DTLS_HS_HDR_LEN && pt[0] == HS_FINISHED && c->post->flight_len != 0) {
			resend_flight(c);
			return 0;
		}
		break;
	default:
		break;
	}
	return dtls_conn_drop(c);
}

unsigned int
dtls_post_input(struct dtls_conn *c, const uint8_t *d, size_t len)
{
	uint8_t pt[POST_RECORD_MAX];
	unsigned int ev = 0;
	size_t off = 0;

	/* dtls_record_check() passed: the headers are sane and the lengths add up. */
	while (off < len && c->state == DTLS_STATE_CONNECTED) {
		const uint8_t *h = d + off;
		size_t rlen = (size_t)h[11] << 8 | h[12];
		uint16_t epoch = (uint16_t)(h[3] << 8 | h[4]);
		uint64_t seq = be48(h + 5);
		int n;

		off += DTLS_RECORD_HDR_LEN + rlen;
		if (epoch == 0 && (h[0] == CT_HANDSHAKE || h[0] == CT_CHANGE_CIPHER_SPEC)) {
			/* The unencrypted part of a retransmitted flight: its Finished says it all. */
			continue;
		}
		if (epoch != 1 || !replay_fresh(c->post, seq)) {
			ev |= dtls_conn_drop(c);
			continue;
		}
		n = open_record(c, h, rlen, pt);
		if (n < 0) {
			ev |= dtls_conn_drop(c);
			continue;
		}
		replay_mark(c->post, seq);
		ev |= on_record(c, h[0], pt, n);
	}
	OPENSSL_cleanse(pt, sizeof(pt));
	return ev;
}

/* Our close_notify, made at the end of the handshake. */
void
dtls_post_send_close(struct dtls_conn *c)
{
	const struct dtls_post *p = c->post;

	if (p == NULL || p->close_len == 0)
		return;
	if (dtls_dgram_q_push(&c->out, p->close_rec, p->close_len) < 0)
		c->e->stats.output_dropped++;
	c->last_alert_tx = 1 << 8 | ALERT_CLOSE_NOTIFY;
	c->e->stats.alerts_tx++;
}
