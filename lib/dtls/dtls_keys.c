/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "dtls_keys.h"
#include "dtls_priv.h"

int
dtls_srtp_keys_split(enum srtp_profile p, enum dtls_role role, const uint8_t *km,
		     size_t km_len, struct dtls_srtp_keys *out)
{
	const struct srtp_profile_info *pi = srtp_profile_info(p);
	const uint8_t *ck, *sk, *cs, *ss;
	size_t k, s;

	if (pi == NULL || km == NULL)
		return -EINVAL;
	k = pi->master_key_len;
	s = pi->master_salt_len;
	if (km_len != 2 * (k + s))
		return -EINVAL;
	/* RFC 5764 §4.2: client_key | server_key | client_salt | server_salt. */
	ck = km;
	sk = km + k;
	cs = km + 2 * k;
	ss = km + 2 * k + s;
	memset(out, 0, sizeof(*out));
	out->profile = p;
	out->key_len = (uint8_t)k;
	out->salt_len = (uint8_t)s;
	memcpy(out->local_key, role == DTLS_ROLE_CLIENT ? ck : sk, k);
	memcpy(out->local_salt, role == DTLS_ROLE_CLIENT ? cs : ss, s);
	memcpy(out->remote_key, role == DTLS_ROLE_CLIENT ? sk : ck, k);
	memcpy(out->remote_salt, role == DTLS_ROLE_CLIENT ? ss : cs, s);
	return 0;
}

int
dtls_conn_export_keys(struct dtls_conn *c, struct dtls_srtp_keys *out)
{
	int ret;

	if (c->state != DTLS_STATE_CONNECTED || c->km_len == 0)
		return -ENOTCONN;
	ret = dtls_srtp_keys_split(c->profile, c->role, c->km, c->km_len, out);
	/* Handed out once: our copy goes now. */
	OPENSSL_cleanse(c->km, sizeof(c->km));
	c->km_len = 0;
	return ret;
}

void
dtls_srtp_keys_wipe(struct dtls_srtp_keys *k)
{
	OPENSSL_cleanse(k, sizeof(*k));
}
