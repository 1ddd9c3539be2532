/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_APP_OPTIONS_H
#define SRTPFWD_APP_OPTIONS_H

/* Application options: what follows `--` on the command line. */

#include <stdbool.h>
#include <stdint.h>

#include "srtp/srtp_engine.h"
#include "srtp/srtp_profile.h"

struct app_options {
	const char *config_file;	/* NULL: the embedded default */
	const char *cmdline_file;	/* console commands run at start */
	bool interactive;		/* -i */
	uint32_t stats_period;		/* seconds; 0: off */
	bool stats_lines;		/* --stats-lines: one line per worker, not port blocks */
	uint32_t duration;		/* seconds until a clean quit; 0: run until told */
	uint16_t rxq;			/* RX queues per port; 0: one per worker */
	enum srtp_backend srtp_backend;	/* --srtp-engine (default: ipsec-mb; with --crypto-dev: cryptodev) */
	const char *crypto_dev;		/* --crypto-dev (default crypto_aesni_mb) */
	/* DTLS-SRTP (0 / NULL: the engine's defaults, dtls_engine.h). */
	const char *dtls_cert;		/* PEM certificate and key instead of generating */
	const char *dtls_key;
	uint32_t dtls_cert_days;	/* generated certificate's validity, renewed at half */
	uint16_t dtls_mtu;
	uint32_t dtls_timeout_ms;	/* handshake */
	uint32_t dtls_peer_timeout_ms;	/* a passive leg's handshake from its ClientHello */
	enum srtp_profile dtls_profiles[SRTP_PROFILE_MAX];
	unsigned int n_dtls_profiles;
	uint32_t ice_consent_ms;	/* 0: ICE_CONSENT_TIMEOUT_MS_DEFAULT */
};

/* Parse argv (after EAL's); 0, or -EINVAL after printing a one-line error. */
int app_options_parse(int argc, char **argv, struct app_options *o);
void app_options_usage(const char *prog);

#endif /* SRTPFWD_APP_OPTIONS_H */
