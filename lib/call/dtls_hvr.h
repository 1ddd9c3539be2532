/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_DTLS_HVR_H
#define SRTPFWD_DTLS_HVR_H

/*
 * The stateless first answer of a DTLS server leg without ICE (RFC 6347
 * §4.2.1): a ClientHello whose cookie is not the one for its 5-tuple gets a
 * HelloVerifyRequest and nothing else. It is written over the ClientHello
 * in its own mbuf and leaves to the frame's Ethernet source from the
 * address and port the request came to, a reflection in place: no
 * neighbour entry, no per-peer state, no retransmission, and never more
 * bytes than the request (44 against at least 67). Only a ClientHello
 * with a valid cookie, proof that its source receives what is sent there,
 * goes on to create handshake state. Control lcore only.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "../dtls/dtls_cookie.h"
#include "../dtls/dtls_hello.h"
#include "../iface/iface.h"
#include "../net/pkt_parse.h"

/* Whether h, parsed from the datagram pi describes, carries the cookie of pi's 5-tuple. */
bool dtls_hvr_cookie_ok(struct dtls_cookie_jar *j, const struct pkt_info *pi,
			const struct dtls_hello *h, uint64_t now_ms);

/*
 * Rewrite m, the frame holding ClientHello h (parsed as pi, arrived on ifc),
 * into the HelloVerifyRequest answering it, ready to transmit on ifc's port.
 * 0; -EINVAL: not answered (sent to a group address, or from one); -EIO: no
 * cookie could be made (m unchanged for both); -ENOSPC: no headroom (m spoilt).
 */
int dtls_hvr_reflect(struct dtls_cookie_jar *j, struct rte_mbuf *m, const struct pkt_info *pi,
		     const struct dtls_hello *h, const struct iface *ifc, uint64_t now_ms);

#endif /* SRTPFWD_DTLS_HVR_H */
