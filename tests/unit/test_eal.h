/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_TEST_EAL_H
#define SRTPFWD_TEST_EAL_H

/*
 * EAL and mbufs for the unit tests that need them: one rte_eal_init per
 * process (a cmocka group setup), in memory so tests may run side by side.
 */

#include <stdint.h>

#include <rte_mbuf.h>

/* cmocka group setup: rte_eal_init once and a small pktmbuf pool. 0 or -1. */
int test_eal_setup(void **state);

/* cmocka group teardown: frees the pool, rte_eal_cleanup, removes the runtime dir. */
int test_eal_teardown(void **state);

struct rte_mempool *test_pool(void);

/* An mbuf holding data[0..len) at the default headroom; fails the test when none. */
struct rte_mbuf *test_mbuf(const void *data, uint16_t len);

/* Same, with exactly `headroom` bytes in front of the data. */
struct rte_mbuf *test_mbuf_headroom(const void *data, uint16_t len, uint16_t headroom);

#endif /* SRTPFWD_TEST_EAL_H */
