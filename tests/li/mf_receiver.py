#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
A mediation function (MF) for the LI tests: a TCP or mutual-TLS server that
takes ETSI TS 103 221-2 X2/X3 PDUs from srtpfwd and writes one JSON line per
thing it saw to --out:
  {"event": "listening", ...}                     once
  {"event": "accepted", "conn": N, "peer": ...}   per connection (TCP accept)
  {"event": "tls-ok", "conn": N, "peer_cn": ..., "issuer_cn": ..., "version": ...}
  {"event": "tls-failed", "conn": N, "error": ...} handshake refused (bad client cert...)
  {"event": "garbage-sent", "conn": N, "bytes": 64}
  {"event": "closed", "conn": N, "reason": ..., "pdus": K}
  {"conn": N, "type": T, "version": 5, "hl": .., "pl": .., "format": .., "dir": .., "xid": "uuid",
   "cid": .., "attrs": [8, 9, ...], "seq": .., "ts_s": .., "ts_ns": .., "src": "a.b.c.d", "dst": ..,
   "sport": .., "dport": .., "proto": 17, "payload": "hex", "rx": unix time received}
       one per PDU; an X2 key PDU (SKEY payload) adds "profile", "ssrc", "key", "salt" (hex)
  {"malformed": "what", "conn": N, ...}          every violation of the contract it saw
  {"event": "summary", ...}                       at exit
  (events and violations carry "t", the Unix time they happened)
The header is checked strictly: version 5, header length >= 40 and exactly
40 + the attributes, known PDU types, TLV lengths consistent, X2/X3 attributes
8, 9, 10|12, 11|13, 14, 15, 16 in that order with their fixed lengths, keepalives
header-only with everything zero, X2 payloads as "SKEY" v1. A PDU whose framing
is still plausible is skipped after a violation; otherwise the connection is closed.

It answers every keepalive (type 3) with an ack (type 4) at once. --keepalive S:
it also sends keepalives every S seconds and counts the box's acks.
--mode garbage: after the handshake, 64 random bytes once per connection.
--mode close-after=N: closes each connection after N X2/X3 PDUs.
--mode stall: after the handshake, reads nothing (the box's queue to it fills).
Bounded: exits after --duration seconds (or on SIGTERM/SIGINT), writing the summary.

usage: mf_receiver.py --listen ADDR:PORT [--tls CA,CERT,KEY] --out FILE [--ready FILE]
                      [--mode normal|garbage|close-after=N|stall] [--keepalive S] [--duration S]
"""
import argparse
import ipaddress
import json
import os
import signal
import socket
import ssl
import struct
import sys
import threading
import time
import uuid

HDR = struct.Struct("!HHIIHH16sQ")
assert HDR.size == 40
VERSION = 5
T_X2, T_X3, T_KA, T_KA_ACK = 1, 2, 3, 4
TYPES = {T_X2: "X2", T_X3: "X3", T_KA: "keepalive", T_KA_ACK: "keepalive-ack"}
# payload formats of TS 103 221-2 this contract uses: 4 proprietary (SKEY, DTLS), 8 RTP
FORMATS = {T_X2: (4,), T_X3: (4, 8)}
DIRS = (2, 3)
# attribute type -> (name, fixed length)
ATTRS = {8: ("seq", 4), 9: ("ts", 8), 10: ("src", 4), 11: ("dst", 4), 12: ("src", 16),
         13: ("dst", 16), 14: ("sport", 2), 15: ("dport", 2), 16: ("proto", 1)}
# the order the contract prescribes: one of each slot
ORDER = ((8,), (9,), (10, 12), (11, 13), (14,), (15,), (16,))
# IANA DTLS-SRTP profile -> (name, master key length, master salt length)
SRTP_PROFILES = {1: ("AES_CM_128_HMAC_SHA1_80", 16, 14), 2: ("AES_CM_128_HMAC_SHA1_32", 16, 14),
                 5: ("NULL_HMAC_SHA1_80", 16, 14), 7: ("AEAD_AES_128_GCM", 16, 12),
                 8: ("AEAD_AES_256_GCM", 32, 12)}
MAX_LEN = 1 << 16


def keepalive(ptype):
    return HDR.pack(VERSION, ptype, 40, 0, 0, 0, bytes(16), 0)


class Out:
    """The JSON-lines log, one writer at a time, flushed per line."""

    def __init__(self, path):
        self.f = open(path, "a", buffering=1)
        self.lock = threading.Lock()

    def write(self, rec):
        if "event" in rec or "malformed" in rec:
            rec.setdefault("t", time.time())
        line = json.dumps(rec, sort_keys=True)
        with self.lock:
            self.f.write(line + "\n")
            self.f.flush()


def parse_attrs(buf, rec):
    """TLVs of buf into rec; returns a list of problems (empty: fine)."""
    problems, types, off = [], [], 0
    while off < len(buf):
        if len(buf) - off < 4:
            problems.append("attribute TLV truncated (%d bytes left)" % (len(buf) - off))
            break
        atype, alen = struct.unpack_from("!HH", buf, off)
        off += 4
        if alen > len(buf) - off:
            problems.append("attribute %d length %d past the header (%d left)" % (atype, alen, len(buf) - off))
            break
        val = buf[off:off + alen]
        off += alen
        types.append(atype)
        if atype not in ATTRS:
            problems.append("unexpected attribute type %d" % atype)
            continue
        name, want = ATTRS[atype]
        if alen != want:
            problems.append("attribute %d (%s) length %d, expected %d" % (atype, name, alen, want))
            continue
        if name == "seq":
            rec["seq"] = struct.unpack("!I", val)[0]
        elif name == "ts":
            rec["ts_s"], rec["ts_ns"] = struct.unpack("!II", val)
            if rec["ts_ns"] >= 1000000000:
                problems.append("timestamp nanoseconds %d >= 1e9" % rec["ts_ns"])
        elif name in ("src", "dst"):
            rec[name] = str(ipaddress.ip_address(val))
        elif name in ("sport", "dport"):
            rec[name] = struct.unpack("!H", val)[0]
        else:
            rec["proto"] = val[0]
    rec["attrs"] = types
    return problems


def check_order(types):
    if len(types) != len(ORDER) or any(t not in slot for t, slot in zip(types, ORDER)):
        return "attributes %s, expected 8,9,10|12,11|13,14,15,16 in this order" % types
    if (types[2] == 10) != (types[3] == 11):
        return "source and destination of different address families: %s" % types
    return None


def parse_skey(pl, rec):
    if len(pl) < 14 or pl[:4] != b"SKEY":
        return "X2 payload is not SKEY: %s" % pl[:16].hex()
    ver, res, prof, ssrc, klen, slen = struct.unpack_from("!BBHIBB", pl, 4)
    rec.update(skey_version=ver, profile=prof, ssrc=ssrc, key=pl[14:14 + klen].hex(),
               salt=pl[14 + klen:14 + klen + slen].hex())
    if ver != 1 or res != 0:
        return "SKEY version %d reserved %d, expected 1 and 0" % (ver, res)
    if len(pl) != 14 + klen + slen:
        return "SKEY length %d, key %d + salt %d + 14" % (len(pl), klen, slen)
    if prof not in SRTP_PROFILES:
        return "SKEY unknown SRTP protection profile 0x%04x" % prof
    _, k, s = SRTP_PROFILES[prof]
    if (klen, slen) != (k, s):
        return "SKEY profile 0x%04x with key %d salt %d, expected %d and %d" % (prof, klen, slen, k, s)
    return None


class Conn(threading.Thread):
    def __init__(self, mf, sock, n, peer):
        super().__init__(daemon=True)
        self.mf, self.sock, self.n, self.peer = mf, sock, n, peer
        self.pdus = 0       # well-formed X2/X3
        self.closed = False

    def send(self, data):
        self.sock.sendall(data)     # only this connection's thread sends (TLS objects are not shared)

    def malformed(self, what, **kw):
        self.mf.count("violations")
        rec = {"malformed": what, "conn": self.n}
        rec.update(kw)
        self.mf.out.write(rec)

    def run(self):
        reason = "peer closed"
        try:
            if self.mf.tls is not None:
                self.sock.settimeout(5)
                try:
                    self.sock = self.mf.tls.wrap_socket(self.sock, server_side=True)
                except (ssl.SSLError, OSError) as e:
                    self.mf.count("tls_failed")
                    self.mf.out.write({"event": "tls-failed", "conn": self.n, "error": str(e)})
                    reason = "handshake failed"
                    return
                cert = self.sock.getpeercert() or {}
                cn = [v for rdn in cert.get("subject", ()) for k, v in rdn if k == "commonName"]
                icn = [v for rdn in cert.get("issuer", ()) for k, v in rdn if k == "commonName"]
                self.mf.out.write({"event": "tls-ok", "conn": self.n, "version": self.sock.version(),
                                   "cipher": self.sock.cipher()[0], "peer_cn": cn[0] if cn else None,
                                   "issuer_cn": icn[0] if icn else None})
            self.sock.settimeout(0.2)
            if self.mf.mode == "garbage":
                junk = b"\xff" + os.urandom(63)     # never a version-5 header
                self.send(junk)
                self.mf.out.write({"event": "garbage-sent", "conn": self.n, "bytes": len(junk)})
            reason = self.loop()
        except (OSError, ssl.SSLError) as e:
            reason = "error: %s" % e
        finally:
            self.closed = True
            try:
                self.sock.close()
            except OSError:
                pass
            self.mf.out.write({"event": "closed", "conn": self.n, "reason": reason, "pdus": self.pdus})

    def loop(self):
        if self.mf.mode == "stall":
            self.mf.out.write({"event": "stalled", "conn": self.n})
            while not self.mf.stop.wait(0.2):
                pass
            return "stalled"
        buf, off = b"", 0     # off: stream offset of buf[0]
        period = self.mf.args.keepalive
        next_ka = time.monotonic() + period
        while not self.mf.stop.is_set():
            if period > 0 and time.monotonic() >= next_ka:
                self.send(keepalive(T_KA))
                self.mf.count("keepalives_tx")
                next_ka += period
            try:
                data = self.sock.recv(65536)
            except (socket.timeout, ssl.SSLWantReadError):
                continue
            if not data:
                if buf:
                    self.malformed("connection closed inside a PDU (%d bytes pending)" % len(buf), offset=off)
                return "peer closed"
            buf += data
            while len(buf) >= 40:
                ver, ptype, hl, pl, fmt, pdir, xid, cid = HDR.unpack_from(buf)
                if hl < 40 or hl > MAX_LEN or pl > MAX_LEN:
                    self.malformed("framing lost: version %d type %d header length %d payload length %d"
                                   % (ver, ptype, hl, pl), offset=off, head=buf[:40].hex())
                    return "malformed framing"
                if len(buf) < hl + pl:
                    break
                pdu, buf = buf[:hl + pl], buf[hl + pl:]
                self.pdu(pdu, off)
                off += len(pdu)
                if self.mf.close_after and self.pdus >= self.mf.close_after:
                    return "close-after %d" % self.mf.close_after
        return "stopped"

    def pdu(self, pdu, off):
        ver, ptype, hl, pl, fmt, pdir, xid, cid = HDR.unpack_from(pdu)
        rec = {"conn": self.n, "type": ptype, "version": ver, "hl": hl, "pl": pl, "format": fmt,
               "dir": pdir, "xid": str(uuid.UUID(bytes=xid)), "cid": cid, "rx": time.time()}
        problems = []
        if ver != VERSION:
            problems.append("version %d, expected %d" % (ver, VERSION))
        if ptype not in TYPES:
            problems.append("unknown PDU type %d" % ptype)
        problems += parse_attrs(pdu[40:hl], rec)
        payload = pdu[hl:]
        if ptype in (T_KA, T_KA_ACK):
            if hl != 40 or pl != 0 or fmt != 0 or pdir != 0 or any(xid) or cid != 0:
                problems.append("%s not header-only with zero fields: hl %d pl %d format %d dir %d xid %s cid %d"
                                % (TYPES[ptype], hl, pl, fmt, pdir, xid.hex(), cid))
        elif ptype in (T_X2, T_X3):
            rec["payload"] = payload.hex()
            p = check_order(rec["attrs"])
            if p:
                problems.append(p)
            if fmt not in FORMATS[ptype]:
                problems.append("%s payload format %d" % (TYPES[ptype], fmt))
            if pdir not in DIRS:
                problems.append("payload direction %d" % pdir)
            if not any(xid):
                problems.append("XID all zero")
            if cid == 0:
                problems.append("correlation id 0")
            if rec.get("proto", 17) != 17:
                problems.append("IP protocol %d" % rec["proto"])
            if ptype == T_X2:
                p = parse_skey(payload, rec)
                if p:
                    problems.append(p)
            elif fmt == 8 and (len(payload) < 4 or payload[0] >> 6 != 2):
                problems.append("X3 RTP payload not RTP/RTCP version 2: %s" % payload[:8].hex())
            elif fmt == 4 and (len(payload) < 13 or not 20 <= payload[0] <= 63):
                problems.append("X3 proprietary payload is not a DTLS record: %s" % payload[:8].hex())
        for p in problems:
            self.malformed(p, offset=off, type=ptype, seq=rec.get("seq"), xid=rec["xid"])
        if problems:
            return
        self.mf.out.write(rec)
        if ptype == T_KA:
            self.mf.count("keepalives_rx")
            self.send(keepalive(T_KA_ACK))
        elif ptype == T_KA_ACK:
            self.mf.count("acks_rx")
        else:
            self.pdus += 1
            self.mf.count("pdus")


class MF:
    def __init__(self, args):
        self.args = args
        self.out = Out(args.out)
        self.stop = threading.Event()
        self.counts = {"connections": 0, "pdus": 0, "violations": 0, "tls_failed": 0,
                       "keepalives_rx": 0, "acks_rx": 0, "keepalives_tx": 0}
        self.lock = threading.Lock()
        self.conns = []
        self.mode, self.close_after = args.mode, 0
        if args.mode.startswith("close-after="):
            self.close_after = int(args.mode.split("=", 1)[1])
            self.mode = "close-after"
        elif args.mode not in ("normal", "garbage", "stall"):
            raise SystemExit("mf_receiver: unknown --mode %s" % args.mode)
        self.tls = None
        if args.tls:
            ca, cert, key = args.tls.split(",")
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.minimum_version = ssl.TLSVersion.TLSv1_2
            ctx.load_cert_chain(cert, key)
            ctx.load_verify_locations(cafile=ca)
            ctx.verify_mode = ssl.CERT_REQUIRED
            self.tls = ctx

    def count(self, what, n=1):
        with self.lock:
            self.counts[what] += n

    def serve(self):
        host, port = self.args.listen.rsplit(":", 1)
        ls = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind((host.strip("[]"), int(port)))
        ls.listen(8)
        ls.settimeout(0.2)
        self.out.write({"event": "listening", "listen": self.args.listen, "tls": self.tls is not None,
                        "mode": self.args.mode, "pid": os.getpid()})
        if self.args.ready:
            with open(self.args.ready + ".tmp", "w") as f:
                f.write("%d\n" % os.getpid())
            os.rename(self.args.ready + ".tmp", self.args.ready)
        deadline = time.monotonic() + self.args.duration
        while not self.stop.is_set() and time.monotonic() < deadline:
            try:
                s, peer = ls.accept()
            except socket.timeout:
                continue
            self.count("connections")
            n = self.counts["connections"]
            self.out.write({"event": "accepted", "conn": n, "peer": "%s:%d" % peer[:2]})
            c = Conn(self, s, n, peer)
            self.conns.append(c)
            c.start()
        self.stop.set()
        ls.close()
        for c in self.conns:
            c.join(2)
        with self.lock:
            rec = dict(self.counts)
        rec["event"] = "summary"
        self.out.write(rec)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--listen", required=True, help="ADDR:PORT")
    ap.add_argument("--tls", help="CA,CERT,KEY (mutual TLS; else plain TCP)")
    ap.add_argument("--out", required=True, help="JSON lines file")
    ap.add_argument("--ready", help="file written once listening")
    ap.add_argument("--mode", default="normal", help="normal | garbage | close-after=N | stall")
    ap.add_argument("--keepalive", type=float, default=0, help="send a keepalive every S seconds (0: never)")
    ap.add_argument("--duration", type=float, default=60, help="exit after S seconds")
    args = ap.parse_args()
    mf = MF(args)
    signal.signal(signal.SIGTERM, lambda *_: mf.stop.set())
    signal.signal(signal.SIGINT, lambda *_: mf.stop.set())
    mf.serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
