#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Lawful interception tests: srtpfwd streams X2/X3 PDUs (ETSI TS 103 221-2) to
# mediation functions in a network namespace (netns_li.sh: two forwarder runs,
# cases a-j, about 90 s).
# usage: tests/li/run.sh SRTPFWD    exits non-zero on any failure
set -uo pipefail
BIN=$(readlink -f "${1:?usage: tests/li/run.sh SRTPFWD}")
HERE=$(cd "$(dirname "$0")" && pwd)
rc=0
timeout 420 "$HERE/netns_li.sh" "$BIN" main faults ng || rc=1
[ "$rc" = 0 ] && echo "li: ok" || echo "li: FAILED"
exit "$rc"
