/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ng_sdp.h"

#define NG_LINES_PER_SECTION 24
#define NG_POOL_SIZE (SDP_MAX_MEDIA * 4096)

enum ng_sec
ng_proto_sec(struct sdp_str proto)
{
	if (proto.len >= 8 && memcmp(proto.p, "UDP/TLS/", 8) == 0)
		return NG_SEC_DTLS;
	if (sdp_str_eq(proto, "RTP/SAVP") || sdp_str_eq(proto, "RTP/SAVPF"))
		return NG_SEC_SDES;
	return NG_SEC_RTP;
}

bool
ng_proto_known(struct sdp_str proto)
{
	static const char *const known[] = {
		"RTP/AVP", "RTP/AVPF", "RTP/SAVP", "RTP/SAVPF",
		"UDP/TLS/RTP/SAVP", "UDP/TLS/RTP/SAVPF",
	};

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (sdp_str_eq(proto, known[i]))
			return true;
	return false;
}

static bool
addr_unspecified(const struct inet_addr *a)
{
	static const uint8_t zero[16];

	return memcmp(a->bytes, zero, a->family == INET_FAMILY_V6 ? 16 : 4) == 0;
}

/* The section's c=, else the session's: the party's media address. */
static int
read_remote(const struct sdp *sdp, const struct sdp_media *m, struct ng_media_in *in,
	    const char **reason)
{
	const struct sdp_conn *c = m->sec.c_line >= 0 ? &m->sec.conn :
				   sdp->session.c_line >= 0 ? &sdp->session.conn : NULL;
	char addr[64];
	struct inet_addr a;
	size_t n;

	if (c == NULL) {
		*reason = "a media section has no c= line";
		return -EINVAL;
	}
	/* Any /ttl or /count ends the address: multicast, which the box does not relay. */
	n = c->addr.len;
	if (n >= sizeof(addr) || memchr(c->addr.p, '/', n) != NULL ||
	    !(sdp_str_eq(c->addrtype, "IP4") || sdp_str_eq(c->addrtype, "IP6"))) {
		*reason = "c= is not one IP4 or IP6 unicast address";
		return -EINVAL;
	}
	memcpy(addr, c->addr.p, n);
	addr[n] = '\0';
	if (inet_addr_parse(addr, &a) != 0) {
		/* An FQDN (RFC 8866 allows one): the box takes the remote from media then. */
		in->has_remote = false;
		return 0;
	}
	in->has_remote = !addr_unspecified(&a) && in->port != 0;
	inet_endpoint_set(&in->remote, &a, rte_cpu_to_be_16(in->port));
	return 0;
}

static int
read_security(const struct sdp *sdp, const struct sdp_media *m, struct ng_media_in *in,
	      const char **reason)
{
	const struct sdp_section *sec = &m->sec;
	struct sdp_str v;
	int i;

	in->sec = ng_proto_sec(m->proto);
	if (in->sec == NG_SEC_DTLS) {
		if (sdp_fingerprint(sdp, sec, &in->fp) != 0 &&
		    sdp_fingerprint(sdp, &sdp->session, &in->fp) != 0) {
			*reason = "a UDP/TLS section has no valid a=fingerprint";
			return -EINVAL;
		}
		in->has_setup = sdp_setup(sdp, sec, &in->setup) == 0 ||
				sdp_setup(sdp, &sdp->session, &in->setup) == 0;
	}
	if (in->sec != NG_SEC_SDES)
		return 0;
	for (i = sdp_attr_find(sdp, sec, "crypto", 0); i >= 0 && in->n_crypto < NG_CRYPTO_MAX;
	     i = sdp_attr_find(sdp, sec, "crypto", i + 1)) {
		v = sdp->lines[i].value;
		if (sdp_parse_crypto(v, &in->crypto[in->n_crypto]) != 0) {
			*reason = "a=crypto is malformed";
			return -EINVAL;
		}
		in->n_crypto++;
	}
	return 0;
}

int
ng_media_read(const struct sdp *sdp, unsigned int i, struct ng_media_in *in,
	      const char **reason)
{
	const struct sdp_media *m = &sdp->media[i];
	struct sdp_rtcp rtcp;

	memset(in, 0, sizeof(*in));
	in->media = m->media;
	in->proto = m->proto;
	in->port = m->port;
	(void)sdp_mid(sdp, &m->sec, &in->mid);
	if (in->mid.len > NG_MID_MAX) {
		*reason = "a=mid is longer than 32 bytes";
		return -EINVAL;
	}
	in->mux = sdp_attr_has(sdp, &m->sec, "rtcp-mux");
	if (sdp_rtcp(sdp, &m->sec, &rtcp) == 0)
		in->rtcp_port = rtcp.port;
	in->ice = sdp_ice_ufrag(sdp, &m->sec, &in->ice_ufrag) == 0 ||
		  sdp_ice_ufrag(sdp, &sdp->session, &in->ice_ufrag) == 0;
	if (read_remote(sdp, m, in, reason) != 0)
		return -EINVAL;
	return read_security(sdp, m, in, reason);
}

/* Lines the box writes, kept until sdp_write has copied them. Control lcore only. */
struct ng_sdp_scratch {
	char pool[NG_POOL_SIZE];
	size_t used;
	const char *lines[SDP_MAX_MEDIA + 1][NG_LINES_PER_SECTION];
	const char *remove[SDP_MAX_MEDIA + 1][16];
	char addr[SDP_MAX_MEDIA + 1][INET_ADDR_STRLEN];
	struct sdp_section_edit media[SDP_MAX_MEDIA];
	int err;
};

static struct ng_sdp_scratch scratch;

static void
add_line(struct sdp_section_edit *e, const char **lines, const char *fmt, const char *a,
	 const char *b)
{
	size_t room = sizeof(scratch.pool) - scratch.used;
	char *p = scratch.pool + scratch.used;
	int n;

	if (scratch.err != 0)
		return;
	n = snprintf(p, room, fmt, a, b ? b : "");
	if (n < 0 || (size_t)n >= room || e->n_append == NG_LINES_PER_SECTION) {
		scratch.err = -ENOSPC;
		return;
	}
	lines[e->n_append++] = p;
	scratch.used += (size_t)n + 1;
}

static void
add_remove(struct sdp_section_edit *e, const char **names, const char *name)
{
	if (e->n_remove < 16)
		names[e->n_remove++] = name;
}

static const char *const ice_attrs[] = {
	"ice-ufrag", "ice-pwd", "ice-options", "ice-lite", "candidate", "end-of-candidates",
	"remote-candidates", "ice-mismatch", "ice-pacing",
};
static const char *const dtls_attrs[] = { "fingerprint", "setup", "tls-id" };

static void
remove_all(struct sdp_section_edit *e, const char **names, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		add_remove(e, names, list[i]);
}

static void
write_ice(struct sdp_section_edit *e, const char **l, const struct ng_media_out *mo)
{
	char port[8];

	add_line(e, l, "a=ice-ufrag:%s%s", mo->ice_ufrag, NULL);
	add_line(e, l, "a=ice-pwd:%s%s", mo->ice_pwd, NULL);
	snprintf(port, sizeof(port), "%u", mo->port);
	for (unsigned int c = 0; c < mo->n_cand; c++) {
		char addr[INET_ADDR_STRLEN];
		bool v6 = mo->cand[c].family == INET_FAMILY_V6;

		inet_addr_format(&mo->cand[c], addr, sizeof(addr));
		/* RFC 8445 §5.1.2.1: host type 126, IPv4 preferred (local preference). */
		add_line(e, l, v6 ? "a=candidate:2 1 udp 2130706175 %s %s typ host" :
			 "a=candidate:1 1 udp 2130706431 %s %s typ host", addr, port);
	}
	add_line(e, l, "a=end-of-candidates%s", "", NULL);
}

static void
write_media(const struct sdp *sdp, unsigned int i, const struct ng_media_out *mo)
{
	struct sdp_section_edit *e = &scratch.media[i];
	const char **l = scratch.lines[i + 1], **r = scratch.remove[i + 1];
	char port[8];

	memset(e, 0, sizeof(*e));
	e->append = l;
	e->remove = r;
	if (mo->rejected) {
		e->set_port = true;
		e->proto = mo->proto;
		if (mo->mid != NULL) {
			add_remove(e, r, "mid");
			add_line(e, l, "a=mid:%s%s", mo->mid, NULL);
		}
		return;
	}
	inet_addr_format(&mo->addr, scratch.addr[i + 1], sizeof(scratch.addr[i + 1]));
	/* A section that took the session's c= keeps doing so (it moves to the box too). */
	if (sdp->media[i].sec.c_line >= 0 || sdp->session.c_line < 0) {
		e->addr_type = mo->addr.family == INET_FAMILY_V6 ? "IP6" : "IP4";
		e->addr = scratch.addr[i + 1];
	}
	e->set_port = true;
	e->port = mo->port;
	e->proto = mo->proto;
	if (mo->mid != NULL) {
		add_remove(e, r, "mid");
		add_line(e, l, "a=mid:%s%s", mo->mid, NULL);
	}
	if (mo->terminate_ice)
		remove_all(e, r, ice_attrs, sizeof(ice_attrs) / sizeof(ice_attrs[0]));
	if (mo->ice)
		write_ice(e, l, mo);
	if (mo->terminate_dtls)
		remove_all(e, r, dtls_attrs, sizeof(dtls_attrs) / sizeof(dtls_attrs[0]));
	if (mo->dtls) {
		add_line(e, l, "a=fingerprint:%s%s", mo->fingerprint, NULL);
		add_line(e, l, "a=setup:%s%s", mo->setup, NULL);
	}
	if (mo->terminate_sdes)
		add_remove(e, r, "crypto");
	for (unsigned int c = 0; c < mo->n_crypto; c++)
		add_line(e, l, "a=crypto:%s%s", mo->crypto[c], NULL);
	if (mo->set_mux) {
		add_remove(e, r, "rtcp-mux");
		add_remove(e, r, "rtcp");
		snprintf(port, sizeof(port), "%u", mo->rtcp_port != 0 ? mo->rtcp_port : mo->port);
		if (mo->mux)
			add_line(e, l, "a=rtcp-mux%s%s", "", NULL);
		else if (!mo->no_rtcp_attr)
			/* RFC 3605: where the box takes RTCP (its RTCP leg, or the RTP port). */
			add_line(e, l, "a=rtcp:%s%s", port, NULL);
	}
}

static void
write_session(const struct ng_session_out *so, struct sdp_edits *ed)
{
	struct sdp_section_edit *e = &ed->session;
	const char **l = scratch.lines[0], **r = scratch.remove[0];

	inet_addr_format(&so->addr, scratch.addr[0], sizeof(scratch.addr[0]));
	if (so->origin) {
		ed->origin_addr_type = so->addr.family == INET_FAMILY_V6 ? "IP6" : "IP4";
		ed->origin_addr = scratch.addr[0];
	}
	e->append = l;
	e->remove = r;
	if (so->strip_ice || so->ice_lite)
		remove_all(e, r, ice_attrs, sizeof(ice_attrs) / sizeof(ice_attrs[0]));
	if (so->strip_dtls)
		remove_all(e, r, dtls_attrs, sizeof(dtls_attrs) / sizeof(dtls_attrs[0]));
	if (so->strip_bundle || so->bundle != NULL)
		add_remove(e, r, "group");
	if (so->ice_lite)
		add_line(e, l, "a=ice-lite%s%s", "", NULL);
	if (so->bundle != NULL)
		add_line(e, l, "a=group:%s%s", so->bundle, NULL);
}

int
ng_sdp_write(const struct sdp *sdp, const struct ng_session_out *so,
	     const struct ng_media_out *mo, unsigned int n_media, char *buf, size_t cap)
{
	struct sdp_edits ed;

	memset(&ed, 0, sizeof(ed));
	scratch.used = 0;
	scratch.err = 0;
	write_session(so, &ed);
	for (unsigned int i = 0; i < n_media && i < SDP_MAX_MEDIA; i++)
		write_media(sdp, i, &mo[i]);
	ed.media = scratch.media;
	ed.n_media = n_media;
	if (scratch.err != 0)
		return scratch.err;
	/* A session-level c= moves to the box with every section's. */
	if (sdp->session.c_line >= 0) {
		ed.session.addr_type = so->addr.family == INET_FAMILY_V6 ? "IP6" : "IP4";
		ed.session.addr = scratch.addr[0];
	}
	return sdp_write(sdp, &ed, buf, cap);
}
