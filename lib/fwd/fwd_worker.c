/* SPDX-License-Identifier: BSD-3-Clause */
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_prefetch.h>

#include "../demux/rfc7983.h"
#include "../srtp/srtp_engine.h"
#include "../net/pkt_parse.h"
#include "fwd_to_peer.h"
#include "fwd_worker.h"
#include "punt.h"

#define PREFETCH_AHEAD 4

void
fwd_worker_init(struct fwd_worker *w, const struct fwd_plane *plane, struct lcore_stats *stats,
		struct rte_ring *punt_ring, uint16_t txq, uint32_t punt_rate,
		struct srtp_worker *srtp, struct rte_mempool *pool)
{
	memset(w, 0, sizeof(*w));
	w->plane = plane;
	w->srtp = srtp;
	w->pool = pool;
	w->stats = stats;
	w->punt_ring = punt_ring;
	w->txq = txq;
	w->punt_tsc_per_token = rte_get_tsc_hz() / (punt_rate ? punt_rate : 1);
	if (w->punt_tsc_per_token == 0)
		w->punt_tsc_per_token = 1;
	/* Allow a tenth of a second's worth at once. */
	w->punt_burst = punt_rate / 10 ? punt_rate / 10 : 1;
	w->punt_tokens = w->punt_burst;
	w->punt_last_tsc = rte_get_tsc_cycles();
}

static inline void
drop(struct fwd_worker *w, struct rte_mbuf *m, enum drop_reason r)
{
	w->stats->drops[r]++;
	rte_pktmbuf_free(m);
}

static inline bool
punt_allowed(struct fwd_worker *w)
{
	if (w->punt_tokens == 0) {
		uint64_t now = rte_get_tsc_cycles();
		uint64_t earned = (now - w->punt_last_tsc) / w->punt_tsc_per_token;

		if (earned == 0)
			return false;
		w->punt_tokens = RTE_MIN(earned, w->punt_burst);
		w->punt_last_tsc = now;
	}
	w->punt_tokens--;
	return true;
}

/* Enqueue m for the control lcore (rate already checked). */
static inline enum drop_reason
punt_enqueue(struct fwd_worker *w, struct rte_mbuf *m, uint16_t iface, uint32_t leg,
	     enum punt_reason why)
{
	struct punt_meta *pm = punt_meta(m, w->plane->punt_meta_offset);

	pm->leg = leg;
	pm->iface = iface;
	pm->reason = (uint8_t)why;
	pm->reserved = 0;
	if (rte_ring_sp_enqueue(w->punt_ring, m) != 0) {
		drop(w, m, DROP_PUNT_RING_FULL);
		return DROP_PUNT_RING_FULL;
	}
	w->stats->punted++;
	return DROP_REASON_MAX;
}

/* Hand m to the control lcore; returns the drop reason or DROP_REASON_MAX. */
static inline enum drop_reason
punt(struct fwd_worker *w, struct rte_mbuf *m, uint16_t iface, uint32_t leg,
     enum punt_reason why)
{
	if (!punt_allowed(w)) {
		drop(w, m, DROP_PUNT_RATE);
		return DROP_PUNT_RATE;
	}
	return punt_enqueue(w, m, iface, leg, why);
}

static void
flush_port(struct fwd_worker *w, uint16_t port)
{
	struct fwd_txbuf *b = &w->tx[port];
	uint16_t sent = rte_eth_tx_burst(port, w->txq, b->pkts, b->n);

	for (uint16_t i = 0; i < sent; i++)
		w->stats->tx_bytes += rte_pktmbuf_pkt_len(b->pkts[i]);
	for (uint16_t i = sent; i < b->n; i++)
		drop(w, b->pkts[i], DROP_TX_FULL);
	w->stats->tx_pkts += sent;
	b->n = 0;
}

static inline void
tx_enqueue(struct fwd_worker *w, uint16_t port, struct rte_mbuf *m)
{
	struct fwd_txbuf *b = &w->tx[port];

	b->pkts[b->n++] = m;
	w->tx_pending |= 1ULL << port;
	if (unlikely(b->n == FWD_BURST_MAX))
		flush_port(w, port);
}

void
fwd_worker_flush(struct fwd_worker *w)
{
	uint64_t pending = w->tx_pending;

	while (pending != 0) {
		uint16_t port = (uint16_t)__builtin_ctzll(pending);

		pending &= pending - 1;
		if (w->tx[port].n != 0)
			flush_port(w, port);
	}
	w->tx_pending = 0;
}

/*
 * RTP/RTCP of an e2ae leg. The source check happens now; latching a learning
 * leg waits until the packet has authenticated (media_flush). A packet that
 * could not leave is dropped before any crypto is spent on it.
 */
static inline void
media_input(struct fwd_worker *w, struct leg *leg, struct rte_mbuf *m, const struct pkt_info *pi,
	    enum pkt_class cls, const struct leg_path *path)
{
	const struct leg_srtp *in_keys, *out_keys;
	/*
	 * The batch's next slot, filled in place (taken only at the end): a
	 * route built on the stack and copied in cost a store-forwarding stall
	 * a packet (two 8-byte stores read back as one 16-byte load).
	 */
	struct fwd_media *fm = &w->media[w->n_media];
	enum drop_reason d;
	enum srtp_kind kind;
	bool latch = false;

	if (path == NULL) {
		if (leg->latch != LATCH_LEARN) {
			leg_count_drop(leg, LEG_DROP_UNLATCHED);
			drop(w, m, DROP_UNLATCHED);
			return;
		}
		latch = true;
	} else if (unlikely(!inet_endpoint_equal(&pi->src, &path->remote))) {
		leg_count_drop(leg, LEG_DROP_SOURCE_MISMATCH);
		drop(w, m, DROP_SOURCE_MISMATCH);
		return;
	}
	d = fwd_route_to_peer(w->plane, leg, fwd_in_sum(path, pi), &fm->route);
	if (unlikely(d != DROP_REASON_MAX)) {
		leg_count_drop(leg, leg_drop_of(d));
		drop(w, m, d);
		return;
	}
	/* A DTLS-SRTP leg without keys yet (or any more) passes nothing. */
	in_keys = leg_srtp(leg);
	out_keys = leg_srtp(fm->route.out);
	if (unlikely(in_keys == NULL || out_keys == NULL)) {
		leg_count_drop(leg, LEG_DROP_NO_KEYS);
		drop(w, m, DROP_SRTP_NO_KEYS);
		return;
	}
	kind = cls == PKT_CLASS_RTCP ? SRTP_KIND_RTCP : SRTP_KIND_RTP;
	/*
	 * Plain RTP in, payload rewritten (protected) out: SRTP would seal a
	 * corrupted packet with a good tag, so its checksum is checked here.
	 */
	if (in_keys->in[kind] == NULL && out_keys->out[kind] != NULL &&
	    (w->plane->parse_flags & PKT_PARSE_UDP_CKSUM_PRESERVE) && !pkt_udp_cksum_ok(m, pi)) {
		drop(w, m, DROP_UDP_CHECKSUM);
		return;
	}
	fm->in = leg;
	fm->pi = pi;
	fm->unprotect = in_keys->in[kind];
	fm->protect = out_keys->out[kind];
	fm->kind = kind;
	fm->latch = latch;
	w->media_pkts[w->n_media++] = m;
}

static enum drop_reason
srtp_drop_reason(enum srtp_result r)
{
	switch (r) {
	case SRTP_RES_AUTH_FAIL:
		return DROP_SRTP_AUTH;
	case SRTP_RES_REPLAY:
		return DROP_SRTP_REPLAY;
	case SRTP_RES_BAD_LENGTH:
		return DROP_SRTP_LENGTH;
	case SRTP_RES_CRYPTO_STALL:
		return DROP_SRTP_CRYPTO_STALL;
	default:
		return DROP_SRTP_OTHER;
	}
}

/*
 * One SRTP pass over the media batch: packets whose context (chosen by
 * pick) is set go through the engine in one burst; failures are dropped
 * and leave the batch as NULL.
 */
static void
media_crypto_pass(struct fwd_worker *w, bool outbound)
{
	struct srtp_pkt sp[FWD_BURST_MAX];
	uint16_t idx[FWD_BURST_MAX];
	uint16_t n = 0;

	for (uint16_t i = 0; i < w->n_media; i++) {
		struct fwd_media *fm = &w->media[i];
		struct srtp_ctx *ctx;

		if (w->media_pkts[i] == NULL)
			continue;
		ctx = outbound ? fm->protect : fm->unprotect;
		if (ctx == NULL)
			continue;
		sp[n].m = w->media_pkts[i];
		sp[n].ctx = ctx;
		sp[n].off = pkt_payload_off(fm->pi);
		idx[n++] = i;
	}
	if (n == 0 || w->srtp == NULL)
		return;
	if (srtp_process_burst(w->srtp, sp, n) == n)
		return;
	for (uint16_t j = 0; j < n; j++) {
		if (sp[j].result == SRTP_RES_OK)
			continue;
		drop(w, w->media_pkts[idx[j]], srtp_drop_reason((enum srtp_result)sp[j].result));
		w->media_pkts[idx[j]] = NULL;
	}
}

/* Ask the control lcore to latch leg to its authenticated source. */
static void
request_latch(struct fwd_worker *w, struct leg *leg, const struct pkt_info *pi)
{
	struct latch_request *req;
	struct rte_mbuf *msg;

	if (!punt_allowed(w))
		return;
	msg = rte_pktmbuf_alloc(w->pool);
	if (msg == NULL) {
		w->stats->drops[DROP_NO_MBUF]++;
		return;
	}
	req = (struct latch_request *)rte_pktmbuf_append(msg, sizeof(*req));
	req->local = pi->dst;
	req->remote = pi->src;
	punt_enqueue(w, msg, leg->iface, leg->id, PUNT_LATCH_REQUEST);
}

/*
 * The media of this RX burst: unprotect (this leg's SRTP), protect (the peer
 * leg's SRTP), then new headers and TX. Called once per burst.
 */
static void
media_flush(struct fwd_worker *w)
{
	media_crypto_pass(w, false);
	media_crypto_pass(w, true);
	for (uint16_t i = 0; i < w->n_media; i++) {
		struct rte_mbuf *m = w->media_pkts[i];
		struct fwd_media *fm = &w->media[i];
		const struct pkt_info *pi = fm->pi;
		struct leg *leg = fm->in;
		enum drop_reason d;
		uint16_t len;
		bool rewritten;

		if (m == NULL)
			continue;
		rewritten = fm->unprotect != NULL || fm->protect != NULL;
		len = (uint16_t)(rte_pktmbuf_pkt_len(m) - pkt_payload_off(pi));
		leg->counters.rx_pkts++;
		leg->counters.rx_bytes += pi->payload_len;
		leg->counters.class_pkts[fm->kind == SRTP_KIND_RTCP ? PKT_CLASS_RTCP :
								   PKT_CLASS_RTP]++;
		if (fm->latch)
			request_latch(w, leg, pi);
		d = fwd_route_write(m, pi, len, &fm->route, rewritten);
		if (unlikely(d != DROP_REASON_MAX)) {
			leg_count_drop(leg, leg_drop_of(d));
			drop(w, m, d);
			continue;
		}
		leg->counters.fwd_pkts++;
		leg->counters.fwd_bytes += len;
		tx_enqueue(w, fm->route.path->port_id, m);
	}
	w->n_media = 0;
}

/*
 * DTLS of a leg the box terminates: the control lcore runs the handshake.
 * Before the leg is latched any source may try (the handshake, with the
 * signalled fingerprint, is what authenticates it); after, only the remote.
 */
static inline void
dtls_input(struct fwd_worker *w, struct leg *leg, struct rte_mbuf *m, const struct pkt_info *pi,
	   uint16_t iface, const struct leg_path *path)
{
	if (path != NULL && unlikely(!inet_endpoint_equal(&pi->src, &path->remote))) {
		leg_count_drop(leg, LEG_DROP_SOURCE_MISMATCH);
		drop(w, m, DROP_SOURCE_MISMATCH);
		return;
	}
	if (punt(w, m, iface, leg->id, PUNT_DTLS) != DROP_REASON_MAX)
		leg_count_drop(leg, LEG_DROP_PUNT);
}

/* A UDP packet for one of our legs. */
static inline void
leg_input(struct fwd_worker *w, struct leg *leg, struct rte_mbuf *m, const struct pkt_info *pi,
	  uint16_t iface)
{
	const uint8_t *payload;
	const struct leg_path *path;
	enum pkt_class cls;
	enum drop_reason r;
	uint16_t port;

	if (unlikely(pi->payload_len == 0)) {
		drop(w, m, DROP_PAYLOAD_EMPTY);
		return;
	}
	payload = rte_pktmbuf_mtod_offset(m, const uint8_t *, pkt_payload_off(pi));
	cls = rfc7983_classify(payload, pi->payload_len);
	if (unlikely(cls == PKT_CLASS_UNKNOWN)) {
		drop(w, m, DROP_DEMUX_UNKNOWN);
		return;
	}

	path = leg_path(leg);
	if (leg->action[cls] == LEG_ACTION_MEDIA) {
		media_input(w, leg, m, pi, cls, path);
		return;
	}
	if (leg->action[cls] == LEG_ACTION_DTLS) {
		dtls_input(w, leg, m, pi, iface, path);
		return;
	}
	if (unlikely(path == NULL)) {
		/* Learn only from what this leg would forward. */
		if (leg->latch != LATCH_LEARN || leg->action[cls] != LEG_ACTION_FORWARD) {
			r = leg->latch != LATCH_LEARN ? DROP_UNLATCHED : DROP_CLASS_REFUSED;
			leg_count_drop(leg, leg_drop_of(r));
			drop(w, m, r);
			return;
		}
		r = punt(w, m, iface, leg->id, PUNT_LATCH);
		if (r != DROP_REASON_MAX)
			leg_count_drop(leg, LEG_DROP_PUNT);
		return;
	}
	if (unlikely(!inet_endpoint_equal(&pi->src, &path->remote))) {
		leg_count_drop(leg, LEG_DROP_SOURCE_MISMATCH);
		drop(w, m, DROP_SOURCE_MISMATCH);
		return;
	}

	leg->counters.rx_pkts++;
	leg->counters.rx_bytes += pi->payload_len;
	leg->counters.class_pkts[cls]++;
	if (unlikely(leg->action[cls] != LEG_ACTION_FORWARD)) {
		leg_count_drop(leg, LEG_DROP_CLASS_REFUSED);
		drop(w, m, DROP_CLASS_REFUSED);
		return;
	}

	r = fwd_to_peer(w->plane, leg, path, m, pi, &port);
	if (unlikely(r != DROP_REASON_MAX)) {
		enum leg_drop ld = leg_drop_of(r);

		if (ld != LEG_DROP_MAX)
			leg_count_drop(leg, ld);
		drop(w, m, r);
		return;
	}
	leg->counters.fwd_pkts++;
	leg->counters.fwd_bytes += pi->payload_len;
	tx_enqueue(w, port, m);
}

void
fwd_worker_rx(struct fwd_worker *w, uint16_t port, struct rte_mbuf **pkts, uint16_t n)
{
	const struct fwd_plane *fp = w->plane;
	const struct flow_index *fi = fp->flow_index;
	struct pkt_info info[FWD_BURST_MAX];
	struct rte_mbuf *udp[FWD_BURST_MAX];
	uint16_t ifidx[FWD_BURST_MAX];
	const uint32_t *entry[FWD_BURST_MAX];
	uint32_t leg_ids[FWD_BURST_MAX];
	const struct inet_endpoint *miss_keys[FWD_BURST_MAX];
	uint16_t miss_idx[FWD_BURST_MAX];
	uint16_t nu = 0, nmiss = 0, i;

	w->stats->rx_pkts += n;
	for (i = 0; i < n && i < PREFETCH_AHEAD; i++)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));

	/*
	 * 1. Parse; UDP goes on to the flow lookup, ARP/ND to the control lcore.
	 * With many flows the lookup's index entry, the leg and its paths are
	 * each a cache miss that needs the one before: every pass below asks
	 * for the next of them for the whole burst before any is used.
	 */
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		struct pkt_info *pi = &info[nu];
		const struct rte_ether_hdr *eth;
		enum pkt_kind kind;
		uint16_t iface;

		if (i + PREFETCH_AHEAD < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + PREFETCH_AHEAD], void *));
		w->stats->rx_bytes += rte_pktmbuf_pkt_len(m);
		kind = pkt_parse_flags(m, pi, fp->parse_flags);
		if (unlikely(kind == PKT_KIND_DROP)) {
			drop(w, m, (enum drop_reason)pi->drop);
			continue;
		}
		iface = fwd_iface_of(fp, port, pi->vlan_id);
		if (unlikely(iface == IFACE_NONE)) {
			drop(w, m, DROP_VLAN_UNKNOWN);
			continue;
		}
		if (unlikely(kind != PKT_KIND_UDP)) {
			punt(w, m, iface, LEG_NONE, kind == PKT_KIND_ARP ? PUNT_ARP : PUNT_ICMP6);
			continue;
		}
		eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
		if (unlikely(!rte_is_same_ether_addr(&eth->dst_addr, &fp->ifaces[iface].mac))) {
			drop(w, m, DROP_NOT_FOR_US);
			continue;
		}
		/* The direct index; the hash below for what it does not cover. */
		entry[nu] = flow_index_entry(fi, &pi->dst);
		if (likely(entry[nu] != NULL)) {
			rte_prefetch0(entry[nu]);
		} else {
			miss_keys[nmiss] = &pi->dst;
			miss_idx[nmiss++] = nu;
		}
		udp[nu] = m;
		ifidx[nu] = iface;
		nu++;
	}

	/* 2. Leg ids; ask for the legs. */
	for (i = 0; i < nu; i++) {
		if (unlikely(entry[i] == NULL))
			continue;
		leg_ids[i] = __atomic_load_n(entry[i], __ATOMIC_ACQUIRE);
		if (likely(leg_ids[i] != FLOW_INDEX_NONE))
			leg_prefetch(&fp->legs[leg_ids[i]]);
	}
	if (unlikely(nmiss != 0)) {
		uint32_t miss_ids[FWD_BURST_MAX];
		uint64_t hits = flow_table_lookup_bulk(fp->flows, miss_keys, nmiss, miss_ids);

		for (i = 0; i < nmiss; i++)
			leg_ids[miss_idx[i]] = hits & (1ULL << i) ? miss_ids[i] : FLOW_INDEX_NONE;
	}

	/* 3. Ask for the paths; media also reads the peer leg (its keys). */
	for (i = 0; i < nu; i++) {
		const struct leg *leg;
		const char *out;

		if (leg_ids[i] == FLOW_INDEX_NONE)
			continue;
		leg = &fp->legs[leg_ids[i]];
		out = (const char *)leg->peer_path;
		rte_prefetch0(leg->path);
		rte_prefetch0(out);
		rte_prefetch0(out + RTE_CACHE_LINE_SIZE);
		if (leg->srtp != NULL)
			rte_prefetch0(&fp->legs[leg->peer]);
	}

	/*
	 * 4. Per leg: class, source, action; e2e goes out, media waits for SRTP.
	 * A leg being deleted (in_use cleared) is no leg.
	 */
	for (i = 0; i < nu; i++) {
		struct leg *leg;

		if (unlikely(leg_ids[i] == FLOW_INDEX_NONE)) {
			drop(w, udp[i], DROP_FLOW_UNKNOWN);
			continue;
		}
		leg = &fp->legs[leg_ids[i]];
		if (unlikely(!__atomic_load_n(&leg->in_use, __ATOMIC_ACQUIRE))) {
			drop(w, udp[i], DROP_FLOW_UNKNOWN);
			continue;
		}
		leg_input(w, leg, udp[i], &info[i], ifidx[i]);
	}

	/* 5. SRTP for the burst's media, in batches, then out. */
	if (w->n_media != 0)
		media_flush(w);
}
