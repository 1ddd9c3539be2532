# SPDX-License-Identifier: BSD-3-Clause
# Bare metal: NVIDIA/Mellanox ConnectX-5/6/7 (mlx5), hugepages, 4 workers, RSS.
# mlx5 is a bifurcated driver: the port stays bound to the kernel mlx5_core
# driver (do NOT bind it to vfio-pci); the PMD talks to it through rdma-core
# (apt-get install rdma-core ibverbs-providers). Flows the PMD does not take
# still reach the kernel netdev. Before: drivers-config/hugepages.sh only.
# Device args: mprq_en=1 (multi-packet RQ, many small packets per buffer),
# rxq_cqe_comp_en=1 (CQE compression) suit small media packets at high rate.
ACCESS_PCI=${ACCESS_PCI:?PCI address of the access port, e.g. 0000:5e:00.0}
CORE_PCI=${CORE_PCI:?PCI address of the core port, e.g. 0000:5e:00.1}
EAL=(-l ${LCORES:-0-4} -n 4 --file-prefix srtpfwd-mlx5
     -a "$ACCESS_PCI,mprq_en=1,rxq_cqe_comp_en=1"
     -a "$CORE_PCI,mprq_en=1,rxq_cqe_comp_en=1"
     --log-level='*:notice')
