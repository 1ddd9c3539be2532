/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_STUN_SHA1_H
#define SRTPFWD_STUN_SHA1_H

/*
 * SHA-1 for MESSAGE-INTEGRITY: the SHA-NI instructions when the CPU has them
 * (cpuid, read once when the program loads), else portable C. Both are kept
 * selectable so that tests and benchmarks run each.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STUN_SHA1_BLOCK 64
#define STUN_SHA1_LEN 20

enum stun_sha1_impl {
	STUN_SHA1_PORTABLE,
	STUN_SHA1_SHANI,
};

/* Use impl from now on (all threads); false, and nothing changes, if the CPU lacks it. */
bool stun_sha1_select(enum stun_sha1_impl impl);
enum stun_sha1_impl stun_sha1_selected(void);
bool stun_sha1_shani_supported(void);
const char *stun_sha1_impl_name(enum stun_sha1_impl impl);

/* Plain SHA-1 of p[0..n). */
void stun_sha1(const uint8_t *p, size_t n, uint8_t out[STUN_SHA1_LEN]);

/* Streaming SHA-1 over the selected compression function (HMAC resumes from a key state). */
struct stun_sha1_ctx {
	uint32_t h[5];
	uint64_t total;		/* bytes hashed so far */
	uint32_t fill;		/* bytes waiting in block */
	uint8_t block[STUN_SHA1_BLOCK];
};

void stun_sha1_init(struct stun_sha1_ctx *c);
/* Resume from a state that has hashed exactly one block (an HMAC pad). */
void stun_sha1_resume(struct stun_sha1_ctx *c, const uint32_t h[5]);
void stun_sha1_update(struct stun_sha1_ctx *c, const uint8_t *p, size_t n);
void stun_sha1_final(struct stun_sha1_ctx *c, uint8_t out[STUN_SHA1_LEN]);
/* n whole blocks into h: the compression function now selected. */
void stun_sha1_blocks(uint32_t h[5], const uint8_t *p, size_t n);

/* The two implementations (for the dispatcher and the tests). */
void stun_sha1_blocks_portable(uint32_t h[5], const uint8_t *p, size_t n);
void stun_sha1_blocks_shani(uint32_t h[5], const uint8_t *p, size_t n);

#endif /* SRTPFWD_STUN_SHA1_H */
