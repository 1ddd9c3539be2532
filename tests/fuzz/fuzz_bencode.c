/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for lib/ng/bencode: any bytes as an ng datagram body.
 * Checked: a failed decode leaves no root and a reason at an offset inside
 * the input; a successful one re-encodes (bencode_put_node) to the very same
 * bytes (the decoder accepts only canonical bencode), which decode again to
 * the same shape (types, counts, strings, integers, links); lookups on the
 * tree stay inside it. The input sits at the end of a heap buffer of its own
 * size, so ASan catches any read past it. Also: the cookie split of the input.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ng/bencode.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)
#define NODES 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct bencode_node first[NODES];
static struct bencode_node second[NODES];
static char out[BENCODE_MAX_INPUT];

static void
check_same_shape(const struct bencode_doc *a, const struct bencode_doc *b)
{
	uint32_t i;

	CHECK(a->count == b->count);
	for (i = 0; i < a->count; i++) {
		const struct bencode_node *x = &a->nodes[i];
		const struct bencode_node *y = &b->nodes[i];

		CHECK(x->type == y->type && x->num == y->num && x->len == y->len);
		CHECK(x->child == y->child && x->next == y->next);
		CHECK(x->child == BENCODE_NONE || (x->child > (int32_t)i &&
			(uint32_t)x->child < a->count));
		CHECK(x->next == BENCODE_NONE || (x->next > (int32_t)i &&
			(uint32_t)x->next < a->count));
		if (x->type == BENCODE_STRING)
			CHECK(memcmp(x->str, y->str, x->len) == 0);
	}
}

/* Lookups on whatever the fuzzer built: bounded, inside the tree. */
static void
poke(const struct bencode_doc *doc)
{
	const struct bencode_node *root = bencode_root(doc);
	const struct bencode_node *c;
	size_t len;
	int64_t v;

	(void)bencode_dict_get_str(doc, root, "call-id", &len);
	(void)bencode_dict_get_int(doc, root, "delete delay", &v);
	(void)bencode_list_has(doc, bencode_dict_get(doc, root, "flags"), "trust-address");
	for (c = bencode_child(doc, root); c != NULL; c = bencode_next(doc, c))
		(void)bencode_list_has(doc, c, "a");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size ? size : 1);
	struct bencode_doc doc, again;
	struct bencode_writer w;
	const char *cookie, *body;
	size_t cookie_len, body_len;
	int rc;

	CHECK(buf != NULL);
	memcpy(buf, data, size);
	if (bencode_split_cookie(buf, size, &cookie, &cookie_len, &body, &body_len) == 0)
		CHECK(cookie_len >= 1 && cookie_len <= BENCODE_COOKIE_MAX &&
			body_len >= 1 && cookie_len + 1 + body_len == size);
	rc = bencode_decode(&doc, first, NODES, buf, size);
	if (rc < 0) {
		CHECK(rc == -EINVAL || rc == -ERANGE || rc == -ENOBUFS || rc == -EMSGSIZE);
		CHECK(doc.reason != NULL && bencode_root(&doc) == NULL);
		CHECK(doc.err_off <= size || rc == -EMSGSIZE);
		free(buf);
		return 0;
	}
	poke(&doc);
	bencode_writer_init(&w, out, sizeof(out));
	bencode_put_node(&w, &doc, bencode_root(&doc));
	CHECK(bencode_writer_finish(&w) == (int)size);
	CHECK(memcmp(out, buf, size) == 0);
	CHECK(bencode_decode(&again, second, NODES, out, size) == 0);
	check_same_shape(&doc, &again);
	/* One byte short of room: the writer says so and stays inside. */
	if (size > 0) {
		bencode_writer_init(&w, out, size - 1);
		bencode_put_node(&w, &doc, bencode_root(&doc));
		CHECK(bencode_writer_finish(&w) == -ENOSPC && w.len <= size - 1);
	}
	free(buf);
	return 0;
}
