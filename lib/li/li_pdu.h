/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_LI_PDU_H
#define SRTPFWD_LI_PDU_H

/*
 * X2/X3 PDUs of ETSI TS 103 221-2 (§5): a 40-byte big-endian header, TLV
 * conditional attributes, the payload. Pure code (no DPDK): the control
 * lcore writes them into a mediation function's queue and reads what the
 * mediation function sends back (keepalives only), and the fuzzer links it alone.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LI_PDU_HEADER_LEN 40
#define LI_PDU_VERSION 0x0005	/* major 0, minor 5 (§5.2.1) */
/* Header plus every attribute srtpfwd writes (IPv6 addresses). */
#define LI_PDU_HEADER_MAX (LI_PDU_HEADER_LEN + 4 * 7 + 4 + 8 + 32 + 4 + 1 + 3)
/* What a mediation function may send us: headers only, never big payloads. */
#define LI_PDU_IN_MAX 4096

enum li_pdu_type {
	LI_PDU_X2 = 1,
	LI_PDU_X3 = 2,
	LI_PDU_KEEPALIVE = 3,
	LI_PDU_KEEPALIVE_ACK = 4,
};

enum li_payload_format {
	LI_FORMAT_NONE = 0,		/* keepalives */
	LI_FORMAT_PROPRIETARY = 4,	/* srtpfwd's key delivery; DTLS copies */
	LI_FORMAT_RTP = 8,		/* RTP/RTCP, SRTP/SRTCP: the UDP payload */
};

enum li_direction {
	LI_DIR_NONE = 0,
	LI_DIR_TO_TARGET = 2,
	LI_DIR_FROM_TARGET = 3,
};

enum li_attr {
	LI_ATTR_SEQ = 8,
	LI_ATTR_TIMESTAMP = 9,
	LI_ATTR_SRC_V4 = 10,
	LI_ATTR_DST_V4 = 11,
	LI_ATTR_SRC_V6 = 12,
	LI_ATTR_DST_V6 = 13,
	LI_ATTR_SRC_PORT = 14,
	LI_ATTR_DST_PORT = 15,
	LI_ATTR_IP_PROTO = 16,
};

/* One end of the intercepted flow: family 4 or 6, address in network order. */
struct li_pdu_addr {
	uint8_t family;
	uint8_t addr[16];
	uint16_t port;			/* host order */
};

struct li_pdu_meta {
	uint16_t type;			/* enum li_pdu_type */
	uint16_t format;		/* enum li_payload_format */
	uint16_t direction;		/* enum li_direction */
	uint8_t xid[16];
	uint64_t correlation_id;
	uint32_t seq;
	uint64_t time_s;
	uint32_t time_ns;
	struct li_pdu_addr src, dst;
};

/*
 * Header and attributes (sequence, timestamp, addresses, ports, UDP) of a PDU
 * with payload_len bytes of payload into out (LI_PDU_HEADER_MAX bytes room).
 * Returns the header's length; the payload follows it.
 */
size_t li_pdu_write_header(uint8_t *out, const struct li_pdu_meta *m, uint32_t payload_len);

/* A keepalive (ack: a keepalive acknowledgement): 40 bytes into out. */
size_t li_pdu_write_keepalive(uint8_t *out, bool ack);

/* What li_pdu_parse found at the start of a stream. */
enum li_pdu_verdict {
	LI_PDU_NEED_MORE = 0,	/* not a whole PDU yet */
	LI_PDU_OK,		/* a whole PDU of *len bytes, type in *type */
	LI_PDU_BAD,		/* not a PDU we accept: close the connection */
};

/*
 * The first PDU of buf[0..n): version, type, lengths and every attribute's
 * TLV checked; a payload longer than LI_PDU_IN_MAX is refused.
 */
enum li_pdu_verdict li_pdu_parse(const uint8_t *buf, size_t n, uint16_t *type, size_t *len);

/* Key delivery payload (X2, proprietary format): see li_pdu.c. */
#define LI_KEYS_PAYLOAD_MAX (14 + 32 + 14)

struct li_key_info {
	uint16_t profile;		/* IANA DTLS-SRTP protection profile */
	uint32_t ssrc;			/* 0: every SSRC of the flow */
	uint8_t key_len, salt_len;
	const uint8_t *key, *salt;
};

size_t li_pdu_write_keys(uint8_t *out, const struct li_key_info *k);

/* "8-4-4-4-12" hex into 16 bytes: 0, or -1. */
int li_uuid_parse(const char *s, uint8_t uuid[16]);
/* 37 bytes room. */
void li_uuid_format(const uint8_t uuid[16], char *out);

#endif /* SRTPFWD_LI_PDU_H */
