#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Lawful interception end to end: srtpfwd between two parties in network
# namespaces streams ETSI TS 103 221-2 X2/X3 PDUs to mediation functions (MF,
# mf_receiver.py) in a third namespace, over mutual TLS or plain TCP.
#
#   ns A 198.18.0.2 ==veth== [net_af_packet0 access 198.18.0.1]
#                                srtpfwd ── control lcore, kernel TCP/TLS client
#   ns B 198.19.0.2 ==veth== [net_af_packet1 core   198.19.0.1]        │
#   ns M 198.18.200.2 ==veth== root 198.18.200.1 (a kernel interface) ─┘
#
# Run "main" (one srtpfwd, MF mf1 over TLS, keepalives both ways):
#   a  e2ae (A: SDES AES_CM_128_HMAC_SHA1_80, B: RTP) intercepted: every RTP/RTCP packet of
#      both directions as an X3 copy equal to the clear packet the sender made, seq 0..n-1,
#      XID/CID, 5-tuples, X2 keys dir 3 = a-rx and dir 2 = a-tx; and a task with `target b`
#      (directions swapped, no keys: B speaks RTP)
#   b  e2e with SDES keys known to the box, task with `dtls`: copies = the SRTP and DTLS as
#      sent (DTLS as format 4), decrypted with the delivered keys = the clear media
#   c  e2e NULL_HMAC_SHA1_80 without keys: the copies show the media in clear; the DTLS
#      records the parties send are not copied (no `dtls`)
#   d  a session without a task: nothing of it reaches the MF
#   e  identity: the same traffic through an e2ae session without and (deleted, re-added)
#      with a task: what each party receives is the same, byte for byte
#   j  console errors (bad uuid, correlation id 0, unknown MF, unknown session, duplicate
#      XID, stop of an unknown XID): one line each naming the problem; srtpfwd keeps running
# Run "faults" (one srtpfwd, five MFs):
#   f  an MF nothing listens at: media complete, the task's copies dropped, nothing sent
#   g  a plain-TCP MF, captured in ns M: tshark's li5g decode = what was sent, no error
#   h  an MF that sends garbage, one that closes after N PDUs: the box reconnects, media complete
#   i  a box certificate from another CA: the MF refuses the handshake, media complete
#   k  an MF that reads nothing (queue-bytes 65536): the queue fills, copies are dropped and
#      counted, the parties' 1500 packets each way all arrive
# Every wait has a limit (about 90 s in all). Prints "  ok ..."/"  FAIL ..." lines and
# "li-netns: N passed, M failed"; exits non-zero on any failure.
#
# Run "ng" (one srtpfwd with an ng listener, MF mf1 over TLS):
#   k  an e2e SDES call (audio SRTP, video RTP) whose offer carries the intercept-* keys: one
#      task on both sessions; the SDP each party gets = that of the same call without them;
#      the copies decrypted with the keys the offer and answer carried = the clear media
#   l  a plain RTP call, tasks by "start intercept" (target to-tag) and by the console
#      (li start ... call): copies of both directions; "stop intercept", delete: tasks end;
#      ng errors (malformed keys, unknown MF/call/XID, an XID of another call): one line each
#   m  an e2ae session terminating DTLS-SRTP (console), task started before the handshake:
#      s_client's exported keys reach the MF as X2 (A's = client write key, B's side none),
#      and a second handshake's new keys do too, in order
# usage: netns_li.sh SRTPFWD [main] [faults] [ng]     (root; LI_KEEP=1 keeps the work directory)
set -uo pipefail

BIN=$(readlink -f "${1:?usage: netns_li.sh SRTPFWD [main] [faults]}")
shift
RUNS=("$@")
[ ${#RUNS[@]} -gt 0 ] || RUNS=(main faults ng)
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
COUNT=${LI_COUNT:-200}
PEER_TIMEOUT=15

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "  ok    $*"; }
fail() { failed=$((failed + 1)); echo "  FAIL  $*"; }
finish() {
	echo "li-netns: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit $?
}

if [ "$(id -u)" != 0 ]; then
	fail "needs root (network namespaces)"
	finish
fi
for t in ethtool openssl tshark tcpdump xxd base64; do
	command -v "$t" >/dev/null || { fail "$t missing"; finish; }
done

ID=$(($$ % 100000))
NSA=li-a-$ID NSB=li-b-$ID NSM=li-m-$ID
VA=liA$ID VB=liB$ID VM=liM$ID # root ends (VA, VB: the forwarder's; VM: the kernel's)
PA=lpA$ID PB=lpB$ID PM=lpM$ID # namespace ends
WORK=$(mktemp -d /tmp/li-netns.XXXXXX)
PKI=$WORK/pki
FWD_PID=
BG_PIDS=() # MFs, tcpdump, peers

kill_bg() {
	local p
	for p in "${BG_PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	for p in "${BG_PIDS[@]}"; do
		wait "$p" 2>/dev/null
	done
	BG_PIDS=()
}

stop_fwd() {
	[ -n "$FWD_PID" ] || return 0
	kill -INT "$FWD_PID" 2>/dev/null
	for _ in $(seq 1 50); do kill -0 "$FWD_PID" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$FWD_PID" 2>/dev/null
	wait "$FWD_PID" 2>/dev/null
	FWD_PID=
}

cleanup() {
	kill_bg
	stop_fwd
	exec 8>&- 2>/dev/null
	ip netns del "$NSA" 2>/dev/null
	ip netns del "$NSB" 2>/dev/null
	ip netns del "$NSM" 2>/dev/null
	ip link del "$VA" 2>/dev/null
	ip link del "$VB" 2>/dev/null
	ip link del "$VM" 2>/dev/null
	if [ "${LI_KEEP:-0}" = 1 ] || [ "$failed" -ne 0 ]; then
		echo "li-netns: work directory kept: $WORK"
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=tests/lib/netns.sh
. "$HERE/../lib/netns.sh"

# The MF's namespace: its veth's root end is an ordinary kernel interface
# (198.18.200.1) the control lcore's TCP reaches; no TSO/GSO, so a capture in
# M sees the segments as the wire would carry them.
mf_ns_up() {
	ip netns add "$NSM" || return 1
	ip link add "$VM" type veth peer name "$PM" netns "$NSM" || return 1
	sysctl -qw "net.ipv6.conf.$VM.disable_ipv6=1" || return 1
	ethtool -K "$VM" tso off gso off gro off >/dev/null 2>&1
	ip netns exec "$NSM" ethtool -K "$PM" tso off gso off gro off >/dev/null 2>&1
	ip addr add 198.18.200.1/24 dev "$VM" || return 1
	ip link set "$VM" up || return 1
	ip -n "$NSM" link set lo up || return 1
	ip -n "$NSM" addr add 198.18.200.2/24 dev "$PM" || return 1
	ip -n "$NSM" link set "$PM" up
}

echo "li netns ($NSA, $NSB, $NSM)"
if netns_host_up "$NSA" "$VA" "$PA" 198.18.0.2/24 && netns_host_up "$NSB" "$VB" "$PB" 198.19.0.2/24 &&
	mf_ns_up; then
	ok "namespaces A, B (forwarder's veths) and M (kernel veth 198.18.200.1 <-> 198.18.200.2) up"
else
	fail "namespace/veth setup"
	finish
fi
if "$HERE/make_ca.sh" "$PKI" && openssl verify -CAfile "$PKI/ca.crt" "$PKI/mf.crt" "$PKI/box.crt" >/dev/null &&
	! openssl verify -CAfile "$PKI/ca.crt" "$PKI/other-box.crt" >/dev/null 2>&1; then
	ok "test CA, MF server and box client certificates; another CA's client certificate"
else
	fail "make_ca.sh"
	finish
fi

# ---------------------------------------------------------------- helpers

newkey() { "$PY" -c 'import os; print(os.urandom(30).hex())'; }
b64() { xxd -r -p <<<"$1" | base64 -w0; }
newxid() { "$PY" -c 'import uuid; print(uuid.uuid4())'; }

# Checks printed by li_peer.py / li_check.py ("check NAME: ok|FAIL ...") as our lines.
tally() {
	local line
	while IFS= read -r line; do
		case "$line" in
		"check "*": ok") line=${line#check }; ok "${line%: ok}" ;;
		"check "*) fail "${line#check }" ;;
		esac
	done
}

# checks_of SCRIPT ARGS...: a checker's verdicts tallied (a crash is a failure).
checks_of() {
	local script=$1 out rc
	shift
	out=$("$PY" "$HERE/$script" "$@" 2>&1)
	rc=$?
	tally <<<"$out"
	if [ "$rc" != 0 ] && ! grep -q "^check .*FAIL" <<<"$out"; then
		fail "$script $1 exited $rc: $(tail -3 <<<"$out")"
	fi
}

# lic SUBCOMMAND ARGS...: li_check.py; lng SUBCOMMAND ARGS...: li_ng.py against the ng listener.
lic() { checks_of li_check.py "$@"; }
lng() { checks_of li_ng.py "$@"; }

# The forwarder's configuration; MF sections come as extra text in $1, [general] lines in $2.
fwd_ini() {
	cat <<EOF
[general]
mbufs = 8191
${2:-}

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

$1
EOF
}

# mf_section NAME PORT TRANSPORT [CERT] [KEEPALIVE] [QUEUE-BYTES]
mf_section() {
	local name=$1 port=$2 tr=$3 cert=${4:-box} ka=${5:-10} qb=${6:-4194304}
	printf '[mediation-function %s]\naddress = 198.18.200.2\nport = %s\ntransport = %s\n' "$name" "$port" "$tr"
	[ "$tr" = tls ] && printf 'certificate = %s\nprivate-key = %s\nca = %s\n' \
		"$PKI/$cert.crt" "$PKI/$cert.key" "$PKI/ca.crt"
	printf 'queue-bytes = %s\nkeepalive = %s\n\n' "$qb" "$ka"
}

# mf_start DIR NAME PORT tls|tcp [mf_receiver options]: an MF in ns M, waits until it listens.
mf_start() {
	local dir=$1 name=$2 port=$3 tr=$4 tls=()
	shift 4
	[ "$tr" = tls ] && tls=(--tls "$PKI/ca.crt,$PKI/mf.crt,$PKI/mf.key")
	ip netns exec "$NSM" timeout 200 "$PY" "$HERE/mf_receiver.py" --listen "198.18.200.2:$port" "${tls[@]}" \
		--out "$dir/$name.jsonl" --ready "$dir/$name.ready" --duration 180 "$@" >"$dir/$name.log" 2>&1 &
	BG_PIDS+=($!)
	for _ in $(seq 1 50); do [ -e "$dir/$name.ready" ] && return 0; sleep 0.1; done
	fail "MF $name did not listen on 198.18.200.2:$port: $(tail -2 "$dir/$name.log")"
	return 1
}

# fwd_start DIR: srtpfwd with DIR/fwd.ini, DIR/cmds.txt, console on a FIFO (fd 8).
fwd_start() {
	local dir=$1 tag=$2
	rm -f "$dir/fifo"
	mkfifo "$dir/fifo"
	exec 8<>"$dir/fifo"
	"$BIN" --no-huge -m 1024 --no-pci --file-prefix "lin${ID}_$tag" -l 0-1 --log-level='*:warning' \
		--vdev "net_af_packet0,iface=$VA,qpairs=2" --vdev "net_af_packet1,iface=$VB,qpairs=2" \
		-- --config "$dir/fwd.ini" --cmdline-file "$dir/cmds.txt" -i --duration 150 \
		<&8 >"$dir/fwd.log" 2>&1 &
	FWD_PID=$!
	for _ in $(seq 1 100); do
		grep -q "sessions (max" "$dir/fwd.log" 2>/dev/null && break
		kill -0 "$FWD_PID" 2>/dev/null || break
		sleep 0.1
	done
}

console() { printf '%s\n' "$@" >&8; }

# cmd_out DIR FILE CMD PATTERN [TENTHS]: run CMD on the console; what it printed (prompt and CR
# stripped) goes to FILE. 0 as soon as a line matches PATTERN (ERE); 1 once the command is done
# (the next prompt came) without such a line, or after TENTHS.
cmd_out() {
	local dir=$1 file=$2 cmd=$3 pat=$4 n=${5:-30} mark
	mark=$(wc -l <"$dir/fwd.log")
	console "$cmd"
	for _ in $(seq 1 "$n"); do
		sleep 0.1
		tail -n +"$((mark + 1))" "$dir/fwd.log" | sed -E 's/^(srtpfwd> )+//; s/\r$//' >"$file"
		grep -qE "$pat" "$file" && return 0
		[ "$(wc -l <"$file")" -ge 2 ] && [ "$(tail -c 9 "$dir/fwd.log")" = "srtpfwd> " ] && return 1
		kill -0 "$FWD_PID" 2>/dev/null || return 1
	done
	return 1
}

# show_li DIR NAME: `show li` now, into DIR/NAME.showli
show_li() {
	cmd_out "$1" "$1/$2.showli" "show li" '^li workers:' 30
}

# wait_connected DIR MF [TENTHS]: until `show li` says the MF is connected.
wait_connected() {
	local dir=$1 mf=$2 n=${3:-10}
	for _ in $(seq 1 "$n"); do
		show_li "$dir" "wait-$mf" && grep -qE "^  mf $mf .*: connected," "$dir/wait-$mf.showli" && return 0
		sleep 0.5
	done
	return 1
}

# session_ids DIR: the ids of "session N created", in order.
session_ids() { sed -n 's/^\(srtpfwd> \)*session \([0-9]*\) created$/\2/p' "$1/fwd.log"; }

# peers NAME DIR A_PORT B_PORT A_TX A_RX B_TX B_RX SEED [li_peer options]: B then A, checks tallied.
peers() {
	local name=$1 dir=$2 pa=$3 pb=$4 atx=$5 arx=$6 btx=$7 brx=$8 seed=$9 pid_b rc_a rc_b
	shift 9
	mkdir -p "$dir"
	ip netns exec "$NSB" timeout $((PEER_TIMEOUT + 10)) "$PY" "$HERE/li_peer.py" b "$dir" --box-port "$pb" \
		--tx "$btx" --rx "$brx" --seed "$seed" --count "$COUNT" --timeout "$PEER_TIMEOUT" --name "$name" "$@" \
		>"$dir/b.log" 2>&1 &
	pid_b=$!
	for _ in $(seq 1 50); do [ -e "$dir/B.up" ] && break; sleep 0.1; done
	ip netns exec "$NSA" timeout $((PEER_TIMEOUT + 10)) "$PY" "$HERE/li_peer.py" a "$dir" --box-port "$pa" \
		--tx "$atx" --rx "$arx" --seed "$seed" --count "$COUNT" --timeout "$PEER_TIMEOUT" --name "$name" "$@" \
		>"$dir/a.log" 2>&1
	rc_a=$?
	wait "$pid_b"
	rc_b=$?
	tally < <(cat "$dir/a.log" "$dir/b.log")
	[ "$rc_a" = 0 ] || grep -q "^check .*FAIL" "$dir/a.log" || fail "$name: party A exited $rc_a: $(tail -3 "$dir/a.log")"
	[ "$rc_b" = 0 ] || grep -q "^check .*FAIL" "$dir/b.log" || fail "$name: party B exited $rc_b: $(tail -3 "$dir/b.log")"
}

# li_start DIR XID CID MF SESSION [target a|b] [dtls]: the task starts without an error line.
li_start() {
	local dir=$1
	shift
	local err='^li start:|^Bad arguments|^Command not found|^Ambiguous'
	cmd_out "$dir" "$dir/li-start.out" "li start $1 $2 $3 session $4${5:+ ${*:5}}" "$err" 10
	if grep -qE "$err" "$dir/li-start.out"; then
		fail "li start $*: $(grep -m1 -E "$err" "$dir/li-start.out")"
		return 1
	fi
	return 0
}

# quit_fwd DIR NAME: quit through the console; clean exit with the final counters.
quit_fwd() {
	local dir=$1 name=$2 rc
	console "quit"
	for _ in $(seq 1 100); do kill -0 "$FWD_PID" 2>/dev/null || break; sleep 0.1; done
	if kill -0 "$FWD_PID" 2>/dev/null; then
		fail "$name: srtpfwd did not quit from the console"
		stop_fwd
	else
		wait "$FWD_PID"
		rc=$?
		FWD_PID=
		[ "$rc" = 0 ] && grep -q "final counters" "$dir/fwd.log" &&
			ok "$name: srtpfwd quit cleanly, final counters printed" ||
			fail "$name: srtpfwd exit status $rc: $(tail -3 "$dir/fwd.log")"
	fi
	exec 8>&-
	local bad
	bad=$(sed -n '/final counters/,$p' "$dir/fwd.log" |
		grep -E '^    (srtp_[a-z_]+|source_mismatch|unlatched|udp_checksum|ipv4_checksum|tx_full|no_mbuf) ' || true)
	[ -z "$bad" ] && ok "$name: no SRTP, latching, checksum or TX drops" || fail "$name: drops: $(echo $bad)"
}

S80=AES_CM_128_HMAC_SHA1_80
NULLP=NULL_HMAC_SHA1_80

# ---------------------------------------------------------------- run main

run_main() {
	local dir=$WORK/main
	mkdir -p "$dir"
	echo "== main: MF mf1 over mutual TLS; cases a (and target b) b c d e j"
	local ka kb k3 k4 k5 k6 k7 k8 kn1 kn2
	ka=$(newkey) kb=$(newkey) k3=$(newkey) k4=$(newkey) k5=$(newkey) k6=$(newkey) k7=$(newkey) k8=$(newkey)
	kn1=$(newkey) kn2=$(newkey)
	local xa=6f1c2d3e-0000-4000-8000-00000000000a xb xc xe xt cb=0xDEADBEEF01
	xb=$(newxid) xc=$(newxid) xe=$(newxid) xt=$(newxid)
	fwd_ini "$(mf_section mf1 40443 tls box 2)" >"$dir/fwd.ini"
	local sa
	sa="session add e2ae access 20000 core 30000 a-rx=$S80:inline:$(b64 "$ka") a-tx=$S80:inline:$(b64 "$kb") b-rx=rtp b-tx=rtp b-remote=198.19.0.2:6000"
	local sb
	sb="session add e2e access 20002 core 30002 a-rx=$S80:inline:$(b64 "$k3") a-tx=$S80:inline:$(b64 "$k4") b-remote=198.19.0.2:6000"
	local sc="session add e2e access 20004 core 30004 b-remote=198.19.0.2:6000"
	local sd="session add e2e access 20006 core 30006 b-remote=198.19.0.2:6000"
	local se
	se="session add e2ae access 20008 core 30008 a-rx=$S80:inline:$(b64 "$k5") a-tx=$S80:inline:$(b64 "$k6") b-rx=rtp b-tx=rtp b-remote=198.19.0.2:6000"
	local st
	st="session add e2ae access 20010 core 30010 a-rx=$S80:inline:$(b64 "$k7") a-tx=$S80:inline:$(b64 "$k8") b-rx=rtp b-tx=rtp b-remote=198.19.0.2:6000"
	printf '%s\n' "$sa" "$sb" "$sc" "$sd" "$se" "$st" "show session all" >"$dir/cmds.txt"
	mf_start "$dir" mf1 40443 tls --keepalive 3 || return
	fwd_start "$dir" main
	local ids
	mapfile -t ids < <(session_ids "$dir")
	if [ ${#ids[@]} = 6 ] && grep -q "  6 sessions (max" "$dir/fwd.log"; then
		ok "main: srtpfwd up with the MF section, 6 sessions (e2ae, e2e SDES, e2e, e2e, e2ae, e2ae)"
	else
		fail "main: srtpfwd did not come up with 6 sessions (${#ids[@]}); log:"
		grep -vE '^\s*$' "$dir/fwd.log" | tail -15
		stop_fwd; kill_bg
		return
	fi
	if wait_connected "$dir" mf1 20; then
		ok "main: show li: mf1 connected"
	else
		fail "main: mf1 not connected: $(grep -E '^  mf mf1|^li' "$dir/wait-mf1.showli" 2>/dev/null | head -3 | tr '\n' '|') MF: $(grep -m2 event "$dir/mf1.jsonl" | tail -1)"
	fi
	li_start "$dir" "$xa" 123 mf1 "${ids[0]}"
	li_start "$dir" "$xb" "$cb" mf1 "${ids[1]}" dtls
	li_start "$dir" "$xc" 77 mf1 "${ids[2]}"
	li_start "$dir" "$xt" 0x1 mf1 "${ids[5]}" target b
	show_li "$dir" started
	lic show-li "$dir/started.showli" --name "main: after li start" --expect "tasks=4" \
		--expect "task:$xa:state=active" --expect "task:$xb:cid=$((cb))" --expect "task:$xc:target=a" \
		--expect "task:$xt:target=b" --expect "task:$xt:cid=1" --expect "task:$xa:keys=2" \
		--expect "mf:mf1:state=connected"

	# a, b, c, d: one party pair after the other (same party addresses, other box ports).
	peers "a e2ae" "$dir/a" 20000 30000 "$S80:$ka" "$S80:$kb" rtp rtp 1001
	peers "b e2e SDES" "$dir/b" 20002 30002 "$S80:$k3" "$S80:$k4" "$S80:$k4" "$S80:$k3" 1002 --dtls 3
	local null_ok=0
	if "$PY" -c "import sys; sys.path.insert(0, '$HERE/../e2ae'); import srtp_common; sys.exit(0 if srtp_common.null_profile_usable() else 1)"; then
		null_ok=1
		peers "c e2e NULL" "$dir/c" 20004 30004 "$NULLP:$kn1" "$NULLP:$kn2" "$NULLP:$kn2" "$NULLP:$kn1" 1003 \
			--dtls 3
	else
		echo "  skip  c e2e NULL: libsrtp under pylibsrtp refuses NULL_HMAC_SHA1_80 (profile 5)"
	fi
	peers "d no task" "$dir/d" 20006 30006 "$S80:$k3" "$S80:$k4" "$S80:$k4" "$S80:$k3" 1004
	peers "a target b" "$dir/t" 20010 30010 "$S80:$k7" "$S80:$k8" rtp rtp 1006

	# e: identity. The same traffic without a task, then with one (session re-added).
	peers "e without task" "$dir/e1" 20008 30008 "$S80:$k5" "$S80:$k6" rtp rtp 1005
	if cmd_out "$dir" "$dir/del.out" "session del ${ids[4]}" "^session ${ids[4]} deleted" 20 &&
		cmd_out "$dir" "$dir/readd.out" "$se" '^session [0-9]+ created' 20; then
		local se2
		se2=$(sed -n 's/^session \([0-9]*\) created$/\1/p' "$dir/readd.out" | head -1)
		li_start "$dir" "$xe" 5 mf1 "$se2"
		sleep 0.3
		peers "e with task" "$dir/e2" 20008 30008 "$S80:$k5" "$S80:$k6" rtp rtp 1005
		lic identity "$dir/e1" "$dir/e2" --name "e identity"
	else
		fail "e: session del/re-add: $(cat "$dir/del.out" "$dir/readd.out" 2>/dev/null | tr '\n' '|')"
	fi

	# j: bad console input, one error line each; then a good stop.
	local bad=(
		"li start 6f1c2d3e-0000-4000-8000-00000000000 1 mf1 session ${ids[0]}|li start:.*uuid|uuid one digit short"
		"li start 6f1c2d3e-0000-4000-8000-0000000000zz 1 mf1 session ${ids[0]}|li start:.*uuid|uuid with a non-hex digit"
		"li start $(newxid) 0 mf1 session ${ids[0]}|li start:.*correlation|correlation id 0"
		"li start $(newxid) 0x12345678901234567 mf1 session ${ids[0]}|li start:.*correlation|correlation id of 17 hex digits"
		"li start $(newxid) 9 nosuchmf session ${ids[0]}|li start:.*mediation function|unknown mediation function"
		"li start $(newxid) 9 mf1 session 9999|li start:.*session|unknown session"
		"li start $xa 9 mf1 session ${ids[3]}|li start:.*exists|duplicate XID"
		"li stop $(newxid)|li stop:.*no (such )?task|stop of an unknown XID"
		"li stop 12345|li stop:.*uuid|stop with a malformed uuid"
	)
	local b cmd pat what n=0
	for b in "${bad[@]}"; do
		IFS='|' read -r cmd pat what <<<"$b"
		n=$((n + 1))
		if cmd_out "$dir" "$dir/bad$n.out" "$cmd" '^li (start|stop):|^Bad arguments|^Command not found' 20; then
			local lines
			lines=$(grep -cE '^li (start|stop):' "$dir/bad$n.out")
			grep -qiE "^$pat" "$dir/bad$n.out" && [ "$lines" = 1 ] &&
				ok "j: $what: '$(grep -m1 -E '^li (start|stop):' "$dir/bad$n.out")'" ||
				fail "j: $what: '$cmd' answered $(grep -E '^li |^Bad|^Command' "$dir/bad$n.out" | tr '\n' '|'), expected one line /$pat/"
		else
			fail "j: $what: no answer to '$cmd' in 3 s"
		fi
	done
	show_li "$dir" after-bad
	lic show-li --no-format "$dir/after-bad.showli" --name "j: after the bad input" --expect "tasks=5" \
		--expect "task:$xa:state=active"
	if cmd_out "$dir" "$dir/stop.out" "li stop $xc" '.' 10 && ! grep -qE '^li stop:' "$dir/stop.out" &&
		show_li "$dir" stopped && ! grep -qi "task $xc" "$dir/stopped.showli" &&
		grep -q "^li tasks: 4 " "$dir/stopped.showli"; then
		ok "j: li stop of a running task: gone from show li, 4 tasks left"
	else
		fail "j: li stop $xc: $(cat "$dir/stop.out" | tr '\n' '|') / $(head -1 "$dir/stopped.showli" 2>/dev/null)"
	fi

	# The box's counters against what the MF got (let the queue drain first).
	sleep 1.5
	show_li "$dir" final
	lic show-li --no-format "$dir/final.showli" --name "main: final" --expect "mf:mf1:state=connected" \
		--expect "mf:mf1:connects=1" --expect "mf:mf1:garbage=0" --expect "mf:mf1:dropped=0" \
		--expect "mf:mf1:queued=0" --expect "mf:mf1:keepalives_sent>0" --expect "task:$xa:dropped=0" \
		--expect "task:$xb:dropped=0" --expect "workers:ring-full=0" --expect "workers:no-mbuf=0"
	quit_fwd "$dir" main
	sleep 0.3
	kill_bg

	lic clean "$dir/mf1.jsonl" --name main
	lic e2ae "$dir/mf1.jsonl" --xid "$xa" --cid 123 --work "$dir/a" --a-rx "$ka" --a-tx "$kb" --name "a e2ae"
	lic e2e-sdes "$dir/mf1.jsonl" --xid "$xb" --cid "$cb" --work "$dir/b" --a-rx "$k3" --a-tx "$k4" --dtls \
		--box-a 198.18.0.1:20002 --box-b 198.19.0.1:30002 --name "b e2e SDES"
	[ "$null_ok" = 1 ] && lic e2e-null "$dir/mf1.jsonl" --xid "$xc" --cid 77 --work "$dir/c" \
		--box-a 198.18.0.1:20004 --box-b 198.19.0.1:30004 --name "c e2e NULL"
	lic absent "$dir/mf1.jsonl" --ports 20006,30006 --xids "$xa,$xb,$xc,$xe,$xt" --name "d no task"
	lic e2ae "$dir/mf1.jsonl" --xid "$xt" --cid 1 --work "$dir/t" --target b --a-rx "$k7" --a-tx "$k8" \
		--box-a 198.18.0.1:20010 --box-b 198.19.0.1:30010 --name "a target b"
	lic e2ae "$dir/mf1.jsonl" --xid "$xe" --cid 5 --work "$dir/e2" --a-rx "$k5" --a-tx "$k6" \
		--box-a 198.18.0.1:20008 --box-b 198.19.0.1:30008 --name "e with task"
	lic counts "$dir/final.showli" "$dir/mf1.jsonl" --mf mf1 --task "$xa" --task "$xb" --name "main: show li vs MF"
}

# ---------------------------------------------------------------- run faults

run_faults() {
	local dir=$WORK/faults
	mkdir -p "$dir"
	echo "== faults: unreachable MF, plain TCP + tshark, garbage, close-after, foreign CA"
	local kf kf2 ki ki2 kg kg2 kh kh2 kc kc2
	kf=$(newkey) kf2=$(newkey) ki=$(newkey) ki2=$(newkey) kg=$(newkey) kg2=$(newkey)
	kh=$(newkey) kh2=$(newkey) kc=$(newkey) kc2=$(newkey)
	local ks ks2 xs
	ks=$(newkey) ks2=$(newkey) xs=$(newxid)
	local xf xi xg xh xc
	xf=$(newxid) xi=$(newxid) xg=$(newxid) xh=$(newxid) xc=$(newxid)
	fwd_ini "$(mf_section mfdead 40999 tls)
$(mf_section mfbadca 40444 tls other-box)
$(mf_section mftcp 40080 tcp)
$(mf_section mfgarbage 40445 tls)
$(mf_section mfclose 40446 tls)
$(mf_section mfstall 40448 tls box 30 65536)" >"$dir/fwd.ini"
	e2ae_line() { echo "session add e2ae access $1 core $2 a-rx=$S80:inline:$(b64 "$3") a-tx=$S80:inline:$(b64 "$4") b-rx=rtp b-tx=rtp b-remote=198.19.0.2:6000"; }
	{
		e2ae_line 20000 30000 "$kf" "$kf2"
		e2ae_line 20002 30002 "$ki" "$ki2"
		e2ae_line 20004 30004 "$kg" "$kg2"
		e2ae_line 20006 30006 "$kh" "$kh2"
		e2ae_line 20008 30008 "$kc" "$kc2"
		e2ae_line 20010 30010 "$ks" "$ks2"
		echo "show session all"
	} >"$dir/cmds.txt"
	mf_start "$dir" mfbadca 40444 tls || return
	mf_start "$dir" mftcp 40080 tcp || return
	mf_start "$dir" mfgarbage 40445 tls --mode garbage || return
	mf_start "$dir" mfclose 40446 tls --mode close-after=100 || return
	mf_start "$dir" mfstall 40448 tls --mode stall || return
	ip netns exec "$NSM" timeout 120 tcpdump -i "$PM" -n -s 0 -U -w "$dir/mftcp.pcap" tcp port 40080 \
		>"$dir/tcpdump.log" 2>&1 &
	BG_PIDS+=($!)
	for _ in $(seq 1 30); do grep -q "listening on" "$dir/tcpdump.log" && break; sleep 0.1; done
	fwd_start "$dir" faults
	local ids
	mapfile -t ids < <(session_ids "$dir")
	if [ ${#ids[@]} = 6 ]; then
		ok "faults: srtpfwd up with 6 MF sections and 6 e2ae sessions"
	else
		fail "faults: srtpfwd did not come up with 6 sessions (${#ids[@]}); log:"
		grep -vE '^\s*$' "$dir/fwd.log" | tail -15
		stop_fwd; kill_bg
		return
	fi
	wait_connected "$dir" mftcp 20 && ok "faults: show li: mftcp (plain TCP) connected" ||
		fail "faults: mftcp not connected: $(grep -E '^  mf mftcp|^li|^Bad|^Command' "$dir/wait-mftcp.showli" 2>/dev/null | head -3 | tr '\n' '|')"
	wait_connected "$dir" mfclose 10 ||
		fail "faults: mfclose not connected: $(grep -E '^  mf mfclose|^li|^Bad|^Command' "$dir/wait-mfclose.showli" 2>/dev/null | head -3 | tr '\n' '|')"
	for _ in $(seq 1 30); do grep -q '"accepted"' "$dir/mfgarbage.jsonl" 2>/dev/null && break; sleep 0.1; done
	li_start "$dir" "$xf" 11 mfdead "${ids[0]}"
	li_start "$dir" "$xi" 12 mfbadca "${ids[1]}"
	li_start "$dir" "$xg" 13 mftcp "${ids[2]}"
	li_start "$dir" "$xh" 14 mfgarbage "${ids[3]}"
	li_start "$dir" "$xc" 15 mfclose "${ids[4]}"
	wait_connected "$dir" mfstall 10 ||
		fail "faults: mfstall not connected: $(grep -E '^  mf mfstall' "$dir/wait-mfstall.showli" 2>/dev/null | head -1)"
	li_start "$dir" "$xs" 16 mfstall "${ids[5]}"

	peers "f unreachable MF" "$dir/f" 20000 30000 "$S80:$kf" "$S80:$kf2" rtp rtp 2001
	peers "i foreign CA" "$dir/i" 20002 30002 "$S80:$ki" "$S80:$ki2" rtp rtp 2002
	COUNT=60 peers "g plain TCP" "$dir/g" 20004 30004 "$S80:$kg" "$S80:$kg2" rtp rtp 2003 --pps 40
	COUNT=300 peers "h garbage MF" "$dir/h" 20006 30006 "$S80:$kh" "$S80:$kh2" rtp rtp 2004 --pps 100
	COUNT=300 peers "h close-after MF" "$dir/hc" 20008 30008 "$S80:$kc" "$S80:$kc2" rtp rtp 2005 --pps 100
	COUNT=1500 peers "k stalled MF (queue-bytes 65536)" "$dir/s" 20010 30010 "$S80:$ks" "$S80:$ks2" rtp rtp 2006
	sleep 1
	show_li "$dir" final
	lic show-li "$dir/final.showli" --name "f unreachable MF" --expect "task:$xf:dropped>0" \
		--expect "mf:mfdead:pdus=0" --expect "mf:mfdead:bytes=0" --expect "mf:mfdead:connects=0" \
		--expect "mf:mfdead:state!=connected" --expect "mf:mfdead:dropped>0"
	lic show-li --no-format "$dir/final.showli" --name "h garbage MF" --expect "mf:mfgarbage:garbage>0" \
		--expect "mf:mfgarbage:connects>=2"
	lic show-li --no-format "$dir/final.showli" --name "h close-after MF" --expect "mf:mfclose:connects>=2"
	lic show-li --no-format "$dir/final.showli" --name "g plain TCP" --expect "mf:mftcp:transport=tcp" \
		--expect "mf:mftcp:connects=1" --expect "task:$xg:dropped=0"
	lic show-li --no-format "$dir/final.showli" --name "i foreign CA" --expect "mf:mfbadca:state!=connected"
	lic show-li --no-format "$dir/final.showli" --name "k stalled MF" --expect "task:$xs:dropped>0" \
		--expect "mf:mfstall:dropped>0" --expect "mf:mfstall:queued<=65536" \
		--expect "task:$xs:copies>0"
	quit_fwd "$dir" faults
	sleep 0.3
	kill_bg

	lic refused "$dir/mfbadca.jsonl" --name "i foreign CA"
	lic clean "$dir/mftcp.jsonl" --name "g plain TCP"
	lic e2ae "$dir/mftcp.jsonl" --xid "$xg" --cid 13 --work "$dir/g" --a-rx "$kg" --a-tx "$kg2" \
		--box-a 198.18.0.1:20004 --box-b 198.19.0.1:30004 --name "g plain TCP"
	lic tshark "$dir/mftcp.pcap" "$dir/mftcp.jsonl" --port 40080 --name "g tshark"
	lic reconnect "$dir/mfgarbage.jsonl" --xid "$xh" --work "$dir/h" --garbage --name "h garbage MF"
	lic reconnect "$dir/mfclose.jsonl" --xid "$xc" --work "$dir/hc" --name "h close-after MF"
}

# ---------------------------------------------------------------- run ng

# dtls_handshake LOG PORT: openssl s_client in ns A (198.18.0.2:5000, the client certificate)
# completes DTLS-SRTP with the box's passive leg on PORT; prints the 60 bytes of keying
# material it exported (empty: no handshake in 10 s). s_client is killed after it.
dtls_handshake() {
	local log=$1 port=$2 pid
	ip netns exec "$NSA" timeout 15 openssl s_client -dtls1_2 -use_srtp SRTP_AES128_CM_SHA1_80 \
		-keymatexport EXTRACTOR-dtls_srtp -keymatexportlen 60 -connect "198.18.0.1:$port" \
		-bind 198.18.0.2:5000 -cert "$WORK/client.pem" -key "$WORK/client.key" \
		< <(sleep 12) >"$log" 2>&1 &
	pid=$!
	for _ in $(seq 1 100); do
		grep -q "Keying material:" "$log" 2>/dev/null && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	sed -n 's/^ *Keying material: *\([0-9A-Fa-f]*\) *$/\1/p' "$log" | head -1
}

run_ng() {
	local dir=$WORK/ng
	mkdir -p "$dir"
	echo "== ng: tasks by intercept-* keys on offer/answer, start/stop intercept, console 'li start ... call'"
	local ka kx kb xk xl xc ngp=$((42000 + ID % 1000))
	ka=$(newkey) kx=$(newkey) kb=$(newkey) xk=$(newxid) xl=$(newxid) xc=$(newxid)
	fwd_ini "$(mf_section mf1 40447 tls box 2)" "ng-listen = 127.0.0.1:$ngp" >"$dir/fwd.ini"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=li-dtls" \
		-keyout "$WORK/client.key" -out "$WORK/client.pem" >/dev/null 2>&1
	local fp xm
	fp=$(openssl x509 -noout -fingerprint -sha256 -in "$WORK/client.pem" | sed -n 's/^.*Fingerprint=//p')
	xm=$(newxid)
	printf '%s\n' "session add e2ae access 29990 core 39990 a-dtls=passive a-fingerprint=sha-256:$fp b-rx=rtp b-tx=rtp b-remote=198.19.0.2:6000" \
		"show session all" >"$dir/cmds.txt"
	mf_start "$dir" mf1 40447 tls || return
	fwd_start "$dir" ng
	if grep -q "up to [0-9]* sessions" "$dir/fwd.log" && wait_connected "$dir" mf1 20; then
		ok "ng: srtpfwd up with ng on 127.0.0.1:$ngp, mf1 connected"
	else
		fail "ng: srtpfwd not up or mf1 not connected: $(grep -vE '^\s*$' "$dir/fwd.log" | tail -5 | tr '\n' '|')"
		stop_fwd; kill_bg
		return
	fi
	# m: DTLS-SRTP terminated on leg a: the exported keys go to the MF, and again when a new
	# handshake (same address) replaces them under the running task.
	local sm km1 km2
	sm=$(session_ids "$dir" | head -1)
	li_start "$dir" "$xm" 12 mf1 "$sm"
	km1=$(dtls_handshake "$dir/s_client1.log" 29990)
	sleep 0.3
	km2=$(dtls_handshake "$dir/s_client2.log" 29990)
	if [ ${#km1} = 120 ] && [ ${#km2} = 120 ] && [ "$km1" != "$km2" ]; then
		ok "m: two DTLS-SRTP handshakes with the intercepted leg, two different key exports"
	else
		fail "m: DTLS handshakes: '$km1' / '$km2': $(tail -3 "$dir/s_client1.log" | tr '\n' '|')"
	fi
	lng calls "$ngp" "$dir/calls.json" --ka "$ka" --kx "$kx" --kb "$kb" --xid "$xk" --cid 0x42 --mf mf1
	local kba kbb lba lbb
	kba=$("$PY" -c "import json; print(json.load(open('$dir/calls.json'))['k']['box_a'])" 2>/dev/null)
	kbb=$("$PY" -c "import json; print(json.load(open('$dir/calls.json'))['k']['box_b'])" 2>/dev/null)
	lba=$("$PY" -c "import json; print(json.load(open('$dir/calls.json'))['l']['box_a'])" 2>/dev/null)
	lbb=$("$PY" -c "import json; print(json.load(open('$dir/calls.json'))['l']['box_b'])" 2>/dev/null)
	if [ -z "$kba" ] || [ -z "$lba" ]; then
		fail "ng: no box ports from li_ng.py calls"
		stop_fwd; kill_bg
		return
	fi
	show_li "$dir" after-offer
	lic show-li "$dir/after-offer.showli" --name "k: ng task after offer/answer" --expect "tasks=2" --expect "task:$xm:keys=4" \
		--expect "task:$xk:state=active" --expect "task:$xk:call=li-k" --expect "task:$xk:sessions=2" \
		--expect "task:$xk:target=a" --expect "task:$xk:cid=66" --expect "task:$xk:keys=4"
	peers "k ng e2e SDES" "$dir/k" "${kba##*:}" "${kbb##*:}" "$S80:$ka" "$S80:$kb" "$S80:$kb" "$S80:$ka" 3001
	lng errors "$ngp" --mf mf1 --used-xid "$xk"
	lng start "$ngp" --call li-l --xid "$xl" --cid 9 --mf mf1 --target to-tag
	cmd_out "$dir" "$dir/li-call.out" "li start $xc 10 mf1 call li-l target from-tag" '^li' 20
	if [ "$(grep -cE "^li: task $xc started: call li-l target from-tag, mediation function mf1" \
		"$dir/li-call.out")" = 1 ]; then
		ok "ng: console 'li start ... call li-l': started, one line"
	else
		fail "ng: console li start ... call: $(tr '\n' '|' <"$dir/li-call.out")"
	fi
	cmd_out "$dir" "$dir/li-call-bad.out" "li start $(newxid) 10 mf1 call nosuchcall" '^li start:' 20 &&
		grep -q "no ng call 'nosuchcall'" "$dir/li-call-bad.out" &&
		ok "ng: console 'li start ... call nosuchcall': one line naming the call" ||
		fail "ng: console li start of an unknown call: $(tr '\n' '|' <"$dir/li-call-bad.out")"
	show_li "$dir" started-l
	lic show-li --no-format "$dir/started-l.showli" --name "l: two tasks on li-l" --expect "tasks=4" \
		--expect "task:$xl:target=b" --expect "task:$xl:sessions=1" --expect "task:$xc:target=a" \
		--expect "task:$xl:call=li-l"
	peers "l ng plain RTP" "$dir/l" "${lba##*:}" "${lbb##*:}" rtp rtp rtp rtp 3002
	sleep 0.5
	lng stop "$ngp" --call li-l --xid "$xl"
	lng delete "$ngp" --call li-k
	show_li "$dir" final
	lic show-li --no-format "$dir/final.showli" --name "ng: after stop intercept and delete" --expect "tasks=2" \
		--expect "task:$xc:state=active" --expect "mf:mf1:dropped=0" --expect "workers:ring-full=0"
	grep -qE "^(srtpfwd> )*li: task $xk started: call li-k target from-tag, mediation function mf1" "$dir/fwd.log" &&
		grep -qE "^(srtpfwd> )*li: task $xk stopped: call li-k \\(the call ended\\)" "$dir/fwd.log" &&
		grep -qE "^(srtpfwd> )*li: task $xl stopped: call li-l \\(stop intercept\\)" "$dir/fwd.log" &&
		ok "ng: starts and stops logged on the control lcore (XID, call, MF; no key)" ||
		fail "ng: log lines: $(grep -E '^(srtpfwd> )*li: ' "$dir/fwd.log" | tr '\n' '|')"
	! grep -qiF -e "$(b64 "$ka")" -e "$(b64 "$kb")" -e "$ka" -e "$kb" "$dir/fwd.log" &&
		ok "ng: no key in srtpfwd's output" || fail "ng: a key appears in srtpfwd's output"
	lng stop "$ngp" --call li-l
	quit_fwd "$dir" ng
	sleep 0.3
	kill_bg
	lic clean "$dir/mf1.jsonl" --name ng
	lic dtls-keys "$dir/mf1.jsonl" --xid "$xm" --cid 12 --keymat "$km1" --keymat "$km2" \
		--box-a 198.18.0.1:29990 --name "m DTLS-SRTP keys"
	lic e2e-sdes "$dir/mf1.jsonl" --xid "$xk" --cid 0x42 --work "$dir/k" --a-rx "$ka" --a-tx "$kb" \
		--both-legs --box-a "$kba" --box-b "$kbb" --name "k ng e2e SDES"
	lic e2e-plain "$dir/mf1.jsonl" --xid "$xl" --cid 9 --work "$dir/l" --target b \
		--box-a "$lba" --box-b "$lbb" --name "l ng start intercept, target to-tag"
	lic e2e-plain "$dir/mf1.jsonl" --xid "$xc" --cid 10 --work "$dir/l" \
		--box-a "$lba" --box-b "$lbb" --name "l console task on the call"
}

for r in "${RUNS[@]}"; do
	case "$r" in
	main) run_main ;;
	faults) run_faults ;;
	ng) run_ng ;;
	*) fail "unknown run $r" ;;
	esac
	kill_bg
	stop_fwd
done
finish
