/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A burst's ops grouped by crypto session, for both ways the cryptodev back
 * end runs them (queue pair or CPU crypto): PMDs and caches like runs of one
 * key, and a CPU crypto call takes exactly one session.
 */
#include <rte_common.h>

#include "srtp_cdev.h"

static inline unsigned int
group_slot(const void *sess)
{
	/* Sessions are mempool objects: their low address bits say little. */
	return (unsigned int)(((uintptr_t)sess * UINT64_C(0x9e3779b97f4a7c15)) >> 57);
}

/*
 * Stable grouping by session in one pass, whatever the mix (PMDs and caches
 * like runs of one key): each session's ops are chained through next[] in
 * packet order, and the groups come out in the order of their first op.
 * Group slots carry the burst generation, so none is cleared between bursts.
 */
void
srtp_cdev_group_by_session(struct srtp_cdev_worker *cw, uint16_t nb)
{
	uint8_t first[SRTP_BURST_MAX];
	uint64_t gen = cw->gen;
	uint16_t i, g, k = 0, ng = 0;

	RTE_BUILD_BUG_ON(SRTP_CDEV_GROUP_SLOTS != 128 || SRTP_BURST_MAX >= SRTP_CDEV_GROUP_SLOTS);
	for (i = 0; i < nb; i++) {
		const void *sess = cw->used[i]->sym->session;
		unsigned int h = group_slot(sess);
		struct srtp_cdev_group_slot *slot = &cw->group[h];

		while (slot->gen == gen && slot->sess != sess) {
			h = (h + 1) & (SRTP_CDEV_GROUP_SLOTS - 1);
			slot = &cw->group[h];
		}
		cw->next[i] = UINT8_MAX;
		if (slot->gen != gen) {
			slot->gen = gen;
			slot->sess = sess;
			first[ng++] = (uint8_t)i;
		} else {
			cw->next[slot->tail] = (uint8_t)i;
		}
		slot->tail = (uint8_t)i;
	}
	for (g = 0; g < ng; g++)
		for (i = first[g]; i != UINT8_MAX; i = cw->next[i])
			cw->enq[k++] = cw->used[i];
}
