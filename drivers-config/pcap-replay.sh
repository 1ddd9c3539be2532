# SPDX-License-Identifier: BSD-3-Clause
# net_pcap replay into 'access', net_null sink for 'core', no hugepages.
# PCAP: capture to replay in a loop (infinite_rx=1), e.g. from
#   build/bench/srtpfwd-gen-flows -o /tmp/flows.pcap -n 1000 -p 20000-29999 -d 198.18.0.1
# net_pcap gets one TX queue per tx_pcap/tx_iface argument and srtpfwd needs
# two per port (worker + control): what the forwarder sends back out of
# 'access' (ARP, STUN answers) is written to TX_PCAP (default /dev/null).
# infinite_rx copies the whole capture into mbufs at start: size 'mbufs' in
# the .ini above the number of packets in the capture (and MEM_MB with it).
: "${PCAP:?set PCAP=path/to/capture.pcap}"
EAL=(--no-huge -m "${MEM_MB:-1024}" --no-pci --file-prefix "srtpfwd-pcap-$$" -l 0-1
     --log-level='*:warning' --vdev crypto_aesni_mb
     --vdev "net_pcap0,rx_pcap=$PCAP,infinite_rx=1,tx_pcap=${TX_PCAP:-/dev/null},tx_pcap=${TX_PCAP:-/dev/null}"
     --vdev net_null1,no-rx=1)
