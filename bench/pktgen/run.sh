#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The pktgen step of bench/run: pktgen-dpdk (the operator's own build, PKTGEN)
# as the generator, srtpfwd e2e forwarding against testpmd io on the same
# ports and lcores, in the same run:
#
#   pktgen port 0 -> DUT port 0 (access) -> DUT -> DUT port 1 (core) -> pktgen port 1
#
# DUT = srtpfwd (bench/pktgen/srtpfwd-veth.ini, `session add e2e ... count=FLOWS`)
# or testpmd io (bench/pktgen/testpmd-io.cmd), one worker lcore each.
#  * range: for each FLOWS, REPEAT times: testpmd io, then srtpfwd, each under
#    bench/pktgen/pktgen.sh range FLOWS=N RATE=RATE SECONDS=SECONDS; value =
#    pktgen's median RX packets/s on port 1; ratio = each run's srtpfwd /
#    testpmd io; medians over the runs.
#  * rfc2544 (RFC2544=1): for the first FLOWS, both DUTs, pktgen.sh rfc2544
#    SIZES LOSS_PCT TRIAL_SECONDS: the highest rate losing at most LOSS_PCT.
# Ports: PORTS=veth (default): bench/pktgen/veth.sh's pairs on this host (a
# functional pairing: the kernel's af_packet rings drop packets of their own
# when a side is slow, so losses are the pairing's too); PORTS=pci: real
# ports cabled pktgen 0 - DUT 0 and pktgen 1 - DUT 1, PG_PCI (pktgen's two)
# and SF_PCI (the DUT's two).
#
# Usage: PKTGEN=/path/to/pktgen bench/pktgen/run.sh [build-dir]    (root)
# Env:   PKTGEN (required), QUICK (0; 1: FLOWS=1000 REPEAT=1 BENCH_SECONDS=4, 2 s trials),
#        FLOWS ("1000 50000": <= 50000, one access address), REPEAT (3), RATE (100),
#        BENCH_SECONDS (10), RFC2544 (1), SIZES (228), LOSS_PCT (0.1), TRIAL_SECONDS (10),
#        SF_LCORES (0-1: control + one worker; testpmd gets the same), SF_PCI,
#        PG_* (bench/pktgen/pktgen.sh: PG_LCORES, PG_MAP, PG_MEM, PG_PCI ...),
#        HUGE (bench/lib/eal_mem.sh), CSV (append bench,case,series,x,value,unit
#        rows), RESULTS (a Markdown file to write; empty: none)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
bench=$(cd "$here/.." && pwd)
root=$(cd "$bench/.." && pwd)
BUILD=${1:-$root/build}
QUICK=${QUICK:-0}
if [ "$QUICK" = 1 ]; then
	FLOWS=${FLOWS:-1000} REPEAT=${REPEAT:-1} SECONDS_ON=${BENCH_SECONDS:-4} TRIAL=${TRIAL_SECONDS:-2}
else
	FLOWS=${FLOWS:-"1000 50000"} REPEAT=${REPEAT:-3} SECONDS_ON=${BENCH_SECONDS:-10} TRIAL=${TRIAL_SECONDS:-10}
fi
RATE=${RATE:-100}
RFC2544=${RFC2544:-1}
SIZES=${SIZES:-228}
LOSS_PCT=${LOSS_PCT:-0.1}
PORTS=${PORTS:-veth}
SF_LCORES=${SF_LCORES:-0-1}
CSV=${CSV:-}
RESULTS=${RESULTS:-}
cmdline="$0 $*"
[ -n "${PKTGEN:-}" ] || { echo "run.sh: set PKTGEN to your pktgen binary" >&2; exit 2; }

work=$(mktemp -d /tmp/srtpfwd-pktgen-run.XXXXXX)
export PPS_WORK=$work
. "$bench/lib/pps.sh"
. "$bench/lib/eal_mem.sh"
made_veth=0
cleanup() {
	pps_cleanup
	eal_mem_restore
	[ "$made_veth" = 1 ] && "$here/veth.sh" down
	rm -rf "$work" "/var/run/dpdk/pgrun-sf-$$" "/var/run/dpdk/pgrun-tp-$$"	# EAL runtime folders
	return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ninja -C "$BUILD" app/srtpfwd >/dev/null
srtpfwd=$BUILD/app/srtpfwd
command -v dpdk-testpmd >/dev/null || { echo "run.sh: dpdk-testpmd not found (apt-get install dpdk)" >&2; exit 1; }

# The DUT's ports, and pktgen.sh's matching PG_PORTS.
config=$work/srtpfwd.ini
case $PORTS in
veth)
	ip link show pg-acc0 >/dev/null 2>&1 || made_veth=1
	"$here/veth.sh" up
	dut_ports=(--no-pci --vdev "net_af_packet0,iface=sf-acc0,qpairs=2"
	           --vdev "net_af_packet1,iface=sf-core0,qpairs=2")
	cp "$here/srtpfwd-veth.ini" "$config"
	export PG_PORTS=veth
	;;
pci)
	read -r -a sf_pci <<<"${SF_PCI:?PORTS=pci needs SF_PCI, the two DUT ports}"
	dut_ports=(-a "${sf_pci[0]}" -a "${sf_pci[1]}")
	sed -e 's/^port = net_af_packet0$/port = 0/' -e 's/^port = net_af_packet1$/port = 1/' \
		"$here/srtpfwd-veth.ini" >"$config"
	export PG_PORTS=pci
	;;
*) echo "run.sh: PORTS is veth or pci" >&2; exit 2 ;;
esac

SF_MB=1536
eal_mem_setup $((SF_MB + ${PG_MEM:-2048}))
export PG_HUGE=0
[ "$EAL_MEM_KIND" = hugepages ] && PG_HUGE=1

# Start DUT $1 (srtpfwd|testpmd) with FLOWS $2 sessions; log $3.
dut_start() {
	local kind=$1 flows=$2 log=$3
	# shellcheck disable=SC2046
	if [ "$kind" = srtpfwd ]; then
		echo "session add e2e access 10000 core 10000 a-remote=198.18.0.2:5000 a-latch=strict" \
			"b-remote=198.19.0.2:6000 count=$flows" >"$work/sessions.cmds"
		pps_start srtpfwd "$log" "$srtpfwd" $(eal_mem_args "$SF_MB" "pgrun-sf-$$") -l "$SF_LCORES" \
			--log-level='*:warning' "${dut_ports[@]}" -- --config "$config" \
			--cmdline-file "$work/sessions.cmds" --stats-period 1 --srtp-engine libsrtp
	else
		pps_start testpmd "$log" dpdk-testpmd $(eal_mem_args "$SF_MB" "pgrun-tp-$$") -l "$SF_LCORES" \
			--log-level='*:warning' "${dut_ports[@]}" -- --nb-cores=1 --rxq=1 --txq=1 \
			--stats-period 1 --total-num-mbufs=65536 --cmdline-file="$here/testpmd-io.cmd"
	fi
	# Ready once it prints its first periodic statistics (sessions added).
	local i=0
	until [ "$(pps_samples "$kind" "$log" 0 Rx-pps | wc -l)" -ge 1 ]; do
		# shellcheck disable=SC2154	# pps_pid: bench/lib/pps.sh
		kill -0 "$pps_pid" 2>/dev/null || { tail -20 "$log" >&2; exit 1; }
		i=$((i + 1))
		[ $i -lt 300 ] || { echo "run.sh: $kind did not start" >&2; tail -20 "$log" >&2; exit 1; }
		sleep 0.2
	done
}

# The value of KEY in RESULT lines of FILE (one per line; for rfc2544 with
# SIZE=S, the line of that size).
result() {
	awk -v k="$2" -v s="${3:-}" '$1 == "RESULT" {
		v = ""; z = ""
		for (i = 2; i <= NF; i++) {
			if (index($i, k "=") == 1) v = substr($i, length(k) + 2)
			if (index($i, "size=") == 1) z = substr($i, 6)
		}
		if (s == "" || s == z) print v
	}' "$1"
}

# One DUT, one pktgen script: $1 DUT, $2 flows, $3 tag, then pktgen.sh's args.
# The kit's lines go to $work/$3.out.
measure() {
	local kind=$1 flows=$2 tag=$3
	shift 3
	dut_start "$kind" "$flows" "$work/$tag.dut.log"
	"$here/pktgen.sh" "$@" FLOWS="$flows" >"$work/$tag.out" 2>"$work/$tag.err" ||
		{ echo "run.sh: pktgen.sh $* failed:" >&2; tail -20 "$work/$tag.err" >&2; pps_stop; exit 1; }
	pps_stop
	grep -m1 '^KIT ' "$work/$tag.out" | sed 's/.* pktgen=\([^ ]*\).*/\1/' >"$work/pktgen-version"
}

median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
declare -A res
for flows in $FLOWS; do
	io_runs='' sf_runs='' ratios='' loss=''
	# (space-separated lists, split on purpose below)
	for ((r = 1; r <= REPEAT; r++)); do
		measure testpmd "$flows" "io-$flows-$r" range RATE="$RATE" SECONDS="$SECONDS_ON"
		measure srtpfwd "$flows" "sf-$flows-$r" range RATE="$RATE" SECONDS="$SECONDS_ON"
		io=$(result "$work/io-$flows-$r.out" rx_pps)
		sf=$(result "$work/sf-$flows-$r.out" rx_pps)
		echo "flows $flows run $r: testpmd io $io pps, srtpfwd $sf pps" >&2
		io_runs+="$io " sf_runs+="$sf "
		loss+="$(result "$work/sf-$flows-$r.out" loss_pct) "
		ratios+="$(python3 -c "print($sf / $io if $io else 0)") "
	done
	# shellcheck disable=SC2086
	res[io,$flows]=$(printf '%s\n' $io_runs | median)
	# shellcheck disable=SC2086
	res[sf,$flows]=$(printf '%s\n' $sf_runs | median)
	# shellcheck disable=SC2086
	res[ratio,$flows]=$(printf '%s\n' $ratios | median)
	# shellcheck disable=SC2086
	res[loss,$flows]=$(printf '%s\n' $loss | median)
done

first=${FLOWS%% *}
if [ "$RFC2544" = 1 ]; then
	for kind in testpmd srtpfwd; do
		measure "$kind" "$first" "rfc-$kind" rfc2544 SIZES="$SIZES" LOSS_PCT="$LOSS_PCT" \
			TRIAL_SECONDS="$TRIAL"
	done
fi

# ---------------------------------------------------------------- report
mpps() { python3 -c "print(round($1 / 1e6, 4))"; }
if [ -n "$CSV" ]; then
	for flows in $FLOWS; do
		echo "pktgen,range,testpmd-io,$flows,$(mpps "${res[io,$flows]}"),Mpps"
		echo "pktgen,range,srtpfwd,$flows,$(mpps "${res[sf,$flows]}"),Mpps"
		echo "pktgen,range-ratio-to-io,srtpfwd,$flows,${res[ratio,$flows]},ratio"
	done >>"$CSV"
	if [ "$RFC2544" = 1 ]; then
		for size in ${SIZES//,/ }; do
			echo "pktgen,rfc2544,testpmd-io,$size,$(mpps "$(result "$work/rfc-testpmd.out" rx_pps "$size")"),Mpps"
			echo "pktgen,rfc2544,srtpfwd,$size,$(mpps "$(result "$work/rfc-srtpfwd.out" rx_pps "$size")"),Mpps"
		done >>"$CSV"
	fi
fi

table() {
	echo "| flows | testpmd io (Mpps) | srtpfwd e2e (Mpps) | srtpfwd / testpmd io | srtpfwd loss (%) |"
	echo "|---:|---:|---:|---:|---:|"
	for flows in $FLOWS; do
		echo "| $flows | $(mpps "${res[io,$flows]}") | $(mpps "${res[sf,$flows]}") | ${res[ratio,$flows]} | ${res[loss,$flows]} |"
	done
	[ "$RFC2544" = 1 ] || return 0
	echo
	echo "RFC 2544 throughput, $first flows, loss <= $LOSS_PCT %, ${TRIAL} s trials (gen_limited 1: pktgen set the rate):"
	echo
	echo "| frame (B, FCS incl.) | testpmd io (Mpps, % line) | srtpfwd (Mpps, % line) | srtpfwd / testpmd io | gen_limited (io, srtpfwd) |"
	echo "|---:|---:|---:|---:|---:|"
	local size io sf
	for size in ${SIZES//,/ }; do
		io=$(result "$work/rfc-testpmd.out" rx_pps "$size")
		sf=$(result "$work/rfc-srtpfwd.out" rx_pps "$size")
		echo "| $size | $(mpps "$io"), $(result "$work/rfc-testpmd.out" rate_pct "$size") |" \
			"$(mpps "$sf"), $(result "$work/rfc-srtpfwd.out" rate_pct "$size") |" \
			"$(python3 -c "print(round($sf / $io, 3) if $io else 0)") |" \
			"$(result "$work/rfc-testpmd.out" gen_limited "$size"), $(result "$work/rfc-srtpfwd.out" gen_limited "$size") |"
	done
}
tbl=$(table)
echo "$tbl"
stub_note=
if [ "$(cat "$work/pktgen-version" 2>/dev/null)" = stub ]; then
	stub_note="* **PKTGEN was bench/pktgen/stub/fake-pktgen: no packet was sent, the figures are its model's (a dry run of this script)**"
	echo "$stub_note" >&2
fi
if [ -n "$RESULTS" ]; then
	{
		echo "# srtpfwd with pktgen as the generator"
		echo
		echo "Generated by \`bench/pktgen/run.sh\`; do not edit by hand."
		echo
		echo "* Command: \`$cmdline\` (PORTS=$PORTS FLOWS=\"$FLOWS\" REPEAT=$REPEAT RATE=$RATE BENCH_SECONDS=$SECONDS_ON)"
		echo "* Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
		echo "* Commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
		echo "* Machine: $(nproc) CPUs, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), EAL memory: $(eal_mem_describe)"
		echo "* pktgen: $PKTGEN, version $(cat "$work/pktgen-version" 2>/dev/null || echo unknown); lcores ${PG_LCORES:-2-6}, map ${PG_MAP:-[3:4].0, [5:6].1}"
		echo "* DUT lcores $SF_LCORES (one worker; testpmd --nb-cores=1); srtpfwd --srtp-engine libsrtp (e2e uses no crypto)"
		echo "* Value: pktgen's median RX packets/s on port 1 (per-second rates after 1 s warm-up), median of $REPEAT runs; ratio: median of each run's srtpfwd / testpmd io"
		[ "$PORTS" = veth ] && echo "* Ports: veth pairs with net_af_packet on both sides: the kernel's socket rings are part of the path (and of the loss)"
		[ -n "$stub_note" ] && echo "$stub_note"
		echo
		echo "$tbl"
	} >"$RESULTS"
	echo "wrote $RESULTS" >&2
fi
