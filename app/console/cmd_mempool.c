/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>

#include <cmdline_parse_string.h>
#include <rte_mempool.h>

#include "console.h"
#include "console_cmds.h"

/* ---- show mempool all ---- */

/*
 * Every mempool of the process (mbufs, SRTP contexts and crypto ops): its
 * size and how many elements are out of it. Tests compare "in use" before
 * and after a flood: nothing that bad input does may keep elements.
 */
static void
print_mempool(struct rte_mempool *mp, void *arg)
{
	FILE *out = arg;

	fprintf(out, "  %-20s size %u in use %u available %u\n", mp->name, mp->size,
		rte_mempool_in_use_count(mp), rte_mempool_avail_count(mp));
}

void
show_mempools(FILE *out)
{
	rte_mempool_walk(print_mempool, out);
}

struct cmd_show_mempool_result {
	cmdline_fixed_string_t show;
	cmdline_fixed_string_t mempool;
	cmdline_fixed_string_t all;
};

static void
cmd_show_mempool_parsed(void *res, struct cmdline *cl, void *data)
{
	RTE_SET_USED(res);
	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	show_mempools(stdout);
	fflush(stdout);
}

static cmdline_parse_token_string_t tok_mp_show =
	TOKEN_STRING_INITIALIZER(struct cmd_show_mempool_result, show, "show");
static cmdline_parse_token_string_t tok_mp_mempool =
	TOKEN_STRING_INITIALIZER(struct cmd_show_mempool_result, mempool, "mempool");
static cmdline_parse_token_string_t tok_mp_all =
	TOKEN_STRING_INITIALIZER(struct cmd_show_mempool_result, all, "all");

cmdline_parse_inst_t cmd_show_mempool = {
	.f = cmd_show_mempool_parsed,
	.help_str = "show mempool all: every mempool's size, elements in use and available",
	.tokens = { (void *)&tok_mp_show, (void *)&tok_mp_mempool, (void *)&tok_mp_all, NULL },
};
