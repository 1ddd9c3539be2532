#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Forward real traffic through srtpfwd on virtual ports: a generated capture of
# SRTP flows is replayed in a loop into the 'access' interface (net_pcap), each
# flow is an e2e session whose other leg sends out of 'core' (net_null), and
# the forwarder prints port and drop statistics every second for 5 seconds.
set -euo pipefail
bin=${1:?usage: demo.sh path/to/srtpfwd}
flows=${DEMO_FLOWS:-256}
seconds=${DEMO_SECONDS:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

/usr/bin/python3 - "$work/flows.pcap" "$flows" <<'PY'
import struct, sys
from scapy.all import Ether, IP, UDP, Raw, wrpcap
path, flows = sys.argv[1], int(sys.argv[2])
pkts = []
for i in range(flows):
    # RTP v2 header (as SRTP carries it) + 160 bytes of payload + 10-byte tag.
    rtp = struct.pack("!BBHII", 0x80, 0, i, 160 * i, 0x1000 + i) + bytes(170)
    pkts.append(Ether(dst="02:00:00:00:00:01", src="02:00:00:00:00:02") /
                IP(src="198.18.0.2", dst="198.18.0.1") /
                UDP(sport=5000, dport=20000 + i) / Raw(rtp))
wrpcap(path, pkts)
PY

cat >"$work/demo.ini" <<'INI'
# The demo: access side replayed from a capture, core side into a sink.
[general]
mbufs = 16383

[interface access]
port = net_pcap0
mac = 02:00:00:00:00:01
ipv4 = 198.18.0.1/24
media-ports = 20000-29999

[interface core]
port = net_null1
mac = 02:00:00:00:01:01
ipv4 = 198.19.0.1/24
neighbour = 198.19.0.2 02:00:00:00:01:02
media-ports = 30000-39999
INI

cat >"$work/demo.cmds" <<CMDS
session add e2e access 20000 core 30000 a-latch=learn b-remote=198.19.0.2:6000 count=$flows
show session 0
CMDS

echo "demo: $flows e2e sessions, capture looped into 'access', forwarded out of 'core'"
"$bin" --no-huge -m 1024 --no-pci --file-prefix "srtpfwd-demo-$$" -l 0-1 \
	--log-level='*:warning' \
	--vdev "net_pcap0,rx_pcap=$work/flows.pcap,infinite_rx=1,tx_pcap=$work/ctl-arp.pcap,tx_pcap=$work/ctl.pcap" \
	--vdev net_null1,no-rx=1 \
	-- --config "$work/demo.ini" --cmdline-file "$work/demo.cmds" \
	--stats-period 1 --duration "$seconds"
