#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
Pipeline tests of e2e sessions: captures in and out through net_pcap, one
worker lcore. Every input is built with scapy; every expected output is
built independently with scapy from the rules srtpfwd promises (new
Ethernet/IP/UDP headers from the peer leg, payload byte for byte, TOS kept,
TTL 64 or the interface's ttl, IPv4 DF and ID 0, IPv6 flow label 0, UDP
checksum valid) and compared byte for byte; checksums are also recomputed.

Scenarios (one or more forwarder runs each):
  ipv4        3 sessions, learning A leg -> static B; RTP/RTCP/DTLS/ZRTP,
              payloads 1..1200 bytes, TOS varied; then both directions with
              static remotes.
  ipv6        v6 <-> v6, learning A leg; then both directions static.
  cross       A IPv4 <-> B IPv6 and A IPv6 <-> B IPv4, both directions; an
              IPv4 datagram without UDP checksum must leave IPv6 with one.
  vlan        tagged interfaces in and out (VLAN 100 in, 200 out, ttl = 33
              on the core interface); untagged / wrong-VLAN frames dropped.
  malformed   ~40 bad frames of 30 kinds between good packets: nothing of
              them forwarded, every drop counter exact, good ones forwarded.
  arp_nd      ARP request -> one ARP reply (fields, no amplification);
              NS -> NA; requests for foreign addresses -> nothing.
  trailer     bytes after the UDP datagram: short packets padded to the
              60-byte Ethernet minimum (zeros or not) and trailers of 1..40
              bytes, IPv4 and IPv6, learning leg (first packet through the
              control lcore) and static: forwarded, exactly the datagram.

Prints "pipeline: N passed, M failed"; exit status 1 on any failure.
usage: pipeline_e2e.py SRTPFWD [--keep] [--only NAME,...]
"""
import argparse
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from checks import failed, result, summary  # noqa: E402

from scapy.all import (ARP, Dot1Q, Ether, ICMPv6ND_NA, ICMPv6ND_NS, ICMPv6NDOptDstLLAddr,  # noqa: E402
                       ICMPv6NDOptSrcLLAddr, IP, IPv6, IPv6ExtHdrFragment, Raw, TCP, UDP)
from scapy.layers.inet6 import in6_getnsma, in6_getnsmac  # noqa: E402
from scapy.utils6 import inet_pton  # noqa: E402
import socket  # noqa: E402

ACC_MAC, ACC_PEER_MAC = "02:00:00:00:00:01", "02:00:00:00:00:02"
CORE_MAC, CORE_PEER_MAC = "02:00:00:00:01:01", "02:00:00:00:01:02"
ACC4, ACC4_PEER = "198.18.0.1", "198.18.0.2"
CORE4, CORE4_PEER = "198.19.0.1", "198.19.0.2"
ACC6, ACC6_PEER = "2001:2::1", "2001:2::2"
CORE6, CORE6_PEER = "2001:2:0:1::1", "2001:2:0:1::2"
STRANGER4, STRANGER_MAC = "198.18.0.3", "02:00:00:00:00:03"

CONFIG = """[general]
max-sessions = 64
[interface access]
exposed = {acc_exposed}
port = net_pcap0
mac = {acc_mac}
{acc_vlan}ipv4 = {acc4}/24
ipv6 = {acc6}/64
neighbour = {acc4_peer} {acc_peer_mac}
neighbour = {acc6_peer} {acc_peer_mac}
neighbour = {stranger4} {stranger_mac}
media-ports = 20000-29999
[interface core]
exposed = no
port = net_pcap1
mac = {core_mac}
{core_vlan}{core_ttl}ipv4 = {core4}/24
ipv6 = {core6}/64
neighbour = {core4_peer} {core_peer_mac}
neighbour = {core6_peer} {core_peer_mac}
media-ports = 30000-39999
"""


def config(acc_vlan=None, core_vlan=None, core_ttl=None, acc_exposed=False):
    """The test's peers are trusted (access not exposed) unless acc_exposed."""
    return CONFIG.format(
        acc_exposed="yes" if acc_exposed else "no",
        acc_mac=ACC_MAC, acc4=ACC4, acc6=ACC6, acc4_peer=ACC4_PEER, acc6_peer=ACC6_PEER,
        acc_peer_mac=ACC_PEER_MAC, stranger4=STRANGER4, stranger_mac=STRANGER_MAC,
        core_mac=CORE_MAC, core4=CORE4, core6=CORE6, core4_peer=CORE4_PEER,
        core6_peer=CORE6_PEER, core_peer_mac=CORE_PEER_MAC,
        acc_vlan="vlan = %d\n" % acc_vlan if acc_vlan else "",
        core_vlan="vlan = %d\n" % core_vlan if core_vlan else "",
        core_ttl="ttl = %d\n" % core_ttl if core_ttl else "")




# ------------------------------------------------------------------ pcap I/O

def write_pcap(path, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", 1700000000, i, len(fr), len(fr)))
            f.write(fr)


def read_pcap(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        raise ValueError("%s: not a pcap file (%d bytes)" % (path, len(data)))
    magic = struct.unpack("<I", data[:4])[0]
    if magic in (0xA1B2C3D4, 0xA1B23C4D):
        endian = "<"
    elif magic in (0xD4C3B2A1, 0x4D3CB2A1):
        endian = ">"
    else:
        raise ValueError("%s: bad pcap magic %08x" % (path, magic))
    off, out = 24, []
    while off + 16 <= len(data):
        _, _, incl, _ = struct.unpack(endian + "IIII", data[off:off + 16])
        off += 16
        out.append(data[off:off + incl])
        off += incl
    return out


# ------------------------------------------------------------------ forwarder

class Run:
    """One srtpfwd run: frames in on both ports, frames out per port and queue."""
    seq = 0
    binary = None
    workdir = None
    keep = False

    def __init__(self, tag, cmds, acc_in, core_in, cfg=None, duration=2):
        Run.seq += 1
        self.failed_before = failed()
        d = os.path.join(Run.workdir, "%02d-%s" % (Run.seq, tag))
        os.makedirs(d)
        p = lambda n: os.path.join(d, n)  # noqa: E731
        write_pcap(p("acc_in.pcap"), acc_in)
        write_pcap(p("core_in.pcap"), core_in)
        with open(p("fwd.ini"), "w") as f:
            f.write(cfg if cfg is not None else config())
        with open(p("cmds.txt"), "w") as f:
            f.write("\n".join(cmds + ["show session all"]) + "\n")
        argv = [Run.binary, "--no-huge", "-m", "512", "--no-pci",
                "--file-prefix", "pipe%d_%d" % (os.getpid(), Run.seq), "-l", "0-1",
                "--log-level=*:warning",
                "--vdev", "net_pcap0,rx_pcap=%s,tx_pcap=%s,tx_pcap=%s" %
                (p("acc_in.pcap"), p("w0.pcap"), p("c0.pcap")),
                "--vdev", "net_pcap1,rx_pcap=%s,tx_pcap=%s,tx_pcap=%s" %
                (p("core_in.pcap"), p("w1.pcap"), p("c1.pcap")),
                "--", "--config", p("fwd.ini"), "--cmdline-file", p("cmds.txt"),
                "--duration", str(duration)]
        try:
            cp = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                timeout=duration + 30)
            out, rc = cp.stdout.decode(errors="replace"), cp.returncode
        except subprocess.TimeoutExpired as e:
            out, rc = (e.stdout or b"").decode(errors="replace"), "timeout"
        with open(p("stdout.txt"), "w") as f:
            f.write(out)
        self.dir, self.out = d, out
        self.ok = rc == 0 and "final counters:" in out
        self.problem = "" if self.ok else "srtpfwd rc=%s, output in %s" % (rc, d)
        if not self.ok:
            print("    srtpfwd rc=%s; output tail:\n%s" % (rc, out[-2500:]))
        # port -> (control queue frames, worker queue frames)
        self.tx = {}
        for port in (0, 1):
            q = []
            for name in ("c%d.pcap" % port, "w%d.pcap" % port):
                try:
                    q.append(read_pcap(p(name)))
                except (OSError, ValueError) as e:
                    self.ok = False
                    self.problem = str(e)
                    q.append([])
            self.tx[port] = tuple(q)
        self.drops, self.lcores, self.ports = parse_final(out)

    def all_tx(self, port):
        return self.tx[port][0] + self.tx[port][1]

    def cleanup(self):
        """Remove the run's files unless kept or a check of this run failed."""
        if not Run.keep and failed() == self.failed_before:
            shutil.rmtree(self.dir, ignore_errors=True)


def parse_final(out):
    """drops by reason, per-lcore counters and port stats after 'final counters:'."""
    final = out.split("final counters:", 1)[-1]
    drops = {}
    m = re.search(r"drops by reason[^\n]*\n((?:    \S+\s+\d+\n?)*)", final)
    if m:
        for line in m.group(1).splitlines():
            k, v = line.split()
            drops[k] = drops.get(k, 0) + int(v)
    lcores = {}
    for m in re.finditer(r"^\s*(worker|control) (\d+): (.*)$", final, re.M):
        lcores["%s %s" % (m.group(1), m.group(2))] = {
            k: int(v) for k, v in re.findall(r"(\w+) (\d+)", m.group(3))}
    ports = {}
    for m in re.finditer(r"port (\d+) statistics #+\n(.*?)(?=#####|\s*worker|\Z)", final, re.S):
        ports[int(m.group(1))] = {k: int(v) for k, v in
                                  re.findall(r"([A-Za-z-]+):\s+(\d+)", m.group(2))}
    return drops, lcores, ports


# ------------------------------------------------------------------ packets

def rtp(seq, ssrc, size, rng):
    """RTP (first byte 0x80), size bytes of UDP payload in all (1..)."""
    hdr = struct.pack("!BBHII", 0x80, 96, seq & 0xFFFF, seq * 160, ssrc)
    if size <= len(hdr):
        return hdr[:size]
    return hdr + bytes(rng.getrandbits(8) for _ in range(size - len(hdr)))


def rtcp(ssrc, rng):
    """RTCP SR (second byte 200) + SDES, 40-odd bytes."""
    sr = struct.pack("!BBHIIIII", 0x80, 200, 6, ssrc, rng.getrandbits(32), rng.getrandbits(32),
                     rng.getrandbits(32), rng.getrandbits(32)) + struct.pack("!I", 7)
    cname = b"pipeline@test"
    chunk = struct.pack("!IBB", ssrc, 1, len(cname)) + cname + b"\x00"
    chunk += b"\x00" * (-len(chunk) % 4)
    return sr + struct.pack("!BBH", 0x81, 202, len(chunk) // 4) + chunk


def dtls(size, rng):
    """DTLS 1.2 record header (first byte 22) and random body."""
    body = bytes(rng.getrandbits(8) for _ in range(max(0, size - 13)))
    return (struct.pack("!BHHIHH", 22, 0xFEFD, 0, rng.getrandbits(32), rng.getrandbits(16),
                        len(body)) + body)[:size]


def media_mix(ssrc, rng, sizes=(12, 1, 13, 160, 1200, 172, 2, 800)):
    """
    RTP of every size, RTCP, DTLS (first and later records), ZRTP. An RTP
    packet first: a learning leg learns only from an RTP-shaped one.
    """
    pl = []
    for i, s in enumerate(sizes):
        pl.append(rtp(1000 + i, ssrc, s, rng))
        if i == 0:
            pl.append(dtls(120, rng))
        if i == 2:
            pl.append(rtcp(ssrc, rng))
        if i == 4:
            pl.append(dtls(1100, rng))
    pl.append(b"\x10" + bytes(rng.getrandbits(8) for _ in range(30)))   # ZRTP
    pl.append(rtcp(ssrc, rng))
    return pl


def frame(smac, dmac, sip, dip, sport, dport, payload, tos=0, vlan=None, ttl=64, ident=None,
          udp_cksum=None, rng=None):
    """An input frame as a peer would send it."""
    eth = Ether(src=smac, dst=dmac)
    if vlan is not None:
        eth = eth / Dot1Q(vlan=vlan)
    if ":" in sip:
        ip = IPv6(src=sip, dst=dip, tc=tos, hlim=ttl, fl=0x12345)
    else:
        ip = IP(src=sip, dst=dip, tos=tos, ttl=ttl,
                id=ident if ident is not None else (rng.getrandbits(16) if rng else 4321))
    udp = UDP(sport=sport, dport=dport)
    if udp_cksum is not None:
        udp.chksum = udp_cksum
    return bytes(eth / ip / udp / Raw(load=payload))


def expected(smac, dmac, sip, dip, sport, dport, payload, tos=0, vlan=None, ttl=64):
    """The frame srtpfwd must send: built from the rules, checksums by scapy."""
    eth = Ether(src=smac, dst=dmac)
    if vlan is not None:
        eth = eth / Dot1Q(prio=0, id=0, vlan=vlan)
    if ":" in sip:
        ip = IPv6(version=6, tc=tos, fl=0, nh=17, hlim=ttl, src=sip, dst=dip)
    else:
        ip = IP(version=4, ihl=5, tos=tos, id=0, flags="DF", frag=0, ttl=ttl, proto=17,
                src=sip, dst=dip)
    return bytes(eth / ip / UDP(sport=sport, dport=dport) / Raw(load=payload))


def checksums_ok(fr):
    """'' when the frame's IPv4 header and UDP checksums (and lengths) are right."""
    p = Ether(fr)
    if UDP not in p:
        return "not UDP"
    q = p.copy()
    if IP in q:
        del q[IP].chksum
        del q[IP].len
    if IPv6 in q:
        del q[IPv6].plen
    del q[UDP].chksum
    del q[UDP].len
    q = Ether(bytes(q))
    if IP in p and p[IP].chksum != q[IP].chksum:
        return "IPv4 checksum %04x, should be %04x" % (p[IP].chksum, q[IP].chksum)
    if IP in p and p[IP].len != q[IP].len:
        return "IPv4 length %d, should be %d" % (p[IP].len, q[IP].len)
    if IPv6 in p and p[IPv6].plen != q[IPv6].plen:
        return "IPv6 payload length %d, should be %d" % (p[IPv6].plen, q[IPv6].plen)
    if p[UDP].len != q[UDP].len:
        return "UDP length %d, should be %d" % (p[UDP].len, q[UDP].len)
    if p[UDP].chksum != q[UDP].chksum and not (IP in p and p[UDP].chksum == 0):
        return "UDP checksum %04x, should be %04x" % (p[UDP].chksum, q[UDP].chksum)
    return ""


def udp_key(fr):
    p = Ether(fr)
    if UDP not in p:
        return None
    return (p[UDP].sport, p[UDP].dport)


def first_diff(a, b):
    n = min(len(a), len(b))
    for i in range(n):
        if a[i] != b[i]:
            return "length %d vs %d, first difference at byte %d (%02x, expected %02x)" % (
                len(a), len(b), i, a[i], b[i])
    return "length %d, expected %d" % (len(a), len(b))


def check_streams(name, run, port, streams, v4_zero_ok=()):
    """streams: {(sport, dport): [expected frame, ...]} leaving port. Per stream,
    what left on the control queue followed by what left on the worker queue
    must be the expected frames in order, byte for byte; nothing else may
    leave port (ARP/ND aside). v4_zero_ok: keys whose IPv4 UDP checksum may be 0
    (the input had none)."""
    if not run.ok:
        result(name, False, run.problem)
        return
    got = {}
    extra = []
    for q in run.tx[port]:
        for fr in q:
            if len(fr) >= 14 and (fr[12:14] == b"\x08\x06"):
                continue
            k = udp_key(fr)
            if k not in streams:
                extra.append(fr)
                continue
            got.setdefault(k, []).append(fr)
    problems = []
    if extra:
        problems.append("%d unexpected frames, first: %s" % (len(extra), Ether(extra[0]).summary()))
    for k, exp in streams.items():
        g = got.get(k, [])
        if len(g) != len(exp):
            problems.append("stream %s: %d frames out, expected %d" % (k, len(g), len(exp)))
            continue
        for i, (a, b) in enumerate(zip(g, exp)):
            if a != b and k in v4_zero_ok:
                pa = Ether(a)
                if IP in pa and pa[UDP].chksum == 0:
                    pa[UDP].chksum = Ether(b)[UDP].chksum
                    a = bytes(pa)
            if a != b:
                problems.append("stream %s frame %d: %s\n      got      %s\n      expected %s" % (
                    k, i, first_diff(a, b), Ether(a).summary(), Ether(b).summary()))
                break
            why = checksums_ok(a)
            if why:
                problems.append("stream %s frame %d: %s" % (k, i, why))
                break
    result(name, not problems, "; ".join(problems[:4]))


def check_drops(name, run, want):
    """Every drop counter in the final stats equals want (absent = 0)."""
    if not run.ok:
        result(name, False, run.problem)
        return
    have = {k: v for k, v in run.drops.items() if v}
    want = {k: v for k, v in want.items() if v}
    if have == want:
        result(name, True)
        return
    diff = ["%s %d (expected %d)" % (k, have.get(k, 0), want.get(k, 0))
            for k in sorted(set(have) | set(want)) if have.get(k, 0) != want.get(k, 0)]
    result(name, False, "drop counters: " + ", ".join(diff))


def acc_in(sip, sport, dport, payload, tos=0, dip=None, **kw):
    return frame(ACC_PEER_MAC, ACC_MAC, sip, dip or (ACC6 if ":" in sip else ACC4),
                 sport, dport, payload, tos=tos, **kw)


def core_in(sip, sport, dport, payload, tos=0, dip=None, **kw):
    return frame(CORE_PEER_MAC, CORE_MAC, sip, dip or (CORE6 if ":" in sip else CORE4),
                 sport, dport, payload, tos=tos, **kw)


def to_core(dip, sport, dport, payload, tos=0, **kw):
    return expected(CORE_MAC, CORE_PEER_MAC, CORE6 if ":" in dip else CORE4, dip, sport, dport,
                    payload, tos=tos, **kw)


def to_acc(dip, sport, dport, payload, tos=0, **kw):
    return expected(ACC_MAC, ACC_PEER_MAC, ACC6 if ":" in dip else ACC4, dip, sport, dport,
                    payload, tos=tos, **kw)


TOS = (0x00, 0xB8, 0x88, 0x2E, 0x01)


# ------------------------------------------------------------------ scenarios

def sc_ipv4(rng):
    # Run 1: three sessions, A learns (first packet via the control lcore), B static.
    cmds, ain, streams = [], [], {}
    per = []
    for s in range(3):
        ap, bp, peer_port, core_port = 20000 + 2 * s, 30000 + 2 * s, 5000 + 2 * s, 6000 + 2 * s
        cmds.append("session add e2e access %d core %d b-remote=%s:%d" % (ap, bp, CORE4_PEER,
                                                                          core_port))
        per.append([(acc_in(ACC4_PEER, peer_port, ap, pl, tos=TOS[i % 5], rng=rng),
                     to_core(CORE4_PEER, bp, core_port, pl, tos=TOS[i % 5]))
                    for i, pl in enumerate(media_mix(0x1000 + s, rng))])
        streams[(bp, core_port)] = [e for _, e in per[-1]]
    for i in range(max(len(x) for x in per)):   # interleave the sessions
        for x in per:
            if i < len(x):
                ain.append(x[i][0])
    run = Run("ipv4-learn", cmds, ain, [])
    check_streams("ipv4: 3 sessions, learning A -> static B, RTP/RTCP/DTLS/ZRTP 1..1200 B",
                  run, 1, streams)
    check_drops("ipv4: learning run, no drops", run, {})
    check_streams("ipv4: nothing back to access", run, 0, {})
    ok = run.ok and run.lcores.get("control 0", {}).get("latched") == 3
    result("ipv4: control lcore latched 3 legs", ok, "lcores %s" % run.lcores)
    run.cleanup()

    # Run 2: both remotes static, traffic both ways at once.
    cmds, ain, cin = [], [], []
    s_core, s_acc = {}, {}
    for s in range(3):
        ap, bp, peer_port, core_port = 20100 + 2 * s, 30100 + 2 * s, 5100 + 2 * s, 6100 + 2 * s
        cmds.append("session add e2e access %d core %d a-remote=%s:%d b-remote=%s:%d" % (
            ap, bp, ACC4_PEER, peer_port, CORE4_PEER, core_port))
        s_core[(bp, core_port)], s_acc[(ap, peer_port)] = [], []
        for i, pl in enumerate(media_mix(0x2000 + s, rng)):
            ain.append(acc_in(ACC4_PEER, peer_port, ap, pl, tos=TOS[i % 5], rng=rng))
            s_core[(bp, core_port)].append(to_core(CORE4_PEER, bp, core_port, pl, tos=TOS[i % 5]))
        for i, pl in enumerate(media_mix(0x3000 + s, rng)):
            cin.append(core_in(CORE4_PEER, core_port, bp, pl, tos=TOS[(i + 2) % 5], rng=rng))
            s_acc[(ap, peer_port)].append(to_acc(ACC4_PEER, ap, peer_port, pl,
                                                 tos=TOS[(i + 2) % 5]))
    run = Run("ipv4-static", cmds, ain, cin)
    check_streams("ipv4: static remotes, access -> core", run, 1, s_core)
    check_streams("ipv4: static remotes, core -> access", run, 0, s_acc)
    check_drops("ipv4: static run, no drops", run, {})
    ok = run.ok and not run.tx[0][0] and not run.tx[1][0]
    result("ipv4: static remotes: nothing through the control lcore", ok,
           "control queue frames: %d/%d" % (len(run.tx[0][0]), len(run.tx[1][0])))
    run.cleanup()


def sc_ipv6(rng):
    cmds = ["session add e2e access 20200 core 30200 a-ip=%s b-ip=%s b-remote=[%s]:6200" % (
        ACC6, CORE6, CORE6_PEER)]
    pls = media_mix(0x4000, rng)
    ain = [acc_in(ACC6_PEER, 5200, 20200, pl, tos=TOS[i % 5]) for i, pl in enumerate(pls)]
    exp = {(30200, 6200): [to_core(CORE6_PEER, 30200, 6200, pl, tos=TOS[i % 5])
                           for i, pl in enumerate(pls)]}
    run = Run("ipv6-learn", cmds, ain, [])
    check_streams("ipv6: learning A -> static B", run, 1, exp)
    check_drops("ipv6: learning run, no drops", run, {})
    run.cleanup()

    cmds = ["session add e2e access 20202 core 30202 a-ip=%s b-ip=%s a-remote=[%s]:5202 "
            "b-remote=[%s]:6202" % (ACC6, CORE6, ACC6_PEER, CORE6_PEER)]
    pa, pb = media_mix(0x4100, rng), media_mix(0x4200, rng)
    ain = [acc_in(ACC6_PEER, 5202, 20202, pl, tos=TOS[i % 5]) for i, pl in enumerate(pa)]
    cin = [core_in(CORE6_PEER, 6202, 30202, pl, tos=TOS[i % 5]) for i, pl in enumerate(pb)]
    run = Run("ipv6-static", cmds, ain, cin)
    check_streams("ipv6: static, access -> core", run, 1,
                  {(30202, 6202): [to_core(CORE6_PEER, 30202, 6202, pl, tos=TOS[i % 5])
                                   for i, pl in enumerate(pa)]})
    check_streams("ipv6: static, core -> access", run, 0,
                  {(20202, 5202): [to_acc(ACC6_PEER, 20202, 5202, pl, tos=TOS[i % 5])
                                   for i, pl in enumerate(pb)]})
    check_drops("ipv6: static run, no drops", run, {})
    run.cleanup()


def sc_cross(rng):
    # Session 0: A IPv4 <-> B IPv6; session 1: A IPv6 <-> B IPv4. A learns in
    # run 1; both directions with static remotes in run 2.
    cmds = ["session add e2e access 20300 core 30300 a-ip=%s b-ip=%s b-remote=[%s]:6300" % (
                ACC4, CORE6, CORE6_PEER),
            "session add e2e access 20302 core 30302 a-ip=%s b-ip=%s b-remote=%s:6302" % (
                ACC6, CORE4, CORE4_PEER)]
    p0, p1 = media_mix(0x5000, rng), media_mix(0x5100, rng)
    ain = []
    for i in range(max(len(p0), len(p1))):
        if i < len(p0):
            ain.append(acc_in(ACC4_PEER, 5300, 20300, p0[i], tos=TOS[i % 5], rng=rng))
        if i < len(p1):
            ain.append(acc_in(ACC6_PEER, 5302, 20302, p1[i], tos=TOS[i % 5]))
    # An IPv4 datagram without UDP checksum (0 is legal in IPv4) must leave
    # IPv6 with a real one (RFC 8200 §8.1).
    nock = rtp(77, 0x5000, 100, rng)
    ain.append(acc_in(ACC4_PEER, 5300, 20300, nock, udp_cksum=0))
    run = Run("cross-learn", cmds, ain, [])
    check_streams("cross: v4 -> v6 and v6 -> v4, learning A", run, 1, {
        (30300, 6300): [to_core(CORE6_PEER, 30300, 6300, pl, tos=TOS[i % 5])
                        for i, pl in enumerate(p0)] + [to_core(CORE6_PEER, 30300, 6300, nock)],
        (30302, 6302): [to_core(CORE4_PEER, 30302, 6302, pl, tos=TOS[i % 5])
                        for i, pl in enumerate(p1)]})
    check_drops("cross: learning run, no drops", run, {})
    run.cleanup()

    cmds = ["session add e2e access 20310 core 30310 a-ip=%s b-ip=%s a-remote=%s:5310 "
            "b-remote=[%s]:6310" % (ACC4, CORE6, ACC4_PEER, CORE6_PEER),
            "session add e2e access 20312 core 30312 a-ip=%s b-ip=%s a-remote=[%s]:5312 "
            "b-remote=%s:6312" % (ACC6, CORE4, ACC6_PEER, CORE4_PEER)]
    q0, q1 = media_mix(0x5200, rng), media_mix(0x5300, rng)
    cin = [core_in(CORE6_PEER, 6310, 30310, pl, tos=TOS[i % 5]) for i, pl in enumerate(q0)]
    cin += [core_in(CORE4_PEER, 6312, 30312, pl, tos=TOS[i % 5], rng=rng)
            for i, pl in enumerate(q1)]
    # IPv4 without UDP checksum in, IPv6 out: must carry a right checksum.
    cin.append(core_in(CORE4_PEER, 6312, 30312, nock, udp_cksum=0))
    ain = [acc_in(ACC4_PEER, 5310, 20310, pl, rng=rng) for pl in p0[:3]]
    run = Run("cross-static", cmds, ain, cin)
    check_streams("cross: static, core v6 -> access v4 and core v4 -> access v6", run, 0, {
        (20310, 5310): [to_acc(ACC4_PEER, 20310, 5310, pl, tos=TOS[i % 5])
                        for i, pl in enumerate(q0)],
        (20312, 5312): [to_acc(ACC6_PEER, 20312, 5312, pl, tos=TOS[i % 5])
                        for i, pl in enumerate(q1)] + [to_acc(ACC6_PEER, 20312, 5312, nock)]})
    check_streams("cross: static, access v4 -> core v6", run, 1, {
        (30310, 6310): [to_core(CORE6_PEER, 30310, 6310, pl) for pl in p0[:3]]})
    check_drops("cross: static run, no drops", run, {})
    run.cleanup()

    # IPv4 -> IPv4 without UDP checksum: 0 or right.
    cmds = ["session add e2e access 20320 core 30320 a-remote=%s:5320 b-remote=%s:6320" % (
        ACC4_PEER, CORE4_PEER)]
    pls = [rtp(i, 9, 50 + i, rng) for i in range(4)]
    run = Run("v4-nocksum", cmds, [acc_in(ACC4_PEER, 5320, 20320, pl, udp_cksum=0) for pl in pls],
              [])
    check_streams("ipv4: datagrams without UDP checksum forwarded (0 kept or summed)", run, 1,
                  {(30320, 6320): [to_core(CORE4_PEER, 30320, 6320, pl) for pl in pls]},
                  v4_zero_ok={(30320, 6320)})
    run.cleanup()


def sc_vlan(rng):
    cfg = config(acc_vlan=100, core_vlan=200, core_ttl=33)
    cmds = ["session add e2e access 20400 core 30400 b-remote=%s:6400" % CORE4_PEER,
            "session add e2e access 20402 core 30402 a-ip=%s b-ip=%s a-remote=[%s]:5402 "
            "b-remote=[%s]:6402" % (ACC6, CORE6, ACC6_PEER, CORE6_PEER)]
    p0, p1, p2 = media_mix(0x6000, rng), media_mix(0x6100, rng), media_mix(0x6200, rng)
    ain = [acc_in(ACC4_PEER, 5400, 20400, pl, tos=TOS[i % 5], vlan=100, rng=rng)
           for i, pl in enumerate(p0)]
    ain += [acc_in(ACC6_PEER, 5402, 20402, pl, vlan=100) for pl in p1]
    cin = [core_in(CORE6_PEER, 6402, 30402, pl, tos=TOS[i % 5], vlan=200)
           for i, pl in enumerate(p2)]
    # Untagged and wrongly tagged frames on the VLAN ports: vlan_unknown.
    bad = [acc_in(ACC4_PEER, 5400, 20400, p0[1], rng=rng),
           acc_in(ACC4_PEER, 5400, 20400, p0[1], vlan=200, rng=rng),
           acc_in(ACC4_PEER, 5400, 20400, p0[1], vlan=101, rng=rng)]
    cbad = [core_in(CORE6_PEER, 6402, 30402, p2[1]), core_in(CORE6_PEER, 6402, 30402, p2[1],
                                                             vlan=100)]
    run = Run("vlan", cmds, ain + bad, cin + cbad, cfg=cfg)
    check_streams("vlan: tagged 100 in -> tagged 200 out, ttl 33 (v4 learning, v6 static)",
                  run, 1, {
                      (30400, 6400): [to_core(CORE4_PEER, 30400, 6400, pl, tos=TOS[i % 5],
                                              vlan=200, ttl=33) for i, pl in enumerate(p0)],
                      (30402, 6402): [to_core(CORE6_PEER, 30402, 6402, pl, vlan=200, ttl=33)
                                      for pl in p1]})
    check_streams("vlan: tagged 200 in -> tagged 100 out, ttl 64", run, 0, {
        (20402, 5402): [to_acc(ACC6_PEER, 20402, 5402, pl, tos=TOS[i % 5], vlan=100)
                        for i, pl in enumerate(p2)]})
    check_drops("vlan: untagged / wrong VLAN counted as vlan_unknown", run, {"vlan_unknown": 5})
    run.cleanup()


def sc_malformed(rng):
    """Bad frames between good ones. Session 0 (20500, learning A, static B);
    session 1 (20502, B has no remote: peer_unlatched); session 2 (20504,
    strict A with a static remote); session 3 (20506, IPv6, learning A)."""
    A, B = 20500, 30500
    cmds = ["session add e2e access %d core %d b-remote=%s:6500" % (A, B, CORE4_PEER),
            "session add e2e access 20502 core 30502",
            "session add e2e access 20504 core 30504 a-latch=strict a-remote=%s:5504 "
            "b-remote=%s:6504" % (ACC4_PEER, CORE4_PEER),
            "session add e2e access 20506 core 30506 a-ip=%s b-ip=%s b-remote=[%s]:6506" % (
                ACC6, CORE6, CORE6_PEER)]
    good, bad, want = [], [], {}

    def g(pl, sip=ACC4_PEER, dport=A):
        return acc_in(sip, 5500, dport, pl, rng=rng)

    def add(reason, frames):
        bad.extend((reason, f) for f in frames)
        want[reason] = want.get(reason, 0) + len(frames)

    rtp1 = rtp(1, 0xABC, 60, rng)
    ok4 = g(rtp1)
    ok6 = acc_in(ACC6_PEER, 5506, 20506, rtp1)
    v4 = Ether(ok4)
    v6 = Ether(ok6)

    add("runt", [ok4[:10], ok4[:14 + 12], ok6[:14 + 30],
                 bytes(Ether(src=ACC_PEER_MAC, dst=ACC_MAC, type=0x8100))[:16]])
    # IP total length longer than the frame (truncated capture), and IPv6 likewise.
    add("ipv4_length", [ok4[:-10], bytes(Ether(ok4[:14]) / IP(bytes(v4[IP])[:20]))])
    add("ipv6_length", [ok6[:-7]])
    x = v4.copy()
    x[IP].chksum ^= 0x0101
    add("ipv4_checksum", [bytes(x)])
    x = v4.copy()
    x[UDP].chksum ^= 0x00F0
    y = v6.copy()
    y[UDP].chksum ^= 0x8000
    add("udp_checksum", [bytes(x), bytes(y), bytes(Ether(ok4[:-5] + b"\x00" * 5))])
    add("udp_zero_checksum", [acc_in(ACC6_PEER, 5506, 20506, rtp1, udp_cksum=0)])
    add("ipv4_fragment", [bytes(Ether(src=ACC_PEER_MAC, dst=ACC_MAC) /
                                IP(src=ACC4_PEER, dst=ACC4, flags="MF", id=77) /
                                UDP(sport=5500, dport=A, len=200, chksum=0x1234) /
                                Raw(rtp1[:40])),
                          bytes(Ether(src=ACC_PEER_MAC, dst=ACC_MAC) /
                                IP(src=ACC4_PEER, dst=ACC4, frag=5, id=77, proto=17) /
                                Raw(rtp1[:40]))])
    add("ipv6_fragment", [bytes(Ether(src=ACC_PEER_MAC, dst=ACC_MAC) /
                                IPv6(src=ACC6_PEER, dst=ACC6) / IPv6ExtHdrFragment(id=9, m=1) /
                                UDP(sport=5506, dport=20506) / Raw(rtp1)),
                          bytes(Ether(src=ACC_PEER_MAC, dst=ACC_MAC) /
                                IPv6(src=ACC6_PEER, dst=ACC6) / IPv6ExtHdrFragment(id=9, m=0) /
                                UDP(sport=5506, dport=20506) / Raw(rtp1))])
    # IP length shorter than the frame (allowed: padding) but then UDP's own
    # length disagrees; UDP length field wrong either way.
    x = v4.copy()
    x[IP].len -= 4
    del x[IP].chksum
    y = v4.copy()
    y[UDP].len += 2
    z = v4.copy()
    z[UDP].len = 4
    w = v6.copy()
    w[UDP].len -= 1
    add("udp_length", [bytes(x), bytes(y), bytes(z), bytes(w)])
    x = v4.copy()
    x[IP].ihl = 4
    del x[IP].chksum
    add("ipv4_header", [bytes(x), bytes(Ether(src=ACC_PEER_MAC, dst=ACC_MAC, type=0x0800) /
                                          bytes(v6[IPv6]))])
    add("ipv6_header", [bytes(Ether(src=ACC_PEER_MAC, dst=ACC_MAC, type=0x86DD) /
                              Raw(bytes(v4[IP]) + b"\x00" * 20))])
    add("ethertype", [bytes(Ether(src=ACC_PEER_MAC, dst=ACC_MAC, type=0x88B5) / Raw(b"x" * 46)),
                      bytes(Ether(src=ACC_PEER_MAC, dst=ACC_MAC, type=0x8847) / bytes(v4[IP]))])
    add("l4_proto", [bytes(Ether(src=ACC_PEER_MAC, dst=ACC_MAC) /
                           IP(src=ACC4_PEER, dst=ACC4) / TCP(sport=5500, dport=A) / Raw(rtp1))])
    add("flow_unknown", [g(rtp1, dport=20001), g(rtp1, dport=29999),
                         acc_in(ACC4_PEER, 5500, A, rtp1, dip="198.18.0.77", rng=rng),
                         acc_in(ACC6_PEER, 5506, 20500, rtp1)])
    add("demux_unknown", [g(b"\x64" + rtp1[1:]), g(b"\xfa" + rtp1[1:]), g(b"\x04abc"),
                          g(b"\x7f\x00")])
    add("payload_empty", [g(b""), acc_in(ACC6_PEER, 5506, 20506, b"")])
    stun = struct.pack("!HHI", 0x0001, 0, 0x2112A442) + bytes(12)
    add("class_refused", [g(stun), g(stun), g(b"\x40\x00\x00\x04abcd")])
    add("source_mismatch", [g(rtp1, sip=STRANGER4), acc_in(ACC4_PEER, 5501, A, rtp1, rng=rng),
                            g(dtls(50, rng), sip=STRANGER4)])
    add("ipv4_source", [g(rtp1, sip="224.0.0.5"), g(rtp1, sip="255.255.255.255"),
                        g(rtp1, sip="127.0.0.1"), g(rtp1, sip="0.0.0.0")])
    add("ipv6_source", [acc_in("ff02::1", 5506, 20506, rtp1), acc_in("::1", 5506, 20506, rtp1),
                        acc_in("::", 5506, 20506, rtp1)])
    add("not_for_us", [frame(ACC_PEER_MAC, "02:00:00:00:00:99", ACC4_PEER, ACC4, 5500, A, rtp1,
                             rng=rng),
                       frame(ACC_PEER_MAC, "ff:ff:ff:ff:ff:ff", ACC4_PEER, ACC4, 5500, A, rtp1,
                             rng=rng),
                       frame(ACC_PEER_MAC, "01:00:5e:00:00:05", ACC4_PEER, ACC4, 5500, A, rtp1,
                             rng=rng)])
    add("peer_unlatched", [g(rtp1, dport=20502), g(rtp1, dport=20502)])
    # Strict leg with a static remote: any other source (here another port).
    add("source_mismatch", [g(rtp1, dport=20504), g(stun, dport=20504)])

    # First the packet that latches session 0's A leg, then bad and good mixed.
    goodpl = [rtp(100 + i, 0xABC, 20 + 37 * i, rng) for i in range(6)]
    ain = [g(goodpl[0])]
    rng.shuffle(bad)
    step = max(1, len(bad) // 5)
    for i in range(5):
        ain.extend(f for _, f in bad[i * step:(i + 1) * step])
        ain.append(g(goodpl[i + 1]))
    ain.extend(f for _, f in bad[5 * step:])
    good6 = [rtp(200 + i, 0xDEF, 30 + i, rng) for i in range(3)]
    ain = ain[:1] + [acc_in(ACC6_PEER, 5506, 20506, good6[0])] + ain[1:] + \
        [acc_in(ACC6_PEER, 5506, 20506, pl) for pl in good6[1:]]
    strict = [rtp(300 + i, 0x5757, 40 + i, rng) for i in range(2)]
    ain += [acc_in(ACC4_PEER, 5504, 20504, pl, rng=rng) for pl in strict]
    run = Run("malformed", cmds, ain, [])
    check_streams("malformed: only the good packets forwarded, in order, unchanged", run, 1, {
        (B, 6500): [to_core(CORE4_PEER, B, 6500, pl) for pl in goodpl],
        (30506, 6506): [to_core(CORE6_PEER, 30506, 6506, pl) for pl in good6],
        (30504, 6504): [to_core(CORE4_PEER, 30504, 6504, pl) for pl in strict]})
    check_streams("malformed: nothing sent back to access", run, 0, {})
    check_drops("malformed: every drop counter exact (%d frames of %d reasons)" % (
        len(bad), len(want)), run, want)
    for reason in sorted(want):
        ok = run.ok and run.drops.get(reason, 0) == want[reason]
        result("malformed: %-17s %d" % (reason, want[reason]), ok,
               "counted %d" % run.drops.get(reason, 0))
    rx = sum(v.get("rx", 0) for k, v in run.lcores.items() if k.startswith("worker"))
    result("malformed: worker received every frame", run.ok and rx == len(ain),
           "worker rx %d, sent %d" % (rx, len(ain)))
    run.cleanup()


def sc_arp_nd(rng):
    cmds = []
    # ARP requests: padded (60 bytes) and bare (42 bytes), broadcast and unicast.
    req_acc = bytes(Ether(src=ACC_PEER_MAC, dst="ff:ff:ff:ff:ff:ff") /
                    ARP(op=1, hwsrc=ACC_PEER_MAC, psrc=ACC4_PEER, hwdst="00:00:00:00:00:00",
                        pdst=ACC4) / Raw(b"\x00" * 18))
    req_core = bytes(Ether(src=CORE_PEER_MAC, dst=CORE_MAC) /
                     ARP(op=1, hwsrc=CORE_PEER_MAC, psrc=CORE4_PEER, hwdst="00:00:00:00:00:00",
                         pdst=CORE4))
    foreign = bytes(Ether(src=ACC_PEER_MAC, dst="ff:ff:ff:ff:ff:ff") /
                    ARP(op=1, hwsrc=ACC_PEER_MAC, psrc=ACC4_PEER, pdst="198.18.0.99"))
    # NS for our address (solicited-node multicast), and for a foreign one.
    ns_dst = socket.inet_ntop(socket.AF_INET6, in6_getnsma(inet_pton(socket.AF_INET6, ACC6)))
    ns = bytes(Ether(src=ACC_PEER_MAC, dst=in6_getnsmac(inet_pton(socket.AF_INET6, ns_dst))) /
               IPv6(src=ACC6_PEER, dst=ns_dst, hlim=255) / ICMPv6ND_NS(tgt=ACC6) /
               ICMPv6NDOptSrcLLAddr(lladdr=ACC_PEER_MAC))
    ns_core = bytes(Ether(src=CORE_PEER_MAC, dst=CORE_MAC) /
                    IPv6(src=CORE6_PEER, dst=CORE6, hlim=255) / ICMPv6ND_NS(tgt=CORE6) /
                    ICMPv6NDOptSrcLLAddr(lladdr=CORE_PEER_MAC))
    ns_foreign = bytes(Ether(src=ACC_PEER_MAC, dst=ACC_MAC) /
                       IPv6(src=ACC6_PEER, dst=ACC6, hlim=255) / ICMPv6ND_NS(tgt="2001:2::99") /
                       ICMPv6NDOptSrcLLAddr(lladdr=ACC_PEER_MAC))
    run = Run("arp-nd", cmds, [req_acc, foreign, ns, ns_foreign], [req_core, ns_core])
    if not run.ok:
        result("arp/nd: run", False, run.problem)
        return

    def arp_check(name, port, req, mac, ip, peer_mac, peer_ip):
        out = [f for f in run.all_tx(port) if f[12:14] == b"\x08\x06"]
        if len(out) != 1:
            result(name, False, "%d ARP frames out, expected 1" % len(out))
            return
        r = out[0]
        want = bytes(Ether(src=mac, dst=peer_mac) /
                     ARP(hwtype=1, ptype=0x0800, hwlen=6, plen=4, op=2, hwsrc=mac, psrc=ip,
                         hwdst=peer_mac, pdst=peer_ip))
        problems = []
        if r[:len(want)] != want:
            problems.append(first_diff(r[:len(want)], want) + " (%s)" % Ether(r).summary())
        if any(r[len(want):]):
            problems.append("padding not zero")
        if len(r) > len(req):
            problems.append("reply %d bytes > request %d bytes" % (len(r), len(req)))
        result(name, not problems, "; ".join(problems))

    arp_check("arp: request (60 B, broadcast) for access address -> one reply", 0, req_acc,
              ACC_MAC, ACC4, ACC_PEER_MAC, ACC4_PEER)
    arp_check("arp: request (42 B, unicast) for core address -> one reply, not larger", 1,
              req_core, CORE_MAC, CORE4, CORE_PEER_MAC, CORE4_PEER)

    def nd_check(name, port, req, mac, ip, peer_mac, peer_ip):
        out = [f for f in run.all_tx(port) if f[12:14] == b"\x86\xdd"]
        nas = [Ether(f) for f in out if ICMPv6ND_NA in Ether(f)]
        if len(out) != 1 or len(nas) != 1:
            result(name, False, "%d IPv6 frames out (%d NA), expected 1 NA: %s" % (
                len(out), len(nas), [Ether(f).summary() for f in out]))
            return
        p, problems = nas[0], []
        na = p[ICMPv6ND_NA]
        if (p.src, p.dst) != (mac, peer_mac):
            problems.append("MACs %s -> %s" % (p.src, p.dst))
        if (p[IPv6].src, p[IPv6].dst, p[IPv6].hlim) != (ip, peer_ip, 255):
            problems.append("IPv6 %s -> %s hlim %d" % (p[IPv6].src, p[IPv6].dst, p[IPv6].hlim))
        if (na.tgt, na.S, na.R, na.O) != (ip, 1, 0, 1):
            problems.append("NA tgt %s S%d R%d O%d" % (na.tgt, na.S, na.R, na.O))
        if ICMPv6NDOptDstLLAddr not in p or p[ICMPv6NDOptDstLLAddr].lladdr != mac:
            problems.append("no target link-layer address option with %s" % mac)
        ck = na.cksum
        q = p.copy()
        del q[ICMPv6ND_NA].cksum
        if Ether(bytes(q))[ICMPv6ND_NA].cksum != ck:
            problems.append("ICMPv6 checksum wrong")
        if len(out[0]) > len(req):
            problems.append("NA %d bytes > NS %d bytes" % (len(out[0]), len(req)))
        result(name, not problems, "; ".join(problems))

    nd_check("nd: NS (multicast) for access address -> one NA", 0, ns, ACC_MAC, ACC6,
             ACC_PEER_MAC, ACC6_PEER)
    nd_check("nd: NS (unicast) for core address -> one NA", 1, ns_core, CORE_MAC, CORE6,
             CORE_PEER_MAC, CORE6_PEER)
    check_drops("arp/nd: foreign ARP and NS counted (arp_invalid 1, nd_invalid 1)", run,
                {"arp_invalid": 1, "nd_invalid": 1})
    run.cleanup()


def sc_dtls_leg(rng):
    """
    An e2ae leg whose keys come from DTLS-SRTP: until a handshake succeeds no
    media passes either way (the leg is latched by its handshake only), records that are not DTLS 1.0/1.2
    are refused on the control lcore, nothing is answered, nothing latched.
    Bad DTLS options are one-line errors that create nothing.
    """
    fp = ":".join("%02X" % rng.getrandbits(8) for _ in range(32))
    key = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk"   # 30 bytes, base64
    bad = [
        ("session add e2e access 20410 core 30410 a-dtls=passive",
         "e2e passes DTLS through"),
        ("session add e2ae access 20411 core 30411 a-dtls=sideways",
         "dtls is 'passive' (we serve) or 'active' (we connect), not 'sideways'"),
        ("session add e2ae access 20412 core 30412 a-dtls=passive a-fingerprint=sha-256:ZZ:01",
         "fingerprint is not sha-256's length of HEX:HEX:.."),
        ("session add e2ae access 20413 core 30413 a-dtls=passive a-fingerprint=md5:" + fp[:47],
         "fingerprint hash 'md5' not accepted"),
        ("session add e2ae access 20414 core 30414 a-dtls=active",
         "a-dtls=active connects to a-remote: give one"),
        ("session add e2ae access 20415 core 30415 a-dtls=passive "
         "a-rx=AES_CM_128_HMAC_SHA1_80:inline:" + key,
         "a-dtls takes its keys from the handshake"),
        ("session add e2ae access 20416 core 30416 a-fingerprint=sha-256:" + fp,
         "a-fingerprint needs a-dtls"),
    ]
    cmds = ["session add e2ae access 20400 core 30400 a-dtls=passive a-fingerprint=sha-256:%s "
            "b-remote=%s:6400" % (fp, CORE4_PEER)] + [c for c, _ in bad] + ["show dtls stats", "show session 0"]
    ain = [acc_in(ACC4_PEER, 5400, 20400, rtp(1 + i, 0x4400, 172, rng), rng=rng)
           for i in range(3)]
    # TLS 1.2 records (0x0303), not DTLS: the record check refuses them before OpenSSL.
    ain += [acc_in(ACC4_PEER, 5400, 20400, struct.pack("!BHH", 22, 0x0303, 40) +
                   bytes(rng.getrandbits(8) for _ in range(40)), rng=rng) for _ in range(2)]
    cin = [core_in(CORE4_PEER, 6400, 30400, rtp(1 + i, 0x5400, 172, rng), rng=rng)
           for i in range(2)]
    run = Run("dtls-leg", cmds, ain, cin)
    check_drops("dtls leg: no handshake yet: media dropped (unlatched 3; back: peer_unlatched 2),"
                " non-DTLS records refused (dtls_refused 2)", run,
                {"unlatched": 3, "peer_unlatched": 2, "dtls_refused": 2})
    ok = run.ok and not run.all_tx(0) and not run.all_tx(1)
    result("dtls leg: nothing sent either way", ok,
           "frames out: %d/%d" % (len(run.all_tx(0)), len(run.all_tx(1))))
    ok = run.ok and "session 0 created" in run.out and " 1 sessions (max" in run.out
    result("dtls leg: one session created, the bad ones refused", ok)
    for c, msg in bad:
        result("dtls leg: '%s' -> one-line error" % c.split(" ", 3)[3][:60],
               run.ok and ("session add: " + msg) in run.out, "no '%s'" % msg)
    ok = run.ok and re.search(r"dtls: new role server profile - .* peer - handshakes 0", run.out)
    result("dtls leg: endpoint waits (new, server, no peer, nothing latched)", bool(ok))
    ok = run.ok and re.search(r"handshakes_started 0 handshakes_completed 0\n\s+keys_installed 0",
                              run.out)
    result("dtls leg: no handshake started, no keys installed", bool(ok))
    run.cleanup()


def with_trailer(fr, rng, i):
    """fr followed by bytes outside its IP datagram: padding to 60 bytes or a trailer."""
    if i % 2 == 0:
        n = max(60 - len(fr), 4)
        return fr + (bytes(n) if i % 4 == 0 else b"\x5a" * n)
    return fr + bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 40)))


def sc_trailer(rng):
    # A datagram leaves with its UDP payload only: never the frame's padding or trailer.
    cmds, ain, streams = [], [], {}
    for s, (peer, core_peer, a_ip, b_ip) in enumerate(((ACC4_PEER, CORE4_PEER, ACC4, CORE4),
                                                       (ACC6_PEER, CORE6_PEER, ACC6, CORE6))):
        ap, bp, peer_port, core_port = 20400 + 2 * s, 30400 + 2 * s, 5400 + 2 * s, 6400 + 2 * s
        rb = "[%s]" % core_peer if ":" in core_peer else core_peer
        cmds.append("session add e2e access %d core %d a-ip=%s b-ip=%s b-remote=%s:%d" % (
            ap, bp, a_ip, b_ip, rb, core_port))
        pls = [rtp(2000 + i, 0x5000 + s, 12 + rng.choice((1, 2, 3, 4)) if i % 5 else 160, rng)
               for i in range(30)] + [rtcp(0x5000 + s, rng)]
        ain += [with_trailer(acc_in(peer, peer_port, ap, pl, tos=TOS[i % 5], rng=rng), rng, i)
                for i, pl in enumerate(pls)]
        streams[(bp, core_port)] = [to_core(core_peer, bp, core_port, pl, tos=TOS[i % 5])
                                    for i, pl in enumerate(pls)]
    padded = sum(1 for fr in ain if len(fr) == 60)
    result("trailer: %d of %d input frames padded to 60 bytes (test self-check)" % (padded, len(ain)),
           padded > 0)
    run = Run("trailer", cmds, ain, [])
    check_streams("trailer: padded/trailed IPv4 and IPv6, learning A -> static B, exactly the datagram",
                  run, 1, streams)
    check_drops("trailer: no drops", run, {})
    run.cleanup()


def sc_first_packet(rng):
    """
    Nobody latches a leg with one datagram. On an exposed interface a leg
    without a remote, ICE or DTLS is refused unless it learns by explicit
    choice; a learning leg learns only from an RTP-shaped packet: a stranger's
    one-byte datagram and DTLS record first, then the peer's stream, and the
    stream is what goes through (before: the one-byte datagram latched the leg
    for good and the peer's packets were dropped as source_mismatch).
    """
    cmds = ["session add e2e access 20700 core 30700 b-remote=%s:6700" % CORE4_PEER,
            "session add e2e access 20701 core 30701 a-latch=learn b-remote=%s:6701" % CORE4_PEER]
    pls = [rtp(3000 + i, 0x7007, 40 + i, rng) for i in range(10)]
    ain = [acc_in(STRANGER4, 7777, 20701, b"\x80", rng=rng),
           acc_in(STRANGER4, 7777, 20701, dtls(60, rng), rng=rng)]
    ain += [acc_in(ACC4_PEER, 5701, 20701, pl, rng=rng) for pl in pls]
    run = Run("first-packet", cmds, ain, [], cfg=config(acc_exposed=True))
    refused = "access is exposed: a leg there needs a remote, ICE, DTLS or latch=learn"
    result("first packet: an exposed interface refuses a leg that would learn by default",
           run.ok and refused in run.out and "session 0 created" in run.out, run.out[-300:])
    check_streams("first packet: the peer's stream goes through, the stranger's datagrams never",
                  run, 1, {(30701, 6701): [to_core(CORE4_PEER, 30701, 6701, pl) for pl in pls]})
    check_streams("first packet: nothing sent back to access", run, 0, {})
    check_drops("first packet: latch_not_rtp 2", run, {"latch_not_rtp": 2})
    run.cleanup()


SCENARIOS = [("ipv4", sc_ipv4), ("ipv6", sc_ipv6), ("cross", sc_cross), ("vlan", sc_vlan),
             ("malformed", sc_malformed), ("arp_nd", sc_arp_nd), ("dtls_leg", sc_dtls_leg),
             ("trailer", sc_trailer), ("first_packet", sc_first_packet)]


def main(scenarios=None, label="pipeline", seed=7):
    """Run scenarios [(name, fn(rng))] (default: this file's) with Run; summary as label."""
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--keep", action="store_true", help="keep captures and logs")
    ap.add_argument("--only", default="", help="comma-separated scenario names")
    ap.add_argument("--seed", type=int, default=seed)
    args = ap.parse_args()
    Run.binary = os.path.abspath(args.binary)
    Run.keep = args.keep
    Run.workdir = tempfile.mkdtemp(prefix="srtpfwd-%s-" % label)
    only = set(x for x in args.only.split(",") if x)
    rng = random.Random(args.seed)
    try:
        for name, fn in scenarios or SCENARIOS:
            if only and name not in only:
                continue
            print("%s %s" % (label, name))
            sys.stdout.flush()
            try:
                fn(rng)
            except Exception as e:  # a broken scenario is a failure, not a crash
                import traceback
                traceback.print_exc()
                result("%s: scenario raised %s" % (name, type(e).__name__), False, str(e))
    finally:
        if args.keep or failed():
            print("captures and logs kept in %s" % Run.workdir)
        else:
            shutil.rmtree(Run.workdir, ignore_errors=True)
    return summary(label)


if __name__ == "__main__":
    sys.exit(main())
