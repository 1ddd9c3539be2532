#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Pipeline tests of e2e sessions: captures in and out through net_pcap
# (IPv4, IPv6, cross-family, VLAN, malformed input with exact drop counters,
# ARP/ND replies). See pipeline_e2e.py for the scenarios.
# usage: tests/pipeline/run.sh SRTPFWD [pipeline_e2e.py options]
# Prints "pipeline: N passed, M failed"; exits non-zero on any failure.
set -uo pipefail
BIN=$(readlink -f "${1:?usage: tests/pipeline/run.sh SRTPFWD}")
shift
HERE=$(cd "$(dirname "$0")" && pwd)
# Debian's scapy lives under /usr/bin/python3, not under another python3 on PATH.
exec /usr/bin/python3 "$HERE/pipeline_e2e.py" "$BIN" "$@"
