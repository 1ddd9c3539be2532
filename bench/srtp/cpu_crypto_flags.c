/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Which software crypto PMDs offer the synchronous CPU-crypto API: creates
 * each vdev named on the command line and prints its driver, every feature
 * flag it sets, and one "cpu-crypto NAME yes|no" line for
 * RTE_CRYPTODEV_FF_SYM_CPU_CRYPTO (what rte_cryptodev_sym_cpu_crypto_process
 * checks before it calls the PMD). The run-time half of the support matrix
 * in bench/srtp/RESULTS-cpu-crypto.md; the source citations are the other.
 *
 * Usage: cpu_crypto_flags [EAL options] -- VDEV...   (e.g. crypto_aesni_mb crypto_aesni_gcm)
 * Exit: 0 when every vdev was created, 1 otherwise.
 */
#include <stdio.h>

#include <rte_bus_vdev.h>
#include <rte_cryptodev.h>
#include <rte_eal.h>

static int
show(const char *name)
{
	struct rte_cryptodev_info info;
	uint64_t bit;
	int dev;

	if (rte_vdev_init(name, NULL) != 0) {
		printf("cpu-crypto %s absent (vdev not created)\n", name);
		return -1;
	}
	dev = rte_cryptodev_get_dev_id(name);
	if (dev < 0)
		return -1;
	rte_cryptodev_info_get((uint8_t)dev, &info);
	printf("device %s driver %s flags 0x%016llx\n", name, info.driver_name,
	       (unsigned long long)info.feature_flags);
	for (bit = 1; bit != 0; bit <<= 1)
		if (info.feature_flags & bit)
			printf("flag %s %s\n", name, rte_cryptodev_get_feature_name(bit));
	printf("cpu-crypto %s %s\n", name,
	       (info.feature_flags & RTE_CRYPTODEV_FF_SYM_CPU_CRYPTO) ? "yes" : "no");
	return 0;
}

int
main(int argc, char **argv)
{
	int ret = rte_eal_init(argc, argv), i, bad = 0;

	if (ret < 0)
		return 1;
	for (i = ret + 1; i < argc; i++)
		bad |= show(argv[i]) != 0;
	rte_eal_cleanup();
	return bad;
}
