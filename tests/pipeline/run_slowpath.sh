#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Pipeline tests of the slow path under attack (net_pcap, the real binary):
# ARP answered under DTLS and ICMPv6 floods, spoofed ClientHellos that must
# not fill the neighbour table, martian sources and remotes. See
# pipeline_slowpath.py.
# usage: tests/pipeline/run_slowpath.sh SRTPFWD [--only NAME,...] [--keep]
# Prints "pipeline-slowpath: N passed, M failed"; exits non-zero on any failure.
set -uo pipefail
BIN=$(readlink -f "${1:?usage: tests/pipeline/run_slowpath.sh SRTPFWD [--only NAME,...]}")
shift
HERE=$(cd "$(dirname "$0")" && pwd)
# Debian's scapy lives under /usr/bin/python3. Bounded: 4 srtpfwd runs of
# 2-9 s (about 30 s); the timeout only guards against a hang.
exec timeout 180 /usr/bin/python3 "$HERE/pipeline_slowpath.py" "$BIN" "$@"
