#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
One side of the e2e exchange, run inside a network namespace with an
ordinary UDP socket. Binds LOCAL:LPORT, sends COUNT RTP-like datagrams
(first byte 0x80) to the box at BOX:BPORT, one every INTERVAL seconds, and
meanwhile receives what the box forwards from the other side, which must
come from FROM:FPORT: the box's address on this side, the one the peer
sends to (the box is a NAT to both peers).

Every datagram carries (side, sequence number) and a body derived from them,
so the receiver checks each byte. Early packets may be lost while the box
latches both legs and resolves its next hops (ARP/ND); the ones sent after
the first WARMUP must arrive (at least 95 %), none corrupted, none from
another source, none twice.

Writes 'check NAME: ok' / 'check NAME: FAIL detail' lines and a last line
'stats {json}'. Exit status 0 when every check passed.

usage: udp_peer.py SIDE LOCAL LPORT BOX BPORT FROM FPORT [--count N]
                   [--interval S] [--warmup N] [--linger S] [--ready FILE]
"""
import argparse
import hashlib
import json
import os
import select
import socket
import struct
import sys
import time


def body(side, seq):
    """Deterministic payload of (side, seq): RTP header, then 0..1187 bytes."""
    n = (seq * 37) % 1188
    seed = hashlib.sha256(b"%s-%d" % (side.encode(), seq)).digest()
    fill = (seed * (n // len(seed) + 1))[:n]
    ssrc = 0xA0000000 if side == "a" else 0xB0000000
    return struct.pack("!BBHII", 0x80, 96, seq & 0xFFFF, seq * 160, ssrc) + fill


def parse(pkt):
    """(side, seq) a datagram claims to be, or None."""
    if len(pkt) < 12 or pkt[0] != 0x80:
        return None
    seq = struct.unpack("!H", pkt[2:4])[0]
    ssrc = struct.unpack("!I", pkt[8:12])[0]
    side = {0xA0000000: "a", 0xB0000000: "b"}.get(ssrc)
    return (side, seq) if side else None


def main():
    ap = argparse.ArgumentParser()
    for a in ("side", "local", "lport", "box", "bport", "src", "sport"):
        ap.add_argument(a)
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--interval", type=float, default=0.01)
    ap.add_argument("--warmup", type=int, default=50)
    ap.add_argument("--linger", type=float, default=3.0,
                    help="seconds to keep receiving after the last send")
    ap.add_argument("--ready", help="file to create once the socket is bound")
    args = ap.parse_args()
    other = "b" if args.side == "a" else "a"
    fam = socket.AF_INET6 if ":" in args.local else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 21)
    s.bind((args.local, int(args.lport)))
    s.setblocking(False)
    if args.ready:
        open(args.ready, "w").close()
    box = (args.box, int(args.bport))
    want_src = (socket.inet_pton(fam, args.src), int(args.sport))

    got = {}
    corrupt, bad_src, dup, foreign = [], [], 0, 0
    sent, send_err = 0, 0
    t0 = time.monotonic()
    next_send = t0
    hard_end = t0 + args.count * args.interval + args.linger + 5
    last_send = None
    while True:
        now = time.monotonic()
        if now > hard_end:
            break
        if sent < args.count and now >= next_send:
            try:
                s.sendto(body(args.side, sent), box)
            except OSError:
                send_err += 1
            sent += 1
            next_send += args.interval
            if sent == args.count:
                last_send = now
        if last_send is not None and (now - last_send > args.linger or
                                      len(got) >= args.count):
            break
        timeout = max(0.0, min(next_send - now, 0.05)) if sent < args.count else 0.05
        r, _, _ = select.select([s], [], [], timeout)
        if not r:
            continue
        while True:
            try:
                pkt, addr = s.recvfrom(65535)
            except BlockingIOError:
                break
            src = (socket.inet_pton(fam, addr[0]), addr[1])
            if src != want_src:
                bad_src.append("%s:%d" % addr[:2])
                continue
            who = parse(pkt)
            if who is None or who[0] != other:
                foreign += 1
                corrupt.append(pkt[:16].hex())
                continue
            if pkt != body(other, who[1]):
                corrupt.append("seq %d: %d bytes, expected %d" % (who[1], len(pkt),
                                                                   len(body(other, who[1]))))
                continue
            if who[1] in got:
                dup += 1
                continue
            got[who[1]] = time.monotonic() - t0

    later = [q for q in got if q >= args.warmup]
    need = args.count - args.warmup
    checks = [
        ("%s: sent %d datagrams to %s:%s" % (args.side, args.count, args.box, args.bport),
         sent == args.count and send_err == 0, "sent %d, %d send errors" % (sent, send_err)),
        ("%s: every datagram from %s:%s" % (args.side, args.src, args.sport), not bad_src,
         "%d from elsewhere, e.g. %s" % (len(bad_src), bad_src[:3])),
        ("%s: payloads byte for byte, no duplicates" % args.side, not corrupt and dup == 0,
         "%d corrupted (%s), %d duplicates" % (len(corrupt), corrupt[:3], dup)),
        ("%s: >= 95%% of %s's datagrams %d..%d received" % (args.side, other, args.warmup,
                                                            args.count - 1),
         len(later) * 100 >= need * 95, "%d of %d" % (len(later), need)),
    ]
    ok = True
    for name, good, detail in checks:
        print("check %s: %s" % (name, "ok" if good else "FAIL " + detail))
        ok = ok and good
    print("stats " + json.dumps({"side": args.side, "sent": sent, "received": len(got),
                                 "later": len(later), "first_seq": min(got) if got else None,
                                 "corrupt": len(corrupt), "dup": dup,
                                 "bad_src": len(bad_src)}))
    sys.stdout.flush()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
