/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * srtpfwd-gen-flows: write a capture of N SRTP-like UDP flows for the e2e
 * forwarding benchmark (replayed by net_pcap with infinite_rx=1).
 *
 * Flow i goes from one remote (--src-ip:--src-port) to the local endpoint
 * that 'session add e2e ... count=N' gives session i: port lo+i%P on the
 * address number i/P, where P = hi-lo+1 ports per address, addresses
 * consecutive from --dst-ip. Each packet is Ethernet/IPv4 (or IPv6)/UDP/
 * RTP v2 header + payload + a 10-byte fake SRTP auth tag, checksums correct.
 * One packet per flow per round; sequence numbers and timestamps advance
 * per round, the SSRC is per flow.
 *
 * With --srtp PROFILE:KEY the RTP packets are protected by libsrtp2 instead
 * (real tags, --tag ignored): a capture long enough for an inbound SRTP
 * benchmark that must not loop (libsrtp2 cannot switch its replay check off).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <srtp2/srtp.h>

#include "lib/capture.h"
#include "lib/udp_frame.h"

#define RTP_HLEN 12
#define MAX_PAYLOAD 1400
#define MAX_FRAME (UDP_FRAME_ETH_HLEN + UDP_FRAME_IP6_HLEN + UDP_FRAME_UDP_HLEN + RTP_HLEN + \
		   MAX_PAYLOAD + SRTP_MAX_TRAILER_LEN)

struct opts {
	const char *out;
	uint32_t flows;
	uint32_t rounds;
	uint32_t payload;
	uint32_t tag;
	uint16_t port_lo, port_hi;
	int v6;
	struct in_addr src4, dst4;
	struct in6_addr src6, dst6;
	uint16_t src_port;
	uint8_t dmac[6], smac[6];
	srtp_t srtp;		/* --srtp: protects every packet */
};

/* SDES / DTLS-SRTP profile names libsrtp2 knows, and their master key || salt lengths. */
static const struct {
	const char *name;
	void (*set)(srtp_crypto_policy_t *p);
	void (*set_rtcp)(srtp_crypto_policy_t *p);
	unsigned int key_len;
} profiles[] = {
	{ "AES_CM_128_HMAC_SHA1_80", srtp_crypto_policy_set_rtp_default,
	  srtp_crypto_policy_set_rtcp_default, 30 },
	{ "AES_CM_128_HMAC_SHA1_32", srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32,
	  srtp_crypto_policy_set_rtcp_default, 30 },
	{ "AEAD_AES_128_GCM", srtp_crypto_policy_set_aes_gcm_128_16_auth,
	  srtp_crypto_policy_set_aes_gcm_128_16_auth, 28 },
	{ "AEAD_AES_256_GCM", srtp_crypto_policy_set_aes_gcm_256_16_auth,
	  srtp_crypto_policy_set_aes_gcm_256_16_auth, 44 },
	{ "NULL_HMAC_SHA1_80", srtp_crypto_policy_set_null_cipher_hmac_sha1_80,
	  srtp_crypto_policy_set_null_cipher_hmac_sha1_80, 30 },
};

static int
b64_value(int ch)
{
	const char *a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = ch != 0 ? strchr(a, ch) : NULL;

	return p != NULL ? (int)(p - a) : -1;
}

/* "PROFILE:base64(key || salt)" -> an outbound libsrtp2 session; 0 or -1. */
static int
srtp_setup(struct opts *o, const char *arg)
{
	uint8_t key[64];
	const char *colon = strchr(arg, ':');
	srtp_policy_t pol;
	unsigned int i, n = 0, bits = 0, acc = 0;
	size_t name_len;

	if (colon == NULL)
		return -1;
	name_len = (size_t)(colon - arg);
	for (i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
		if (strlen(profiles[i].name) == name_len &&
		    strncmp(profiles[i].name, arg, name_len) == 0)
			break;
	if (i == sizeof(profiles) / sizeof(profiles[0]))
		return -1;
	for (const char *c = colon + 1; *c != '\0' && *c != '='; c++) {
		int v = b64_value(*c);

		if (v < 0 || n == sizeof(key))
			return -1;
		acc = acc << 6 | (unsigned int)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			key[n++] = (uint8_t)(acc >> bits);
		}
	}
	if (n != profiles[i].key_len || srtp_init() != srtp_err_status_ok)
		return -1;
	memset(&pol, 0, sizeof(pol));
	profiles[i].set(&pol.rtp);
	profiles[i].set_rtcp(&pol.rtcp);
	pol.ssrc.type = ssrc_any_outbound;
	pol.key = key;
	pol.window_size = 128;
	return srtp_create(&o->srtp, &pol) == srtp_err_status_ok ? 0 : -1;
}

static void
usage(FILE *f, const char *prog)
{
	fprintf(f,
		"usage: %s -o FILE [options]\n"
		"  -o, --output FILE       capture to write (pcap, Ethernet)\n"
		"  -n, --flows N           number of flows (default 1000)\n"
		"  -r, --rounds R          packets per flow, one per round (default 1)\n"
		"  -s, --payload BYTES     RTP payload bytes (default 160)\n"
		"  -t, --tag BYTES         fake SRTP auth tag bytes (default 10)\n"
		"  -p, --ports LO-HI       media port range per address (default 10000-59999)\n"
		"  -d, --dst-ip IP         first local address (default 198.18.1.1 / 2001:2::1:1)\n"
		"  -S, --src-ip IP         remote (source) address (default 198.18.0.2 / 2001:2::2)\n"
		"  -P, --src-port PORT     remote (source) UDP port (default 5000)\n"
		"  -6, --ipv6              IPv6 instead of IPv4\n"
		"  -m, --dst-mac MAC       destination MAC (default 02:00:00:00:00:01)\n"
		"  -M, --src-mac MAC       source MAC (default 02:00:00:00:00:02)\n"
		"  -x, --srtp PROFILE:KEY  protect with libsrtp2 (KEY: base64 master key || salt)\n"
		"  -h, --help              this text\n"
		"Flow i: port LO + i %% (HI-LO+1) on address dst-ip + i / (HI-LO+1),\n"
		"the layout of 'session add e2e IF LO ... count=N'.\n",
		prog);
}

static int
parse_mac(const char *s, uint8_t m[6])
{
	unsigned int b[6];

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6)
		return -1;
	for (int i = 0; i < 6; i++) {
		if (b[i] > 255)
			return -1;
		m[i] = (uint8_t)b[i];
	}
	return 0;
}

static int
parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *v)
{
	char *end;
	unsigned long long x;

	errno = 0;
	x = strtoull(s, &end, 0);
	if (errno || *s == '\0' || *end != '\0' || x < min || x > max)
		return -1;
	*v = (uint32_t)x;
	return 0;
}

/* The local address of flow number 'idx' (address index a = idx / ports). */
static void
dst_addr(const struct opts *o, uint32_t a, struct in_addr *v4, struct in6_addr *v6)
{
	if (!o->v6) {
		v4->s_addr = htonl(ntohl(o->dst4.s_addr) + a);
		return;
	}
	*v6 = o->dst6;
	/* add a to the low 32 bits (with carry into the next 32 ignored: plenty) */
	uint32_t lo;
	memcpy(&lo, &v6->s6_addr[12], 4);
	lo = htonl(ntohl(lo) + a);
	memcpy(&v6->s6_addr[12], &lo, 4);
}

static size_t
build(const struct opts *o, uint32_t flow, uint32_t round, uint8_t *pkt)
{
	uint32_t per_addr = (uint32_t)o->port_hi - o->port_lo + 1;
	size_t len = RTP_HLEN + o->payload + (o->srtp != NULL ? 0 : o->tag);
	uint8_t *rtp = pkt + udp_frame_payload_off(o->v6);
	struct udp_frame_hdr h = {
		.v6 = o->v6, .src4 = o->src4, .src6 = o->src6, .sport = o->src_port,
		.dport = (uint16_t)(o->port_lo + flow % per_addr),
		.ip_id = (uint16_t)(flow + round), .dscp_ecn = 0xb8, /* DSCP EF */
	};

	dst_addr(o, flow / per_addr, &h.dst4, &h.dst6);
	memcpy(h.dmac, o->dmac, 6);
	memcpy(h.smac, o->smac, 6);
	/* RTP v2, PT 111 (opus-like), seq/timestamp per round, SSRC per flow */
	rtp[0] = 0x80;
	rtp[1] = 111;
	udp_frame_put16(rtp + 2, (uint16_t)(flow * 7 + round));
	udp_frame_put32(rtp + 4, flow * 1000u + round * 960u);
	udp_frame_put32(rtp + 8, 0x10000000u + flow);
	for (uint32_t i = 0; i < o->payload + o->tag; i++)
		rtp[RTP_HLEN + i] = (uint8_t)(i * 31 + flow + round);
	if (o->srtp != NULL) {
		int n = (int)len;

		if (srtp_protect(o->srtp, rtp, &n) != srtp_err_status_ok)
			return 0;
		len = (size_t)n;
	}
	return udp_frame_finish(pkt, &h, len);
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "flows", required_argument, NULL, 'n' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "payload", required_argument, NULL, 's' },
		{ "tag", required_argument, NULL, 't' },
		{ "ports", required_argument, NULL, 'p' },
		{ "dst-ip", required_argument, NULL, 'd' },
		{ "src-ip", required_argument, NULL, 'S' },
		{ "src-port", required_argument, NULL, 'P' },
		{ "ipv6", no_argument, NULL, '6' },
		{ "dst-mac", required_argument, NULL, 'm' },
		{ "src-mac", required_argument, NULL, 'M' },
		{ "srtp", required_argument, NULL, 'x' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = {
		.flows = 1000, .rounds = 1, .payload = 160, .tag = 10,
		.port_lo = 10000, .port_hi = 59999, .src_port = 5000,
		.dmac = { 2, 0, 0, 0, 0, 1 }, .smac = { 2, 0, 0, 0, 0, 2 },
	};
	const char *dst = NULL, *src = NULL;
	uint32_t v, a, b;
	int c;

	while ((c = getopt_long(argc, argv, "o:n:r:s:t:p:d:S:P:6m:M:x:h", lo, NULL)) != -1) {
		switch (c) {
		case 'o': o.out = optarg; break;
		case 'n':
			if (parse_u32(optarg, 1, 1u << 24, &o.flows)) goto bad;
			break;
		case 'r':
			if (parse_u32(optarg, 1, 1u << 20, &o.rounds)) goto bad;
			break;
		case 's':
			if (parse_u32(optarg, 0, MAX_PAYLOAD, &o.payload)) goto bad;
			break;
		case 't':
			if (parse_u32(optarg, 0, 16, &o.tag)) goto bad;
			break;
		case 'p':
			if (sscanf(optarg, "%u-%u", &a, &b) != 2 || a < 1 || b > 65535 || a > b)
				goto bad;
			o.port_lo = (uint16_t)a;
			o.port_hi = (uint16_t)b;
			break;
		case 'd': dst = optarg; break;
		case 'S': src = optarg; break;
		case 'P':
			if (parse_u32(optarg, 1, 65535, &v)) goto bad;
			o.src_port = (uint16_t)v;
			break;
		case '6': o.v6 = 1; break;
		case 'm':
			if (parse_mac(optarg, o.dmac)) goto bad;
			break;
		case 'M':
			if (parse_mac(optarg, o.smac)) goto bad;
			break;
		case 'x':
			if (srtp_setup(&o, optarg)) goto bad;
			break;
		case 'h': usage(stdout, argv[0]); return 0;
		default: usage(stderr, argv[0]); return 2;
		}
	}
	if (o.out == NULL || optind != argc) {
		usage(stderr, argv[0]);
		return 2;
	}
	if (!o.v6) {
		if (inet_pton(AF_INET, dst ? dst : "198.18.1.1", &o.dst4) != 1 ||
		    inet_pton(AF_INET, src ? src : "198.18.0.2", &o.src4) != 1) {
			fprintf(stderr, "%s: bad IPv4 address\n", argv[0]);
			return 2;
		}
	} else if (inet_pton(AF_INET6, dst ? dst : "2001:2::1:1", &o.dst6) != 1 ||
		   inet_pton(AF_INET6, src ? src : "2001:2::2", &o.src6) != 1) {
		fprintf(stderr, "%s: bad IPv6 address\n", argv[0]);
		return 2;
	}

	struct capture cap;
	uint8_t pkt[MAX_FRAME];
	size_t first_len = 0;

	if (capture_open(&cap, o.out, argv[0]) != 0)
		return 1;
	for (uint32_t r = 0; r < o.rounds; r++)
		for (uint32_t f = 0; f < o.flows; f++) {
			size_t len = build(&o, f, r, pkt);

			if (len == 0) {
				fprintf(stderr, "%s: srtp_protect failed\n", argv[0]);
				return 1;
			}
			if (cap.frames == 0)
				first_len = len;
			/* 50 rounds a second (20 ms packets), the flows spread over each round */
			capture_put(&cap, pkt, len, (uint64_t)r * 20000 +
				    (uint64_t)f * 20000 / o.flows);
		}
	uint64_t n = cap.frames;
	if (capture_close(&cap, o.out, argv[0]) != 0)
		return 1;
	uint32_t per_addr = (uint32_t)o.port_hi - o.port_lo + 1;
	printf("%s: %" PRIu64 " packets, %u flows x %u rounds, %u addresses x up to %u ports, "
	       "%zu bytes each\n", o.out, n, o.flows, o.rounds,
	       (o.flows + per_addr - 1) / per_addr, per_addr, first_len);
	return 0;
bad:
	fprintf(stderr, "%s: bad value for -%c: '%s'\n", argv[0], c, optarg);
	usage(stderr, argv[0]);
	return 2;
}
