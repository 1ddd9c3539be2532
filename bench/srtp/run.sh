#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# SRTP engine benchmark on one lcore: both back ends and the crypto ceiling
# (dpdk-test-crypto-perf, same PMD), medians of REPEAT runs, as a markdown
# table on stdout. Usage: bench/srtp/run.sh [build-dir]   (from the repo root)
# Env: REPEAT (3), MS (timed ms per measurement, 200).
set -eu
BUILD=${1:-build}
REPEAT=${REPEAT:-3}
MS=${MS:-200}
OUT=$(mktemp -d /tmp/srtp_bench.XXXXXX)
trap 'rm -rf "$OUT"' EXIT INT TERM

ninja -C "$BUILD" lib/srtp/libsrtpfwd_srtp.a >/dev/null
cc -O2 -march=native -DALLOW_EXPERIMENTAL_API -Wall -Wextra -Ilib/srtp \
	$(pkg-config --cflags libdpdk) bench/srtp/srtp_bench.c -o "$OUT/srtp_bench" \
	"$BUILD/lib/srtp/libsrtpfwd_srtp.a" \
	$(pkg-config --libs libdpdk libsrtp2 openssl) -lrte_bus_vdev

eal() {
	echo "--no-huge -m 1024 --no-pci --file-prefix srtpb_$$_$1 -l 0 --log-level lib.*:error --vdev crypto_aesni_mb"
}
# crypto-perf wants a main lcore plus the one worker lcore that it measures.
eal_cp() {
	echo "--no-huge -m 1024 --no-pci --file-prefix srtpb_$$_$1 -l 0,1 --log-level lib.*:error --vdev crypto_aesni_mb"
}

i=1
while [ "$i" -le "$REPEAT" ]; do
	for be in cryptodev libsrtp; do
		"$OUT/srtp_bench" $(eal "$be$i") -- --backend "$be" --ms "$MS" \
			2>/dev/null | grep -E '^(cryptodev|libsrtp2|window) ' >> "$OUT/engine.txt"
	done
	# The window's share: the cryptodev back end with replay checks off.
	"$OUT/srtp_bench" $(eal "nr$i") -- --backend cryptodev --ms "$MS" --no-replay \
		2>/dev/null | grep -E '^cryptodev ' | sed 's/^cryptodev/cryptodev-noreplay/' \
		>> "$OUT/engine.txt"
	for sz in 64 160 1200; do
		hsz=$((sz + 12))
		dpdk-test-crypto-perf $(eal_cp "cp$i$sz") -- --ptest throughput \
			--devtype crypto_aesni_mb --optype cipher-then-auth \
			--cipher-algo aes-ctr --cipher-op encrypt --cipher-key-sz 16 \
			--cipher-iv-sz 16 --auth-algo sha1-hmac --auth-op generate \
			--auth-key-sz 20 --digest-sz 10 --total-ops 2000000 --burst-sz 32 \
			--buffer-sz "$hsz" --silent 2>/dev/null |
			awk -v sz="$sz" '$1 ~ /^[0-9]+$/ && NF >= 8 { print "cperf ctr-hmac " sz " " $8 }' \
			>> "$OUT/engine.txt"
		dpdk-test-crypto-perf $(eal_cp "cg$i$sz") -- --ptest throughput \
			--devtype crypto_aesni_mb --optype aead --aead-algo aes-gcm \
			--aead-op encrypt --aead-key-sz 16 --aead-iv-sz 12 --aead-aad-sz 12 \
			--digest-sz 16 --total-ops 2000000 --burst-sz 32 --buffer-sz "$sz" \
			--silent 2>/dev/null |
			awk -v sz="$sz" '$1 ~ /^[0-9]+$/ && NF >= 8 { print "cperf gcm-128 " sz " " $8 }' \
			>> "$OUT/engine.txt"
	done
	i=$((i + 1))
done

python3 - "$OUT/engine.txt" "$REPEAT" <<'PY'
import statistics, sys
rows = {}
cperf = {}
win = []
for line in open(sys.argv[1]):
    f = line.split()
    if f[0] == 'window':
        win.append(float(f[-1]))
    elif f[0] == 'cperf':
        cperf.setdefault((f[1], f[2]), []).append(float(f[3]))
    else:
        rows.setdefault((f[1], f[2], f[3]), {}).setdefault(f[0], []).append(float(f[4]))
med = lambda v: statistics.median(v) if v else float('nan')
print(f"Medians of {sys.argv[2]} runs, one lcore, burst 32, Mpps (crypto-perf: Mops).\n")
print(f"Replay window alone (check + add, 128): {med(win):.2f} ns/packet.\n")
print("| profile | mode | payload | cryptodev | libsrtp2 | x libsrtp2 | no-replay | crypto ceiling | % of ceiling |")
print("|---|---|---|---|---|---|---|---|---|")
for (prof, mode, size), v in rows.items():
    c, l, n = med(v.get('cryptodev', [])), med(v.get('libsrtp2', [])), med(v.get('cryptodev-noreplay', []))
    alg = 'gcm-128' if 'GCM' in prof else 'ctr-hmac'
    ceil = med(cperf.get((alg, size), []))
    # Re-encryption is two crypto operations per packet.
    ceil_pkt = ceil / 2 if mode == 'reencrypt' else ceil
    note = '' if prof in ('AES_CM_128_HMAC_SHA1_80', 'AEAD_AES_128_GCM') else ' (ref)'
    print(f"| {prof} | {mode} | {size} | {c:.2f} | {l:.3f} | {c / l:.1f} | {n:.2f} | "
          f"{ceil_pkt:.2f}{note} | {100 * c / ceil_pkt:.0f}% |")
PY
