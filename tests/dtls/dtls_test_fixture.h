/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_DTLS_TEST_FIXTURE_H
#define SRTPFWD_DTLS_TEST_FIXTURE_H

/*
 * What the cmocka handshake tests share: an engine with every profile, a
 * box connection and a browser (dtls_test_peer.h) that expect each other's
 * fingerprints, a handshake run to the end, and the keys checked against
 * the browser's exporter.
 */

#include <stdint.h>

#include "dtls_conn.h"
#include "dtls_engine.h"
#include "dtls_keys.h"
#include "dtls_test_peer.h"

#define T0 1000000u	/* the test clock starts here, in ms */

extern const char all_profiles[];

struct fixture {
	struct dtls_engine *e;
	struct dtls_conn *box;
	struct test_peer *peer;
};

/* Every profile, operator order CM_80, CM_32, GCM-128, GCM-256; mtu 0: the default. */
struct dtls_engine *engine_new(uint16_t mtu);
/* The box in role, a browser in the other role offering srtp, the right fingerprint. */
void fixture_new(struct fixture *f, struct dtls_engine *e, enum dtls_role role, const char *srtp,
		 const char *hash);
void fixture_free(struct fixture *f);
/* Starts both ends and pumps until quiet. */
void run_handshake(struct fixture *f, uint64_t now, pump_drop_fn drop, void *arg,
		   struct pump_result *r);
/*
 * The browser's exporter output, split by RFC 5764 §4.2, against the box's
 * keys (handed out once per handshake: a copy in *out when not NULL).
 */
void check_keys_out(struct fixture *f, enum srtp_profile expect, struct dtls_srtp_keys *out);
void check_keys(struct fixture *f, enum srtp_profile expect);

#endif /* SRTPFWD_DTLS_TEST_FIXTURE_H */
