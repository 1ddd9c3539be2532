#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# e2ae end to end: srtpfwd between two network namespaces, real sockets.
#
#   ns A (198.18.0.2) ==veth== [net_af_packet0 access 198.18.0.1]
#                                   srtpfwd (e2ae session, SRTP terminated)
#   ns B (198.19.0.2) ==veth== [net_af_packet1 core   198.19.0.1]
#
# No static neighbours (ARP both ways), checksum offloads off, no IPv6 DAD.
# A protects RTP with pylibsrtp (AES_CM_128_HMAC_SHA1_80, a-rx key) and sends
# to 198.18.0.1:20000; B (198.19.0.2:6000) must get the original RTP. Then B
# sends plain RTP to 198.19.0.1:30000 and A must get SRTP that unprotects with
# the a-tx key to the original. Leg a is a learning leg: A speaks first.
# Once per SRTP engine (cryptodev, ipsec-mb, cpu-crypto, libsrtp), and once more (cryptodev) with
# net_tap ports instead: the tap interfaces are moved into the namespaces, and
# the tap PMD sums UDP checksums on transmit, so the forwarder's device
# checksum path (RTE_MBUF_F_TX_UDP_CKSUM for rewritten payloads) is what the
# receivers' kernels check. Bounded: COUNT packets each way, every wait has a
# limit (about 20 s per run).
#
# usage: netns_srtp.sh SRTPFWD [engine[@tap] ...]
#        (root; default: cryptodev ipsec-mb cpu-crypto libsrtp cryptodev@tap; prints "e2ae-netns: N passed, M failed")
set -uo pipefail

BIN=$(readlink -f "${1:?usage: netns_srtp.sh SRTPFWD [engine ...]}")
shift
ENGINES=("$@")
[ ${#ENGINES[@]} -gt 0 ] || ENGINES=(cryptodev ipsec-mb cpu-crypto libsrtp cryptodev@tap)
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
COUNT=${E2AE_NETNS_COUNT:-300}
PEER_TIMEOUT=20

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "  ok    $*"; }
fail() { failed=$((failed + 1)); echo "  FAIL  $*"; }

if [ "$(id -u)" != 0 ]; then
	echo "e2ae-netns: needs root (network namespaces)"
	echo "e2ae-netns: 0 passed, 1 failed"
	exit 1
fi

# Unique names (interface names <= 15 characters).
ID=$(( $$ % 100000 ))
NSA=e2ae-a-$ID
NSB=e2ae-b-$ID
VA=e2aA$ID    # root side (forwarder), access
VB=e2aB$ID    # root side (forwarder), core
PA=e2pA$ID    # in ns A
PB=e2pB$ID    # in ns B
NSTA=e2ae-ta-$ID	# the net_tap run's namespaces and interfaces
NSTB=e2ae-tb-$ID
TA=e2tA$ID
TB=e2tB$ID
WORK=$(mktemp -d /tmp/e2ae-netns.XXXXXX)
FWD_PID=
PEER_PIDS=()

cleanup() {
	local p
	for p in "${PEER_PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	if [ -n "$FWD_PID" ]; then
		kill -INT "$FWD_PID" 2>/dev/null
		for _ in $(seq 1 30); do kill -0 "$FWD_PID" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$FWD_PID" 2>/dev/null
		wait "$FWD_PID" 2>/dev/null
	fi
	ip netns del "$NSA" 2>/dev/null
	ip netns del "$NSB" 2>/dev/null
	ip netns del "$NSTA" 2>/dev/null
	ip netns del "$NSTB" 2>/dev/null
	ip link del "$VA" 2>/dev/null
	ip link del "$VB" 2>/dev/null
	[ "${E2AE_KEEP:-0}" = 1 ] && echo "e2ae-netns: work directory kept: $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=tests/lib/netns.sh
. "$HERE/../lib/netns.sh"

if netns_host_up "$NSA" "$VA" "$PA" 198.18.0.2/24 && netns_host_up "$NSB" "$VB" "$PB" 198.19.0.2/24; then
	ok "namespaces $NSA, $NSB and veths up (offloads off, no DAD)"
else
	fail "namespace/veth setup"
	echo "e2ae-netns: $passed passed, $failed failed"
	exit 1
fi

# fwd_ini PMD: the forwarder's configuration with ports PMD0 and PMD1.
fwd_ini() {
	cat <<EOF
[general]
mbufs = 8191

[interface access]
exposed = no
port = ${1}0
ipv4 = 198.18.0.1/24
media-ports = 20000-29999

[interface core]
exposed = no
port = ${1}1
ipv4 = 198.19.0.1/24
media-ports = 30000-39999
EOF
}

# A namespace for a net_tap run, without interfaces yet (no DAD, lo up).
tap_ns_up() {
	ip netns add "$1" &&
		ip netns exec "$1" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0 &&
		ip -n "$1" link set lo up
}

# Move the forwarder's tap interface $1 into namespace $2 as host $3 (offloads
# off: what the host sends carries full checksums, what it gets is checked).
tap_into_ns() {
	ip link set "$1" netns "$2" &&
		ip netns exec "$2" ethtool -K "$1" tx off rx off >/dev/null 2>&1 &&
		ip -n "$2" addr add "$3" dev "$1" &&
		ip -n "$2" link set "$1" up
}

run_engine() {
	local engine=${1%@*} ports=af_packet dir="$WORK/$1" rc_a rc_b i
	local nsa=$NSA nsb=$NSB vdevs
	[ "$1" != "${1%@tap}" ] && ports=tap
	mkdir -p "$dir"
	echo "== engine $engine, ports net_$ports"
	if [ $ports = tap ]; then
		nsa=$NSTA nsb=$NSTB
		vdevs=(--vdev "net_tap0,iface=$TA" --vdev "net_tap1,iface=$TB")
		if ! tap_ns_up "$nsa" || ! tap_ns_up "$nsb"; then
			fail "$1: namespaces for the net_tap run"
			return
		fi
	else
		vdevs=(--vdev "net_af_packet0,iface=$VA,qpairs=2" --vdev "net_af_packet1,iface=$VB,qpairs=2")
	fi
	fwd_ini "net_$ports" >"$dir/fwd.ini"
	"$PY" -c 'import os; print(os.urandom(30).hex())' >"$dir/a-rx.key"
	"$PY" -c 'import os; print(os.urandom(30).hex())' >"$dir/a-tx.key"
	"$PY" -c 'import random; print(random.randrange(1 << 30))' >"$dir/seed"
	local b64rx b64tx
	b64rx=$(xxd -r -p "$dir/a-rx.key" | base64 -w0)
	b64tx=$(xxd -r -p "$dir/a-tx.key" | base64 -w0)
	cat >"$dir/cmds.txt" <<EOF
session add e2ae access 20000 core 30000 a-rx=AES_CM_128_HMAC_SHA1_80:inline:$b64rx a-tx=AES_CM_128_HMAC_SHA1_80:inline:$b64tx b-rx=rtp b-tx=rtp b-remote=198.19.0.2:6000
show session all
EOF
	"$BIN" --no-huge -m 1024 --no-pci --file-prefix "e2aen${ID}_$engine$ports" -l 0-1 \
		--log-level='*:warning' "${vdevs[@]}" \
		-- --config "$dir/fwd.ini" --cmdline-file "$dir/cmds.txt" --duration 45 \
		--srtp-engine "$engine" >"$dir/fwd.log" 2>&1 &
	FWD_PID=$!
	for i in $(seq 1 100); do
		grep -q "sessions (max" "$dir/fwd.log" 2>/dev/null && break
		kill -0 "$FWD_PID" 2>/dev/null || break
		sleep 0.1
	done
	if grep -q "  1 sessions (max" "$dir/fwd.log"; then
		ok "$1: srtpfwd up, e2ae session provisioned"
	else
		fail "$1: srtpfwd did not come up with the session; log:"
		tail -20 "$dir/fwd.log"
		kill -INT "$FWD_PID" 2>/dev/null; wait "$FWD_PID" 2>/dev/null; FWD_PID=
		return
	fi
	if [ $ports = tap ]; then
		# The point of this run: the device, not the CPU, sums rewritten payloads.
		if [ "$(grep -c 'summed by the device' "$dir/fwd.log")" = 2 ]; then
			ok "$1: both net_tap ports sum UDP checksums on transmit"
		else
			fail "$1: net_tap ports not summing UDP on transmit: $(grep 'srtpfwd: port' "$dir/fwd.log")"
		fi
		if tap_into_ns "$TA" "$nsa" 198.18.0.2/24 && tap_into_ns "$TB" "$nsb" 198.19.0.2/24; then
			ok "$1: tap interfaces moved into $nsa and $nsb"
		else
			fail "$1: tap interfaces into the namespaces"
		fi
	fi

	# B listens first, then A speaks (A must latch leg a before B->A works).
	ip netns exec "$nsb" timeout $((PEER_TIMEOUT + 10)) "$PY" "$HERE/netns_peer.py" b "$dir" "$COUNT" "$PEER_TIMEOUT" \
		>"$dir/b.log" 2>&1 &
	PEER_PIDS=($!)
	for i in $(seq 1 50); do [ -e "$dir/B.up" ] && break; sleep 0.1; done
	ip netns exec "$nsa" timeout $((PEER_TIMEOUT + 10)) "$PY" "$HERE/netns_peer.py" a "$dir" "$COUNT" "$PEER_TIMEOUT" \
		>"$dir/a.log" 2>&1 &
	PEER_PIDS+=($!)
	wait "${PEER_PIDS[1]}"; rc_a=$?
	wait "${PEER_PIDS[0]}"; rc_b=$?
	PEER_PIDS=()
	local line
	while IFS= read -r line; do
		case "$line" in
		"check "*": ok") line=${line#check }; ok "$1: ${line%: ok}" ;;
		"check "*) fail "$1: ${line#check }" ;;
		esac
	done < <(cat "$dir/a.log" "$dir/b.log")
	if [ "$rc_a" != 0 ] || [ "$rc_b" != 0 ]; then
		grep -v "^check " "$dir/a.log" "$dir/b.log" | tail -20
		[ "$rc_a" = 0 ] || grep -q "^check .*FAIL" "$dir/a.log" || fail "$1: peer A exited $rc_a"
		[ "$rc_b" = 0 ] || grep -q "^check .*FAIL" "$dir/b.log" || fail "$1: peer B exited $rc_b"
	fi

	kill -INT "$FWD_PID" 2>/dev/null
	for i in $(seq 1 100); do kill -0 "$FWD_PID" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$FWD_PID" 2>/dev/null
	wait "$FWD_PID" 2>/dev/null
	FWD_PID=
	if grep -q "final counters" "$dir/fwd.log"; then
		ok "$1: srtpfwd stopped cleanly on SIGINT"
	else
		fail "$1: srtpfwd did not print its final counters"
	fi
	# SRTP/latching drops: none expected (ARP, IPv6 noise may be counted elsewhere).
	local bad
	bad=$(sed -n '/final counters/,$p' "$dir/fwd.log" | grep -E '^    (srtp_[a-z]+|source_mismatch|unlatched|udp_checksum|ip_checksum) ' || true)
	if [ -z "$bad" ]; then
		ok "$1: no SRTP, latching or checksum drops"
	else
		fail "$1: drops: $(echo $bad)"
	fi
	[ "${E2AE_VERBOSE:-0}" = 1 ] && sed -n '/final counters/,$p' "$dir/fwd.log"
}

for e in "${ENGINES[@]}"; do
	run_engine "$e"
done

echo "e2ae-netns: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
