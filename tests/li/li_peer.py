#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
One party of an intercepted (or not) session, for netns_li.sh; run inside its
namespace (ip netns exec):
  role a: 198.18.0.2:5000, sends to 198.18.0.1:BOX_PORT (default 20000)
  role b: 198.19.0.2:6000, sends to 198.19.0.1:BOX_PORT (default 30000)
--tx / --rx: what this party sends / expects to receive: "rtp" (plain RTP/RTCP)
or "PROFILE:HEXKEY" (SRTP/SRTCP with that master key||salt, pylibsrtp).
Phase 1, A->B: A sends warm-ups (SSRC WARM_A, plain text payload) every 20 ms
until B flags one received (DIR/B.warm), then the data stream; phase 2, B->A
likewise. A data stream is COUNT packets made from --seed and the role: RTP
(SSRC DATA_A or DATA_B, sequence numbers wrapping, payloads 0..1200 bytes) with
an RTCP compound (SR or RR + SDES) every --rtcp-every packets; SRTCP where the
side speaks SRTP; --dtls N puts N DTLS handshake records (opaque) before them. Each side checks that it received every data packet of the
other, in order, equal to what the other made in clear.
Files (JSON lines, in the order sent / received):
  DIR/ROLE.sent.jsonl  {"kind": "warm"|"data", "rtcp": bool, "dtls": bool, "clear": hex, "wire": hex}
  DIR/ROLE.recv.jsonl  {"kind": "warm"|"data"|"other", "rtcp": bool, "dtls": bool, "raw": hex,
                        "clear": hex|null, "src": "ip:port"}
Every wait is bounded by --timeout. Verdicts on stdout as "check NAME: ok" or
"check NAME: FAIL detail"; exit status 0 when this side's checks passed.

usage: li_peer.py a|b DIR --tx SPEC --rx SPEC --seed S [--count N] [--box-port P]
                  [--rtcp-every K] [--dtls N] [--pps R] [--timeout T] [--name LABEL]
"""
import argparse
import json
import os
import random
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2ae"))
from srtp_common import PROFILES, receiver, rtcp_compound, rtp, sender  # noqa: E402
from pylibsrtp import Error as SrtpError  # noqa: E402

ROLES = {
    "a": {"me": ("198.18.0.2", 5000), "box": "198.18.0.1", "port": 20000,
          "warm": 0x0A11A000, "data": 0x0A11A001, "flag": "A"},
    "b": {"me": ("198.19.0.2", 6000), "box": "198.19.0.1", "port": 30000,
          "warm": 0x0B22B000, "data": 0x0B22B001, "flag": "B"},
}


def is_rtcp(b):
    return len(b) >= 2 and 192 <= b[1] <= 223


def ssrc_of(b):
    """SSRC of an RTP packet or of an RTCP packet's sender (clear in SRTP/SRTCP too)."""
    if is_rtcp(b):
        return int.from_bytes(b[4:8], "big") if len(b) >= 8 else None
    return int.from_bytes(b[8:12], "big") if len(b) >= 12 else None


def stream(seed, role, count, rtcp_every, dtls=0):
    """The deterministic data stream of one role: [(kind, bytes)], kind rtp|rtcp|dtls:
    first `dtls` DTLS 1.2 handshake records (opaque bodies), then COUNT RTP/RTCP."""
    rng = random.Random("%s/%s" % (seed, role))
    ssrc, seq0, out = ROLES[role]["data"], 65535 - 100, []
    for i in range(dtls):
        body = bytes(rng.getrandbits(8) for _ in range(rng.randint(20, 200)))
        out.append(("dtls", bytes([22, 0xFE, 0xFD, 0, 0]) + i.to_bytes(6, "big") + len(body).to_bytes(2, "big") + body))
    sizes = [0, 1200] + [rng.randint(0, 1200) for _ in range(count)]
    n = 0
    for i in range(count):
        if rtcp_every and i % rtcp_every == rtcp_every - 1:
            out.append(("rtcp", rtcp_compound(ssrc, rng, sr=rng.random() < 0.7)))
        else:
            payload = bytes(rng.getrandbits(8) for _ in range(sizes[i]))
            out.append(("rtp", rtp(ssrc, seq0 + n, 1000 + 960 * n, payload, marker=int(n == 0))))
            n += 1
    return out


def is_dtls(b):
    return len(b) >= 13 and 20 <= b[0] <= 63


def codec(spec, outbound):
    """(protect_rtp, protect_rtcp) or (unprotect_rtp, unprotect_rtcp) for a --tx/--rx spec."""
    if spec == "rtp":
        return (lambda b: b), (lambda b: b)
    profile, key = spec.split(":", 1)
    if profile not in PROFILES:
        raise SystemExit("li_peer: unknown SRTP profile %s" % profile)
    key = bytes.fromhex(key)
    s = sender(profile, key) if outbound else receiver(profile, key)
    if outbound:
        return s.protect, s.protect_rtcp
    return s.unprotect, s.unprotect_rtcp


def flag(d, name):
    with open(os.path.join(d, name + ".tmp"), "w") as f:
        f.write("1")
    os.rename(os.path.join(d, name + ".tmp"), os.path.join(d, name))


def flagged(d, name):
    return os.path.exists(os.path.join(d, name))


def verdict(name, ok, detail=""):
    print("check %s: %s" % (name, "ok" if ok else "FAIL " + detail))
    sys.stdout.flush()
    return ok


class Party:
    def __init__(self, args):
        self.a = args
        self.r = ROLES[args.role]
        self.other = "b" if args.role == "a" else "a"
        self.dir = args.dir
        self.sent, self.recv = [], []
        self.tx_rtp, self.tx_rtcp = codec(args.tx, True)
        self.rx_rtp, self.rx_rtcp = codec(args.rx, False)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        self.sock.bind(self.r["me"])
        self.dst = (self.r["box"], args.box_port or self.r["port"])
        self.deadline = time.monotonic() + args.timeout

    def send(self, kind, what, clear):
        """what: rtp | rtcp | dtls (sent as it is)."""
        wire = clear if what == "dtls" else (self.tx_rtcp if what == "rtcp" else self.tx_rtp)(clear)
        self.sock.sendto(wire, self.dst)
        self.sent.append({"kind": kind, "rtcp": what == "rtcp", "dtls": what == "dtls", "clear": clear.hex(),
                          "wire": wire.hex()})

    def send_phase(self, data):
        peer_flag = ROLES[self.other]["flag"] + ".warm"
        n = 0
        while not flagged(self.dir, peer_flag):
            if time.monotonic() > self.deadline or n >= 500:
                return "no warm-up packet reached the peer (%d sent)" % n
            self.send("warm", "rtp", rtp(self.r["warm"], n, 160 * n, b"warm-up %d from %s" % (n, self.a.role.encode())))
            n += 1
            time.sleep(0.02)
        gap = 1.0 / self.a.pps if self.a.pps else 0
        for i, (what, p) in enumerate(data):
            self.send("data", what, p)
            if gap:
                time.sleep(gap)
            elif i % 10 == 9:
                time.sleep(0.002)   # ~5k packets/s: nothing for a veth to lose
        return None

    def recv_phase(self, want):
        """Receives until every data packet of the other side came (or the deadline)."""
        warm_ssrc, data_ssrc = ROLES[self.other]["warm"], ROLES[self.other]["data"]
        got, problems, told = [], [], False
        while len(got) < len(want) and time.monotonic() < self.deadline:
            self.sock.settimeout(max(0.05, min(0.5, self.deadline - time.monotonic())))
            try:
                b, src = self.sock.recvfrom(4096)
            except socket.timeout:
                continue
            c, ssrc, d = is_rtcp(b), ssrc_of(b), is_dtls(b)
            kind = "data" if d else "warm" if ssrc == warm_ssrc else "data" if ssrc == data_ssrc else "other"
            rec = {"kind": kind, "rtcp": c, "dtls": d, "raw": b.hex(), "clear": None, "src": "%s:%d" % src}
            self.recv.append(rec)
            try:
                clear = b if d else (self.rx_rtcp if c else self.rx_rtp)(b)
            except SrtpError as e:
                problems.append("%s packet from %s does not unprotect: %s" % (kind, src, e))
                continue
            rec["clear"] = clear.hex()
            if kind == "warm" and not told:
                flag(self.dir, self.r["flag"] + ".warm")
                told = True
            elif kind == "data":
                got.append(clear)
            elif kind == "other":
                problems.append("unexpected packet from %s: %s" % (src, b[:16].hex()))
        return got, problems

    def compare(self, name, got, want, problems):
        want = [p for _, p in want]
        if problems:
            return verdict(name, False, "; ".join(problems[:3]))
        if got == want:
            return verdict(name, True)
        detail = "%d of %d data packets received" % (len(got), len(want))
        if sorted(got) == sorted(want):
            detail = "all received, out of order"
        else:
            for i, (x, y) in enumerate(zip(got, want)):
                if x != y:
                    detail += "; first difference at %d: %s vs %s" % (i, x[:20].hex(), y[:20].hex())
                    break
        return verdict(name, False, detail)

    def save(self):
        for what, recs in (("sent", self.sent), ("recv", self.recv)):
            path = os.path.join(self.dir, "%s.%s.jsonl" % (self.a.role, what))
            with open(path + ".tmp", "w") as f:
                for r in recs:
                    f.write(json.dumps(r) + "\n")
            os.rename(path + ".tmp", path)

    def run(self):
        a = self.a
        mine = stream(a.seed, a.role, a.count, a.rtcp_every, a.dtls)
        theirs = stream(a.seed, self.other, a.count, a.rtcp_every, a.dtls)
        label = (a.name + ": ") if a.name else ""
        me, other = a.role.upper(), self.other.upper()
        flag(self.dir, self.r["flag"] + ".up")
        ok = True
        try:
            if a.role == "a":
                err = self.send_phase(mine)
                ok &= verdict("%sA->B sent (%s to %s:%d)" % (label, a.tx.split(":")[0], *self.dst), err is None, err or "")
                got, problems = self.recv_phase(theirs)
            else:
                got, problems = self.recv_phase(theirs)
            ok &= self.compare("%s%s->%s: %d data packets (%d RTCP, %d DTLS) received, clear = what %s made"
                               % (label, other, me, len(theirs), sum(k == "rtcp" for k, _ in theirs),
                                  sum(k == "dtls" for k, _ in theirs), other),
                               got, theirs, problems)
            if a.role == "b":
                err = self.send_phase(mine)
                ok &= verdict("%sB->A sent (%s to %s:%d)" % (label, a.tx.split(":")[0], *self.dst),
                              err is None, err or "")
        finally:
            self.save()
            self.sock.close()
        return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("role", choices=("a", "b"))
    ap.add_argument("dir")
    ap.add_argument("--tx", default="rtp")
    ap.add_argument("--rx", default="rtp")
    ap.add_argument("--seed", required=True)
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--box-port", type=int, default=0)
    ap.add_argument("--rtcp-every", type=int, default=10)
    ap.add_argument("--dtls", type=int, default=0, help="DTLS records before the media (e2e sessions)")
    ap.add_argument("--pps", type=float, default=0, help="data packets a second (0: about 5000)")
    ap.add_argument("--timeout", type=float, default=20)
    ap.add_argument("--name", default="")
    return Party(ap.parse_args()).run()


if __name__ == "__main__":
    sys.exit(main())
