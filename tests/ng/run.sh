#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The ng control protocol's transport on a running srtpfwd: rtpengine-ng-client
# (Debian's rtpengine-utils) and a Python UDP client. See ng_ping.py.
# usage: tests/ng/run.sh SRTPFWD
# Prints "ng: N passed, M failed"; exits non-zero on any failure.
set -uo pipefail
BIN=$(readlink -f "${1:?usage: tests/ng/run.sh SRTPFWD}")
HERE=$(cd "$(dirname "$0")" && pwd)
command -v rtpengine-ng-client >/dev/null ||
	{ echo "ng: rtpengine-ng-client missing (apt-get install rtpengine-utils)"; exit 1; }
# Transport first (ping, cookies, TCP, JSON), then the calls (offer/answer/...).
timeout 60 /usr/bin/python3 "$HERE/ng_ping.py" "$BIN" || rc=1
timeout 90 /usr/bin/python3 "$HERE/ng_calls.py" "$BIN" || rc=1
exit "${rc:-0}"
