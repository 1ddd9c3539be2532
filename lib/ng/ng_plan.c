/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the box makes of one m= section: each party's end (profile, ICE,
 * rtcp-mux, the keys the box protects with), the legs of its session, the
 * section the box writes towards each party, and what an answer changes.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "call/dtls_legs.h"
#include "call/ice_legs.h"
#include "ng_calls_priv.h"

/* The suites the box offers an SDES party, strongest usual first (RFC 4568, RFC 7714). */
static const enum srtp_profile sdes_offer_order[] = {
	SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80,
	SRTP_PROFILE_AES_CM_128_HMAC_SHA1_32,
	SRTP_PROFILE_AEAD_AES_128_GCM,
	SRTP_PROFILE_AEAD_AES_256_GCM,
};

static void
copy_sdp_str(char *dst, size_t cap, struct sdp_str s)
{
	ng_copy_str(dst, cap, (struct ng_str){ s.p, s.len });
}

/* A fresh key and salt from the CSPRNG. */
static int
box_key_make(struct ng_box_key *k, uint32_t tag, enum srtp_profile profile)
{
	const struct srtp_profile_info *pi = srtp_profile_info(profile);

	k->tag = tag;
	k->profile = profile;
	if (RAND_bytes(k->key, pi->master_key_len) != 1 ||
	    RAND_bytes(k->salt, pi->master_salt_len) != 1)
		return -EIO;
	return 0;
}

static void
crypto_spec_of(const struct ng_box_key *k, struct leg_crypto_spec *cs)
{
	memset(cs, 0, sizeof(*cs));
	cs->srtp = true;
	cs->profile = k->profile;
	memcpy(cs->master_key, k->key, sizeof(cs->master_key));
	memcpy(cs->master_salt, k->salt, sizeof(cs->master_salt));
}

/* The reverse: a party's key as the call keeps it. */
static void
key_of_spec(const struct leg_crypto_spec *cs, uint32_t tag, struct ng_box_key *k)
{
	*k = (struct ng_box_key){ .tag = tag, .profile = cs->profile };
	memcpy(k->key, cs->master_key, sizeof(k->key));
	memcpy(k->salt, cs->master_salt, sizeof(k->salt));
}

/* The line after "a=crypto:": "1 AES_CM_128_HMAC_SHA1_80 inline:BASE64". */
static void
crypto_line(const struct ng_box_key *k, char *out, size_t cap)
{
	const struct srtp_profile_info *pi = srtp_profile_info(k->profile);
	uint8_t raw[SRTP_MASTER_KEY_MAX + SRTP_MASTER_SALT_MAX];
	char b64[72];

	memcpy(raw, k->key, pi->master_key_len);
	memcpy(raw + pi->master_key_len, k->salt, pi->master_salt_len);
	EVP_EncodeBlock((unsigned char *)b64, raw, pi->master_key_len + pi->master_salt_len);
	snprintf(out, cap, "%u %s inline:%s", k->tag, srtp_profile_name(k->profile), b64);
	explicit_bzero(raw, sizeof(raw));
	explicit_bzero(b64, sizeof(b64));
}

/* A party's a=crypto as a spec: 0, or -EINVAL (suite unknown, key malformed). */
static int
party_key(const struct sdp_crypto *cr, struct leg_crypto_spec *cs)
{
	char suite[40], params[160];

	if (cr->suite.len >= sizeof(suite) || cr->key_params.len >= sizeof(params))
		return -EINVAL;
	copy_sdp_str(suite, sizeof(suite), cr->suite);
	copy_sdp_str(params, sizeof(params), cr->key_params);
	memset(cs, 0, sizeof(*cs));
	if (srtp_profile_from_name(suite, &cs->profile) != 0 ||
	    srtp_parse_inline_key(cs->profile, params, cs->master_key, cs->master_salt) != 0) {
		explicit_bzero(params, sizeof(params));
		return -EINVAL;
	}
	explicit_bzero(params, sizeof(params));
	cs->srtp = true;
	return 0;
}

/* The offerer's end: what its section says, rtcp-mux as the flags allow. */
static void
plan_near(const struct ng_params *p, const struct ng_media_in *in, struct ng_end *e)
{
	memset(e, 0, sizeof(*e));
	e->sec = in->sec;
	e->ice = in->ice;
	e->mux = in->mux && !(p->rtcp_mux & NG_RTCP_MUX_REJECT);
	e->dtls_client = in->has_setup && in->setup == SDP_SETUP_PASSIVE;
	copy_sdp_str(e->proto, sizeof(e->proto), in->proto);
	copy_sdp_str(e->mid, sizeof(e->mid), in->mid);
}

/* The answerer's end: the flags' profile, ICE and rtcp-mux, else the offerer's. */
static int
plan_far(const struct ng_params *p, const struct ng_media_in *in, struct ng_end *e,
	 const char **reason)
{
	memset(e, 0, sizeof(*e));
	if (p->transport_protocol.len > 0)
		ng_copy_str(e->proto, sizeof(e->proto), p->transport_protocol);
	else if (p->flags & NG_FLAG_WEBRTC)
		snprintf(e->proto, sizeof(e->proto), "UDP/TLS/RTP/SAVPF");
	else
		copy_sdp_str(e->proto, sizeof(e->proto), in->proto);
	if (!ng_proto_known((struct sdp_str){ e->proto, strlen(e->proto) })) {
		*reason = "transport-protocol is not an RTP profile the box relays";
		return -EINVAL;
	}
	e->sec = ng_proto_sec((struct sdp_str){ e->proto, strlen(e->proto) });
	if (e->sec == NG_SEC_DTLS && p->dtls == NG_DTLS_OFF) {
		*reason = "DTLS off towards a UDP/TLS profile";
		return -EINVAL;
	}
	if (e->sec == NG_SEC_SDES && p->sdes.off && in->sec != NG_SEC_SDES) {
		*reason = "SDES off towards an RTP/SAVP profile";
		return -EINVAL;
	}
	e->ice = p->ice == NG_ICE_FORCE ||
		 (p->ice == NG_ICE_DEFAULT && (in->ice || (p->flags & NG_FLAG_WEBRTC)));
	if (p->rtcp_mux & (NG_RTCP_MUX_OFFER | NG_RTCP_MUX_REQUIRE))
		e->mux = true;
	else if (p->rtcp_mux & NG_RTCP_MUX_DEMUX)
		e->mux = false;
	else
		e->mux = in->mux || (p->flags & NG_FLAG_WEBRTC);
	e->dtls_client = p->dtls == NG_DTLS_ACTIVE;
	copy_sdp_str(e->mid, sizeof(e->mid), in->mid);
	return 0;
}

/* The offerer's SDES: the first of its suites the box knows is what it sends; the box answers in kind. */
static int
near_keys(const struct ng_media_in *in, struct ng_end *e, struct leg_spec *ls,
	  const char **reason)
{
	for (unsigned int i = 0; i < in->n_crypto; i++) {
		if (party_key(&in->crypto[i], &ls->rx) != 0)
			continue;
		if (box_key_make(&e->keys[0], in->crypto[i].tag, ls->rx.profile) != 0) {
			*reason = "no randomness for an SDES key";
			return -EIO;
		}
		e->n_keys = 1;
		crypto_spec_of(&e->keys[0], &ls->tx);
		return 0;
	}
	*reason = "no a=crypto with a suite and key the box accepts";
	return -EINVAL;
}

/*
 * e2e SDES: the offerer's a=crypto pass through untouched; the box keeps
 * the keys it can read only so that lawful interception can deliver the
 * one the answer picks (passed_answer_keys).
 */
static void
passed_keys(const struct ng_media_in *in, struct ng_end *e)
{
	struct leg_crypto_spec cs;

	for (unsigned int i = 0; i < in->n_crypto && e->n_keys < NG_CRYPTO_MAX; i++) {
		if (party_key(&in->crypto[i], &cs) != 0)
			continue;
		key_of_spec(&cs, in->crypto[i].tag, &e->keys[e->n_keys++]);
	}
	explicit_bzero(&cs, sizeof(cs));
}

/* The box's SDES offer to the answerer: one key per suite the SDES list allows. */
static int
far_keys(const struct ng_params *p, struct ng_end *e, const char **reason)
{
	for (size_t i = 0; i < sizeof(sdes_offer_order) / sizeof(sdes_offer_order[0]); i++) {
		enum srtp_profile prof = sdes_offer_order[i];

		if (!ng_sdes_allows(&p->sdes, srtp_profile_name(prof)))
			continue;
		if (box_key_make(&e->keys[e->n_keys], e->n_keys + 1u, prof) != 0) {
			*reason = "no randomness for an SDES key";
			return -EIO;
		}
		e->n_keys++;
	}
	if (e->n_keys == 0) {
		*reason = "the SDES list leaves no suite to offer";
		return -EINVAL;
	}
	return 0;
}

/* Where the offerer's leg takes media from: ICE, DTLS, the SDP's address, or learning. */
static void
near_remote(const struct ng_params *p, const struct ng_media_in *in, const struct ng_end *e,
	    bool dtls, struct leg_spec *ls)
{
	if (e->ice)
		return;
	if (dtls && !e->dtls_client)
		return;		/* latched by the authenticated handshake */
	if ((p->flags & (NG_FLAG_SYMMETRIC | NG_FLAG_PORT_LATCHING)) &&
	    !(p->flags & NG_FLAG_STRICT_SOURCE) && !dtls) {
		ls->latch = LATCH_LEARN;
		return;
	}
	if (in->has_remote)
		ls->remote = in->remote;
	else
		ls->await_remote = true;
}

static void
dtls_conf_of(const struct ng_end *e, bool ice, struct call_leg_conf *lc)
{
	lc->dtls = true;
	lc->dtls_conf.role = e->dtls_client ? DTLS_ROLE_CLIENT : DTLS_ROLE_SERVER;
	lc->dtls_conf.ice = ice;
}

int
ng_plan_offer(struct ng_calls *nc, const struct ng_params *p, const struct ng_call *c,
	      const struct ng_media_in *in, struct ng_stream *st, struct call_spec *cs,
	      struct ng_fp_text *fp, const char **reason)
{
	struct ng_end *near = &st->end[NG_SIDE_OFFER], *far = &st->end[NG_SIDE_ANSWER];
	struct leg_spec *ln = &cs->session.leg[0], *lf = &cs->session.leg[1];

	memset(cs, 0, sizeof(*cs));
	plan_near(p, in, near);
	if (plan_far(p, in, far, reason) != 0)
		return -EINVAL;
	copy_sdp_str(st->media, sizeof(st->media), in->media);
	st->e2ae = near->sec != far->sec;
	cs->session.mode = st->e2ae ? SESSION_MODE_E2AE : SESSION_MODE_E2E;
	if (st->e2ae && (near->sec == NG_SEC_DTLS || far->sec == NG_SEC_DTLS) && nc->p.dtls == NULL) {
		*reason = "DTLS-SRTP termination is not available";
		return -ENOTSUP;
	}
	ln->iface = c->iface[NG_SIDE_OFFER];
	lf->iface = c->iface[NG_SIDE_ANSWER];
	ln->ice = cs->leg[0].ice = near->ice;
	lf->ice = cs->leg[1].ice = far->ice;
	copy_sdp_str(cs->leg[0].ice_conf.remote_ufrag, sizeof(cs->leg[0].ice_conf.remote_ufrag),
		     in->ice_ufrag);
	if (st->e2ae && near->sec == NG_SEC_SDES && near_keys(in, near, ln, reason) != 0)
		return -EINVAL;
	if (!st->e2ae && near->sec == NG_SEC_SDES)
		passed_keys(in, near);
	if (st->e2ae && far->sec == NG_SEC_SDES && far_keys(p, far, reason) != 0)
		return -EINVAL;
	if (st->e2ae && near->sec == NG_SEC_DTLS) {
		ln->dtls = true;
		dtls_conf_of(near, near->ice, &cs->leg[0]);
		copy_sdp_str(fp->hash, sizeof(fp->hash), in->fp.hash);
		copy_sdp_str(fp->value, sizeof(fp->value), in->fp.value);
		cs->leg[0].dtls_conf.fp_hash = fp->hash;
		cs->leg[0].dtls_conf.fp = fp->value;
		if (near->dtls_client && near->ice) {
			*reason = "a=setup:passive with ICE: the box cannot connect before the nomination";
			return -ENOTSUP;
		}
	}
	if (st->e2ae && far->sec == NG_SEC_DTLS) {
		lf->dtls = true;
		/* Offered actpass (or as the flag says); a client is made once the answer names the peer. */
		dtls_conf_of(&(struct ng_end){ .dtls_client = false }, far->ice, &cs->leg[1]);
	}
	near_remote(p, in, near, ln->dtls, ln);
	if (!far->ice && !lf->dtls)
		lf->await_remote = true;
	return 0;
}

void
ng_box_addr(const struct ng_calls *nc, uint32_t leg_id, struct inet_addr *a, uint16_t *port)
{
	const struct leg *leg = &session_table_legs(nc->p.sessions)[leg_id];

	inet_endpoint_addr(&leg->local, a);
	*port = rte_be_to_cpu_16(leg->local.port);
}

static void
out_ice(const struct ng_calls *nc, uint32_t leg, struct ng_media_out *mo,
	struct ice_leg_conf *creds)
{
	if (ice_legs_credentials(nc->p.ice, leg, creds) != 0)
		return;
	mo->ice = true;
	mo->ice_ufrag = creds->ufrag;
	mo->ice_pwd = creds->pwd;
	/* The leg's own address is its host candidate: a leg has one address, of one family. */
	mo->cand[0] = mo->addr;
	mo->n_cand = 1;
}

void
ng_plan_out(const struct ng_calls *nc, const struct ng_call *c, const struct ng_stream *st,
	    int side, struct ng_media_out *mo, struct ng_out_text *t)
{
	const struct ng_end *e = &st->end[side];
	bool passthrough = !st->e2ae;

	memset(mo, 0, sizeof(*mo));
	/* Refused by either party: refused towards both. */
	if (st->session == SESSION_NONE || st->end[0].rejected || st->end[1].rejected) {
		mo->rejected = true;
		/* A refused section still names the party's profile and mid (JSEP). */
		mo->proto = e->proto[0] != '\0' ? e->proto : NULL;
		mo->mid = e->mid[0] != '\0' ? e->mid : NULL;
		return;
	}
	ng_box_addr(nc, e->leg, &mo->addr, &mo->port);
	mo->proto = e->proto;
	mo->terminate_ice = true;
	/* A BUNDLE member's section is its transport's: the same port, ICE, DTLS. */
	if (e->ice)
		out_ice(nc, st->member && side == NG_SIDE_OFFER ?
			c->streams[st->transport].end[NG_SIDE_OFFER].leg : e->leg, mo, &t->creds);
	mo->terminate_dtls = !(passthrough && e->sec == NG_SEC_DTLS);
	if (mo->terminate_dtls && e->sec == NG_SEC_DTLS) {
		mo->dtls = true;
		snprintf(t->fingerprint, sizeof(t->fingerprint), "sha-256 %s",
			 dtls_engine_fingerprint(nc->p.dtls));
		mo->fingerprint = t->fingerprint;
		/* Towards the offerer the box answers; towards the answerer it offers. */
		mo->setup = side == NG_SIDE_OFFER ? (e->dtls_client ? "active" : "passive") :
			    e->dtls_client ? "active" : "actpass";
	}
	mo->terminate_sdes = !(passthrough && e->sec == NG_SEC_SDES);
	if (mo->terminate_sdes && e->sec == NG_SEC_SDES)
		for (unsigned int k = 0; k < e->n_keys; k++)
			crypto_line(&e->keys[k], mo->crypto[mo->n_crypto++], NG_CRYPTO_LINE_MAX);
	mo->set_mux = true;
	mo->mux = e->mux;
	mo->rtcp_port = ng_rtcp_port(nc, st, side);
	if (e->mid[0] != '\0')
		mo->mid = e->mid;
}

/* The answerer's a=crypto: the tag of one of the box's keys, its own key. */
static int
answer_keys(struct ng_calls *nc, const struct ng_stream *st, struct ng_end *e,
	    const struct ng_media_in *in, const char **reason)
{
	uint32_t rtcp_leg = st->rtcp_leg[NG_SIDE_ANSWER];
	struct leg_crypto_spec rx, tx;
	int ret;

	for (unsigned int i = 0; i < in->n_crypto; i++)
		for (unsigned int k = 0; k < e->n_keys; k++) {
			if (in->crypto[i].tag != e->keys[k].tag || party_key(&in->crypto[i], &rx) != 0 ||
			    rx.profile != e->keys[k].profile)
				continue;
			crypto_spec_of(&e->keys[k], &tx);
			ret = call_leg_install_srtp(nc->p.calls, e->leg, &rx, &tx);
			if (ret == 0 && rtcp_leg != LEG_NONE)
				ret = call_leg_install_srtp(nc->p.calls, rtcp_leg, &rx, &tx);
			explicit_bzero(&rx, sizeof(rx));
			explicit_bzero(&tx, sizeof(tx));
			if (ret != 0) {
				*reason = "cannot install the answer's SDES keys";
				return ret;
			}
			e->chosen = k;
			return 0;
		}
	*reason = "the answer's a=crypto matches no suite and tag the box offered";
	return -EINVAL;
}

/* The legs of an e2e stream facing side: RTP's and, apart, RTCP's. */
static void
known_keys(struct ng_calls *nc, const struct ng_stream *st, int side,
	   const struct leg_crypto_spec *rx, const struct leg_crypto_spec *tx)
{
	call_leg_known_keys(nc->p.calls, st->end[side].leg, rx, tx);
	if (st->rtcp_leg[side] != LEG_NONE)
		call_leg_known_keys(nc->p.calls, st->rtcp_leg[side], rx, tx);
}

/*
 * e2e SDES: the answer's a=crypto names the offerer's key it takes by its
 * tag. Both keys become the legs' known keys (what each party sends, what
 * it receives): lawful interception delivers them. A key the box cannot
 * read changes nothing, the media is relayed all the same.
 */
static void
passed_answer_keys(struct ng_calls *nc, struct ng_stream *st, const struct ng_media_in *in)
{
	struct ng_end *near = &st->end[NG_SIDE_OFFER], *far = &st->end[NG_SIDE_ANSWER];
	struct leg_crypto_spec offer_key, answer_key;

	for (unsigned int i = 0; i < in->n_crypto; i++)
		for (unsigned int k = 0; k < near->n_keys; k++) {
			if (in->crypto[i].tag != near->keys[k].tag ||
			    party_key(&in->crypto[i], &answer_key) != 0 ||
			    answer_key.profile != near->keys[k].profile)
				continue;
			near->chosen = k;
			crypto_spec_of(&near->keys[k], &offer_key);
			far->n_keys = 1;
			far->chosen = 0;
			key_of_spec(&answer_key, in->crypto[i].tag, &far->keys[0]);
			known_keys(nc, st, NG_SIDE_OFFER, &offer_key, &answer_key);
			known_keys(nc, st, NG_SIDE_ANSWER, &answer_key, &offer_key);
			explicit_bzero(&offer_key, sizeof(offer_key));
			explicit_bzero(&answer_key, sizeof(answer_key));
			return;
		}
}

/* The answerer's DTLS: its fingerprint; its setup decides who connects. */
static int
answer_dtls(struct ng_calls *nc, struct ng_end *e, const struct ng_media_in *in,
	    const char **reason)
{
	char hash[16], fp[DTLS_FP_STR_MAX], err[SESSION_ERR_LEN];
	struct dtls_leg_conf dc = { .role = DTLS_ROLE_SERVER, .fp_hash = hash, .fp = fp, .ice = e->ice };

	copy_sdp_str(hash, sizeof(hash), in->fp.hash);
	copy_sdp_str(fp, sizeof(fp), in->fp.value);
	if (!(in->has_setup && in->setup == SDP_SETUP_PASSIVE)) {
		if (dtls_legs_set_peer_fingerprint(nc->p.dtls_legs, e->leg, hash, fp) == 0)
			return 0;
		*reason = "the answer's a=fingerprint is not one the box can check";
		return -EINVAL;
	}
	if (e->ice || !in->has_remote) {
		*reason = "a=setup:passive answer: the box connects only to a signalled address without ICE";
		return -ENOTSUP;
	}
	dc.role = DTLS_ROLE_CLIENT;
	e->dtls_client = true;
	if (call_leg_set_remote(nc->p.calls, e->leg, &in->remote) != 0 ||
	    dtls_legs_attach(nc->p.dtls_legs, e->leg, &dc, err, sizeof(err)) != 0) {
		*reason = "cannot connect DTLS to the answerer";
		return -EINVAL;
	}
	return 0;
}

int
ng_apply_answer(struct ng_calls *nc, struct ng_stream *st, const struct ng_media_in *in,
		const char **reason)
{
	struct ng_end *e = &st->end[NG_SIDE_ANSWER];
	char ufrag[STUN_UFRAG_MAX + 1], err[SESSION_ERR_LEN];
	bool dtls = st->e2ae && e->sec == NG_SEC_DTLS;

	if (st->session == SESSION_NONE)
		return 0;
	e->rejected = in->port == 0;
	if (e->rejected)
		return 0;
	e->mux = e->mux && in->mux;
	if (st->e2ae && e->sec == NG_SEC_SDES && answer_keys(nc, st, e, in, reason) != 0)
		return -EINVAL;
	if (!st->e2ae && e->sec == NG_SEC_SDES)
		passed_answer_keys(nc, st, in);
	if (dtls && answer_dtls(nc, e, in, reason) != 0)
		return -EINVAL;
	if (e->ice && in->ice) {
		copy_sdp_str(ufrag, sizeof(ufrag), in->ice_ufrag);
		if (ice_legs_set_remote_ufrag(nc->p.ice, e->leg, ufrag, err, sizeof(err)) != 0) {
			*reason = "the answer's a=ice-ufrag is malformed";
			return -EINVAL;
		}
	}
	if (!e->ice && !dtls && in->has_remote &&
	    call_leg_set_remote(nc->p.calls, e->leg, &in->remote) != 0) {
		*reason = "the answer's address is not one the box may send to";
		return -EINVAL;
	}
	if (ng_rtcp_answer(nc, st, in) != 0) {
		*reason = "the answer's RTCP address is not one the box may send to";
		return -EINVAL;
	}
	return 0;
}
