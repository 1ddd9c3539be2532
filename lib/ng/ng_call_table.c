/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ng call table: calls by call-id (a chained hash over a power-of-two
 * bucket array sized for max_calls), all of them on a list in creation
 * order for list, the timer and the console. Control lcore only; a call's
 * memory is the control lcore's heap (workers never see it).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ng_calls_priv.h"

/* Calls visited per timer call: the whole table of a small box, a slice of a big one. */
#define NG_TIMER_SLICE 1024

uint64_t
ng_now_s(void)
{
	return (uint64_t)time(NULL);
}

uint64_t
ng_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void
ng_copy_str(char *dst, size_t cap, struct ng_str s)
{
	size_t n = s.len < cap - 1 ? s.len : cap - 1;

	if (n > 0)
		memcpy(dst, s.p, n);
	dst[n] = '\0';
}

/* An SDP the box wrote may hold its SDES keys: wiped before the heap has it back. */
static void
free_sdp(char *sdp)
{
	if (sdp == NULL)
		return;
	explicit_bzero(sdp, strlen(sdp));
	free(sdp);
}

bool
ng_call_keep(char **slot, const char *s, size_t len)
{
	char *copy = malloc(len + 1);

	if (copy == NULL)
		return false;
	memcpy(copy, s, len);
	copy[len] = '\0';
	free_sdp(*slot);
	*slot = copy;
	return true;
}

/* FNV-1a: call-ids are chosen by SIP user agents, not by an attacker of the media plane. */
static uint32_t
hash_of(struct ng_str s)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < s.len; i++)
		h = (h ^ (uint8_t)s.p[i]) * 16777619u;
	return h;
}

struct ng_calls *
ng_calls_create(const struct ng_calls_params *p)
{
	struct ng_calls *nc = calloc(1, sizeof(*nc));
	uint32_t n = 64;

	if (nc == NULL)
		return NULL;
	nc->p = *p;
	while (n < p->max_calls && n < (1u << 24))
		n <<= 1;
	nc->buckets = calloc(n, sizeof(*nc->buckets));
	if (nc->buckets == NULL) {
		free(nc);
		errno = ENOMEM;
		return NULL;
	}
	nc->bucket_mask = n - 1;
	nc->start_s = ng_now_s();
	return nc;
}

void
ng_calls_free(struct ng_calls *nc)
{
	uint64_t gone = 0;

	if (nc == NULL)
		return;
	while (nc->first != NULL)
		ng_call_end(nc, nc->first, &gone);
	free(nc->buckets);
	free(nc);
}

struct ng_call *
ng_call_find(const struct ng_calls *nc, struct ng_str call_id)
{
	struct ng_call *c = nc->buckets[hash_of(call_id) & nc->bucket_mask];

	for (; c != NULL; c = c->hash_next)
		if (strlen(c->call_id) == call_id.len &&
		    memcmp(c->call_id, call_id.p, call_id.len) == 0)
			return c;
	return NULL;
}

struct ng_call *
ng_call_new(struct ng_calls *nc, struct ng_str call_id, const char **reason)
{
	struct ng_call **b = &nc->buckets[hash_of(call_id) & nc->bucket_mask];
	struct ng_call *c;

	if (nc->stats.current >= nc->p.max_calls) {
		*reason = "Parallel session limit reached";
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL) {
		*reason = "out of memory";
		return NULL;
	}
	ng_copy_str(c->call_id, sizeof(c->call_id), call_id);
	if (call_create(nc->p.calls, c->call_id, &c->call) != 0) {
		free(c);
		*reason = "Parallel session limit reached";
		return NULL;
	}
	c->created_s = ng_now_s();
	c->last_media_ms = ng_now_ms();
	c->hash_next = *b;
	*b = c;
	c->prev = nc->last;
	if (nc->last != NULL)
		nc->last->next = c;
	else
		nc->first = c;
	nc->last = c;
	nc->stats.current++;
	nc->stats.managed++;
	return c;
}

static void
unhash(struct ng_calls *nc, struct ng_call *c)
{
	struct ng_str id = { c->call_id, strlen(c->call_id) };
	struct ng_call **pp = &nc->buckets[hash_of(id) & nc->bucket_mask];

	while (*pp != c)
		pp = &(*pp)->hash_next;
	*pp = c->hash_next;
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		nc->first = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	else
		nc->last = c->prev;
	if (nc->cursor == c)
		nc->cursor = c->next;
}

void
ng_call_end(struct ng_calls *nc, struct ng_call *c, uint64_t *why)
{
	unhash(nc, c);
	ng_li_call_ended(nc, c);
	call_delete(nc->p.calls, c->call);
	for (int s = 0; s < 2; s++) {
		free_sdp(c->sdp_in[s]);
		free_sdp(c->sdp_out[s]);
	}
	explicit_bzero(c->streams, sizeof(c->streams));	/* SDES master keys */
	free(c);
	nc->stats.current--;
	(*why)++;
}

/* Is the call due to go: a delete-delay passed, or no media for the timeout? */
static bool
call_expired(struct ng_calls *nc, struct ng_call *c, uint64_t now_ms, uint64_t **why)
{
	uint64_t rx;

	if (c->delete_at_ms != 0 && now_ms >= c->delete_at_ms) {
		*why = &nc->stats.deleted;
		return true;
	}
	if (nc->p.media_timeout_s == 0)
		return false;
	rx = ng_call_rx_pkts(nc, c);
	if (rx != c->last_rx_pkts) {
		c->last_rx_pkts = rx;
		c->last_media_ms = now_ms;
		return false;
	}
	*why = &nc->stats.timeout;
	return now_ms - c->last_media_ms >= (uint64_t)nc->p.media_timeout_s * 1000u;
}

void
ng_calls_timer(struct ng_calls *nc, uint64_t now_ms)
{
	for (unsigned int n = 0; n < NG_TIMER_SLICE && nc->first != NULL; n++) {
		struct ng_call *c = nc->cursor != NULL ? nc->cursor : nc->first;
		uint64_t *why;

		nc->cursor = c->next;
		if (call_expired(nc, c, now_ms, &why))
			ng_call_end(nc, c, why);
		if (nc->cursor == NULL)
			break;	/* one pass over the list at most */
	}
}

void
ng_calls_stats(const struct ng_calls *nc, struct ng_calls_stats *out)
{
	*out = nc->stats;
}

void
ng_calls_commands(struct ng_calls *nc, struct ng_command_table *t)
{
	static const struct ng_command cmds[] = {
		{ "offer", ng_cmd_offer },
		{ "answer", ng_cmd_answer },
		{ "delete", ng_cmd_delete },
		{ "query", ng_cmd_query },
		{ "list", ng_cmd_list },
		{ "statistics", ng_cmd_statistics },
		{ "start intercept", ng_cmd_start_intercept },
		{ "stop intercept", ng_cmd_stop_intercept },
	};

	t->cmds = cmds;
	t->n = sizeof(cmds) / sizeof(cmds[0]);
	t->arg = nc;
}
