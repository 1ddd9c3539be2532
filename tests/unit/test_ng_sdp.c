/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/ng's SDP side and its request keys: ng_params_parse() with rtpengine's
 * spellings (space, hyphen, underscore; case in values) and its errors;
 * ng_media_read() of real sections; and ng_sdp_write(): each thing the box
 * writes (address and port, profile, ICE-lite, DTLS, SDES, rtcp-mux, mid,
 * a refused section) seen in the output, everything else untouched.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ng/bencode.h"
#include "ng/ng_params.h"
#include "ng/ng_sdp.h"

static struct bencode_node nodes[256];
static struct bencode_doc doc;
static struct sdp sdp;
static char out[SDP_MAX_LEN * 2];

static const char webrtc_offer[] =
	"v=0\r\no=- 42 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
	"a=group:BUNDLE 0\r\na=ice-options:trickle\r\n"
	"m=audio 9 UDP/TLS/RTP/SAVPF 111 0\r\nc=IN IP4 198.18.0.2\r\n"
	"a=ice-ufrag:abcd\r\na=ice-pwd:0123456789012345678901\r\n"
	"a=candidate:1 1 udp 2122260223 198.18.0.2 5000 typ host\r\n"
	"a=fingerprint:sha-256 "
	"AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89\r\n"
	"a=setup:actpass\r\na=mid:0\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\n"
	"a=ssrc:1 cname:x\r\n";

static const char sip_offer[] =
	"v=0\r\no=alice 1 1 IN IP4 198.19.0.2\r\ns=-\r\nc=IN IP4 198.19.0.2\r\nt=0 0\r\n"
	"m=audio 6000 RTP/SAVP 8\r\na=rtpmap:8 PCMA/8000\r\n"
	"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\n"
	"a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\n";

static const struct bencode_node *
decode(const char *b)
{
	assert_int_equal(bencode_decode(&doc, nodes, 256, b, strlen(b)), 0);
	return bencode_root(&doc);
}

static void
params_spellings(void **state)
{
	/* rtpengine-ng-client writes "transport protocol" and "trust address"; Kamailio hyphens. */
	const struct bencode_node *r = decode(
		"d7:command5:offer7:call-id2:c18:from_tag1:a3:ICE6:remove4:DTLS2:no"
		"4:SDESl3:off26:no-AES_CM_128_HMAC_SHA1_32e18:transport protocol7:RTP/AVP"
		"8:rtcp-muxl5:demuxe7:replacel6:origin18:session-connectione"
		"9:directionl6:access4:coree5:flagsl13:trust address6:webrtc12:unknown-flage"
		"12:delete-delay1:5e");
	struct ng_params p;
	const char *why = NULL;

	(void)state;
	assert_int_equal(ng_params_parse(&doc, r, &p, &why), 0);
	assert_true(ng_str_is(p.call_id, "c1"));
	assert_true(ng_str_is(p.from_tag, "a"));
	assert_int_equal(p.ice, NG_ICE_REMOVE);
	assert_int_equal(p.dtls, NG_DTLS_OFF);
	assert_true(p.sdes.off);
	assert_true(ng_str_is(p.transport_protocol, "RTP/AVP"));
	assert_int_equal(p.rtcp_mux, NG_RTCP_MUX_DEMUX);
	assert_true(p.replace_origin && p.replace_session_connection);
	assert_int_equal(p.n_direction, 2);
	assert_true(ng_str_is(p.direction[1], "core"));
	assert_int_equal(p.flags, NG_FLAG_TRUST_ADDRESS | NG_FLAG_WEBRTC);
	assert_int_equal(p.delete_delay, 5);	/* a number sent as a string */
	assert_false(ng_sdes_allows(&p.sdes, "AES_CM_128_HMAC_SHA1_80"));	/* off */
}

static void
params_sdes_lists(void **state)
{
	const struct bencode_node *r = decode(
		"d7:command5:offer4:SDESl26:no-AES_CM_128_HMAC_SHA1_32ee");
	struct ng_params p;
	const char *why = NULL;

	(void)state;
	assert_int_equal(ng_params_parse(&doc, r, &p, &why), 0);
	assert_true(ng_sdes_allows(&p.sdes, "AES_CM_128_HMAC_SHA1_80"));
	assert_false(ng_sdes_allows(&p.sdes, "AES_CM_128_HMAC_SHA1_32"));
	r = decode("d4:SDESl21:only-AEAD_AES_128_GCMee");
	assert_int_equal(ng_params_parse(&doc, r, &p, &why), 0);
	assert_true(ng_sdes_allows(&p.sdes, "AEAD_AES_128_GCM"));
	assert_false(ng_sdes_allows(&p.sdes, "AES_CM_128_HMAC_SHA1_80"));
}

static void
params_errors(void **state)
{
	static const char *const bad[] = {
		"d3:ICE9:sometimese",		/* unknown ICE value */
		"d4:DTLS3:yese",
		"d5:flagsi3ee",			/* flags not a list */
		"d8:rtcp-muxl5:maybeee",	/* unknown rtcp-mux word */
		"d7:call-idi1ee",		/* call-id not a string */
		"d9:directionl1:a1:b1:cee",	/* three interfaces */
		"d13:received-froml3:IP4ee",	/* no address */
		"d12:delete-delayi-1ee",
	};
	struct ng_params p;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *why = NULL;

		assert_int_equal(ng_params_parse(&doc, decode(bad[i]), &p, &why), -EINVAL);
		assert_non_null(why);
	}
}

static void
media_read(void **state)
{
	struct ng_media_in in;
	const char *why = NULL;

	(void)state;
	assert_int_equal(sdp_parse(&sdp, webrtc_offer, strlen(webrtc_offer)), 0);
	assert_int_equal(ng_media_read(&sdp, 0, &in, &why), 0);
	assert_int_equal(in.sec, NG_SEC_DTLS);
	assert_true(in.ice && in.mux && in.has_setup && in.setup == SDP_SETUP_ACTPASS);
	assert_int_equal(in.fp.n, 32);
	assert_true(in.has_remote);
	assert_int_equal(sdp_parse(&sdp, sip_offer, strlen(sip_offer)), 0);
	assert_int_equal(ng_media_read(&sdp, 0, &in, &why), 0);
	assert_int_equal(in.sec, NG_SEC_SDES);
	assert_int_equal(in.n_crypto, 2);
	assert_false(in.ice || in.mux);
	assert_int_equal(ng_proto_sec((struct sdp_str){ "RTP/AVPF", 8 }), NG_SEC_RTP);
	assert_false(ng_proto_known((struct sdp_str){ "UDP/DTLS/SCTP", 13 }));
}

static void
box_addr(struct ng_media_out *mo, const char *a, uint16_t port)
{
	assert_int_equal(inet_addr_parse(a, &mo->addr), 0);
	mo->port = port;
}

/* WebRTC offer -> an RTP/AVP section: the browser's ICE, DTLS and mux go, codecs stay. */
static void
write_towards_sip(void **state)
{
	struct ng_session_out so = { .strip_ice = true, .strip_dtls = true, .strip_bundle = true,
				     .origin = true };
	struct ng_media_out mo = { .proto = "RTP/AVP", .terminate_ice = true,
				   .terminate_dtls = true, .terminate_sdes = true, .set_mux = true };

	(void)state;
	assert_int_equal(inet_addr_parse("198.19.0.1", &so.addr), 0);
	box_addr(&mo, "198.19.0.1", 30000);
	assert_int_equal(sdp_parse(&sdp, webrtc_offer, strlen(webrtc_offer)), 0);
	assert_true(ng_sdp_write(&sdp, &so, &mo, 1, out, sizeof(out)) > 0);
	assert_non_null(strstr(out, "o=- 42 2 IN IP4 198.19.0.1\r\n"));
	assert_non_null(strstr(out, "m=audio 30000 RTP/AVP 111 0\r\nc=IN IP4 198.19.0.1\r\n"));
	assert_non_null(strstr(out, "a=rtpmap:111 opus/48000/2\r\na=ssrc:1 cname:x\r\n"));
	assert_non_null(strstr(out, "a=rtcp:30000\r\n"));
	assert_non_null(strstr(out, "a=mid:0\r\n"));	/* kept: not the box's to drop */
	for (const char *gone = "ice-\0candidate\0fingerprint\0setup\0rtcp-mux\0group\0"; *gone;
	     gone += strlen(gone) + 1) {
		char needle[32];

		snprintf(needle, sizeof(needle), "a=%s", gone);
		assert_null(strstr(out, needle));
	}
}

/* An RTP/AVP answer -> the browser: ICE-lite, the box's DTLS, mux, the browser's mid. */
static void
write_towards_browser(void **state)
{
	static const char answer[] =
		"v=0\r\no=bob 7 7 IN IP4 198.19.0.2\r\ns=-\r\nc=IN IP4 198.19.0.2\r\nt=0 0\r\n"
		"m=audio 7000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
	struct ng_session_out so = { .ice_lite = true, .strip_dtls = true, .strip_bundle = true };
	struct ng_media_out mo = {
		.proto = "UDP/TLS/RTP/SAVPF", .terminate_ice = true, .ice = true,
		.ice_ufrag = "UfRg", .ice_pwd = "pppppppppppppppppppppp", .n_cand = 1,
		.terminate_dtls = true, .dtls = true, .fingerprint = "sha-256 AA:BB",
		.setup = "passive", .terminate_sdes = true, .set_mux = true, .mux = true,
		.mid = "0",
	};

	(void)state;
	assert_int_equal(inet_addr_parse("198.18.0.1", &so.addr), 0);
	box_addr(&mo, "198.18.0.1", 20000);
	mo.cand[0] = mo.addr;
	assert_int_equal(sdp_parse(&sdp, answer, strlen(answer)), 0);
	assert_true(ng_sdp_write(&sdp, &so, &mo, 1, out, sizeof(out)) > 0);
	assert_non_null(strstr(out, "o=bob 7 7 IN IP4 198.19.0.2\r\n"));	/* no replace origin */
	assert_non_null(strstr(out, "c=IN IP4 198.18.0.1\r\nt=0 0\r\na=ice-lite\r\n"));
	assert_non_null(strstr(out,
		"m=audio 20000 UDP/TLS/RTP/SAVPF 0\r\na=rtpmap:0 PCMU/8000\r\na=mid:0\r\n"
		"a=ice-ufrag:UfRg\r\na=ice-pwd:pppppppppppppppppppppp\r\n"
		"a=candidate:1 1 udp 2130706431 198.18.0.1 20000 typ host\r\n"
		"a=end-of-candidates\r\na=fingerprint:sha-256 AA:BB\r\na=setup:passive\r\n"
		"a=rtcp-mux\r\n"));
	assert_null(strstr(out, "a=rtcp:"));
}

/* SDES the box terminates: the party's a=crypto go, the box's come; e2e leaves them. */
static void
write_sdes(void **state)
{
	struct ng_session_out so = { 0 };
	struct ng_media_out mo = { .terminate_sdes = true, .n_crypto = 1 };

	(void)state;
	assert_int_equal(inet_addr_parse("198.18.0.1", &so.addr), 0);
	box_addr(&mo, "198.18.0.1", 20002);
	snprintf(mo.crypto[0], sizeof(mo.crypto[0]), "7 AEAD_AES_128_GCM inline:KEY");
	assert_int_equal(sdp_parse(&sdp, sip_offer, strlen(sip_offer)), 0);
	assert_true(ng_sdp_write(&sdp, &so, &mo, 1, out, sizeof(out)) > 0);
	assert_null(strstr(out, "WVNf"));
	assert_non_null(strstr(out, "a=crypto:7 AEAD_AES_128_GCM inline:KEY\r\n"));
	mo.terminate_sdes = false;
	mo.n_crypto = 0;
	assert_true(ng_sdp_write(&sdp, &so, &mo, 1, out, sizeof(out)) > 0);
	assert_non_null(strstr(out, "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNf"));
	assert_non_null(strstr(out, "a=crypto:2 "));
}

/* A refused section: port 0, the party's profile and mid, nothing of the box's. */
static void
write_refused(void **state)
{
	struct ng_session_out so = { 0 };
	struct ng_media_out mo = { .rejected = true, .proto = "UDP/TLS/RTP/SAVPF", .mid = "1" };

	(void)state;
	assert_int_equal(inet_addr_parse("198.18.0.1", &so.addr), 0);
	assert_int_equal(sdp_parse(&sdp, sip_offer, strlen(sip_offer)), 0);
	assert_true(ng_sdp_write(&sdp, &so, &mo, 1, out, sizeof(out)) > 0);
	assert_non_null(strstr(out, "m=audio 0 UDP/TLS/RTP/SAVPF 8\r\n"));
	assert_non_null(strstr(out, "a=mid:1\r\n"));
	assert_null(strstr(out, "198.18.0.1 "));
}

static void
write_too_small(void **state)
{
	struct ng_session_out so = { 0 };
	struct ng_media_out mo = { .terminate_ice = true };

	(void)state;
	assert_int_equal(inet_addr_parse("198.18.0.1", &so.addr), 0);
	box_addr(&mo, "198.18.0.1", 20004);
	assert_int_equal(sdp_parse(&sdp, webrtc_offer, strlen(webrtc_offer)), 0);
	assert_int_equal(ng_sdp_write(&sdp, &so, &mo, 1, out, 64), -ENOSPC);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(params_spellings),
		cmocka_unit_test(params_sdes_lists),
		cmocka_unit_test(params_errors),
		cmocka_unit_test(media_read),
		cmocka_unit_test(write_towards_sip),
		cmocka_unit_test(write_towards_browser),
		cmocka_unit_test(write_sdes),
		cmocka_unit_test(write_refused),
		cmocka_unit_test(write_too_small),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
