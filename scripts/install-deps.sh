#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Install the Debian 12 packages srtpfwd builds and tests with, if missing.
# usage: scripts/install-deps.sh [bench]   (bench: also what bench/run uses)
set -euo pipefail

packages=(
	# build
	gcc pkg-config meson ninja-build
	dpdk dpdk-dev libdpdk-dev libsrtp2-dev libssl-dev libpcap-dev libcmocka-dev
	# the ipsec-mb SRTP back end calls Intel's multi-buffer library itself
	libipsec-mb-dev
	# tests: real peers and packet tools; clang for the libFuzzer parser fuzz
	python3 python3-scapy python3-pylibsrtp xxd iproute2 ethtool tshark openssl
	clang libclang-rt-14-dev
	# tests/ice: a real browser and a real WebRTC stack as ICE/DTLS peers, and
	# a capture of what the box sends back to spoofed sources
	chromium chromium-driver python3-selenium python3-aiortc tcpdump
	# tests/ng: rtpengine's own ng client (rtpengine-ng-client); a SIP proxy
	# driving the box over ng (kamailio's rtpengine module) between SIPp agents
	rtpengine-utils kamailio sip-tester
	# tests: the pktgen kit's Lua scripts are syntax-checked (luac5.3 -p)
	lua5.3
)
if [ "${1:-}" = bench ]; then
	# bench/run: plots; rtpengine side by side; the fair libsrtp2 (OpenSSL) from
	# Debian's source package (apt-get source, its configure and make)
	packages+=(python3-matplotlib rtpengine-daemon dpkg-dev make pkg-config)
fi

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing ${missing[*]}; run as root" >&2
	exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
