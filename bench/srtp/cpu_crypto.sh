#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The synchronous CPU-crypto API of cryptodev against the op path for SRTP
# (issue 15, first step), one core, no packet I/O; writes
# bench/srtp/RESULTS-cpu-crypto.md:
#  1. which software PMDs set RTE_CRYPTODEV_FF_SYM_CPU_CRYPTO, at run time
#     (cpu_crypto_flags.c), beside the DPDK 22.11 source citations;
#  2. correctness: for all five profiles and every path, protect gives
#     libsrtp2's bytes, unprotect gives the plain packets back, tampered
#     packets fail; and the same check run with --break must fail;
#  3. REPEAT rounds of: Mpps of srtpfwd's engine (cryptodev back end), the op
#     path alone and rte_cryptodev_sym_cpu_crypto_process (crypto_aesni_mb;
#     crypto_aesni_gcm for GCM), bursts of 32 SRTP packets (12 + 160 bytes),
#     protect and unprotect, MS ms per path, the paths interleaved; then the
#     ceiling, dpdk-test-crypto-perf throughput on crypto_aesni_mb, the same
#     algorithms on 172 bytes, burst 32. Medians over the rounds; cpu/op is
#     the median of the per-round ratios.
# After the build the script takes $LOCK (flock) once and holds it for every
# DPDK process it runs (a few minutes), so that no other benchmark runs
# between its runs; the benchmark is pinned to CPU 1 (taskset, EAL lcore 1);
# crypto-perf's worker is lcore 1.
#
# Usage: bench/srtp/cpu_crypto.sh [build-dir]     (default: build; ~4 minutes once it holds the lock)
# Env:   REPEAT (5), MS (1000),
#        PROFILES ("AES_CM_128_HMAC_SHA1_80 AEAD_AES_128_GCM AEAD_AES_256_GCM"),
#        QUICK=1 (REPEAT=1 MS=200: checks the script, no figures),
#        RESULTS (bench/srtp/RESULTS-cpu-crypto.md), HUGE (bench/lib/eal_mem.sh),
#        LOCK (/tmp/srtpfwd-cpu.lock; empty: the caller holds it already, as
#        under `flock /tmp/srtpfwd-cpu.lock bench/run`)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cmdline="$0 $*"
BUILD=$(cd "${1:-$root/build}" && pwd)
if [ "${QUICK:-0}" = 1 ]; then
	REPEAT=${REPEAT:-1}
	MS=${MS:-200}
fi
REPEAT=${REPEAT:-5}
MS=${MS:-1000}
PROFILES=${PROFILES:-AES_CM_128_HMAC_SHA1_80 AEAD_AES_128_GCM AEAD_AES_256_GCM}
RESULTS=${RESULTS:-$here/RESULTS-cpu-crypto.md}
LOCK=${LOCK-/tmp/srtpfwd-cpu.lock}
ALL_PROFILES=AES_CM_128_HMAC_SHA1_80,AES_CM_128_HMAC_SHA1_32,AEAD_AES_128_GCM,AEAD_AES_256_GCM,NULL_HMAC_SHA1_80

# shellcheck source=bench/lib/eal_mem.sh
. "$root/bench/lib/eal_mem.sh"
OUT=$(mktemp -d /tmp/cpu_crypto.XXXXXX)
trap 'eal_mem_restore; rm -rf "$OUT"' EXIT INT TERM
cd "$root"
command -v dpdk-test-crypto-perf >/dev/null || { echo "dpdk-test-crypto-perf not found (apt-get install dpdk)" >&2; exit 1; }

# ---------------------------------------------------------------- build
ninja -C "$BUILD" lib/srtp/libsrtpfwd_srtp.a >/dev/null
# shellcheck disable=SC2046
cc -O2 -march=native -DALLOW_EXPERIMENTAL_API -Wall -Wextra -Werror -Ilib/srtp \
	$(pkg-config --cflags libdpdk) bench/srtp/cpu_crypto_bench.c -o "$OUT/cpu_crypto_bench" \
	"$BUILD/lib/srtp/libsrtpfwd_srtp.a" $(pkg-config --libs libdpdk libsrtp2 openssl) -lrte_bus_vdev -lIPSec_MB
# shellcheck disable=SC2046
cc -O2 -march=native -Wall -Wextra -Werror $(pkg-config --cflags libdpdk) \
	bench/srtp/cpu_crypto_flags.c -o "$OUT/cpu_crypto_flags" $(pkg-config --libs libdpdk) -lrte_bus_vdev

# One hold of the lock for all the runs below; it goes with the script.
if [ -n "$LOCK" ]; then
	exec {lock_fd}>"$LOCK"
	flock "$lock_fd"
fi
eal_mem_setup 1024
uid=$$
# EAL options of one process: tag, then "bench" (lcore 1 only) or "cperf" (0 main, 1 worker).
eal() {
	local lcores=1
	[ "$2" = cperf ] && lcores=0,1
	echo "$(eal_mem_args 1024 "ccb-$uid-$1") --no-pci -l $lcores --log-level lib.*:error"
}
bench() {	# $1 tag, rest: the benchmark's options
	local tag=$1
	shift
	# shellcheck disable=SC2046
	taskset -c 1 "$OUT/cpu_crypto_bench" $(eal "$tag" bench) -- "$@"
}

# ---------------------------------------------------------------- 1. feature flags
# shellcheck disable=SC2046
taskset -c 1 "$OUT/cpu_crypto_flags" $(eal flags bench) -- \
	crypto_aesni_mb crypto_aesni_gcm crypto_openssl crypto_null >"$OUT/flags.txt" 2>/dev/null || true
grep -q '^cpu-crypto crypto_aesni_mb ' "$OUT/flags.txt" ||
	{ echo "cpu_crypto_flags could not create crypto_aesni_mb:" >&2; cat "$OUT/flags.txt" >&2; exit 1; }

# ---------------------------------------------------------------- 2. correctness
if ! bench check --runs 0 --profiles "$ALL_PROFILES" >"$OUT/check.txt" 2>/dev/null; then
	echo "correctness check failed:" >&2
	grep -E '^(FAIL|check)' "$OUT/check.txt" >&2
	exit 1
fi
# The check must be able to fail: a one-bit salt error in the op/cpu paths.
if bench break --runs 0 --break --profiles AES_CM_128_HMAC_SHA1_80 >"$OUT/break.txt" 2>/dev/null; then
	echo "--break passed the check: the check cannot fail" >&2
	exit 1
fi
grep -q '^FAIL' "$OUT/break.txt" || { echo "--break failed without a FAIL line" >&2; exit 1; }

# ---------------------------------------------------------------- 3. rounds
# As bench/e2ae_forward.sh: AES-CM/NULL authenticate header + payload (172
# bytes), GCM has the 12-byte header as AAD and the 160-byte payload as data.
cperf() {	# $1 label, $2 round, rest: crypto-perf options
	local label=$1 r=$2
	shift 2
	# shellcheck disable=SC2046
	dpdk-test-crypto-perf $(eal "cp-$label-$r" cperf) --vdev crypto_aesni_mb -- \
		--ptest throughput --devtype crypto_aesni_mb --total-ops 2000000 --burst-sz 32 \
		--silent "$@" 2>/dev/null | awk -v l="$label" '$1 ~ /^[0-9]+$/ && NF >= 8 { print "cperf", l, $8 }'
}
ctr="--cipher-algo aes-ctr --cipher-op encrypt --cipher-key-sz 16 --cipher-iv-sz 16"
hmac="--auth-algo sha1-hmac --auth-op generate --auth-key-sz 20 --buffer-sz 172"
ceiling() {	# $1 round: crypto-perf for every profile measured, both ways
	local r=$1 p d k op what
	for p in $PROFILES; do
		case $p in
		AES_CM_128_HMAC_SHA1_80 | AES_CM_128_HMAC_SHA1_32)
			d=10
			[ "$p" = AES_CM_128_HMAC_SHA1_32 ] && d=4
			# shellcheck disable=SC2086
			cperf "$p-protect" "$r" --optype cipher-then-auth $ctr $hmac --digest-sz $d
			# Unprotect's shape in srtpfwd: generate the tag, then encrypt (= decrypt).
			# shellcheck disable=SC2086
			cperf "$p-unprotect" "$r" --optype auth-then-cipher $ctr $hmac --digest-sz $d
			;;
		AEAD_AES_128_GCM | AEAD_AES_256_GCM)
			k=16
			[ "$p" = AEAD_AES_256_GCM ] && k=32
			for op in encrypt decrypt; do
				what=protect
				[ $op = decrypt ] && what=unprotect
				cperf "$p-$what" "$r" --optype aead --aead-algo aes-gcm --aead-op $op \
					--aead-key-sz $k --aead-iv-sz 12 --aead-aad-sz 12 --digest-sz 16 \
					--buffer-sz 160
			done
			;;
		NULL_HMAC_SHA1_80)
			for what in protect unprotect; do
				# shellcheck disable=SC2086
				cperf "$p-$what" "$r" --optype auth-only $hmac --digest-sz 10
			done
			;;
		esac
	done
}
# The benchmark and its ceiling alternate, so that both see the same machine.
: >"$OUT/run.txt"
: >"$OUT/cperf.txt"
for ((r = 1; r <= REPEAT; r++)); do
	bench "run$r" --runs 1 --ms "$MS" --profiles "${PROFILES// /,}" >"$OUT/round.txt" 2>/dev/null ||
		{ echo "benchmark failed:" >&2; grep FAIL "$OUT/round.txt" >&2; exit 1; }
	grep '^tsc-hz' "$OUT/round.txt" >>"$OUT/run.txt"
	awk -v r="$r" '$1 == "result" { $2 = r; print }' "$OUT/round.txt" >>"$OUT/run.txt"
	ceiling "$r" >>"$OUT/cperf.txt"
done

# ---------------------------------------------------------------- report
{
	echo "# SRTP through cryptodev's synchronous CPU-crypto API (issue 15, first step)"
	echo
	echo "Written by \`bench/srtp/cpu_crypto.sh\`; rerun it to reproduce every figure here."
	echo
	echo "* Command: \`$cmdline\` (REPEAT=$REPEAT, MS=$MS, PROFILES=\"$PROFILES\")"
	echo "* Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "* Commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git status --porcelain -- bench/srtp lib/srtp 2>/dev/null | grep -q . && echo ' (bench/srtp or lib/srtp differ from it in the working tree)')"
	echo "* Machine: $(nproc) CPUs ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo); $(grep -o -w -E 'aes|vaes|vpclmulqdq|avx512f|sha_ni' /proc/cpuinfo | sort -u | tr '\n' ' ')), $(lscpu | awk -F': *' '/^Hypervisor vendor/ { print $2 " guest" }'), $(eal_mem_describe), benchmark pinned to CPU 1; load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "* DPDK $(pkg-config --modversion libdpdk) (Debian $(dpkg-query -W -f '${Version}' dpdk 2>/dev/null || echo '?')), intel-ipsec-mb $(dpkg-query -W -f '${Version}' libipsec-mb1 2>/dev/null || echo unknown), libsrtp2 $(pkg-config --modversion libsrtp2), TSC $(awk '$1 == "tsc-hz" { printf "%.2f GHz", $2 / 1e9; exit }' "$OUT/run.txt")"
	echo
	/usr/bin/python3 - "$OUT" "$REPEAT" "$MS" <<'PY'
import statistics, sys, os
out, repeat, ms = sys.argv[1], sys.argv[2], sys.argv[3]
lines = lambda f: [l.split() for l in open(os.path.join(out, f)) if l.strip()]
med = lambda v: statistics.median(v) if v else float('nan')
fmt = lambda x, d=2: '-' if x != x else f"{x:.{d}f}"

flags = {f[1]: f[2] for f in lines('flags.txt') if f[0] == 'cpu-crypto'}
print("## 1. Does crypto_aesni_mb do CPU crypto for SRTP?\n")
print("At run time (`cpu_crypto_flags`, `rte_cryptodev_info_get`), "
      "RTE_CRYPTODEV_FF_SYM_CPU_CRYPTO: " +
      ", ".join(f"`{d}` **{v}**" for d, v in flags.items()) + ".\n")
print("""From the DPDK 22.11 source (dpdk-stable-22.11.11, Debian's `apt-get source dpdk`;
`drivers/crypto/ipsec_mb/pmd_aesni_mb.c` unless named):

| profile | xforms (as srtpfwd's `srtp_cdev.c`) | CPU crypto on crypto_aesni_mb | how |
|---|---|---|---|
| AES_CM_128_HMAC_SHA1_80 / _32 (AES-128-CTR + HMAC-SHA1, 80/32-bit tag) | protect: cipher ENCRYPT -> auth GENERATE; unprotect: auth GENERATE -> cipher ENCRYPT | **yes** | one buffer = header ‖ payload ‖ ROC, `ofs.auth = {0, 0}`, `ofs.cipher = {head = header length, tail = 4}`: auth may cover more than the cipher range |
| AEAD_AES_128_GCM / AEAD_AES_256_GCM (AAD = RTP header, 12-byte IV) | AEAD ENCRYPT / DECRYPT, `aad_length` = header length | **yes** (also on crypto_aesni_gcm) | buffer = payload, `vec->aad[i]` = header, `vec->digest[i]` = tag, `ofs` = 0 |
| NULL_HMAC_SHA1_80 (auth only) | auth GENERATE alone | **yes** | as AES-CM, the cipher is NULL |
| SRTCP (all: encrypt + auth) | as SRTP | **yes** | AES-CM: header ‖ payload ‖ E‖index, `ofs.cipher = {8, 4}`; GCM: AAD = header ‖ E‖index from a side buffer |

* Registration: `.sym_cpu_process = aesni_mb_process_bulk` in `aesni_mb_pmd_ops` (l. 2173-2192, the entry at l. 2187) and
  `RTE_CRYPTODEV_FF_SYM_CPU_CRYPTO` in the PMD's feature flags (`RTE_INIT`, l. 2308-2337, the flag at l. 2318).
  `lib/cryptodev/rte_cryptodev.c` l. 2316-2340: `rte_cryptodev_sym_cpu_crypto_process()` (experimental,
  `lib/cryptodev/rte_cryptodev.h` l. 1207-1223) only checks the flag and calls it.
* `aesni_mb_process_bulk()` (l. 2109-2171): one IMB job per `vec` element on the calling thread's
  own IMB_MGR (`get_per_thread_mb_mgr()`, `ipsec_mb_private.h` l. 213-221: allocated by the first
  call on each thread), submitted back to back, flushed once at the end; then the digests are
  copied out (`generate_sync_dgst`, l. 2075-2089) or compared with **memcmp** (`verify_sync_dgst`,
  l. 2091-2107: not constant time, so srtpfwd keeps auth GENERATE and compares itself, as today).
  The digest is copied only after every job is done, so protect may point it at the ROC word.
* Any chain the session accepts is accepted: `set_cpu_mb_job_params()` (l. 996-1101) takes
  chain order, cipher mode and hash from the session (`aesni_mb_session_configure()`, l. 719-807,
  via `ipsec_mb_parse_xform()`, `ipsec_mb_private.h` l. 223-350: cipher ENCRYPT -> auth GENERATE
  and auth GENERATE -> cipher ENCRYPT are both valid chains), HMAC pads for SHA1-HMAC (default
  case, l. 1057-1070), GCM keys and `aad->va` with the session's `aad_len` (l. 1036-1048).
  Offsets (l. 1084-1098): `src = buf`, `dst = buf + ofs.cipher.head`, cipher from `cipher.head`
  for `len - cipher.head - cipher.tail`, hash from `auth.head` for `len - auth.head - auth.tail`:
  the auth and cipher ranges are independent, so SRTP's "authenticate header ‖ payload ‖ ROC,
  encrypt the payload" is one job. DPDK's own test builds exactly that for chained ops
  (`app/test/test_cryptodev.c` l. 486-530, `process_cpu_crypt_auth_op`: `ofs.cipher.head/tail`
  from the op's cipher range inside its auth range, l. 518-521).
* Limits: one segment per buffer (`check_crypto_sgl`, l. 2054-2063: `sgl->num != 1` is ENOTSUP);
  `ofs` is one per call, so packets of different header length (CSRCs, extensions) need separate
  calls for AES-CM (GCM has `ofs` = 0; its sessions are per header length already); tags of 10 and
  4 bytes are made as the full 20-byte SHA1 (`gen_digest_len`, l. 352-356) and cut, as on the op path.
* crypto_aesni_gcm (`pmd_aesni_gcm.c` l. 700-737 `aesni_gcm_process_bulk`, registered l. 768, flag l. 811):
  GCM through the direct GCM API, no job manager; it **ignores `ofs`** (l. 704) and the buffer must
  be exactly the payload, which the layout above already does.
* crypto_openssl and crypto_null: no CPU crypto (flag not set; no `sym_cpu_process` in 22.11).
""")

# ---- correctness
chk = [l for l in lines('check.txt') if l[0] in ('check', 'FAIL')]
brk = [' '.join(l) for l in lines('break.txt') if l[0] == 'FAIL']
print("## 2. Correctness (every run)\n")
print("Per profile and path, before timing: protect of a burst of 32 RTP packets (one SSRC, "
      "sequence numbers across a wrap: ROC 0 then 1) gives byte for byte what libsrtp2's "
      "`srtp_protect` gives with the same master key (srtpfwd's libsrtp back end); unprotect of "
      "libsrtp2's packets gives the plain packets back; a burst with a payload bit, a tag bit and a "
      "header bit flipped in three packets fails exactly those three (auth_fail). Every timed burst "
      "must also come out 32/32 ok.\n")
print("* Passed: " + ", ".join(f"{l[1]} {l[2]}" for l in chk if l[0] == 'check'))
print(f"* Must fail, and did (`--break`: one salt bit flipped on the op and cpu paths): `{brk[0] if brk else '?'}`\n")

# ---- measurements
res = {}
for l in lines('run.txt'):
    if l[0] != 'result':
        continue
    run, prof, d, path = l[1], l[2], l[3], l[4]
    res.setdefault((prof, d), {}).setdefault(path, {})[run] = (float(l[5]), float(l[6]), float(l[7]))
cp = {}
for l in lines('cperf.txt'):
    cp.setdefault(l[1], []).append(float(l[2]))
paths = ['engine', 'op', 'cpu', 'cpu-gcm']

def col(v, path, k):
    return med([x[k] for x in v.get(path, {}).values()])

def ratio(v, a, b):
    # Per round (the same process, interleaved), then the median.
    runs = set(v.get(a, {})) & set(v.get(b, {}))
    return med([v[a][r][0] / v[b][r][0] for r in runs])

print("## 3. Op path against CPU crypto, one core\n")
print(f"Bursts of 32, RTP header 12 + payload 160 bytes (+ 10/4/16 tag), one SSRC; Mpps are medians "
      f"of {repeat} rounds, {ms} ms per path and round, the paths taking turns in 10 slices; "
      f"ratios are the median of the per-round ratios. Cycles are TSC cycles per packet: the round's "
      f"mean, and in brackets the median burst / 32 (a preempted burst does not move it).\n")
print("* `engine`: srtpfwd's cryptodev back end today, `srtp_process_burst` (op path + index, "
      "stream lookup, grouping by session; replay check off because the input repeats);")
print("* `op`: the op path alone, crypto_aesni_mb: preallocated ops, per-packet op set-up, "
      "`enqueue_burst` + `dequeue_burst`, tag placed / compared in constant time;")
print("* `cpu`: `rte_cryptodev_sym_cpu_crypto_process`, crypto_aesni_mb, same session, same "
      "framing, one `rte_crypto_sym_vec` of 32; `cpu-gcm`: the same on crypto_aesni_gcm.\n")
head = ["profile", "way", "engine", "op", "cpu", "cpu-gcm", "**cpu / op**", "cpu / engine",
        "cpu-gcm / op", "op cyc/pkt", "cpu cyc/pkt", "ceiling (crypto-perf)"]
print("| " + " | ".join(head) + " |")
print("|" + "---|" * len(head))
for (prof, d), v in res.items():
    cells = [prof, d] + [fmt(col(v, p, 0)) for p in paths]
    cells += [f"**{fmt(ratio(v, 'cpu', 'op'))}**", fmt(ratio(v, 'cpu', 'engine')),
              fmt(ratio(v, 'cpu-gcm', 'op'))]
    cells += [f"{fmt(col(v, p, 1), 0)} ({fmt(col(v, p, 2), 0)})" for p in ('op', 'cpu')]
    cells.append(fmt(med(cp.get(f"{prof}-{d}", []))))
    print("| " + " | ".join(cells) + " |")
print(f"\nCeiling: `dpdk-test-crypto-perf --ptest throughput` on crypto_aesni_mb, burst 32, 2M ops, "
      f"one run per round after the benchmark's, median of {repeat}, Mops, worker on CPU 1: aes-ctr-128 + sha1-hmac on 172 bytes, "
      f"cipher-then-auth (protect) / auth-then-cipher (unprotect's shape); aes-gcm encrypt / decrypt "
      f"on 160 bytes with a 12-byte AAD; sha1-hmac auth-only for NULL. It has no CPU-crypto mode in "
      f"22.11, and it makes no SRTP framing (no IV per packet, no ROC, no tag copy), but it takes "
      f"its ops from a mempool and puts them back every burst: a reference for the op path rather "
      f"than a hard ceiling (the op path here, with preallocated ops, can pass it).\n")
print("### Every round (Mpps)\n")
print("| profile | way | path | " + " | ".join(f"round {r}" for r in range(1, int(repeat) + 1)) + " |")
print("|" + "---|" * (3 + int(repeat)))
for (prof, d), v in res.items():
    for p in paths:
        if p in v:
            print(f"| {prof} | {d} | {p} | " +
                  " | ".join(fmt(v[p].get(str(r), (float('nan'),))[0]) for r in range(1, int(repeat) + 1)) + " |")
print("\ncrypto-perf, every round (Mops): " + "; ".join(f"{k} {' '.join(fmt(x) for x in v)}" for k, v in cp.items()))
PY
} >"$RESULTS.tmp"
mv "$RESULTS.tmp" "$RESULTS"
echo "wrote $RESULTS" >&2
