/* SPDX-License-Identifier: BSD-3-Clause */
/* SHA-1 (FIPS 180-4): the portable compression function, the stream around it, the choice. */
#include <cpuid.h>
#include <string.h>

#include "stun_bytes.h"
#include "stun_sha1.h"

static const uint32_t sha1_iv[5] = {
	0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0,
};

static inline uint32_t
rol32(uint32_t x, unsigned int n)
{
	return x << n | x >> (32 - n);
}

/* One round; w is the schedule word of round t. */
#define SHA1_ROUND(a, b, c, d, e, f, k, w) do { \
	(e) += rol32(a, 5) + (f) + (k) + (w); \
	(b) = rol32(b, 30); \
} while (0)

static void
sha1_block_portable(uint32_t h[5], const uint8_t *p)
{
	uint32_t w[16], a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], t;

	for (unsigned int i = 0; i < 16; i++)
		w[i] = stun_get32(p + 4 * i);
	for (unsigned int i = 0; i < 80; i++) {
		uint32_t f, k;

		if (i >= 16)
			w[i & 15] = rol32(w[(i - 3) & 15] ^ w[(i - 8) & 15] ^
					  w[(i - 14) & 15] ^ w[i & 15], 1);
		if (i < 20) {
			f = d ^ (b & (c ^ d));
			k = 0x5a827999;
		} else if (i < 40) {
			f = b ^ c ^ d;
			k = 0x6ed9eba1;
		} else if (i < 60) {
			f = (b & c) | (d & (b | c));
			k = 0x8f1bbcdc;
		} else {
			f = b ^ c ^ d;
			k = 0xca62c1d6;
		}
		SHA1_ROUND(a, b, c, d, e, f, k, w[i & 15]);
		/* Rotate the names instead of unrolling five ways. */
		t = e;
		e = d;
		d = c;
		c = b;
		b = a;
		a = t;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

void
stun_sha1_blocks_portable(uint32_t h[5], const uint8_t *p, size_t n)
{
	for (; n > 0; n--, p += STUN_SHA1_BLOCK)
		sha1_block_portable(h, p);
}

bool
stun_sha1_shani_supported(void)
{
	unsigned int a, b, c, d;

	/* SHA-NI uses SSSE3 (pshufb) and SSE4.1 (pextrd) besides the SHA extensions. */
	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSSE3) || !(c & bit_SSE4_1))
		return false;
	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
		return false;
	return (b & bit_SHA) != 0;
}

/*
 * The compression function every HMAC uses. Set when the program loads
 * (before any worker runs), changed only by stun_sha1_select(): relaxed
 * atomics, so a test switching it is no data race.
 */
static void (*sha1_blocks_fn)(uint32_t h[5], const uint8_t *p, size_t n) =
	stun_sha1_blocks_portable;

static void __attribute__((constructor))
sha1_choose(void)
{
	if (stun_sha1_shani_supported())
		__atomic_store_n(&sha1_blocks_fn, stun_sha1_blocks_shani, __ATOMIC_RELAXED);
}

bool
stun_sha1_select(enum stun_sha1_impl impl)
{
	if (impl == STUN_SHA1_SHANI && !stun_sha1_shani_supported())
		return false;
	__atomic_store_n(&sha1_blocks_fn, impl == STUN_SHA1_SHANI ?
			 stun_sha1_blocks_shani : stun_sha1_blocks_portable, __ATOMIC_RELAXED);
	return true;
}

enum stun_sha1_impl
stun_sha1_selected(void)
{
	return __atomic_load_n(&sha1_blocks_fn, __ATOMIC_RELAXED) == stun_sha1_blocks_shani ?
		STUN_SHA1_SHANI : STUN_SHA1_PORTABLE;
}

const char *
stun_sha1_impl_name(enum stun_sha1_impl impl)
{
	return impl == STUN_SHA1_SHANI ? "sha-ni" : "portable";
}

void
stun_sha1_blocks(uint32_t h[5], const uint8_t *p, size_t n)
{
	__atomic_load_n(&sha1_blocks_fn, __ATOMIC_RELAXED)(h, p, n);
}

void
stun_sha1_init(struct stun_sha1_ctx *c)
{
	memcpy(c->h, sha1_iv, sizeof(c->h));
	c->total = 0;
	c->fill = 0;
}

void
stun_sha1_resume(struct stun_sha1_ctx *c, const uint32_t h[5])
{
	memcpy(c->h, h, sizeof(c->h));
	c->total = STUN_SHA1_BLOCK;
	c->fill = 0;
}

void
stun_sha1_update(struct stun_sha1_ctx *c, const uint8_t *p, size_t n)
{
	c->total += n;
	if (c->fill > 0) {
		size_t take = STUN_SHA1_BLOCK - c->fill < n ? STUN_SHA1_BLOCK - c->fill : n;

		memcpy(c->block + c->fill, p, take);
		c->fill += (uint32_t)take;
		p += take;
		n -= take;
		if (c->fill < STUN_SHA1_BLOCK)
			return;
		stun_sha1_blocks(c->h, c->block, 1);
		c->fill = 0;
	}
	if (n >= STUN_SHA1_BLOCK) {
		stun_sha1_blocks(c->h, p, n / STUN_SHA1_BLOCK);
		p += n & ~(size_t)(STUN_SHA1_BLOCK - 1);
		n &= STUN_SHA1_BLOCK - 1;
	}
	memcpy(c->block, p, n);
	c->fill = (uint32_t)n;
}

void
stun_sha1_final(struct stun_sha1_ctx *c, uint8_t out[STUN_SHA1_LEN])
{
	uint64_t bits = c->total * 8;

	c->block[c->fill++] = 0x80;
	if (c->fill > STUN_SHA1_BLOCK - 8) {
		memset(c->block + c->fill, 0, STUN_SHA1_BLOCK - c->fill);
		stun_sha1_blocks(c->h, c->block, 1);
		c->fill = 0;
	}
	memset(c->block + c->fill, 0, STUN_SHA1_BLOCK - 8 - c->fill);
	stun_put64(c->block + STUN_SHA1_BLOCK - 8, bits);
	stun_sha1_blocks(c->h, c->block, 1);
	for (unsigned int i = 0; i < 5; i++)
		stun_put32(out + 4 * i, c->h[i]);
}

void
stun_sha1(const uint8_t *p, size_t n, uint8_t out[STUN_SHA1_LEN])
{
	struct stun_sha1_ctx c;

	stun_sha1_init(&c);
	stun_sha1_update(&c, p, n);
	stun_sha1_final(&c, out);
}
