/* SPDX-License-Identifier: BSD-3-Clause */
#include "leg.h"

const char *
leg_drop_name(enum leg_drop d)
{
	return drop_reason_name(leg_drop_reason(d));
}

const char *
latch_policy_name(enum latch_policy p)
{
	switch (p) {
	case LATCH_LEARN:
		return "learn";
	case LATCH_STRICT:
		return "strict";
	case LATCH_ICE:
		return "ice";
	case LATCH_DTLS:
		return "dtls";
	default:
		return "default";
	}
}
