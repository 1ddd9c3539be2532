#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Run one script of the pktgen kit (bench/pktgen/*.lua) in the operator's own
# pktgen-dpdk 23.06 build and print the script's result lines. This is what
# the bench runner calls when PKTGEN is set; it never builds or fetches pktgen.
#
#   PKTGEN=/path/to/pktgen bench/pktgen/pktgen.sh SCRIPT [NAME=VALUE ...]
#
#   SCRIPT      replay | range | rfc2544
#   NAME=VALUE  the script's parameters (its header lists them), exported as
#               PG_NAME=VALUE, e.g. RATE=50 SECONDS=10 FLOWS=1000
#
# pktgen needs a terminal: it runs under script(1) (util-linux) on a pseudo
# terminal fed from a fifo held open, so that it never reads end of file.
# The script writes its lines to a result file (PG_RESULT_FILE); when DONE
# or ERROR is there pktgen is given PG_GRACE seconds to quit, then stopped.
#
# Env (defaults for a bare-metal box; see bench/pktgen/README.md):
#   PKTGEN      the pktgen binary (required)
#   PG_PORTS    veth (default): net_af_packet on PG_IFACES ("pg-acc0 pg-core0",
#               made by bench/pktgen/veth.sh up); pci: -a for each of PG_PCI;
#               vdev: --vdev for each of PG_VDEVS (net_tap, net_pcap, net_null;
#               not net_ring or net_memif: pktgen >= 23.03 stops on ports whose
#               MTU it cannot set)
#   PG_LCORES   EAL -l (2-6: main lcore 2), PG_MAP pktgen -m ("[3:4].0, [5:6].1":
#               RX:TX lcores per port); both disjoint from srtpfwd's lcores
#   PG_MEM      MiB of EAL memory, -m (2048: what pktgen needs), PG_HUGE 1
#               (hugepages) or 0 (--no-huge), PG_PREFIX --file-prefix (pg-PID)
#   PG_PCAP     capture for port TX_PORT (replay): pktgen -s TX_PORT:FILE
#   PG_EAL_EXTRA, PG_APP_EXTRA  more EAL / pktgen options (word-split)
#   PG_TIMEOUT  seconds before pktgen is stopped (900), PG_GRACE (15)
#   PG_KEEP     1: keep the work folder (logs) even on success
# Output: stdout: the kit's lines only (KIT, SAMPLE, TRIAL, RESULT, DONE,
# ERROR; format in bench/pktgen/common.lua); stderr: progress, and the tail
# of pktgen's terminal log on failure. Exit 0 iff "DONE ... status=ok" came,
# 124 on timeout, 1 otherwise.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 1 ] || { sed -n '/^#   PKTGEN=/,/^#   NAME=/p' "$0" >&2; exit 2; }
name=$1
shift
lua=$here/$name.lua
[ -f "$lua" ] || { echo "pktgen.sh: no script $lua" >&2; exit 2; }
if [ -z "${PKTGEN:-}" ] || [ ! -x "$PKTGEN" ]; then
	echo "pktgen.sh: set PKTGEN to your pktgen binary (built per upstream's docs)" >&2
	exit 2
fi
for kv in "$@"; do
	[[ $kv == [A-Z]*=* ]] || { echo "pktgen.sh: NAME=VALUE expected, got '$kv'" >&2; exit 2; }
	export "PG_$kv"
done

work=$(mktemp -d /tmp/srtpfwd-pktgen.XXXXXX)
pg_pid=
fifo_fd=
# Process ids under $1 (script(1) puts pktgen in a session of its own, so
# the process group of script(1) does not reach it).
descendants() {
	local c
	for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do
		descendants "$c"
		echo "$c"
	done
}
stop_pktgen() {
	local pids
	pids="$(descendants "$pg_pid") $pg_pid"
	# shellcheck disable=SC2086
	kill -INT $pids 2>/dev/null || true
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		kill -0 "$pg_pid" 2>/dev/null || break
		sleep 0.5
	done
	# shellcheck disable=SC2086
	kill -KILL $pids 2>/dev/null || true
	wait "$pg_pid" 2>/dev/null || true
}
finish() {
	local rc=$?
	if [ -n "$pg_pid" ] && kill -0 "$pg_pid" 2>/dev/null; then
		stop_pktgen
	fi
	[ -n "$fifo_fd" ] && exec {fifo_fd}>&-
	[ -z "${PG_PREFIX:-}" ] && rm -rf "/var/run/dpdk/pg-$$"	# the EAL runtime folder of our default prefix
	if [ "$rc" = 0 ] && [ "${PG_KEEP:-0}" != 1 ]; then
		rm -rf "$work"
	else
		echo "pktgen.sh: logs kept in $work" >&2
	fi
}
trap finish EXIT
trap 'exit 130' INT TERM

# EAL options.
eal=(-l "${PG_LCORES:-2-6}" -n 4 --proc-type primary --file-prefix "${PG_PREFIX:-pg-$$}"
     -m "${PG_MEM:-2048}")
[ "${PG_HUGE:-1}" = 0 ] && eal+=(--no-huge)
case ${PG_PORTS:-veth} in
veth)
	read -r -a ifs <<<"${PG_IFACES:-pg-acc0 pg-core0}"
	eal+=(--no-pci)
	for i in "${!ifs[@]}"; do eal+=(--vdev "net_af_packet$i,iface=${ifs[$i]}"); done
	;;
pci)
	for a in ${PG_PCI:?PG_PORTS=pci needs PG_PCI}; do eal+=(-a "$a"); done
	;;
vdev)
	eal+=(--no-pci)
	for v in ${PG_VDEVS:?PG_PORTS=vdev needs PG_VDEVS}; do eal+=(--vdev "$v"); done
	;;
*)
	echo "pktgen.sh: PG_PORTS is veth, pci or vdev" >&2
	exit 2
	;;
esac
# shellcheck disable=SC2206
eal+=(${PG_EAL_EXTRA:-})

# pktgen options: promiscuous (frames from srtpfwd carry its neighbour's MAC,
# whatever pktgen's port has), the lcore map, the capture, the script.
app=(-P -m "${PG_MAP:-[3:4].0, [5:6].1}")
if [ -n "${PG_PCAP:-}" ]; then
	app+=(-s "${PG_TX_PORT:-0}:$(realpath "$PG_PCAP")")
fi
# shellcheck disable=SC2206
app+=(${PG_APP_EXTRA:-} -f "$lua")

export PG_RESULT_FILE=$work/result.txt
: >"$PG_RESULT_FILE"
cmd=$(printf '%q ' "$PKTGEN" "${eal[@]}" -- "${app[@]}")
echo "pktgen.sh: $cmd" >&2
echo "$cmd" >"$work/command.txt"

mkfifo "$work/stdin"
exec {fifo_fd}<>"$work/stdin"	# read-write: script(1) never sees end of file
script -q -e -c "$cmd" "$work/terminal.log" <"$work/stdin" >/dev/null 2>&1 &
pg_pid=$!

deadline=$((SECONDS + ${PG_TIMEOUT:-900}))
ended=
while kill -0 "$pg_pid" 2>/dev/null; do
	if [ -z "$ended" ] && grep -qE '^(DONE|ERROR) ' "$PG_RESULT_FILE"; then
		ended=$SECONDS
	fi
	if [ -n "$ended" ] && [ $((SECONDS - ended)) -ge "${PG_GRACE:-15}" ]; then
		echo "pktgen.sh: pktgen did not quit after the script ended; stopping it" >&2
		stop_pktgen
		break
	fi
	if [ "$SECONDS" -ge "$deadline" ]; then
		echo "pktgen.sh: timeout after ${PG_TIMEOUT:-900} s" >&2
		cat "$PG_RESULT_FILE"
		exit 124
	fi
	sleep 0.5
done

cat "$PG_RESULT_FILE"
if grep -qE '^DONE .*status=ok' "$PG_RESULT_FILE"; then
	exit 0
fi
echo "pktgen.sh: no DONE line; the end of pktgen's terminal log:" >&2
tail -c 4000 "$work/terminal.log" | tr -d '\r' | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' | tail -30 >&2
exit 1
