# testpmd txonly: a generator when pktgen is absent. Port 0 alone sends
# (--portmask=0x1 --port-topology=loop) 224-byte IPv4/UDP frames, the
# bench's RTP-sized frame (42 header bytes + 12 RTP + 160 payload + 10 tag),
# from 198.18.0.2:5000 to 198.18.1.1:10000 and srtpfwd's access MAC.
# testpmd 22.11 has no console command for addresses and ports: they are
# the options on the testpmd-args line (bench/pktgen/check.sh passes them).
# Its payload is all zeros: srtpfwd classifies by the first payload byte
# (RFC 7983) and drops these as malformed STUN, so against srtpfwd this
# measures the drop path; for forwarding use pktgen or a net_pcap replay.
# testpmd-args: --portmask=0x1 --port-topology=loop --tx-ip=198.18.0.2,198.18.1.1 --tx-udp=5000,10000
set nbcore 1
set fwd txonly
set txpkts 224
set eth-peer 0 02:00:00:00:00:01
