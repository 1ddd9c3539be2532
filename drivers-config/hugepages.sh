#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Bare metal: reserve hugepages for srtpfwd (as root). Not for the no-hugepage
# VMs, which use --no-huge -m MB instead.
#   HUGE_SIZE: 1G (preferred: fewer TLB misses for 8M-session tables) or 2M
#   HUGE_TOTAL: total to reserve, spread over the NUMA nodes (default 8G)
# Size it like this: mbufs x (mbuf-data-room + 192 B) + about 2 KiB a session
# + 64 MiB, per socket that runs workers. 1M sessions and 256k 2 KiB mbufs
# are about 2.7 GiB.
# Persistent alternative: kernel command line
#   default_hugepagesz=1G hugepagesz=1G hugepages=8
set -euo pipefail
HUGE_SIZE=${HUGE_SIZE:-1G}
HUGE_TOTAL=${HUGE_TOTAL:-8G}
command -v dpdk-hugepages.py >/dev/null || { echo "dpdk-hugepages.py missing: apt-get install dpdk" >&2; exit 1; }
dpdk-hugepages.py --pagesize "$HUGE_SIZE" --setup "$HUGE_TOTAL"   # reserve and mount /dev/hugepages
dpdk-hugepages.py --show
