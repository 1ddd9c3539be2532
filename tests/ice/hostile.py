#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
Hostile traffic against one media port of the box, from spoofed sources, run
inside a test host's namespace on its veth (AF_PACKET, so any source address
and MAC): every kind of packet an internet attacker can send an ICE-lite
endpoint, each kind from its own set of sources, at RATE packets/s per kind
for DURATION s. A sniffer on the same veth counts what the box sends back to
each spoofed source (IP bytes; ARP: 28 a message) and plays the victims: it
answers the box's ARP and ND lookups for them (as live hosts would), counting
each lookup. It also watches the genuine stream (--watch SRC:PORT) so the
SRTP kind can use its SSRC and its next sequence numbers.

Kinds (UDP to the port unless said otherwise):
  stun_no_mi        Binding request, the right USERNAME, USE-CANDIDATE, no MESSAGE-INTEGRITY
  stun_wrong_mi     the same with MESSAGE-INTEGRITY under a wrong password
  stun_wrong_ufrag  USERNAME of another agent, MESSAGE-INTEGRITY, USE-CANDIDATE
  stun_bad_fp       the right USERNAME, a wrong password and a FINGERPRINT that fails
  dtls_record       DTLS 1.2 record headers (types 20-23) with random bodies
  dtls_hello        well-formed DTLS 1.2 ClientHellos (use_srtp)
  srtp              SRTP with the genuine stream's SSRC and next sequence numbers, bad tag
  rtp_jump          plain RTP with the given SSRC and a sequence number 30000 ahead
  garbage           first byte in no RFC 7983 range (and lone bytes)
  icmp6_echo        ICMPv6 echo requests to the box's IPv6 address
  icmp6_ns          neighbour solicitations for the box's IPv6 address
  arp               ARP requests for the box's IPv4 address

Writes a JSON result (--out): per kind and per source packets and bytes sent,
packets and bytes back, lookups; the send rate reached.
"""
import argparse
import ipaddress
import json
import os
import random
import socket
import struct
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hostile_frames as hf  # noqa: E402

V6_KINDS = ("icmp6_echo", "icmp6_ns")
ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4


class Source:
    def __init__(self, kind, ip, mac, sport):
        self.kind, self.ip, self.mac, self.sport = kind, ip, mac, sport
        self.sent_pkts = self.sent_bytes = self.back_pkts = self.back_bytes = self.lookups = 0

    def result(self):
        return {k: getattr(self, k) for k in ("kind", "sent_pkts", "sent_bytes", "back_pkts",
                                                "back_bytes", "lookups")}


def source_mac(ip):
    b = ipaddress.ip_address(ip).packed[-4:]
    return "02:5e:" + ":".join("%02x" % x for x in b)


def make_sources(a, kinds):
    """Per kind: N on-link sources and (IPv4 UDP kinds) one off-link one."""
    srcs, n = {}, a.sources
    v4, v6, off = (ipaddress.ip_address(x) for x in (a.src4, a.src6, a.offlink4))
    for k, kind in enumerate(kinds):
        if kind in V6_KINDS:
            ips = [v6 + k * n + j for j in range(n)]
        else:
            ips = [v4 + k * n + j for j in range(n)]
            if kind != "arp":
                ips.append(off + k)
        srcs[kind] = [Source(kind, str(ip), source_mac(ip), 40000 + j) for j, ip in enumerate(ips)]
    return srcs


class Watch:
    """The genuine stream's last header, learned from its packets on the veth."""

    def __init__(self, spec, ssrc):
        self.ip, self.port = (spec.rsplit(":", 1)[0], int(spec.rsplit(":", 1)[1])) if spec \
            else (None, 0)
        self.ssrc, self.seq, self.ts, self.seen = ssrc, random.getrandbits(16), 0, 0

    def look(self, frame):
        if self.ip is None or len(frame) < 54 or frame[12:14] != b"\x08\x00" or frame[23] != 17:
            return
        if socket.inet_ntoa(frame[26:30]) != self.ip or struct.unpack_from("!H", frame, 34)[0] != self.port:
            return
        rtp = frame[42:]
        if len(rtp) >= 12 and rtp[0] >> 6 == 2 and not 72 <= (rtp[1] & 0x7f) <= 79:
            self.seq, self.ts, ssrc = struct.unpack_from("!HII", rtp, 2)
            self.ssrc = self.ssrc or ssrc
            self.seen += 1


class Hostile:
    def __init__(self, a):
        self.a = a
        self.kinds = a.kinds.split(",")
        self.srcs = make_sources(a, self.kinds)
        self.by_ip = {s.ip: s for ss in self.srcs.values() for s in ss}
        self.watch = Watch(a.watch, a.ssrc)
        self.tx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
        self.tx.bind((a.iface, 0))
        self.rx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        self.rx.bind((a.iface, 0))
        self.rx.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
        self.rx.settimeout(0.2)
        self.my_mac = open("/sys/class/net/%s/address" % a.iface).read().strip()
        self.stop = False
        self.box_mac = hf.mac_bytes(a.box_mac)

    # ---- what one packet of each kind is ----

    def payload(self, kind):
        a = self.a
        if kind == "stun_no_mi":
            return hf.stun_binding("%s:%s" % (a.ufrag, a.remote_ufrag))
        if kind == "stun_wrong_mi":
            return hf.stun_binding("%s:%s" % (a.ufrag, a.remote_ufrag), os.urandom(16))
        if kind == "stun_wrong_ufrag":
            return hf.stun_binding("x%s:%s" % (a.ufrag[1:], a.remote_ufrag), os.urandom(16))
        if kind == "stun_bad_fp":
            m = bytearray(hf.stun_binding("%s:%s" % (a.ufrag, a.remote_ufrag), os.urandom(16)))
            m[-1] ^= 0x5A
            return bytes(m)
        if kind == "dtls_record":
            return hf.dtls_random_record()
        if kind == "dtls_hello":
            return hf.dtls_client_hello()
        if kind == "srtp":
            w = self.watch
            return hf.srtp_like(a.pt, w.seq + random.randint(1, 3), w.ts + 960, w.ssrc or 0x5EED)
        if kind == "rtp_jump":
            return hf.rtp(a.pt, self.watch.seq + 30000, self.watch.ts + 960 * 30000, a.ssrc,
                          b"HOSTILE" + os.urandom(20))
        if kind == "garbage":
            return hf.garbage()
        raise ValueError("unknown kind " + kind)

    def frame(self, s):
        a = self.a
        if s.kind == "arp":
            body = hf.arp(1, s.mac, s.ip, "00:00:00:00:00:00", a.box_ip)
            return hf.eth("ff:ff:ff:ff:ff:ff" if random.random() < 0.5 else a.box_mac, s.mac,
                          hf.ETH_ARP, body), len(body)
        if s.kind == "icmp6_echo":
            ip = hf.ipv6_icmp6(s.ip, a.box_ip6, hf.icmp6_echo())
            return hf.eth(a.box_mac, s.mac, hf.ETH_IPV6, ip), len(ip)
        if s.kind == "icmp6_ns":
            dst = hf.solicited_node(a.box_ip6) if random.random() < 0.5 else a.box_ip6
            ip = hf.ipv6_icmp6(s.ip, dst, hf.icmp6_ns(a.box_ip6, s.mac), hop_limit=255)
            return hf.eth(a.box_mac, s.mac, hf.ETH_IPV6, ip), len(ip)
        ip = hf.ipv4_udp(s.ip, a.box_ip, s.sport, a.port, self.payload(s.kind))
        return hf.eth(a.box_mac, s.mac, hf.ETH_IPV4, ip), len(ip)

    # ---- sending ----

    def send_all(self):
        a, kinds = self.a, self.kinds
        interval = 1.0 / (a.rate * len(kinds))
        t0 = time.monotonic()
        i = 0
        while True:
            now = time.monotonic()
            if now - t0 >= a.duration:
                break
            due = t0 + i * interval
            if due > now:
                time.sleep(due - now)
            kind = kinds[i % len(kinds)]
            ss = self.srcs[kind]
            s = ss[(i // len(kinds)) % len(ss)]
            f, n = self.frame(s)
            try:
                self.tx.send(f)
                s.sent_pkts += 1
                s.sent_bytes += n
            except OSError:
                pass
            i += 1
        return time.monotonic() - t0

    # ---- sniffing, and playing the victims ----

    def sniff(self):
        while not self.stop:
            try:
                f, addr = self.rx.recvfrom(4096)
            except socket.timeout:
                continue
            if addr[2] == PACKET_OUTGOING:
                self.watch.look(f)
                continue
            if f[6:12] != self.box_mac or len(f) < 14:
                continue
            self.account(f)

    def account(self, f):
        et = struct.unpack_from("!H", f, 12)[0]
        if et == hf.ETH_IPV4 and len(f) >= 34:
            s = self.by_ip.get(socket.inet_ntoa(f[30:34]))
            if s is not None:
                s.back_pkts += 1
                s.back_bytes += struct.unpack_from("!H", f, 16)[0]
        elif et == hf.ETH_IPV6 and len(f) >= 54:
            plen, nh = struct.unpack_from("!HB", f, 18)
            dst = str(ipaddress.IPv6Address(f[38:54]))
            if nh == 58 and f[54] == 135 and len(f) >= 78:     # the box asks who has a source
                target = str(ipaddress.IPv6Address(f[62:78]))
                s = self.by_ip.get(target)
                if s is not None:
                    s.lookups += 1
                    na = hf.ipv6_icmp6(target, str(ipaddress.IPv6Address(f[22:38])),
                                       hf.icmp6_na(target, s.mac), hop_limit=255)
                    self.tx.send(hf.eth(self.a.box_mac, s.mac, hf.ETH_IPV6, na))
            s = self.by_ip.get(dst)
            if s is not None:
                s.back_pkts += 1
                s.back_bytes += 40 + plen
        elif et == hf.ETH_ARP and len(f) >= 42:
            op = struct.unpack_from("!H", f, 20)[0]
            tpa = socket.inet_ntoa(f[38:42])
            s = self.by_ip.get(tpa)
            if s is None:
                return
            if op == 1:
                s.lookups += 1
                spa = socket.inet_ntoa(f[28:32])
                body = hf.arp(2, s.mac, s.ip, self.a.box_mac, spa)
                self.tx.send(hf.eth(self.a.box_mac, s.mac, hf.ETH_ARP, body))
            else:
                s.back_pkts += 1
                s.back_bytes += 28

    def run(self):
        t = threading.Thread(target=self.sniff, daemon=True)
        t.start()
        elapsed = self.send_all()
        time.sleep(self.a.linger)    # late answers still count
        self.stop = True
        t.join(2)
        kinds = {}
        for kind, ss in self.srcs.items():
            k = kinds[kind] = {"sources": len(ss)}
            for f in ("sent_pkts", "sent_bytes", "back_pkts", "back_bytes", "lookups"):
                k[f] = sum(getattr(s, f) for s in ss)
            k["pps"] = round(k["sent_pkts"] / elapsed, 1)
        return {"elapsed": elapsed, "kinds": kinds, "watch_seen": self.watch.seen,
                "ssrc": self.watch.ssrc, "sources": {s.ip: s.result() for s in self.by_ip.values()}}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--iface", required=True)
    p.add_argument("--box-mac", required=True)
    p.add_argument("--box-ip", required=True)
    p.add_argument("--box-ip6", default="2001:2::1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--kinds", required=True)
    p.add_argument("--rate", type=float, default=100.0, help="packets/s per kind")
    p.add_argument("--duration", type=float, default=10.0)
    p.add_argument("--linger", type=float, default=1.0)
    p.add_argument("--sources", type=int, default=8, help="on-link sources per kind")
    p.add_argument("--src4", default="198.18.0.16")
    p.add_argument("--offlink4", default="198.18.1.16")
    p.add_argument("--src6", default="2001:2::1:0")
    p.add_argument("--ufrag", default="boxufrag")
    p.add_argument("--remote-ufrag", default="peer")
    p.add_argument("--pt", type=int, default=111)
    p.add_argument("--ssrc", type=int, default=0)
    p.add_argument("--watch", default="", help="SRC_IP:PORT of the genuine stream")
    p.add_argument("--out", required=True)
    a = p.parse_args()
    res = Hostile(a).run()
    with open(a.out + ".tmp", "w") as f:
        json.dump(res, f)
    os.rename(a.out + ".tmp", a.out)
    for kind, k in res["kinds"].items():
        print("hostile: %-16s %6d pkts %8d B sent (%6.1f pps), %5d pkts %7d B back, %d lookups"
              % (kind, k["sent_pkts"], k["sent_bytes"], k["pps"], k["back_pkts"], k["back_bytes"],
                 k["lookups"]))


if __name__ == "__main__":
    main()
