/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The write side of a connection: a BIO that turns each write into one
 * datagram. During a handshake OpenSSL writes through its own buffering
 * BIO and flushes it whenever the next record would overflow the MTU, so
 * one write here is already one MTU-sized datagram of packed records; a
 * plain memory BIO would lose those boundaries (OpenSSL 3.0 has no
 * datagram memory BIO). Each new flight is also kept for retransmission.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>

#include "dtls_priv.h"

int
dtls_dgram_q_push(struct dtls_dgram_q *q, const uint8_t *d, size_t len)
{
	size_t need = 2 + len;

	if (len > UINT16_MAX)
		return -EMSGSIZE;
	if (q->tail + need > q->cap && q->head != 0) {
		memmove(q->buf, q->buf + q->head, q->tail - q->head);
		q->tail -= q->head;
		q->head = 0;
	}
	if (q->tail + need > q->cap) {
		size_t cap = q->cap == 0 ? 4096 : q->cap * 2;
		uint8_t *nb;

		while (cap < q->tail + need)
			cap *= 2;
		if (cap > DTLS_DGRAM_Q_MAX)
			return -ENOBUFS;
		nb = realloc(q->buf, cap);
		if (nb == NULL)
			return -ENOMEM;
		q->buf = nb;
		q->cap = cap;
	}
	q->buf[q->tail] = (uint8_t)(len >> 8);
	q->buf[q->tail + 1] = (uint8_t)len;
	memcpy(q->buf + q->tail + 2, d, len);
	q->tail += need;
	q->count++;
	return 0;
}

int
dtls_dgram_q_pop(struct dtls_dgram_q *q, uint8_t *buf, size_t size)
{
	size_t len;

	if (q->count == 0)
		return 0;
	len = (size_t)q->buf[q->head] << 8 | q->buf[q->head + 1];
	if (len > size)
		return -ENOSPC;
	memcpy(buf, q->buf + q->head + 2, len);
	q->head += 2 + len;
	if (--q->count == 0)
		q->head = q->tail = 0;
	return (int)len;
}

unsigned int
dtls_dgram_q_copy(struct dtls_dgram_q *dst, const struct dtls_dgram_q *src)
{
	size_t off = src->head;
	unsigned int lost = 0;

	while (off < src->tail) {
		size_t len = (size_t)src->buf[off] << 8 | src->buf[off + 1];

		if (dtls_dgram_q_push(dst, src->buf + off + 2, len) < 0)
			lost++;
		off += 2 + len;
	}
	return lost;
}

void
dtls_dgram_q_clear(struct dtls_dgram_q *q)
{
	/* Handshake flights only, but the Finished of a flight is encrypted
	 * under the session keys: leave nothing of it behind in memory. */
	if (q->buf != NULL)
		OPENSSL_cleanse(q->buf, q->tail);
	q->head = q->tail = 0;
	q->count = 0;
}

void
dtls_dgram_q_free(struct dtls_dgram_q *q)
{
	dtls_dgram_q_clear(q);
	free(q->buf);
	q->buf = NULL;
	q->cap = 0;
}

static int
out_write(BIO *b, const char *data, int len)
{
	struct dtls_conn *c = BIO_get_data(b);

	if (len <= 0)
		return 0;
	if (c->capture != NULL) {
		/* dtls_post_setup(): a record kept for later, not sent now. */
		dtls_post_capture(c->capture, (const uint8_t *)data, (size_t)len);
		return len;
	}
	c->wrote = true;
	if (!c->flight_open) {
		dtls_dgram_q_clear(&c->flight);
		c->flight_open = true;
	}
	/* A datagram with no room is lost, as on the wire; the peer retransmits. */
	if (dtls_dgram_q_push(&c->out, (const uint8_t *)data, (size_t)len) < 0)
		c->e->stats.output_dropped++;
	(void)dtls_dgram_q_push(&c->flight, (const uint8_t *)data, (size_t)len);
	return len;
}

static int
out_puts(BIO *b, const char *s)
{
	return out_write(b, s, (int)strlen(s));
}

static long
out_ctrl(BIO *b, int cmd, long num, void *ptr)
{
	struct dtls_conn *c = BIO_get_data(b);

	(void)num;
	(void)ptr;
	switch (cmd) {
	case BIO_CTRL_FLUSH:
		return 1;
	case BIO_CTRL_DGRAM_QUERY_MTU:
	case BIO_CTRL_DGRAM_GET_FALLBACK_MTU:
		return c != NULL ? c->e->mtu : DTLS_MTU_DEFAULT;
	case BIO_CTRL_DGRAM_GET_MTU_OVERHEAD:	/* the MTU is the UDP payload already */
	case BIO_CTRL_WPENDING:
	case BIO_CTRL_PENDING:
	default:
		return 0;
	}
}

static int
out_create(BIO *b)
{
	BIO_set_init(b, 1);
	return 1;
}

BIO_METHOD *
dtls_out_method_new(void)
{
	BIO_METHOD *m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK,
				     "srtpfwd dtls datagram out");

	if (m == NULL)
		return NULL;
	if (BIO_meth_set_write(m, out_write) != 1 || BIO_meth_set_puts(m, out_puts) != 1 ||
	    BIO_meth_set_ctrl(m, out_ctrl) != 1 || BIO_meth_set_create(m, out_create) != 1) {
		BIO_meth_free(m);
		return NULL;
	}
	return m;
}

BIO *
dtls_out_bio_new(struct dtls_conn *c)
{
	BIO *b = BIO_new(c->e->out_method);

	if (b != NULL)
		BIO_set_data(b, c);
	return b;
}
