/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for lib/ng/ng_json and lib/ng/ng_frame: any bytes as a
 * JSON ng body, and as a TCP stream. Checked: a failed decode leaves no
 * root and a reason at an offset inside the input; a decoded tree has its
 * links inside it and every string inside the scratch; written back as JSON
 * it decodes to the same tree, and as bencode it decodes (bencode.c) to the
 * same tree again; a writer one byte short fails with -ENOSPC. The framer:
 * whole, byte by byte and cut in two it ends at the same place, never past
 * the input. The input sits at the end of a heap buffer of its own size, so
 * ASan catches any read past it.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ng/bencode.h"
#include "ng/ng_frame.h"
#include "ng/ng_json.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)
#define NODES 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct bencode_node first[NODES];
static struct bencode_node second[NODES];
static char scratch[BENCODE_MAX_INPUT];
static char scratch2[4 * BENCODE_MAX_INPUT];
static char out[6 * BENCODE_MAX_INPUT];

static void
check_same_tree(const struct bencode_doc *a, const struct bencode_doc *b)
{
	CHECK(a->count == b->count);
	for (uint32_t i = 0; i < a->count; i++) {
		const struct bencode_node *x = &a->nodes[i], *y = &b->nodes[i];

		CHECK(x->type == y->type && x->num == y->num);
		CHECK(x->child == y->child && x->next == y->next);
		CHECK(x->child == BENCODE_NONE || (x->child > (int32_t)i &&
			(uint32_t)x->child < a->count));
		CHECK(x->next == BENCODE_NONE || (x->next > (int32_t)i &&
			(uint32_t)x->next < a->count));
		if (x->type == BENCODE_STRING)
			CHECK(x->len == y->len && memcmp(x->str, y->str, x->len) == 0);
	}
}

static void
check_strings_in_scratch(const struct bencode_doc *doc, size_t size)
{
	for (uint32_t i = 0; i < doc->count; i++) {
		const struct bencode_node *n = &doc->nodes[i];

		if (n->type == BENCODE_STRING)
			CHECK(n->str >= scratch && n->str + n->len <= scratch + size);
	}
}

static void
round_trips(const struct bencode_doc *doc, size_t size)
{
	struct bencode_doc again;
	struct bencode_writer w;
	int len;

	len = ng_json_write(doc, bencode_root(doc), out, sizeof(out));
	CHECK(len > 0);
	if ((size_t)len <= BENCODE_MAX_INPUT) {
		CHECK(ng_json_decode(&again, second, NODES, out, (size_t)len, scratch2,
				     sizeof(scratch2)) == 0);
		check_same_tree(doc, &again);
	}
	CHECK(ng_json_write(doc, bencode_root(doc), out, (size_t)len - 1) == -ENOSPC);
	bencode_writer_init(&w, out, sizeof(out));
	bencode_put_node(&w, doc, bencode_root(doc));
	len = bencode_writer_finish(&w);
	CHECK(len > 0);
	if ((size_t)len <= BENCODE_MAX_INPUT) {
		CHECK(bencode_decode(&again, second, NODES, out, (size_t)len) == 0);
		check_same_tree(doc, &again);
	}
	(void)size;
}

static void
check_framer(const char *buf, size_t size)
{
	struct ng_frame f;
	int whole, rc = 0;
	size_t i;

	ng_frame_reset(&f);
	whole = ng_frame_scan(&f, buf, size);
	CHECK(whole <= (int)size && (whole != 0 || f.pos == size));
	ng_frame_reset(&f);
	for (i = 1; i <= size; i++) {
		rc = ng_frame_scan(&f, buf, i);
		if (rc != 0)
			break;
	}
	CHECK(rc == whole || (whole == 0 && rc == 0));
	if (size > 1) {
		ng_frame_reset(&f);
		rc = ng_frame_scan(&f, buf, size / 2);
		if (rc == 0)
			rc = ng_frame_scan(&f, buf, size);
		CHECK(rc == whole);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size ? size : 1);
	struct bencode_doc doc;
	int rc;

	CHECK(buf != NULL);
	memcpy(buf, data, size);
	check_framer(buf, size);
	rc = ng_json_decode(&doc, first, NODES, buf, size, scratch, size);
	if (rc < 0) {
		CHECK(rc == -EINVAL || rc == -ERANGE || rc == -ENOBUFS || rc == -EMSGSIZE);
		CHECK(doc.reason != NULL && bencode_root(&doc) == NULL);
		CHECK(doc.err_off <= size || rc == -EMSGSIZE);
	} else {
		check_strings_in_scratch(&doc, size);
		round_trips(&doc, size);
	}
	free(buf);
	return 0;
}
