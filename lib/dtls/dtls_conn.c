/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/srtp.h>
#include <openssl/ssl.h>

#include <rte_common.h>
#include <rte_errno.h>

#include "dtls_priv.h"
#include "dtls_record.h"

/*
 * OpenSSL's own retransmission timer, parked beyond any handshake timeout:
 * it runs on the wall clock, the library retransmits on the caller's.
 */
#define OSSL_TIMER_PARKED_US (3600u * 1000000u)

static const char *const state_names[] = {
	[DTLS_STATE_NEW] = "new",
	[DTLS_STATE_HANDSHAKING] = "handshaking",
	[DTLS_STATE_CONNECTED] = "connected",
	[DTLS_STATE_FAILED] = "failed",
	[DTLS_STATE_CLOSED] = "closed",
};

const char *
dtls_state_name(enum dtls_state s)
{
	return (unsigned int)s < RTE_DIM(state_names) ? state_names[s] : "unknown";
}

const char *
dtls_role_name(enum dtls_role r)
{
	return r == DTLS_ROLE_SERVER ? "server" : r == DTLS_ROLE_CLIENT ? "client" : "unknown";
}

static unsigned int
timer_parked(SSL *ssl, unsigned int prev_us)
{
	(void)ssl;
	(void)prev_us;
	return OSSL_TIMER_PARKED_US;
}

/* A fresh OpenSSL object for c's role and certificate; 0 or -ENOMEM. */
static int
conn_ssl_new(struct dtls_conn *c)
{
	struct dtls_engine *e = c->e;
	BIO *wbio;

	c->ssl = SSL_new(e->ctx);
	if (c->ssl == NULL)
		goto fail;
	/* The leg's certificate is the one signalled for it, even after a renewal. */
	if (c->cert != e->cert &&
	    (SSL_use_certificate(c->ssl, c->cert->x509) != 1 ||
	     SSL_use_PrivateKey(c->ssl, c->cert->pkey) != 1))
		goto fail;
	SSL_set_app_data(c->ssl, c);
	c->rbio = BIO_new(BIO_s_mem());
	wbio = dtls_out_bio_new(c);
	if (c->rbio == NULL || wbio == NULL) {
		BIO_free(c->rbio);
		BIO_free(wbio);
		goto fail;
	}
	/* An empty read BIO means "wait for more", not end of file. */
	BIO_set_mem_eof_return(c->rbio, -1);
	SSL_set_bio(c->ssl, c->rbio, wbio);
	/* After the BIOs: the MTU floor is computed from the write BIO. */
	/* Returns the MTU set, 0 below the floor. */
	if (SSL_set_mtu(c->ssl, e->mtu) == 0)
		goto fail;
	DTLS_set_timer_cb(c->ssl, timer_parked);
	if (c->role == DTLS_ROLE_SERVER)
		SSL_set_accept_state(c->ssl);
	else
		SSL_set_connect_state(c->ssl);
	return 0;
fail:
	ERR_clear_error();
	SSL_free(c->ssl);
	c->ssl = NULL;
	c->rbio = NULL;
	return -ENOMEM;
}

static void
conn_release_ssl(struct dtls_conn *c)
{
	SSL_free(c->ssl);
	c->ssl = NULL;
	c->rbio = NULL;
}

/* The leg's certificate: the engine's current one (creation, restart). */
static void
conn_take_cert(struct dtls_conn *c)
{
	if (c->cert != c->e->cert) {
		dtls_cert_free(c->cert);
		c->cert = dtls_cert_ref(c->e->cert);
	}
	snprintf(c->local_fp, sizeof(c->local_fp), "%s", c->cert->fp_str);
}

static void
conn_clear_state(struct dtls_conn *c)
{
	c->state = DTLS_STATE_NEW;
	c->fail_reason = DTLS_FAIL_NONE;
	c->cb_reason = DTLS_FAIL_NONE;
	c->fp_verified = false;
	c->fatal_alert_rx = false;
	c->cookie_verified = false;
	c->profile = SRTP_PROFILE_MAX;
	c->last_alert_rx = -1;
	c->last_alert_tx = -1;
	c->hs_deadline = UINT64_MAX;
	c->rtx_deadline = UINT64_MAX;
	c->rtx_ms = c->e->rtx_initial_ms;
	c->peer_fp_seen[0] = '\0';
	conn_release_ssl(c);
	dtls_post_free(c->post);
	c->post = NULL;
	OPENSSL_cleanse(c->km, sizeof(c->km));
	c->km_len = 0;
	dtls_dgram_q_free(&c->out);
	dtls_dgram_q_free(&c->flight);
}

/*
 * After each call: once the handshake is over (connected, failed, closed)
 * the OpenSSL object and the flight buffer go; the output buffer goes when
 * the caller has taken what it holds (dtls_conn_pop_output()).
 */
static void
conn_settle(struct dtls_conn *c)
{
	if (c->state == DTLS_STATE_NEW || c->state == DTLS_STATE_HANDSHAKING)
		return;
	conn_release_ssl(c);
	dtls_dgram_q_free(&c->flight);
	if (c->out.count == 0)
		dtls_dgram_q_free(&c->out);
}

struct dtls_conn *
dtls_conn_create(struct dtls_engine *e, const struct dtls_conn_conf *conf)
{
	struct dtls_conn *c;
	int ret;

	if (e == NULL || conf == NULL ||
	    (conf->role != DTLS_ROLE_SERVER && conf->role != DTLS_ROLE_CLIENT)) {
		rte_errno = EINVAL;
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	c->e = e;
	c->role = conf->role;
	c->hs_timeout_ms = conf->handshake_timeout_ms != 0 ? conf->handshake_timeout_ms :
							      e->handshake_timeout_ms;
	conn_clear_state(c);
	if (conf->peer_fp_hash != NULL || conf->peer_fp != NULL) {
		ret = dtls_conn_set_peer_fingerprint(c, conf->peer_fp_hash, conf->peer_fp);
		if (ret < 0) {
			free(c);
			rte_errno = -ret;
			return NULL;
		}
	}
	/* No OpenSSL object yet: an idle leg costs its struct and nothing more. */
	conn_take_cert(c);
	e->stats.conns_created++;
	return c;
}

void
dtls_conn_free(struct dtls_conn *c)
{
	if (c == NULL)
		return;
	conn_clear_state(c);
	dtls_cert_free(c->cert);
	free(c);
}

int
dtls_conn_set_peer_fingerprint(struct dtls_conn *c, const char *hash, const char *value)
{
	struct dtls_fingerprint fp;
	int ret;

	ret = dtls_fingerprint_parse(hash, value, &fp);
	if (ret < 0)
		return ret;
	c->peer_fp = fp;
	c->have_peer_fp = true;
	return 0;
}

unsigned int
dtls_conn_fail(struct dtls_conn *c, enum dtls_fail_reason r)
{
	c->state = DTLS_STATE_FAILED;
	c->fail_reason = r;
	c->rtx_deadline = UINT64_MAX;
	c->hs_deadline = UINT64_MAX;
	dtls_dgram_q_clear(&c->flight);
	c->e->stats.failures[r]++;
	return DTLS_EV_FAILED;
}

/* Why OpenSSL gave up: what a callback saw first, else the alert, else the protocol. */
static unsigned int
conn_fail_ssl(struct dtls_conn *c)
{
	if (c->cb_reason != DTLS_FAIL_NONE)
		return dtls_conn_fail(c, c->cb_reason);
	return dtls_conn_fail(c, c->fatal_alert_rx ? DTLS_FAIL_ALERT_RECEIVED : DTLS_FAIL_PROTOCOL_ERROR);
}

/* close_notify from the peer: answer it (RFC 5246 §7.2.1) and stop. */
unsigned int
dtls_conn_closed_by_peer(struct dtls_conn *c)
{
	if (c->post != NULL) {
		dtls_post_send_close(c);
	} else {
		ERR_clear_error();
		(void)SSL_shutdown(c->ssl);
		ERR_clear_error();
	}
	c->state = DTLS_STATE_CLOSED;
	c->rtx_deadline = UINT64_MAX;
	c->hs_deadline = UINT64_MAX;
	dtls_dgram_q_clear(&c->flight);
	c->e->stats.closed++;
	return DTLS_EV_CLOSED;
}

/*
 * The handshake finished: the SRTP keying material is exported now (RFC 5764
 * §4.2) and kept until dtls_conn_export_keys() hands it out; what the
 * connected state needs is taken from OpenSSL (dtls_post.c), which goes.
 */
static unsigned int
conn_established(struct dtls_conn *c)
{
	SRTP_PROTECTION_PROFILE *sp = SSL_get_selected_srtp_profile(c->ssl);
	const struct srtp_profile_info *pi;
	enum srtp_profile p;
	size_t n;

	/* The verify callback must have run and matched; never trust a default. */
	if (SSL_get0_peer_certificate(c->ssl) == NULL)
		return dtls_conn_fail(c, DTLS_FAIL_NO_CERTIFICATE);
	if (!c->fp_verified)
		return dtls_conn_fail(c, DTLS_FAIL_FINGERPRINT_MISMATCH);
	/* A client learns only now that the server left use_srtp out (RFC 5764 §4.1.3). */
	if (sp == NULL || srtp_profile_from_name(sp->name, &p) < 0) {
		ERR_clear_error();
		(void)SSL_shutdown(c->ssl);
		return dtls_conn_fail(c, DTLS_FAIL_NO_SRTP_PROFILE);
	}
	pi = srtp_profile_info(p);
	n = 2 * ((size_t)pi->master_key_len + pi->master_salt_len);
	if (n > sizeof(c->km) ||
	    SSL_export_keying_material(c->ssl, c->km, n, DTLS_SRTP_EXPORTER_LABEL,
				       strlen(DTLS_SRTP_EXPORTER_LABEL), NULL, 0, 0) != 1 ||
	    dtls_post_setup(c) != 0) {
		ERR_clear_error();
		OPENSSL_cleanse(c->km, sizeof(c->km));
		return dtls_conn_fail(c, DTLS_FAIL_INTERNAL);
	}
	c->km_len = (uint8_t)n;
	c->profile = p;
	c->state = DTLS_STATE_CONNECTED;
	c->rtx_deadline = UINT64_MAX;
	c->hs_deadline = UINT64_MAX;
	dtls_dgram_q_clear(&c->flight);
	c->handshakes++;
	c->e->stats.handshakes_completed++;
	return DTLS_EV_CONNECTED;
}

/* Lets OpenSSL consume what the read BIO holds. */
static unsigned int
conn_drive(struct dtls_conn *c)
{
	unsigned int ev = 0;
	int r, err;

	ERR_clear_error();
	r = SSL_do_handshake(c->ssl);
	if (r == 1) {
		ev |= conn_established(c);
	} else {
		err = SSL_get_error(c->ssl, r);
		if (err == SSL_ERROR_ZERO_RETURN)
			ev |= dtls_conn_closed_by_peer(c);
		else if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE)
			ev |= conn_fail_ssl(c);
	}
	ERR_clear_error();
	return ev;
}

static void
conn_call_begin(struct dtls_conn *c)
{
	c->wrote = false;
	c->flight_open = false;
}

/* A new flight restarts the retransmission timer at its initial value. */
static unsigned int
conn_call_end(struct dtls_conn *c, uint64_t now_ms, unsigned int ev)
{
	if (c->wrote && c->state == DTLS_STATE_HANDSHAKING) {
		c->rtx_ms = c->e->rtx_initial_ms;
		c->rtx_deadline = now_ms + c->rtx_ms;
	}
	conn_settle(c);
	if (c->out.count != 0)
		ev |= DTLS_EV_OUTPUT;
	return ev;
}

int
dtls_conn_start(struct dtls_conn *c, uint64_t now_ms)
{
	unsigned int ev = 0;

	if (c->state != DTLS_STATE_NEW)
		return -EALREADY;
	c->state = DTLS_STATE_HANDSHAKING;
	c->hs_deadline = now_ms + c->hs_timeout_ms;
	c->e->stats.handshakes_started++;
	conn_call_begin(c);
	if (c->ssl == NULL && conn_ssl_new(c) != 0)
		ev = dtls_conn_fail(c, DTLS_FAIL_INTERNAL);
	else if (c->role == DTLS_ROLE_CLIENT)
		ev = conn_drive(c);
	return (int)conn_call_end(c, now_ms, ev);
}

unsigned int
dtls_conn_drop(struct dtls_conn *c)
{
	c->records_dropped++;
	c->e->stats.records_dropped++;
	return DTLS_EV_DROPPED;
}

int
dtls_conn_input(struct dtls_conn *c, const uint8_t *dgram, size_t len, uint64_t now_ms)
{
	unsigned int ev = 0;

	if (c == NULL || dgram == NULL || len == 0 || len > INT32_MAX)
		return -EINVAL;
	if (c->role == DTLS_ROLE_SERVER && c->state >= DTLS_STATE_CONNECTED &&
	    dtls_record_check(dgram, len) == DTLS_REC_OK && dtls_record_is_client_hello(dgram, len))
		return DTLS_EV_CLIENT_HELLO;
	if (c->state == DTLS_STATE_FAILED || c->state == DTLS_STATE_CLOSED ||
	    (c->state == DTLS_STATE_NEW && c->role == DTLS_ROLE_CLIENT) ||
	    dtls_record_check(dgram, len) != DTLS_REC_OK)
		return (int)dtls_conn_drop(c);
	if (c->state == DTLS_STATE_CONNECTED) {
		conn_call_begin(c);
		return (int)conn_call_end(c, now_ms, dtls_post_input(c, dgram, len));
	}
	if (c->state == DTLS_STATE_NEW) {
		ev = (unsigned int)dtls_conn_start(c, now_ms);
		if (c->state != DTLS_STATE_HANDSHAKING)
			return (int)ev;
	}
	conn_call_begin(c);
	if (BIO_write(c->rbio, dgram, (int)len) != (int)len) {
		ERR_clear_error();
		return (int)dtls_conn_drop(c);
	}
	ev |= conn_drive(c);
	/* One datagram per call: what OpenSSL left of this one must not join the next. */
	(void)BIO_reset(c->rbio);
	return (int)conn_call_end(c, now_ms, ev);
}

int
dtls_conn_input_verified(struct dtls_conn *c, const uint8_t *dgram, size_t len, uint64_t now_ms)
{
	BIO_ADDR *from;
	unsigned int ev;
	int r;

	if (c == NULL || dgram == NULL || len == 0 || len > INT32_MAX ||
	    c->role != DTLS_ROLE_SERVER || c->state != DTLS_STATE_NEW)
		return -EINVAL;
	ev = (unsigned int)dtls_conn_start(c, now_ms);
	if (c->state != DTLS_STATE_HANDSHAKING)
		return (int)ev;
	conn_call_begin(c);
	c->cookie_verified = true;
	from = BIO_ADDR_new();
	if (from == NULL || BIO_write(c->rbio, dgram, (int)len) != (int)len) {
		BIO_ADDR_free(from);
		ERR_clear_error();
		return (int)conn_call_end(c, now_ms, ev | dtls_conn_fail(c, DTLS_FAIL_INTERNAL));
	}
	/* Memory BIOs have no peer address: from stays clear. 1: the ClientHello is buffered. */
	ERR_clear_error();
	r = DTLSv1_listen(c->ssl, from);
	BIO_ADDR_free(from);
	(void)BIO_reset(c->rbio);
	if (r != 1) {
		ERR_clear_error();
		return (int)conn_call_end(c, now_ms, ev | dtls_conn_fail(c, DTLS_FAIL_PROTOCOL_ERROR));
	}
	ev |= conn_drive(c);
	(void)BIO_reset(c->rbio);
	return (int)conn_call_end(c, now_ms, ev);
}

int
dtls_conn_timer(struct dtls_conn *c, uint64_t now_ms)
{
	unsigned int ev = 0;

	if (c->state != DTLS_STATE_HANDSHAKING)
		return 0;
	if (now_ms >= c->hs_deadline) {
		ev = dtls_conn_fail(c, DTLS_FAIL_HANDSHAKE_TIMEOUT);
		conn_settle(c);
		return (int)ev;
	}
	if (now_ms >= c->rtx_deadline && c->flight.count != 0) {
		c->e->stats.output_dropped += dtls_dgram_q_copy(&c->out, &c->flight);
		c->retransmits++;
		c->e->stats.retransmits++;
		/* RFC 6347 §4.2.4.1: double each time, at most 60 s. */
		c->rtx_ms = RTE_MIN(c->rtx_ms * 2u, (uint32_t)DTLS_RTX_MAX_MS);
		c->rtx_deadline = now_ms + c->rtx_ms;
	}
	if (c->out.count != 0)
		ev |= DTLS_EV_OUTPUT;
	return (int)ev;
}

uint64_t
dtls_conn_next_timeout(const struct dtls_conn *c)
{
	if (c->state != DTLS_STATE_HANDSHAKING)
		return UINT64_MAX;
	return RTE_MIN(c->hs_deadline, c->rtx_deadline);
}

int
dtls_conn_pop_output(struct dtls_conn *c, uint8_t *buf, size_t size)
{
	int n = dtls_dgram_q_pop(&c->out, buf, size);

	/* Connected legs (nearly all) keep no buffer between their rare datagrams. */
	if (c->out.count == 0 && c->state != DTLS_STATE_HANDSHAKING)
		dtls_dgram_q_free(&c->out);
	return n;
}

int
dtls_conn_reset(struct dtls_conn *c)
{
	if (c->state != DTLS_STATE_NEW)
		c->e->stats.restarts++;
	conn_clear_state(c);
	conn_take_cert(c);
	return 0;
}

int
dtls_conn_close(struct dtls_conn *c)
{
	unsigned int ev = 0;

	if (c->state != DTLS_STATE_CONNECTED && c->state != DTLS_STATE_HANDSHAKING)
		return 0;
	conn_call_begin(c);
	if (c->state == DTLS_STATE_CONNECTED)
		dtls_post_send_close(c);
	c->state = DTLS_STATE_CLOSED;
	c->rtx_deadline = UINT64_MAX;
	c->hs_deadline = UINT64_MAX;
	dtls_dgram_q_clear(&c->flight);
	return (int)conn_call_end(c, 0, ev);
}

enum dtls_state
dtls_conn_state(const struct dtls_conn *c)
{
	return c->state;
}

void
dtls_conn_info(const struct dtls_conn *c, struct dtls_conn_info *out)
{
	const SSL_CIPHER *cipher = NULL;

	memset(out, 0, sizeof(*out));
	out->state = c->state;
	out->role = c->role;
	out->profile = c->profile;
	out->fail_reason = c->fail_reason;
	out->last_alert_rx = c->last_alert_rx;
	out->last_alert_tx = c->last_alert_tx;
	if (c->state == DTLS_STATE_CONNECTED && c->post != NULL) {
		out->version = c->post->version;
		cipher = c->post->cipher;
	}
	snprintf(out->cipher, sizeof(out->cipher), "%s",
		 cipher != NULL ? SSL_CIPHER_get_name(cipher) : "");
	snprintf(out->local_fp, sizeof(out->local_fp), "%s", c->local_fp);
	snprintf(out->peer_fp, sizeof(out->peer_fp), "%s", c->peer_fp_seen);
	out->records_dropped = c->records_dropped;
	out->retransmits = c->retransmits;
	out->handshakes = c->handshakes;
}
