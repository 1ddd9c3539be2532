# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
# The namespaces of bench/rtpengine/run.sh (sourced; needs NSG, NSX, NSS):
#
#   NSG: gA 198.18.0.2/24 ==veth== xA :NSX: xB ==veth== sB 198.19.0.2/24 :NSS
#
# X, the box's namespace, gets addresses only for rtpengine (topo_box_addrs);
# srtpfwd owns xA/xB through net_af_packet. No IPv6 anywhere (nothing but the
# media on the wires, so the counters are the media's). S drops all UDP at raw
# PREROUTING: its stack is the sink, and the cheapest one here (no socket
# lookup, no ICMP, no checksum). No RPS: each veth's receive work runs in its
# sender's context (see run.sh's header).
#
#   topo_up                  0, or exits after printing why
#   topo_box_addrs on|off    X's addresses 198.18.0.1/24 on xA, 198.19.0.1/24 on xB
#   topo_down                in the EXIT trap

topo_up() {
	local ns
	for ns in "$NSG" "$NSX" "$NSS"; do
		ip netns add "$ns"
		ip -n "$ns" link set lo up
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1
	done
	ip -n "$NSG" link add gA type veth peer name xA netns "$NSX"
	ip -n "$NSS" link add sB type veth peer name xB netns "$NSX"
	ip -n "$NSG" addr add 198.18.0.2/24 dev gA
	ip -n "$NSS" addr add 198.19.0.2/24 dev sB
	ip -n "$NSG" link set gA up
	ip -n "$NSS" link set sB up
	ip -n "$NSX" link set xA up
	ip -n "$NSX" link set xB up
	ip netns exec "$NSS" iptables -t raw -A PREROUTING -p udp -j DROP
}

topo_box_addrs() {
	if [ "$1" = on ]; then
		ip -n "$NSX" addr replace 198.18.0.1/24 dev xA
		ip -n "$NSX" addr replace 198.19.0.1/24 dev xB
	else
		ip -n "$NSX" addr flush dev xA
		ip -n "$NSX" addr flush dev xB
		ip -n "$NSX" neigh flush all
	fi
}

# The veth pairs go with their namespaces.
topo_down() {
	ip netns del "$NSG" 2>/dev/null || true
	ip netns del "$NSX" 2>/dev/null || true
	ip netns del "$NSS" 2>/dev/null || true
}

# The MAC of IF in namespace NS.
topo_mac() {
	ip -n "$1" -br link show dev "$2" | awk '{ print $3 }'
}
