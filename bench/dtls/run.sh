#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# DTLS-SRTP handshake rate on one core (bench/dtls/dtls_bench.c), box as
# server and as client, REPEAT runs each, pinned to one CPU; prints each run
# and the medians. Usage: bench/dtls/run.sh [build-dir]   (from the repo root)
# Env: REPEAT (5), MS (timed ms per run, 2000), CPU (core to pin to, 1),
#      CSV (append bench/run rows "dtls,box-ROLE,SERIES,0,HS_PER_S,hs/s"), RESULTS (also write
#      the table and the command to this file).
set -eu
BUILD=${1:-build}
REPEAT=${REPEAT:-5}
MS=${MS:-2000}
CPU=${CPU:-1}
OUT=$(mktemp -d /tmp/dtls_bench.XXXXXX)
trap 'rm -rf "$OUT"' EXIT INT TERM

ninja -C "$BUILD" lib/dtls/libsrtpfwd_dtls_lib.a lib/srtp/libsrtpfwd_srtp.a >/dev/null
cc -O2 -march=native -Wall -Wextra -Ilib/dtls -Ilib/srtp -Itests/dtls \
	bench/dtls/dtls_bench.c tests/dtls/dtls_test_peer.c -o "$OUT/dtls_bench" \
	"$BUILD/lib/dtls/libsrtpfwd_dtls_lib.a" "$BUILD/lib/srtp/libsrtpfwd_srtp.a" \
	$(pkg-config --libs openssl libdpdk)

echo "openssl: $(openssl version)"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
for role in server client; do
	i=1
	while [ "$i" -le "$REPEAT" ]; do
		taskset -c "$CPU" "$OUT/dtls_bench" --ms "$MS" --role "$role" | tee -a "$OUT/$role.txt"
		i=$((i + 1))
	done
done
median() {	# field name → median over the runs of one role
	sed -n "s/.* $2 \([0-9.]*\).*/\1/p" "$OUT/$1.txt" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
table() {
	echo "| box role | both sides hs/s | box µs/hs | browser µs/hs | box share | box-only hs/s |"
	echo "|---|---|---|---|---|---|"
	for role in server client; do
		echo "| $role | $(median $role both_sides_hs_per_s) | $(median $role box_us_per_hs) |" \
			"$(median $role browser_us_per_hs) | $(median $role box_share)% |" \
			"$(median $role box_only_hs_per_s) |"
	done
}
echo
table
if [ -n "${CSV:-}" ]; then
	for role in server client; do
		echo "dtls,box-$role,box only,0,$(median $role box_only_hs_per_s),hs/s"
		echo "dtls,box-$role,box and peer on one core,0,$(median $role both_sides_hs_per_s),hs/s"
	done >>"$CSV"
fi
if [ -n "${RESULTS:-}" ]; then
	{
		echo "DTLS-SRTP handshakes on one core (lib/dtls alone, ECDSA P-256, AES128_CM_SHA1_80), REPEAT=$REPEAT" \
			"runs of $MS ms per role, medians; $(openssl version)."
		echo "Command: \`REPEAT=$REPEAT MS=$MS bench/dtls/run.sh $BUILD\`"
		echo
		table
	} >"$RESULTS"
fi
