/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_LEG_H
#define SRTPFWD_LEG_H

/*
 * A leg: one local media endpoint of the box (interface, address, UDP port)
 * and the remote it talks to. Workers find a leg through the flow table and
 * read it without locks:
 *  - identity and actions are set by the control lcore before the leg's
 *    flow is inserted and stay constant while it is in the table;
 *  - the remote (path) is published by the control lcore as a pointer to an
 *    immutable struct, replaced whole and freed after an RCU grace period;
 *  - traffic counters are written by the worker that receives the leg's
 *    latched 5-tuple (RSS keeps one 5-tuple on one queue), the control
 *    lcore's in fields of their own; drop counters, which a spoofed source
 *    may hit from any queue, are per lcore (lib/stats/drop.h).
 */

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_prefetch.h>

#include "../demux/rfc7983.h"
#include "../srtp/srtp_engine.h"
#include "../neigh/neigh_table.h"
#include "../net/inet_addr.h"
#include "../net/udp_output.h"
#include "../stats/drop.h"
#include "leg_bundle.h"
#include "leg_ice.h"

#define LEG_NONE UINT32_MAX

/*
 * How a leg gets its remote. Learning from the first packet is an explicit
 * choice, never the default on an exposed (internet-facing) interface:
 * there, anyone could be first.
 */
enum latch_policy {
	LATCH_DEFAULT = 0,	/* resolved when the leg is made (session_table.c) */
	LATCH_LEARN,		/* take the first RTP/RTCP source, then only that one */
	LATCH_STRICT,		/* only the remote given by signalling */
	LATCH_ICE,		/* only the pair the peer nominated in an authenticated check */
	LATCH_DTLS,		/* only the peer of an authenticated DTLS-SRTP handshake */
};

/* What a leg does with each packet class. */
enum leg_action {
	LEG_ACTION_DROP = 0,	/* counted as class_refused */
	LEG_ACTION_FORWARD,	/* byte for byte to the peer leg's remote */
	LEG_ACTION_MEDIA,	/* RTP/RTCP: unprotect with this leg's srtp->in, protect with the
				 * peer's srtp->out (either may be NULL: plain RTP) */
	LEG_ACTION_DTLS,	/* DTLS: to the control lcore, which terminates it */
};

/*
 * Where a leg sends to and accepts from; immutable once published. Two
 * cache lines: the first has what a packet arriving on the leg is checked
 * against, both what a packet leaving by it is written with.
 */
struct leg_path {
	struct inet_endpoint remote;
	/* udp_endpoints_sum(remote, leg's local): what accepted datagrams carry. */
	uint32_t in_sum;
	struct neigh_entry *next_hop;
	uint16_t port_id;		/* DPDK port of the leg's interface */
	/* The headers of what leaves the leg towards remote, prepared once. */
	struct udp_template out_hdr;
} __rte_cache_aligned;

/*
 * A leg's SRTP contexts, [SRTP_KIND_RTP] and [SRTP_KIND_RTCP]; NULL: plain
 * RTP on that side. Published whole by the control lcore and replaced whole
 * (keys from a new DTLS handshake), so a worker sees either the old set or
 * the new one; the old one is freed after an RCU grace period.
 */
struct leg_srtp {
	struct srtp_ctx *in[2];		/* what the remote sends us */
	struct srtp_ctx *out[2];	/* what we send the remote */
};

/* What a leg accepted and forwarded. */
struct leg_traffic {
	uint64_t rx_pkts;		/* accepted from the remote */
	uint64_t rx_bytes;		/* UDP payload bytes */
	uint64_t fwd_pkts;		/* handed to the peer leg's TX */
	uint64_t fwd_bytes;
	uint64_t class_pkts[PKT_CLASS_MAX];	/* rtp, rtcp, dtls first */
};

/*
 * Plain RTP that the box protects (SRTP out): each SSRC's sequence as the
 * sender's packets have it, so that one packet far ahead (spoofed with the
 * remote's address, say) cannot move the protect context's index, after
 * which the sender's own packets would be refused as replays (RFC 3550 A.1).
 * A few SSRCs a leg; an idle one gives its slot to a new one, an active one
 * never (lib/fwd/fwd_rtp_seq.h).
 */
#define LEG_RTP_SEQ_SSRCS 4

struct leg_rtp_seq_ssrc {
	uint32_t ssrc;
	uint16_t max_seq;
	uint16_t bad_seq;		/* a jump is taken when the next packet follows it */
	uint8_t jumped;			/* bad_seq is set */
	uint64_t last_tsc;
};

struct leg_rtp_seq {
	uint32_t epoch;			/* the leg life it is of: a new one starts over */
	uint8_t n;
	struct leg_rtp_seq_ssrc s[LEG_RTP_SEQ_SSRCS];
};

struct leg_counters {
	/* The first line: what a media or DTLS packet counts on its worker. */
	struct leg_traffic fast;
	/* What the control lcore handled (latching, DTLS): its own fields. */
	struct leg_traffic slow;
	/* Written with fast, by the worker handling the leg's media. */
	struct leg_rtp_seq plain_seq;
};

struct leg {
	/* First line: what a worker reads for every packet, written rarely. */
	const struct leg_path *path;	/* NULL until latched; RCU-published */
	/*
	 * The peer leg's path, published with it: where what arrives here
	 * leaves, one load away for the worker instead of two.
	 */
	const struct leg_path *peer_path;
	/* e2ae: NULL while a DTLS leg has no keys (media dropped); RCU-published. */
	const struct leg_srtp *srtp;
	/* ICE-lite credentials, NULL: no ICE on this leg; RCU-published (leg_ice.h). */
	const struct leg_ice *ice;
	uint32_t id;
	uint32_t peer;			/* leg whose remote gets what arrives here */
	uint32_t session;
	uint32_t epoch;			/* new for each life of the slot */
	uint16_t home;			/* worker that handles it until latched */
	uint16_t iface;
	uint8_t latch;			/* enum latch_policy */
	uint8_t in_use;
	uint8_t li;			/* tapped: see li_tap (lib/li/li_tap.h) */
	uint8_t action[PKT_CLASS_MAX];	/* enum leg_action */
	/*
	 * Part of a BUNDLE (a transport, or a member whose peer is one): its
	 * media is handled on its home worker only, wherever RSS put it, so
	 * the transport's SRTP contexts, which every member's media goes
	 * through, keep one writer.
	 */
	uint8_t pinned;
	/* A BUNDLE transport: where its media goes is in bundle, not peer. */
	uint8_t demux;
	/* Written per packet by the leg's worker: lines of their own. */
	struct leg_counters counters __rte_cache_aligned;
	/* The flow-table key; in the counters' tail padding (the control lcore's). */
	struct inet_endpoint local;
	/* demux: the members of the transport (leg_bundle.h); RCU-published. */
	const struct leg_bundle *bundle;
	uint8_t dtls;			/* e2ae keys come from a DTLS-SRTP handshake */
	uint32_t li_tap;		/* lawful interception: the tap word, 0: none */
} __rte_cache_aligned;

static_assert(offsetof(struct leg, demux) < RTE_CACHE_LINE_SIZE,
	      "what a worker reads of a leg for every packet fits one cache line");

/* leg_prefetch() relies on it. */
static_assert(offsetof(struct leg_counters, fast.class_pkts[PKT_CLASS_DTLS + 1]) <=
	      RTE_CACHE_LINE_SIZE,
	      "a leg's media and DTLS counters fit one cache line");

static inline const struct leg_path *
leg_path(const struct leg *leg)
{
	return __atomic_load_n(&leg->path, __ATOMIC_ACQUIRE);
}

static inline const struct leg_path *
leg_peer_path(const struct leg *leg)
{
	return __atomic_load_n(&leg->peer_path, __ATOMIC_ACQUIRE);
}

static inline const struct leg_bundle *
leg_bundle(const struct leg *leg)
{
	return __atomic_load_n(&leg->bundle, __ATOMIC_ACQUIRE);
}

static inline const struct leg_ice *
leg_ice(const struct leg *leg)
{
	return leg_ice_load(&leg->ice);
}

static inline const struct leg_srtp *
leg_srtp(const struct leg *leg)
{
	return __atomic_load_n(&leg->srtp, __ATOMIC_ACQUIRE);
}

/*
 * A worker will read leg and count its packet: ask for those lines (the
 * counters of media and DTLS share one: leg_counters' first line).
 */
static inline void
leg_prefetch(const struct leg *leg)
{
	rte_prefetch0(leg);
	rte_prefetch0(&leg->counters);
}

/* Count one accepted packet of class cls and payload_len bytes in t. */
static inline void
leg_traffic_rx(struct leg_traffic *t, enum pkt_class cls, uint16_t payload_len)
{
	t->rx_pkts++;
	t->rx_bytes += payload_len;
	t->class_pkts[cls]++;
}

static inline void
leg_traffic_fwd(struct leg_traffic *t, uint16_t payload_len)
{
	t->fwd_pkts++;
	t->fwd_bytes += payload_len;
}

/* Counter name of a leg drop slot: its drop reason's. */
const char *leg_drop_name(enum leg_drop d);
const char *latch_policy_name(enum latch_policy p);

#endif /* SRTPFWD_LEG_H */
