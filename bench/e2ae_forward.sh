#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# e2ae SRTP benchmark through the whole forwarder (the issue's SRTP
# benchmark): on one worker lcore, Mpps per SRTP profile, payload size and
# mode, for every SRTP back end, against the crypto ceiling measured in the
# same run by dpdk-test-crypto-perf on the same PMD.
#
#   net_pcap0 (rx_pcap=<capture>, infinite_rx=1) -> srtpfwd e2ae -> net_null1
#
# Modes (a = access leg, receives the capture; b = core leg, net_null sink):
#   reencrypt  SRTP(key A) in  -> unprotect, protect -> SRTP(key B) out
#   decrypt    SRTP(key A) in  -> unprotect          -> RTP out
#   encrypt    RTP in          -> protect            -> SRTP(key B) out
# One capture per (profile, size, mode): one packet per session (flow), from
# 198.18.0.2:5000 to 198.18.1.1:20000+i, distinct SSRC per flow, RTP payload
# SIZE bytes; made with pylibsrtp + scapy (/usr/bin/python3). pylibsrtp has
# no NULL cipher: the NULL_HMAC_SHA1_80 capture is made by srtpfwd itself
# (RTP -> SRTP, core port = net_pcap with tx_pcap), its output re-addressed
# with scapy; the other back end then authenticates it, which checks it.
# The capture loops, so sessions run with replay-check=off (benchmarks only);
# the replay window's own cost is the engine-level one of bench/srtp.
# libsrtp2 cannot switch its inbound replay check off, so for re-encrypt and
# decrypt the libsrtp back end gets a long capture instead, one that does not
# loop while it is measured: LIB_PKTS packets (SESSIONS flows, consecutive
# sequence numbers each) protected with key A by libsrtp2 (srtpfwd-gen-flows
# --srtp), held in memory by net_pcap like the short one (smaller mbufs, as
# much EAL memory as they need, at most LIB_MEM_MB for the capture). If it
# runs out within the measured window, its replays show as drops (counted up
# to the window's last sample) and the cell is marked.
# LIB_LONG_CHECK=1 also runs libsrtp2 encrypt on a long plain capture, to show
# what the long capture itself costs against the looped one.
# The libsrtp back end runs over each libsrtp2 build of LIBSRTP_PEERS in the
# same run, interleaved (bench/peers/libsrtp2.sh): "debian" (Debian's
# libsrtp2-1, NSS) and "openssl" (the fair peer: the same source built with
# OpenSSL by bench/peers/libsrtp2-openssl.sh, selected by LD_LIBRARY_PATH; every
# run is checked to have mapped that file). Ratios are against the OpenSSL build
# when it is measured.
#
# Throughput = Tx-pps of net_null1, median of the per-second samples after
# warm-up; each cell is repeated REPEAT times (LIB_REPEAT for libsrtp) and the
# median of those medians is reported. Every run's final drop counters are
# checked: a cell with drops is marked, its number is not a forwarding rate.
# EXTRA_ENGINES (default "ipsec-mb cpu-crypto": the same framing with libIPSec_MB
# called directly, and the cryptodev back end's sessions run
# through rte_cryptodev_sym_cpu_crypto_process) are measured in the same run,
# interleaved with the cryptodev one, REPEAT times each, as extra columns.
#
# Usage: bench/e2ae_forward.sh [build-dir]     (from anywhere)
# Env:   REPEAT (3), LIB_REPEAT (1), LIB_MODES (reencrypt encrypt), LIB_PKTS (8000000: the
#        OpenSSL build re-encrypts ~1.1 Mpps here, and warm-up + window must not run out),
#        LIB_MEM_MB (6144), LIB_LONG_CHECK (0), CP_REPEAT (3), BENCH_SECONDS (2),
#        SESSIONS (64), SIZES ("64 160 1200"), MODES ("reencrypt decrypt encrypt"),
#        BURST (32: the RX burst, also the SRTP engine's batch), PROFILES (all five), EXTRA_ENGINES ("ipsec-mb cpu-crypto"; "": none), RESULTS (bench/RESULTS-e2ae.md; empty: do not write),
#        CSV (append bench/run rows: e2ae,PROFILE:MODE,SERIES,PAYLOAD,MPPS,Mpps),
#        LIBSRTP_PEERS ("debian openssl" when the OpenSSL build exists, else "debian"),
#        LIBSRTP2_OPENSSL_PREFIX (bench/.peers/libsrtp2-openssl),
#        PERF_DIR (unset; a folder: each cell gets one more run on PERF_ENGINE (cryptodev),
#        not in the medians, with `perf record -g -e cpu-clock` on the worker's CPU 1 -> CELL.data)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
BUILD=${1:-$root/build}
REPEAT=${REPEAT:-3}
LIB_REPEAT=${LIB_REPEAT:-1}
# srtpfwd's libsrtp back end keeps libsrtp2's inbound replay check even with
# replay-check=off (only allow_repeat_tx, outbound): a looped SRTP capture is
# all replays after its first loop, so its inbound modes get the long capture.
# Decrypt is not in the default: libsrtp2 decrypts small packets at up to
# ~1 Mpps here, which wants ~6M packets (LIB_PKTS=6000000 LIB_MEM_MB=5120).
LIB_MODES=${LIB_MODES:-"reencrypt encrypt"}
LIB_PKTS=${LIB_PKTS:-8000000}
LIB_MEM_MB=${LIB_MEM_MB:-6144}
LIB_LONG_CHECK=${LIB_LONG_CHECK:-0}
CP_REPEAT=${CP_REPEAT:-3}
SECS=${BENCH_SECONDS:-2}
EXTRA_ENGINES=${EXTRA_ENGINES-"ipsec-mb cpu-crypto"}
BURST=${BURST:-32}
SESSIONS=${SESSIONS:-64}
SIZES=${SIZES:-"64 160 1200"}
MODES=${MODES:-"reencrypt decrypt encrypt"}
PROFILES=${PROFILES:-"AES_CM_128_HMAC_SHA1_80 AES_CM_128_HMAC_SHA1_32 AEAD_AES_128_GCM AEAD_AES_256_GCM NULL_HMAC_SHA1_80"}
RESULTS=${RESULTS-$here/RESULTS-e2ae.md}
# shellcheck source=bench/peers/libsrtp2.sh
. "$here/peers/libsrtp2.sh"
LIBSRTP_PEERS=${LIBSRTP_PEERS:-$(libsrtp2_peers_default)}
# The peer the ratios are taken against: the strongest one measured.
case " $LIBSRTP_PEERS " in
*" openssl "*) FAIR_PEER=openssl ;;
*) FAIR_PEER=${LIBSRTP_PEERS%% *} ;;
esac
PERF_DIR=${PERF_DIR:-}
perf_out=	# set by the loop for the profiled run
PY=/usr/bin/python3		# has python3-pylibsrtp and scapy
cmdline="$0 $*"

work=$(mktemp -d /tmp/srtpfwd-e2ae.XXXXXX)
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
trap cleanup EXIT
trap 'exit 130' INT TERM

ninja -C "$BUILD" app/srtpfwd bench/srtpfwd-gen-flows >/dev/null
srtpfwd=$BUILD/app/srtpfwd
gen=$BUILD/bench/srtpfwd-gen-flows
command -v dpdk-test-crypto-perf >/dev/null || { echo "dpdk-test-crypto-perf not found (apt-get install dpdk)" >&2; exit 1; }
"$PY" -c 'import pylibsrtp, scapy' 2>/dev/null || { echo "$PY lacks pylibsrtp/scapy (apt-get install python3-pylibsrtp python3-scapy)" >&2; exit 1; }
for peer in $LIBSRTP_PEERS; do
	libsrtp2_peer_check "$peer" "$srtpfwd" ||
		{ echo "build it: bench/peers/libsrtp2-openssl.sh, or set LIBSRTP_PEERS=debian" >&2; exit 1; }
done

A_PORT=20000	# first local port on access (the capture's destinations)
B_PORT=30000	# first local port on core
EAL_MB=2048
uid=$$
. "$here/lib/eal_mem.sh"
# The largest process: a long capture's mbufs (LIB_MEM_MB) beside the tables.
eal_mem_setup $((LIB_MEM_MB + EAL_MB + 256))

# ---------------------------------------------------------------- captures
cat >"$work/gen.py" <<'PY'
import base64, sys
from scapy.all import Ether, IP, UDP, Raw, wrpcap, rdpcap
import pylibsrtp

PROF = {
    'AES_CM_128_HMAC_SHA1_80': 'SRTP_PROFILE_AES128_CM_SHA1_80',
    'AES_CM_128_HMAC_SHA1_32': 'SRTP_PROFILE_AES128_CM_SHA1_32',
    'AEAD_AES_128_GCM': 'SRTP_PROFILE_AEAD_AES_128_GCM',
    'AEAD_AES_256_GCM': 'SRTP_PROFILE_AEAD_AES_256_GCM',
}
A_MAC, PEER_MAC = '02:00:00:00:00:01', '02:00:00:00:00:02'
A_IP, PEER_IP, PEER_PORT = '198.18.1.1', '198.18.0.2', 5000

def frame(i, payload, base):
    return (Ether(dst=A_MAC, src=PEER_MAC) / IP(src=PEER_IP, dst=A_IP, ttl=64) /
            UDP(sport=PEER_PORT, dport=base + i) / Raw(payload))

cmd = sys.argv[1]
if cmd == 'gen':                    # gen PROFILE|rtp KEY SIZE FLOWS BASEPORT OUT
    prof, key, size, flows, base, out = sys.argv[2:8]
    size, flows, base = int(size), int(flows), int(base)
    sess = None
    if prof != 'rtp':
        if prof not in PROF:
            sys.exit(f'pylibsrtp has no {prof}')
        pol = pylibsrtp.Policy(key=base64.b64decode(key),
                               ssrc_type=pylibsrtp.Policy.SSRC_ANY_OUTBOUND,
                               srtp_profile=getattr(pylibsrtp.Policy, PROF[prof]))
        sess = pylibsrtp.Session(policy=pol)
    pkts = []
    for i in range(flows):
        rtp = (bytes([0x80, 96]) + (1000 + i).to_bytes(2, 'big') +
               (160 * i).to_bytes(4, 'big') + (0x10000000 + i).to_bytes(4, 'big') +
               bytes((j * 7 + i) & 0xff for j in range(size)))
        pkts.append(frame(i, sess.protect(rtp) if sess else rtp, base))
    wrpcap(out, pkts)
elif cmd == 'rewrite':              # rewrite FLOWS BASEPORT B_BASEPORT SIZE OUT IN...
    flows, base, bbase, size, out = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
    seen = {}
    for inp in sys.argv[7:]:
        for p in rdpcap(inp):
            if UDP not in p:
                continue
            i = p[UDP].sport - bbase
            if 0 <= i < flows and i not in seen:
                pl = bytes(p[UDP].payload)
                if len(pl) < 12 + size:
                    sys.exit(f'rewrite: {len(pl)}-byte payload for flow {i}')
                seen[i] = frame(i, pl, base)
    if len(seen) != flows:
        sys.exit(f'rewrite: {len(seen)} of {flows} flows in srtpfwd output')
    wrpcap(out, [seen[i] for i in range(flows)])
PY

keylen() {
	case $1 in
	AEAD_AES_128_GCM) echo 28 ;;
	AEAD_AES_256_GCM) echo 44 ;;
	*) echo 30 ;;
	esac
}
declare -A KEY_A KEY_B
for p in $PROFILES; do
	KEY_A[$p]=$(head -c "$(keylen "$p")" /dev/urandom | base64 -w0)
	KEY_B[$p]=$(head -c "$(keylen "$p")" /dev/urandom | base64 -w0)
done

# srtpfwd configuration; $1: core port name, $2: output file, $3: mbufs for
# the capture (default SESSIONS), $4: mbuf data room (default 2048).
gen_config() {
	cat >"$2" <<EOF
# e2ae benchmark: $SESSIONS sessions, capture replayed into 'access' (net_pcap),
# forwarded out of 'core' ($1) to one static next hop.
[general]
max-sessions = 1024
burst = $BURST
mbufs = $((${3:-$SESSIONS} + 32768))
mbuf-data-room = ${4:-2048}
# up to 4 SRTP contexts a session (SRTP + SRTCP, rx + tx), and slack
srtp-contexts = $((4 * SESSIONS + 64))

[interface access]
exposed = no
port = net_pcap0
mac = 02:00:00:00:00:01
media-ports = 10000-59999
ipv4 = 198.18.1.1/15

[interface core]
exposed = no
port = $1
mac = 02:00:00:00:01:01
media-ports = 10000-59999
neighbour = 198.19.0.2 02:00:00:00:01:02
ipv4 = 198.19.1.1/15
EOF
}
gen_config net_null1 "$work/bench.ini"
gen_config net_pcap1 "$work/gen.ini"

# session add line; $1 profile, $2 mode
session_cmd() {
	local p=$1 mode=$2 arx btx
	case $mode in
	reencrypt) arx="$p:inline:${KEY_A[$p]}" btx="$p:inline:${KEY_B[$p]}" ;;
	decrypt) arx="$p:inline:${KEY_A[$p]}" btx=rtp ;;
	encrypt) arx=rtp btx="$p:inline:${KEY_B[$p]}" ;;
	esac
	echo "session add e2ae access $A_PORT core $B_PORT a-remote=198.18.0.2:5000 a-latch=strict" \
		"b-remote=198.19.0.2:6000 a-rx=$arx b-tx=$btx replay-check=off count=$SESSIONS"
}

# SRTP capture of profile $1, key A, payload $2 -> $3
make_srtp_capture() {
	local p=$1 size=$2 out=$3
	if [ "$p" != NULL_HMAC_SHA1_80 ]; then
		"$PY" "$work/gen.py" gen "$p" "${KEY_A[$p]}" "$size" "$SESSIONS" "$A_PORT" "$out"
		return
	fi
	# srtpfwd itself protects the plain capture once (no infinite_rx) with
	# key A towards core, written by net_pcap1; then re-addressed to access.
	local g=$work/nullgen-$size
	echo "session add e2ae access $A_PORT core $B_PORT a-remote=198.18.0.2:5000 a-latch=strict" \
		"b-remote=198.19.0.2:6000 a-rx=rtp b-tx=$p:inline:${KEY_A[$p]} replay-check=off count=$SESSIONS" \
		>"$g.cmds"
	# shellcheck disable=SC2046
	"$srtpfwd" $(eal_mem_args "$EAL_MB" "e2ae-gen-$uid-$size") --no-pci -l 0-1 \
		--log-level='*:warning' \
		--vdev "net_pcap0,rx_pcap=$work/rtp-$size.pcap,tx_pcap=/dev/null,tx_pcap=/dev/null" \
		--vdev "net_pcap1,tx_pcap=$g-q0.pcap,tx_pcap=$g-q1.pcap" -- \
		--config "$work/gen.ini" --cmdline-file "$g.cmds" --duration 2 \
		--srtp-engine cryptodev >"$g.log" 2>&1 || { tail -20 "$g.log" >&2; exit 1; }
	"$PY" "$work/gen.py" rewrite "$SESSIONS" "$A_PORT" "$B_PORT" "$size" "$out" "$g"-q*.pcap
}

for size in $SIZES; do
	"$PY" "$work/gen.py" gen rtp - "$size" "$SESSIONS" "$A_PORT" "$work/rtp-$size.pcap"
	for p in $PROFILES; do
		if [[ " $MODES " == *" reencrypt "* || " $MODES " == *" decrypt "* ]]; then
			make_srtp_capture "$p" "$size" "$work/srtp-$p-$size.pcap"
		fi
	done
done
echo "captures made" >&2

# ---------------------------------------------------------------- measuring
# Run "$@" with its output in $log; once the null port's Tx-pps is non-zero
# (forwarding started), let it run $SECS more seconds, then SIGINT it.
# Prints the median Tx-pps of port 1 over the samples after the first
# non-zero one (warm-up), last (partial) sample excluded.
measure() {
	local log=$1
	shift
	"$@" >"$log" 2>&1 &
	run_pid=$!
	local waited=0
	while ! samples "$log" | awk '$1 > 0 { f = 1 } END { exit !f }'; do
		if ! kill -0 "$run_pid" 2>/dev/null; then
			echo "srtpfwd exited before forwarding; its log:" >&2
			tail -30 "$log" >&2
			exit 1
		fi
		waited=$((waited + 1))
		if [ "$waited" -gt 600 ]; then
			echo "srtpfwd: no traffic after 120 s; its log:" >&2
			tail -30 "$log" >&2
			exit 1
		fi
		sleep 0.2
	done
	if [ -n "$want_srtp_lib" ] && ! mapped_srtp_lib "$run_pid" "$want_srtp_lib"; then
		kill -KILL "$run_pid" 2>/dev/null || true
		exit 1
	fi
	if [ -n "$perf_out" ]; then
		perf record -q -e cpu-clock -F 4999 -g -C 1 -o "$perf_out" -- sleep "$SECS" \
			>/dev/null 2>&1
		sleep 1
	else
		sleep $((SECS + 1))
	fi
	kill -INT "$run_pid" 2>/dev/null || true
	local i=0
	while kill -0 "$run_pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.2; i=$((i + 1)); done
	kill -KILL "$run_pid" 2>/dev/null || true
	wait "$run_pid" 2>/dev/null || true
	run_pid=
	samples "$log" | "$PY" -c '
import statistics, sys
v = [int(x) for x in sys.stdin.read().split()]
while v and v[0] == 0:
    v.pop(0)
v = v[1:-1]          # first non-zero sample: warm-up; last: cut by SIGINT
print(int(statistics.median(v)) if v else 0)'
}

# Does process $1 run the libsrtp2 file $2 (the loader's choice, from its maps)?
mapped_srtp_lib() {
	local got
	got=$(awk '$6 ~ /libsrtp2\.so/ { print $6 }' "/proc/$1/maps" | sort -u)
	got=$(readlink -f "$got")
	[ "$got" = "$2" ] && return 0
	echo "srtpfwd mapped libsrtp2 '${got:-none}', not $2" >&2
	return 1
}

# Per-second Tx-pps samples of port 1 (periodic blocks only).
samples() {
	awk '/final counters/ { exit }
	     /######## port [0-9]+ statistics/ { p = $3 }
	     /Tx-pps:/ && p == 1 { print $2 }' "$1"
}

# Drops of a finished run: worker drops + port 1 TX errors, from the final
# counters; the reasons go to stderr.
drops() {
	awk '/final counters/ { f = 1 }
	     f && /######## port [0-9]+ statistics/ { p = $3 }
	     f && /TX-errors:/ && p == 1 { d += $4 }
	     f && /^  worker [0-9]+:/ { for (i = 1; i < NF; i++) if ($i == "dropped") d += $(i + 1) }
	     END { print d + 0 }' "$1"
}

# Drops up to the end of the measured window: the workers' total in the
# periodic block of the last sample measure() used (the one before the last).
# For the long capture, whose replays after it ran out (shutdown included)
# say nothing about the window.
window_drops() {
	awk '/final counters/ { exit }
	     /######## port 0 statistics/ { n++ }
	     /^  worker [0-9]+:/ { for (i = 1; i < NF; i++) if ($i == "dropped") d[n] += $(i + 1) }
	     END { print d[n - 1] + 0 }' "$1"
}

med() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

vdevs_for() {
	echo "--vdev net_pcap0,rx_pcap=$1,infinite_rx=1,tx_pcap=/dev/null,tx_pcap=/dev/null --vdev net_null1,no-rx=1"
}

# One srtpfwd run: $1 log, $2 cell, $3 engine (cryptodev, libsrtp-PEER), $4 capture,
# $5 config, $6 EAL MB, $7 file-prefix tag. Prints the median Tx-pps (see measure).
want_srtp_lib=	# set for a libsrtp-PEER run: the file it must map
fwd_run() {
	local eng=$3 envw=
	want_srtp_lib=
	if [ "${eng%%-*}" = libsrtp ]; then
		envw=$(libsrtp2_peer_env "${eng#libsrtp-}")
		want_srtp_lib=$(libsrtp2_peer_lib "${eng#libsrtp-}")
		eng=libsrtp
	fi
	# shellcheck disable=SC2046,SC2086
	measure "$1" env $envw "$srtpfwd" $(eal_mem_args "$6" "e2ae-$uid-$7") --no-pci -l 0-1 \
		--log-level='*:warning' $(vdevs_for "$4") -- --config "$5" \
		--cmdline-file "$work/$2.cmds" --stats-period 1 --duration 600 --srtp-engine "$eng"
}
lib_engines=
for peer in $LIBSRTP_PEERS; do lib_engines+=" libsrtp-$peer"; done

# The long capture of profile $1 (key A; "rtp": plain), payload $2, made once
# per (profile, size); sets long_cap, long_ini and long_mb for fwd_run.
long_capture() {
	local p=$1 size=$2 room n max rounds
	room=$(((size + 12 + 16 + 42 + 128 + 511) / 512 * 512))
	max=$((LIB_MEM_MB * 1048576 / (room + 256)))
	n=$((LIB_PKTS < max ? LIB_PKTS : max))
	rounds=$(((n + SESSIONS - 1) / SESSIONS))
	long_cap=$work/long-$p-$size.pcap
	if [ ! -f "$long_cap" ]; then
		rm -f "$work"/long-*.pcap
		if [ "$p" = rtp ]; then
			"$gen" -o "$long_cap" -n "$SESSIONS" -r "$rounds" -s "$size" -t 0 \
				-p "$A_PORT-59999" >/dev/null
		else
			"$gen" -o "$long_cap" -n "$SESSIONS" -r "$rounds" -s "$size" \
				-p "$A_PORT-59999" --srtp "$p:${KEY_A[$p]}" >/dev/null
		fi
	fi
	long_ini=$work/long-$size.ini
	gen_config net_null1 "$long_ini" $((rounds * SESSIONS)) "$room"
	long_mb=$(((rounds * SESSIONS + 32768) * (room + 256) / 1048576 + EAL_MB))
	echo "long capture $p $size B: $((rounds * SESSIONS)) packets" >&2
}

# res_lib, drop_lib, res_libl: by "$cell $peer"
declare -A res_cd res_lib drop_cd drop_lib res_x drop_x
declare -A res_libl=()
for p in $PROFILES; do
	for size in $SIZES; do
		for mode in $MODES; do
			cell="$p-$size-$mode"
			if [ "$mode" = encrypt ]; then cap=$work/rtp-$size.pcap; else cap=$work/srtp-$p-$size.pcap; fi
			session_cmd "$p" "$mode" >"$work/$cell.cmds"
			cd=() dcd=0
			declare -A lib=() dlib=() xr=() dx=()
			for ((r = 1; r <= REPEAT || r <= LIB_REPEAT; r++)); do
				for eng in cryptodev $EXTRA_ENGINES $lib_engines; do
					batched=0
					[[ " cryptodev $EXTRA_ENGINES " == *" $eng "* ]] && batched=1
					if [ $batched = 1 ] && [ $r -gt "$REPEAT" ]; then continue; fi
					if [ $batched = 0 ] && { [ $r -gt "$LIB_REPEAT" ] || [[ " $LIB_MODES " != *" $mode "* ]]; }; then continue; fi
					log=$work/$cell-$eng-$r.log
					if [ $batched = 0 ] && [ "$mode" != encrypt ]; then
						long_capture "$p" "$size"
						v=$(fwd_run "$log" "$cell" "$eng" "$long_cap" "$long_ini" "$long_mb" "$eng-$cell-$r")
						d=$(window_drops "$log")
					else
						v=$(fwd_run "$log" "$cell" "$eng" "$cap" "$work/bench.ini" "$EAL_MB" "$eng-$cell-$r")
						d=$(drops "$log")
					fi
					echo "$cell run $r: $eng $v pps, $d dropped" >&2
					if [ "$d" != 0 ]; then
						awk '/final counters/ { f = 1 } f && /worker|drop|^    / { print "  " $0 }' "$log" >&2
					fi
					if [ "$eng" = cryptodev ]; then
						cd+=("$v")
						dcd=$((dcd + d))
					elif [ $batched = 1 ]; then
						xr[$eng]+=" $v"
						dx[$eng]=$((${dx[$eng]:-0} + d))
					else
						lib[$eng]+=" $v"
						dlib[$eng]=$((${dlib[$eng]:-0} + d))
					fi
				done
			done
			res_cd[$cell]=$(med "${cd[@]}")
			drop_cd[$cell]=$dcd
			for peer in $LIBSRTP_PEERS; do
				if [ -n "${lib[libsrtp-$peer]:-}" ]; then
					# shellcheck disable=SC2086
					res_lib[$cell $peer]=$(med ${lib[libsrtp-$peer]})
				else
					res_lib[$cell $peer]=-
				fi
				drop_lib[$cell $peer]=${dlib[libsrtp-$peer]:-0}
			done
			for eng in $EXTRA_ENGINES; do
				# shellcheck disable=SC2086
				res_x[$cell $eng]=$(med ${xr[$eng]})
				drop_x[$cell $eng]=${dx[$eng]:-0}
			done
			unset lib dlib xr dx
			if [ "$LIB_LONG_CHECK" = 1 ] && [ "$mode" = encrypt ]; then
				long_capture rtp "$size"
				for peer in $LIBSRTP_PEERS; do
					v=$(fwd_run "$work/$cell-libl-$peer.log" "$cell" "libsrtp-$peer" "$long_cap" \
						"$long_ini" "$long_mb" "libl-$peer-$cell")
					d=$(window_drops "$work/$cell-libl-$peer.log")
					res_libl[$cell $peer]="$v $d"
					echo "$cell libsrtp-$peer on the long plain capture: $v pps, $d dropped" >&2
				done
			fi
			if [ -n "$PERF_DIR" ]; then
				mkdir -p "$PERF_DIR"
				perf_out=$PERF_DIR/$cell.data
				v=$(fwd_run "$work/$cell-perf.log" "$cell" "${PERF_ENGINE:-cryptodev}" "$cap" \
					"$work/bench.ini" "$EAL_MB" "perf-$cell")
				perf_out=
				echo "$cell profiled run (not in the medians): $v pps -> $PERF_DIR/$cell.data" >&2
			fi
		done
	done
done

# ---------------------------------------------------------------- crypto ceiling
# dpdk-test-crypto-perf, crypto_aesni_mb, one worker lcore, burst 32, as
# bench/srtp/run.sh: SRTP authenticates the RTP header too (buffer = 12 +
# payload for the AES-CM/NULL algorithms; GCM: 12-byte AAD + payload).
cperf() {	# $1 tag, $2 size, $3 run, rest: crypto-perf options
	local tag=$1 sz=$2 r=$3
	shift 3
	# shellcheck disable=SC2046
	dpdk-test-crypto-perf $(eal_mem_args 1024 "e2ae-cp-$uid-$tag-$sz-$r") --no-pci \
		-l 0,1 --log-level 'lib.*:error' --vdev crypto_aesni_mb -- --ptest throughput \
		--devtype crypto_aesni_mb --total-ops 2000000 --burst-sz 32 --silent "$@" 2>/dev/null |
		awk '$1 ~ /^[0-9]+$/ && NF >= 8 { print $8 }'
}
declare -A ceil
for size in $SIZES; do
	declare -A cpv=()
	for ((r = 1; r <= CP_REPEAT; r++)); do
		h=$((size + 12))
		cpv[ctr]+=" $(cperf ctr "$size" "$r" --optype cipher-then-auth --cipher-algo aes-ctr \
			--cipher-op encrypt --cipher-key-sz 16 --cipher-iv-sz 16 --auth-algo sha1-hmac \
			--auth-op generate --auth-key-sz 20 --digest-sz 10 --buffer-sz "$h")"
		cpv[hmac]+=" $(cperf hmac "$size" "$r" --optype auth-only --auth-algo sha1-hmac \
			--auth-op generate --auth-key-sz 20 --digest-sz 10 --buffer-sz "$h")"
		for k in 16 32; do
			cpv[gcm$k]+=" $(cperf "gcm$k" "$size" "$r" --optype aead --aead-algo aes-gcm \
				--aead-op encrypt --aead-key-sz $k --aead-iv-sz 12 --aead-aad-sz 12 \
				--digest-sz 16 --buffer-sz "$size")"
		done
	done
	for a in ctr hmac gcm16 gcm32; do
		# shellcheck disable=SC2086
		ceil[$a-$size]=$(med ${cpv[$a]})
		echo "crypto-perf $a $size: ${cpv[$a]} Mops" >&2
	done
	unset cpv
done

# ---------------------------------------------------------------- report
# cells.txt: profile size mode cryptodev ceiling cryptodev-drops, then
# "pps drops" for each peer of LIBSRTP_PEERS (pps "-": not measured), then
# "pps drops" for each of EXTRA_ENGINES.
{
	for p in $PROFILES; do for size in $SIZES; do for mode in $MODES; do
		cell="$p-$size-$mode"
		case $p in
		AEAD_AES_128_GCM) a=gcm16 ;;
		AEAD_AES_256_GCM) a=gcm32 ;;
		NULL_HMAC_SHA1_80) a=hmac ;;
		*) a=ctr ;;
		esac
		line="$p $size $mode ${res_cd[$cell]} ${ceil[$a-$size]} ${drop_cd[$cell]}"
		for peer in $LIBSRTP_PEERS; do
			line+=" ${res_lib[$cell $peer]} ${drop_lib[$cell $peer]}"
		done
		for eng in $EXTRA_ENGINES; do
			line+=" ${res_x[$cell $eng]} ${drop_x[$cell $eng]}"
		done
		echo "$line"
	done; done; done
} >"$work/cells.txt"
# bench/run's long CSV (bench,case,series,x,value,unit): one row per cell and series.
if [ -n "${CSV:-}" ]; then
	EXTRA_ENGINES="$EXTRA_ENGINES" "$PY" - "$work/cells.txt" $LIBSRTP_PEERS >>"$CSV" <<'PY'
import os, sys
names = {"debian": "Debian NSS", "openssl": "OpenSSL"}
peers = sys.argv[2:]
extra = os.environ["EXTRA_ENGINES"].split()
for line in open(sys.argv[1]):
    f = line.split()
    p, size, mode, cd, ceil = f[:5]
    case = "%s:%s" % (p, mode)
    print("e2ae,%s,srtpfwd cryptodev,%s,%.4f,Mpps" % (case, size, int(cd) / 1e6))
    for e, v in zip(extra, f[6 + 2 * len(peers)::2]):
        print("e2ae,%s,srtpfwd %s,%s,%.4f,Mpps" % (case, e, size, int(v) / 1e6))
    for q, v in zip(peers, f[6::2]):
        if v != "-":
            print("e2ae,%s,srtpfwd libsrtp (%s),%s,%.4f,Mpps" % (case, names.get(q, q), size, int(v) / 1e6))
    try:
        c = float(ceil)
        print("e2ae,%s,%s,%s,%.4f,Mpps" % (case, "crypto ceiling / 2" if mode == "reencrypt" else
                                          "crypto ceiling", size, c / 2 if mode == "reencrypt" else c))
    except ValueError:
        pass
PY
fi
# The peers for the two reports: FAIR_PEER first, then "peer" "column name".
peer_args=("$FAIR_PEER")
for peer in $LIBSRTP_PEERS; do peer_args+=("$peer" "$(libsrtp2_peer_name "$peer")"); done

tbl=$(EXTRA_ENGINES="$EXTRA_ENGINES" "$PY" - "$work/cells.txt" "${peer_args[@]}" <<'PY'
import os, sys
fair, peers = sys.argv[2], list(zip(sys.argv[3::2], sys.argv[4::2]))
extra = os.environ["EXTRA_ENGINES"].split()
names = dict(peers)
head = ["profile", "payload", "mode", "cryptodev (Mpps)"]
head += [f"{e} (Mpps)" for e in extra]
head += [f"{n} (Mpps)" for _, n in peers]
# Ratio columns by build id (debian, openssl), named in the lines above the table.
head += [f"cryptodev / {fair}"]
head += [f"{fair} / {p}" for p, _ in peers if p != fair]
head += [f"{e} / {fair}" for e in extra]
head += ["crypto ceiling per packet (Mpps)", "cryptodev / ceiling"]
head += [f"{e} / ceiling" for e in extra]
print("| " + " | ".join(head) + " |")
print("|---|---:|---|" + "---:|" * (len(head) - 3))
for line in open(sys.argv[1]):
    f = line.split()
    p, size, mode, cd, ceil, dcd = f[:6]
    lib = {q: (int(v) / 1e6 if v != '-' else 0, d) for q, (v, d) in
           zip([q for q, _ in peers], zip(f[6::2], f[7::2]))}
    cd = int(cd) / 1e6
    xs = [(int(v) / 1e6, d) for v, d in zip(f[6 + 2 * len(peers)::2], f[7 + 2 * len(peers)::2])]
    try:
        ceil = float(ceil)
    except ValueError:
        ceil = float('nan')
    cp = ceil / 2 if mode == 'reencrypt' else ceil   # two crypto ops a re-encryption
    ref = ' (digest 10)' if p == 'AES_CM_128_HMAC_SHA1_32' else ''
    mark = lambda d: '' if d == '0' else f' (**{d} dropped**)'
    cells = [p, size, mode, f"{cd:.2f}{mark(dcd)}"]
    cells += [f"{v:.2f}{mark(d)}" for v, d in xs]
    cells += [f"{v:.3f}{mark(d)}" if v else "n/m" for v, d in lib.values()]
    lf = lib[fair][0]
    cells.append(f"{cd / lf:.1f}" if lf else "-")
    for q, _ in peers:
        if q != fair:
            cells.append(f"{lf / lib[q][0]:.1f}" if lf and lib[q][0] else "-")
    cells += [f"{v / lf:.1f}" if lf else "-" for v, _ in xs]
    cells += [f"{cp:.2f}{ref}", f"{cd / cp:.2f}"]
    cells += [f"{v / cp:.2f}" for v, _ in xs]
    print("| " + " | ".join(cells) + " |")
PY
)
targets=$(EXTRA_ENGINES="$EXTRA_ENGINES" "$PY" - "$work/cells.txt" "${peer_args[@]}" <<'PY'
import os, sys
fair, peers = sys.argv[2], list(zip(sys.argv[3::2], sys.argv[4::2]))
extra = os.environ["EXTRA_ENGINES"].split()
c = {}
for line in open(sys.argv[1]):
    f = line.split()
    c[(f[0], f[1], f[2])] = (f, {q: (int(v) / 1e6 if v != '-' else 0)
                                 for (q, _), v in zip(peers, f[6::2])})
yes = lambda b: 'met' if b else '**not met**'
k = ('AES_CM_128_HMAC_SHA1_80', '160', 'reencrypt')
if k in c:
    f, lib = c[k]
    cd, ceil = int(f[3]) / 1e6, float(f[4]) / 2
    print(f"* AES_CM_128_HMAC_SHA1_80, 160 B, re-encrypt >= 4.5 Mpps: {cd:.2f} Mpps, {yes(cd >= 4.5)}")
    # Against the strongest peer first (the target's), then the others for reference.
    for q, name in sorted(peers, key=lambda x: x[0] != fair):
        tag = "" if q == fair else " (for reference)"
        if lib[q]:
            print(f"* same, >= 15 x {name} in the same run{tag}: {cd / lib[q]:.1f} x "
                  f"({lib[q]:.3f} Mpps), {yes(cd >= 15 * lib[q])}")
            continue
        e = c.get(('AES_CM_128_HMAC_SHA1_80', '160', 'encrypt'))
        le = e[1][q] if e else 0
        if le:
            print(f"* same, >= 15 x {name}{tag}: its re-encrypt not measured here (LIB_MODES); "
                  f"estimate from its encrypt in this run ({le:.3f} Mpps), re-encrypt ~ encrypt / 2 = "
                  f"{le / 2:.3f} Mpps: {cd / (le / 2):.1f} x, {yes(cd >= 15 * le / 2)} (estimate)")
    print(f"* same, >= 0.8 x half the crypto ceiling ({ceil:.2f} Mpps): {cd / ceil:.2f} x, {yes(cd >= 0.8 * ceil)}")
k = ('AEAD_AES_128_GCM', '160', 'reencrypt')
if k in c:
    f, _ = c[k]
    cd, ceil = int(f[3]) / 1e6, float(f[4]) / 2
    print(f"* AEAD_AES_128_GCM, 160 B, re-encrypt >= 8 Mpps: {cd:.2f} Mpps, {yes(cd >= 8)} "
          f"(half the crypto ceiling here: {ceil:.2f} Mpps)")
# The same cells on each extra back end (issue 15: >= 0.8 x half the ceiling, >= 4 x the fair peer).
for k in (('AES_CM_128_HMAC_SHA1_80', '160', 'reencrypt'), ('AEAD_AES_128_GCM', '160', 'reencrypt')):
    if k not in c:
        continue
    f, lib = c[k]
    ceil = float(f[4]) / 2
    for e, v in zip(extra, f[6 + 2 * len(peers)::2]):
        x = int(v) / 1e6
        line = (f"* {k[0]}, 160 B, re-encrypt on {e}: {x:.2f} Mpps = {x / ceil:.2f} x half the "
                f"crypto ceiling ({ceil:.2f} Mpps; goal >= 0.8: {yes(x >= 0.8 * ceil)})")
        if lib.get(fair):
            line += f", {x / lib[fair]:.1f} x {fair} (goal >= 4: {yes(x >= 4 * lib[fair])})"
        print(line + f", {x / (int(f[3]) / 1e6):.2f} x cryptodev")
PY
)
echo "$tbl"
echo "$targets"
if [ -n "$RESULTS" ]; then
	host_cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
	dpdk_ver=$(pkg-config --modversion libdpdk 2>/dev/null || echo unknown)
	ipsec_mb=$(dpkg-query -W -f '${Version}' libipsec-mb1 2>/dev/null || echo unknown)
	{
		echo "# e2ae SRTP benchmark through the forwarder"
		echo
		echo "Generated by \`bench/e2ae_forward.sh\`; the section \"Reading it\" is written by hand and kept from the previous file."
		echo
		echo "* Command: \`$cmdline\` (EXTRA_ENGINES=\"$EXTRA_ENGINES\", REPEAT=$REPEAT, LIB_REPEAT=$LIB_REPEAT, LIB_MODES=\"$LIB_MODES\", LIBSRTP_PEERS=\"$LIBSRTP_PEERS\", CP_REPEAT=$CP_REPEAT, BENCH_SECONDS=$SECS, SESSIONS=$SESSIONS, BURST=$BURST)"
		echo "* Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
		echo "* Commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD -- lib app 2>/dev/null || echo ' (lib/ or app/ modified in the working tree)')"
		echo "* Machine: $(nproc) CPUs, $host_cpu, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(eal_mem_describe), -m $EAL_MB (long captures: more)"
		echo "* DPDK $dpdk_ver, crypto_aesni_mb (libipsec-mb $ipsec_mb); lcore 0 control, lcore 1 the one worker"
		echo "* Traffic: net_pcap0 rx_pcap + infinite_rx=1, $SESSIONS e2ae sessions, one packet per session (distinct SSRC), looped -> net_null1; Tx-pps of net_null1. mbuf-data-room 2048 for every size"
		echo "* Sessions: a-latch=strict, replay-check=off (the capture loops), a-rx / b-tx as the mode says, keys random per run"
		echo "* libsrtp2 re-encrypt and decrypt (its inbound replay check cannot be switched off): a long capture that does not loop while measured, up to LIB_PKTS=$LIB_PKTS packets ($SESSIONS flows, consecutive sequence numbers, protected by libsrtp2 with key A; at most LIB_MEM_MB=$LIB_MEM_MB of mbufs), in memory (net_pcap infinite_rx=1) like the looped one; libsrtp2 encrypt: the looped RTP capture"
		for peer in $LIBSRTP_PEERS; do
			echo "* libsrtp2 build \"$peer\": $(libsrtp2_peer_name "$peer"), $(libsrtp2_peer_lib "$peer")$([ "$peer" = openssl ] && echo " (bench/peers/libsrtp2-openssl.sh; srtpfwd unchanged, LD_LIBRARY_PATH)"); each run checked to have mapped it"
		done
		if [ "$FAIR_PEER" != openssl ]; then
			echo "* **The fair peer was not measured**: libsrtp2 over OpenSSL (bench/peers/libsrtp2-openssl.sh) was not built or not in LIBSRTP_PEERS; Debian's NSS build is several times slower for AES-CM (bench/peers/README.md), so the libsrtp2 ratios here overstate srtpfwd's lead"
		fi
		echo "* Value: median over REPEAT (cryptodev) / LIB_REPEAT (libsrtp2) runs of the median per-second Tx-pps ($SECS s after the first second of traffic); no run had drops unless marked"
		echo "* Crypto ceiling: dpdk-test-crypto-perf throughput, crypto_aesni_mb, burst 32, median of $CP_REPEAT runs, in Mops, halved for re-encrypt (two crypto operations a packet): aes-ctr-128 + sha1-hmac digest 10 on 12 + payload bytes (AES-CM profiles), sha1-hmac alone (NULL), aes-gcm-128/256 with 12-byte AAD on the payload (GCM)"
		echo
		echo "$tbl"
		echo
		echo "Targets (issue), on one worker core:"
		echo
		echo "$targets"
		if [ ${#res_libl[@]} -gt 0 ]; then
			echo
			echo "What the long capture costs by itself: libsrtp2 encrypt on a long plain capture (LIB_LONG_CHECK=1) against the looped one, Mpps:"
			echo
			for key in "${!res_libl[@]}"; do
				read -r v d <<<"${res_libl[$key]}"
				echo "* ${key% *}, libsrtp2 ${key##* }: long $(awk -v v="$v" 'BEGIN { printf "%.3f", v / 1e6 }'), looped $(awk -v v="${res_lib[$key]}" 'BEGIN { printf "%.3f", v / 1e6 }')$([ "$d" = 0 ] || echo " ($d dropped)")"
			done
		fi
		# The hand-written reading of the numbers stays (to be updated by hand).
		if [ -f "$RESULTS" ] && grep -q '^## Reading it' "$RESULTS"; then
			echo
			sed -n '/^## Reading it/,$p' "$RESULTS"
		fi
	} >"$work/results.md"
	mv "$work/results.md" "$RESULTS"
	echo "wrote $RESULTS" >&2
fi
