/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>

#include "srtp_profile.h"

static const struct srtp_profile_info profiles[SRTP_PROFILE_MAX] = {
	[SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80] = {
		.sdes_name = "AES_CM_128_HMAC_SHA1_80",
		.dtls_name = "SRTP_AES128_CM_SHA1_80",
		.master_key_len = 16, .master_salt_len = 14,
		.rtp_tag_len = 10, .rtcp_tag_len = 10,
		.aead = false, .encrypts = true,
	},
	[SRTP_PROFILE_AES_CM_128_HMAC_SHA1_32] = {
		.sdes_name = "AES_CM_128_HMAC_SHA1_32",
		.dtls_name = "SRTP_AES128_CM_SHA1_32",
		.master_key_len = 16, .master_salt_len = 14,
		.rtp_tag_len = 4, .rtcp_tag_len = 10,
		.aead = false, .encrypts = true,
	},
	[SRTP_PROFILE_AEAD_AES_128_GCM] = {
		.sdes_name = "AEAD_AES_128_GCM",
		.dtls_name = "SRTP_AEAD_AES_128_GCM",
		.master_key_len = 16, .master_salt_len = 12,
		.rtp_tag_len = 16, .rtcp_tag_len = 16,
		.aead = true, .encrypts = true,
	},
	[SRTP_PROFILE_AEAD_AES_256_GCM] = {
		.sdes_name = "AEAD_AES_256_GCM",
		.dtls_name = "SRTP_AEAD_AES_256_GCM",
		.master_key_len = 32, .master_salt_len = 12,
		.rtp_tag_len = 16, .rtcp_tag_len = 16,
		.aead = true, .encrypts = true,
	},
	[SRTP_PROFILE_NULL_HMAC_SHA1_80] = {
		.sdes_name = "NULL_HMAC_SHA1_80",
		.dtls_name = "SRTP_NULL_HMAC_SHA1_80",
		/* libsrtp2 and RFC 5764 derive the auth key with AES-CM-128. */
		.master_key_len = 16, .master_salt_len = 14,
		.rtp_tag_len = 10, .rtcp_tag_len = 10,
		.aead = false, .encrypts = false,
	},
};

const struct srtp_profile_info *
srtp_profile_info(enum srtp_profile p)
{
	if ((unsigned int)p >= SRTP_PROFILE_MAX)
		return NULL;
	return &profiles[p];
}

int
srtp_profile_from_name(const char *name, enum srtp_profile *p)
{
	unsigned int i;

	if (name == NULL)
		return -EINVAL;
	for (i = 0; i < SRTP_PROFILE_MAX; i++) {
		if (strcmp(name, profiles[i].sdes_name) == 0 ||
		    strcmp(name, profiles[i].dtls_name) == 0) {
			*p = (enum srtp_profile)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *
srtp_profile_name(enum srtp_profile p)
{
	const struct srtp_profile_info *pi = srtp_profile_info(p);

	return pi == NULL ? "unknown" : pi->sdes_name;
}

static int
b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int
srtp_base64_decode(const char *in, size_t in_len, uint8_t *out, size_t out_size)
{
	uint32_t acc = 0;
	unsigned int bits = 0;
	size_t n = 0, i, pad = 0;

	for (i = 0; i < in_len; i++) {
		int v;

		if (in[i] == '=') {
			pad++;
			continue;
		}
		/* Nothing but padding may follow padding. */
		if (pad != 0)
			return -EINVAL;
		v = b64_value(in[i]);
		if (v < 0)
			return -EINVAL;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n == out_size)
				return -ENOSPC;
			out[n++] = (uint8_t)(acc >> bits);
		}
	}
	/* A lone trailing character carries less than a byte; so do > 2 pads. */
	if (bits >= 6 || pad > 2)
		return -EINVAL;
	return (int)n;
}

int
srtp_parse_inline_key(enum srtp_profile p, const char *param, uint8_t *key, uint8_t *salt)
{
	const struct srtp_profile_info *pi = srtp_profile_info(p);
	uint8_t buf[SRTP_MASTER_KEY_MAX + SRTP_MASTER_SALT_MAX + 1];
	const char *b64, *end;
	int n;

	if (pi == NULL || param == NULL || strncmp(param, "inline:", 7) != 0)
		return -EINVAL;
	b64 = param + 7;
	end = strchr(b64, '|');
	if (end == NULL) {
		end = b64 + strlen(b64);
	} else {
		/* "|lifetime" may follow; "|MKI:length" has a colon: refused. */
		const char *second = strchr(end + 1, '|');

		if (strchr(end + 1, ':') != NULL || second != NULL)
			return -EINVAL;
	}
	n = srtp_base64_decode(b64, (size_t)(end - b64), buf, sizeof(buf));
	if (n != pi->master_key_len + pi->master_salt_len) {
		memset(buf, 0, sizeof(buf));
		return -EINVAL;
	}
	memcpy(key, buf, pi->master_key_len);
	memcpy(salt, buf + pi->master_key_len, pi->master_salt_len);
	memset(buf, 0, sizeof(buf));
	return 0;
}
