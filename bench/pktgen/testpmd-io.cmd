# testpmd io forward: the baseline of bench/e2e_forward.sh (--forward-mode=io,
# --nb-cores=1) on the ports pktgen drives: port 0 RX -> port 1 TX and back
# (paired topology), frames untouched.
#   dpdk-testpmd -l 2-3 -a PORT0 -a PORT1 -- --rxq=1 --txq=1 --stats-period 1 \
#       --cmdline-file=bench/pktgen/testpmd-io.cmd
# Non-interactive testpmd runs this file, then starts forwarding by itself.
# With a net_pcap port 0 (rx_pcap=FILE,infinite_rx=1) it is also a capture
# replayer: the generator when pktgen is absent (see README.md).
# testpmd-args:
set nbcore 1
set fwd io
