#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# e2e forwarding benchmark (issue 2): srtpfwd against dpdk-testpmd io forward
# on the same virtual ports and the same lcores.
#
#   net_pcap0 (rx_pcap=<capture>, infinite_rx=1)  ->  forwarder  ->  net_null1
#
# For each flow count (1k, 1M) a capture with one SRTP-like packet per flow
# (224-byte frames: RTP header + 160-byte payload + 10-byte tag) is replayed
# in a loop by net_pcap. testpmd forwards it blindly (io mode); srtpfwd looks
# up every packet's e2e session (flow key = local address:port), checks the
# latched remote (strict), rewrites the IP/UDP header towards the other leg
# and sends it out of net_null1. Throughput = Tx-pps of the null port, the
# median of the per-second samples after warm-up; each measurement is
# repeated REPEAT times and the median of those medians is reported.
#
# Usage: bench/e2e_forward.sh [build-dir]     (from anywhere)
# Memory: 2 MiB hugepages when they can be reserved (root), else --no-huge;
# testpmd and srtpfwd always the same kind (bench/lib/eal_mem.sh, HUGE=auto|1|0).
# The capture, srtpfwd's configuration and sessions: bench/lib/e2e_flows.sh (shared with
# bench/timing_cost.sh).
#
# For context, testpmd's own per-packet forwarding engines on the same ports
# in the same runs (TESTPMD_MODES): 5tswap (parses Ethernet/IP/UDP and swaps
# addresses and ports: header work without lookup, validation or checksums)
# and csum (parses and sums IP and UDP checksums in software).
#
# Env:   REPEAT (3), BENCH_SECONDS (8), FLOWS ("1000 1000000"), HUGE (auto),
#        TESTPMD_MODES ("5tswap csum"; empty: io only),
#        RESULTS (bench/RESULTS-e2e.md; empty: do not write),
#        SRTPFWD_GENERAL (extra lines for srtpfwd's [general] section, e.g.
#        $'burst = 64', for experiments),
#        VARIANTS ("verify"): srtpfwd runs measured in each repeat, each against that
#          repeat's testpmd io: verify | auto (udp-checksum = verify: every payload's UDP
#          checksum summed in software; auto: RFC 1624 update of what is rewritten), with
#          -notiming for `set timing off` (latency histogram and stage cycles off), e.g.
#          VARIANTS="verify verify-notiming auto" measures what timing and checksums cost,
#        CSV (a file to append rows "e2e,flows,SERIES,FLOWS,MPPS,Mpps" to, the
#          bench/run schema bench,case,series,x,value,unit; empty: none)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
BUILD=${1:-$root/build}
REPEAT=${REPEAT:-3}
SECS=${BENCH_SECONDS:-8}
FLOWS=${FLOWS:-"1000 1000000"}
TESTPMD_MODES=${TESTPMD_MODES-"5tswap csum"}
RESULTS=${RESULTS-$here/RESULTS-e2e.md}
VARIANTS=${VARIANTS:-verify}
CSV=${CSV:-}
cmdline="$0 $*"

work=$(mktemp -d /tmp/srtpfwd-e2e.XXXXXX)
run_pid=
cleanup() {
	if [ -n "$run_pid" ] && kill -0 "$run_pid" 2>/dev/null; then
		kill -INT "$run_pid" 2>/dev/null || true
		sleep 2
		kill -KILL "$run_pid" 2>/dev/null || true
	fi
	rm -rf "$work"
	eal_mem_restore
}
. "$here/lib/eal_mem.sh"
# shellcheck source=bench/lib/e2e_flows.sh
. "$here/lib/e2e_flows.sh"
trap cleanup EXIT
trap 'exit 130' INT TERM

ninja -C "$BUILD" app/srtpfwd bench/srtpfwd-gen-flows >/dev/null
srtpfwd=$BUILD/app/srtpfwd
gen=$BUILD/bench/srtpfwd-gen-flows
command -v dpdk-testpmd >/dev/null || { echo "dpdk-testpmd not found (apt-get install dpdk)" >&2; exit 1; }

# Run "$@" with its output in $log; once the null port's Tx-pps is non-zero
# (forwarding started), let it run $SECS more seconds, then SIGINT it.
# Prints the median Tx-pps of port 1 over the samples after the first
# non-zero one (warm-up), last (partial) sample excluded.
measure() {
	local kind=$1 log=$2
	shift 2
	"$@" >"$log" 2>&1 &
	run_pid=$!
	local waited=0
	while ! samples "$kind" "$log" | awk '$1 > 0 { f = 1 } END { exit !f }'; do
		if ! kill -0 "$run_pid" 2>/dev/null; then
			echo "$kind exited before forwarding; its log:" >&2
			tail -30 "$log" >&2
			exit 1
		fi
		waited=$((waited + 1))
		if [ "$waited" -gt 600 ]; then
			echo "$kind: no traffic after 120 s; its log:" >&2
			tail -30 "$log" >&2
			exit 1
		fi
		sleep 0.2
	done
	sleep $((SECS + 1))
	kill -INT "$run_pid" 2>/dev/null || true
	local i=0
	while kill -0 "$run_pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.2; i=$((i + 1)); done
	kill -KILL "$run_pid" 2>/dev/null || true
	wait "$run_pid" 2>/dev/null || true
	run_pid=
	samples "$kind" "$log" | python3 -c '
import statistics, sys
v = [int(x) for x in sys.stdin.read().split()]
while v and v[0] == 0:
    v.pop(0)
v = v[1:-1]          # first non-zero sample: warm-up; last: cut by SIGINT
print(int(statistics.median(v)) if v else 0)'
}

# Per-second Tx-pps samples of port 1 from a log, one a line.
samples() {
	local kind=$1 log=$2
	if [ "$kind" = testpmd ]; then
		awk '/NIC statistics for port/ { p = $(NF-1) }
		     /Tx-pps:/ && p == 1 { print $2 }' "$log"
	else
		# periodic blocks only: stop at the final counters
		awk '/final counters/ { exit }
		     /######## port [0-9]+ statistics/ { p = $3 }
		     /Tx-pps:/ && p == 1 { print $2 }' "$log"
	fi
}

max_flows=$(printf '%s\n' $FLOWS | sort -n | tail -1)
eal_mem_setup "$(e2e_eal_mb_sf "$max_flows")"

host_cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
dpdk_ver=$(pkg-config --modversion libdpdk 2>/dev/null || echo unknown)
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
declare -A res
for flows in $FLOWS; do
	cap=$work/flows-$flows.pcap
	e2e_capture "$gen" "$cap" "$flows"
	for var in $VARIANTS; do
		case "$var" in
		verify | auto | verify-notiming | auto-notiming) ;;
		*) echo "VARIANTS: '$var' is none of verify, auto, verify-notiming, auto-notiming" >&2; exit 2 ;;
		esac
		e2e_config "$flows" "$work/$flows-$var.ini" "${var%-notiming}"
		{
			[ "${var%-notiming}" != "$var" ] && echo "set timing off"
			e2e_session_cmd "$flows"
		} >"$work/$flows-$var.cmds"
	done
	mem=$(e2e_eal_mb "$flows")
	mapfile -t vdevs < <(e2e_vdevs "$cap")
	declare -A runs=()
	for ((r = 1; r <= REPEAT; r++)); do
		for mode in io $TESTPMD_MODES; do
			v=$(measure testpmd "$work/tp-$mode-$flows-$r.log" \
				dpdk-testpmd $(eal_mem_args "$mem" "e2e-tp-$$-$flows-$r") --no-pci \
				-l 0-1 --log-level='*:warning' "${vdevs[@]}" -- \
				--forward-mode="$mode" --stats-period 1 --nb-cores=1 --rxq=1 --txq=1 \
				--total-num-mbufs="$(e2e_pool_size "$flows")" --mbuf-size=512)
			echo "flows $flows run $r: testpmd $mode $v pps" >&2
			runs[$mode]+="$v "
			[ "$mode" = io ] && io=$v
		done
		# e2e sessions need no SRTP engine: libsrtp needs no cryptodev vdev.
		for var in $VARIANTS; do
			v=$(measure srtpfwd "$work/sf-$flows-$var-$r.log" \
				"$srtpfwd" $(eal_mem_args "$(e2e_eal_mb_sf "$flows")" "e2e-sf-$$-$flows-$r") --no-pci \
				-l 0-1 --log-level='*:warning' "${vdevs[@]}" -- \
				--config "$work/$flows-$var.ini" --cmdline-file "$work/$flows-$var.cmds" \
				--stats-period 1 --duration 600 --srtp-engine libsrtp)
			echo "flows $flows run $r: srtpfwd $var $v pps" >&2
			if grep -q 'drops by reason' "$work/sf-$flows-$var-$r.log"; then
				awk '/final counters/ { f = 1 } f && /worker|drop|^    / { print "  " $0 }' \
					"$work/sf-$flows-$var-$r.log" >&2
			fi
			runs[sf-$var]+="$v "
			# The ratio of each run's pair: both ran back to back on the same host state.
			runs[ratio-$var]+="$(python3 -c "print($v / $io if $io else 0)") "
		done
		first=${VARIANTS%% *}
		runs[sf]=${runs[sf-$first]}
		runs[ratio]=${runs[ratio-$first]}
	done
	for k in io $TESTPMD_MODES sf ratio; do
		res[$k,$flows]=$(printf '%s\n' ${runs[$k]} | median)
	done
	for var in $VARIANTS; do
		res[sf-$var,$flows]=$(printf '%s\n' ${runs[sf-$var]} | median)
		res[ratio-$var,$flows]=$(printf '%s\n' ${runs[ratio-$var]} | median)
	done
	if [ -n "$CSV" ]; then
		for mode in io $TESTPMD_MODES; do
			echo "e2e,flows,testpmd-$mode,$flows,$(python3 -c "print(${res[$mode,$flows]} / 1e6)"),Mpps"
		done >>"$CSV"
		for var in $VARIANTS; do
			echo "e2e,flows,srtpfwd-$var,$flows,$(python3 -c "print(${res[sf-$var,$flows]} / 1e6)"),Mpps"
			echo "e2e,ratio-to-io,srtpfwd-$var,$flows,${res[ratio-$var,$flows]},ratio"
		done >>"$CSV"
	fi
	unset runs
done

table() {
	local head="| flows | testpmd io (Mpps) | srtpfwd e2e (Mpps) | srtpfwd / testpmd io | target | met |"
	local rule="|---:|---:|---:|---:|---:|:---:|"
	for mode in $TESTPMD_MODES; do
		head+=" testpmd $mode (Mpps) | srtpfwd / $mode |"
		rule+="---:|---:|"
	done
	for var in ${VARIANTS#* }; do
		[ "$var" = "${VARIANTS%% *}" ] && continue
		head+=" srtpfwd $var (Mpps) | $var / io | $var / ${VARIANTS%% *} |"
		rule+="---:|---:|---:|"
	done
	echo "$head"
	echo "$rule"
	for flows in $FLOWS; do
		local extra=() vars=()
		for mode in $TESTPMD_MODES; do
			extra+=("${res[$mode,$flows]}")
		done
		for var in ${VARIANTS#* }; do
			[ "$var" = "${VARIANTS%% *}" ] && continue
			vars+=("${res[sf-$var,$flows]}:${res[ratio-$var,$flows]}")
		done
		python3 - "$flows" "${res[io,$flows]}" "${res[sf,$flows]}" "${res[ratio,$flows]}" \
			"${extra[@]}" -- "${vars[@]}" <<'PY'
import sys
flows, tp, sf = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
ratio = float(sys.argv[4])
rest = sys.argv[5:]
cut = rest.index("--")
target = 0.7 if flows <= 1000 else 0.5
row = f"| {flows:,} | {tp / 1e6:.2f} | {sf / 1e6:.2f} | {ratio:.3f} | {target:.1f} | {'yes' if ratio >= target else 'no'} |"
for m in rest[:cut]:
    m = int(m)
    row += f" {m / 1e6:.2f} | {sf / m if m else 0:.2f} |"
for v in rest[cut + 1:]:
    pps, r = v.split(":")
    row += f" {int(pps) / 1e6:.2f} | {float(r):.3f} | {float(r) / ratio if ratio else 0:.3f} |"
print(row)
PY
	done
}

tbl=$(table)
echo "$tbl"
if [ -n "$RESULTS" ]; then
	{
		echo "# e2e forwarding benchmark (issue 2)"
		echo
		echo "Generated by \`bench/e2e_forward.sh\`; do not edit by hand."
		echo
		echo "* Command: \`$cmdline\` (REPEAT=$REPEAT, BENCH_SECONDS=$SECS)"
		echo "* Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
		echo "* Commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD -- lib app 2>/dev/null || echo ' (lib/ or app/ modified in the working tree)')"
		echo "* Machine: $(nproc) CPUs, $host_cpu, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), EAL memory: $(eal_mem_describe)"
		echo "* DPDK $dpdk_ver; lcore 0 control, lcore 1 the one forwarding lcore (testpmd: --nb-cores=1)"
		echo "* Traffic: net_pcap0 rx_pcap + infinite_rx=1 (one 224-byte IPv4/UDP/SRTP-like frame per flow, looped) -> net_null1; Tx-pps of net_null1"
		echo "* srtpfwd: e2e sessions, a-latch=strict a-remote=198.18.0.2:5000, b-remote via a static neighbour, 50000 ports per address; --srtp-engine libsrtp (e2e uses no crypto); variants (VARIANTS=\"$VARIANTS\"): the first is the srtpfwd column; verify/auto = udp-checksum, -notiming = \`set timing off\` (no latency histogram, no stage cycles); X / io is the median of each run's own ratio"
		echo "* Value: median over $REPEAT runs of the median per-second Tx-pps ($SECS s after the first second of traffic); srtpfwd / testpmd io: the median of the runs' own ratios (each run's testpmd io and srtpfwd back to back)"
		echo "* Context (same runs): testpmd --forward-mode=5tswap parses Ethernet/IPv4/UDP and swaps MACs, addresses and ports (no lookup, no validation, no checksum work); csum parses and computes the IP and UDP checksums in software"
		echo
		echo "$tbl"
	} >"$RESULTS"
	echo "wrote $RESULTS" >&2
fi
