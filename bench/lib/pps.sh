# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
# Per-second port rates of one srtpfwd or dpdk-testpmd run, for the ICE-lite
# benchmarks (bench/ice_stun.sh, bench/ice_flood.sh): the conventions of
# bench/e2e_forward.sh (--stats-period 1, the first sample of the window is
# warm-up, the last one is cut by SIGINT, the median of the rest).
#
#   . bench/lib/pps.sh
#   pps_start KIND LOG CMD...      # KIND srtpfwd|testpmd; srtpfwd gets a console on a fifo
#   pps_wait KIND LOG PORT FIELD   # until FIELD (Tx-pps|Rx-pps) of PORT is non-zero
#   pps_console CMD                # srtpfwd only: one console command, output in LOG
#   pps_window_begin KIND LOG      # the measured window starts at the next sample
#   pps_stop                       # SIGINT, then wait (KILL after 20 s)
#   pps_median KIND LOG PORT FIELD # median of the window's samples (0: none)
#   pps_cleanup                    # in the EXIT trap
# Needs $PPS_WORK (a scratch folder) set before pps_start.

pps_pid=
pps_window=0
pps_fifo=

# Per-second FIELD samples of PORT, one a line (periodic blocks only).
pps_samples() {
	local kind=$1 log=$2 port=$3 field=$4
	if [ "$kind" = testpmd ]; then
		awk -v port="$port" -v f="$field:" \
			'/NIC statistics for port/ { p = $(NF-1) }
			 $1 == f && p == port { print $2 }' "$log"
	else
		awk -v port="$port" -v f="$field:" \
			'{ sub(/^(srtpfwd> *)+/, "") }	# the console prompt
			 /final counters/ { exit }
			 /######## port [0-9]+ statistics/ { p = $3 }
			 $1 == f && p == port { print $2 }' "$log"
	fi
}

pps_start() {
	local kind=$1 log=$2
	shift 2
	pps_window=0
	: >"$log"	# pps_wait may read it before the command opens it
	if [ "$kind" = srtpfwd ]; then
		pps_fifo=$PPS_WORK/console.fifo
		rm -f "$pps_fifo"
		mkfifo "$pps_fifo"
		"$@" -i <"$pps_fifo" >"$log" 2>&1 &
		pps_pid=$!
		# Held open for writing so that the console never sees end of file.
		exec {pps_fd}>"$pps_fifo"
	else
		"$@" </dev/null >"$log" 2>&1 &
		pps_pid=$!
	fi
}

pps_wait() {
	local kind=$1 log=$2 port=$3 field=$4 waited=0
	while ! pps_samples "$kind" "$log" "$port" "$field" | awk '$1 > 0 { f = 1 } END { exit !f }'; do
		if ! kill -0 "$pps_pid" 2>/dev/null; then
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
}

pps_console() {
	echo "$*" >&"$pps_fd"
}

pps_window_begin() {
	pps_window=$(pps_samples "$1" "$2" 0 Tx-pps | wc -l)
}

pps_stop() {
	local i=0
	kill -INT "$pps_pid" 2>/dev/null || true
	while kill -0 "$pps_pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.2; i=$((i + 1)); done
	kill -KILL "$pps_pid" 2>/dev/null || true
	wait "$pps_pid" 2>/dev/null || true
	pps_pid=
	if [ -n "$pps_fifo" ]; then
		exec {pps_fd}>&-
		rm -f "$pps_fifo"
		pps_fifo=
	fi
}

pps_median() {
	pps_samples "$@" | python3 -c '
import statistics, sys
v = [int(x) for x in sys.stdin.read().split()][int(sys.argv[1]):]
v = v[1:-1]          # first sample of the window: warm-up; last: cut by SIGINT
print(int(statistics.median(v)) if v else 0)' "$pps_window"
}

pps_cleanup() {
	if [ -n "$pps_pid" ] && kill -0 "$pps_pid" 2>/dev/null; then
		kill -INT "$pps_pid" 2>/dev/null || true
		sleep 2
		kill -KILL "$pps_pid" 2>/dev/null || true
	fi
}
