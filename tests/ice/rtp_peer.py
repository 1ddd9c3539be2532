#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
The IMS side of the e2ae calls: a plain RTP endpoint on one UDP socket, run
inside a network namespace (ip netns exec). Records every datagram that
arrives (wall-clock time, source, RTP or RTCP, SSRC, payload type, sequence
number) and sends opus RTP on request. peer_link commands:
  send dst=IP:PORT pt=N ssrc=N count=N rate=PPS  -> {}: starts sending (a thread);
                         a later send of the same SSRC goes on where the last one ended
  report [t0=T t1=T]  -> {"report"}: per SSRC packets, payload types, loss by
                         sequence number (within [t0, t1] wall-clock when given),
                         RTCP and non-RTP counts, sources, packets sent so far
usage: rtp_peer.py BIND_IP PORT
"""
import os
import socket
import struct
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer_link import serve  # noqa: E402

OPUS_SILENCE = b"\xf8\xff\xfe"   # one 20 ms CELT frame of silence (RFC 6716 TOC 0xf8)


class RtpPeer:
    def __init__(self, ip, port):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
        self.sock.bind((ip, port))
        self.got = []        # (time, src, kind, ssrc, pt, seq)
        self.sent = 0
        self.next = {}       # ssrc -> (seq, timestamp) of its next packet: a stream goes on
        self.lock = threading.Lock()
        threading.Thread(target=self.recv_loop, daemon=True).start()

    def recv_loop(self):
        while True:
            data, src = self.sock.recvfrom(2048)
            now = time.time()
            # RTCP by its second byte (RFC 5761 4): a receiver report without
            # blocks is 8 bytes, shorter than any RTP packet.
            if len(data) >= 8 and data[0] >> 6 == 2 and 192 <= data[1] <= 223:
                kind, pt, seq = "rtcp", data[1], 0
                ssrc = struct.unpack_from("!I", data, 4)[0]
            elif len(data) >= 12 and data[0] >> 6 == 2:
                pt = data[1] & 0x7f
                kind = "rtp"
                seq, _, ssrc = struct.unpack_from("!HII", data, 2)
            else:
                kind, ssrc, pt, seq = "other", 0, 0, 0
            with self.lock:
                self.got.append((now, "%s:%d" % src, kind, ssrc, pt, seq))

    def send(self, dst, pt, ssrc, count, rate):
        ip, port = dst.rsplit(":", 1)
        threading.Thread(target=self.send_loop, args=((ip, int(port)), pt, ssrc, count, rate),
                         daemon=True).start()
        return {}

    def send_loop(self, dst, pt, ssrc, count, rate):
        t0 = time.monotonic()
        seq, ts = self.next.get(ssrc, (1000, 0))
        for i in range(count):
            hdr = struct.pack("!BBHII", 0x80, pt | (0x80 if i == 0 else 0), seq & 0xffff,
                              ts & 0xffffffff, ssrc)
            self.sock.sendto(hdr + OPUS_SILENCE, dst)
            self.sent += 1
            seq, ts = seq + 1, ts + 960
            self.next[ssrc] = (seq, ts)
            delay = t0 + (i + 1) / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)

    def report(self, t0=0.0, t1=1e12):
        with self.lock:
            got = list(self.got)
        streams, rtcp, other, sources = {}, 0, 0, {}
        for t, src, kind, ssrc, pt, seq in got:
            sources[src] = sources.get(src, 0) + 1
            if kind == "rtcp":
                rtcp += 1
            elif kind == "other":
                other += 1
            else:
                s = streams.setdefault(str(ssrc), {"packets": 0, "pts": [], "seqs": []})
                s["packets"] += 1
                if pt not in s["pts"]:
                    s["pts"].append(pt)
                if t0 <= t <= t1:
                    s["seqs"].append(seq)
        for s in streams.values():
            s.update(loss_of(s.pop("seqs")))
        return {"report": {"streams": streams, "rtcp": rtcp, "other": other,
                           "sources": sources, "sent": self.sent,
                           "first": got[0][0] if got else None}}


def loss_of(seqs):
    """Expected (by unwrapped sequence number), lost and duplicated packets."""
    if not seqs:
        return {"window": 0, "expected": 0, "lost": 0, "dups": 0}
    ext, last, base = [], seqs[0], 0
    for q in seqs:
        d = (q - last) & 0xffff
        if d < 0x8000 and q < last:
            base += 0x10000     # wrapped forward
        elif d >= 0x8000 and q > last:
            base -= 0x10000     # an old one from before the wrap
        ext.append(base + q)
        last = q
    uniq = len(set(ext))
    expected = max(ext) - min(ext) + 1
    return {"window": len(seqs), "expected": expected, "lost": expected - uniq,
            "dups": len(seqs) - uniq}


def main():
    peer = RtpPeer(sys.argv[1], int(sys.argv[2]))
    serve({"send": peer.send, "report": peer.report})


if __name__ == "__main__":
    main()
