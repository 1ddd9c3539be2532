/* SPDX-License-Identifier: BSD-3-Clause */
#include <stddef.h>

#include "stage_cycles.h"

const char *
stage_name(enum worker_stage s)
{
	static const char *const names[STAGE_MAX] = {
		[STAGE_RX] = "rx", [STAGE_PARSE] = "parse", [STAGE_LOOKUP] = "lookup",
		[STAGE_LEGS] = "legs", [STAGE_STUN] = "stun", [STAGE_CRYPTO] = "crypto",
		[STAGE_TX] = "tx",
	};

	return (unsigned int)s < STAGE_MAX ? names[s] : "?";
}

void
stage_cycles_accumulate(struct stage_cycles *total, const struct stage_cycles *s,
			const struct stage_cycles *base)
{
	static const struct stage_cycles zero;

	if (base == NULL)
		base = &zero;
	total->samples += s->samples - base->samples;
	total->pkts += s->pkts - base->pkts;
	for (unsigned int i = 0; i < STAGE_MAX; i++)
		total->cycles[i] += s->cycles[i] - base->cycles[i];
}
