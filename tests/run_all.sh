#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The whole test suite: unit and SRTP engine tests (cmocka), pipeline tests
# (captures through net_pcap; "workers": the same with two worker lcores and
# two RX queues a port; "slowpath": floods and spoofing against the slow
# path; "telemetry": DPDK's telemetry socket while it runs),
# end-to-end tests (network namespaces, real
# sockets), e2ae SRTP tests (libsrtp2 as the oracle), lawful interception (X2/X3 to a
# mediation function of our own over mutual TLS, tshark's li5g decode), DTLS with OpenSSL peers,
# ICE with Chromium and aiortc (and a hostile flood), SIP calls (Kamailio driving
# two instances over ng between SIPp agents, with failover), the gateway (Chromium
# calls a SIPp phone through ng offer/answer, audio and audio+video), then the sanitizer leg
# (ASan+UBSan build, unit and pipeline tests again).
# Prints "tests: N passed, M failed" and exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."

passed=0
failed=0
failures=()

step() {
	local name=$1
	shift
	echo "=== $name"
	if "$@"; then
		passed=$((passed + 1))
		echo "=== $name: ok"
	else
		failed=$((failed + 1))
		failures+=("$name")
		echo "=== $name: FAILED"
	fi
}

step "build" scripts/build.sh build
step "unit" meson test -C build --print-errorlogs --num-processes 1
[ -x tests/pipeline/options_check.sh ] && step "options" tests/pipeline/options_check.sh build/app/srtpfwd
[ -x tests/pipeline/run.sh ] && step "pipeline" tests/pipeline/run.sh build/app/srtpfwd
[ -x tests/pipeline/run_workers.sh ] &&
	step "workers" tests/pipeline/run_workers.sh build/app/srtpfwd
[ -x tests/pipeline/run_slowpath.sh ] &&
	step "slowpath" tests/pipeline/run_slowpath.sh build/app/srtpfwd
[ -x tests/pipeline/telemetry_check.py ] &&
	step "telemetry" timeout 120 /usr/bin/python3 tests/pipeline/telemetry_check.py build/app/srtpfwd
[ -x tests/ng/run.sh ] && step "ng" tests/ng/run.sh build/app/srtpfwd
[ -x bench/pktgen/check.sh ] && step "pktgen kit (luac5.3 -p, testpmd command files)" bench/pktgen/check.sh
[ -x tests/e2e/run.sh ] && step "e2e" tests/e2e/run.sh build/app/srtpfwd
[ -x tests/e2ae/run.sh ] && step "e2ae" tests/e2ae/run.sh build/app/srtpfwd
[ -x tests/li/run.sh ] && step "li" tests/li/run.sh build/app/srtpfwd
[ -x tests/dtls/netns_dtls.sh ] && step "dtls-netns" tests/dtls/netns_dtls.sh build/app/srtpfwd
[ -x tests/ice/run.sh ] && step "ice-peers" tests/ice/run.sh build/app/srtpfwd
[ -x tests/sip/run.sh ] && step "sip" tests/sip/run.sh build/app/srtpfwd
[ -x tests/gateway/run.sh ] && step "gateway" tests/gateway/run.sh build/app/srtpfwd

if [ "${SRTPFWD_SKIP_SANITIZERS:-0}" != 1 ]; then
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
	export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
	step "build (asan+ubsan)" scripts/build.sh build-asan -Db_sanitize=address,undefined \
		-Dbuildtype=debug -Db_lundef=false
	step "unit (asan+ubsan)" meson test -C build-asan --print-errorlogs --num-processes 1
	[ -x tests/pipeline/run.sh ] &&
		step "pipeline (asan+ubsan)" tests/pipeline/run.sh build-asan/app/srtpfwd
	[ -x tests/pipeline/run_workers.sh ] &&
		step "workers (asan+ubsan)" tests/pipeline/run_workers.sh build-asan/app/srtpfwd
	[ -x tests/pipeline/telemetry_check.py ] &&
		step "telemetry (asan+ubsan)" timeout 120 /usr/bin/python3 \
			tests/pipeline/telemetry_check.py build-asan/app/srtpfwd
	# The signalling path (ng transport, offer/answer, SDP) under the sanitizers.
	[ -x tests/ng/run.sh ] && step "ng (asan+ubsan)" tests/ng/run.sh build-asan/app/srtpfwd
	step "fuzz: the parsers of network and signalling input (libFuzzer, 60 s)" tests/fuzz/run.sh 60
fi

echo
[ ${#failures[@]} -eq 0 ] || echo "failed steps: ${failures[*]}"
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
