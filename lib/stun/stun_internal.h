/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_STUN_INTERNAL_H
#define SRTPFWD_STUN_INTERNAL_H

/* Shared by the files of lib/stun, not part of its API. */

#include "stun.h"
#include "stun_bytes.h"

/* MESSAGE-INTEGRITY for an attribute at mi_off of the message in buf (buf not written). */
void stun_integrity_compute(const uint8_t *buf, uint16_t mi_off, const struct stun_key *k,
			    uint8_t out[STUN_HMAC_LEN]);

/* FINGERPRINT value for an attribute at fp_off (the header's length must already count it). */
static inline uint32_t
stun_fingerprint_value(const uint8_t *buf, uint16_t fp_off)
{
	return stun_crc32(buf, fp_off) ^ STUN_FINGERPRINT_XOR;
}

#endif /* SRTPFWD_STUN_INTERNAL_H */
