/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * punt_budget: one class's flood leaves the others their budget, one
 * source's flood leaves its class's budget to the other sources, bursts
 * never exceed half a ring, and tokens come back with time. Time is the
 * test's own (a 1 MHz "TSC"), so nothing here depends on the machine.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "fwd/punt_budget.h"

#define HZ 1000000ull
#define T0 (1000 * HZ)		/* buckets start full when first used */

static struct punt_budget *
budget(uint32_t arp, uint32_t dtls, uint32_t other, uint32_t source, uint32_t ring)
{
	static struct punt_budget b;
	struct punt_budget_conf c = {
		.rate = { arp, dtls, other }, .source_rate = source, .ring_capacity = ring,
		.tsc_hz = HZ, .seed = 12345,
	};

	punt_budget_init(&b, &c);
	return &b;
}

/* How many of n takes of cls from source src at time now go through. */
static unsigned int
takes(struct punt_budget *b, enum punt_class cls, uint32_t src, unsigned int n, uint64_t now,
      enum drop_reason *last)
{
	unsigned int ok = 0;

	for (unsigned int i = 0; i < n; i++) {
		enum drop_reason r = punt_budget_take(b, cls, src, now);

		if (r == DROP_NONE)
			ok++;
		else if (last != NULL)
			*last = r;
	}
	return ok;
}

static void
test_class_burst_and_refill(void **state)
{
	struct punt_budget *b = budget(1000, 1000, 1000, 1000000, 0);
	enum drop_reason r = DROP_NONE;

	(void)state;
	/* A tenth of a second's worth at once, then nothing until time passes. */
	assert_int_equal(takes(b, PUNT_CLASS_DTLS, 1, 500, T0, &r), 100);
	assert_int_equal(r, DROP_PUNT_RATE_DTLS);
	assert_int_equal(takes(b, PUNT_CLASS_DTLS, 1, 10, T0 + 999, NULL), 0);
	/* One token per millisecond. */
	assert_int_equal(takes(b, PUNT_CLASS_DTLS, 1, 10, T0 + 1000, NULL), 1);
	assert_int_equal(takes(b, PUNT_CLASS_DTLS, 1, 100, T0 + 1000 + 50 * 1000, NULL), 50);
	/* Never more than the burst, however long it was quiet. */
	assert_int_equal(takes(b, PUNT_CLASS_DTLS, 1, 500, T0 + 100 * HZ, NULL), 100);
}

static void
test_classes_independent(void **state)
{
	struct punt_budget *b = budget(200, 1000, 1000, 1000000, 0);
	enum drop_reason r = DROP_NONE;

	(void)state;
	/* DTLS and "other" spent: ARP/ND still has all of its own. */
	assert_int_equal(takes(b, PUNT_CLASS_DTLS, 7, 100000, T0, NULL), 100);
	assert_int_equal(takes(b, PUNT_CLASS_OTHER, 7, 100000, T0, &r), 100);
	assert_int_equal(r, DROP_PUNT_RATE_OTHER);
	assert_int_equal(takes(b, PUNT_CLASS_ARP_ND, 7, 100, T0, &r), 20);
	assert_int_equal(r, DROP_PUNT_RATE_ARP_ND);
}

static void
test_per_source(void **state)
{
	struct punt_budget *b = budget(1000, 10000, 1000, 100, 0);
	enum drop_reason r = DROP_NONE;
	uint32_t flood = punt_source_hash(b, "flooder", 7);
	uint32_t other = punt_source_hash(b, "genuine", 7);
	unsigned int others = 0;

	(void)state;
	assert_int_not_equal(flood, other);
	/* One source gets its burst (one RX burst at least), then only its rate. */
	assert_int_equal(takes(b, PUNT_CLASS_DTLS, flood, 100000, T0, &r), PUNT_SOURCE_BURST_MIN);
	assert_int_equal(r, DROP_PUNT_RATE_SOURCE);
	assert_int_equal(takes(b, PUNT_CLASS_DTLS, flood, 1000, T0 + HZ / 100, NULL), 1);
	/* The class has plenty left for everyone else. */
	assert_int_equal(takes(b, PUNT_CLASS_DTLS, other, 5, T0, NULL), 5);
	for (uint32_t s = 0; s < 50; s++)
		if (s != flood && s != other)
			others += takes(b, PUNT_CLASS_DTLS, s, 2, T0, NULL);
	assert_true(others >= 2 * 48);
	/* A small ring caps the source's burst too. */
	b = budget(1000, 10000, 1000, 100, 31);
	assert_int_equal(takes(b, PUNT_CLASS_DTLS, flood, 1000, T0, NULL), 15);
	/* Per class: the same source's ARP/ND has its own bucket. */
	assert_int_equal(takes(b, PUNT_CLASS_ARP_ND, flood, 3, T0, NULL), 3);
}

static void
test_burst_capped_by_ring(void **state)
{
	/* 1M/s would allow 100k at once: half of a 1023-slot ring instead. */
	struct punt_budget *b = budget(1000000, 1000000, 1000000, 1000000, 1023);

	(void)state;
	assert_int_equal(takes(b, PUNT_CLASS_ARP_ND, 1, 5000, T0, NULL), 511);
	assert_int_equal(b->rate[PUNT_CLASS_DTLS].burst, 511);
	assert_int_equal(b->source_rate.burst, 511);
}

static void
test_hash_seeded(void **state)
{
	struct punt_budget *b = budget(1, 1, 1, 1, 0);
	uint32_t h1 = punt_source_hash(b, "198.18.0.2:5000", 15);

	(void)state;
	b->seed = 54321;
	/* Another worker (seed) puts the same source elsewhere, nearly always. */
	assert_true(h1 < PUNT_SOURCE_BUCKETS);
	assert_int_not_equal(h1, punt_source_hash(b, "198.18.0.2:5000", 15));
	assert_string_equal(punt_class_name(PUNT_CLASS_ARP_ND), "arp_nd");
	assert_string_equal(punt_class_name(PUNT_CLASS_OTHER), "other");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_class_burst_and_refill),
		cmocka_unit_test(test_classes_independent),
		cmocka_unit_test(test_per_source),
		cmocka_unit_test(test_burst_capped_by_ring),
		cmocka_unit_test(test_hash_seeded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
