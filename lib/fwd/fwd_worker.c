/* SPDX-License-Identifier: BSD-3-Clause */
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_prefetch.h>
#include <rte_random.h>

#include "../demux/rfc7983.h"
#include "../net/arp.h"
#include "../net/nd.h"
#include "fwd_ice.h"
#include "fwd_media.h"
#include "fwd_timing.h"

#define PREFETCH_AHEAD 4

void
fwd_worker_init(struct fwd_worker *w, const struct fwd_worker_conf *c)
{
	struct punt_budget_conf bc = {
		.source_rate = c->punt_rate_source,
		.tsc_hz = rte_get_tsc_hz(),
		.seed = (uint32_t)rte_rand(),
	};

	memset(w, 0, sizeof(*w));
	w->plane = c->plane;
	w->srtp = c->srtp;
	w->stats = c->stats;
	w->drops = (struct drop_counters){ .lcore = c->stats, .legs = c->leg_lcore };
	for (int i = 0; i < PUNT_CLASS_MAX; i++) {
		w->punt_ring[i] = c->punt_ring[i];
		bc.rate[i] = c->punt_rate[i];
		/* The smallest ring caps every class's burst (they are the same size). */
		if (c->punt_ring[i] != NULL &&
		    (bc.ring_capacity == 0 || rte_ring_get_capacity(c->punt_ring[i]) < bc.ring_capacity))
			bc.ring_capacity = rte_ring_get_capacity(c->punt_ring[i]);
	}
	punt_budget_init(&w->punt_budget, &bc);
	w->latch_ring = c->latch_ring;
	w->li.ring = c->li_ring;
	w->li.pool = c->li_pool;
	w->ctl = c->ctl;
	w->txq = c->txq;
	w->index = c->index;
	w->traffic_off = c->ctl == NULL ? offsetof(struct leg, counters.fast) :
					  offsetof(struct leg, counters.slow);
	w->n_workers = c->n_workers;
	fwd_ice_init(w, c->stun_error_rate);
	w->rtp_seq_idle_tsc = rte_get_tsc_hz() * RTP_SEQ_IDLE_S;
}

void
fwd_flush_port(struct fwd_worker *w, uint16_t port)
{
	struct fwd_txbuf *b = &w->tx[port];
	uint16_t sent = rte_eth_tx_burst(port, w->txq, b->pkts, b->n);

	if (__atomic_load_n(&w->plane->timing, __ATOMIC_RELAXED))
		fwd_latency_record(w, b, sent);
	b->n_runs = 0;
	for (uint16_t i = 0; i < sent; i++)
		w->stats->tx_bytes += rte_pktmbuf_pkt_len(b->pkts[i]);
	for (uint16_t i = sent; i < b->n; i++)
		drop_pkt(&w->drops, b->pkts[i], DROP_NO_LEG, DROP_TX_FULL);
	w->stats->tx_pkts += sent;
	b->n = 0;
}

void
fwd_worker_pass_end(struct fwd_worker *w)
{
	uint64_t t = unlikely(w->sampling) ? rte_rdtsc() : 0;

	fwd_worker_flush(w);
	fwd_stage_end(w, STAGE_TX, t);
}

void
fwd_worker_flush(struct fwd_worker *w)
{
	uint64_t pending = w->tx_pending;

	li_tap_flush(&w->li, w->stats);
	while (pending != 0) {
		uint16_t port = (uint16_t)__builtin_ctzll(pending);

		pending &= pending - 1;
		if (w->tx[port].n != 0)
			fwd_flush_port(w, port);
	}
	w->tx_pending = 0;
}

/* ---- actions: what a leg does with a packet of a class (leg->action[]) ---- */

/* Byte for byte to the peer leg's remote; path: the leg's (NULL: not latched). */
static inline void
forward_out(struct fwd_worker *w, struct leg *leg, struct rte_mbuf *m,
	    const struct pkt_info *pi, enum pkt_class cls, const struct leg_path *path)
{
	struct leg_traffic *t = fwd_traffic(w, leg);
	enum drop_reason r;
	uint16_t port;

	leg_traffic_rx(t, cls, pi->payload_len);
	if (unlikely(leg->li))
		fwd_li_copy(w, leg, m, pi, cls);
	r = fwd_to_peer(w->plane, leg, path, m, pi, &port);
	if (unlikely(r != DROP_NONE)) {
		drop_pkt(&w->drops, m, leg->id, r);
		return;
	}
	leg_traffic_fwd(t, pi->payload_len);
	fwd_tx(w, port, m);
}

/*
 * e2e: byte for byte to the peer leg's remote. A learning leg learns only
 * from what it would forward: its first packets go to the control lcore,
 * whose instance latches and forwards them.
 */
static inline void
action_forward(struct fwd_worker *w, struct leg *leg, struct rte_mbuf *m,
	       const struct pkt_info *pi, uint16_t iface, enum pkt_class cls,
	       const struct leg_path *path)
{
	if (unlikely(path == NULL)) {
		if (w->ctl == NULL) {
			fwd_punt(w, m, pi, iface, leg->id, PUNT_LATCH);
			return;
		}
		if (!fwd_learnable(m, pi, cls)) {
			drop_pkt(&w->drops, m, leg->id, DROP_LATCH_NOT_RTP);
			return;
		}
		if (!fwd_latch_here(w, leg, m, pi))
			return;
		path = leg_path(leg);
	}
	forward_out(w, leg, m, pi, cls, path);
}

/*
 * DTLS of a leg the box terminates: the control lcore runs the handshake.
 * Before the leg is latched any source may try (the handshake, with the
 * signalled fingerprint, is what authenticates it); after, only the remote.
 */
static inline void
action_dtls(struct fwd_worker *w, struct leg *leg, struct rte_mbuf *m,
	    const struct pkt_info *pi, uint16_t iface, const struct leg_path *path)
{
	if (path != NULL && unlikely(!inet_endpoint_equal(&pi->src, &path->remote))) {
		drop_pkt(&w->drops, m, leg->id, DROP_SOURCE_MISMATCH);
		return;
	}
	fwd_punt(w, m, pi, iface, leg->id, PUNT_DTLS);
}

/*
 * May this lcore handle a packet of leg from pi->src now? A leg with a
 * remote takes only that remote; one without takes anyone while it learns
 * (and only what it would forward), no one when its remote must be
 * signalled. Drops m and returns false when not.
 */
static inline bool
source_accepted(struct fwd_worker *w, struct leg *leg, struct rte_mbuf *m,
		const struct pkt_info *pi, enum leg_action action, const struct leg_path *path)
{
	enum drop_reason r = DROP_NONE;

	if (path == NULL) {
		if (leg->latch != LATCH_LEARN)
			r = DROP_UNLATCHED;
		else if (action != LEG_ACTION_FORWARD && action != LEG_ACTION_MEDIA)
			r = DROP_CLASS_REFUSED;
	} else if (unlikely(!inet_endpoint_equal(&pi->src, &path->remote))) {
		r = DROP_SOURCE_MISMATCH;
	}
	if (likely(r == DROP_NONE))
		return true;
	drop_pkt(&w->drops, m, leg->id, r);
	return false;
}

/*
 * A leg with ICE: STUN answered, everything else through the gate first.
 * False when m was consumed; true when the leg's actions apply as usual.
 */
static inline bool
ice_input(struct fwd_worker *w, struct leg *leg, const struct leg_ice *ice, struct rte_mbuf *m,
	  const struct pkt_info *pi, uint16_t iface, enum pkt_class cls,
	  const struct leg_path *path)
{
	/* The control lcore's run is for learning legs: an ICE leg's state is the workers'. */
	if (unlikely(w->ctl != NULL)) {
		drop_pkt(&w->drops, m, leg->id, DROP_STALE_PUNT);
		return false;
	}
	if (cls == PKT_CLASS_STUN) {
		uint64_t t = unlikely(w->sampling) ? rte_rdtsc() : 0;

		fwd_ice_stun(w, leg, ice, m, pi, iface);
		fwd_stage_end(w, STAGE_STUN, t);
		return false;
	}
	switch (fwd_ice_gate(w, leg, m, pi, cls, path)) {
	case ICE_GATE_NOMINATED:
		return true;
	case ICE_GATE_VALID_PAIR:
		/* DTLS before (or beside) the nomination: terminated or passed on. */
		if (leg->action[cls] == LEG_ACTION_DTLS)
			fwd_punt(w, m, pi, iface, leg->id, PUNT_DTLS);
		else if (leg->action[cls] == LEG_ACTION_FORWARD)
			forward_out(w, leg, m, pi, cls, NULL);
		else
			drop_pkt(&w->drops, m, leg->id, DROP_CLASS_REFUSED);
		return false;
	default:
		return false;
	}
}

/* A UDP packet for one of our legs: class, source, then the leg's action for it. */
static inline void
leg_input(struct fwd_worker *w, struct leg *leg, struct rte_mbuf *m, const struct pkt_info *pi,
	  uint16_t iface)
{
	const struct leg_path *path;
	const struct leg_ice *ice;
	enum leg_action action;
	enum pkt_class cls;

	if (unlikely(pi->payload_len == 0)) {
		drop_pkt(&w->drops, m, leg->id, DROP_PAYLOAD_EMPTY);
		return;
	}
	cls = rfc7983_classify(rte_pktmbuf_mtod_offset(m, const uint8_t *, pkt_payload_off(pi)),
			       pi->payload_len);
	if (unlikely(cls == PKT_CLASS_UNKNOWN)) {
		drop_pkt(&w->drops, m, leg->id, DROP_DEMUX_UNKNOWN);
		return;
	}
	path = leg_path(leg);
	ice = leg_ice(leg);
	if (ice != NULL && !ice_input(w, leg, ice, m, pi, iface, cls, path))
		return;
	action = (enum leg_action)leg->action[cls];
	if (action == LEG_ACTION_DTLS) {
		action_dtls(w, leg, m, pi, iface, path);
		return;
	}
	if (unlikely(!source_accepted(w, leg, m, pi, action, path)))
		return;
	switch (action) {
	case LEG_ACTION_MEDIA:
		/* The control lcore's run is for e2e latching only: no SRTP state here. */
		if (unlikely(w->ctl != NULL))
			drop_pkt(&w->drops, m, leg->id, DROP_STALE_PUNT);
		else
			fwd_media_input(w, leg, m, pi, cls, path);
		return;
	case LEG_ACTION_FORWARD:
		action_forward(w, leg, m, pi, iface, cls, path);
		return;
	default:
		leg_traffic_rx(fwd_traffic(w, leg), cls, pi->payload_len);
		drop_pkt(&w->drops, m, leg->id, DROP_CLASS_REFUSED);
		return;
	}
}

/* ---- stages: each a pass over the burst ---- */

/*
 * Is this ARP or ICMPv6 packet worth the control lcore's time? Only ARP
 * for our address (or an answer), only ND: an NS for our address, an NA.
 * Echo, router discovery (the box neither routes nor autoconfigures),
 * redirects and the rest are dropped here, never punted: a flood of them
 * must not take ARP/ND's budget. DROP_NONE when it goes on.
 */
static enum drop_reason
neighbour_check(const struct iface *ifc, const struct rte_mbuf *m, const struct pkt_info *pi,
		enum pkt_kind kind)
{
	const uint8_t *type;
	struct arp_info a;
	struct nd_info nd;
	int ret;

	if (kind == PKT_KIND_ARP) {
		if (arp_parse(m, pi->l3_off, &a) != 0)
			return DROP_ARP_INVALID;
		return a.op != RTE_ARP_OP_REQUEST || iface_owns_addr(ifc, &a.tpa) ?
		       DROP_NONE : DROP_ARP_INVALID;
	}
	/* The type before the checksum: an echo flood costs no sum. */
	if (pi->payload_len < 4 ||
	    (uint32_t)pi->l4_off + 4 > rte_pktmbuf_data_len(m))
		return DROP_ND_INVALID;
	type = rte_pktmbuf_mtod_offset(m, const uint8_t *, pi->l4_off);
	if (*type != ND_TYPE_NS && *type != ND_TYPE_NA)
		return DROP_ICMP6_OTHER;
	ret = nd_parse(m, pi, &nd);
	if (ret != 0)
		return ret == -ENOTSUP ? DROP_ICMP6_OTHER : DROP_ND_INVALID;
	return nd.type == ND_TYPE_NA || iface_owns_addr(ifc, &nd.target) ?
	       DROP_NONE : DROP_ND_INVALID;
}

/* ARP/ND that passes neighbour_check() to the control lcore. */
static void
neighbour_punt(struct fwd_worker *w, struct rte_mbuf *m, const struct pkt_info *pi,
	       uint16_t iface, enum pkt_kind kind)
{
	enum drop_reason r = neighbour_check(&w->plane->ifaces[iface], m, pi, kind);

	if (unlikely(r != DROP_NONE)) {
		drop_pkt(&w->drops, m, DROP_NO_LEG, r);
		return;
	}
	fwd_punt(w, m, pi, iface, DROP_NO_LEG, kind == PKT_KIND_ARP ? PUNT_ARP : PUNT_ICMP6);
}

/*
 * 1. Parse; UDP goes on to the flow lookup, ARP/ND to the control lcore.
 * With many flows the lookup's index entry, the leg and its paths are each
 * a cache miss that needs the one before: every stage below asks for the
 * next of them for the whole burst before any is used.
 */
static void
stage_parse(struct fwd_worker *w, struct fwd_burst *b, struct rte_mbuf **pkts, uint16_t n)
{
	const struct fwd_plane *fp = w->plane;
	const bool count_rx = !b->handed_over;	/* handed over: counted where received */
	/* Locals, not b->n: the stores to counters and mbufs below could alias them. */
	uint16_t nu = 0, nmiss = 0;

	for (uint16_t i = 0; i < n && i < PREFETCH_AHEAD; i++)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		struct pkt_info *pi = &b->info[nu];
		const struct rte_ether_hdr *eth;
		enum pkt_kind kind;
		uint16_t iface;

		if (i + PREFETCH_AHEAD < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + PREFETCH_AHEAD], void *));
		if (likely(count_rx))
			w->stats->rx_bytes += rte_pktmbuf_pkt_len(m);
		kind = pkt_parse_flags(m, pi, fp->parse_flags);
		if (unlikely(kind == PKT_KIND_DROP)) {
			drop_pkt(&w->drops, m, DROP_NO_LEG, (enum drop_reason)pi->drop);
			continue;
		}
		/* Our own addresses and subnet broadcasts are nobody's source. */
		if (unlikely(kind != PKT_KIND_ARP &&
			     inet_addr_set_has(&fp->martian_src, pi->src.addr, pi->src.family))) {
			drop_pkt(&w->drops, m, DROP_NO_LEG, DROP_SRC_MARTIAN);
			continue;
		}
		iface = fwd_iface_of(fp, b->port, pi->vlan_id);
		if (unlikely(iface == IFACE_NONE)) {
			drop_pkt(&w->drops, m, DROP_NO_LEG, DROP_VLAN_UNKNOWN);
			continue;
		}
		if (unlikely(kind != PKT_KIND_UDP)) {
			neighbour_punt(w, m, pi, iface, kind);
			continue;
		}
		eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
		if (unlikely(!rte_is_same_ether_addr(&eth->dst_addr, &fp->ifaces[iface].mac))) {
			drop_pkt(&w->drops, m, DROP_NO_LEG, DROP_NOT_FOR_US);
			continue;
		}
		/* The direct index; the hash (stage_lookup) for what it does not cover. */
		b->entry[nu] = flow_index_entry(fp->flow_index, &pi->dst);
		if (likely(b->entry[nu] != NULL)) {
			rte_prefetch0(b->entry[nu]);
		} else {
			b->miss_key[nmiss] = &pi->dst;
			b->miss_idx[nmiss++] = nu;
		}
		b->pkts[nu] = m;
		b->iface[nu] = iface;
		nu++;
	}
	b->n = nu;
	b->n_miss = nmiss;
}

/* 2. Leg ids from the index entries and one bulk hash lookup; ask for the legs. */
static void
stage_lookup(struct fwd_worker *w, struct fwd_burst *b)
{
	const struct fwd_plane *fp = w->plane;
	const uint16_t n = b->n;

	for (uint16_t i = 0; i < n; i++) {
		if (unlikely(b->entry[i] == NULL))
			continue;
		b->leg_id[i] = __atomic_load_n(b->entry[i], __ATOMIC_ACQUIRE);
		if (likely(b->leg_id[i] != FLOW_INDEX_NONE))
			leg_prefetch(&fp->legs[b->leg_id[i]]);
	}
	if (unlikely(b->n_miss != 0)) {
		uint32_t miss_ids[FWD_BURST_MAX];
		uint64_t hits = flow_table_lookup_bulk(fp->flows, b->miss_key, b->n_miss, miss_ids);

		for (uint16_t i = 0; i < b->n_miss; i++)
			b->leg_id[b->miss_idx[i]] = hits & (1ULL << i) ? miss_ids[i] :
								       FLOW_INDEX_NONE;
	}
}

/* 3. Ask for the paths; media also reads the peer leg (its keys). */
static void
stage_prefetch_paths(struct fwd_worker *w, const struct fwd_burst *b)
{
	const struct fwd_plane *fp = w->plane;
	const uint16_t n = b->n;

	for (uint16_t i = 0; i < n; i++) {
		const struct leg *leg;
		const char *out;

		if (b->leg_id[i] == FLOW_INDEX_NONE)
			continue;
		leg = &fp->legs[b->leg_id[i]];
		out = (const char *)leg->peer_path;
		rte_prefetch0(leg->path);
		rte_prefetch0(out);
		rte_prefetch0(out + RTE_CACHE_LINE_SIZE);
		if (leg->srtp != NULL)
			rte_prefetch0(&fp->legs[leg->peer]);
	}
}

/*
 * 4. Per leg: class, source, action; e2e goes out, media waits for SRTP.
 * A leg being deleted (in_use cleared) is no leg.
 */
static void
stage_legs(struct fwd_worker *w, const struct fwd_burst *b)
{
	const struct fwd_plane *fp = w->plane;
	const uint16_t n = b->n;

	for (uint16_t i = 0; i < n; i++) {
		struct leg *leg;

		if (unlikely(b->leg_id[i] == FLOW_INDEX_NONE)) {
			drop_pkt(&w->drops, b->pkts[i], DROP_NO_LEG, DROP_FLOW_UNKNOWN);
			continue;
		}
		leg = &fp->legs[b->leg_id[i]];
		if (unlikely(!__atomic_load_n(&leg->in_use, __ATOMIC_ACQUIRE))) {
			drop_pkt(&w->drops, b->pkts[i], DROP_NO_LEG, DROP_FLOW_UNKNOWN);
			continue;
		}
		leg_input(w, leg, b->pkts[i], &b->info[i], b->iface[i]);
	}
}

static void
burst_run(struct fwd_worker *w, uint16_t port, struct rte_mbuf **pkts, uint16_t n,
	  bool handed_over)
{
	struct fwd_burst *b = &w->burst;
	uint64_t t;

	b->port = port;
	b->handed_over = handed_over;
	b->now_tsc = rte_get_tsc_cycles();
	fwd_timing_burst(w, b->now_tsc, n, handed_over);
	t = b->now_tsc;
	stage_parse(w, b, pkts, n);
	t = fwd_stage_end(w, STAGE_PARSE, t);
	stage_lookup(w, b);
	stage_prefetch_paths(w, b);
	t = fwd_stage_end(w, STAGE_LOOKUP, t);
	stage_legs(w, b);
	t = fwd_stage_end(w, STAGE_LEGS, t);
	/* 5. SRTP for the burst's media, in batches, then out. */
	if (w->n_media != 0) {
		fwd_media_flush(w);
		fwd_stage_end(w, STAGE_CRYPTO, t);
	}
}

void
fwd_worker_rx(struct fwd_worker *w, uint16_t port, struct rte_mbuf **pkts, uint16_t n)
{
	w->stats->rx_pkts += n;
	burst_run(w, port, pkts, n, false);
}

/* ---- handoff between workers ---- */

void
fwd_workers_handoff_init(struct fwd_worker *const *ws, uint16_t n, struct rte_ring **ring)
{
	for (uint16_t s = 0; s < n; s++)
		for (uint16_t h = 0; h < n; h++) {
			ws[s]->handoff_to[h] = ring[s * n + h];
			ws[h]->handoff_from[s] = ring[s * n + h];
			ws[s]->handoff_done_by[h] = &ws[h]->handoff_done[s];
		}
}

/* Packets handed over keep their RX port: run them in runs of one port. */
static void
handoff_run(struct fwd_worker *w, struct rte_mbuf **pkts, unsigned int n)
{
	unsigned int first = 0;

	for (unsigned int i = 1; i <= n; i++)
		if (i == n || pkts[i]->port != pkts[first]->port) {
			burst_run(w, pkts[first]->port, &pkts[first], (uint16_t)(i - first), true);
			first = i;
		}
}

void
fwd_worker_handoff_poll(struct fwd_worker *w)
{
	struct rte_mbuf *pkts[FWD_BURST_MAX];

	for (uint16_t s = 0; s < w->n_workers; s++) {
		unsigned int n;

		if (w->handoff_from[s] == NULL)
			continue;
		n = rte_ring_sc_dequeue_burst(w->handoff_from[s], (void **)pkts, FWD_BURST_MAX, NULL);
		if (n == 0)
			continue;
		handoff_run(w, pkts, n);
		/* Handled, SRTP state included: worker s may take those legs back. */
		__atomic_store_n(&w->handoff_done[s], w->handoff_done[s] + n, __ATOMIC_RELEASE);
	}
}
