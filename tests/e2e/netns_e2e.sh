#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# e2e end to end: srtpfwd between two network namespaces, ordinary UDP sockets.
#
#   ns A 198.18.0.2 2001:2::2 ==veth== [net_af_packet0 access 198.18.0.1 2001:2::1]
#                                          srtpfwd, one e2e session, both legs learning
#   ns B 198.19.0.2 2001:2:0:1::2 ==veth== [net_af_packet1 core 198.19.0.1 2001:2:0:1::1]
#
# No static neighbours: the box resolves its next hops with ARP / ND and
# answers the peers' ARP requests / neighbour solicitations. Checksum
# offloads off on both veth ends, no IPv6 DAD in the namespaces.
#
# One case per family (ipv4, ipv6), each with its own srtpfwd: both peers send
# COUNT datagrams (first byte 0x80, 12..1199 bytes) every 10 ms, A to
# box:20000 and B to box:30000, and check what they receive (udp_peer.py:
# payload bytes, source = the box address:port the peer talks to, as behind a NAT, >= 95 % of the packets after
# the first WARMUP). Then the console (-i, through a FIFO) shows the session
# and the neighbours: the legs must have latched the peers, the forwarded
# counters must equal what each peer received, the neighbours must be
# resolved dynamically; the final counters must show the ports' traffic and
# no checksum, latching or TX drops. Bounded: every wait has a limit (about
# 15 s a case).
#
# usage: netns_e2e.sh SRTPFWD [ipv4] [ipv6]    (root; prints "e2e: N passed, M failed")
set -uo pipefail

BIN=$(readlink -f "${1:?usage: netns_e2e.sh SRTPFWD [ipv4] [ipv6]}")
shift
CASES=("$@")
[ ${#CASES[@]} -gt 0 ] || CASES=(ipv4 ipv6)
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
COUNT=${E2E_COUNT:-200}
WARMUP=${E2E_WARMUP:-50}
# Extra srtpfwd options (after --), e.g. E2E_FWD_ARGS="--rxq 2".
FWD_ARGS=${E2E_FWD_ARGS:-}

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "  ok    $*"; }
fail() { failed=$((failed + 1)); echo "  FAIL  $*"; }
finish() {
	echo "e2e: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit $?
}

if [ "$(id -u)" != 0 ]; then
	fail "needs root (network namespaces)"
	finish
fi
if ! command -v ethtool >/dev/null; then
	fail "ethtool missing (apt-get install ethtool)"
	finish
fi

# Unique names (interface names <= 15 characters).
ID=$(($$ % 100000))
NSA=e2e-a-$ID
NSB=e2e-b-$ID
VA=e2eA$ID # root side (forwarder), access
VB=e2eB$ID # root side (forwarder), core
PA=e2pA$ID # in ns A
PB=e2pB$ID # in ns B
WORK=$(mktemp -d /tmp/srtpfwd-e2e.XXXXXX)
FWD_PID=
PEER_PIDS=()

stop_fwd() {
	[ -n "$FWD_PID" ] || return 0
	kill -INT "$FWD_PID" 2>/dev/null
	for _ in $(seq 1 50); do kill -0 "$FWD_PID" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$FWD_PID" 2>/dev/null
	wait "$FWD_PID" 2>/dev/null
	FWD_PID=
}

cleanup() {
	local p
	for p in "${PEER_PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	stop_fwd
	exec 8>&-
	ip netns del "$NSA" 2>/dev/null
	ip netns del "$NSB" 2>/dev/null
	ip link del "$VA" 2>/dev/null
	ip link del "$VB" 2>/dev/null
	if [ "${E2E_KEEP:-0}" = 1 ] || [ "$failed" -ne 0 ]; then
		echo "e2e: work directory kept: $WORK"
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

setup_net() {
	local ns=$1 root=$2 peer=$3 addr4=$4 addr6=$5
	ip netns add "$ns" || return 1
	ip link add "$root" mtu 1500 type veth peer name "$peer" mtu 1500 netns "$ns" || return 1
	# The forwarder owns the root end: the kernel says nothing there.
	sysctl -qw "net.ipv6.conf.$root.disable_ipv6=1" || return 1
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0 "net.ipv6.conf.$peer.accept_dad=0" || return 1
	# af_packet sees what veth hands it: no checksum offload on either end.
	ethtool -K "$root" tx off rx off >/dev/null 2>&1 || return 1
	ip netns exec "$ns" ethtool -K "$peer" tx off rx off >/dev/null 2>&1 || return 1
	ip link set "$root" up || return 1
	ip -n "$ns" link set lo up || return 1
	ip -n "$ns" addr add "$addr4" dev "$peer" || return 1
	ip -n "$ns" addr add "$addr6" dev "$peer" nodad || return 1
	ip -n "$ns" link set "$peer" up || return 1
}

echo "e2e netns ($NSA, $NSB)"
if setup_net "$NSA" "$VA" "$PA" 198.18.0.2/24 2001:2::2/64 &&
	setup_net "$NSB" "$VB" "$PB" 198.19.0.2/24 2001:2:0:1::2/64; then
	ok "namespaces and veths up (MTU 1500, offloads off, no DAD)"
else
	fail "namespace/veth setup"
	finish
fi

cat >"$WORK/fwd.ini" <<EOF
[general]
max-sessions = 16
mbufs = 8191

[interface access]
exposed = no
port = net_af_packet0
ipv4 = 198.18.0.1/24
ipv6 = 2001:2::1/64
media-ports = 20000-29999

[interface core]
exposed = no
port = net_af_packet1
ipv4 = 198.19.0.1/24
ipv6 = 2001:2:0:1::1/64
media-ports = 30000-39999
EOF

# Send console commands to the running forwarder (its stdin is the FIFO on fd 8).
console() {
	printf '%s\n' "$@" >&8
}

# The lines of `show session` for leg a or b: "rx N packets ..., forwarded M packets".
leg_field() {
	local log=$1 leg=$2 what=$3
	sed -n "/^  leg $leg (id/,/^  leg\|^srtpfwd/p" "$log" | tail -n +1 |
		grep -m1 -oE "$what [0-9]+ packets" | grep -oE '[0-9]+'
}

run_case() {
	local fam=$1 dir="$WORK/$1" i rc_a rc_b
	local a_ip b_ip box_a box_b sess
	mkdir -p "$dir"
	echo "== $fam"
	if [ "$fam" = ipv4 ]; then
		a_ip=198.18.0.2 b_ip=198.19.0.2 box_a=198.18.0.1 box_b=198.19.0.1
		sess="session add e2e access 20000 core 30000"
	else
		a_ip=2001:2::2 b_ip=2001:2:0:1::2 box_a=2001:2::1 box_b=2001:2:0:1::1
		sess="session add e2e access 20000 core 30000 a-ip=$box_a b-ip=$box_b"
	fi
	printf '%s\nshow session all\n' "$sess" >"$dir/cmds.txt"
	rm -f "$dir/fifo"
	mkfifo "$dir/fifo"
	exec 8<>"$dir/fifo"
	"$BIN" --no-huge -m 512 --no-pci --file-prefix "e2e${ID}_$fam" -l 0-1 \
		--log-level='*:warning' \
		--vdev "net_af_packet0,iface=$VA,qpairs=2" --vdev "net_af_packet1,iface=$VB,qpairs=2" \
		-- --config "$WORK/fwd.ini" --cmdline-file "$dir/cmds.txt" -i --duration 50 $FWD_ARGS \
		<&8 >"$dir/fwd.log" 2>&1 &
	FWD_PID=$!
	for i in $(seq 1 100); do
		grep -q "sessions (max" "$dir/fwd.log" 2>/dev/null && break
		kill -0 "$FWD_PID" 2>/dev/null || break
		sleep 0.1
	done
	if grep -q "^session 0 created" "$dir/fwd.log" && grep -q "  1 sessions (max" "$dir/fwd.log"; then
		ok "$fam: srtpfwd up, session provisioned (both legs learning)"
	else
		fail "$fam: srtpfwd did not come up with the session; log:"
		tail -20 "$dir/fwd.log"
		stop_fwd
		exec 8>&-
		return
	fi

	# Both sides send at once: each leg latches its own peer's first packet;
	# what arrives before both legs latched and the next hops resolved is lost.
	rm -f "$dir/b.ready"
	ip netns exec "$NSB" timeout 30 "$PY" "$HERE/udp_peer.py" b "$b_ip" 6000 "$box_b" 30000 \
		"$box_b" 30000 --count "$COUNT" --warmup "$WARMUP" --ready "$dir/b.ready" \
		>"$dir/b.log" 2>&1 &
	PEER_PIDS=($!)
	for i in $(seq 1 50); do [ -e "$dir/b.ready" ] && break; sleep 0.1; done
	ip netns exec "$NSA" timeout 30 "$PY" "$HERE/udp_peer.py" a "$a_ip" 5000 "$box_a" 20000 \
		"$box_a" 20000 --count "$COUNT" --warmup "$WARMUP" >"$dir/a.log" 2>&1 &
	PEER_PIDS+=($!)
	wait "${PEER_PIDS[1]}"
	rc_a=$?
	wait "${PEER_PIDS[0]}"
	rc_b=$?
	PEER_PIDS=()
	local line
	while IFS= read -r line; do
		case "$line" in
		"check "*": ok") line=${line#check }; ok "$fam: ${line%: ok}" ;;
		"check "*) fail "$fam: ${line#check }" ;;
		esac
	done < <(cat "$dir/a.log" "$dir/b.log")
	[ "$rc_a" = 0 ] || grep -q "^check .*FAIL" "$dir/a.log" ||
		fail "$fam: peer A exited $rc_a: $(tail -3 "$dir/a.log")"
	[ "$rc_b" = 0 ] || grep -q "^check .*FAIL" "$dir/b.log" ||
		fail "$fam: peer B exited $rc_b: $(tail -3 "$dir/b.log")"

	# Counters while it still runs, then quit through the console.
	local mark
	mark=$(wc -l <"$dir/fwd.log")
	console "show session 0" "show neigh all" "quit"
	for i in $(seq 1 100); do kill -0 "$FWD_PID" 2>/dev/null || break; sleep 0.1; done
	if kill -0 "$FWD_PID" 2>/dev/null; then
		fail "$fam: srtpfwd did not quit from the console"
		stop_fwd
	else
		wait "$FWD_PID"
		local rc=$?
		FWD_PID=
		[ "$rc" = 0 ] && grep -q "final counters" "$dir/fwd.log" &&
			ok "$fam: srtpfwd quit cleanly, final counters printed" ||
			fail "$fam: srtpfwd exit status $rc"
	fi
	exec 8>&-
	tail -n +"$((mark + 1))" "$dir/fwd.log" >"$dir/after.log"

	local recv_a recv_b fwd_a fwd_b rx_a rx_b rem_a rem_b
	recv_a=$(sed -n 's/^stats .*"received": \([0-9]*\).*/\1/p' "$dir/a.log")
	recv_b=$(sed -n 's/^stats .*"received": \([0-9]*\).*/\1/p' "$dir/b.log")
	fwd_a=$(leg_field "$dir/after.log" a forwarded)
	fwd_b=$(leg_field "$dir/after.log" b forwarded)
	rx_a=$(leg_field "$dir/after.log" a rx)
	rx_b=$(leg_field "$dir/after.log" b rx)
	rem_a=$(grep -m1 -oE "^  leg a \(id [0-9]+\): .* remote [^ ]+" "$dir/after.log" | sed 's/.* remote //')
	rem_b=$(grep -m1 -oE "^  leg b \(id [0-9]+\): .* remote [^ ]+" "$dir/after.log" | sed 's/.* remote //')
	local want_a want_b
	if [ "$fam" = ipv4 ]; then want_a="$a_ip:5000" want_b="$b_ip:6000"; else
		want_a="[$a_ip]:5000" want_b="[$b_ip]:6000"; fi
	[ "$rem_a" = "$want_a" ] && [ "$rem_b" = "$want_b" ] &&
		ok "$fam: legs latched A $want_a and B $want_b" ||
		fail "$fam: latched remotes '$rem_a' '$rem_b', expected $want_a $want_b"
	[ -n "$fwd_a" ] && [ "$fwd_a" = "${recv_b:-x}" ] && [ "$fwd_b" = "${recv_a:-x}" ] &&
		ok "$fam: session forwarded counters = datagrams the peers received (a $fwd_a, b $fwd_b)" ||
		fail "$fam: forwarded a '$fwd_a' b '$fwd_b', peers received B '$recv_b' A '$recv_a'"
	[ -n "$rx_a" ] && [ "$rx_a" -ge "$fwd_a" ] && [ "$rx_a" -le "$COUNT" ] &&
		[ "$rx_b" -ge "$fwd_b" ] && [ "$rx_b" -le "$COUNT" ] &&
		[ $((rx_a + rx_b)) -ge $((2 * (COUNT - WARMUP))) ] &&
		ok "$fam: session rx counters plausible (a $rx_a, b $rx_b of $COUNT each)" ||
		fail "$fam: session rx a '$rx_a' b '$rx_b' (fwd $fwd_a/$fwd_b, $COUNT sent each)"
	# Next hops learnt by ARP / ND, not configured: each peer's line in
	# `show neigh all` carries its veth MAC and a resolved state.
	local nh_bad="" ip mac ns dev row
	for ip in "$a_ip" "$b_ip"; do
		if [ "$ip" = "$a_ip" ]; then ns=$NSA dev=$PA; else ns=$NSB dev=$PB; fi
		mac=$(ip -n "$ns" -o link show "$dev" | grep -oE 'link/ether [0-9a-f:]+' | cut -d' ' -f2)
		row=$(grep -iE "^  $ip +[0-9a-f:-]+ +[a-z]+ +interface" "$dir/after.log" | head -1)
		echo "$row" | grep -qiE "^  $ip +$mac +(reachable|stale) " || nh_bad="$nh_bad [$ip: '$row', want $mac]"
	done
	[ -z "$nh_bad" ] && ok "$fam: next hops $a_ip and $b_ip resolved dynamically (ARP/ND)" ||
		fail "$fam: neighbours:$nh_bad"

	# Final counters: ports saw the traffic; no drop that must not happen here.
	local final port_rx0 port_tx1 port_rx1 port_tx0
	final=$(sed -n '/final counters/,$p' "$dir/fwd.log")
	port_rx0=$(echo "$final" | sed -n '/port 0 statistics/,/port 1 statistics/p' | grep -oE 'RX-packets: +[0-9]+' | grep -oE '[0-9]+$')
	port_tx0=$(echo "$final" | sed -n '/port 0 statistics/,/port 1 statistics/p' | grep -oE 'TX-packets: +[0-9]+' | grep -oE '[0-9]+$')
	port_rx1=$(echo "$final" | sed -n '/port 1 statistics/,$p' | grep -m1 -oE 'RX-packets: +[0-9]+' | grep -oE '[0-9]+$')
	port_tx1=$(echo "$final" | sed -n '/port 1 statistics/,$p' | grep -m1 -oE 'TX-packets: +[0-9]+' | grep -oE '[0-9]+$')
	[ -n "$port_rx0" ] && [ "$port_rx0" -ge "$rx_a" ] && [ "$port_tx1" -ge "$fwd_a" ] &&
		[ "$port_rx1" -ge "$rx_b" ] && [ "$port_tx0" -ge "$fwd_b" ] &&
		ok "$fam: port counters cover the session (rx $port_rx0/$port_rx1, tx $port_tx0/$port_tx1)" ||
		fail "$fam: port counters rx $port_rx0/$port_rx1 tx $port_tx0/$port_tx1 vs session rx $rx_a/$rx_b fwd $fwd_a/$fwd_b"
	local bad
	bad=$(echo "$final" | grep -E '^    (ipv4_checksum|udp_checksum|udp_length|ipv4_length|ipv6_length|source_mismatch|unlatched|class_refused|demux_unknown|flow_unknown|tx_full|no_headroom|no_mbuf|neigh_table_full|stale_punt|punt_rate_[a-z_]+|punt_ring_full|src_martian|runt) ' || true)
	[ -z "$bad" ] && ok "$fam: no checksum, length, latching, flow or TX drops" ||
		fail "$fam: unexpected drops: $(echo $bad)"
	[ "${E2E_VERBOSE:-0}" = 1 ] && cat "$dir/after.log"
}

for c in "${CASES[@]}"; do
	run_case "$c"
done
finish
