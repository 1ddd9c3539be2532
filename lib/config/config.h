/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_CONFIG_H
#define SRTPFWD_CONFIG_H

/*
 * The forwarder's configuration file: INI sections `[general]` and one
 * `[interface NAME]` per interface. Errors name the file, the line and the
 * problem in one line. See drivers-config/ for examples.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../iface/iface.h"
#include "../net/inet_addr.h"

#define CONFIG_MF_MAX 8
#define CONFIG_MF_NAME_LEN 32
#define CONFIG_PATH_LEN 256

/* [mediation-function NAME]: where lawful-interception PDUs go (lib/li). */
struct config_mf {
	char name[CONFIG_MF_NAME_LEN];
	struct inet_endpoint addr;	/* address = ..., port = ... */
	bool tls;			/* transport = tls (default) | tcp */
	char cert[CONFIG_PATH_LEN];	/* certificate: the box's client certificate (PEM) */
	char key[CONFIG_PATH_LEN];	/* private-key */
	char ca[CONFIG_PATH_LEN];	/* ca: what must have signed the MF's certificate */
	uint32_t queue_bytes;		/* bound of the queue to it */
	uint32_t keepalive_s;		/* 0: none sent */
};

struct srtpfwd_config {
	uint32_t max_sessions;		/* sessions (each two legs) */
	uint32_t mbufs;			/* packet buffers in the pool */
	uint16_t mbuf_data_room;	/* bytes per buffer incl. headroom */
	uint16_t burst;			/* RX/TX burst size */
	uint16_t rx_desc;
	uint16_t tx_desc;
	uint32_t punt_ring_size;	/* per worker, to the control lcore */
	/* Packets/s each worker may punt per class (punt-rate sets all three), per source. */
	uint32_t punt_rate_arp_nd;
	uint32_t punt_rate_dtls;
	uint32_t punt_rate_other;
	uint32_t punt_rate_source;
	uint32_t neigh_max;
	uint32_t neigh_idle;		/* s an unpinned resolved neighbour is kept */
	uint32_t neigh_probes;		/* unanswered probes before giving a neighbour up */
	uint32_t srtp_contexts;		/* SRTP/SRTCP contexts (4 per e2ae leg at most) */
	/*
	 * udp-checksum = verify (default): no NIC verdict, summed in software.
	 * auto: summed only where srtpfwd rewrites an unauthenticated payload;
	 * elsewhere the RFC 1624 update carries a bad checksum to the receiver.
	 */
	bool udp_cksum_verify;
	/* ng-listen: the ng control protocol's UDP address; off: no ng server. */
	bool ng_enabled;
	bool ng_listen_given;		/* set in the file (else the default, 127.0.0.1:2223) */
	struct inet_endpoint ng_listen;
	/* ng-listen-tcp: rtpengine's listen-tcp-ng, off by default; it must bind. */
	bool ng_tcp_enabled;
	struct inet_endpoint ng_listen_tcp;
	uint32_t media_timeout_s;	/* media-timeout: an ng call with no media this long ends */
	uint16_t n_ifaces;
	struct iface ifaces[IFACE_MAX];
	uint32_t li_mbufs;		/* li-mbufs: copy buffers of lawful interception */
	uint16_t n_mfs;
	struct config_mf mfs[CONFIG_MF_MAX];
};

#define CONFIG_ERR_LEN 256

/* Defaults for [general]; no interfaces. */
void config_defaults(struct srtpfwd_config *cfg);

/*
 * Parse text (from `origin`, used in messages) into cfg, starting from the
 * defaults. Returns 0, or -EINVAL with a one-line message in err.
 */
int config_parse(const char *text, const char *origin, struct srtpfwd_config *cfg, char *err,
		 size_t errlen);

/* Read and parse a file. Returns 0, -EINVAL or -errno of the read. */
int config_load_file(const char *path, struct srtpfwd_config *cfg, char *err, size_t errlen);

/* The configuration used when none is given: two interfaces on ports 0 and 1. */
const char *config_embedded_default(void);

/* Index of the mediation function called name, or -ENOENT. */
int config_mf_by_name(const struct srtpfwd_config *cfg, const char *name);

/* Index of the interface called name, or -ENOENT. */
int config_iface_by_name(const struct srtpfwd_config *cfg, const char *name);

#endif /* SRTPFWD_CONFIG_H */
