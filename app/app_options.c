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
	OPT_DURATION,
	OPT_RXQ,
	OPT_SRTP_ENGINE,
	OPT_CRYPTO_DEV,
	OPT_HELP,
};

static const struct option long_opts[] = {
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "cmdline-file", required_argument, NULL, OPT_CMDLINE_FILE },
	{ "stats-period", required_argument, NULL, OPT_STATS_PERIOD },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "rxq", required_argument, NULL, OPT_RXQ },
	{ "srtp-engine", required_argument, NULL, OPT_SRTP_ENGINE },
	{ "crypto-dev", required_argument, NULL, OPT_CRYPTO_DEV },
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
	       "  --duration SEC       quit cleanly after SEC seconds\n"
	       "  --rxq N              RX queues per port (default: one per worker; RSS spreads\n"
	       "                       flows over them, workers poll them round robin)\n"
	       "  --srtp-engine E      cryptodev (default: batched rte_cryptodev) or libsrtp\n"
	       "  --crypto-dev NAME    cryptodev for SRTP, created as a vdev if absent\n"
	       "                       (default crypto_aesni_mb)\n"
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

int
app_options_parse(int argc, char **argv, struct app_options *o)
{
	int c;

	memset(o, 0, sizeof(*o));
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
			if (strcmp(optarg, "libsrtp") != 0 && strcmp(optarg, "cryptodev") != 0) {
				fprintf(stderr,
					"srtpfwd: --srtp-engine: '%s' is neither 'cryptodev' nor 'libsrtp'\n",
					optarg);
				return -EINVAL;
			}
			o->srtp_libsrtp = strcmp(optarg, "libsrtp") == 0;
			break;
		case OPT_CRYPTO_DEV:
			o->crypto_dev = optarg;
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
	if (optind < argc) {
		fprintf(stderr, "srtpfwd: unexpected argument '%s' (see --help)\n", argv[optind]);
		return -EINVAL;
	}
	return 0;
}
