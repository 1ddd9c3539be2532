/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for lib/sdp: any bytes as a session description. Checked:
 * a description that parses writes back (no edits) and the output parses
 * again with the same sections, lines and attributes, and writes back to
 * itself; the typed readers run over every attribute; the input sits at the
 * end of a heap buffer of its own size, so ASan catches any read past it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sdp/sdp.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct sdp a, b;
static char out1[SDP_MAX_LEN * 2], out2[SDP_MAX_LEN * 2];

/* Every typed reader over every attribute: they must stay inside the value. */
static void
read_all(const struct sdp *s)
{
	unsigned int i;

	for (i = 0; i < s->n_lines; i++) {
		struct sdp_str v = s->lines[i].value;
		union {
			struct sdp_candidate cand;
			struct sdp_fingerprint fp;
			struct sdp_crypto crypto;
			struct sdp_rtcp rtcp;
			struct sdp_group group;
			struct sdp_ssrc ssrc;
			struct sdp_rtpmap rtpmap;
			enum sdp_setup setup;
		} u;

		if (s->lines[i].type != 'a')
			continue;
		sdp_parse_candidate(v, &u.cand);
		sdp_parse_fingerprint(v, &u.fp);
		sdp_parse_crypto(v, &u.crypto);
		sdp_parse_rtcp(v, &u.rtcp);
		sdp_parse_group(v, &u.group);
		sdp_parse_ssrc(v, &u.ssrc);
		sdp_parse_rtpmap(v, &u.rtpmap);
		sdp_parse_setup(v, &u.setup);
	}
	for (i = 0; i < s->n_media; i++) {
		struct sdp_str x;
		struct sdp_rtpmap r;

		sdp_ice_ufrag(s, &s->media[i].sec, &x);
		sdp_ice_pwd(s, &s->media[i].sec, &x);
		sdp_ice_options(s, &s->media[i].sec, &x);
		sdp_mid(s, &s->media[i].sec, &x);
		sdp_rtpmap(s, &s->media[i], 0, &r);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size != 0 ? size : 1);
	int n1, n2;
	unsigned int i;

	memcpy(text, data, size);
	if (sdp_parse(&a, text, size) != 0) {
		CHECK(a.error[0] != '\0');
		free(text);
		return 0;
	}
	read_all(&a);
	n1 = sdp_write(&a, NULL, out1, sizeof(out1));
	CHECK(n1 > 0);
	CHECK(sdp_parse(&b, out1, (size_t)n1) == 0);
	CHECK(a.n_media == b.n_media && a.n_lines == b.n_lines);
	CHECK(a.session.n_attrs == b.session.n_attrs);
	for (i = 0; i < a.n_media; i++) {
		CHECK(a.media[i].sec.n_attrs == b.media[i].sec.n_attrs);
		CHECK(a.media[i].port == b.media[i].port && a.media[i].n_fmt == b.media[i].n_fmt);
	}
	for (i = 0; i < a.n_lines; i++)
		CHECK(a.lines[i].raw.len == b.lines[i].raw.len &&
			memcmp(a.lines[i].raw.p, b.lines[i].raw.p, a.lines[i].raw.len) == 0);
	n2 = sdp_write(&b, NULL, out2, sizeof(out2));
	CHECK(n2 == n1 && memcmp(out1, out2, (size_t)n1) == 0);
	free(text);
	return 0;
}
