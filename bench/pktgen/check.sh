#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Check of the pktgen kit (bench/pktgen/) without pktgen:
#  1. luac5.3 -p on every .lua file of the kit (lua5.3 is installed with
#     apt-get when missing and we are root);
#  2. replay, range and rfc2544 under lua5.3 against stub/pktgen_stub.lua
#     (pktgen 23.06's argument checks, a device-under-test model with
#     virtual time): each must end with DONE status=ok, rfc2544 must find the
#     model's throughput to RESOLUTION, mark a generator-bound rate, and a
#     failing script must print ERROR;
#  3. pktgen.sh end to end with stub/fake-pktgen (terminal, command line,
#     result file, exit status);
#  4. pktgen.cfg loads as Python, as pktgen's tools/run.py loads it;
#  5. when dpdk-testpmd exists: every testpmd-*.cmd (a) fed to `testpmd -i`
#     on stdin, where its parser reports bad commands (a --cmdline-file run
#     drops those reports), and (b) run with --cmdline-file on net_null
#     ports as documented: it must read the file, start forwarding in the
#     file's mode and exit 0. Each testpmd run is bounded (timeout 20) and
#     holds /tmp/srtpfwd-cpu.lock.
# Prints "pktgen-kit: N scripts ok" (and the testpmd count); exits non-zero
# on any error.
#
# Usage: bench/pktgen/check.sh         Env: PKTGEN_KIT_TESTPMD=0 skips step 5.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/pktgen-kit-check.XXXXXX)
# DPDK leaves a runtime folder per --file-prefix: ours are pk$$-N.
trap 'rm -rf "$work" /var/run/dpdk/pk$$-*' EXIT
fail() { echo "pktgen-kit: FAILED: $*" >&2; exit 1; }

# 1. syntax
if ! command -v luac5.3 >/dev/null || ! command -v lua5.3 >/dev/null; then
	[ "$(id -u)" = 0 ] || fail "luac5.3 missing (apt-get install lua5.3)"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq lua5.3 >/dev/null ||
		fail "apt-get install lua5.3"
fi
mapfile -t luas < <(find "$here" -name '*.lua' | sort)
for f in "${luas[@]}"; do
	luac5.3 -p "$f" || fail "luac5.3 -p $f"
done

# 2. the scripts against the stub; $1 script, then NAME=VALUE for env.
stub_run() {
	local s=$1
	shift
	env "$@" lua5.3 -e "dofile('$here/stub/pktgen_stub.lua')" "$here/$s.lua" >"$work/$s.out" 2>&1 ||
		fail "$s under the stub: $(tail -3 "$work/$s.out")"
}
# The value of KEY in the first line of kind KIND of $1's output.
field() {
	awk -v k="$2" -v kind="$3" '$1 == kind { for (i = 2; i <= NF; i++) if (index($i, k "=") == 1) { print substr($i, length(k) + 2); exit } }' "$work/$1.out"
}
done_ok() { grep -q '^DONE script=[a-z0-9]* status=ok$' "$work/$1.out" || fail "$1: no DONE status=ok: $(tail -3 "$work/$1.out")"; }

stub_run replay PG_SECONDS=3
done_ok replay
[ "$(grep -c '^SAMPLE ' "$work/replay.out")" = 3 ] || fail "replay: 3 SAMPLE lines expected"
stub_run range PG_SECONDS=3 PG_FLOWS=50000 PG_VARY=dst_port,src_port PG_RATE=10
done_ok range
[ "$(field range loss_pct RESULT)" = 0 ] || fail "range at 10 % should lose nothing in the model"
stub_run rfc2544 PG_SIZES=64,1518 PG_TRIAL_SECONDS=1 STUB_DUT_PPS=2000000
done_ok rfc2544
# The model passes 2 Mpps: at 64 B the 0.1 % threshold is crossed at
# 2e6 / 0.999 / 14880952 = 13.454 % of line rate; at 1518 B (812743 pps
# line) everything passes at HI.
python3 - "$work/rfc2544.out" <<'PY' || fail "rfc2544 search result"
import sys
res = {}
for line in open(sys.argv[1]):
    f = line.split()
    if f and f[0] == "RESULT":
        kv = dict(x.split("=", 1) for x in f[1:])
        res[kv["size"]] = kv
exp = 2e6 / 0.999 / (10e9 / ((64 + 20) * 8)) * 100
got = float(res["64"]["rate_pct"])
assert exp - 0.5 - 1e-6 <= got <= exp, (got, exp)
assert res["1518"]["rate_pct"] == "100" and res["1518"]["trials"] == "1", res["1518"]
PY
stub_run rfc2544 PG_SIZES=64 PG_TRIAL_SECONDS=1 STUB_DUT_PPS=1e9 STUB_GEN_PPS=1000000
[ "$(field rfc2544 gen_limited RESULT)" = 1 ] || fail "rfc2544: a generator-bound rate must say gen_limited=1"
stub_run replay PG_SECONDS=1 STUB_NO_PCAP=1
grep -q '^ERROR script=replay msg=' "$work/replay.out" || fail "replay without a capture must print ERROR"

# 3. the launcher with the fake binary
PKTGEN=$here/stub/fake-pktgen PG_GRACE=3 "$here/pktgen.sh" range SECONDS=2 FLOWS=10 \
	>"$work/launch.out" 2>"$work/launch.err" || fail "pktgen.sh: $(tail -5 "$work/launch.err")"
grep -q '^DONE script=range status=ok$' "$work/launch.out" || fail "pktgen.sh: no DONE line on stdout"
if grep -qvE '^(KIT|SAMPLE|TRIAL|RESULT|DONE|ERROR) ' "$work/launch.out"; then
	fail "pktgen.sh: stdout has more than the kit's lines"
fi

# 4. the run.py configuration
python3 - "$here/pktgen.cfg" <<'PY' || fail "pktgen.cfg"
import sys
ns = {}
exec(compile(open(sys.argv[1]).read(), sys.argv[1], "exec"), ns)
run = ns["run"]
for k in ("app_name", "app_path", "cores", "prefix", "map", "opts"):
    assert k in run, k
assert isinstance(ns["description"], str)
PY
echo "pktgen-kit: ${#luas[@]} scripts ok"

# 5. testpmd command files
[ "${PKTGEN_KIT_TESTPMD:-1}" = 0 ] && exit 0
if ! command -v dpdk-testpmd >/dev/null; then
	echo "pktgen-kit: dpdk-testpmd not found, command files not run"
	exit 0
fi
n=0
for cmd in "$here"/testpmd-*.cmd; do
	n=$((n + 1))
	b=$(basename "$cmd" .cmd)
	read -r -a extra <<<"$(sed -n 's/^# testpmd-args://p' "$cmd")"
	mode=$(awk '$1 == "set" && $2 == "fwd" { m = $3 } END { print m }' "$cmd")
	[ -n "$mode" ] || fail "$b: no 'set fwd' line"
	eal=(--no-huge -m 512 --no-pci --file-prefix "pk$$-$n" -l 0-1 --vdev net_null0 --vdev net_null1)
	# (a) the console parser's verdict on every line
	{ cat "$cmd"; echo quit; } | timeout 20 dpdk-testpmd "${eal[@]}" -- \
		-i --total-num-mbufs=8192 "${extra[@]}" >"$work/$b.parse" 2>&1 || fail "$b: testpmd -i exited $?"
	if grep -E 'Bad arguments|Command not found|Ambiguous command|Invalid|rror|ailed|Please stop' "$work/$b.parse"; then
		fail "$b: testpmd refused a command (log above)"
	fi
	grep -q "Set $mode packet forwarding mode" "$work/$b.parse" || fail "$b: mode $mode not set"
	# (b) as documented: --cmdline-file, non-interactive; stdin at end of
	# file makes it stop right after forwarding started.
	timeout 20 dpdk-testpmd "${eal[@]}" -- --total-num-mbufs=8192 \
		"${extra[@]}" --cmdline-file="$cmd" </dev/null >"$work/$b.run" 2>&1 ||
		fail "$b: testpmd --cmdline-file exited $? ($(tail -3 "$work/$b.run"))"
	grep -q "Read CLI commands from $cmd" "$work/$b.run" || fail "$b: file not read"
	grep -q "^$mode packet forwarding - ports=" "$work/$b.run" || fail "$b: did not forward in $mode mode"
	grep -q "Forward statistics for port 0" "$work/$b.run" || fail "$b: no forward statistics"
done
echo "pktgen-kit: $n testpmd command files ok"
