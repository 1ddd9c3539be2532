/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * srtpfwd-gen-ice: captures for the ICE-lite benchmarks (bench/ice_stun.sh,
 * bench/ice_flood.sh), replayed by net_pcap with infinite_rx=1, and the
 * console commands that provision the legs they are for (-c): K e2e sessions,
 * session i with ICE-lite on leg a (access 198.18.1.1, port LO+i, its own
 * ufrag, password and remote ufrag) and leg b on core (port 30000+i,
 * b-remote 198.19.0.2:6000). The Binding requests are Chrome's shape:
 * USERNAME, GOOG-NETWORK-INFO, ICE-CONTROLLING, [USE-CANDIDATE], PRIORITY,
 * MESSAGE-INTEGRITY, FINGERPRINT (96 bytes, 100 with USE-CANDIDATE), built
 * with lib/stun's writer.
 *
 *   --mode stun   N distinct requests, request j to leg j % K from its own
 *                 source (198.18.64.0 + j % 16384, port 40000 + j / 16384),
 *                 no USE-CANDIDATE: each is answered with a success response.
 *                 --bad mi: every MESSAGE-INTEGRITY made with a wrong password;
 *                 --bad ufrag: every USERNAME names no leg (both: 401).
 *   --mode flood  K nominating checks (USE-CANDIDATE) from each leg's peer
 *                 (198.18.0.2, port 5000+i), then R rounds of one SRTP-like
 *                 media packet per leg from that peer (RTP header + 160 bytes
 *                 + 10-byte tag), each followed by F unauthenticated packets
 *                 from spoofed sources (198.18.128.0/17, many ports), kinds in
 *                 turn: STUN with a wrong MESSAGE-INTEGRITY (and USE-CANDIDATE),
 *                 STUN with a wrong ufrag, a DTLS ClientHello-shaped record,
 *                 SRTP-looking media with the leg's SSRC, random garbage.
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stun.h"

#include "lib/capture.h"
#include "lib/udp_frame.h"

#define MAX_FRAME 512
#define MAX_LEGS 16384
#define MAX_REQUESTS (1u << 20)
#define B_PORT 30000
#define PEER_PORT 5000
#define MEDIA_PAYLOAD (160 + 10)	/* RTP payload + fake SRTP tag */

enum mode { MODE_STUN, MODE_FLOOD };
enum bad { BAD_NONE, BAD_MI, BAD_UFRAG };
enum flood_kind { FK_STUN_MI, FK_STUN_UFRAG, FK_DTLS, FK_SRTP, FK_GARBAGE, FK_MAX };
static const char *const flood_kind_names[FK_MAX] = { "mi", "ufrag", "dtls", "srtp", "garbage" };

struct opts {
	const char *out, *cmds;
	enum mode mode;
	enum bad bad;
	uint32_t legs, requests, rounds, flood;
	uint16_t port_lo;
	enum flood_kind kinds[FK_MAX];	/* the flood's kinds, in turn */
	uint8_t n_kinds;
};

/* Leg i's credentials, as the commands give them and the requests use them. */
struct cred {
	char ufrag[12], remote[12], pwd[32];
	struct stun_key key;
};

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static void
cred_of(uint32_t leg, struct cred *c)
{
	snprintf(c->ufrag, sizeof(c->ufrag), "u%04x", leg);
	snprintf(c->remote, sizeof(c->remote), "r%04x", leg);
	snprintf(c->pwd, sizeof(c->pwd), "benchpassword%011u", leg);
	stun_key_init(&c->key, (const uint8_t *)c->pwd, strlen(c->pwd));
}

static int
write_cmds(const struct opts *o)
{
	FILE *f = fopen(o->cmds, "w");
	struct cred c;

	if (f == NULL) {
		perror(o->cmds);
		return -1;
	}
	for (uint32_t i = 0; i < o->legs; i++) {
		cred_of(i, &c);
		fprintf(f, "session add e2e access %u core %u b-remote=198.19.0.2:6000 a-ice=lite "
			"a-ice-ufrag=%s a-ice-pwd=%s a-ice-remote-ufrag=%s\n",
			o->port_lo + i, B_PORT + i, c.ufrag, c.pwd, c.remote);
	}
	return fclose(f) == 0 ? 0 : -1;
}

/* A Binding request of Chrome's shape to leg c; MI with key (NULL: c's). Its length. */
static uint16_t
binding_request(uint8_t *p, uint16_t cap, const struct cred *c, const char *username,
		bool use_candidate, const struct stun_key *key)
{
	static const uint8_t net_info[4] = { 0, 1, 0, 10 };	/* network id 1, cost 10 */
	uint8_t txid[STUN_TXID_LEN];
	struct stun_writer w;

	for (int i = 0; i < STUN_TXID_LEN; i++)
		txid[i] = (uint8_t)rnd();
	stun_writer_init(&w, p, cap, STUN_BINDING_REQUEST, txid);
	stun_writer_attr(&w, STUN_ATTR_USERNAME, username, (uint16_t)strlen(username));
	stun_writer_attr(&w, STUN_ATTR_GOOG_NETWORK_INFO, net_info, sizeof(net_info));
	stun_writer_attr_u64(&w, STUN_ATTR_ICE_CONTROLLING, (uint64_t)rnd() << 32 | rnd());
	if (use_candidate)
		stun_writer_attr(&w, STUN_ATTR_USE_CANDIDATE, NULL, 0);
	stun_writer_attr_u32(&w, STUN_ATTR_PRIORITY, 0x6e001eff - (rnd() & 0xff));
	stun_writer_integrity(&w, key != NULL ? key : &c->key);
	stun_writer_fingerprint(&w);
	return stun_writer_end(&w);
}

/* A check to leg c: good, or wrong as bad says. */
static uint16_t
check(uint8_t *p, const struct cred *c, enum bad bad, bool use_candidate)
{
	static const char wrong_pwd[] = "not-the-password-of-any-leg";
	static struct stun_key wrong;
	static bool wrong_made;
	char username[32];

	if (bad == BAD_MI && !wrong_made) {
		stun_key_init(&wrong, (const uint8_t *)wrong_pwd, strlen(wrong_pwd));
		wrong_made = true;
	}
	snprintf(username, sizeof(username), "%s:%s", bad == BAD_UFRAG ? "zzzzz" : c->ufrag,
		 c->remote);
	return binding_request(p, MAX_FRAME - 64, c, username, use_candidate,
			       bad == BAD_MI ? &wrong : NULL);
}

/* SRTP-looking media of leg: RTP v2, PT 111, the leg's SSRC. */
static uint16_t
media(uint8_t *p, uint32_t leg, uint32_t seq)
{
	p[0] = 0x80;
	p[1] = 111;
	udp_frame_put16(p + 2, (uint16_t)seq);
	udp_frame_put32(p + 4, seq * 960u);
	udp_frame_put32(p + 8, 0x10000000u + leg);
	for (int i = 0; i < MEDIA_PAYLOAD; i++)
		p[12 + i] = (uint8_t)(i * 31 + leg + seq);
	return 12 + MEDIA_PAYLOAD;
}

/* A DTLS 1.2 handshake record shaped like a ClientHello (random body). */
static uint16_t
dtls_hello(uint8_t *p)
{
	uint16_t body = 120 + (rnd() & 63), i;

	p[0] = 22;			/* handshake */
	p[1] = 0xfe;
	p[2] = 0xfd;			/* DTLS 1.2 */
	memset(p + 3, 0, 8);		/* epoch 0, sequence number */
	p[10] = (uint8_t)rnd();
	udp_frame_put16(p + 11, body);
	p[13] = 1;			/* client_hello */
	for (i = 14; i < 13 + body; i++)
		p[i] = (uint8_t)rnd();
	return (uint16_t)(13 + body);
}

static uint16_t
garbage(uint8_t *p)
{
	uint16_t len = 1 + (rnd() % 200);

	for (uint16_t i = 0; i < len; i++)
		p[i] = (uint8_t)rnd();
	return len;
}

/* Frame with payload_len bytes at the payload offset, from src:sport to leg's local port. */
static void
emit(struct capture *cap, const struct opts *o, uint8_t *frame, size_t payload_len,
     uint32_t src, uint16_t sport, uint32_t leg)
{
	struct udp_frame_hdr h = {
		.dmac = { 2, 0, 0, 0, 0, 1 }, .smac = { 2, 0, 0, 0, 0, 2 },
		.src4.s_addr = htonl(src), .dst4.s_addr = htonl(0xc6120101),	/* 198.18.1.1 */
		.sport = sport, .dport = (uint16_t)(o->port_lo + leg),
		.ip_id = (uint16_t)cap->frames,
	};

	capture_put(cap, frame, udp_frame_finish(frame, &h, payload_len), cap->frames * 10);
}

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))

static void
gen_stun(struct capture *cap, const struct opts *o, uint8_t *frame, uint8_t *pl)
{
	struct cred c;

	for (uint32_t j = 0; j < o->requests; j++) {
		cred_of(j % o->legs, &c);
		emit(cap, o, frame, check(pl, &c, o->bad, false), IP(198, 18, 64, 0) + j % 16384,
		     (uint16_t)(40000 + j / 16384), j % o->legs);
	}
}

/* The n-th unauthenticated packet, to leg (credentials c), from a spoofed source. */
static void
flood_one(struct capture *cap, const struct opts *o, uint8_t *frame, uint8_t *pl, uint64_t n,
	  uint32_t leg, const struct cred *c)
{
	uint32_t src = IP(198, 18, 128, 0) + (uint32_t)(n * 7919 % 32768);
	uint16_t sport = (uint16_t)(1024 + n * 104729 % 60000), len = 0;

	switch (o->kinds[n % o->n_kinds]) {
	case FK_STUN_MI: len = check(pl, c, BAD_MI, true); break;
	case FK_STUN_UFRAG: len = check(pl, c, BAD_UFRAG, true); break;
	case FK_DTLS: len = dtls_hello(pl); break;
	case FK_SRTP: len = media(pl, leg, (uint32_t)n); break;
	case FK_GARBAGE: len = garbage(pl); break;
	case FK_MAX: break;
	}
	emit(cap, o, frame, len, src, sport, leg);
}

static void
gen_flood(struct capture *cap, const struct opts *o, uint8_t *frame, uint8_t *pl)
{
	uint64_t n = 0;
	struct cred c;

	/* The peers nominate first: each loop of the capture renews their consent. */
	for (uint32_t i = 0; i < o->legs; i++) {
		cred_of(i, &c);
		emit(cap, o, frame, check(pl, &c, BAD_NONE, true), IP(198, 18, 0, 2),
		     (uint16_t)(PEER_PORT + i), i);
	}
	for (uint32_t r = 0; r < o->rounds; r++)
		for (uint32_t i = 0; i < o->legs; i++) {
			emit(cap, o, frame, media(pl, i, r), IP(198, 18, 0, 2),
			     (uint16_t)(PEER_PORT + i), i);
			if (o->flood > 0)
				cred_of(i, &c);
			for (uint32_t f = 0; f < o->flood; f++)
				flood_one(cap, o, frame, pl, n++, i, &c);
		}
}

static void
usage(FILE *f, const char *prog)
{
	fprintf(f,
		"usage: %s -o FILE -c CMDS [options]\n"
		"  -o, --output FILE     capture to write (pcap, Ethernet, IPv4)\n"
		"  -c, --commands FILE   console commands that add the K sessions\n"
		"  -m, --mode M          stun (default) or flood\n"
		"  -k, --legs K          ICE legs, one e2e session each (default 64)\n"
		"  -p, --port LO         first local port of leg a on access (default 20000)\n"
		"  -n, --requests N      stun: distinct Binding requests (default 1024)\n"
		"  -b, --bad mi|ufrag    stun: every request with a wrong MI / unknown ufrag\n"
		"  -r, --rounds R        flood: media packets per leg (default 512)\n"
		"  -f, --flood F         flood: unauthenticated packets per media packet (default 0)\n"
		"  -K, --kinds LIST      flood: kinds in turn, of mi,ufrag,dtls,srtp,garbage (default all)\n",
		prog);
}

static int
parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *v)
{
	char *end;
	unsigned long long x = strtoull(s, &end, 10);

	if (*s == '\0' || *end != '\0' || x < min || x > max)
		return -1;
	*v = (uint32_t)x;
	return 0;
}

/* "mi,dtls,..." -> o->kinds; 0 or -1. */
static int
parse_kinds(char *list, struct opts *o)
{
	char *save = NULL;

	o->n_kinds = 0;
	for (char *k = strtok_r(list, ",", &save); k != NULL; k = strtok_r(NULL, ",", &save)) {
		int i = 0;

		while (i < FK_MAX && strcmp(k, flood_kind_names[i]) != 0)
			i++;
		if (i == FK_MAX || o->n_kinds == FK_MAX)
			return -1;
		o->kinds[o->n_kinds++] = (enum flood_kind)i;
	}
	return o->n_kinds > 0 ? 0 : -1;
}

static int
parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "commands", required_argument, NULL, 'c' },
		{ "mode", required_argument, NULL, 'm' },
		{ "legs", required_argument, NULL, 'k' },
		{ "port", required_argument, NULL, 'p' },
		{ "requests", required_argument, NULL, 'n' },
		{ "bad", required_argument, NULL, 'b' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "flood", required_argument, NULL, 'f' },
		{ "kinds", required_argument, NULL, 'K' },
		{ NULL, 0, NULL, 0 },
	};
	uint32_t port = 20000;
	int c, bad = 0;

	while ((c = getopt_long(argc, argv, "o:c:m:k:p:n:b:r:f:K:", lo, NULL)) != -1) {
		switch (c) {
		case 'o': o->out = optarg; break;
		case 'c': o->cmds = optarg; break;
		case 'm':
			o->mode = strcmp(optarg, "flood") == 0 ? MODE_FLOOD : MODE_STUN;
			bad |= strcmp(optarg, "flood") != 0 && strcmp(optarg, "stun") != 0;
			break;
		case 'b':
			o->bad = strcmp(optarg, "mi") == 0 ? BAD_MI : BAD_UFRAG;
			bad |= strcmp(optarg, "mi") != 0 && strcmp(optarg, "ufrag") != 0;
			break;
		case 'k': bad |= parse_u32(optarg, 1, MAX_LEGS, &o->legs); break;
		case 'p': bad |= parse_u32(optarg, 1024, 65535, &port); break;
		case 'n': bad |= parse_u32(optarg, 1, MAX_REQUESTS, &o->requests); break;
		case 'r': bad |= parse_u32(optarg, 1, 1u << 20, &o->rounds); break;
		case 'f': bad |= parse_u32(optarg, 0, 64, &o->flood); break;
		case 'K': bad |= parse_kinds(optarg, o); break;
		default: bad = 1; break;
		}
	}
	o->port_lo = (uint16_t)port;
	if (bad || o->out == NULL || o->cmds == NULL || optind != argc ||
	    port + o->legs > 60000) {
		usage(stderr, argv[0]);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct opts o = {
		.legs = 64, .requests = 1024, .rounds = 512, .n_kinds = FK_MAX,
		.kinds = { FK_STUN_MI, FK_STUN_UFRAG, FK_DTLS, FK_SRTP, FK_GARBAGE },
	};
	uint8_t frame[MAX_FRAME];
	uint8_t *pl = frame + udp_frame_payload_off(0);
	struct capture cap;

	if (parse_args(argc, argv, &o) != 0)
		return 2;
	if (write_cmds(&o) != 0 || capture_open(&cap, o.out, argv[0]) != 0)
		return 1;
	if (o.mode == MODE_STUN)
		gen_stun(&cap, &o, frame, pl);
	else
		gen_flood(&cap, &o, frame, pl);
	uint64_t n = cap.frames;
	if (capture_close(&cap, o.out, argv[0]) != 0)
		return 1;
	printf("%s: %" PRIu64 " frames, %u legs (%s)\n", o.out, n, o.legs, o.cmds);
	return 0;
}
