#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Checks the kit's one-host pairing without pktgen (root): srtpfwd on the
# sf-* ends of bench/pktgen/veth.sh's pairs with bench/pktgen/srtpfwd-veth.ini,
# and in pktgen's place a DPDK generator on the pg-* ends: dpdk-testpmd with
# bench/pktgen/testpmd-io.cmd, chained topology, replaying a
# srtpfwd-gen-flows capture:
#   net_pcap0 (capture, looped) -> pg-acc0 ~ sf-acc0 -> srtpfwd e2e -> sf-core0 ~ pg-core0 -> counted
# Passes when srtpfwd forwarded packets without a drop and the generator
# received them back on pg-core0. A functional check, not a benchmark: on a
# small host both processes poll the same CPUs.
#
# Usage: bench/pktgen/onehost_check.sh [build-dir]
# Env:   FLOWS (100), SECONDS_ON (5: seconds of traffic), KEEP (1: keep the logs)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
BUILD=${1:-$root/build}
FLOWS=${FLOWS:-100}
ON=${SECONDS_ON:-5}
[ "$(id -u)" = 0 ] || { echo "onehost_check: needs root (veth, af_packet)" >&2; exit 1; }
ninja -C "$BUILD" app/srtpfwd bench/srtpfwd-gen-flows >/dev/null

work=$(mktemp -d /tmp/pktgen-onehost.XXXXXX)
made_veth=0
sf_pid=
cleanup() {
	if [ -n "$sf_pid" ] && kill -0 "$sf_pid" 2>/dev/null; then
		kill -INT "$sf_pid" 2>/dev/null || true
		sleep 2
		kill -KILL "$sf_pid" 2>/dev/null || true
	fi
	[ "$made_veth" = 1 ] && "$here/veth.sh" down
	rm -rf "/var/run/dpdk/sf-oh-$$" "/var/run/dpdk/pg-oh-$$"	# the EAL's runtime folders
	if [ "${KEEP:-0}" = 1 ]; then
		echo "onehost_check: logs in $work" >&2
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ip link show pg-acc0 >/dev/null 2>&1 || made_veth=1
"$here/veth.sh" up
"$BUILD/bench/srtpfwd-gen-flows" -o "$work/flows.pcap" -n "$FLOWS" -p 10000-59999 \
	-d 198.18.1.1 -S 198.18.0.2 -P 5000 >/dev/null
echo "session add e2e access 10000 core 10000 a-remote=198.18.0.2:5000 a-latch=strict" \
	"b-remote=198.19.0.2:6000 count=$FLOWS" >"$work/sessions.cmds"

run() {
	"$BUILD/app/srtpfwd" --no-huge -m 1024 --no-pci --file-prefix "sf-oh-$$" -l 0-1 \
		--log-level='*:warning' \
		--vdev net_af_packet0,iface=sf-acc0,qpairs=2 --vdev net_af_packet1,iface=sf-core0,qpairs=2 -- \
		--config "$here/srtpfwd-veth.ini" --cmdline-file "$work/sessions.cmds" \
		--stats-period 1 --duration $((ON + 6)) --srtp-engine libsrtp >"$work/srtpfwd.log" 2>&1 &
	sf_pid=$!
	sleep 3		# sessions in place before the first packet
	# timeout's SIGINT ends testpmd cleanly (its own statistics printed);
	# timeout itself then returns 124.
	timeout -s INT "$ON" dpdk-testpmd --no-huge -m 1024 --no-pci --file-prefix "pg-oh-$$" -l 0-1 \
		--log-level='*:warning' \
		--vdev "net_pcap0,rx_pcap=$work/flows.pcap,infinite_rx=1,tx_pcap=/dev/null" \
		--vdev net_af_packet1,iface=pg-acc0 --vdev net_af_packet2,iface=pg-core0 -- \
		--port-topology=chained --nb-cores=1 --stats-period 1 --total-num-mbufs=16384 \
		--cmdline-file="$here/testpmd-io.cmd" </dev/null >"$work/testpmd.log" 2>&1 || [ $? = 124 ]
	wait "$sf_pid"
	sf_pid=
}
run

# The totals: srtpfwd's final counters (port 0 RX, workers' tx and
# dropped), testpmd's forward statistics (port 1 TX to srtpfwd, port 2 RX).
read -r got fwd drop < <(awk '/final counters/ { f = 1 }
	f && /######## port 0 statistics/ { p0 = 1 } f && /######## port 1 statistics/ { p0 = 0 }
	f && p0 && /RX-packets:/ { r = $2 }
	f && /^  worker [0-9]+:/ { for (i = 1; i < NF; i++) { if ($i == "tx") t += $(i + 1); if ($i == "dropped") d += $(i + 1) } }
	END { print r + 0, t + 0, d + 0 }' "$work/srtpfwd.log")
tp() {	# testpmd's forward statistics: port $1, field $2 (RX-packets|TX-packets)
	awk -v p="port $1 " -v k="$2:" 'index($0, "Forward statistics for " p) { f = 1; next }
		f { for (i = 1; i < NF; i++) if ($i == k) { print $(i + 1); exit } }' "$work/testpmd.log"
}
sent=$(tp 1 TX-packets)
back=$(tp 2 RX-packets)
# Between the two processes the kernel's af_packet rings drop what a
# polling side is too slow to take (CPUs shared here); srtpfwd counts
# neither: its figures start at what it received.
echo "onehost_check: $FLOWS e2e sessions over veth: generator sent ${sent:-0}, srtpfwd received" \
	"${got:-0}, forwarded ${fwd:-0}, dropped ${drop:-?}; the generator got ${back:-0} back"
if [ "${fwd:-0}" -gt 0 ] && [ "${drop:-1}" = 0 ] && [ "${back:-0}" -gt 0 ]; then
	echo "onehost_check: ok"
else
	tail -20 "$work/srtpfwd.log" "$work/testpmd.log" >&2
	exit 1
fi
