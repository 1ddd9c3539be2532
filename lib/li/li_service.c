/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_mbuf.h>

#include "../srtp/srtp_profile.h"
#include "li_service_priv.h"
#include "li_tap.h"

#define LI_DRAIN_BURST 64

static uint64_t
wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000ull + (uint64_t)ts.tv_nsec / 1000000ull;
}

struct li_service *
li_service_create(const struct srtpfwd_config *cfg, struct session_table *st,
		  uint16_t n_producers, int socket, char *err, size_t errlen)
{
	struct li_service *li = calloc(1, sizeof(*li));
	char name[RTE_RING_NAMESIZE];

	if (li == NULL || n_producers > LI_PRODUCERS_MAX) {
		snprintf(err, errlen, "lawful interception: no memory");
		free(li);
		return NULL;
	}
	li->sessions = st;
	li->max_legs = 2 * session_max(st);
	li->tsc_hz = rte_get_tsc_hz();
	li->anchor_tsc = rte_get_tsc_cycles();
	li->anchor_ns = wall_ns();
	for (unsigned int i = 0; i < LI_TAPS_MAX; i++)
		li->taps[i] = (struct li_tap_slot){ .task = -1, .next = -1 };
	li->keys = calloc(li->max_legs, sizeof(*li->keys));
	if (li->keys == NULL)
		goto nomem;
	if (cfg->n_mfs == 0)
		return li;
	for (uint16_t i = 0; i < cfg->n_mfs; i++) {
		if (li_mf_init(&li->mfs[i], &cfg->mfs[i], err, errlen) != 0) {
			li->n_mfs = (uint16_t)(i + 1);
			li_service_free(li);
			return NULL;
		}
		li->n_mfs = (uint16_t)(i + 1);
	}
	li->pool = rte_pktmbuf_pool_create("li_copies", cfg->li_mbufs, 256, 0,
					   (uint16_t)(RTE_PKTMBUF_HEADROOM + 2048), socket);
	if (li->pool == NULL)
		goto nomem;
	for (uint16_t p = 0; p < n_producers; p++) {
		snprintf(name, sizeof(name), "li_copies_%u", p);
		li->rings[p] = rte_ring_create(name, LI_RING_SIZE, socket,
					       RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (li->rings[p] == NULL)
			goto nomem;
		li->n_rings = (uint16_t)(p + 1);
	}
	return li;
nomem:
	snprintf(err, errlen, "lawful interception: no memory for its copy pool or rings (%s)",
		 rte_strerror(rte_errno));
	li_service_free(li);
	return NULL;
}

void
li_service_free(struct li_service *li)
{
	if (li == NULL)
		return;
	for (uint16_t p = 0; p < li->n_rings; p++) {
		struct rte_mbuf *m;

		while (rte_ring_dequeue(li->rings[p], (void **)&m) == 0)
			rte_pktmbuf_free(m);
		rte_ring_free(li->rings[p]);
	}
	rte_mempool_free(li->pool);
	for (uint16_t i = 0; i < li->n_mfs; i++)
		li_mf_free(&li->mfs[i]);
	for (uint32_t l = 0; li->keys != NULL && l < li->max_legs; l++)
		if (li->keys[l] != NULL) {
			explicit_bzero(li->keys[l], sizeof(*li->keys[l]));
			free(li->keys[l]);
		}
	free(li->keys);
	free(li);
}

struct rte_ring *
li_service_ring(const struct li_service *li, uint16_t p)
{
	return li != NULL && p < li->n_rings ? li->rings[p] : NULL;
}

struct rte_mempool *
li_service_pool(const struct li_service *li)
{
	return li != NULL ? li->pool : NULL;
}

/* ---- PDUs ---- */

void
li_pdu_addr_of(struct li_pdu_addr *a, const struct inet_endpoint *ep)
{
	a->family = ep->family == INET_FAMILY_V6 ? 6 : 4;
	memcpy(a->addr, ep->addr, 16);
	a->port = rte_be_to_cpu_16(ep->port);
}

void
li_pdu_meta_fill(const struct li_service *li, const struct li_task *t, struct li_pdu_meta *m,
		 uint64_t tsc)
{
	uint64_t ns = li->anchor_ns + (tsc - li->anchor_tsc) * 1000000000ull / li->tsc_hz;

	if (tsc < li->anchor_tsc)
		ns = li->anchor_ns - (li->anchor_tsc - tsc) * 1000000000ull / li->tsc_hz;
	memcpy(m->xid, t->spec.xid, 16);
	m->correlation_id = t->spec.correlation_id;
	m->time_s = ns / 1000000000ull;
	m->time_ns = (uint32_t)(ns % 1000000000ull);
}

bool
li_task_send(struct li_service *li, struct li_task *t, struct li_pdu_meta *m, const void *payload,
	     uint32_t len)
{
	uint8_t hdr[LI_PDU_HEADER_MAX];
	size_t hl;

	m->seq = t->seq;
	hl = li_pdu_write_header(hdr, m, len);
	if (!li_mf_enqueue(&li->mfs[t->mf], hdr, hl, payload, len)) {
		t->dropped++;
		return false;
	}
	t->seq++;
	return true;
}

/* ---- the drain ---- */

/* One copy to every task tapping its session, if made under the session's tap word now. */
static void
copy_out(struct li_service *li, struct rte_mbuf *c)
{
	const struct li_copy *lc = rte_pktmbuf_mtod(c, const struct li_copy *);
	const struct leg *leg = &session_table_legs(li->sessions)[lc->leg_id % li->max_legs];
	uint32_t now_word = __atomic_load_n(&leg->li_tap, __ATOMIC_RELAXED);
	bool sent = false;

	if (lc->leg_id >= li->max_legs || now_word != lc->tap) {
		li->stale++;
		return;
	}
	for (int i = (int)LI_TAP_INDEX(lc->tap); i >= 0; i = li->taps[i].next) {
		const struct li_tap_slot *tap = &li->taps[i];
		struct li_task *t = &li->tasks[tap->task < 0 ? 0 : tap->task];
		struct li_pdu_meta m = { .type = LI_PDU_X3, .format = lc->format };

		if (tap->task < 0 || tap->session != leg->session)
			break;
		if (t->state != LI_TASK_ACTIVE ||
		    (lc->format == LI_FORMAT_PROPRIETARY && !t->spec.dtls))
			continue;
		m.direction = lc->leg_id == tap->target_leg ? LI_DIR_FROM_TARGET : LI_DIR_TO_TARGET;
		li_pdu_meta_fill(li, t, &m, lc->tsc);
		li_pdu_addr_of(&m.src, &lc->src);
		li_pdu_addr_of(&m.dst, &lc->dst);
		if (li_task_send(li, t, &m, lc + 1, lc->len))
			t->copies++;
		sent = true;
	}
	if (!sent)
		li->stale++;
}

static unsigned int
drain(struct li_service *li)
{
	struct rte_mbuf *c[LI_DRAIN_BURST];
	unsigned int total = 0;

	for (uint16_t p = 0; p < li->n_rings; p++) {
		unsigned int n = rte_ring_sc_dequeue_burst(li->rings[p], (void **)c, LI_DRAIN_BURST, NULL);

		for (unsigned int i = 0; i < n; i++)
			copy_out(li, c[i]);
		if (n != 0)
			rte_pktmbuf_free_bulk(c, n);
		total += n;
	}
	return total;
}

unsigned int
li_service_poll(struct li_service *li)
{
	uint64_t ms;
	unsigned int work;

	if (li == NULL || li->n_mfs == 0)
		return 0;
	work = drain(li);
	ms = now_ms();
	for (uint16_t i = 0; i < li->n_mfs; i++)
		li_mf_poll(&li->mfs[i], ms);
	return work;
}

/* ---- show li ---- */

static const char *
task_state_name(const struct li_task *t)
{
	if (t->state == LI_TASK_ENDED)
		return "ended (session gone)";
	return t->n_taps > 0 ? "active" : "waiting (no session yet)";
}

/* A task's line, then one line per session it taps. */
static void
show_task(const struct li_service *li, unsigned int ti, FILE *out)
{
	const struct li_task *t = &li->tasks[ti];
	char xid[37];

	li_uuid_format(t->spec.xid, xid);
	fprintf(out, "  task %s cid %" PRIu64 " mf %s%s%s%s: %s, sessions %u, copies %" PRIu64
		", keys %" PRIu64 ", dropped %" PRIu64 "\n", xid, t->spec.correlation_id, t->spec.mf,
		t->spec.call[0] != '\0' ? " call " : "", t->spec.call, t->spec.dtls ? " dtls" : "",
		task_state_name(t), t->n_taps, t->copies, t->keys, t->dropped);
	for (unsigned int i = 0; i < LI_TAPS_MAX; i++) {
		const struct li_tap_slot *tap = &li->taps[i];
		const struct session *s;

		if (tap->task != (int)ti)
			continue;
		s = session_get(li->sessions, tap->session);
		fprintf(out, "    session %u target %c\n", tap->session,
			s != NULL && s->leg[1] == tap->target_leg ? 'b' : 'a');
	}
}

void
li_service_show(const struct li_service *li, FILE *out)
{
	unsigned int n = 0;
	char addr[INET_ENDPOINT_STRLEN];

	for (unsigned int i = 0; i < LI_TASKS_MAX; i++)
		n += li->tasks[i].state != LI_TASK_FREE;
	fprintf(out, "li tasks: %u (max %u)\n", n, LI_TASKS_MAX);
	for (unsigned int i = 0; i < LI_TASKS_MAX; i++)
		if (li->tasks[i].state != LI_TASK_FREE)
			show_task(li, i, out);
	fprintf(out, "li mediation functions: %u\n", li->n_mfs);
	for (uint16_t i = 0; i < li->n_mfs; i++) {
		const struct li_mf *mf = &li->mfs[i];

		inet_endpoint_format(&mf->conf->addr, addr, sizeof(addr));
		fprintf(out, "  mf %s %s %s: %s, connects %" PRIu64 ", failures %" PRIu64
			", garbage %" PRIu64 ", pdus %" PRIu64 ", bytes %" PRIu64 ", queued %u, dropped %"
			PRIu64 ", lost-bytes %" PRIu64 ", keepalives %" PRIu64 "/%" PRIu64 "\n",
			mf->conf->name, addr, mf->conf->tls ? "tls" : "tcp", li_mf_state_name(mf->state),
			mf->st.connects, mf->st.failures, mf->st.garbage, mf->st.pdus, mf->st.bytes,
			mf->q_len, mf->st.dropped, mf->st.lost_bytes, mf->st.keepalives_sent,
			mf->st.keepalives_acked);
	}
	fprintf(out, "li stale copies: %" PRIu64 "\n", li->stale);
}
