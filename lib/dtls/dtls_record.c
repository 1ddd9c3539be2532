/* SPDX-License-Identifier: BSD-3-Clause */
#include "dtls_record.h"

#define CT_CHANGE_CIPHER_SPEC 20
#define CT_LAST 25		/* heartbeat 24, tls12_cid 25 */
#define CT_HANDSHAKE 22
#define HS_CLIENT_HELLO 1

enum dtls_record_check
dtls_record_check(const uint8_t *d, size_t len)
{
	size_t off = 0;

	if (len == 0)
		return DTLS_REC_TRUNCATED;
	while (off < len) {
		const uint8_t *h = d + off;
		size_t rlen;

		if (len - off < DTLS_RECORD_HDR_LEN)
			return DTLS_REC_TRUNCATED;
		if (h[0] < CT_CHANGE_CIPHER_SPEC || h[0] > CT_LAST)
			return DTLS_REC_BAD_TYPE;
		/* DTLS 1.3 (unified header, first byte 0x2X/0x3X) is not spoken here. */
		if (h[1] != 0xfe || (h[2] != 0xff && h[2] != 0xfd))
			return DTLS_REC_BAD_VERSION;
		rlen = (size_t)h[11] << 8 | h[12];
		if (rlen > len - off - DTLS_RECORD_HDR_LEN)
			return DTLS_REC_TRUNCATED;
		off += DTLS_RECORD_HDR_LEN + rlen;
	}
	return DTLS_REC_OK;
}

bool
dtls_record_is_client_hello(const uint8_t *d, size_t len)
{
	if (len < DTLS_RECORD_HDR_LEN + DTLS_HS_HDR_LEN)
		return false;
	/* Epoch 0 (bytes 3-4): a ClientHello is never encrypted. */
	return d[0] == CT_HANDSHAKE && d[1] == 0xfe && d[3] == 0 && d[4] == 0 &&
		d[DTLS_RECORD_HDR_LEN] == HS_CLIENT_HELLO;
}
