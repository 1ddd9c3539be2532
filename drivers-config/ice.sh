# SPDX-License-Identifier: BSD-3-Clause
# Bare metal: Intel E810 (ice), vfio-pci, hugepages, 4 workers with RSS.
# Before: drivers-config/hugepages.sh; drivers-config/vfio-bind.sh $ACCESS_PCI $CORE_PCI
# lcore 0 control, lcores 1-4 workers (pick cores on the NIC's NUMA node:
# cat /sys/bus/pci/devices/$ACCESS_PCI/numa_node; lscpu). srtpfwd opens one
# RX queue per worker on every port (--rxq to change) and RSS on IP+UDP
# spreads flows; each worker has its own TX queue.
ACCESS_PCI=${ACCESS_PCI:?PCI address of the access port, e.g. 0000:3b:00.0}
CORE_PCI=${CORE_PCI:?PCI address of the core port, e.g. 0000:3b:00.1}
EAL=(-l ${LCORES:-0-4} -n 4 --file-prefix srtpfwd-ice
     -a "$ACCESS_PCI" -a "$CORE_PCI"
     --log-level='*:notice')
# ice needs its DDP package for RSS on UDP: /lib/firmware/updates/intel/ice/ddp/ice.pkg
# (Debian: firmware-misc-nonfree / the Intel ice DDP); without it the PMD starts
# in safe mode with a single queue.
