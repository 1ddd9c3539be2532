#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Run the libFuzzer harnesses (clang, ASan + UBSan) for a bounded time: the
# total is split evenly between the harnesses named (default: all), at least
# 5 s each. A harness is tests/fuzz/fuzz_NAME.c plus the sources in its line
# of the table below; seed_NAME, if defined, writes its seed corpus.
#
#   pkt_parse  the packet parser: the inline fast path and the full parser
#              agree on every input, nothing reads outside the frame
#   stun       lib/stun: parse, integrity, responses built in place
#   dtls_record  the DTLS record walk, ClientHello check and HelloVerifyRequest
#              (lib/dtls, no DPDK): agree, stay inside the datagram, answer smaller
#   bencode    lib/ng/bencode: decode, re-encode to the same bytes, decode to the same shape
#   ng_json    lib/ng/ng_json and ng_frame: JSON bodies decode, write back as JSON and
#              as bencode to the same tree; the TCP framer ends a stream at one
#              place however it is cut
#   ng_params  lib/ng/ng_params: a request's keys, flags and intercept-* keys read out of
#              any decoded body; one-line reasons, every string a slice of the input
#   li_pdu     lib/li/li_pdu: what a mediation function sends, walked PDU by PDU;
#              an accepted PDU lies inside the stream
#   sdp        lib/sdp: parse, typed readers, write with no edits and parse again
#              to the same lines, sections and attributes
#
# usage: tests/fuzz/run.sh [total-seconds] [harness ...]     (default 30, all)
set -euo pipefail
cd "$(dirname "$0")/../.."

# name: sources it links (globs expand), max input length
harnesses=(
	"pkt_parse: lib/net/pkt_parse.c : 1600"
	"stun: lib/stun/*.c : 1501"
	"dtls_record: lib/dtls/dtls_record.c lib/dtls/dtls_hello.c : 2048"
	"bencode: lib/ng/bencode.c lib/ng/bencode_writer.c : 4096"
	"ng_json: lib/ng/ng_json.c lib/ng/ng_frame.c lib/ng/bencode.c lib/ng/bencode_writer.c : 4096"
	"sdp: lib/sdp/*.c : 16384"
	"ng_params: lib/ng/bencode.c lib/ng/ng_params.c : 4096"
	"li_pdu: lib/li/li_pdu.c : 9000"
)

# An rtpengine-ng-client style offer and a reply, one with a cookie in front.
seed_bencode() {
	printf 'd7:command4:pinge' >"$1/seed-ping"
	printf 'd7:command5:offer7:call-id3:abc8:from-tag2:ft3:sdp8:v=0\r\ns=-5:flagsl13:trust-addresse13:received-froml3:IP410:198.18.0.2e12:delete-delayi-30ee' >"$1/seed-offer"
	printf 'd6:result2:ok6:totalsd3:RTPd7:packetsi10e5:bytesi1200eeee' >"$1/seed-reply"
	printf '5323_1 d7:command4:pinge' >"$1/seed-cookie"
}

# JSON bodies: rtpengine-ng-client --json style, escapes, and TCP streams.
seed_ng_json() {
	printf '{"command":"ping"}' >"$1/seed-ping"
	printf '{"command":"offer","call-id":"abc","from-tag":"ft","sdp":"v=0\r\ns=-\r\n","flags":["trust-address"],"received-from":["IP4","198.18.0.2"],"delete-delay":-30,"t":true}' >"$1/seed-offer"
	printf '{"k":"\u00e9\ud83d\ude00\"\\\/","l":[[],{},0,false]}' >"$1/seed-escapes"
	printf '5323_1 d7:command4:pingec2 {"command":"ping"}' >"$1/seed-stream"
}

# Offers with every kind of key, the intercept-* keys too, well-formed and not.
seed_ng_params() {
	seed_bencode "$1"
	printf 'd7:command5:offer7:call-id1:c8:from-tag1:a13:intercept-xid36:6f1c2d3e-0000-4000-8000-00000000000a24:intercept-correlation-idi66e12:intercept-mf3:mf116:intercept-target7:to-tag14:intercept-dtls3:yes4:SDESl3:off18:no-AEAD_AES_256_GCMe8:rtcp-muxl5:offere9:directionl6:access4:coreee' >"$1/seed-intercept"
	printf 'd7:command15:start intercept7:call-id1:c24:intercept-correlation-id4:0x4212:intercept-mfi3ee' >"$1/seed-bad"
}

# The smallest ClientHello there is.
seed_dtls_record() {
	printf '\x16\xfe\xfd\0\0\0\0\0\0\0\0\0\x36\x01\0\0\x2a\0\0\0\0\0\0\0\x2a\xfe\xfd%32s\0\0\0\x02\0\x2f\x01\0' '' |
		tr ' ' '\0' >"$1/seed-hello"
}

# Seeds: the offers of tests/unit/test_sdp.c, cut out of its C strings.
seed_sdp() {
	/usr/bin/python3 - "$1" tests/unit/test_sdp.c <<'PY'
import ast, re, sys
src = open(sys.argv[2]).read()
for name in ("chromium_offer", "firefox_offer", "sip_offer", "sdes_offer"):
    body = re.search(r"static const char %s\[\] =\n(.*?);\n" % name, src, re.S).group(1)
    text = "".join(ast.literal_eval(s) for s in re.findall(r'"(?:[^"\\]|\\.)*"', body))
    with open(f"{sys.argv[1]}/seed-{name}", "w", newline="") as out:
        out.write(text)
PY
}

# Seeds: well-formed UDP over IPv4 (with and without a VLAN tag, with options,
# fragmented, padded to 60 bytes, with a trailer) and IPv6 (with an extension
# header, with a trailer), ARP; the first byte of an input picks the RX
# checksum verdicts and parse flags.
seed_pkt_parse() {
	/usr/bin/python3 - "$1" <<'PY'
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
}

# Seeds: RFC 5769 §2.1 and a Chrome-like Binding request (USERNAME,
# GOOG-NETWORK-INFO, ICE-CONTROLLING, USE-CANDIDATE, PRIORITY, MI, FINGERPRINT),
# one with an unknown comprehension-required attribute, one without credentials,
# the RFC 5769 IPv6 response; the first byte asks the harness to fix FINGERPRINT
# (bit 0) and MESSAGE-INTEGRITY (bit 1).
# Two keepalives (one an ack) and the start of a third.
seed_li_pdu() {
	printf '\x00\x05\x00\x03\x00\x00\x00\x28\x00\x00\x00\x00' >"$1/seed-ka"
	head -c 28 /dev/zero >>"$1/seed-ka"
	cat "$1/seed-ka" "$1/seed-ka" >"$1/seed-two"
	printf '\x00\x05\x00\x04' >>"$1/seed-two"
}

seed_stun() {
	/usr/bin/python3 - "$1" <<'PY'
import struct, sys
def attr(t, v):
    return struct.pack("!HH", t, len(v)) + v + bytes(-len(v) % 4)
def msg(t, attrs, mi=True, fp=True):
    body = b"".join(attrs)
    if mi:
        body += attr(0x0008, bytes(20))
    if fp:
        body += attr(0x8028, bytes(4))
    return struct.pack("!HHI", t, len(body), 0x2112A442) + bytes(range(1, 13)) + body
rfc5769 = bytes.fromhex(
    "000100582112a442b7e7a701bc34d686fa87dfae802200105354554e207465737420636c69656e74"
    "002400046e0001ff80290008932ff9b151263b36000600096576746a3a6836765920202000080014"
    "9aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a280280004e57a3bcf")
v6resp = bytes.fromhex(
    "010100482112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f722000200014"
    "0002a1470113a9faa5d3f179bc25f4b5bed2b9d900080014a382954e4be67bf11784c97c8292c275"
    "bfe3ed4180280004c8fb0b4c")
chrome = [attr(0x0006, b"Lx7Q:r9Zt"), attr(0xC057, bytes([0, 1, 0, 10])),
          attr(0x802A, bytes(8)), attr(0x0025, b""), attr(0x0024, bytes(4))]
seeds = {
    "rfc5769": (0, rfc5769),
    "chrome": (3, msg(0x0001, chrome)),
    "unknown": (3, msg(0x0001, chrome[:1] + [attr(0x0031, b""), attr(0xC001, bytes(4))])),
    "nocred": (1, msg(0x0001, chrome[1:], mi=False)),
    "v6resp": (0, v6resp),
}
for name, (ctl, m) in seeds.items():
    with open(f"{sys.argv[1]}/seed-{name}", "wb") as out:
        out.write(bytes([ctl]) + m)
PY
}

secs=${1:-30}
shift || true
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
	for h in "${harnesses[@]}"; do
		names+=("${h%%:*}")
	done
fi
per=$((secs / ${#names[@]}))
[ "$per" -ge 5 ] || per=5

command -v clang >/dev/null || { echo "fuzz: clang not found (apt-get install clang)" >&2; exit 1; }
# The project's own DPDK flags, less the -march DPDK's pkg-config forces.
dpdk_cflags=$(pkg-config --cflags libdpdk | tr ' ' '\n' | grep -v '^-march=' | tr '\n' ' ')
out=build-fuzz
for name in "${names[@]}"; do
	line=
	for h in "${harnesses[@]}"; do
		[ "${h%%:*}" = "$name" ] && line=$h
	done
	[ -n "$line" ] || { echo "fuzz: no harness '$name'" >&2; exit 2; }
	IFS=: read -r _ srcs max_len <<<"$line"
	max_len=${max_len// /}
	corpus=$out/corpus-$name
	mkdir -p "$corpus"
	if declare -F "seed_$name" >/dev/null; then
		"seed_$name" "$corpus"
	fi
	echo "fuzz: $name for ${per} s"
	# shellcheck disable=SC2086
	clang -g -O1 -march=x86-64-v3 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-DALLOW_EXPERIMENTAL_API $dpdk_cflags -Ilib \
		"tests/fuzz/fuzz_$name.c" $srcs -o "$out/fuzz_$name"
	"$out/fuzz_$name" -max_total_time="$per" -max_len="$max_len" -print_final_stats=1 \
		-artifact_prefix="$out/$name-" \
		"$corpus" 2>&1 | tail -n 12
done
