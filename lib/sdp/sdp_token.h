/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_SDP_TOKEN_H
#define SRTPFWD_SDP_TOKEN_H

/* lib/sdp internals: splitting slices into space-separated fields and numbers. */

#include <stdbool.h>
#include <stdint.h>

#include "sdp.h"

/*
 * Take the next field of *rest up to one space (RFC 8866 fields are separated
 * by exactly one SP): false when *rest is empty or starts with a space.
 */
bool sdp_tok_next(struct sdp_str *rest, struct sdp_str *field);
/* Split s at the first c: head before it, tail after it; false (tail empty) without c. */
bool sdp_tok_split(struct sdp_str s, char c, struct sdp_str *head, struct sdp_str *tail);
/* A decimal number of 1..10 digits no larger than max. */
bool sdp_tok_u32(struct sdp_str s, uint32_t max, uint32_t *v);
/* Only bytes that may stand in a field (no space, no control byte), non-empty. */
bool sdp_tok_is_field(struct sdp_str s);

#endif /* SRTPFWD_SDP_TOKEN_H */
