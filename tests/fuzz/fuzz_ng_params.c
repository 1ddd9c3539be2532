/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for lib/ng/ng_params: any bytes as an ng request body,
 * decoded as bencode and, when that gives a dictionary, read into the
 * command's parameters (offer/answer keys, flags, SDES, the intercept-*
 * keys of lawful interception). Checked: the parse returns 0 or -EINVAL
 * with a one-line reason; every string it keeps is a slice of the input;
 * counts stay inside their arrays. The input sits at the end of a heap
 * buffer of its own size, so ASan catches any read past it.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ng/bencode.h"
#include "ng/ng_params.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)
#define NODES 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct bencode_node nodes[NODES];
static const char *in_lo, *in_hi;

static void
check_slice(struct ng_str s)
{
	if (s.p == NULL)
		return;
	CHECK(s.p >= in_lo && s.p + s.len <= in_hi);
}

static void
check_params(const struct ng_params *p)
{
	const struct ng_str all[] = {
		p->command, p->call_id, p->from_tag, p->to_tag, p->via_branch, p->sdp, p->label,
		p->transport_protocol, p->received_from_family, p->received_from_addr, p->li_xid,
		p->li_correlation, p->li_mf, p->li_target, p->li_dtls,
	};

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		check_slice(all[i]);
	CHECK(p->n_direction <= NG_DIRECTION_MAX);
	for (unsigned int i = 0; i < p->n_direction; i++)
		check_slice(p->direction[i]);
	CHECK(p->sdes.n_no <= NG_SDES_SUITES_MAX && p->sdes.n_only <= NG_SDES_SUITES_MAX);
	for (unsigned int i = 0; i < p->sdes.n_no; i++)
		check_slice(p->sdes.no[i]);
	for (unsigned int i = 0; i < p->sdes.n_only; i++)
		check_slice(p->sdes.only[i]);
	CHECK(p->li_correlation_num == -1 || p->li_correlation_num > 0);
	CHECK(p->call_id.len <= NG_STR_MAX && p->li_xid.len <= NG_STR_MAX);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bencode_doc doc;
	const struct bencode_node *root;
	struct ng_params p;
	const char *reason = NULL;
	char *buf = malloc(size ? size : 1);
	int rc;

	CHECK(buf != NULL);
	memcpy(buf, data, size);
	in_lo = buf;
	in_hi = buf + size;
	if (bencode_decode(&doc, nodes, NODES, buf, size) == 0 &&
	    (root = bencode_root(&doc)) != NULL && root->type == BENCODE_DICT) {
		rc = ng_params_parse(&doc, root, &p, &reason);
		CHECK(rc == 0 || rc == -EINVAL);
		if (rc == 0)
			check_params(&p);
		else
			CHECK(reason != NULL && strchr(reason, '\n') == NULL && strlen(reason) < 200);
	}
	free(buf);
	return 0;
}
