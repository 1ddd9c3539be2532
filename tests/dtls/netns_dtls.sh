#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# DTLS-SRTP end to end: srtpfwd terminates DTLS on leg a against real OpenSSL
# peers (openssl s_client / s_server) in a network namespace, and media keyed
# by the handshake is checked with libsrtp2 (pylibsrtp) as the oracle.
#
#   ns A (198.18.0.2) ==veth== [net_af_packet0 access 198.18.0.1]
#     s_client/s_server            srtpfwd (e2ae, leg a DTLS-SRTP, leg b SDES)
#   ns B (198.19.0.2) ==veth== [net_af_packet1 core   198.19.0.1]
#
# Keys: RFC 5764 4.2, EXTRACTOR-dtls_srtp, 60 bytes for AES_CM_128_HMAC_SHA1_80
# = client key | server key | client salt | server salt. The DTLS client
# protects with the client half, the server with the server half.
#
# Cases, per SRTP engine (one forwarder each, all sessions provisioned by
# --cmdline-file at start, console on a FIFO for "show" commands mid-run):
#  a  box passive (DTLS server) on access 20000: s_client from 198.18.0.2:5000
#     with an ECDSA P-256 self-signed certificate whose sha-256 fingerprint is
#     the leg's a-fingerprint. s_client must export keying material and have
#     received the certificate "show dtls fingerprint" names; the leg must
#     show "dtls: connected role server" and the client's fingerprint. Then
#     s_client is SIGKILLed (no close_notify) and from the same 198.18.0.2:5000
#     A sends COUNT SRTP packets protected with the client half: B
#     (198.19.0.2:6000) must get them re-protected with the b-tx SDES key,
#     byte for byte the original RTP. SRTP with the right key from another
#     source (198.18.0.2:5001) must not come through (latched to the
#     handshake's address). B->A likewise: SRTP with the b-rx key in, SRTP
#     out that A unprotects with the server half.
#  b  box active (DTLS client) towards s_server at 198.18.0.2:5002 (its own
#     certificate, a-fingerprint = its fingerprint). s_server (which demands a
#     client certificate) must export keying material and have received the
#     box's certificate; then it is killed, A binds 198.18.0.2:5002 and the
#     media checks run with the roles swapped (A sends with the server half,
#     unprotects with the client half).
#  c  wrong fingerprint (another certificate's) on a passive leg: the box
#     ends the handshake with a fatal bad_certificate alert (s_client says
#     so; OpenSSL 3.0's s_client may still print its own keying material,
#     which is why the alert is the oracle), "show dtls stats" counts a
#     fingerprint-mismatch failure, the leg shows "dtls: failed ..
#     fingerprint-mismatch" and no latched remote; SRTP sent anyway either
#     way (protected with what s_client printed) comes out nowhere, and is
#     counted as unlatched (A's: a DTLS leg is latched by its handshake only)
#     or srtp_no_keys/peer_unlatched (B's).
#  e  a-fingerprint with the other hashes: sha-1 and sha-512 (lower-case
#     hex) of the client certificate; s_client's handshakes complete.
#  d  handshake storm: STORM s_clients at once against STORM passive legs
#     (count=STORM, one client certificate) while an SDES e2ae session carries
#     STREAM packets A->B at a steady rate: every client exports keying
#     material (all different), handshakes_completed rises by exactly STORM,
#     the storm ran inside the stream, and B got every packet in order, byte
#     for byte. At the end: handshakes_completed = STORM + 4, no SRTP
#     authentication/replay or checksum drops, clean stop on SIGINT.
# Attacks (netns_dtls_attack.py in ns A: spoofed sources through a raw socket,
# answers counted with an AF_PACKET socket), each of which knocked a leg over
# before:
#  a  (continued) before A's media: on the connected leg, a ClientHello-shaped
#     junk datagram and a spoofed genuine ClientHello, from the latched
#     address and from another one, then a real restart from the latched
#     address that fails (s_client with the stranger's certificate, after the
#     cookie exchange): restart_failed counts it, the leg stays connected and
#     A's media (keyed by the first handshake) still passes both ways. After
#     the media a genuine restart from the same address completes
#     (restarts_completed, 2 handshakes on the leg, new keying material).
#  f  ClientHello-shaped junk from 198.18.0.2:5011, then junk (first byte 32,
#     no DTLS record) from 5012 to a waiting passive leg: counted as
#     not_hello, and s_client from another source (5013) completes right after.
#  g  half-open: a ClientHello (cookie exchange done) from 5014, then silence:
#     12 s later (the peer timeout is 10 s; the engine's handshake timeout,
#     30 s, must not be what frees it) peer_timeouts counts it and s_client
#     from 5015 completes. Runs first, f and h while it waits.
#  h  a spoofed ClientHello from 198.18.0.77:4444 (an address nobody owns),
#     then from 198.18.0.2:4444: exactly one answer each over 4 s, a
#     HelloVerifyRequest no larger than the ClientHello; no handshake started,
#     no neighbour entry for 198.18.0.77, the leg still waiting.
# The first engine uses a certificate the box generates, the next ones one
# loaded with --dtls-cert/--dtls-key (its fingerprint is checked too).
# Bounded: every wait has a limit; about 20 s per engine.
#
# usage: netns_dtls.sh SRTPFWD [engine ...]   (root; prints "dtls-netns: N passed, M failed")
# env: DTLS_NETNS_COUNT (300) DTLS_NETNS_STORM (50) DTLS_NETNS_STREAM (2000)
#      DTLS_NETNS_RATE (200 packets/s: a 10 s stream, longer than the storm even
#      with an ASan build) DTLS_NETNS_KEEP=1 (keep the work directory)
set -uo pipefail

BIN=$(readlink -f "${1:?usage: netns_dtls.sh SRTPFWD [engine ...]}")
shift
ENGINES=("$@")
[ ${#ENGINES[@]} -gt 0 ] || ENGINES=(cryptodev ipsec-mb cpu-crypto libsrtp)
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
PEER=$HERE/netns_dtls_peer.py
ATTACK=$HERE/netns_dtls_attack.py
COUNT=${DTLS_NETNS_COUNT:-300}
STORM=${DTLS_NETNS_STORM:-50}
STREAM=${DTLS_NETNS_STREAM:-2000}
RATE=${DTLS_NETNS_RATE:-200}
PEER_TIMEOUT=20
HS_TIMEOUT=10        # seconds for one handshake (s_client / s_server output)
PEER_WAIT=12         # seconds after a half-open handshake: the box's peer timeout (10) and some
STORM_TIMEOUT=30     # seconds for the whole storm
PROFILE=AES_CM_128_HMAC_SHA1_80
OSSL_DTLS=(-dtls1_2 -use_srtp SRTP_AES128_CM_SHA1_80 -keymatexport EXTRACTOR-dtls_srtp -keymatexportlen 60)

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "  ok    $*"; }
fail() { failed=$((failed + 1)); echo "  FAIL  $*"; }
check() { # check CONDITION-STATUS NAME [DETAIL]
	if [ "$1" = 0 ]; then ok "$2"; else fail "$2${3:+: $3}"; fi
}

if [ "$(id -u)" != 0 ]; then
	echo "dtls-netns: needs root (network namespaces)"
	echo "dtls-netns: 0 passed, 1 failed"
	exit 1
fi

if ! "$PY" -c 'import pylibsrtp' 2>/dev/null || ! command -v openssl >/dev/null; then
	echo "dtls-netns: needs openssl and $PY with pylibsrtp (Debian: openssl python3-pylibsrtp)"
	echo "dtls-netns: 0 passed, 1 failed"
	exit 1
fi

# Unique names (interface names <= 15 characters).
ID=$(( $$ % 100000 ))
NSA=dtls-a-$ID
NSB=dtls-b-$ID
VA=dtA$ID     # root side (forwarder), access
VB=dtB$ID     # root side (forwarder), core
PA=dpA$ID     # in ns A
PB=dpB$ID     # in ns B
WORK=$(mktemp -d /tmp/dtls-netns.XXXXXX)
HOLD=$WORK/hold.fifo   # stdin of every openssl: opened read-write, so never EOF
CONS=$WORK/console.fifo
CONS_FD=
FWD_PID=
FWD_LOG=
PIDS=()

# Stop a process this script started; no "Killed" job notice.
stop() {
	local sig=$1 p
	shift
	for p in "$@"; do
		kill "-$sig" "$p" 2>/dev/null
	done
	for p in "$@"; do
		wait "$p" 2>/dev/null
	done
}

stop_fwd() {
	[ -n "$FWD_PID" ] || return 0
	kill -INT "$FWD_PID" 2>/dev/null
	for _ in $(seq 1 100); do kill -0 "$FWD_PID" 2>/dev/null || break; sleep 0.1; done
	stop KILL "$FWD_PID"
	FWD_PID=
	if [ -n "$CONS_FD" ]; then
		exec {CONS_FD}>&-
		CONS_FD=
	fi
}

cleanup() {
	[ ${#PIDS[@]} -gt 0 ] && stop KILL "${PIDS[@]}"
	stop_fwd
	ip netns del "$NSA" 2>/dev/null
	ip netns del "$NSB" 2>/dev/null
	ip link del "$VA" 2>/dev/null
	ip link del "$VB" 2>/dev/null
	rm -rf /var/run/dpdk/"dtlsn${ID}_"*   # EAL runtime directories of our file prefixes
	[ "${DTLS_NETNS_KEEP:-0}" = 1 ] && echo "dtls-netns: work directory kept: $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=tests/lib/netns.sh
. "$HERE/../lib/netns.sh"

# ---- certificates and fingerprints ----

make_cert() { # NAME CN: ECDSA P-256, self-signed, like a browser's
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
		-subj "/CN=$2" -keyout "$WORK/$1.key" -out "$WORK/$1.pem" >/dev/null 2>&1
}

# sha-256 fingerprint of a PEM certificate (file or stdin), "AB:CD:..", upper case.
fp_of() {
	openssl x509 -noout -fingerprint -sha256 ${1:+-in "$1"} 2>/dev/null | sed -n 's/^.*Fingerprint=//p' |
		tr a-f A-F
}

# First PEM certificate after the line matching START (s_client -showcerts:
# the server's; s_server: "Client certificate").
pem_after() {
	awk -v start="$2" '$0 ~ start { f = 1 } f && /-----BEGIN CERTIFICATE-----/ { p = 1 }
		p { print } p && /-----END CERTIFICATE-----/ { exit }' "$1"
}

keymat_of() {
	sed -n 's/^ *Keying material: *\([0-9A-Fa-f]*\) *$/\1/p' "$1" | head -1
}

attack() { ip netns exec "$NSA" "$PY" "$ATTACK" "$@"; }

# Wait (bounded) for s_client's LOG to name an alert or PID to exit.
wait_alert() { # LOG PID SECONDS
	local i
	for i in $(seq 1 $(($3 * 10))); do
		grep -q "SSL alert number" "$1" && return 0
		kill -0 "$2" 2>/dev/null || break
		sleep 0.1
	done
	grep -q "SSL alert number" "$1"
}

# ---- the forwarder's console (stdin is a FIFO) ----

# console CMD PATTERN: run CMD, print what the forwarder wrote after it once
# PATTERN showed up (at most 5 s).
console() {
	local off i
	off=$(stat -c %s "$FWD_LOG")
	echo "$1" >&"$CONS_FD"
	for i in $(seq 1 50); do
		grep -q -- "$2" < <(tail -c +$((off + 1)) "$FWD_LOG") && break
		sleep 0.1
	done
	sleep 0.05
	tail -c +$((off + 1)) "$FWD_LOG"
}

dtls_stat() { # dtls_stat NAME: from a fresh "show dtls stats"
	console "show dtls stats" "failures:" | grep -o -- "$1 [0-9]*" | tail -1 | awk '{ print $2 }'
}

# A drop counter of "show worker stats" (all lcores; 0 when not listed).
drop_count() {
	console "show worker stats" "drops by reason" |
		awk -v n="$1" '/drops by reason/ { f = 1; next } f && $1 == n { v = $2 } END { print v + 0 }'
}

# Leg a of "show session ID": its first line (local, remote, latch) and its
# DTLS endpoint's lines ("dtls: STATE role ..", local and peer fingerprint).
leg_dtls() {
	console "show session $1" "peer fingerprint" |
		awk '/^  leg a / { f = 1; print; next } /^  leg b / { f = 0 } f && /dtls:/ { d = 3 } f && d > 0 { print; d-- }'
}

# ---- peers ----

# openssl in ns A (ip netns exec execs it: same pid), stdin open, output to
# LOG; its pid in OSSL_PID.
ossl_start() { # LOG ARGS...
	local log=$1
	shift
	ip netns exec "$NSA" openssl "$@" 0<>"$HOLD" >"$log" 2>&1 &
	OSSL_PID=$!
	PIDS+=("$OSSL_PID")
}

# Wait (bounded) until LOG shows keying material or PID exits.
wait_keymat() { # LOG PID SECONDS
	local i
	for i in $(seq 1 $(($3 * 10))); do
		grep -q "Keying material:" "$1" 2>/dev/null && return 0
		kill -0 "$2" 2>/dev/null || break
		sleep 0.1
	done
	grep -q "Keying material:" "$1" 2>/dev/null
}

# Media peers for DIR (peer.conf and keys written): B first, then A. Turns
# their "check" lines into verdicts; extra hook: a function run while they
# run (for the storm).
run_media() { # TAG DIR [HOOK]
	local tag=$1 dir=$2 hook=${3:-} rc_a rc_b i line
	ip netns exec "$NSB" timeout $((PEER_TIMEOUT + 10)) "$PY" "$PEER" b "$dir" "$PEER_TIMEOUT" \
		>"$dir/b.log" 2>&1 &
	local pb=$!
	PIDS=("$pb")
	for i in $(seq 1 50); do [ -e "$dir/B.up" ] && break; sleep 0.1; done
	ip netns exec "$NSA" timeout $((PEER_TIMEOUT + 10)) "$PY" "$PEER" a "$dir" "$PEER_TIMEOUT" \
		>"$dir/a.log" 2>&1 &
	local pa=$!
	PIDS+=("$pa")
	[ -n "$hook" ] && "$hook" "$dir"
	wait "$pa"; rc_a=$?
	wait "$pb"; rc_b=$?
	PIDS=()
	while IFS= read -r line; do
		case "$line" in
		"check "*": ok") line=${line#check }; ok "$tag: ${line%: ok}" ;;
		"check "*) line=${line#check }; fail "$tag: ${line/: FAIL /: }" ;;
		esac
	done < <(cat "$dir/a.log" "$dir/b.log")
	if [ "$rc_a" != 0 ] || [ "$rc_b" != 0 ]; then
		grep -v "^check " "$dir/a.log" "$dir/b.log" | tail -20
		[ "$rc_a" = 0 ] || grep -q "^check .*FAIL" "$dir/a.log" || fail "$tag: peer A exited $rc_a"
		[ "$rc_b" = 0 ] || grep -q "^check .*FAIL" "$dir/b.log" || fail "$tag: peer B exited $rc_b"
	fi
}

new_key() { openssl rand -hex 30; }
inline() { echo "$PROFILE:inline:$("$PY" -c 'import base64, sys; print(base64.b64encode(bytes.fromhex(sys.argv[1])).decode())' "$1")"; }

# ---- setup ----

if netns_host_up "$NSA" "$VA" "$PA" 198.18.0.2/24 && netns_host_up "$NSB" "$VB" "$PB" 198.19.0.2/24; then
	ok "namespaces $NSA, $NSB and veths up (offloads off, no DAD)"
else
	fail "namespace/veth setup"
	echo "dtls-netns: $passed passed, $failed failed"
	exit 1
fi

if make_cert client dtls-netns-client && make_cert server dtls-netns-server &&
	make_cert other dtls-netns-other && make_cert box dtls-netns-box && mkfifo "$HOLD" "$CONS"; then
	FP_CLIENT=$(fp_of "$WORK/client.pem")
	FP_SERVER=$(fp_of "$WORK/server.pem")
	FP_OTHER=$(fp_of "$WORK/other.pem")
	FP_BOX_FILE=$(fp_of "$WORK/box.pem")
	FP1_CLIENT=$(openssl x509 -noout -fingerprint -sha1 -in "$WORK/client.pem" | sed -n 's/^.*Fingerprint=//p')
	FP512_CLIENT=$(openssl x509 -noout -fingerprint -sha512 -in "$WORK/client.pem" | sed -n 's/^.*Fingerprint=//p' |
		tr A-F a-f)   # lower case: RFC 8122 hex is case-insensitive
	ok "certificates: ECDSA P-256 self-signed for s_client, s_server, a stranger and the box"
else
	fail "certificates (openssl req)"
	echo "dtls-netns: $passed passed, $failed failed"
	exit 1
fi

"$PY" "$PEER" selftest >"$WORK/selftest.log" 2>&1
while IFS= read -r line; do
	case "$line" in
	"check "*": ok") line=${line#check }; ok "${line%: ok}" ;;
	"check "*) line=${line#check }; fail "${line/: FAIL /: }" ;;
	esac
done <"$WORK/selftest.log"
grep -q "^check " "$WORK/selftest.log" || { fail "key split self-test did not run:"; tail -5 "$WORK/selftest.log"; }

# A genuine first ClientHello (no cookie) of openssl s_client, for the attacks.
HELLO=$WORK/hello.bin
attack capture 198.18.0.2:7000 "$HELLO" 5 >/dev/null 2>&1 &
cap=$!
sleep 0.3
ip netns exec "$NSA" timeout 3 openssl s_client "${OSSL_DTLS[@]}" -connect 198.18.0.2:7000 \
	-bind 198.18.0.2:7001 0<>"$HOLD" >/dev/null 2>&1 &
wait "$cap"
check "$([ -s "$HELLO" ] && [ "$(head -c 1 "$HELLO" | od -An -tu1 | tr -d ' ')" = 22 ] && echo 0)" \
	"a genuine s_client ClientHello captured ($(stat -c %s "$HELLO" 2>/dev/null) bytes)"
HELLO_LEN=$(stat -c %s "$HELLO" 2>/dev/null || echo 0)

cat >"$WORK/fwd.ini" <<EOF
[general]
mbufs = 8191

[interface access]
exposed = no
port = net_af_packet0
ipv4 = 198.18.0.1/24
media-ports = 20000-29999

[interface core]
exposed = no
port = net_af_packet1
ipv4 = 198.19.0.1/24
media-ports = 30000-39999
EOF

# ---- one engine ----

# d: the storm, started once the stream's data flows (hook of run_media).
storm() {
	local dir=$1 sd=$1/storm i n pids=() t0 t1 hs0 hs1
	mkdir -p "$sd"
	for i in $(seq 1 $((PEER_TIMEOUT * 10))); do [ -e "$dir/ab.a.data" ] && break; sleep 0.1; done
	hs0=$(dtls_stat handshakes_completed)
	t0=$(date +%s.%N)
	for ((i = 0; i < STORM; i++)); do
		ip netns exec "$NSA" openssl s_client "${OSSL_DTLS[@]}" -connect "198.18.0.1:$((20100 + i))" \
			-bind "198.18.0.2:$((5100 + i))" -cert "$WORK/client.pem" -key "$WORK/client.key" \
			0<>"$HOLD" >"$sd/c$i.log" 2>&1 &
		pids+=($!)
	done
	PIDS+=("${pids[@]}")
	for i in $(seq 1 $((STORM_TIMEOUT * 10))); do
		n=$(grep -l "Keying material:" "$sd"/c*.log 2>/dev/null | wc -l)
		[ "$n" -ge "$STORM" ] && break
		sleep 0.1
	done
	t1=$(date +%s.%N)
	stop KILL "${pids[@]}"
	hs1=$(dtls_stat handshakes_completed)
	echo "$t0 $t1 $n ${hs0:-?} ${hs1:-?}" >"$dir/storm.result"
}

# Leg a of SID: one association, connected with 198.18.0.2:5000 after its one handshake.
one_association() { # SID NAME
	local line
	line=$(leg_dtls "$1")
	grep -q "dtls: connected role server .*peer 198.18.0.2:5000 handshakes 1 " <<<"$line" &&
		! grep -q "dtls restart" <<<"$line"
	check $? "$2" "$(echo "$line" | grep "dtls")"
}

# a, before the media: attacks on the connected leg (session SID), and a
# restart that fails. The media checks that follow need the first keys.
attack_connected() { # DIR SID
	local dir=$1 sid=$2 rf0 rf1 hv0 hv1 cp
	rf0=$(dtls_stat restart_failed)
	hv0=$(dtls_stat hvr_sent)
	attack spoof 198.18.0.2:5000 198.18.0.1:20000 junk-hello >/dev/null
	attack spoof 198.18.0.2:5999 198.18.0.1:20000 junk-hello >/dev/null
	attack spoof 198.18.0.2:5000 198.18.0.1:20000 "$HELLO" >/dev/null
	attack spoof 198.18.0.2:5999 198.18.0.1:20000 "$HELLO" >/dev/null
	sleep 0.3
	ossl_start "$dir/s_client.wrong.log" s_client "${OSSL_DTLS[@]}" -connect 198.18.0.1:20000 \
		-bind 198.18.0.2:5000 -cert "$WORK/other.pem" -key "$WORK/other.key"
	cp=$OSSL_PID
	wait_alert "$dir/s_client.wrong.log" "$cp" "$HS_TIMEOUT"
	sleep 0.2
	stop KILL "$cp"
	grep -q "alert bad certificate.*SSL alert number 42" "$dir/s_client.wrong.log"
	check $? "a: $engine: a restart from 198.18.0.2:5000 with another certificate fails (bad_certificate)"
	rf1=$(dtls_stat restart_failed)
	hv1=$(dtls_stat hvr_sent)
	check "$([ -n "$rf1" ] && [ "$rf1" -gt "${rf0:-0}" ] && echo 0)" \
		"a: $engine: show dtls stats counts the failed restart (restart_failed)" "${rf0:-?} -> ${rf1:-?}"
	check "$([ -n "$hv1" ] && [ $((hv1 - ${hv0:-0})) -ge 2 ] && echo 0)" \
		"a: $engine: the spoofed ClientHello and the restart's first one got HelloVerifyRequests" \
		"hvr_sent ${hv0:-?} -> ${hv1:-?}"
	one_association "$sid" \
		"a: $engine: after junk, spoofed ClientHellos and a failed restart the leg is still connected, same peer"
}

# a, after the media: a genuine restart from the same address replaces the keys.
restart_genuine() { # DIR SID KEYMAT1
	local dir=$1 sid=$2 km1=$3 rc0 rc1 km2 cp
	rc0=$(dtls_stat restarts_completed)
	ossl_start "$dir/s_client.again.log" s_client "${OSSL_DTLS[@]}" -connect 198.18.0.1:20000 \
		-bind 198.18.0.2:5000 -cert "$WORK/client.pem" -key "$WORK/client.key"
	cp=$OSSL_PID
	wait_keymat "$dir/s_client.again.log" "$cp" "$HS_TIMEOUT"
	check $? "a: $engine: a genuine restart from 198.18.0.2:5000 completes"
	km2=$(keymat_of "$dir/s_client.again.log")
	stop KILL "$cp"
	sleep 0.2
	rc1=$(dtls_stat restarts_completed)
	check "$([ -n "$rc1" ] && [ "$rc1" -gt "${rc0:-0}" ] && [ -n "$km2" ] && [ "$km2" != "$km1" ] && echo 0)" \
		"a: $engine: restarts_completed counts it, new keying material" "${rc0:-?} -> ${rc1:-?}"
	one_association "$sid" "a: $engine: the new association is the leg's (its first handshake, the old one gone)"
}

# f and h: junk and spoofed ClientHellos at waiting passive legs (sessions SID_F, SID_H).
waiting_attacks() { # DIR SID_F SID_H
	local dir=$1 sid_f=$2 sid_h=$3 nh0 nh1 hs0 hs1 cp line s1 s2 n b t
	nh0=$(dtls_stat not_hello)
	# ClientHello-shaped junk first: a failed handshake would free the leg again.
	attack spoof 198.18.0.2:5011 198.18.0.1:20012 junk-hello >/dev/null
	attack spoof 198.18.0.2:5012 198.18.0.1:20012 junk >/dev/null
	sleep 0.2
	ossl_start "$dir/f/s_client.log" s_client "${OSSL_DTLS[@]}" -connect 198.18.0.1:20012 \
		-bind 198.18.0.2:5013 -cert "$WORK/client.pem" -key "$WORK/client.key"
	cp=$OSSL_PID
	wait_keymat "$dir/f/s_client.log" "$cp" "$HS_TIMEOUT"
	check $? "f: $engine: junk from 198.18.0.2:5011 and 5012 to a waiting leg, then s_client from 5013 completes"
	stop KILL "$cp"
	nh1=$(dtls_stat not_hello)
	check "$([ -n "$nh1" ] && [ $((nh1 - ${nh0:-0})) -ge 2 ] && echo 0)" \
		"f: $engine: both junk datagrams counted as not_hello" "${nh0:-?} -> ${nh1:-?}"
	line=$(leg_dtls "$sid_f")
	grep -q "dtls: connected role server .*peer 198.18.0.2:5013 " <<<"$line"
	check $? "f: $engine: show session: connected with 198.18.0.2:5013" "$(echo "$line" | grep "dtls:")"

	hs0=$(dtls_stat handshakes_started)
	attack sniff "$PA" 198.18.0.1:20016 198.18.0.2:4444 4 >"$dir/h/sniff.1" 2>&1 &
	s1=$!
	attack sniff "$PA" 198.18.0.1:20016 198.18.0.77:4444 4 >"$dir/h/sniff.2" 2>&1 &
	s2=$!
	sleep 0.5
	attack spoof 198.18.0.77:4444 198.18.0.1:20016 "$HELLO" >/dev/null
	sleep 0.2
	attack spoof 198.18.0.2:4444 198.18.0.1:20016 "$HELLO" >/dev/null
	wait "$s1" "$s2"
	for t in 2:198.18.0.77 1:198.18.0.2; do
		read -r _ n _ b _ first <"$dir/h/sniff.${t%%:*}"
		check "$([ "${n:-0}" = 1 ] && [ "${b:-0}" -le "$HELLO_LEN" ] && [ "$first" = 22/3 ] && echo 0)" \
			"h: $engine: spoofed ClientHello ($HELLO_LEN bytes) from ${t#*:}:4444: one answer in 4 s, a HelloVerifyRequest of at most as many bytes" \
			"$(cat "$dir/h/sniff.${t%%:*}")"
	done
	hs1=$(dtls_stat handshakes_started)
	check "$([ -n "$hs1" ] && [ "$hs1" = "$hs0" ] && echo 0)" \
		"h: $engine: no handshake started for them" "handshakes_started $hs0 -> $hs1"
	console "show neigh all" "neighbours" >"$dir/h/neigh"
	! grep -q "198\.18\.0\.77 " "$dir/h/neigh" && grep -q "neighbours" "$dir/h/neigh"
	check $? "h: $engine: show neigh all: no entry for 198.18.0.77" "$(grep "198.18.0.77" "$dir/h/neigh")"
	line=$(leg_dtls "$sid_h")
	grep -q "dtls: new role server .*peer - " <<<"$line"
	check $? "h: $engine: show session: the leg still waits (state new, no peer)" "$(echo "$line" | grep "dtls:")"
}

# g: the half-open handshake from 5014 (PID, started at T0) timed out; 5015 may handshake.
half_open_check() { # DIR PID T0 SID
	local dir=$1 pid=$2 t0=$3 sid=$4 left pt cp line
	wait "$pid"
	left=$((t0 + PEER_WAIT - $(date +%s)))
	[ "$left" -gt 0 ] && sleep "$left"
	echo "  ..    g: $engine: $(($(date +%s) - t0)) s after the half-open ClientHello"
	pt=$(dtls_stat peer_timeouts)
	check "$([ -n "$pt" ] && [ "$pt" -ge 1 ] && echo 0)" \
		"g: $engine: the half-open handshake from 198.18.0.2:5014 timed out (peer_timeouts)" \
		"peer_timeouts ${pt:-?}; the half-open client saw: $(cat "$dir/half.log")"
	ossl_start "$dir/s_client.log" s_client "${OSSL_DTLS[@]}" -connect 198.18.0.1:20014 \
		-bind 198.18.0.2:5015 -cert "$WORK/client.pem" -key "$WORK/client.key"
	cp=$OSSL_PID
	wait_keymat "$dir/s_client.log" "$cp" "$HS_TIMEOUT"
	check $? "g: $engine: then s_client from 198.18.0.2:5015 completes"
	stop KILL "$cp"
	line=$(leg_dtls "$sid")
	grep -q "dtls: connected role server .*peer 198.18.0.2:5015 " <<<"$line"
	check $? "g: $engine: show session: connected with 198.18.0.2:5015" "$(echo "$line" | grep "dtls:")"
}

run_engine() {
	local engine=$1 dir="$WORK/$1" i sp cp out fp_box km line
	local certopt=()
	mkdir -p "$dir"/{a,b,c,d,e,f,g,h}
	echo "== engine $engine"
	[ "$engine" != "${ENGINES[0]}" ] && certopt=(--dtls-cert "$WORK/box.pem" --dtls-key "$WORK/box.key")

	# b: s_server up before the forwarder, whose active leg connects at start.
	# -Verify 1: demand a client certificate (RFC 5763: the server asks).
	PIDS=()
	ossl_start "$dir/b/s_server.log" s_server "${OSSL_DTLS[@]}" -accept 198.18.0.2:5002 \
		-cert "$WORK/server.pem" -key "$WORK/server.key" -Verify 1
	sp=$OSSL_PID

	local kb1 kb2 kb3 kb4 kb5 kb6
	kb1=$(new_key); kb2=$(new_key); kb3=$(new_key); kb4=$(new_key); kb5=$(new_key); kb6=$(new_key)
	local ka5 ka6
	ka5=$(new_key); ka6=$(new_key)
	# a: B's keys; b: likewise; c: B's send key; d: SDES both legs.
	echo "$kb1" >"$dir/a/b-send.key"; echo "$kb2" >"$dir/a/b-recv.key"
	echo "$kb3" >"$dir/b/b-send.key"; echo "$kb4" >"$dir/b/b-recv.key"
	echo "$kb5" >"$dir/c/b-send.key"; echo "$kb6" >"$dir/c/b-recv.key"
	new_key >"$dir/c/a-send.key"; new_key >"$dir/c/a-recv.key"
	echo "$ka5" >"$dir/d/a-send.key"; echo "$ka6" >"$dir/d/a-recv.key"
	echo "$kb5" >"$dir/d/b-send.key"; echo "$kb6" >"$dir/d/b-recv.key"
	cat >"$dir/cmds.txt" <<EOF
show dtls fingerprint
session add e2ae access 20000 core 30000 a-dtls=passive a-fingerprint=sha-256:$FP_CLIENT b-rx=$(inline "$kb1") b-tx=$(inline "$kb2") b-remote=198.19.0.2:6000
session add e2ae access 20002 core 30002 a-dtls=active a-remote=198.18.0.2:5002 a-fingerprint=sha-256:$FP_SERVER b-rx=$(inline "$kb3") b-tx=$(inline "$kb4") b-remote=198.19.0.2:6002
session add e2ae access 20004 core 30004 a-dtls=passive a-fingerprint=sha-256:$FP_OTHER b-rx=$(inline "$kb5") b-tx=$(inline "$kb6") b-remote=198.19.0.2:6004
session add e2ae access 20006 core 30006 a-dtls=passive a-fingerprint=sha-1:$FP1_CLIENT b-remote=198.19.0.2:6006
session add e2ae access 20008 core 30008 a-dtls=passive a-fingerprint=sha-512:$FP512_CLIENT b-remote=198.19.0.2:6008
session add e2ae access 20010 core 30010 a-rx=$(inline "$ka5") a-tx=$(inline "$ka6") b-rx=$(inline "$kb5") b-tx=$(inline "$kb6") b-remote=198.19.0.2:6010
session add e2ae access 20012 core 30012 a-dtls=passive a-fingerprint=sha-256:$FP_CLIENT b-rx=rtp b-tx=rtp b-remote=198.19.0.2:6012
session add e2ae access 20014 core 30014 a-dtls=passive a-fingerprint=sha-256:$FP_CLIENT b-rx=rtp b-tx=rtp b-remote=198.19.0.2:6014
session add e2ae access 20016 core 30016 a-dtls=passive a-fingerprint=sha-256:$FP_CLIENT b-rx=rtp b-tx=rtp b-remote=198.19.0.2:6016
session add e2ae access 20100 core 30100 a-dtls=passive a-fingerprint=sha-256:$FP_CLIENT b-rx=rtp b-tx=rtp b-remote=198.19.0.2:6100 count=$STORM
show session all
EOF
	FWD_LOG=$dir/fwd.log
	exec {CONS_FD}<>"$CONS"
	"$BIN" --no-huge -m 1024 --no-pci --file-prefix "dtlsn${ID}_$engine" -l 0-1 --log-level='*:warning' \
		--vdev "net_af_packet0,iface=$VA,qpairs=2" --vdev "net_af_packet1,iface=$VB,qpairs=2" \
		-- --config "$WORK/fwd.ini" --cmdline-file "$dir/cmds.txt" --duration 120 \
		--srtp-engine "$engine" "${certopt[@]}" -i <"$CONS" >"$FWD_LOG" 2>&1 &
	FWD_PID=$!
	for i in $(seq 1 100); do
		grep -q "sessions (max" "$FWD_LOG" 2>/dev/null && break
		kill -0 "$FWD_PID" 2>/dev/null || break
		sleep 0.1
	done
	if grep -q "^ *$((STORM + 9)) sessions (max" "$FWD_LOG"; then
		ok "$engine: srtpfwd up, $((STORM + 9)) sessions provisioned"
	else
		fail "$engine: srtpfwd did not come up with $((STORM + 9)) sessions; log:"
		grep -v "^  *[0-9]* *e2ae" "$FWD_LOG" | tail -20
		stop_fwd
		stop KILL "${PIDS[@]}"; PIDS=()
		return
	fi
	mapfile -t SIDS < <(sed -n 's/^session \([0-9]*\) created$/\1/p' "$FWD_LOG")
	fp_box=$(sed -n 's/^dtls fingerprint: sha-256 \([0-9A-Fa-f:]*\)$/\1/p' "$FWD_LOG" | head -1 | tr a-f A-F)
	check "$([ ${#fp_box} = 95 ] && echo 0)" "$engine: show dtls fingerprint: sha-256 with 32 bytes" \
		"got '$(grep -m1 "fingerprint" "$FWD_LOG")'"
	if [ ${#certopt[@]} -gt 0 ]; then
		check "$([ "$fp_box" = "$FP_BOX_FILE" ] && echo 0)" \
			"$engine: --dtls-cert: the fingerprint is the loaded certificate's" "$fp_box vs $FP_BOX_FILE"
	fi

	# ---- g: a half-open handshake; f and h while it waits ----
	local g_pid g_t0
	attack half-open 198.18.0.2:5014 198.18.0.1:20014 "$HELLO" 3 >"$dir/g/half.log" 2>&1 &
	g_pid=$!
	g_t0=$(date +%s)
	waiting_attacks "$dir" "${SIDS[6]:-x}" "${SIDS[8]:-x}"
	half_open_check "$dir/g" "$g_pid" "$g_t0" "${SIDS[7]:-x}"

	# ---- a: box passive ----
	ossl_start "$dir/a/s_client.log" s_client "${OSSL_DTLS[@]}" -connect 198.18.0.1:20000 \
		-bind 198.18.0.2:5000 -cert "$WORK/client.pem" -key "$WORK/client.key" -showcerts
	cp=$OSSL_PID
	if wait_keymat "$dir/a/s_client.log" "$cp" "$HS_TIMEOUT"; then
		ok "a: $engine: s_client (198.18.0.2:5000) completed DTLS-SRTP with the box, keying material exported"
		km=$(keymat_of "$dir/a/s_client.log")
		out=$(pem_after "$dir/a/s_client.log" "^Certificate chain" | fp_of)
		check "$([ -n "$out" ] && [ "$out" = "$fp_box" ] && echo 0)" \
			"a: $engine: the certificate s_client received is the one show dtls fingerprint names" \
			"received $out, box says $fp_box"
		grep -q "SRTP Extension negotiated, profile=SRTP_AES128_CM_SHA1_80" "$dir/a/s_client.log"
		check $? "a: $engine: SRTP profile negotiated: SRTP_AES128_CM_SHA1_80"
		line=$(leg_dtls "${SIDS[0]:-x}")
		grep -q "dtls: connected role server profile $PROFILE .*peer 198.18.0.2:5000" <<<"$line"
		check $? "a: $engine: show session: leg a connected, role server, $PROFILE, peer 198.18.0.2:5000" \
			"$(echo "$line" | grep "dtls:")"
		grep -q "^  leg a .* remote 198.18.0.2:5000 " <<<"$line"
		check $? "a: $engine: show session: leg a latched the handshake's address 198.18.0.2:5000" \
			"$(echo "$line" | head -1)"
		grep -qi "peer fingerprint sha-256 $FP_CLIENT" <<<"$line"
		check $? "a: $engine: show session: the peer's fingerprint is the client certificate's"
		# Gone without close_notify; the media comes from the same address.
		stop KILL "$cp"
		attack_connected "$dir/a" "${SIDS[0]:-x}"
		"$PY" "$PEER" keys "$km" client "$dir/a"
		cat >"$dir/a/peer.conf" <<EOF
count=$COUNT
seed=$RANDOM$RANDOM
phases=ab,ba
a-bind=198.18.0.2:5000
a-dst=198.18.0.1:20000
a-stray=198.18.0.2:5001
b-bind=198.19.0.2:6000
b-dst=198.19.0.1:30000
EOF
		local sm0 sm1
		sm0=$(drop_count source_mismatch)
		run_media "a: $engine" "$dir/a"
		sm1=$(drop_count source_mismatch)
		check "$([ $((sm1 - sm0)) -ge 20 ] && echo 0)" \
			"a: $engine: the 20 packets from 198.18.0.2:5001 dropped as source_mismatch" "$sm0 -> $sm1"
		restart_genuine "$dir/a" "${SIDS[0]:-x}" "$km"
	else
		fail "a: $engine: s_client got no keying material in ${HS_TIMEOUT}s; its last lines:"
		tail -5 "$dir/a/s_client.log"
		stop KILL "$cp"
	fi

	# ---- b: box active ----
	if wait_keymat "$dir/b/s_server.log" "$sp" "$HS_TIMEOUT"; then
		ok "b: $engine: the box (client) completed DTLS-SRTP with s_server (198.18.0.2:5002), keying material exported"
		km=$(keymat_of "$dir/b/s_server.log")
		out=$(pem_after "$dir/b/s_server.log" "^Client certificate" | fp_of)
		check "$([ -n "$out" ] && [ "$out" = "$fp_box" ] && echo 0)" \
			"b: $engine: the client certificate s_server received is the one show dtls fingerprint names" \
			"received '$out', box says $fp_box"
		line=$(leg_dtls "${SIDS[1]:-x}")
		grep -q "dtls: connected role client profile $PROFILE .*peer 198.18.0.2:5002" <<<"$line"
		check $? "b: $engine: show session: leg a connected, role client, $PROFILE, peer 198.18.0.2:5002" \
			"$(echo "$line" | grep "dtls:")"
		grep -qi "peer fingerprint sha-256 $FP_SERVER" <<<"$line"
		check $? "b: $engine: show session: the peer's fingerprint is the s_server certificate's"
		# Killed before A binds its port.
		stop KILL "$sp"
		"$PY" "$PEER" keys "$km" server "$dir/b"
		cat >"$dir/b/peer.conf" <<EOF
count=$COUNT
seed=$RANDOM$RANDOM
phases=ab,ba
a-bind=198.18.0.2:5002
a-dst=198.18.0.1:20002
b-bind=198.19.0.2:6002
b-dst=198.19.0.1:30002
EOF
		run_media "b: $engine" "$dir/b"
	else
		fail "b: $engine: s_server got no keying material in ${HS_TIMEOUT}s; its last lines:"
		tail -5 "$dir/b/s_server.log"
		stop KILL "$sp"
	fi
	PIDS=()

	# ---- c: wrong fingerprint ----
	# The box refuses the client's certificate with a fatal alert. s_client
	# (OpenSSL 3.0, DTLS) may still print its session and keying material
	# afterwards: its own half, computed before the alert came. So the
	# oracle is the alert, and SRTP protected with that material (or random
	# keys, if it printed none) must get nowhere either way.
	local fails0 fails1 nokeys0 unl0 nokeys1 unl1 lat0 lat1
	fails0=$(dtls_stat fingerprint-mismatch)
	PIDS=()
	ossl_start "$dir/c/s_client.log" s_client "${OSSL_DTLS[@]}" -connect 198.18.0.1:20004 \
		-bind 198.18.0.2:5004 -cert "$WORK/client.pem" -key "$WORK/client.key"
	cp=$OSSL_PID
	for i in $(seq 1 $((HS_TIMEOUT * 10))); do
		grep -q "SSL alert number" "$dir/c/s_client.log" && break
		kill -0 "$cp" 2>/dev/null || break
		sleep 0.1
	done
	sleep 0.2
	grep -q "alert bad certificate.*SSL alert number 42" "$dir/c/s_client.log"
	check $? "c: $engine: wrong fingerprint: s_client's handshake failed on the box's fatal alert bad_certificate (42)" \
		"$(grep -m1 -i "alert\|error" "$dir/c/s_client.log" || echo "no alert, s_client says: $(tail -1 "$dir/c/s_client.log")")"
	# (s_client does not exit on it: it stays up in its read loop.)
	km=$(keymat_of "$dir/c/s_client.log")
	stop KILL "$cp"
	PIDS=()
	fails1=$(dtls_stat fingerprint-mismatch)
	check "$([ -n "$fails1" ] && [ "$fails1" -gt "${fails0:-0}" ] && echo 0)" \
		"c: $engine: show dtls stats counts the fingerprint-mismatch failure" "${fails0:-?} -> ${fails1:-?}"
	line=$(leg_dtls "${SIDS[2]:-x}")
	grep -q "dtls: failed .*failed: fingerprint-mismatch" <<<"$line"
	check $? "c: $engine: show session: leg a failed: fingerprint-mismatch" "$(echo "$line" | grep "dtls:")"
	grep -q "^  leg a .* remote - " <<<"$line"
	check $? "c: $engine: show session: leg a latched no remote" "$(echo "$line" | head -1)"
	if [ -n "$km" ]; then
		"$PY" "$PEER" keys "$km" client "$dir/c"
	else
		new_key >"$dir/c/a-send.key"; new_key >"$dir/c/a-recv.key"
	fi
	cat >"$dir/c/peer.conf" <<EOF
count=50
seed=$RANDOM$RANDOM
phases=ab-none,ba-none
a-bind=198.18.0.2:5004
a-dst=198.18.0.1:20004
b-bind=198.19.0.2:6004
b-dst=198.19.0.1:30004
EOF
	nokeys0=$(drop_count srtp_no_keys)
	unl0=$(drop_count peer_unlatched)
	lat0=$(drop_count unlatched)
	run_media "c: $engine: SRTP ${km:+with the keying material s_client printed }anyway" "$dir/c"
	nokeys1=$(drop_count srtp_no_keys)
	unl1=$(drop_count peer_unlatched)
	lat1=$(drop_count unlatched)
	check "$([ $((lat1 - lat0)) -ge 50 ] && echo 0)" \
		"c: $engine: A's 50 packets dropped as unlatched" "$lat0 -> $lat1"
	check "$([ $((nokeys1 - nokeys0 + unl1 - unl0)) -ge 50 ] && echo 0)" \
		"c: $engine: B's 50 packets dropped too (srtp_no_keys or peer_unlatched)" \
		"srtp_no_keys $nokeys0 -> $nokeys1, peer_unlatched $unl0 -> $unl1"

	# ---- e: a-fingerprint with sha-1 and sha-512 ----
	local e hash port
	for e in sha-1:20006:3 sha-512:20008:4; do
		IFS=: read -r hash port i <<<"$e"
		PIDS=()
		ossl_start "$dir/e/s_client.$hash.log" s_client "${OSSL_DTLS[@]}" -connect "198.18.0.1:$port" \
			-bind "198.18.0.2:$((port - 15000))" -cert "$WORK/client.pem" -key "$WORK/client.key"
		cp=$OSSL_PID
		wait_keymat "$dir/e/s_client.$hash.log" "$cp" "$HS_TIMEOUT" &&
			! grep -q "SSL alert number" "$dir/e/s_client.$hash.log"
		check $? "e: $engine: a-fingerprint=$hash:..: s_client completed the handshake" \
			"$(grep -m1 "alert" "$dir/e/s_client.$hash.log")"
		stop KILL "$cp"
		line=$(leg_dtls "${SIDS[$i]:-x}")
		grep -q "dtls: connected role server profile $PROFILE" <<<"$line"
		check $? "e: $engine: a-fingerprint=$hash:..: leg a connected" "$(echo "$line" | grep "dtls:")"
	done
	PIDS=()

	# ---- d: handshake storm during a media stream ----
	cat >"$dir/d/peer.conf" <<EOF
count=$STREAM
rate=$RATE
seed=$RANDOM$RANDOM
phases=ab
a-bind=198.18.0.2:5010
a-dst=198.18.0.1:20010
b-bind=198.19.0.2:6010
b-dst=198.19.0.1:30010
EOF
	local t0 t1 n hs0 hs1 ds de
	PEER_TIMEOUT=$((STREAM / RATE + 20)) run_media "d: $engine: stream during the storm" "$dir/d" storm
	if read -r t0 t1 n hs0 hs1 <"$dir/d/storm.result" 2>/dev/null; then
		check "$([ "$n" -ge "$STORM" ] && echo 0)" \
			"d: $engine: all $STORM s_clients exported keying material in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')s" \
			"$n of $STORM within ${STORM_TIMEOUT}s"
		check "$([ "$hs1" != "?" ] && [ "$hs0" != "?" ] && [ $((hs1 - hs0)) = "$STORM" ] && echo 0)" \
			"d: $engine: handshakes_completed rose by $STORM" "$hs0 -> $hs1"
		n=$(for i in "$dir"/d/storm/c*.log; do keymat_of "$i"; done | sort -u | wc -l)
		check "$([ "$n" = "$STORM" ] && echo 0)" "d: $engine: $STORM distinct keying materials" "$n distinct"
		ds=$(cat "$dir/d/ab.a.data" 2>/dev/null || echo 0)
		de=$(cat "$dir/d/ab.a.sent" 2>/dev/null || echo 0)
		check "$(awk -v ds="$ds" -v de="$de" -v a="$t0" -v b="$t1" 'BEGIN { if (ds <= a && b <= de) print 0 }')" \
			"d: $engine: the storm ran inside the stream" \
			"stream $(printf %.2f "$ds")..$(printf %.2f "$de"), storm $(printf %.2f "$t0")..$(printf %.2f "$t1")"
	else
		fail "d: $engine: the storm did not run"
	fi
	out=$(dtls_stat handshakes_completed)
	check "$([ "$out" = $((STORM + 7)) ] && echo 0)" \
		"$engine: handshakes_completed $((STORM + 7)) in all (a twice, b, e, f, g, storm; c and a's failed restart not)" \
		"${out:-?}"

	stop_fwd
	if grep -q "final counters" "$FWD_LOG"; then
		ok "$engine: srtpfwd stopped cleanly on SIGINT"
	else
		fail "$engine: srtpfwd did not print its final counters"
		tail -20 "$FWD_LOG"
	fi
	# SRTP and checksum drops: none expected (c's go to srtp_no_keys, a's
	# stray packets to a source drop).
	local bad
	bad=$(sed -n '/final counters/,$p' "$FWD_LOG" |
		grep -E '^    (srtp_(auth|replay|length|other)|udp_checksum|ip_checksum) ' || true)
	check "$([ -z "$bad" ] && echo 0)" "$engine: no SRTP authentication, replay or checksum drops" "$(echo $bad)"
	[ "${DTLS_NETNS_VERBOSE:-0}" = 1 ] && sed -n '/final counters/,$p' "$FWD_LOG"
}

for e in "${ENGINES[@]}"; do
	run_engine "$e"
done

echo "dtls-netns: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
