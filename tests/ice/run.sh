#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Real ICE peers against srtpfwd's ICE-lite legs: headless Chromium and aiortc
# in network namespaces, a plain-RTP IMS peer, and a hostile-traffic flood
# during the browser's call. See ice_peers.py for the cases and what they
# assert.
#
#   ns A (198.18.0.2, 2001:2::2) ==veth== [net_af_packet0 access 198.18.0.1, 2001:2::1]
#     Chromium / aiortc / hostile.py          srtpfwd
#   ns B (198.19.0.2) ==veth== [net_af_packet1 core 198.19.0.1]
#     rtp_peer.py (IMS) / aiortc / hostile.py
#
# Both veths are captured in their namespaces (tcpdump, 256-byte snap) into the work directory,
# which is kept when a check failed (or with ICE_PEERS_KEEP=1).
# usage: tests/ice/run.sh SRTPFWD [chromium] [aiortc] [e2e]   (root)
# env: ICE_HOSTILE_DURATION (20 s) ICE_HOSTILE_RATE (100 pps a kind) ICE_PEERS_KEEP=1
# Prints "ice-peers: N passed, M failed"; exits non-zero on any failure.
set -uo pipefail

[ $# -ge 1 ] || { echo "usage: tests/ice/run.sh SRTPFWD [chromium] [aiortc] [e2e]"; exit 2; }
BIN=$(readlink -f "$1")
shift
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
TIME_LIMIT=300     # the whole run; ice_peers.py's own waits are far shorter

give_up() {
	echo "ice-peers: $1"
	echo "ice-peers: 0 passed, 1 failed"
	exit 1
}

[ "$(id -u)" = 0 ] || give_up "needs root (network namespaces)"
# A peer that truly cannot run is a skip, said plainly; never a way around a failure.
for f in /usr/bin/chromium /usr/bin/chromedriver; do
	[ -x "$f" ] || { echo "ice-peers: SKIPPED: $f missing (scripts/install-deps.sh installs it)"; exit 0; }
done
"$PY" -c 'import selenium, aiortc' 2>/dev/null ||
	{ echo "ice-peers: SKIPPED: $PY lacks selenium or aiortc (python3-selenium python3-aiortc)"; exit 0; }

ID=$(( $$ % 100000 ))
NSA=ice-a-$ID
NSB=ice-b-$ID
VA=icA$ID   # root side (forwarder), access
VB=icB$ID   # root side (forwarder), core
PA=ipA$ID   # in ns A
PB=ipB$ID   # in ns B
WORK=$(mktemp -d /tmp/ice-peers.XXXXXX)
DUMPS=()

cleanup() {
	local p ns
	if [ -s "$WORK/fwd.pid" ]; then
		p=$(cat "$WORK/fwd.pid")
		kill -0 "$p" 2>/dev/null && kill -INT "$p" 2>/dev/null && sleep 1
		kill -KILL "$p" 2>/dev/null
	fi
	for p in "${DUMPS[@]}"; do kill -INT "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	for ns in "$NSA" "$NSB"; do   # whatever this run started inside its namespaces
		for p in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
	done
	ip netns del "$NSA" 2>/dev/null
	ip netns del "$NSB" 2>/dev/null
	ip link del "$VA" 2>/dev/null
	ip link del "$VB" 2>/dev/null
	rm -rf "/var/run/dpdk/icep$ID"   # the EAL runtime directory of our file prefix
	if [ "${ICE_PEERS_KEEP:-0}" = 1 ] || [ "${RC:-1}" != 0 ]; then
		echo "ice-peers: work directory kept: $WORK"
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=tests/lib/netns.sh
. "$HERE/../lib/netns.sh"
netns_host_up "$NSA" "$VA" "$PA" 198.18.0.2/24 && netns_host_up "$NSB" "$VB" "$PB" 198.19.0.2/24 &&
	ip -n "$NSA" addr add 2001:2::2/64 dev "$PA" ||
	give_up "namespace/veth setup failed"

# Captured on the namespace side: af_packet's TX bypasses the taps of the box's own end.
for v in "$NSA:$PA" "$NSB:$PB"; do   # for whoever debugs a failure; not needed to pass
	command -v tcpdump >/dev/null || break
	ip netns exec "${v%%:*}" tcpdump -i "${v#*:}" -s 256 -U -w "$WORK/${v#*:}.pcap" >/dev/null 2>&1 &
	DUMPS+=($!)
done

ICE_PEERS_PREFIX=icep$ID timeout -s INT "$TIME_LIMIT" nice -n 5 "$PY" "$HERE/ice_peers.py" "$BIN" "$WORK" "$NSA" "$NSB" \
	"$VA" "$VB" "$PA" "$PB" "$@"
RC=$?
[ "$RC" = 124 ] && echo "ice-peers: stopped after ${TIME_LIMIT}s" && echo "ice-peers: 0 passed, 1 failed"
exit "$RC"
