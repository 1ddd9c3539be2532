# testpmd 5tswap: bench/e2e_forward.sh's per-packet peer (--forward-mode=5tswap):
# parses Ethernet/IPv4/UDP and swaps MACs, addresses and ports; no lookup,
# no validation, no checksum work. Same ports and options as testpmd-io.cmd.
# testpmd-args:
set nbcore 1
set fwd 5tswap
