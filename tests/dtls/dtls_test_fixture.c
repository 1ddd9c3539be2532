/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/ssl.h>

#include "dtls_test_fixture.h"

const char all_profiles[] =
	"SRTP_AES128_CM_SHA1_80:SRTP_AES128_CM_SHA1_32:SRTP_AEAD_AES_128_GCM:SRTP_AEAD_AES_256_GCM";

struct dtls_engine *
engine_new(uint16_t mtu)
{
	struct dtls_engine_conf conf = {
		.profiles = { SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80, SRTP_PROFILE_AES_CM_128_HMAC_SHA1_32,
			      SRTP_PROFILE_AEAD_AES_128_GCM, SRTP_PROFILE_AEAD_AES_256_GCM },
		.n_profiles = 4,
		.mtu = mtu,
	};
	struct dtls_engine *e = dtls_engine_create(&conf);

	assert_non_null(e);
	return e;
}

/* The box in role, a browser in the other role offering srtp, the right fingerprint. */
void
fixture_new(struct fixture *f, struct dtls_engine *e, enum dtls_role role, const char *srtp,
	    const char *hash)
{
	struct dtls_conn_conf cc = { .role = role, .peer_fp_hash = hash };
	char fp[DTLS_FP_STR_MAX];

	f->e = e;
	f->peer = test_peer_new(role == DTLS_ROLE_CLIENT, srtp);
	test_peer_fingerprint(f->peer, hash, fp, sizeof(fp));
	cc.peer_fp = fp;
	f->box = dtls_conn_create(e, &cc);
	assert_non_null(f->box);
}

void
fixture_free(struct fixture *f)
{
	dtls_conn_free(f->box);
	test_peer_free(f->peer);
}

/* Starts both ends and pumps until quiet. */
void
run_handshake(struct fixture *f, uint64_t now, pump_drop_fn drop, void *arg, struct pump_result *r)
{
	int ev = dtls_conn_start(f->box, now);

	assert_true(ev >= 0);
	test_peer_step(f->peer);
	pump(f->box, f->peer, now, drop, arg, r);
}

/*
 * The browser's exporter output, split by RFC 5764 §4.2, against the box's
 * keys (handed out once per handshake: a copy in *out when not NULL).
 */
void
check_keys_out(struct fixture *f, enum srtp_profile expect, struct dtls_srtp_keys *out)
{
	const struct srtp_profile_info *pi = srtp_profile_info(expect);
	size_t k = pi->master_key_len, s = pi->master_salt_len, n = 2 * (k + s);
	uint8_t km[DTLS_SRTP_KEYING_MAX];
	struct dtls_srtp_keys keys;
	const uint8_t *our_key, *our_salt, *their_key, *their_salt;
	bool box_server = f->peer->is_server == false;

	assert_int_equal(dtls_conn_export_keys(f->box, &keys), 0);
	assert_int_equal(keys.profile, expect);
	assert_int_equal(keys.key_len, k);
	assert_int_equal(keys.salt_len, s);
	assert_int_equal(SSL_export_keying_material(f->peer->ssl, km, n, "EXTRACTOR-dtls_srtp", 19,
						    NULL, 0, 0), 1);
	/* client_key | server_key | client_salt | server_salt */
	our_key = box_server ? km + k : km;
	their_key = box_server ? km : km + k;
	our_salt = box_server ? km + 2 * k + s : km + 2 * k;
	their_salt = box_server ? km + 2 * k : km + 2 * k + s;
	assert_memory_equal(keys.local_key, our_key, k);
	assert_memory_equal(keys.local_salt, our_salt, s);
	assert_memory_equal(keys.remote_key, their_key, k);
	assert_memory_equal(keys.remote_salt, their_salt, s);
	assert_memory_not_equal(keys.local_key, keys.remote_key, k);
	if (out != NULL)
		*out = keys;
	dtls_srtp_keys_wipe(&keys);
	/* Once: the connection kept no copy. */
	assert_int_equal(dtls_conn_export_keys(f->box, &keys), -ENOTCONN);
}

void
check_keys(struct fixture *f, enum srtp_profile expect)
{
	check_keys_out(f, expect, NULL);
}
