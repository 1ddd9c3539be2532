# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
# The e2e forwarding set-up of bench/e2e_forward.sh, shared with
# bench/timing_cost.sh: a capture of one SRTP-like packet per flow (looped by
# net_pcap infinite_rx=1 into 'access'), the srtpfwd configuration that
# forwards it out of 'core' (net_null) to one static next hop, the console
# line that makes the sessions, and the memory all of that needs.
#
#   . bench/lib/e2e_flows.sh
#   e2e_capture GEN OUT FLOWS          # srtpfwd-gen-flows: one 224-byte frame per flow
#   e2e_config FLOWS OUT [CSUM]        # srtpfwd's .ini (udp-checksum = CSUM, default verify)
#   e2e_session_cmd FLOWS              # the `session add e2e ...` line
#   e2e_pool_size FLOWS                # mbufs: the whole capture plus what is in flight
#   e2e_eal_mb FLOWS                   # EAL MiB for that pool (testpmd)
#   e2e_eal_mb_sf FLOWS                # ... plus srtpfwd's tables
#   e2e_vdevs CAPTURE                  # the two --vdev options (prints one a line)
# SRTPFWD_GENERAL: extra lines for the [general] section (experiments).

E2E_PORTS_LO=10000
E2E_PORTS_HI=59999
E2E_PER_ADDR=$((E2E_PORTS_HI - E2E_PORTS_LO + 1))

# net_pcap infinite_rx keeps the whole capture in mbufs (plus the ones in
# flight), 512-byte data room.
e2e_pool_size() { echo $(($1 + 32768)); }
e2e_eal_mb() { echo $((512 + ($1 + 32768) * 800 / 1048576 + 256)); }
# srtpfwd also holds the session, leg and flow tables (about 2 KiB a session).
e2e_eal_mb_sf() { echo $(($(e2e_eal_mb "$1") + $1 * 2048 / 1048576)); }

e2e_capture() {
	"$1" -o "$2" -n "$3" -p "$E2E_PORTS_LO-$E2E_PORTS_HI" -d 198.18.1.1 -S 198.18.0.2 -P 5000 >&2
}

e2e_vdevs() {
	echo "--vdev"
	echo "net_pcap0,rx_pcap=$1,infinite_rx=1,tx_pcap=/dev/null,tx_pcap=/dev/null"
	echo "--vdev"
	echo "net_null1,no-rx=1"
}

e2e_session_cmd() {
	echo "session add e2e access $E2E_PORTS_LO core $E2E_PORTS_LO a-remote=198.18.0.2:5000" \
		"a-latch=strict b-remote=198.19.0.2:6000 count=$1"
}

e2e_config() {
	local flows=$1 out=$2 csum=${3:-verify} naddr i
	naddr=$(((flows + E2E_PER_ADDR - 1) / E2E_PER_ADDR))
	{
		cat <<EOF
# e2e benchmark: $flows sessions, capture replayed into 'access' (net_pcap),
# forwarded out of 'core' (net_null) to one static next hop.
[general]
max-sessions = $((flows < 1024 ? 1024 : flows))
mbufs = $(e2e_pool_size "$flows")
mbuf-data-room = 512
udp-checksum = $csum
${SRTPFWD_GENERAL:-}

[interface access]
exposed = no
port = net_pcap0
mac = 02:00:00:00:00:01
media-ports = $E2E_PORTS_LO-$E2E_PORTS_HI
EOF
		for ((i = 0; i < naddr; i++)); do echo "ipv4 = 198.18.1.$((i + 1))/15"; done
		cat <<EOF

[interface core]
exposed = no
port = net_null1
mac = 02:00:00:00:01:01
media-ports = $E2E_PORTS_LO-$E2E_PORTS_HI
neighbour = 198.19.0.2 02:00:00:00:01:02
EOF
		for ((i = 0; i < naddr; i++)); do echo "ipv4 = 198.19.1.$((i + 1))/15"; done
	} >"$out"
}
