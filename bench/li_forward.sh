#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Lawful interception benchmark: the forwarding rate of one worker lcore
# with 0 %, 10 % and 100 % of the sessions intercepted, the copies the
# interception made and lost, and how many of them reached the mediation
# function.
#
#   net_pcap0 (rx_pcap=<capture>, infinite_rx=1) -> srtpfwd e2ae -> net_null1
#                                                      |
#                              control lcore: X3 PDUs, TCP -> sink 127.0.0.1
#
# As bench/e2ae_forward.sh's re-encrypt mode: SESSIONS e2ae sessions,
# AES_CM_128_HMAC_SHA1_80 on both legs (SRTP key A in on access, key B out on
# core), replay-check=off (the capture loops), one packet per session (RTP
# payload SIZE bytes, distinct SSRC) made by pylibsrtp + scapy, looped by
# net_pcap0; throughput = Tx-pps of net_null1, median of the per-second
# samples after warm-up, median of REPEAT runs; every run's drops checked.
#
# Every run has the same configuration: one [mediation-function mf]
# (transport tcp, keepalive 0) that the control lcore connects to: a Python
# sink on 127.0.0.1 (pinned to CPU 0, the control lcore's; the worker has CPU
# 1 to itself) that reads 1 MiB chunks and counts the bytes; the first MiB is
# kept to learn the PDUs' sizes (X2 keys first, then fixed-size X3 copies).
# A case PCT gives SESSIONS * PCT / 100 sessions (spread over the ids) a task
# (`li start`, distinct XID, target a): each of their packets is copied by
# the worker (the clear RTP between unprotect and protect) into the LI pool
# and ring, and becomes one X3 PDU on the control lcore. The cases of one
# repetition run back to back, so the ratio to 0 % is within a repetition.
# `show li` is read on the console (a fifo) at the start and at the end of
# the measured window: the copies made (workers), lost (ring-full, no-mbuf,
# task dropped = MF queue full, mf dropped) and the X3 rate of the control
# lcore; after srtpfwd exits, the sink's X3 PDUs against the packets of the
# tapped sessions (worker rx * tapped / SESSIONS) say what reached the MF.
# A lost copy is not a forwarding failure: LI never slows media, a congested
# LI path drops copies; forwarding drops (worker, net_null1 TX) mark a cell.
# The case 100-down is 100 % with the MF's port closed (no sink; the MF in
# back-off): the workers copy every packet as in 100 %, the control lcore
# drains the rings and drops the PDUs (task dropped) without writing to a
# socket: the workers' own cost of copying, apart from the PDU and TCP work
# on CPU 0. The worker's and CPU 0's steal time (/proc/stat) over the window
# is reported with each run: on a shared VM host it moves the rate more than
# interception does.
#
# Usage: bench/li_forward.sh [build-dir]       (from anywhere; ~2 minutes on the 2-CPU VM)
# Env:   REPEAT (3), BENCH_SECONDS (3), SESSIONS (64), SIZE (160), CASES ("0 10 100 100-down"),
#        RESULTS (bench/RESULTS-li.md; empty: do not write), HUGE (bench/lib/eal_mem.sh)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
BUILD=${1:-$root/build}
REPEAT=${REPEAT:-3}
SECS=${BENCH_SECONDS:-3}
SESSIONS=${SESSIONS:-64}
SIZE=${SIZE:-160}
CASES=${CASES:-"0 10 100 100-down"}
RESULTS=${RESULTS-$here/RESULTS-li.md}
PROFILE=AES_CM_128_HMAC_SHA1_80
PY=/usr/bin/python3		# has python3-pylibsrtp and scapy
cmdline="$0 $*"

work=$(mktemp -d /tmp/srtpfwd-li.XXXXXX)
sink_pid=
# shellcheck disable=SC2034  # read by bench/lib/pps.sh
PPS_WORK=$work
. "$here/lib/pps.sh"
. "$here/lib/eal_mem.sh"
stop_sink() {
	if [ -n "$sink_pid" ]; then
		kill -TERM "$sink_pid" 2>/dev/null || true
		wait "$sink_pid" 2>/dev/null || true
		sink_pid=
	fi
}
cleanup() {
	pps_cleanup
	stop_sink
	rm -rf "$work"
	eal_mem_restore
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ninja -C "$BUILD" app/srtpfwd >/dev/null
srtpfwd=$BUILD/app/srtpfwd
"$PY" -c 'import pylibsrtp, scapy' 2>/dev/null || { echo "$PY lacks pylibsrtp/scapy (apt-get install python3-pylibsrtp python3-scapy)" >&2; exit 1; }
command -v taskset >/dev/null || { echo "taskset not found (util-linux)" >&2; exit 1; }

A_PORT=20000	# first local port on access (the capture's destinations)
B_PORT=30000	# first local port on core
EAL_MB=2048
uid=$$
eal_mem_setup $((EAL_MB + 256))

# ---------------------------------------------------------------- capture
cat >"$work/gen.py" <<'PY'
import base64, sys
from scapy.all import Ether, IP, UDP, Raw, wrpcap
import pylibsrtp

key, size, flows, base, out = sys.argv[1:6]
size, flows, base = int(size), int(flows), int(base)
pol = pylibsrtp.Policy(key=base64.b64decode(key), ssrc_type=pylibsrtp.Policy.SSRC_ANY_OUTBOUND,
                       srtp_profile=pylibsrtp.Policy.SRTP_PROFILE_AES128_CM_SHA1_80)
sess = pylibsrtp.Session(policy=pol)
pkts = []
for i in range(flows):
    rtp = (bytes([0x80, 96]) + (1000 + i).to_bytes(2, 'big') + (160 * i).to_bytes(4, 'big') +
           (0x10000000 + i).to_bytes(4, 'big') + bytes((j * 7 + i) & 0xff for j in range(size)))
    pkts.append(Ether(dst='02:00:00:00:00:01', src='02:00:00:00:00:02') /
                IP(src='198.18.0.2', dst='198.18.1.1', ttl=64) /
                UDP(sport=5000, dport=base + i) / Raw(sess.protect(rtp)))
wrpcap(out, pkts)
PY
KEY_A=$(head -c 30 /dev/urandom | base64 -w0)
KEY_B=$(head -c 30 /dev/urandom | base64 -w0)
"$PY" "$work/gen.py" "$KEY_A" "$SIZE" "$SESSIONS" "$A_PORT" "$work/srtp.pcap"

# ---------------------------------------------------------------- the mediation function's sink
cat >"$work/sink.py" <<'PY'
import os, signal, socket, sys

port_file, stats_file, prefix_file = sys.argv[1:4]
PREFIX = 1 << 20
total = conns = 0
prefix = bytearray()
buf = bytearray(1 << 20)

def dump():
    with open(stats_file + '.tmp', 'w') as f:
        f.write(f'{total} {conns}\n')
    os.replace(stats_file + '.tmp', stats_file)

signal.signal(signal.SIGTERM, lambda *a: (dump(), os._exit(0)))
ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(('127.0.0.1', 0))
ls.listen(8)
with open(port_file + '.tmp', 'w') as f:
    f.write(f'{ls.getsockname()[1]}\n')
os.replace(port_file + '.tmp', port_file)
while True:
    c, _ = ls.accept()
    conns += 1
    while True:
        n = c.recv_into(buf)
        if n == 0:
            break
        if conns == 1 and len(prefix) < PREFIX:
            prefix += buf[:min(n, PREFIX - len(prefix))]
        total += n
    c.close()
    if conns == 1:
        with open(prefix_file, 'wb') as f:
            f.write(prefix)
    dump()
PY

# PDUs the sink received: "x2 x3 x3_size rest" from its byte count and its
# first MiB (X2 key PDUs come first, at `li start`; X3 copies all have the
# same size; rest: bytes that are not a whole X3 PDU, 0 unless cut at exit).
sink_pdus() {
	"$PY" - "$1" "$2" <<'PY'
import sys
total = int(open(sys.argv[1]).read().split()[0])
try:
    b = open(sys.argv[2], 'rb').read()
except FileNotFoundError:
    b = b''
off = x2 = x3 = 0
sizes = set()
while off + 12 <= len(b):
    t = int.from_bytes(b[off + 2:off + 4], 'big')
    n = int.from_bytes(b[off + 4:off + 8], 'big') + int.from_bytes(b[off + 8:off + 12], 'big')
    if off + n > len(b):
        break
    if t == 1:
        x2 += 1
    elif t == 2:
        x3 += 1
        sizes.add(n)
    off += n
if len(sizes) > 1:
    sys.exit(f'sink: X3 PDUs of {len(sizes)} sizes {sorted(sizes)}')
size = sizes.pop() if sizes else 0
rest = total - off
if size:
    x3 += rest // size
    rest %= size
print(x2, x3, size, rest)
PY
}

# ---------------------------------------------------------------- configuration, console
# $1: the sink's port, $2: output file
gen_config() {
	cat >"$2" <<EOF
# LI benchmark: $SESSIONS e2ae sessions, capture replayed into 'access' (net_pcap),
# forwarded out of 'core' (net_null1); intercepted copies to mediation function mf.
[general]
max-sessions = 1024
mbufs = $((SESSIONS + 32768))
mbuf-data-room = 2048
srtp-contexts = $((4 * SESSIONS + 64))

[interface access]
exposed = no
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

[mediation-function mf]
address = 127.0.0.1
port = $1
transport = tcp
keepalive = 0
EOF
}

tasks_of() { echo $((SESSIONS * $1 / 100)); }

# Console commands of case $1 (percent): the sessions, then a task on every
# (SESSIONS / tasks)-th session.
gen_cmds() {
	local k i
	k=$(tasks_of "$1")
	echo "session add e2ae access $A_PORT core $B_PORT a-remote=198.18.0.2:5000 a-latch=strict" \
		"b-remote=198.19.0.2:6000 a-rx=$PROFILE:inline:$KEY_A b-tx=$PROFILE:inline:$KEY_B" \
		"replay-check=off count=$SESSIONS"
	for ((i = 0; i < k; i++)); do
		printf 'li start 00000000-0000-4000-8000-%012x %u mf session %u\n' \
			"$i" $((i + 1)) $((i * SESSIONS / k))
	done
}

# ---------------------------------------------------------------- measuring
# Per-second Tx-pps samples of port 1 (periodic blocks only, prompts stripped).
samples() { pps_samples srtpfwd "$1" 1 Tx-pps; }

# Median of the samples after the first non-zero one (warm-up), last (cut by SIGINT) excluded.
median_pps() {
	samples "$1" | "$PY" -c '
import statistics, sys
v = [int(x) for x in sys.stdin.read().split()]
while v and v[0] == 0:
    v.pop(0)
v = v[1:-1]
print(int(statistics.median(v)) if v else 0)'
}

# Drops of a finished run: worker drops + port 1 TX errors, from the final counters.
drops() {
	awk '/final counters/ { f = 1 }
	     f && /######## port [0-9]+ statistics/ { p = $3 }
	     f && /TX-errors:/ && p == 1 { d += $4 }
	     f && /^  worker [0-9]+:/ { for (i = 1; i < NF; i++) if ($i == "dropped") d += $(i + 1) }
	     END { print d + 0 }' "$1"
}

# Packets the worker received, from the final counters.
worker_rx() {
	awk '/final counters/ { f = 1 }
	     f && /^  worker [0-9]+:/ { for (i = 1; i < NF; i++) if ($i == "rx") n += $(i + 1) }
	     END { print n + 0 }' "$1"
}

# The two `show li` snapshots of a log ($2 $3: their times, s) as
# "copies ring_full no_mbuf task_copies task_dropped mf_pdus mf_bytes mf_queued
#  mf_dropped mf_connects stale tasks copies_per_s pdus_per_s bytes_per_s".
li_counters() {
	"$PY" - "$1" "$2" "$3" <<'PY'
import re, sys
log, t0, t1 = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
snaps, cur = [], None
for line in open(log, errors='replace'):
    line = re.sub(r'^(srtpfwd> *)+', '', line.rstrip('\n'))
    if line.startswith('li tasks:'):
        cur = dict(tasks=int(line.split()[2]), tcopies=0, tdropped=0)
    elif cur is None:
        continue
    elif line.startswith('  task '):
        cur['tcopies'] += int(re.search(r' copies (\d+)', line).group(1))
        cur['tdropped'] += int(re.search(r' dropped (\d+)', line).group(1))
    elif line.startswith('  mf mf '):
        for k in ('connects', 'pdus', 'bytes', 'queued', 'dropped'):
            cur['mf_' + k] = int(re.search(r' %s (\d+)' % k, line).group(1))
    elif line.startswith('li stale copies:'):
        cur['stale'] = int(line.split()[3])
    elif line.startswith('li workers:'):
        m = re.search(r'copies (\d+), ring-full (\d+), no-mbuf (\d+)', line)
        cur['copies'], cur['ring_full'], cur['no_mbuf'] = map(int, m.groups())
        snaps.append(cur)
        cur = None
if len(snaps) < 2:
    sys.exit(f'{log}: {len(snaps)} show li outputs, want 2')
a, b = snaps[0], snaps[-1]
dt = t1 - t0
rate = lambda k: int((b[k] - a[k]) / dt)
print(b['copies'], b['ring_full'], b['no_mbuf'], b['tcopies'], b['tdropped'], b['mf_pdus'],
      b['mf_bytes'], b['mf_queued'], b['mf_dropped'], b['mf_connects'], b['stale'], b['tasks'],
      rate('copies'), rate('mf_pdus'), rate('mf_bytes'))
PY
}

# CPU use over the window from two /proc/stat snapshots ($1, $2) of cpu0 and
# cpu1: "cpu0_busy cpu0_steal cpu1_steal", percent of the CPU's time (busy:
# user, nice, system, irq, softirq: the control lcore, the sink, the kernel's
# TCP; steal: the hypervisor ran something else).
cpu_use() {
	awk 'FNR == NR { for (i = 2; i <= NF; i++) a[$1, i] = $i; next }
	     { t = 0; for (i = 2; i <= 9; i++) { d[$1, i] = $i - a[$1, i]; t += d[$1, i] } tot[$1] = t }
	     END { printf "%d %d %d\n", 100 * (d["cpu0", 2] + d["cpu0", 3] + d["cpu0", 4] + d["cpu0", 7] + d["cpu0", 8]) / tot["cpu0"],
	                  100 * d["cpu0", 9] / tot["cpu0"], 100 * d["cpu1", 9] / tot["cpu1"] }' "$1" "$2"
}

# One run of case $1 (PCT, or PCT-down: the MF's port closed, no sink), repetition $2.
# Appends a line to $work/runs.txt:
# "case r pps drops rx li_counters... sink_x2 sink_x3 x3_size rest cpu0_busy cpu0_steal cpu1_steal".
one_run() {
	local c=$1 pct=${1%-down} r=$2 tag=$1-$2 log port t0 t1 v d rx lc sp cpu i
	log=$work/run-$tag.log
	rm -f "$work/port" "$work/sink-$tag.stats"
	if [ "$c" = "$pct" ]; then
		taskset -c 0 "$PY" "$work/sink.py" "$work/port" "$work/sink-$tag.stats" "$work/sink-$tag.prefix" &
		sink_pid=$!
		i=0
		while [ ! -s "$work/port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
		[ -s "$work/port" ] || { echo "the sink did not start" >&2; exit 1; }
		port=$(cat "$work/port")
	else
		# A port nobody listens on: the MF is refused, then in back-off.
		port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	fi
	gen_config "$port" "$work/li.ini"
	gen_cmds "$pct" >"$work/case-$pct.cmds"
	# shellcheck disable=SC2046
	pps_start srtpfwd "$log" "$srtpfwd" $(eal_mem_args "$EAL_MB" "li-$uid-$tag") --no-pci -l 0-1 \
		--log-level='*:warning' \
		--vdev "net_pcap0,rx_pcap=$work/srtp.pcap,infinite_rx=1,tx_pcap=/dev/null,tx_pcap=/dev/null" \
		--vdev net_null1,no-rx=1 -- --config "$work/li.ini" --cmdline-file "$work/case-$pct.cmds" \
		--stats-period 1 --duration 600
	pps_wait srtpfwd "$log" 1 Tx-pps
	t0=$(date +%s.%N)
	grep '^cpu[01] ' /proc/stat >"$work/stat0"
	pps_console show li
	sleep $((SECS + 1))
	t1=$(date +%s.%N)
	grep '^cpu[01] ' /proc/stat >"$work/stat1"
	pps_console show li
	sleep 0.3
	pps_stop
	v=$(median_pps "$log")
	d=$(drops "$log")
	rx=$(worker_rx "$log")
	lc=$(li_counters "$log" "$t0" "$t1")
	cpu=$(cpu_use "$work/stat0" "$work/stat1")
	sp="0 0 0 0"
	if [ -n "$sink_pid" ]; then
		i=0
		while [ ! -s "$work/sink-$tag.stats" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
		stop_sink
		sp=$(sink_pdus "$work/sink-$tag.stats" "$work/sink-$tag.prefix")
	fi
	if [ "$(grep -c '^li: task .* started' "$log")" != "$(tasks_of "$pct")" ]; then
		echo "case $c: not every task started; its log:" >&2
		grep -i 'li\b\|li start\|error' "$log" | head -20 >&2
		exit 1
	fi
	echo "$c $r $v $d $rx $lc $sp $cpu" >>"$work/runs.txt"
	echo "li $c run $r: $v pps (samples: $(samples "$log" | tr '\n' ' ')), $d dropped;" \
		"li: $lc; sink: $sp; cpu0 busy/steal, cpu1 steal (%): $cpu" >&2
	if [ "$d" != 0 ]; then
		awk '/final counters/ { f = 1 } f && /worker|drop|^    / { print "  " $0 }' "$log" >&2
	fi
}

: >"$work/runs.txt"
for ((r = 1; r <= REPEAT; r++)); do
	for c in $CASES; do
		one_run "$c" "$r"
	done
done

# ---------------------------------------------------------------- report
tbl=$("$PY" - "$work/runs.txt" "$SESSIONS" "$CASES" "$SIZE" <<'PY'
import statistics, sys
runs, n, cases = sys.argv[1], int(sys.argv[2]), sys.argv[3].split()
F = ('case r pps drops rx copies ring_full no_mbuf tcopies tdropped pdus bytes queued mfdropped '
     'connects stale tasks copies_s pdus_s bytes_s x2 x3 x3size rest busy0 steal0 steal1').split()
rows = [dict(zip(F, l.split())) for l in open(runs)]
for r in rows:
    for k in F[1:]:
        r[k] = int(r[k])
by = {c: [r for r in rows if r['case'] == c] for c in cases}
name = lambda c: f"{c[:-5]} %, MF down" if c.endswith('-down') else f'{c} %'
reps = sorted({r['r'] for r in rows})
med = lambda v: statistics.median(v)
base = by.get('0') or by[cases[0]]
base_pps = med([r['pps'] for r in base])
def rep_ratio(c):
    out = []
    for k in reps:
        a = [r['pps'] for r in by[c] if r['r'] == k]
        b = [r['pps'] for r in base if r['r'] == k]
        if a and b and b[0]:
            out.append(f'{a[0] / b[0]:.3f}')
    return ' / '.join(out)
steal_pps = lambda r: r['pps'] / (1 - r['steal1'] / 100) if r['steal1'] < 100 else 0
base_ns = 1e9 / base_pps
print('| intercepted | tasks | Mpps (median) | runs (Mpps) | ratio to 0 % | per repetition | '
      'ns/packet (worker) | + ns per copied packet | worker CPU steal % | CPU 0 busy % | forwarding drops |')
print('|---|---:|---:|---|---:|---|---:|---:|---:|---:|---:|')
for c in cases:
    v = by[c]
    p = med([r['pps'] for r in v])
    d = sum(r['drops'] for r in v)
    frac = v[0]['tasks'] / n
    ns = 1e9 / p if p else 0
    extra = f'{(ns - base_ns) / frac:+.0f}' if frac and p else '-'
    print(f"| {name(c)} | {v[0]['tasks']} of {n} | {p / 1e6:.3f} | "
          f"{', '.join('%.3f' % (r['pps'] / 1e6) for r in v)} | {p / base_pps:.3f} | {rep_ratio(c)} | "
          f"{ns:.0f} | {extra} | {', '.join(str(r['steal1']) for r in v)} | "
          f"{', '.join(str(r['busy0']) for r in v)} | "
          f"{d if d else 0}{' **(marked)**' if d else ''} |")
print()
print('LI counters per case, medians over the runs: copies and losses from `show li` at the end of the '
      'window; rates over the window; tapped packets and the sink until srtpfwd exited:')
print()
print('| intercepted | copies made (workers) | ring-full | no-mbuf | task dropped | mf dropped | stale | '
      'copies/s (workers) | X3 PDUs/s (control lcore) | MB/s to the MF | tapped packets | X3 PDUs at the sink | '
      'reached the sink |')
print('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
for c in cases:
    v = by[c]
    m = lambda k: int(med([r[k] for r in v]))
    tapped = [r['rx'] * r['tasks'] // n for r in v]
    reach = [r['x3'] / t for r, t in zip(v, tapped) if t]
    reached = f'{med(reach) * 100:.1f} %' if reach else '-'
    print(f"| {name(c)} | {m('copies')} | {m('ring_full')} | {m('no_mbuf')} | "
          f"{m('tdropped')} | {m('mfdropped')} | {m('stale')} | {m('copies_s')} | {m('pdus_s')} | "
          f"{m('bytes_s') / 1e6:.1f} | {int(med(tapped))} | {m('x3')} | {reached} |")
x = [r for r in rows if r['x3size']]
if x:
    print()
    print(f"* X3 PDU: {x[0]['x3size']} bytes each ({x[0]['x3size'] - 12 - int(sys.argv[4])} of header and "
          f"attributes, the {12 + int(sys.argv[4])}-byte clear RTP packet); X2 key PDUs at the sink per run: "
          f"{', '.join(str(r['x2']) for r in x)}; bytes left over at the sink (a PDU cut at exit): "
          f"{', '.join(str(r['rest']) for r in x)}; MF connections per run: "
          f"{', '.join(str(r['connects']) for r in rows)}")
print(f"* Steal-adjusted (Mpps / (1 - worker CPU steal), a rate per second of worker CPU actually had; "
      f"median; ratio to 0 %): " + ', '.join(f"{name(c)}: {med([steal_pps(r) for r in by[c]]) / 1e6:.3f} "
      f"({med([steal_pps(r) for r in by[c]]) / med([steal_pps(r) for r in base]):.3f})" for c in cases))
ten = by.get('10')
if ten and '0' in by:
    q = med([r['pps'] for r in ten]) / base_pps
    print()
    print(f"Goal (issue): 10 % >= 0.9 x 0 %: {q:.3f} x (median of 10 % / median of 0 %), "
          f"{'met' if q >= 0.9 else '**not met**'}")
PY
)
echo "$tbl"
if [ -n "$RESULTS" ]; then
	host_cpu=$(lscpu | awk -F': *' '/^Model name/ { print $2; exit }')
	dpdk_ver=$(pkg-config --modversion libdpdk 2>/dev/null || echo unknown)
	{
		echo "# Lawful interception: forwarding rate with 0 %, 10 % and 100 % of sessions intercepted"
		echo
		echo "Generated by \`bench/li_forward.sh\`; the section \"Reading it\" is written by hand and kept from the previous file."
		echo
		echo "* Command: \`$cmdline\` (REPEAT=$REPEAT, BENCH_SECONDS=$SECS, SESSIONS=$SESSIONS, SIZE=$SIZE, CASES=\"$CASES\")"
		echo "* Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
		echo "* Commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD -- lib app 2>/dev/null || echo ' (lib/ or app/ modified in the working tree)')"
		echo "* Machine: $(nproc) CPUs, $host_cpu (lscpu), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(eal_mem_describe), -m $EAL_MB; DPDK $dpdk_ver"
		echo "* srtpfwd -l 0-1: lcore 0 control (and the LI drain, X3 PDUs, the TCP connection), lcore 1 the one worker; the MF sink (python3, 1 MiB recv) pinned to CPU 0"
		echo "* Traffic: net_pcap0 rx_pcap + infinite_rx=1, $SESSIONS e2ae sessions, $PROFILE both legs (re-encrypt: key A in, key B out), RTP payload $SIZE B, one packet per session, looped -> net_null1; replay-check=off; Tx-pps of net_null1"
		echo "* LI: [mediation-function mf] transport tcp, keepalive 0, to the sink on 127.0.0.1 (configured in every case, 0 % too; \"MF down\": its port closed, no sink, the PDUs dropped on the control lcore); a case's tasks (\`li start\`, target a) on every (SESSIONS / tasks)-th session; one X3 PDU per copied packet (the clear RTP of leg a)"
		echo "* Value: median over REPEAT runs of the median per-second Tx-pps ($SECS s after the first second of traffic); the cases of a repetition run back to back, \"per run\" is the ratio within each repetition"
		echo "* Columns: ns/packet = 1e9 / median Mpps (the worker's time per forwarded packet); + ns per copied packet = (ns/packet - that of 0 %) / intercepted fraction; worker CPU steal = CPU 1's steal time in the window (/proc/stat, per run: the VM's host ran something else), CPU 0 busy = user + system + irq time of CPU 0 in the window (control lcore, sink, kernel TCP; per run)"
		echo "* LI counters: \`show li\` on the console at the end of the measured window (cumulative since start); copies/s, X3 PDUs/s and MB/s between the \`show li\` at the start and at the end of the window; tapped packets = worker rx (final counters) x tasks / SESSIONS, the sink's X3 PDUs counted after srtpfwd exited (what was still in a ring or the MF queue at exit is lost)"
		echo
		echo "$tbl"
		if [ -f "$RESULTS" ] && grep -q '^## Reading it' "$RESULTS"; then
			echo
			sed -n '/^## Reading it/,$p' "$RESULTS"
		fi
	} >"$work/results.md"
	mv "$work/results.md" "$RESULTS"
	echo "wrote $RESULTS" >&2
fi
