#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# What the workers' timing costs the e2e rate (issue 14): the latency
# histogram and the stage cycles (lib/fwd/fwd_timing.h), switched by the
# console command `set timing on|off`, measured inside ONE forwarder process.
#
#   net_pcap0 (rx_pcap=<capture>, infinite_rx=1)  ->  srtpfwd e2e  ->  net_null1
#
# The set-up of bench/e2e_forward.sh for FLOWS e2e flows (bench/lib/e2e_flows.sh),
# the console on a fifo (bench/lib/pps.sh) and --stats-lines (the worker's TX rate
# once a second). After WARMUP seconds of traffic the timing is switched on and
# off in turn, each window W stats periods long, for CYCLES cycles (an on window
# and an off window each). The first period after each switch is dropped (the
# switch happened in it); a window's rate is the mean of the rest.
#
# Why one process: between separate runs the e2e rate on this VM is bimodal
# (6-7 or 10-12 Mpps, whichever variant runs), far more than the 2 % to resolve.
# Noise episodes last seconds and hit both windows of a pair, so the figure is the
# median of the ratios on/off of every two adjacent windows (2 * CYCLES - 1 pairs,
# on first and off first in turn, so a steady drift cancels), with its IQR. The
# peer is this same process with the timing off: no testpmd here, what is compared
# is srtpfwd with and without its timing.
#
# Each "timing on|off" the console prints lands in the log between two stats lines,
# in the order the control lcore did them, so the windows are cut from the log, not
# from the clock. The stats lines show latency percentiles exactly when the timing
# was on: every window is checked for that.
#
# Usage: bench/timing_cost.sh [build-dir]     (root for hugepages; from anywhere)
# Env:   FLOWS (1000), W (2: stats periods of 1 s a window), CYCLES (20; QUICK=1: 8),
#        WARMUP (2 s), TARGET (2: the largest cost in % that meets the issue),
#        HUGE (auto, bench/lib/eal_mem.sh), RESULTS (a Markdown file to write; empty:
#        none), CSV (append bench/run rows: timing,e2e-FLOWS,on|off|on/off|...,FLOWS,..;
#        timing,e2e-FLOWS-window,on|off,INDEX,MPPS,Mpps per window)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
BUILD=${1:-$root/build}
QUICK=${QUICK:-0}
[ "$QUICK" = 1 ] && CYCLES=${CYCLES:-8}
FLOWS=${FLOWS:-1000}
W=${W:-2}
CYCLES=${CYCLES:-20}
WARMUP=${WARMUP:-2}
TARGET=${TARGET:-2}
RESULTS=${RESULTS:-}
CSV=${CSV:-}
PY=/usr/bin/python3
cmdline="QUICK=$QUICK FLOWS=$FLOWS W=$W CYCLES=$CYCLES WARMUP=$WARMUP bench/timing_cost.sh $*"
[ "$W" -ge 2 ] || { echo "W=$W: a window needs 2 periods or more (its first is dropped)" >&2; exit 2; }

PPS_WORK=$(mktemp -d /tmp/srtpfwd-timing.XXXXXX)
work=$PPS_WORK
# shellcheck source=bench/lib/pps.sh
. "$here/lib/pps.sh"
# shellcheck source=bench/lib/eal_mem.sh
. "$here/lib/eal_mem.sh"
# shellcheck source=bench/lib/e2e_flows.sh
. "$here/lib/e2e_flows.sh"
cleanup() {
	pps_cleanup
	rm -rf "$work"
	eal_mem_restore
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ninja -C "$BUILD" app/srtpfwd bench/srtpfwd-gen-flows >/dev/null
srtpfwd=$BUILD/app/srtpfwd
gen=$BUILD/bench/srtpfwd-gen-flows
log=$work/srtpfwd.log

# "SWITCHES PERIODS": the console's "timing on|off" answers so far, and the worker's
# stats lines since the last of them (or since the start).
progress() {
	awk '{ sub(/\r$/, ""); sub(/^(srtpfwd> *)+/, "") }
	     $0 == "timing on" || $0 == "timing off" { s++; n = 0 }
	     /^\[ *[0-9.]+ s\] worker 0: / { n++ }
	     END { print s + 0, n + 0 }' "$log"
}

# Until the log shows $1 switches and $2 stats lines after the last one (60 s at most).
wait_progress() {
	local want_s=$1 want_n=$2 s n i
	for ((i = 0; i < 600; i++)); do
		read -r s n <<<"$(progress)"
		[ "$s" -ge "$want_s" ] && [ "$n" -ge "$want_n" ] && return 0
		# shellcheck disable=SC2154	# pps_pid: set by pps_start
		kill -0 "$pps_pid" 2>/dev/null || break
		sleep 0.1
	done
	echo "timing_cost: no progress (want $want_s switches, $want_n periods; have $s, $n); the log:" >&2
	tail -20 "$log" >&2
	exit 1
}

# Until the worker has sent packets in one stats period (120 s at most).
wait_traffic() {
	local i
	for ((i = 0; i < 600; i++)); do
		awk '/ worker 0: rx .* tx [0-9.]+ Mpps/ { for (i = 1; i < NF; i++) if ($i == "tx" && $(i + 1) > 0) f = 1 }
		     END { exit !f }' "$log" && return 0
		kill -0 "$pps_pid" 2>/dev/null || break
		sleep 0.2
	done
	echo "timing_cost: srtpfwd did not forward; its log:" >&2
	tail -30 "$log" >&2
	exit 1
}

cap=$work/flows-$FLOWS.pcap
e2e_capture "$gen" "$cap" "$FLOWS"
e2e_config "$FLOWS" "$work/e2e.ini" verify
# The timing starts on (lib/fwd/fwd_plane.c); not switched here: the file's commands
# print their answers too, and only the loop's switches may show in the log.
e2e_session_cmd "$FLOWS" >"$work/e2e.cmds"
mb=$(e2e_eal_mb_sf "$FLOWS")
eal_mem_setup "$mb"
mapfile -t vdevs < <(e2e_vdevs "$cap")
# CPU time the hypervisor gave to others (steal) while this ran, of all CPU time.
cpu_times() { awk '/^cpu / { print $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat; }
read -r steal0 total0 <<<"$(cpu_times)"
t0=$(date +%s)

# shellcheck disable=SC2046
pps_start srtpfwd "$log" "$srtpfwd" $(eal_mem_args "$mb" "timing-$$") --no-pci -l 0-1 \
	--log-level='*:warning' "${vdevs[@]}" -- --config "$work/e2e.ini" \
	--cmdline-file "$work/e2e.cmds" --stats-period 1 --stats-lines \
	--duration $((WARMUP + 2 * CYCLES * W + 120)) --srtp-engine libsrtp
wait_traffic
read -r _ periods <<<"$(progress)"
wait_progress 0 $((periods + WARMUP))
switches=0
for ((c = 1; c <= CYCLES; c++)); do
	for state in on off; do
		pps_console "set timing $state"
		switches=$((switches + 1))
		wait_progress "$switches" "$W"
	done
done
pps_stop
elapsed=$(($(date +%s) - t0))
read -r steal1 total1 <<<"$(cpu_times)"
steal_pct=$(awk -v s=$((steal1 - steal0)) -v t=$((total1 - total0)) 'BEGIN { printf "%.1f", t ? 100 * s / t : 0 }')
drops=$(awk '{ sub(/^(srtpfwd> *)+/, "") } /final counters/ { f = 1 }
	     f && $1 == "worker" { for (i = 1; i < NF; i++) if ($i == "dropped") d += $(i + 1) }
	     END { print d + 0 }' "$log")

# ---------------------------------------------------------------- the figures
summary=$("$PY" - "$log" "$W" "$FLOWS" "$TARGET" "$drops" "${CSV:-/dev/null}" <<'PY'
import re, statistics, sys

log, W, flows, target, drops, csv_path = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), \
    float(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
line_re = re.compile(r"^\[ *[0-9.]+ s\] worker 0: .* tx ([0-9.]+) Mpps")
windows = []          # [state, [Mpps of its periods], [latency shown?]]
for raw in open(log, errors="replace"):
    text = re.sub(r"^(srtpfwd> *)+", "", raw.rstrip("\r\n"))
    if text in ("timing on", "timing off"):
        windows.append([text.split()[1], [], []])
        continue
    m = line_re.match(text)
    if m and windows:
        windows[-1][1].append(float(m.group(1)))
        windows[-1][2].append("latency p50" in text)
rates = []
for state, mpps, lat in windows:
    # The first period holds the switch: dropped. The rest must show the state.
    if len(mpps) < W:
        sys.exit("timing_cost: a %s window has %d periods, not %d" % (state, len(mpps), W))
    kept, shown = mpps[1:W], lat[1:W]
    if any(s != (state == "on") for s in shown):
        sys.exit("timing_cost: a %s window's stats lines %s latency" %
                 (state, "lack" if state == "on" else "show"))
    rates.append((state, sum(kept) / len(kept)))
ratios = []
for (s1, r1), (s2, r2) in zip(rates, rates[1:]):
    on, off = (r1, r2) if s1 == "on" else (r2, r1)
    ratios.append(on / off)
on = statistics.median(r for s, r in rates if s == "on")
off = statistics.median(r for s, r in rates if s == "off")
med = statistics.median(ratios)
q1, _, q3 = statistics.quantiles(ratios, n=4, method="inclusive")
cost, cost_lo, cost_hi = 100 * (1 - med), 100 * (1 - q3), 100 * (1 - q1)
met = cost <= target
with open(csv_path, "a") as f:
    case = "e2e-%d" % flows
    for series, v, unit in (("on", on, "Mpps"), ("off", off, "Mpps"), ("on/off", med, "ratio"),
                            ("on/off-q1", q1, "ratio"), ("on/off-q3", q3, "ratio"),
                            ("cost", cost, "%"), ("target", target, "%"), ("pairs", len(ratios), "pairs")):
        f.write("timing,%s,%s,%d,%.6g,%s\n" % (case, series, flows, v, unit))
    for i, (s, r) in enumerate(rates):
        f.write("timing,%s-window,%s,%d,%.4f,Mpps\n" % (case, s, i, r))
print("| %s | %d x (%d s on, %d s off) | %.3f | %.3f | %.4f | %.4f - %.4f | %d | **%.2f %%** (IQR %.2f to %.2f %%) | %s |"
      % ("{:,}".format(flows), len(rates) // 2, W, W, on, off, med, q1, q3, len(ratios), cost, cost_lo, cost_hi,
         "yes" if met else "**no**"))
print("Windows in order (Mpps): " + ", ".join("%s %.3f" % (s, r) for s, r in rates))
print("VERDICT %.2f %d %s" % (cost, len(ratios), "yes" if met else "no"))
PY
)
verdict=$(grep '^VERDICT' <<<"$summary")
row=$(grep '^|' <<<"$summary")
seq=$(grep '^Windows' <<<"$summary")
read -r _ cost npairs met <<<"$verdict"
tbl="| flows | windows | on: median (Mpps) | off: median (Mpps) | on / off: median of pairs | IQR of on / off | pairs | timing cost | <= $TARGET % |
|---:|---|---:|---:|---:|---:|---:|---|:---:|
$row"
echo "$tbl"
echo "timing_cost: worker timing costs $cost % of the e2e rate (median of $npairs pairs; <= $TARGET %: $met)" >&2
[ -n "$RESULTS" ] || exit 0
host_cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
{
	echo "# What the worker timing costs the e2e rate (bench/timing_cost.sh)"
	echo
	echo "Generated by \`bench/timing_cost.sh\`; do not edit by hand."
	echo
	echo "* Command: \`$cmdline\`"
	echo "* Date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD -- lib app 2>/dev/null || echo ' (lib/ or app/ modified in the working tree)')"
	echo "* Machine: $(nproc) CPUs, $host_cpu, CPU steal during the run $steal_pct %, EAL memory: $(eal_mem_describe); lcore 0 control, lcore 1 the one worker"
	echo "* Traffic: as bench/e2e_forward.sh: net_pcap0 rx_pcap + infinite_rx=1 (one 224-byte frame per flow, looped) -> $FLOWS e2e sessions (udp-checksum = verify, a-latch=strict) -> net_null1"
	echo "* Method: one srtpfwd process; after $WARMUP s of traffic, \`set timing on\` / \`set timing off\` on its console in turn, $CYCLES cycles of a $W s on window and a $W s off window ($elapsed s in all); a window's rate = the mean of the worker's TX Mpps (\`--stats-lines\`) over its periods after the first (the switch falls in the first); every window checked: latency shown in its stats lines exactly when on"
	echo "* Figure: on / off of every two adjacent windows (on first and off first in turn), its median and IQR; cost = 1 - median. The peer is the same process with the timing off (no testpmd: what is compared is srtpfwd with and without its timing); drops in the run: $drops"
	echo
	echo "$tbl"
	echo
	echo "$seq"
} >"$RESULTS"
echo "wrote $RESULTS" >&2
