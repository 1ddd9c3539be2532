#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# End-to-end tests of e2e sessions: two network namespaces, net_af_packet on
# veth, ordinary UDP sockets, ARP/ND resolution, IPv4 and IPv6. Needs root.
# See netns_e2e.sh for what is checked.
# usage: tests/e2e/run.sh SRTPFWD [ipv4] [ipv6]
# Prints "e2e: N passed, M failed"; exits non-zero on any failure.
set -uo pipefail
BIN=$(readlink -f "${1:?usage: tests/e2e/run.sh SRTPFWD [case ...]}")
shift
HERE=$(cd "$(dirname "$0")" && pwd)
exec "$HERE/netns_e2e.sh" "$BIN" "$@"
