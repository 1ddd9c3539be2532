# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
# The boxes under test of bench/rtpengine/run.sh (sourced after bench/lib/pps.sh
# and bench/lib/eal_mem.sh; needs NSX, WORK, BOX_CPU, NG_PORT, MAC_A, MAC_B,
# SRTPFWD, AFP_FRAMES, ID, PY, here). One box at a time, in namespace X, started by
# pps_start (srtpfwd: with its console on a FIFO) and stopped by pps_stop.
#
#   box_start rtpengine|srtpfwd SCENARIO   sets BOX_MAC (where the generator sends) and
#                                          CALLS_VIA (search.py's options for the calls)
#   box_stop rtpengine|srtpfwd             and its drop counters on stdout

BOX_MAC=
CALLS_VIA=()

rtpengine_start() {
	topo_box_addrs on
	# Userspace only (--table=-1). One worker thread; every thread of the daemon on
	# BOX_CPU. No media playback threads (nothing here plays media), no delete delay
	# (the next trial's calls find the ports free), warnings only on stderr.
	pps_start rtpengine "$WORK/rtpengine.log" ip netns exec "$NSX" taskset -c "$BOX_CPU" \
		rtpengine --config-file=none --foreground --log-stderr --log-level=4 --table=-1 \
		--interface=access/198.18.0.1 --interface=core/198.19.0.1 \
		--listen-ng="127.0.0.1:$NG_PORT" --port-min=30000 --port-max=39999 \
		--num-threads=1 --media-num-threads=0 --delete-delay=0
	BOX_MAC=$(topo_mac "$NSX" xA)
	CALLS_VIA=(--ng "127.0.0.1:$NG_PORT")
}

srtpfwd_start() {
	local sc=$1
	topo_box_addrs off
	cat >"$WORK/srtpfwd.ini" <<EOF
[general]
mbufs = 16383
ng-listen = 127.0.0.1:$NG_PORT

[interface access]
port = net_af_packet0
mac = $MAC_A
ipv4 = 198.18.0.1/24
media-ports = 20000-29999

[interface core]
port = net_af_packet1
mac = $MAC_B
ipv4 = 198.19.0.1/24
media-ports = 30000-39999
EOF
	# qpairs=2: one TX queue for the worker, one for the control lcore; --rxq 2: the
	# worker polls both RX queues (af_packet fans the flows out over both sockets).
	# framecnt: AFP_FRAMES frames a ring (the PMD's 512 hold ~1 ms at these rates, and a
	# scheduling hiccup on this shared VM drops them; rtpengine's 50 sockets hold
	# rmem_default each, about 300 such packets apiece).
	# shellcheck disable=SC2046
	pps_start srtpfwd "$WORK/srtpfwd.log" ip netns exec "$NSX" "$SRTPFWD" \
		$(eal_mem_args 1024 "rtpe$ID") --no-pci -l 0-1 --log-level='*:warning' \
		--vdev "net_af_packet0,iface=xA,qpairs=2,framecnt=$AFP_FRAMES" \
		--vdev "net_af_packet1,iface=xB,qpairs=2,framecnt=$AFP_FRAMES" \
		-- --config "$WORK/srtpfwd.ini" --rxq 2
	BOX_MAC=$MAC_A
	if [ "$sc" = srtp-srtp-reencrypt ]; then
		CALLS_VIA=(--calls-via console --console "$pps_fifo" "$WORK/srtpfwd.log")
	else
		CALLS_VIA=(--ng "127.0.0.1:$NG_PORT")
	fi
}

box_start() {
	local box=$1
	case "$box" in
	rtpengine) rtpengine_start ;;
	srtpfwd) srtpfwd_start "$2" ;;
	*) echo "rtpengine bench: unknown box '$box'" >&2; exit 1 ;;
	esac
	if ! ip netns exec "$NSX" "$PY" "$here/ng_calls.py" ping "127.0.0.1:$NG_PORT" --wait 30; then
		echo "rtpengine bench: $box does not answer ng ping; its log:" >&2
		tail -20 "$WORK/$box.log" >&2
		exit 1
	fi
}

# After the cell: srtpfwd's drop reasons (final counters), rtpengine's socket overflows.
box_stop() {
	local box=$1
	if [ "$box" = rtpengine ]; then
		ip netns exec "$NSX" awk '$1 == "Udp:" && $2 ~ /^[0-9]/ { print "rtpengine bench: X udp: InDatagrams " $2 ", RcvbufErrors " $6 }' /proc/net/snmp
	fi
	pps_stop
	if [ "$box" = srtpfwd ]; then
		sed -n '/RX-missed/p; /drops by reason/,$p' "$WORK/srtpfwd.log" | sed 's/^/rtpengine bench: srtpfwd: /'
	fi
}
