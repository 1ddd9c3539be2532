/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_NG_SDP_H
#define SRTPFWD_NG_SDP_H

/*
 * The SDP side of ng offer/answer: what one party's media section says of
 * its transport (read), and the section the box writes towards the other
 * party (write): the box's address and port, its profile, its ICE-lite,
 * DTLS and SDES attributes, rtcp-mux, everything else (codecs, ssrc, extmap,
 * direction) as the party wrote it. Pure: lib/sdp, no allocation; control
 * lcore code.
 */

#include <stdbool.h>
#include <stdint.h>

#include "net/inet_addr.h"
#include "sdp.h"

#define NG_CRYPTO_MAX 8		/* a=crypto lines read or written per section */
#define NG_CRYPTO_LINE_MAX 160
#define NG_MID_MAX 32
#define NG_CANDIDATES_MAX 2	/* one host candidate per family */

/* How a section's media is protected. */
enum ng_sec {
	NG_SEC_RTP,		/* RTP/AVP(F): plain */
	NG_SEC_SDES,		/* RTP/SAVP(F) with a=crypto */
	NG_SEC_DTLS,		/* UDP/TLS/RTP/SAVP(F) with a=fingerprint */
};

/* What a party's media section says. Slices point into its sdp. */
struct ng_media_in {
	struct sdp_str media;		/* "audio" */
	struct sdp_str proto;
	struct sdp_str mid;		/* empty: none */
	uint16_t port;			/* 0: rejected or disabled */
	enum ng_sec sec;
	bool ice;			/* a=ice-ufrag (section or session level) */
	struct sdp_str ice_ufrag;
	bool mux;			/* a=rtcp-mux */
	uint16_t rtcp_port;		/* a=rtcp's port; 0: none (RTP's + 1, RFC 3605) */
	bool has_setup;
	enum sdp_setup setup;
	struct sdp_fingerprint fp;	/* valid when sec == NG_SEC_DTLS */
	uint8_t n_crypto;
	struct sdp_crypto crypto[NG_CRYPTO_MAX];
	bool has_remote;		/* c= is a unicast address, not 0.0.0.0 / :: */
	struct inet_endpoint remote;	/* c= address, m= port */
};

/*
 * Read media section i of sdp. 0, or -EINVAL with a static reason (no c=
 * anywhere, an address that is not IP4/IP6, a malformed ICE, DTLS or crypto
 * attribute).
 */
int ng_media_read(const struct sdp *sdp, unsigned int i, struct ng_media_in *in,
		  const char **reason);

/* The class of an m= proto: "RTP/AVP" RTP, "RTP/SAVPF" SDES, "UDP/TLS/RTP/SAVPF" DTLS. */
enum ng_sec ng_proto_sec(struct sdp_str proto);
/* Whether proto is one of the RTP profiles the box relays. */
bool ng_proto_known(struct sdp_str proto);

/* What the box writes in one media section towards a party. */
struct ng_media_out {
	bool rejected;			/* m= port 0, nothing else changed */
	const char *proto;		/* NULL: keep */
	struct inet_addr addr;		/* the box's address on the party's side */
	uint16_t port;
	bool terminate_ice;		/* strip the other party's ICE attributes ... */
	bool ice;			/* ... and write the box's (ufrag, pwd, candidates) */
	const char *ice_ufrag, *ice_pwd;
	uint8_t n_cand;
	struct inet_addr cand[NG_CANDIDATES_MAX];
	bool terminate_dtls;		/* strip a=fingerprint/setup/tls-id ... */
	bool dtls;			/* ... and write the box's */
	const char *fingerprint;	/* "sha-256 AB:CD:.." */
	const char *setup;		/* "passive", "active", "actpass" */
	bool terminate_sdes;		/* strip a=crypto ... */
	uint8_t n_crypto;		/* ... and write these lines (values after "a=crypto:") */
	char crypto[NG_CRYPTO_MAX][NG_CRYPTO_LINE_MAX];
	bool set_mux;			/* rewrite rtcp-mux: */
	bool mux;			/* a=rtcp-mux, or a=rtcp:<rtcp_port or port> */
	uint16_t rtcp_port;		/* 0: RTCP on the RTP port */
	bool no_rtcp_attr;		/* ... without a=rtcp */
	const char *mid;		/* NULL: keep; else a=mid replaced by this */
};

/* What the box writes at the session level. */
struct ng_session_out {
	bool origin;			/* o= address: the box's (replace origin) */
	struct inet_addr addr;		/* the box's address: o= and a session-level c= */
	bool ice_lite;			/* strip session ICE/DTLS attributes, write a=ice-lite */
	bool strip_ice;			/* strip a=ice-lite, ice-ufrag, ice-pwd, ice-options */
	bool strip_dtls;		/* strip a=fingerprint, setup, tls-id */
	bool strip_bundle;		/* strip a=group:BUNDLE (sections get their own ports) */
	const char *bundle;		/* "BUNDLE 0 1": write a=group:<this> (after strip) */
};

/*
 * Write sdp with the box's edits into buf (NUL-terminated). Returns the
 * length, -ENOSPC or -EINVAL (sdp_write's).
 */
int ng_sdp_write(const struct sdp *sdp, const struct ng_session_out *so,
		 const struct ng_media_out *mo, unsigned int n_media, char *buf, size_t cap);

#endif /* SRTPFWD_NG_SDP_H */
