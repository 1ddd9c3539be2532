/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_STUN_BYTES_H
#define SRTPFWD_STUN_BYTES_H

/* Big-endian loads and stores at any alignment (a STUN message sits anywhere in an mbuf). */

#include <stdint.h>

static inline uint16_t
stun_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
stun_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t
stun_get64(const uint8_t *p)
{
	return (uint64_t)stun_get32(p) << 32 | stun_get32(p + 4);
}

static inline void
stun_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
stun_put32(uint8_t *p, uint32_t v)
{
	stun_put16(p, (uint16_t)(v >> 16));
	stun_put16(p + 2, (uint16_t)v);
}

static inline void
stun_put64(uint8_t *p, uint64_t v)
{
	stun_put32(p, (uint32_t)(v >> 32));
	stun_put32(p + 4, (uint32_t)v);
}

/* Attribute value lengths are padded to 4 on the wire. */
static inline uint32_t
stun_pad4(uint32_t n)
{
	return (n + 3) & ~3u;
}

#endif /* SRTPFWD_STUN_BYTES_H */
