# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
# What bench/ice_stun.sh and bench/ice_flood.sh share: srtpfwd's
# configuration, the final counters of a run, the host's state, and their
# sections of bench/RESULTS-ice.md.
#
#   ice_config MBUFS OUT          access (net_pcap0, exposed: the default) and core (net_null1)
#   ice_start KIND LOG CAPTURE MEM MBUFS [TESTPMD_ARG...]
#                                 srtpfwd ($srtpfwd, $PPS_WORK/ice.ini, $PPS_WORK/sessions.cmds)
#                                 or testpmd io, on lcores 0-1, CAPTURE looped into net_pcap0
#   ice_final LOG worker|control FIELD   a counter of the final counters' lcore line
#   ice_final_port LOG PORT FIELD        RX-packets, TX-packets, ... of the final counters
#   ice_final_drops LOG           "reason count, ..." of the final counters ("none")
#   ice_latched LOG               ICE legs latched, as the last `show ice stats` in LOG says
#   ice_block LOG N PORT FIELD    RX-packets, TX-packets, ... of PORT in the N-th periodic block
#   ice_perf_record OUT SECS PID  perf record of srtpfwd PID's worker thread
#   ice_perf_top DATA             its symbols over 1.5% of the thread's samples
#   ice_window SECS [PERF_OUT PID] the measured window: sleep, or perf record the worker
#   ice_median                    the median of the numbers on stdin
#   ice_cleanup                   in the EXIT trap (pps_cleanup, $PPS_WORK, hugepages)
#   ice_results_head ROOT CMDLINE PARAMS UPTIME_BEFORE UPTIME_AFTER
#                                 the lines every section starts with
#   ice_results_put FILE NAME BODY  replace NAME's section of FILE with the file BODY
#                                   (appended when FILE has none), keep the rest

ice_config() {
	cat >"$2" <<EOF
# ICE-lite benchmark: sessions from the generator's commands, capture replayed
# into 'access' (net_pcap, exposed: ICE legs), media out of 'core' (net_null).
[general]
max-sessions = 16384
mbufs = $1
mbuf-data-room = 512

[interface access]
port = net_pcap0
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

ice_start() {
	local kind=$1 log=$2 cap=$3 mem=$4 mbufs=$5 v
	shift 5
	# shellcheck disable=SC2054
	v=(--vdev "net_pcap0,rx_pcap=$cap,infinite_rx=1,tx_pcap=/dev/null,tx_pcap=/dev/null"
	   --vdev net_null1,no-rx=1)
	if [ "$kind" = testpmd ]; then
		# shellcheck disable=SC2046
		pps_start testpmd "$log" dpdk-testpmd $(eal_mem_args "$mem" "ice-tp-$$") --no-pci \
			-l 0-1 --log-level='*:warning' "${v[@]}" -- --forward-mode=io "$@" \
			--stats-period 1 --nb-cores=1 --rxq=1 --txq=1 \
			--total-num-mbufs="$mbufs" --mbuf-size=512
	else
		# shellcheck disable=SC2046,SC2154
		pps_start srtpfwd "$log" "$srtpfwd" $(eal_mem_args "$mem" "ice-sf-$$") --no-pci \
			-l 0-1 --log-level='*:warning' "${v[@]}" -- --config "$PPS_WORK/ice.ini" \
			--cmdline-file "$PPS_WORK/sessions.cmds" --stats-period 1 --duration 600 \
			--srtp-engine libsrtp
	fi
}

ice_final() {
	awk -v who="$2" -v f="$3" '{ sub(/^(srtpfwd> *)+/, "") }	# the console prompt
		/final counters/ { on = 1 }
		on && $1 == who { for (i = 1; i < NF; i++) if ($i == f) print $(i + 1) }' "$1" | head -1
}

ice_final_port() {
	awk -v port="$2" -v f="$3:" '{ sub(/^(srtpfwd> *)+/, "") }
		/final counters/ { on = 1 }
		on && /######## port [0-9]+ statistics/ { p = $3 }
		on && p == port { for (i = 1; i < NF; i++) if ($i == f) print $(i + 1) }' "$1" |
		head -1
}

ice_final_drops() {
	awk '{ sub(/^(srtpfwd> *)+/, "") }
	     /final counters/ { on = 1 }
	     on && /drops by reason/ { d = 1; next }
	     on && d && NF == 2 { s = s (s == "" ? "" : ", ") $1 " " $2 }
	     END { print s == "" ? "none" : s }' "$1"
}

ice_block() {
	awk -v n="$2" -v port="$3" -v f="$4:" '{ sub(/^(srtpfwd> *)+/, "") }
		/final counters/ { exit }
		/######## port 0 statistics/ { b++ }
		/######## port [0-9]+ statistics/ { p = $3 }
		b == n && p == port { for (i = 1; i < NF; i++) if ($i == f) print $(i + 1) }' "$1" |
		head -1
}

ice_latched() {
	awk '{ sub(/^(srtpfwd> *)+/, "") } $1 == "legs" && $3 == "latched" { n = $4 }
	     END { print n + 0 }' "$1"
}

ice_perf_record() {
	local out=$1 secs=$2 pid=$3 tid
	tid=$(grep -l '^rte-worker' /proc/"$pid"/task/*/comm | head -1 | cut -d/ -f5)
	# The worker thread only: other work on the host shares its CPU.
	perf record -q -e cpu-clock -F 4999 -g -t "$tid" -o "$out" -- sleep "$secs" \
		>/dev/null 2>&1
}

ice_perf_top() {
	perf report -i "$1" --stdio --no-children --sort dso,symbol --percent-limit 1.5 \
		2>/dev/null | grep -E '^ +[0-9.]+%' | sed 's/ *- *- *$//' | head -25
}

ice_window() {
	if [ -n "${2:-}" ]; then
		ice_perf_record "$2" "$1" "$3"
		sleep 1
	else
		sleep $(($1 + 2))
	fi
}

ice_median() {
	sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

ice_cleanup() {
	pps_cleanup
	rm -rf "$PPS_WORK"
	eal_mem_restore
}

ice_results_head() {
	local root=$1 commit
	commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
	git -C "$root" diff --quiet HEAD -- lib app 2>/dev/null ||
		commit+=" (lib/ or app/ modified in the working tree)"
	echo "* Command: \`$2\` ($3)"
	echo "* Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "* Commit: $commit"
	echo "* Machine: $(nproc) CPUs, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)," \
		"$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), EAL memory: $(eal_mem_describe)"
	echo "* \`uptime\` before: \`$4\`; after: \`$5\` (other work on the host shares its CPUs)"
	echo "* DPDK $(pkg-config --modversion libdpdk 2>/dev/null || echo unknown); lcore 0 control, lcore 1 the one worker (testpmd: --nb-cores=1)"
}

ice_results_put() {
	local file=$1 name=$2 body=$3 begin end
	begin="<!-- $name: begin (generated; the script replaces this section) -->"
	end="<!-- $name: end -->"
	if [ ! -f "$file" ]; then
		printf '# ICE-lite benchmarks\n\nSections written by bench/ice_stun.sh and bench/ice_flood.sh;\nnotes outside them are kept.\n' >"$file"
	fi
	python3 - "$file" "$begin" "$end" "$body" <<'PY'
import sys
path, begin, end, body = sys.argv[1:5]
text = open(path).read()
new = begin + "\n" + open(body).read().rstrip("\n") + "\n" + end
if begin in text and end in text:
    a = text.index(begin)
    b = text.index(end) + len(end)
    text = text[:a] + new + text[b:]
else:
    text = text.rstrip("\n") + "\n\n" + new + "\n"
open(path, "w").write(text)
PY
}
