/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_NG_FRAME_H
#define SRTPFWD_NG_FRAME_H

/*
 * Message boundaries of ng over TCP (rtpengine's listen-tcp-ng): the stream
 * is `COOKIE SP BODY` messages back to back with no length prefix; a
 * message ends where its body's top value ends. rtpengine (control_ng.c,
 * chunk_message) finds the first space and runs bencode_valid() over what
 * follows. Here the same, incremental and bounded, and for JSON bodies too
 * (rtpengine 10.5 frames only bencode on TCP, so a `{` body there never
 * completes): the brackets of a JSON object counted outside its strings.
 * Validating the body is the decoders' job; the scanner only finds its end,
 * so a framed message that does not decode still gets an error reply.
 * Pure: no allocation, no I/O.
 *
 * The scanner resumes where it stopped: give it the message's bytes so far
 * (always from the message's first byte) each time more arrive, and every
 * byte is looked at once.
 */

#include <stddef.h>
#include <stdint.h>

/* A message, cookie and space included: at most what one UDP datagram may carry. */
#define NG_FRAME_MAX 65536u

struct ng_frame {
	uint32_t pos;		/* bytes of the message scanned */
	uint32_t left;		/* bencode: string bytes still to skip */
	uint8_t state;
	uint8_t depth;		/* containers open */
	uint8_t num_len;	/* bencode: digits of the current length or integer */
};

/* Ready for a message's first byte. */
void
ng_frame_reset(struct ng_frame *f);

/*
 * Scan buf[0..len) (the message so far; f->pos bytes of it already seen).
 * Returns the message's length once complete (the bytes after it belong
 * to the next message), 0 when it needs more bytes, -EINVAL on bytes that
 * cannot start or continue a message (no cookie within 64 bytes, a cookie
 * byte that is not printable, a body that starts with no bencode or JSON
 * value, a bencode length with no digits, nesting deeper than
 * BENCODE_MAX_DEPTH), -EMSGSIZE when the message would pass NG_FRAME_MAX.
 */
int
ng_frame_scan(struct ng_frame *f, const char *buf, size_t len);

#endif /* SRTPFWD_NG_FRAME_H */
