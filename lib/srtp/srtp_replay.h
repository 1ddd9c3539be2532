/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_SRTP_REPLAY_H
#define SRTPFWD_SRTP_REPLAY_H

/*
 * Packet index estimation (RFC 3711 §3.3.1) and the replay window
 * (RFC 3711 §3.3.2), written to agree with libsrtp2 decision for decision,
 * because libsrtp2 is the peer on the other end as often as not.
 *
 * A window remembers `top`, the highest index accepted, and a bitmap whose
 * bit k says that index top - k was accepted. Indices above top are new;
 * indices at or below top - size are too old. Plain code, no atomics: one
 * window is written by one worker lcore only.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_common.h>

#define SRTP_REPLAY_WINDOW_DEFAULT 128
#define SRTP_REPLAY_WINDOW_MIN 64
#define SRTP_REPLAY_WINDOW_MAX 4096	/* a multiple of 64 in between */

enum srtp_replay_verdict {
	SRTP_REPLAY_OK = 0,
	SRTP_REPLAY_DUP,	/* inside the window, seen before */
	SRTP_REPLAY_OLD,	/* left of the window */
};

struct srtp_window {
	uint64_t top;
	uint16_t words;		/* bitmap size in 64-bit words */
	uint64_t bits[];
};

static inline size_t
srtp_window_size_bytes(uint16_t window)
{
	return sizeof(struct srtp_window) + (size_t)window / 8;
}

/* SRTP starts at index 0; SRTCP (libsrtp2's rdb) at a window [0, size). */
static inline void
srtp_window_init(struct srtp_window *w, uint16_t window, uint64_t top)
{
	w->top = top;
	w->words = window / 64;
	memset(w->bits, 0, (size_t)w->words * 8);
}

static inline enum srtp_replay_verdict
srtp_window_check(const struct srtp_window *w, uint64_t index)
{
	uint64_t k;

	if (index > w->top)
		return SRTP_REPLAY_OK;
	k = w->top - index;
	if (k >= (uint64_t)w->words * 64)
		return SRTP_REPLAY_OLD;
	return (w->bits[k / 64] >> (k % 64)) & 1 ? SRTP_REPLAY_DUP : SRTP_REPLAY_OK;
}

/* Marks index seen; call only after srtp_window_check() said OK. */
static inline void
srtp_window_add(struct srtp_window *w, uint64_t index)
{
	uint64_t k;

	if (index > w->top) {
		uint64_t delta = index - w->top;
		unsigned int i, ws = (unsigned int)(delta / 64), bs = (unsigned int)(delta % 64);

		if (delta < 64) {
			/* The usual case, the next packets: a shift by less than a word. */
			for (i = w->words - 1u; i > 0; i--)
				w->bits[i] = (w->bits[i] << delta) | (w->bits[i - 1] >> (64 - delta));
			w->bits[0] <<= delta;
		} else if (delta >= (uint64_t)w->words * 64) {
			memset(w->bits, 0, (size_t)w->words * 8);
		} else {
			/* Slide: bit k moves to k + delta, from the oldest word down. */
			for (i = w->words; i-- > 0;) {
				uint64_t v = 0;

				if (i >= ws) {
					v = w->bits[i - ws] << bs;
					if (bs != 0 && i > ws)
						v |= w->bits[i - ws - 1] >> (64 - bs);
				}
				w->bits[i] = v;
			}
		}
		w->top = index;
		k = 0;
	} else {
		k = w->top - index;
	}
	w->bits[k / 64] |= UINT64_C(1) << (k % 64);
}

/*
 * RFC 3711 §3.3.1: the 48-bit index of sequence number seq given the highest
 * index so far. While that index is below 2^15 the ROC is taken as 0, as
 * libsrtp2 does, so a stream that starts near 65535 is never guessed to have
 * ROC 2^32-1.
 */
static inline uint64_t
srtp_estimate_index(uint64_t highest, uint16_t seq)
{
	uint32_t roc = (uint32_t)(highest >> 16);
	uint16_t s_l = (uint16_t)highest;
	uint32_t v = roc;

	if (highest <= 32768)
		return seq;
	if (s_l < 32768) {
		if ((int)seq - (int)s_l > 32768)
			v = roc - 1;
	} else {
		if ((int)s_l - 32768 > (int)seq)
			v = roc + 1;
	}
	return ((uint64_t)v << 16) | seq;
}

#endif /* SRTPFWD_SRTP_REPLAY_H */
