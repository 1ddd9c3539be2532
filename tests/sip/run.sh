#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# SIP calls through srtpfwd: Kamailio (rtpengine module, ng) drives two
# srtpfwd instances between a SIPp UAC and a SIPp UAS, each in a network
# namespace. See sip_calls.py for the phases and what they assert.
#
#   ns A                                   root                              ns B
#   SIPp UAC                                                                 SIPp UAS (-rtp_echo)
#   198.18.0.2 ==veth== box 1 access 198.18.0.1   box 1 core 198.19.0.1 ==veth== 198.19.0.2
#   198.18.2.2 ==veth== box 2 access 198.18.2.1   box 2 core 198.19.2.1 ==veth== 198.19.2.2
#   198.18.1.2 --veth-- 198.18.1.1  Kamailio  198.19.1.1 --veth-- 198.19.1.2   (SIP, kernel only)
#
# SIPp's media addresses are 198.18.0.2 and 198.19.0.2; box 2 reaches them
# through its gateway (the namespace end of its veth), the namespaces reach
# box 2 over its own veth (connected route).
#
# usage: tests/sip/run.sh SRTPFWD   (root)
# env: SIP_KEEP=1 keeps the work directory also when every check passed.
# Prints "sip: N passed, M failed"; exits non-zero on any failure.
set -uo pipefail

[ $# -ge 1 ] || { echo "usage: tests/sip/run.sh SRTPFWD"; exit 2; }
BIN=$(readlink -f "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
TIME_LIMIT=150     # the whole run; sip_calls.py's own waits are shorter

give_up() {
	echo "sip: $1"
	echo "sip: 0 passed, 1 failed"
	exit 1
}

[ "$(id -u)" = 0 ] || give_up "needs root (network namespaces, SIPp's raw sockets)"
# A peer that truly cannot run is a skip, said plainly; never a way around a failure.
for f in kamailio sipp tcpdump; do
	command -v "$f" >/dev/null ||
		{ echo "sip: SKIPPED: $f missing (scripts/install-deps.sh installs kamailio, sip-tester, tcpdump)"; exit 0; }
done
[ -r /usr/share/sip-tester/g711a.pcap ] ||
	{ echo "sip: SKIPPED: /usr/share/sip-tester/g711a.pcap missing (sip-tester)"; exit 0; }
[ -r /usr/lib/x86_64-linux-gnu/kamailio/modules/rtpengine.so ] ||
	{ echo "sip: SKIPPED: Kamailio's rtpengine module missing (kamailio)"; exit 0; }

ID=$(( $$ % 100000 ))
NSA=sip-a-$ID
NSB=sip-b-$ID
# root ends: box 1 access/core, box 2 access/core, signalling A/B
R1A=s1a$ID R1B=s1b$ID R2A=s2a$ID R2B=s2b$ID RSA=ssa$ID RSB=ssb$ID
# namespace ends
P1A=p1a$ID P1B=p1b$ID P2A=p2a$ID P2B=p2b$ID PSA=psa$ID PSB=psb$ID
WORK=$(mktemp -d /tmp/sip-calls.XXXXXX)

cleanup() {
	local p ns f
	for f in "$WORK/box1/fwd.pid" "$WORK/box2/fwd.pid" "$WORK/kamailio.pid"; do
		[ -s "$f" ] || continue
		p=$(cat "$f")
		kill -0 "$p" 2>/dev/null && kill -INT "$p" 2>/dev/null && sleep 1
		kill -KILL "$p" 2>/dev/null
	done
	for ns in "$NSA" "$NSB"; do   # whatever this run started inside its namespaces
		for p in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
	done
	ip netns del "$NSA" 2>/dev/null
	ip netns del "$NSB" 2>/dev/null
	for f in "$R1A" "$R1B" "$R2A" "$R2B" "$RSA" "$RSB"; do ip link del "$f" 2>/dev/null; done
	rm -rf "/var/run/dpdk/sip1-$ID" "/var/run/dpdk/sip2-$ID"   # the EAL runtime directories
	if [ "${SIP_KEEP:-0}" = 1 ] || [ "${RC:-1}" != 0 ]; then
		echo "sip: work directory kept: $WORK"
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# veth NS ROOT_IF PEER_IF ADDR/PREFIX: one more veth into an existing namespace,
# set up as netns_host_up sets up the first.
veth() {
	local ns=$1 root=$2 peer=$3 addr=$4
	ip link add "$root" type veth peer name "$peer" netns "$ns" || return 1
	sysctl -qw "net.ipv6.conf.$root.disable_ipv6=1" || return 1
	ethtool -K "$root" tx off rx off >/dev/null 2>&1 || return 1
	ip netns exec "$ns" ethtool -K "$peer" tx off rx off >/dev/null 2>&1 || return 1
	ip link set "$root" up || return 1
	ip -n "$ns" addr add "$addr" dev "$peer" || return 1
	ip -n "$ns" link set "$peer" up || return 1
}

# signal ROOT_IF ADDR/PREFIX: the root end of a signalling veth, a kernel interface.
signal_end() {
	ip addr add "$2" dev "$1" && ip link set "$1" up
}

# shellcheck source=tests/lib/netns.sh
. "$HERE/../lib/netns.sh"
{
	netns_host_up "$NSA" "$R1A" "$P1A" 198.18.0.2/24 &&
		veth "$NSA" "$R2A" "$P2A" 198.18.2.2/24 &&
		veth "$NSA" "$RSA" "$PSA" 198.18.1.2/24 && signal_end "$RSA" 198.18.1.1/24 &&
		netns_host_up "$NSB" "$R1B" "$P1B" 198.19.0.2/24 &&
		veth "$NSB" "$R2B" "$P2B" 198.19.2.2/24 &&
		veth "$NSB" "$RSB" "$PSB" 198.19.1.2/24 && signal_end "$RSB" 198.19.1.1/24 &&
		# ARP from the second veth says its own address, not the media address
		# (which box 2 reaches only through its gateway).
		ip netns exec "$NSA" sysctl -qw "net.ipv4.conf.$P2A.arp_announce=2" &&
		ip netns exec "$NSB" sysctl -qw "net.ipv4.conf.$P2B.arp_announce=2"
} || give_up "namespace/veth setup failed"

timeout -s INT "$TIME_LIMIT" "$PY" "$HERE/sip_calls.py" "$BIN" "$WORK" "$ID" \
	"$NSA" "$NSB" "$R1A" "$R1B" "$R2A" "$R2B" "$P1A" "$P1B" "$P2A" "$P2B"
RC=$?
[ "$RC" = 124 ] && echo "sip: stopped after ${TIME_LIMIT}s" && echo "sip: 0 passed, 1 failed"
exit "$RC"
