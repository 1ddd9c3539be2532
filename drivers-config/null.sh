# SPDX-License-Identifier: BSD-3-Clause
# net_null source and sink, no hugepages: the smallest thing that starts.
# 'access' receives net_null's zero-filled 64-byte frames (all dropped by the
# parser, which shows up in the drop counters); 'core' is a sink (no-rx=1).
# Use: smoke tests, measuring the bare RX/TX loop.
EAL=(--no-huge -m "${MEM_MB:-512}" --no-pci --file-prefix "srtpfwd-null-$$" -l 0-1
     --log-level='*:warning' --vdev crypto_aesni_mb
     --vdev net_null0 --vdev net_null1,no-rx=1)
