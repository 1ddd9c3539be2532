#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# e2ae tests (SRTP terminated and re-protected by srtpfwd), every SRTP engine
# (cryptodev, ipsec-mb, cpu-crypto, libsrtp):
#   pipeline_srtp.py  captures through net_pcap, every profile pylibsrtp can make
#   netns_srtp.sh     two network namespaces, net_af_packet on veth, real sockets;
#                     once more over net_tap (the device sums UDP checksums on TX)
# usage: tests/e2ae/run.sh SRTPFWD    exits non-zero on any failure
set -uo pipefail
BIN=$(readlink -f "${1:?usage: tests/e2ae/run.sh SRTPFWD}")
HERE=$(cd "$(dirname "$0")" && pwd)
rc=0
# Debian's scapy and pylibsrtp live under /usr/bin/python3, not under another python3 on PATH.
/usr/bin/python3 "$HERE/pipeline_srtp.py" "$BIN" --engines cryptodev,ipsec-mb,cpu-crypto,libsrtp || rc=1
"$HERE/netns_srtp.sh" "$BIN" cryptodev ipsec-mb cpu-crypto libsrtp cryptodev@tap || rc=1
[ "$rc" = 0 ] && echo "e2ae: ok" || echo "e2ae: FAILED"
exit "$rc"
