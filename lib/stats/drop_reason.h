/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_DROP_REASON_H
#define SRTPFWD_DROP_REASON_H

/*
 * Every reason a packet is dropped, in one list. Each has a counter per lcore,
 * a name shown by the console and telemetry, and a one-line explanation.
 * Add a reason here and it appears everywhere.
 *
 * The third column says where else it is counted: LEG reasons are also
 * counted per leg (per lcore, see lib/stats/drop.h) whenever the packet's
 * leg is known; LCORE reasons happen before there is a leg (or not for one).
 */
#define SRTPFWD_DROP_REASONS(X) \
	X(RUNT,              "runt",              LCORE, "frame shorter than its headers claim") \
	X(MULTI_SEGMENT,     "multi_segment",     LCORE, "headers not in the first mbuf segment") \
	X(NOT_FOR_US,        "not_for_us",        LCORE, "destination MAC is neither ours nor multicast") \
	X(VLAN_UNKNOWN,      "vlan_unknown",      LCORE, "VLAN tag (or its absence) matches no interface") \
	X(ETHERTYPE,         "ethertype",         LCORE, "ethertype is not IPv4, IPv6 or ARP") \
	X(IPV4_HEADER,       "ipv4_header",       LCORE, "IPv4 version or header length invalid") \
	X(IPV4_LENGTH,       "ipv4_length",       LCORE, "IPv4 total length disagrees with the frame") \
	X(IPV4_CHECKSUM,     "ipv4_checksum",     LCORE, "IPv4 header checksum wrong") \
	X(IPV4_FRAGMENT,     "ipv4_fragment",     LCORE, "IPv4 fragment (media is never fragmented)") \
	X(IPV4_SOURCE,       "ipv4_source",       LCORE, "IPv4 source is multicast, broadcast, loopback or zero") \
	X(IPV6_HEADER,       "ipv6_header",       LCORE, "IPv6 version invalid") \
	X(IPV6_LENGTH,       "ipv6_length",       LCORE, "IPv6 payload length disagrees with the frame") \
	X(IPV6_EXT_HEADER,   "ipv6_ext_header",   LCORE, "IPv6 extension header chain unsupported or too long") \
	X(IPV6_FRAGMENT,     "ipv6_fragment",     LCORE, "IPv6 fragment (media is never fragmented)") \
	X(IPV6_SOURCE,       "ipv6_source",       LCORE, "IPv6 source is multicast, loopback, unspecified or IPv4-mapped") \
	X(SRC_MARTIAN,       "src_martian",       LCORE, "source is one of the box's own addresses or a subnet broadcast") \
	X(L4_PROTO,          "l4_proto",          LCORE, "IP protocol is not UDP (nor ICMPv6 ND)") \
	X(UDP_LENGTH,        "udp_length",        LCORE, "UDP length disagrees with the IP length") \
	X(UDP_CHECKSUM,      "udp_checksum",      LCORE, "UDP checksum wrong") \
	X(UDP_ZERO_CHECKSUM, "udp_zero_checksum", LCORE, "UDP over IPv6 without checksum") \
	X(FLOW_UNKNOWN,      "flow_unknown",      LCORE, "no leg owns the destination address and port") \
	X(PAYLOAD_EMPTY,     "payload_empty",     LCORE, "UDP payload empty") \
	X(DEMUX_UNKNOWN,     "demux_unknown",     LCORE, "first byte in no RFC 7983 range") \
	X(CLASS_REFUSED,     "class_refused",     LEG  , "the leg does not accept this packet class") \
	X(SOURCE_MISMATCH,   "source_mismatch",   LEG  , "source is not the leg's latched remote") \
	X(UNLATCHED,         "unlatched",         LEG  , "leg has no remote and does not learn one") \
	X(PEER_UNLATCHED,    "peer_unlatched",    LEG  , "the other leg has no remote yet") \
	X(NEIGH_UNRESOLVED,  "neigh_unresolved",  LEG  , "next hop MAC not resolved yet") \
	X(PUNT_RATE_ARP_ND,  "punt_rate_arp_nd",  LCORE, "ARP/ND to the control lcore over this worker's ARP/ND rate") \
	X(PUNT_RATE_DTLS,    "punt_rate_dtls",    LEG  , "DTLS to the control lcore over this worker's DTLS rate") \
	X(PUNT_RATE_OTHER,   "punt_rate_other",   LEG  , "latching and other punts over this worker's rate for them") \
	X(PUNT_RATE_SOURCE,  "punt_rate_source",  LEG  , "one source's punts of one class over its rate (hashed per source)") \
	X(PUNT_RING_FULL,    "punt_ring_full",    LEG  , "ring to the control lcore full") \
	X(TX_FULL,           "tx_full",           LCORE, "TX queue did not take the packet") \
	X(NO_HEADROOM,       "no_headroom",       LEG  , "mbuf headroom too small for the outgoing headers") \
	X(NO_MBUF,           "no_mbuf",           LCORE, "mbuf pool empty when building a reply") \
	X(ARP_INVALID,       "arp_invalid",       LCORE, "ARP packet malformed or not for our address") \
	X(ND_INVALID,        "nd_invalid",        LCORE, "ICMPv6 ND packet malformed or not for our address") \
	X(ICMP6_OTHER,       "icmp6_other",       LCORE, "ICMPv6 other than neighbour solicitation/advertisement (dropped on the worker)") \
	X(NEIGH_TABLE_FULL,  "neigh_table_full",  LCORE, "no room to resolve a new next hop") \
	X(SRTP_AUTH,         "srtp_auth",         LCORE, "SRTP/SRTCP authentication failed (forged, corrupted, wrong key, plain RTP)") \
	X(SRTP_REPLAY,       "srtp_replay",       LCORE, "SRTP/SRTCP replayed or older than the replay window") \
	X(SRTP_LENGTH,       "srtp_length",       LCORE, "SRTP/SRTCP packet truncated or malformed") \
	X(SRTP_OTHER,        "srtp_other",        LCORE, "SRTP context refused the packet (SSRC table full, key limit, crypto error)") \
	X(SRTP_CRYPTO_STALL, "srtp_crypto_stall", LCORE, "crypto device did not return the SRTP operation within the poll timeout (or holds every op slot)") \
	X(SRTP_NO_KEYS,      "srtp_no_keys",      LEG  , "DTLS-SRTP leg, or the leg the media goes to, has no keys (handshake pending, failed or closed)") \
	X(DTLS_PEER,         "dtls_peer",         LEG  , "DTLS from another source than the one the leg's handshake runs with") \
	X(DTLS_REFUSED,      "dtls_refused",      LCORE, "DTLS datagram the leg's endpoint dropped (not DTLS 1.0/1.2, garbage, late, restart refused)") \
	X(DTLS_NOT_HELLO,    "dtls_not_hello",    LEG  , "DTLS from a source with no handshake on the leg that is not the first fragment of a valid ClientHello") \
	X(STALE_PUNT,        "stale_punt",        LCORE, "punted packet's leg changed before the control lcore saw it") \
	X(HANDOFF_FULL,      "handoff_full",      LEG  , "ring to the leg's home worker full (its media before the latch, or while that worker still has earlier packets of it)") \
	X(STUN_INVALID,      "stun_invalid",      LCORE, "not a STUN message (first bits, magic cookie, length)") \
	X(STUN_FINGERPRINT,  "stun_fingerprint",  LCORE, "STUN FINGERPRINT wrong") \
	X(STUN_NOT_REQUEST,  "stun_not_request",  LCORE, "STUN message is not a Binding request (a lite agent answers nothing else)") \
	X(STUN_MALFORMED,    "stun_malformed",    LCORE, "STUN attributes malformed (lengths, duplicates, order after MESSAGE-INTEGRITY)") \
	X(STUN_UNKNOWN_ATTR, "stun_unknown_attr", LCORE, "STUN comprehension-required attribute unknown (answered 420, rate-limited)") \
	X(STUN_NO_CREDENTIALS, "stun_no_credentials", LEG, "Binding request without USERNAME or MESSAGE-INTEGRITY (answered 400, rate-limited)") \
	X(STUN_USERNAME,     "stun_username",     LEG  , "Binding request USERNAME is not this leg's local:remote ufrag (answered 401, rate-limited)") \
	X(STUN_INTEGRITY,    "stun_integrity",    LEG  , "Binding request MESSAGE-INTEGRITY wrong (answered 401, rate-limited)") \
	X(STUN_ROLE_CONFLICT, "stun_role_conflict", LEG , "Binding request from a controlled agent: the lite agent is controlled (answered 487)") \
	X(STUN_NO_REPLY,     "stun_no_reply",     LEG  , "authenticated Binding request not answerable (IP options, no room)") \
	X(STUN_CHECK_RATE,   "stun_check_rate",   LEG  , "Binding request from a source that is no valid pair over the leg's budget of such checks (not parsed)") \
	X(ICE_UNCHECKED,     "ice_unchecked",     LEG  , "ICE leg: source is not a valid pair (no authenticated check), or media not from the nominated pair") \
	X(RTP_SEQ_JUMP,      "rtp_seq_jump",      LEG  , "plain RTP to be protected jumped far in sequence: not taken on one packet's word (RFC 3550 A.1)") \
	X(LATCH_NOT_RTP,     "latch_not_rtp",     LEG  , "a learning leg learns only from an RTP/RTCP-shaped packet") \
	X(BUNDLE_UNMATCHED,  "bundle_unmatched",  LEG  , "RTP on a BUNDLE transport whose SSRC, MID and payload type name none of its m-lines")

#define SRTPFWD_DROP_ENUM(id, name, scope, help) DROP_##id,
enum drop_reason {
	SRTPFWD_DROP_REASONS(SRTPFWD_DROP_ENUM)
	DROP_REASON_MAX,
	/* Not a drop: what a stage returns when the packet went on (VPP's *_ERROR_NONE). */
	DROP_NONE = DROP_REASON_MAX,
};
#undef SRTPFWD_DROP_ENUM

/* The per-leg column: one slot per LEG reason, in the list's order. */
#define SRTPFWD_LEG_SLOT_LEG(id) LEG_DROP_##id,
#define SRTPFWD_LEG_SLOT_LCORE(id)
#define SRTPFWD_LEG_SLOT(id, name, scope, help) SRTPFWD_LEG_SLOT_##scope(id)
enum leg_drop {
	SRTPFWD_DROP_REASONS(SRTPFWD_LEG_SLOT)
	LEG_DROP_MAX,
	LEG_DROP_NONE = LEG_DROP_MAX,	/* the reason is not counted per leg */
};
#undef SRTPFWD_LEG_SLOT
#undef SRTPFWD_LEG_SLOT_LEG
#undef SRTPFWD_LEG_SLOT_LCORE

/* Leg slot of r, LEG_DROP_NONE for LCORE reasons (and DROP_NONE). */
static inline enum leg_drop
drop_reason_leg_slot(enum drop_reason r)
{
#define SRTPFWD_LEG_CASE_LEG(id) case DROP_##id: return LEG_DROP_##id;
#define SRTPFWD_LEG_CASE_LCORE(id)
#define SRTPFWD_LEG_CASE(id, name, scope, help) SRTPFWD_LEG_CASE_##scope(id)
	switch (r) {
	SRTPFWD_DROP_REASONS(SRTPFWD_LEG_CASE)
	default:
		return LEG_DROP_NONE;
	}
#undef SRTPFWD_LEG_CASE
#undef SRTPFWD_LEG_CASE_LEG
#undef SRTPFWD_LEG_CASE_LCORE
}

/* Counter name as shown in the console and telemetry, e.g. "udp_checksum". */
const char *drop_reason_name(enum drop_reason r);
/* One-line explanation for `help drops`. */
const char *drop_reason_help(enum drop_reason r);
/* The drop reason of a leg slot (its name is the reason's), DROP_NONE if out of range. */
enum drop_reason leg_drop_reason(enum leg_drop d);

#endif /* SRTPFWD_DROP_REASON_H */
