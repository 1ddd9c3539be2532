#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Pipeline tests with two worker lcores and two RX queues per port (net_pcap,
# one rx_pcap= file per queue): a session's two directions on different
# workers (e2e, e2ae SDES), and a learning leg's packets from two sources
# before the latch, in one burst and on two workers. See pipeline_workers.py.
# usage: tests/pipeline/run_workers.sh SRTPFWD [--only NAME,...] [pipeline_workers.py options]
# Prints "pipeline-workers: N passed, M failed"; exits non-zero on any failure.
set -uo pipefail
BIN=$(readlink -f "${1:?usage: tests/pipeline/run_workers.sh SRTPFWD [--only NAME,...]}")
shift
HERE=$(cd "$(dirname "$0")" && pwd)
# Debian's scapy and pylibsrtp live under /usr/bin/python3. Bounded: about
# 21 srtpfwd runs of 2 s (about 50 s, ASan included); the timeout only guards
# against a hang.
exec timeout 300 /usr/bin/python3 "$HERE/pipeline_workers.py" "$BIN" "$@"
