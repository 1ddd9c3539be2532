/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "srtp_kdf.h"

void
srtp_wipe(void *p, size_t len)
{
	OPENSSL_cleanse(p, len);
}

int
srtp_kdf_prf(const uint8_t *master_key, uint8_t key_len, const uint8_t *master_salt,
	     uint8_t salt_len, uint8_t label, uint8_t *out, uint16_t out_len)
{
	static const uint8_t zeros[64];
	const EVP_CIPHER *cipher;
	EVP_CIPHER_CTX *c;
	uint8_t iv[16] = { 0 };
	int ret = -ENOMEM, n;
	uint16_t done = 0;

	if (salt_len > 14 || out_len > 512)
		return -EINVAL;
	if (key_len == 16)
		cipher = EVP_aes_128_ctr();
	else if (key_len == 32)
		cipher = EVP_aes_256_ctr();
	else
		return -EINVAL;
	/* x = key_id XOR master_salt, key_id = label || r (r = 0 at KDR 0); IV = x * 2^16. */
	memcpy(iv, master_salt, salt_len);
	iv[7] ^= label;

	c = EVP_CIPHER_CTX_new();
	if (c == NULL)
		return -ENOMEM;
	if (EVP_EncryptInit_ex(c, cipher, NULL, master_key, iv) != 1)
		goto out;
	while (done < out_len) {
		uint16_t chunk = (uint16_t)(out_len - done < (int)sizeof(zeros) ? out_len - done : (int)sizeof(zeros));

		if (EVP_EncryptUpdate(c, out + done, &n, zeros, chunk) != 1 || n != chunk)
			goto out;
		done += chunk;
	}
	ret = 0;
out:
	EVP_CIPHER_CTX_free(c);
	srtp_wipe(iv, sizeof(iv));
	return ret;
}

int
srtp_kdf_derive(enum srtp_profile p, const uint8_t *master_key, const uint8_t *master_salt,
		bool rtcp, struct srtp_session_keys *out)
{
	const struct srtp_profile_info *pi = srtp_profile_info(p);
	uint8_t base = rtcp ? SRTP_LABEL_RTCP_ENC : SRTP_LABEL_RTP_ENC;
	int ret;

	if (pi == NULL)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->enc_key_len = pi->encrypts ? pi->master_key_len : 0;
	out->salt_len = pi->aead ? 12 : 14;
	out->auth_key_len = pi->aead ? 0 : SRTP_SESSION_AUTH_KEY_LEN;

	if (out->enc_key_len != 0) {
		ret = srtp_kdf_prf(master_key, pi->master_key_len, master_salt,
				   pi->master_salt_len, base, out->enc_key, out->enc_key_len);
		if (ret != 0)
			goto fail;
	}
	ret = srtp_kdf_prf(master_key, pi->master_key_len, master_salt, pi->master_salt_len,
			   base + 2, out->salt, out->salt_len);
	if (ret != 0)
		goto fail;
	if (out->auth_key_len != 0) {
		ret = srtp_kdf_prf(master_key, pi->master_key_len, master_salt,
				   pi->master_salt_len, base + 1, out->auth_key,
				   out->auth_key_len);
		if (ret != 0)
			goto fail;
	}
	return 0;
fail:
	srtp_wipe(out, sizeof(*out));
	return ret;
}
