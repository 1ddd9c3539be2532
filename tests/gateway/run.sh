#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# A browser calls a SIP phone through srtpfwd: headless Chromium's offer goes
# through ng offer with the WebRTC -> SIP flags, SIPp answers RTP/AVP, the
# answer maps back, media flows both ways; audio, then audio plus video
# bundled. See gateway.py for the phases and what they assert.
#
#   ns browser                                root                              ns phone
#   Chromium (chrome_peer.py)                srtpfwd                            SIPp UAS 198.19.0.2:5060
#   198.18.0.2 ==veth== [net_af_packet0 access 198.18.0.1]                      sip_uac.py 198.19.0.2:5070
#                       [net_af_packet1 core 198.19.0.1] ==veth== 198.19.0.2    tcpdump (what the phone got)
#   ng: gateway.py (root) -> 127.0.0.1:<free port>; SIP stays inside ns phone (sip_uac.py
#   stands in for the browser's SIP side, next to SIPp).
#
# usage: tests/gateway/run.sh SRTPFWD [audio] [video]   (root; default both)
# env: GW_KEEP=1 keeps the work directory also when every check passed;
#      GW_TIME_LIMIT (150 s) bounds the whole run.
# Prints "gateway: N passed, M failed"; exits non-zero on any failure.
set -uo pipefail

[ $# -ge 1 ] || { echo "usage: tests/gateway/run.sh SRTPFWD [audio] [video]"; exit 2; }
BIN=$(readlink -f "$1")
shift
for c in "$@"; do
	case $c in audio | video) ;; *) echo "gateway: unknown case '$c' (audio, video)"; exit 2 ;; esac
done
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
TIME_LIMIT=${GW_TIME_LIMIT:-150}   # the whole run; gateway.py's own waits are shorter

give_up() {
	echo "gateway: $1"
	echo "gateway: 0 passed, 1 failed"
	exit 1
}

[ "$(id -u)" = 0 ] || give_up "needs root (network namespaces, SIPp's raw sockets)"
[ -x "$BIN" ] || give_up "$BIN: no srtpfwd binary"
# A peer that truly cannot run is a skip, said plainly; never a way around a failure.
for f in /usr/bin/chromium /usr/bin/chromedriver; do
	[ -x "$f" ] || { echo "gateway: SKIPPED: $f missing (scripts/install-deps.sh installs it)"; exit 0; }
done
for f in sipp tcpdump; do
	command -v "$f" >/dev/null ||
		{ echo "gateway: SKIPPED: $f missing (scripts/install-deps.sh installs sip-tester, tcpdump)"; exit 0; }
done
[ -r /usr/share/sip-tester/g711a.pcap ] ||
	{ echo "gateway: SKIPPED: /usr/share/sip-tester/g711a.pcap missing (sip-tester)"; exit 0; }
"$PY" -c 'import selenium' 2>/dev/null ||
	{ echo "gateway: SKIPPED: $PY lacks selenium (python3-selenium)"; exit 0; }

ID=$(( $$ % 100000 ))
NSB=gw-browser-$ID
NSP=gw-phone-$ID
VA=gwA$ID   # root side (srtpfwd), access
VC=gwC$ID   # root side (srtpfwd), core
PA=gpA$ID   # in ns browser
PC=gpC$ID   # in ns phone
WORK=$(mktemp -d /tmp/gateway.XXXXXX)

cleanup() {
	local p ns
	if [ -s "$WORK/fwd.pid" ]; then
		p=$(cat "$WORK/fwd.pid")
		kill -0 "$p" 2>/dev/null && kill -INT "$p" 2>/dev/null && sleep 1
		kill -KILL "$p" 2>/dev/null
	fi
	# whatever this run started inside its namespaces: Chromium, chromedriver, SIPp,
	# tcpdump, sip_uac.py
	for ns in "$NSB" "$NSP"; do
		for p in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
	done
	ip netns del "$NSB" 2>/dev/null
	ip netns del "$NSP" 2>/dev/null
	ip link del "$VA" 2>/dev/null
	ip link del "$VC" 2>/dev/null
	rm -rf "/var/run/dpdk/gw$ID"   # the EAL runtime directory of our file prefix
	if [ "${GW_KEEP:-0}" = 1 ] || [ "${RC:-1}" != 0 ]; then
		echo "gateway: work directory kept: $WORK"
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=tests/lib/netns.sh
. "$HERE/../lib/netns.sh"
netns_host_up "$NSB" "$VA" "$PA" 198.18.0.2/24 && netns_host_up "$NSP" "$VC" "$PC" 198.19.0.2/24 ||
	give_up "namespace/veth setup failed"

GW_PREFIX=gw$ID timeout -s INT -k 10 "$TIME_LIMIT" nice -n 5 "$PY" "$HERE/gateway.py" "$BIN" "$WORK" "$ID" \
	"$NSB" "$NSP" "$VA" "$VC" "$PA" "$PC" "$@"
RC=$?
[ "$RC" = 124 ] && echo "gateway: stopped after ${TIME_LIMIT}s" && echo "gateway: 0 passed, 1 failed"
exit "$RC"
