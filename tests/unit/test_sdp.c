/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/sdp: round trips of real offers (Chromium audio+video BUNDLE, Firefox,
 * a SIP phone's RTP/AVP, an SDES RTP/SAVP one), each typed reader, each edit's
 * effect on the written text, the limits, and malformed input (truncation at
 * every byte of an offer included).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sdp/sdp.h"

/* Chromium's shape (M120+): audio and video bundled, ICE, DTLS, trickle candidates. */
static const char chromium_offer[] =
	"v=0\r\n"
	"o=- 4215883542127467113 2 IN IP4 127.0.0.1\r\n"
	"s=-\r\n"
	"t=0 0\r\n"
	"a=group:BUNDLE 0 1\r\n"
	"a=extmap-allow-mixed\r\n"
	"a=msid-semantic: WMS 9c3c5c4e-4b6e-4f9a-8a53-3b1f1e6d2a10\r\n"
	"m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126\r\n"
	"c=IN IP4 0.0.0.0\r\n"
	"a=rtcp:9 IN IP4 0.0.0.0\r\n"
	"a=candidate:1467250027 1 udp 2122260223 198.18.0.2 53012 typ host generation 0"
	" network-id 1\r\n"
	"a=candidate:2999745851 1 udp 1686052607 198.19.7.7 53012 typ srflx raddr 198.18.0.2"
	" rport 53012 generation 0 network-id 1\r\n"
	"a=ice-ufrag:Lx7Q\r\n"
	"a=ice-pwd:r9ZtmRp1VqYvYw4uKqkXJ0Sb\r\n"
	"a=ice-options:trickle\r\n"
	"a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:"
	"DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08\r\n"
	"a=setup:actpass\r\n"
	"a=mid:0\r\n"
	"a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n"
	"a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time\r\n"
	"a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01\r\n"
	"a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n"
	"a=sendrecv\r\n"
	"a=msid:9c3c5c4e-4b6e-4f9a-8a53-3b1f1e6d2a10 5d2f4e1a-7b3c-4c2d-9e8f-1a2b3c4d5e6f\r\n"
	"a=rtcp-mux\r\n"
	"a=rtpmap:111 opus/48000/2\r\n"
	"a=rtcp-fb:111 transport-cc\r\n"
	"a=fmtp:111 minptime=10;useinbandfec=1\r\n"
	"a=rtpmap:63 red/48000/2\r\n"
	"a=fmtp:63 111/111\r\n"
	"a=rtpmap:9 G722/8000\r\n"
	"a=rtpmap:0 PCMU/8000\r\n"
	"a=rtpmap:8 PCMA/8000\r\n"
	"a=rtpmap:13 CN/8000\r\n"
	"a=rtpmap:110 telephone-event/48000\r\n"
	"a=rtpmap:126 telephone-event/8000\r\n"
	"a=ssrc:3735928559 cname:Zr3sQ1mWkE8pY0aB\r\n"
	"a=ssrc:3735928559 msid:9c3c5c4e-4b6e-4f9a-8a53-3b1f1e6d2a10"
	" 5d2f4e1a-7b3c-4c2d-9e8f-1a2b3c4d5e6f\r\n"
	"m=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103 45 46\r\n"
	"c=IN IP4 0.0.0.0\r\n"
	"a=rtcp:9 IN IP4 0.0.0.0\r\n"
	"a=ice-ufrag:Lx7Q\r\n"
	"a=ice-pwd:r9ZtmRp1VqYvYw4uKqkXJ0Sb\r\n"
	"a=ice-options:trickle\r\n"
	"a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:"
	"DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08\r\n"
	"a=setup:actpass\r\n"
	"a=mid:1\r\n"
	"a=extmap:14 urn:ietf:params:rtp-hdrext:toffset\r\n"
	"a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time\r\n"
	"a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n"
	"a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id\r\n"
	"a=sendrecv\r\n"
	"a=msid:9c3c5c4e-4b6e-4f9a-8a53-3b1f1e6d2a10 0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0\r\n"
	"a=rtcp-mux\r\n"
	"a=rtcp-rsize\r\n"
	"a=rtpmap:96 VP8/90000\r\n"
	"a=rtcp-fb:96 goog-remb\r\n"
	"a=rtcp-fb:96 transport-cc\r\n"
	"a=rtcp-fb:96 ccm fir\r\n"
	"a=rtcp-fb:96 nack\r\n"
	"a=rtcp-fb:96 nack pli\r\n"
	"a=rtpmap:97 rtx/90000\r\n"
	"a=fmtp:97 apt=96\r\n"
	"a=rtpmap:102 H264/90000\r\n"
	"a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f\r\n"
	"a=rtpmap:103 rtx/90000\r\n"
	"a=fmtp:103 apt=102\r\n"
	"a=rtpmap:45 AV1/90000\r\n"
	"a=fmtp:45 level-idx=5;profile=0;tier=0\r\n"
	"a=rtpmap:46 rtx/90000\r\n"
	"a=fmtp:46 apt=45\r\n"
	"a=ssrc-group:FID 2271560213 1094827589\r\n"
	"a=ssrc:2271560213 cname:Zr3sQ1mWkE8pY0aB\r\n"
	"a=ssrc:1094827589 cname:Zr3sQ1mWkE8pY0aB\r\n";

/* Firefox's shape: session-level fingerprint, ICE at session level, LF endings. */
static const char firefox_offer[] =
	"v=0\n"
	"o=mozilla...THIS_IS_SDPARTA-99.0 5104367498291127745 0 IN IP4 0.0.0.0\n"
	"s=-\n"
	"t=0 0\n"
	"a=fingerprint:sha-256 0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9:"
	"0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9\n"
	"a=group:BUNDLE 0\n"
	"a=ice-options:trickle\n"
	"a=msid-semantic:WMS *\n"
	"m=audio 9 UDP/TLS/RTP/SAVPF 109 9 0 8 101\n"
	"c=IN IP4 0.0.0.0\n"
	"a=candidate:0 1 UDP 2122252543 198.18.0.3 41234 typ host\n"
	"a=candidate:1 1 TCP 2105524479 198.18.0.3 9 typ host tcptype active\n"
	"a=sendrecv\n"
	"a=end-of-candidates\n"
	"a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\n"
	"a=extmap:3 urn:ietf:params:rtp-hdrext:sdes:mid\n"
	"a=fmtp:109 maxplaybackrate=48000;stereo=1;useinbandfec=1\n"
	"a=fmtp:101 0-15\n"
	"a=ice-pwd:0f3a1c2b4d5e6f708192a3b4c5d6e7f8\n"
	"a=ice-ufrag:9ab3c7d1\n"
	"a=mid:0\n"
	"a=msid:{5f3a2b1c-0d9e-4f8a-b7c6-d5e4f3a2b1c0} {1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d}\n"
	"a=rtcp-mux\n"
	"a=rtpmap:109 opus/48000/2\n"
	"a=rtpmap:9 G722/8000/1\n"
	"a=rtpmap:0 PCMU/8000\n"
	"a=rtpmap:8 PCMA/8000\n"
	"a=rtpmap:101 telephone-event/8000\n"
	"a=setup:actpass\n"
	"a=ssrc:1318826537 cname:{8c1c5e2a-3b4d-4e6f-8a9b-0c1d2e3f4a5b}\n";

/* A SIP phone: plain RTP/AVP, session-level c=, separate RTCP port. */
static const char sip_offer[] =
	"v=0\r\n"
	"o=root 1823463922 1823463922 IN IP4 198.18.1.10\r\n"
	"s=Asterisk PBX 18.10.0\r\n"
	"c=IN IP4 198.18.1.10\r\n"
	"b=CT:384\r\n"
	"t=0 0\r\n"
	"m=audio 16384 RTP/AVP 0 8 101\r\n"
	"a=rtpmap:0 PCMU/8000\r\n"
	"a=rtpmap:8 PCMA/8000\r\n"
	"a=rtpmap:101 telephone-event/8000\r\n"
	"a=fmtp:101 0-16\r\n"
	"a=ptime:20\r\n"
	"a=maxptime:150\r\n"
	"a=sendrecv\r\n";

/* SDES-SRTP (RFC 4568): two crypto lines, one with lifetime and MKI. */
static const char sdes_offer[] =
	"v=0\r\n"
	"o=- 20518 0 IN IP6 2001:2::10\r\n"
	"s=SDP Seminar\r\n"
	"i=SDES offer\r\n"
	"t=0 0\r\n"
	"m=audio 49170/2 RTP/SAVP 0 101\r\n"
	"i=speech\r\n"
	"c=IN IP6 2001:2::10\r\n"
	"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:4\r\n"
	"a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj|2^20|1:4;"
	"inline:QUJjZGVmMTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5|2^20|2:4 FEC_ORDER=FEC_SRTP\r\n"
	"a=rtpmap:0 PCMU/8000\r\n"
	"a=rtpmap:101 telephone-event/8000\r\n"
	"a=rtcp:49171\r\n";

#define HEAD "v=0\r\no=- 1 1 IN IP4 1.1.1.1\r\ns=-\r\nt=0 0\r\n"

static struct sdp sdp;
static char out[SDP_MAX_LEN * 2];

static int
parse(const char *text)
{
	return sdp_parse(&sdp, text, strlen(text));
}

/* text with every LF made CRLF (the writer's line ending). */
static const char *
crlf(const char *text)
{
	static char buf[SDP_MAX_LEN * 2];
	size_t n = 0;

	for (; *text != '\0'; text++) {
		if (*text == '\n' && (n == 0 || buf[n - 1] != '\r'))
			buf[n++] = '\r';
		buf[n++] = *text;
	}
	buf[n] = '\0';
	return buf;
}

static void
assert_str(struct sdp_str s, const char *want)
{
	char got[SDP_MAX_LINE_LEN + 1];

	assert_true(s.len <= SDP_MAX_LINE_LEN);
	memcpy(got, s.p, s.len);
	got[s.len] = '\0';
	assert_string_equal(got, want);
}

static void
round_trip(const char *text, unsigned int n_media)
{
	assert_int_equal(parse(text), 0);
	assert_int_equal(sdp.n_media, n_media);
	assert_int_equal(sdp_write(&sdp, NULL, out, sizeof(out)), strlen(crlf(text)));
	assert_string_equal(out, crlf(text));
}

static void
test_round_trips(void **state)
{
	(void)state;
	round_trip(chromium_offer, 2);
	round_trip(firefox_offer, 1);
	round_trip(sip_offer, 1);
	round_trip(sdes_offer, 1);
}

static void
test_structure(void **state)
{
	const struct sdp_media *a, *v;

	(void)state;
	assert_int_equal(parse(chromium_offer), 0);
	assert_str(sdp.origin.username, "-");
	assert_str(sdp.origin.sess_id, "4215883542127467113");
	assert_str(sdp.origin.sess_version, "2");
	assert_str(sdp.origin.addrtype, "IP4");
	assert_str(sdp.origin.addr, "127.0.0.1");
	assert_str(sdp.session_name, "-");
	assert_int_equal(sdp.session.c_line, -1);
	assert_int_equal(sdp.session.n_attrs, 3);
	a = &sdp.media[0];
	v = &sdp.media[1];
	assert_str(a->media, "audio");
	assert_int_equal(a->port, 9);
	assert_int_equal(a->port_count, 0);
	assert_str(a->proto, "UDP/TLS/RTP/SAVPF");
	assert_int_equal(a->n_fmt, 8);
	assert_str(a->fmt[0], "111");
	assert_str(a->fmt[7], "126");
	assert_str(a->sec.conn.addr, "0.0.0.0");
	assert_str(v->media, "video");
	assert_int_equal(v->n_fmt, 6);
	assert_int_equal(v->sec.first, a->sec.first + a->sec.n_lines);
	assert_int_equal(v->sec.first + v->sec.n_lines, sdp.n_lines);

	assert_int_equal(parse(sdes_offer), 0);
	assert_int_equal(sdp.media[0].port, 49170);
	assert_int_equal(sdp.media[0].port_count, 2);
	assert_str(sdp.media[0].sec.conn.addrtype, "IP6");
	assert_str(sdp.media[0].sec.conn.addr, "2001:2::10");
	assert_int_equal(parse(sip_offer), 0);
	assert_str(sdp.session.conn.addr, "198.18.1.10");
	assert_int_equal(sdp.media[0].sec.c_line, -1);
}

static void
test_ice_attrs(void **state)
{
	const struct sdp_section *a;
	struct sdp_candidate c;
	struct sdp_str s;
	int i;

	(void)state;
	assert_int_equal(parse(chromium_offer), 0);
	a = &sdp.media[0].sec;
	assert_int_equal(sdp_ice_ufrag(&sdp, a, &s), 0);
	assert_str(s, "Lx7Q");
	assert_int_equal(sdp_ice_pwd(&sdp, a, &s), 0);
	assert_str(s, "r9ZtmRp1VqYvYw4uKqkXJ0Sb");
	assert_int_equal(sdp_ice_options(&sdp, a, &s), 0);
	assert_str(s, "trickle");
	assert_false(sdp_attr_has(&sdp, &sdp.session, "ice-lite"));
	assert_false(sdp_attr_has(&sdp, a, "end-of-candidates"));
	assert_int_equal(sdp_ice_ufrag(&sdp, &sdp.session, &s), -ENOENT);

	i = sdp_attr_find(&sdp, a, "candidate", 0);
	assert_true(i > 0);
	assert_int_equal(sdp_parse_candidate(sdp.lines[i].value, &c), 0);
	assert_str(c.foundation, "1467250027");
	assert_int_equal(c.component, 1);
	assert_str(c.transport, "udp");
	assert_int_equal(c.priority, 2122260223u);
	assert_str(c.addr, "198.18.0.2");
	assert_int_equal(c.port, 53012);
	assert_str(c.type, "host");
	assert_int_equal(c.rel_addr.len, 0);
	assert_str(c.extensions, "generation 0 network-id 1");
	i = sdp_attr_find(&sdp, a, "candidate", i + 1);
	assert_int_equal(sdp_parse_candidate(sdp.lines[i].value, &c), 0);
	assert_str(c.type, "srflx");
	assert_str(c.rel_addr, "198.18.0.2");
	assert_int_equal(c.rel_port, 53012);
	assert_int_equal(sdp_attr_find(&sdp, a, "candidate", i + 1), -ENOENT);

	assert_int_equal(parse(firefox_offer), 0);
	a = &sdp.media[0].sec;
	assert_true(sdp_attr_has(&sdp, a, "end-of-candidates"));
	assert_int_equal(sdp_ice_ufrag(&sdp, a, &s), 0);
	assert_str(s, "9ab3c7d1");
	assert_int_equal(sdp_ice_options(&sdp, &sdp.session, &s), 0);
	i = sdp_attr_find(&sdp, a, "candidate", 0);
	i = sdp_attr_find(&sdp, a, "candidate", i + 1);
	assert_int_equal(sdp_parse_candidate(sdp.lines[i].value, &c), 0);
	assert_str(c.transport, "TCP");
	assert_str(c.extensions, "tcptype active");

	/* Malformed candidates and credentials. */
	static const char *const bad_cand[] = {
		"1 1 udp 1 198.18.0.2 5000 host", "1 0 udp 1 198.18.0.2 5000 typ host",
		"1 1 udp 4294967296 198.18.0.2 5000 typ host", "1 1 udp 1 198.18.0.2 65536 typ host",
		"1 1 udp 1 198.18.0.2 5000 typ host ", "1 1 udp 1 198.18.0.2 5000 typ",
		"1 1 udp 1 198.18.0.2 5000 typ srflx raddr 1.2.3.4 rport", "",
	};
	for (i = 0; i < (int)(sizeof(bad_cand) / sizeof(bad_cand[0])); i++) {
		struct sdp_str v = { bad_cand[i], strlen(bad_cand[i]) };

		assert_int_equal(sdp_parse_candidate(v, &c), -EINVAL);
	}
	assert_int_equal(parse("v=0\r\no=- 1 1 IN IP4 1.1.1.1\r\ns=-\r\nt=0 0\r\n"
		"a=ice-ufrag:ab\r\na=ice-pwd:short\r\n"), 0);
	assert_int_equal(sdp_ice_ufrag(&sdp, &sdp.session, &s), -EINVAL);
	assert_int_equal(sdp_ice_pwd(&sdp, &sdp.session, &s), -EINVAL);
}

static void
test_dtls_attrs(void **state)
{
	struct sdp_fingerprint fp;
	enum sdp_setup setup;
	struct sdp_str v;

	(void)state;
	assert_int_equal(parse(chromium_offer), 0);
	assert_int_equal(sdp_fingerprint(&sdp, &sdp.media[1].sec, &fp), 0);
	assert_str(fp.hash, "sha-256");
	assert_int_equal(fp.n, 32);
	assert_int_equal(fp.digest[0], 0x7b);
	assert_int_equal(fp.digest[31], 0x08);
	assert_int_equal(sdp_setup(&sdp, &sdp.media[0].sec, &setup), 0);
	assert_int_equal(setup, SDP_SETUP_ACTPASS);
	assert_int_equal(sdp_fingerprint(&sdp, &sdp.session, &fp), -ENOENT);
	assert_int_equal(parse(firefox_offer), 0);
	assert_int_equal(sdp_fingerprint(&sdp, &sdp.session, &fp), 0);
	assert_int_equal(fp.digest[1], 0x1b);

	v = (struct sdp_str){ "passive", 7 };
	assert_int_equal(sdp_parse_setup(v, &setup), 0);
	assert_int_equal(setup, SDP_SETUP_PASSIVE);
	v = (struct sdp_str){ "activ", 5 };
	assert_int_equal(sdp_parse_setup(v, &setup), -EINVAL);
	static const char *const bad_fp[] = {
		"sha-256", "sha-256 7B:8", "sha-256 7B:8G", "sha-256 7B-8B", "sha-256 7B:8B:",
		"sha-256  7B", "sha-1 7B 8B",
	};
	for (unsigned int i = 0; i < sizeof(bad_fp) / sizeof(bad_fp[0]); i++) {
		v = (struct sdp_str){ bad_fp[i], strlen(bad_fp[i]) };
		assert_int_equal(sdp_parse_fingerprint(v, &fp), -EINVAL);
	}
}

static void
test_crypto(void **state)
{
	struct sdp_crypto c;
	struct sdp_str v;
	int i;

	(void)state;
	assert_int_equal(parse(sdes_offer), 0);
	i = sdp_attr_find(&sdp, &sdp.media[0].sec, "crypto", 0);
	assert_int_equal(sdp_parse_crypto(sdp.lines[i].value, &c), 0);
	assert_int_equal(c.tag, 1);
	assert_str(c.suite, "AES_CM_128_HMAC_SHA1_80");
	assert_str(c.key, "PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR");
	assert_str(c.lifetime, "2^20");
	assert_str(c.mki, "1:4");
	assert_int_equal(c.n_keys, 1);
	assert_int_equal(c.session_params.len, 0);
	i = sdp_attr_find(&sdp, &sdp.media[0].sec, "crypto", i + 1);
	assert_int_equal(sdp_parse_crypto(sdp.lines[i].value, &c), 0);
	assert_int_equal(c.tag, 2);
	assert_int_equal(c.n_keys, 2);
	assert_str(c.session_params, "FEC_ORDER=FEC_SRTP");
	assert_int_equal(sdp_attr_find(&sdp, &sdp.media[0].sec, "crypto", i + 1), -ENOENT);

	v = (struct sdp_str){ "3 AES_256_CM_HMAC_SHA1_80 inline:QUJD|1:4", 41 };
	assert_int_equal(sdp_parse_crypto(v, &c), 0);
	assert_str(c.mki, "1:4");
	assert_int_equal(c.lifetime.len, 0);
	static const char *const bad[] = {
		"0x1 AES_CM_128_HMAC_SHA1_80 inline:QUJD", "1 AES_CM_128_HMAC_SHA1_80",
		"1 AES_CM_128_HMAC_SHA1_80 uri:QUJD", "1 AES_CM_128_HMAC_SHA1_80 inline:",
		"1 AES_CM_128_HMAC_SHA1_80 inline:QU#D", "1 AES_CM_128_HMAC_SHA1_80 inline:QUJD|",
		"1 AES_CM_128_HMAC_SHA1_80 inline:QUJD;", "1000000000 AES_CM_128_HMAC_SHA1_80 inline:QUJD",
		"1 AES_CM_128_HMAC_SHA1_80 inline:QUJD|2^20|1:4|x", "1 S inline:QUJD ",
	};
	for (i = 0; i < (int)(sizeof(bad) / sizeof(bad[0])); i++) {
		v = (struct sdp_str){ bad[i], strlen(bad[i]) };
		assert_int_equal(sdp_parse_crypto(v, &c), -EINVAL);
	}
}

static void
test_rtp_attrs(void **state)
{
	const struct sdp_media *a;
	struct sdp_rtpmap r;
	struct sdp_group g;
	struct sdp_rtcp rtcp;
	struct sdp_ssrc ss;
	struct sdp_str s;
	int i;

	(void)state;
	assert_int_equal(parse(chromium_offer), 0);
	a = &sdp.media[0];
	assert_true(sdp_attr_has(&sdp, &a->sec, "rtcp-mux"));
	assert_int_equal(sdp_rtcp(&sdp, &a->sec, &rtcp), 0);
	assert_int_equal(rtcp.port, 9);
	assert_str(rtcp.conn.addr, "0.0.0.0");
	assert_int_equal(sdp_mid(&sdp, &sdp.media[1].sec, &s), 0);
	assert_str(s, "1");
	assert_int_equal(sdp_bundle(&sdp, &g), 0);
	assert_str(g.semantics, "BUNDLE");
	assert_int_equal(g.n_mids, 2);
	assert_str(g.mids[0], "0");
	assert_str(g.mids[1], "1");
	assert_int_equal(sdp_rtpmap(&sdp, a, 111, &r), 0);
	assert_str(r.encoding, "opus");
	assert_int_equal(r.clock_rate, 48000);
	assert_int_equal(r.channels, 2);
	assert_int_equal(sdp_rtpmap(&sdp, a, 0, &r), 0);
	assert_str(r.encoding, "PCMU");
	assert_int_equal(r.channels, 0);
	assert_int_equal(sdp_rtpmap(&sdp, &sdp.media[1], 96, &r), 0);
	assert_str(r.encoding, "VP8");
	assert_int_equal(r.clock_rate, 90000);
	assert_int_equal(sdp_rtpmap(&sdp, a, 96, &r), -ENOENT);
	i = sdp_attr_find(&sdp, &a->sec, "ssrc", 0);
	assert_int_equal(sdp_parse_ssrc(sdp.lines[i].value, &ss), 0);
	assert_int_equal(ss.ssrc, 3735928559u);
	assert_str(ss.attr, "cname");
	assert_str(ss.value, "Zr3sQ1mWkE8pY0aB");
	i = sdp_attr_find(&sdp, &a->sec, "ssrc", i + 1);
	assert_int_equal(sdp_parse_ssrc(sdp.lines[i].value, &ss), 0);
	assert_str(ss.attr, "msid");
	assert_str(ss.value, "9c3c5c4e-4b6e-4f9a-8a53-3b1f1e6d2a10 5d2f4e1a-7b3c-4c2d-9e8f-1a2b3c4d5e6f");

	assert_int_equal(parse(sdes_offer), 0);
	assert_false(sdp_attr_has(&sdp, &sdp.media[0].sec, "rtcp-mux"));
	assert_int_equal(sdp_rtcp(&sdp, &sdp.media[0].sec, &rtcp), 0);
	assert_int_equal(rtcp.port, 49171);
	assert_int_equal(rtcp.conn.addr.len, 0);
	assert_int_equal(sdp_bundle(&sdp, &g), -ENOENT);

	static const char *const bad_rtpmap[] = {
		"128 x/8000", "0 PCMU", "0 PCMU/0", "0 PCMU/8000/0", "0 /8000", "0 PCMU/8000 x",
	};
	for (i = 0; i < (int)(sizeof(bad_rtpmap) / sizeof(bad_rtpmap[0])); i++) {
		s = (struct sdp_str){ bad_rtpmap[i], strlen(bad_rtpmap[i]) };
		assert_int_equal(sdp_parse_rtpmap(s, &r), -EINVAL);
	}
	s = (struct sdp_str){ "4294967296 cname:x", 18 };
	assert_int_equal(sdp_parse_ssrc(s, &ss), -EINVAL);
	s = (struct sdp_str){ "70000", 5 };
	assert_int_equal(sdp_parse_rtcp(s, &rtcp), -EINVAL);
	s = (struct sdp_str){ "9 IN IP4", 8 };
	assert_int_equal(sdp_parse_rtcp(s, &rtcp), -EINVAL);
}

/* Does out hold line (with CRLF), and how many times? */
static int
count_line(const char *line)
{
	char want[SDP_MAX_LINE_LEN + 4];
	const char *p = out;
	int n = 0;

	snprintf(want, sizeof(want), "\n%s\r\n", line);
	while ((p = strstr(p, want)) != NULL) {
		n++;
		p++;
	}
	return n;
}

static void
test_edit_webrtc_to_sip(void **state)
{
	static const char *const ice_dtls[] = {
		"ice-ufrag", "ice-pwd", "ice-options", "candidate", "end-of-candidates",
		"fingerprint", "setup", "rtcp",
	};
	static const char *const add[] = { "a=crypto:1 AES_CM_128_HMAC_SHA1_80 "
		"inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR" };
	struct sdp_section_edit media[2] = {
		{ .remove = ice_dtls, .n_remove = 8, .append = add, .n_append = 1,
		  .addr = "198.18.5.1", .set_port = true, .port = 30000, .proto = "RTP/SAVP" },
		{ .set_port = true, .port = 0 },
	};
	struct sdp_edits e = {
		.origin_addr = "198.18.5.1", .bump_version = true, .media = media, .n_media = 2,
	};
	struct sdp again;
	int n;

	(void)state;
	assert_int_equal(parse(chromium_offer), 0);
	n = sdp_write(&sdp, &e, out, sizeof(out));
	assert_true(n > 0);
	assert_int_equal(count_line("o=- 4215883542127467113 3 IN IP4 198.18.5.1"), 1);
	assert_int_equal(count_line("m=audio 30000 RTP/SAVP 111 63 9 0 8 13 110 126"), 1);
	assert_int_equal(count_line("c=IN IP4 198.18.5.1"), 1);
	assert_int_equal(count_line("c=IN IP4 0.0.0.0"), 1);	/* the video one */
	assert_int_equal(count_line("m=video 0 UDP/TLS/RTP/SAVPF 96 97 102 103 45 46"), 1);
	assert_int_equal(count_line("a=ice-ufrag:Lx7Q"), 1);	/* video kept its own */
	assert_int_equal(count_line(add[0]), 1);
	assert_null(strstr(out, "a=candidate"));
	assert_int_equal(count_line("a=setup:actpass"), 1);
	assert_int_equal(count_line("a=rtcp-mux"), 2);
	/* The result parses, the crypto line ends the audio section, codecs untouched. */
	assert_int_equal(sdp_parse(&again, out, (size_t)n), 0);
	assert_int_equal(again.n_media, 2);
	assert_int_equal(again.lines[again.media[1].sec.first - 1].raw.len, strlen(add[0]));
	assert_int_equal(again.media[0].sec.n_attrs, sdp.media[0].sec.n_attrs - 8 + 1);
	assert_int_equal(sdp_rtpmap(&again, &again.media[0], 111, &(struct sdp_rtpmap){ 0 }), 0);
	assert_string_equal(strstr(out, "a=ssrc-group"), strstr(chromium_offer, "a=ssrc-group"));
}

static void
test_edit_sip_to_webrtc(void **state)
{
	static const char *const add_s[] = { "a=ice-lite" };
	static const char *const add_m[] = {
		"a=ice-ufrag:Abcd", "a=ice-pwd:0123456789abcdefghijkl",
		"a=candidate:1 1 udp 2130706431 198.18.5.1 40000 typ host",
		"a=end-of-candidates", "a=fingerprint:sha-256 00:11", "a=setup:passive",
		"a=rtcp-mux",
	};
	struct sdp_section_edit media = {
		.append = add_m, .n_append = 7, .addr = "2001:2::5", .set_port = true, .port = 40000,
		.proto = "UDP/TLS/RTP/SAVPF",
	};
	struct sdp_edits e = {
		.origin_addr_type = "IP6", .origin_addr = "2001:2::5", .bump_version = true,
		.session = { .append = add_s, .n_append = 1, .addr = "2001:2::5", .addr_type = "IP6" },
		.media = &media, .n_media = 1,
	};
	static const char want[] =
		"v=0\r\n"
		"o=root 1823463922 1823463923 IN IP6 2001:2::5\r\n"
		"s=Asterisk PBX 18.10.0\r\n"
		"c=IN IP6 2001:2::5\r\n"
		"b=CT:384\r\n"
		"t=0 0\r\n"
		"a=ice-lite\r\n"
		"m=audio 40000 UDP/TLS/RTP/SAVPF 0 8 101\r\n"
		"c=IN IP6 2001:2::5\r\n"
		"a=rtpmap:0 PCMU/8000\r\n"
		"a=rtpmap:8 PCMA/8000\r\n"
		"a=rtpmap:101 telephone-event/8000\r\n"
		"a=fmtp:101 0-16\r\n"
		"a=ptime:20\r\n"
		"a=maxptime:150\r\n"
		"a=sendrecv\r\n"
		"a=ice-ufrag:Abcd\r\n"
		"a=ice-pwd:0123456789abcdefghijkl\r\n"
		"a=candidate:1 1 udp 2130706431 198.18.5.1 40000 typ host\r\n"
		"a=end-of-candidates\r\n"
		"a=fingerprint:sha-256 00:11\r\n"
		"a=setup:passive\r\n"
		"a=rtcp-mux\r\n";

	(void)state;
	assert_int_equal(parse(sip_offer), 0);
	assert_int_equal(sdp_write(&sdp, &e, out, sizeof(out)), strlen(want));
	assert_string_equal(out, want);
}

static void
test_edit_details(void **state)
{
	struct sdp_section_edit media = { .addr = "198.18.9.9", .set_port = true, .port = 5004 };
	struct sdp_edits e = { .media = &media, .n_media = 1 };
	static const char *const bad_line[] = { "a=x\r\nb=y" };
	static const char *const bad_line2[] = { "ax" };
	int n;

	(void)state;
	/* The port count survives a new port; c= goes after m= and i=. */
	assert_int_equal(parse("v=0\r\no=- 1 99 IN IP4 1.1.1.1\r\ns=-\r\nc=IN IP4 1.1.1.1\r\n"
		"t=0 0\r\nm=audio 49170/2 RTP/AVP 0\r\ni=x\r\na=sendrecv\r\n"), 0);
	n = sdp_write(&sdp, &e, out, sizeof(out));
	assert_true(n > 0);
	assert_non_null(strstr(out, "\r\nm=audio 5004/2 RTP/AVP 0\r\ni=x\r\nc=IN IP4 198.18.9.9\r\n"
		"a=sendrecv\r\n"));
	assert_non_null(strstr(out, "o=- 1 99 IN IP4 1.1.1.1\r\n"));	/* untouched */
	/* Unedited lines stay byte for byte, even a port with a leading zero. */
	assert_int_equal(parse(HEAD "m=audio 09 RTP/AVP 0\r\n"), 0);
	assert_int_equal(sdp_write(&sdp, NULL, out, sizeof(out)), strlen(HEAD) + 22);
	assert_non_null(strstr(out, "m=audio 09 RTP/AVP 0\r\n"));
	assert_int_equal(parse("v=0\r\no=- 1 99 IN IP4 1.1.1.1\r\ns=-\r\nc=IN IP4 1.1.1.1\r\n"
		"t=0 0\r\nm=audio 49170/2 RTP/AVP 0\r\ni=x\r\na=sendrecv\r\n"), 0);
	/* Version bump carries: 99 -> 100, and 20 nines grow a digit. */
	e.bump_version = true;
	assert_true(sdp_write(&sdp, &e, out, sizeof(out)) > 0);
	assert_non_null(strstr(out, "o=- 1 100 IN IP4 1.1.1.1\r\n"));
	assert_int_equal(parse("v=0\r\no=- 1 99999999999999999999 IN IP4 1.1.1.1\r\ns=-\r\n"
		"t=0 0\r\n"), 0);
	assert_true(sdp_write(&sdp, &e, out, sizeof(out)) > 0);
	assert_non_null(strstr(out, "o=- 1 100000000000000000000 IN IP4 1.1.1.1\r\n"));
	/* Bounded: every cap short of the full length fails with -ENOSPC and stays inside. */
	assert_int_equal(parse(chromium_offer), 0);
	n = sdp_write(&sdp, NULL, out, sizeof(out));
	for (size_t cap = 0; cap <= (size_t)n; cap++) {
		char *small = malloc(cap != 0 ? cap : 1);

		assert_int_equal(sdp_write(&sdp, NULL, small, cap), -ENOSPC);
		free(small);
	}
	assert_int_equal(sdp_write(&sdp, NULL, out, (size_t)n + 1), n);
	/* Malformed edits. */
	media.append = bad_line;
	media.n_append = 1;
	assert_int_equal(sdp_write(&sdp, &e, out, sizeof(out)), -EINVAL);
	media.append = bad_line2;
	assert_int_equal(sdp_write(&sdp, &e, out, sizeof(out)), -EINVAL);
	media.n_append = 0;
	media.proto = "RTP/AVP x";
	assert_int_equal(sdp_write(&sdp, &e, out, sizeof(out)), -EINVAL);
	media.proto = NULL;
	e.origin_addr = "";
	assert_int_equal(sdp_write(&sdp, &e, out, sizeof(out)), -EINVAL);
}

/* parse(text) fails with err and a reason that names line. */
static void
bad(const char *text, int err, unsigned int line)
{
	char prefix[32];

	if (parse(text) != err)
		print_error("want %d from \"%.80s\"\n", err, text);
	assert_int_equal(parse(text), err);
	snprintf(prefix, sizeof(prefix), "line %u: ", line);
	if (strncmp(sdp.error, prefix, strlen(prefix)) != 0)
		print_error("reason \"%s\", want \"%s...\"\n", sdp.error, prefix);
	assert_memory_equal(sdp.error, prefix, strlen(prefix));
	assert_non_null(memchr(sdp.error, '\0', sizeof(sdp.error)));
}

static void
test_malformed(void **state)
{
	static char big[SDP_MAX_LEN * 2];
	size_t n;
	int i;

	(void)state;
	bad("", -EINVAL, 1);
	bad("o=- 1 1 IN IP4 1.1.1.1\r\nv=0\r\ns=-\r\nt=0 0\r\n", -EINVAL, 1);
	bad("v=1\r\no=- 1 1 IN IP4 1.1.1.1\r\ns=-\r\nt=0 0\r\n", -EINVAL, 1);
	bad("v=0\r\nm=audio 1 RTP/AVP 0\r\no=- 1 1 IN IP4 1.1.1.1\r\ns=-\r\n", -EINVAL, 2);
	bad("v=0\r\no=- 1 1 IN IP4 1.1.1.1\r\ns=-\r\nm=audio 1 RTP/AVP 0\r\nt=0 0\r\n", -EINVAL, 4);
	bad("v=0\r\no=- 1 1 IN IP4 1.1.1.1\r\ns=-\r\n", -EINVAL, 4);
	bad("v=0\r\no=- 1 IN IP4 1.1.1.1\r\ns=-\r\nt=0 0\r\n", -EINVAL, 2);
	bad("v=0\r\no=- 1 x IN IP4 1.1.1.1\r\ns=-\r\nt=0 0\r\n", -EINVAL, 2);
	bad("v=0\r\no=- 1 1 IN IP4 1.1.1.1 \r\ns=-\r\nt=0 0\r\n", -EINVAL, 2);
	bad(HEAD "m=audio 65536 RTP/AVP 0\r\n", -EINVAL, 5);
	bad(HEAD "m=audio -1 RTP/AVP 0\r\n", -EINVAL, 5);
	bad(HEAD "m=audio 1/0 RTP/AVP 0\r\n", -EINVAL, 5);
	bad(HEAD "m=audio 5000 RTP/AVP\r\n", -EINVAL, 5);
	bad(HEAD "m=audio 5000 RTP/AVP 0 \r\n", -EINVAL, 5);
	bad(HEAD "m=audio 5000  RTP/AVP 0\r\n", -EINVAL, 5);
	bad(HEAD "c=IN IP4\r\n", -EINVAL, 5);
	bad(HEAD "m=audio 5000 RTP/AVP 0\r\nc=IN IP4 1.1.1.1\r\nc=IN IP4 1.1.1.2\r\n", -EINVAL, 7);
	bad(HEAD "m=audio 5000 RTP/AVP 0\r\nt=0 0\r\n", -EINVAL, 6);
	bad(HEAD "x=1\r\n", -EINVAL, 5);
	bad(HEAD "a=\r\n", -EINVAL, 5);
	bad(HEAD "a=:x\r\n", -EINVAL, 5);
	bad(HEAD "\r\na=x\r\n", -EINVAL, 5);
	bad(HEAD "a=x\ry\r\n", -EINVAL, 5);
	assert_int_equal(sdp_parse(&sdp, HEAD "a=x\0y\r\n", sizeof(HEAD) + 6), -EINVAL);
	assert_string_equal(sdp.error, "line 5: NUL or bare CR");
	bad(HEAD "A=x\r\n", -EINVAL, 5);
	/* Overlong line, too long a description. */
	n = (size_t)snprintf(big, sizeof(big), HEAD "a=x:");
	memset(big + n, 'y', SDP_MAX_LINE_LEN - 3);
	memcpy(big + n + SDP_MAX_LINE_LEN - 3, "\r\n", 3);
	bad(big, -E2BIG, 5);
	big[n + SDP_MAX_LINE_LEN - 4] = '\r';
	big[n + SDP_MAX_LINE_LEN - 3] = '\n';
	assert_int_equal(parse(big), 0);	/* exactly the limit */
	memset(big, 'a', sizeof(big) - 1);
	assert_int_equal(sdp_parse(&sdp, big, SDP_MAX_LEN + 1), -E2BIG);
	/* Sections: 16 fine, 17 too many. */
	n = (size_t)snprintf(big, sizeof(big), HEAD);
	for (i = 0; i < SDP_MAX_MEDIA; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n, "m=audio %d RTP/AVP 0\r\n", i);
	assert_int_equal(parse(big), 0);
	assert_int_equal(sdp.n_media, SDP_MAX_MEDIA);
	snprintf(big + n, sizeof(big) - n, "m=audio 9 RTP/AVP 0\r\n");
	bad(big, -E2BIG, 4 + SDP_MAX_MEDIA + 1);
	/* Attributes per section: the limit fine, one more too many. */
	n = (size_t)snprintf(big, sizeof(big), HEAD "m=audio 5 RTP/AVP 0\r\n");
	for (i = 0; i < SDP_MAX_ATTRS; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n, "a=x\r\n");
	assert_int_equal(parse(big), 0);
	assert_int_equal(sdp.media[0].sec.n_attrs, SDP_MAX_ATTRS);
	snprintf(big + n, sizeof(big) - n, "a=x\r\n");
	bad(big, -E2BIG, 5 + SDP_MAX_ATTRS + 1);
	/* Lines in all: past SDP_MAX_LINES. */
	n = (size_t)snprintf(big, sizeof(big), HEAD);
	for (i = 0; i < SDP_MAX_LINES; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n, "%s", i % 100 == 0 ?
			"m=a 1 P 0\n" : "b=x\n");
	bad(big, -E2BIG, SDP_MAX_LINES + 1);
	/* Formats. */
	n = (size_t)snprintf(big, sizeof(big), HEAD "m=audio 5 RTP/AVP");
	for (i = 0; i <= SDP_MAX_FORMATS; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n, " %d", i);
	bad(big, -E2BIG, 5);
	/* Tolerated: LF only, no final terminator, blank lines at the end. */
	assert_int_equal(parse("v=0\no=- 1 1 IN IP4 1.1.1.1\ns=-\nt=0 0"), 0);
	assert_int_equal(parse(HEAD "\r\n\r\n"), 0);
	assert_int_equal(sdp.n_lines, 4);
}

/* Every prefix of each offer (and of a copy at the end of a heap block): no crash. */
static void
test_truncation(void **state)
{
	static const char *const offers[] = { chromium_offer, firefox_offer, sip_offer, sdes_offer };
	unsigned int k, ok = 0;

	(void)state;
	for (k = 0; k < 4; k++) {
		size_t len = strlen(offers[k]);

		for (size_t n = 0; n <= len; n++) {
			char *copy = malloc(n != 0 ? n : 1);
			int rc;

			memcpy(copy, offers[k], n);
			rc = sdp_parse(&sdp, copy, n);
			if (rc == 0) {
				ok++;
				assert_true(sdp_write(&sdp, NULL, out, sizeof(out)) > 0);
			} else {
				assert_true(rc == -EINVAL || rc == -E2BIG);
				assert_true(sdp.error[0] != '\0');
			}
			free(copy);
		}
	}
	assert_true(ok > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trips),
		cmocka_unit_test(test_structure),
		cmocka_unit_test(test_ice_attrs),
		cmocka_unit_test(test_dtls_attrs),
		cmocka_unit_test(test_crypto),
		cmocka_unit_test(test_rtp_attrs),
		cmocka_unit_test(test_edit_webrtc_to_sip),
		cmocka_unit_test(test_edit_sip_to_webrtc),
		cmocka_unit_test(test_edit_details),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_truncation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
