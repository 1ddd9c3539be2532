/* SPDX-License-Identifier: BSD-3-Clause */
#include <stddef.h>

#include "drop_reason.h"

#define SRTPFWD_DROP_NAME(id, name, scope, help) [DROP_##id] = name,
#define SRTPFWD_DROP_HELP(id, name, scope, help) [DROP_##id] = help,
static const char *const drop_names[DROP_REASON_MAX] = {
	SRTPFWD_DROP_REASONS(SRTPFWD_DROP_NAME)
};
static const char *const drop_helps[DROP_REASON_MAX] = {
	SRTPFWD_DROP_REASONS(SRTPFWD_DROP_HELP)
};

const char *
drop_reason_name(enum drop_reason r)
{
	return (unsigned int)r < DROP_REASON_MAX ? drop_names[r] : "invalid";
}

const char *
drop_reason_help(enum drop_reason r)
{
	return (unsigned int)r < DROP_REASON_MAX ? drop_helps[r] : "invalid";
}

enum drop_reason
leg_drop_reason(enum leg_drop d)
{
	for (unsigned int r = 0; r < DROP_REASON_MAX; r++)
		if (drop_reason_leg_slot((enum drop_reason)r) == d)
			return (enum drop_reason)r;
	return DROP_NONE;
}
