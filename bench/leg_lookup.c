/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The media lookup rate with many legs against few (not a test): what a
 * worker's lookup stage does per packet (the flow table's direct index,
 * then the leg's first line and its counters, prefetched a burst ahead),
 * over random legs of a table of 1k and of 1M legs, in one run.
 *
 * usage: srtpfwd-leg-lookup [--no-index] [ROUNDS]  (EAL args: -l 0 --no-huge -m 4096 --)
 * Prints one line per table size (Mlookups/s, median of ROUNDS) and the ratio.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_malloc.h>
#include <rte_prefetch.h>

#include "flow/flow_table.h"
#include "session/leg.h"

#define BURST 32
#define PORTS_PER_ADDR 60000u
#define PORT_MIN 2000u
#define LOOKUPS (1u << 23)

static uint64_t rng = 88172645463325252ull;

static inline uint32_t
next_rand(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

static void
key_of(uint32_t i, struct inet_endpoint *ep)
{
	struct inet_addr a = { .bytes = { 198, 18, (uint8_t)(i / PORTS_PER_ADDR), 1 },
			       .family = INET_FAMILY_V4 };

	inet_endpoint_set(ep, &a, rte_cpu_to_be_16((uint16_t)(PORT_MIN + i % PORTS_PER_ADDR)));
}

/* Lookups per second over random legs of n, as a worker's burst does them. */
static double
run(const struct flow_table *ft, struct leg *legs, uint32_t n, bool index)
{
	const struct flow_index *fi = flow_table_index(ft);
	struct inet_endpoint keys[BURST];
	const struct inet_endpoint *kp[BURST];
	uint32_t ids[BURST];
	uint64_t sum = 0, t0 = rte_rdtsc();

	for (uint32_t done = 0; done < LOOKUPS; done += BURST) {
		const uint32_t *entry[BURST];

		for (int i = 0; i < BURST; i++) {
			key_of(next_rand(n), &keys[i]);
			kp[i] = &keys[i];
			entry[i] = index ? flow_index_entry(fi, &keys[i]) : NULL;
			if (entry[i] != NULL)
				rte_prefetch0(entry[i]);
		}
		if (!index)
			(void)flow_table_lookup_bulk(ft, kp, BURST, ids);
		for (int i = 0; i < BURST; i++) {
			/* What the index does not cover (too many addresses) the hash finds. */
			if (index && entry[i] != NULL)
				ids[i] = __atomic_load_n(entry[i], __ATOMIC_ACQUIRE);
			else if (index)
				(void)flow_table_lookup(ft, &keys[i], &ids[i]);
			leg_prefetch(&legs[ids[i]]);
		}
		for (int i = 0; i < BURST; i++) {
			struct leg *l = &legs[ids[i]];

			sum += (uintptr_t)leg_path(l) + l->action[PKT_CLASS_RTP];
			l->counters.fast.rx_pkts++;
		}
	}
	if (sum == 1)
		printf(" ");
	return LOOKUPS / ((double)(rte_rdtsc() - t0) / rte_get_tsc_hz());
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median_rate(uint32_t n, bool index, int rounds)
{
	static unsigned int k;
	char name[32];
	struct flow_table *ft;
	struct leg *legs;
	double r[64];

	snprintf(name, sizeof(name), "bench_flows_%u", k++);
	ft = flow_table_create(name, n, SOCKET_ID_ANY, NULL);
	legs = rte_zmalloc(NULL, sizeof(*legs) * n, RTE_CACHE_LINE_SIZE);
	if (ft == NULL || legs == NULL) {
		fprintf(stderr, "leg-lookup: no memory for %u legs\n", n);
		exit(1);
	}
	for (uint32_t a = 0; index && a <= (n - 1) / PORTS_PER_ADDR; a++) {
		struct inet_endpoint ep;
		struct inet_addr addr;

		key_of(a * PORTS_PER_ADDR, &ep);
		inet_endpoint_addr(&ep, &addr);
		flow_table_index_addr(ft, &addr, PORT_MIN, PORT_MIN + PORTS_PER_ADDR - 1);
	}
	for (uint32_t i = 0; i < n; i++) {
		struct inet_endpoint ep;

		key_of(i, &ep);
		legs[i].id = i;
		if (flow_table_add(ft, &ep, i) != 0) {
			fprintf(stderr, "leg-lookup: flow %u not added\n", i);
			exit(1);
		}
	}
	for (int i = 0; i < rounds; i++)
		r[i] = run(ft, legs, n, index);
	qsort(r, (size_t)rounds, sizeof(r[0]), cmp_double);
	flow_table_free(ft);
	rte_free(legs);
	return r[rounds / 2];
}

int
main(int argc, char **argv)
{
	int used = rte_eal_init(argc, argv);
	bool index = true;
	int rounds = 5;
	double few, many;

	if (used < 0)
		return 1;
	argc -= used;
	argv += used;
	if (argc > 1 && strcmp(argv[1], "--no-index") == 0) {
		index = false;
		argc--;
		argv++;
	}
	if (argc > 1)
		rounds = RTE_MAX(1, RTE_MIN(atoi(argv[1]), 63));
	few = median_rate(1000, index, rounds);
	many = median_rate(1000000, index, rounds);
	printf("path %s, %zu-byte legs, median of %d x %u lookups\n", index ? "direct index" : "hash",
	       sizeof(struct leg), rounds, LOOKUPS);
	printf("1k legs: %.1f Mlookups/s\n1M legs: %.1f Mlookups/s\nratio 1M/1k: %.2f\n",
	       few / 1e6, many / 1e6, many / few);
	return 0;
}
