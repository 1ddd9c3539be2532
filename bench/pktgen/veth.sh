#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The two veth pairs that join pktgen and srtpfwd on one host (root):
#   pg-acc0  <-> sf-acc0    pktgen port 0 -> srtpfwd access (net_af_packet0)
#   pg-core0 <-> sf-core0   srtpfwd core (net_af_packet1) -> pktgen port 1
# Each process opens net_af_packet on its own ends. The kernel stays out:
# no addresses, IPv6 off (no router or neighbour solicitations of its own),
# MACs fixed to what the bench's configs and captures use:
#   sf-acc0 02:00:00:00:00:01 (srtpfwd access `mac`, srtpfwd-gen-flows -m default)
#   pg-acc0 02:00:00:00:00:02 (srtpfwd-gen-flows -M default)
#   sf-core0 02:00:00:00:01:01 (srtpfwd core `mac`)
#   pg-core0 02:00:00:00:01:02 (srtpfwd core `neighbour 198.19.0.2`)
#
#   bench/pktgen/veth.sh up|down|show
# Env: MTU (1500).
set -euo pipefail

pairs=("pg-acc0 02:00:00:00:00:02 sf-acc0 02:00:00:00:00:01"
       "pg-core0 02:00:00:00:01:02 sf-core0 02:00:00:00:01:01")

quiet_if() {	# interface, MAC
	ip link set "$1" address "$2" mtu "${MTU:-1500}"
	sysctl -qw "net.ipv6.conf.$1.disable_ipv6=1"
	ip link set "$1" up
}

case ${1:-} in
up)
	for p in "${pairs[@]}"; do
		read -r a amac b bmac <<<"$p"
		ip link show "$a" >/dev/null 2>&1 || ip link add "$a" type veth peer name "$b"
		quiet_if "$a" "$amac"
		quiet_if "$b" "$bmac"
	done
	;;
down)
	for p in "${pairs[@]}"; do
		read -r a _ <<<"$p"
		ip link del "$a" 2>/dev/null || true	# takes its peer with it
	done
	;;
show)
	for p in "${pairs[@]}"; do
		read -r a _ b _ <<<"$p"
		ip -br link show "$a" 2>/dev/null || echo "$a: absent"
		ip -br link show "$b" 2>/dev/null || echo "$b: absent"
	done
	;;
*)
	sed -n '/^#   bench/p' "$0" >&2
	exit 2
	;;
esac
