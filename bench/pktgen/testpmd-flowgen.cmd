# testpmd flowgen: a multi-flow generator when pktgen is absent. Port 0
# alone sends (--portmask=0x1 --port-topology=loop) N UDP flows
# (--flowgen-flows=N: testpmd 22.11 has no console command for it).
# `set txpkts 228` gives 224-byte frames: flowgen leaves 4 bytes for the FCS,
# txonly does not (both seen in captures of Debian's testpmd 22.11).
# Its headers are fixed (seen there): 10.254.0.0:1000 to 10.253.0.0 + flow
# :1001, MACs 00:01:02:03:04:0x, payload not RTP-shaped. They match no
# srtpfwd session, so against srtpfwd it measures the drop path; it also
# feeds testpmd baselines. Use it only where no kernel routes the frames
# (physical loopback cables, net_null), not on a veth or tap the host sees.
# testpmd-args: --portmask=0x1 --port-topology=loop --flowgen-flows=1000
set nbcore 1
set fwd flowgen
set txpkts 228
