#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Forward real traffic through srtpfwd on virtual ports: a generated capture is
# replayed in a loop into the 'access' interface (net_pcap) and forwarded out
# of 'core' (net_null). Half its flows are e2e sessions (relayed untouched),
# half are e2ae sessions whose SRTP (AES_CM_128_HMAC_SHA1_80, protected by
# libsrtp2 with key A) srtpfwd decrypts and re-encrypts with key B. Every
# second srtpfwd prints one line per worker (RX/TX and SRTP rates, drops,
# busy share, RX -> TX latency); then its final counters.
# Env: DEMO_FLOWS (256: half e2e, half e2ae), DEMO_SECONDS (5).
set -euo pipefail
bin=${1:?usage: demo.sh path/to/srtpfwd}
flows=${DEMO_FLOWS:-256}
seconds=${DEMO_SECONDS:-5}
half=$((flows / 2))
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Master key || salt (30 bytes) of each e2ae side: fresh for every demo.
key_a=$(head -c 30 /dev/urandom | base64 -w0)
key_b=$(head -c 30 /dev/urandom | base64 -w0)

/usr/bin/python3 - "$work/flows.pcap" "$half" "$key_a" <<'PY'
import base64, struct, sys
from pylibsrtp import Policy, Session
from scapy.all import Ether, IP, UDP, Raw, wrpcap
path, half, key = sys.argv[1], int(sys.argv[2]), base64.b64decode(sys.argv[3])
tx = Session(Policy(key=key, ssrc_type=Policy.SSRC_ANY_OUTBOUND,
                    srtp_profile=Policy.SRTP_PROFILE_AES128_CM_SHA1_80))
pkts = []
for i in range(2 * half):
    # RTP v2 + 160 bytes of payload: e2e flows carry it as SRTP-like bytes, e2ae ones as SRTP.
    rtp = struct.pack("!BBHII", 0x80, 0, i, 160 * i, 0x1000 + i) + bytes(160)
    e2ae = i >= half
    payload = tx.protect(rtp) if e2ae else rtp + bytes(10)
    port = 21000 + (i - half) if e2ae else 20000 + i
    pkts.append(Ether(dst="02:00:00:00:00:01", src="02:00:00:00:00:02") /
                IP(src="198.18.0.2", dst="198.18.0.1") / UDP(sport=5000, dport=port) / Raw(payload))
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

# The capture loops: the e2ae sessions take its repeated sequence numbers (replay-check=off).
cat >"$work/demo.cmds" <<CMDS
session add e2e access 20000 core 30000 a-latch=learn b-remote=198.19.0.2:6000 count=$half
session add e2ae access 21000 core 31000 a-remote=198.18.0.2:5000 a-latch=strict b-remote=198.19.0.2:6000 a-rx=AES_CM_128_HMAC_SHA1_80:inline:$key_a b-tx=AES_CM_128_HMAC_SHA1_80:inline:$key_b replay-check=off count=$half
CMDS

echo "demo: $half e2e sessions (relayed) and $half e2ae sessions (SRTP decrypted and re-encrypted"
echo "      with another key), a capture looped into 'access', forwarded out of 'core'"
"$bin" --no-huge -m 1024 --no-pci --file-prefix "srtpfwd-demo-$$" -l 0-1 \
	--log-level='*:warning' \
	--vdev "net_pcap0,rx_pcap=$work/flows.pcap,infinite_rx=1,tx_pcap=$work/ctl-arp.pcap,tx_pcap=$work/ctl.pcap" \
	--vdev net_null1,no-rx=1 \
	-- --config "$work/demo.ini" --cmdline-file "$work/demo.cmds" \
	--stats-period 1 --stats-lines --duration "$seconds"
