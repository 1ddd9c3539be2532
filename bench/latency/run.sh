#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Latency inside the box: srtpfwd's RX burst -> TX burst time per packet
# (the workers' histogram, `show worker latency`) at 50 % and 90 % of the
# worker's maximum rate, for an e2e session set and an e2ae one
# (AES_CM_128_HMAC_SHA1_80, 160-byte payload, SRTP -> SRTP re-encrypt), one
# worker lcore. Per set and repeat:
#
#   max      net_pcap0 (rx_pcap, infinite_rx=1) -> srtpfwd -> net_null1: the
#            sink's Tx-pps, median of the seconds (bench/lib/pps.sh), as
#            bench/e2e_forward.sh and bench/e2ae_forward.sh measure it
#   ceiling  srtpfwd-pace-gen unpaced -> net_memif -> srtpfwd -> net_null1:
#            what srtpfwd takes through the memif (RX copies every packet)
#   LOADS    the generator paced at LOAD % of this repeat's max rate (set
#            e2e, e2ae: the issue's definition) and of its memif ceiling (set
#            e2e-memif, e2ae-memif: the memif ceiling is 0.5-0.65 of the net_pcap
#            max here, so "90 % of max" cannot be offered: a saturated worker)
#
#   srtpfwd-pace-gen (bench/latency/pace_gen.c; lcore 0, its own net_pcap
#   rx_pcap + infinite_rx=1) --memif client--> net_memif0 (server, srtpfwd's
#   access port; lcore 1 = its one worker) -> net_null1
#
# A paced run: sessions are added (--cmdline-file), the generator connects,
# WARMUP s of traffic, then `clear worker stats` (the latency histogram
# included) and a mark of the generator's TX counter (SIGUSR1), BENCH_SECONDS
# later `show worker latency` and a second mark; the console is a fifo
# (bench/lib/pps.sh). Offered = packets the memif accepted in the window / s
# (what the generator reached, next to the target); delivered = the sink's
# TX packets in the window / s; loss = whole run, generator sent + refused
# against the sink's final count. Values: medians over REPEAT repeats.
#
# Usage: bench/latency/run.sh [build-dir]     (root for hugepages; from anywhere)
# Env:   QUICK=1 (REPEAT=1, BENCH_SECONDS=2, WARMUP=1, CEILING=0, LOAD_BASE=max: about 40 s),
#        REPEAT (3),
#        BENCH_SECONDS (5), WARMUP (2), SETS ("e2e e2ae"), LOADS ("50 90"),
#        E2E_FLOWS (1000), SESSIONS (64, e2ae), BURST (32, the generator's largest),
#        DEPTH (4: the generator's token bucket holds DEPTH bursts),
#        CEILING (1: also measure the memif ceiling; 0: not), LOAD_BASE ("max ceiling":
#        the loads as % of the net_pcap max rate (the sets e2e, e2ae) and as % of the memif
#        ceiling (the sets e2e-memif, e2ae-memif)), HUGE (auto, bench/lib/eal_mem.sh),
#        RESULTS (bench/latency/RESULTS.md; empty: do not write),
#        TABLE_CSV (bench/latency/results.csv), CSV (append bench/run rows
#        "latency,SET,pN,LOAD,US,us"; empty: none)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
BUILD=$(cd "${1:-$root/build}" && pwd)
cmdline="$0 $*"
if [ "${QUICK:-0}" = 1 ]; then
	# The issue's loads (of the net_pcap max rate) only: no memif ceiling, no loads of it.
	REPEAT=${REPEAT:-1}
	BENCH_SECONDS=${BENCH_SECONDS:-2}
	WARMUP=${WARMUP:-1}
	CEILING=${CEILING:-0}
	LOAD_BASE=${LOAD_BASE:-max}
fi
REPEAT=${REPEAT:-3}
SECS=${BENCH_SECONDS:-5}
WARMUP=${WARMUP:-2}
SETS=${SETS:-"e2e e2ae"}
LOADS=${LOADS:-"50 90"}
E2E_FLOWS=${E2E_FLOWS:-1000}
SESSIONS=${SESSIONS:-64}
BURST=${BURST:-32}
DEPTH=${DEPTH:-4}
CEILING=${CEILING:-1}
LOAD_BASE=${LOAD_BASE:-"max ceiling"}
RESULTS=${RESULTS-$here/RESULTS.md}
TABLE_CSV=${TABLE_CSV:-$here/results.csv}
CSV=${CSV:-}
PROFILE=AES_CM_128_HMAC_SHA1_80
SIZE=160
PY=/usr/bin/python3

PPS_WORK=$(mktemp -d /tmp/srtpfwd-latency.XXXXXX)
work=$PPS_WORK
gen_pid=
# shellcheck source=bench/lib/pps.sh
. "$root/bench/lib/pps.sh"
# shellcheck source=bench/lib/eal_mem.sh
. "$root/bench/lib/eal_mem.sh"
cleanup() {
	if [ -n "$gen_pid" ]; then
		kill -INT "$gen_pid" 2>/dev/null || true
		wait "$gen_pid" 2>/dev/null || true
	fi
	pps_cleanup
	rm -rf "$work"
	eal_mem_restore
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ninja -C "$BUILD" app/srtpfwd bench/srtpfwd-gen-flows >/dev/null
srtpfwd=$BUILD/app/srtpfwd
flowgen=$BUILD/bench/srtpfwd-gen-flows
# Not in bench/meson.build (yet): built here, into the build folder.
pace=$BUILD/bench/latency/srtpfwd-pace-gen
if [ ! -x "$pace" ] || [ "$here/pace_gen.c" -nt "$pace" ]; then
	mkdir -p "$(dirname "$pace")"
	# shellcheck disable=SC2046
	cc -O2 -march=native -Wall -Wextra -DALLOW_EXPERIMENTAL_API $(pkg-config --cflags libdpdk) \
		"$here/pace_gen.c" -o "$pace" $(pkg-config --libs libdpdk)
fi

A_PORT=20000	# first local port on access (the capture's destinations)
B_PORT=30000	# first local port on core
SF_MB=1024
GEN_MB=256
uid=$$
eal_mem_setup $((SF_MB + GEN_MB))

# ---------------------------------------------------------------- the two sets
declare -A FLOWS_OF ROOM_OF ENGINE_OF
FLOWS_OF[e2e]=$E2E_FLOWS
FLOWS_OF[e2ae]=$SESSIONS
# mbuf data rooms and engines as bench/e2e_forward.sh and bench/e2ae_forward.sh run them.
ROOM_OF[e2e]=512
ROOM_OF[e2ae]=2048
ENGINE_OF[e2e]=libsrtp	# e2e needs no crypto
ENGINE_OF[e2ae]=cryptodev
key_a=$(head -c 30 /dev/urandom | base64 -w0)
key_b=$(head -c 30 /dev/urandom | base64 -w0)

# srtpfwd configuration of set $1 with access port $2 -> $3
set_config() {
	local flows=${FLOWS_OF[$1]}
	cat >"$3" <<EOF
# latency benchmark, $1: $flows sessions, traffic into 'access' ($2), out of 'core' (net_null1).
[general]
max-sessions = $((flows < 1024 ? 1024 : flows))
mbufs = $((flows + 32768))
mbuf-data-room = ${ROOM_OF[$1]}
srtp-contexts = $((4 * flows + 64))

[interface access]
exposed = no
port = $2
mac = 02:00:00:00:00:01
media-ports = 10000-59999
ipv4 = 198.18.1.1/15

[interface core]
exposed = no
port = net_null1
mac = 02:00:00:00:01:01
media-ports = 10000-59999
neighbour = 198.19.0.2 02:00:00:00:01:02
ipv4 = 198.19.1.1/15
EOF
}

for set in $SETS; do
	flows=${FLOWS_OF[$set]:-}
	[ -n "$flows" ] || { echo "SETS: '$set' is neither e2e nor e2ae" >&2; exit 2; }
	set_config "$set" net_pcap0 "$work/$set-pcap.ini"
	set_config "$set" net_memif0 "$work/$set-memif.ini"
	line="a-remote=198.18.0.2:5000 a-latch=strict b-remote=198.19.0.2:6000 count=$flows"
	if [ "$set" = e2e ]; then
		echo "session add e2e access $A_PORT core $B_PORT $line" >"$work/$set.cmds"
		"$flowgen" -o "$work/$set.pcap" -n "$flows" -s "$SIZE" -p "$A_PORT-59999" >&2
	else
		# The capture loops: replay-check=off (as bench/e2ae_forward.sh); one packet
		# per session, protected with key A by libsrtp2.
		echo "session add e2ae access $A_PORT core $B_PORT $line a-rx=$PROFILE:inline:$key_a" \
			"b-tx=$PROFILE:inline:$key_b replay-check=off" >"$work/$set.cmds"
		"$flowgen" -o "$work/$set.pcap" -n "$flows" -s "$SIZE" -p "$A_PORT-59999" \
			--srtp "$PROFILE:$key_a" >&2
	fi
done

# ---------------------------------------------------------------- runs
# srtpfwd of set $1 with access vdev $2, config kind $3 (pcap|memif), log $4, tag $5,
# more srtpfwd options after; console on a fifo (pps.sh).
sf_start() {
	local set=$1 vdev=$2 kind=$3 log=$4 tag=$5
	shift 5
	# shellcheck disable=SC2046
	pps_start srtpfwd "$log" "$srtpfwd" $(eal_mem_args "$SF_MB" "lat-sf-$uid-$tag") --no-pci \
		-l 0-1 --log-level='*:warning' --vdev "$vdev" --vdev net_null1,no-rx=1 -- \
		--config "$work/$set-$kind.ini" --cmdline-file "$work/$set.cmds" --duration 600 \
		--srtp-engine "${ENGINE_OF[$set]}" "$@"
}

# Until test $2 holds (what: $1), or 60 s; the process $3 (log $4) must live.
wait_for() {
	local what=$1 cond=$2 pid=$3 log=$4 i
	for ((i = 0; i < 300; i++)); do
		eval "$cond" && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.2
	done
	echo "no $what (waited for: $cond); the log $log:" >&2
	tail -20 "$log" >&2
	exit 1
}

# The worker's drops of a finished srtpfwd run (final counters).
final_drops() {
	awk '{ sub(/^(srtpfwd> *)+/, "") } /final counters/ { f = 1 }
	     f && $1 == "worker" { for (i = 1; i < NF; i++) if ($i == "dropped") d += $(i + 1) }
	     END { print d + 0 }' "$1"
}

# The maximum rate of set $1 in repeat $2: sets max_pps (the sink's median
# Tx-pps) and max_drops. No subshells: the EXIT trap must see every process.
max_run() {
	local log=$work/$1-max-$2.log
	sf_start "$1" "net_pcap0,rx_pcap=$work/$1.pcap,infinite_rx=1,tx_pcap=/dev/null,tx_pcap=/dev/null" \
		pcap "$log" "max-$1-$2" --stats-period 1
	pps_wait srtpfwd "$log" 1 Tx-pps
	pps_window_begin srtpfwd "$log"
	sleep $((SECS + 1))
	pps_stop
	max_drops=$(final_drops "$log")
	max_pps=$(pps_median srtpfwd "$log" 1 Tx-pps)
}

# A paced run of set $1 at $2 pps (0: unpaced), tag $3: sets run_line (parse_run.py's).
paced_run() {
	local set=$1 rate=$2 tag=$3 sock=$work/$3.sock
	local log=$work/$tag-sf.log glog=$work/$tag-gen.log
	# shellcheck disable=SC2154	# pps_pid: set by pps_start
	sf_start "$set" "net_memif0,role=server,socket=$sock,socket-abstract=no" memif "$log" "$tag"
	wait_for "sessions" "grep -qs 'sessions created' '$log'" "$pps_pid" "$log"
	# The memif client needs the server's socket at its start.
	wait_for "memif socket" "[ -S '$sock' ]" "$pps_pid" "$log"
	# shellcheck disable=SC2046
	"$pace" $(eal_mem_args "$GEN_MB" "lat-gen-$uid-$tag") --no-pci -l 0 --log-level='*:warning' \
		--vdev "net_pcap0,rx_pcap=$work/$set.pcap,infinite_rx=1,tx_pcap=/dev/null" \
		--vdev "net_memif0,role=client,socket=$sock,socket-abstract=no" -- \
		--rate "$rate" --burst "$BURST" --depth "$DEPTH" --seconds $((WARMUP + SECS + 1)) >"$glog" 2>&1 &
	gen_pid=$!
	wait_for "generator link" "grep -qs 'link up' '$glog'" "$gen_pid" "$glog"
	sleep "$WARMUP"
	pps_console "show port stats all"
	pps_console "clear worker stats"
	kill -USR1 "$gen_pid"
	sleep "$SECS"
	kill -USR1 "$gen_pid"
	pps_console "show worker latency"
	pps_console "show port stats all"
	# srtpfwd stops first: the generator stays connected, idle, until told (pace_gen.c).
	wait_for "generator end" "grep -qs 'pace-gen: done' '$glog'" "$gen_pid" "$glog"
	sleep 0.5	# what is still in the memif ring
	pps_stop
	kill -INT "$gen_pid"
	wait "$gen_pid" || { echo "generator failed; its log:" >&2; tail -20 "$glog" >&2; exit 1; }
	gen_pid=
	run_line=$("$PY" "$here/parse_run.py" "$log" "$glog")
}

# Each repeat: the max rate, the memif ceiling, then each load of each base.
runs=$work/runs.txt
: >"$runs"
t0=$(date +%s)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
# CPU time the hypervisor gave to others (steal) while this ran, of all CPU time.
cpu_times() { awk '/^cpu / { print $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat; }
read -r steal0 total0 <<<"$(cpu_times)"
note() { echo "[$(($(date +%s) - t0)) s] $*" >&2; }
for ((r = 1; r <= REPEAT; r++)); do
	for set in $SETS; do
		max_run "$set" "$r"
		echo "max $set $r $max_pps $max_drops" >>"$runs"
		note "$set repeat $r: max $max_pps pps (net_pcap), $max_drops dropped"
		[ "$max_pps" -gt 0 ] || { echo "$set: no maximum rate" >&2; exit 1; }
		ceil_pps=0
		if [ "$CEILING" = 1 ]; then
			paced_run "$set" 0 "$set-ceiling-$r"
			echo "run $set ceiling $r 0 $run_line" >>"$runs"
			note "$set repeat $r: memif ceiling: $run_line"
			ceil_pps=$(awk '{ printf "%d", $3 }' <<<"$run_line")
		fi
		for base in $LOAD_BASE; do
			case $base in
			max) name=$set base_pps=$max_pps ;;
			ceiling) name=$set-memif base_pps=$ceil_pps ;;
			*) echo "LOAD_BASE: '$base' is neither max nor ceiling" >&2; exit 2 ;;
			esac
			[ "$base_pps" -gt 0 ] || { echo "LOAD_BASE=ceiling needs CEILING=1" >&2; exit 2; }
			for load in $LOADS; do
				rate=$((base_pps * load / 100))
				paced_run "$set" "$rate" "$name-$load-$r"
				echo "run $name $load $r $rate $run_line" >>"$runs"
				note "$name repeat $r: $load % of $base = $rate pps: $run_line"
			done
		done
	done
done
elapsed=$(($(date +%s) - t0))
read -r steal1 total1 <<<"$(cpu_times)"
steal_pct=$(awk -v s=$((steal1 - steal0)) -v t=$((total1 - total0)) 'BEGIN { printf "%.1f", t ? 100 * s / t : 0 }')

# ---------------------------------------------------------------- report
tbl=$("$PY" "$here/summarize.py" "$runs" "$TABLE_CSV" ${CSV:+"$CSV"})
echo "$tbl"
echo "wrote $TABLE_CSV" >&2
[ -n "$RESULTS" ] || exit 0
host_cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
{
	echo "# Latency inside the box at 50 % and 90 % of the maximum rate"
	echo
	echo "Generated by \`bench/latency/run.sh\`; rerun it to reproduce. The section \"Reading it\" is written by hand and kept from the previous file."
	echo
	echo "* Command: \`$cmdline\` (QUICK=${QUICK:-0}, REPEAT=$REPEAT, BENCH_SECONDS=$SECS, WARMUP=$WARMUP, SETS=\"$SETS\", LOADS=\"$LOADS\", E2E_FLOWS=$E2E_FLOWS, SESSIONS=$SESSIONS, BURST=$BURST, DEPTH=$DEPTH, LOAD_BASE=\"$LOAD_BASE\", CEILING=$CEILING)"
	echo "* Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "* Commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD -- lib app 2>/dev/null || echo ' (lib/ or app/ modified in the working tree)')"
	echo "* Machine: $(nproc) CPUs, $host_cpu, load average at the start $load_start, CPU steal during the runs $steal_pct %, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), EAL memory: $(eal_mem_describe), srtpfwd -m $SF_MB, generator -m $GEN_MB"
	echo "* DPDK $(pkg-config --modversion libdpdk 2>/dev/null || echo unknown); srtpfwd: lcore 0 control, lcore 1 the one worker; the generator: lcore 0 (the CPU of srtpfwd's control lcore, which sleeps when idle)"
	echo "* Sets: e2e = $E2E_FLOWS e2e sessions (--srtp-engine libsrtp, no crypto), e2ae = $SESSIONS e2ae sessions $PROFILE, $SIZE-byte payload, SRTP -> SRTP re-encrypt (--srtp-engine cryptodev, replay-check=off: the capture loops); one packet per session in the capture (srtpfwd-gen-flows, 224-byte frames), a-latch=strict"
	echo "* Max rate: net_pcap0 rx_pcap + infinite_rx=1 -> srtpfwd -> net_null1, Tx-pps of the sink, median of the per-second samples ($SECS s after the first one); worker timing on, as in the paced runs"
	echo "* Paced runs: bench/latency/pace_gen.c (srtpfwd-pace-gen: its own net_pcap infinite_rx, TSC token bucket $DEPTH bursts deep, at most $BURST packets a TX call: a gap shorter than the bucket is caught up with back-to-back bursts, a longer one loses its credit; refused packets dropped and counted, 1 us back-off after a refusal: polling a full ring slows its reader) -> net_memif (copy mode, generator = client, srtpfwd's access port = server; the generator stays connected until srtpfwd has stopped: DPDK 22.11's memif segfaulted in the worker's RX burst when the client left first) -> srtpfwd -> net_null1; $WARMUP s warm-up, then \`clear worker stats\` and $SECS s measured, then \`show worker latency\` (line \"all\")"
	echo "* Offered = packets the memif accepted in the window / s (the generator's own TX counter between two marks); target = LOAD % of the same repeat's max rate; \"not reached\" below 98 % of it; delivered = the sink's TX packets in the window / s; loss = whole run, (generator sent + refused - sink TX) / (sent + refused); \"refused\" = the memif ring was full (srtpfwd did not keep up)"
	echo "* The memif ceiling: the generator unpaced (unsent packets retried): the most srtpfwd takes through the memif. It is below the net_pcap max because the memif RX copies every packet out of a ring that the other core wrote (its cache lines come from that core), where net_pcap copies from memory the worker itself keeps warm; a target above the ceiling cannot be offered, and such a run measures a saturated worker (packets refused at a full ring)"
	echo "* Loads: LOAD % of the same repeat's net_pcap max rate (sets e2e, e2ae: the issue's definition) and of its memif ceiling (e2e-memif, e2ae-memif: loads the memif can offer)"
	echo "* Values: medians over $REPEAT repeat(s) of each column separately; every repeat in \`$(basename "$TABLE_CSV")\`; the runs took $elapsed s"
	echo
	echo "$tbl"
	echo
	echo "## What the latency includes"
	echo
	echo "* From the TSC read at the worker's RX burst to the rte_eth_tx_burst that sent the packet (lib/fwd/fwd_timing.h): parsing, lookup, SRTP, header rewrite, and the wait in the TX buffer up to the port flush at the end of the loop pass. Not included: time in the memif ring before the RX burst (queueing when the worker is behind: a saturated run can show small in-box latency while its ring is full and packets are refused), NIC or wire time, anything after the TX call."
	echo "* The percentiles are the upper bounds of log buckets (4 per power of two: up to 25 % above the true value); max is the upper bound of the highest bucket seen."
	echo "* On this $(nproc)-CPU VM the generator and srtpfwd share the host: the generator busy-polls the CPU of srtpfwd's control lcore (and of this script), the worker has the other one; a generator preempted for longer than its bucket's depth loses that credit (no flood after it), which shows as attempted below target. Host noise (other guests, timer ticks, other work on the VM) reaches p99.9 and max first: a max in milliseconds is a preempted worker, not srtpfwd's code path."
	# The hand-written reading of the numbers stays (to be updated by hand).
	if [ -f "$RESULTS" ] && grep -q '^## Reading it' "$RESULTS"; then
		echo
		sed -n '/^## Reading it/,$p' "$RESULTS"
	fi
} >"$work/results.md"
mv "$work/results.md" "$RESULTS"
echo "wrote $RESULTS" >&2
