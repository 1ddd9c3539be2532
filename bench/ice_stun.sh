#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# ICE-lite benchmark 1 (issue 11): STUN Binding answers per second on ONE
# worker lcore, against dpdk-testpmd io on the same port and lcores.
#
#   net_pcap0 (rx_pcap=<capture>, infinite_rx=1, tx_pcap=/dev/null x2)
#        -> srtpfwd worker: parse, USERNAME, MESSAGE-INTEGRITY, answer in place
#        -> net_pcap0 tx (the answers leave where the requests came in)
#
# The capture (srtpfwd-gen-ice --mode stun): REQUESTS distinct Chrome-shaped
# Binding requests (USERNAME, GOOG-NETWORK-INFO, ICE-CONTROLLING, PRIORITY,
# MESSAGE-INTEGRITY, FINGERPRINT: 96 bytes) from as many sources
# (198.18.64.0/18) to LEGS ICE-lite legs (e2e sessions, one password each),
# looped. Cases (CASES):
#   good   every request authenticates: a 64-byte success response each
#   mi     every MESSAGE-INTEGRITY is wrong: 401, rate-limited (1000/s a
#          worker), so the answers/s should be the limit and the requests
#          handled/s show what a flood of forged checks costs (one HMAC each)
#   ufrag  every USERNAME names no leg: 401, rate-limited, no HMAC at all
# testpmd io with --port-topology=loop sends every packet back out of
# net_pcap0 (the same tx path as the answers, pcap writes to /dev/null
# included): the ceiling of one lcore on this port. Values: port 0 Tx-pps
# (answers/s) and Rx-pps (requests handled/s), median of the per-second
# samples after warm-up, median of REPEAT runs; the ratio is the median of
# the runs' own srtpfwd / testpmd ratios (back to back on the same host state).
# Each srtpfwd run's final counters are checked: good: stun_answered = port 0
# TX-packets and no drop; mi / ufrag: only stun_integrity / stun_username
# drops. In the same run, srtpfwd-stun-bench (bench/stun_bench.c): lib/stun
# alone, parse + verify + answer in a loop, no packet I/O: the CPU ceiling.
#
# Usage: bench/ice_stun.sh [build-dir]     (from anywhere; root for hugepages)
# Env:   REPEAT (3), BENCH_SECONDS (8), LEGS (64), REQUESTS (1024),
#        CASES ("good mi ufrag"), HUGE (auto, bench/lib/eal_mem.sh),
#        PERF (1 if perf exists: one more good-case run, not in the medians,
#        under `perf record` of the worker thread; its top symbols go into the results),
#        RESULTS (bench/RESULTS-ice.md; empty: do not write)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
BUILD=${1:-$root/build}
REPEAT=${REPEAT:-3}
SECS=${BENCH_SECONDS:-8}
LEGS=${LEGS:-64}
REQUESTS=${REQUESTS:-1024}
CASES=${CASES:-"good mi ufrag"}
PERF=${PERF:-$(command -v perf >/dev/null && echo 1 || echo 0)}
RESULTS=${RESULTS-$here/RESULTS-ice.md}
cmdline="$0 $*"

PPS_WORK=$(mktemp -d /tmp/srtpfwd-ice-stun.XXXXXX)
work=$PPS_WORK
. "$here/lib/eal_mem.sh"
. "$here/lib/pps.sh"
. "$here/lib/ice_bench.sh"
trap ice_cleanup EXIT
trap 'exit 130' INT TERM

ninja -C "$BUILD" app/srtpfwd bench/srtpfwd-gen-ice bench/srtpfwd-stun-bench >/dev/null
srtpfwd=$BUILD/app/srtpfwd
gen=$BUILD/bench/srtpfwd-gen-ice
command -v dpdk-testpmd >/dev/null || { echo "dpdk-testpmd not found (apt-get install dpdk)" >&2; exit 1; }

mbufs=$((REQUESTS + 32768))
mem=$((512 + mbufs * 800 / 1048576 + LEGS * 4096 / 1048576 + 256))
eal_mem_setup "$mem"
ice_config "$mbufs" "$work/ice.ini"
for c in $CASES; do
	wrong=()
	[ "$c" = good ] || wrong=(--bad "$c")
	"$gen" -o "$work/$c.pcap" -c "$work/sessions.cmds" -k "$LEGS" -n "$REQUESTS" "${wrong[@]}" >&2
done
# One run of $1 (srtpfwd|testpmd) on capture $2, log $3; sets run_tx and run_rx (pps).
run_one() {
	local kind=$1 cap=$2 log=$3
	ice_start "$kind" "$log" "$cap" "$mem" "$mbufs" --port-topology=loop
	pps_wait "$kind" "$log" 0 Rx-pps
	pps_window_begin "$kind" "$log"
	ice_window "$SECS" "${perf_out:-}" "$pps_pid"
	pps_stop
	run_tx=$(pps_median "$kind" "$log" 0 Tx-pps)
	run_rx=$(pps_median "$kind" "$log" 0 Rx-pps)
}

# What a finished srtpfwd run of case $1 (log $2) should have counted; "" or what is wrong.
check_run() {
	local c=$1 log=$2 answered tx drops
	answered=$(ice_final "$log" worker stun_answered)
	tx=$(ice_final_port "$log" 0 TX-packets)
	drops=$(ice_final_drops "$log")
	case $c in
	good)
		[ "$answered" = "$tx" ] && [ "$drops" = none ] && return 0 ;;
	mi)
		[ "$answered" = 0 ] && [[ "$drops" =~ ^stun_integrity\ [0-9]+$ ]] && return 0 ;;
	ufrag)
		[ "$answered" = 0 ] && [[ "$drops" =~ ^stun_username\ [0-9]+$ ]] && return 0 ;;
	esac
	echo "stun_answered $answered, port 0 TX-packets $tx, drops: $drops"
}

uptime_before=$(uptime)
declare -A runs=() drops=() marks=()
for ((r = 1; r <= REPEAT; r++)); do
	for c in $CASES; do
		run_one testpmd "$work/$c.pcap" "$work/tp-$c-$r.log"
		tp_tx=$run_tx
		run_one srtpfwd "$work/$c.pcap" "$work/sf-$c-$r.log"
		sf_tx=$run_tx sf_rx=$run_rx
		bad=$(check_run "$c" "$work/sf-$c-$r.log")
		if [ -n "$bad" ]; then
			marks[$c]+=" run $r: $bad."
			echo "$c run $r: unexpected counters: $bad" >&2
		fi
		drops[$c]=$(ice_final_drops "$work/sf-$c-$r.log")
		echo "$c run $r: testpmd io $tp_tx pps; srtpfwd answers $sf_tx/s, handled $sf_rx/s" >&2
		runs[tp,$c]+="$tp_tx "
		runs[tx,$c]+="$sf_tx "
		runs[rx,$c]+="$sf_rx "
		runs[ratio,$c]+="$(python3 -c "print($sf_rx / $tp_tx if $tp_tx else 0)") "
	done
done

stun_bench=$("$BUILD/bench/srtpfwd-stun-bench" --runs 7 --ms 200)
echo "$stun_bench" >&2

profile=
if [ "$PERF" = 1 ] && command -v perf >/dev/null; then
	perf_out=$work/perf.data
	run_one srtpfwd "$work/good.pcap" "$work/sf-perf.log"
	perf_out=
	profile=$(ice_perf_top "$work/perf.data")
fi
uptime_after=$(uptime)

# shellcheck disable=SC2086
for c in $CASES; do
	echo "$c $(printf '%s\n' ${runs[tp,$c]} | ice_median) $(printf '%s\n' ${runs[tx,$c]} | ice_median)" \
		"$(printf '%s\n' ${runs[rx,$c]} | ice_median) $(printf '%s\n' ${runs[ratio,$c]} | ice_median)"
done >"$work/rows.txt"
table=$(python3 - "$work/rows.txt" <<'PY'
import sys
what = {'good': 'authenticated (success response)',
        'mi': 'wrong MESSAGE-INTEGRITY (401, rate-limited)',
        'ufrag': 'unknown USERNAME (401, rate-limited)'}
print('| requests | testpmd io (Mpps) | srtpfwd handled (Mpps) | srtpfwd answers/s | handled / testpmd io | goal |')
print('|---|---:|---:|---:|---:|---|')
for line in open(sys.argv[1]):
    c, tp, tx, rx, ratio = line.split()
    tp, tx, rx, ratio = int(tp), int(tx), int(rx), float(ratio)
    if c == 'good':
        ans = f'{tx / 1e6:.2f} M'
        goal = 'answers >= 2 M/s: ' + ('met' if tx >= 2e6 else '**not met**')
    else:
        ans = f'{tx:,}'
        goal = 'answers = the limit (1000/s)'
    print(f'| {what.get(c, c)} | {tp / 1e6:.2f} | {rx / 1e6:.2f} | {ans} | {ratio:.3f} | {goal} |')
PY
)
echo "$table"

if [ -n "$RESULTS" ]; then
	{
		echo "## STUN Binding answers on one worker (\`bench/ice_stun.sh\`)"
		echo
		ice_results_head "$root" "$cmdline" "REPEAT=$REPEAT, BENCH_SECONDS=$SECS, LEGS=$LEGS, REQUESTS=$REQUESTS" "$uptime_before" "$uptime_after"
		echo "* Traffic: net_pcap0 rx_pcap + infinite_rx=1 ($REQUESTS distinct 96-byte Chrome-shaped Binding requests from $REQUESTS sources to $LEGS ICE-lite legs, looped), answers out of net_pcap0 (tx_pcap=/dev/null); testpmd io --port-topology=loop on the same ports"
		echo "* Values: port 0 Tx-pps (answers/s) and Rx-pps (requests handled/s), median of the per-second samples ($SECS s after a warm-up second), median of $REPEAT runs; handled / testpmd io: the median of the runs' own ratios"
		echo "* Counters checked after every run (good: stun_answered = port 0 TX-packets, no drop; mi/ufrag: only stun_integrity/stun_username drops):$(for c in $CASES; do [ -n "${marks[$c]:-}" ] && echo -n " **$c:${marks[$c]}**"; done; [ -z "${marks[*]:-}" ] && echo -n " all as expected")"
		echo "* Final drops of the last run: $(for c in $CASES; do echo -n "$c: ${drops[$c]}; "; done)"
		echo
		echo "$table"
		echo
		echo "lib/stun alone on the same core (\`build/bench/srtpfwd-stun-bench --runs 7 --ms 200\`, no packet I/O; a 100-byte request with USE-CANDIDATE), Mops/s:"
		echo
		echo '```'
		echo "$stun_bench" | grep -v '^#'
		echo '```'
		if [ -n "$profile" ]; then
			echo
			echo "Profile of one more good-case run (not in the medians): \`perf record -e cpu-clock -g -t <worker thread>\`, \`perf report --no-children --sort dso,symbol\`, over 1.5% of the worker's samples (librte_net_pcap is the generator's receive side: infinite_rx copies every packet into a new mbuf; Debian's build has no symbols for it):"
			echo
			echo '```'
			echo "$profile"
			echo '```'
		elif [ "$PERF" = 1 ]; then
			echo
			echo "(perf requested but not available: no profile.)"
		fi
	} >"$work/section.md"
	ice_results_put "$RESULTS" ice_stun.sh "$work/section.md"
	echo "wrote $RESULTS" >&2
fi
