/* SPDX-License-Identifier: BSD-3-Clause */
/* inet_sum: the vectorised ones' complement sum against DPDK's rte_raw_cksum. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include <rte_ip.h>

#include "net/inet_cksum.h"

#define BUF_LEN 2048

/* Every length 0..1600 at every alignment 0..7: the tails and the vector loop. */
static void
test_matches_rte_raw_cksum(void **state)
{
	static uint8_t buf[BUF_LEN + 8];

	(void)state;
	srandom(7);
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)random();
	for (size_t off = 0; off < 8; off++)
		for (size_t len = 0; len <= 1600; len++)
			assert_int_equal(inet_sum_fold(inet_sum(buf + off, len, 0)),
					 rte_raw_cksum(buf + off, len));
}

/* All ones: every lane at its largest, the carries must all come back. */
static void
test_all_ones_and_init(void **state)
{
	static uint8_t buf[BUF_LEN];

	(void)state;
	memset(buf, 0xff, sizeof(buf));
	for (size_t len = 0; len <= BUF_LEN; len += 31)
		assert_int_equal(inet_sum_fold(inet_sum(buf, len, 0)), rte_raw_cksum(buf, len));
	/* The largest datagram, twice over, with an initial sum. */
	{
		static uint8_t big[2 * 65536];

		memset(big, 0xff, sizeof(big));
		assert_int_equal(inet_sum_fold(inet_sum(big, sizeof(big), 0x12345)),
				 inet_sum_fold(0x12345 + (uint64_t)rte_raw_cksum(big, sizeof(big))));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matches_rte_raw_cksum),
		cmocka_unit_test(test_all_ones_and_init),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
