# SPDX-License-Identifier: BSD-3-Clause
# net_ring ports, no hugepages: each net_ringN is its own loop (what is sent
# on TX queue q comes back on RX queue q), so packets the forwarder emits
# return to it. Use: pipeline tests that inject from a secondary process or
# from the console; nothing external is needed.
EAL=(--no-huge -m "${MEM_MB:-512}" --no-pci --file-prefix "srtpfwd-ring-$$" -l 0-1
     --log-level='*:warning' --vdev crypto_aesni_mb
     --vdev net_ring0 --vdev net_ring1)
