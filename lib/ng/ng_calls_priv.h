/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_NG_CALLS_PRIV_H
#define SRTPFWD_NG_CALLS_PRIV_H

/* Inside lib/ng's call code: the call table and what the commands share. */

#include "ng_calls.h"
#include "ng_params.h"
#include "ng_sdp.h"
#include "call/ice_legs.h"
#include "dtls/dtls_fingerprint.h"
#include "srtp/srtp_profile.h"

#define NG_SIDE_OFFER 0		/* the from-tag's party */
#define NG_SIDE_ANSWER 1	/* the to-tag's party */
#define NG_PROTO_MAX 24
#define NG_STREAMS_MAX 8	/* m= sections of one call */
#define NG_BUNDLE_STR_MAX (16 + NG_STREAMS_MAX * (NG_MID_MAX + 1))
#define NG_SDP_OUT_MAX (2 * SDP_MAX_LEN)
#define NG_LI_PER_CALL 4	/* interception tasks following one call */

/* A key the box protects with towards a party (SDES, a=crypto it wrote). */
struct ng_box_key {
	uint32_t tag;
	enum srtp_profile profile;
	uint8_t key[SRTP_MASTER_KEY_MAX];
	uint8_t salt[SRTP_MASTER_SALT_MAX];
};

/* One party's end of a stream, as its SDP said and the box decided. */
struct ng_end {
	uint32_t leg;
	enum ng_sec sec;
	bool ice, mux, rejected;
	bool dtls_client;		/* the box connects (the party said passive) */
	char proto[NG_PROTO_MAX];
	char mid[NG_MID_MAX + 1];
	uint8_t n_keys;
	struct ng_box_key keys[NG_CRYPTO_MAX];	/* SDES: what the box offered or answered */
	uint32_t chosen;		/* SDES: index into keys[] the party accepted */
};

/*
 * One m= section: a session of the call layer. A section of the offerer's
 * BUNDLE group other than the first is a member: its session's offerer leg
 * is a shadow of the first section's, which carries its media (leg_bundle.h).
 * Where one party takes RTCP on a port of its own (no rtcp-mux) and the
 * other muxes, RTCP has a session of its own: rtcp_leg, on that party's
 * side, a member of the muxing party's leg.
 */
struct ng_stream {
	uint32_t session;		/* SESSION_NONE: rejected in the offer */
	bool e2ae;
	bool in_bundle;			/* its mid is in the offerer's BUNDLE group */
	bool member;			/* of that BUNDLE, not its first section ... */
	uint8_t transport;		/* ... which is this stream */
	uint32_t rtcp_session;		/* SESSION_NONE: RTCP rides with RTP */
	uint32_t rtcp_leg[2];		/* the RTCP leg facing each party; LEG_NONE: none */
	bool rtcp_mixed;		/* one party muxes: its leg demuxes to the other's RTCP leg */
	int8_t rtcp_side;		/* rtcp_mixed: the party that does not mux */
	char media[16];
	struct ng_end end[2];		/* [NG_SIDE_OFFER], [NG_SIDE_ANSWER] */
};

struct ng_call {
	struct ng_call *hash_next;
	struct ng_call *prev, *next;	/* every call, oldest first */
	uint32_t call;			/* the call layer's id */
	char call_id[NG_STR_MAX + 1];
	char tag[2][NG_STR_MAX + 1];
	char label[NG_STR_MAX + 1];
	uint16_t iface[2];
	uint8_t n_streams;
	bool answered;
	bool bundle;			/* the offerer's BUNDLE is kept towards it */
	struct ng_stream streams[NG_STREAMS_MAX];
	uint64_t created_s, last_signal_s;	/* wall clock (rtpengine's) */
	uint64_t last_media_ms;		/* monotonic: media last moved */
	uint64_t last_rx_pkts;
	uint64_t delete_at_ms;		/* monotonic; 0: not scheduled */
	/* The last offer and answer in and out: a repeat gets the same SDP back. */
	char *sdp_in[2];
	char *sdp_out[2];
	/* Interception tasks following the call: XID, the target's side. */
	uint8_t n_li;
	struct {
		uint8_t xid[16];
		uint8_t side;
	} li[NG_LI_PER_CALL];
};

struct ng_calls {
	struct ng_calls_params p;
	struct ng_call **buckets;
	uint32_t bucket_mask;
	struct ng_call *first, *last;
	struct ng_call *cursor;		/* the timer's place in the list */
	struct ng_calls_stats stats;
	uint64_t start_s;
	struct sdp sdp;			/* the description being handled */
	char sdp_out[NG_SDP_OUT_MAX];
};

/* ng_call_table.c */
struct ng_call *ng_call_find(const struct ng_calls *nc, struct ng_str call_id);
/* A new call with its call layer call; NULL with *reason. */
struct ng_call *ng_call_new(struct ng_calls *nc, struct ng_str call_id, const char **reason);
/* End the call: its sessions, its slot. why counts it (deleted or timeout). */
void ng_call_end(struct ng_calls *nc, struct ng_call *c, uint64_t *why);
void ng_copy_str(char *dst, size_t cap, struct ng_str s);
/* Keep a copy of an SDP in or out; false when out of memory. */
bool ng_call_keep(char **slot, const char *s, size_t len);
uint64_t ng_now_s(void);

/* ng_offer.c */
int ng_cmd_offer(void *arg, const struct bencode_doc *doc, const struct bencode_node *req,
		 struct bencode_writer *w, const char **reason);
int ng_cmd_answer(void *arg, const struct bencode_doc *doc, const struct bencode_node *req,
		  struct bencode_writer *w, const char **reason);

/* Text a section written by the box points at, until it is written. */
struct ng_fp_text {
	char hash[16];
	char value[DTLS_FP_STR_MAX];
};

struct ng_out_text {
	struct ice_leg_conf creds;
	char fingerprint[16 + DTLS_FP_STR_MAX];
};

/* ng_plan.c */
/* The ends of stream st and the call spec of its session, for offer section in. */
int ng_plan_offer(struct ng_calls *nc, const struct ng_params *p, const struct ng_call *c,
		  const struct ng_media_in *in, struct ng_stream *st, struct call_spec *cs,
		  struct ng_fp_text *fp, const char **reason);
/* The leg's local address and port. */
void ng_box_addr(const struct ng_calls *nc, uint32_t leg_id, struct inet_addr *a, uint16_t *port);
/* The section the box writes towards side; t holds its text. */
void ng_plan_out(const struct ng_calls *nc, const struct ng_call *c, const struct ng_stream *st,
		 int side, struct ng_media_out *mo, struct ng_out_text *t);
/* The answerer's section in: keys, fingerprint, ICE ufrag, address. */
int ng_apply_answer(struct ng_calls *nc, struct ng_stream *st, const struct ng_media_in *in,
		    const char **reason);

/* ng_bundle.c */
/* Is mid in the offer's BUNDLE group? */
bool ng_bundle_has_mid(const struct sdp *sdp, struct sdp_str mid);
/* The stream carrying the offerer's BUNDLE, made before stream i; -1: none yet. */
int ng_bundle_transport(const struct ng_call *c, unsigned int i);
/* Stream st's RTCP session, where a party takes RTCP apart from RTP (main: its session's spec). */
int ng_rtcp_add(struct ng_calls *nc, struct ng_call *c, struct ng_stream *st,
		const struct ng_media_in *in, const struct call_spec *main, const char **reason);
/* The answerer's section: its RTCP leg's remote (a=rtcp, else RTP's port + 1). */
int ng_rtcp_answer(struct ng_calls *nc, struct ng_stream *st, const struct ng_media_in *in);
/* The port of the box's RTCP leg facing side, 0: RTCP on the RTP port. */
uint16_t ng_rtcp_port(const struct ng_calls *nc, const struct ng_stream *st, int side);
/* The demux tables of the call's transports, from the offer. */
int ng_bundle_publish(struct ng_calls *nc, const struct ng_call *c, const struct sdp *offer);
/* "BUNDLE 0 1": the group towards the offerer, of the sections both accepted. */
void ng_bundle_group(const struct ng_call *c, char *buf, size_t cap);

/* ng_li.c: the intercept-* keys of offer and answer, start/stop intercept. */
struct ng_li_req {
	struct li_task_spec spec;
	int side;			/* the target: NG_SIDE_OFFER or NG_SIDE_ANSWER */
};
/*
 * The request's intercept keys for call c (NULL: a new call of p's
 * call-id), checked: 0 none given, 1 r is a task that can start, or
 * -errno with *reason naming the key.
 */
int ng_li_read(const struct ng_calls *nc, const struct ng_params *p, const struct ng_call *c,
	       struct ng_li_req *r, const char **reason);
/* Call c's task r: started unless it runs, tapping every session of the call. */
void ng_li_follow(struct ng_calls *nc, struct ng_call *c, const struct ng_li_req *r);
/* The call ends: its tasks stop. */
void ng_li_call_ended(struct ng_calls *nc, struct ng_call *c);
int ng_cmd_start_intercept(void *arg, const struct bencode_doc *doc, const struct bencode_node *req,
			   struct bencode_writer *w, const char **reason);
int ng_cmd_stop_intercept(void *arg, const struct bencode_doc *doc, const struct bencode_node *req,
			  struct bencode_writer *w, const char **reason);

/* ng_query.c */
int ng_cmd_delete(void *arg, const struct bencode_doc *doc, const struct bencode_node *req,
		  struct bencode_writer *w, const char **reason);
int ng_cmd_query(void *arg, const struct bencode_doc *doc, const struct bencode_node *req,
		 struct bencode_writer *w, const char **reason);
int ng_cmd_list(void *arg, const struct bencode_doc *doc, const struct bencode_node *req,
		struct bencode_writer *w, const char **reason);
int ng_cmd_statistics(void *arg, const struct bencode_doc *doc, const struct bencode_node *req,
		      struct bencode_writer *w, const char **reason);
/* The request's keys into p and the call its call-id names; NULL with *reason. */
struct ng_call *ng_call_of(struct ng_calls *nc, const struct bencode_doc *doc,
			   const struct bencode_node *req, struct ng_params *p, const char **reason);
/* A stream's packets received on both legs, for timeouts. */
uint64_t ng_call_rx_pkts(const struct ng_calls *nc, const struct ng_call *c);

#endif /* SRTPFWD_NG_CALLS_PRIV_H */
