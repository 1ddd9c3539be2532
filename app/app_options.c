/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_options.h"

enum {
	OPT_CONFIG = 256,
	OPT_CMDLINE_FILE,
	OPT_STATS_PERIOD,
	OPT_STATS_LINES,
	OPT_DURATION,
	OPT_RXQ,
	OPT_SRTP_ENGINE,
	OPT_CRYPTO_DEV,
	OPT_DTLS_CERT,
	OPT_DTLS_KEY,
	OPT_DTLS_CERT_DAYS,
	OPT_DTLS_MTU,
	OPT_DTLS_TIMEOUT,
	OPT_DTLS_PEER_TIMEOUT,
	OPT_DTLS_PROFILES,
	OPT_ICE_CONSENT,
	OPT_HELP,
};

static const struct option long_opts[] = {
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "cmdline-file", required_argument, NULL, OPT_CMDLINE_FILE },
	{ "stats-period", required_argument, NULL, OPT_STATS_PERIOD },
	{ "stats-lines", no_argument, NULL, OPT_STATS_LINES },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "rxq", required_argument, NULL, OPT_RXQ },
	{ "srtp-engine", required_argument, NULL, OPT_SRTP_ENGINE },
	{ "crypto-dev", required_argument, NULL, OPT_CRYPTO_DEV },
	{ "dtls-cert", required_argument, NULL, OPT_DTLS_CERT },
	{ "dtls-key", required_argument, NULL, OPT_DTLS_KEY },
	{ "dtls-cert-days", required_argument, NULL, OPT_DTLS_CERT_DAYS },
	{ "dtls-mtu", required_argument, NULL, OPT_DTLS_MTU },
	{ "dtls-timeout", required_argument, NULL, OPT_DTLS_TIMEOUT },
	{ "dtls-peer-timeout", required_argument, NULL, OPT_DTLS_PEER_TIMEOUT },
	{ "dtls-profiles", required_argument, NULL, OPT_DTLS_PROFILES },
	{ "ice-consent", required_argument, NULL, OPT_ICE_CONSENT },
	{ "interactive", no_argument, NULL, 'i' },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

void
app_options_usage(const char *prog)
{
	printf("Usage: %s [EAL options] -- [options]\n"
	       "  --config FILE        interfaces, addresses, port ranges (default: embedded,\n"
	       "                       interfaces 'access' on port 0 and 'core' on port 1)\n"
	       "  -i, --interactive    console on stdin (testpmd-style; 'help')\n"
	       "  --cmdline-file FILE  run console commands from FILE at start\n"
	       "  --stats-period SEC   print port and drop counters every SEC seconds\n"
	       "  --stats-lines        ... as one line per worker (rates, drops, latency) instead\n"
	       "  --duration SEC       quit cleanly after SEC seconds\n"
	       "  --rxq N              RX queues per port (default: one per worker; RSS spreads\n"
	       "                       flows over them, workers poll them round robin)\n"
	       "  --srtp-engine E      ipsec-mb (default: Intel's multi-buffer library called\n"
	       "                       directly), cryptodev (batched rte_cryptodev, any PMD,\n"
	       "                       hardware too; the default with --crypto-dev),\n"
	       "                       cpu-crypto (rte_cryptodev_sym_cpu_crypto_process,\n"
	       "                       software PMDs) or libsrtp (the reference; its NSS\n"
	       "                       locks stall media during DTLS handshakes)\n"
	       "  --crypto-dev NAME    cryptodev for SRTP (cryptodev, cpu-crypto), created as\n"
	       "                       a vdev if absent (default crypto_aesni_mb)\n"
	       "  --dtls-cert FILE --dtls-key FILE\n"
	       "                       DTLS certificate and private key (PEM) instead of an\n"
	       "                       ECDSA P-256 one generated at start\n"
	       "  --dtls-cert-days N   validity of the generated certificate (default 30),\n"
	       "                       renewed at half of it\n"
	       "  --dtls-mtu N         largest DTLS datagram sent (default 1200)\n"
	       "  --dtls-timeout SEC   handshake time limit (default 30)\n"
	       "  --dtls-peer-timeout SEC\n"
	       "                       a passive leg's handshake from its ClientHello; then the\n"
	       "                       leg takes the next peer (default 10)\n"
	       "  --dtls-profiles LIST SRTP profiles for DTLS-SRTP in order of preference,\n"
	       "                       comma-separated (default AES_CM_128_HMAC_SHA1_80,\n"
	       "                       AEAD_AES_128_GCM,AEAD_AES_256_GCM,AES_CM_128_HMAC_SHA1_32)\n"
	       "  --ice-consent SEC    ICE-lite: stop sending to a nominated pair after SEC\n"
	       "                       seconds without an authenticated check (default 30,\n"
	       "                       RFC 7675)\n"
	       "  --help               this text\n",
	       prog);
}

static int
parse_seconds(const char *name, const char *v, uint32_t *out)
{
	char *end;
	unsigned long x;

	errno = 0;
	x = strtoul(v, &end, 10);
	if (errno != 0 || *end != '\0' || end == v || x > 86400 * 365) {
		fprintf(stderr, "srtpfwd: --%s: '%s' is not a number of seconds\n", name, v);
		return -EINVAL;
	}
	*out = (uint32_t)x;
	return 0;
}

/* A time limit of 1..3600 seconds, in milliseconds. 0, or -EINVAL after a one-line error. */
static int
parse_timeout_ms(const char *name, const char *v, uint32_t *ms)
{
	uint32_t n;

	if (parse_seconds(name, v, &n) != 0 || n < 1 || n > 3600) {
		fprintf(stderr, "srtpfwd: --%s: '%s' is not 1..3600 seconds\n", name, v);
		return -EINVAL;
	}
	*ms = n * 1000;
	return 0;
}

static int
parse_profiles(const char *v, struct app_options *o)
{
	char list[256], *save = NULL, *name;

	if (strlen(v) >= sizeof(list))
		goto bad;
	strcpy(list, v);
	o->n_dtls_profiles = 0;
	for (name = strtok_r(list, ",", &save); name != NULL; name = strtok_r(NULL, ",", &save)) {
		enum srtp_profile p;

		if (srtp_profile_from_name(name, &p) != 0 || p == SRTP_PROFILE_NULL_HMAC_SHA1_80 ||
		    o->n_dtls_profiles == SRTP_PROFILE_MAX) {
			fprintf(stderr, "srtpfwd: --dtls-profiles: '%s' is not a DTLS-SRTP profile\n",
				name);
			return -EINVAL;
		}
		for (unsigned int i = 0; i < o->n_dtls_profiles; i++)
			if (o->dtls_profiles[i] == p) {
				fprintf(stderr, "srtpfwd: --dtls-profiles: '%s' given twice\n", name);
				return -EINVAL;
			}
		o->dtls_profiles[o->n_dtls_profiles++] = p;
	}
	if (o->n_dtls_profiles != 0)
		return 0;
bad:
	fprintf(stderr, "srtpfwd: --dtls-profiles: '%s' is not a list of profiles\n", v);
	return -EINVAL;
}

int
app_options_parse(int argc, char **argv, struct app_options *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->srtp_backend = SRTP_BACKEND_MAX;	/* not given */
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "i", long_opts, NULL)) != -1) {
		switch (c) {
		case OPT_CONFIG:
			o->config_file = optarg;
			break;
		case OPT_CMDLINE_FILE:
			o->cmdline_file = optarg;
			break;
		case OPT_STATS_LINES:
			o->stats_lines = true;
			break;
		case OPT_STATS_PERIOD:
			if (parse_seconds("stats-period", optarg, &o->stats_period) != 0)
				return -EINVAL;
			break;
		case OPT_DURATION:
			if (parse_seconds("duration", optarg, &o->duration) != 0)
				return -EINVAL;
			break;
		case OPT_RXQ: {
			uint32_t n;

			if (parse_seconds("rxq", optarg, &n) != 0 || n < 1 || n > 1024) {
				fprintf(stderr, "srtpfwd: --rxq: '%s' is not 1..1024\n", optarg);
				return -EINVAL;
			}
			o->rxq = (uint16_t)n;
			break;
		}
		case OPT_SRTP_ENGINE:
			o->srtp_backend = srtp_backend_by_name(optarg);
			if (o->srtp_backend == SRTP_BACKEND_MAX) {
				fprintf(stderr, "srtpfwd: --srtp-engine: '%s' is none of 'cryptodev', "
					"'ipsec-mb', 'cpu-crypto', 'libsrtp'\n", optarg);
				return -EINVAL;
			}
			break;
		case OPT_CRYPTO_DEV:
			o->crypto_dev = optarg;
			break;
		case OPT_DTLS_CERT:
			o->dtls_cert = optarg;
			break;
		case OPT_DTLS_KEY:
			o->dtls_key = optarg;
			break;
		case OPT_DTLS_CERT_DAYS:
			if (parse_seconds("dtls-cert-days", optarg, &o->dtls_cert_days) != 0 ||
			    o->dtls_cert_days < 1 || o->dtls_cert_days > 3650) {
				fprintf(stderr, "srtpfwd: --dtls-cert-days: '%s' is not 1..3650\n",
					optarg);
				return -EINVAL;
			}
			break;
		case OPT_DTLS_MTU: {
			uint32_t n;

			if (parse_seconds("dtls-mtu", optarg, &n) != 0 || n < 256 || n > 1472) {
				fprintf(stderr, "srtpfwd: --dtls-mtu: '%s' is not 256..1472\n", optarg);
				return -EINVAL;
			}
			o->dtls_mtu = (uint16_t)n;
			break;
		}
		case OPT_DTLS_TIMEOUT:
			if (parse_timeout_ms("dtls-timeout", optarg, &o->dtls_timeout_ms) != 0)
				return -EINVAL;
			break;
		case OPT_DTLS_PEER_TIMEOUT:
			if (parse_timeout_ms("dtls-peer-timeout", optarg, &o->dtls_peer_timeout_ms) != 0)
				return -EINVAL;
			break;
		case OPT_ICE_CONSENT:
			if (parse_timeout_ms("ice-consent", optarg, &o->ice_consent_ms) != 0)
				return -EINVAL;
			break;
		case OPT_DTLS_PROFILES:
			if (parse_profiles(optarg, o) != 0)
				return -EINVAL;
			break;
		case 'i':
			o->interactive = true;
			break;
		case OPT_HELP:
			app_options_usage(argv[0]);
			exit(0);
		default:
			fprintf(stderr, "srtpfwd: unknown or incomplete option '%s' (see --help)\n",
				argv[optind - 1]);
			return -EINVAL;
		}
	}
	if ((o->dtls_cert == NULL) != (o->dtls_key == NULL)) {
		fprintf(stderr, "srtpfwd: --dtls-cert and --dtls-key go together\n");
		return -EINVAL;
	}
	if (o->crypto_dev != NULL && (o->srtp_backend == SRTP_BACKEND_IPSEC_MB ||
				      o->srtp_backend == SRTP_BACKEND_LIBSRTP)) {
		fprintf(stderr, "srtpfwd: --crypto-dev needs --srtp-engine cryptodev or cpu-crypto\n");
		return -EINVAL;
	}
	/* A crypto device named means the cryptodev back end; else the fastest software one. */
	if (o->srtp_backend == SRTP_BACKEND_MAX)
		o->srtp_backend = o->crypto_dev != NULL ? SRTP_BACKEND_CRYPTODEV : SRTP_BACKEND_IPSEC_MB;
	if (optind < argc) {
		fprintf(stderr, "srtpfwd: unexpected argument '%s' (see --help)\n", argv[optind]);
		return -EINVAL;
	}
	return 0;
}
