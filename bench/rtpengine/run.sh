#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# rtpengine (userspace) and srtpfwd side by side: the same generator, the same
# kind of port, the same calls made over ng by the same script. For each
# scenario and box: the highest offered rate with <= LOSS_MAX loss (a search
# over offered rates, fresh calls each trial) and what the box delivers when
# offered twice that.
#
#   ns G  gA 198.18.0.2 ==veth== xA  ns X: the box  xB ==veth== sB 198.19.0.2  ns S
#         srtpfwd-paced-gen          (CPU BOX_CPU)                sink: counted, dropped
#         (CPU GEN_CPU)
#
# Boxes (one at a time in namespace X, restarted for every cell):
#   rtpengine  rtpengine-daemon 10.5, userspace only (--table=-1: its kernel module cannot
#              load here), kernel UDP sockets on 198.18.0.1 (interface access) and
#              198.19.0.1 (core), --num-threads=1, every thread on BOX_CPU (taskset)
#   srtpfwd    net_af_packet on xA and xB, -l 0-1: worker lcore 1 on BOX_CPU's CPU 1, the
#              control lcore (ng, sleeps when idle) on CPU 0; locally administered MACs
#              of its own, so X's kernel (no addresses) drops the frames at once after
#              af_packet's tap
# Scenarios (bench/rtpengine/ng_calls.py has the SDP):
#   rtp-rtp               RTP both sides
#   srtp-rtp              SDES AES_CM_128_HMAC_SHA1_80 from A, RTP to B: the box decrypts
#   srtp-srtp             SDES _80 both sides: both boxes relay A's SRTP untouched
#                         (srtpfwd: same protection both sides = e2e, lib/ng/ng_plan.c;
#                         rtpengine: it offers B A's own key and then passes through)
#   srtp-srtp-reencrypt   A _80, B _32 with the box's key: rtpengine over ng (B takes the
#                         _32 line rtpengine offered); srtpfwd's ng cannot make this, so
#                         console e2ae sessions (console_calls.py)
#
# Measured: srtpfwd-paced-gen (bench/rtpengine/paced_gen.c) builds every frame of a
# trial first (SRTP with A's keys), sends them paced from an AF_PACKET socket and
# reads the box's veth counters at both ends of the window: offered = rx of xA,
# delivered = tx of xB (what the sink's end took). Loss = 1 - delivered/offered.
# CPUs: the box on BOX_CPU; the generator, the delivery into the box's sockets/rings
# (the veth's softirq runs in the sender's context) on GEN_CPU; the sink's kernel work
# runs in the box's transmit context on BOX_CPU for both boxes (iptables raw DROP in S,
# the cheapest sink here: a cross-CPU sink costs the generator an IPI a burst).
#
# Usage: bench/rtpengine/run.sh [build-dir]          (root; from anywhere)
# Env:   SCENARIOS ("rtp-rtp srtp-rtp srtp-srtp srtp-srtp-reencrypt"), BOXES ("rtpengine
#        srtpfwd"), CALLS (50), TRIAL_SECONDS (2), WARM (1), REPEAT (3: searches, and
#        trials at 2x), STEPS (5 bisection trials a search), RATE_LO (20000), RATE_HI
#        (1000000: the first trial; above the generator's ceiling here), LOSS_MAX (0.001),
#        QUICK (0; 1: SCENARIOS="rtp-rtp srtp-rtp" REPEAT=1 STEPS=3 TRIAL_SECONDS=1 WARM=0.5,
#        about a minute),
#        BOX_CPU (1), GEN_CPU (0), HUGE (0: --no-huge; see bench/lib/eal_mem.sh),
#        AFP_FRAMES (8192: srtpfwd's af_packet ring frames a queue; see boxes.sh),
#        RESULTS (bench/rtpengine/RESULTS.md), CSV (bench/rtpengine/results.csv),
#        LOCK (/tmp/srtpfwd-cpu.lock; held while a box runs, unless a process this script
#        runs under holds it already, as `flock LOCK bench/run` does), KEEP (0; 1: keep the
#        work dir)
# A full run (defaults) takes about 10 minutes, plus any wait for LOCK.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
BUILD=$(cd "${1:-$root/build}" && pwd)
QUICK=${QUICK:-0}
if [ "$QUICK" = 1 ]; then
	# The relay and the decrypt cells (RTP relay, SRTP->RTP), one search of a few steps,
	# and with REPEAT=1 one trial at twice the capacity (search.py).
	SCENARIOS=${SCENARIOS:-"rtp-rtp srtp-rtp"}
	REPEAT=${REPEAT:-1} STEPS=${STEPS:-3} TRIAL_SECONDS=${TRIAL_SECONDS:-1} WARM=${WARM:-0.5}
fi
SCENARIOS=${SCENARIOS:-"rtp-rtp srtp-rtp srtp-srtp srtp-srtp-reencrypt"}
BOXES=${BOXES:-"rtpengine srtpfwd"}
CALLS=${CALLS:-50}
TRIAL_SECONDS=${TRIAL_SECONDS:-2}
WARM=${WARM:-1}
REPEAT=${REPEAT:-3}
STEPS=${STEPS:-5}
RATE_LO=${RATE_LO:-20000}
RATE_HI=${RATE_HI:-1000000}
LOSS_MAX=${LOSS_MAX:-0.001}
BOX_CPU=${BOX_CPU:-1}
GEN_CPU=${GEN_CPU:-0}
HUGE=${HUGE:-0}
AFP_FRAMES=${AFP_FRAMES:-8192}
RESULTS=${RESULTS:-$here/RESULTS.md}
CSV=${CSV:-$here/results.csv}
LOCK=${LOCK:-/tmp/srtpfwd-cpu.lock}
KEEP=${KEEP:-0}
PY=/usr/bin/python3
SRTPFWD=$BUILD/app/srtpfwd
RUN_DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
RUN_COMMIT=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
git -C "$root" diff --quiet HEAD 2>/dev/null || RUN_COMMIT="$RUN_COMMIT (with uncommitted changes in the tree)"
COMMAND="QUICK=$QUICK SCENARIOS=\"$SCENARIOS\" BOXES=\"$BOXES\" CALLS=$CALLS TRIAL_SECONDS=$TRIAL_SECONDS WARM=$WARM REPEAT=$REPEAT STEPS=$STEPS RATE_LO=$RATE_LO RATE_HI=$RATE_HI LOSS_MAX=$LOSS_MAX BOX_CPU=$BOX_CPU GEN_CPU=$GEN_CPU HUGE=$HUGE AFP_FRAMES=$AFP_FRAMES bench/rtpengine/run.sh $*"

[ "$(id -u)" = 0 ] || { echo "rtpengine bench: needs root (namespaces)" >&2; exit 1; }
if ! command -v rtpengine >/dev/null; then
	echo "rtpengine bench: installing rtpengine-daemon (Debian 12: 10.5)"
	DEBIAN_FRONTEND=noninteractive apt-get install -y rtpengine-daemon >/dev/null
fi
# The package's own daemon, if its service runs: this bench starts its own, in a namespace.
if [ -x /etc/init.d/rtpengine-daemon ] && service rtpengine-daemon status >/dev/null 2>&1; then
	echo "rtpengine bench: stopping the rtpengine-daemon service"
	service rtpengine-daemon stop >/dev/null
fi
for t in rtpengine iptables taskset flock cc; do
	command -v "$t" >/dev/null || { echo "rtpengine bench: $t missing" >&2; exit 1; }
done
[ -x "$SRTPFWD" ] || { echo "rtpengine bench: $SRTPFWD missing (scripts/build.sh build)" >&2; exit 1; }

ID=$(($$ % 100000))
NSG=rtpe-g-$ID NSX=rtpe-x-$ID NSS=rtpe-s-$ID
WORK=$(mktemp -d /tmp/rtpe-bench.XXXXXX)
PPS_WORK=$WORK
# srtpfwd's own MACs (locally administered): see the header.
MAC_A=02:00:5e:10:00:01 MAC_B=02:00:5e:10:00:02
NG_PORT=22222

# shellcheck source=bench/lib/pps.sh
. "$root/bench/lib/pps.sh"
# shellcheck source=bench/lib/eal_mem.sh
. "$root/bench/lib/eal_mem.sh"
# shellcheck source=bench/rtpengine/topo.sh
. "$here/topo.sh"
# shellcheck source=bench/rtpengine/boxes.sh
. "$here/boxes.sh"

# The generator: built by meson when bench/meson.build has subdir('rtpengine'), else here.
gen_build() {
	local work=$2 bin=$1/bench/rtpengine/srtpfwd-paced-gen
	if [ ! -x "$bin" ]; then
		bin=$work/srtpfwd-paced-gen
		cc -O2 -Wall -Wextra -I"$root/bench" -I"$root/lib/srtp" "$here/paced_gen.c" \
			"$root/bench/lib/udp_frame.c" "$root/bench/lib/capture.c" \
			"$root/lib/srtp/srtp_kdf.c" "$root/lib/srtp/srtp_profile.c" -lcrypto -lpcap -o "$bin"
	fi
	echo "$bin"
}

# Its SRTP against libsrtp2 (check_srtp.py) before anything is measured.
gen_check() {
	local gen=$1 work=$2 key
	key=$("$PY" -c 'import base64, os; print(base64.b64encode(os.urandom(30)).decode())')
	printf '198.18.0.2 10000 198.18.0.1 20000 4660 AES_CM_128_HMAC_SHA1_80 inline:%s\n198.18.0.2 10002 198.18.0.1 20002 4661\n' \
		"$key" >"$work/check-flows.txt"
	"$gen" --flows "$work/check-flows.txt" --pcap "$work/check.pcap" --count 200
	"$PY" "$here/check_srtp.py" "$work/check-flows.txt" "$work/check.pcap" |
		sed 's/^/rtpengine bench: generator check: /'
}

# 0 when a process this script runs under holds LOCK (bench/run or CI started us inside
# `flock LOCK ...`): then it is ours already, and waiting for it would never end.
lock_held_above() {
	local ino holders p
	ino=$(stat -c %i "$LOCK")
	holders=" $(awk -v ino="$ino" '$2 == "FLOCK" { split($(NF-2), f, ":"); if (f[3] == ino) print $(NF-3) }' \
		/proc/locks | tr '\n' ' ') "
	p=$PPID
	while [ "$p" -gt 1 ]; do
		case "$holders" in *" $p "*) return 0 ;; esac
		p=$(awk '/^PPid:/ { print $2 }' "/proc/$p/status" 2>/dev/null || echo 1)
	done
	return 1
}

exec {lock_fd}>"$LOCK"
LOCK_ABOVE=0
lock_held_above && LOCK_ABOVE=1
# lock_take / lock_drop: around each box's run, unless the lock is held above us.
lock_take() {
	[ "$LOCK_ABOVE" = 1 ] && return 0
	if ! flock -n "$lock_fd"; then
		echo "rtpengine bench: waiting for $LOCK ($(date +%T))"
		flock -w 3600 "$lock_fd"
	fi
}
lock_drop() {
	[ "$LOCK_ABOVE" = 1 ] || flock -u "$lock_fd"
}

cleanup() {
	pps_cleanup
	lock_drop 2>/dev/null || true
	topo_down
	eal_mem_restore
	if [ "$KEEP" = 1 ]; then echo "rtpengine bench: work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

GEN=$(gen_build "$BUILD" "$WORK")
gen_check "$GEN" "$WORK"
eal_mem_setup 1024
topo_up
: >"$CSV"
echo "rtpengine bench: $COMMAND"
echo "rtpengine bench: namespaces $NSG $NSX $NSS, work $WORK"
[ "$LOCK_ABOVE" = 0 ] || echo "rtpengine bench: $LOCK is held by a process above this one: not taken again"
for box in $BOXES; do
	for sc in $SCENARIOS; do
		# Only one CPU-heavy job on the machine at a time; none of ours outside the lock.
		lock_take
		echo "== $box $sc ($(date +%T))"
		box_start "$box" "$sc"
		ip netns exec "$NSX" taskset -c "$GEN_CPU" timeout 1800 "$PY" "$here/search.py" \
			--box "$box" --scenario "$sc" "${CALLS_VIA[@]}" --calls "$CALLS" \
			--gen "$GEN" --gen-ns "$NSG" --gen-cpu "$GEN_CPU" --gen-if gA --dst-mac "$BOX_MAC" \
			--counters "/proc/$pps_pid/net/dev" --in-if xA --out-if xB \
			--warm "$WARM" --seconds "$TRIAL_SECONDS" --lo "$RATE_LO" --hi "$RATE_HI" \
			--steps "$STEPS" --repeat "$REPEAT" --loss-max "$LOSS_MAX" --csv "$CSV" \
			--work "$WORK" >"$WORK/summary.json" &&
			cat "$WORK/summary.json" || echo "rtpengine bench: $box $sc failed" >&2
		box_stop "$box"
		lock_drop
	done
done
"$PY" "$here/report.py" --csv "$CSV" --out "$RESULTS" --command "$COMMAND" \
	--rtpengine-version "$(rtpengine --version 2>&1 | head -1)" --srtpfwd "$SRTPFWD" \
	--eal "$(eal_mem_describe)" --loss-max "$LOSS_MAX" --calls "$CALLS" \
	--trial "$WARM+$TRIAL_SECONDS s" --repeat "$REPEAT" --steps "$STEPS" \
	--cpus "box $BOX_CPU, generator $GEN_CPU" --date "$RUN_DATE" --commit "$RUN_COMMIT"
echo "rtpengine bench: wrote $RESULTS and $CSV"
