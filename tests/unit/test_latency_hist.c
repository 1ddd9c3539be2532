/* SPDX-License-Identifier: BSD-3-Clause */
/* The latency histogram's buckets and quantiles (lib/stats/latency_hist.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "stats/latency_hist.h"
#include "stats/stage_cycles.h"

/* Every value lies in its bucket's bounds; buckets tile the line without gap or overlap. */
static void
test_buckets_tile(void **state)
{
	(void)state;
	for (uint64_t c = 0; c < 100000; c++) {
		unsigned int b = latency_bucket(c);

		assert_true(latency_bucket_low(b) <= c && c <= latency_bucket_high(b));
	}
	for (unsigned int b = 0; b + 1 < LATENCY_BUCKETS - 1; b++)
		assert_int_equal(latency_bucket_high(b) + 1, latency_bucket_low(b + 1));
	/* Powers of two and their neighbours, up to the last bucket. */
	for (unsigned int k = 2; k < 40; k++) {
		uint64_t p = 1ull << k;

		assert_int_equal(latency_bucket(p), latency_bucket(p - 1) + 1);
		assert_int_equal(latency_bucket_low(latency_bucket(p)), p);
	}
	assert_int_equal(latency_bucket(UINT64_MAX), LATENCY_BUCKETS - 1);
	assert_int_equal(latency_bucket(1ull << 41), LATENCY_BUCKETS - 1);
	assert_int_equal(latency_bucket_high(LATENCY_BUCKETS - 1), UINT64_MAX);
}

/* A bucket is at most a quarter of its lower bound wide (from 4 on). */
static void
test_bucket_width(void **state)
{
	(void)state;
	for (unsigned int b = LATENCY_SUB; b < LATENCY_BUCKETS - 1; b++) {
		uint64_t lo = latency_bucket_low(b), hi = latency_bucket_high(b);

		assert_true((hi - lo + 1) * 4 <= lo);
	}
}

static void
test_quantiles(void **state)
{
	static struct latency_hist h;

	(void)state;
	memset(&h, 0, sizeof(h));
	assert_int_equal(latency_hist_quantile(&h, 0.5), 0);
	/* 1000 packets: 900 at 1000 cycles, 90 at 10000, 9 at 100000, 1 at 1000000. */
	latency_hist_add(&h, 1000, 900);
	latency_hist_add(&h, 10000, 90);
	latency_hist_add(&h, 100000, 9);
	latency_hist_add(&h, 1000000, 1);
	assert_int_equal(latency_hist_total(&h), 1000);
	assert_int_equal(latency_hist_quantile(&h, 0.5), latency_bucket_high(latency_bucket(1000)));
	assert_int_equal(latency_hist_quantile(&h, 0.9), latency_bucket_high(latency_bucket(1000)));
	assert_int_equal(latency_hist_quantile(&h, 0.901), latency_bucket_high(latency_bucket(10000)));
	assert_int_equal(latency_hist_quantile(&h, 0.99), latency_bucket_high(latency_bucket(10000)));
	assert_int_equal(latency_hist_quantile(&h, 0.999), latency_bucket_high(latency_bucket(100000)));
	assert_int_equal(latency_hist_quantile(&h, 1.0), latency_bucket_high(latency_bucket(1000000)));
	/* Upper bounds: never below the value, at most 25 % above it. */
	assert_true(latency_hist_quantile(&h, 0.5) >= 1000);
	assert_true(latency_hist_quantile(&h, 0.5) <= 1250);
}

static void
test_accumulate(void **state)
{
	static struct latency_hist a, b, base, total;
	struct stage_cycles s = { .samples = 5, .pkts = 50 }, sb = { .samples = 1, .pkts = 10 };
	struct stage_cycles st = { 0 };

	(void)state;
	latency_hist_add(&a, 100, 3);
	latency_hist_add(&b, 100, 2);
	latency_hist_add(&b, 5000, 7);
	base = b;
	latency_hist_add(&b, 5000, 1);
	latency_hist_accumulate(&total, &a, NULL);
	latency_hist_accumulate(&total, &b, &base);	/* only what came after the clear */
	assert_int_equal(latency_hist_total(&total), 4);
	assert_int_equal(total.count[latency_bucket(100)], 3);
	assert_int_equal(total.count[latency_bucket(5000)], 1);
	s.cycles[STAGE_PARSE] = 700;
	sb.cycles[STAGE_PARSE] = 100;
	stage_cycles_accumulate(&st, &s, &sb);
	assert_int_equal(st.pkts, 40);
	assert_int_equal(st.cycles[STAGE_PARSE], 600);
	assert_string_equal(stage_name(STAGE_CRYPTO), "crypto");
	assert_string_equal(stage_name(STAGE_MAX), "?");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buckets_tile),
		cmocka_unit_test(test_bucket_width),
		cmocka_unit_test(test_quantiles),
		cmocka_unit_test(test_accumulate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
