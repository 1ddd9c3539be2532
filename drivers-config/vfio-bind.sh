#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Bare metal, Intel NICs (i40e, ice, ixgbe...): hand the ports to vfio-pci
# (as root). Needs the IOMMU on (intel_iommu=on iommu=pt on the kernel command
# line; check /sys/kernel/iommu_groups is not empty). NOT for mlx5: the mlx5
# PMD is bifurcated and stays on the kernel driver (see mlx5.sh).
#   vfio-bind.sh 0000:3b:00.0 0000:3b:00.1      bind
#   vfio-bind.sh --restore i40e 0000:3b:00.0 ...  give back to the kernel driver
set -euo pipefail
command -v dpdk-devbind.py >/dev/null || { echo "dpdk-devbind.py missing: apt-get install dpdk" >&2; exit 1; }
if [ "${1:-}" = --restore ]; then
	drv=${2:?kernel driver, e.g. i40e or ice}
	shift 2
	dpdk-devbind.py --bind="$drv" "$@"
	exit 0
fi
[ $# -ge 1 ] || { dpdk-devbind.py --status-dev net; echo "usage: $0 PCI-ADDRESS..." >&2; exit 2; }
modprobe vfio-pci
for dev in "$@"; do
	# the link must be down in the kernel before unbinding
	for n in /sys/bus/pci/devices/"$dev"/net/*; do
		[ -e "$n" ] && ip link set "$(basename "$n")" down
	done
done
dpdk-devbind.py --bind=vfio-pci "$@"
dpdk-devbind.py --status-dev net
