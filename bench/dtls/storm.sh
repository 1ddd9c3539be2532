#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# DTLS-SRTP handshake storm through the forwarder (the issue's benchmark):
# completed handshakes per second on the one control lcore, and what an
# established media stream on the worker loses meanwhile.
#
#   ns A (198.18.0.2) ==veth== [net_af_packet0 access 198.18.0.1]   srtpfwd
#   ns B (198.19.0.2) ==veth== [net_af_packet1 core   198.19.0.1]   (control lcore
#                                                                    + 1 worker)
#
# * LEGS e2ae sessions with a passive DTLS-SRTP leg a (198.18.0.1:20000..,
#   all expecting storm_client's certificate fingerprint), b plain RTP.
# * One more e2ae session, a: SDES AES_CM_128_HMAC_SHA1_80 in, b: plain RTP
#   out to B: storm_media sends MEDIA_PPS SRTP packets/s from A for
#   PRE + DURATION + POST seconds, the worker decrypts, B counts indexes.
# * PRE seconds after the media starts, storm_client (ns A, CLIENT_PROCS
#   processes, INFLIGHT handshakes in flight each) runs full DTLS 1.2
#   handshakes (ECDSA P-256 client certificate, use_srtp
#   SRTP_AES128_CM_SHA1_80, keying material exported) on fresh legs for
#   DURATION seconds.
# * Measured per run: the client's completed handshakes/s; the box's
#   (handshakes_completed from `show dtls stats` at storm start and end, /
#   DURATION); the control lcore thread's CPU time in the storm
#   (/proc/.../schedstat, utime/stime) and so its µs per handshake and the
#   rate it alone would reach; the media sent/received/lost and the
#   worker's drops. REPEAT runs (fresh forwarder each), medians.
# * In the same run, the engine-level baseline: bench/dtls/run.sh
#   (box-only hs/s as server, BASE_REPEAT x BASE_MS) on the control CPU,
#   before and after the storms (this VM's speed drifts by minutes): the
#   median of every baseline run.
# * PERF=1 (default when perf exists): one extra storm, not in the
#   medians, with `perf record --call-graph dwarf` on the control lcore
#   thread: top symbols, and the share of its samples (and so of its µs
#   per handshake) under OpenSSL's handshake (dtls_conn_input), SRTP set-up
#   (session_leg_install_srtp), latching, datagram TX, idle sleeps, the rest.
#
# usage: bench/dtls/storm.sh [build-dir]   (root; from the repo root; < 5 min)
# Env: REPEAT (3), DURATION (10 s), PRE (2 s), POST (1 s), LEGS (20000),
#      INFLIGHT (64), CLIENT_PROCS (1), MEDIA_PPS (10000), ENGINE (cryptodev
#      or libsrtp; cryptodev), CTL_CPU (0), WORKER_CPU (1), CLIENT_CPUS and
#      MEDIA_CPUS (by the CPUs online: 2 CPUs: 0 and 0, sharing the control
#      lcore's; 3: 2 and 2; N >= 4: 2..N-2 with CLIENT_PROCS N-3, and N-1:
#      the load generator must not share the control lcore's CPU for the
#      box's own rate to show, since a handshake costs it as much as the box),
#      BASE_REPEAT (3), BASE_MS (1000), PERF (1 if perf
#      exists), WAIT_QUIET (0: seconds in all, at most, to wait before the
#      runs for other srtpfwd processes on this machine to end), MEM (EAL
#      -m, 4096: the cryptodev session pool is sized for srtp-contexts),
#      STORM_KEEP (1: keep the work directory), FRAMECNT (4096: frames of each
#      net_af_packet ring, as many as a NIC's RX ring; with 512, a worker kept
#      off its CPU ~40 ms by another process overflows the ring, the kernel
#      rolls the flow over to the other queue and the reordering becomes
#      srtp_replay drops).
# Other srtpfwd processes on the machine (shared test VMs) take CPU from
# ours: each run reports how many there were ("foreign") and how long our
# control lcore and worker threads waited for their CPU ("waiting").
set -uo pipefail

BUILD=${1:-build}
REPEAT=${REPEAT:-3}
DURATION=${DURATION:-10}
PRE=${PRE:-2}
POST=${POST:-1}
LEGS=${LEGS:-20000}
INFLIGHT=${INFLIGHT:-64}
NCPU=$(getconf _NPROCESSORS_ONLN)
if [ "$NCPU" -ge 4 ]; then
	CLIENT_PROCS=${CLIENT_PROCS:-$((NCPU - 3))}
	CLIENT_CPUS=${CLIENT_CPUS:-2-$((NCPU - 2))}
	MEDIA_CPUS=${MEDIA_CPUS:-$((NCPU - 1))}
elif [ "$NCPU" -eq 3 ]; then
	CLIENT_CPUS=${CLIENT_CPUS:-2}
	MEDIA_CPUS=${MEDIA_CPUS:-2}
fi
CLIENT_PROCS=${CLIENT_PROCS:-1}
MEDIA_PPS=${MEDIA_PPS:-10000}
ENGINE=${ENGINE:-cryptodev}
CTL_CPU=${CTL_CPU:-0}
WORKER_CPU=${WORKER_CPU:-1}
CLIENT_CPUS=${CLIENT_CPUS:-0}
MEDIA_CPUS=${MEDIA_CPUS:-0}
BASE_REPEAT=${BASE_REPEAT:-3}
BASE_MS=${BASE_MS:-1000}
WAIT_QUIET=${WAIT_QUIET:-0}
MEM=${MEM:-4096}
FRAMECNT=${FRAMECNT:-4096}
if [ -z "${PERF:-}" ]; then
	command -v perf >/dev/null 2>&1 && PERF=1 || PERF=0
fi
TARGET=3000

die() { echo "storm: $*" >&2; echo "storm: FAILED: $*"; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (network namespaces)"
[ -f "$BUILD/build.ninja" ] || die "no build in '$BUILD' (scripts/build.sh $BUILD)"
[ "$LEGS" -ge 1 ] && [ "$LEGS" -le 30000 ] || die "LEGS must be 1..30000"
T_BEGIN=$(date +%s)
# This script's own commands (sed, awk, sleep, perf) stay off the worker's CPU.
taskset -pc "$CLIENT_CPUS" $$ >/dev/null || die "taskset"

ID=$(( $$ % 100000 ))
NSA=stmA$ID
NSB=stmB$ID
VA=stmVA$ID	# root side (forwarder), access
VB=stmVB$ID	# root side (forwarder), core
PA=stmPA$ID	# in ns A
PB=stmPB$ID	# in ns B
W=$(mktemp -d /tmp/stm.XXXXXX)
PIDS=()
FWD_PID=

cleanup() {
	local p
	[ "$BASHPID" = "$$" ] || return	# not in subshells (pipelines): only the script itself cleans up
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	if [ -n "$FWD_PID" ]; then
		kill -INT "$FWD_PID" 2>/dev/null
		for _ in $(seq 1 50); do kill -0 "$FWD_PID" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$FWD_PID" 2>/dev/null
		wait "$FWD_PID" 2>/dev/null
	fi
	exec 3>&- 2>/dev/null
	ip netns del "$NSA" 2>/dev/null
	ip netns del "$NSB" 2>/dev/null
	ip link del "$VA" 2>/dev/null
	ip link del "$VB" 2>/dev/null
	if [ "${STORM_KEEP:-0}" = 1 ]; then echo "storm: work directory kept: $W"; else rm -rf "$W"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- build: the forwarder, the load generator, the media tool
ninja -C "$BUILD" app/srtpfwd >/dev/null || die "ninja failed"
BIN=$(readlink -f "$BUILD/app/srtpfwd")
cc -O2 -Wall -Wextra bench/dtls/storm_client.c -o "$W/storm_client" $(pkg-config --libs openssl) ||
	die "cannot build storm_client"
cc -O2 -Wall -Wextra bench/dtls/storm_media.c -o "$W/storm_media" $(pkg-config --libs libsrtp2) ||
	die "cannot build storm_media"

# shellcheck source=tests/lib/netns.sh
. tests/lib/netns.sh
netns_host_up "$NSA" "$VA" "$PA" 198.18.0.2/24 && netns_host_up "$NSB" "$VB" "$PB" 198.19.0.2/24 ||
	die "namespace/veth setup"

FP=$("$W/storm_client" --gen-cert "$W" | sed -n 's/^fingerprint sha-256 //p')
[ -n "$FP" ] || die "no client certificate"
MKEY=$(head -c 30 /dev/urandom | xxd -p -c 64)
MKEY_B64=$(echo "$MKEY" | xxd -r -p | base64 -w0)
TKEY_B64=$(head -c 30 /dev/urandom | base64 -w0)

cat >"$W/fwd.ini" <<EOF
[general]
mbufs = 16383
max-sessions = $((LEGS + 16))
srtp-contexts = $((4 * LEGS + 64))

[interface access]
exposed = no
port = net_af_packet0
ipv4 = 198.18.0.1/24
media-ports = 19000-60999

[interface core]
exposed = no
port = net_af_packet1
ipv4 = 198.19.0.1/24
media-ports = 19000-60999
EOF
cat >"$W/cmds.txt" <<EOF
session add e2ae access 19000 core 19000 a-rx=AES_CM_128_HMAC_SHA1_80:inline:$MKEY_B64 a-tx=AES_CM_128_HMAC_SHA1_80:inline:$TKEY_B64 b-rx=rtp b-tx=rtp b-remote=198.19.0.2:7000
session add e2ae access 20000 core 30000 a-dtls=passive a-fingerprint=sha-256:$FP b-rx=rtp b-tx=rtp b-remote=198.19.0.2:6000 count=$LEGS
show dtls stats
EOF

now() { date +%s.%N; }
sleep_until() { local d; d=$(awk -v t="$1" -v n="$(now)" 'BEGIN { d = t - n; print (d > 0 ? d : 0) }'); sleep "$d"; }
# run_ns wait_ns utime_ticks stime_ticks of one thread
thread_cpu() {
	local t=/proc/$FWD_PID/task/$1
	echo "$(cut -d' ' -f1,2 "$t/schedstat") $(sed 's/.*) //' "$t/stat" | cut -d' ' -f12,13)"
}
# the n-th "handshakes_completed N" in the forwarder's log
box_hs() { grep -o 'handshakes_completed [0-9]*' "$1" | sed -n "${2}p" | cut -d' ' -f2; }

# packets the kernel dropped on its per-CPU input backlogs (veth delivery), all CPUs
softnet_drops() { local a b rest s=0; while read -r a b rest; do s=$((s + 16#$b)); done </proc/net/softnet_stat; echo "$s"; }
# srtpfwd processes on this machine that are not ours
foreign() { pgrep -x srtpfwd | grep -vx "${FWD_PID:-0}" | wc -l; }
wait_quiet() {	# up to WAIT_QUIET seconds over the whole script
	local calm=0
	while [ "$WAIT_QUIET" -gt 0 ] && [ "$calm" -lt 3 ]; do
		if [ "$(foreign)" = 0 ]; then calm=$((calm + 1)); else calm=0; fi
		sleep 1; WAIT_QUIET=$((WAIT_QUIET - 1))
	done
}
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$FWD_PID/status"; }

# One storm: fresh forwarder, media, storm; results in $W/run$1/
storm_run() {
	local r=$1 d="$W/run$1" i ctl_tid wrk_tid t0 ts te c0 c1 w0 w1 q0 q1 nforeign sn0 sn1 rss0 rss1
	mkdir -p "$d"
	wait_quiet
	rm -f "$W/ctl"; mkfifo "$W/ctl"
	exec 3<>"$W/ctl"
	"$BIN" --no-huge -m "$MEM" --no-pci --file-prefix "stm${ID}_$r" --lcores "0@$CTL_CPU,1@$WORKER_CPU" \
		--log-level='*:warning' \
		--vdev "net_af_packet0,iface=$VA,qpairs=2,framecnt=$FRAMECNT" \
		--vdev "net_af_packet1,iface=$VB,qpairs=2,framecnt=$FRAMECNT" \
		-- --config "$W/fwd.ini" --cmdline-file "$W/cmds.txt" -i --srtp-engine "$ENGINE" \
		<&3 >"$d/fwd.log" 2>&1 &
	FWD_PID=$!
	for i in $(seq 1 600); do
		grep -q 'conns_created' "$d/fwd.log" 2>/dev/null && break
		kill -0 "$FWD_PID" 2>/dev/null || break
		sleep 0.1
	done
	grep -q "conns_created $LEGS " "$d/fwd.log" || { tail -20 "$d/fwd.log"; die "run $r: forwarder did not come up with $LEGS DTLS legs"; }
	ctl_tid=$FWD_PID
	wrk_tid=$(grep -lE 'lcore-worker|rte-worker' /proc/$FWD_PID/task/*/comm | head -1 | cut -d/ -f5)
	[ -n "$wrk_tid" ] || die "run $r: no worker thread"

	sn0=$(softnet_drops)
	t0=$(awk -v n="$(now)" 'BEGIN { printf "%.3f", n + 1 }')
	ts=$(awk -v t="$t0" -v p="$PRE" 'BEGIN { printf "%.3f", t + p }')
	te=$(awk -v t="$ts" -v p="$DURATION" 'BEGIN { printf "%.3f", t + p }')
	local mseconds=$((PRE + DURATION + POST))
	ip netns exec "$NSB" taskset -c "$MEDIA_CPUS" "$W/storm_media" recv --bind 198.19.0.2:7000 \
		--seconds $((mseconds + 10)) --idle 2 --pps "$MEDIA_PPS" --verbose >"$d/recv.log" 2>&1 &
	PIDS+=($!); local recv_pid=$!
	for i in $(seq 1 50); do grep -q up "$d/recv.log" && break; sleep 0.1; done
	ip netns exec "$NSA" taskset -c "$MEDIA_CPUS" "$W/storm_media" send --src 198.18.0.2:5000 \
		--dst 198.18.0.1:19000 --pps "$MEDIA_PPS" --seconds "$mseconds" --key "$MKEY" \
		--start-at "$t0" >"$d/send.log" 2>&1 &
	PIDS+=($!); local send_pid=$!
	local cpids=()
	for ((i = 0; i < CLIENT_PROCS; i++)); do
		ip netns exec "$NSA" taskset -c "$CLIENT_CPUS" "$W/storm_client" --cert "$W/client.pem" \
			--key "$W/client.key" --src 198.18.0.2 --dst 198.18.0.1 --port-base 20000 \
			--legs "$LEGS" --first "$i" --stride "$CLIENT_PROCS" --inflight "$INFLIGHT" \
			--duration "$DURATION" --start-at "$ts" --id "$i" >"$d/client$i.log" 2>&1 &
		cpids+=($!); PIDS+=($!)
	done
	# The quiet second before the storm: media only, LEGS idle DTLS legs.
	sleep_until "$(awk -v t="$ts" 'BEGIN { printf "%.3f", t - 1 }')"
	q0=$(thread_cpu "$ctl_tid")
	sleep_until "$ts"
	q1=$(thread_cpu "$ctl_tid")
	c0=$q1; w0=$(thread_cpu "$wrk_tid"); rss0=$(rss_kb)
	nforeign=$(foreign)
	echo "show dtls stats" >&3
	if [ "${2:-}" = perf ]; then
		perf record -q -F 499 --call-graph dwarf,8192 -t "$ctl_tid" -o "$W/perf.data" -- sleep "$DURATION" >/dev/null 2>&1 &
		PIDS+=($!)
	fi
	sleep_until "$te"
	c1=$(thread_cpu "$ctl_tid"); w1=$(thread_cpu "$wrk_tid"); rss1=$(rss_kb)
	echo "show dtls stats" >&3
	for p in "${cpids[@]}"; do wait "$p"; done
	wait "$send_pid"; wait "$recv_pid"
	sn1=$(softnet_drops)
	echo "show dtls stats" >&3
	echo "show worker stats" >&3
	echo "quit" >&3
	for i in $(seq 1 100); do kill -0 "$FWD_PID" 2>/dev/null || break; sleep 0.1; done
	kill -INT "$FWD_PID" 2>/dev/null
	for i in $(seq 1 50); do kill -0 "$FWD_PID" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$FWD_PID" 2>/dev/null
	wait "$FWD_PID" 2>/dev/null
	FWD_PID=
	exec 3>&-
	PIDS=()

	# ---- this run's numbers
	local cl_hs=0 cl_fail=0 cl_left=0 cl_exh=0 cl_lat="" cl_cpu=0 x
	for ((i = 0; i < CLIENT_PROCS; i++)); do
		x=$(grep '^storm_client:' "$d/client$i.log") || die "run $r: client $i printed no result: $(tail -3 "$d/client$i.log")"
		cl_hs=$(awk -v a="$cl_hs" -v b="$(echo "$x" | sed 's/.* in_time \([0-9]*\).*/\1/')" 'BEGIN { print a + b }')
		cl_fail=$((cl_fail + $(echo "$x" | sed 's/.* failed \([0-9]*\).*/\1/')))
		cl_left=$((cl_left + $(echo "$x" | sed 's/.* inflight_left \([0-9]*\).*/\1/')))
		cl_exh=$((cl_exh + $(echo "$x" | sed 's/.* legs_exhausted \([0-9]*\).*/\1/')))
		cl_lat="$cl_lat $(echo "$x" | sed 's/.* latency_ms_p50 \([0-9.]*\) p99 \([0-9.]*\).*/\1\/\2/')"
		cl_cpu=$(awk -v a="$cl_cpu" -v b="$(echo "$x" | sed 's/.* cpu_s \([0-9.]*\).*/\1/')" 'BEGIN { print a + b }')
	done
	local b0 b1 b2 sent recvd lost lwarm lstorm
	b0=$(box_hs "$d/fwd.log" 2); b1=$(box_hs "$d/fwd.log" 3); b2=$(box_hs "$d/fwd.log" 4)
	[ -n "$b1" ] && [ -n "$b2" ] || die "run $r: no 'show dtls stats' answers in the forwarder's log"
	sent=$(sed -n 's/.*sent \([0-9]*\) .*/\1/p' "$d/send.log")
	recvd=$(sed -n 's/.* unique \([0-9]*\) .*/\1/p' "$d/recv.log")
	[ -n "$sent" ] && [ -n "$recvd" ] || die "run $r: media tools printed no result"
	lost=$((sent - recvd))
	# by the second it was sent in: before the storm (warm-up: ARP, latching) or from its start on
	lwarm=$(grep -o 'lost_by_second.*' "$d/recv.log" | tr ' ' '\n' | awk -F: -v p="$PRE" 'NF == 2 && $1 < p { s += $2 } END { print s + 0 }')
	lstorm=$((lost - lwarm))
	awk -v r="$r" -v dur="$DURATION" -v cl="$cl_hs" -v b0="$b0" -v b1="$b1" -v b2="$b2" \
		-v q0="$q0" -v q1="$q1" -v c0="$c0" -v c1="$c1" -v w0="$w0" -v w1="$w1" \
		-v sent="$sent" -v recvd="$recvd" -v lost="$lost" -v lwarm="$lwarm" -v lstorm="$lstorm" -v nf="$nforeign" -v rss="$((rss1 - rss0))" -v sn="$((sn1 - sn0))" -v late="$(sed -n 's/.* reordered \([0-9]*\) .*/\1/p' "$d/recv.log")" -v fail="$cl_fail" -v left="$cl_left" \
		-v exh="$cl_exh" -v lat="$cl_lat" -v clcpu="$cl_cpu" 'BEGIN {
		split(q0, Q0, " "); split(q1, Q1, " "); split(c0, C0, " "); split(c1, C1, " ");
		split(w0, W0, " "); split(w1, W1, " ");
		box = b1 - b0;
		run = (C1[1] - C0[1]) / 1e9; wait = (C1[2] - C0[2]) / 1e9;
		usr = (C1[3] - C0[3]) / 100; sys = (C1[4] - C0[4]) / 100;
		idle = (Q1[1] - Q0[1]) / 1e9;
		wwait = (W1[2] - W0[2]) / 1e9;
		us = box > 0 ? run * 1e6 / box : 0;
		usu = box > 0 ? usr * 1e6 / box : 0;
		printf "run %s client_hs_per_s %.0f box_hs_per_s %.0f box_total %d ctl_busy %.1f%% ctl_waiting %.1f%% ctl_idle_busy %.1f%% ctl_us_per_hs %.0f ctl_user_us_per_hs %.0f ctl_only_hs_per_s %.0f rss_kb_per_hs %.1f client_us_per_hs %.0f worker_waiting %.1f%% media_sent %d media_received %d media_lost %d media_lost_warmup %d media_lost_storm %d media_late %d kernel_backlog_drops %d foreign_srtpfwd %d contended %s client_failed %d inflight_left %d legs_exhausted %d latency_ms_p50/p99%s\n",
			r, cl / dur, box / dur, b2, 100 * run / dur, 100 * wait / dur, 100 * idle,
			us, usu, (us > 0 ? 1e6 / us : 0), (box > 0 ? rss / box : 0), (cl > 0 ? clcpu * 1e6 / cl : 0),
			100 * wwait / dur, sent, recvd, lost, lwarm, lstorm, late, sn, nf,
			(100 * wwait / dur > 5 ? "yes" : "no"), fail, left, exh, lat }' | tee -a "${3:-$W/runs.txt}"
	grep -o 'lost_by_second.*' "$d/recv.log" | sed "s/^/  run $r media (second from media start, storm from $PRE to $((PRE + DURATION))): /"
	sed -n '/######## DTLS-SRTP/,/failures:/p' "$d/fwd.log" | tail -6 | sed "s/^/  run $r box:/"
	grep '^late index' "$d/recv.log" | head -5 | sed "s/^/  run $r media: /"
	sed -n '/final counters/,$p' "$d/fwd.log" | grep -E '^  (worker|control) [0-9]+:|^    [a-z0-9_]+ +[0-9]+$|RX-missed' |
		sed "s/^/  run $r box final:/"
}

echo "storm: $NCPU CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')), $(openssl version)"
echo "storm: control lcore on CPU $CTL_CPU, worker on CPU $WORKER_CPU, storm_client x$CLIENT_PROCS on CPU(s) $CLIENT_CPUS, media tools on CPU(s) $MEDIA_CPUS"
echo "storm: $LEGS DTLS legs, $INFLIGHT handshakes in flight per client, $DURATION s storm after $PRE s of media at $MEDIA_PPS pps; SRTP engine $ENGINE; REPEAT=$REPEAT"
# ---- the engine-level baseline, same machine, same run, on the control lcore's CPU
baseline() {
	echo "storm: baseline ($1): REPEAT=$BASE_REPEAT MS=$BASE_MS CPU=$CTL_CPU bench/dtls/run.sh $BUILD"
	REPEAT=$BASE_REPEAT MS=$BASE_MS CPU=$CTL_CPU sh bench/dtls/run.sh "$BUILD" >"$W/base_$1.txt" 2>&1 ||
		{ cat "$W/base_$1.txt"; die "baseline failed"; }
	grep '^box-server ' "$W/base_$1.txt" >>"$W/base_runs.txt"
	sed -n '/^| box role/,$p' "$W/base_$1.txt"
}
baseline before
for ((r = 1; r <= REPEAT; r++)); do
	storm_run "$r"
done
baseline after

median_of() {	# file, field: the median of its values (the mean of the middle two for an even count)
	sed -n "s/.* $2 \([0-9.]*\).*/\1/p" "$1" | sort -n |
		awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
median() { median_of "$W/runs.txt" "$1"; }
sum() { sed -n "s/.* $1 \([0-9]*\).*/\1/p" "$W/runs.txt" | awk '{ s += $1 } END { print s + 0 }'; }

BASE=$(median_of "$W/base_runs.txt" box_only_hs_per_s)
BASE_US=$(median_of "$W/base_runs.txt" box_us_per_hs)
[ -n "$BASE" ] || die "no baseline number"
echo "storm: baseline, median of $(wc -l <"$W/base_runs.txt") runs before and after the storms: box-only $BASE hs/s, box $BASE_US µs/hs"

if [ "$PERF" = 1 ]; then
	echo "storm: profiled run (perf record on the control lcore thread; not in the medians)"
	storm_run P perf "$W/perf_run.txt"
	perf report -i "$W/perf.data" --stdio --no-children --sort dso,symbol 2>/dev/null |
		grep -E '^ +[0-9.]+%' | head -25 | tee "$W/perf_top.txt"
	perf report -i "$W/perf.data" --stdio --no-children --sort dso 2>/dev/null |
		grep -E '^ +[0-9.]+%' | head -10 | sed 's/^/  by dso:/'
	# Each sample counted once, under the first of these frames found in its stack.
	perf script -i "$W/perf.data" -F ip,sym 2>/dev/null | awk -v us="$(median_of "$W/perf_run.txt" ctl_us_per_hs)" '
		function flush() { if (n) { c[cat]++; total++ } n = 0; cat = "other" }
		BEGIN { cat = "other" }
		NF == 0 { flush(); next }
		{ n++; f = $2
		  if (cat == "other") {
			if (f == "dtls_conn_input") cat = "OpenSSL handshake (dtls_conn_input)"
			else if (f == "session_leg_install_srtp") cat = "SRTP set-up (session_leg_install_srtp)"
			else if (f == "session_leg_set_remote") cat = "latching (session_leg_set_remote)"
			else if (f == "ctl_tx_flush" || f == "flush_output") cat = "datagram TX (flush_output, ctl_tx_flush)"
			else if (f == "rte_delay_us_sleep") cat = "idle sleeps (rte_delay_us_sleep)"
		  } }
		END { flush(); for (k in c) printf "  control lcore: %5.1f%%  %5.0f µs/hs  %s\n", 100 * c[k] / total, us * c[k] / total, k }' |
		sort -k3 -rn | tee "$W/perf_split.txt"
fi

CL=$(median client_hs_per_s); BOX=$(median box_hs_per_s); US=$(median ctl_us_per_hs)
ONLY=$(median ctl_only_hs_per_s); BUSY=$(median ctl_busy); LOST=$(sum media_lost_storm); LWARM=$(sum media_lost_warmup); SENT=$(sum media_sent)
FAIL=$(sum client_failed)
NCONT=$(grep -c ' contended yes ' "$W/runs.txt")
echo
echo "| runs | client hs/s | box hs/s | control lcore busy | control µs/hs | control-lcore-only hs/s | engine box µs/hs | engine box-only hs/s | box/engine | only/engine | media lost in storm / sent (warm-up loss) | client failures |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
awk -v n="$REPEAT" -v cl="$CL" -v box="$BOX" -v busy="$BUSY" -v us="$US" -v only="$ONLY" -v base="$BASE" \
	-v bus="$BASE_US" -v lost="$LOST" -v sent="$SENT" -v fail="$FAIL" -v lw="$LWARM" 'BEGIN {
	printf "| %d | %s | %s | %s%% | %s | %s | %s | %s | %.2f | %.2f | %d / %d (%d) | %d |\n",
		n, cl, box, busy, us, only, bus, base, box / base, only / base, lost, sent, lw, fail }'
echo "storm: $NCONT of $REPEAT runs contended (our worker thread waited > 5% of the storm for its CPU: other processes on the machine)"
echo "storm: $(( $(date +%s) - T_BEGIN )) s"
awk -v box="$BOX" -v only="$ONLY" -v t="$TARGET" -v lost="$LOST" -v sent="$SENT" -v base="$BASE" -v lw="$LWARM" 'BEGIN {
	printf "storm: summary: box %s handshakes/s through the forwarder (median of runs; control lcore alone would reach ~%s/s), engine box-only %s/s, ratio %.2f; target %d/s %s; media lost during the storms %d of %d sent (%s; %d more before them)\n",
		box, only, base, box / base, t, (box >= t ? "MET" : "NOT met"), lost, sent,
		(lost == 0 ? "zero loss" : "LOSS"), lw }'
# CPU lists ("0", "2-5", "1,3") -> whether CTL_CPU is in CLIENT_CPUS.
shares_ctl_cpu() {
	local r lo hi
	for r in ${CLIENT_CPUS//,/ }; do
		lo=${r%-*} hi=${r#*-}
		[ "$CTL_CPU" -ge "$lo" ] && [ "$CTL_CPU" -le "$hi" ] && return 0
	done
	return 1
}
shares_ctl_cpu && echo "storm: the load generator shared the control lcore's CPU $CTL_CPU ($NCPU CPUs here): the box's rate is bounded by both sides' CPU, not the box's own"
