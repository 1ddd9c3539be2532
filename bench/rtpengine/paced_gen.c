/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * srtpfwd-paced-gen: the traffic generator and meter of bench/rtpengine/run.sh,
 * the same for every box under test.
 *
 * It reads the flows of one trial (one line each, written by ng_calls.py:
 * "SRC_IP SRC_PORT DST_IP DST_PORT SSRC [SUITE inline:KEY]"), builds every
 * frame of the trial before the first one is sent (RTP v2, PCMU, consecutive
 * sequence numbers per flow; SRTP protected with the flow's SDES key when it
 * has one), then sends them at --rate packets per second from an AF_PACKET
 * socket (PACKET_QDISC_BYPASS, sendmmsg bursts of about 50 us of traffic),
 * flows interleaved evenly. Building first keeps the send loop the same for
 * RTP and SRTP and makes every SRTP packet a new one (the boxes' replay
 * windows see no repeats).
 *
 * It reads --counters (a /proc/PID/net/dev of a process in the box's
 * namespace): the box's ingress veth end's rx_packets (what reached the box's
 * port: offered) and its egress end's tx_packets (what the box sent and the
 * sink's end took: delivered). Rates come from the measured window (it starts
 * --warm seconds in and lasts --seconds: steady state); the loss from the whole
 * trial, first frame to last, counted once the box has sent what it still held
 * (its egress counter still for DRAIN_QUIET_NS): exact, where a window's count
 * would be off by whatever the box's queues (rings, socket buffers) held more
 * or less at one end than at the other. One line of JSON at the end. With
 * --pcap FILE it writes the first --count frames there instead of sending
 * (bench/rtpengine/check_srtp.py checks them with libsrtp2).
 */
#define _GNU_SOURCE	/* sendmmsg */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <netinet/ether.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "lib/capture.h"
#include "lib/udp_frame.h"
#include "srtp_kdf.h"
#include "srtp_profile.h"

#define RTP_HLEN 12
#define MAX_PAYLOAD 1200
#define MAX_FLOWS 4096
#define MAX_BATCH 64
#define SLEEP_AHEAD_NS 200000	/* sleep, not spin, when the next burst is this far off */
#define DRAIN_QUIET_NS 300000000	/* the box has sent all it held: egress still this long */
#define DRAIN_MAX_NS 3000000000ull

/* Counter snapshots: trial start, window begin and end, after the drain. */
enum { C_START, C_WIN0, C_WIN1, C_END, C_N };

struct flow {
	struct udp_frame_hdr h;
	uint32_t ssrc;
	uint16_t seq0;
	int srtp;
	uint8_t tag_len;
	uint8_t iv_salt[14];		/* session salt */
	EVP_CIPHER_CTX *aes;		/* AES-128-CTR under the session key */
	EVP_MD_CTX *inner, *outer;	/* HMAC-SHA1 after the ipad / opad block */
};

struct opts {
	const char *iface, *flows_file, *counters, *in_if, *out_if, *pcap;
	uint8_t dmac[6];
	uint64_t rate;
	double warm, seconds, tail;
	uint32_t payload, count, max_mb;
};

struct counters {
	uint64_t in_rx, out_tx, out_tx_drop, gen_tx_drop;
};

static uint64_t
mono_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* Fields of IF's line in a /proc/net/dev: rx packets (1), tx packets (9), tx drop (11). */
static int
dev_counters(const char *path, const char *ifname, uint64_t *rx, uint64_t *tx, uint64_t *tx_drop)
{
	char line[512];
	size_t n = strlen(ifname);
	FILE *f = fopen(path, "r");
	int ret = -1;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		char *p = line;
		unsigned long long v[16];

		while (*p == ' ')
			p++;
		if (strncmp(p, ifname, n) != 0 || p[n] != ':')
			continue;
		if (sscanf(p + n + 1, "%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu",
			   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9],
			   &v[10], &v[11]) != 12)
			break;
		*rx = v[1];
		*tx = v[9];
		*tx_drop = v[11];
		ret = 0;
		break;
	}
	fclose(f);
	return ret;
}

static int
read_counters(const struct opts *o, struct counters *c)
{
	uint64_t dummy, dummy2;

	if (dev_counters(o->counters, o->in_if, &c->in_rx, &dummy, &dummy2) != 0 ||
	    dev_counters(o->counters, o->out_if, &dummy, &c->out_tx, &c->out_tx_drop) != 0 ||
	    dev_counters("/proc/self/net/dev", o->iface, &dummy, &dummy2, &c->gen_tx_drop) != 0)
		return -1;
	return 0;
}

/* SDES key -> the flow's session keys (RFC 3711 4.3, KDR 0) and crypto contexts. */
static int
flow_srtp(struct flow *f, const char *suite, const char *inline_key)
{
	uint8_t key[SRTP_MASTER_KEY_MAX], salt[SRTP_MASTER_SALT_MAX], pad[64];
	struct srtp_session_keys sk;
	enum srtp_profile p;
	const struct srtp_profile_info *pi;
	int ok;

	if (srtp_profile_from_name(suite, &p) != 0 ||
	    (p != SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80 && p != SRTP_PROFILE_AES_CM_128_HMAC_SHA1_32) ||
	    srtp_parse_inline_key(p, inline_key, key, salt) != 0 ||
	    srtp_kdf_derive(p, key, salt, false, &sk) != 0)
		return -1;
	pi = srtp_profile_info(p);
	f->srtp = 1;
	f->tag_len = pi->rtp_tag_len;
	memcpy(f->iv_salt, sk.salt, sizeof(f->iv_salt));
	f->aes = EVP_CIPHER_CTX_new();
	f->inner = EVP_MD_CTX_new();
	f->outer = EVP_MD_CTX_new();
	ok = f->aes != NULL && f->inner != NULL && f->outer != NULL &&
	     EVP_EncryptInit_ex(f->aes, EVP_aes_128_ctr(), NULL, sk.enc_key, NULL) == 1;
	/* HMAC (RFC 2104) by hand: the digest state after K^ipad and K^opad, copied per packet. */
	memset(pad, 0x36, sizeof(pad));
	for (unsigned int i = 0; i < sk.auth_key_len; i++)
		pad[i] ^= sk.auth_key[i];
	ok = ok && EVP_DigestInit_ex(f->inner, EVP_sha1(), NULL) == 1 &&
	     EVP_DigestUpdate(f->inner, pad, sizeof(pad)) == 1;
	memset(pad, 0x5c, sizeof(pad));
	for (unsigned int i = 0; i < sk.auth_key_len; i++)
		pad[i] ^= sk.auth_key[i];
	ok = ok && EVP_DigestInit_ex(f->outer, EVP_sha1(), NULL) == 1 &&
	     EVP_DigestUpdate(f->outer, pad, sizeof(pad)) == 1;
	srtp_wipe(key, sizeof(key));
	srtp_wipe(&sk, sizeof(sk));
	srtp_wipe(pad, sizeof(pad));
	return ok ? 0 : -1;
}

/* RFC 3711 3.1 with AES-CM (4.1.1) and HMAC-SHA1 (4.2.1): the RTP packet at rtp, in place. */
static int
srtp_protect80(const struct flow *f, EVP_MD_CTX *md, uint8_t *rtp, size_t len, uint64_t index,
	       size_t *out_len)
{
	uint8_t iv[16] = { 0 }, roc[4], inner[EVP_MAX_MD_SIZE];
	unsigned int ilen, olen;
	int n;

	memcpy(iv, f->iv_salt, 14);
	for (int i = 0; i < 4; i++)
		iv[4 + i] ^= (uint8_t)(f->ssrc >> (24 - 8 * i));
	for (int i = 0; i < 6; i++)
		iv[8 + i] ^= (uint8_t)(index >> (40 - 8 * i));
	udp_frame_put32(roc, (uint32_t)(index >> 16));
	if (EVP_EncryptInit_ex(f->aes, NULL, NULL, NULL, iv) != 1 ||
	    EVP_EncryptUpdate(f->aes, rtp + RTP_HLEN, &n, rtp + RTP_HLEN, (int)(len - RTP_HLEN)) != 1 ||
	    EVP_MD_CTX_copy_ex(md, f->inner) != 1 || EVP_DigestUpdate(md, rtp, len) != 1 ||
	    EVP_DigestUpdate(md, roc, 4) != 1 || EVP_DigestFinal_ex(md, inner, &ilen) != 1 ||
	    EVP_MD_CTX_copy_ex(md, f->outer) != 1 || EVP_DigestUpdate(md, inner, ilen) != 1 ||
	    EVP_DigestFinal_ex(md, inner, &olen) != 1)
		return -1;
	memcpy(rtp + len, inner, f->tag_len);
	*out_len = len + f->tag_len;
	return 0;
}

static int
iface_mac(int fd, const char *ifname, uint8_t mac[6], int *ifindex)
{
	struct ifreq ifr = { 0 };

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) != 0)
		return -1;
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	if (ioctl(fd, SIOCGIFINDEX, &ifr) != 0)
		return -1;
	*ifindex = ifr.ifr_ifindex;
	return 0;
}

/* The flows file; the number of flows, or -1 after printing why. */
static int
read_flows(const struct opts *o, const uint8_t smac[6], struct flow *flows)
{
	char line[512], src[64], dst[64], suite[64], key[128];
	unsigned int sport, dport, ssrc;
	FILE *f = fopen(o->flows_file, "r");
	int n = 0, lineno = 0;

	if (f == NULL) {
		perror(o->flows_file);
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		struct flow *fl = &flows[n];
		int k;

		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		k = sscanf(line, "%63s %u %63s %u %u %63s %127s", src, &sport, dst, &dport, &ssrc,
			   suite, key);
		if (n == MAX_FLOWS || (k != 5 && k != 7) || sport > 65535 || dport > 65535 ||
		    inet_pton(AF_INET, src, &fl->h.src4) != 1 ||
		    inet_pton(AF_INET, dst, &fl->h.dst4) != 1 ||
		    (k == 7 && flow_srtp(fl, suite, key) != 0)) {
			fprintf(stderr, "%s:%d: bad flow (or more than %d)\n", o->flows_file, lineno,
				MAX_FLOWS);
			fclose(f);
			return -1;
		}
		fl->h.sport = (uint16_t)sport;
		fl->h.dport = (uint16_t)dport;
		fl->h.dscp_ecn = 0xb8;	/* DSCP EF, as voice is sent */
		memcpy(fl->h.dmac, o->dmac, 6);
		memcpy(fl->h.smac, smac, 6);
		fl->ssrc = ssrc;
		fl->seq0 = (uint16_t)(ssrc * 7919u);	/* any start; the boxes take the first as is */
		n++;
	}
	fclose(f);
	if (n == 0)
		fprintf(stderr, "%s: no flows\n", o->flows_file);
	return n > 0 ? n : -1;
}

/* Frame j: packet j / nflows of flow j % nflows. Its length, 0 on a crypto failure. */
static size_t
build(struct flow *fl, uint32_t payload, uint64_t k, EVP_MD_CTX *md, uint8_t *pkt)
{
	uint64_t index = fl->seq0 + k;	/* ROC || SEQ (RFC 3711 3.3.1) */
	uint8_t *rtp = pkt + udp_frame_payload_off(0);
	size_t len = RTP_HLEN + payload;

	rtp[0] = 0x80;
	rtp[1] = 0;	/* PCMU */
	udp_frame_put16(rtp + 2, (uint16_t)index);
	udp_frame_put32(rtp + 4, (uint32_t)(k * 160u));
	udp_frame_put32(rtp + 8, fl->ssrc);
	memset(rtp + RTP_HLEN, 0xff, payload);	/* mu-law silence */
	if (fl->srtp && srtp_protect80(fl, md, rtp, len, index, &len) != 0)
		return 0;
	fl->h.ip_id = (uint16_t)k;
	return udp_frame_finish(pkt, &fl->h, len);
}

static void
usage(FILE *f, const char *prog)
{
	fprintf(f,
		"usage: %s --iface IF --dst-mac MAC --flows FILE --rate PPS\n"
		"          --counters /proc/PID/net/dev --in IF --out IF [options]\n"
		"       %s --flows FILE --pcap FILE [--count N] [--payload N]\n"
		"  --iface IF        AF_PACKET interface the frames leave by (source MAC: its own)\n"
		"  --dst-mac MAC     the box's port MAC\n"
		"  --flows FILE      SRC_IP SRC_PORT DST_IP DST_PORT SSRC [SUITE inline:KEY] a line\n"
		"  --rate PPS        offered packets per second, all flows together\n"
		"  --warm S          seconds before the measured window (default 1)\n"
		"  --seconds S       measured window (default 3)\n"
		"  --tail S          seconds sent after it (default 0.2)\n"
		"  --payload N       RTP payload bytes (default 160: 20 ms of G.711)\n"
		"  --counters FILE   a /proc/PID/net/dev of a process in the box's namespace\n"
		"  --in IF, --out IF the box's ingress and egress veth ends there\n"
		"  --max-mb N        memory for the frames (default 4096)\n"
		"  --pcap FILE       write the first --count frames (default 64) there, send nothing\n",
		prog, prog);
}

static int
parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "iface", required_argument, NULL, 'i' }, { "dst-mac", required_argument, NULL, 'm' },
		{ "flows", required_argument, NULL, 'f' }, { "rate", required_argument, NULL, 'r' },
		{ "warm", required_argument, NULL, 'w' }, { "seconds", required_argument, NULL, 's' },
		{ "tail", required_argument, NULL, 't' }, { "payload", required_argument, NULL, 'p' },
		{ "counters", required_argument, NULL, 'c' }, { "in", required_argument, NULL, 'I' },
		{ "out", required_argument, NULL, 'O' }, { "max-mb", required_argument, NULL, 'M' },
		{ "pcap", required_argument, NULL, 'P' }, { "count", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'i': o->iface = optarg; break;
		case 'm': {
			const struct ether_addr *ea = ether_aton(optarg);

			if (ea == NULL)
				return -1;
			memcpy(o->dmac, ea->ether_addr_octet, 6);
			break;
		}
		case 'f': o->flows_file = optarg; break;
		case 'r': o->rate = strtoull(optarg, NULL, 10); break;
		case 'w': o->warm = atof(optarg); break;
		case 's': o->seconds = atof(optarg); break;
		case 't': o->tail = atof(optarg); break;
		case 'p': o->payload = (uint32_t)atoi(optarg); break;
		case 'c': o->counters = optarg; break;
		case 'I': o->in_if = optarg; break;
		case 'O': o->out_if = optarg; break;
		case 'M': o->max_mb = (uint32_t)atoi(optarg); break;
		case 'P': o->pcap = optarg; break;
		case 'n': o->count = (uint32_t)atoi(optarg); break;
		case 'h': usage(stdout, argv[0]); exit(0);
		default: return -1;
		}
	}
	if (optind != argc || o->flows_file == NULL || o->payload > MAX_PAYLOAD)
		return -1;
	if (o->pcap != NULL)
		return 0;
	if (o->iface == NULL || o->counters == NULL || o->in_if == NULL || o->out_if == NULL ||
	    o->rate == 0 || o->seconds <= 0 || o->warm < 0 || o->tail < 0)
		return -1;
	return 0;
}

struct frames {
	uint8_t *mem;
	uint16_t *len;
	uint64_t n;
	uint32_t stride;
};

static int
build_all(struct flow *flows, int nflows, uint32_t payload, struct frames *fr)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	int ret = -1;

	fr->mem = malloc(fr->n * fr->stride);
	fr->len = malloc(fr->n * sizeof(*fr->len));
	if (md == NULL || fr->mem == NULL || fr->len == NULL) {
		fprintf(stderr, "paced-gen: no memory for %" PRIu64 " frames\n", fr->n);
		goto out;
	}
	for (uint64_t j = 0; j < fr->n; j++) {
		size_t len = build(&flows[j % (uint64_t)nflows], payload, j / (uint64_t)nflows,
				   md, fr->mem + j * fr->stride);

		if (len == 0) {
			fprintf(stderr, "paced-gen: SRTP protect failed\n");
			goto out;
		}
		fr->len[j] = (uint16_t)len;
	}
	ret = 0;
out:
	EVP_MD_CTX_free(md);
	return ret;
}

static int
write_pcap(const struct opts *o, const struct frames *fr)
{
	struct capture cap;

	if (capture_open(&cap, o->pcap, "paced-gen") != 0)
		return 1;
	for (uint64_t j = 0; j < fr->n; j++)
		capture_put(&cap, fr->mem + j * fr->stride, fr->len[j], j * 20);
	return capture_close(&cap, o->pcap, "paced-gen") != 0;
}

static int
open_socket(const char *ifname, uint8_t smac[6])
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	int fd = socket(AF_PACKET, SOCK_RAW, 0);	/* protocol 0: receives nothing */
	int one = 1, sndbuf = 4 << 20;

	if (fd < 0 || iface_mac(fd, ifname, smac, &sll.sll_ifindex) != 0) {
		perror(ifname);
		return -1;
	}
	sll.sll_protocol = htons(ETH_P_IP);
	/* Straight to the veth's xmit: no qdisc to drop in or to pay for. */
	if (setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one)) != 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)) != 0 ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll)) != 0) {
		perror("AF_PACKET socket");
		close(fd);
		return -1;
	}
	return fd;
}

/* After the last frame: until the box's egress counter stands still (or DRAIN_MAX_NS). */
static int
drain(const struct opts *o, struct counters *end)
{
	uint64_t t0 = mono_ns(), still_since = t0, last = UINT64_MAX;
	struct timespec ts = { 0, 20000000 };

	for (;;) {
		uint64_t now = mono_ns();

		if (read_counters(o, end) != 0)
			return -1;
		if (end->out_tx != last) {
			last = end->out_tx;
			still_since = now;
		}
		if (now - still_since >= DRAIN_QUIET_NS || now - t0 >= DRAIN_MAX_NS)
			return 0;
		nanosleep(&ts, NULL);
	}
}

/* Sends the frames, paced; counters at the window's ends. 0, or -1 after printing why. */
static int
send_paced(const struct opts *o, int fd, const struct frames *fr, struct counters *c,
	   uint64_t *t_win, uint64_t *sent_win, uint64_t *sent_total)
{
	struct mmsghdr msg[MAX_BATCH];
	struct iovec iov[MAX_BATCH];
	/* A burst is about 50 us of traffic: smooth at low rates, few syscalls at high ones. */
	uint64_t batch = o->rate / 20000, sent = 0, sent0 = 0, t0, now, tw0 = 0;
	uint64_t warm_ns = (uint64_t)(o->warm * 1e9), win_ns = (uint64_t)(o->seconds * 1e9);
	uint64_t end_ns = warm_ns + win_ns + (uint64_t)(o->tail * 1e9);
	int in_window = 0, done_window = 0;

	if (batch < 1)
		batch = 1;
	if (batch > MAX_BATCH)
		batch = MAX_BATCH;
	memset(msg, 0, sizeof(msg));
	if (read_counters(o, &c[C_START]) != 0)
		goto counters_failed;
	t0 = mono_ns();
	for (;;) {
		uint64_t el, due, b;

		now = mono_ns();
		el = now - t0;
		if (!in_window && !done_window && el >= warm_ns) {
			if (read_counters(o, &c[C_WIN0]) != 0)
				goto counters_failed;
			tw0 = mono_ns();
			sent0 = sent;
			in_window = 1;
		} else if (in_window && el >= warm_ns + win_ns) {
			if (read_counters(o, &c[C_WIN1]) != 0)
				goto counters_failed;
			*t_win = mono_ns() - tw0;
			*sent_win = sent - sent0;
			in_window = 0;
			done_window = 1;
		}
		if (el >= end_ns || sent == fr->n)
			break;
		due = (uint64_t)((double)el * (double)o->rate / 1e9);
		if (due > fr->n)
			due = fr->n;
		if (due < sent + batch && due < fr->n) {
			/* Ahead of time: wait for the next burst, asleep if it is far off. */
			uint64_t next = t0 + (uint64_t)((double)(sent + batch) * 1e9 / (double)o->rate);

			if (next > now + SLEEP_AHEAD_NS) {
				uint64_t d = next - now - SLEEP_AHEAD_NS / 2;
				struct timespec ts = { (time_t)(d / 1000000000u), (long)(d % 1000000000u) };

				nanosleep(&ts, NULL);
			}
			continue;
		}
		b = due - sent < batch ? due - sent : batch;
		for (uint64_t i = 0; i < b; i++) {
			iov[i].iov_base = fr->mem + (sent + i) * fr->stride;
			iov[i].iov_len = fr->len[sent + i];
			msg[i].msg_hdr.msg_iov = &iov[i];
			msg[i].msg_hdr.msg_iovlen = 1;
		}
		int n = sendmmsg(fd, msg, (unsigned int)b, 0);

		if (n < 0) {
			if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR)
				continue;
			perror("sendmmsg");
			return -1;
		}
		sent += (uint64_t)n;
	}
	*sent_total = sent;
	if (!done_window) {
		fprintf(stderr, "paced-gen: ran out of frames before the window closed\n");
		return -1;
	}
	return drain(o, &c[C_END]) == 0 ? 0 : -1;
counters_failed:
	fprintf(stderr, "paced-gen: cannot read %s (%s, %s) or our %s\n", o->counters, o->in_if,
		o->out_if, o->iface);
	return -1;
}

int
main(int argc, char **argv)
{
	static struct flow flows[MAX_FLOWS];
	struct opts o = { .warm = 1, .seconds = 3, .tail = 0.2, .payload = 160, .count = 64,
			  .max_mb = 4096 };
	struct frames fr = { 0 };
	struct counters c[C_N] = { 0 };
	uint8_t smac[6] = { 2, 0, 0, 0, 0, 2 };
	uint64_t t_build, t_win = 0, sent_win = 0, sent_total = 0;
	int nflows, fd = -1;

	if (parse_opts(argc, argv, &o) != 0) {
		usage(stderr, argv[0]);
		return 2;
	}
	if (o.pcap == NULL) {
		fd = open_socket(o.iface, smac);
		if (fd < 0)
			return 1;
	}
	nflows = read_flows(&o, smac, flows);
	if (nflows < 0)
		return 1;
	fr.stride = (uint32_t)((udp_frame_payload_off(0) + RTP_HLEN + o.payload + SRTP_TAG_MAX + 63) &
			       ~63u);
	fr.n = o.pcap != NULL ? o.count :
	       (uint64_t)((double)o.rate * (o.warm + o.seconds + o.tail) * 1.02) + MAX_BATCH;
	if (fr.n * fr.stride > (uint64_t)o.max_mb << 20) {
		fprintf(stderr, "paced-gen: %" PRIu64 " frames of %u bytes exceed --max-mb %u\n",
			fr.n, fr.stride, o.max_mb);
		return 1;
	}
	t_build = mono_ns();
	if (build_all(flows, nflows, o.payload, &fr) != 0)
		return 1;
	t_build = mono_ns() - t_build;
	if (o.pcap != NULL)
		return write_pcap(&o, &fr);
	/* Waits shorter than the default 50 us timer slack would overshoot. */
	prctl(PR_SET_TIMERSLACK, 1UL);
	if (send_paced(&o, fd, &fr, c, &t_win, &sent_win, &sent_total) != 0)
		return 1;

	double s = (double)t_win / 1e9;
	uint64_t in = c[C_WIN1].in_rx - c[C_WIN0].in_rx, out = c[C_WIN1].out_tx - c[C_WIN0].out_tx;
	uint64_t in_all = c[C_END].in_rx - c[C_START].in_rx, out_all = c[C_END].out_tx - c[C_START].out_tx;

	printf("{\"rate\": %" PRIu64 ", \"flows\": %d, \"frame_bytes\": %u, \"window_s\": %.4f, "
	       "\"sent_pps\": %.0f, \"offered_pps\": %.0f, \"delivered_pps\": %.0f, "
	       "\"offered_total\": %" PRIu64 ", \"delivered_total\": %" PRIu64 ", \"loss\": %.6f, "
	       "\"gen_drops\": %" PRIu64 ", \"sink_drops\": %" PRIu64 ", \"sent_total\": %" PRIu64 ", "
	       "\"build_s\": %.2f}\n",
	       o.rate, nflows, fr.len[0], s, (double)sent_win / s, (double)in / s, (double)out / s,
	       in_all, out_all, in_all > 0 ? 1.0 - (double)out_all / (double)in_all : 1.0,
	       c[C_END].gen_tx_drop - c[C_START].gen_tx_drop,
	       c[C_END].out_tx_drop - c[C_START].out_tx_drop, sent_total, (double)t_build / 1e9);
	close(fd);
	return 0;
}
