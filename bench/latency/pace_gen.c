/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * srtpfwd-pace-gen: a rate-limited replay for the latency benchmark
 * (bench/latency/run.sh). It reads a looped capture from its own net_pcap
 * port (rx_pcap=..., infinite_rx=1) and sends it out of another port (a
 * net_memif client facing srtpfwd) at a set packet rate.
 *
 * Pacing: a TSC token bucket. Credit grows by rate packets a second; each
 * pass sends what it holds, at most one burst (--burst, at most 32). The
 * bucket holds --depth bursts: a generator preempted for less than that
 * (timer ticks on a shared CPU) catches up with back-to-back bursts, a
 * longer gap loses the credit instead of flooding the receiver. What the
 * receiver does not take (its ring full) is dropped and counted as refused,
 * as a NIC would count it missed. --rate 0: as fast as the receiver takes
 * (unsent packets are retried, bursts of --burst), for its ceiling.
 *
 * After a pass that the receiver did not take whole, the generator waits
 * BACKOFF_US before it touches the ring again: polling a full ring moves its
 * index cache lines between the two cores and slows the receiver down.
 *
 * After --seconds it stops sending but stays connected, idle, until SIGINT
 * or SIGTERM: a memif peer that disconnects unmaps the shared rings under a
 * receiver still polling them (DPDK 22.11's memif segfaults there), so the
 * caller stops srtpfwd first and the generator after it.
 *
 * Output (stdout, one line each, flushed):
 *   pace-gen: link up ...                          the memif is connected
 *   pace-gen: mark T sent N refused M              on SIGUSR1 (T: s since link up)
 *   pace-gen: done T sent N refused M rate R       sending ended (--seconds or SIGINT)
 * The caller takes two marks around its measured window; sent is what the
 * TX port accepted.
 *
 * Usage: srtpfwd-pace-gen EAL-OPTIONS -- --rate PPS --seconds S [--burst B]
 *        [--depth D] [--rx PORT] [--tx PORT] [--tx-rxq N] [--mbufs N]
 *   --burst B     the most packets one TX call sends (default and maximum 32)
 *   --depth D     the bucket's depth in bursts (default 4)
 *   --rx PORT     the capture's port name (default net_pcap0)
 *   --tx PORT     the port towards srtpfwd (default net_memif0)
 *   --tx-rxq N    RX queues on the TX port (default 2): a memif client's RX
 *                 queues are the server's TX queues, and srtpfwd sets up one
 *                 per worker plus one for its control lcore
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#define BURST_MAX 32
#define STASH (2 * BURST_MAX)
#define LINK_WAIT_S 20
#define BACKOFF_US 1
/* Loop passes between polls of the TX port's RX queues (what srtpfwd sends back). */
#define DRAIN_EVERY 4096

struct gen_opts {
	const char *rx_name;
	const char *tx_name;
	uint64_t rate;
	double seconds;
	uint16_t burst;
	uint16_t depth;		/* bucket depth, in bursts */
	uint16_t tx_rxq;
	uint32_t mbufs;
};

static volatile sig_atomic_t want_stop, want_mark;

static void
on_signal(int sig)
{
	if (sig == SIGUSR1)
		want_mark = 1;
	else
		want_stop = 1;
}

static void
usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s EAL-OPTIONS -- --rate PPS --seconds S [--burst B] [--depth D]\n"
		"       [--rx PORT] [--tx PORT] [--tx-rxq N] [--mbufs N]\n", prog);
}

static int
parse_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 10);
	return errno != 0 || *s == '\0' || *end != '\0' ? -1 : 0;
}

static int
parse_opts(int argc, char **argv, struct gen_opts *o)
{
	static const struct option longopts[] = {
		{ "rate", required_argument, NULL, 'r' },
		{ "seconds", required_argument, NULL, 's' },
		{ "burst", required_argument, NULL, 'b' },
		{ "depth", required_argument, NULL, 'd' },
		{ "rx", required_argument, NULL, 'i' },
		{ "tx", required_argument, NULL, 'o' },
		{ "tx-rxq", required_argument, NULL, 'q' },
		{ "mbufs", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			if (parse_u64(optarg, &o->rate) != 0)
				return -1;
			break;
		case 's':
			o->seconds = strtod(optarg, &end);
			if (*end != '\0' || o->seconds <= 0)
				return -1;
			break;
		case 'b':
			if (parse_u64(optarg, &v) != 0 || v < 1 || v > BURST_MAX)
				return -1;
			o->burst = (uint16_t)v;
			break;
		case 'd':
			if (parse_u64(optarg, &v) != 0 || v < 1 || v > 64)
				return -1;
			o->depth = (uint16_t)v;
			break;
		case 'i': o->rx_name = optarg; break;
		case 'o': o->tx_name = optarg; break;
		case 'q':
			if (parse_u64(optarg, &v) != 0 || v < 1 || v > 16)
				return -1;
			o->tx_rxq = (uint16_t)v;
			break;
		case 'm':
			if (parse_u64(optarg, &v) != 0 || v < 1024 || v > (1u << 26))
				return -1;
			o->mbufs = (uint32_t)v;
			break;
		default:
			return -1;
		}
	}
	return o->seconds > 0 ? 0 : -1;
}

static int
port_start(const char *name, uint16_t nrx, uint16_t ntx, struct rte_mempool *pool,
	   uint16_t *port)
{
	struct rte_eth_conf conf = { 0 };
	int ret;

	if (rte_eth_dev_get_port_by_name(name, port) != 0) {
		fprintf(stderr, "pace-gen: no port %s (give it as --vdev)\n", name);
		return -ENODEV;
	}
	ret = rte_eth_dev_configure(*port, nrx, ntx, &conf);
	for (uint16_t q = 0; ret == 0 && q < nrx; q++)
		ret = rte_eth_rx_queue_setup(*port, q, 1024, rte_socket_id(), NULL, pool);
	for (uint16_t q = 0; ret == 0 && q < ntx; q++)
		ret = rte_eth_tx_queue_setup(*port, q, 1024, rte_socket_id(), NULL);
	if (ret == 0)
		ret = rte_eth_dev_start(*port);
	if (ret != 0)
		fprintf(stderr, "pace-gen: port %s: set-up failed (%d)\n", name, ret);
	return ret;
}

static int
wait_link(uint16_t port, const char *name)
{
	struct rte_eth_link link;

	for (unsigned int i = 0; i < LINK_WAIT_S * 100 && !want_stop; i++) {
		if (rte_eth_link_get_nowait(port, &link) == 0 && link.link_status)
			return 0;
		rte_delay_us_sleep(10000);
	}
	fprintf(stderr, "pace-gen: %s: no link after %d s\n", name, LINK_WAIT_S);
	return -1;
}

/* Frees whatever arrived on the TX port (srtpfwd's own packets towards the generator). */
static void
drain(uint16_t port, uint16_t nrxq)
{
	struct rte_mbuf *m[BURST_MAX];

	for (uint16_t q = 0; q < nrxq; q++) {
		uint16_t n = rte_eth_rx_burst(port, q, m, BURST_MAX);

		rte_pktmbuf_free_bulk(m, n);
	}
}

struct gen_state {
	struct rte_mbuf *stash[STASH];
	uint16_t head, n;	/* stash[head .. head + n) are ready to send */
	uint64_t sent, refused;
};

/* Keeps at least want packets in the stash (fewer only if the capture port has none). */
static void
stash_fill(struct gen_state *g, uint16_t rx_port, uint16_t want)
{
	if (g->n >= want)
		return;
	if (g->head != 0) {
		memmove(g->stash, g->stash + g->head, g->n * sizeof(g->stash[0]));
		g->head = 0;
	}
	while (g->n < want) {
		uint16_t got = rte_eth_rx_burst(rx_port, 0, g->stash + g->n, STASH - g->n);

		if (got == 0)
			break;
		g->n += got;
	}
}

/* Sends up to n stashed packets; unsent ones are retried (retry) or dropped as refused. */
static uint16_t
send_some(struct gen_state *g, uint16_t tx_port, uint16_t n, int retry)
{
	uint16_t k;

	if (n > g->n)
		n = g->n;
	k = rte_eth_tx_burst(tx_port, 0, g->stash + g->head, n);
	g->sent += k;
	if (k < n)
		rte_delay_us_block(BACKOFF_US);
	if (!retry && k < n) {
		rte_pktmbuf_free_bulk(g->stash + g->head + k, n - k);
		g->refused += n - k;
		k = n;
	}
	g->head += k;
	g->n -= k;
	return k;
}

static void
report(const char *what, uint64_t start, const struct gen_state *g, int rate)
{
	double t = (double)(rte_rdtsc() - start) / (double)rte_get_tsc_hz();

	printf("pace-gen: %s %.6f sent %" PRIu64 " refused %" PRIu64, what, t, g->sent,
	       g->refused);
	if (rate)
		printf(" rate %.0f", t > 0 ? (double)g->sent / t : 0.0);
	printf("\n");
	fflush(stdout);
}

int
main(int argc, char **argv)
{
	struct gen_opts o = { .rx_name = "net_pcap0", .tx_name = "net_memif0", .burst = BURST_MAX,
			      .depth = 4, .tx_rxq = 2, .mbufs = 16384 };
	struct gen_state g = { .sent = 0 };
	struct rte_mempool *pool;
	uint16_t rx_port, tx_port;
	uint64_t hz, start, end, last, credit = 0, cap, passes = 0;
	int ret;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "pace-gen: EAL init failed\n");
		return 1;
	}
	argc -= ret;
	argv += ret;
	if (parse_opts(argc, argv, &o) != 0) {
		usage("srtpfwd-pace-gen");
		return 2;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGUSR1, on_signal);

	/* net_pcap infinite_rx holds the whole capture in this pool. */
	pool = rte_pktmbuf_pool_create("pace_gen", o.mbufs, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				       rte_socket_id());
	if (pool == NULL) {
		fprintf(stderr, "pace-gen: mbuf pool of %u: %s\n", o.mbufs,
			rte_strerror(rte_errno));
		return 1;
	}
	if (port_start(o.rx_name, 1, 1, pool, &rx_port) != 0 ||
	    port_start(o.tx_name, o.tx_rxq, 1, pool, &tx_port) != 0 ||
	    wait_link(tx_port, o.tx_name) != 0)
		return 1;

	hz = rte_get_tsc_hz();
	/* Credit in packet * hz units: a packet costs hz, a cycle earns rate. */
	cap = (uint64_t)o.burst * o.depth * hz;
	start = last = rte_rdtsc();
	end = start + (uint64_t)(o.seconds * (double)hz);
	printf("pace-gen: link up on %s, rate %" PRIu64 " pps%s, burst %u, depth %u, %.1f s\n",
	       o.tx_name, o.rate, o.rate == 0 ? " (as fast as taken)" : "", o.burst, o.depth,
	       o.seconds);
	fflush(stdout);

	while (!want_stop) {
		uint64_t now = rte_rdtsc();
		uint16_t n;

		if (now >= end)
			break;
		if (unlikely(want_mark)) {
			want_mark = 0;
			report("mark", start, &g, 0);
		}
		if (unlikely(++passes % DRAIN_EVERY == 0))
			drain(tx_port, o.tx_rxq);
		if (o.rate == 0) {
			stash_fill(&g, rx_port, o.burst);
			send_some(&g, tx_port, o.burst, 1);
			continue;
		}
		credit += (now - last) * o.rate;
		last = now;
		if (credit > cap)
			credit = cap;
		n = (uint16_t)RTE_MIN(credit / hz, (uint64_t)o.burst);
		if (n == 0)
			continue;
		stash_fill(&g, rx_port, n);
		credit -= (uint64_t)send_some(&g, tx_port, n, 0) * hz;
	}
	report("done", start, &g, 1);
	while (!want_stop)
		rte_delay_us_sleep(10000);
	rte_pktmbuf_free_bulk(g.stash + g.head, g.n);
	rte_eth_dev_stop(tx_port);
	rte_eth_dev_close(tx_port);
	rte_eth_dev_stop(rx_port);
	rte_eth_dev_close(rx_port);
	rte_eal_cleanup();
	return 0;
}
