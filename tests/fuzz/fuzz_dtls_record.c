/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the DTLS pre-checks the control lcore runs on every
 * datagram of the internet before OpenSSL or any state sees it
 * (lib/dtls/dtls_record.c, dtls_hello.c): any bytes as a UDP payload. The
 * record walk, the ClientHello check and the HelloVerifyRequest built from
 * an accepted ClientHello must never read outside the datagram (ASan: it
 * ends its allocation) and must agree: an accepted ClientHello passes the
 * record walk and is one by dtls_record_is_client_hello(); its cookie lies
 * inside the datagram; its fragment inside its message and its record; the
 * answer is smaller than the request and itself a sane record that is no
 * ClientHello.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dtls/dtls_hello.h"
#include "dtls/dtls_record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t cookie[16] = { 0x5a }, hvr[DTLS_HVR_LEN(16)];
	struct dtls_hello h, h2;
	enum dtls_hello_check r;
	uint8_t *d;
	size_t n;

	d = malloc(size == 0 ? 1 : size);
	if (d == NULL)
		return 0;
	memcpy(d, data, size);
	(void)dtls_record_check(d, size);
	(void)dtls_record_is_client_hello(d, size);
	r = dtls_hello_parse(d, size, &h);
	if (r >= DTLS_HELLO_MAX || dtls_hello_check_name(r) == NULL)
		abort();
	if (r == DTLS_HELLO_OK) {
		if (dtls_record_check(d, size) != DTLS_REC_OK || !dtls_record_is_client_hello(d, size))
			abort();
		if (h.cookie < d || h.cookie + h.cookie_len > d + size)
			abort();
		if (h.frag_len > h.msg_len || h.frag_len + DTLS_RECORD_HDR_LEN + DTLS_HS_HDR_LEN > size)
			abort();
		n = dtls_hvr_build(&h, cookie, sizeof(cookie), hvr, sizeof(hvr));
		if (n == 0 || n >= size || dtls_record_check(hvr, n) != DTLS_REC_OK ||
		    dtls_hello_parse(hvr, n, &h2) != DTLS_HELLO_NOT_CLIENT_HELLO)
			abort();
	}
	free(d);
	return 0;
}
