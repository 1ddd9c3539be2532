# testpmd csum: bench/e2e_forward.sh's checksum peer (--forward-mode=csum):
# parses each packet and computes the IPv4 and UDP checksums in software,
# set explicitly so that a NIC's offload is not measured instead (the ports
# must be stopped to change it). Same ports and options as testpmd-io.cmd.
# testpmd-args:
port stop all
csum set ip sw 0
csum set udp sw 0
csum set ip sw 1
csum set udp sw 1
port start all
set nbcore 1
set fwd csum
