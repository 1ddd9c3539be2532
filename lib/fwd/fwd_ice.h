/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_FWD_ICE_H
#define SRTPFWD_FWD_ICE_H

/*
 * ICE-lite on the workers (RFC 8445 §2.5, RFC 7675): the gate in front of
 * every other action of a leg with ICE.
 *  - STUN Binding requests are answered on the leg's home worker, in place,
 *    to the address they came from: USERNAME "local:remote" and
 *    MESSAGE-INTEGRITY with the leg's password first, or an error that is
 *    never longer than the request (rate-limited), or nothing.
 *  - An authenticated request makes (leg, source) a valid pair;
 *    USE-CANDIDATE (or NOMINATION) nominates it, and the control lcore is
 *    asked to latch the leg to it: the leg's path is the nominated pair.
 *  - Media is accepted only from the nominated pair; DTLS also from any
 *    valid pair (a browser's ClientHello comes before it nominates), on the
 *    home worker, which owns the pairs.
 */

#include "fwd_io.h"

enum ice_gate {
	ICE_GATE_DROPPED,	/* m is gone (dropped or handed to the home worker) */
	ICE_GATE_NOMINATED,	/* from the nominated pair: the leg's actions apply */
	ICE_GATE_VALID_PAIR,	/* DTLS from a valid pair, on the home worker */
};

/* The worker's STUN error limits: rate a second (0: the default), and per source. */
void fwd_ice_init(struct fwd_worker *w, uint32_t error_rate);

/* A STUN packet of leg, whose credentials are ice, received on interface iface. */
void fwd_ice_stun(struct fwd_worker *w, struct leg *leg, const struct leg_ice *ice,
		  struct rte_mbuf *m, const struct pkt_info *pi, uint16_t iface);

/* Home worker: is src one of leg's valid pairs? */
bool fwd_ice_valid_pair(const struct fwd_worker *w, const struct leg *leg,
			const struct inet_endpoint *src);

/* Anything but STUN on a leg with ICE, path its published (nominated) remote. */
static inline enum ice_gate
fwd_ice_gate(struct fwd_worker *w, struct leg *leg, struct rte_mbuf *m,
	     const struct pkt_info *pi, enum pkt_class cls, const struct leg_path *path)
{
	if (likely(path != NULL && inet_endpoint_equal(&pi->src, &path->remote)))
		return ICE_GATE_NOMINATED;
	if (cls == PKT_CLASS_DTLS) {
		if (leg->home != w->index) {
			fwd_handoff(w, m, leg);
			return ICE_GATE_DROPPED;
		}
		if (fwd_ice_valid_pair(w, leg, &pi->src))
			return ICE_GATE_VALID_PAIR;
	}
	drop_pkt(&w->drops, m, leg->id, DROP_ICE_UNCHECKED);
	return ICE_GATE_DROPPED;
}

#endif /* SRTPFWD_FWD_ICE_H */
