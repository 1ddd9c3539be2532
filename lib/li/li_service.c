/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_mbuf.h>

#include "../srtp/srtp_profile.h"
#include "li_mf.h"
#include "li_service.h"
#include "li_tap.h"

#define LI_PRODUCERS_MAX 65
#define LI_DRAIN_BURST 64

enum task_state { TASK_FREE = 0, TASK_ACTIVE, TASK_ENDED };

struct li_task {
	uint8_t state;			/* enum task_state */
	struct li_task_spec spec;
	uint16_t mf;
	uint32_t target_leg;
	int16_t next;			/* the next active task of the session, -1: none */
	uint32_t seq;			/* next PDU's sequence number */
	uint64_t copies, keys, dropped;
};

/* What a leg's keys are, as the box knows them. */
struct li_leg_keys {
	struct leg_crypto_spec rx, tx;
};

struct li_service {
	struct session_table *sessions;
	uint32_t max_legs;
	struct li_leg_keys **keys;	/* per leg id, NULL: none known */
	struct rte_mempool *pool;
	uint16_t n_rings;
	struct rte_ring *rings[LI_PRODUCERS_MAX];
	uint16_t n_mfs;
	struct li_mf mfs[CONFIG_MF_MAX];
	struct li_task tasks[LI_TASKS_MAX];
	uint16_t tap_gen;		/* tells a copy made under an old tap word */
	uint64_t stale;			/* copies of a tap that changed since */
	/* Wall clock at one TSC reading: copies carry their burst's TSC. */
	uint64_t anchor_tsc, anchor_ns, tsc_hz;
};

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

static void
pdu_addr(struct li_pdu_addr *a, const struct inet_endpoint *ep)
{
	a->family = ep->family == INET_FAMILY_V6 ? 6 : 4;
	memcpy(a->addr, ep->addr, 16);
	a->port = rte_be_to_cpu_16(ep->port);
}

static void
pdu_meta(struct li_service *li, struct li_task *t, struct li_pdu_meta *m, uint64_t tsc)
{
	uint64_t ns = li->anchor_ns + (tsc - li->anchor_tsc) * 1000000000ull / li->tsc_hz;

	if (tsc < li->anchor_tsc)
		ns = li->anchor_ns - (li->anchor_tsc - tsc) * 1000000000ull / li->tsc_hz;
	memcpy(m->xid, t->spec.xid, 16);
	m->correlation_id = t->spec.correlation_id;
	m->time_s = ns / 1000000000ull;
	m->time_ns = (uint32_t)(ns % 1000000000ull);
}

/* One PDU of task t to its mediation function; its sequence number is taken only if it fits. */
static bool
task_send(struct li_service *li, struct li_task *t, struct li_pdu_meta *m, const void *payload,
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

/* The IANA DTLS-SRTP protection profile of p (RFC 5764 §4.1.2, RFC 7714 §14.2). */
static uint16_t
iana_profile(enum srtp_profile p)
{
	static const uint16_t ids[SRTP_PROFILE_MAX] = {
		[SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80] = 0x0001,
		[SRTP_PROFILE_AES_CM_128_HMAC_SHA1_32] = 0x0002,
		[SRTP_PROFILE_AEAD_AES_128_GCM] = 0x0007,
		[SRTP_PROFILE_AEAD_AES_256_GCM] = 0x0008,
		[SRTP_PROFILE_NULL_HMAC_SHA1_80] = 0x0005,
	};

	return (unsigned int)p < SRTP_PROFILE_MAX ? ids[p] : 0;
}

/* One direction's keys of a leg: rx what its remote sends, else what it receives. */
static void
send_key(struct li_service *li, struct li_task *t, uint32_t leg_id, const struct leg_crypto_spec *k,
	 bool rx)
{
	const struct leg *leg = &session_table_legs(li->sessions)[leg_id];
	const struct leg_path *path = leg_path(leg);
	const struct srtp_profile_info *pi = srtp_profile_info(k->profile);
	struct inet_endpoint remote = { .family = leg->local.family };
	uint8_t payload[LI_KEYS_PAYLOAD_MAX];
	struct li_key_info ki;
	struct li_pdu_meta m = { .type = LI_PDU_X2, .format = LI_FORMAT_PROPRIETARY };
	bool from_target = (leg_id == t->target_leg) == rx;

	if (!k->srtp || pi == NULL)
		return;
	if (path != NULL)
		remote = path->remote;
	ki = (struct li_key_info){ .profile = iana_profile(k->profile), .key_len = pi->master_key_len,
				   .salt_len = pi->master_salt_len, .key = k->master_key,
				   .salt = k->master_salt };
	m.direction = from_target ? LI_DIR_FROM_TARGET : LI_DIR_TO_TARGET;
	pdu_meta(li, t, &m, rte_get_tsc_cycles());
	pdu_addr(&m.src, rx ? &remote : &leg->local);
	pdu_addr(&m.dst, rx ? &leg->local : &remote);
	if (task_send(li, t, &m, payload, (uint32_t)li_pdu_write_keys(payload, &ki)))
		t->keys++;
	explicit_bzero(payload, sizeof(payload));
}

static void
send_leg_keys(struct li_service *li, struct li_task *t, uint32_t leg_id)
{
	const struct li_leg_keys *k = li->keys[leg_id];

	if (k == NULL)
		return;
	send_key(li, t, leg_id, &k->rx, true);
	send_key(li, t, leg_id, &k->tx, false);
}

/* ---- tasks and taps ---- */

static struct li_task *
task_by_xid(struct li_service *li, const uint8_t xid[16])
{
	for (unsigned int i = 0; i < LI_TASKS_MAX; i++)
		if (li->tasks[i].state != TASK_FREE && memcmp(li->tasks[i].spec.xid, xid, 16) == 0)
			return &li->tasks[i];
	return NULL;
}

/*
 * (Re)publish the tap word of session s's legs: its active tasks', a new
 * generation each time, so the copies made under the old one are dropped.
 * The tap index is the session's lowest active task's slot + 1.
 */
static void
retap_session(struct li_service *li, uint32_t session)
{
	const struct session *s = session_get(li->sessions, session);
	uint32_t word = 0;
	bool dtls = false;
	struct li_task *prev = NULL;

	/* Chained from the lowest slot: a copy visits its session's tasks only. */
	for (unsigned int i = 0; i < LI_TASKS_MAX; i++) {
		struct li_task *t = &li->tasks[i];

		if (t->state != TASK_ACTIVE || t->spec.session != session)
			continue;
		if (prev == NULL)
			word = i + 1;
		else
			prev->next = (int16_t)i;
		t->next = -1;
		prev = t;
		dtls |= t->spec.dtls;
	}
	if (word != 0) {
		if (++li->tap_gen == 0)
			li->tap_gen = 1;
		word |= (uint32_t)li->tap_gen << 16 | (dtls ? LI_TAP_DTLS : 0);
	}
	if (s == NULL)
		return;
	session_leg_set_li(li->sessions, s->leg[0], word);
	session_leg_set_li(li->sessions, s->leg[1], word);
}

int
li_task_start(struct li_service *li, const struct li_task_spec *spec, char *err, size_t errlen)
{
	const struct session *s;
	struct li_task *t = NULL;
	int mf = -1;

	for (uint16_t i = 0; i < li->n_mfs; i++)
		if (strcmp(li->mfs[i].conf->name, spec->mf) == 0)
			mf = i;
	if (mf < 0)
		return session_set_err(err, errlen, -ENOENT, "no mediation function '%s'%s", spec->mf,
				       li->n_mfs == 0 ? " (none configured)" : "");
	if (spec->correlation_id == 0)
		return session_set_err(err, errlen, -EINVAL, "correlation id must not be 0");
	s = session_get(li->sessions, spec->session);
	if (s == NULL)
		return session_set_err(err, errlen, -ENOENT, "no session %u", spec->session);
	if (task_by_xid(li, spec->xid) != NULL)
		return session_set_err(err, errlen, -EEXIST, "a task with this XID exists");
	for (unsigned int i = 0; i < LI_TASKS_MAX && t == NULL; i++)
		if (li->tasks[i].state == TASK_FREE)
			t = &li->tasks[i];
	if (t == NULL)
		return session_set_err(err, errlen, -ENOSPC, "%u tasks already", LI_TASKS_MAX);
	memset(t, 0, sizeof(*t));
	t->next = -1;
	t->state = TASK_ACTIVE;
	t->spec = *spec;
	t->mf = (uint16_t)mf;
	t->target_leg = s->leg[spec->target];
	send_leg_keys(li, t, s->leg[0]);
	send_leg_keys(li, t, s->leg[1]);
	retap_session(li, spec->session);
	return 0;
}

int
li_task_stop(struct li_service *li, const uint8_t xid[16], char *err, size_t errlen)
{
	struct li_task *t = task_by_xid(li, xid);
	uint32_t session;

	if (t == NULL)
		return session_set_err(err, errlen, -ENOENT, "no task with this XID");
	session = t->spec.session;
	bool active = t->state == TASK_ACTIVE;

	t->state = TASK_FREE;
	if (active)
		retap_session(li, session);
	return 0;
}

void
li_leg_keys(struct li_service *li, uint32_t leg_id, const struct leg_crypto_spec *rx,
	    const struct leg_crypto_spec *tx)
{
	struct li_leg_keys *k;
	const struct leg *leg;

	if (li == NULL || leg_id >= li->max_legs)
		return;
	k = li->keys[leg_id];
	if (k == NULL && (k = li->keys[leg_id] = calloc(1, sizeof(*k))) == NULL)
		return;
	explicit_bzero(k, sizeof(*k));
	if (rx != NULL)
		k->rx = *rx;
	if (tx != NULL)
		k->tx = *tx;
	/* Keys that change under an active task go to its mediation function. */
	leg = &session_table_legs(li->sessions)[leg_id];
	for (unsigned int i = 0; i < LI_TASKS_MAX; i++) {
		struct li_task *t = &li->tasks[i];
		const struct session *s;

		if (t->state != TASK_ACTIVE || t->spec.session != leg->session)
			continue;
		s = session_get(li->sessions, t->spec.session);
		if (s != NULL && (s->leg[0] == leg_id || s->leg[1] == leg_id)) {
			send_key(li, t, leg_id, &k->rx, true);
			send_key(li, t, leg_id, &k->tx, false);
		}
	}
}

void
li_leg_gone(struct li_service *li, uint32_t leg_id)
{
	if (li == NULL || leg_id >= li->max_legs)
		return;
	if (li->keys[leg_id] != NULL) {
		explicit_bzero(li->keys[leg_id], sizeof(*li->keys[leg_id]));
		free(li->keys[leg_id]);
		li->keys[leg_id] = NULL;
	}
	for (unsigned int i = 0; i < LI_TASKS_MAX; i++) {
		struct li_task *t = &li->tasks[i];
		const struct session *s = session_get(li->sessions, t->spec.session);

		if (t->state == TASK_ACTIVE && s != NULL &&
		    (s->leg[0] == leg_id || s->leg[1] == leg_id)) {
			t->state = TASK_ENDED;
			session_leg_set_li(li->sessions, s->leg[0], 0);
			session_leg_set_li(li->sessions, s->leg[1], 0);
		}
	}
}

/* ---- the drain ---- */

/* One copy to every task of its tap whose generation it was made under. */
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
	for (int i = (int)LI_TAP_INDEX(lc->tap); i >= 0; i = li->tasks[i].next) {
		struct li_task *t = &li->tasks[i];
		struct li_pdu_meta m = { .type = LI_PDU_X3, .format = lc->format };

		if (t->state != TASK_ACTIVE || t->spec.session != leg->session)
			break;
		if (lc->format == LI_FORMAT_PROPRIETARY && !t->spec.dtls)
			continue;
		m.direction = lc->leg_id == t->target_leg ? LI_DIR_FROM_TARGET : LI_DIR_TO_TARGET;
		pdu_meta(li, t, &m, lc->tsc);
		pdu_addr(&m.src, &lc->src);
		pdu_addr(&m.dst, &lc->dst);
		if (task_send(li, t, &m, lc + 1, lc->len))
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
task_state_name(uint8_t s)
{
	return s == TASK_ACTIVE ? "active" : "ended (session gone)";
}

void
li_service_show(const struct li_service *li, FILE *out)
{
	unsigned int n = 0;
	char xid[37], addr[INET_ENDPOINT_STRLEN];

	for (unsigned int i = 0; i < LI_TASKS_MAX; i++)
		n += li->tasks[i].state != TASK_FREE;
	fprintf(out, "li tasks: %u (max %u)\n", n, LI_TASKS_MAX);
	for (unsigned int i = 0; i < LI_TASKS_MAX; i++) {
		const struct li_task *t = &li->tasks[i];

		if (t->state == TASK_FREE)
			continue;
		li_uuid_format(t->spec.xid, xid);
		fprintf(out, "  task %s cid %" PRIu64 " mf %s session %u target %c%s: %s, copies %" PRIu64
			", keys %" PRIu64 ", dropped %" PRIu64 "\n", xid, t->spec.correlation_id,
			t->spec.mf, t->spec.session, 'a' + t->spec.target, t->spec.dtls ? " dtls" : "",
			task_state_name(t->state), t->copies, t->keys, t->dropped);
	}
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
