#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# srtpfwd's own command line: a malformed option is refused with one line
# naming the problem and a non-zero exit, before any port or engine exists.
# usage: tests/pipeline/options_check.sh SRTPFWD   (prints "options: N passed, M failed")
set -uo pipefail
BIN=$(readlink -f "${1:?usage: options_check.sh SRTPFWD}")
passed=0 failed=0

# expect "what" "the error line" srtpfwd-options...
expect() {
	local what=$1 want=$2 out rc
	shift 2
	out=$(timeout 20 "$BIN" --no-huge -m 64 --no-pci -l 0 --file-prefix "opts$$" --log-level '*:error' \
		-- "$@" 2>&1 >/dev/null)
	rc=$?
	if [ "$rc" != 0 ] && [ "$(printf '%s\n' "$out" | tail -1)" = "$want" ] &&
		[ "$(printf '%s\n' "$out" | grep -c .)" = 1 ]; then
		echo "  ok    $what"
		passed=$((passed + 1))
	else
		echo "  FAIL  $what: status $rc, said: $out"
		failed=$((failed + 1))
	fi
}

expect "an unknown SRTP engine" \
	"srtpfwd: --srtp-engine: 'aesni' is none of 'cryptodev', 'ipsec-mb', 'cpu-crypto', 'libsrtp'" \
	--srtp-engine aesni
expect "--crypto-dev with the ipsec-mb engine (which uses no cryptodev)" \
	"srtpfwd: --crypto-dev needs --srtp-engine cryptodev or cpu-crypto" \
	--srtp-engine ipsec-mb --crypto-dev crypto_aesni_mb
expect "--crypto-dev with the libsrtp engine" \
	"srtpfwd: --crypto-dev needs --srtp-engine cryptodev or cpu-crypto" \
	--crypto-dev crypto_aesni_mb --srtp-engine libsrtp
expect "--dtls-cert without --dtls-key" \
	"srtpfwd: --dtls-cert and --dtls-key go together" --dtls-cert /dev/null
expect "an option srtpfwd does not have" \
	"srtpfwd: unknown or incomplete option '--srtp-engines' (see --help)" --srtp-engines ipsec-mb

echo "options: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
