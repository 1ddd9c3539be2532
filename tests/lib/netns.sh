# SPDX-License-Identifier: BSD-3-Clause
# Sourced by the namespace tests and benchmarks: one test host in its own
# network namespace, joined by a veth whose root end the forwarder owns
# (net_af_packet). Checksum offloads off both ends (af_packet sees what the
# wire would carry), no IPv6 on the root end (the kernel says nothing there),
# no DAD in the namespace (its address is usable at once).
#
# netns_host_up NS ROOT_IF PEER_IF ADDR/PREFIX     0, or 1 at the first failure
netns_host_up() {
	local ns=$1 root=$2 peer=$3 addr=$4
	ip netns add "$ns" || return 1
	ip link add "$root" type veth peer name "$peer" netns "$ns" || return 1
	sysctl -qw "net.ipv6.conf.$root.disable_ipv6=1" || return 1
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
		"net.ipv6.conf.$peer.accept_dad=0" || return 1
	ethtool -K "$root" tx off rx off >/dev/null 2>&1 || return 1
	ip netns exec "$ns" ethtool -K "$peer" tx off rx off >/dev/null 2>&1 || return 1
	ip link set "$root" up || return 1
	ip -n "$ns" link set lo up || return 1
	ip -n "$ns" addr add "$addr" dev "$peer" || return 1
	ip -n "$ns" link set "$peer" up || return 1
}
