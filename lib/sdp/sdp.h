/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_SDP_H
#define SRTPFWD_SDP_H

/*
 * SDP (RFC 8866) as the ng offer/answer path needs it: parse a peer's
 * session description, read what the box acts on (ICE, DTLS, SDES, rtcp-mux,
 * BUNDLE, SSRCs, codecs), and write it back out with a few edits (addresses,
 * ports, profile, ICE/DTLS/SDES attributes), everything else byte for byte.
 *
 * Memory: no allocation at all. struct sdp is fixed size (about 80 KiB: keep
 * it static or on the heap, not on a worker's stack); every string it holds
 * is a slice into the caller's text, which must outlive it. All lines of the
 * description live in one pool, lines[], in input order; a section (the
 * session level, each media section) is a range of that pool. Every loop is
 * bounded by the input length and the limits below; nothing recurses.
 *
 * Input: at most SDP_MAX_LEN bytes, lines ending in CRLF or LF (the last
 * line's terminator may be missing; blank lines at the very end are ignored).
 * The writer always emits CRLF. Control lcore code: not for workers (it
 * prints its error reasons with snprintf).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SDP_MAX_LEN 16384	/* bytes of one description */
#define SDP_MAX_LINES 1024	/* lines of one description, all sections */
#define SDP_MAX_LINE_LEN 1024	/* bytes of one line, without its terminator */
#define SDP_MAX_MEDIA 16	/* m= sections */
/* A Chromium video section carries some 150 (rtpmap, rtcp-fb, fmtp per codec). */
#define SDP_MAX_ATTRS 256	/* a= lines of one section */
#define SDP_MAX_FORMATS 64	/* formats on one m= line */
#define SDP_MAX_GROUP 16	/* identification tags of one a=group */
#define SDP_ERROR_LEN 96

/* A slice of the parsed text (not NUL-terminated). */
struct sdp_str {
	const char *p;
	size_t len;
};

/* One line, without its terminator. */
struct sdp_line {
	struct sdp_str raw;	/* the whole line: "a=mid:0" */
	struct sdp_str name;	/* a= lines: the attribute name ("mid"); others empty */
	struct sdp_str value;	/* a=: after the first ':' (empty if none); others: after "x=" */
	char type;		/* 'v', 'o', 'a', ... */
};

/* o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address> */
struct sdp_origin {
	struct sdp_str username, sess_id, sess_version, nettype, addrtype, addr;
};

/* c=<nettype> <addrtype> <connection-address> (addr keeps any /ttl/count) */
struct sdp_conn {
	struct sdp_str nettype, addrtype, addr;
};

/* A range of lines[]: the session level (v= up to the first m=) or one media section. */
struct sdp_section {
	uint16_t first;		/* index of its first line (v= or m=) */
	uint16_t n_lines;
	uint16_t n_attrs;
	int16_t c_line;		/* index of its c= line, -1: none */
	struct sdp_conn conn;	/* valid when c_line >= 0 */
};

/* m=<media> <port>[/<count>] <proto> <fmt> ... */
struct sdp_media {
	struct sdp_section sec;
	struct sdp_str media;	/* "audio" */
	struct sdp_str proto;	/* "UDP/TLS/RTP/SAVPF" */
	struct sdp_str fmt_list;	/* everything after proto: "111 63 9 0 8" */
	uint16_t port;
	uint16_t port_count;	/* 0: no "/<count>" */
	uint16_t n_fmt;
	struct sdp_str fmt[SDP_MAX_FORMATS];
};

struct sdp {
	const char *text;
	size_t len;
	struct sdp_origin origin;
	uint16_t o_line;	/* index of o= (always 1) */
	struct sdp_str session_name;	/* s= value */
	struct sdp_section session;
	uint16_t n_media;
	struct sdp_media media[SDP_MAX_MEDIA];
	uint16_t n_lines;
	struct sdp_line lines[SDP_MAX_LINES];
	char error[SDP_ERROR_LEN];	/* why sdp_parse() failed: "line 3: ..." */
};

/*
 * Parse len bytes of text into sdp. Returns 0, or a negative errno with a
 * one-line reason naming the line in sdp->error: -E2BIG (too long, too many
 * lines, sections, attributes or formats, a line too long), -EINVAL
 * (malformed: v= not first or not 0, o= not second, s= not third, no t=
 * before the first m=, a type letter that is not allowed where it stands, a
 * second c= in a section, a bad o=, c= or m= line, NUL or a bare CR).
 */
int sdp_parse(struct sdp *sdp, const char *text, size_t len);

/* Does s equal the NUL-terminated c, byte for byte / ignoring ASCII case? */
bool sdp_str_eq(struct sdp_str s, const char *c);
bool sdp_str_caseeq(struct sdp_str s, const char *c);

/* Generic attribute lookup in one section (session-level attributes are not inherited). */

/* Index in lines[] of the first a=<name> at or after line index from, -ENOENT: none. */
int sdp_attr_find(const struct sdp *sdp, const struct sdp_section *sec, const char *name,
		int from);
bool sdp_attr_has(const struct sdp *sdp, const struct sdp_section *sec, const char *name);
/* The value of the first a=<name>: 0, or -ENOENT. */
int sdp_attr_value(const struct sdp *sdp, const struct sdp_section *sec, const char *name,
		struct sdp_str *value);

/*
 * Typed readers of one attribute's value (the part after "a=name:"): 0, or
 * -EINVAL when it is malformed. The accessors that take a section read its
 * first such attribute: -ENOENT when it has none.
 */

/* a=ice-ufrag (4..256 ice-chars), a=ice-pwd (22..256): RFC 8839 §5.4. */
int sdp_ice_ufrag(const struct sdp *sdp, const struct sdp_section *sec, struct sdp_str *ufrag);
int sdp_ice_pwd(const struct sdp *sdp, const struct sdp_section *sec, struct sdp_str *pwd);
/* a=ice-lite (session level), a=end-of-candidates, a=rtcp-mux: sdp_attr_has(). */
/* a=ice-options: the value, tokens separated by spaces ("trickle ice2"). */
int sdp_ice_options(const struct sdp *sdp, const struct sdp_section *sec, struct sdp_str *opts);
/* a=mid: the identification tag. */
int sdp_mid(const struct sdp *sdp, const struct sdp_section *sec, struct sdp_str *mid);

/* a=candidate (RFC 8839 §5.1); iterate with sdp_attr_find(..., "candidate", i + 1). */
struct sdp_candidate {
	struct sdp_str foundation;
	uint16_t component;	/* 1 RTP, 2 RTCP */
	struct sdp_str transport;	/* "udp", "UDP", "tcp" */
	uint32_t priority;
	struct sdp_str addr;	/* an IP address or an mDNS name */
	uint16_t port;
	struct sdp_str type;	/* "host", "srflx", "prflx", "relay" */
	struct sdp_str rel_addr;	/* raddr, empty if none */
	uint16_t rel_port;
	struct sdp_str extensions;	/* what follows (generation 0 network-id 1 ...), may be empty */
};
int sdp_parse_candidate(struct sdp_str value, struct sdp_candidate *cand);

/* a=fingerprint:<hash-func> <XX:XX:...> (RFC 8122 §5), decoded. */
#define SDP_FINGERPRINT_MAX 64	/* sha-512 */
struct sdp_fingerprint {
	struct sdp_str hash;	/* "sha-256" */
	struct sdp_str value;	/* the hex text */
	uint8_t n;		/* bytes in digest */
	uint8_t digest[SDP_FINGERPRINT_MAX];
};
int sdp_parse_fingerprint(struct sdp_str value, struct sdp_fingerprint *fp);
int sdp_fingerprint(const struct sdp *sdp, const struct sdp_section *sec,
		struct sdp_fingerprint *fp);

/* a=setup (RFC 4145 §4). */
enum sdp_setup {
	SDP_SETUP_ACTPASS,
	SDP_SETUP_ACTIVE,
	SDP_SETUP_PASSIVE,
	SDP_SETUP_HOLDCONN,
};
int sdp_parse_setup(struct sdp_str value, enum sdp_setup *setup);
int sdp_setup(const struct sdp *sdp, const struct sdp_section *sec, enum sdp_setup *setup);

/*
 * a=crypto:<tag> <suite> inline:<key||salt>[|<lifetime>][|<mki>:<len>][;inline:...]
 * [<session-params>] (RFC 4568 §9.1). Only the first key is decoded into
 * slices; n_keys counts them all. Iterate with sdp_attr_find(..., "crypto", i + 1).
 */
struct sdp_crypto {
	uint32_t tag;		/* 1..999999999 */
	struct sdp_str suite;	/* "AES_CM_128_HMAC_SHA1_80" */
	struct sdp_str key_params;	/* all of them, as written */
	struct sdp_str key;	/* base64 key||salt of the first */
	struct sdp_str lifetime;	/* "2^20", empty if none */
	struct sdp_str mki;	/* "1:4", empty if none */
	uint8_t n_keys;
	struct sdp_str session_params;	/* after the key params, empty if none */
};
int sdp_parse_crypto(struct sdp_str value, struct sdp_crypto *crypto);

/* a=rtcp:<port> [<nettype> <addrtype> <addr>] (RFC 3605). */
struct sdp_rtcp {
	uint16_t port;
	struct sdp_conn conn;	/* all empty when absent */
};
int sdp_parse_rtcp(struct sdp_str value, struct sdp_rtcp *rtcp);
int sdp_rtcp(const struct sdp *sdp, const struct sdp_section *sec, struct sdp_rtcp *rtcp);

/* a=group:<semantics> <tag> ... (RFC 5888); sdp_bundle() reads a=group:BUNDLE. */
struct sdp_group {
	struct sdp_str semantics;
	uint8_t n_mids;
	struct sdp_str mids[SDP_MAX_GROUP];
};
int sdp_parse_group(struct sdp_str value, struct sdp_group *group);
int sdp_bundle(const struct sdp *sdp, struct sdp_group *group);

/* a=ssrc:<ssrc-id> <attribute>[:<value>] (RFC 5576 §4.1). */
struct sdp_ssrc {
	uint32_t ssrc;
	struct sdp_str attr;	/* "cname", "msid" */
	struct sdp_str value;	/* empty if none */
};
int sdp_parse_ssrc(struct sdp_str value, struct sdp_ssrc *ssrc);

/* a=rtpmap:<pt> <encoding>/<clock rate>[/<channels>] (RFC 8866 §6.6). */
struct sdp_rtpmap {
	uint8_t pt;		/* 0..127 */
	struct sdp_str encoding;	/* "opus" */
	uint32_t clock_rate;
	uint16_t channels;	/* 0: not given */
};
int sdp_parse_rtpmap(struct sdp_str value, struct sdp_rtpmap *rtpmap);
/* The a=rtpmap of payload type pt in a media section: 0, -ENOENT, -EINVAL. */
int sdp_rtpmap(const struct sdp *sdp, const struct sdp_media *m, uint8_t pt,
		struct sdp_rtpmap *rtpmap);

/*
 * Writer. An edit of one section; every field's zero value means "leave it".
 * Appended lines are whole lines without terminator ("a=ice-lite",
 * "a=candidate:1 1 udp ..."), written at the end of the section in order.
 */
struct sdp_section_edit {
	const char *const *remove;	/* attribute names: every a=<name> goes */
	unsigned int n_remove;
	const char *const *append;
	unsigned int n_append;
	const char *addr_type;	/* with addr: c=IN <addr_type> <addr>; a section */
	const char *addr;	/* without c= gets one (after m=/i=, or before t=) */
	bool set_port;		/* media: replace the m= port with port */
	uint16_t port;
	const char *proto;	/* media: the m= proto */
};

struct sdp_edits {
	const char *origin_addr_type;	/* with origin_addr: the o= address */
	const char *origin_addr;
	bool bump_version;	/* o= sess-version + 1 (decimal, any length) */
	struct sdp_section_edit session;	/* port and proto unused */
	const struct sdp_section_edit *media;	/* media[i] edits section i; NULL: none */
	unsigned int n_media;	/* edits past n_media: none */
};

/*
 * Write sdp with edits (NULL: none) into buf (cap bytes, NUL-terminated).
 * Returns the length written (without the NUL), -ENOSPC when it does not fit,
 * -EINVAL when an edit is malformed (an appended line
 * that is not "x=..." or holds CR, LF or NUL, an address or proto with a
 * space). Nothing is read past sdp's slices; buf is garbage on error.
 */
int sdp_write(const struct sdp *sdp, const struct sdp_edits *edits, char *buf, size_t cap);

#endif /* SRTPFWD_SDP_H */
