/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * storm_client: a DTLS-SRTP handshake storm against the forwarder's passive
 * legs (bench/dtls/storm.sh). Many concurrent DTLS 1.2 clients (plain
 * OpenSSL, a memory BIO in, a send() BIO out), each with its own UDP socket
 * on its own source port, all driven by one epoll loop that also runs
 * OpenSSL's retransmission timers (DTLSv1_handle_timeout). Leg i is
 * dst:port_base+i; this process takes legs first, first+stride, ... and
 * keeps `inflight` handshakes going for `duration` seconds. A handshake
 * counts as completed when SSL_do_handshake() succeeded, an SRTP profile
 * was negotiated and the 60-byte EXTRACTOR-dtls_srtp keying material was
 * exported. Completed legs are left as they are (no close_notify: a real
 * browser keeps its association), their sockets closed.
 *
 *   storm_client --gen-cert DIR
 *       writes DIR/client.pem, DIR/client.key (ECDSA P-256, self-signed) and
 *       prints "fingerprint sha-256 AB:CD:..".
 *   storm_client --cert F --key F --src IP --dst IP --port-base P --legs N
 *                [--first I --stride S] [--inflight K] [--duration SEC]
 *                [--start-at EPOCH] [--giveup SEC] [--id NAME]
 *       prints "tick SEC completed C failed F" each second and one final
 *       "storm_client: ..." line.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/srtp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#define EXPORT_LEN 60	/* 2 × (16-byte key + 14-byte salt), SRTP_AES128_CM_SHA1_80 */

struct conn {
	SSL *ssl;
	BIO *rbio;
	int fd;
	uint32_t leg;
	uint64_t t_start;	/* ns */
	uint32_t slot;		/* index in the in-flight array */
};

static struct {
	uint64_t completed, completed_in_time, failed, giveups, send_errors, retransmit_calls, dgrams_rx;
	uint64_t fail_ssl, fail_export, fail_socket;
} st;

static BIO_METHOD *send_method;
static uint64_t *lat;		/* completed handshakes' latencies, ns */
static size_t n_lat, cap_lat;

static double
cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void
die(const char *what)
{
	fprintf(stderr, "storm_client: %s\n", what);
	ERR_print_errors_fp(stderr);
	exit(1);
}

/* The write side: each record batch OpenSSL writes is one datagram on the leg's socket. */
static int
send_bio_write(BIO *b, const char *d, int len)
{
	struct conn *c = BIO_get_data(b);

	if (send(c->fd, d, (size_t)len, MSG_DONTWAIT) != len)
		st.send_errors++;	/* lost like on the wire: the retransmission timer covers it */
	return len;
}

static long
send_bio_ctrl(BIO *b, int cmd, long num, void *ptr)
{
	(void)b;
	(void)num;
	(void)ptr;
	switch (cmd) {
	case BIO_CTRL_FLUSH:
		return 1;
	case BIO_CTRL_DGRAM_QUERY_MTU:
	case BIO_CTRL_DGRAM_GET_FALLBACK_MTU:
		return 1200;
	default:
		return 0;
	}
}

static int
send_bio_create(BIO *b)
{
	BIO_set_init(b, 1);
	return 1;
}

/* The box's certificate is not checked here: the box checks ours (that is what is measured). */
static int
accept_any(X509_STORE_CTX *xs, void *arg)
{
	(void)xs;
	(void)arg;
	return 1;
}

static void
gen_cert(const char *dir)
{
	EVP_PKEY *pkey = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	X509_NAME *n;
	char path[4096];
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	FILE *f;

	if (pkey == NULL || x == NULL)
		die("cannot generate a P-256 key");
	X509_set_version(x, X509_VERSION_3);
	ASN1_INTEGER_set(X509_get_serialNumber(x), (long)(time(NULL) & 0x7fffffff));
	X509_gmtime_adj(X509_getm_notBefore(x), -3600);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400);
	n = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)"storm", -1, -1, 0);
	X509_set_issuer_name(x, n);
	X509_set_pubkey(x, pkey);
	if (X509_sign(x, pkey, EVP_sha256()) == 0)
		die("cannot sign the certificate");
	snprintf(path, sizeof(path), "%s/client.pem", dir);
	if ((f = fopen(path, "w")) == NULL || PEM_write_X509(f, x) != 1 || fclose(f) != 0)
		die("cannot write client.pem");
	snprintf(path, sizeof(path), "%s/client.key", dir);
	if ((f = fopen(path, "w")) == NULL ||
	    PEM_write_PrivateKey(f, pkey, NULL, NULL, 0, NULL, NULL) != 1 || fclose(f) != 0)
		die("cannot write client.key");
	X509_digest(x, EVP_sha256(), md, &mdlen);
	printf("fingerprint sha-256 ");
	for (unsigned int i = 0; i < mdlen; i++)
		printf(i == 0 ? "%02X" : ":%02X", md[i]);
	printf("\n");
	X509_free(x);
	EVP_PKEY_free(pkey);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "gen-cert", required_argument, NULL, 'g' },
		{ "cert", required_argument, NULL, 'c' },
		{ "key", required_argument, NULL, 'k' },
		{ "src", required_argument, NULL, 's' },
		{ "dst", required_argument, NULL, 'd' },
		{ "port-base", required_argument, NULL, 'p' },
		{ "legs", required_argument, NULL, 'n' },
		{ "first", required_argument, NULL, 'f' },
		{ "stride", required_argument, NULL, 'S' },
		{ "inflight", required_argument, NULL, 'K' },
		{ "duration", required_argument, NULL, 'D' },
		{ "start-at", required_argument, NULL, 'A' },
		{ "giveup", required_argument, NULL, 'G' },
		{ "id", required_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cert = NULL, *key = NULL, *src = "198.18.0.2", *dst = "198.18.0.1", *id = "0";
	uint32_t port_base = 20000, legs = 0, first = 0, stride = 1, inflight = 64;
	double duration = 10, start_at = 0, giveup = 10;
	struct sockaddr_in sa_src = { .sin_family = AF_INET }, sa_dst = { .sin_family = AF_INET };
	struct conn **active;
	uint32_t n_active = 0, next_leg, legs_started = 0;
	uint64_t t0, t_end, next_tick, next_timer = 0;
	unsigned int tick = 0;
	uint64_t tick_completed = 0, tick_failed = 0;
	bool exhausted = false;
	double cpu0;
	SSL_CTX *ctx;
	int ep, o;

	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'g': gen_cert(optarg); return 0;
		case 'c': cert = optarg; break;
		case 'k': key = optarg; break;
		case 's': src = optarg; break;
		case 'd': dst = optarg; break;
		case 'p': port_base = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'n': legs = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'f': first = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'S': stride = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'K': inflight = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'D': duration = strtod(optarg, NULL); break;
		case 'A': start_at = strtod(optarg, NULL); break;
		case 'G': giveup = strtod(optarg, NULL); break;
		case 'i': id = optarg; break;
		default: return 2;
		}
	}
	if (cert == NULL || key == NULL || legs == 0 || stride == 0 || inflight == 0 ||
	    port_base + legs > 65536 || inet_pton(AF_INET, src, &sa_src.sin_addr) != 1 ||
	    inet_pton(AF_INET, dst, &sa_dst.sin_addr) != 1) {
		fprintf(stderr, "usage: storm_client --gen-cert DIR | --cert F --key F --legs N "
				"[--src IP --dst IP --port-base P --first I --stride S --inflight K "
				"--duration SEC --start-at EPOCH --giveup SEC --id NAME]\n");
		return 2;
	}

	send_method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "storm-send");
	BIO_meth_set_write(send_method, send_bio_write);
	BIO_meth_set_ctrl(send_method, send_bio_ctrl);
	BIO_meth_set_create(send_method, send_bio_create);
	ctx = SSL_CTX_new(DTLS_client_method());
	if (ctx == NULL || SSL_CTX_set_min_proto_version(ctx, DTLS1_2_VERSION) != 1 ||
	    SSL_CTX_set_max_proto_version(ctx, DTLS1_2_VERSION) != 1 ||
	    SSL_CTX_set_tlsext_use_srtp(ctx, "SRTP_AES128_CM_SHA1_80") != 0 ||
	    SSL_CTX_use_certificate_file(ctx, cert, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1)
		die("SSL_CTX setup failed");
	SSL_CTX_set_options(ctx, SSL_OP_NO_QUERY_MTU | SSL_OP_NO_TICKET);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	SSL_CTX_set_cert_verify_callback(ctx, accept_any, NULL);

	active = calloc(inflight, sizeof(*active));
	cap_lat = legs / stride + 1;
	lat = calloc(cap_lat, sizeof(*lat));
	ep = epoll_create1(0);
	if (active == NULL || lat == NULL || ep < 0)
		die("out of memory");

	if (start_at > 0) {	/* all processes of one storm start together */
		struct timespec ts = { .tv_sec = (time_t)start_at,
				       .tv_nsec = (long)((start_at - (double)(time_t)start_at) * 1e9) };

		while (clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &ts, NULL) == EINTR)
			;
	}
	t0 = now_ns();
	cpu0 = cpu_s();
	t_end = t0 + (uint64_t)(duration * 1e9);
	next_tick = t0 + 1000000000ull;
	next_leg = first;

	for (;;) {
		struct epoll_event ev[64];
		uint64_t now = now_ns();
		int n;

		/* Keep `inflight` handshakes going until the time is up or the legs run out. */
		while (now < t_end && n_active < inflight) {
			struct conn *c;
			BIO *w;

			if (next_leg >= legs) {
				exhausted = true;
				break;
			}
			c = calloc(1, sizeof(*c));
			c->leg = next_leg;
			next_leg += stride;
			legs_started++;
			c->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
			sa_dst.sin_port = htons((uint16_t)(port_base + c->leg));
			if (c->fd < 0 || bind(c->fd, (struct sockaddr *)&sa_src, sizeof(sa_src)) != 0 ||
			    connect(c->fd, (struct sockaddr *)&sa_dst, sizeof(sa_dst)) != 0) {
				st.fail_socket++;
				st.failed++;
				if (c->fd >= 0)
					close(c->fd);
				free(c);
				continue;
			}
			c->ssl = SSL_new(ctx);
			c->rbio = BIO_new(BIO_s_mem());
			BIO_set_mem_eof_return(c->rbio, -1);
			w = BIO_new(send_method);
			BIO_set_data(w, c);
			SSL_set_bio(c->ssl, c->rbio, w);
			SSL_set_mtu(c->ssl, 1200);
			SSL_set_connect_state(c->ssl);
			c->slot = n_active;
			active[n_active++] = c;
			struct epoll_event e = { .events = EPOLLIN, .data.ptr = c };
			epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &e);
			c->t_start = now_ns();
			(void)SSL_do_handshake(c->ssl);	/* ClientHello */
			ERR_clear_error();
		}
		if (n_active == 0 && (now >= t_end || exhausted))
			break;
		if (now >= t_end + (uint64_t)(giveup * 1e9))
			break;	/* stragglers after the time: counted as in flight */

		n = epoll_wait(ep, ev, 64, 2);
		for (int i = 0; i < n; i++) {
			struct conn *c = ev[i].data.ptr;
			uint8_t buf[2048];
			ssize_t len;
			bool done = false, fail = false;

			while (!done && !fail && (len = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
				int r;

				st.dgrams_rx++;
				BIO_write(c->rbio, buf, (int)len);
				r = SSL_do_handshake(c->ssl);
				(void)BIO_reset(c->rbio);
				if (r == 1) {
					uint8_t km[EXPORT_LEN];

					done = true;
					if (SSL_get_selected_srtp_profile(c->ssl) == NULL ||
					    SSL_export_keying_material(c->ssl, km, sizeof(km),
								       "EXTRACTOR-dtls_srtp", 19,
								       NULL, 0, 0) != 1) {
						st.fail_export++;
						fail = true;
					}
				} else if (SSL_get_error(c->ssl, r) != SSL_ERROR_WANT_READ) {
					st.fail_ssl++;
					fail = true;
				}
				ERR_clear_error();
			}
			if (!done && !fail)
				continue;
			if (fail) {
				st.failed++;
				tick_failed++;
			} else {
				st.completed++;
				tick_completed++;
				if (now_ns() <= t_end)
					st.completed_in_time++;
				if (n_lat < cap_lat)
					lat[n_lat++] = now_ns() - c->t_start;
			}
			/* Drop it from the in-flight set: the last one takes its slot. */
			active[c->slot] = active[--n_active];
			active[c->slot]->slot = c->slot;
			epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
			close(c->fd);
			SSL_free(c->ssl);
			c->ssl = NULL;
			free(c);	/* one event per fd per epoll_wait: no later one names c */
		}

		now = now_ns();
		if (now >= next_timer) {	/* OpenSSL's retransmission timers, every 5 ms */
			next_timer = now + 5000000ull;
			for (uint32_t i = 0; i < n_active;) {
				struct conn *c = active[i];
				struct timeval tv;

				if (now - c->t_start > (uint64_t)(giveup * 1e9)) {
					st.giveups++;
					st.failed++;
					tick_failed++;
				} else {
					if (DTLSv1_get_timeout(c->ssl, &tv) == 1 && tv.tv_sec == 0 &&
					    tv.tv_usec == 0) {
						st.retransmit_calls++;
						if (DTLSv1_handle_timeout(c->ssl) >= 0) {
							ERR_clear_error();
							i++;
							continue;
						}
						st.fail_ssl++;
						st.failed++;
						tick_failed++;
					} else {
						i++;
						continue;
					}
				}
				ERR_clear_error();
				active[i] = active[--n_active];
				active[i]->slot = i;
				epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
				close(c->fd);
				SSL_free(c->ssl);
				free(c);
			}
		}
		if (now >= next_tick && now <= t_end + 500000000ull) {
			next_tick += 1000000000ull;
			printf("tick %u completed %" PRIu64 " failed %" PRIu64 "\n", ++tick,
			       tick_completed, tick_failed);
			fflush(stdout);
			tick_completed = tick_failed = 0;
		}
	}

	{
		double el = (double)(now_ns() - t0) / 1e9;
		double p50 = 0, p99 = 0;

		if (n_lat > 0) {
			qsort(lat, n_lat, sizeof(*lat), cmp_u64);
			p50 = (double)lat[n_lat / 2] / 1e6;
			p99 = (double)lat[(n_lat * 99) / 100] / 1e6;
		}
		printf("storm_client: id %s completed %" PRIu64 " failed %" PRIu64
		       " (ssl %" PRIu64 " export %" PRIu64 " socket %" PRIu64 " giveup %" PRIu64 ")"
		       " in_time %" PRIu64 " duration %.3f hs_per_s %.1f"
		       " inflight_left %u legs_started %u legs_exhausted %d elapsed %.3f"
		       " latency_ms_p50 %.1f p99 %.1f retransmit_timer_calls %" PRIu64
		       " send_errors %" PRIu64 " dgrams_rx %" PRIu64 " cpu_s %.3f\n",
		       id, st.completed, st.failed, st.fail_ssl, st.fail_export, st.fail_socket,
		       st.giveups, st.completed_in_time, duration,
		       (double)st.completed_in_time / duration, n_active, legs_started, exhausted, el,
		       p50, p99, st.retransmit_calls, st.send_errors,
		       st.dgrams_rx, cpu_s() - cpu0);
	}
	return 0;
}
