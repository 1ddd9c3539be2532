/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "li_mf.h"

#define BACKOFF_MIN_MS 1000
#define BACKOFF_MAX_MS 30000
#define KEEPALIVES_UNANSWERED_MAX 3

const char *
li_mf_state_name(enum li_mf_state s)
{
	static const char *const names[] = { "backoff", "connecting", "connected" };

	return s <= LI_MF_CONNECTED ? names[s] : "?";
}

static int
tls_ctx(struct li_mf *mf, char *err, size_t errlen)
{
	const struct config_mf *c = mf->conf;

	mf->ctx = SSL_CTX_new(TLS_client_method());
	if (mf->ctx == NULL)
		return snprintf(err, errlen, "mediation function %s: no TLS context", c->name), -ENOMEM;
	SSL_CTX_set_min_proto_version(mf->ctx, TLS1_2_VERSION);
	SSL_CTX_set_mode(mf->ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	SSL_CTX_set_verify(mf->ctx, SSL_VERIFY_PEER, NULL);
	if (SSL_CTX_use_certificate_chain_file(mf->ctx, c->cert) != 1)
		return snprintf(err, errlen, "mediation function %s: cannot load certificate %s",
				c->name, c->cert), -EINVAL;
	if (SSL_CTX_use_PrivateKey_file(mf->ctx, c->key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(mf->ctx) != 1)
		return snprintf(err, errlen, "mediation function %s: private key %s unusable or not the certificate's",
				c->name, c->key), -EINVAL;
	if (SSL_CTX_load_verify_locations(mf->ctx, c->ca, NULL) != 1)
		return snprintf(err, errlen, "mediation function %s: cannot load CA %s", c->name,
				c->ca), -EINVAL;
	ERR_clear_error();
	return 0;
}

int
li_mf_init(struct li_mf *mf, const struct config_mf *conf, char *err, size_t errlen)
{
	memset(mf, 0, sizeof(*mf));
	mf->conf = conf;
	mf->fd = -1;
	mf->backoff_ms = BACKOFF_MIN_MS;
	mf->q_cap = conf->queue_bytes;
	mf->q = malloc(mf->q_cap);
	if (mf->q == NULL)
		return snprintf(err, errlen, "mediation function %s: no memory for its queue",
				conf->name), -ENOMEM;
	return conf->tls ? tls_ctx(mf, err, errlen) : 0;
}

static void
mf_close(struct li_mf *mf, uint64_t now_ms)
{
	if (mf->ssl != NULL) {
		SSL_free(mf->ssl);
		mf->ssl = NULL;
	}
	if (mf->fd >= 0)
		close(mf->fd);
	mf->fd = -1;
	mf->st.lost_bytes += mf->q_len;
	mf->q_len = 0;
	mf->q_off = 0;
	mf->in_len = 0;
	mf->keepalives_unanswered = 0;
	mf->state = LI_MF_BACKOFF;
	mf->next_try_ms = now_ms + mf->backoff_ms;
	mf->backoff_ms = mf->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : mf->backoff_ms * 2;
	ERR_clear_error();
}

void
li_mf_free(struct li_mf *mf)
{
	mf_close(mf, 0);
	SSL_CTX_free(mf->ctx);
	free(mf->q);
	memset(mf, 0, sizeof(*mf));
	mf->fd = -1;
}

/* Into the queue; false (counted) when the MF is down or the queue full. */
static bool
queue_put(struct li_mf *mf, const uint8_t *hdr, size_t hl, const void *payload, size_t pl)
{
	size_t n = hl + pl;

	/* Down and waiting to try again: nothing is kept for it. */
	if (mf->state == LI_MF_BACKOFF || mf->q_len + n > mf->q_cap) {
		mf->st.dropped++;
		return false;
	}
	if (mf->q_off + mf->q_len + n > mf->q_cap) {
		memmove(mf->q, mf->q + mf->q_off, mf->q_len);
		mf->q_off = 0;
	}
	memcpy(mf->q + mf->q_off + mf->q_len, hdr, hl);
	if (pl != 0)
		memcpy(mf->q + mf->q_off + mf->q_len + hl, payload, pl);
	mf->q_len += (uint32_t)n;
	return true;
}

bool
li_mf_enqueue(struct li_mf *mf, const uint8_t *hdr, size_t hl, const void *payload, size_t pl)
{
	if (!queue_put(mf, hdr, hl, payload, pl))
		return false;
	mf->st.pdus++;
	return true;
}

static void
mf_connect(struct li_mf *mf, uint64_t now_ms)
{
	const struct inet_endpoint *a = &mf->conf->addr;
	struct sockaddr_storage ss = { 0 };
	socklen_t len;
	int one = 1;

	if (a->family == INET_FAMILY_V4) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = a->port;
		memcpy(&s4->sin_addr, a->addr, 4);
		len = sizeof(*s4);
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = a->port;
		memcpy(&s6->sin6_addr, a->addr, 16);
		len = sizeof(*s6);
	}
	mf->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (mf->fd < 0) {
		mf->st.failures++;
		mf_close(mf, now_ms);
		return;
	}
	setsockopt(mf->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(mf->fd, (struct sockaddr *)&ss, len) != 0 && errno != EINPROGRESS) {
		mf->st.failures++;
		mf_close(mf, now_ms);
		return;
	}
	mf->state = LI_MF_CONNECTING;
}

/* The TCP connect done? Then the TLS handshake, as far as it goes. */
static void
mf_progress(struct li_mf *mf, uint64_t now_ms)
{
	struct pollfd pfd = { .fd = mf->fd, .events = POLLOUT };
	int soerr = 0, r;
	socklen_t sl = sizeof(soerr);
	char ip[INET_ADDR_STRLEN];
	struct inet_addr a = { .family = mf->conf->addr.family };

	if (mf->ssl == NULL) {
		if (poll(&pfd, 1, 0) == 0)
			return;
		if (getsockopt(mf->fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0 || soerr != 0) {
			mf->st.failures++;
			mf_close(mf, now_ms);
			return;
		}
		if (mf->ctx == NULL)
			goto connected;
		mf->ssl = SSL_new(mf->ctx);
		memcpy(a.bytes, mf->conf->addr.addr, 16);
		inet_addr_format(&a, ip, sizeof(ip));
		/* The MF's certificate must name the address we dialled. */
		if (mf->ssl == NULL || SSL_set_fd(mf->ssl, mf->fd) != 1 ||
		    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(mf->ssl), ip) != 1) {
			mf->st.failures++;
			mf_close(mf, now_ms);
			return;
		}
	}
	r = SSL_connect(mf->ssl);
	if (r != 1) {
		int e = SSL_get_error(mf->ssl, r);

		if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
			mf->st.failures++;
			mf_close(mf, now_ms);
		}
		return;
	}
connected:
	mf->state = LI_MF_CONNECTED;
	mf->st.connects++;
	mf->last_keepalive_ms = now_ms;
}

/* Bytes written, 0: would block, -1: the connection is gone. */
static int
mf_write(struct li_mf *mf, const uint8_t *p, size_t n)
{
	if (mf->ssl != NULL) {
		int r = SSL_write(mf->ssl, p, (int)(n > INT32_MAX ? INT32_MAX : n));

		if (r > 0)
			return r;
		r = SSL_get_error(mf->ssl, r);
		return r == SSL_ERROR_WANT_WRITE || r == SSL_ERROR_WANT_READ ? 0 : -1;
	}
	ssize_t w = send(mf->fd, p, n, MSG_DONTWAIT | MSG_NOSIGNAL);

	if (w >= 0)
		return (int)w;
	return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
}

static int
mf_read(struct li_mf *mf, uint8_t *p, size_t n)
{
	if (mf->ssl != NULL) {
		int r = SSL_read(mf->ssl, p, (int)n);

		if (r > 0)
			return r;
		r = SSL_get_error(mf->ssl, r);
		return r == SSL_ERROR_WANT_READ || r == SSL_ERROR_WANT_WRITE ? 0 : -1;
	}
	ssize_t g = recv(mf->fd, p, n, MSG_DONTWAIT);

	if (g > 0)
		return (int)g;
	return g < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? 0 : -1;
}

static void
mf_flush(struct li_mf *mf, uint64_t now_ms)
{
	while (mf->q_len > 0) {
		int w = mf_write(mf, mf->q + mf->q_off, mf->q_len);

		if (w == 0)
			return;
		if (w < 0) {
			mf_close(mf, now_ms);
			return;
		}
		mf->q_off += (uint32_t)w;
		mf->q_len -= (uint32_t)w;
		mf->st.bytes += (uint64_t)w;
	}
	mf->q_off = 0;
}

/* What the MF sent: keepalives (answered) and acks only; anything else closes. */
static void
mf_receive(struct li_mf *mf, uint64_t now_ms)
{
	uint8_t ka[LI_PDU_HEADER_LEN];
	int r = mf_read(mf, mf->in + mf->in_len, sizeof(mf->in) - mf->in_len);
	uint32_t used = 0;

	if (r < 0) {
		mf_close(mf, now_ms);
		return;
	}
	mf->in_len += (uint32_t)r;
	for (;;) {
		uint16_t type;
		size_t len;
		enum li_pdu_verdict v = li_pdu_parse(mf->in + used, mf->in_len - used, &type, &len);

		if (v == LI_PDU_NEED_MORE)
			break;
		if (v == LI_PDU_BAD || (type != LI_PDU_KEEPALIVE && type != LI_PDU_KEEPALIVE_ACK)) {
			mf->st.garbage++;
			mf_close(mf, now_ms);
			return;
		}
		/* A mediation function that speaks the protocol earns a quick reconnect. */
		mf->backoff_ms = BACKOFF_MIN_MS;
		if (type == LI_PDU_KEEPALIVE)
			queue_put(mf, ka, li_pdu_write_keepalive(ka, true), NULL, 0);
		else if (mf->keepalives_unanswered > 0) {
			mf->keepalives_unanswered--;
			mf->st.keepalives_acked++;
		}
		used += (uint32_t)len;
	}
	memmove(mf->in, mf->in + used, mf->in_len - used);
	mf->in_len -= used;
}

static void
mf_keepalive(struct li_mf *mf, uint64_t now_ms)
{
	uint8_t ka[LI_PDU_HEADER_LEN];
	uint32_t every = mf->conf->keepalive_s * 1000u;

	if (every == 0 || now_ms - mf->last_keepalive_ms < every)
		return;
	if (mf->keepalives_unanswered >= KEEPALIVES_UNANSWERED_MAX) {
		mf_close(mf, now_ms);
		return;
	}
	mf->last_keepalive_ms = now_ms;
	if (queue_put(mf, ka, li_pdu_write_keepalive(ka, false), NULL, 0)) {
		mf->keepalives_unanswered++;
		mf->st.keepalives_sent++;
	}
}

void
li_mf_poll(struct li_mf *mf, uint64_t now_ms)
{
	if (mf->state == LI_MF_BACKOFF) {
		if (now_ms < mf->next_try_ms)
			return;
		mf_connect(mf, now_ms);
	}
	if (mf->state == LI_MF_CONNECTING)
		mf_progress(mf, now_ms);
	if (mf->state != LI_MF_CONNECTED)
		return;
	mf_receive(mf, now_ms);
	if (mf->state == LI_MF_CONNECTED)
		mf_keepalive(mf, now_ms);
	if (mf->state == LI_MF_CONNECTED)
		mf_flush(mf, now_ms);
}
