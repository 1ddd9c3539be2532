/* SPDX-License-Identifier: BSD-3-Clause */
#include "leg.h"

enum leg_drop
leg_drop_of(enum drop_reason r)
{
	switch (r) {
	case DROP_SOURCE_MISMATCH:
		return LEG_DROP_SOURCE_MISMATCH;
	case DROP_UNLATCHED:
		return LEG_DROP_UNLATCHED;
	case DROP_CLASS_REFUSED:
		return LEG_DROP_CLASS_REFUSED;
	case DROP_PEER_UNLATCHED:
		return LEG_DROP_PEER_UNLATCHED;
	case DROP_NEIGH_UNRESOLVED:
		return LEG_DROP_NEIGH_UNRESOLVED;
	case DROP_PUNT_RATE:
	case DROP_PUNT_RING_FULL:
		return LEG_DROP_PUNT;
	case DROP_SRTP_NO_KEYS:
		return LEG_DROP_NO_KEYS;
	default:
		return LEG_DROP_MAX;
	}
}

const char *
leg_drop_name(enum leg_drop d)
{
	switch (d) {
	case LEG_DROP_SOURCE_MISMATCH:
		return drop_reason_name(DROP_SOURCE_MISMATCH);
	case LEG_DROP_UNLATCHED:
		return drop_reason_name(DROP_UNLATCHED);
	case LEG_DROP_CLASS_REFUSED:
		return drop_reason_name(DROP_CLASS_REFUSED);
	case LEG_DROP_PEER_UNLATCHED:
		return drop_reason_name(DROP_PEER_UNLATCHED);
	case LEG_DROP_NEIGH_UNRESOLVED:
		return drop_reason_name(DROP_NEIGH_UNRESOLVED);
	case LEG_DROP_PUNT:
		return "punt_limited";
	case LEG_DROP_NO_KEYS:
		return drop_reason_name(DROP_SRTP_NO_KEYS);
	case LEG_DROP_MAX:
		break;
	}
	return "invalid";
}

const char *
latch_policy_name(enum latch_policy p)
{
	return p == LATCH_STRICT ? "strict" : "learn";
}
