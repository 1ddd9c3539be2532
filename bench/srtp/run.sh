#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# SRTP engine benchmark on one lcore: srtpfwd's cryptodev back end beside its
# libsrtp back end over each libsrtp2 build (Debian's NSS one and the
# bench-local OpenSSL one, bench/peers/), and the crypto ceiling
# (dpdk-test-crypto-perf, same PMD); all in the same run, interleaved, medians
# of REPEAT runs, as markdown on stdout (with the command, date, commit and
# machine it was measured on).
#
# Usage: bench/srtp/run.sh [build-dir]   (from anywhere; default: build)
# Env:   REPEAT (3), MS (timed ms per measurement, 200), QUICK=1 (REPEAT=1 MS=40:
#        under a minute, for checking the script, not for figures),
#        LIBSRTP_PEERS ("debian openssl" when bench/peers/libsrtp2-openssl.sh has
#        built the OpenSSL one, else "debian"), LIBSRTP2_OPENSSL_PREFIX (its prefix),
#        RESULTS (also write the markdown to this file), CSV (append bench/run rows
#        srtp-engine,PROFILE:MODE,SERIES,PAYLOAD,MPPS,Mpps)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cmdline="$0 $*"
BUILD=$(cd "${1:-$root/build}" && pwd)
if [ "${QUICK:-0}" = 1 ]; then
	REPEAT=${REPEAT:-1}
	MS=${MS:-40}
fi
REPEAT=${REPEAT:-3}
MS=${MS:-200}
# shellcheck source=bench/peers/libsrtp2.sh
. "$root/bench/peers/libsrtp2.sh"
LIBSRTP_PEERS=${LIBSRTP_PEERS:-$(libsrtp2_peers_default)}
[ -n "${RESULTS:-}" ] && exec > >(tee "$RESULTS")
OUT=$(mktemp -d /tmp/srtp_bench.XXXXXX)
trap 'rm -rf "$OUT"' EXIT INT TERM
cd "$root"

ninja -C "$BUILD" lib/srtp/libsrtpfwd_srtp.a >/dev/null
# Linked against libsrtp2.so.1 dynamically (pkg-config: Debian's); each peer
# is the same binary under its own loader path.
# shellcheck disable=SC2046
cc -O2 -march=native -DALLOW_EXPERIMENTAL_API -Wall -Wextra -Ilib/srtp \
	$(pkg-config --cflags libdpdk) bench/srtp/srtp_bench.c -o "$OUT/srtp_bench" \
	"$BUILD/lib/srtp/libsrtpfwd_srtp.a" \
	$(pkg-config --libs libdpdk libsrtp2 openssl) -lrte_bus_vdev -lIPSec_MB
for peer in $LIBSRTP_PEERS; do
	libsrtp2_peer_check "$peer" "$OUT/srtp_bench" ||
		{ echo "build it: bench/peers/libsrtp2-openssl.sh, or set LIBSRTP_PEERS=debian" >&2; exit 1; }
done

eal() {
	echo "--no-huge -m 1024 --no-pci --file-prefix srtpb_$$_$1 -l 0 --log-level lib.*:error --vdev crypto_aesni_mb"
}
# crypto-perf wants a main lcore plus the one worker lcore that it measures.
eal_cp() {
	echo "--no-huge -m 1024 --no-pci --file-prefix srtpb_$$_$1 -l 0,1 --log-level lib.*:error --vdev crypto_aesni_mb"
}

# One srtp_bench run; $1 label of its lines, $2 tag, $3 env words, rest: its options.
bench() {
	local label=$1 tag=$2 envw=$3
	shift 3
	# shellcheck disable=SC2046,SC2086
	env $envw "$OUT/srtp_bench" $(eal "$tag") -- --ms "$MS" "$@" 2>/dev/null >"$OUT/run.txt"
	grep -E '^(cryptodev|libsrtp2|window) ' "$OUT/run.txt" |
		sed -E "s/^(cryptodev|libsrtp2) /$label /" >>"$OUT/engine.txt"
	awk -v l="$label" '$1 == "libsrtp2-loaded" { print l, $2 }' "$OUT/run.txt" >>"$OUT/loaded.txt"
}

i=1
while [ "$i" -le "$REPEAT" ]; do
	bench cryptodev "cd$i" "" --backend cryptodev
	for peer in $LIBSRTP_PEERS; do
		bench "libsrtp2-$peer" "$peer$i" "$(libsrtp2_peer_env "$peer")" --backend libsrtp
	done
	# The window's share: the cryptodev back end with replay checks off.
	bench cryptodev-noreplay "nr$i" "" --backend cryptodev --no-replay
	for sz in 64 160 1200; do
		hsz=$((sz + 12))
		# shellcheck disable=SC2046
		dpdk-test-crypto-perf $(eal_cp "cp$i$sz") -- --ptest throughput \
			--devtype crypto_aesni_mb --optype cipher-then-auth \
			--cipher-algo aes-ctr --cipher-op encrypt --cipher-key-sz 16 \
			--cipher-iv-sz 16 --auth-algo sha1-hmac --auth-op generate \
			--auth-key-sz 20 --digest-sz 10 --total-ops 2000000 --burst-sz 32 \
			--buffer-sz "$hsz" --silent 2>/dev/null |
			awk -v sz="$sz" '$1 ~ /^[0-9]+$/ && NF >= 8 { print "cperf ctr-hmac " sz " " $8 }' \
			>> "$OUT/engine.txt"
		# shellcheck disable=SC2046
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

# Every libsrtp2 column ran the library it is named after (the loader's own
# word, printed by srtp_bench), in every repeat.
peer_args=()
for peer in $LIBSRTP_PEERS; do
	want=$(libsrtp2_peer_lib "$peer")
	while read -r label file _; do
		[ "$label" = "libsrtp2-$peer" ] || continue
		if [ "$(readlink -f "$file")" != "$want" ]; then
			echo "libsrtp2-$peer ran $file, not $want" >&2
			exit 1
		fi
	done <"$OUT/loaded.txt"
	peer_args+=("libsrtp2-$peer" "$(libsrtp2_peer_name "$peer") [$want]")
done

echo "* Command: \`$cmdline\` (REPEAT=$REPEAT, MS=$MS, LIBSRTP_PEERS=\"$LIBSRTP_PEERS\")"
echo "* Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "* Commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD -- lib/srtp bench/srtp/run.sh bench/srtp/srtp_bench.c 2>/dev/null || echo ' (lib/srtp or this benchmark modified in the working tree)')"
echo "* Machine: $(nproc) CPUs, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), no hugepages (--no-huge -m 1024), one lcore"
echo "* DPDK $(pkg-config --modversion libdpdk), crypto_aesni_mb (libipsec-mb $(dpkg-query -W -f '${Version}' libipsec-mb1 2>/dev/null || echo unknown))"
case " $LIBSRTP_PEERS " in
*" openssl "*) ;;
*) echo "* **The fair peer (libsrtp2 over OpenSSL) was not measured**: build it with bench/peers/libsrtp2-openssl.sh" ;;
esac
echo
CSV=${CSV:-} /usr/bin/python3 - "$OUT/engine.txt" "$REPEAT" "${peer_args[@]}" <<'PY'
import os, statistics, sys
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
peers = list(zip(sys.argv[3::2], sys.argv[4::2]))     # (label, name [file])
med = lambda v: statistics.median(v) if v else float('nan')
ratio = lambda a, b: f"{a / b:.1f}" if b == b and b > 0 else "-"
print(f"Medians of {sys.argv[2]} runs, one lcore, burst 32, Mpps (crypto-perf: Mops).\n")
for label, name in peers:
    print(f"* `{label}`: {name}")
print("\nRatios `x`: cryptodev / that build; `ossl/nss`: the OpenSSL build / Debian's.\n")
print(f"Replay window alone (check + add, 128): {med(win):.2f} ns/packet.\n")
head = ["profile", "mode", "payload", "cryptodev"] + [n.split(' [')[0] for _, n in peers]
head += [f"x {l.removeprefix('libsrtp2-')}" for l, _ in peers]
both = {l for l, _ in peers} >= {'libsrtp2-debian', 'libsrtp2-openssl'}
if both:
    head.append("ossl/nss")
head += ["no-replay", "crypto ceiling", "% of ceiling"]
print("| " + " | ".join(head) + " |")
print("|" + "---|" * len(head))
for (prof, mode, size), v in rows.items():
    c, n = med(v.get('cryptodev', [])), med(v.get('cryptodev-noreplay', []))
    libs = [med(v.get(l, [])) for l, _ in peers]
    alg = 'gcm-128' if 'GCM' in prof else 'ctr-hmac'
    ceil = med(cperf.get((alg, size), []))
    # Re-encryption is two crypto operations per packet.
    ceil_pkt = ceil / 2 if mode == 'reencrypt' else ceil
    note = '' if prof in ('AES_CM_128_HMAC_SHA1_80', 'AEAD_AES_128_GCM') else ' (ref)'
    cells = [prof, mode, size, f"{c:.2f}"] + [f"{x:.3f}" for x in libs]
    cells += [ratio(c, x) for x in libs]
    if both:
        d = dict(zip([l for l, _ in peers], libs))
        cells.append(ratio(d['libsrtp2-openssl'], d['libsrtp2-debian']))
    cells += [f"{n:.2f}", f"{ceil_pkt:.2f}{note}", f"{100 * c / ceil_pkt:.0f}%"]
    print("| " + " | ".join(cells) + " |")
    if os.environ.get("CSV"):
        names = {"libsrtp2-debian": "libsrtp2 Debian NSS", "libsrtp2-openssl": "libsrtp2 OpenSSL"}
        with open(os.environ["CSV"], "a") as out:
            case = f"{prof}:{mode}"
            out.write(f"srtp-engine,{case},srtpfwd cryptodev,{size},{c:.4f},Mpps\n")
            for (l, _), x in zip(peers, libs):
                out.write(f"srtp-engine,{case},{names.get(l, l)},{size},{x:.4f},Mpps\n")
PY
