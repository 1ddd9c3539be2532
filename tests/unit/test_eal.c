/* SPDX-License-Identifier: BSD-3-Clause */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "test_eal.h"

static struct rte_mempool *pool;

int
test_eal_setup(void **state)
{
	char prefix[64];
	char *argv[] = {
		"srtpfwd_unit", "--no-huge", "-m", "256", "--no-pci", "--no-shconf",
		"--file-prefix", prefix, "--log-level=*:error", "--no-telemetry",
	};

	(void)state;
	if (pool != NULL)
		return 0;
	/*
	 * Not --in-memory: with --no-huge this EAL runs in legacy memory mode,
	 * which refuses it. No shared config and a per-process prefix give the
	 * same: tests run side by side and leave nothing behind.
	 */
	snprintf(prefix, sizeof(prefix), "srtpfwd_unit_%d", (int)getpid());
	if (rte_eal_init(RTE_DIM(argv), argv) < 0)
		return -1;
	pool = rte_pktmbuf_pool_create("unit_pool", 1023, 0, 0,
				       2048 + RTE_PKTMBUF_HEADROOM, SOCKET_ID_ANY);
	return pool == NULL ? -1 : 0;
}

struct rte_mempool *
test_pool(void)
{
	return pool;
}

struct rte_mbuf *
test_mbuf_headroom(const void *data, uint16_t len, uint16_t headroom)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	void *p;

	assert_non_null(m);
	assert_true(headroom + len <= m->buf_len);
	m->data_off = headroom;
	p = rte_pktmbuf_append(m, len);
	assert_non_null(p);
	memcpy(p, data, len);
	return m;
}

struct rte_mbuf *
test_mbuf(const void *data, uint16_t len)
{
	return test_mbuf_headroom(data, len, RTE_PKTMBUF_HEADROOM);
}

int
test_eal_teardown(void **state)
{
	char dir[PATH_MAX];

	(void)state;
	if (pool == NULL)
		return 0;
	rte_mempool_free(pool);
	pool = NULL;
	snprintf(dir, sizeof(dir), "%s", rte_eal_get_runtime_dir());
	rte_eal_cleanup();
	/* The runtime directory --no-shconf still creates; empty by now. */
	rmdir(dir);
	return 0;
}
