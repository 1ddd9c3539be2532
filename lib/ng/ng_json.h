/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_NG_JSON_H
#define SRTPFWD_NG_JSON_H

/*
 * JSON bodies of ng requests (REQUIREMENTS item 27: a BODY starting with
 * `{` is JSON) and replies, as rtpengine mr10.5 has them: control_ng.c
 * decodes a JSON body into the same tree a bencode body gives and answers
 * a JSON request in JSON (`COOKIE SP {"result":"pong"}`, compact).
 *
 * The decoder fills the bencode decoder's node arena (bencode.h), so ng
 * commands see one form whatever the client sent: object -> BENCODE_DICT
 * (children alternate key and value, keys in the order received; with a
 * duplicate key a lookup finds the first, where rtpengine's json-glib keeps
 * the last), array -> BENCODE_LIST, string -> BENCODE_STRING (escapes
 * decoded into the caller's scratch buffer), integer -> BENCODE_INTEGER,
 * true/false -> INTEGER 1/0 (as rtpengine's bencode_convert_json).
 * Refused as rtpengine refuses them: null and numbers with a fraction or an
 * exponent (rtpengine: "Could not decode bencode dictionary"). Stricter
 * than rtpengine: integers outside int64_t (-ERANGE; json-glib accepts
 * them), \u0000 (rtpengine cuts the string there), bytes that are no UTF-8,
 * unpaired surrogates, control bytes in strings, leading zeros.
 *
 * Pure and bounded: no allocation, one iterative pass with a fixed stack of
 * BENCODE_MAX_DEPTH open containers, work linear in the input. Container
 * nodes: str is their opening byte in the input, len their bytes up to the
 * closing one. Strings point into scratch, which, like the input, must
 * outlive the document.
 */

#include <stddef.h>
#include <stdint.h>

#include "bencode.h"

/*
 * Decode len bytes of JSON at buf (one value, whitespace around it allowed)
 * into cap nodes, string bytes into scratch (len bytes always suffice).
 * Returns 0, or -EMSGSIZE (longer than BENCODE_MAX_INPUT), -ENOBUFS (more
 * values than nodes, or scratch too small), -ERANGE (integer outside
 * int64_t), -EINVAL (anything else); doc->reason and doc->err_off say what
 * and where (bencode_strerror).
 */
int
ng_json_decode(struct bencode_doc *doc, struct bencode_node *nodes, uint32_t cap,
	       const char *buf, size_t len, char *scratch, size_t scratch_cap);

/*
 * Write node and everything below it as compact JSON into out: a
 * dictionary's keys in their order, integers as numbers, strings with `"`,
 * `\` and control bytes escaped; bytes that are no UTF-8 as \u00XX (their
 * Latin-1 reading), so the output is always valid JSON. Returns the length,
 * -ENOSPC when cap is too small, -EINVAL for a malformed tree (a key that
 * is no string, nesting deeper than BENCODE_MAX_DEPTH).
 */
int
ng_json_write(const struct bencode_doc *doc, const struct bencode_node *node, char *out,
	      size_t cap);

#endif /* SRTPFWD_NG_JSON_H */
