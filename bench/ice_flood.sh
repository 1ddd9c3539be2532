#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# ICE-lite benchmark 2 (issue 11): the media rate of ONE worker lcore while
# the looped capture mixes the media with 1x, 2x, 5x as many unauthenticated
# packets, against the no-flood rate measured in the same run.
#
#   net_pcap0 (rx_pcap=<capture>, infinite_rx=1)  ->  srtpfwd worker  ->  net_null1
#
# LEGS e2e sessions, ICE-lite on leg a (access, exposed), leg b on core to a
# static next hop. The capture (srtpfwd-gen-ice --mode flood): first each
# leg's peer (198.18.0.2, port 5000+i) nominates its pair with an
# authenticated Binding request carrying USE-CANDIDATE (the legs latch
# through ICE, on the control lcore; each loop of the capture renews the
# consent: LEGS answers per loop), then ROUNDS / (1 + F) rounds of one
# 182-byte SRTP-like media packet per leg from that peer, each followed by F packets
# from spoofed sources (198.18.128.0/17, many ports), in turn: STUN with a
# wrong MESSAGE-INTEGRITY and USE-CANDIDATE (one HMAC each, 401
# rate-limited), STUN with an unknown ufrag (401 rate-limited), DTLS
# ClientHello-shaped records, SRTP-looking packets with the leg's SSRC,
# random garbage. Every capture has the same number of frames, whatever F:
# net_pcap's infinite_rx copies each packet out of the stored capture, and
# how much memory that capture spans changes the rates by itself (here 65k
# frames forwarded at about half the rate of 33k); LEGS and ROUNDS keep it a few
# MiB, about what a NIC's rings span, with the checks a small share (an
# answer costs about ten forwarded packets: 16 of 3856 frames, ~4% of the
# no-flood time, the same in every case). The measured window starts once
# `show ice stats` (console on a fifo) says all LEGS are latched.
# Media rate = Tx-pps of net_null1 (only media goes there), median of the
# per-second samples after warm-up, median of REPEAT runs; "/ no flood" is
# the median of the runs' own ratios (each run measures every F back to back).
# In the same runs, for context, testpmd io forwards the whole capture
# (every kind, port 0 -> port 1) on the same ports and lcores.
# Each srtpfwd run is checked (check_run): all LEGS latched, and in the
# window the core port sent the media that came in, nothing more or less; a
# run that fails is marked.
# What one unauthenticated packet costs against one media packet, from the
# same run's rates (the worker is saturated: a loop element of F costs
# c_media + F x c_flood, so c_flood / c_media = (no-flood / media(F) - 1) / F).
# At saturation media(F) / no-flood = 1 / (1 + F x c_flood / c_media): 0.9 at
# 1x needs an unauthenticated packet to cost a ninth of a forwarded one.
# KINDS: the same at 1x with one kind of unauthenticated packet only (srtpfwd
# only), to see which kind costs what.
#
# Usage: bench/ice_flood.sh [build-dir]     (from anywhere; root for hugepages)
# Env:   REPEAT (3), BENCH_SECONDS (8), LEGS (16), ROUNDS (240, a multiple of each 1 + F),
#        FLOODS ("0 1 2 5"; 0, the no-flood rate, is always measured),
#        KINDS ("mi ufrag dtls srtp garbage"; empty: none), HUGE (auto, bench/lib/eal_mem.sh),
#        PERF (1 if perf exists: one more run at F=1, not in the medians, under
#        `perf record` of the worker thread; its top symbols go into the results),
#        RESULTS (bench/RESULTS-ice.md; empty: do not write)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
BUILD=${1:-$root/build}
REPEAT=${REPEAT:-3}
SECS=${BENCH_SECONDS:-8}
LEGS=${LEGS:-16}
ROUNDS=${ROUNDS:-240}
FLOODS=${FLOODS:-"0 1 2 5"}
[[ " $FLOODS " == *" 0 "* ]] || FLOODS="0 $FLOODS"
KINDS=${KINDS-"mi ufrag dtls srtp garbage"}
PERF=${PERF:-$(command -v perf >/dev/null && echo 1 || echo 0)}
RESULTS=${RESULTS-$here/RESULTS-ice.md}
cmdline="$0 $*"

PPS_WORK=$(mktemp -d /tmp/srtpfwd-ice-flood.XXXXXX)
work=$PPS_WORK
. "$here/lib/eal_mem.sh"
. "$here/lib/pps.sh"
. "$here/lib/ice_bench.sh"
trap ice_cleanup EXIT
trap 'exit 130' INT TERM

ninja -C "$BUILD" app/srtpfwd bench/srtpfwd-gen-ice >/dev/null
srtpfwd=$BUILD/app/srtpfwd
gen=$BUILD/bench/srtpfwd-gen-ice
command -v dpdk-testpmd >/dev/null || { echo "dpdk-testpmd not found (apt-get install dpdk)" >&2; exit 1; }

# Cases: F (every kind in turn, F per media packet) and k-KIND (1x, KIND only).
declare -A frames flood_of media_of
cases=
for f in $FLOODS; do cases+=" $f"; flood_of[$f]=$f; done
for k in $KINDS; do cases+=" k-$k"; flood_of[k-$k]=1; done
max_frames=0
for c in $cases; do
	f=${flood_of[$c]}
	kinds=()
	[[ "$c" == k-* ]] && kinds=(--kinds "${c#k-}")
	[ $((ROUNDS % (1 + f))) = 0 ] ||
		echo "ROUNDS=$ROUNDS is no multiple of 1 + $f: that capture is shorter" >&2
	media_of[$c]=$((LEGS * (ROUNDS / (1 + f))))
	"$gen" -o "$work/flood-$c.pcap" -c "$work/sessions.cmds" -m flood -k "$LEGS" \
		-r $((ROUNDS / (1 + f))) -f "$f" "${kinds[@]}" >&2
	frames[$c]=$((LEGS + ${media_of[$c]} * (1 + f)))
	[ "${frames[$c]}" -gt "$max_frames" ] && max_frames=${frames[$c]}
done
mbufs=$((max_frames + 32768))
mem=$((512 + mbufs * 800 / 1048576 + LEGS * 4096 / 1048576 + 256))
eal_mem_setup "$mem"
ice_config "$mbufs" "$work/ice.ini"

# srtpfwd up and forwarding: wait (at most 20 s) for all legs to be latched.
wait_latched() {
	local log=$1 i
	for ((i = 0; i < 40; i++)); do
		pps_console "show ice stats"
		sleep 0.5
		[ "$(ice_latched "$log")" -ge "$LEGS" ] && return 0
	done
	echo "srtpfwd: only $(ice_latched "$log") of $LEGS legs latched after 20 s" >&2
}

# One run of $1 (srtpfwd|testpmd) on the capture of case $2, log $3; sets
# run_media (port 1 Tx-pps) and run_in (port 0 Rx-pps).
run_one() {
	local kind=$1 c=$2 log=$3
	ice_start "$kind" "$log" "$work/flood-$c.pcap" "$mem" "$mbufs"
	pps_wait "$kind" "$log" 1 Tx-pps
	[ "$kind" = srtpfwd ] && wait_latched "$log"
	pps_window_begin "$kind" "$log"
	ice_window "$SECS" "${perf_out:-}" "$pps_pid"
	[ "$kind" = srtpfwd ] && pps_console "show ice stats" && sleep 0.3
	pps_stop
	run_media=$(pps_median "$kind" "$log" 1 Tx-pps)
	run_in=$(pps_median "$kind" "$log" 0 Rx-pps)
}

# A finished srtpfwd run of case $1 (log $2): "" or what is wrong. In the
# measured window (periodic blocks first to last), the core port must have
# sent the media share of what came in, within two loops' worth of media
# (where in its loop the capture was at either end): nothing unauthenticated
# forwarded, no media lost. Before it, while the legs latch, the capture's
# media is dropped as ice_unchecked.
check_run() {
	local c=$1 log=$2 first last
	first=$((pps_window + 1))
	last=$(pps_samples srtpfwd "$log" 0 Tx-pps | wc -l)
	python3 - "$(ice_latched "$log")" "$LEGS" "${frames[$c]}" "${media_of[$c]}" \
		"$(ice_block "$log" "$first" 0 RX-packets)" "$(ice_block "$log" "$last" 0 RX-packets)" \
		"$(ice_block "$log" "$first" 1 TX-packets)" "$(ice_block "$log" "$last" 1 TX-packets)" <<'PY'
import sys
latched, legs, frames, media, rx0, rx1, tx0, tx1 = map(int, sys.argv[1:])
bad = []
if latched < legs:
    bad.append(f'{latched} of {legs} legs latched')
media_in = (rx1 - rx0) * media / frames
out = tx1 - tx0
if abs(out - media_in) > 2 * media + 1024:
    bad.append(f'window: core sent {out}, media in about {media_in:.0f}')
print('; '.join(bad))
PY
}

uptime_before=$(uptime)
declare -A runs=() drops=() marks=()
for ((r = 1; r <= REPEAT; r++)); do
	for c in $cases; do
		tp=0
		if [[ "$c" != k-* ]]; then
			run_one testpmd "$c" "$work/tp-$c-$r.log"
			tp=$run_media
		fi
		run_one srtpfwd "$c" "$work/sf-$c-$r.log"
		bad=$(check_run "$c" "$work/sf-$c-$r.log")
		if [ -n "$bad" ]; then
			marks[$c]+=" run $r: $bad."
			echo "$c run $r: unexpected counters: $bad" >&2
		fi
		drops[$c]=$(ice_final_drops "$work/sf-$c-$r.log")
		[ "$c" = 0 ] && base=$run_media
		echo "$c run $r: testpmd io $tp pps; srtpfwd media $run_media pps, in $run_in pps" >&2
		runs[tp,$c]+="$tp "
		runs[media,$c]+="$run_media "
		runs[in,$c]+="$run_in "
		runs[ratio,$c]+="$(python3 -c "print($run_media / $base if $base else 0)") "
		runs[cost,$c]+="$(python3 -c "f = ${flood_of[$c]}; print(($base / $run_media - 1) / f if f and $run_media else 0)") "
	done
done

profile=
if [ "$PERF" = 1 ] && command -v perf >/dev/null; then
	pf=$([[ " $FLOODS " == *" 1 "* ]] && echo 1 || echo 0)
	perf_out=$work/perf.data
	run_one srtpfwd "$pf" "$work/sf-perf.log"
	perf_out=
	profile=$(ice_perf_top "$work/perf.data")
fi
uptime_after=$(uptime)

# shellcheck disable=SC2086
for c in $cases; do
	echo "$c ${flood_of[$c]}" \
		"$(printf '%s\n' ${runs[tp,$c]} | ice_median) $(printf '%s\n' ${runs[media,$c]} | ice_median)" \
		"$(printf '%s\n' ${runs[in,$c]} | ice_median) $(printf '%s\n' ${runs[ratio,$c]} | ice_median)" \
		"$(printf '%s\n' ${runs[cost,$c]} | ice_median)"
done >"$work/rows.txt"
table=$(python3 - "$work/rows.txt" <<'PY'
import sys
names = {'mi': 'STUN, wrong MESSAGE-INTEGRITY', 'ufrag': 'STUN, unknown ufrag',
         'dtls': 'DTLS ClientHello-shaped', 'srtp': 'SRTP-looking, not from the pair',
         'garbage': 'garbage'}
print('| unauthenticated per media packet | kinds | testpmd io, all packets (Mpps) | srtpfwd packets in (Mpps) | srtpfwd media out (Mpps) | media / no flood | cost of one unauthenticated / one media packet | goal |')
print('|---:|---|---:|---:|---:|---:|---:|---|')
for line in open(sys.argv[1]):
    c, f, tp, media, rx, ratio, cost = line.split()
    tp, media, rx, ratio, cost = int(tp), int(media), int(rx), float(ratio), float(cost)
    kinds = names.get(c[2:], c[2:]) + ' only' if c.startswith('k-') else ('-' if f == '0' else 'all five in turn')
    goal = ''
    if c == '1':
        goal = '>= 0.9: ' + ('met' if ratio >= 0.9 else '**not met**')
    tps = f'{tp / 1e6:.2f}' if tp else 'n/m'
    costs = f'{cost:.2f}' if f != '0' else '-'
    print(f'| {f}x | {kinds} | {tps} | {rx / 1e6:.2f} | {media / 1e6:.2f} | {ratio:.3f} | {costs} | {goal} |')
PY
)
echo "$table"

if [ -n "$RESULTS" ]; then
	{
		echo "## Media under an unauthenticated flood, one worker (\`bench/ice_flood.sh\`)"
		echo
		ice_results_head "$root" "$cmdline" "REPEAT=$REPEAT, BENCH_SECONDS=$SECS, LEGS=$LEGS, ROUNDS=$ROUNDS, FLOODS=\"$FLOODS\", KINDS=\"$KINDS\"" "$uptime_before" "$uptime_after"
		echo "* Traffic: net_pcap0 rx_pcap + infinite_rx=1 -> net_null1. $LEGS e2e sessions, ICE-lite on the access leg, latched through ICE (USE-CANDIDATE from 198.18.0.2:5000+i) before the window; per loop ($((LEGS + LEGS * ROUNDS)) frames whatever F): $LEGS nominating checks, $LEGS x $ROUNDS / (1 + F) media packets (182-byte SRTP-like, from the nominated pairs), F x as many unauthenticated from 198.18.128.0/17 (STUN wrong MI + USE-CANDIDATE, STUN unknown ufrag, DTLS ClientHello-shaped, SRTP-looking, garbage, in turn)"
		echo "* Values: Tx-pps of net_null1 (media only) and Rx-pps of net_pcap0 (everything the worker took in), median of the per-second samples ($SECS s after a warm-up second, counted from when all legs were latched), median of $REPEAT runs; media / no flood: the median of the runs' own ratios"
		echo "* Cost of one unauthenticated packet / one media packet: (no-flood / media(F) - 1) / F from each run's own rates, median over runs (the worker is saturated; at 1x, media / no flood = 1 / (1 + that cost))"
		echo "* Checked after every run (all legs latched; in the window, core TX-packets = the media share of the packets in, within two loops' media):$(for c in $cases; do [ -n "${marks[$c]:-}" ] && echo -n " **$c:${marks[$c]}**"; done; [ -z "${marks[*]:-}" ] && echo -n " all as expected")"
		echo "* Final drops of the last run by case: $(for c in $cases; do echo -n "$c: ${drops[$c]}; "; done)"
		echo
		echo "$table"
		if [ -n "$profile" ]; then
			echo
			echo "Profile of one more run at F=$pf (not in the medians): \`perf record -e cpu-clock -g -t <worker thread>\`, \`perf report --no-children --sort dso,symbol\`, over 1.5% of the worker's samples (librte_net_pcap is the generator's receive side: infinite_rx copies every packet into a new mbuf; Debian's build has no symbols for it):"
			echo
			echo '```'
			echo "$profile"
			echo '```'
		fi
	} >"$work/section.md"
	ice_results_put "$RESULTS" ice_flood.sh "$work/section.md"
	echo "wrote $RESULTS" >&2
fi
