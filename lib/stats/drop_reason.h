/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_DROP_REASON_H
#define SRTPFWD_DROP_REASON_H

/*
 * Every reason a packet is dropped, in one list. Each has a counter per lcore,
 * a name shown by the console and telemetry, and a one-line explanation.
 * Add a reason here and it appears everywhere.
 */
#define SRTPFWD_DROP_REASONS(X) \
	X(RUNT,              "runt",              "frame shorter than its headers claim") \
	X(MULTI_SEGMENT,     "multi_segment",     "headers not in the first mbuf segment") \
	X(NOT_FOR_US,        "not_for_us",        "destination MAC is neither ours nor multicast") \
	X(VLAN_UNKNOWN,      "vlan_unknown",      "VLAN tag (or its absence) matches no interface") \
	X(ETHERTYPE,         "ethertype",         "ethertype is not IPv4, IPv6 or ARP") \
	X(IPV4_HEADER,       "ipv4_header",       "IPv4 version or header length invalid") \
	X(IPV4_LENGTH,       "ipv4_length",       "IPv4 total length disagrees with the frame") \
	X(IPV4_CHECKSUM,     "ipv4_checksum",     "IPv4 header checksum wrong") \
	X(IPV4_FRAGMENT,     "ipv4_fragment",     "IPv4 fragment (media is never fragmented)") \
	X(IPV4_SOURCE,       "ipv4_source",       "IPv4 source is multicast, broadcast, loopback or zero") \
	X(IPV6_HEADER,       "ipv6_header",       "IPv6 version invalid") \
	X(IPV6_LENGTH,       "ipv6_length",       "IPv6 payload length disagrees with the frame") \
	X(IPV6_EXT_HEADER,   "ipv6_ext_header",   "IPv6 extension header chain unsupported or too long") \
	X(IPV6_FRAGMENT,     "ipv6_fragment",     "IPv6 fragment (media is never fragmented)") \
	X(IPV6_SOURCE,       "ipv6_source",       "IPv6 source is multicast, loopback or unspecified") \
	X(L4_PROTO,          "l4_proto",          "IP protocol is not UDP (nor ICMPv6 ND)") \
	X(UDP_LENGTH,        "udp_length",        "UDP length disagrees with the IP length") \
	X(UDP_CHECKSUM,      "udp_checksum",      "UDP checksum wrong") \
	X(UDP_ZERO_CHECKSUM, "udp_zero_checksum", "UDP over IPv6 without checksum") \
	X(FLOW_UNKNOWN,      "flow_unknown",      "no leg owns the destination address and port") \
	X(PAYLOAD_EMPTY,     "payload_empty",     "UDP payload empty") \
	X(DEMUX_UNKNOWN,     "demux_unknown",     "first byte in no RFC 7983 range") \
	X(CLASS_REFUSED,     "class_refused",     "the leg does not accept this packet class") \
	X(SOURCE_MISMATCH,   "source_mismatch",   "source is not the leg's latched remote") \
	X(UNLATCHED,         "unlatched",         "leg has no remote and does not learn one") \
	X(PEER_UNLATCHED,    "peer_unlatched",    "the other leg has no remote yet") \
	X(NEIGH_UNRESOLVED,  "neigh_unresolved",  "next hop MAC not resolved yet") \
	X(PUNT_RATE,         "punt_rate",         "slow-path rate limit exceeded") \
	X(PUNT_RING_FULL,    "punt_ring_full",    "ring to the control lcore full") \
	X(TX_FULL,           "tx_full",           "TX queue did not take the packet") \
	X(NO_HEADROOM,       "no_headroom",       "mbuf headroom too small for the outgoing headers") \
	X(NO_MBUF,           "no_mbuf",           "mbuf pool empty when building a reply") \
	X(ARP_INVALID,       "arp_invalid",       "ARP packet malformed or not for our address") \
	X(ND_INVALID,        "nd_invalid",        "ICMPv6 ND packet malformed or not for our address") \
	X(ICMP6_OTHER,       "icmp6_other",       "ICMPv6 other than neighbour discovery") \
	X(NEIGH_TABLE_FULL,  "neigh_table_full",  "no room to resolve a new next hop") \
	X(SRTP_AUTH,         "srtp_auth",         "SRTP/SRTCP authentication failed (forged, corrupted, wrong key, plain RTP)") \
	X(SRTP_REPLAY,       "srtp_replay",       "SRTP/SRTCP replayed or older than the replay window") \
	X(SRTP_LENGTH,       "srtp_length",       "SRTP/SRTCP packet truncated or malformed") \
	X(SRTP_OTHER,        "srtp_other",        "SRTP context refused the packet (SSRC table full, key limit, crypto error)") \
	X(SRTP_CRYPTO_STALL, "srtp_crypto_stall", "crypto device did not return the SRTP operation within the poll timeout (or holds every op slot)") \
	X(SRTP_NO_KEYS,      "srtp_no_keys",      "DTLS-SRTP leg, or the leg the media goes to, has no keys (handshake pending, failed or closed)") \
	X(DTLS_PEER,         "dtls_peer",         "DTLS from another source than the one the leg's handshake runs with") \
	X(DTLS_REFUSED,      "dtls_refused",      "DTLS datagram the leg's endpoint dropped (not DTLS 1.0/1.2, garbage, late, restart refused)") \
	X(STALE_PUNT,        "stale_punt",        "punted packet's leg changed before the control lcore saw it")

#define SRTPFWD_DROP_ENUM(id, name, help) DROP_##id,
enum drop_reason {
	SRTPFWD_DROP_REASONS(SRTPFWD_DROP_ENUM)
	DROP_REASON_MAX
};
#undef SRTPFWD_DROP_ENUM

/* Counter name as shown in the console and telemetry, e.g. "udp_checksum". */
const char *drop_reason_name(enum drop_reason r);
/* One-line explanation for `help drops`. */
const char *drop_reason_help(enum drop_reason r);

#endif /* SRTPFWD_DROP_REASON_H */
