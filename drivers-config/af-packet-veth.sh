# SPDX-License-Identifier: BSD-3-Clause
# net_af_packet on veth pairs, no hugepages: real packets from test hosts in
# network namespaces. The forwarder owns the root-side end of each pair:
#   ACCESS_IF (default veth-sfa0) <-> peer end in namespace NS_ACCESS, 198.18.0.2/24
#   CORE_IF   (default veth-sfc0) <-> peer end in namespace NS_CORE,   198.19.0.2/24
# With SETUP=1 (root) this snippet creates the namespaces and pairs if absent;
# remove them with: ip netns del srtpfwd-acc; ip netns del srtpfwd-core
# qpairs=2: one queue pair per lcore that transmits (worker + control).
ACCESS_IF=${ACCESS_IF:-veth-sfa0}
CORE_IF=${CORE_IF:-veth-sfc0}
if [ "${SETUP:-0}" = 1 ]; then
	for spec in "srtpfwd-acc $ACCESS_IF 198.18.0.2/24" "srtpfwd-core $CORE_IF 198.19.0.2/24"; do
		set -- $spec
		ip link show "$2" >/dev/null 2>&1 && continue
		ip netns add "$1" 2>/dev/null || true
		ip link add "$2" type veth peer name "${2%0}1" netns "$1"
		ip link set "$2" up
		ip -n "$1" addr add "$3" dev "${2%0}1"
		ip -n "$1" link set "${2%0}1" up
		ip -n "$1" link set lo up
	done
fi
EAL=(--no-huge -m "${MEM_MB:-512}" --no-pci --file-prefix "srtpfwd-afp-$$" -l 0-1
     --log-level='*:warning' --vdev crypto_aesni_mb
     --vdev "net_af_packet0,iface=$ACCESS_IF,qpairs=2"
     --vdev "net_af_packet1,iface=$CORE_IF,qpairs=2")
