#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Fuzz the packet parser with libFuzzer (clang, ASan + UBSan) for a bounded
# time: the inline fast path and the full parser must agree on every input,
# and nothing may read outside the frame. Seeds: well-formed UDP over IPv4
# (with and without a VLAN tag, with options, fragmented, padded to 60 bytes,
# with a trailer) and IPv6 (with an extension header, with a trailer), ARP;
# the first byte of an input picks the RX checksum
# verdicts and parse flags.
#
# Then the DTLS record pre-check (tests/fuzz/fuzz_dtls_record.c) for as long.
#
# usage: tests/fuzz/run.sh [seconds]     (default 30, per target)
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-30}
out=build-fuzz
mkdir -p "$out/corpus"
/usr/bin/python3 - "$out/corpus" <<'PY'
import sys
from scapy.all import ARP, Dot1Q, Ether, IP, IPv6, IPv6ExtHdrDestOpt, Raw, UDP
rtp = Raw(bytes([0x80, 0]) + bytes(170))
eth = Ether(dst="02:00:00:00:00:01", src="02:00:00:00:00:02")
frames = {
    "v4": eth / IP(src="198.18.0.2", dst="198.18.0.1") / UDP(sport=5000, dport=20000) / rtp,
    "v4vlan": eth / Dot1Q(vlan=7) / IP(src="198.18.0.2", dst="198.18.0.1") / UDP() / rtp,
    "v4opt": eth / IP(src="198.18.0.2", dst="198.18.0.1", options=b"\x01\x01\x01\x00") / UDP() / rtp,
    "v4frag": eth / IP(src="198.18.0.2", dst="198.18.0.1", flags="MF") / UDP() / rtp,
    "v6": eth / IPv6(src="2001:2::2", dst="2001:2::1") / UDP() / rtp,
    "v6ext": eth / IPv6(src="2001:2::2", dst="2001:2::1") / IPv6ExtHdrDestOpt() / UDP() / rtp,
    "arp": eth / ARP(psrc="198.18.0.2", pdst="198.18.0.1"),
    # Bytes after the datagram (outside the IP length): Ethernet padding, a trailer.
    "v4pad": bytes(eth / IP(src="198.18.0.2", dst="198.18.0.1") / UDP() /
                   Raw(bytes([0x80, 0]) + bytes(2))) + bytes(12),
    "v4trail": bytes(eth / IP(src="198.18.0.2", dst="198.18.0.1") / UDP() / rtp) + b"\x5a" * 9,
    "v6trail": bytes(eth / IPv6(src="2001:2::2", dst="2001:2::1") / UDP() / rtp) + b"\x5a" * 9,
}
for name, f in frames.items():
    for ctl in (0x00, 0x0a, 0x10):
        with open(f"{sys.argv[1]}/seed-{name}-{ctl:02x}", "wb") as out:
            out.write(bytes([ctl]) + bytes(f))
PY
command -v clang >/dev/null || { echo "fuzz: clang not found (apt-get install clang)" >&2; exit 1; }
# The project's own DPDK flags, less the -march DPDK's pkg-config forces.
dpdk_cflags=$(pkg-config --cflags libdpdk | tr ' ' '\n' | grep -v '^-march=' | tr '\n' ' ')
# shellcheck disable=SC2086
clang -g -O1 -march=x86-64-v3 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-DALLOW_EXPERIMENTAL_API $dpdk_cflags -Ilib \
	tests/fuzz/fuzz_pkt_parse.c lib/net/pkt_parse.c -o "$out/fuzz_pkt_parse"
"$out/fuzz_pkt_parse" -max_total_time="$secs" -max_len=1600 -print_final_stats=1 \
	"$out/corpus" 2>&1 | tail -n 12
# The DTLS pre-checks (record walk, ClientHello check, HelloVerifyRequest; no DPDK), seeded
# with the smallest ClientHello there is.
mkdir -p "$out/corpus-dtls"
printf '\x16\xfe\xfd\0\0\0\0\0\0\0\0\0\x36\x01\0\0\x2a\0\0\0\0\0\0\0\x2a\xfe\xfd%32s\0\0\0\x02\0\x2f\x01\0' '' |
	tr ' ' '\0' >"$out/corpus-dtls/seed-hello"
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Ilib/dtls \
	tests/fuzz/fuzz_dtls_record.c lib/dtls/dtls_record.c lib/dtls/dtls_hello.c -o "$out/fuzz_dtls_record"
"$out/fuzz_dtls_record" -max_total_time="$secs" -max_len=2048 -print_final_stats=1 \
	"$out/corpus-dtls" 2>&1 | tail -n 6
