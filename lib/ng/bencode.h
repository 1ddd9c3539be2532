/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_NG_BENCODE_H
#define SRTPFWD_NG_BENCODE_H

/*
 * Bencode as rtpengine's ng control protocol uses it (the BODY of a
 * `COOKIE SP BODY` datagram, REQUIREMENTS item 27): a decoder, lookups with
 * ng's key spelling rules, and an encoder. Control-lcore code, but pure: no
 * allocation, no syscalls, no global state.
 *
 * Memory design. The decoder never allocates: the caller gives an array of
 * nodes (the arena) and the decoder fills it in document order; strings point
 * into the input, which must outlive the document. A container links its
 * children by index (first child, next sibling); a dictionary's children
 * alternate key (always a string) and value. The walk is iterative with a
 * fixed stack of BENCODE_MAX_DEPTH open containers, so the work per input is
 * linear in its length and bounded by the node array, whatever the bytes.
 *
 * Strictness. Only the canonical encoding is accepted, so that a decoded tree
 * re-encodes to the very same bytes: no leading zeros in integers or string
 * lengths, no "-0", no integer outside int64_t, no string longer than what is
 * left of the input, no byte after the top value, nothing deeper than
 * BENCODE_MAX_DEPTH, no input longer than BENCODE_MAX_INPUT. Dictionary keys
 * are kept in the order received (rtpengine does not sort them and neither do
 * we); with duplicate keys a lookup finds the first.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest datagram the ng protocol carries: 64 KiB. */
#define BENCODE_MAX_INPUT 65536u
/* Containers open at once; one more is refused ("nesting deeper than 32"). */
#define BENCODE_MAX_DEPTH 32
#define BENCODE_NONE (-1)
/* An ng cookie: 1..64 printable bytes other than space. */
#define BENCODE_COOKIE_MAX 64

enum bencode_type {
	BENCODE_DICT,
	BENCODE_LIST,
	BENCODE_STRING,
	BENCODE_INTEGER,
};

struct bencode_node {
	const char *str;	/* string: its bytes (no NUL); container: its 'd' or 'l' */
	int64_t num;		/* integer: its value; container: how many children */
	uint32_t len;		/* string: its length; container: bytes up to its 'e' */
	int32_t child;		/* container: index of the first child, or BENCODE_NONE */
	int32_t next;		/* index of the next sibling, or BENCODE_NONE */
	uint8_t type;		/* enum bencode_type */
};

struct bencode_doc {
	struct bencode_node *nodes;	/* the caller's arena; nodes[0] is the top value */
	uint32_t cap;
	uint32_t count;			/* nodes used */
	const char *reason;		/* static one-line reason of the last failure, or NULL */
	size_t err_off;			/* input offset that reason is about */
};

/*
 * Decode len bytes at buf into cap nodes. Returns 0, or -EMSGSIZE (input
 * longer than BENCODE_MAX_INPUT), -ENOBUFS (more values than nodes), -ERANGE
 * (integer outside int64_t), -EINVAL (anything else malformed); on failure
 * doc->reason and doc->err_off say what and where (see bencode_strerror).
 */
int
bencode_decode(struct bencode_doc *doc, struct bencode_node *nodes, uint32_t cap,
	const char *buf, size_t len);

/* The top value of a decoded document, or NULL when there is none. */
const struct bencode_node *
bencode_root(const struct bencode_doc *doc);

/* First child / next sibling of a node, or NULL. */
const struct bencode_node *
bencode_child(const struct bencode_doc *doc, const struct bencode_node *node);
const struct bencode_node *
bencode_next(const struct bencode_doc *doc, const struct bencode_node *node);

/*
 * Write "reason at offset N" into out (always NUL-terminated when cap > 0);
 * "ok" when the last decode succeeded. Returns out.
 */
const char *
bencode_strerror(const struct bencode_doc *doc, char *out, size_t cap);

/*
 * Whether two spellings are the same ng key or flag: space, hyphen and
 * underscore are one character (REQUIREMENTS item 27); case counts otherwise.
 */
bool
bencode_key_eq(const char *a, size_t a_len, const char *b, size_t b_len);

/* True when node is a string spelling key (as bencode_key_eq). */
bool
bencode_str_is(const struct bencode_node *node, const char *key);

/* The value of key in dict, or NULL (no such key, or dict is no dictionary). */
const struct bencode_node *
bencode_dict_get(const struct bencode_doc *doc, const struct bencode_node *dict,
	const char *key);

/* The string value of key: its bytes and *len, or NULL when absent or no string. */
const char *
bencode_dict_get_str(const struct bencode_doc *doc, const struct bencode_node *dict,
	const char *key, size_t *len);

/* The integer value of key into *val: 0, -ENOENT (absent) or -EINVAL (no integer). */
int
bencode_dict_get_int(const struct bencode_doc *doc, const struct bencode_node *dict,
	const char *key, int64_t *val);

/* True when list holds a string spelling str (for ng flag lists). */
bool
bencode_list_has(const struct bencode_doc *doc, const struct bencode_node *list,
	const char *str);

/*
 * The encoder writes into a caller buffer. Every put is void: the first
 * failure sets a sticky error that bencode_writer_finish() reports, so a
 * reply is built without a check after each call. Keys are written in the
 * order put. Checked as it goes: buffer space (-ENOSPC), nesting
 * (BENCODE_MAX_DEPTH), a dictionary key that is no string, an 'end' with
 * nothing open or with a key waiting for its value (-EINVAL).
 */
struct bencode_writer {
	char *buf;
	size_t cap;
	size_t len;
	int err;		/* 0, or the first failure as a negative errno */
	uint8_t depth;
	uint32_t dict_mask;	/* bit d: the container at depth d is a dictionary */
	uint32_t value_mask;	/* bit d: that dictionary waits for a value */
};

void
bencode_writer_init(struct bencode_writer *w, char *buf, size_t cap);
void
bencode_put_dict(struct bencode_writer *w);
void
bencode_put_list(struct bencode_writer *w);
void
bencode_put_end(struct bencode_writer *w);
void
bencode_put_str(struct bencode_writer *w, const char *s, size_t len);
void
bencode_put_cstr(struct bencode_writer *w, const char *s);
void
bencode_put_int(struct bencode_writer *w, int64_t v);
/* Convenience for dictionaries: a key and its value. */
void
bencode_put_key_str(struct bencode_writer *w, const char *key, const char *s, size_t len);
void
bencode_put_key_cstr(struct bencode_writer *w, const char *key, const char *s);
void
bencode_put_key_int(struct bencode_writer *w, const char *key, int64_t v);
/* A decoded node and everything below it, as it was received. */
void
bencode_put_node(struct bencode_writer *w, const struct bencode_doc *doc,
	const struct bencode_node *node);

/*
 * Bytes written (>= 0), or the sticky error, or -EINVAL when a container is
 * still open.
 */
int
bencode_writer_finish(const struct bencode_writer *w);

/*
 * Split an ng datagram `COOKIE SP BODY`: cookie 1..BENCODE_COOKIE_MAX bytes,
 * each printable and no space, then one space, then a non-empty body.
 * Returns 0, -EMSGSIZE (datagram longer than BENCODE_MAX_INPUT) or -EINVAL.
 */
int
bencode_split_cookie(const char *dgram, size_t len, const char **cookie, size_t *cookie_len,
	const char **body, size_t *body_len);

#endif /* SRTPFWD_NG_BENCODE_H */
