/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_NG_PARAMS_H
#define SRTPFWD_NG_PARAMS_H

/*
 * The keys and flags of an ng offer, answer, delete or query (rtpengine
 * mr10.5's names, REQUIREMENTS item 28), read out of a decoded request into
 * one plain struct, so the call code never walks bencode. Pure: no
 * allocation; strings are slices into the request, which must outlive it.
 * Spellings with space, hyphen or underscore are one (bencode_key_eq), and
 * unknown keys and flags are ignored as rtpengine ignores them; a known key
 * with a value of the wrong type or an unknown value is an error naming it.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bencode.h"

#define NG_STR_MAX 256		/* call-id, tags, label: longer is an error */
#define NG_DIRECTION_MAX 2

struct ng_str {
	const char *p;
	size_t len;
};

enum ng_ice {
	NG_ICE_DEFAULT,		/* ICE on the far side when the near side has it */
	NG_ICE_REMOVE,		/* no ICE attributes towards the far side */
	NG_ICE_FORCE,		/* the box's ICE-lite attributes towards the far side */
};

enum ng_dtls {
	NG_DTLS_DEFAULT,	/* DTLS-SRTP when the far side's profile is UDP/TLS/... */
	NG_DTLS_OFF,		/* never DTLS towards the far side */
	NG_DTLS_PASSIVE,	/* the box is the DTLS server (a=setup:passive) */
	NG_DTLS_ACTIVE,		/* the box connects (a=setup:active) */
};

/* rtcp-mux list: each bit one of its words. */
enum ng_rtcp_mux {
	NG_RTCP_MUX_OFFER = 1u << 0,	/* offer a=rtcp-mux to the far side */
	NG_RTCP_MUX_REQUIRE = 1u << 1,	/* ... and insist (no a=rtcp fallback) */
	NG_RTCP_MUX_DEMUX = 1u << 2,	/* mux towards the near side, none towards the far side */
	NG_RTCP_MUX_ACCEPT = 1u << 3,	/* take the near side's offer of mux */
	NG_RTCP_MUX_REJECT = 1u << 4,	/* refuse the near side's offer of mux */
};

/* flags list: the ones the box acts on. */
enum ng_flag {
	NG_FLAG_TRUST_ADDRESS = 1u << 0,	/* SDP's c= over received-from */
	NG_FLAG_SYMMETRIC = 1u << 1,		/* latch to where media comes from */
	NG_FLAG_ASYMMETRIC = 1u << 2,
	NG_FLAG_STRICT_SOURCE = 1u << 3,	/* only the signalled address */
	NG_FLAG_PORT_LATCHING = 1u << 4,
	NG_FLAG_GENERATE_MID = 1u << 5,	/* a=mid on sections without */
	NG_FLAG_WEBRTC = 1u << 6,		/* the far side is a browser: SAVPF, ICE, DTLS, mux */
	NG_FLAG_NO_RTCP_ATTR = 1u << 7,	/* no a=rtcp lines */
	NG_FLAG_LOOP_PROTECT = 1u << 8,
	NG_FLAG_ALL = 1u << 9,			/* delete/query: every branch of the call */
};

#define NG_SDES_SUITES_MAX 8

/* SDES list. */
struct ng_sdes {
	bool off;			/* no a=crypto offered by the box */
	uint8_t n_no, n_only;
	struct ng_str no[NG_SDES_SUITES_MAX];	/* "no-<suite>": never offered */
	struct ng_str only[NG_SDES_SUITES_MAX];	/* "only-<suite>": none but these */
};

/* Whether the SDES list lets the box offer suite. */
bool
ng_sdes_allows(const struct ng_sdes *s, const char *suite);

struct ng_params {
	struct ng_str command;
	struct ng_str call_id;
	struct ng_str from_tag;
	struct ng_str to_tag;
	struct ng_str via_branch;
	struct ng_str sdp;
	struct ng_str label;
	struct ng_str transport_protocol;	/* empty: keep the near side's */
	struct ng_str direction[NG_DIRECTION_MAX];
	uint8_t n_direction;
	bool transport_accept;		/* transport-protocol: accept */
	enum ng_ice ice;
	enum ng_dtls dtls;
	struct ng_sdes sdes;
	uint32_t rtcp_mux;		/* enum ng_rtcp_mux bits */
	uint32_t flags;			/* enum ng_flag bits */
	bool replace_origin;
	bool replace_session_connection;
	/* received-from [ "IP4"|"IP6", address ]: the signalling source of the SDP. */
	struct ng_str received_from_family;
	struct ng_str received_from_addr;
	int64_t delete_delay;		/* seconds; -1: not given */
	int64_t limit;			/* list: at most this many; -1: not given */
	/*
	 * srtpfwd's lawful interception keys, flat strings so that Kamailio's
	 * rtpengine module passes them as key=value flags (ng_li.h reads them).
	 */
	struct ng_str li_xid;		/* intercept-xid: the task's UUID */
	struct ng_str li_correlation;	/* intercept-correlation-id: decimal or 0x-hex */
	int64_t li_correlation_num;	/* ... or as a bencode integer; -1: not one */
	struct ng_str li_mf;		/* intercept-mf: a [mediation-function] name */
	struct ng_str li_target;	/* intercept-target: from-tag, to-tag or a tag */
	struct ng_str li_dtls;		/* intercept-dtls: yes | no */
};

/*
 * Read req into p. 0, or -EINVAL with a static one-line reason naming the
 * key in *reason ("call-id is not a string", "unknown ICE value").
 */
int
ng_params_parse(const struct bencode_doc *doc, const struct bencode_node *req,
		struct ng_params *p, const char **reason);

/* Does s equal c (ng spelling rules)? */
bool
ng_str_is(struct ng_str s, const char *c);

#endif /* SRTPFWD_NG_PARAMS_H */
